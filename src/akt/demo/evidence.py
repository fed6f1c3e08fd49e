"""The demo's evidence: the scans and photos an office keeps with its records.

Most debates, hearings and trainings have their signed sign-in sheet (a one-page PDF listing
the roster's names, as a scan would), some a photo; grants their agreement, adopted plans the
assembly's decision, projects a photo of the site. Not every record has its file (a clerk who
has not scanned it yet): the reference sheets' data quality section counts what is missing.

Deterministic (``random.Random(seed)``): the files' bytes depend on the records only (reportlab's
invariant mode, a fixed PNG drawing), so two runs give the same checksums.
"""

from __future__ import annotations

import hashlib
import io
import random
from collections import defaultdict
from datetime import datetime

from django.contrib.contenttypes.models import ContentType

from akt.activities.models import Activity, ActivityKind, Attendance
from akt.capacity.models import CapacityDevelopmentPlan, PlanStatus
from akt.demo.plan import DEFAULT_SEED, DEMO_CODE_PREFIX, DEMO_NOTE
from akt.evidence.models import Attachment, EvidenceKind
from akt.grants.models import Grant
from akt.infrastructure.models import InfrastructureProject
from akt.reports.document import Document, Paragraph, pdf_bytes

SHEET_SHARE = 0.8  # activities whose sheet was scanned
SHEET_KINDS = (
    ActivityKind.PUBLIC_DEBATE,
    ActivityKind.PUBLIC_HEARING,
    ActivityKind.TRAINING,
    ActivityKind.WORKSHOP,
)
AGREEMENT_SHARE = 0.9
PHOTO_SHARE = 0.7


def _pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF: a title and numbered lines, as a scanned sheet's text layer would read;
    written by the reports' document writer (its fonts, its fixed bytes)."""
    document = Document(
        title=title,
        subtitle="",
        language="sq",
        dated=datetime(2014, 4, 1),
        blocks=tuple(
            Paragraph(f"{number}. {line}") for number, line in enumerate(lines[:45], start=1)
        ),
    )
    return pdf_bytes(document)


def _png(seed_text: str, caption: str) -> bytes:
    """A small picture standing for a photo: bands of colour drawn from the record's name."""
    from PIL import Image, ImageDraw

    digest = hashlib.sha256(seed_text.encode()).digest()
    image = Image.new("RGB", (480, 300), (digest[0], digest[1], digest[2]))
    draw = ImageDraw.Draw(image)
    for band in range(6):
        colour = (digest[3 + band], digest[9 + band], digest[15 + band])
        draw.rectangle([0, 180 + band * 20, 480, 200 + band * 20], fill=colour)
    draw.text((16, 16), caption[:60], fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _attachment(record, kind: str, title: str, name: str, data: bytes, media: str) -> Attachment:
    return Attachment(
        target_type=ContentType.objects.get_for_model(type(record)),
        target_id=record.pk,
        kind=kind,
        title=title,
        file_name=name,
        media_type=media,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by=None,
    )


def evidence_populate(seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Attaches the demo's files; returns how many of each kind."""
    rng = random.Random(seed)
    files: list[Attachment] = []
    activities = Activity.objects.filter(
        description__startswith=DEMO_NOTE, kind__in=SHEET_KINDS
    ).order_by("start_date", "pk")
    names: dict[int, list[str]] = defaultdict(list)
    for activity_id, given, family in (
        Attendance.objects.filter(activity__in=activities)
        .order_by("pk")
        .values_list("activity_id", "person__given_name", "person__family_name")
    ):
        names[activity_id].append(f"{given} {family}")
    for activity in activities:
        if rng.random() < SHEET_SHARE:
            data = _pdf(f"{activity.title} · {activity.start_date:%d.%m.%Y}", names[activity.pk])
            files.append(
                _attachment(
                    activity,
                    EvidenceKind.SIGN_IN_SHEET,
                    f"Lista e pjesëmarrësve {activity.start_date:%d.%m.%Y}",
                    f"lista-{activity.start_date:%Y%m%d}-{activity.pk}.pdf",
                    data,
                    "application/pdf",
                )
            )
    for grant in Grant.objects.filter(reference__startswith=DEMO_CODE_PREFIX).order_by("pk"):
        if rng.random() < AGREEMENT_SHARE:
            data = _pdf(f"Marrëveshja e grantit {grant.reference}", [grant.purpose or ""])
            files.append(
                _attachment(
                    grant,
                    EvidenceKind.AGREEMENT,
                    f"Marrëveshja {grant.reference}",
                    f"marreveshja-{grant.reference}.pdf",
                    data,
                    "application/pdf",
                )
            )
    plans = CapacityDevelopmentPlan.objects.filter(status=PlanStatus.ADOPTED).order_by("pk")
    for plan in plans:
        data = _pdf(plan.title, [f"{plan.adopted_on:%d.%m.%Y}"])
        files.append(
            _attachment(
                plan,
                EvidenceKind.PLAN_DOCUMENT,
                f"{plan.title} ({plan.adopted_on:%Y})",
                f"plan-{plan.pk}.pdf",
                data,
                "application/pdf",
            )
        )
    projects = InfrastructureProject.objects.filter(code__startswith=DEMO_CODE_PREFIX)
    for project in projects.order_by("pk"):
        if rng.random() < PHOTO_SHARE:
            data = _png(project.code, project.title)
            files.append(
                _attachment(
                    project,
                    EvidenceKind.PHOTO,
                    f"{project.title}: foto",
                    f"foto-{project.code}.png",
                    data,
                    "image/png",
                )
            )
    Attachment.objects.bulk_create(files, batch_size=200)
    counts: dict[str, int] = {}
    for item in files:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return counts


def evidence_wipe() -> int:
    """Deletes the files the demo attached (none is a person's upload)."""
    deleted, _kinds = Attachment.objects.filter(uploaded_by=None).delete()
    return deleted
