"""Fixtures of the capacity tests: the capacity areas, and assessments recorded through the
service as a person would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import pytest

from akt.accounts.models import User
from akt.capacity import services
from akt.capacity.models import CapacityArea, CapacityAssessment
from akt.places.models import Municipality

AREA_CODES = ("human-resources", "finance", "service-delivery", "community-rights", "transparency")


@pytest.fixture
def areas(reference: None) -> dict[str, CapacityArea]:
    """The five areas by code. The migration loads them; loading again is harmless and covers
    a database a transactional test emptied."""
    services.capacity_areas_load()
    return {area.code: area for area in CapacityArea.objects.all()}


Record = Callable[..., CapacityAssessment]


@pytest.fixture
def record(areas: dict[str, CapacityArea], personas: dict[str, User]) -> Record:
    """``record(municipality, day, {code: score, ...})``: an assessment recorded by the M&E
    officer, every area not named scored 3."""

    def make(
        municipality: Municipality,
        day: dt.date,
        scores: Mapping[str, int] | None = None,
        **extra: object,
    ) -> CapacityAssessment:
        given = {code: 3 for code in areas} | dict(scores or {})
        return services.assessment_record(
            actor=personas["me"],
            municipality=municipality,
            assessed_on=day,
            assessed_by="AKT capacity team",
            scores=given,
            evidence={code: f"Evidence for {code}" for code in given},
            **extra,  # type: ignore[arg-type]
        )

    return make
