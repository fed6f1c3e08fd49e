"""Reading splits in another scheme of categories, or with small categories together."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from akt.counting import engine
from akt.indicators.loading import ReferenceDataError, schemes_load
from akt.indicators.models import DisaggregationScheme, Indicator
from akt.indicators.selectors import life_of_project
from akt.reports.presentation import Presentation, presenter
from akt.reports.tests.records import Place
from akt.reports.tracking import tracking_table

pytestmark = pytest.mark.django_db

BREAKDOWNS = {
    "community": {"serb": 14, "roma": 9, "ashkali": 2, "bosniak": 1, "unknown": 3},
    "sex": {"female": 1, "male": 27, "unknown": 1},
    ("sex", "community"): {
        ("female", "serb"): 0, ("female", "roma"): 1, ("female", "ashkali"): 0,
        ("female", "bosniak"): 0, ("female", "unknown"): 0,
        ("male", "serb"): 14, ("male", "roma"): 8, ("male", "ashkali"): 2,
        ("male", "bosniak"): 1, ("male", "unknown"): 2,
        ("unknown", "serb"): 0, ("unknown", "roma"): 0, ("unknown", "ashkali"): 0,
        ("unknown", "bosniak"): 0, ("unknown", "unknown"): 1,
    },
}  # fmt: skip


def totals(breakdowns: dict) -> set:
    return {sum(cells.values()) for cells in breakdowns.values()}


def test_the_shipped_scheme_rolls_every_community_into_it(reference: None) -> None:
    scheme = DisaggregationScheme.objects.get(code="community-rae")
    shown = presenter(Presentation(schemes=(scheme,)), BREAKDOWNS)(BREAKDOWNS)
    assert shown["community"] == {
        "albanian": 0, "serb": 14, "rae": 11, "other-communities": 1, "unknown": 3,
    }  # fmt: skip
    assert shown["sex"] == BREAKDOWNS["sex"]
    assert shown[("sex", "community")][("male", "rae")] == 10
    assert totals(shown) == {29}


def test_small_categories_go_together_and_sex_never(reference: None) -> None:
    shown = presenter(Presentation(small=5), BREAKDOWNS)(BREAKDOWNS)
    assert shown["community"] == {"serb": 14, "roma": 9, "other": 3, "unknown": 3}
    assert shown["sex"] == BREAKDOWNS["sex"]  # one woman stays visible as a woman
    assert shown[("sex", "community")][("male", "other")] == 3
    assert totals(shown) == {29}


def test_a_scheme_with_a_code_it_cannot_place_is_refused_by_name(reference: None) -> None:
    scheme = DisaggregationScheme.objects.get(code="community-rae")
    partial = DisaggregationScheme(
        code="x", dimension="community", categories=scheme.categories, mapping={"roma": "rae"}
    )
    with pytest.raises(engine.UnmappedCategoryError, match="'ashkali'"):
        presenter(Presentation(schemes=(partial,)), BREAKDOWNS)(BREAKDOWNS)


def test_a_bad_scheme_file_names_the_entry_and_stores_nothing(reference: None) -> None:
    before = DisaggregationScheme.objects.count()
    bad = """
- code: sectors-2016
  dimension: sector
  name: {en: Sectors, sq: Sektorët, sr-latn: Sektori}
  categories:
    - {code: agriculture, en: Agriculture, sq: Bujqësi, sr-latn: Poljoprivreda}
  mapping: {dairy: food-processing}
"""
    with pytest.raises(ReferenceDataError, match="sectors-2016"):
        schemes_load(bad)
    assert DisaggregationScheme.objects.count() == before


def test_the_indicator_page_reads_a_split_in_a_scheme(client_for, two_places) -> None:
    url = reverse("reports:indicator", args=["lul-debate-participants"])
    page = client_for("me").get(url + "?scheme=community-rae")
    table = next(table for table in page.context["tables"] if table.dimension == "community")
    rows = {row.label: row.value for row in table.rows}
    assert rows["Roma, Ashkali and Egyptian"] == 14  # the Roma headcounts, 5 and 9
    assert rows["Serb"] == 14
    assert sum(rows.values()) == table.total
    assert not next(row for row in table.rows if row.code == "rae").openable


def test_the_tracking_table_reads_every_column_in_the_scheme(two_places: dict[str, Place]) -> None:
    scheme = DisaggregationScheme.objects.get(code="community-rae")
    found = tracking_table(
        lop=life_of_project(), today=dt.date(2026, 12, 1),
        presentation=Presentation(schemes=(scheme,)),
    )  # fmt: skip
    rows = {row.indicator.code: row for row in found.rows}
    parts = [s for s in found.splits["community"] if s.indicator.code == "lul-debate-participants"]
    assert [part.cell for part in parts] == [
        "albanian", "serb", "rae", "other-communities", "unknown",
    ]  # fmt: skip
    for column in found.columns:
        total = rows["lul-debate-participants"].cells[column.key].actual
        assert sum(part.cells[column.key].actual for part in parts) == total


def test_the_tracking_page_and_workbook_name_the_schemes_categories(client_for, two_places) -> None:
    query = "?fy=2015&scheme=community-rae&small=5"
    page = client_for("me").get(reverse("reports:tracking") + query).content.decode()
    assert "Roma, Ashkali and Egyptian" in page
    assert ">rae<" not in page  # a category's code is never shown for its name
    response = client_for("me").get(reverse("reports:tracking_download") + query + "&language=sq")
    book = load_workbook(io.BytesIO(response.content))
    values = {cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
              for cell in row}  # fmt: skip
    assert "Rome, ashkali dhe egjiptiane" in values


def test_a_cross_tabulated_split_is_shown_and_opened_on_the_indicator_page(
    client_for, two_places
) -> None:
    indicator = Indicator.objects.get(code="lul-debate-participants")
    indicator.disaggregations = [*indicator.disaggregations, ["sex", "community"]]
    indicator.save()
    url = reverse("reports:indicator", args=[indicator.code])

    page = client_for("me").get(url)
    table = next(t for t in page.context["tables"] if t.dimension == "sex×community")
    assert table.title == "Sex × Community"
    rows = {row.label: row.value for row in table.rows}
    assert rows["Female × Roma"] == 14  # the Roma headcounts of both places
    assert sum(rows.values()) == table.total
    assert "split=sex%C3%97community&amp;cell=female%C3%97roma" in page.content.decode()

    opened = client_for("me").get(url + "?split=sex×community&cell=female×roma")
    assert opened.context["opened"][1].label == "Female × Roma"
    assert opened.context["cell_value"] == "14"
