"""The tracking workbook says everything in its own language; its figures are the same in all."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from akt.indicators.selectors import life_of_project
from akt.program.models import Program
from akt.reports.tracking import tracking_table
from akt.reports.tracking_xlsx import tracking_workbook
from akt.testing.factories import GrantFactory

pytestmark = pytest.mark.django_db

MADE = dt.date(2026, 12, 7)

SUBTITLES = {
    "en": "Advancing Kosovo Together; computed from the records on Dec. 7, 2026.",
    "sq": "Avancimi i Kosovës bashkërisht; llogaritur nga regjistrimet më 7 dhjetor 2026.",
    "sr-latn": "Unapređenje Kosova zajedno; izračunato iz zapisa na dan 7. decembar 2026.",
    "sr": "Унапређење Косова заједно; израчунато из записа на дан 7. децембар 2026.",
}

AMOUNT_UNITS = {
    "en": "Amount ($)",
    "sq": "Shuma (US$)",
    "sr-latn": "Iznos (US$)",
    "sr": "Износ (US$)",
}


def workbook(language: str):
    table = tracking_table(lop=life_of_project(), today=MADE)
    program = Program.objects.order_by("start_date").get()  # as the download view names it
    content = tracking_workbook(table, language=language, program=program.name, made=MADE)
    return load_workbook(io.BytesIO(content))


def cells(book) -> dict[tuple[str, str], object]:
    return {
        (str(index), cell.coordinate): cell.value
        for index, sheet in enumerate(book.worksheets)
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


@pytest.fixture
def with_grants(two_places) -> None:
    GrantFactory(amount=Decimal("12500.00"))


@pytest.mark.parametrize("language", list(SUBTITLES))
def test_the_subtitle_is_in_the_workbooks_language(with_grants, language: str) -> None:
    main = workbook(language).worksheets[0]
    assert main.cell(2, 1).value == SUBTITLES[language]
    units = {main.cell(row, 3).value for row in range(6, main.max_row + 1)}
    assert AMOUNT_UNITS[language] in units


def test_the_cyrillic_workbook_has_no_latin_words(with_grants) -> None:
    """Every text of the Cyrillic workbook is Cyrillic; the currency sign and codes aside."""
    latin = {
        value
        for value in cells(workbook("sr")).values()
        if isinstance(value, str) and re.search(r"[A-Za-z]", value.replace("US$", ""))
    }
    assert latin == set()


def test_every_number_is_the_same_in_every_language(with_grants) -> None:
    def numbers(language: str) -> dict:
        return {
            key: value
            for key, value in cells(workbook(language)).items()
            if isinstance(value, int | float)
        }

    english = numbers("en")
    assert english  # the table holds figures
    for language in ("sq", "sr-latn", "sr"):
        assert numbers(language) == english, language
