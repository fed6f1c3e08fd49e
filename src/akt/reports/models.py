"""Reporting periods and their approval: the quarter as it was reported, kept exactly.

An M&E officer submits a fiscal quarter; another officer or an administrator returns it with a
comment or approves it. Approval freezes the quarter's figures in a :class:`PeriodSnapshot`:
the facts that produced them (every record, with the person each roster row resolved to at
that moment, which is the linkage state), the indicator definitions they were counted by, the
labels they were reported with, the figures, and the report rendered from them. The approved
report can therefore be produced again, byte for byte, whatever happens to the records later;
and a record of an approved quarter changes only with a reason, which the audit log keeps.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from akt.counting import engine
from akt.counting.periods import Period
from akt.translation import localized, period_label


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


class ReportingPeriod(models.Model):
    """One fiscal quarter's reporting state (a quarter with no row is open)."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(
        _("status"), max_length=16, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    note = models.TextField(_("note from the submitter"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)

    class Meta:
        ordering = ["fiscal_year", "quarter"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "quarter"], name="reporting_period_once_per_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="reporting_period_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(fiscal_year__gte=2000, fiscal_year__lte=2100),
                name="reporting_period_plausible_year",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def period(self) -> Period:
        return Period.fiscal_quarter(self.fiscal_year, self.quarter)

    @property
    def key(self) -> str:
        """The period's key in addresses, as the results pages write it (``fy2016q1``)."""
        return self.period.key

    @property
    def label(self) -> str:
        return period_label(self.period)

    @property
    def window(self) -> engine.Window:
        return engine.fiscal_quarter(self.fiscal_year, self.quarter)

    @property
    def year_to_date(self) -> engine.Window:
        """From the start of the fiscal year to the end of this quarter: the cumulative column
        of a quarterly report."""
        return self.period.year_to_date()


class PeriodSnapshot(models.Model):
    """What an approval froze; written once by :func:`akt.reports.services.period_approve`."""

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.PROTECT,
        related_name="snapshots",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"))
    facts = models.BinaryField(_("facts"), editable=False)
    """The records counted, as compressed canonical JSON (see :mod:`akt.reports.approval`)."""
    facts_sha256 = models.CharField(_("fingerprint of the facts"), max_length=64)
    definitions = models.JSONField(_("indicator definitions"))
    labels = models.JSONField(_("labels"))
    linkage = models.JSONField(_("linkage state"))
    """The last merge applied and a fingerprint of every counted record's resolved person."""
    figures = models.JSONField(_("figures"))
    narratives = models.JSONField(_("narratives"), default=dict, blank=True)
    """The narrative of each indicator in each language as approved: ``{code: {language:
    {"version": n, "text": ...}}}`` (see :mod:`akt.reports.narratives`)."""
    report_sha256 = models.CharField(_("fingerprint of the approved report"), max_length=64)
    reports = models.JSONField(_("performance reports"), default=dict, blank=True)
    """The quarterly performance report as approved, in each language: ``{language: document}``
    (:mod:`akt.reports.document_json`), its words, figures, targets, narratives and the
    specifications of its charts and map, from which its page, Word file and PDF are written
    again byte for byte. Empty for a quarter approved before reports were kept."""

    class Meta:
        ordering = ["-approved_at", "-pk"]
        get_latest_by = "approved_at"
        verbose_name = _("approved snapshot")
        verbose_name_plural = _("approved snapshots")

    def __str__(self) -> str:
        return f"{self.period} ({self.approved_at:%Y-%m-%d})"


class Narrative(models.Model):
    """What an officer writes about one indicator's results in one quarter, in one language.

    Every save is a new version; the highest version is the current text, and the earlier ones
    stay, so a report can say which version it carries and a reviewer can see what changed.
    Written through :func:`akt.reports.narratives.narrative_write`.
    """

    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="narratives",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written"))

    class Meta:
        ordering = ["indicator", "fiscal_year", "quarter", "language", "-version"]
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year", "quarter", "language", "version"],
                name="narrative_version_once",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="narrative_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="narrative_version_from_1"
            ),
        ]

    def __str__(self) -> str:
        where = f"FY{self.fiscal_year} Q{self.quarter} {self.language}"
        return f"{self.indicator_id} {where} v{self.version}"

    @property
    def period(self) -> Period:
        return Period.fiscal_quarter(self.fiscal_year, self.quarter)


class ReportFile(models.Model):
    """A performance report written as a Word or PDF file by a job, kept for its requester to
    download for a day (it can always be written again; see :mod:`akt.reports.report_files`)."""

    job = models.OneToOneField(
        "jobs.Job", verbose_name=_("job"), on_delete=models.CASCADE, related_name="report_file"
    )
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("content type"), max_length=100)
    content = models.BinaryField(_("file"), editable=False)
    sha256 = models.CharField(_("fingerprint"), max_length=64)
    approved = models.BooleanField(
        _("approved report"),
        default=False,
        help_text=_("Written from an approved quarter's snapshot, not from the live records."),
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")

    def __str__(self) -> str:
        return self.name


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    READY = "ready", _("Ready for the report")


class SuccessStory(models.Model):
    """A short text with a photo about what the program's work changed, told of named records.

    Written in English, Albanian and Serbian (Latin script; the Cyrillic is derived from it, as
    every Serbian text is) for the quarter it is reported in; a ready story goes into that
    quarter's performance report. Its photo is evidence attached to the story itself (see
    :mod:`akt.reports.stories`), carried into a report only when the persons in it agreed.
    Written through :func:`akt.reports.stories.story_create` and ``story_update``.
    """

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    title_en = models.CharField(_("title in English"), max_length=200)
    title_sq = models.CharField(_("title in Albanian"), max_length=200, blank=True)
    title_sr_latn = models.CharField(_("title in Serbian (Latin)"), max_length=200, blank=True)
    text_en = models.TextField(_("text in English"))
    text_sq = models.TextField(_("text in Albanian"), blank=True)
    text_sr_latn = models.TextField(_("text in Serbian (Latin)"), blank=True)
    activities = models.ManyToManyField(
        "activities.Activity",
        verbose_name=_("activities"),
        blank=True,
        related_name="success_stories",
    )
    grants = models.ManyToManyField(
        "grants.Grant", verbose_name=_("grants"), blank=True, related_name="success_stories"
    )
    projects = models.ManyToManyField(
        "infrastructure.InfrastructureProject",
        verbose_name=_("infrastructure projects"),
        blank=True,
        related_name="success_stories",
    )
    plans = models.ManyToManyField(
        "capacity.CapacityDevelopmentPlan",
        verbose_name=_("capacity development plans"),
        blank=True,
        related_name="success_stories",
    )
    photo_consent = models.BooleanField(
        _("consent to publish the photo"),
        default=False,
        help_text=_(
            "The persons in the story's photo agreed that it is published. Without it the "
            "photo stays out of the reports."
        ),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=StoryStatus.choices, default=StoryStatus.DRAFT
    )
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    """Counts the saves: an edit names the revision it started from (a stale page is refused)."""
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    LANGUAGE_FIELDS = (
        "title_en",
        "text_en",
        "title_sq",
        "text_sq",
        "title_sr_latn",
        "text_sr_latn",
    )

    class Meta:
        ordering = ["fiscal_year", "quarter", "written_at", "pk"]
        verbose_name = _("success story")
        verbose_name_plural = _("success stories")
        indexes = [models.Index(fields=["fiscal_year", "quarter", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="success_story_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(fiscal_year__gte=2000, fiscal_year__lte=2100),
                name="success_story_plausible_year",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The title in the reader's language (Serbian Cyrillic derived from the Latin)."""
        return localized(self, "title")

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def period(self) -> Period:
        return Period.fiscal_quarter(self.fiscal_year, self.quarter)

    @property
    def is_ready(self) -> bool:
        return self.status == StoryStatus.READY

    def clean(self) -> None:
        """A ready story is told in every language the report is written in."""
        if self.status != StoryStatus.READY:
            return
        missing = {
            name: ValidationError(
                _("A story ready for the report is written in every language."), code="required"
            )
            for name in self.LANGUAGE_FIELDS
            if not getattr(self, name).strip()
        }
        if missing:
            raise ValidationError(missing)
