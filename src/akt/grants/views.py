"""Pages for grants (list, detail, create, update, void) and the exchange rates. Thin: access
helper, form, service.

The pages of calls and applications are in :mod:`call_views`, the committee's in
:mod:`scoring_views`, tranches, visits and follow-ups in :mod:`followup_views`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from akt.access import get_editable_or_403, get_visible_or_404, scope_of, signed_in_user
from akt.accounts.services import change_reason
from akt.grants import services
from akt.grants.forms import ExchangeRateForm, GrantFilterForm, GrantForm, RatesApplyForm
from akt.grants.models import Application, ExchangeRate, Grant, JobsCreated
from akt.grants.rules import manages_exchange_rates, manages_grant_money
from akt.grants.selectors import grants_lacking_rate, owner_details
from akt.void_pages import void_page, voiding_context
from akt.web import add_service_error, submit_form

PAGE_SIZE = 25


@login_required
def grant_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = GrantFilterForm(request.GET or None, scope=scope)
    grants = form.without_voided(
        form.filter(
            scope.grants(
                Grant.objects.select_related(
                    "recipient__municipality__majority_community",  # a natural person's label
                    "component",
                    "municipality__majority_community",
                )
            )
        )
    )
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "grants/grant_list.html", {"form": form, "page": page})


@login_required
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_visible_or_404(
        request,
        Grant.objects.select_related("recipient", "component", "municipality__majority_community"),
        pk,
    )
    scope = scope_of(request)
    recipient_visible = scope.may_see(grant.recipient)
    application = scope.grant_applications(
        Application.objects.filter(grant=grant).select_related("call", "owner_community")
    ).first()
    owner = (
        owner_details(scope, application, on=grant.award_date) if application is not None else None
    )
    editable = scope.may_edit and scope.may_see(grant) and not grant.is_voided
    return render(
        request,
        "grants/grant_detail.html",
        {
            "grant": grant,
            "recipient_visible": recipient_visible,
            "application": application,
            "owner": owner,
            "tranches": list(grant.tranches.all()),
            "tranche_totals": grant.tranches.aggregate(
                planned=Sum("planned_amount"), paid=Sum("paid_amount")
            ),
            "visits": list(grant.visits.all()),
            "outcomes": list(
                grant.outcomes.prefetch_related(
                    Prefetch("jobs", queryset=JobsCreated.objects.select_related("community"))
                )
            ),
            "may_follow_up": editable,
            "may_pay": editable and manages_grant_money(scope, grant),
            **voiding_context(request, grant, "grants"),
        },
    )


@login_required
def grant_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.may_edit:
        raise PermissionDenied
    form = GrantForm(request.POST if request.method == "POST" else None, scope=scope)
    return submit_form(
        request,
        form,
        lambda data: services.grant_create(actor=signed_in_user(request), **data),
        saved_message=_("The grant was saved."),
        success_url="grants:detail",
        template="grants/grant_form.html",
    )


@login_required
def grant_update(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_editable_or_403(request, Grant, pk)
    form = GrantForm(
        request.POST if request.method == "POST" else None,
        instance=grant,
        scope=scope_of(request),
    )
    return submit_form(
        request,
        form,
        lambda data: services.grant_update(actor=signed_in_user(request), grant=grant, data=data),
        saved_message=_("The grant was saved."),
        success_url="grants:detail",
        template="grants/grant_form.html",
        context={"grant": grant},
    )


@login_required
def grant_void(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_visible_or_404(request, Grant, pk)
    return void_page(
        request,
        grant,
        restore=False,
        save=lambda reason: services.grant_void(
            actor=signed_in_user(request), grant=grant, reason=reason
        ),
        detail_url="grants:detail",
        title=grant.reference,
        consequences=[
            _(
                "Its amount leaves the grant totals, and its recipient the counts of "
                "organizations reached, unless another grant reaches it."
            )
        ],
    )


@login_required
def grant_restore(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_visible_or_404(request, Grant, pk)
    return void_page(
        request,
        grant,
        restore=True,
        save=lambda reason: services.grant_restore(
            actor=signed_in_user(request), grant=grant, reason=reason
        ),
        detail_url="grants:detail",
        title=grant.reference,
    )


# -- exchange rates ----------------------------------------------------------------------------


@login_required
def rate_list(request: HttpRequest) -> HttpResponse:
    """The exchange rates (any signed-in viewer reads them: they are reference data), and the
    grants still lacking one, for those who keep the rates."""
    page = Paginator(ExchangeRate.objects.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    keeper = manages_exchange_rates(request.user)
    lacking = (
        list(
            scope_of(request).grants(
                grants_lacking_rate().select_related(
                    "recipient", "municipality__majority_community"
                )
            )
        )
        if keeper
        else []
    )
    return render(
        request,
        "grants/rate_list.html",
        {"page": page, "keeper": keeper, "lacking": lacking, "apply_form": RatesApplyForm()},
    )


def _require_rate_keeper(request: HttpRequest) -> None:
    if not manages_exchange_rates(request.user):
        raise PermissionDenied


@login_required
def rate_create(request: HttpRequest) -> HttpResponse:
    _require_rate_keeper(request)
    form = ExchangeRateForm(request.POST if request.method == "POST" else None)
    return submit_form(
        request,
        form,
        lambda data: services.rate_create(actor=signed_in_user(request), **data),
        saved_message=_("The exchange rate was saved."),
        success_url=lambda _rate: reverse("grants:rate_list"),
        template="grants/rate_form.html",
    )


@login_required
def rate_update(request: HttpRequest, pk: int) -> HttpResponse:
    _require_rate_keeper(request)
    rate = get_object_or_404(ExchangeRate, pk=pk)
    form = ExchangeRateForm(request.POST if request.method == "POST" else None, instance=rate)
    return submit_form(
        request,
        form,
        lambda data: services.rate_update(actor=signed_in_user(request), rate=rate, data=data),
        saved_message=_("The exchange rate was saved."),
        success_url=lambda _rate: reverse("grants:rate_list"),
        template="grants/rate_form.html",
        context={"rate": rate},
    )


@login_required
@require_POST
def rates_apply(request: HttpRequest) -> HttpResponse:
    """Gives the grants lacking a rate the one the table now has for their award date."""
    _require_rate_keeper(request)
    form = RatesApplyForm(request.POST)
    if form.is_valid():
        try:
            with change_reason(form.cleaned_data.get("reason", "")):
                count = services.grant_rates_apply(actor=signed_in_user(request))
        except ValidationError as error:
            add_service_error(form, error)
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s grant got its exchange rate.",
                    "%(count)s grants got their exchange rate.",
                    count,
                )
                % {"count": count},
            )
    return redirect("grants:rate_list")
