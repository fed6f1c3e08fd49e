"""The narrative an officer writes per indicator and quarter, in each language, versioned.

A quarterly report says, beside each indicator's figures, what happened: why a figure is above or
below its target, what the program did, what comes next. Officers write it on the quarter's
pages, one text per indicator and language (English, Albanian, Serbian Latin, Serbian Cyrillic:
the report is produced in each). Every save is a new :class:`~akt.reports.models.Narrative`
version; nothing is overwritten.

- :func:`narrative_write` saves a new version. It names the version the writer started from, and
  is refused when someone saved another meanwhile, so a stale page cannot silently replace a
  newer text; and it is refused while the quarter is submitted or approved: what was put forward
  is what the reviewer reads.
- :func:`current_narratives` gives the latest text of every indicator and language of a quarter,
  in one query; :func:`narratives_frozen` the same as the plain data an approval keeps in its
  snapshot, so an approved quarter's report carries the narratives it was approved with.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import audit_record
from akt.indicators.models import Indicator
from akt.reports.models import Narrative, PeriodStatus, ReportingPeriod

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
MAX_LENGTH = 20_000
"""Characters in one narrative: several pages of a report, far above what a quarter needs."""

Current = dict[str, dict[str, Narrative]]
"""``{indicator code: {language: latest Narrative}}``."""


def may_write_narratives(user: User) -> bool:
    """Writing narratives is part of reporting: M&E officers and administrators."""
    return Scope.for_user(user).may_report


def narrative_versions(
    *, indicator: Indicator, fiscal_year: int, quarter: int, language: str
) -> QuerySet[Narrative]:
    """Every version of one narrative, newest first, with who wrote it."""
    return Narrative.objects.filter(
        indicator=indicator, fiscal_year=fiscal_year, quarter=quarter, language=language
    ).select_related("written_by")


def current_narratives(
    *, fiscal_year: int, quarter: int, indicators: Iterable[Indicator] | None = None
) -> Current:
    """The latest version of each indicator's narrative in each language (one query)."""
    found = Narrative.objects.filter(fiscal_year=fiscal_year, quarter=quarter).select_related(
        "indicator", "written_by"
    )
    if indicators is not None:
        found = found.filter(indicator__in=list(indicators))
    current: Current = {}
    for narrative in found.order_by("indicator_id", "language", "-version"):
        current.setdefault(narrative.indicator.code, {}).setdefault(narrative.language, narrative)
    return current


def narratives_frozen(*, fiscal_year: int, quarter: int) -> dict[str, dict[str, dict[str, Any]]]:
    """The latest narratives as plain data, sorted, for an approved quarter's snapshot."""
    current = current_narratives(fiscal_year=fiscal_year, quarter=quarter)
    return {
        code: {
            language: {"version": narrative.version, "text": narrative.text}
            for language, narrative in sorted(by_language.items())
        }
        for code, by_language in sorted(current.items())
    }


def _stale_message(latest: Narrative | None) -> str:
    if latest is None:
        return _("The version you started from is not there any more; open the narrative again.")
    return _(
        "%(name)s saved a newer version of this narrative at %(when)s while you were writing. "
        "Your text was not saved: read theirs below, then write yours again."
    ) % {
        "name": latest.written_by.get_full_name() or latest.written_by.username,
        "when": time_format(timezone.localtime(latest.written_at), "TIME_FORMAT"),
    }


@transaction.atomic
def narrative_write(
    *,
    actor: User,
    indicator: Indicator,
    fiscal_year: int,
    quarter: int,
    language: str,
    text: str,
    based_on: int,
) -> Narrative:
    """Saves ``text`` as the next version of the indicator's narrative for the quarter.

    ``based_on`` is the version the writer's page showed (0 when there was none). Raises
    PermissionDenied for a viewer who does not report, and ValidationError for an unknown
    language, an empty or overlong text, a quarter under review or approved, or a newer version
    saved meanwhile (the error names who saved it and when).
    """
    if not may_write_narratives(actor):
        raise PermissionDenied
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose one of the report's languages.")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the narrative before saving it.")})
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("A narrative holds at most %(limit)s characters; this one has %(count)s.")
                % {"limit": MAX_LENGTH, "count": len(text)}
            }
        )
    period = (
        ReportingPeriod.objects.select_for_update()
        .filter(fiscal_year=fiscal_year, quarter=quarter)
        .first()
    )
    if period is not None and period.status in (PeriodStatus.SUBMITTED, PeriodStatus.APPROVED):
        raise ValidationError(
            _(
                "This quarter is submitted or approved, so its narratives are as they were put "
                "forward. Return the quarter to change them."
            ),
            code="quarter-closed",
        )
    versions = narrative_versions(
        indicator=indicator, fiscal_year=fiscal_year, quarter=quarter, language=language
    )
    latest = versions.first()
    if (latest.version if latest else 0) != based_on:
        raise ValidationError(_stale_message(latest), code="stale")
    if latest is not None and latest.text == text:
        return latest  # nothing changed: no new version
    narrative = Narrative(
        indicator=indicator,
        fiscal_year=fiscal_year,
        quarter=quarter,
        language=language,
        version=based_on + 1,
        text=text,
        written_by=actor,
        written_at=timezone.now(),
    )
    narrative.full_clean()
    try:
        with transaction.atomic():
            narrative.save()
    except IntegrityError as error:  # the same version saved at the same moment
        raise ValidationError(
            _("Someone saved this narrative at the same moment; open it again."), code="stale"
        ) from error
    audit_record(
        actor=actor,
        action="narrative_write",
        target=narrative,
        summary=f"{indicator.code} FY{fiscal_year} Q{quarter} {language} v{narrative.version}",
        changes={"version": narrative.version, "text": text},
    )
    return narrative
