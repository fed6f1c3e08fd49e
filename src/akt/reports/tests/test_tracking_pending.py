"""The tracking table shows each unique-person figure's range while pairs of records wait.

The sign-in sheets of test_pending.py: management trainings in Gjilan (February and November
2015) and Gračanica (March and June 2016), one attendee in Cyrillic on one sheet and without
diacritics on the next, another with the sex ticked wrong the second time, a name family-first.
Eight roster rows that may be six people; four pairs in the review queue, one more with a record
that attended no such training.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from akt.accounts.models import User
from akt.linkage.models import ReviewPair
from akt.linkage.services import review_decide
from akt.people.models import Person
from akt.reports.tests import test_pending
from akt.reports.tests.records import text_of
from akt.reports.tests.test_pending import CODE, propose

pytestmark = pytest.mark.django_db

TRACKING = reverse("reports:tracking")
DOWNLOAD = reverse("reports:tracking_download")
# The sign-in sheets and the review queue of test_pending.py.
sheets = test_pending.sheets
queue = test_pending.queue


def trainees_row(page) -> dict:
    return next(item for item in page.context["rows"] if item["row"].indicator.code == CODE)


def test_the_table_shows_each_figures_range_while_pairs_wait(
    client_for, queue: dict[str, ReviewPair]
) -> None:
    page = client_for("me").get(TRACKING, {"fy": "2016"})
    text = text_of(page)
    assert "Pairs of records behind some unique-person figures await review" in text
    assert reverse("linkage:review_list") in page.content.decode()
    by_column = {cell["column"].key: cell for cell in trainees_row(page)["cells"]}
    # Over the life of project: 8 rows, 4 people if every pair is one, 5.3 expected.
    assert (by_column["lop"]["actual"], by_column["lop"]["range"]) == ("8", "4 to 8, 5.3 expected")
    # FY 2016 sees Jovan and Arbër once each (their first sheets were in FY 2015): only the
    # two Draganas are a question there.
    assert (by_column["fy2016"]["actual"], by_column["fy2016"]["range"]) == (
        "5",
        "4 to 5, 4.1 expected",
    )
    assert by_column["fy2016q1"]["range"] == ""  # Jovan and Arbër, once each that quarter
    assert "8 4 to 8, 5.3 expected" in text  # under the figure, as the reader sees it
    # The splits: women 5, of whom Arbër's second sheet and the second Dragana may go.
    sex = next(split for split in page.context["splits"] if split["title"] == "Sex")
    women = next(
        row for row in sex["rows"] if row["indicator"].code == CODE and row["category"] == "Female"
    )
    assert women["cells"][-1]["actual"] == "5"
    assert women["cells"][-1]["range"] == "2 to 5, 3.2 expected"


@pytest.mark.parametrize("persona", ["me", "focal_gracanica"])
def test_every_range_is_the_one_the_indicator_page_shows_for_its_period(
    client_for, persona: str, queue: dict[str, ReviewPair]
) -> None:
    """Every column's figure, and each sex and municipality category of the year and the life
    of project, against the indicator page the figure opens (its window, the viewer's scope)."""
    client = client_for(persona)
    page = client.get(TRACKING, {"fy": "2016"})
    ranges = 0
    for cell in trainees_row(page)["cells"]:
        opened = client.get(cell["link"])
        tables = {table.title: table for table in opened.context["tables"]}
        any_table = next(iter(tables.values()))
        assert cell["range"] == any_table.total_range, cell["link"]
        ranges += bool(cell["range"])
    assert ranges >= 2  # the year and the life of project at least
    for split in page.context["splits"]:
        if split["title"] not in ("Sex", "Municipality"):
            continue
        for row in split["rows"]:
            if row["indicator"].code != CODE:
                continue
            for cell in row["cells"][-2:]:  # FY 2016 and the life of project
                opened = client.get(cell["link"])
                table = next(t for t in opened.context["tables"] if t.title == split["title"])
                shown = {item.label: item.range for item in table.rows}
                assert cell["range"] == shown.get(row["category"], ""), (row, cell["link"])


def page_bytes(response) -> bytes:
    """The page as sent, but for the CSRF token Django masks afresh on every response."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", response.content)


def workbook_parts(content: bytes) -> dict[str, bytes]:
    """The workbook's files; the creation and modification times openpyxl stamps on it (to the
    second) blanked, as they are all that differs between two saves of the same table."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/core.xml"] = re.sub(
        rb"<dcterms:(created|modified)([^>]*)>[^<]*<",
        rb"<dcterms:\1\2><",
        parts["docProps/core.xml"],
    )
    return parts


def test_deciding_every_pair_gives_back_the_same_page_and_workbook(
    client_for, personas: dict[str, User], sheets: dict[str, Person]
) -> None:
    client = client_for("me")
    page = page_bytes(client.get(TRACKING))
    book = workbook_parts(client.get(DOWNLOAD, {"language": "sr"}).content)

    pairs = [
        propose(sheets["jovan"], sheets["jovan_latin"], 0.87),
        propose(sheets["vesna"], sheets["vesna_cyrillic"], 0.3),
    ]
    waiting = client.get(TRACKING)
    assert page_bytes(waiting) != page
    assert "6 to 8, 6.8 expected" in text_of(waiting)
    content = client.get(DOWNLOAD, {"language": "en"}).content
    comments = [
        cell.comment.text
        for sheet in load_workbook(io.BytesIO(content)).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment is not None
    ]
    assert "While pairs of records await review: 6 to 8, 6.8 expected" in comments

    for pair in pairs:
        review_decide(actor=personas["me"], pair=pair, decision="keep_apart", reason="two people")
    assert page_bytes(client.get(TRACKING)) == page
    assert workbook_parts(client.get(DOWNLOAD, {"language": "sr"}).content) == book


def test_the_range_costs_the_same_queries_however_many_pairs_wait(
    client_for, sheets: dict[str, Person]
) -> None:
    client = client_for("me")
    with CaptureQueriesContext(connection) as none_waiting:
        assert client.get(TRACKING).status_code == 200
    propose(sheets["jovan"], sheets["jovan_latin"], 0.87)
    with CaptureQueriesContext(connection) as one_waiting:
        assert client.get(TRACKING).status_code == 200
    propose(sheets["arber"], sheets["arber_typo"], 0.6)
    propose(sheets["dragana"], sheets["dragana_reversed"], 0.9)
    with CaptureQueriesContext(connection) as three_waiting:
        assert client.get(TRACKING).status_code == 200
    assert len(none_waiting) == len(one_waiting) == len(three_waiting)
