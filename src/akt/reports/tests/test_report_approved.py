"""An approved quarter's performance report: kept at approval, written from its snapshot, the
same bytes after the records, the targets and the names change; the live version beside it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

from akt.accounts.models import User
from akt.accounts.services import change_reason
from akt.activities import services as activity_services
from akt.counting.periods import Period
from akt.indicators.models import Indicator, Target
from akt.jobs.models import Job
from akt.reports.document import document_text
from akt.reports.document_json import document_as_json, document_from_json
from akt.reports.models import PeriodSnapshot, ReportFile
from akt.reports.narratives import narrative_write
from akt.reports.report_builders import ReportKind
from akt.reports.report_files import ReportRequest, report_file_bytes, report_file_document
from akt.reports.services import period_approve, period_submit
from akt.reports.tests.records import Place, debate
from akt.testing.factories import PersonFactory, UserFactory, municipality

pytestmark = pytest.mark.django_db

QUARTER = Period.fiscal_quarter(2015, 3)  # the records' debates are on 12 May 2015
NARRATIVES = {
    "en": "Six debates, in Gračanica/Graçanicë and Zvečan/Zveçan.",
    "sq": "Gjashtë debate, në Graçanicë dhe Zveçan.",
    "sr-latn": "Šest debata, u Gračanici i Zvečanu.",
    "sr": "Шест дебата, у Грачаници и Звечану.",
}


def debates_row(text: str, name: str) -> list[str]:
    """The figures of the debates indicator's line in the results by objective: the quarter,
    its target and percent, then the life of project's."""
    line = next(line for line in text.splitlines() if line.startswith(f"{name} "))
    return line.removeprefix(f"{name} ").split()


@pytest.fixture
def approved_quarter(two_places: dict[str, Place], personas: dict[str, User]) -> PeriodSnapshot:
    indicator = Indicator.objects.get(code="lul-debates")
    Target.objects.create(
        indicator=indicator, period_kind="quarter", fiscal_year=2015, quarter=3, value=Decimal(8)
    )
    for language, text in NARRATIVES.items():
        narrative_write(
            actor=personas["me"],
            indicator=indicator,
            fiscal_year=2015,
            quarter=3,
            language=language,
            text=text,
            based_on=0,
        )
    reviewer = UserFactory(username="me2", role="me_officer", first_name="Drita")
    period = period_submit(actor=personas["me"], fiscal_year=2015, quarter=3, note="")
    return period_approve(actor=reviewer, period=period)


def test_the_approved_report_is_the_same_bytes_after_a_later_change(
    approved_quarter: PeriodSnapshot, two_places: dict[str, Place], personas: dict[str, User]
) -> None:
    """Every language, Word and PDF: written from the snapshot before and after a debate is
    added to the quarter (with a reason), its target raised and the indicator renamed; the live
    version of the same report moves with the records."""
    requests = [
        ReportRequest(ReportKind.QUARTERLY, QUARTER, language, extension)
        for language in NARRATIVES
        for extension in ("docx", "pdf")
    ]
    before = {request: report_file_bytes(request) for request in requests}
    assert all(approved for _content, approved in before.values())

    late = debate("gracanice", "A debate entered late", start=dt.date(2015, 6, 2))
    with change_reason("The Gračanica sheet of 2 June arrived late."):
        activity_services.attendance_add(
            actor=personas["me"],
            activity=late,
            person=PersonFactory(municipality=municipality("gracanice")),
        )
    approved_name = Indicator.objects.get(code="lul-debates").name_en
    Target.objects.filter(indicator__code="lul-debates").update(value=Decimal(20))
    Indicator.objects.filter(code="lul-debates").update(name_en="Debates held (renamed)")

    for request in requests:
        assert report_file_bytes(request) == before[request], request.file_name

    kept, snapshot = report_file_document(requests[0])  # English, from the snapshot
    live, no_snapshot = report_file_document(
        ReportRequest(ReportKind.QUARTERLY, QUARTER, "en", "docx", live=True)
    )
    assert snapshot is not None and no_snapshot is None
    assert kept.dated == snapshot.approved_at.replace(microsecond=0)
    # Six debates against a target of 8 as approved; seven against 20 in the records now.
    assert debates_row(document_text(kept), approved_name)[:3] == ["6", "8", "75%"]
    assert debates_row(document_text(live), "Debates held (renamed)")[:3] == ["7", "20", "35%"]


@pytest.mark.parametrize("language", sorted(NARRATIVES))
def test_the_kept_report_holds_the_narrative_in_each_language_and_script(
    approved_quarter: PeriodSnapshot, language: str
) -> None:
    content, approved = report_file_bytes(
        ReportRequest(ReportKind.QUARTERLY, QUARTER, language, "pdf")
    )
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert approved and NARRATIVES[language] in " ".join(text.split())
    word, _approved = report_file_bytes(
        ReportRequest(ReportKind.QUARTERLY, QUARTER, language, "docx")
    )
    paragraphs = [paragraph.text for paragraph in docx.Document(io.BytesIO(word)).paragraphs]
    assert NARRATIVES[language] in paragraphs


def test_a_kept_document_reads_back_as_the_same_document(
    approved_quarter: PeriodSnapshot,
) -> None:
    for kept in approved_quarter.reports.values():
        document = document_from_json(kept)
        assert document_as_json(document) == kept
    with pytest.raises(ValueError, match="format"):
        document_from_json({**approved_quarter.reports["en"], "format": 99})


def test_the_report_page_says_which_version_it_shows(
    approved_quarter: PeriodSnapshot, client_for, personas: dict[str, User]
) -> None:
    url = reverse("reports:report", args=["quarterly"]) + f"?period={QUARTER.key}"
    kept = client_for("donor").get(url).content.decode()
    assert "The report as approved on" in kept and "&amp;live=1" in kept
    live = client_for("donor").get(url + "&live=1").content.decode()
    assert "not the approved report" in live
    other = client_for("donor").get(url.replace("fy2015q3", "fy2015q2")).content.decode()
    assert "This quarter is not approved" in other

    client_for("donor").post(
        reverse("reports:report_file", args=["quarterly"]),
        {"period": QUARTER.key, "language": "sq", "format": "docx", "live": "on"},
    )
    job = Job.objects.get()
    written = ReportFile.objects.get(job=job)
    assert not written.approved and written.name == "akt-quarterly-report-fy2015q3-live-sq.docx"
    assert job.params["back"].endswith("&live=1")
