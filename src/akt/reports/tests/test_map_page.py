"""The map page, for each person who may or may not use it."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from akt.places.models import Municipality
from akt.reports.tests.records import ZVECAN_MARK, Place, text_of

pytestmark = pytest.mark.django_db

MAP = reverse("reports:map")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def table_rows(html: str) -> dict[str, str]:
    """The table after the map: each municipality's figure as the reader sees it, by name."""
    table = html[html.index('id="map-table"') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]:
        cells = [
            text_of(cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = cells[2]
    return rows


def test_anonymous_visitors_are_sent_to_log_in(client_for) -> None:
    response = client_for(None).get(MAP)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_me_officer_sees_every_municipalitys_figure(client_for, two_places: dict[str, Place]):
    response = client_for("me").get(MAP + "?indicator=lul-debate-participants")
    html = response.content.decode()
    rows = table_rows(html)
    assert len(rows) == 38
    assert rows["Gračanica/Graçanicë"] == "11"  # 2 debates x 3 attendees + 5 heads
    assert rows["Zvečan/Zveçan"] == "17"  # 4 x 2 + 9
    assert rows["Prizren"] == "0"
    assert html.count('class="map-area"') == 38
    gracanica = Municipality.objects.get(code="gracanice")
    assert reverse("reports:municipality", args=["gracanice"]) in html
    drill = reverse("reports:indicator", args=["lul-debate-participants"])
    assert f'href="{drill}?municipality={gracanica.pk}"' in html
    assert "OpenStreetMap contributors</a>" in html
    assert 'href="https://www.openstreetmap.org/copyright"' in html


def test_the_period_narrows_the_figures_and_follows_the_links(
    client_for, two_places: dict[str, Place]
) -> None:
    html = client_for("me").get(MAP + "?indicator=lul-debates&period=fy2016").content.decode()
    rows = table_rows(html)
    assert rows["Gračanica/Graçanicë"] == "0"  # the debates were held in May 2015 (FY 2015)
    html = client_for("me").get(MAP + "?indicator=lul-debates&period=fy2015").content.decode()
    assert table_rows(html)["Gračanica/Graçanicë"] == "2"
    profile = reverse("reports:municipality", args=["gracanice"])
    assert f'href="{profile}?period=fy2015"' in html


def test_focal_point_sees_their_municipalitys_figure_only(
    client_for, two_places: dict[str, Place]
) -> None:
    zvecan = Municipality.objects.get(code="zvecan")
    for query in ("?indicator=lul-debate-participants", f"?municipality={zvecan.pk}"):
        html = client_for("focal_gracanica").get(MAP + query).content.decode()
        assert ZVECAN_MARK not in html
        if "lul-debate-participants" in query:
            assert table_rows(html) == {"Gračanica/Graçanicë": "11"}
            assert "<title>Gračanica/Graçanicë: 11</title>" in html
            assert ">17<" not in html and ": 17</title>" not in html  # Zvečan's figure
        assert html.count('class="map-area"') == 1  # the one profile they may open
        assert reverse("reports:municipality", args=["zvecan"]) not in html
        assert "figures of Gračanica/Graçanicë only" in text_of(html)


def test_donor_sees_municipality_totals(client_for, two_places: dict[str, Place]) -> None:
    html = client_for("donor").get(MAP + "?indicator=lul-debate-participants").content.decode()
    assert table_rows(html)["Zvečan/Zveçan"] == "17"
    assert "Given" not in html  # no person's name anywhere


def test_an_unknown_indicator_falls_back_to_the_first(client_for, reference) -> None:
    response = client_for("me").get(MAP + "?indicator=no-such-thing&period=nonsense")
    assert response.status_code == 200
    assert 'value="lul-debates" selected' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading", "name"),
    [
        ("sq", "Rezultatet sipas komunave", "Graçanicë"),
        ("sr", "Резултати по општинама", "Грачаница"),
    ],
)
def test_the_page_speaks_the_readers_language(
    client_for, two_places: dict[str, Place], language: str, heading: str, name: str
) -> None:
    client = client_for("me")
    client.cookies["django_language"] = language
    html = client.get(MAP + "?indicator=lul-debate-participants").content.decode()
    assert heading in html
    assert table_rows(html)[name] == "11"
    assert f"<title>{name}: 11</title>" in html
