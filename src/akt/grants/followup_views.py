"""Pages for what follows an award: tranches (plan, change, pay), monitoring visits and
follow-up outcomes. Thin: access helper, form, service.

Each record is reached through its grant, fetched within the viewer's scope (404 outside it);
writing needs the right to change the grant, and for tranches the right to manage its money
(:mod:`akt.grants.rules`), 403 otherwise.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from akt.access import get_editable_or_403, scope_of, signed_in_user
from akt.grants import followup_services as services
from akt.grants.followup_forms import OutcomeForm, TrancheForm, TranchePayForm, VisitForm
from akt.grants.models import Grant, GrantOutcome, Tranche
from akt.grants.rules import manages_grant_money
from akt.web import submit_form


def _grant_page(grant: Grant) -> str:
    return reverse("grants:detail", kwargs={"pk": grant.pk})


def _editable_grant(request: HttpRequest, pk: int, *, money: bool) -> Grant:
    grant = get_editable_or_403(request, Grant.objects.select_related("recipient"), pk)
    if grant.is_voided or (money and not manages_grant_money(scope_of(request), grant)):
        raise PermissionDenied
    return grant


@login_required
def tranche_create(request: HttpRequest, pk: int) -> HttpResponse:
    grant = _editable_grant(request, pk, money=True)
    form = TrancheForm(
        request.POST if request.method == "POST" else None, instance=Tranche(grant=grant)
    )
    return submit_form(
        request,
        form,
        lambda data: services.tranche_create(actor=signed_in_user(request), grant=grant, **data),
        saved_message=_("The tranche was saved."),
        success_url=lambda _tranche: _grant_page(grant),
        template="grants/tranche_form.html",
        context={"grant": grant},
    )


@login_required
def tranche_update(request: HttpRequest, pk: int, tranche_pk: int) -> HttpResponse:
    grant = _editable_grant(request, pk, money=True)
    tranche = get_object_or_404(grant.tranches, pk=tranche_pk)
    form = TrancheForm(request.POST if request.method == "POST" else None, instance=tranche)
    return submit_form(
        request,
        form,
        lambda data: services.tranche_update(
            actor=signed_in_user(request), tranche=tranche, data=data
        ),
        saved_message=_("The tranche was saved."),
        success_url=lambda _tranche: _grant_page(grant),
        template="grants/tranche_form.html",
        context={"grant": grant, "tranche": tranche},
    )


@login_required
def tranche_pay(request: HttpRequest, pk: int, tranche_pk: int) -> HttpResponse:
    grant = _editable_grant(request, pk, money=True)
    tranche = get_object_or_404(grant.tranches, pk=tranche_pk)
    initial = (
        {"paid_on": tranche.paid_on, "paid_amount": tranche.paid_amount}
        if tranche.is_paid
        else None
    )
    form = TranchePayForm(request.POST if request.method == "POST" else None, initial=initial)
    return submit_form(
        request,
        form,
        lambda data: services.tranche_pay(actor=signed_in_user(request), tranche=tranche, **data),
        saved_message=_("The payment was saved."),
        success_url=lambda _tranche: _grant_page(grant),
        template="grants/tranche_pay.html",
        context={"grant": grant, "tranche": tranche},
    )


@login_required
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    grant = _editable_grant(request, pk, money=False)
    form = VisitForm(request.POST if request.method == "POST" else None)
    return submit_form(
        request,
        form,
        lambda data: services.visit_create(actor=signed_in_user(request), grant=grant, **data),
        saved_message=_("The visit was saved."),
        success_url=lambda _visit: _grant_page(grant),
        template="grants/visit_form.html",
        context={"grant": grant},
    )


@login_required
def visit_update(request: HttpRequest, pk: int, visit_pk: int) -> HttpResponse:
    grant = _editable_grant(request, pk, money=False)
    visit = get_object_or_404(grant.visits, pk=visit_pk)
    form = VisitForm(request.POST if request.method == "POST" else None, instance=visit)
    return submit_form(
        request,
        form,
        lambda data: services.visit_update(actor=signed_in_user(request), visit=visit, data=data),
        saved_message=_("The visit was saved."),
        success_url=lambda _visit: _grant_page(grant),
        template="grants/visit_form.html",
        context={"grant": grant, "visit": visit},
    )


@login_required
def outcome_create(request: HttpRequest, pk: int) -> HttpResponse:
    grant = _editable_grant(request, pk, money=False)
    form = OutcomeForm(
        request.POST if request.method == "POST" else None, instance=GrantOutcome(grant=grant)
    )
    return submit_form(
        request,
        form,
        lambda _data: services.outcome_create(
            actor=signed_in_user(request), grant=grant, **form.service_data()
        ),
        saved_message=_("The follow-up was saved."),
        success_url=lambda _outcome: _grant_page(grant),
        template="grants/outcome_form.html",
        context={"grant": grant},
    )


@login_required
def outcome_update(request: HttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    grant = _editable_grant(request, pk, money=False)
    outcome = get_object_or_404(grant.outcomes, pk=outcome_pk)
    form = OutcomeForm(request.POST if request.method == "POST" else None, instance=outcome)
    return submit_form(
        request,
        form,
        lambda _data: services.outcome_update(
            actor=signed_in_user(request), outcome=outcome, data=form.service_data()
        ),
        saved_message=_("The follow-up was saved."),
        success_url=lambda _outcome: _grant_page(grant),
        template="grants/outcome_form.html",
        context={"grant": grant, "outcome": outcome},
    )
