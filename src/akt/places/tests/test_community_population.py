"""The community populations shipped with the system: what is loaded, and what is refused."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from akt.places.models import CommunityPopulation, Municipality, PopulationSource
from akt.places.services import (
    POPULATION_COLUMNS,
    ReferenceDataError,
    community_populations_load,
)
from akt.testing.factories import community, municipality

pytestmark = pytest.mark.django_db

HEADER = ",".join(POPULATION_COLUMNS)
GOOD = "gracanice,albanian,2474,0.0944,,census,2011,ECMI,"


def figures() -> dict[tuple[str, str, int], CommunityPopulation]:
    return {
        (f.municipality.code, f.community.code, f.reference_year): f
        for f in CommunityPopulation.objects.select_related("municipality", "community")
    }


def test_shipped_figures_are_those_domain_md_gives(reference: None) -> None:
    loaded = figures()
    gracanica = loaded[("gracanice", "albanian", 2011)]
    assert (gracanica.population, gracanica.share) == (2474, Decimal("0.0944"))
    assert gracanica.source == PopulationSource.CENSUS
    assert loaded[("peje", "bosniak", 2011)].share == Decimal("0.0389")
    zvecan = loaded[("zvecan", "albanian", 2013)]
    assert (zvecan.source, zvecan.population) == (PopulationSource.OSCE_ESTIMATE, 350)
    # North Mitrovica: OSCE 2018 counts; shares over the OSCE total of about 29,460.
    north = {c: f for (m, c, y), f in loaded.items() if m == "mitrovice-e-veriut"}
    assert set(north) == {"serb", "albanian", "bosniak", "gorani", "turkish", "roma", "ashkali"}
    assert sum(f.population for f in north.values()) == 29460
    assert north["serb"].share == Decimal("0.76477")
    assert all(f.reference_year == 2018 for f in north.values())
    # Nothing is invented: no figure for municipalities the sources give none for, nor for the
    # majority community of the southern Serb-majority municipalities.
    places_with_figures = {m for m, _c, _y in loaded}
    assert places_with_figures.isdisjoint({"gjilan", "kline", "obiliq", "vushtrri", "partesh"})
    assert ("gracanice", "serb", 2011) not in loaded
    assert len(loaded) == 18
    assert all(f.municipality.is_partner for f in loaded.values())


def test_loading_again_changes_nothing(reference: None) -> None:
    before = {key: (f.pk, f.population, f.share) for key, f in figures().items()}
    assert community_populations_load() == 18
    call_command("load_reference", stdout=io.StringIO())
    assert {key: (f.pk, f.population, f.share) for key, f in figures().items()} == before


def test_a_corrected_figure_replaces_the_old_one(reference: None) -> None:
    community_populations_load(f"{HEADER}\ngracanice,albanian,2500,0.095,,census,2011,ECMI,\n")
    gracanica = figures()[("gracanice", "albanian", 2011)]
    assert (gracanica.population, gracanica.share) == (2500, Decimal("0.095"))
    assert CommunityPopulation.objects.count() == 18


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("gracanica,albanian,2474,0.0944,,census,2011,,", "unknown municipality code “gracanica”"),
        ("gracanice,albanians,2474,0.0944,,census,2011,,", "unknown community code"),
        ("gracanice,prefer-not-to-say,10,,,census,2011,,", "is not a community"),
        ("gracanice,albanian,2474,9.44,,census,2011,,", "share must be a number between 0 and 1"),
        ("gracanice,albanian,2474,-0.1,,census,2011,,", "share must be a number between 0 and 1"),
        ("gracanice,albanian,2474,abc,,census,2011,,", "share must be a number between 0 and 1"),
        ("gracanice,albanian,2474,0.094412,,census,2011,,", "more than five decimals"),
        ("gracanice,albanian,,,,census,2011,,", "give the population, its share, or both"),
        ("gracanice,albanian,2 474,,,census,2011,,", "population must be a whole number"),
        ("gracanice,albanian,2,474,0.0944,,census,2011,,,,", "more values than there are columns"),
        ("gracanice,albanian,2474,,2000,census,2011,,", "must be at least the population"),
        ("gracanice,albanian,2474,0.09,26000,census,2011,,", "not both"),
        ("gracanice,albanian,2474,0.0944,,guess,2011,,", "source must be one of"),
        ("gracanice,albanian,2474,0.0944,,census,11,,", "reference_year must be a year"),
        ("gracanice,albanian,2474,0.0944,,census,,,", "reference_year must be a year"),
    ],
)
def test_a_bad_row_is_refused_with_its_line_and_nothing_is_stored(
    reference: None, line: str, message: str
) -> None:
    CommunityPopulation.objects.all().delete()
    text = f"{HEADER}\n{GOOD.replace('2011', '2013')}\n{line}\n"
    with pytest.raises(ReferenceDataError) as raised:
        community_populations_load(text)
    assert str(raised.value).startswith("community_populations.csv, line 3: ")
    assert message in str(raised.value)
    assert not CommunityPopulation.objects.exists()  # the good line 2 was not kept either


def test_the_same_figure_twice_is_refused(reference: None) -> None:
    with pytest.raises(ReferenceDataError, match="line 3: .* already given on line 2"):
        community_populations_load(f"{HEADER}\n{GOOD}\n{GOOD}\n")


def test_shares_adding_up_past_the_whole_population_are_refused(reference: None) -> None:
    text = f"{HEADER}\n{GOOD}\ngracanice,serb,,0.95,,census,2011,,\n"
    with pytest.raises(ReferenceDataError, match="line 3: the shares of gracanice in 2011"):
        community_populations_load(text)


def test_a_missing_column_is_named(reference: None) -> None:
    with pytest.raises(ReferenceDataError, match="line 1: missing columns: of_total"):
        community_populations_load(HEADER.replace(",of_total", "") + "\n")


def test_load_reference_stops_with_the_message(reference: None, monkeypatch) -> None:
    def broken() -> int:
        raise ReferenceDataError("community_populations.csv, line 4: unknown community code.")

    monkeypatch.setattr(
        "akt.indicators.management.commands.load_reference.community_populations_load", broken
    )
    with pytest.raises(CommandError, match="line 4: unknown community code"):
        call_command("load_reference", stdout=io.StringIO())


def test_the_database_holds_the_invariants(reference: None) -> None:
    place, albanian = municipality("gjilan"), community("albanian")
    base = {"municipality": place, "community": albanian, "source": "census"}
    for bad in (
        {"share": Decimal("1.2"), "reference_year": 2011},
        {"reference_year": 2011},  # neither a population nor a share
        {"population": 10, "reference_year": 1200},
    ):
        with pytest.raises(ValidationError):
            CommunityPopulation(**base, **bad).full_clean()
        with transaction.atomic(), pytest.raises(IntegrityError):
            CommunityPopulation.objects.create(**base, **bad)
    CommunityPopulation.objects.create(**base, population=10, reference_year=2011)
    with transaction.atomic(), pytest.raises(IntegrityError):
        CommunityPopulation.objects.create(**base, share=Decimal("0.5"), reference_year=2011)


def test_figures_can_be_narrowed_to_a_scope(reference: None) -> None:
    zvecan = Municipality.objects.get(code="zvecan")
    narrowed = CommunityPopulation.objects.for_municipalities(frozenset({zvecan.pk}))
    assert [f.community.code for f in narrowed] == ["albanian"]
    assert CommunityPopulation.objects.for_municipalities(None).count() == 18
