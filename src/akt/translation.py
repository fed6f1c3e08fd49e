"""Reading data in the reader's language.

Reference data (municipalities, communities, topics, indicators) carries its own names in each
language as fields ``<name>_en``, ``<name>_sq``, ``<name>_sr_latn`` and ``<name>_sr_cyrl``. This
module picks the field for the active language, so templates never hard-code a name; and it names
the reporting periods (:class:`~akt.counting.periods.Period`) in the reader's language.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from akt.counting import engine
from akt.counting.periods import Period, PeriodKind

# Django language code -> suffix of the model field holding that language.
FIELD_SUFFIX = {"en": "en", "sq": "sq", "sr-latn": "sr_latn", "sr": "sr_cyrl"}

# Language names accepted on the command line and in files, mapped to Django language codes.
LANGUAGE_ALIASES = {
    "en": "en",
    "sq": "sq",
    "sr": "sr-latn",
    "sr-latn": "sr-latn",
    "sr-cyrl": "sr",
}


def field_suffix(language: str | None = None) -> str:
    """The field suffix for ``language`` (default: the active language)."""
    code = (language or translation.get_language() or "en").lower()
    if code in FIELD_SUFFIX:
        return FIELD_SUFFIX[code]
    return FIELD_SUFFIX.get(code.split("-")[0], "en")


def localized(obj: Any, name: str, language: str | None = None) -> str:
    """``obj.<name>_<suffix>`` in the active language, falling back to English.

    A Serbian Cyrillic value that is not stored is derived from the Serbian Latin one: Serbian
    is written in both scripts and converting Latin to Cyrillic is deterministic.
    """
    suffix = field_suffix(language)
    value = getattr(obj, f"{name}_{suffix}", None)
    if not value and suffix == "sr_cyrl":
        from akt.text.script import latin_to_cyrillic

        latin = getattr(obj, f"{name}_sr_latn", "")
        value = latin_to_cyrillic(latin) if latin else ""
    return value or getattr(obj, f"{name}_en", "") or ""


class LocalizedNameMixin:
    """Gives a model with ``name_<suffix>`` fields a ``name`` in the reader's language."""

    @property
    def name(self) -> str:
        return localized(self, "name")

    def __str__(self) -> str:
        return self.name


def period_label(period: Period, *, months: bool = False) -> str:
    """A period's name in the active language: "Life of project", "FY 2016", "FY 2016, Q1",
    "Calendar year 2016". With ``months``, a quarter also names its months ("FY 2016, Q1
    (October to December 2015)"), as a menu shows it."""
    if period.kind == PeriodKind.LIFE_OF_PROJECT:
        return _("Life of project")
    if period.kind == PeriodKind.FISCAL_YEAR:
        return _("FY %(year)s") % {"year": period.year}
    if period.kind == PeriodKind.CALENDAR_YEAR:
        return _("Calendar year %(year)s") % {"year": period.year}
    if not months:
        return _("FY %(year)s, Q%(quarter)s") % {"year": period.year, "quarter": period.quarter}
    window = engine.fiscal_quarter(period.year, period.quarter)
    return _("FY %(year)s, Q%(quarter)s (%(first_month)s to %(last_month)s)") % {
        "year": period.year,
        "quarter": period.quarter,
        "first_month": date_format(window.start, "F"),
        "last_month": date_format(window.end, "F Y"),
    }
