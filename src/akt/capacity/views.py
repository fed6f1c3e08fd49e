"""Pages for capacity development plans and their actions. Thin: access helper, form, service."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from akt.access import get_editable_or_403, get_visible_or_404, scope_of, signed_in_user
from akt.capacity import services
from akt.capacity.forms import PlanFilterForm, PlanForm
from akt.capacity.models import ActionStatus, CapacityDevelopmentPlan
from akt.void_pages import void_page, voiding_context
from akt.web import submit_form

PAGE_SIZE = 25

OUTSIDE_SCOPE = gettext_lazy(
    "Capacity development plans are kept by municipality; your role does not cover this one."
)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = PlanFilterForm(request.GET or None, scope=scope)
    plans = form.without_voided(
        form.filter(
            scope.plans(
                CapacityDevelopmentPlan.objects.select_related("municipality__majority_community")
                .annotate(
                    action_count=Count("actions"),
                    done_count=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
                )
                # Aggregation drops the model's default ordering, which pagination needs.
                .order_by("municipality__name_sq", "period_start", "pk")
            )
        )
    )
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "capacity/plan_list.html", {"form": form, "page": page})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(
        request,
        CapacityDevelopmentPlan.objects.select_related("municipality__majority_community"),
        pk,
    )
    return render(
        request,
        "capacity/plan_detail.html",
        {
            "plan": plan,
            "actions": plan.actions.all(),
            **voiding_context(request, plan, "capacity"),
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.may_edit:
        raise PermissionDenied
    form = PlanForm(request.POST if request.method == "POST" else None, scope=scope)
    return submit_form(
        request,
        form,
        lambda data: services.plan_create(actor=signed_in_user(request), **data),
        saved_message=_("The plan was saved."),
        success_url="capacity:detail",
        template="capacity/plan_form.html",
        # Component staff work across municipalities; plans belong to one.
        refused_message=OUTSIDE_SCOPE,
    )


@login_required
def plan_update(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_editable_or_403(request, CapacityDevelopmentPlan, pk)
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        instance=plan,
        scope=scope_of(request),
    )
    return submit_form(
        request,
        form,
        lambda data: services.plan_update(actor=signed_in_user(request), plan=plan, data=data),
        saved_message=_("The plan was saved."),
        success_url="capacity:detail",
        template="capacity/plan_form.html",
        context={"plan": plan},
    )


@login_required
def plan_void(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(request, CapacityDevelopmentPlan, pk)
    return void_page(
        request,
        plan,
        restore=False,
        save=lambda reason: services.plan_void(
            actor=signed_in_user(request), plan=plan, reason=reason
        ),
        detail_url="capacity:detail",
        title=plan.title,
        consequences=[_("The plan leaves the counts of plans, with its actions.")],
    )


@login_required
def plan_restore(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(request, CapacityDevelopmentPlan, pk)
    return void_page(
        request,
        plan,
        restore=True,
        save=lambda reason: services.plan_restore(
            actor=signed_in_user(request), plan=plan, reason=reason
        ),
        detail_url="capacity:detail",
        title=plan.title,
    )
