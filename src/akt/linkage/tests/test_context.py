"""Context evidence: what a clerk knows about a returning attendee beyond the written name."""

from __future__ import annotations

import datetime as dt

import pytest

from akt.activities.models import ActivityKind
from akt.linkage import context
from akt.linkage.batch import registry_link
from akt.linkage.context import Occasion, Profile, context_level, estimate, returning_prior_bits
from akt.linkage.models import ReviewPair
from akt.people.models import Person
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    PersonFactory,
    component,
    municipality,
)

MODEL_PRIOR = 2.1e-5  # about the versioned model's: two random records of 100,000


def profile(
    *occasions: tuple[int, str, str], companions: set[str] = frozenset(), org=None
) -> Profile:
    found = Profile()
    for activity, series, setting in occasions:
        found.add(Occasion(activity, series, setting), org, companions)
    return found


# -- the levels --------------------------------------------------------------------------------


def test_the_strongest_shared_context_is_the_level() -> None:
    module_1 = profile(
        (1, "gjilan:training:management", "gjilan:municipal"), companions={"a", "b", "c", "me"}
    )
    module_2 = profile(
        (2, "gjilan:training:management", "gjilan:municipal"), companions={"a", "b", "x", "me"}
    )
    hearing = profile((3, "gjilan:hearing", "gjilan:municipal"), companions=frozenset({"q", "me"}))
    elsewhere = profile((4, "peje:hearing", "peje:communication"), companions=frozenset({"z"}))

    assert context_level(module_1, module_2, ("me",)) == "co_attendance"
    assert context_level(module_1, hearing, ("me",)) == "setting"
    assert context_level(module_1, elsewhere, ("me",)) == "none"
    # Organization before series: the same cooperative at two different events.
    with_org = profile((5, "peje:hearing", "peje:communication"), org=7)
    assert context_level(with_org, profile((6, "kline:x", "kline:y"), org=7)) == "organization"
    series_only = profile((8, "gjilan:training:management", "gjilan:municipal"))
    assert context_level(series_only, module_1) == "series"


def test_one_shared_companion_or_the_pair_themselves_is_not_co_attendance() -> None:
    first = profile(
        (1, "s1", "m1"), companions=frozenset({"jovan petrovic", "arben krasniqi", "drita"})
    )
    second = profile(
        (2, "s2", "m2"), companions=frozenset({"jovan petrovic", "arben krasniqi", "other"})
    )
    assert context_level(first, second) == "co_attendance"
    # Jovan and Arben are the pair being compared: they do not count as their own companions.
    assert context_level(first, second, ("jovan petrovic", "arben krasniqi")) == "none"


def test_no_activity_or_a_shared_roster_gives_no_level() -> None:
    attended = profile((1, "s", "m"))
    assert context_level(Profile(), attended) is None
    # Two rows of one roster are two people: the cannot-link rules decide, not the context.
    assert context_level(attended, profile((1, "s", "m"), (2, "s", "m"))) is None


# -- the returning prior ----------------------------------------------------------------------


def test_the_returning_prior_helps_a_small_registry_and_never_a_large_one() -> None:
    small = returning_prior_bits(return_rate=0.6, persons=2850, model_prior=MODEL_PRIOR)
    assert 3 < small < 4  # 0.6 / 2850 against 2.1e-5: a factor of about ten
    assert returning_prior_bits(return_rate=0.6, persons=1_000_000, model_prior=MODEL_PRIOR) == 0
    assert returning_prior_bits(return_rate=0.6, persons=0, model_prior=MODEL_PRIOR) == 0
    # A young registry counts as one of MIN_REGISTRY persons: three persons are not one in six.
    young = returning_prior_bits(return_rate=0.5, persons=3, model_prior=MODEL_PRIOR)
    assert young == returning_prior_bits(
        return_rate=0.5, persons=context.MIN_REGISTRY, model_prior=MODEL_PRIOR
    )
    assert young < 8


def test_the_return_rate_is_shrunk_while_few_rows_are_known() -> None:
    assert context.return_rate(0, 0) == 0.5
    assert context.return_rate(10_000, 2_000) == pytest.approx(8_050 / 10_100)


# -- the estimate -----------------------------------------------------------------------------


def cohort_program() -> dict:
    """Twenty training series of three modules in two municipalities, each with its cohort."""
    occasions, visits, residence, names = {}, {}, {}, {}
    activity = 0
    for series in range(20):
        place = series % 2
        cohort = [series * 10 + member for member in range(10)]
        for _module in range(3):
            activity += 1
            occasions[activity] = (Occasion(activity, f"s{series}", f"m{place}"), cohort)
            for person in cohort:
                visits.setdefault(person, []).append(activity)
                residence[person] = place
                names[person] = f"name {person}"
    return {"occasions": occasions, "visits": visits, "residence": residence, "names": names}


def test_m_and_u_are_estimated_from_the_registry_own_returns() -> None:
    data = cohort_program()

    def occasion_profile(person: int, activities) -> Profile:
        found = Profile()
        for activity in activities:
            occasion, cohort = data["occasions"][activity]
            found.add(occasion, None, {data["names"][member] for member in cohort})
        return found

    model = estimate(
        visits=data["visits"],
        profile_of={
            person: occasion_profile(person, acts) for person, acts in data["visits"].items()
        },
        occasion_profile=occasion_profile,
        residence=data["residence"],
        name_key=data["names"],
        attendances=600,
        persons=200,
    )
    # Every return is with the cohort; a neighbour shares at most the municipality.
    assert model.m["co_attendance"] > 0.9 and model.u["co_attendance"] < 0.05
    assert model.bits("co_attendance") == context.MAX_CONTEXT_BITS
    assert model.bits("setting") == 0  # more common among neighbours than returns: not applied
    assert model.bits(None) == 0


def test_too_few_returns_estimate_nothing() -> None:
    model = estimate(
        visits={1: [1], 2: [2]},
        profile_of={1: profile((1, "s", "m")), 2: profile((2, "s", "m"))},
        occasion_profile=lambda person, acts: profile(*((a, "s", "m") for a in acts)),
        residence={1: 1, 2: 1},
        name_key={},
        attendances=2,
        persons=2,
    )
    assert model.bits("co_attendance") == model.bits("series") == 0


# -- in the registry --------------------------------------------------------------------------

pytest_db = pytest.mark.django_db


def training_series(place: str, modules: int = 3) -> list:
    activities = [
        ActivityFactory(
            kind=ActivityKind.TRAINING,
            component=component("municipal"),
            municipality=municipality(place),
            start_date=dt.date(2015, 3, 2) + dt.timedelta(days=14 * index),
            end_date=dt.date(2015, 3, 2) + dt.timedelta(days=14 * index),
        )
        for index in range(modules)
    ]
    return activities


def colleagues(place: str, activities: list, count: int = 6, cohort: str = "") -> None:
    """A cohort who attended every module, registered once each (the import matched them)."""
    for index in range(count):
        person = PersonFactory(
            given_name=f"Kolegi{cohort}{index}",
            family_name=f"Zyrtari{cohort}{index}",
            birth_year=1970 + index,
            municipality=municipality(place),
        )
        for activity in activities:
            AttendanceFactory(activity=activity, person=person)


@pytest_db
def test_an_exact_repeat_of_a_written_identity_in_one_municipality_links(
    personas: dict,
) -> None:
    """Besnik Hoxha, M, 1978, Gjilan on the first and third modules, registered twice: the
    model alone scores the pair below the batch's threshold; the cohort they share links it."""
    modules = training_series("gjilan")
    colleagues("gjilan", modules)
    first, again = (
        PersonFactory(
            given_name="Besnik",
            family_name="Hoxha",
            sex="male",
            birth_date=None,
            birth_year=1978,
            municipality=municipality("gjilan"),
        )
        for _ in range(2)
    )
    AttendanceFactory(activity=modules[0], person=first)
    AttendanceFactory(activity=modules[2], person=again)

    summary = registry_link(actor=personas["me"])

    again.refresh_from_db()
    assert again.identity_id == first.pk, summary


@pytest_db
def test_namesakes_in_two_municipalities_with_different_years_stay_apart(
    personas: dict,
) -> None:
    """Arben Krasniqi of Prishtina (1985) and of Gjilan (1990), at the same kind of training."""
    for place, year in (("prishtine", 1985), ("gjilan", 1990)):
        modules = training_series(place)
        colleagues(place, modules)
        arben = PersonFactory(
            given_name="Arben",
            family_name="Krasniqi",
            sex="male",
            birth_date=None,
            birth_year=year,
            municipality=municipality(place),
        )
        AttendanceFactory(activity=modules[1], person=arben)

    registry_link(actor=personas["me"])

    assert not Person.objects.filter(given_name="Arben", identity__isnull=False).exists()
    assert not ReviewPair.objects.exists()


@pytest_db
def test_a_returning_attendee_named_with_her_cohort_is_likelier_her(personas: dict) -> None:
    """Fatime Morina, F, 1975, Klinë on the third module's sheet, beside the people she attended
    the first two modules with, is likelier the registered Fatime Morina than the same row on
    a sheet of strangers; the registry's other trainings, whose cohorts came back together, are
    where that evidence is measured."""
    from akt.linkage.suggestions import RowContext, name_keys, registry_matches

    for cohort in "ABC":
        colleagues("kline", training_series("kline"), count=12, cohort=cohort)
    modules = training_series("kline")
    colleagues("kline", modules[:2])
    fatime = PersonFactory(
        given_name="Fatime",
        family_name="Morina",
        sex="female",
        birth_date=None,
        birth_year=1975,
        municipality=municipality("kline"),
    )
    for activity in modules[:2]:
        AttendanceFactory(activity=activity, person=fatime)
    elsewhere = training_series("peje", modules=1)[0]
    row = {
        "given_name": "Fatime",
        "family_name": "Morina",
        "birth_date": "1975",
        "sex": "female",
        "municipality": "kline",
    }
    (own,) = name_keys([("Fatime", "Morina")])
    cohort = frozenset(name_keys([(f"Kolegi{i}", f"Zyrtari{i}") for i in range(6)]) + [own])

    (with_cohort,), (among_strangers,) = registry_matches(
        [row, row],
        contexts=[
            RowContext(activity=modules[2].pk, companions=cohort, own=own, birth_year=1975),
            RowContext(
                activity=elsewhere.pk, companions=frozenset({own}), own=own, birth_year=1975
            ),
        ],
        limit=1,
    )

    assert with_cohort.person == among_strangers.person == fatime.pk
    assert (with_cohort.context, among_strangers.context) == ("co_attendance", "none")
    assert with_cohort.context_bits > 0 == among_strangers.context_bits
    assert with_cohort.probability > among_strangers.probability
    # The program's return rate is counted for both: the registry is small.
    assert with_cohort.prior_bits == among_strangers.prior_bits > 0


@pytest_db
def test_no_evidence_is_added_when_one_sheet_gives_no_year(personas: dict) -> None:
    """A record without a year scores well against every namesake: the context is not added."""
    from akt.linkage.suggestions import RowContext, name_keys, registry_matches

    modules = training_series("kline")
    colleagues("kline", modules[:2])
    PersonFactory(
        given_name="Fatime",
        family_name="Morina",
        sex="female",
        birth_date=None,
        birth_year=1975,
        municipality=municipality("kline"),
    )
    (own,) = name_keys([("Fatime", "Morina")])
    row = {
        "given_name": "Fatime",
        "family_name": "Morina",
        "birth_date": "",
        "sex": "female",
        "municipality": "kline",
    }
    found = registry_matches(
        [row],
        contexts=[RowContext(activity=modules[2].pk, companions=frozenset({own}), own=own)],
    )[0]
    for match in found:
        assert match.prior_bits == match.context_bits == 0
        assert match.probability == pytest.approx(match.model_probability)


def test_a_common_name_counts_against_whether_or_not_the_years_agree() -> None:
    """The returning prior and the shared context need the years written alike; the name's
    commonness in the registry corrects the model's own name weight for every pair."""
    assert context.registry_bits(alike=False, context_bits=3, prior_bits=6, commonness=-2) == -2
    assert context.registry_bits(alike=True, context_bits=3, prior_bits=6, commonness=-2) == 7
    rows = context.evidence_rows(None, 0.0, 0.0, -2.5)
    assert rows == [{"field": "commonness", "level": "registry", "weight": -2.5}]


@pytest.mark.django_db
def test_the_review_page_names_the_commonness_row() -> None:
    from akt.linkage.selectors import evidence_rows

    (row,) = evidence_rows(context.evidence_rows(None, 0.0, 0.0, -2.5), "en")
    assert (row.label, row.direction) == ("How common the name is", "against")
    assert row.level == "commoner among this program's people than across Kosovo"
