"""Evidence on a record: attached by those who may change it, opened by those who may see it,
sheets and photos never by the donor, every file checked, kept with its checksum, removed only
with a reason."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from akt.accounts.models import AuditEntry, User
from akt.activities.models import Activity
from akt.activities.services import activity_void
from akt.evidence.models import Attachment
from akt.testing.factories import ActivityFactory, municipality

pytestmark = pytest.mark.django_db

SHEET = b"%PDF-1.4\n% Lista e pjes\xc3\xabmarr\xc3\xabsve, Gra\xc3\xa7anic\xc3\xab\n%%EOF\n"
AGREEMENT = b"%PDF-1.4\n% Marr\xc3\xabveshja e grantit\n%%EOF\n"


@pytest.fixture
def hearing(reference: None) -> Activity:
    return ActivityFactory(
        title="Dëgjim publik për buxhetin 2016",
        municipality=municipality("gracanice"),
        start_date=dt.date(2015, 11, 3),
    )


def attach(client, activity: Activity, data: bytes, name: str, kind: str, title: str = ""):
    url = reverse("evidence:add", args=["activities.activity", activity.pk])
    page = reverse("activities:detail", args=[activity.pk])
    return client.post(
        f"{url}?next={page}",
        {
            "kind": kind,
            "title": title,
            "description": "",
            "file": SimpleUploadedFile(name, data),
            "next": page,
        },
    )


def test_a_signed_sheet_is_attached_listed_and_opened_as_it_was_sent(
    hearing: Activity, client_for
) -> None:
    focal = client_for("focal_gracanica")
    answer = attach(focal, hearing, SHEET, "lista 03.11.2015.pdf", "sign_in_sheet", "Lista, dita 1")
    assert answer.status_code == 302
    kept = Attachment.objects.get()
    assert kept.target == hearing and kept.size == len(SHEET)
    assert kept.sha256 == hashlib.sha256(SHEET).hexdigest()
    page = focal.get(reverse("activities:detail", args=[hearing.pk])).content.decode()
    assert "Lista, dita 1" in page and kept.sha256[:12] in page
    opened = focal.get(reverse("evidence:open", args=[kept.pk]))
    assert opened.content == SHEET
    assert opened["Content-Type"] == "application/pdf"
    assert opened["Content-Disposition"].startswith("attachment")
    assert opened["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.get(action="attachment_add")
    assert entry.changes["sha256"] == kept.sha256


def test_who_may_see_the_record_sees_its_evidence_and_the_donor_never_a_sheet(
    hearing: Activity, client_for
) -> None:
    me = client_for("me")
    attach(me, hearing, SHEET, "lista.pdf", "sign_in_sheet")
    attach(me, hearing, AGREEMENT, "procesverbali.pdf", "report", "Procesverbali")
    sheet, minutes = Attachment.objects.order_by("pk")
    page = reverse("activities:detail", args=[hearing.pk])
    # Another municipality's focal point: neither the files nor a way to attach one.
    zvecan = client_for("focal_zvecan")
    assert zvecan.get(reverse("evidence:open", args=[sheet.pk])).status_code == 404
    assert attach(zvecan, hearing, AGREEMENT, "x.pdf", "report").status_code == 404
    # The donor reads the minutes, not the sheet of names and signatures.
    donor = client_for("donor")
    html = donor.get(page).content.decode()
    assert "Procesverbali" in html and "1 file shows persons" in html
    assert donor.get(reverse("evidence:open", args=[sheet.pk])).status_code == 404
    assert donor.get(reverse("evidence:open", args=[minutes.pk])).content == AGREEMENT
    assert attach(donor, hearing, AGREEMENT, "y.pdf", "report").status_code == 403
    assert Attachment.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("lista.pdf", b"MZ\x90\x00this is a program", "“lista.pdf” is not a file kind kept"),
        ("foto.pdf", b"\xff\xd8\xff\xe0" + bytes(50), "“foto.pdf” is a JPEG file but its name"),
        ("bosh.pdf", b"", "The submitted file is empty"),  # the form's own check
    ],
)
def test_a_file_that_is_not_kept_is_refused_by_name_and_nothing_is_stored(
    hearing: Activity, client_for, name: str, data: bytes, words: str
) -> None:
    answer = attach(client_for("me"), hearing, data, name, "sign_in_sheet")
    assert answer.status_code == 200  # the form again
    html = answer.content.decode()
    assert words in html
    assert not Attachment.objects.exists()
    assert not AuditEntry.objects.filter(action="attachment_add").exists()


def test_the_same_file_twice_on_one_record_is_refused(hearing: Activity, client_for) -> None:
    me = client_for("me")
    attach(me, hearing, SHEET, "lista.pdf", "sign_in_sheet")
    again = attach(me, hearing, SHEET, "lista (1).pdf", "sign_in_sheet")
    assert "already attached" in again.content.decode()
    assert Attachment.objects.count() == 1


def test_a_file_is_removed_only_with_a_reason_and_stays_in_the_trail(
    hearing: Activity, client_for, personas: dict[str, User]
) -> None:
    focal = client_for("focal_gracanica")
    attach(focal, hearing, SHEET, "lista.pdf", "sign_in_sheet")
    kept = Attachment.objects.get()
    remove = reverse("evidence:remove", args=[kept.pk])
    focal.post(remove, {"reason": ""})
    assert Attachment.objects.kept().count() == 1
    focal.post(remove, {"reason": "Skanuar gabimisht: lista e aktivitetit tjetër"})
    kept.refresh_from_db()
    assert kept.removed_at is not None and kept.removed_by == personas["focal_gracanica"]
    assert focal.get(reverse("evidence:open", args=[kept.pk])).status_code == 404
    entry = AuditEntry.objects.get(action="attachment_remove")
    assert entry.reason.startswith("Skanuar gabimisht")
    # Attached again after a removal: allowed, it is a new attachment.
    assert attach(focal, hearing, SHEET, "lista.pdf", "sign_in_sheet").status_code == 302


def test_a_voided_record_takes_no_new_file(
    hearing: Activity, client_for, personas: dict[str, User]
) -> None:
    activity_void(actor=personas["me"], activity=hearing, reason="Entered twice.")
    answer = attach(client_for("me"), hearing, SHEET, "lista.pdf", "sign_in_sheet")
    assert "voided" in answer.content.decode()
    assert not Attachment.objects.exists()
