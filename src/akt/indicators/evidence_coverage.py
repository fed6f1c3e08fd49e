"""How many of the records an indicator counts have their evidence on file: the data quality
section of its reference sheet (a data quality assessment asks to see the documents).

For an indicator counted from activities or attendance: the activities counted over the life of
project with a signed sign-in sheet attached; from grants: the grants with their agreement; from
plans: the plans with the adopted document; from projects: the projects with a photo. An
entered indicator names its source document on every value instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from akt.activities.models import Activity
from akt.capacity.models import CapacityDevelopmentPlan
from akt.counting import engine
from akt.evidence.models import Attachment, EvidenceKind
from akt.grants.models import Grant
from akt.indicators.models import Indicator
from akt.indicators.selectors import results_compute
from akt.infrastructure.models import InfrastructureProject

EXPECTED: dict[engine.Source, tuple[type[Model], str]] = {
    engine.Source.ACTIVITIES: (Activity, EvidenceKind.SIGN_IN_SHEET),
    engine.Source.ATTENDANCE: (Activity, EvidenceKind.SIGN_IN_SHEET),
    engine.Source.GRANTS: (Grant, EvidenceKind.AGREEMENT),
    engine.Source.PLANS: (CapacityDevelopmentPlan, EvidenceKind.PLAN_DOCUMENT),
    engine.Source.PROJECTS: (InfrastructureProject, EvidenceKind.PHOTO),
}


@dataclass(frozen=True)
class EvidenceCoverage:
    kind: str  # the evidence kind looked for (EvidenceKind value)
    model: type[Model]
    records: int  # records counted over the window
    with_evidence: int
    missing: tuple[int, ...]  # ids of the first records without it (for a list of links)

    @property
    def percent(self) -> int | None:
        return round(100 * self.with_evidence / self.records) if self.records else None

    @property
    def kind_label(self) -> str:
        return str(EvidenceKind(self.kind).label)


def evidence_coverage(
    indicator: Indicator, window: engine.Window, *, listed: int = 10
) -> EvidenceCoverage | None:
    """The coverage of ``indicator``'s counted records by their evidence in ``window``; None
    for an entered indicator."""
    source = engine.Source(indicator.source)
    if source not in EXPECTED:
        return None
    model, kind = EXPECTED[source]
    value = results_compute(window=window, indicators=[indicator])[0]
    result = value.behind()
    ids = result.activity_ids if model is Activity else result.record_ids
    filed = set(
        Attachment.objects.kept()
        .filter(
            target_type=ContentType.objects.get_for_model(model),
            target_id__in=list(ids),
            kind=kind,
        )
        .values_list("target_id", flat=True)
    )
    missing = tuple(sorted(set(ids) - filed)[:listed])
    return EvidenceCoverage(kind, model, len(ids), len(filed & set(ids)), missing)
