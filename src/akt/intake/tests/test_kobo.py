"""KoboToolbox exports of the project's attendance form, as KoboToolbox writes them (issue 10,
item 10), imported with the plain ``akt import``.

The exports are built here the way KoboToolbox's export library (formpack) builds them from the
form this system generates (:func:`akt.intake.xlsform.attendance_xlsform`): the questions in the
form's order, headed by their name ("XML values and headers") or by their label in one of the
form's languages, with or without group paths; choice names or choice labels as values; then
the server's columns ``_id``, ``_uuid``, ``_submission_time``, ``_validation_status``,
``_notes``, ``_status``, ``_submitted_by``, ``__version__``, ``_tags``, ``_index`` (and on
current servers ``meta/rootUuid``). The CSV is ";"-separated with every cell quoted; the
workbook's one sheet is named after the form's title cut to 31 characters with "...".

What the person importing checks: every shape lands on the roster with the consent answers
read; an edited submission updates its row instead of adding a person; an export of another
activity is refused; submissions a supervisor did not approve are left out and counted; an
organization typed as free text is the registered one in any script, or registered once.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from akt.accounts.models import AuditEntry, User
from akt.activities.models import Activity, ActivityKind, Attendance
from akt.intake.models import BatchStatus, ImportBatch, ImportSource
from akt.intake.services import import_rollback
from akt.intake.sources.kobo import (
    APPROVED,
    NOT_APPROVED,
    ON_HOLD,
    SERVER_FIELDS,
    kobo_rows,
    review_state,
)
from akt.intake.submissions import row_notes
from akt.intake.xlsform import attendance_xlsform, consent_answers, language_column
from akt.people.models import ConsentBasis, Organization, OrganizationKind, Person
from akt.places.models import Community, Municipality
from akt.testing.factories import ActivityFactory, OrganizationFactory, community, municipality

VERSION = "vHqZ4d8Ud3ZHeP6xk5tTqR"
COPY_FIELDS = (
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
)
"""The server columns KoboToolbox's export adds after the questions, in its order (``_index``
comes last)."""

STATUS_LABELS = {
    "validation_status_not_approved": "Not Approved",
    "validation_status_approved": "Approved",
    "validation_status_on_hold": "On Hold",
}


@dataclass
class Submission:
    """One submission as the server holds it: XML values by question name."""

    number: int
    """``_id``: the server's number for it, kept through edits."""
    uuid: str
    answers: dict[str, str]
    root: str = ""
    """``meta/rootUuid``: the first uuid, kept through edits (empty: the submission's own)."""
    status: str = ""
    """``_validation_status`` uid, e.g. ``validation_status_not_approved``."""
    submitted_by: str = "staff1"

    def edited(self, new_uuid: str, **answers: str) -> Submission:
        """The submission after an edit on the server: a new uuid, the same _id and root."""
        return replace(
            self,
            uuid=new_uuid,
            root=self.root or self.uuid,
            answers={**self.answers, **answers},
        )


@dataclass
class Form:
    """The project's XLSForm for an activity, read back as KoboToolbox reads it."""

    title: str
    questions: list[dict[str, Any]] = field(default_factory=list)
    """type, name and the label per language column ("Shqip (sq)")."""
    choices: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    """(list name, choice name) -> label per language column."""


def the_form(activity: Activity) -> Form:
    data = attendance_xlsform(
        activity=activity,
        communities=Community.objects.all(),
        municipalities=Municipality.objects.all(),
        version="2015051201",
        language="en",
    )
    book = load_workbook(io.BytesIO(data))
    survey = list(book["survey"].iter_rows(values_only=True))
    heads = survey[0]
    form = Form(title=book["settings"]["A2"].value)
    for row in survey[1:]:
        cells = dict(zip(heads, row, strict=False))
        form.questions.append(
            {
                "type": cells["type"],
                "name": cells["name"],
                "labels": {
                    head.split("::", 1)[1]: value
                    for head, value in cells.items()
                    if head and head.startswith("label::") and value
                },
            }
        )
    choices = list(book["choices"].iter_rows(values_only=True))
    for row in choices[1:]:
        cells = dict(zip(choices[0], row, strict=False))
        form.choices[(cells["list_name"], cells["name"])] = {
            head.split("::", 1)[1]: value
            for head, value in cells.items()
            if head and head.startswith("label::")
        }
    return form


def export(
    activity: Activity,
    submissions: Sequence[Submission],
    *,
    language: str | None = None,
    groups: bool = False,
    root_uuid: bool = True,
    fmt: str = "xlsx",
) -> bytes:
    """The export KoboToolbox writes: ``language`` None for "XML values and headers", else an
    interface language whose labels head the columns and fill the select answers; ``groups``
    puts the questions in an "attendee" group and includes it in the headers; ``root_uuid``
    False is an older server, whose exports have no ``meta/rootUuid``."""
    form = the_form(activity)
    column = language_column(language) if language else None
    questions = [q for q in form.questions if q["type"] != "calculate"] + [
        q for q in form.questions if q["type"] == "calculate"
    ]
    headers = []
    for question in questions:
        name = question["name"]
        if column is None:
            head = name
        else:
            head = question["labels"].get(column) or name  # a calculate has no label
        if groups and question["type"] != "calculate":
            head = f"{'attendee' if column is None else 'Attendee'}/{head}"
        headers.append(head)
    if root_uuid:
        headers.append("meta/rootUuid")
    headers += [*COPY_FIELDS, "_index"]
    rows = []
    for index, submission in enumerate(submissions, start=1):
        row: list[Any] = []
        for question in questions:
            value = submission.answers.get(question["name"], "")
            kind = question["type"].split()
            if column is not None and kind[0] == "select_one" and value:
                value = form.choices[(kind[1], value)].get(column) or value
            row.append(value)
        if root_uuid:
            row.append(f"uuid:{submission.root or submission.uuid}")
        status = submission.status
        if column is not None:
            status = STATUS_LABELS.get(status, status)
        row += [
            submission.number,
            submission.uuid,
            "2015-05-12T10:05:44",
            status,
            "",
            "submitted_via_web",
            submission.submitted_by,
            VERSION,
            "",
            index,
        ]
        rows.append(row)
    if fmt == "csv":
        return _csv(headers, rows)
    return _xlsx(sheet_name(form.title), headers, rows)


def sheet_name(title: str) -> str:
    """The sheet's name as formpack gives it: forbidden characters as "_", cut to 31
    characters with "..."."""
    name = re.sub(r"[\[\]*?:\\/]", "_", title)
    return name if len(name) <= 31 else name[:28] + "..."


def _csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    def line(cells: Sequence[Any]) -> str:
        return '"' + '";"'.join(str(cell).replace('"', '""') for cell in cells) + '"'

    return "".join(line(cells) + "\r\n" for cells in [headers, *rows]).encode("utf-8")


def _xlsx(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- the people on the sheets ------------------------------------------------------------------


def dragana(activity: Activity) -> Submission:
    return Submission(
        310558,
        "0a4b2c8e-1111-4f0e-9d51-2c3f0f7d1e10",
        {
            "given_name": "Dragana",
            "family_name": "Petrović",
            "sex": "female",
            "birth_date": "1984",
            "community_consent": "yes",
            "community": "serb",
            "municipality": "gracanice",
            "role": "participant",
            "affiliation": "citizen",
            "activity_id": str(activity.pk),
        },
    )


def besnik(activity: Activity) -> Submission:
    return Submission(
        310559,
        "0a4b2c8e-2222-4f0e-9d51-2c3f0f7d1e10",
        {
            "given_name": "Besnik",
            "family_name": "Rexhepi",
            "sex": "male",
            "birth_date": "1979-01-30",
            "community_consent": "yes",
            "community": "albanian",
            "municipality": "gjilan",
            "role": "speaker",
            "activity_id": str(activity.pk),
        },
    )


def milica(activity: Activity) -> Submission:
    """Typed in Cyrillic on the tablet, no birth date, and would not state a community."""
    return Submission(
        310560,
        "0a4b2c8e-3333-4f0e-9d51-2c3f0f7d1e10",
        {
            "given_name": "Милица",
            "family_name": "Јовановић",
            "sex": "female",
            "community_consent": "no",
            "municipality": "gracanice",
            "role": "participant",
            "activity_id": str(activity.pk),
        },
    )


@pytest.fixture
def hearing(reference: None) -> Activity:
    return ActivityFactory(
        title="Public hearing on the municipal budget 2016",
        kind=ActivityKind.PUBLIC_HEARING,
        municipality=municipality("gracanice"),
        start_date=dt.date(2015, 5, 12),
        end_date=dt.date(2015, 5, 12),
    )


def run(*args: Any) -> str:
    out = io.StringIO()
    call_command(
        "import", *[str(arg) for arg in args], "--no-progress", stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def refused(*args: Any) -> str:
    with pytest.raises(CommandError) as caught:
        call_command(
            "import",
            *[str(arg) for arg in args],
            "--no-progress",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    return str(caught.value)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def kobo_name(activity: Activity, language: str | None, fmt: str) -> str:
    """KoboToolbox's export file name: the title, the versions, the labels' language, a date."""
    return f"Attendance at {activity.title} - all versions - {language or 'xml'} - 2015.{fmt}"


# -- every shape of export ---------------------------------------------------------------------


SHAPES = [
    pytest.param("xlsx", None, False, True, id="xlsx-xml-values"),
    pytest.param("xlsx", "en", False, True, id="xlsx-labels-english"),
    pytest.param("xlsx", "sq", False, True, id="xlsx-labels-albanian"),
    pytest.param("xlsx", "sr", True, True, id="xlsx-labels-serbian-cyrillic-groups"),
    pytest.param("csv", None, True, True, id="csv-xml-values-groups"),
    pytest.param("csv", "sr-latn", False, True, id="csv-labels-serbian-latin"),
    pytest.param("csv", "sq", True, False, id="csv-labels-albanian-groups-older-server"),
    pytest.param("xlsx", "sr", False, False, id="xlsx-labels-serbian-cyrillic-older-server"),
]


@pytest.mark.parametrize(("fmt", "language", "groups", "root_uuid"), SHAPES)
def test_every_export_kobotoolbox_writes_imports_with_the_plain_command(
    personas: dict[str, User],
    hearing: Activity,
    tmp_path: Path,
    fmt: str,
    language: str | None,
    groups: bool,
    root_uuid: bool,
) -> None:
    data = export(
        hearing,
        [dragana(hearing), besnik(hearing), milica(hearing)],
        language=language,
        groups=groups,
        root_uuid=root_uuid,
        fmt=fmt,
    )
    path = write(tmp_path, kobo_name(hearing, language, fmt), data)

    out = run(path, "--activity", hearing.pk, "--user", "me")

    assert "Attendances added: 3; persons created: 3;" in out
    batch = ImportBatch.objects.get()
    assert batch.source == ImportSource.KOBO
    if fmt == "xlsx":  # the title, cut to Excel's 31 characters
        assert batch.sheet_name == "Attendance at Public hearing..."
    persons = {
        person.given_name: person
        for person in Person.objects.filter(attendances__activity=hearing).select_related(
            "community", "municipality"
        )
    }
    assert set(persons) == {"Dragana", "Besnik", "Милица"}
    # The consent answer is read in every language ("Yes", "Po", "Da", "Да") and as a value.
    assert persons["Dragana"].community == community("serb")
    assert persons["Dragana"].community_consent == ConsentBasis.CONSENT
    assert persons["Besnik"].community == community("albanian")
    assert persons["Besnik"].birth_date == dt.date(1979, 1, 30)
    assert persons["Besnik"].municipality == municipality("gjilan")
    assert persons["Милица"].community is None
    assert persons["Милица"].community_consent == ConsentBasis.NOT_RECORDED
    speaker = Attendance.objects.get(activity=hearing, person=persons["Besnik"])
    assert speaker.role == "speaker"
    assert speaker.source_key == "0a4b2c8e-2222-4f0e-9d51-2c3f0f7d1e10"


def test_the_export_sheet_name_is_the_title_cut_as_formpack_cuts_it() -> None:
    assert sheet_name("Attendance at Public hearing on the budget") == (
        "Attendance at Public hearing..."
    )
    assert len(sheet_name("Attendance at Public hearing on the budget")) == 31
    assert sheet_name("Attendance: 12/05") == "Attendance_ 12_05"


# -- edits -------------------------------------------------------------------------------------


@pytest.mark.parametrize("root_uuid", [True, False], ids=["current-server", "older-server"])
def test_an_edited_submission_updates_its_row_and_is_audited(
    personas: dict[str, User], hearing: Activity, tmp_path: Path, root_uuid: bool
) -> None:
    first = [dragana(hearing), besnik(hearing)]
    run(
        write(tmp_path, "export-1.xlsx", export(hearing, first, root_uuid=root_uuid)),
        "--activity",
        hearing.pk,
        "--user",
        "me",
    )
    before = Person.objects.get(given_name="Dragana")
    # On the server a supervisor corrects Dragana's family name and birth date (KoboToolbox
    # gives the edit a new _uuid); a new attendee is submitted too.
    corrected = first[0].edited(
        "99999999-1111-4f0e-9d51-2c3f0f7d1e10",
        family_name="Petrović-Ilić",
        birth_date="1984-03-02",
    )
    second = [corrected, first[1], milica(hearing)]

    out = run(
        write(tmp_path, "export-2.xlsx", export(hearing, second, root_uuid=root_uuid)),
        "--activity",
        hearing.pk,
        "--user",
        "me",
    )

    assert (
        "Attendances added: 1; persons created: 1; rows skipped as already on the roster: 1;"
        in (out)
    )
    assert "Submissions edited on the server, updated on the roster: 1;" in out
    assert Attendance.objects.filter(activity=hearing).count() == 3
    after = Person.objects.get(pk=before.pk)
    assert after.family_name == "Petrović-Ilić"
    assert (after.birth_date, after.birth_year) == (dt.date(1984, 3, 2), None)
    assert not Person.objects.filter(family_name="Petrović").exists()  # not a second person
    batch = ImportBatch.objects.get(file_name="export-2.xlsx")
    edited = next(row for row in batch.rows if row["number"] == 2)
    with translation.override("en"):
        notes = row_notes(edited)
    assert notes == [
        "Edited on the server since it was imported: its row is updated (Family name: "
        "“Petrović” → “Petrović-Ilić”; Birth date: “1984” → “1984-03-02”)."
    ]
    entry = AuditEntry.objects.get(action="import_submission_edit")
    assert entry.changes["family_name"] == ["Petrović", "Petrović-Ilić"]

    # Rolled back, the edit is undone: the roster is as the first export left it.
    import_rollback(actor=personas["me"], batch=batch, reason="Imported before the review")
    restored = Person.objects.get(pk=before.pk)
    assert (restored.family_name, restored.birth_year) == ("Petrović", 1984)
    assert Attendance.objects.filter(activity=hearing).count() == 2


def test_an_edit_is_shown_in_the_preview(
    client: Any, personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    from akt.intake.services import import_check, import_receive

    run(write(tmp_path, "a.csv", export(hearing, [besnik(hearing)], fmt="csv")), "--user", "me")
    edited = besnik(hearing).edited("77777777-2222-4f0e-9d51-2c3f0f7d1e10", role="participant")
    batch = import_receive(
        actor=personas["me"], data=export(hearing, [edited], fmt="csv"), file_name="b.csv"
    )
    import_check(actor=personas["me"], batch=batch)

    client.force_login(personas["me"])
    page = client.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()

    assert "Edited on the server since it was imported: its row is updated (Role: " in page
    assert "Speaker" in page and "Participant" in page


def test_an_export_imported_again_unchanged_adds_and_changes_nothing(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    submissions = [dragana(hearing), besnik(hearing)]
    run(write(tmp_path, "a.csv", export(hearing, submissions, fmt="csv")), "--user", "me")

    # The same submissions exported later as labels, in Albanian: another file, the same rows.
    again = export(hearing, submissions, fmt="csv", language="sq")
    out = run(write(tmp_path, "b.csv", again), "--user", "me")

    assert (
        "Attendances added: 0; persons created: 0; rows skipped as already on the roster: 2;"
        in (out)
    )
    assert "updated on the roster: 0;" in out


# -- the activity --------------------------------------------------------------------------------


def test_an_export_of_another_activity_is_refused_naming_both(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    other = ActivityFactory(
        title="Public hearing on the Zvečan spatial plan",
        kind=ActivityKind.PUBLIC_HEARING,
        municipality=municipality("zvecan"),
        start_date=dt.date(2015, 5, 12),
        end_date=dt.date(2015, 5, 12),
    )
    path = write(tmp_path, "export.xlsx", export(hearing, [dragana(hearing)]))

    message = refused(path, "--activity", other.pk, "--user", "me")

    assert f"This export is of activity {hearing.pk}, “{hearing.title}”" in message
    assert f"not of activity {other.pk}, “{other.title}”" in message
    assert not ImportBatch.objects.exists()
    assert not Attendance.objects.exists()


def test_an_odk_export_named_after_another_activitys_form_is_refused(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    other = ActivityFactory(municipality=municipality("gracanice"))
    # ODK Central names its export after the form id; this one has no activity_id column.
    data = (
        b"SubmissionDate,given_name,family_name,sex,meta-instanceID,KEY,ReviewState\r\n"
        b"2015-05-12T10:05:44.000Z,Arben,Krasniqi,male,uuid:77,uuid:76,\r\n"
    )
    path = write(tmp_path, f"akt_attendance_{hearing.pk}.csv", data)

    message = refused(path, "--activity", other.pk, "--user", "me")

    assert f"This export is of activity {hearing.pk}" in message
    out = run(path, "--user", "me")  # without --activity, the form id names the activity
    assert f"imported into “{hearing.title}”" in out


def test_an_export_of_several_activities_is_refused(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    other = ActivityFactory(municipality=municipality("gracanice"))
    stray = besnik(hearing)
    stray.answers["activity_id"] = str(other.pk)

    message = refused(
        write(tmp_path, "e.csv", export(hearing, [dragana(hearing), stray], fmt="csv")),
        "--activity",
        hearing.pk,
        "--user",
        "me",
    )

    assert "The export holds submissions of several activities" in message


# -- supervisors' decisions ------------------------------------------------------------------------


@pytest.mark.parametrize("language", [None, "sq"], ids=["xml-values", "labels"])
def test_submissions_not_approved_are_left_out_and_counted(
    personas: dict[str, User],
    hearing: Activity,
    tmp_path: Path,
    language: str | None,
) -> None:
    rejected = milica(hearing)
    rejected.status = "validation_status_not_approved"
    rejected.answers["birth_date"] = "31.02.1990"  # a rejected row's problems refuse nothing
    held = besnik(hearing)
    held.status = "validation_status_on_hold"
    approved = dragana(hearing)
    approved.status = "validation_status_approved"
    unreviewed = Submission(
        310561,
        "0a4b2c8e-4444-4f0e-9d51-2c3f0f7d1e10",
        {"given_name": "Arta", "family_name": "Berisha", "sex": "female"},
    )
    data = export(hearing, [rejected, held, approved, unreviewed], language=language)

    out = run(write(tmp_path, "export.xlsx", data), "--activity", hearing.pk, "--user", "me")

    assert "Attendances added: 2; persons created: 2;" in out
    assert "left out as “Not approved”: 1; left out as “On hold”: 1;" in out
    names = set(
        Attendance.objects.filter(activity=hearing).values_list("person__given_name", flat=True)
    )
    assert names == {"Dragana", "Arta"}
    batch = ImportBatch.objects.get()
    assert (batch.summary["not_approved"], batch.summary["on_hold"]) == (1, 1)
    left = {row["number"]: row for row in batch.rows if row.get("skip")}
    with translation.override("en"):
        assert row_notes(left[2]) == ["Marked “Not approved” on the server: left out."]
        assert row_notes(left[3]) == [
            "Marked “On hold” on the server: left out until it is approved."
        ]


def test_a_submission_rejected_after_it_was_imported_is_pointed_out(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    run(write(tmp_path, "a.csv", export(hearing, [dragana(hearing)], fmt="csv")), "--user", "me")
    first = ImportBatch.objects.get()
    rejected = dragana(hearing)
    rejected.status = "validation_status_not_approved"

    out = run(write(tmp_path, "b.csv", export(hearing, [rejected], fmt="csv")), "--user", "me")

    assert "left out as “Not approved”: 1;" in out
    row = ImportBatch.objects.get(file_name="b.csv").rows[0]
    with translation.override("en"):
        assert row_notes(row)[1] == (
            f"An earlier export put this submission on the roster (import {first.pk}); it stays "
            "there. Roll that import back if it should not count."
        )
    assert Attendance.objects.filter(activity=hearing).count() == 1


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("validation_status_not_approved", NOT_APPROVED),
        ("Not Approved", NOT_APPROVED),
        ("validation_status_on_hold", ON_HOLD),
        ("On Hold", ON_HOLD),
        ("validation_status_approved", APPROVED),
        ("Approved", APPROVED),
        ("rejected", NOT_APPROVED),  # ODK Central's review state
        ("hasIssues", ON_HOLD),
        ("", ""),
        ("edited", ""),
    ],
)
def test_a_supervisors_decision_is_read_as_kobo_and_odk_write_it(text: str, state: str) -> None:
    assert review_state(text) == state


@pytest.mark.parametrize(
    ("answer", "agrees"),
    [
        ("yes", True),
        ("Yes", True),
        ("Po", True),
        ("Da", True),
        ("Да", True),
        ("no", False),
        ("Jo", False),
        ("Ne", False),
        ("Не", False),
    ],
)
def test_the_consent_answer_is_read_in_every_language(answer: str, agrees: bool) -> None:
    from akt.intake.fields import header_key

    assert consent_answers()[header_key(answer)] is agrees


def test_a_split_multiple_select_question_keeps_only_its_summary() -> None:
    # A question added to the form on the server, exported with "both" multiple-select columns.
    headers = ["given_name", "topics", "topics/languages", "topics/budget", "_id", "_uuid"]
    row = ["Ana", "languages budget", "1", "1", "5", "u-5"]

    out_headers, rows = kobo_rows(headers, [row])

    assert out_headers == (*SERVER_FIELDS, "given_name", "topics")
    assert rows == [("u-5", "_id:5 u-5", "", "Ana", "languages budget")]


# -- organizations typed as free text --------------------------------------------------------------


def test_an_organization_is_matched_across_scripts_or_registered_once(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    office = OrganizationFactory(
        name="Opština Gračanica",
        kind=OrganizationKind.MUNICIPAL_OFFICE,
        municipality=municipality("gracanice"),
    )
    typed = {
        "Dragana": "Opstina Gracanica",
        "Besnik": "Komuna e Graçanicës",
        "Милица": "Општина Грачаница",
    }
    people = [dragana(hearing), besnik(hearing), milica(hearing)]
    for person in people:
        person.answers["organization"] = typed[person.answers["given_name"]]
    # Two clerks type a women's association not yet registered, one without diacritics.
    people += [
        Submission(
            310570,
            "0a4b2c8e-7777-4f0e-9d51-2c3f0f7d1e10",
            {
                "given_name": "Fatmire",
                "family_name": "Hasani",
                "sex": "female",
                "organization": "Shoqata e Grave “Ardhmëria”",
            },
        ),
        Submission(
            310571,
            "0a4b2c8e-8888-4f0e-9d51-2c3f0f7d1e10",
            {
                "given_name": "Valbona",
                "family_name": "Kelmendi",
                "sex": "female",
                "organization": "shoqata e grave Ardhmeria",
            },
        ),
    ]
    before = Organization.objects.count()

    out = run(
        write(tmp_path, "export.csv", export(hearing, people, fmt="csv")),
        "--activity",
        hearing.pk,
        "--user",
        "me",
    )

    assert "Attendances added: 5;" in out
    assert "organizations registered: 1." in out
    assert Organization.objects.count() == before + 1  # never a second Opština Gračanica
    by_name = dict(
        Attendance.objects.filter(activity=hearing).values_list(
            "person__given_name", "organization__name"
        )
    )
    assert by_name["Dragana"] == by_name["Besnik"] == by_name["Милица"] == office.name
    assert by_name["Fatmire"] == by_name["Valbona"] == "Shoqata e Grave “Ardhmëria”"
    new = Organization.objects.get(name="Shoqata e Grave “Ardhmëria”")
    assert (new.kind, new.municipality) == (OrganizationKind.OTHER, hearing.municipality)

    batch = ImportBatch.objects.get()
    import_rollback(actor=personas["me"], batch=batch, reason="Wrong hearing")
    assert batch.status != BatchStatus.STAGED
    assert not Organization.objects.filter(pk=new.pk).exists()
    assert Organization.objects.filter(pk=office.pk).exists()


def test_a_new_organization_is_proposed_in_the_preview(
    personas: dict[str, User], hearing: Activity
) -> None:
    from akt.intake.services import import_check, import_receive

    person = besnik(hearing)
    person.answers["organization"] = "Komuna e Graçanicës"  # no such office registered yet
    batch = import_receive(
        actor=personas["me"], data=export(hearing, [person], fmt="csv"), file_name="e.csv"
    )
    batch = import_check(actor=personas["me"], batch=batch)

    assert batch.problem_count == 0
    with translation.override("sq"):
        notes = row_notes(batch.rows[0])
    with translation.override("en"):
        english = row_notes(batch.rows[0])
    assert english == [
        "The organization “Komuna e Graçanicës” is not registered: it is registered on import."
    ]
    assert notes and "Komuna e Graçanicës" in notes[0]
