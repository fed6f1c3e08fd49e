"""Small numbers on the results pages: the donor, who sees no person, is shown no count of 1 to
4 people in a split or at a named activity, and cannot work one out from what is shown; the
M&E officer sees every number."""

from __future__ import annotations

import io
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from akt.reports.tests.records import debate
from akt.testing.factories import AttendanceFactory, PersonFactory, community

pytestmark = pytest.mark.django_db

CODE = "lul-debate-participants"  # attendances at debates, split by sex, age, community, place


def attend(activity, count: int, community_code: str, sex: str = "female") -> None:
    for _ in range(count):
        AttendanceFactory(
            activity=activity,
            person=PersonFactory(sex=sex, community=community(community_code)),
        )


@pytest.fixture
def debates(personas) -> list:
    """Three debates in Gjilan: 37 Albanians, 1 Serb and 6 Bosniaks at the first; 20 Albanians
    and 2 Serbs at the second; 1 Albanian and 1 Serb at the third (3 of them men)."""
    first = debate("gjilan", "Debate in the town hall")
    attend(first, 37, "albanian")
    attend(first, 1, "serb", sex="male")
    attend(first, 6, "bosniak")
    second = debate("gjilan", "Debate in the school")
    attend(second, 20, "albanian")
    attend(second, 2, "serb", sex="male")
    third = debate("gjilan", "Debate in the village")
    attend(third, 1, "albanian")
    attend(third, 1, "serb")
    return [first, second, third]


def drill_down(client, query: str = ""):
    return client.get(reverse("reports:indicator", args=[CODE]) + query)


def small(shown: str) -> bool:
    """Whether a cell as shown is a count of 1 to 4."""
    return re.fullmatch(r"[1-4]", shown.strip()) is not None


def test_the_donor_sees_no_small_cell_in_any_split(client_for, debates) -> None:
    response = drill_down(client_for("donor"))
    tables = {table.dimension: table for table in response.context["tables"]}
    communities = {row.label: row.shown for row in tables["community"].rows}
    # Serb 4 is hidden, and Bosniak 6 with it: otherwise 68 - 58 - 6 gives the Serbs away.
    assert communities["Serb"] == "[c]"
    assert communities["Bosniak"] == "[c]"
    assert communities["Albanian"] == "58"
    assert "Roma" not in communities  # a community no one came from is not listed
    assert tables["community"].total_shown == "68"  # the headline figure stays
    sexes = {row.label: row.shown for row in tables["sex"].rows}
    assert sexes["Male"] == "[c]" and sexes["Female"] == "[c]"
    for table in tables.values():
        assert not any(small(row.shown) for row in table.rows), table.dimension
        assert all(row.share == "" for row in table.rows if row.suppressed)
        assert all(row.value == 0 for row in table.rows if row.suppressed)
    html = response.content.decode()
    assert "fewer than 5 people" in html


def test_the_me_officer_sees_every_number(client_for, debates) -> None:
    response = drill_down(client_for("me"))
    tables = {table.dimension: table for table in response.context["tables"]}
    communities = {row.label: row.shown for row in tables["community"].rows}
    assert communities["Serb"] == "4"
    assert communities["Bosniak"] == "6"
    assert not any(row.suppressed for table in tables.values() for row in table.rows)
    assert "[c]" not in response.content.decode()
    behind = {row.activity.title: row.behind for row in response.context["records"].rows}
    assert behind["Debate in the village"] == "2"


def test_the_donor_sees_no_small_count_at_a_named_activity(client_for, debates) -> None:
    response = drill_down(client_for("donor"))
    records = response.context["records"]
    behind = {row.activity.title: row.behind for row in records.rows}
    # 2 at the village debate is hidden, and the next smallest (22) with it.
    assert behind == {
        "Debate in the town hall": "44",
        "Debate in the school": "[c]",
        "Debate in the village": "[c]",
    }
    assert records.note


def test_the_donor_cannot_open_a_split_into_named_activities(client_for, debates) -> None:
    response = drill_down(client_for("donor"), "?split=community&cell=serb")
    assert response.context["opened"] is None
    tables = {table.dimension: table for table in response.context["tables"]}
    assert all(row.href == "" for table in tables.values() for row in table.rows)
    opened = drill_down(client_for("me"), "?split=community&cell=serb")
    assert opened.context["opened"] is not None


@override_settings(SMALL_CELL_THRESHOLD=3)
def test_the_threshold_comes_from_the_settings(client_for, debates) -> None:
    response = drill_down(client_for("donor"))
    tables = {table.dimension: table for table in response.context["tables"]}
    communities = {row.label: row.shown for row in tables["community"].rows}
    assert communities["Serb"] == "4"


def test_putting_small_categories_together_gives_no_hidden_one_away(client_for, debates) -> None:
    attend(debates[0], 1, "roma")
    # Serb 4 and Roma 1 are hidden, and Bosniak 6 with them (4 + 1 alone leaves too little
    # doubt). With categories below 5 together, "other" would be Serb + Roma = 5: shown, it
    # would pin the Serbs between 1 and 4 and give Bosniak 6 away.
    plain = drill_down(client_for("donor"))
    tables = {table.dimension: table for table in plain.context["tables"]}
    shown = {row.label: row.shown for row in tables["community"].rows}
    assert shown["Serb"] == shown["Roma"] == shown["Bosniak"] == "[c]"
    together = drill_down(client_for("donor"), "?small=5")
    tables = {table.dimension: table for table in together.context["tables"]}
    shown = {row.label: row.shown for row in tables["community"].rows}
    assert shown["Other (small categories together)"] == "[c]"
    assert shown["Bosniak"] == "[c]"
    assert not any(small(value) for value in shown.values())


# -- the tracking table and its workbook -------------------------------------------------------


def workbook_cells(client, name: str) -> list[list[object]]:
    response = client.get(reverse("reports:tracking_download") + "?language=en")
    book = load_workbook(io.BytesIO(response.content))
    sheet = next(sheet for sheet in book.worksheets if sheet.title == name)
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def debate_rows(rows: list[list[object]]) -> dict[str, list[object]]:
    """The debate indicator's categories in a split sheet: label -> its actuals."""
    return {
        str(row[2]): row[3:]
        for row in rows
        if row[1] == "Participants in public debates on the Law on Use of Languages"
    }


def test_the_donors_tracking_workbook_shows_no_small_category(client_for, debates) -> None:
    donor = debate_rows(workbook_cells(client_for("donor"), "Community"))
    me = debate_rows(workbook_cells(client_for("me"), "Community"))
    assert 4 in me["Serb"]  # the officer: the 4 Serbs in the debates' quarter, year and total
    assert "[c]" in donor["Serb"]
    for label, values in donor.items():
        assert not any(isinstance(value, int) and 0 < value < 5 for value in values), label
    assert 58 in donor["Albanian"]


def test_the_donors_tracking_page_shows_no_small_category(client_for, debates) -> None:
    page = client_for("donor").get(reverse("reports:tracking") + "?fy=2015")
    lines = [
        line
        for split in page.context["splits"]
        for line in split["rows"]
        if line["indicator"].code == CODE
    ]
    assert lines
    shown = [cell["actual"] for line in lines for cell in line["cells"]]
    assert "[c]" in shown
    assert not any(small(value) for value in shown)
    assert "fewer than 5 people" in page.content.decode()


# -- the community composition and the municipality's profile ----------------------------------

COMPOSITION = reverse("reports:composition")
COMPOSITION_ACTIVITIES = reverse("reports:composition_activities")


def representation(response) -> dict[str, str]:
    """Gjilan's representation table: community -> participants as shown."""
    table = next(
        table for table in response.context["page"].tables if table.municipality.code == "gjilan"
    )
    return {line.label: line.participants.shown for line in table.lines}


def test_the_donor_sees_no_small_community_in_the_representation(client_for, debates) -> None:
    donor = representation(client_for("donor").get(COMPOSITION))
    me = representation(client_for("me").get(COMPOSITION))
    assert me["Serb"] == "4"
    assert donor["Serb"] == "[c]"
    assert not any(small(value) for value in donor.values())
    assert donor["Albanian"] == me["Albanian"] == "58"


def test_the_donor_sees_no_activitys_counts_by_community(client_for, debates) -> None:
    # A meeting of two, one Albanian and one Serb, names both whatever is hidden: the donor is
    # shown an activity's attendance and verdict, not its counts by community.
    listed = client_for("donor").get(COMPOSITION_ACTIVITIES)
    lines = {line.activity.title: line for line in listed.context["records"].lines}
    assert lines["Debate in the village"].communities == "[c]"
    assert lines["Debate in the village"].counted == "2"
    assert all(line.communities == "[c]" for line in lines.values())
    officer = client_for("me").get(COMPOSITION_ACTIVITIES)
    lines = {line.activity.title: line for line in officer.context["records"].lines}
    assert "Serb 1" in lines["Debate in the town hall"].communities


def test_the_donor_cannot_list_a_communitys_activities(client_for, debates) -> None:
    assert client_for("donor").get(f"{COMPOSITION_ACTIVITIES}?community=serb").status_code == 404
    assert client_for("me").get(f"{COMPOSITION_ACTIVITIES}?community=serb").status_code == 200


def test_the_donor_sees_no_small_community_on_a_municipalitys_profile(client_for, debates) -> None:
    page = client_for("donor").get(reverse("reports:municipality", args=["gjilan"]))
    tables = page.context["profile"].composition.tables
    shown = {line.label: line.participants.shown for table in tables for line in table.lines}
    assert shown["Serb"] == "[c]"
    assert not any(small(value) for value in shown.values())


def test_the_report_shows_no_small_community_count(client_for, personas) -> None:
    """The report is read by the donor: its "by community" tables hide small numbers (and one
    more, so the total does not give them away), for whoever writes it."""
    from akt.activities.models import ActivityKind
    from akt.reports.document import Paragraph, Table
    from akt.testing.factories import ActivityFactory, municipality, topic

    workshop = ActivityFactory(
        title="Workshop on community rights",
        kind=ActivityKind.WORKSHOP,
        municipality=municipality("gjilan"),
    )
    workshop.topics.add(topic("community-rights"))
    for code, count in (("albanian", 12), ("serb", 2), ("turkish", 7)):
        for _ in range(count):
            AttendanceFactory(
                activity=workshop,
                person=PersonFactory(community=community(code), affiliation="mocr_member"),
            )

    def community_rows(persona: str) -> tuple[dict[str, str], str]:
        page = client_for(persona).get(reverse("reports:report", args=["brief"]))
        assert page.status_code == 200
        blocks = page.context["document"].blocks
        at = next(
            k
            for k, block in enumerate(blocks)
            if isinstance(block, Table) and block.caption.startswith("MOCR and communities")
        )
        note = blocks[at + 1]
        return {row[0]: row[1] for row in blocks[at].rows}, (
            note.text if isinstance(note, Paragraph) else ""
        )

    for persona in ("donor", "me"):
        rows, note = community_rows(persona)
        assert rows["Serb"] == "[c]" and rows["Turkish"] == "[c]", persona
        assert rows["Albanian"] == "12"
        assert not any(small(shown) for shown in rows.values())
        assert "fewer than 5 people" in note
