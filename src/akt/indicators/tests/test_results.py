"""The results as users read them: ``akt results`` and the results service over real records."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from akt.counting import engine
from akt.indicators.models import Indicator
from akt.indicators.selectors import results_compute
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    GrantFactory,
    PersonFactory,
    TallyFactory,
    community,
    municipality,
    topic,
)

pytestmark = pytest.mark.django_db


def results_json(*args: str) -> dict[str, dict]:
    out = io.StringIO()
    call_command("results", "--format", "json", *args, stdout=out)
    return {item["code"]: item for item in json.loads(out.getvalue())}


def results_text(*args: str) -> str:
    out = io.StringIO()
    call_command("results", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def debates(reference: None) -> dict[str, object]:
    """Two debates on the language law in Gjilan (FY2015 and FY2016) and one in Zvečan."""
    law = topic("law-on-use-of-languages")
    first = ActivityFactory(start_date=dt.date(2015, 3, 10))
    second = ActivityFactory(start_date=dt.date(2016, 2, 2))
    zvecan = ActivityFactory(start_date=dt.date(2016, 5, 5), municipality=municipality("zvecan"))
    for activity in (first, second, zvecan):
        activity.topics.add(law)
    jovan = PersonFactory(
        given_name="Јован", family_name="Петровић", sex="male", community=community("serb")
    )
    arber = PersonFactory(
        given_name="Arbër", family_name="Gashi", sex="male", community=community("albanian")
    )
    for activity in (first, second):
        AttendanceFactory(activity=activity, person=jovan)
    AttendanceFactory(activity=first, person=arber)
    AttendanceFactory(
        activity=zvecan, person=PersonFactory(sex="", municipality=municipality("zvecan"))
    )
    TallyFactory(activity=second, sex="female", community=community("roma"), headcount=7)
    return {"first": first, "second": second, "zvecan": zvecan}


def test_json_values_come_from_the_records(debates: dict) -> None:
    results = results_json()
    assert results["lul-debates"]["value"] == 3
    # 3 roster rows in Gjilan, 1 in Zvečan, 7 by headcount.
    participants = results["lul-debate-participants"]
    assert participants["value"] == 11
    assert participants["unit"] == "attendances"
    assert participants["disaggregations"]["sex"] == {"female": 7, "male": 3, "unknown": 1}
    assert sum(participants["disaggregations"]["community"].values()) == 11
    assert participants["disaggregations"]["municipality"] == {
        "gjilan": 10,
        "zvecan": 1,
        "unknown": 0,
    }


def test_a_cross_tabulation_is_written_with_joined_keys(debates: dict) -> None:
    indicator = Indicator.objects.get(code="lul-debate-participants")
    indicator.disaggregations = [*indicator.disaggregations, ["sex", "community"]]
    indicator.save()

    crossed = results_json()["lul-debate-participants"]["disaggregations"]["sex×community"]

    assert crossed["female×roma"] == 7
    assert crossed["male×serb"] == 2 and crossed["male×albanian"] == 1
    assert sum(crossed.values()) == 11


def test_figures_change_when_records_change(debates: dict) -> None:
    before = results_json()["lul-debates"]["value"]
    debates["zvecan"].delete()
    after = results_json()
    assert after["lul-debates"]["value"] == before - 1
    assert after["lul-debate-participants"]["value"] == 10


def test_fiscal_year_and_municipality_narrow_the_window(debates: dict) -> None:
    fy2015 = results_json("--fy", "2015")
    assert fy2015["lul-debates"]["value"] == 1
    assert fy2015["lul-debates"]["window"] == {
        "label": "FY2015",
        "start": "2014-10-01",
        "end": "2015-09-30",
    }
    zvecan = results_json("--municipality", "Звечан")
    assert zvecan["lul-debates"]["value"] == 1
    assert zvecan["lul-debates"]["municipality"] == "zvecan"
    dates = results_json("--from", "2016-01-01", "--to", "2016-03-31")
    assert dates["lul-debates"]["value"] == 1


def test_sentences_in_every_language_carry_the_same_figure(debates: dict) -> None:
    assert "3 public debates organized" in results_text("--lang", "en")
    assert "3 debate publike të organizuara" in results_text("--lang", "sq")
    assert "3 javne debate organizovane" in results_text("--lang", "sr-latn")
    cyrillic = results_text("--lang", "sr")
    assert "3 јавне дебате организоване" in cyrillic
    assert "11 учесника" in cyrillic


def test_the_command_takes_the_webs_language_codes(debates: dict) -> None:
    """One set of codes everywhere: ``sr`` is Serbian in Cyrillic, as the web's ``sr``; the
    codes of the old command line still work, ``sr-cyrl`` for Cyrillic among them."""
    cyrillic = results_text("--lang", "sr")
    assert "3 јавне дебате организоване" in cyrillic
    assert results_text("--lang", "sr-cyrl") == cyrillic
    assert results_text("--lang", "sr_Cyrl") == cyrillic
    latin = results_text("--lang", "sr-latn")
    assert "3 javne debate organizovane" in latin
    assert results_text("--lang", "sr-Latn") == latin
    assert results_text("--lang", "sr_Latn") == latin
    with pytest.raises(CommandError, match="sr-latn"):
        call_command("results", "--lang", "de", stdout=io.StringIO())


def test_the_commands_help_says_what_sr_means() -> None:
    from akt.indicators.management.commands.results import Command

    text = " ".join(Command().create_parser("akt", "results").format_help().split())
    assert "sr-latn (Serbian, Latin script)" in text
    assert "sr (Serbian, Cyrillic script, as on the web; sr-cyrl is accepted too)" in text


def test_the_period_is_dated_as_the_language_writes_dates(reference: None) -> None:
    assert results_text("--fy", "2016").startswith(
        "Results, Oct. 1, 2015 to Sept. 30, 2016, all municipalities:"
    )
    assert results_text("--lang", "sq", "--fy", "2016").startswith(
        "Rezultatet, 1 tetor 2015 – 30 shtator 2016"
    )
    assert results_text("--lang", "sr", "--fy", "2016").startswith(
        "Резултати, 1. октобар 2015. – 30. септембар 2016."
    )


def test_amounts_are_formatted_for_the_reader(reference: None) -> None:
    GrantFactory(amount=Decimal("100000.00"))
    GrantFactory(amount=Decimal("2000.00"))
    assert "$102,000 awarded in business grants" in results_text()
    assert "102.000 US$" in results_text("--lang", "sr-latn").replace("\xa0", " ")


def test_persons_count_once_and_tallies_are_reported_beside(reference: None) -> None:
    person = PersonFactory(sex="female")
    for day in (dt.date(2015, 1, 5), dt.date(2015, 2, 5)):
        service = ActivityFactory(kind="business_service", start_date=day)
        AttendanceFactory(activity=service, person=person)
    TallyFactory(activity=service, sex="female", headcount=4)
    TallyFactory(activity=service, sex="male", headcount=9)
    result = results_json()["women-business-services"]
    assert result["value"] == 1
    assert result["tally_headcount"] == 4
    assert "plus 4 people counted by headcount only" in results_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--municipality", "Atlantis"], "No municipality is called 'Atlantis'"),
        (["--from", "2016-13-01"], "--from must be a date in the form YYYY-MM-DD"),
        (["--from", "2016-05-01", "--to", "2016-01-01"], "--from must not be after --to"),
    ],
)
def test_bad_options_get_a_clear_error(reference: None, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("results", *args, stdout=io.StringIO())


def test_service_scope_keeps_other_municipalities_out(debates: dict) -> None:
    gjilan = engine.Coverage(frozenset({municipality("gjilan").pk}))
    values = {v.indicator.code: v.behind() for v in results_compute(scope=gjilan)}
    assert values["lul-debates"].value == 2
    assert debates["zvecan"].pk not in values["lul-debates"].activity_ids


def test_every_shipped_indicator_builds_an_engine_definition(reference: None) -> None:
    indicators = list(Indicator.objects.all())
    assert len(indicators) == 18  # 16 counted from the records, 2 entered (property tax)
    for indicator in indicators:
        indicator.full_clean()
