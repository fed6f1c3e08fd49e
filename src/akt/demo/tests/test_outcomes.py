"""The demo's entered outcomes: property tax billed and collected by the 16 partner
municipalities, 2012 to 2017, rising after the training where finance officers were trained."""

from __future__ import annotations

import datetime as dt

import pytest

from akt.activities.models import ActivityKind
from akt.demo.outcomes import outcomes_populate
from akt.indicators.models import OutcomeValue
from akt.reports.property_tax import property_tax_follow_up, trained_municipalities
from akt.reports.selectors import municipalities_by_id
from akt.testing.factories import ActivityFactory, AttendanceFactory, PersonFactory, municipality
from akt.testing.factories import topic as topic_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def gjilan_trained(reference: None) -> None:
    """Gjilan's finance officers trained in 2015; no other municipality's."""
    training = ActivityFactory(
        kind=ActivityKind.TRAINING, start_date=dt.date(2015, 4, 2), end_date=dt.date(2015, 4, 2)
    )
    training.topics.add(topic_of("property-tax"))
    for _repeat in range(2):
        AttendanceFactory(
            activity=training,
            person=PersonFactory(municipality=municipality("gjilan")),
            affiliation="finance_officer",
        )


def documents() -> dict[tuple[str, str], str]:
    return {
        (value.municipality.code, value.period_key): value.source_document
        for value in OutcomeValue.objects.select_related("municipality")
    }


def test_the_partners_property_tax_from_2012_to_2017(gjilan_trained: None) -> None:
    counts = outcomes_populate(seed=7)
    values = list(OutcomeValue.objects.all())
    assert counts["outcome_values"] == len(values) and counts["outcome_municipalities"] == 16
    assert counts["outcome_municipalities_trained"] == 1
    assert {value.period_key for value in values} == {f"cy{year}" for year in range(2012, 2018)}
    assert all(value.entered_by is None and value.source_document for value in values)
    assert len(values) < 16 * 6 * 2  # a year missing here and there
    found = documents()
    for code, start in (
        ("gjilan", "Komuna e Gjilanit, Raporti vjetor financiar 20"),
        ("gracanice", "Opština Gračanica, Godišnji finansijski izveštaj za 20"),
        ("zvecan", "Општина Звечан, Годишњи финансијски извештај за 20"),  # the north: Cyrillic
    ):
        texts = [text for (place, _key), text in found.items() if place == code]
        assert texts and all(text.startswith(start) for text in texts), code

    by_place = {item.municipality.code: item for item in property_tax_follow_up(
        None, municipalities_by_id())}  # fmt: skip
    assert set(by_place) == {"gjilan"}
    gjilan = by_place["gjilan"]
    assert gjilan.trained_in == 2015
    assert gjilan.before is not None and gjilan.after is not None
    assert gjilan.after - gjilan.before > 8  # a visible rise after the training year
    for year in gjilan.years:
        if year.rate is not None:
            assert 20 < year.rate < 95


def test_the_same_seed_gives_the_same_values_and_a_rerun_replaces_them(
    gjilan_trained: None,
) -> None:
    outcomes_populate(seed=3)
    first = {(v.indicator_id, v.municipality_id, v.period_key): v.value for v in
             OutcomeValue.objects.all()}  # fmt: skip
    outcomes_populate(seed=3)
    again = {(v.indicator_id, v.municipality_id, v.period_key): v.value for v in
             OutcomeValue.objects.all()}  # fmt: skip
    assert first == again
    assert OutcomeValue.objects.count() == len(first)
    assert trained_municipalities(None).keys() == {municipality("gjilan").pk}
