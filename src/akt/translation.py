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
from django.utils.translation import gettext_lazy

from akt.counting import engine
from akt.counting.periods import Period, PeriodKind

# Django language code -> suffix of the model field holding that language.
FIELD_SUFFIX = {"en": "en", "sq": "sq", "sr-latn": "sr_latn", "sr": "sr_cyrl"}

LANGUAGE_ALIASES = {
    "en": "en",
    "sq": "sq",
    "sr-latn": "sr-latn",
    "sr": "sr",
    "sr-cyrl": "sr",
}
"""Language codes accepted on the command line and in files -> the web's language codes.

One set of codes everywhere: the web's (``settings.LANGUAGES``): ``en``, ``sq``, ``sr-latn``
(Serbian, Latin script) and ``sr`` (Serbian, Cyrillic script: Django's code). ``sr-cyrl``, which
the command line once needed for Cyrillic, is still accepted. The command line once read a bare
``sr`` as Latin; it now means Cyrillic, as on the web, so one code never names two scripts.
Matched without regard to case, ``_`` taken as ``-`` (``sr_Latn``, ``sr-Cyrl``)."""

LANGUAGE_CHOICES_HELP = (
    "en (English), sq (Albanian), sr-latn (Serbian, Latin script) or sr (Serbian, Cyrillic "
    "script, as on the web; sr-cyrl is accepted too)"
)
"""What a ``--lang`` option takes, for its help (the command line's help is in English)."""


def language_code(name: str) -> str:
    """The web's language code for a code given on the command line or in a file.

    Raises ``ValueError`` naming the codes accepted for one it does not know.
    """
    code = LANGUAGE_ALIASES.get(name.strip().lower().replace("_", "-"))
    if code is None:
        raise ValueError(
            _(
                "Unknown language “%(name)s”: use en, sq, sr-latn (Serbian, Latin script) or sr "
                "(Serbian, Cyrillic script)."
            )
            % {"name": name}
        )
    return code


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


MONTHS = (
    gettext_lazy("January"),
    gettext_lazy("February"),
    gettext_lazy("March"),
    gettext_lazy("April"),
    gettext_lazy("May"),
    gettext_lazy("June"),
    gettext_lazy("July"),
    gettext_lazy("August"),
    gettext_lazy("September"),
    gettext_lazy("October"),
    gettext_lazy("November"),
    gettext_lazy("December"),
)
"""The months' names as they stand in a sentence. Django's own messages, worded in this
project's catalogues as the languages write them (Albanian in lower case, "tetor", where
Django's Albanian catalogue capitalises them); the catalogues come first, so the "F" of every
date format (``7 dhjetor 2026``) reads them from here too."""


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
        "first_month": MONTHS[window.start.month - 1],
        "last_month": date_format(window.end, "F Y"),
    }
