"""Pages for calls for applications and their applications: lists, details, forms, the
eligibility and award decisions. Thin: access helper, form, service.

Calls and applications are fetched through :func:`akt.access.get_visible_or_404` (the viewer's
scope: 404 outside it); who may write is :mod:`akt.grants.rules` (403 otherwise). The owner's
sex, age and community reach the template only for roles that see persons.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from akt.access import get_visible_or_404, scope_of, signed_in_user
from akt.grants import call_services
from akt.grants.call_forms import (
    AWARD,
    ELIGIBLE,
    ApplicationForm,
    ApplicationUpdateForm,
    CallForm,
    DecisionForm,
    EligibilityForm,
)
from akt.grants.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
)
from akt.grants.rules import (
    manages_call,
    may_create_calls,
    may_enter_application,
    may_enter_applications_to,
    on_committee,
)
from akt.grants.scoring import shown
from akt.grants.selectors import (
    application_scores,
    owner_details,
    ranking,
    sees_all_scores,
    visible_score_rows,
)
from akt.web import submit_form

PAGE_SIZE = 25

CALL_RELATED = ("component",)
APPLICATION_RELATED = (
    "call__component",
    "applicant",
    "municipality__majority_community",
    "owner_community",
    "grant",
)


# -- calls -------------------------------------------------------------------------------------


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    calls = scope.grant_calls(Call.objects.select_related(*CALL_RELATED))
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "grants/call_list.html",
        {"page": page, "may_create": may_create_calls(scope)},
    )


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_visible_or_404(
        request,
        Call.objects.select_related(*CALL_RELATED).prefetch_related(
            "criteria", "committee", "municipalities__majority_community"
        ),
        pk,
    )
    scope = scope_of(request)
    counts = dict(
        scope.grant_applications(call.applications.all())
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    statuses = [(label, counts.get(value, 0)) for value, label in ApplicationStatus.choices]
    return render(
        request,
        "grants/call_detail.html",
        {
            "call": call,
            "statuses": statuses,
            "applications": sum(counts.values()),
            "manages": manages_call(scope, call),
            "may_enter": call.status in (CallStatus.OPEN, CallStatus.CLOSED)
            and may_enter_applications_to(scope, call),
            "member": on_committee(request.user, call),
        },
    )


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not may_create_calls(scope):
        raise PermissionDenied
    form = CallForm(request.POST if request.method == "POST" else None, scope=scope)
    return submit_form(
        request,
        form,
        lambda data: call_services.call_create(actor=signed_in_user(request), **data),
        saved_message=_("The call was saved."),
        success_url="grants:call_detail",
        template="grants/call_form.html",
    )


@login_required
def call_update(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_visible_or_404(request, Call, pk)
    scope = scope_of(request)
    if not manages_call(scope, call):
        raise PermissionDenied
    form = CallForm(request.POST if request.method == "POST" else None, instance=call, scope=scope)
    return submit_form(
        request,
        form,
        lambda data: call_services.call_update(actor=signed_in_user(request), call=call, data=data),
        saved_message=_("The call was saved."),
        success_url="grants:call_detail",
        template="grants/call_form.html",
        context={"call": call},
    )


# -- applications ------------------------------------------------------------------------------


@login_required
def application_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A call's applications the viewer may see, ranked by their weighted mean score."""
    call = get_visible_or_404(request, Call.objects.select_related(*CALL_RELATED), pk)
    scope = scope_of(request)
    applications = scope.grant_applications(
        call.applications.select_related("applicant", "municipality__majority_community")
    )
    rows = ranking(call, request.user, applications)
    return render(
        request,
        "grants/application_list.html",
        {
            "call": call,
            "rows": rows,
            "may_enter": call.status in (CallStatus.OPEN, CallStatus.CLOSED)
            and may_enter_applications_to(scope, call),
            "member": on_committee(request.user, call),
        },
    )


@login_required
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_visible_or_404(request, Call.objects.select_related(*CALL_RELATED), pk)
    scope = scope_of(request)
    if not may_enter_applications_to(scope, call):
        raise PermissionDenied
    form = ApplicationForm(
        request.POST if request.method == "POST" else None, scope=scope, call=call
    )
    return submit_form(
        request,
        form,
        lambda data: call_services.application_create(
            actor=signed_in_user(request), call=call, **data
        ),
        saved_message=_("The application was saved."),
        success_url="grants:application_detail",
        template="grants/application_form.html",
        context={"call": call},
    )


def _visible_application(request: HttpRequest, pk: int) -> Application:
    return get_visible_or_404(request, Application.objects.select_related(*APPLICATION_RELATED), pk)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    scope = scope_of(request)
    call = application.call
    criteria, sheets = visible_score_rows(request.user, application)
    score, submitted = application_scores([application])[application.pk]
    blind = on_committee(request.user, call) and not sees_all_scores(request.user, application)
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "call": call,
            "owner": owner_details(scope, application, on=application.received_on),
            "applicant_visible": scope.may_see(application.applicant),
            "sheets": sheets,
            "criteria": criteria,
            "score": None if blind else shown(score),
            "submitted": submitted,
            "blind": blind,
            "may_edit": may_enter_application(scope, call, application.municipality_id)
            and scope.may_see(application.applicant),
            "may_decide_eligibility": manages_call(scope, call)
            and application.status
            in (
                ApplicationStatus.RECEIVED,
                ApplicationStatus.ELIGIBLE,
                ApplicationStatus.INELIGIBLE,
            )
            and not submitted,
            "may_decide": manages_call(scope, call)
            and call.status == CallStatus.CLOSED
            and application.status in (ApplicationStatus.ELIGIBLE, ApplicationStatus.SCORED),
            "member": on_committee(request.user, call),
        },
    )


@login_required
def application_update(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    scope = scope_of(request)
    if not may_enter_application(scope, application.call, application.municipality_id):
        raise PermissionDenied
    form = ApplicationUpdateForm(
        request.POST if request.method == "POST" else None,
        instance=application,
        scope=scope,
        call=application.call,
    )
    return submit_form(
        request,
        form,
        lambda data: call_services.application_update(
            actor=signed_in_user(request), application=application, data=data
        ),
        saved_message=_("The application was saved."),
        success_url="grants:application_detail",
        template="grants/application_form.html",
        context={"call": application.call, "application": application},
    )


@login_required
def application_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    if not manages_call(scope_of(request), application.call):
        raise PermissionDenied
    form = EligibilityForm(
        request.POST if request.method == "POST" else None,
        initial={
            "decision": application.status
            if application.status in (ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE)
            else None,
            "reason": application.ineligibility_reason,
        },
    )
    return submit_form(
        request,
        form,
        lambda data: call_services.application_eligibility_decide(
            actor=signed_in_user(request),
            application=application,
            eligible=data["decision"] == ELIGIBLE,
            reason=data["reason"],
        ),
        saved_message=_("The eligibility decision was saved."),
        success_url="grants:application_detail",
        template="grants/application_eligibility.html",
        context={"application": application, "call": application.call},
    )


@login_required
def application_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """The award or rejection of one application."""
    application = _visible_application(request, pk)
    scope = scope_of(request)
    if not manages_call(scope, application.call):
        raise PermissionDenied
    form = DecisionForm(
        request.POST if request.method == "POST" else None, application=application, scope=scope
    )
    return submit_form(
        request,
        form,
        lambda data: call_services.award_decide(
            actor=signed_in_user(request),
            application=application,
            award=data["decision"] == AWARD,
            reason=data["reason"],
            decided_on=data["decided_on"],
            amount=data["amount"],
            currency=data["currency"],
            reference=data["reference"],
            usd_rate=data["usd_rate"],
            rate_source=data["rate_source"],
            grant=data.get("grant"),
        ),
        saved_message=_("The decision was saved."),
        success_url="grants:application_detail",
        template="grants/application_decision.html",
        context={"application": application, "call": application.call},
    )
