"""Pages for identity resolution: the review queue, one pair side by side, and merge history.

Only M&E officers and administrators resolve identities; every other signed-in role gets 403 on
every page and endpoint here (the pages show two people's records side by side, and a decision
changes every persons figure). One endpoint per action: link, keep apart, split.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from akt.jobs.services import job_start
from akt.linkage import selectors, services
from akt.linkage.batch import JOB_KIND
from akt.linkage.forms import DecisionForm, SplitForm
from akt.linkage.models import PersonMerge, ReviewPair
from akt.web import submit_form

PAGE_SIZE = 25

M = TypeVar("M", bound=Model)


def _require_resolver(request: HttpRequest) -> None:
    if not services.may_resolve_identities(request.user):
        raise PermissionDenied


def _get_for_resolver(request: HttpRequest, model: type[M], pk: int) -> M:
    """The record, for a viewer who may resolve identities: 403 for anyone else, then 404."""
    _require_resolver(request)
    return get_object_or_404(model, pk=pk)


def _pair_context(pair: ReviewPair) -> dict[str, object]:
    """What the pair page shows: both records, their activities, the evidence, the queue."""
    pair = selectors.review_pair_for_page(pair.pk)
    language = get_language()
    attended = selectors.attendances_of([pair.person_a, pair.person_b])
    return {
        "pair": pair,
        "records": [
            (pair.person_a, attended.get(pair.person_a.pk, [])),
            (pair.person_b, attended.get(pair.person_b.pk, [])),
        ],
        "evidence": selectors.evidence_rows(pair.evidence, language),
        "probability": selectors.probability_shown(pair.probability, language),
        "match_weight": selectors.weight_shown(pair.match_weight, language),
        "counts": selectors.review_counts(),
    }


def _next_in_queue(pair: ReviewPair) -> str:
    following = selectors.next_pending_pair(after=pair)
    if following is None:
        return reverse("linkage:review_list")
    return reverse("linkage:review_pair", args=[following.pk])


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """The queue, and how the model does on the decisions already taken in it."""
    _require_resolver(request)
    page = Paginator(selectors.review_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language()
    rows = [(pair, selectors.probability_shown(pair.probability, language)) for pair in page]
    return render(
        request,
        "linkage/review_list.html",
        {
            "page": page,
            "rows": rows,
            "counts": selectors.review_counts(),
            "accuracy": selectors.accuracy_shown(selectors.labelled_accuracy(), language),
        },
    )


@login_required
@require_GET
def review_pair(request: HttpRequest, pk: int) -> HttpResponse:
    pair = _get_for_resolver(request, ReviewPair, pk)
    return render(
        request, "linkage/review_pair.html", {"form": DecisionForm(), **_pair_context(pair)}
    )


def _decide(request: HttpRequest, pk: int, decision: str, saved_message: str) -> HttpResponse:
    pair = _get_for_resolver(request, ReviewPair, pk)
    return submit_form(
        request,
        DecisionForm(request.POST),
        lambda data: services.review_decide(
            actor=request.user, pair=pair, decision=decision, reason=data["reason"]
        ),
        saved_message=saved_message,
        success_url=_next_in_queue,
        template="linkage/review_pair.html",
        context=_pair_context(pair),
    )


@login_required
@require_POST
def review_link(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.Decision.LINK, _("The two records are now one person."))


@login_required
@require_POST
def review_keep_apart(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request, pk, services.Decision.KEEP_APART, _("The two records stay different people.")
    )


@login_required
@require_GET
def merge_list(request: HttpRequest) -> HttpResponse:
    _require_resolver(request)
    page = Paginator(selectors.merge_history(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "linkage/merge_list.html",
        {"page": page, "rows": selectors.merge_rows(page.object_list)},
    )


@login_required
def merge_split(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for the reason; POST splits the merge (or shows why it cannot be split)."""
    merge = _get_for_resolver(request, PersonMerge, pk)
    form = SplitForm(request.POST if request.method == "POST" else None)
    return submit_form(
        request,
        form,
        lambda data: services.person_split(actor=request.user, merge=merge, reason=data["reason"]),
        saved_message=_("The merge was split; the records are separate people again."),
        success_url=lambda _merge: reverse("linkage:merge_list"),
        template="linkage/merge_split.html",
        context={"merge": merge, "row": selectors.merge_rows([merge])[0]},
    )


@login_required
@require_POST
def registry_link_start(request: HttpRequest) -> HttpResponse:
    """Queues the batch re-resolution of the registry and opens its progress page."""
    _require_resolver(request)
    job = job_start(actor=request.user, kind=JOB_KIND)
    return redirect("jobs:detail", pk=job.pk)
