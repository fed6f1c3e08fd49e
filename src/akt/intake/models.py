"""Import batches: every file brought in, what it held, and what it changed.

A batch is staged first (the file read, its columns mapped, every row validated and matched to
the registry) without touching a program record; committing it writes all its rows in one
transaction or none. The rows it wrote point back to it (``Attendance.batch``, ``Tally.batch``,
``Person.import_batch``) with their row number, so a figure can be traced to the sheet and row it
came from, and a batch can be rolled back as a whole.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from akt.activities.models import Activity


class ImportKind(models.TextChoices):
    """What a file holds. Roster and tally go into one activity; the others are lists of
    records (one row per record, each with its external reference), see :mod:`akt.intake.kinds`.
    """

    ROSTER = "roster", _("Attendance roster")
    TALLY = "tally", _("Tally sheet (headcounts)")
    ACTIVITIES = "activities", _("List of activities")
    ORGANIZATIONS = "organizations", _("List of organizations")
    GRANTS = "grants", _("List of grants")
    PLANS = "plans", _("List of capacity development plans")
    PLAN_ACTIONS = "plan_actions", _("List of capacity plan actions")
    PROJECTS = "projects", _("List of infrastructure projects")


class ImportSource(models.TextChoices):
    SPREADSHEET = "spreadsheet", _("Excel or CSV sheet")
    KOBO = "kobo", _("Kobo or ODK export")


class BatchStatus(models.TextChoices):
    STAGED = "staged", _("Checked, not imported")
    COMMITTED = "committed", _("Imported")
    ROLLED_BACK = "rolled_back", _("Rolled back")
    ABANDONED = "abandoned", _("Abandoned, not imported")
    """Its check or import stalled (the worker died) and an officer gave it up; nothing of it
    was written. The file can be uploaded again."""


class PurgeCause(models.TextChoices):
    """Why a batch's file and checked rows were deleted."""

    RETENTION = "retention", _("Kept as long as the retention rule allows")
    ROLLBACK = "rollback", _("The import was rolled back")
    ERASURE = "erasure", _("A person on it asked for their data to be erased")


class ImportBatch(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    source = models.CharField(
        _("source"), max_length=16, choices=ImportSource.choices, default=ImportSource.SPREADSHEET
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_batches",
        help_text=_("The activity a roster or tally went into; empty for a list of records."),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("file fingerprint"), max_length=64, db_index=True)
    content = models.BinaryField(_("file"), editable=False)
    sheet_name = models.CharField(_("sheet"), max_length=100, blank=True)
    encoding = models.CharField(_("encoding"), max_length=32, blank=True)
    header_row = models.PositiveIntegerField(
        _("header row"),
        null=True,
        blank=True,
        help_text=_("The row an officer chose as the header; empty when it is found by its names."),
    )
    """Kept so that the check, a background job and a later re-reading read the file the same
    way (see :mod:`akt.intake.layout`)."""
    skip_footer = models.BooleanField(
        _("leave out totals and signatures below the data"), default=True
    )
    layout = models.JSONField(_("rows left out"), default=dict, blank=True)
    """How the sheet was read: ``{"header_row": 6, "header_by": "names", "skipped": [{"number":
    1, "reason": "title", "text": "..."}, ...], "sheet_names": [...]}``."""
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    """Column index (as text) -> field code, as used for this batch."""
    headers = models.JSONField(_("headers"), default=list, blank=True)
    rows = models.JSONField(_("checked rows"), default=list, blank=True)
    """Each row as read and checked: row number, cells, parsed values, problems, candidates."""
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.STAGED
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    committed_at = models.DateTimeField(_("imported"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rolled back by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rolled_back_at = models.DateTimeField(_("rolled back"), null=True, blank=True)
    rollback_reason = models.TextField(_("reason for the rollback"), blank=True)
    purged_at = models.DateTimeField(_("file purged"), null=True, blank=True, editable=False)
    """When the file and its checked rows were deleted (:func:`akt.intake.services.
    import_purge`); the records the import wrote keep their batch and row number."""
    purge_cause = models.CharField(
        _("why the file was purged"),
        max_length=16,
        choices=PurgeCause.choices,
        blank=True,
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def counts_on(self) -> date | None:
        """The day of the activity a roster or headcount import writes to; none for a list of
        records (each of them counts on its own day)."""
        activity = self.activity
        return activity.start_date if activity is not None else None

    @property
    def target_activity(self) -> Activity:
        """The activity a roster or headcount import writes to; a list of records has none, and
        asking for it is a mistake (``ValueError``)."""
        if self.activity is None:
            raise ValueError(f"import batch {self.pk} ({self.kind}) goes into no activity")
        return self.activity


class ColumnMapping(models.Model):
    """A header someone mapped to a field once, remembered for later files of that source."""

    source = models.CharField(_("source"), max_length=16, choices=ImportSource.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    header = models.CharField(_("header"), max_length=200)
    """The header's comparison key (:func:`akt.intake.fields.header_key`)."""
    field = models.CharField(_("field"), max_length=32)
    """A field code, or empty for a column to ignore."""
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("remembered column")
        verbose_name_plural = _("remembered columns")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "header"], name="column_mapping_once_per_header"
            )
        ]

    def __str__(self) -> str:
        return f"{self.header} → {self.field or '-'}"
