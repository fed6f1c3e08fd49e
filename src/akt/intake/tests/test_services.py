"""Tests for importing a sheet (issue 4, "Getting data in"): receive, check, commit, roll back.

Each test builds the file a municipality or partner sends (a CSV in the encoding their Excel
writes, the Excel template filled in, a Kobo export, a tally sheet) and checks what the person
importing it would check: the rows are on the roster and traceable to the file's rows, a bad row
is reported where they can find it and in their language, nothing is counted twice, and nobody
is shown or given a person or an activity outside what they may see.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from akt.accounts.models import AuditEntry, User
from akt.activities.models import Activity, ActivityKind, Attendance, AttendanceRole, Tally
from akt.indicators.selectors import results_compute
from akt.intake.fields import ROSTER_FIELDS
from akt.intake.models import BatchStatus, ColumnMapping, ImportBatch, ImportSource
from akt.intake.services import (
    NEW,
    SUGGEST_THRESHOLD,
    import_check,
    import_choose,
    import_commit,
    import_map_columns,
    import_receive,
    import_rollback,
)
from akt.intake.templates_xlsx import roster_template
from akt.intake.validation import PROBLEMS, Problem, problems_of
from akt.people.models import Affiliation, ConsentBasis, Person, Sex
from akt.places.models import Community, Municipality
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    OrganizationFactory,
    PersonFactory,
    community,
    municipality,
    topic,
)
from akt.text.names import SEX_EXAMPLES
from akt.translation import localized

LANGUAGES = ("en", "sq", "sr-latn", "sr")
ROSTER = ("Given name", "Family name", "Sex", "Birth date", "Community", "Municipality", "Role")
TALLY = ("Sex", "Community", "Age band", "Headcount")
KOBO = (
    "start",
    "end",
    "attendee/given_name",
    "attendee/family_name",
    "attendee/sex",
    "attendee/birth_date",
    "attendee/community_consent",
    "attendee/community",
    "attendee/municipality",
    "attendee/role",
    "activity_id",
    "meta/instanceID",
    "_id",
    "_uuid",
    "_submission_time",
    "_index",
)


# -- building files --------------------------------------------------------------------------------


def csv_bytes(
    rows: Sequence[Sequence[str]],
    *,
    headers: Sequence[str] = ROSTER,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def kobo_csv(activity: Activity, submissions: Sequence[tuple[str, Sequence[str]]]) -> bytes:
    """KoboToolbox's CSV export: ";" between cells, every cell quoted, server columns around
    the attendee's. ``submissions`` are (uuid, (given, family, sex, born, community,
    municipality))."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(KOBO)
    for index, (uuid, (first, family, sex, born, community_code, place)) in enumerate(
        submissions, start=1
    ):
        writer.writerow(
            [
                "2015-05-12T09:58:01.000+02:00",
                "2015-05-12T10:01:13.000+02:00",
                first,
                family,
                sex,
                born,
                "yes",
                community_code,
                place,
                "participant",
                str(activity.pk),
                f"uuid:{uuid}",
                str(310000 + index),
                uuid,
                "2015-05-12T10:05:44",
                str(index),
            ]
        )
    return out.getvalue().encode("utf-8")


def filled_template(activity: Activity, rows: Sequence[dict[str, str]], language: str) -> bytes:
    """The roster template downloaded for ``activity`` in ``language``, filled in by a clerk."""
    template = roster_template(
        language=language,
        activity=activity,
        communities=Community.objects.all(),
        municipalities=Municipality.objects.all(),
    )
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    with translation.override(language):
        columns = {cell.value: cell.column for cell in sheet[1]}
        for number, row in enumerate(rows, start=2):
            for header, value in row.items():
                sheet.cell(row=number, column=columns[header], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- reading the database --------------------------------------------------------------------------


def counts() -> dict[str, int]:
    return {
        "batches": ImportBatch.objects.count(),
        "persons": Person.objects.count(),
        "attendances": Attendance.objects.count(),
        "tallies": Tally.objects.count(),
    }


def program_counts() -> dict[str, int]:
    """What a commit writes (a refused commit may leave its staged batch)."""
    return {name: count for name, count in counts().items() if name != "batches"}


def indicator_values() -> dict[str, Any]:
    """Every indicator's value, its splits and the tally heads beside it."""
    return {
        item.indicator.code: (
            item.figures.value,
            {name: dict(cells) for name, cells in item.figures.breakdowns.items()},
            item.figures.tally_headcount,
        )
        for item in results_compute()
    }


def imported(
    actor: User,
    data: bytes,
    file_name: str,
    *,
    activity: Activity | None = None,
    kind: str = "roster",
) -> ImportBatch:
    """A file received, checked and committed with the preselected choices."""
    batch = import_receive(
        actor=actor, data=data, file_name=file_name, kind=kind, activity=activity
    )
    batch = import_check(actor=actor, batch=batch)
    assert batch.problem_count == 0, [problem.message for problem in all_problems(batch)]
    return import_commit(actor=actor, batch=batch)


def all_problems(batch: ImportBatch) -> list[Problem]:
    return [problem for row in batch.rows for problem in problems_of(row)]


def roster_of(activity: Activity) -> list[tuple[str, str]]:
    return sorted(
        (attendance.person.given_name, attendance.person.family_name)
        for attendance in Attendance.objects.filter(activity=activity).select_related("person")
    )


# -- fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def hearing(reference: None) -> Activity:
    """A two-day public hearing in Gračanica: its participants count in an indicator."""
    return ActivityFactory(
        title="Public hearing on the municipal budget",
        kind=ActivityKind.PUBLIC_HEARING,
        municipality=municipality("gracanice"),
        start_date=dt.date(2015, 5, 12),
        end_date=dt.date(2015, 5, 13),
    )


ARBER = ("Arbër", "Krasniqi", "M", "1980-05-02", "Shqiptare", "Graçanicë", "participant")
DRITA = ("Drita", "Gashi-Berisha", "Femër", "12.11.1991", "Albanian", "Gracanica", "speaker")
JOVAN = ("Jovan", "Petrović", "Muški", "1975", "Srpska", "Gračanica", "")


# -- each source commits its rows ------------------------------------------------------------------


def test_a_utf8_csv_puts_every_row_on_the_roster_traceable_to_its_row(
    personas: dict[str, User], hearing: Activity
) -> None:
    data = csv_bytes([ARBER, DRITA, JOVAN])

    batch = imported(personas["me"], data, "roster.csv", activity=hearing)

    assert batch.status == BatchStatus.COMMITTED
    assert batch.encoding == "utf-8"
    assert batch.summary == {
        "rows": 3,
        "attendances": 3,
        "persons_created": 3,
        "skipped": 0,
        "repeated": 0,
    }
    rows = {
        attendance.source_row: attendance
        for attendance in Attendance.objects.filter(activity=hearing).select_related("person")
    }
    assert sorted(rows) == [2, 3, 4]
    assert all(attendance.batch == batch for attendance in rows.values())
    drita = rows[3]
    assert (drita.person.given_name, drita.person.family_name) == ("Drita", "Gashi-Berisha")
    assert drita.person.sex == Sex.FEMALE
    assert drita.person.birth_date == dt.date(1991, 11, 12)
    assert drita.person.community == community("albanian")
    assert drita.person.municipality == municipality("gracanice")
    assert drita.person.import_batch == batch
    assert drita.role == AttendanceRole.SPEAKER
    jovan = rows[4].person
    assert (jovan.birth_date, jovan.birth_year, jovan.sex) == (None, 1975, Sex.MALE)
    assert rows[4].role == AttendanceRole.PARTICIPANT  # blank means participant


@pytest.mark.parametrize(
    ("encoding", "headers", "people"),
    [
        (
            "cp1250",
            ("Ime", "Prezime", "Pol", "Datum rođenja", "Zajednica", "Opština"),
            [
                ("Đorđe", "Šćekić", "Muški", "03.02.1968", "Srpska", "Gračanica"),
                ("Žaklina", "Čolić", "Ženski", "1990", "Srpska", "Gračanica"),
            ],
        ),
        (
            "cp1251",
            ("Име", "Презиме", "Пол", "Датум рођења", "Заједница", "Општина"),
            [
                ("Ђорђе", "Шћекић", "Мушки", "03.02.1968", "Српска", "Грачаница"),
                ("Жаклина", "Чолић", "Женски", "1990", "Српска", "Грачаница"),
            ],
        ),
    ],
)
def test_a_csv_saved_by_serbian_excel_reads_the_names_exactly(
    personas: dict[str, User],
    hearing: Activity,
    encoding: str,
    headers: tuple[str, ...],
    people: list[tuple[str, ...]],
) -> None:
    data = csv_bytes(people, headers=headers, delimiter=";", encoding=encoding)

    batch = imported(personas["me"], data, "spisak.csv", activity=hearing)

    assert batch.encoding == encoding
    assert roster_of(hearing) == sorted((given, family) for given, family, *_rest in people)
    first = Attendance.objects.get(activity=hearing, source_row=2)
    assert first.batch == batch
    assert first.person.birth_date == dt.date(1968, 2, 3)
    assert first.person.community == community("serb")
    assert first.person.sex == Sex.MALE


def test_the_excel_template_filled_in_names_its_own_activity(
    personas: dict[str, User], hearing: Activity
) -> None:
    with translation.override("sq"):
        label = {item.code: str(item.label) for item in ROSTER_FIELDS}
    rows = [
        {
            label["given_name"]: "Fatmire",
            label["family_name"]: "Hoxha",
            label["sex"]: "Femër",
            label["birth_date"]: "1986-07-21",
            label["community"]: localized(community("albanian"), "name", "sq"),
            label["municipality"]: localized(municipality("gracanice"), "name", "sq"),
            label["role"]: "Participant",
            label["affiliation"]: str(Affiliation.FARMER.label),
        },
        {
            label["given_name"]: "Milan",
            label["family_name"]: "Stojanović",
            label["sex"]: "M",
            label["birth_date"]: "1959",
            label["community"]: localized(community("serb"), "name", "sq"),
            label["municipality"]: "Gračanica",
        },
    ]
    data = filled_template(hearing, rows, "sq")

    batch = import_receive(actor=personas["me"], data=data, file_name="lista.xlsx")
    assert batch.activity == hearing  # from the workbook's Activity sheet
    batch = import_check(actor=personas["me"], batch=batch)
    assert batch.problem_count == 0, [problem.message for problem in all_problems(batch)]
    batch = import_commit(actor=personas["me"], batch=batch)

    assert batch.summary["attendances"] == 2
    fatmire = Attendance.objects.get(activity=hearing, source_row=2)
    assert fatmire.batch == batch
    assert (fatmire.person.given_name, fatmire.person.affiliation) == ("Fatmire", "farmer")
    assert Attendance.objects.get(activity=hearing, source_row=3).person.family_name == (
        "Stojanović"
    )


def test_a_kobo_export_keeps_each_submission_id(
    personas: dict[str, User], hearing: Activity
) -> None:
    data = kobo_csv(
        hearing,
        [
            ("0a4b2c8e-1111", ("Dragana", "Petrović", "female", "1984", "serb", "gracanice")),
            ("0a4b2c8e-2222", ("Besnik", "Rexhepi", "male", "1979-01-30", "albanian", "gjilan")),
        ],
    )

    batch = import_receive(actor=personas["me"], data=data, file_name="akt_attendance.csv")
    assert (batch.source, batch.activity) == (ImportSource.KOBO, hearing)
    batch = import_check(actor=personas["me"], batch=batch)
    assert batch.problem_count == 0, [problem.message for problem in all_problems(batch)]
    batch = import_commit(actor=personas["me"], batch=batch)

    keys = dict(
        Attendance.objects.filter(activity=hearing, batch=batch).values_list(
            "source_row", "source_key"
        )
    )
    assert keys == {2: "0a4b2c8e-1111", 3: "0a4b2c8e-2222"}
    dragana = Person.objects.get(given_name="Dragana")
    assert dragana.community == community("serb")
    assert dragana.community_consent == ConsentBasis.CONSENT
    assert Person.objects.get(given_name="Besnik").municipality == municipality("gjilan")


def test_a_tally_sheet_adds_its_headcounts(personas: dict[str, User], hearing: Activity) -> None:
    data = csv_bytes(
        [
            ("Female", "Serb", "15 to 29", "12"),
            ("M", "Srpska", "30+", "30"),
            ("", "", "", "7"),
            ("F", "Roma", "under 15", "0"),
        ],
        headers=TALLY,
    )

    batch = imported(personas["me"], data, "tally.csv", activity=hearing, kind="tally")

    assert batch.summary == {"rows": 4, "tallies": 3, "skipped": 1}
    cells = {
        (tally.sex, tally.community_id, tally.age_band): (tally.headcount, tally.source_row)
        for tally in Tally.objects.filter(activity=hearing, batch=batch)
    }
    serb = community("serb").pk
    assert cells == {
        ("female", serb, "15-29"): (12, 2),
        ("male", serb, "30+"): (30, 3),
        ("", None, ""): (7, 4),
    }


# -- each kind of bad row is reported where it is, in every language -------------------------------

GOOD_ROSTER = [
    ("Vesna", "Marković", "F", "1970-01-15", "Serb", "Gračanica", "participant", "2015-05-12")
]
GOOD_TALLY = [("Female", "Serb", "15-29", "12")]
ROSTER_DATED = (*ROSTER, "Date attended")
BAD_ROWS = {
    # id: (kind, bad row, column, value, code, what the English text names)
    "missing name": (
        "roster",
        ("", "Berisha", "F", "1980", "Albanian", "Gjilan", "", ""),
        "Given name",
        "",
        "required",
        "Given name",
    ),
    "bad sex": (
        "roster",
        ("Ana", "Berisha", "X", "1980", "Albanian", "Gjilan", "", ""),
        "Sex",
        "X",
        "sex",
        "“X”",
    ),
    "bad birth date": (
        "roster",
        ("Ana", "Berisha", "F", "31.02.1980", "Albanian", "Gjilan", "", ""),
        "Birth date",
        "31.02.1980",
        "birth",
        "“31.02.1980”",
    ),
    "implausible age": (
        "roster",
        ("Ana", "Berisha", "F", "2013", "Albanian", "Gjilan", "", ""),
        "Birth date",
        "2013",
        "birth-implausible",
        "Born 2013",
    ),
    "unknown community": (
        "roster",
        ("Ana", "Berisha", "F", "1980", "Martian", "Gjilan", "", ""),
        "Community",
        "Martian",
        "community",
        "“Martian”",
    ),
    "unknown municipality": (
        "roster",
        ("Ana", "Berisha", "F", "1980", "Albanian", "Atlantis", "", ""),
        "Municipality",
        "Atlantis",
        "municipality",
        "“Atlantis”",
    ),
    "unknown role": (
        "roster",
        ("Ana", "Berisha", "F", "1980", "Albanian", "Gjilan", "Chef", ""),
        "Role",
        "Chef",
        "role",
        "“Chef”",
    ),
    "date outside the activity": (
        "roster",
        ("Ana", "Berisha", "F", "1980", "Albanian", "Gjilan", "", "2015-06-01"),
        "Date attended",
        "2015-06-01",
        "date-outside",
        "2015-06-01 is outside",
    ),
    "duplicate inside the file": (
        "roster",
        ("VESNA", "Markovic", "Ž", "1970-01-15", "Srpska", "Gracanica", "", ""),
        "",
        "VESNA Markovic",
        "duplicate",
        "row 2",
    ),
    "bad headcount": (
        "tally",
        ("Male", "Serb", "15-29", "twelve"),
        "Headcount",
        "twelve",
        "headcount",
        "“twelve”",
    ),
    "duplicate tally cell": (
        "tally",
        ("F", "Srpska", "15 to 29", "3"),
        "",
        "",
        "tally-duplicate",
        "row 2",
    ),
}


@pytest.mark.parametrize("case", list(BAD_ROWS), ids=list(BAD_ROWS))
def test_a_bad_row_is_reported_with_its_row_column_value_and_reason_and_nothing_is_written(
    personas: dict[str, User], hearing: Activity, case: str
) -> None:
    kind, bad, column, value, code, named = BAD_ROWS[case]
    good, headers = (GOOD_ROSTER, ROSTER_DATED) if kind == "roster" else (GOOD_TALLY, TALLY)
    data = csv_bytes([*good, bad], headers=headers)
    before = program_counts()

    batch = import_receive(
        actor=personas["me"], data=data, file_name="bad.csv", kind=kind, activity=hearing
    )
    batch = import_check(actor=personas["me"], batch=batch)

    (problem,) = all_problems(batch)
    assert (problem.row, problem.column, problem.value, problem.code) == (3, column, value, code)
    assert batch.problem_count == 1
    with translation.override("en"):
        assert named in problem.message
        names_value = bool(value) and value in problem.message
    for language in LANGUAGES:
        with translation.override(language):
            assert problem.message == str(PROBLEMS[code]) % problem.wording()
            # Worded when read, in the reader's language, and the value kept in every wording.
            if names_value:
                assert value in problem.message
            if code == "required":  # the missing given name, by its label in this language
                given = next(item for item in ROSTER_FIELDS if item.code == "given_name")
                assert str(given.label) in problem.message
            if code == "sex":  # the accepted spellings as sheets write them, never transliterated
                assert SEX_EXAMPLES in problem.message

    with pytest.raises(ValidationError) as refused:
        import_commit(actor=personas["me"], batch=batch)
    assert refused.value.code == "problems"
    assert program_counts() == before
    batch.refresh_from_db()
    assert batch.status == BatchStatus.STAGED


@pytest.mark.parametrize("headcount", ["2147483648", "99999999999999999999999", "²", "-3", "1.5"])
def test_a_headcount_the_database_cannot_hold_is_a_problem_not_a_failed_commit(
    personas: dict[str, User], hearing: Activity, headcount: str
) -> None:
    data = csv_bytes([("Female", "Serb", "15-29", headcount)], headers=TALLY)

    batch = import_check(
        actor=personas["me"],
        batch=import_receive(
            actor=personas["me"], data=data, file_name="t.csv", kind="tally", activity=hearing
        ),
    )

    assert [(p.row, p.column, p.value, p.code) for p in all_problems(batch)] == [
        (2, "Headcount", headcount, "headcount")
    ]
    with pytest.raises(ValidationError):
        import_commit(actor=personas["me"], batch=batch)
    assert not Tally.objects.exists()


def test_a_roster_without_a_name_column_is_refused_on_every_row(
    personas: dict[str, User], hearing: Activity
) -> None:
    data = csv_bytes([("F", "1980")], headers=("Sex", "Birth date"))

    batch = import_check(
        actor=personas["me"],
        batch=import_receive(actor=personas["me"], data=data, file_name="x.csv", activity=hearing),
    )

    codes = [(problem.row, problem.code) for problem in all_problems(batch)]
    assert (2, "required") in codes
    assert "Given name" in all_problems(batch)[-1].message


# -- nothing is counted twice ----------------------------------------------------------------------


def test_the_same_file_imported_twice_is_refused_the_second_time(
    personas: dict[str, User], hearing: Activity
) -> None:
    data = csv_bytes([ARBER, DRITA])
    first = imported(personas["me"], data, "roster.csv", activity=hearing)
    before = counts()

    with pytest.raises(ValidationError) as refused:
        import_receive(actor=personas["me"], data=data, file_name="copy.csv", activity=hearing)

    assert refused.value.code == "already-imported"
    assert f"import {first.pk}" in refused.value.messages[0]
    assert counts() == before


def test_the_same_rows_in_another_file_are_skipped_and_no_figure_changes(
    personas: dict[str, User], hearing: Activity
) -> None:
    empty = indicator_values()
    imported(personas["me"], csv_bytes([ARBER, DRITA, JOVAN]), "roster.csv", activity=hearing)
    after_first = indicator_values()
    assert after_first["public-hearing-participants"][0] == 3
    assert after_first != empty
    # The same people in a sheet saved again by another clerk: other order, ";", capitals.
    again = csv_bytes(
        [
            ("Jovan", "Petrović", "M", "1975", "Serb", "Gračanica", "participant"),
            ("ARBËR", "KRASNIQI", "Mashkull", "02.05.1980", "Albanian", "Gracanicë", ""),
            ("Drita", "Gashi-Berisha", "F", "1991-11-12", "Shqiptare", "Graçanicë", "speaker"),
        ],
        delimiter=";",
    )

    batch = imported(personas["me"], again, "roster-again.csv", activity=hearing)

    assert batch.summary == {
        "rows": 3,
        "attendances": 0,
        "persons_created": 0,
        "skipped": 3,
        "repeated": 0,
    }
    assert Attendance.objects.filter(activity=hearing).count() == 3
    assert indicator_values() == after_first


def test_a_kobo_export_imported_again_adds_nothing_for_the_same_submissions(
    personas: dict[str, User], hearing: Activity
) -> None:
    submissions = [
        ("5c1d-aaaa", ("Dragana", "Petrović", "female", "1984", "serb", "gracanice")),
        ("5c1d-bbbb", ("Besnik", "Rexhepi", "male", "1979-01-30", "albanian", "gjilan")),
    ]
    imported(personas["me"], kobo_csv(hearing, submissions), "export-1.csv")
    before = counts()
    # Exported again later: a name corrected on the server (same submission id) and one more.
    edited = [
        ("5c1d-aaaa", ("Dragana", "Petrović-Ilić", "female", "1984-03-02", "serb", "gracanice")),
        submissions[1],
        ("5c1d-cccc", ("Miloš", "Jović", "male", "1990", "serb", "gracanice")),
    ]

    batch = imported(personas["me"], kobo_csv(hearing, edited), "export-2.csv")

    assert batch.summary["attendances"] == 1
    assert batch.summary["skipped"] == 1  # Besnik, exported again unchanged
    assert batch.summary["edited"] == 1  # Dragana: her row updated, not a second person
    assert counts()["attendances"] == before["attendances"] + 1
    assert counts()["persons"] == before["persons"] + 1  # Miloš
    assert Person.objects.filter(family_name="Petrović-Ilić", birth_year=None).count() == 1
    assert Attendance.objects.get(activity=hearing, batch=batch).source_key == "5c1d-cccc"
    assert [row.get("skip") for row in batch.rows] == ["edited", "submission", None]


def test_reimporting_the_demo_rosters_changes_no_indicator_value(
    personas: dict[str, User],
) -> None:
    """A demo-like program, its rosters exported in the template's columns and imported again
    into the same activities: every figure stays as it was."""
    hearing = ActivityFactory(
        kind=ActivityKind.PUBLIC_HEARING,
        municipality=municipality("gracanice"),
        start_date=dt.date(2015, 6, 2),
    )
    training = ActivityFactory(
        kind=ActivityKind.TRAINING,
        municipality=municipality("gjilan"),
        start_date=dt.date(2016, 3, 8),
        end_date=dt.date(2016, 3, 10),
    )
    training.topics.add(topic("management"))
    office = OrganizationFactory(name="Komuna e Gjilanit", municipality=municipality("gjilan"))
    people = [
        ("Vesna", "Marković", "female", dt.date(1970, 1, 15), None, "serb", "gracanice"),
        ("Dragan", "Nikolić", "male", None, 1962, "serb", "gracanice"),
        ("Shpresa", "Krasniqi", "female", dt.date(1985, 9, 3), None, "albanian", "gracanice"),
        ("Ramadan", "Berisha", "male", dt.date(1977, 4, 30), None, "albanian", "gjilan"),
        ("Fitore", "Hajdari", "female", None, 1990, "albanian", "gjilan"),
        ("Selim", "Aliu", "male", dt.date(1968, 12, 1), None, "turkish", "gjilan"),
        ("Jelena", "Stanković", "female", dt.date(1993, 2, 14), None, "serb", "gjilan"),
        ("Bekim", "Gashi", "male", None, None, "prefer-not-to-say", "gjilan"),
    ]
    persons = [
        PersonFactory(
            given_name=given,
            family_name=family,
            sex=sex,
            birth_date=born,
            birth_year=year if born is None else None,
            community=community(group),
            municipality=municipality(place),
            affiliation=Affiliation.MUNICIPAL_EMPLOYEE if place == "gjilan" else "",
        )
        for given, family, sex, born, year, group, place in people
    ]
    for person in persons[:4]:
        AttendanceFactory(activity=hearing, person=person)
    AttendanceFactory(activity=hearing, person=persons[4], role=AttendanceRole.SPEAKER)
    for person in persons[3:]:
        AttendanceFactory(activity=training, person=person, organization=office)
    AttendanceFactory(activity=training, person=persons[0], role=AttendanceRole.TRAINER)
    before = indicator_values()
    assert before["public-hearing-participants"][0] == 5
    assert before["management-trainees"][0] == 5

    for activity in (hearing, training):
        batch = imported(personas["me"], roster_export(activity), "export.csv", activity=activity)
        assert batch.summary["attendances"] == 0
        assert batch.summary["skipped"] == activity.attendances.count()

    assert indicator_values() == before
    assert Person.objects.count() == len(people)


def roster_export(activity: Activity) -> bytes:
    """An activity's roster as a CSV in the template's columns, as a clerk would copy it out."""
    headers = [str(item.label) for item in ROSTER_FIELDS if item.code != "full_name"]
    rows = []
    for attendance in activity.attendances.select_related(
        "person__community", "person__municipality", "organization"
    ):
        person = attendance.person
        values = {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "sex": person.get_sex_display() if person.sex else "",
            "birth_date": (
                person.birth_date.strftime("%d.%m.%Y")
                if person.birth_date
                else str(person.birth_year or "")
            ),
            "community": localized(person.community, "name") if person.community else "",
            "municipality": localized(person.municipality, "name", "sr-latn"),
            "role": attendance.get_role_display(),
            "organization": attendance.organization.name if attendance.organization else "",
            "affiliation": person.get_affiliation_display() if person.affiliation else "",
            "attended_on": "",
            "consent": "Yes" if person.consent_basis == "consent" else "",
            "community_consent": "Yes" if person.community_consent == "consent" else "",
        }
        rows.append([values[item.code] for item in ROSTER_FIELDS if item.code != "full_name"])
    return csv_bytes(rows, headers=headers)


# -- rolling back ----------------------------------------------------------------------------------


def test_an_officer_rolls_back_an_import_with_a_reason(
    personas: dict[str, User], hearing: Activity
) -> None:
    known = PersonFactory(
        given_name="Jovan",
        family_name="Petrović",
        sex="male",
        birth_date=dt.date(1975, 3, 14),
        birth_year=None,
        municipality=municipality("gracanice"),
        community=community("serb"),
    )
    jovan = ("Jovan", "Petrović", "M", "14.03.1975", "Serb", "Gračanica", "")
    before = counts()
    batch = imported(personas["me"], csv_bytes([ARBER, DRITA, jovan]), "r.csv", activity=hearing)
    assert batch.summary["persons_created"] == 2  # Jovan was already registered

    import_rollback(actor=personas["me"], batch=batch, reason="Wrong activity chosen.")

    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLED_BACK
    assert program_counts() == {name: before[name] for name in program_counts()}
    assert Person.objects.filter(pk=known.pk).exists()
    entry = AuditEntry.objects.get(action="import_rollback", target_id=str(batch.pk))
    assert entry.actor == personas["me"]
    assert entry.reason == "Wrong activity chosen."
    assert entry.changes["attendances"] == 3
    assert entry.changes["persons"] == 2


@pytest.mark.parametrize("persona", ["focal_gracanica", "staff"])
def test_only_officers_may_roll_back(
    personas: dict[str, User], hearing: Activity, persona: str
) -> None:
    batch = imported(personas["me"], csv_bytes([ARBER]), "r.csv", activity=hearing)
    before = counts()

    with pytest.raises(PermissionDenied):
        import_rollback(actor=personas[persona], batch=batch, reason="Mine now.")

    assert counts() == before
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED


# -- who may import what, and who is shown ---------------------------------------------------------


def test_a_focal_point_imports_into_their_municipality_only(
    personas: dict[str, User], hearing: Activity
) -> None:
    data = csv_bytes([ARBER])
    before = counts()

    with pytest.raises(PermissionDenied):
        import_receive(
            actor=personas["focal_zvecan"], data=data, file_name="r.csv", activity=hearing
        )
    with pytest.raises(PermissionDenied):
        import_receive(actor=personas["donor"], data=data, file_name="r.csv", activity=hearing)
    assert counts() == before

    batch = imported(personas["focal_gracanica"], data, "r.csv", activity=hearing)
    assert batch.summary["attendances"] == 1


def test_a_column_mapped_once_is_mapped_for_the_next_file_of_that_source(
    personas: dict[str, User], hearing: Activity
) -> None:
    headers = ("Emri i pjesëmarrësit", "Mbiemri", "Gjinia")
    first = import_receive(
        actor=personas["me"],
        data=csv_bytes([("Arta", "Kelmendi", "F")], headers=headers),
        file_name="one.csv",
        activity=hearing,
    )
    assert "0" not in first.mapping
    first = import_check(actor=personas["me"], batch=first)
    assert {problem.code for problem in all_problems(first)} == {"required"}

    first = import_map_columns(
        actor=personas["me"], batch=first, mapping={**first.mapping, "0": "given_name"}
    )
    assert first.problem_count == 0
    assert ColumnMapping.objects.filter(header="emri i pjesemarresit", field="given_name").exists()

    second = import_receive(
        actor=personas["me"],
        data=csv_bytes([("Blerim", "Kelmendi", "M")], headers=headers),
        file_name="two.csv",
        activity=hearing,
    )
    assert second.mapping["0"] == "given_name"
    kobo = import_receive(
        actor=personas["me"],
        data=csv_bytes([("Blerim", "Kelmendi", "M", "u-1")], headers=(*headers, "_uuid")),
        file_name="kobo.csv",
        activity=hearing,
    )
    assert kobo.source == ImportSource.KOBO
    assert "given_name" not in kobo.mapping.values()  # remembered for spreadsheets only


def test_a_row_that_is_clearly_a_registered_person_is_given_to_them(
    personas: dict[str, User], hearing: Activity
) -> None:
    jovan = PersonFactory(
        given_name="Jovan",
        family_name="Petrović",
        sex="male",
        birth_date=dt.date(1975, 3, 14),
        birth_year=None,
        community=community("serb"),
        municipality=municipality("gracanice"),
    )
    PersonFactory(given_name="Arta", family_name="Kelmendi", municipality=municipality("gjilan"))
    data = csv_bytes(
        [
            ("Јован", "Петровић", "Мушки", "14.03.1975", "Српска", "Грачаница", ""),
            ("Liridona", "Morina", "F", "1999", "Albanian", "Gjilan", ""),
        ]
    )

    batch = import_check(
        actor=personas["me"],
        batch=import_receive(actor=personas["me"], data=data, file_name="r.csv", activity=hearing),
    )

    cyrillic, stranger = batch.rows
    assert cyrillic["choice"] == jovan.pk
    assert cyrillic["candidates"][0]["person"] == jovan.pk
    assert cyrillic["candidates"][0]["probability"] >= SUGGEST_THRESHOLD
    assert stranger["choice"] == NEW
    batch = import_commit(actor=personas["me"], batch=batch)
    assert batch.summary == {
        "rows": 2,
        "attendances": 2,
        "persons_created": 1,
        "skipped": 0,
        "repeated": 0,
    }
    assert Attendance.objects.get(activity=hearing, source_row=2).person == jovan


def test_a_focal_point_is_never_shown_a_person_outside_their_municipality(
    personas: dict[str, User], hearing: Activity
) -> None:
    # Someone living in Zvečan attended in Gračanica; the Gračanica focal point may not see them.
    resident = PersonFactory(
        given_name="Nikola",
        family_name="Jovanović",
        sex="male",
        birth_date=dt.date(1969, 8, 1),
        birth_year=None,
        municipality=municipality("zvecan"),
    )
    data = csv_bytes([("Nikola", "Jovanović", "M", "1969-08-01", "Serb", "Zvečan", "")])

    def check(actor: User) -> dict[str, Any]:
        batch = import_receive(actor=actor, data=data, file_name="r.csv", activity=hearing)
        return import_check(actor=actor, batch=batch).rows[0]

    officer_row = check(personas["me"])
    focal_row = check(personas["focal_gracanica"])

    assert officer_row["choice"] == resident.pk  # the person is there to be found
    assert focal_row["candidates"] == []
    assert focal_row["choice"] == NEW
    # Not even as someone already on the roster.
    AttendanceFactory(activity=hearing, person=resident)
    assert check(personas["me"])["skip"] == "on-roster"
    hidden = check(personas["focal_gracanica"])
    assert (hidden["choice"], hidden["candidates"], hidden.get("skip")) == (NEW, [], None)
    focal_batch = ImportBatch.objects.filter(created_by=personas["focal_gracanica"]).first()
    with pytest.raises(ValidationError):
        import_choose(
            actor=personas["focal_gracanica"], batch=focal_batch, choices={2: resident.pk}
        )


def test_a_focal_point_answers_only_for_rows_of_their_residents(
    personas: dict[str, User], hearing: Activity
) -> None:
    """In an officer's file for a Gračanica activity, the Gračanica focal point may answer for
    Gračanica residents, and may not for a Zvečan resident whose row they cannot read."""
    rows = [ARBER, ("Nikola", "Jovanović", "M", "1969-08-01", "Serb", "Zvečan", "")]
    batch = import_receive(
        actor=personas["me"], data=csv_bytes(rows), file_name="r.csv", activity=hearing
    )
    batch = import_check(actor=personas["me"], batch=batch)
    focal = personas["focal_gracanica"]

    import_choose(actor=focal, batch=batch, choices={2: NEW})
    with pytest.raises(PermissionDenied):
        import_choose(actor=focal, batch=batch, choices={3: NEW})


def test_two_rows_answered_as_one_person_are_shown_as_a_repeat_and_counted_once(
    personas: dict[str, User], hearing: Activity
) -> None:
    """Jovan is written once with his birth date and once with only the year: not the same
    row, so not a duplicate; answered as the one registered Jovan, the second row says it
    repeats the first, is written once, and the summary counts it, until the officer answers
    it as a new person (a namesake)."""
    jovan = PersonFactory(
        given_name="Jovan",
        family_name="Petrović",
        sex="male",
        birth_date=dt.date(1975, 3, 14),
        birth_year=None,
        municipality=municipality("gracanice"),
    )
    rows = [
        ("Jovan", "Petrović", "M", "14.03.1975", "Serb", "Gračanica", ""),
        ("Jovan", "Petrović", "M", "1975", "Serb", "Gračanica", ""),
        ARBER,
    ]
    me = personas["me"]
    batch = import_receive(actor=me, data=csv_bytes(rows), file_name="r.csv", activity=hearing)
    batch = import_check(actor=me, batch=batch)
    assert batch.problem_count == 0
    assert batch.rows[0]["choice"] == jovan.pk

    batch = import_choose(actor=me, batch=batch, choices={3: jovan.pk})
    assert (batch.rows[1]["skip"], batch.rows[1]["same_as"]) == ("same-person", 2)
    batch = import_choose(actor=me, batch=batch, choices={2: NEW})
    assert "skip" not in batch.rows[1]  # row 2 no longer stands for Jovan: row 3 does
    batch = import_choose(actor=me, batch=batch, choices={2: jovan.pk})
    assert batch.rows[1]["skip"] == "same-person"

    batch = import_commit(actor=me, batch=batch)
    assert batch.summary == {
        "rows": 3,
        "attendances": 2,
        "persons_created": 1,
        "skipped": 0,
        "repeated": 1,
    }
    assert hearing.attendances.filter(person=jovan).count() == 1


# -- fuzzing: anything else in, and only a refusal or an import out --------------------------------

_FUZZ_ROSTER_ROWS = [list(ARBER), list(DRITA), list(JOVAN)]
_FUZZ_TALLY_ROWS = [["Female", "Serb", "15-29", "12"], ["M", "", "", "3"]]
_FUZZ_ROSTER = csv_bytes(_FUZZ_ROSTER_ROWS)
_FUZZ_TALLY = csv_bytes(_FUZZ_TALLY_ROWS, headers=TALLY)


def _fuzz_workbook() -> bytes:
    book = Workbook()
    book.active.append(list(ROSTER))
    for row in _FUZZ_ROSTER_ROWS:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_FUZZ_XLSX = _fuzz_workbook()
_CELLS = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"\A[0-9]{1,25}(\.0)?\Z"),  # headcounts and years, of any size
    st.sampled_from(["²", "٣", "0", "-1", "1e3", "29.02.1981", "31.12.2100", "=1+1", "uuid:x"]),
)


@st.composite
def fuzzed_files(draw: st.DrawFn) -> tuple[bytes, str, str]:
    """(bytes, file name, kind): random bytes; a valid file with bytes flipped or cut short;
    random text typed into it; or some of its cells replaced by random values."""
    how = draw(st.sampled_from(["random", "bytes", "text", "cells"]))
    kind = draw(st.sampled_from(["roster", "tally"]))
    if how == "random":
        return draw(st.binary(max_size=600)), draw(st.sampled_from(["f.csv", "f.xlsx"])), kind
    if how == "cells":
        rows, headers = draw(
            st.sampled_from([(_FUZZ_ROSTER_ROWS, ROSTER), (_FUZZ_TALLY_ROWS, TALLY)])
        )
        rows = [list(row) for row in rows]
        for _ in range(draw(st.integers(1, 4))):
            row = draw(st.integers(0, len(rows) - 1))
            rows[row][draw(st.integers(0, len(headers) - 1))] = draw(_CELLS)
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n").writerows([headers, *rows])
        return text.getvalue().encode("utf-8", errors="surrogatepass"), "cells.csv", kind
    seed, name = draw(
        st.sampled_from([(_FUZZ_ROSTER, "r.csv"), (_FUZZ_TALLY, "t.csv"), (_FUZZ_XLSX, "r.xlsx")])
    )
    data = bytearray(seed)
    if how == "bytes" or name.endswith(".xlsx"):
        for _ in range(draw(st.integers(1, 6))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]
        return bytes(data), name, kind
    text = seed.decode("utf-8")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(max_size=12)) + text[at:]
    return text.encode("utf-8", errors="surrogatepass"), name, kind


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(file=fuzzed_files())
def test_any_file_is_imported_or_refused_and_a_refusal_changes_nothing(
    personas: dict[str, User], hearing: Activity, file: tuple[bytes, str, str]
) -> None:
    data, name, kind = file
    actor = personas["me"]
    if not Person.objects.exists():  # once: a registered person for the rows to be matched to
        PersonFactory(
            given_name="Arbër",
            family_name="Krasniqi",
            sex="male",
            birth_date=dt.date(1980, 5, 2),
            birth_year=None,
            municipality=municipality("gracanice"),
        )
    with transaction.atomic():  # each example starts from the same database
        before = counts()
        try:
            batch = import_receive(
                actor=actor, data=data, file_name=name, kind=kind, activity=hearing
            )
        except (ValidationError, PermissionDenied):
            event("refused")
            assert counts() == before
        else:
            batch = import_check(actor=actor, batch=batch)
            staged = program_counts()
            try:
                import_commit(actor=actor, batch=batch)
            except ValidationError:
                event("checked, commit refused")
                assert program_counts() == staged
            else:
                event("committed")
        transaction.set_rollback(True)


def test_fuzz_seeds_import_cleanly(personas: dict[str, User], hearing: Activity) -> None:
    """The files the fuzz test mutates are good ones: mutations start from an import."""
    for data, name, kind in (
        (_FUZZ_ROSTER, "r.csv", "roster"),
        (_FUZZ_XLSX, "r.xlsx", "roster"),
        (_FUZZ_TALLY, "t.csv", "tally"),
    ):
        activity = ActivityFactory(municipality=municipality("gracanice"))
        assert imported(personas["me"], data, name, activity=activity, kind=kind).summary["rows"]


def test_each_roster_row_keeps_the_affiliation_the_sheet_gives_else_the_persons(
    personas: dict[str, User], hearing: Activity
) -> None:
    """Affiliation at the time: a registered person's row with "Zyrtar komunal" in the
    affiliation column is kept as a municipal employee on this roster, whatever their record
    says; a row with the cell empty takes their record's; a new person's row gives both."""
    jovan = PersonFactory(
        given_name="Jovan",
        family_name="Petrović",
        sex="male",
        birth_date=dt.date(1975, 3, 14),
        birth_year=None,
        community=community("serb"),
        municipality=municipality("gracanice"),
        affiliation=Affiliation.CITIZEN,
    )
    mira = PersonFactory(
        given_name="Mira",
        family_name="Stojanović",
        sex="female",
        birth_date=dt.date(1988, 1, 9),
        birth_year=None,
        community=community("serb"),
        municipality=municipality("gracanice"),
        affiliation=Affiliation.FINANCE_OFFICER,
    )
    headers = (*ROSTER, "Përkatësia")
    data = csv_bytes(
        [
            (
                "Јован",
                "Петровић",
                "Мушки",
                "14.03.1975",
                "Српска",
                "Грачаница",
                "",
                "Zyrtar komunal",
            ),
            ("Mira", "Stojanovic", "Ž", "09.01.1988", "Srpska", "Gracanica", "", ""),
            ("Liridona", "Morina", "F", "1999", "Albanian", "Gjilan", "", "Fermer"),
        ],
        headers=headers,
    )
    imported(personas["me"], data, "hearing.csv", activity=hearing)
    kept = {
        attendance.person.given_name: (attendance.affiliation, attendance.person.affiliation)
        for attendance in Attendance.objects.filter(activity=hearing).select_related("person")
    }
    assert kept == {
        "Jovan": (Affiliation.MUNICIPAL_EMPLOYEE, Affiliation.CITIZEN),  # record unchanged
        "Mira": (Affiliation.FINANCE_OFFICER, Affiliation.FINANCE_OFFICER),
        "Liridona": (Affiliation.FARMER, Affiliation.FARMER),
    }
    assert Attendance.objects.get(person=jovan).person == jovan
    assert Attendance.objects.get(person=mira).activity == hearing
