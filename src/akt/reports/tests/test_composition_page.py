"""The "Community composition" page and its drill-down: who may see what, and that the numbers
on the page are the pure functions' numbers on the same records."""

from __future__ import annotations

import datetime as dt
import html as markup
import re
from fractions import Fraction
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akt.activities.models import Activity, ActivityKind
from akt.counting import engine
from akt.counting.composition import Verdict, mixed_activities, representation
from akt.indicators.composition_reader import (
    composition_input,
    majority_communities,
    population_shares,
)
from akt.indicators.selectors import life_of_project
from akt.places.models import Municipality
from akt.reports.composition import percent, ratio, share_of_activities
from akt.reports.selectors import municipalities_by_id
from akt.reports.tests.records import ZVECAN_MARK, text_of
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    PersonFactory,
    TallyFactory,
    community,
    municipality,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:composition")
DRILL = reverse("reports:composition_activities")


def held(place: str, title: str, kind: str = ActivityKind.WORKSHOP, **extra: object) -> Activity:
    return ActivityFactory(title=title, kind=kind, municipality=municipality(place), **extra)


def attend(activity: Activity, code: str | None, n: int = 1, role: str = "participant") -> None:
    home = activity.municipality
    for _ in range(n):
        person = PersonFactory(
            given_name=f"{ZVECAN_MARK if home.code == 'zvecan' else 'Gr'}Given",
            municipality=home,
            community=None if code is None else community(code),
        )
        AttendanceFactory(activity=activity, person=person, role=role)


@pytest.fixture
def mix(personas) -> dict[str, Activity]:
    """Gračanica: a mixed workshop (4 Serbs, 2 Albanians), a Serb-only training (an Albanian
    trainer does not count), a mixed hearing counted by headcount (30 Serbs, 10 Albanians, 5
    unknown), and a meeting where nobody declared a community. Zvečan: a mixed workshop
    (3 Serbs, 1 Albanian)."""
    workshop = held("gracanice", "Gracanica workshop")
    attend(workshop, "serb", 4)
    attend(workshop, "albanian", 2)
    training = held("gracanice", "Gracanica training", ActivityKind.TRAINING)
    attend(training, "serb", 5)
    attend(training, "albanian", 1, role="trainer")
    hearing = held("gracanice", "Gracanica hearing", ActivityKind.PUBLIC_HEARING)
    TallyFactory(activity=hearing, community=community("serb"), headcount=30)
    TallyFactory(activity=hearing, community=community("albanian"), headcount=10)
    TallyFactory(activity=hearing, community=None, headcount=5)
    meeting = held("gracanice", "Gracanica meeting", ActivityKind.MEETING)
    attend(meeting, None, 2)
    attend(meeting, "prefer-not-to-say", 1)
    zvecan = held("zvecan", f"{ZVECAN_MARK} workshop")
    attend(zvecan, "serb", 3)
    attend(zvecan, "albanian", 1)
    return {
        "workshop": workshop,
        "training": training,
        "hearing": hearing,
        "meeting": meeting,
        "zvecan": zvecan,
    }


def pure(scope: engine.Coverage = engine.FULL_COVERAGE, unit: str = "persons"):
    """The pure functions on the same records, for the life of project."""
    data = composition_input(life_of_project(), scope)
    mixed = mixed_activities(data.activities, data.attendance, undeclared=data.undeclared)
    represented = representation(
        data.activities,
        data.attendance,
        population_shares(scope),
        majority_communities(municipalities_by_id()),
        unit=unit,
        undeclared=data.undeclared,
    )
    return mixed, represented


def table_rows(html: str, table_id: str) -> dict[str, list[str]]:
    """A table's body rows as {row header: [cell texts]}."""
    table = re.search(rf'id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert table, table_id
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S):
        header = re.search(r"<th[^>]*>(.*?)</th>", row, re.S)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows[text_of(header.group(1)).strip()] = [text_of(cell).strip() for cell in cells]
    return rows


def links_in(html: str) -> list[str]:
    return [
        href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', html) if DRILL in href
    ]


# --- Who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, DRILL])
def test_anonymous_visitor_is_sent_to_sign_in(client_for, url: str) -> None:
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_every_signed_in_role_has_the_page_in_the_menu(client_for) -> None:
    for persona in ("admin", "me", "staff", "focal_gracanica", "focal_zvecan", "donor"):
        response = client_for(persona).get(PAGE)
        assert response.status_code == 200, persona
        html = response.content.decode()
        assert f'href="{PAGE}" aria-current="page"' in html, persona


def test_me_officer_sees_every_municipality(client_for, mix: dict[str, Activity]) -> None:
    html = client_for("me").get(PAGE).content.decode()
    by_place = table_rows(html, "mix-municipality")
    assert set(by_place) == {"Gračanica/Graçanicë", "Zvečan/Zveçan"}
    assert 'id="representation-zvecan"' in html and 'id="representation-gracanice"' in html


@pytest.mark.parametrize("query", ["", "?municipality={zvecan}", "?period=fy2015"])
def test_focal_point_sees_only_their_municipality(
    client_for, mix: dict[str, Activity], query: str
) -> None:
    zvecan = Municipality.objects.get(code="zvecan")
    client = client_for("focal_gracanica")
    page = client.get(PAGE + query.format(zvecan=zvecan.pk))
    html = page.content.decode()
    assert ZVECAN_MARK not in html
    assert zvecan.name_sr_latn not in html and zvecan.name_sq not in html
    assert 'id="representation-gracanice"' in html
    # 3 Gračanica activities judged (the meeting cannot be): 2 mixed.
    assert table_rows(html, "mix-overall")["All activities"][:4] == ["4", "2", "1", "1"]
    for href in links_in(html):
        listed = client.get(href)
        assert listed.status_code == 200, href
        assert ZVECAN_MARK not in listed.content.decode(), href
    # Asking the drill-down for Zvečan by hand gives Gračanica's activities, never Zvečan's.
    listed = client.get(f"{DRILL}?municipality={zvecan.pk}").content.decode()
    assert ZVECAN_MARK not in listed and "Gracanica workshop" in listed


def test_focal_point_of_another_municipality_sees_none_of_gracanica(
    client_for, mix: dict[str, Activity]
) -> None:
    html = client_for("focal_zvecan").get(PAGE).content.decode()
    assert "Gracanica" not in html and "Graçanicë" not in html
    assert table_rows(html, "mix-overall")["All activities"][:2] == ["1", "1"]
    sources = table_rows(html, "population-sources")
    assert list(sources) == ["Zvečan/Zveçan"]
    assert sources["Zvečan/Zveçan"][:4] == ["Albanian", "350", "2.06%", "OSCE estimate, 2013"]
    listed = client_for("focal_zvecan").get(f"{DRILL}?verdict=mixed").content.decode()
    assert "Gracanica" not in listed and f"{ZVECAN_MARK} workshop" in listed


def test_donor_sees_aggregates_and_activities_never_a_person(
    client_for, mix: dict[str, Activity]
) -> None:
    client = client_for("donor")
    html = client.get(PAGE).content.decode()
    assert set(table_rows(html, "mix-municipality")) == {"Gračanica/Graçanicë", "Zvečan/Zveçan"}
    for href in links_in(html):
        listed = client.get(href).content.decode()
        assert "GrGiven" not in listed and f"{ZVECAN_MARK}Given" not in listed
        assert "Family" not in listed


def test_component_staff_see_totals_but_open_only_their_components_activities(
    client_for, mix: dict[str, Activity]
) -> None:
    # The fixture's activities belong to the communication component; staff are in economic.
    client = client_for("staff")
    html = client.get(PAGE).content.decode()
    assert table_rows(html, "mix-overall")["All activities"][:2] == ["5", "3"]
    listed = client.get(f"{DRILL}?verdict=mixed")
    assert listed.context["records"].total == 3
    assert listed.context["records"].hidden == 3
    assert "3 more records behind this figure are outside what you may open." in text_of(listed)


# --- The numbers are the pure functions' -----------------------------------------------------


def test_mixed_tables_equal_the_pure_function(client_for, mix: dict[str, Activity]) -> None:
    mixed, _represented = pure()
    html = client_for("me").get(PAGE).content.decode()
    names = {m.name: pk for pk, m in municipalities_by_id().items()}
    for label, cells in table_rows(html, "mix-municipality").items():
        summary = mixed.by_municipality[names[label]]
        expected = [summary.activities, summary.mixed, summary.not_mixed, summary.undetermined]
        assert [int(cell) for cell in cells[:4]] == expected, label
        assert cells[4].startswith(share_of_activities(summary.share_mixed, "en")), label
    kinds = dict(ActivityKind.choices)
    for label, cells in table_rows(html, "mix-kind").items():
        (kind,) = [code for code, name in kinds.items() if name == label]
        summary = mixed.by_kind[kind]
        assert int(cells[1]) == summary.mixed, label
    overall = table_rows(html, "mix-overall")["All activities"]
    assert [int(cell) for cell in overall[:4]] == [5, 3, 1, 1]
    assert mixed.overall.share_mixed == Fraction(3, 4)
    assert "75% of the activities that could be judged were mixed (3)." in text_of(html)


def test_the_verdicts_are_the_rules(client_for, mix: dict[str, Activity]) -> None:
    mixed, _represented = pure()
    verdicts = {pk: item.verdict for pk, item in mixed.activities.items()}
    assert verdicts == {
        mix["workshop"].pk: Verdict.MIXED,
        mix["training"].pk: Verdict.NOT_MIXED,  # the Albanian trainer does not count
        mix["hearing"].pk: Verdict.MIXED,  # by headcount alone
        mix["meeting"].pk: Verdict.UNDETERMINED,  # unknown and "prefer not to say"
        mix["zvecan"].pk: Verdict.MIXED,
    }


def test_representation_table_equals_the_pure_function(
    client_for, mix: dict[str, Activity]
) -> None:
    _mixed, represented = pure()
    gracanica = municipality("gracanice")
    found = represented[gracanica.pk]
    html = client_for("me").get(PAGE).content.decode()
    rows = table_rows(html, "representation-gracanice")
    # Persons: 4 + 5 Serbs and 2 Albanians named; the hearing's heads are not persons.
    albanian = next(row for row in found.rows if row.community == "albanian")
    assert albanian.participants_share == Fraction(2, 11)
    assert rows["Albanian"][:4] == [
        "2",
        percent(albanian.participants_share, "en"),
        "9.44%",
        ratio(albanian.ratio, "en"),
    ]
    assert rows["Albanian"][3] == "1.93"
    assert rows["Albanian"][4].startswith("Census, 2011")
    # The Serb share of Gračanica's population is not published: "not known", never 0.
    assert rows["Serb (majority)"][:4] == ["9", "81.82%", "not known", "not known"]
    page = markup.unescape(text_of(html))
    assert "9 participants with a declared community" not in page  # 11, not 9
    assert "11 participants with a declared community; 3 without one" in page
    assert "Besides, 45 people counted on headcount sheets" in page
    assert "The majority community's share of the population is not published." in page


def test_representation_in_attendances_counts_the_headcounts(
    client_for, mix: dict[str, Activity]
) -> None:
    _mixed, represented = pure(unit="attendances")
    found = represented[municipality("gracanice").pk]
    html = client_for("me").get(PAGE + "?unit=attendances").content.decode()
    rows = table_rows(html, "representation-gracanice")
    albanian = next(row for row in found.rows if row.community == "albanian")
    assert albanian.participants == 12  # 2 named, 10 heads
    assert rows["Albanian"][0] == "12"
    assert rows["Albanian"][3] == ratio(albanian.ratio, "en")


def test_north_mitrovica_non_majority_together_has_a_ratio(client_for, personas) -> None:
    north = held("mitrovice-e-veriut", "North workshop")
    attend(north, "serb", 6)
    attend(north, "bosniak", 2)
    attend(north, "gorani", 2)
    html = client_for("me").get(PAGE).content.decode()
    table = re.search(r'id="representation-mitrovice-e-veriut".*?</table>', html, re.S).group(0)
    together = re.search(r"<tfoot>(.*?)</tfoot>", table, re.S).group(1)
    cells = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", together, re.S)]
    # 4 of 10 participants against 1 - 22,530/29,460 of the population.
    assert cells[:3] == ["4", "40.0%", "23.52%"]
    assert cells[3] == ratio(Fraction(4, 10) / (1 - Fraction("0.76477")), "en") == "1.70"


def test_threshold_and_headcount_can_be_chosen(client_for, mix: dict[str, Activity]) -> None:
    client = client_for("me")
    # The menus show what is counted by default.
    html = client.get(PAGE).content.decode()
    assert '<option value="10" selected>' in html and '<option value="1" selected>' in html
    assert '<option value="persons" selected>' in html
    # At 30%, the workshop (2 of 6 Albanians) stays mixed, the hearing (10 of 40) and Zvečan's
    # workshop (1 of 4) do not.
    html = client.get(PAGE + "?threshold=30").content.decode()
    assert table_rows(html, "mix-overall")["All activities"][:3] == ["5", "1", "3"]
    # Two people each: Zvečan's single Albanian no longer makes it mixed.
    html = client.get(PAGE + "?min_headcount=2").content.decode()
    assert table_rows(html, "mix-overall")["All activities"][:3] == ["5", "2", "2"]
    # The choice travels into the drill-down links.
    assert all("min_headcount=2" in href for href in links_in(html))
    # An unknown value falls back to the default and says so.
    response = client.get(PAGE + "?threshold=7&unit=attendances")
    assert response.status_code == 200
    assert response.context["rule"].threshold == Fraction(1, 10)
    assert response.context["rule"].unit == "attendances"  # the valid choice still holds
    assert "threshold" in response.context["rule"].form.errors


# --- Drill-down -------------------------------------------------------------------------------


def test_every_figure_opens_into_the_activities_behind_it(
    client_for, mix: dict[str, Activity]
) -> None:
    client = client_for("me")
    html = client.get(PAGE).content.decode()
    links = links_in(html)
    assert links
    for href in links:
        response = client.get(href)
        assert response.status_code == 200, href
        records = response.context["records"]
        assert records.hidden == 0
        assert records.page.paginator.count == records.total, href
    mixed_link = next(h for h in links if parse_qs(urlparse(h).query) == {"verdict": ["mixed"]})
    listed = client.get(mixed_link)
    titles = {line.activity.title for line in listed.context["records"].lines}
    assert titles == {"Gracanica workshop", "Gracanica hearing", f"{ZVECAN_MARK} workshop"}
    assert "Mixed activities" in text_of(listed)


def test_community_drill_down_lists_where_its_participants_were(
    client_for, mix: dict[str, Activity]
) -> None:
    gracanica = municipality("gracanice")
    response = client_for("me").get(f"{DRILL}?municipality={gracanica.pk}&community=albanian")
    records = response.context["records"]
    assert {line.activity.title: line.behind for line in records.lines} == {
        "Gracanica workshop": "2"
    }
    assert "Activities with participants of the Albanian community" in text_of(response)
    attendances = client_for("me").get(
        f"{DRILL}?municipality={gracanica.pk}&community=non-majority&unit=attendances"
    )
    lines = attendances.context["records"].lines
    assert {line.activity.title: line.behind for line in lines} == {
        "Gracanica workshop": "2",
        "Gracanica hearing": "10",
    }


def test_drill_down_shows_each_activitys_composition(client_for, mix: dict[str, Activity]) -> None:
    response = client_for("me").get(f"{DRILL}?verdict=undetermined")
    (line,) = response.context["records"].lines
    assert line.activity == mix["meeting"]
    assert (line.counted, line.unknown, line.communities) == ("3", "3", "")
    assert line.verdict == "Too little community data"


@pytest.mark.parametrize(
    "query", ["?verdict=maybe", "?kind=picnic", "?community=martian", "?community=<b>"]
)
def test_a_figure_the_page_does_not_have_is_not_found(client_for, personas, query: str) -> None:
    assert client_for("me").get(DRILL + query).status_code == 404


def test_pages_of_a_long_list_keep_the_figure(client_for, personas) -> None:
    for number in range(101):
        activity = held("gjilan", f"Meeting {number}", start_date=dt.date(2015, 6, 1))
        TallyFactory(activity=activity, community=None, headcount=3)
    response = client_for("me").get(f"{DRILL}?verdict=undetermined")
    html = response.content.decode()
    assert response.context["records"].total == 101
    assert 'href="?verdict=undetermined&amp;page=2"' in html


# --- In the reader's language, and a fixed number of queries ----------------------------------


def test_page_in_albanian(client_for, mix: dict[str, Activity]) -> None:
    client = client_for("me")
    client.post(reverse("set_language"), {"language": "sq", "next": PAGE})
    html = client.get(PAGE).content.decode()
    assert '<html lang="sq">' in html
    assert "Graçanicë/Gračanica" in html or "Graçanicë" in html
    assert "Shqiptare" in html  # the Albanian community, named from the data
    client.post(reverse("set_language"), {"language": "sr", "next": PAGE})
    html = client.get(PAGE).content.decode()
    assert "Грачаница" in html and "Албанска" in html
    assert "9,44%" in html  # the census share, written as a Serbian reader writes it


def test_query_count_does_not_grow_with_records(client_for, mix: dict[str, Activity]) -> None:
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client = client_for("focal_gracanica")
    urls = [PAGE, PAGE + "?unit=attendances", f"{DRILL}?verdict=mixed", f"{DRILL}?community=serb"]
    few = [count(url) for url in urls]
    for number in range(5):
        activity = held("gracanice", f"More {number}")
        attend(activity, "serb", 3)
        attend(activity, "roma", 1)
        TallyFactory(activity=activity, community=community("albanian"), headcount=4)
    assert [count(url) for url in urls] == few
    assert max(few) <= 16
