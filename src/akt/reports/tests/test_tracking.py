"""The indicator tracking table: its figures, its targets, its workbook and its page."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from akt.activities.models import ActivityKind
from akt.counting import engine
from akt.counting.composition import mixed_activities
from akt.counting.periods import PeriodKind
from akt.indicators.composition_reader import composition_input
from akt.indicators.models import Indicator, Target
from akt.indicators.rules import PeriodRule
from akt.indicators.selectors import life_of_project, results_compute
from akt.reports.tests.records import Place
from akt.reports.tracking import tracking_table
from akt.reports.tracking_xlsx import tracking_workbook
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    PersonFactory,
    PlanFactory,
    municipality,
    topic,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


def table(**kwargs: object):
    return tracking_table(lop=life_of_project(), today=TODAY, **kwargs)


def row_of(found, code: str):
    return next(row for row in found.rows if row.indicator.code == code)


def training(place: str, start: dt.date):
    activity = ActivityFactory(
        kind=ActivityKind.TRAINING, municipality=municipality(place), start_date=start
    )
    activity.topics.add(topic("management"))
    return activity


def test_every_column_is_what_the_engine_counts_for_its_window(
    two_places: dict[str, Place],
) -> None:
    found = table()
    assert [column.key for column in found.columns][:3] == ["fy2014q3", "fy2014q4", "fy2014"]
    assert found.columns[-1].key == "lop"
    for column in found.columns:
        expected = {
            item.indicator.code: item.figures.value
            for item in results_compute(window=column.window)
        }
        for row in found.rows:
            assert row.cells[column.key].actual == expected[row.indicator.code], (
                column.key,
                row.indicator.code,
            )
    assert row_of(found, "lul-debates").cells["fy2015q3"].actual == 6


def test_a_persons_year_is_not_the_sum_of_its_quarters_when_people_come_back(
    two_places: dict[str, Place],
) -> None:
    home = municipality("gjilan")
    returning = PersonFactory(municipality=home, affiliation="municipal_employee")
    once = PersonFactory(municipality=home, affiliation="municipal_employee")
    for start in (dt.date(2015, 11, 3), dt.date(2016, 2, 9)):  # FY2016 Q1 and Q2
        AttendanceFactory(activity=training("gjilan", start), person=returning)
    AttendanceFactory(activity=training("gjilan", dt.date(2016, 2, 16)), person=once)

    cells = row_of(table(), "management-trainees").cells
    quarters = cells["fy2016q1"].actual + cells["fy2016q2"].actual
    assert (cells["fy2016q1"].actual, cells["fy2016q2"].actual) == (1, 2)
    assert cells["fy2016"].actual == 2 < quarters
    assert row_of(table(), "management-trainees").rule == PeriodRule.DISTINCT


def test_targets_give_the_percentage_and_the_flag(two_places: dict[str, Place]) -> None:
    indicator = Indicator.objects.get(code="lul-debates")
    Target.objects.filter(indicator=indicator).delete()
    Target.objects.create(indicator=indicator, period_kind=PeriodKind.FISCAL_YEAR,
                          fiscal_year=2015, value=Decimal(8))  # fmt: skip
    Target.objects.create(indicator=indicator, period_kind=PeriodKind.LIFE_OF_PROJECT,
                          value=Decimal(5))  # fmt: skip

    cells = row_of(table(), "lul-debates").cells
    assert cells["fy2015"].actual == 6
    assert cells["fy2015"].percent == Decimal(75)
    assert cells["fy2015"].on_track is False  # 75% of a closed year's target: below 90%
    assert cells["lop"].percent == Decimal(120)
    assert cells["lop"].on_track is True
    assert cells["fy2016"].target is None and cells["fy2016"].percent is None

    without = row_of(table(with_targets=False), "lul-debates").cells
    assert (without["lop"].target, without["lop"].percent, without["lop"].on_track) == (
        None,
        None,
        None,
    )


def test_every_split_adds_up_to_its_row_in_every_column(two_places: dict[str, Place]) -> None:
    found = table()
    rows = {row.indicator.code: row for row in found.rows}
    assert "sex" in found.splits and "municipality" in found.splits
    for dimension, splits in found.splits.items():
        by_indicator: dict[str, list] = {}
        for split in splits:
            by_indicator.setdefault(split.indicator.code, []).append(split)
        for code, parts in by_indicator.items():
            for column in found.columns:
                total = rows[code].cells[column.key].actual
                assert sum(part.cells[column.key].actual or 0 for part in parts) == total, (
                    dimension,
                    code,
                    column.key,
                )


def test_a_focal_points_table_counts_their_municipality_only(
    two_places: dict[str, Place],
) -> None:
    gracanica = municipality("gracanice").pk
    found = table(scope=engine.Coverage(municipalities=frozenset({gracanica})), with_targets=False)
    assert row_of(found, "lul-debates").cells["lop"].actual == 2


def test_the_workbook_has_the_table_and_a_sheet_per_disaggregation_in_the_language(
    two_places: dict[str, Place],
) -> None:
    found = table()
    content = tracking_workbook(found, language="sq", program="AKT", made=TODAY)
    book = load_workbook(io.BytesIO(content))
    main = book.worksheets[0]
    assert main.title == "Tabela e ndjekjes"
    values = [[cell.value for cell in row] for row in main.iter_rows()]
    debates = next(
        row for row in values if row[1] == "Debate publike për Ligjin për përdorimin e gjuhëve"
    )
    assert 6 in debates
    assert len(book.worksheets) == 2 + len(found.splits)  # and the mixed activities
    assert book.sheetnames[1] == "Aktivitete të përziera"
    serbian = load_workbook(io.BytesIO(tracking_workbook(found, language="sr", program="AKT",
                                                         made=TODAY)))  # fmt: skip
    names = {
        cell.value for sheet in serbian.worksheets for row in sheet.iter_rows() for cell in row
    }
    assert "Јавне дебате о Закону о употреби језика" in names
    assert not any(
        isinstance(cell.value, str) and cell.value.startswith("=")
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    )


# -- the page ----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client_for, two_places) -> None:
    for name in ("reports:tracking", "reports:tracking_download"):
        assert client_for(None).get(reverse(name)).status_code == 302


def test_the_page_links_every_figure_to_its_records(client_for, two_places) -> None:
    page = client_for("me").get(reverse("reports:tracking") + "?fy=2015").content.decode()
    link = reverse("reports:indicator", args=["lul-debates"]) + "?period=fy2015q3"
    assert f'href="{link}">6</a>' in page
    assert "% of target" in page
    response = client_for("me").get(reverse("reports:tracking_download") + "?language=en")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('akt-tracking-table-en.xlsx"')


def test_a_focal_point_sees_their_figures_without_the_programs_targets(
    client_for, two_places
) -> None:
    page = client_for("focal_gracanica").get(reverse("reports:tracking") + "?fy=2015")
    html = page.content.decode()
    link = reverse("reports:indicator", args=["lul-debates"]) + "?period=fy2015q3"
    assert f'href="{link}">2</a>' in html
    assert "% of target" not in html
    book = load_workbook(io.BytesIO(client_for("focal_gracanica").get(
        reverse("reports:tracking_download")).content))  # fmt: skip
    debates = next(
        row
        for row in book.worksheets[0].iter_rows(values_only=True)
        if row[0]
        and "lul" in str(row[0])
        or row[1] == "Public debates on the Law on Use of Languages"
    )
    assert 6 not in debates


def test_the_donor_reads_the_table(client_for, two_places) -> None:
    assert client_for("donor").get(reverse("reports:tracking")).status_code == 200


def test_a_breakdown_cell_opens_into_its_own_records(client_for, two_places) -> None:
    """On the indicator page, a municipality's share of the debate participants lists that
    municipality's debates only, and says what the cell counts."""
    gracanica = municipality("gracanice")
    url = reverse("reports:indicator", args=["lul-debate-participants"])
    whole = client_for("me").get(url).content.decode()
    assert "Zvečan" in whole or "Zveçan" in whole
    cell_link = f"split=municipality&amp;cell={gracanica.pk}#records"
    assert cell_link in whole

    page = client_for("me").get(f"{url}?split=municipality&cell={gracanica.pk}")
    html = page.content.decode()
    behind = page.context["records"]
    titles = {row.activity.title for row in behind.rows}
    assert titles and all("in gracanice" in title for title in titles)
    assert "This category counts 11." in html  # 2 debates x 3 attendees, and 5 heads


def test_every_actual_in_the_workbook_links_to_its_records(client_for, two_places) -> None:
    response = client_for("me").get(reverse("reports:tracking_download") + "?language=en")
    book = load_workbook(io.BytesIO(response.content))
    main = book.worksheets[0]
    row = next(
        cells for cells in main.iter_rows()
        if cells[1].value == "Public debates on the Law on Use of Languages"
    )  # fmt: skip
    linked = {cell.hyperlink.target: cell.value for cell in row if cell.hyperlink}
    page = "http://testserver" + reverse("reports:indicator", args=["lul-debates"])
    assert linked[page + "?period=fy2015q3"] == 6
    assert linked[page + "?period=lop"] == 6
    assert len(linked) == 18  # every quarter, fiscal year and the life of project
    split = book.worksheets[-1]
    assert any(cell.hyperlink for cells in split.iter_rows() for cell in cells)


def test_a_category_target_is_set_against_its_categorys_figure(two_places) -> None:
    indicator = Indicator.objects.get(code="lul-debate-participants")
    Target.objects.create(indicator=indicator, period_kind=PeriodKind.LIFE_OF_PROJECT,
                          dimension="community", cell="serb", value=Decimal(10))  # fmt: skip
    found = table()
    serb = next(
        split for split in found.splits["community"]
        if split.indicator.code == indicator.code and split.cell == "serb"
    )  # fmt: skip
    assert (serb.cells["lop"].actual, serb.cells["lop"].target) == (14, Decimal(10))
    assert serb.cells["lop"].percent == Decimal(140)

    book = load_workbook(io.BytesIO(tracking_workbook(found, language="en", program="AKT",
                                                      made=TODAY)))  # fmt: skip
    sheet = next(sheet for sheet in book.worksheets if sheet.title == "Community")
    row = next(
        row for row in sheet.iter_rows(values_only=True)
        if row[1] == "Participants in public debates on the Law on Use of Languages"
        and row[2] == "Serb"
    )  # fmt: skip
    assert row[-2:] == (10, 140.0)


def test_a_ratio_is_recomputed_and_a_level_takes_its_latest_quarter(two_places) -> None:
    """A ratio's year and life of project are its numerator over its denominator for the whole
    window (never an average of quarters); a level (the latest rule) is its last quarter's."""
    debates = Indicator.objects.get(code="lul-debate-participants")
    women = Indicator.objects.create(
        code="women-debate-participants", result_line=1, source="attendance",
        unit="attendances", name_en="Women in the debates", name_sq="Gra", name_sr_latn="Žene",
        definition_en="-", definition_sq="-", definition_sr_latn="-",
        filters={**debates.filters, "sex": ["female"]}, disaggregations=[],
    )  # fmt: skip
    share = Indicator.objects.create(
        code="women-share-debates", result_line=1, source="attendance", unit="attendances",
        name_en="Share of women in the debates", name_sq="Pjesa e grave", name_sr_latn="Udeo žena",
        definition_en="-", definition_sq="-", definition_sr_latn="-",
        period_rule=PeriodRule.RATIO, numerator=women, denominator=debates,
    )  # fmt: skip
    plans = Indicator.objects.get(code="capacity-plans")
    plans.period_rule = PeriodRule.LATEST
    plans.save()
    PlanFactory(municipality=municipality("gjilan"), adopted_on=dt.date(2016, 5, 3))

    found = table(indicators=[share, plans])
    row = row_of(found, "women-share-debates")
    for column in found.columns:
        values = {
            item.indicator.code: item.figures.value
            for item in results_compute(window=column.window, indicators=[women, debates])
        }
        denominator = values["lul-debate-participants"]
        expected = (
            Decimal(values["women-debate-participants"]) * 100 / denominator
            if denominator
            else None
        )
        assert row.cells[column.key].actual == expected, column.key
    assert row.rule == PeriodRule.RATIO
    assert all(item.indicator != share for items in found.splits.values() for item in items)

    level = row_of(found, "capacity-plans")
    quarters = [c for c in found.columns if c.kind == PeriodKind.QUARTER]
    for column in found.columns:
        if column.kind == PeriodKind.QUARTER:
            continue
        inside = [
            level.cells[q.key].actual
            for q in quarters
            if column.window.start <= q.window.start <= column.window.end
            and level.cells[q.key].actual
        ]
        assert level.cells[column.key].actual == (inside[-1] if inside else None), column.key
    # Two plans adopted in FY2015 Q2, one in FY2016 Q3: the level is the latest quarter's.
    assert (level.cells["fy2015q2"].actual, level.cells["fy2016q3"].actual) == (2, 1)
    assert level.cells["lop"].actual == 1


def test_the_share_of_mixed_activities_in_every_column(two_places) -> None:
    """Each column's mixed activities are those the composition rule finds in its own window;
    the debate that had Roma counted beside its Serb attendees is mixed."""
    found = table()
    for column in found.columns:
        read = composition_input(column.window, engine.FULL_COVERAGE)
        direct = mixed_activities(read.activities, read.attendance, undeclared=read.undeclared)
        cell = found.mixed[column.key]
        assert (cell.activities, cell.judged, cell.mixed) == (
            direct.overall.activities,
            direct.overall.judged,
            direct.overall.mixed,
        ), column.key
    assert found.mixed["fy2015q3"].mixed >= 2  # the first debate in each place had Roma heads
    book = load_workbook(io.BytesIO(tracking_workbook(found, language="en", program="AKT",
                                                      made=TODAY)))  # fmt: skip
    assert "Mixed activities" in book.sheetnames


def test_a_municipalitys_target_meets_its_municipalitys_figure(two_places) -> None:
    """Targets name a municipality by its code; the split names it by its id."""
    indicator = Indicator.objects.get(code="lul-debates")
    Target.objects.create(indicator=indicator, period_kind=PeriodKind.LIFE_OF_PROJECT,
                          dimension="municipality", cell="zvecan", value=Decimal(5))  # fmt: skip
    zvecan = str(municipality("zvecan").pk)
    split = next(
        s for s in table().splits["municipality"]
        if s.indicator.code == "lul-debates" and s.cell == zvecan
    )  # fmt: skip
    assert (split.cells["lop"].actual, split.cells["lop"].target) == (4, Decimal(5))
    assert split.cells["lop"].percent == Decimal(80)
