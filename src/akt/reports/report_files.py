"""A performance report written as a Word or PDF file, in the background, with its progress.

Counting a report's figures (every indicator, the targets, sixteen municipalities) and drawing
its charts and map takes seconds on the demo and longer on a program's years of records, so the
page does not write the file while its reader waits: :func:`report_file_start` queues a job,
whose page shows how far it has got and, once written, offers the file (:class:`ReportFile`,
kept a day for whoever asked). ``akt report`` runs the same job on the command line.

The quarterly report of an approved quarter is written from its snapshot (the document kept at
approval, :func:`akt.reports.services.approved_document`): the same bytes however the records
change, unless the live version is asked for.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.counting.periods import Period, PeriodKind
from akt.indicators.selectors import life_of_project
from akt.jobs.models import Job
from akt.jobs.services import Progress, job_kind, job_start
from akt.reports.document import Block, Document, Drawn, Picture, docx_bytes, pdf_bytes
from akt.reports.models import PeriodSnapshot, PeriodStatus, ReportFile
from akt.reports.report_builders import PERIOD_OF_KIND, ReportKind, report_data, report_document
from akt.reports.services import approved_document

JOB_KIND = "reports.file"
KEPT_FOR = timedelta(days=1)
"""How long a written file waits for its download; it can always be written again."""

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

COUNTING_SHARE = 60  # percent of the bar: counting the figures; drawing and writing the rest
DRAWING_SHARE = 35


@dataclass(frozen=True)
class ReportRequest:
    """Which file: the report, its period, its language and format, and whether an approved
    quarter's report is written from the live records instead of its snapshot."""

    kind: ReportKind
    period: Period
    language: str
    extension: str
    live: bool = False

    def __post_init__(self) -> None:
        if self.period.kind != PERIOD_OF_KIND[self.kind]:
            raise ValueError(f"a {self.kind} report is not made for {self.period.key}")
        if self.language not in dict(settings.LANGUAGES):
            raise ValueError(f"no language {self.language!r}")
        if self.extension not in FORMATS:
            raise ValueError(f"no file format {self.extension!r}")

    @property
    def file_name(self) -> str:
        live = "-live" if self.live else ""
        return f"akt-{self.kind}-report-{self.period.key}{live}-{self.language}.{self.extension}"

    def as_params(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "period": self.period.key,
            "language": self.language,
            "format": self.extension,
            "live": self.live,
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> ReportRequest:
        kind = ReportKind(params["kind"])
        period = Period.from_key(params["period"], {PERIOD_OF_KIND[kind]})
        return cls(kind, period, params["language"], params["format"], bool(params["live"]))


def approved_snapshot(period: Period) -> PeriodSnapshot | None:
    """The snapshot of an approved fiscal quarter that kept its report; None otherwise."""
    if period.kind != PeriodKind.QUARTER:
        return None
    snapshot = (
        PeriodSnapshot.objects.filter(
            period__fiscal_year=period.year,
            period__quarter=period.quarter,
            period__status=PeriodStatus.APPROVED,
        )
        .select_related("approved_by", "period")
        .first()
    )
    return snapshot if snapshot is not None and snapshot.reports else None


def no_progress(done: int, total: int | None = None, stage: str | None = None) -> None:
    """Progress told to nobody (a caller that draws no bar)."""


def report_file_document(
    request: ReportRequest, progress: Any = no_progress
) -> tuple[Document, PeriodSnapshot | None]:
    """The document the file writes, and the snapshot it comes from (None: the live records)."""
    snapshot = None if request.live else approved_snapshot(request.period)
    if snapshot is not None:
        document = approved_document(snapshot, request.language)
        if document is not None:
            return document, snapshot

    def counting(done: int, total: int, stage: str) -> None:
        progress(COUNTING_SHARE * done // max(total, 1), 100, stage)

    data = report_data(
        request.kind,
        request.period,
        lop=life_of_project(),
        today=timezone.localdate(),
        progress=counting,
    )
    dated = timezone.localtime().replace(microsecond=0)
    return report_document(data, language=request.language, dated=dated), None


def report_file_bytes(request: ReportRequest, progress: Any = no_progress) -> tuple[bytes, bool]:
    """The file's bytes, and whether they are the approved quarter's report."""
    document, snapshot = report_file_document(request, progress)
    count = sum(isinstance(block, Picture) for block in document.blocks)
    blocks: list[Block] = []
    for block in document.blocks:
        if isinstance(block, Picture):
            done = sum(isinstance(item, Picture) for item in blocks)
            progress(
                COUNTING_SHARE + DRAWING_SHARE * done // count,
                100,
                _("Drawing the charts and the map (%(done)s of %(total)s)")
                % {"done": done + 1, "total": count},
            )
            block = dataclasses.replace(block, drawing=Drawn(block.png))  # drawn once, here
        blocks.append(block)
    document = dataclasses.replace(document, blocks=tuple(blocks))
    progress(COUNTING_SHARE + DRAWING_SHARE, 100, _("Writing the file"))
    content = docx_bytes(document) if request.extension == "docx" else pdf_bytes(document)
    return content, snapshot is not None


def report_file_start(*, actor: User, request: ReportRequest, back: str = "") -> Job:
    """Queues the file's writing; the job's page shows its progress, then the file, and a way
    ``back`` to the page it was asked from."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    params = {**request.as_params(), "interface": language, "back": back}
    return job_start(actor=actor, kind=JOB_KIND, params=params)


@job_kind(JOB_KIND)
def report_file_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Writes the file the job's params name and keeps it for its requester; forgets files
    older than :data:`KEPT_FOR`."""
    request = ReportRequest.from_params(job.params)
    with translation.override(job.params.get("interface") or settings.LANGUAGE_CODE):
        progress(0, 100, _("Counting the results"))
        content, approved = report_file_bytes(request, progress)
        kept = ReportFile.objects.create(
            job=job,
            name=request.file_name,
            content_type=FORMATS[request.extension],
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            approved=approved,
        )
        progress(100, 100, _("Written"))
    forget_before(timezone.now() - KEPT_FOR)
    return {
        "download": reverse("reports:report_download", args=[kept.pk]),
        "name": kept.name,
        "bytes": len(content),
        "approved": approved,
    }


def forget_before(moment: datetime) -> int:
    """Deletes the files written before ``moment``; returns how many."""
    deleted, _kinds = ReportFile.objects.filter(created_at__lt=moment).delete()
    return deleted
