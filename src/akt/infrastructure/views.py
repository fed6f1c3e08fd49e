"""Pages for small infrastructure projects and their joint activities."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from akt.access import get_editable_or_403, get_visible_or_404, scope_of, signed_in_user
from akt.infrastructure import services
from akt.infrastructure.forms import ProjectFilterForm, ProjectForm
from akt.infrastructure.models import InfrastructureProject
from akt.void_pages import void_page, voiding_context
from akt.web import submit_form

PAGE_SIZE = 25


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = ProjectFilterForm(request.GET or None, scope=scope)
    projects = form.without_voided(
        form.filter(
            scope.projects(
                InfrastructureProject.objects.select_related(
                    "component", "municipality__majority_community"
                )
            )
        )
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "infrastructure/project_list.html", {"form": form, "page": page})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_visible_or_404(
        request,
        InfrastructureProject.objects.select_related(
            "component", "municipality__majority_community"
        ),
        pk,
    )
    activities = (
        scope_of(request)
        .activities(project.joint_activities.select_related("municipality__majority_community"))
        .with_participants()
    )
    return render(
        request,
        "infrastructure/project_detail.html",
        {
            "project": project,
            "activities": activities,
            **voiding_context(request, project, "infrastructure"),
        },
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.may_edit:
        raise PermissionDenied
    form = ProjectForm(request.POST if request.method == "POST" else None, scope=scope)
    return submit_form(
        request,
        form,
        lambda data: services.project_create(actor=signed_in_user(request), **data),
        saved_message=_("The project was saved."),
        success_url="infrastructure:detail",
        template="infrastructure/project_form.html",
    )


@login_required
def project_update(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_editable_or_403(request, InfrastructureProject, pk)
    form = ProjectForm(
        request.POST if request.method == "POST" else None,
        instance=project,
        scope=scope_of(request),
    )
    return submit_form(
        request,
        form,
        lambda data: services.project_update(
            actor=signed_in_user(request), project=project, data=data
        ),
        saved_message=_("The project was saved."),
        success_url="infrastructure:detail",
        template="infrastructure/project_form.html",
        context={"project": project},
    )


@login_required
def project_void(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_visible_or_404(request, InfrastructureProject, pk)
    still = project.joint_activities.filter(voided_at__isnull=True).count()
    return void_page(
        request,
        project,
        restore=False,
        save=lambda reason: services.project_void(
            actor=signed_in_user(request), project=project, reason=reason
        ),
        detail_url="infrastructure:detail",
        title=str(project),
        consequences=[
            _("The project leaves the counts of projects and its contribution the totals."),
            ngettext(
                "Its %(count)s joint activity keeps counting; void it from its own page if it "
                "too was a mistake.",
                "Its %(count)s joint activities keep counting; void them from their own pages "
                "if they too were a mistake.",
                still,
            )
            % {"count": still},
        ],
    )


@login_required
def project_restore(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_visible_or_404(request, InfrastructureProject, pk)
    return void_page(
        request,
        project,
        restore=True,
        save=lambda reason: services.project_restore(
            actor=signed_in_user(request), project=project, reason=reason
        ),
        detail_url="infrastructure:detail",
        title=str(project),
    )
