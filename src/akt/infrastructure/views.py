"""Pages for small infrastructure projects and their joint activities."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from akt.access import get_editable_or_403, get_visible_or_404, scope_of
from akt.activities.models import Activity
from akt.activities.views import with_participants
from akt.infrastructure import services
from akt.infrastructure.forms import ProjectFilterForm, ProjectForm
from akt.infrastructure.models import InfrastructureProject

PAGE_SIZE = 25


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = ProjectFilterForm(request.GET or None, scope=scope)
    projects = form.filter(
        scope.projects(
            InfrastructureProject.objects.select_related(
                "component", "municipality__majority_community"
            )
        )
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "infrastructure/project_list.html", {"form": form, "page": page})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_visible_or_404(request, InfrastructureProject, pk)
    project = InfrastructureProject.objects.select_related(
        "component", "municipality__majority_community"
    ).get(pk=project.pk)
    activities = with_participants(
        scope_of(request).activities(
            Activity.objects.filter(project=project).select_related(
                "municipality__majority_community"
            )
        )
    )
    return render(
        request,
        "infrastructure/project_detail.html",
        {"project": project, "activities": activities},
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.may_edit:
        raise PermissionDenied
    form = ProjectForm(request.POST if request.method == "POST" else None, scope=scope)
    if form.is_bound and form.is_valid():
        try:
            project = services.project_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The project was saved."))
            return redirect("infrastructure:detail", pk=project.pk)
    return render(request, "infrastructure/project_form.html", {"form": form})


@login_required
def project_update(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_editable_or_403(request, InfrastructureProject, pk)
    form = ProjectForm(
        request.POST if request.method == "POST" else None,
        instance=project,
        scope=scope_of(request),
    )
    if form.is_bound and form.is_valid():
        try:
            services.project_update(actor=request.user, project=project, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The project was saved."))
            return redirect("infrastructure:detail", pk=project.pk)
    return render(request, "infrastructure/project_form.html", {"form": form, "project": project})
