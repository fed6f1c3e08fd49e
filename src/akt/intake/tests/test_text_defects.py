"""Text defects seen while importing real sheets (issue 10, item 11).

- A name pasted with zero-width or right-to-left control characters was stored with them, so
  the person could not be found by name and folded into other words for the linkage.
- A name over 100 characters was cut silently to 100.
- An Activity ID cell holding "²" gave a server error (``"²".isdigit()`` is true, ``int("²")``
  fails).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook

from akt.accounts.models import User
from akt.activities.models import Activity, ActivityKind, Attendance
from akt.intake.models import BatchStatus, ImportBatch
from akt.intake.services import import_check, import_commit, import_receive
from akt.intake.templates_xlsx import ACTIVITY_SHEET_TITLES, roster_template
from akt.intake.validation import PROBLEMS, problems_of
from akt.people.forms import persons_named
from akt.people.models import Person
from akt.places.models import Community, Municipality
from akt.testing.factories import ActivityFactory, municipality
from akt.text.names import fold

ROSTER = ("Emri", "Mbiemri", "Gjinia", "Datëlindja", "Komuniteti", "Komuna")


def csv_bytes(rows: Sequence[Sequence[str]], headers: Sequence[str] = ROSTER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def hearing(reference: None) -> Activity:
    return ActivityFactory(
        title="Dëgjim publik për buxhetin",
        kind=ActivityKind.PUBLIC_HEARING,
        municipality=municipality("gjilan"),
        start_date=dt.date(2015, 5, 12),
        end_date=dt.date(2015, 5, 12),
    )


def checked(actor: User, data: bytes, activity: Activity | None) -> ImportBatch:
    batch = import_receive(
        actor=actor, data=data, file_name="lista.csv", kind="roster", activity=activity
    )
    return import_check(actor=actor, batch=batch)


def test_names_pasted_with_invisible_characters_are_stored_without_them(
    personas: dict[str, User], hearing: Activity
) -> None:
    rows = [
        # pasted from a chat message: zero-width spaces and a byte order mark
        ("\ufeffArb\u200bër", "Kras\u200bniqi", "M", "1980", "Shqiptare", "Gjilan"),
        # copied out of a right-to-left e-mail: marks and an isolate around the name
        ("\u200fDrita\u200e", "\u2067Gashi\u2069", "F", "12.11.1991", "Shqiptare", "Gjilani"),
        ("Jo\u2060van", "Petro\u200dvić", "M", "1975", "Srpska", "Gnjilane"),
    ]
    batch = checked(personas["me"], csv_bytes(rows), hearing)
    assert batch.problem_count == 0
    import_commit(actor=personas["me"], batch=batch)

    names = sorted(
        (a.person.given_name, a.person.family_name)
        for a in Attendance.objects.filter(activity=hearing).select_related("person")
    )
    assert names == [("Arbër", "Krasniqi"), ("Drita", "Gashi"), ("Jovan", "Petrović")]
    # Found by a search as an officer types it, and folded as one word for the linkage.
    assert persons_named(Person.objects.all(), "arber krasniqi").count() == 1
    assert fold(Person.objects.get(given_name="Arbër").given_name) == "arber"


@pytest.mark.parametrize("column", ["Emri", "Mbiemri"])
def test_a_name_over_100_characters_is_refused_naming_the_field_and_length(
    personas: dict[str, User], hearing: Activity, column: str
) -> None:
    long_name = "Shpresa-Mirëlinda " * 6 + "Krasniqi"  # 116 characters, as a merged cell makes
    assert len(long_name) == 116
    cells = {"Emri": "Shpresa", "Mbiemri": "Krasniqi", column: long_name}
    rows = [
        ("Besa", "Morina", "F", "1990", "Shqiptare", "Gjilan"),
        (cells["Emri"], cells["Mbiemri"], "F", "1988", "Shqiptare", "Gjilan"),
    ]
    before = Person.objects.count()
    batch = checked(personas["me"], csv_bytes(rows), hearing)

    problems = [problem for row in batch.rows for problem in problems_of(row)]
    assert [(p.row, p.column, p.value, p.code) for p in problems] == [
        (3, column, long_name, "too-long")
    ]
    label = {"Emri": "Given name", "Mbiemri": "Family name"}[column]
    assert problems[0].message == (
        f"{label} is 116 characters long; a name may have at most 100. Shorten it in the file."
    )
    for language in ("sq", "sr-latn", "sr"):
        with translation.override(language):
            assert "116" in problems[0].message and "100" in problems[0].message
            assert problems[0].message == str(PROBLEMS["too-long"]) % problems[0].wording()
    with pytest.raises(ValidationError):
        import_commit(actor=personas["me"], batch=batch)
    assert Person.objects.count() == before  # nothing cut and stored


def test_a_name_of_exactly_100_characters_is_kept_whole(
    personas: dict[str, User], hearing: Activity
) -> None:
    family = "Gashi-" + "B" * 94
    batch = checked(
        personas["me"], csv_bytes([("Drita", family, "F", "1990", "Shqiptare", "Gjilan")]), hearing
    )
    assert batch.problem_count == 0
    import_commit(actor=personas["me"], batch=batch)
    assert Person.objects.get(given_name="Drita").family_name == family


def template_naming(activity: Activity, activity_id: str) -> bytes:
    """The roster template downloaded for ``activity``, its Activity ID cell overwritten by a
    clerk, and one row filled in."""
    book = load_workbook(
        io.BytesIO(
            roster_template(
                language="sq",
                activity=activity,
                communities=Community.objects.all(),
                municipalities=Municipality.objects.all(),
            )
        )
    )
    info = book[ACTIVITY_SHEET_TITLES["sq"]]
    (row,) = [row for row in info.iter_rows() if row[2].value == "activity_id"]
    row[1].value = activity_id
    roster = book.worksheets[0]
    for column, value in enumerate(("Besa", "Morina"), start=1):
        roster.cell(row=2, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("activity_id", ["²", "³", "١٢", "12²"])
def test_an_activity_id_cell_that_is_not_a_number_is_a_clear_message(
    personas: dict[str, User], hearing: Activity, activity_id: str
) -> None:
    data = template_naming(hearing, activity_id)
    with pytest.raises(ValidationError) as refused:
        import_receive(
            actor=personas["me"], data=data, file_name="lista.xlsx", kind="roster", activity=None
        )
    assert refused.value.code == "unknown-activity"
    assert refused.value.messages == [
        f"The file names activity “{activity_id}”, which is not an activity number."
    ]
    assert not ImportBatch.objects.exists()


def test_the_activity_id_cell_still_names_its_activity(
    personas: dict[str, User], hearing: Activity
) -> None:
    batch = import_receive(
        actor=personas["me"],
        data=template_naming(hearing, str(hearing.pk)),
        file_name="lista.xlsx",
        kind="roster",
        activity=None,
    )
    assert batch.activity == hearing and batch.status == BatchStatus.STAGED
