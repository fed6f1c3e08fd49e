"""An entered indicator's figures on the results pages, the tracking table, the reports and in an
approved quarter: computed like the others, marked as entered wherever they are shown, open to
the values behind them within the viewer's scope, and frozen by approval like any fact."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from akt.accounts.models import AuditEntry, User
from akt.accounts.services import change_reason
from akt.counting import engine
from akt.counting.periods import Period
from akt.indicators.models import Indicator, OutcomeValue
from akt.indicators.selectors import indicator_value, life_of_project
from akt.indicators.services import outcome_value_record
from akt.reports import approval
from akt.reports.document import Paragraph, Table
from akt.reports.report_builders import ReportKind, report_data, report_document
from akt.reports.services import (
    period_approve,
    period_differences,
    period_submit,
    snapshot_check,
)
from akt.reports.tracking import tracking_table
from akt.reports.tracking_xlsx import tracking_workbook
from akt.testing.factories import UserFactory, municipality

pytestmark = pytest.mark.django_db

MARK = 'class="tag entered"'
GRACANICA_DOCUMENT = "Opština Gračanica, Godišnji finansijski izveštaj 2015"
ZVECAN_DOCUMENT = "ZVSECRET Opština Zvečan, Godišnji finansijski izveštaj 2015"


@pytest.fixture
def entered(personas: dict[str, User]) -> dict[str, OutcomeValue]:
    """Property tax billed in calendar year 2015 in Gračanica and Zvečan (counted on 31
    December 2015: FY2016, Q1), and collected in Gračanica."""

    def enter(code: str, place: str, value: str, document: str) -> OutcomeValue:
        return outcome_value_record(
            actor=personas["me"],
            indicator=Indicator.objects.get(code=code),
            period=Period.calendar_year(2015),
            municipality_id=municipality(place).pk,
            cell={},
            value=Decimal(value),
            source_document=document,
        )

    return {
        "gracanica": enter("property-tax-billed", "gracanice", "400000", GRACANICA_DOCUMENT),
        "zvecan": enter("property-tax-billed", "zvecan", "100000", ZVECAN_DOCUMENT),
        "collected": enter("property-tax-collected", "gracanice", "250000", GRACANICA_DOCUMENT),
    }


def item_of(html: str, code: str) -> str:
    """The dashboard's list item of one indicator's figure."""
    found = re.search(rf'<li class="figure-item[^"]*" id="figure-{code}">(.*?)</li>', html, re.S)
    assert found is not None, code
    return found.group(1)


def test_the_dashboard_marks_the_entered_figures(client_for, entered) -> None:
    html = client_for("me").get(reverse("reports:dashboard")).content.decode()
    billed = item_of(html, "property-tax-billed")
    assert "€500,000" in billed and MARK in billed
    assert "not counted from the program" in billed  # the mark's explanation, for a screen reader
    assert MARK not in item_of(html, "lul-debates")


def test_the_indicator_page_marks_the_figure_and_lists_the_values_behind_it(
    client_for, entered
) -> None:
    page = reverse("reports:indicator", args=["property-tax-billed"])
    html = client_for("me").get(page).content.decode()
    assert MARK in html and "€500,000" in html
    assert GRACANICA_DOCUMENT in html and ZVECAN_DOCUMENT in html
    assert reverse("indicators:values", args=["property-tax-billed"]) in html
    # A focal point: their municipality's figure and value only, and the way to enter.
    html = client_for("focal_gracanica").get(page).content.decode()
    assert "€400,000" in html and GRACANICA_DOCUMENT in html
    assert "ZVSECRET" not in html
    assert reverse("indicators:values", args=["property-tax-billed"]) in html
    # The donor reads the figure and the values, and is not offered to enter any.
    html = client_for("donor").get(page).content.decode()
    assert GRACANICA_DOCUMENT in html
    assert reverse("indicators:values", args=["property-tax-billed"]) not in html
    # A counted indicator's page is not marked.
    counted = client_for("me").get(reverse("reports:indicator", args=["lul-debates"]))
    assert MARK not in counted.content.decode()


def test_the_tracking_table_and_its_workbook_mark_the_entered_figures(client_for, entered) -> None:
    html = client_for("me").get(reverse("reports:tracking") + "?fy=2016").content.decode()
    row = re.search(r'<th scope="row" class="name"><a href="[^"]*/property-tax-billed/">(.*?)</th>',
                    html, re.S)  # fmt: skip
    assert row is not None and MARK in row.group(1)
    link = reverse("reports:indicator", args=["property-tax-billed"]) + "?period=fy2016q1"
    assert f'href="{link}">500,000</a>' in html

    table = tracking_table(lop=life_of_project(), today=dt.date(2026, 12, 7))
    for language, entered_word, counted in (
        ("en", "Entered", "Counted from the records"),
        ("sq", "E futur", "Numëruar nga regjistrimet"),
    ):
        book = load_workbook(io.BytesIO(tracking_workbook(
            table, language=language, program="AKT", made=dt.date(2026, 12, 7))))  # fmt: skip
        rows = {row[0]: row for row in book.worksheets[0].iter_rows(min_row=6, values_only=True)}
        assert rows["3.3.3"][3] == entered_word
        assert rows["1.1.1"][3] == counted
        assert rows["3.3.3"][4] == 8100000  # the baseline, a column further on


def test_the_performance_report_marks_the_entered_indicators(entered) -> None:
    data = report_data(
        ReportKind.ANNUAL, Period.fiscal_year(2016), lop=life_of_project(),
        today=dt.date(2026, 12, 7),
    )  # fmt: skip
    document = report_document(data, language="en", dated=dt.datetime(2026, 12, 7, 12))
    names = [row[0] for block in document.blocks if isinstance(block, Table) for row in block.rows]
    assert "Property tax billed in partner municipalities (entered)" in names
    assert "Public debates on the Law on Use of Languages" in names
    notes = [b.text for b in document.blocks if isinstance(b, Paragraph) and b.note]
    assert any("not counted from the program's records" in note for note in notes)


# -- approval ------------------------------------------------------------------------------------


def test_an_approved_quarter_keeps_the_entered_values_and_a_change_needs_a_reason(
    entered: dict[str, OutcomeValue], personas: dict[str, User]
) -> None:
    """FY2016, Q1 (October to December 2015) holds calendar year 2015's values. Approved, it
    keeps them as facts; a correction afterwards needs a reason and leaves the approved figure
    as it was, the quarter's differences showing it."""
    reviewer = UserFactory(username="me2", role="me_officer")
    period = period_submit(actor=personas["me"], fiscal_year=2016, quarter=1)
    snapshot = period_approve(actor=reviewer, period=period)
    facts = approval.unpack_facts(bytes(snapshot.facts))
    kept = {fact.record_id for fact in facts if fact.source is engine.Source.ENTERED}
    assert kept == {value.pk for value in entered.values()}
    assert snapshot.figures["quarter"]["property-tax-billed"]["value"] == "500000.00"

    value = entered["gracanica"]

    def correct() -> OutcomeValue:
        return outcome_value_record(
            actor=personas["focal_gracanica"],
            indicator=value.indicator,
            period=value.period,
            municipality_id=value.municipality_id,
            cell={},
            value=Decimal("450000"),
            source_document=GRACANICA_DOCUMENT + ", corrected",
        )

    with pytest.raises(ValidationError) as refused:
        correct()
    assert "FY 2016, Q1 is approved" in " ".join(refused.value.messages)
    value.refresh_from_db()
    assert value.value == Decimal("400000.00")

    with change_reason("The assembly adopted a corrected financial report."):
        correct()
    entry = AuditEntry.objects.get(action="outcome_value_correct")
    assert entry.reason == "The assembly adopted a corrected financial report."
    assert entry.changes["approved_periods"] == ["fy2016q1"]
    assert entry.changes["value"] == ["400000.00", "450000.00"]

    snapshot.refresh_from_db()
    assert snapshot.figures["quarter"]["property-tax-billed"]["value"] == "500000.00"
    assert snapshot_check(snapshot)  # its kept facts still give its figures
    live = indicator_value(
        value.indicator, window=engine.fiscal_quarter(2016, 1)
    ).figures.value  # fmt: skip
    assert live == Decimal("550000.00")
    differences = [
        item
        for item in period_differences(snapshot)
        if item["indicator"] == "property-tax-billed" and item["dimension"] is None
    ]
    assert {(item["window"], item["approved"], item["live"]) for item in differences} == {
        ("quarter", "500000.00", "550000.00"),
        ("year_to_date", "500000.00", "550000.00"),
    }


@pytest.mark.parametrize(
    ("language", "mark", "values"),
    [("sq", "E futur", "Vlera të futura"), ("sr", "Унето", "Унете вредности")],
)
def test_the_mark_and_the_values_page_in_albanian_and_serbian_cyrillic(
    client_for, entered, language: str, mark: str, values: str
) -> None:
    client = client_for("focal_gracanica")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    dashboard = item_of(client.get(reverse("reports:dashboard")).content.decode(),
                        "property-tax-billed")  # fmt: skip
    assert '<span aria-hidden="true" title="' in dashboard and f">{mark}</span>" in dashboard
    page = client.get(reverse("indicators:values", args=["property-tax-billed"]))
    assert values in page.content.decode()
    if language == "sr":
        text = re.sub(r"<[^>]+>", " ", page.content.decode())
        assert "Opština Gračanica, Godišnji" in text  # the document as it was written
        assert "Calendar" not in text and "Source document" not in text
