"""The performance reports built from the records: the same contents on the page, in Word and in
PDF, in each language, with the narratives, the annex and every script intact."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from akt.accounts.models import User
from akt.activities.models import Attendance
from akt.counting.periods import Period
from akt.indicators.models import Indicator
from akt.indicators.selectors import life_of_project
from akt.jobs.models import Job, JobStatus
from akt.reports.document import Picture, Table, document_text, docx_bytes, pdf_bytes
from akt.reports.narratives import narrative_write
from akt.reports.report_builders import ReportKind, report_data, report_document
from akt.reports.report_files import ReportRequest, report_file_bytes
from akt.reports.tests.records import Place

pytestmark = pytest.mark.django_db

QUARTER = Period.fiscal_quarter(2015, 3)  # the records' debates are on 12 May 2015
GRACANICA = {
    "en": "Gračanica/Graçanicë",
    "sq": "Graçanicë",
    "sr-latn": "Gračanica",
    "sr": "Грачаница",
}
TITLES = {
    "en": "Quarterly performance report",
    "sq": "Raporti tremujor i performancës",
    "sr-latn": "Kvartalni izveštaj o učinku",
    "sr": "Квартални извештај о учинку",
}


def build(language: str, kind: ReportKind = ReportKind.QUARTERLY, period: Period = QUARTER):
    data = report_data(kind, period, lop=life_of_project(), today=dt.date(2026, 12, 7))
    return report_document(data, language=language, dated=dt.datetime(2026, 12, 7, 12, 0))


@pytest.mark.parametrize("language", sorted(TITLES))
def test_the_quarterly_report_in_each_language_and_format(
    two_places: dict[str, Place], personas: dict[str, User], language: str
) -> None:
    narrative_write(
        actor=personas["me"],
        indicator=Indicator.objects.get(code="lul-debates"),
        fiscal_year=2015,
        quarter=3,
        language=language,
        text=f"Narrative in {language}: {GRACANICA[language]}.",
        based_on=0,
    )
    document = build(language)
    text = document_text(document)
    assert document.title == TITLES[language]
    assert f"Narrative in {language}: {GRACANICA[language]}." in text
    assert GRACANICA[language] in text  # the annex names the municipality in the reader's script
    tables = [block for block in document.blocks if isinstance(block, Table)]
    with translation.override(language):
        debates = Indicator.objects.get(code="lul-debates").name
    assert any(row[0] == debates and row[1] == "6"
               for table in tables for row in table.rows)  # fmt: skip  # 2 + 4 debates
    assert any(isinstance(block, Picture) for block in document.blocks)  # charts and the map

    word = docx.Document(io.BytesIO(docx_bytes(document)))
    written = "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert TITLES[language] in written and GRACANICA[language] in written
    pdf = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes(document))).pages
    )
    assert TITLES[language] in pdf and GRACANICA[language] in pdf


def test_a_report_is_made_for_a_period_of_its_kind(two_places: dict[str, Place]) -> None:
    with pytest.raises(ValueError, match="not made for"):
        build("en", ReportKind.ANNUAL, QUARTER)
    brief = build("en", ReportKind.BRIEF, Period.life_of_project())
    assert brief.title == "Results to date"
    assert "What happened this quarter" not in document_text(brief)  # narratives are quarterly


def test_the_report_pages_and_files_for_program_wide_viewers(
    client_for, two_places: dict[str, Place]
) -> None:
    url = reverse("reports:report", args=["quarterly"]) + f"?period={QUARTER.key}"
    page = client_for("donor").get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Quarterly performance report" in html and "<svg" in html
    names = Attendance.objects.values_list("person__family_name", flat=True)
    assert names and not any(name in html for name in names)  # no person is named in a report
    assert client_for("focal_gracanica").get(url).status_code == 403
    assert client_for("me").get(reverse("reports:report", args=["weekly"])).status_code == 404
    assert client_for("me").get(url.replace("fy2015q3", "fy2030q1")).status_code == 404

    # A file is written by a job: its page shows the progress, then the file to its requester.
    asked = client_for("me").post(
        reverse("reports:report_file", args=["annual"]),
        {"period": "fy2015", "language": "sr", "format": "pdf"},
    )
    job = Job.objects.get()
    assert asked.status_code == 302 and asked["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED and job.percent == 100
    progress_page = client_for("me").get(asked["Location"]).content.decode()
    assert "akt-annual-report-fy2015-sr.pdf" in progress_page
    answer = client_for("me").get(job.result["download"])
    assert answer["Content-Type"] == "application/pdf"
    assert "akt-annual-report-fy2015-sr.pdf" in answer["Content-Disposition"]
    assert (
        "Годишњи извештај о учинку" in PdfReader(io.BytesIO(answer.content)).pages[0].extract_text()
    )
    assert client_for("admin").get(job.result["download"]).status_code == 404  # not theirs
    refused = client_for("focal_gracanica").post(
        reverse("reports:report_file", args=["annual"]),
        {"period": "fy2015", "language": "sr", "format": "pdf"},
    )
    assert refused.status_code == 403
    wrong = client_for("me").post(
        reverse("reports:report_file", args=["annual"]),
        {"period": "fy2015", "language": "de", "format": "pdf"},
    )
    assert wrong.status_code == 400 and "language" in wrong.content.decode()
    assert Job.objects.count() == 1  # nothing queued for refused requests


def test_writing_a_file_tells_how_far_it_has_got(two_places: dict[str, Place]) -> None:
    """The job's progress: counting (the results, the targets, each partner municipality),
    drawing each picture, writing; never backwards, in the reader's language."""
    seen: list[tuple[int, str]] = []

    def record(done: int, total: int | None = None, stage: str | None = None) -> None:
        assert total == 100
        seen.append((done, stage or ""))

    with translation.override("sq"):
        content, approved = report_file_bytes(
            ReportRequest(ReportKind.ANNUAL, Period.fiscal_year(2015), "sq", "docx"), record
        )
    assert content.startswith(b"PK") and not approved
    done = [value for value, _stage in seen]
    assert done == sorted(done) and done[0] == 0 and done[-1] < 100
    stages = [stage for _value, stage in seen]
    assert "Po numërohen rezultatet në Graçanicë" in stages
    assert any(stage.startswith("Po vizatohen grafikët dhe harta (1 nga ") for stage in stages)
    assert stages[-1] == "Po shkruhet skedari"
