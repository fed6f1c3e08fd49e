"""Evidence kept with the records: the signed sign-in sheet, the photo, the agreement, the plan.

A data quality assessment asks to see the documents behind a figure. An :class:`Attachment` is
one file attached to one record of any kind (an activity, a grant, a plan, a project, a
milestone), kept in the database with its checksum, so a backup holds it and a copy can be
checked against it. Its content is checked when it arrives (:mod:`akt.evidence.files`); it is
visible to whoever may open the record, except the kinds that show persons (sign-in sheets,
photos), which only roles that see persons open.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    SIGN_IN_SHEET = "sign_in_sheet", _("Signed sign-in sheet")
    PHOTO = "photo", _("Photo")
    AGREEMENT = "agreement", _("Agreement or contract")
    PLAN_DOCUMENT = "plan_document", _("Adopted plan or decision")
    REPORT = "report", _("Report or minutes")
    OTHER = "other", _("Other document")


PERSONAL_KINDS = frozenset({EvidenceKind.SIGN_IN_SHEET, EvidenceKind.PHOTO})
"""Kinds that show persons (names and signatures, faces): only roles that see persons open
them."""


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def kept(self) -> AttachmentQuerySet:
        """Attachments not removed."""
        return self.filter(removed_at__isnull=True)

    def of(self, record: models.Model) -> AttachmentQuerySet:
        return self.filter(
            target_type=ContentType.objects.get_for_model(type(record)), target_id=record.pk
        )


class Attachment(models.Model):
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT
    )
    target_id = models.PositiveBigIntegerField(_("record"))
    target = GenericForeignKey("target_type", "target_id")
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    media_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    content = models.BinaryField(_("file"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for a file loaded with the records, not by a person."),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True, editable=False)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    removal_reason = models.TextField(_("reason for removing"), blank=True, editable=False)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["target_type", "target_id", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["target_type", "target_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "sha256"],
                condition=models.Q(removed_at__isnull=True),
                name="attachment_file_once_per_record",
                violation_error_message=_("This file is already attached to this record."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shows_persons(self) -> bool:
        return self.kind in PERSONAL_KINDS

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")
