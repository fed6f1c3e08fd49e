"""The downloadable Excel templates, read back with openpyxl as Excel would open them.

No database: the communities and municipalities are unsaved records built from the reference
data files the database is loaded from, so the names checked are the real ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from akt.activities.models import Activity, ActivityKind, AgeBand, AttendanceRole
from akt.intake.fields import ROSTER_FIELDS, TALLY_FIELDS, Field, header_key, recognise
from akt.intake.sources.base import read_sheet
from akt.intake.templates_xlsx import (
    ACTIVITY_SHEET_TITLES,
    LISTS_SHEET,
    TEMPLATE_ROWS,
    is_activity_sheet,
    read_activity_sheet,
    roster_template,
    tally_template,
)
from akt.people.models import Affiliation, Sex
from akt.places.models import Community, Municipality

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PLACES_DATA = Path(__file__).resolve().parents[2] / "places" / "data"
ROSTER_TEMPLATE_FIELDS = [item for item in ROSTER_FIELDS if item.code != "full_name"]


def reference_places() -> tuple[list[Community], list[Municipality]]:
    """Unsaved communities and municipalities, as ``load_reference`` would store them."""
    with open(PLACES_DATA / "communities.csv", encoding="utf-8") as file:
        communities = [
            Community(
                pk=order,
                code=row["code"],
                name_en=row["name_en"],
                name_sq=row["name_sq"],
                name_sr_latn=row["name_sr_latn"],
                name_sr_cyrl=row["name_sr_cyrl"],
                sort_order=order,
                is_declared=row["is_declared"] == "yes",
            )
            for order, row in enumerate(csv.DictReader(file), start=1)
        ]
    by_code = {item.code: item for item in communities}
    with open(PLACES_DATA / "municipalities.csv", encoding="utf-8") as file:
        municipalities = [
            Municipality(
                pk=number,
                code=row["code"],
                name_sq=row["name_sq"],
                name_sr_latn=row["name_sr_latn"],
                name_sr_cyrl=row["name_sr_cyrl"],
                majority_community=by_code.get(row["majority_community"]),
            )
            for number, row in enumerate(csv.DictReader(file), start=1)
        ]
    return communities, municipalities


COMMUNITIES, MUNICIPALITIES = reference_places()
GRACANICA = next(item for item in MUNICIPALITIES if item.code == "gracanice")


def an_activity(title: str = "Public debate on the municipal budget") -> Activity:
    return Activity(
        pk=42,
        title=title,
        kind=ActivityKind.PUBLIC_DEBATE,
        municipality=GRACANICA,
        start_date=dt.date(2015, 5, 12),
        end_date=dt.date(2015, 5, 13),
    )


def open_roster(language: str, activity: Activity | None = None) -> Workbook:
    data = roster_template(
        language=language,
        activity=activity,
        communities=COMMUNITIES,
        municipalities=MUNICIPALITIES,
    )
    return load_workbook(io.BytesIO(data))


def open_tally(language: str, activity: Activity | None = None) -> Workbook:
    data = tally_template(language=language, activity=activity, communities=COMMUNITIES)
    return load_workbook(io.BytesIO(data))


def labels(fields: list[Field] | tuple[Field, ...], language: str) -> list[str]:
    with translation.override(language):
        return [str(item.label) for item in fields]


def choice_labels(choices: type, language: str) -> list[str]:
    with translation.override(language):
        return [str(label) for label in choices.labels]


def headers(sheet: Worksheet) -> list[str]:
    return [cell.value for cell in sheet[1] if cell.value is not None]


def drop_downs(book: Workbook) -> dict[str, list[str]]:
    """Header of the data sheet's column -> the values its list validation offers."""
    data = book.worksheets[0]
    lists: dict[str, list[str]] = {}
    for rule in data.data_validations.dataValidation:
        if rule.type != "list":
            continue
        assert not rule.formula1.startswith('"'), "lists are ranges, not inline strings"
        # Excel shows the drop-down arrow unless showDropDown is set, and warns on other values.
        assert not rule.showDropDown
        assert (rule.showErrorMessage, rule.errorStyle) == (True, "warning")
        match = re.fullmatch(r"'?([^'!]+)'?!(\$[A-Z]+\$\d+:\$[A-Z]+\$\d+)", rule.formula1)
        assert match, rule.formula1
        sheet_name, cells = match.groups()
        min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
        values = [
            row[0]
            for row in book[sheet_name].iter_rows(
                min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col, values_only=True
            )
        ]
        (target,) = str(rule.sqref).split()
        column = re.match(r"[A-Z]+", target).group()
        assert target == f"{column}2:{column}{TEMPLATE_ROWS}"
        header = data.cell(row=1, column=column_index_from_string(column)).value
        lists[header] = values
    return lists


def localized_names(places: list, suffix: str) -> list[str]:
    return [getattr(place, f"name_{suffix}") for place in places]


@pytest.mark.parametrize("language", LANGUAGES)
def test_roster_headers_are_the_labels_in_the_chosen_language(language: str) -> None:
    data = open_roster(language).worksheets[0]

    expected = labels(ROSTER_TEMPLATE_FIELDS, language)
    assert headers(data) == expected
    assert all(cell.font.bold for cell in data[1])
    assert data.freeze_panes == "A2"
    assert all(data.column_dimensions[cell.column_letter].width >= 12 for cell in data[1])
    # Read back in any language, every header names its field again.
    assert recognise(expected, ROSTER_FIELDS) == {
        index: item.code for index, item in enumerate(ROSTER_TEMPLATE_FIELDS)
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_tally_headers_are_the_labels_in_the_chosen_language(language: str) -> None:
    data = open_tally(language).worksheets[0]

    expected = labels(TALLY_FIELDS, language)
    assert headers(data) == expected
    assert recognise(expected, TALLY_FIELDS) == {
        index: item.code for index, item in enumerate(TALLY_FIELDS)
    }


def test_header_comments_and_instructions_carry_each_fields_help() -> None:
    book = open_roster("sq")
    with translation.override("sq"):
        helps = [str(item.help) for item in ROSTER_TEMPLATE_FIELDS]
        instructions = book[str(translation.gettext("Instructions"))]
    assert [cell.comment.text for cell in book.worksheets[0][1]] == helps
    rows = list(instructions.iter_rows(values_only=True))
    assert [row[:2] for row in rows if row[1] in helps] == list(
        zip(labels(ROSTER_TEMPLATE_FIELDS, "sq"), helps, strict=True)
    )
    text = " ".join(str(row[0]) for row in rows if row[0])
    assert "YYYY-MM-DD" in text
    assert "DD.MM.YYYY" in text


@pytest.mark.parametrize(
    ("language", "suffix", "gracanica"),
    [
        ("en", "en", "Gračanica/Graçanicë"),
        ("sq", "sq", "Graçanicë"),
        ("sr-latn", "sr_latn", "Gračanica"),
        ("sr", "sr_cyrl", "Грачаница"),
    ],
)
def test_roster_drop_downs_offer_the_lists_in_the_chosen_language(
    language: str, suffix: str, gracanica: str
) -> None:
    book = open_roster(language)
    header = dict(
        zip(
            (item.code for item in ROSTER_TEMPLATE_FIELDS), headers(book.worksheets[0]), strict=True
        )
    )

    lists = drop_downs(book)

    assert set(lists) == {
        header[code]
        for code in (
            "sex",
            "community",
            "municipality",
            "role",
            "affiliation",
            "consent",
            "community_consent",
        )
    }
    with translation.override(language):
        yes_no = [translation.gettext("Yes"), translation.gettext("No")]
    assert lists[header["consent"]] == lists[header["community_consent"]] == yes_no
    assert lists[header["sex"]] == choice_labels(Sex, language)
    assert lists[header["role"]] == choice_labels(AttendanceRole, language)
    assert lists[header["affiliation"]] == choice_labels(Affiliation, language)
    assert lists[header["community"]] == localized_names(COMMUNITIES, suffix)
    assert sorted(lists[header["municipality"]]) == sorted(localized_names(MUNICIPALITIES, suffix))
    assert gracanica in lists[header["municipality"]]
    assert book[LISTS_SHEET].sheet_state == "hidden"


def test_the_birth_date_column_is_text_so_excel_keeps_dates_as_typed() -> None:
    data = open_roster("en").worksheets[0]
    column = headers(data).index("Birth date") + 1
    assert (
        data.column_dimensions[data.cell(row=1, column=column).column_letter].number_format == "@"
    )


def test_tally_drop_downs_and_a_whole_number_headcount() -> None:
    book = open_tally("sr")
    header = dict(
        zip((item.code for item in TALLY_FIELDS), headers(book.worksheets[0]), strict=True)
    )

    lists = drop_downs(book)

    assert lists == {
        header["sex"]: choice_labels(Sex, "sr"),
        header["community"]: localized_names(COMMUNITIES, "sr_cyrl"),
        header["age_band"]: choice_labels(AgeBand, "sr"),
    }
    (whole,) = [
        rule for rule in book.worksheets[0].data_validations.dataValidation if rule.type == "whole"
    ]
    assert (whole.operator, whole.formula1, str(whole.sqref)) == (
        "greaterThanOrEqual",
        "0",
        f"D2:D{TEMPLATE_ROWS}",
    )
    assert (whole.showErrorMessage, whole.errorStyle) == (True, "stop")
    assert book.worksheets[0].cell(row=1, column=4).value == header["headcount"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_activity_sheet_reads_back_in_any_language(language: str) -> None:
    book = open_roster(language, an_activity())

    sheet = book[ACTIVITY_SHEET_TITLES[language]]
    values = read_activity_sheet(sheet.iter_rows(values_only=True))

    assert is_activity_sheet(sheet.title)
    assert sheet.column_dimensions["C"].hidden
    assert values["activity_id"] == "42"
    assert values["title"] == "Public debate on the municipal budget"
    assert (values["start_date"], values["end_date"]) == ("2015-05-12", "2015-05-13")
    assert (
        values["municipality"]
        == {
            "en": "Gračanica/Graçanicë",
            "sq": "Graçanicë",
            "sr-latn": "Gračanica",
            "sr": "Грачаница",
        }[language]
    )
    with translation.override(language):
        assert values["kind"] == str(ActivityKind.PUBLIC_DEBATE.label)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_activity_sheet_reads_back_by_its_labels_when_the_keys_are_lost(
    language: str,
) -> None:
    sheet = open_tally(language, an_activity())[ACTIVITY_SHEET_TITLES[language]]

    values = read_activity_sheet(row[:2] for row in sheet.iter_rows(values_only=True))
    # As a source reader's metadata gives them: keys folded by header_key, values as text.
    folded = read_activity_sheet(
        (header_key(str(label)), str(value))
        for label, value, _key in sheet.iter_rows(values_only=True)
    )

    assert values["activity_id"] == folded["activity_id"] == "42"
    assert values["start_date"] == folded["start_date"] == "2015-05-12"


def test_other_sheets_are_not_activity_sheets() -> None:
    assert not is_activity_sheet("Roster")
    assert not is_activity_sheet(LISTS_SHEET)
    assert is_activity_sheet(" activity ")


def test_a_template_without_an_activity_has_no_activity_sheet() -> None:
    book = open_roster("en")
    assert not any(is_activity_sheet(title) for title in book.sheetnames)
    assert book.sheetnames[0] == "Roster"


def test_the_workbook_holds_no_formulas_even_for_a_title_that_looks_like_one() -> None:
    title = '=HYPERLINK("http://example.com","x")'
    for book in (open_roster("en", an_activity(title)), open_tally("sr", an_activity(title))):
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
        assert cells
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        titles = [cell.value for cell in cells if cell.value == title]
        assert titles == [title]


def test_a_regional_variant_is_its_language_and_an_unknown_language_is_refused() -> None:
    assert open_roster("sr-Latn").sheetnames == open_roster("sr-latn").sheetnames
    assert headers(open_tally("en-US").worksheets[0]) == labels(TALLY_FIELDS, "en")
    with pytest.raises(ValueError, match="de"):
        open_roster("de")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_template_reads_back_through_the_intake_reader(language: str) -> None:
    data = roster_template(
        language=language,
        activity=an_activity(),
        communities=COMMUNITIES,
        municipalities=MUNICIPALITIES,
    )

    sheet = read_sheet(data, "roster.xlsx")

    assert list(recognise(sheet.headers, ROSTER_FIELDS).values()) == [
        item.code for item in ROSTER_TEMPLATE_FIELDS
    ]
    assert read_activity_sheet(sheet.metadata.items())["activity_id"] == "42"
