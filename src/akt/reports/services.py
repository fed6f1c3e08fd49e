"""Writes of reporting: submit a quarter, return it, approve it; and the rule approval sets.

- :func:`period_submit`: an M&E officer or administrator puts a quarter forward for approval.
- :func:`period_return`: another officer or an administrator sends it back with a comment.
- :func:`period_approve`: another officer or an administrator approves it, which freezes its
  figures in a :class:`PeriodSnapshot` (see :mod:`akt.reports.approval`).
- :func:`approved_period_guard`: registered with the audit log, it refuses a change to a record
  dated in an approved quarter unless the change gives a reason, and marks the audit entry with
  the quarter it touches, so the difference from the approved figure can be traced to it.

The person who submitted a quarter does not approve or return it: a second pair of eyes is the
point of approval.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import audit_record
from akt.counting import columnar, engine
from akt.indicators.fact_reader import definition_for, facts_for
from akt.indicators.models import Indicator
from akt.indicators.selectors import life_of_project
from akt.linkage.models import PersonMerge
from akt.reports import approval
from akt.reports.document import Document
from akt.reports.document_json import document_as_json, document_from_json
from akt.reports.models import PeriodSnapshot, PeriodStatus, ReportingPeriod
from akt.reports.narratives import narratives_frozen
from akt.reports.report_builders import ReportKind, report_data, report_document


def may_report(user: User) -> bool:
    """Submitting, returning and approving quarters: M&E officers and administrators."""
    return Scope.for_user(user).may_report


def _require_reporter(actor: User) -> None:
    if not may_report(actor):
        raise PermissionDenied


def _require_reviewer(actor: User, period: ReportingPeriod) -> None:
    _require_reporter(actor)
    if period.submitted_by_id == actor.pk:
        raise ValidationError(
            _("You submitted this quarter; another officer or an administrator reviews it."),
            code="own-submission",
        )
    if period.status != PeriodStatus.SUBMITTED:
        raise ValidationError(
            _("Only a submitted quarter can be approved or returned."), code="not-submitted"
        )


def reporting_period(fiscal_year: int, quarter: int) -> ReportingPeriod:
    """The quarter's reporting state (an open, unsaved one when nothing happened to it yet)."""
    found = ReportingPeriod.objects.filter(fiscal_year=fiscal_year, quarter=quarter).first()
    return found or ReportingPeriod(fiscal_year=fiscal_year, quarter=quarter)


@transaction.atomic
def period_submit(
    *, actor: User, fiscal_year: int, quarter: int, note: str = ""
) -> ReportingPeriod:
    """Puts a quarter forward for approval (a first time, or again after it was returned)."""
    _require_reporter(actor)
    period = reporting_period(fiscal_year, quarter)
    if period.pk:
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status not in (PeriodStatus.OPEN, PeriodStatus.RETURNED):
        raise ValidationError(_("This quarter is already submitted or approved."), code="not-open")
    period.status = PeriodStatus.SUBMITTED
    period.submitted_by = actor
    period.submitted_at = timezone.now()
    period.note = note.strip()
    period.reviewed_by, period.reviewed_at, period.review_comment = None, None, ""
    period.full_clean()
    period.save()
    audit_record(
        actor=actor,
        action="period_submit",
        target=period,
        summary=str(period.label),
        changes={"status": PeriodStatus.SUBMITTED, "note": period.note},
    )
    return period


@transaction.atomic
def period_return(*, actor: User, period: ReportingPeriod, comment: str) -> ReportingPeriod:
    """Sends a submitted quarter back to its officer, saying what to change."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _require_reviewer(actor, period)
    if not comment.strip():
        raise ValidationError(
            {"comment": _("Say what should change before the quarter is submitted again.")}
        )
    period.status = PeriodStatus.RETURNED
    period.reviewed_by = actor
    period.reviewed_at = timezone.now()
    period.review_comment = comment.strip()
    period.save()
    audit_record(
        actor=actor,
        action="period_return",
        target=period,
        summary=str(period.label),
        changes={"status": PeriodStatus.RETURNED},
        reason=period.review_comment,
    )
    return period


def _windows(period: ReportingPeriod) -> dict[str, engine.Window]:
    return {"quarter": period.window, "year_to_date": period.year_to_date}


def _period_labels(period: ReportingPeriod) -> dict[str, str]:
    labels = {}
    for language in approval.LANGUAGES:
        with translation.override(language):
            labels[language] = str(period.label)
    return labels


def _performance_reports(period: ReportingPeriod, now: datetime) -> dict[str, Any]:
    """The quarterly performance report as approved, in every language, kept as documents: its
    figures, targets and narratives counted once, its date the approval's."""
    data = report_data(
        ReportKind.QUARTERLY,
        period.period,
        lop=life_of_project(),
        today=timezone.localdate(now),
    )
    dated = timezone.localtime(now).replace(microsecond=0)
    return {
        language: document_as_json(report_document(data, language=language, dated=dated))
        for language in approval.LANGUAGES
    }


@transaction.atomic
def period_approve(*, actor: User, period: ReportingPeriod) -> PeriodSnapshot:
    """Approves a submitted quarter and freezes it: the facts of its fiscal year to its end,
    the definitions and labels, the figures, and the report's fingerprint."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _require_reviewer(actor, period)
    now = timezone.now()
    indicators = list(Indicator.objects.active())
    definitions = [definition_for(indicator) for indicator in indicators]
    windows = _windows(period)
    facts = list(
        facts_for({definition.source for definition in definitions}, period.year_to_date, None)
    )
    figures = approval.figures_from(facts, definitions, windows)
    packed, fingerprint = approval.pack_facts(facts)
    dimensions = {
        part
        for definition in definitions
        for name in definition.disaggregations
        for part in ((name,) if isinstance(name, str) else name)
    }
    labels = approval.collect_labels(
        indicators=indicators,
        dimensions=dimensions,
        period_label=_period_labels(period),
        approved_by=actor.get_full_name() or actor.username,
        approved_on=timezone.localdate(now),
    )
    order = [definition.code for definition in definitions]
    last_merge = PersonMerge.objects.order_by("-pk").values_list("pk", flat=True).first()
    snapshot = PeriodSnapshot(
        period=period,
        approved_by=actor,
        approved_at=now,
        facts=packed,
        facts_sha256=fingerprint,
        definitions=[approval.definition_row(definition) for definition in definitions],
        labels=labels,
        linkage={
            "last_merge": last_merge,
            "resolved_persons": approval.linkage_fingerprint(facts),
        },
        figures={
            "format": approval.SNAPSHOT_FORMAT,
            "windows": approval.window_rows(windows),
            **figures,
        },  # fmt: skip
        narratives=narratives_frozen(fiscal_year=period.fiscal_year, quarter=period.quarter),
        report_sha256=approval.report_fingerprint(figures, labels, order),
        reports=_performance_reports(period, now),
    )
    snapshot.full_clean(exclude=["facts"])
    snapshot.save()
    period.status = PeriodStatus.APPROVED
    period.reviewed_by = actor
    period.reviewed_at = now
    period.save()
    audit_record(
        actor=actor,
        action="period_approve",
        target=period,
        summary=str(period.label),
        changes={
            "status": PeriodStatus.APPROVED,
            "snapshot": snapshot.pk,
            "facts": len(facts),
            "facts_sha256": fingerprint,
            "report_sha256": snapshot.report_sha256,
        },
    )
    return snapshot


# -- reading an approved quarter -----------------------------------------------------------


def snapshot_order(snapshot: PeriodSnapshot) -> list[str]:
    return [row["code"] for row in snapshot.definitions]


def approved_report(snapshot: PeriodSnapshot, language: str) -> bytes:
    """The approved report in ``language``, written from the snapshot alone."""
    return approval.render_report(
        snapshot.figures, snapshot.labels, snapshot_order(snapshot), language
    )


def approved_document(snapshot: PeriodSnapshot, language: str) -> Document | None:
    """The quarterly performance report as approved, in ``language``, read from the snapshot
    alone; None for a quarter approved before reports were kept."""
    kept = snapshot.reports.get(language)
    return document_from_json(kept) if kept else None


def snapshot_check(snapshot: PeriodSnapshot) -> bool:
    """Whether the snapshot still reproduces itself: its facts give its figures by its
    definitions, and its figures and labels give the report it was approved with."""
    facts = approval.unpack_facts(bytes(snapshot.facts))
    definitions = [approval.definition_from_row(row) for row in snapshot.definitions]
    windows = {
        key: engine.date_range(date.fromisoformat(start), date.fromisoformat(end))
        for key, (start, end) in snapshot.figures["windows"].items()
    }
    recomputed = approval.figures_from(facts, definitions, windows)
    stored = {key: snapshot.figures[key] for key in approval.WINDOWS}
    fingerprint = approval.report_fingerprint(stored, snapshot.labels, snapshot_order(snapshot))
    return recomputed == stored and fingerprint == snapshot.report_sha256


def approved_result(snapshot: PeriodSnapshot, code: str, window_key: str) -> engine.Result:
    """One approved figure opened up from the snapshot's own facts: the records it was
    approved on, whatever happened to the live records since."""
    rows = [row for row in snapshot.definitions if row["code"] == code]
    if not rows or window_key not in snapshot.figures["windows"]:
        raise KeyError(code, window_key)
    start, end = snapshot.figures["windows"][window_key]
    window = engine.date_range(date.fromisoformat(start), date.fromisoformat(end))
    facts = approval.unpack_facts(bytes(snapshot.facts))
    definition = approval.definition_from_row(rows[0])
    table = columnar.compute_table([definition], columnar.from_facts(facts), [window])
    return table.result(definition.code, window)


def period_differences(snapshot: PeriodSnapshot) -> list[dict[str, Any]]:
    """Each figure of the approved quarter that the records now give differently: the same
    definitions over the same windows, computed from the live records."""
    definitions = [approval.definition_from_row(row) for row in snapshot.definitions]
    windows = {
        key: engine.date_range(date.fromisoformat(start), date.fromisoformat(end))
        for key, (start, end) in snapshot.figures["windows"].items()
    }
    year = windows["year_to_date"]
    facts = list(facts_for({definition.source for definition in definitions}, year, None))
    live = approval.figures_from(facts, definitions, windows)
    return approval.figure_differences(snapshot.figures, live)


# -- the rule approval sets ----------------------------------------------------------------


def _record_dates(target: Model, changes: Mapping[str, Any]) -> set[date]:
    """The days a write to ``target`` counts on: its ``counts_on`` (the model's rule, the one the
    indicator readers apply), and the day before the change when the change moved it."""
    found: set[date] = set()

    def add(value: Any) -> None:
        if isinstance(value, date):
            found.add(value)
        elif isinstance(value, str) and value:
            try:
                found.add(date.fromisoformat(value[:10]))
            except ValueError:
                pass

    add(getattr(target, "counts_on", None))
    for field in getattr(target, "DATED_BY", ()):
        change = changes.get(field)
        if isinstance(change, list | tuple) and change:
            add(change[0])  # (before, after): the day it counted on until now
    return found


def approved_period_guard(*, target: Model, changes: Mapping[str, Any], reason: str) -> dict:
    """Refuses a change to a record of an approved quarter without a reason; with one, the
    audit entry names the quarters it touches."""
    if isinstance(target, ReportingPeriod):
        return {}
    dates = _record_dates(target, changes)
    if not dates:
        return {}
    touched = []
    for period in ReportingPeriod.objects.filter(status=PeriodStatus.APPROVED):
        window = period.window
        if any(window.start <= day <= window.end for day in dates):
            touched.append(period)
    if not touched:
        return {}
    if not reason:
        raise ValidationError(
            {
                "reason": _(
                    "%(period)s is approved: say why its records change. The reason is kept in "
                    "the audit log and the difference from the approved figures is shown."
                )
                % {"period": ", ".join(str(period.label) for period in touched)}
            },
            code="approved-period",
        )
    return {"approved_periods": [period.key for period in touched]}
