"""The attendance XLSForm and its submissions read back.

The form converts with pyxform, the converter KoboToolbox and ODK Central use: a form pyxform
accepts without warnings loads in KoboToolbox and ODK Collect. The exports are written here as
those servers write them.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import ConvertResult, convert

from akt.activities.models import AttendanceRole
from akt.intake.fields import ROSTER_FIELDS, recognise
from akt.intake.sources.kobo import (
    SERVER_FIELDS,
    column_name,
    kobo_rows,
    read_kobo,
    submission_id,
)
from akt.intake.tests.test_templates import COMMUNITIES, MUNICIPALITIES, an_activity
from akt.intake.xlsform import BIRTH_DATE_PATTERN, attendance_xlsform, language_column
from akt.people.models import Affiliation, Sex

XF = "{http://www.w3.org/2002/xforms}"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def xlsform(language: str = "en", title: str = "Public debate on the municipal budget") -> bytes:
    return attendance_xlsform(
        activity=an_activity(title),
        communities=COMMUNITIES,
        municipalities=MUNICIPALITIES,
        version="2015051201",
        language=language,
    )


def converted(data: bytes) -> tuple[ConvertResult, list[str]]:
    warnings: list[str] = []
    result = convert(data, warnings=warnings, file_type=".xlsx")
    return result, warnings


def itext(xform: str) -> dict[str, dict[str, str]]:
    """Language -> text id -> the text, from the XForm's translations."""
    model = ET.fromstring(xform).find(f".//{XF}model")
    texts: dict[str, dict[str, str]] = {}
    for translation_ in model.iter(f"{XF}translation"):
        texts[translation_.get("lang")] = {
            text.get("id"): "".join(text.find(f"{XF}value").itertext())
            for text in translation_.iter(f"{XF}text")
        }
    return texts


def instance_fields(xform: str) -> list[str]:
    instance = ET.fromstring(xform).find(f".//{XF}instance/{XF}data")
    return [child.tag.removeprefix(XF) for child in instance]


@pytest.fixture(scope="module")
def form() -> tuple[ConvertResult, list[str]]:
    return converted(xlsform())


def test_pyxform_converts_the_form_without_warnings(form: tuple[ConvertResult, list[str]]) -> None:
    result, warnings = form
    assert warnings == []
    assert result.xform.startswith("<?xml")
    assert 'id="akt_attendance_42"' in result.xform
    assert 'version="2015051201"' in result.xform


def test_one_submission_is_one_attendee_named_by_the_field_codes(
    form: tuple[ConvertResult, list[str]],
) -> None:
    fields = instance_fields(form[0].xform)
    # The consents are asked where they belong: the person's before anything else, the
    # community's just before the community.
    consents = {"consent", "community_consent"}
    codes = [item.code for item in ROSTER_FIELDS if item.code not in {"full_name", *consents}]
    assert [name for name in fields if name in codes] == codes
    assert {"activity_id", "community_consent", "meta"} <= set(fields)
    assert fields.index("consent") < fields.index("given_name")
    assert fields.index("community_consent") == fields.index("community") - 1
    assert 'nodeset="/data/activity_id" type="string" calculate="42"' in form[0].xform
    assert re.search(r'nodeset="/data/given_name"[^>]*required="true\(\)"', form[0].xform)
    assert re.search(r'nodeset="/data/family_name"[^>]*required="true\(\)"', form[0].xform)
    assert "<role>participant</role>" in form[0].xform


def test_every_language_has_the_labels_in_its_own_words(
    form: tuple[ConvertResult, list[str]],
) -> None:
    texts = itext(form[0].xform)

    assert list(texts) == [language_column(code) for code in LANGUAGES]
    assert list(texts) == ["English (en)", "Shqip (sq)", "Srpski (sr)", "Српски (sr)"]
    for code in LANGUAGES:
        in_language = texts[language_column(code)]
        with translation.override(code):
            for item in ROSTER_FIELDS:
                if item.code not in {"full_name", "community_consent"}:  # that one is a question
                    assert in_language[f"/data/{item.code}:label"] == str(item.label)
            assert in_language["/data/given_name:hint"] == str(ROSTER_FIELDS[0].help)
    municipality_labels = {
        language: {
            value for key, value in texts[language].items() if key.startswith("municipality-")
        }
        for language in texts
    }
    assert "Gračanica/Graçanicë" in municipality_labels["English (en)"]
    assert "Graçanicë" in municipality_labels["Shqip (sq)"]
    assert "Gračanica" in municipality_labels["Srpski (sr)"]
    assert "Грачаница" in municipality_labels["Српски (sr)"]
    community_labels = {
        language: [value for key, value in texts[language].items() if key.startswith("community-")]
        for language in texts
    }
    assert community_labels["Српски (sr)"] == [item.name_sr_cyrl for item in COMMUNITIES]
    assert community_labels["Shqip (sq)"] == [item.name_sq for item in COMMUNITIES]


def test_choices_are_named_by_the_codes_the_program_stores(
    form: tuple[ConvertResult, list[str]],
) -> None:
    root = ET.fromstring(form[0].xform)

    def names(list_name: str) -> list[str]:
        instance = root.find(f".//{XF}instance[@id='{list_name}']")
        return [item.findtext(f"{XF}name") for item in instance.iter(f"{XF}item")]

    assert names("sex") == list(Sex.values)
    assert names("role") == list(AttendanceRole.values)
    assert names("affiliation") == list(Affiliation.values)
    assert names("community") == [item.code for item in COMMUNITIES]
    assert sorted(names("municipality")) == sorted(item.code for item in MUNICIPALITIES)
    assert "gracanice" in names("municipality")
    assert names("yes_no") == ["yes", "no"]


def test_community_is_asked_only_with_consent(form: tuple[ConvertResult, list[str]]) -> None:
    assert re.search(
        r'nodeset="/data/community"[^>]*relevant="\s*/data/community_consent\s*=\s*\'yes\'"',
        form[0].xform,
    )


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("1980", True),
        ("1980-05-12", True),
        ("2004-12-31", True),
        ("80", False),
        ("12.05.1980", False),
        ("1980-13-01", False),
        ("1880", False),
        ("1980-5-1", False),
    ],
)
def test_the_birth_date_takes_a_year_or_a_full_date(value: str, accepted: bool) -> None:
    # XPath regex() and Python agree on this pattern (no lookarounds, no classes beyond [0-9]).
    assert bool(re.search(BIRTH_DATE_PATTERN, value)) is accepted


def test_settings_carry_title_id_version_and_default_language() -> None:
    book = load_workbook(io.BytesIO(xlsform("sq")))
    assert book.sheetnames == ["survey", "choices", "settings"]
    settings_sheet = dict(zip(*book["settings"].iter_rows(values_only=True), strict=True))
    with translation.override("sq"):
        title = translation.gettext("Attendance at %(title)s") % {
            "title": "Public debate on the municipal budget"
        }
    assert settings_sheet == {
        "form_title": title,
        "form_id": "akt_attendance_42",
        "version": "2015051201",
        "default_language": "Shqip (sq)",
    }
    result, warnings = converted(xlsform("sq"))
    assert warnings == []
    assert '<translation lang="Shqip (sq)" default="true()">' in result.xform


def test_a_title_that_looks_like_a_formula_stays_text() -> None:
    title = "=1+1 debate"
    data = xlsform(title=title)
    book = load_workbook(io.BytesIO(data))
    assert not [
        cell.coordinate
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    result, warnings = converted(data)
    assert warnings == []
    assert title in result.xform


def test_the_default_language_is_the_active_one() -> None:
    with translation.override("sr"):
        data = attendance_xlsform(
            activity=an_activity(),
            communities=COMMUNITIES,
            municipalities=MUNICIPALITIES,
            version="1",
        )
    settings_sheet = load_workbook(io.BytesIO(data))["settings"]
    assert settings_sheet["D2"].value == "Српски (sr)"
    with pytest.raises(ValueError, match="de"):
        xlsform("de")


def test_an_unsaved_activity_is_refused() -> None:
    activity = an_activity()
    activity.pk = None
    with pytest.raises(ValueError, match="saved"):
        attendance_xlsform(
            activity=activity, communities=[], municipalities=[], version="1", language="en"
        )


# Reading the form's submissions back: exports as KoboToolbox and ODK Central write them.

KOBO_HEADERS = [
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
    "attendee/organization",
    "attendee/affiliation",
    "activity_id",
    "meta/instanceID",
    "meta/rootUuid",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
]
KOBO_ROW = [
    "2015-05-12T09:58:01.000+02:00",
    "2015-05-12T10:01:13.000+02:00",
    "Dragana",
    "Petrović",
    "female",
    "1984",
    "yes",
    "serb",
    "gracanice",
    "participant",
    "",
    "farmer",
    "42",
    "uuid:0a4b2c8e-1111-4f0e-9d51-2c3f0f7d1e10",
    "",
    "310558",
    "0a4b2c8e-1111-4f0e-9d51-2c3f0f7d1e10",
    "2015-05-12T10:05:44",
    "",
    "",
    "submitted_via_web",
    "staff1",
    "vHqZ4d8Ud3ZHeP6xk5tTqR",
    "",
    "1",
]
ATTENDEE_COLUMNS = (
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "community_consent",
    "community",
    "municipality",
    "role",
    "organization",
    "affiliation",
    "activity_id",
)


def test_a_kobo_export_keeps_the_attendee_the_activity_and_the_submission() -> None:
    headers, rows = kobo_rows(KOBO_HEADERS, [KOBO_ROW])

    assert headers == (*SERVER_FIELDS, *ATTENDEE_COLUMNS)
    assert rows == [
        (
            "0a4b2c8e-1111-4f0e-9d51-2c3f0f7d1e10",
            "0a4b2c8e-1111-4f0e-9d51-2c3f0f7d1e10 _id:310558",
            "",
            "Dragana",
            "Petrović",
            "female",
            "1984",
            "yes",
            "serb",
            "gracanice",
            "participant",
            "",
            "farmer",
            "42",
        )
    ]
    assert recognise(headers, ROSTER_FIELDS) == {
        headers.index(item.code): item.code for item in ROSTER_FIELDS if item.code in headers
    }


def test_an_edited_submission_keeps_its_first_uuid() -> None:
    # KoboToolbox gives an edit a new _uuid and instanceID; meta/rootUuid stays the first one.
    edited = list(KOBO_ROW)
    edited[KOBO_HEADERS.index("meta/instanceID")] = "uuid:99999999-2222-4f0e-9d51-2c3f0f7d1e10"
    edited[KOBO_HEADERS.index("_uuid")] = "99999999-2222-4f0e-9d51-2c3f0f7d1e10"
    edited[KOBO_HEADERS.index("meta/rootUuid")] = "uuid:0a4b2c8e-1111-4f0e-9d51-2c3f0f7d1e10"

    _headers, rows = kobo_rows(KOBO_HEADERS, [KOBO_ROW, edited])

    assert [row[0] for row in rows] == ["0a4b2c8e-1111-4f0e-9d51-2c3f0f7d1e10"] * 2
    # Every id the edit carries is kept, so an older export's row is recognised by any of them.
    assert set(rows[1][1].split()) == {
        "0a4b2c8e-1111-4f0e-9d51-2c3f0f7d1e10",
        "99999999-2222-4f0e-9d51-2c3f0f7d1e10",
        "_id:310558",
    }


def test_an_odk_central_export_is_read_the_same_way() -> None:
    headers = [
        "SubmissionDate",
        "attendee-given_name",
        "attendee-family_name",
        "attendee-sex",
        "activity_id",
        "meta-instanceID",
        "KEY",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
    ]
    row = [
        "2015-05-12T10:05:44.000Z",
        "Arben",
        "Krasniqi",
        "male",
        "42",
        "uuid:77",
        "uuid:76",
        "5",
        "staff",
        "0",
        "0",
        "",
        "approved",
        "collect:abc",
        "1",
        "2015051201",
    ]

    assert kobo_rows(headers, [row]) == (
        (*SERVER_FIELDS, "given_name", "family_name", "sex", "activity_id"),
        [("76", "77 76", "approved", "Arben", "Krasniqi", "male", "42")],
    )


def test_a_label_export_keeps_its_headers_for_recognition() -> None:
    # The form's labels in Albanian are read as its questions; the note's label heads a
    # column with nothing in it, which is dropped.
    headers = ["start", "Emri", "Mbiemri", "Gjinia", "activity_id", "_uuid", "Plotësoni një"]
    rows = [["x", "Arta", "Berisha", "Femër", 42, "uuid:5", None], [None, "", "", "", "", ""]]

    out_headers, out_rows = kobo_rows(headers, rows)

    assert out_headers == (*SERVER_FIELDS, "given_name", "family_name", "sex", "activity_id")
    assert out_rows == [("5", "5", "", "Arta", "Berisha", "Femër", "42")]
    assert recognise(out_headers, ROSTER_FIELDS) == {3: "given_name", 4: "family_name", 5: "sex"}


def test_a_question_in_two_groups_keeps_its_path_the_second_time() -> None:
    headers, rows = kobo_rows(["a/given_name", "b/given_name"], [["Ana"]])
    assert headers == (*SERVER_FIELDS, "given_name", "b/given_name")
    assert rows == [("", "", "", "Ana", "")]


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("given_name", "given_name"),
        (" attendee/given_name ", "given_name"),
        ("group_a/group_b/birth_date", "birth_date"),
        ("attendee-family_name", "family_name"),
        ("attendee.municipality", "municipality"),
        ("meta-instanceID", "instanceID"),
        ("first-aid", "first-aid"),
        ("Given name", "Given name"),
    ],
)
def test_column_names_lose_their_group_path(header: str, name: str) -> None:
    assert column_name(header) == name


def test_submission_ids_lose_their_uuid_prefix() -> None:
    assert submission_id("uuid:0a4b") == "0a4b"
    assert submission_id(" 0a4b ") == "0a4b"


def test_a_kobo_csv_export_is_read_with_its_row_numbers() -> None:
    # KoboToolbox's CSV export: ";" between cells, every cell quoted, UTF-8.
    def line(cells: list[str]) -> str:
        return ";".join(f'"{cell}"' for cell in cells) + "\r\n"

    data = line(KOBO_HEADERS) + line(KOBO_ROW) + line([""] * len(KOBO_HEADERS)) + line(KOBO_ROW)

    sheet = read_kobo(data.encode("utf-8"), "akt_attendance_42.csv")

    assert sheet.headers == (*SERVER_FIELDS, *ATTENDEE_COLUMNS)
    assert [row.number for row in sheet.rows] == [2, 4]
    assert sheet.rows[0].cells[:6] == (
        "0a4b2c8e-1111-4f0e-9d51-2c3f0f7d1e10",
        "0a4b2c8e-1111-4f0e-9d51-2c3f0f7d1e10 _id:310558",
        "",
        "Dragana",
        "Petrović",
        "female",
    )


def test_a_kobo_xlsx_export_is_read_the_same_way() -> None:
    book = Workbook()
    book.active.title = "Attendance at Public debate"
    book.active.append(KOBO_HEADERS)
    book.active.append(KOBO_ROW)
    out = io.BytesIO()
    book.save(out)

    sheet = read_kobo(out.getvalue(), "akt_attendance_42.xlsx")

    assert sheet.headers == (*SERVER_FIELDS, *ATTENDEE_COLUMNS)
    assert [row.number for row in sheet.rows] == [2]
    assert sheet.rows[0].cells[0] == "0a4b2c8e-1111-4f0e-9d51-2c3f0f7d1e10"
    assert sheet.rows[0].cells[-1] == "42"
