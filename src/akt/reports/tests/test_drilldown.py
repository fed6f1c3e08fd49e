"""An indicator's drill-down: what the figure means, how it splits, and the records behind it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from akt.indicators.models import Indicator
from akt.reports.tests.records import Place, debate, text_of
from akt.testing.factories import (
    AttendanceFactory,
    GrantFactory,
    PersonFactory,
    TallyFactory,
    community,
)

pytestmark = pytest.mark.django_db


def drill_down(client, code: str, query: str = ""):
    return client.get(reverse("reports:indicator", args=[code]) + query)


def numbers_in(cell_html: str) -> Decimal:
    """A figure as shown in an English table cell ("1,244", "$5,000") as a number."""
    return Decimal(re.sub(r"[^\d.]", "", cell_html))


def test_page_explains_the_figure(client_for, two_places: dict[str, Place]) -> None:
    indicator = Indicator.objects.get(code="lul-debate-participants")
    response = drill_down(client_for("me"), indicator.code)
    page = text_of(response)
    assert indicator.name_en in page
    assert indicator.definition_en in page
    assert "Attendances" in page  # the counting unit
    # 6 + 8 roster rows, 5 + 9 heads.
    assert "28 participants in the public debates on the Law on Use of Languages" in page


def test_every_breakdown_adds_up_to_the_value(client_for, two_places: dict[str, Place]) -> None:
    # A participant with nothing known about them lands in every "unknown" cell.
    AttendanceFactory(
        activity=two_places["gracanice"].debates[0],
        person=PersonFactory(sex="", birth_year=None, community=None, municipality=None),
    )
    for code in Indicator.objects.active().values_list("code", flat=True):
        response = drill_down(client_for("me"), code)
        value = response.context["figure"].figures.value
        html = response.content.decode()
        for table in response.context["tables"]:
            assert sum(row.value for row in table.rows) == table.total == value, (code, table)
            assert table.rows[-1].is_unknown, (code, table.dimension)
            # And on the page: the cells as printed add up to the printed total.
            printed = re.search(
                rf'id="breakdown-{table.dimension}".*?<tbody>(.*?)</tbody>.*?<tfoot>(.*?)</tfoot>',
                html,
                re.S,
            )
            assert printed, (code, table.dimension)
            body, foot = printed.groups()
            cells = re.findall(
                r'<td class="num">(?:<a [^>]*>)?([^<]+)(?:</a>)?</td>\s*<td class="num">', body
            )
            total = re.search(r'<td class="num">([^<]+)</td>', foot).group(1)
            assert sum(numbers_in(cell) for cell in cells) == numbers_in(total), code


def test_breakdown_labels_are_in_the_readers_words(
    client_for, two_places: dict[str, Place]
) -> None:
    AttendanceFactory(
        activity=two_places["gracanice"].debates[0],
        person=PersonFactory(sex="", community=None),
    )
    response = drill_down(client_for("me"), "lul-debate-participants")
    tables = {table.dimension: table for table in response.context["tables"]}
    sexes = {row.label: row.value for row in tables["sex"].rows}
    # Roster: 14 women born in 1980 and one person we know nothing of; heads: 14 girls and
    # young women of the Roma community.
    assert sexes == {"Female": 28, "Unknown": 1}
    communities = {row.label: row.value for row in tables["community"].rows}
    assert communities == {"Serb": 14, "Roma": 14, "Unknown": 1}
    ages = {row.label: row.value for row in tables["age_band"].rows}
    assert ages == {"Under 15": 0, "15 to 29": 14, "30 and over": 15, "Unknown": 0}
    assert {row.label for row in tables["municipality"].rows} == {
        "Gračanica/Graçanicë",
        "Zvečan/Zveçan",
        "Unknown",
    }


def test_activities_behind_a_figure_link_to_their_pages(client_for, personas) -> None:
    first = debate("gjilan", "Debate in the town hall")
    AttendanceFactory(activity=first)
    TallyFactory(activity=first, headcount=12)
    html = drill_down(client_for("me"), "lul-debate-participants").content.decode()
    assert f'href="{reverse("activities:detail", args=[first.pk])}"' in html
    assert "Debate in the town hall" in html
    row = re.search(r"Debate in the town hall.*?</tr>", html, re.S).group(0)
    # Attendance at the debate (1 named + 12 heads), all of it behind this figure.
    assert re.findall(r'<td class="num">([^<]+)</td>', row) == ["13", "13"]


def test_records_behind_grant_plan_and_project_figures(
    client_for, two_places: dict[str, Place]
) -> None:
    client = client_for("me")
    assert "Gracanica-GRANT-gracanice" in drill_down(client, "business-grants").content.decode()
    assert "Gracanica plan gracanice" in drill_down(client, "capacity-plans").content.decode()
    assert (
        "Gracanica project gracanice"
        in drill_down(client, "infrastructure-projects").content.decode()
    )


def test_amount_figure_is_money(client_for, personas) -> None:
    GrantFactory(amount=Decimal("5000"))
    GrantFactory(amount=Decimal("1250.50"))
    page = text_of(drill_down(client_for("me"), "business-grants-amount"))
    assert "$6,250.50" in page


def test_unknown_or_inactive_indicator_is_not_found(client_for, personas) -> None:
    client = client_for("me")
    assert drill_down(client, "no-such-indicator").status_code == 404
    Indicator.objects.filter(code="lul-debates").update(is_active=False)
    assert drill_down(client, "lul-debates").status_code == 404


def test_drill_down_keeps_the_period(client_for, personas) -> None:
    debate("gjilan", "Spring 2015")
    page = text_of(drill_down(client_for("me"), "lul-debates", "?period=fy2016"))
    assert "0 public debates organized" in page
    assert "Spring 2015" not in page
    assert "No record you may open is behind this figure" in page


def test_community_splits_use_community_names(client_for, personas) -> None:
    activity = debate("gjilan", "Debate")
    AttendanceFactory(activity=activity, person=PersonFactory(community=community("gorani")))
    response = drill_down(client_for("me"), "lul-debate-participants")
    tables = {table.dimension: table for table in response.context["tables"]}
    assert {row.label: row.value for row in tables["community"].rows}["Gorani"] == 1
