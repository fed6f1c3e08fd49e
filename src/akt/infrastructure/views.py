"""Pages for small infrastructure projects: the list, a project's page, and one page per action
(the project's form, a payment, a milestone, the handover). Thin: the access helper, a form, a
service."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from akt.access import get_editable_or_403, get_visible_or_404, scope_of, signed_in_user
from akt.infrastructure import services
from akt.infrastructure.forms import (
    HandoverForm,
    MilestoneForm,
    ProjectFilterForm,
    ProjectForm,
    SpendingForm,
)
from akt.infrastructure.models import (
    InfrastructureProject,
    MilestoneKind,
    MilestoneStatus,
    Payer,
    ProjectMilestone,
    ProjectSpending,
    ProjectStatus,
)
from akt.infrastructure.selectors import project_budget, project_rows, with_progress
from akt.void_pages import void_page, voiding_context
from akt.web import submit_form

PAGE_SIZE = 25


def _project_section(project: InfrastructureProject, section: str):
    """Where a saved payment or milestone leads: its table on the project's page."""

    def url(_record: Model) -> str:
        return reverse("infrastructure:detail", kwargs={"pk": project.pk}) + f"#{section}"

    return url


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = ProjectFilterForm(request.GET or None, scope=scope)
    projects = form.without_voided(
        form.filter(
            scope.projects(
                with_progress(
                    InfrastructureProject.objects.select_related(
                        "component", "municipality__majority_community"
                    )
                )
                # Aggregation drops the model's default ordering, which pagination needs.
                .order_by("-start_date", "code")
            )
        )
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "infrastructure/project_list.html",
        {"form": form, "page": page, "rows": project_rows(page)},
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_visible_or_404(
        request,
        InfrastructureProject.objects.select_related(
            "component", "municipality__majority_community"
        ).prefetch_related("communities"),
        pk,
    )
    activities = (
        scope_of(request)
        .activities(project.joint_activities.select_related("municipality__majority_community"))
        .with_participants()
    )
    milestones = sorted(project.milestones.all(), key=lambda m: (m.sequence, m.planned_date))
    late = sum(1 for milestone in milestones if milestone.status == MilestoneStatus.LATE)
    budget = project_budget(project)
    return render(
        request,
        "infrastructure/project_detail.html",
        {
            "project": project,
            "budget": budget,
            "shares": [(Payer(share.payer).label, share) for share in budget.shares],
            "payments": project.spending.all(),
            "milestones": milestones,
            "late_count": late,
            "is_completed": project.status == ProjectStatus.COMPLETED,
            "may_add_milestone": len(milestones) < len(MilestoneKind.values),
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
def project_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_editable_or_403(request, InfrastructureProject, pk)
    form = HandoverForm(request.POST if request.method == "POST" else None, instance=project)
    return submit_form(
        request,
        form,
        lambda data: services.project_hand_over(
            actor=signed_in_user(request), project=project, **data
        ),
        saved_message=_("The handover was recorded."),
        success_url=_project_section(project, "handover"),
        template="infrastructure/handover_form.html",
        context={"project": project, "is_completed": project.status == ProjectStatus.COMPLETED},
    )


@login_required
def spending_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_editable_or_403(request, InfrastructureProject, pk)
    form = SpendingForm(
        request.POST if request.method == "POST" else None,
        instance=ProjectSpending(project=project),
    )
    return submit_form(
        request,
        form,
        lambda data: services.spending_add(actor=signed_in_user(request), project=project, **data),
        saved_message=_("The payment was saved."),
        success_url=_project_section(project, "spending"),
        template="infrastructure/spending_form.html",
        context={"project": project},
    )


@login_required
def spending_update(request: HttpRequest, pk: int, spending_pk: int) -> HttpResponse:
    project = get_editable_or_403(request, InfrastructureProject, pk)
    spending = get_object_or_404(project.spending.all(), pk=spending_pk)
    form = SpendingForm(request.POST if request.method == "POST" else None, instance=spending)
    return submit_form(
        request,
        form,
        lambda data: services.spending_update(
            actor=signed_in_user(request), spending=spending, data=data
        ),
        saved_message=_("The payment was saved."),
        success_url=_project_section(project, "spending"),
        template="infrastructure/spending_form.html",
        context={"project": project, "spending": spending},
    )


@login_required
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_editable_or_403(request, InfrastructureProject, pk)
    form = MilestoneForm(
        request.POST if request.method == "POST" else None,
        instance=ProjectMilestone(project=project),
    )
    return submit_form(
        request,
        form,
        lambda data: services.milestone_add(actor=signed_in_user(request), project=project, **data),
        saved_message=_("The milestone was saved."),
        success_url=_project_section(project, "milestones"),
        template="infrastructure/milestone_form.html",
        context={"project": project},
    )


@login_required
def milestone_update(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    project = get_editable_or_403(request, InfrastructureProject, pk)
    milestone = get_object_or_404(project.milestones.all(), pk=milestone_pk)
    form = MilestoneForm(request.POST if request.method == "POST" else None, instance=milestone)
    return submit_form(
        request,
        form,
        lambda data: services.milestone_update(
            actor=signed_in_user(request), milestone=milestone, data=data
        ),
        saved_message=_("The milestone was saved."),
        success_url=_project_section(project, "milestones"),
        template="infrastructure/milestone_form.html",
        context={"project": project, "milestone": milestone},
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
