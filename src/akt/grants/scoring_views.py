"""The committee member's pages: the applications they are to score, and one application's
scoring page (the conflict declaration first, then the scores).

Only members of the call's committee reach these pages (whatever their role); the other
members' scores appear only once the member has submitted their own, as the selectors decide
(:func:`akt.grants.selectors.visible_score_sheets`), never by the template alone.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from akt.access import scope_of, signed_in_user
from akt.grants import scoring_services
from akt.grants.call_views import APPLICATION_RELATED
from akt.grants.models import Application, CallStatus, ScoreSheet
from akt.grants.rules import on_committee
from akt.grants.scoring_forms import CONFLICT, ConflictForm, ScoreForm
from akt.grants.selectors import applications_to_score, owner_details, visible_score_rows
from akt.web import add_service_error


@login_required
def scoring_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(request, "grants/scoring_list.html", {"rows": applications_to_score(user)})


def _application_for_member(request: HttpRequest, pk: int) -> Application:
    """The application, for a member of its call's committee: 404 when the viewer may not see
    it at all, 403 when they may but sit on no committee of it."""
    application = Application.objects.select_related(*APPLICATION_RELATED).filter(pk=pk).first()
    if application is None:
        raise Http404
    if not on_committee(request.user, application.call):
        if scope_of(request).may_see(application):
            raise PermissionDenied
        raise Http404
    return application


def _page(
    request: HttpRequest,
    application: Application,
    conflict_form: ConflictForm | None = None,
    score_form: ScoreForm | None = None,
) -> HttpResponse:
    user = signed_in_user(request)
    scope = scope_of(request)
    call = application.call
    own = ScoreSheet.objects.filter(application=application, member=user).first()
    criteria, sheets = visible_score_rows(user, application)
    may_score = (
        own is not None
        and not own.has_conflict
        and own.submitted_at is None
        and call.status == CallStatus.CLOSED
    )
    return render(
        request,
        "grants/score_form.html",
        {
            "application": application,
            "call": call,
            "own": own,
            "criteria": criteria,
            "sheets": sheets,
            "owner": owner_details(scope, application, on=application.received_on)
            if scope.may_see(application)
            else None,
            "conflict_form": conflict_form or (ConflictForm() if own is None else None),
            # Offered only to a member who may still score: a refused POST shows no form again.
            "score_form": (score_form or ScoreForm(criteria=criteria)) if may_score else None,
        },
    )


CANNOT_SCORE = frozenset({"conflict", "submitted", "undeclared", "own-application", "call-status"})
"""Refusals after which the member may not score at all: the page says why, without a form."""


@login_required
def application_score(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's scoring page (GET); their scores, submitted (POST)."""
    application = _application_for_member(request, pk)
    if request.method != "POST":
        return _page(request, application)
    form = ScoreForm(request.POST, criteria=list(application.call.criteria.all()))
    if form.is_valid():
        try:
            scoring_services.application_score_submit(
                actor=signed_in_user(request), application=application, scores=form.scores()
            )
        except ValidationError as error:
            add_service_error(form, error)
            # A member who may not score at all (a conflict, already submitted) reads why, and
            # is not offered the form again.
            if getattr(error, "code", None) in CANNOT_SCORE:
                messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your scores were submitted."))
            return redirect("grants:application_score", pk=application.pk)
    return _page(request, application, score_form=form)


@login_required
@require_POST
def application_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's declaration of a conflict of interest, or of none."""
    application = _application_for_member(request, pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            scoring_services.application_conflict_declare(
                actor=signed_in_user(request),
                application=application,
                has_conflict=form.cleaned_data["declaration"] == CONFLICT,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your declaration was saved."))
            return redirect("grants:application_score", pk=application.pk)
    return _page(request, application, conflict_form=form)
