"""Pages for grants: list, detail, create, update. Thin: access helper, form, service."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from akt.access import get_editable_or_403, get_visible_or_404, scope_of, signed_in_user
from akt.grants import services
from akt.grants.forms import GrantFilterForm, GrantForm
from akt.grants.models import Grant
from akt.void_pages import void_page, voiding_context
from akt.web import submit_form

PAGE_SIZE = 25


@login_required
def grant_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = GrantFilterForm(request.GET or None, scope=scope)
    grants = form.without_voided(
        form.filter(
            scope.grants(
                Grant.objects.select_related(
                    "recipient", "component", "municipality__majority_community"
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
    recipient_visible = scope_of(request).may_see(grant.recipient)
    return render(
        request,
        "grants/grant_detail.html",
        {
            "grant": grant,
            "recipient_visible": recipient_visible,
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
