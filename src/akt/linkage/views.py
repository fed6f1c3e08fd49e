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
from akt.linkage import clusters, selectors, services
from akt.linkage.batch import JOB_KIND
from akt.linkage.forms import ClusterDecisionForm, DecisionForm, SplitForm
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
    """The queue as clusters, most consequential first, and how the model does on the
    decisions already taken in it."""
    _require_resolver(request)
    page = Paginator(clusters.review_clusters(), PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language()
    rows = [
        (
            cluster,
            selectors.probability_shown(cluster.strongest, language),
            selectors.probability_shown(cluster.weakest, language),
        )
        for cluster in page
    ]
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


def _cluster_context(cluster: clusters.Cluster) -> dict[str, object]:
    """What the cluster page shows: every record with its activities, and each pair."""
    language = get_language()
    records = selectors.persons_for_page([person.pk for person in cluster.records])
    attended = selectors.attendances_of(records)
    return {
        "cluster": cluster,
        "records": [(person, attended.get(person.pk, [])) for person in records],
        "pairs": [
            (pair, selectors.probability_shown(pair.probability, language))
            for pair in cluster.pairs
        ],
        "pair_ids": ",".join(str(pair.pk) for pair in cluster.pairs),
        "counts": selectors.review_counts(),
    }


@login_required
@require_GET
def review_cluster(request: HttpRequest, pk: int) -> HttpResponse:
    """A cluster of pending pairs side by side, to link or keep apart at once."""
    pair = _get_for_resolver(request, ReviewPair, pk)
    if not pair.is_pending:
        return redirect("linkage:review_pair", pk=pair.pk)
    cluster = clusters.review_cluster(pair.pk)
    if cluster.key != pair.pk:
        return redirect("linkage:review_cluster", pk=cluster.key)
    context = _cluster_context(cluster)
    form = ClusterDecisionForm(initial={"pairs": context["pair_ids"]})
    return render(request, "linkage/review_cluster.html", {"form": form, **context})


def _decide_cluster(
    request: HttpRequest, pk: int, decision: str, saved_message: str
) -> HttpResponse:
    pair = _get_for_resolver(request, ReviewPair, pk)
    if not pair.is_pending:
        return redirect("linkage:review_pair", pk=pair.pk)
    cluster = clusters.review_cluster(pair.pk)
    return submit_form(
        request,
        ClusterDecisionForm(request.POST),
        lambda data: clusters.review_cluster_decide(
            actor=request.user,
            key=pk,
            decision=decision,
            pairs=data["pairs"],
            reason=data["reason"],
        ),
        saved_message=saved_message,
        success_url=lambda _cluster: reverse("linkage:review_list"),
        template="linkage/review_cluster.html",
        context=_cluster_context(cluster),
    )


@login_required
@require_POST
def review_cluster_link(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_cluster(
        request, pk, services.Decision.LINK, _("The records of the group are now one person.")
    )


@login_required
@require_POST
def review_cluster_keep_apart(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_cluster(
        request,
        pk,
        services.Decision.KEEP_APART,
        _("The records of the group stay different people."),
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
