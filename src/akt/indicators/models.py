"""Indicators are data: each declares what it counts, over which records, split how.

The numbers themselves come from the pure engine in ``engine.py``; ``facts.py`` feeds it rows
from the database. Nothing here computes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from akt.translation import LocalizedNameMixin, localized


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def active(self) -> IndicatorQuerySet:
        return self.filter(is_active=True)


class Indicator(LocalizedNameMixin, models.Model):
    SOURCES = [
        ("activities", _("Activities")),
        ("attendance", _("Attendance (rosters and tallies)")),
        ("grants", _("Grants")),
        ("plans", _("Capacity development plans")),
        ("projects", _("Infrastructure projects")),
    ]
    UNITS = [
        ("activities", _("Activities")),
        ("attendances", _("Attendances")),
        ("persons", _("Unique persons")),
        ("organizations", _("Unique organizations")),
        ("amount", _("Amount")),
        ("records", _("Records")),
    ]

    code = models.SlugField(_("code"), max_length=40, unique=True)
    result_line = models.PositiveSmallIntegerField(
        _("result line"), help_text=_("The line of the results statement this indicator serves.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_sq = models.CharField(_("name (Albanian)"), max_length=200)
    name_sr_latn = models.CharField(_("name (Serbian, Latin)"), max_length=200)
    definition_en = models.TextField(_("definition (English)"))
    definition_sq = models.TextField(_("definition (Albanian)"))
    definition_sr_latn = models.TextField(_("definition (Serbian, Latin)"))
    source = models.CharField(_("records counted"), max_length=16, choices=SOURCES)
    unit = models.CharField(_("counting unit"), max_length=16, choices=UNITS)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    disaggregations = models.JSONField(_("disaggregations"), default=list, blank=True)
    sentence = models.JSONField(
        _("results sentence"),
        default=dict,
        help_text=_("Per language, per plural category: the sentence with %(value)s."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["result_line", "sort_order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(unit="amount") | ~models.Q(currency=""),
                name="indicator_amount_has_currency",
                violation_error_message=_("An amount indicator needs a currency."),
            )
        ]

    @property
    def definition(self) -> str:
        return localized(self, "definition")

    def clean(self) -> None:
        from akt.indicators.facts import definition_for

        try:
            definition_for(self)
        except (ValueError, TypeError, KeyError) as exc:
            raise ValidationError({"filters": str(exc)}) from exc
        for lang in ("en", "sq", "sr-latn"):
            forms = self.sentence.get(lang) if isinstance(self.sentence, dict) else None
            if not forms or "other" not in forms:
                raise ValidationError(
                    {
                        "sentence": _("The sentence in %(lang)s needs an `other` form.")
                        % {"lang": lang}
                    }
                )
