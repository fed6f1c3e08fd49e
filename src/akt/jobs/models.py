"""Long work (batch linkage, imports, reports) as jobs whose progress people can watch.

The queue itself is django-tasks' database backend; a ``Job`` is the program's own record of
one piece of work: what it is, who asked, how far it has got, and how it ended.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STALLED_AFTER = timedelta(minutes=15)
"""A job not finished that has shown no sign of life for this long is stalled: its worker died
(or no worker runs). Progress is written at least every few seconds while a job works, so a
quarter of an hour of silence is not a slow job. A job's work inside one transaction (an
import's commit) shows no progress until it ends; acting on such a job takes its locks first
(see :func:`akt.intake.services.import_resume`), so a live one is never run twice."""


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("last progress"),
        null=True,
        blank=True,
        help_text=_("When the job last reported progress; a dead worker stops writing it."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def last_sign_of_life(self) -> datetime:
        """When the job was last seen alive: its last progress, its start, or its queueing."""
        return self.heartbeat_at or self.started_at or self.created_at

    def is_stalled(self, now: datetime | None = None) -> bool:
        """Not finished, and silent for :data:`STALLED_AFTER`: queued with no worker taking
        it, or running on a worker that died."""
        if self.is_finished:
            return False
        return (now or timezone.now()) - self.last_sign_of_life >= STALLED_AFTER
