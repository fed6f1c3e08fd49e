"""Re-resolving the whole registry: the batch behind ``akt link`` and the review page's button.

Every person record is scored against the others with the versioned model
(:func:`akt.linkage.pipeline.resolve`). Clusters above the upper threshold are merged (source
"batch", audited, reversible like any merge); pairs between the thresholds go to the review queue
with their evidence. What people decided stays decided: a pair kept apart is never merged by the
batch, a pair already decided is never proposed again, and the batch only adds merges, it never
splits one that a person or an earlier run made.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pyarrow.compute as pc
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.jobs.models import Job
from akt.jobs.services import job_kind
from akt.linkage import context, pipeline
from akt.linkage.models import MergeSource, ReviewPair, ReviewStatus
from akt.linkage.services import person_merge, require_identity_resolver, review_pair_propose
from akt.people.models import Person

JOB_KIND = "linkage.registry"

REGISTRY_UPPER = 0.99
"""Match probability above which the registry batch merges without asking anyone (and a
roster row is taken as the registered person at import).

Far higher than the model's own threshold (tuned for whole-file resolution, where a missed link
and a false one cost the same): in the registry a false merge silently lowers a reported
figure, while a pair sent to review costs an officer a click, so at most about one automatic
merge in a hundred may be wrong. The model's probabilities are calibrated on labelled pairs
(an exact name weighed by its own frequency, see
:func:`akt.linkage.pipeline.with_exact_name_frequencies`); at 0.9 a brother and a sister of
one family, born the same year with names one letter apart, were merged. Between
:data:`REGISTRY_LOWER` and this, pairs go to the review queue."""
REGISTRY_LOWER = 0.05
"""Match probability (with the context evidence) from which a pair of registry records, or a
roster row and a registered person, is a question for the review queue; below it the two are
different people without a question (issue 10: matching never blocks, and the officer is not
drowned). Far above the model's own lower threshold, which serves whole-file resolution where
nothing is asked of anyone: a pair below one in twenty, once the program's return rate and the
shared context are counted, costs an officer a decision for a link found less than once in
twenty asks."""
STEPS = ("read", "prepare", "predict", "cluster", "merge", "review")

Report = Callable[..., None]


def registry_records(*, after: int = 0) -> list[dict[str, str]]:
    """Every person record in the pipeline's standard columns (``after``: only those with a
    higher id, the records added since an earlier read).

    A registry record may sit on several rosters, so no ``activity_id`` is given here: the
    one-roster rule is enforced by :func:`person_merge` itself, which refuses such a merge.
    """
    rows = Person.objects.filter(pk__gt=after).values_list(
        "pk", "given_name", "family_name", "birth_date", "birth_year", "sex", "municipality__code"
    )
    return [
        {
            "record_id": str(pk),
            "given_name": given,
            "family_name": family,
            "birth_date": born.isoformat() if born else (str(year) if year else ""),
            "sex": sex or "",
            "municipality": municipality or "",
            "activity_id": "",
        }
        for pk, given, family, born, year, sex, municipality in rows.iterator(chunk_size=10000)
    ]


def model_version(model: dict[str, Any] | None = None) -> str:
    """A short fingerprint of the model, stored with each proposed pair."""
    text = pipeline.MODEL_PATH.read_bytes() if model is None else repr(sorted(model.items()))
    return hashlib.sha256(text if isinstance(text, bytes) else text.encode()).hexdigest()[:12]


def _kept_apart() -> set[frozenset[int]]:
    pairs = ReviewPair.objects.filter(status=ReviewStatus.KEPT_APART).values_list(
        "person_a__identity_id", "person_a_id", "person_b__identity_id", "person_b_id"
    )
    return {frozenset({a_identity or a, b_identity or b}) for a_identity, a, b_identity, b in pairs}


class RegistryEvidence:
    """The context evidence of :mod:`akt.linkage.context` for the registry's scored pairs.

    Every pair gets the returning prior (the same as a roster row matched at import: the
    batch reaches the verdict the import would have) and the bits of the strongest context the
    two records' persons share; what each pair got is kept for the review queue's evidence.
    """

    def __init__(self, records: int) -> None:
        self.registry = context.RegistryContext()
        self.model = self.registry.model()
        splink = pipeline._splink_model(pipeline.load_model(), records)
        self.prior_bits = self.model.prior_bits(splink["probability_two_random_records_match"])
        self.max_bits = self.prior_bits + context.MAX_CONTEXT_BITS
        self.levels: dict[frozenset[int], tuple[str | None, float, float, float]] = {}

    def __call__(self, pairs: Any) -> list[float]:
        registry, profiles = self.registry, {}

        def profile(record: int) -> context.Profile:
            person = registry.canonical.get(record, record)
            if person not in profiles:
                profiles[person] = registry.person_profile(person)
            return profiles[person]

        bits = []
        for left, right in zip(
            pairs["record_id_l"].to_pylist(), pairs["record_id_r"].to_pylist(), strict=True
        ):
            a, b = int(left), int(right)
            level = context.context_level(
                profile(a),
                profile(b),
                (registry.name_key.get(a, ""), registry.name_key.get(b, "")),
            )
            alike = context.applies(registry.birth_year.get(a), registry.birth_year.get(b))
            weight = self.model.bits(level) if alike else 0.0
            against = registry.name_commonness(*registry.name_parts.get(a, ("", "")))
            prior = self.prior_bits if alike else 0.0
            self.levels[frozenset((a, b))] = (level if alike else None, weight, prior, against)
            bits.append(
                context.registry_bits(
                    alike=alike, context_bits=weight, prior_bits=self.prior_bits, commonness=against
                )
            )
        return bits

    def rows(self, a: int, b: int) -> list[dict[str, Any]]:
        """The pair's registry terms as evidence rows for the review queue."""
        level, weight, prior, against = self.levels.get(frozenset((a, b)), (None, 0.0, 0.0, 0.0))
        return context.evidence_rows(level, weight, prior, against)


def registry_link(*, actor: User | None, progress: Report | None = None) -> dict[str, int]:
    """Re-resolves every person record; returns what it did, for the job page and the command.

    ``actor`` None is the system resolving its own records with nobody signed in (the demo
    data generation); its merges are recorded without a person, as batch merges.
    """
    if actor is not None:
        require_identity_resolver(actor)
    report = progress or (lambda *args, **kwargs: None)

    def step(name: str) -> None:
        if name in STEPS:
            report(STEPS.index(name), len(STEPS), stage=name)

    step("read")
    records = registry_records()
    evidence = RegistryEvidence(len(records))
    resolution = pipeline.resolve(
        records,
        upper=REGISTRY_UPPER,
        lower=REGISTRY_LOWER,
        progress=step,
        evidence=evidence,
        evidence_max_bits=evidence.max_bits,
    )

    step("merge")
    identity = dict(Person.objects.values_list("pk", "identity_id"))
    kept_apart = _kept_apart()
    members: dict[str, list[int]] = defaultdict(list)
    for record_id, cluster in resolution.clusters.items():
        members[cluster].append(int(record_id))
    # A merge records the weakest link that joined its cluster: if a person later splits it,
    # that probability is where the model was wrong (a labelled pair, see selectors).
    weakest: dict[str, float] = {}
    linked = resolution.pairs.filter(pc.equal(resolution.pairs["decision"], "link"))
    for record_id, probability in zip(
        linked["record_id_l"].to_pylist(), linked["match_probability"].to_pylist(), strict=True
    ):
        cluster = resolution.clusters[record_id]
        weakest[cluster] = min(probability, weakest.get(cluster, 1.0))
    merges = refused = 0
    for cluster, records_of_cluster in members.items():
        persons = sorted({identity[pk] or pk for pk in records_of_cluster})
        if len(persons) < 2:
            continue
        survivor, others = (
            persons[0],
            [pk for pk in persons[1:] if frozenset({persons[0], pk}) not in kept_apart],
        )
        if not others:
            continue
        try:
            person_merge(
                actor=actor,
                survivor=Person(pk=survivor),
                others=[Person(pk=pk) for pk in others],
                reason=_("Batch linkage of the registry."),
                source=MergeSource.BATCH,
                probability=weakest.get(cluster),
            )
        except ValidationError:
            refused += 1  # the same roster, or already one person: left as they are
        else:
            merges += 1

    step("review")
    identity = dict(Person.objects.values_list("pk", "identity_id"))
    version = model_version()
    proposed = 0
    for pair in resolution.review_pairs:
        a, b = int(pair.record_id_l), int(pair.record_id_r)
        if (identity[a] or a) == (identity[b] or b):
            continue
        review_pair_propose(
            a=Person.objects.get(pk=a),
            b=Person.objects.get(pk=b),
            probability=pair.match_probability,
            match_weight=pair.match_weight,
            evidence=[
                {"field": item.comparison, "level": item.code, "weight": item.match_weight}
                for item in pair.comparisons
            ]
            + evidence.rows(a, b),
            model_version=version,
        )
        proposed += 1
    report(len(STEPS), len(STEPS), stage="done")
    return {
        "records": len(records),
        "persons": Person.objects.canonical().count(),
        "merges": merges,
        "merges_refused": refused,
        "pairs_for_review": proposed,
    }


@job_kind(JOB_KIND)
def registry_link_job(job: Job, progress: Report) -> dict[str, int]:
    return registry_link(actor=job.created_by, progress=progress)
