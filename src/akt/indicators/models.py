"""The results framework, its indicators, their reference sheets, their targets and the values of
entered indicators.

Indicators are data: each declares what it counts, over which records, split how, which result
of the framework it measures and how its value over a longer period is formed (its period rule).
The numbers themselves come from the pure engine in ``engine.py``; ``fact_reader.py`` feeds it rows
from the database. Nothing here computes. An outcome no record counts (property tax collected) is
an entered indicator: its values are entered from the documents that report them
(:class:`OutcomeValue`, rules in ``entry.py``) and summed by the engine like any amount.

Invariants that hold for every row (a standard indicator has its F code, a ratio has its
numerator and denominator, one target per indicator, period and disaggregation cell) are
database constraints; rules that compare a row with others or with reference data are in
``clean()``, which every service runs before saving.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from akt.accounts.voidable import Voidable
from akt.counting import engine
from akt.counting.periods import FIRST_YEAR, LAST_YEAR, Period, PeriodKind
from akt.indicators.entry import (
    PERIOD_KIND,
    EntryPeriod,
    cell_key,
    dimension_cells,
    entry_dimensions,
    entry_window,
    known_cell,
    overlaps,
    program_window,
)
from akt.indicators.rules import PeriodRule, default_rule, rule_problem
from akt.text.locales import currency_symbol
from akt.translation import LocalizedNameMixin, localized, period_label

# -- the results framework ---------------------------------------------------------------------


class ResultLevel(models.TextChoices):
    """The levels of a USAID results framework, highest first (ADS 201)."""

    GOAL = "goal", _("Goal")
    OBJECTIVE = "objective", _("Development objective")
    INTERMEDIATE = "ir", _("Intermediate result")
    SUB_INTERMEDIATE = "sub_ir", _("Sub-intermediate result")
    OUTPUT = "output", _("Output")


LEVEL_RANK = {level: rank for rank, level in enumerate(ResultLevel.values)}


class FrameworkResult(models.Model):
    """One result of the program's results framework: the goal, an objective, an IR, a sub-IR
    or an output, with the result above it.

    Indicators measure results (``Indicator.result_measured``); ADS 201 asks for at least one
    indicator on every intermediate and sub-intermediate result, which the framework page
    checks.
    """

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("How the framework names the result, for example “IR 1.1”."),
    )
    level = models.CharField(_("level"), max_length=12, choices=ResultLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("contributes to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    statement_en = models.TextField(_("statement (English)"))
    statement_sq = models.TextField(_("statement (Albanian)"))
    statement_sr_latn = models.TextField(_("statement (Serbian, Latin)"))

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("result")
        verbose_name_plural = _("results framework")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(level="goal") & models.Q(parent__isnull=True))
                | (~models.Q(level="goal") & models.Q(parent__isnull=False)),
                name="framework_only_the_goal_is_a_root",
                violation_error_message=_(
                    "The goal is the top of the framework; every other result contributes to "
                    "a result above it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(_("%(code)s: %(statement)s") % {"code": self.label, "statement": self.statement})

    @property
    def statement(self) -> str:
        return localized(self, "statement")

    @property
    def label(self) -> str:
        """How a reader names the result: its code ("IR 1.1"), except for the goal.

        The framework names its one goal by its level alone (its code is "Goal", an English
        word, not a number), so the goal is named by its level in the reader's language.
        """
        if self.level == ResultLevel.GOAL:
            return str(self.get_level_display())
        return self.code

    @property
    def code_shown(self) -> str:
        """The code to show beside the level's name: none for the goal, which its level names."""
        return "" if self.level == ResultLevel.GOAL else self.code

    def clean(self) -> None:
        """The result above must be of a higher level, and no result may sit below itself."""
        if self.parent_id is None:
            return
        parent = self.parent
        if self.level in LEVEL_RANK and LEVEL_RANK[parent.level] >= LEVEL_RANK[self.level]:
            raise ValidationError(
                {
                    "parent": _(
                        "A result contributes to a result of a higher level: %(level)s cannot "
                        "sit under %(parent)s."
                    )
                    % {"level": self.get_level_display(), "parent": parent.get_level_display()}
                }
            )
        seen = {self.pk} if self.pk else set()
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"parent": _("A result cannot contribute to itself.")})
            seen.add(parent.pk)
            parent = parent.parent


# -- indicators ------------------------------------------------------------------------------

FA_CODE_PATTERN = re.compile(
    # FY2016 onward: EG.3.2-1, DR.4.2-2, PS.6.2-3; cross-cutting GNDR-2, YOUTH-3;
    # before FY2016: 4.5.2-7.
    r"^(?:[A-Z]{2}(?:\.\d{1,2}){1,3}-\d{1,3}|[A-Z]{3,6}-\d{1,3}|\d{1,2}(?:\.\d{1,2}){1,3}-\d{1,3})$"
)
validate_fa_code = RegexValidator(
    FA_CODE_PATTERN,
    _(
        "Write the foreign-assistance indicator code as it appears in the Master Indicator "
        "List, for example EG.3.2-1, GNDR-2 or 4.5.2-7."
    ),
)


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def active(self) -> IndicatorQuerySet:
        return self.filter(is_active=True)


class IndicatorType(models.TextChoices):
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")


PERIOD_RULES = [
    (PeriodRule.SUM.value, _("Sum of the periods (events, attendances, amounts)")),
    (PeriodRule.DISTINCT.value, _("Distinct over the whole period (persons, organizations)")),
    (PeriodRule.LATEST.value, _("Latest value in the period")),
    (PeriodRule.RATIO.value, _("Ratio of two indicators, recomputed")),
]


class Indicator(LocalizedNameMixin, models.Model):
    SOURCES = [
        ("activities", _("Activities")),
        ("attendance", _("Attendance (rosters and tallies)")),
        ("grants", _("Grants")),
        ("plans", _("Capacity development plans")),
        ("projects", _("Infrastructure projects")),
        ("entered", _("Entered values")),
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
    entry_period = models.CharField(
        _("entry period"),
        max_length=16,
        choices=EntryPeriod.choices,
        blank=True,
        help_text=_(
            "For an entered indicator: the period each value covers. Empty for an indicator "
            "counted from the records."
        ),
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    disaggregations = models.JSONField(_("disaggregations"), default=list, blank=True)
    sentence = models.JSONField(
        _("results sentence"),
        default=dict,
        help_text=_("Per language, per plural category: the sentence with %(value)s."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    # What the indicator measures and how it is classified (the head of its reference sheet).
    result_measured = models.ForeignKey(
        FrameworkResult,
        verbose_name=_("result measured"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    indicator_type = models.CharField(
        _("indicator type"), max_length=8, choices=IndicatorType.choices, default="output"
    )
    is_standard = models.BooleanField(
        _("standard foreign-assistance indicator"),
        default=False,
        help_text=_(
            "Standard indicators keep the official definition of the Master Indicator List."
        ),
    )
    fa_code = models.CharField(
        _("foreign-assistance code"),
        max_length=16,
        blank=True,
        validators=[validate_fa_code],
        help_text=_("For a standard indicator, for example EG.3.2-1."),
    )
    program_code = models.CharField(
        _("program code"),
        max_length=16,
        blank=True,
        help_text=_(
            "The program's own number for the indicator in its MEL plan, for example 1.1.1."
        ),
    )
    is_ppr = models.BooleanField(
        _("reported in the PPR"),
        default=False,
        help_text=_("Reported to Washington in the annual Performance Plan and Report."),
    )
    period_rule = models.CharField(
        _("period rule"),
        max_length=8,
        choices=PERIOD_RULES,
        blank=True,
        help_text=_(
            "How the value of a longer period is formed from shorter ones. Left empty, it "
            "follows from the counting unit."
        ),
    )
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("numerator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratios_as_numerator",
        help_text=_("For a ratio: the indicator counted above the line."),
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("denominator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratios_as_denominator",
        help_text=_("For a ratio: the indicator counted below the line."),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["result_line", "sort_order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                # An entered indicator sums what is entered: money in its currency, or a count
                # (jobs reported) or a percentage, which have none.
                condition=~models.Q(unit="amount")
                | ~models.Q(currency="")
                | models.Q(source="entered"),
                name="indicator_amount_has_currency",
                violation_error_message=_("An amount indicator needs a currency."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(source="entered")
                    & models.Q(entry_period__in=[choice.value for choice in EntryPeriod])
                )
                | (~models.Q(source="entered") & models.Q(entry_period="")),
                name="indicator_entry_period_when_entered",
                violation_error_message=_(
                    "An entered indicator says which period each value covers; an indicator "
                    "counted from the records has no entry period."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(is_standard=False) | ~models.Q(fa_code=""),
                name="indicator_standard_has_fa_code",
                violation_error_message=_(
                    "A standard indicator needs its foreign-assistance code, for example EG.3.2-1."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(is_standard=True) | models.Q(fa_code=""),
                name="indicator_custom_has_no_fa_code",
                violation_error_message=_(
                    "Only a standard indicator carries a foreign-assistance code; a custom "
                    "indicator has the program's own code."
                ),
            ),
            models.UniqueConstraint(
                fields=["program_code"],
                condition=~models.Q(program_code=""),
                name="indicator_program_code_unique",
                violation_error_message=_("Another indicator already has this program code."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_rule__in=[*(rule.value for rule in PeriodRule), ""]),
                name="indicator_period_rule_known",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(period_rule="ratio")
                    & models.Q(numerator__isnull=False)
                    & models.Q(denominator__isnull=False)
                )
                | (
                    ~models.Q(period_rule="ratio")
                    & models.Q(numerator__isnull=True)
                    & models.Q(denominator__isnull=True)
                ),
                name="indicator_ratio_has_numerator_and_denominator",
                violation_error_message=_(
                    "A ratio needs both a numerator and a denominator indicator, and only a "
                    "ratio has them."
                ),
            ),
        ]

    @property
    def definition(self) -> str:
        return localized(self, "definition")

    @property
    def is_entered(self) -> bool:
        """Whether the figures are entered from documents rather than counted from records."""
        return self.source == engine.Source.ENTERED.value

    @property
    def entry_dimensions(self) -> list[str]:
        """The dimensions an entered value's cell names (see :mod:`akt.indicators.entry`)."""
        return entry_dimensions(self.disaggregations or [])

    @property
    def aggregation_rule(self) -> PeriodRule:
        """The period rule in force: the one chosen, else the default for the counting unit."""
        return PeriodRule(self.period_rule) if self.period_rule else default_rule(self.unit)

    @property
    def unit_of_measure(self) -> str:
        """The PIRS "unit of measure", which follows from the counting unit and the rule:
        a percentage for a ratio, money in the indicator's currency, otherwise a number."""
        if self.aggregation_rule == PeriodRule.RATIO:
            return str(_("Percent"))
        if self.unit == "amount" and (self.currency or not self.is_entered):
            language = get_language() or "en"
            symbol = currency_symbol(self.currency, language) if self.currency else "?"
            return str(_("Amount (%(currency)s)") % {"currency": symbol})
        return str(_("Number"))

    def clean(self) -> None:
        from akt.indicators.fact_reader import definition_for

        self._clean_entry()
        try:
            definition_for(self)
        except (ValueError, TypeError, KeyError) as exc:
            raise ValidationError({"filters": str(exc)}) from exc
        if not self.period_rule:
            self.period_rule = default_rule(self.unit).value
        self._clean_classification()
        self._clean_period_rule()
        for lang in ("en", "sq", "sr-latn"):
            forms = self.sentence.get(lang) if isinstance(self.sentence, dict) else None
            if not forms or "other" not in forms:
                raise ValidationError(
                    {
                        "sentence": _("The sentence in %(lang)s needs an `other` form.")
                        % {"lang": lang}
                    }
                )

    def _clean_entry(self) -> None:
        if not self.is_entered:
            if self.entry_period:
                raise ValidationError(
                    {
                        "entry_period": _(
                            "Only an entered indicator has an entry period; this one is "
                            "counted from the records."
                        )
                    }
                )
            return
        if self.unit != engine.Unit.AMOUNT.value:
            raise ValidationError(
                {
                    "unit": _(
                        "An entered indicator adds up the values entered: its counting unit "
                        "is “amount”."
                    )
                }
            )
        if not self.entry_period:
            raise ValidationError(
                {
                    "entry_period": _(
                        "Say which period each entered value covers: a calendar year, a "
                        "fiscal year or a fiscal quarter."
                    )
                }
            )

    def _clean_classification(self) -> None:
        if self.is_standard and not self.fa_code:
            raise ValidationError(
                {"fa_code": _("A standard indicator needs its foreign-assistance code.")}
            )
        if not self.is_standard and self.fa_code:
            raise ValidationError(
                {
                    "fa_code": _(
                        "Only a standard indicator carries a foreign-assistance code. Tick "
                        "“standard” or leave the code empty."
                    )
                }
            )

    def _clean_period_rule(self) -> None:
        problem = rule_problem(self.unit, self.period_rule)
        if problem is not None:
            raise ValidationError({"period_rule": problem})
        if self.period_rule != PeriodRule.RATIO:
            if self.numerator_id or self.denominator_id:
                raise ValidationError(
                    {
                        "period_rule": _(
                            "Only a ratio has a numerator and a denominator; choose “ratio” "
                            "or remove them."
                        )
                    }
                )
            return
        errors: dict[str, object] = {}
        for name in ("numerator", "denominator"):
            part = getattr(self, name)
            if part is None:
                errors[name] = _("A ratio needs this indicator.")
            elif self.pk is not None and part.pk == self.pk:
                errors[name] = _("A ratio cannot be computed from itself.")
            elif part.aggregation_rule == PeriodRule.RATIO:
                errors[name] = _("Choose a counted indicator, not another ratio.")
        if not errors and self.numerator_id == self.denominator_id:
            errors["denominator"] = _("The numerator and the denominator must differ.")
        if errors:
            raise ValidationError(errors)


# -- the reference sheet ------------------------------------------------------------------------


class CollectionFrequency(models.TextChoices):
    CONTINUOUS = "continuous", _("Continuously, as each event happens")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Twice a year")
    ANNUAL = "annual", _("Annually")


# The sheet's prose, each written in English, Albanian and Serbian (Latin); Cyrillic is derived.
SHEET_PROSE = (
    "rationale",
    "data_source",
    "collection_method",
    "collection_timing",
    "responsible",
    "data_storage",
    "data_limitations",
    "analysis_plan",
)


class ReferenceSheet(models.Model):
    """An indicator's Performance Indicator Reference Sheet (PIRS, ADS 201): how its data are
    collected, stored, checked and used, and its baseline.

    The sheet's head (result measured, type, standard or custom, codes, PPR, definition, units,
    disaggregations) lives on the indicator, which the engine reads; this holds the rest. Every
    change goes through ``services.reference_sheet_update`` and its audit entry, from which the
    sheet's change log is read.
    """

    indicator = models.OneToOneField(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="sheet",
    )
    rationale_en = models.TextField(_("rationale (English)"), blank=True)
    rationale_sq = models.TextField(_("rationale (Albanian)"), blank=True)
    rationale_sr_latn = models.TextField(_("rationale (Serbian, Latin)"), blank=True)
    data_source_en = models.TextField(_("data source (English)"), blank=True)
    data_source_sq = models.TextField(_("data source (Albanian)"), blank=True)
    data_source_sr_latn = models.TextField(_("data source (Serbian, Latin)"), blank=True)
    collection_method_en = models.TextField(_("collection method (English)"), blank=True)
    collection_method_sq = models.TextField(_("collection method (Albanian)"), blank=True)
    collection_method_sr_latn = models.TextField(
        _("collection method (Serbian, Latin)"), blank=True
    )
    collection_frequency = models.CharField(
        _("collection frequency"), max_length=12, choices=CollectionFrequency.choices, blank=True
    )
    collection_timing_en = models.TextField(_("collection timing (English)"), blank=True)
    collection_timing_sq = models.TextField(_("collection timing (Albanian)"), blank=True)
    collection_timing_sr_latn = models.TextField(
        _("collection timing (Serbian, Latin)"), blank=True
    )
    responsible_en = models.CharField(_("responsible person (English)"), max_length=200, blank=True)
    responsible_sq = models.CharField(
        _("responsible person (Albanian)"), max_length=200, blank=True
    )
    responsible_sr_latn = models.CharField(
        _("responsible person (Serbian, Latin)"), max_length=200, blank=True
    )
    data_storage_en = models.TextField(_("data storage (English)"), blank=True)
    data_storage_sq = models.TextField(_("data storage (Albanian)"), blank=True)
    data_storage_sr_latn = models.TextField(_("data storage (Serbian, Latin)"), blank=True)
    data_limitations_en = models.TextField(_("known data limitations (English)"), blank=True)
    data_limitations_sq = models.TextField(_("known data limitations (Albanian)"), blank=True)
    data_limitations_sr_latn = models.TextField(
        _("known data limitations (Serbian, Latin)"), blank=True
    )
    analysis_plan_en = models.TextField(_("analysis, review and reporting (English)"), blank=True)
    analysis_plan_sq = models.TextField(_("analysis, review and reporting (Albanian)"), blank=True)
    analysis_plan_sr_latn = models.TextField(
        _("analysis, review and reporting (Serbian, Latin)"), blank=True
    )
    dqa_last_date = models.DateField(
        _("most recent data quality assessment"), null=True, blank=True
    )
    dqa_reviewer_en = models.CharField(
        _("data quality assessment reviewer (English)"), max_length=200, blank=True
    )
    dqa_reviewer_sq = models.CharField(
        _("data quality assessment reviewer (Albanian)"), max_length=200, blank=True
    )
    dqa_reviewer_sr_latn = models.CharField(
        _("data quality assessment reviewer (Serbian, Latin)"), max_length=200, blank=True
    )
    dqa_next_date = models.DateField(_("next data quality assessment"), null=True, blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator reference sheet")
        verbose_name_plural = _("indicator reference sheets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(baseline_value__isnull=True, baseline_date__isnull=True)
                | models.Q(baseline_value__isnull=False, baseline_date__isnull=False),
                name="sheet_baseline_has_value_and_date",
                violation_error_message=_("A baseline needs both its value and its date."),
            ),
            models.CheckConstraint(
                condition=models.Q(baseline_value__isnull=True) | models.Q(baseline_value__gte=0),
                name="sheet_baseline_not_negative",
                violation_error_message=_("A baseline cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(dqa_last_date__isnull=True)
                | models.Q(dqa_next_date__isnull=True)
                | models.Q(dqa_next_date__gt=models.F("dqa_last_date")),
                name="sheet_next_dqa_after_last",
                violation_error_message=_(
                    "The next data quality assessment comes after the most recent one."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(dqa_last_date__isnull=True) | ~models.Q(dqa_reviewer_en=""),
                name="sheet_dqa_has_reviewer",
                violation_error_message=_(
                    "Name who reviewed the most recent data quality assessment."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.indicator)

    def text(self, name: str, language: str | None = None) -> str:
        """One of the sheet's texts in ``language`` (default: the reader's): a prose field or
        the reviewer's name (an office is named in each language; a person's name is written
        the same in all three)."""
        return localized(self, name, language)

    def clean(self) -> None:
        # The constraints' rules, tied to the field the person has to correct.
        if (self.baseline_value is None) != (self.baseline_date is None):
            missing = "baseline_date" if self.baseline_date is None else "baseline_value"
            raise ValidationError({missing: _("A baseline needs both its value and its date.")})
        if self.dqa_last_date and not self.dqa_reviewer_en:
            raise ValidationError(
                {"dqa_reviewer_en": _("Name who reviewed the most recent data quality assessment.")}
            )
        if self.dqa_last_date and self.dqa_next_date and self.dqa_next_date <= self.dqa_last_date:
            raise ValidationError(
                {
                    "dqa_next_date": _(
                        "The next data quality assessment comes after the most recent one."
                    )
                }
            )


# -- targets -------------------------------------------------------------------------------------

CELL_CODE = RegexValidator(
    r"^[a-z0-9][a-z0-9_+\-]*$",
    _("Use the cell's code as the results use it, for example female, 15-29 or gjilan."),
)


class Target(models.Model):
    """What an indicator is planned to reach in one period, in total or for one disaggregation
    cell (for example women, or one municipality).

    The period is stored as kind, fiscal year and quarter with 0 for "not applicable", never
    NULL, so that one target per indicator, period and cell is a plain unique constraint on
    every database.
    """

    PERIOD_KINDS = [
        (PeriodKind.LIFE_OF_PROJECT.value, _("Life of project")),
        (PeriodKind.FISCAL_YEAR.value, _("Fiscal year")),
        (PeriodKind.QUARTER.value, _("Fiscal quarter")),
    ]

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    period_kind = models.CharField(_("period"), max_length=8, choices=PERIOD_KINDS)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), default=0)
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0)
    dimension = models.CharField(_("disaggregation"), max_length=32, blank=True)
    cell = models.CharField(_("cell"), max_length=40, blank=True, validators=[CELL_CODE])
    value = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        ordering = ["indicator", "fiscal_year", "quarter", "dimension", "cell"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_kind", "fiscal_year", "quarter", "dimension", "cell"],
                name="target_one_per_indicator_period_cell",
                violation_error_message=_(
                    "This indicator already has a target for this period and cell."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(period_kind="lop", fiscal_year=0, quarter=0)
                | models.Q(
                    period_kind="fy",
                    fiscal_year__gte=FIRST_YEAR,
                    fiscal_year__lte=LAST_YEAR,
                    quarter=0,
                )
                | models.Q(
                    period_kind="quarter",
                    fiscal_year__gte=FIRST_YEAR,
                    fiscal_year__lte=LAST_YEAR,
                    quarter__gte=1,
                    quarter__lte=4,
                ),
                name="target_period_is_lop_year_or_quarter",
                violation_error_message=_(
                    "A target is for the life of project, a fiscal year or a quarter of one."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(dimension="", cell="")
                | (~models.Q(dimension="") & ~models.Q(cell="")),
                name="target_cell_with_its_disaggregation",
                violation_error_message=_(
                    "A target for one cell names both the disaggregation and the cell."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0),
                name="target_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        where = f" {self.dimension}={self.cell}" if self.dimension else ""
        return f"{self.indicator.code} {self.period.key}{where}: {self.value}"

    @property
    def period(self) -> Period:
        return Period(self.fiscal_year, self.quarter, PeriodKind(self.period_kind))

    @period.setter
    def period(self, period: Period) -> None:
        self.period_kind = period.kind.value
        self.fiscal_year = period.year
        self.quarter = period.quarter

    def clean(self) -> None:
        """A cell target splits one of the indicator's own disaggregations; a percentage
        target stays within 100."""
        if self.indicator_id is None:
            return
        indicator = self.indicator
        if self.dimension and self.dimension not in (indicator.disaggregations or []):
            raise ValidationError(
                {
                    "dimension": _(
                        "This indicator is not disaggregated by %(dimension)s; choose one of "
                        "its disaggregations."
                    )
                    % {"dimension": self.dimension}
                }
            )
        if self.dimension and not self.cell:
            raise ValidationError({"cell": _("Name the cell this target is for.")})
        if self.cell and not self.dimension:
            raise ValidationError({"dimension": _("Name the disaggregation of this cell.")})
        if (
            indicator.aggregation_rule == PeriodRule.RATIO
            and self.value is not None
            and self.value > 100
        ):
            raise ValidationError({"value": _("A percentage target cannot exceed 100.")})


class DisaggregationScheme(LocalizedNameMixin, models.Model):
    """Another set of categories a dimension can be reported in, and how the records' own
    categories roll into it.

    Categories change: the donor asks for Roma, Ashkali and Egyptian together, a sector is split
    in two. Records keep the codes they were entered with; a report read in a scheme puts each
    old code where ``mapping`` says (``{old code: scheme code}``, or ``"unknown"``), so old data
    still rolls up and nothing falls out of a total. A code the mapping does not place is
    refused by name (:class:`akt.counting.engine.Recoding`), never guessed.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    dimension = models.CharField(_("disaggregation"), max_length=32)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_sq = models.CharField(_("name (Albanian)"), max_length=200)
    name_sr_latn = models.CharField(_("name (Serbian, Latin)"), max_length=200)
    categories = models.JSONField(_("categories"))
    """``[{"code": ..., "en": ..., "sq": ..., "sr-latn": ...}, ...]`` in report order."""
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)

    class Meta:
        ordering = ["dimension", "code"]
        verbose_name = _("disaggregation scheme")
        verbose_name_plural = _("disaggregation schemes")

    def recoding(self) -> engine.Recoding:
        return engine.Recoding(
            dimension=self.dimension,
            scheme=tuple(item["code"] for item in self.categories),
            mapping=self.mapping,
        )

    def category_labels(self, language: str) -> dict[str, str]:
        key = language if language in ("en", "sq", "sr-latn") else "sr-latn"
        labels = {item["code"]: item.get(key) or item["en"] for item in self.categories}
        if language == "sr":
            from akt.text.script import latin_to_cyrillic

            labels = {code: latin_to_cyrillic(label) for code, label in labels.items()}
        return labels

    def clean(self) -> None:
        super().clean()
        try:
            self.recoding()
        except (ValueError, KeyError, TypeError) as error:
            raise ValidationError({"mapping": str(error)}) from None


# -- entered values ----------------------------------------------------------------------------


WRONG_PERIOD_KIND = {
    EntryPeriod.CALENDAR_YEAR.value: _(
        "“%(indicator)s” is entered per calendar year; %(period)s is not one."
    ),
    EntryPeriod.FISCAL_YEAR.value: _(
        "“%(indicator)s” is entered per fiscal year; %(period)s is not one."
    ),
    EntryPeriod.QUARTER.value: _(
        "“%(indicator)s” is entered per fiscal quarter; %(period)s is not one."
    ),
    "": _("“%(indicator)s” has no entry period; say which period its values cover first."),
}


class OutcomeValue(Voidable):
    """One value of an entered indicator: what a document reports for one period, one
    municipality (or the whole program) and one disaggregation cell.

    The engine counts it as a fact of the entered source dated on its period's last day
    (:func:`akt.indicators.fact_reader.entered_facts`), so it goes through the same targets,
    tracking table, approval and audit as a counted figure. One value per indicator, period,
    place and cell among those not voided; a correction changes that value (its audit entry
    keeps the value before and after), a mistake is voided with a reason, never deleted.
    """

    DATED_BY = ("period_end",)
    """The field whose day the value counts on: a change to a value of an approved quarter
    needs a reason (``reports.services.approved_period_guard``)."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="entered_values",
        limit_choices_to={"source": "entered"},
    )
    period_key = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for a value of the whole program."),
    )
    cell = models.JSONField(_("category"), default=dict, blank=True)
    cell_key = models.CharField(_("category"), max_length=200, blank=True, editable=False)
    value = models.DecimalField(
        _("value"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0), message=_("A value cannot be negative."))],
    )
    source_document = models.TextField(
        _("source document"),
        help_text=_(
            "Where the figure comes from, so that anyone can check it: for example “Municipal "
            "finance department, annual report 2016, table 3”."
        ),
        error_messages={
            "blank": _("Name the document the figure comes from, so that it can be checked."),
        },
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["indicator", "period_start", "municipality", "cell_key"]
        verbose_name = _("entered value")
        verbose_name_plural = _("entered values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_key", "municipality", "cell_key"],
                condition=models.Q(voided_at__isnull=True, municipality__isnull=False),
                name="outcome_value_one_per_place",
                violation_error_message=_(
                    "This indicator already has a value for this period, municipality and "
                    "category; correct that value instead."
                ),
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_key", "cell_key"],
                condition=models.Q(voided_at__isnull=True, municipality__isnull=True),
                name="outcome_value_one_program_wide",
                violation_error_message=_(
                    "This indicator already has a program-wide value for this period and "
                    "category; correct that value instead."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0),
                name="outcome_value_not_negative",
                violation_error_message=_("A value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="outcome_value_period_in_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(source_document=""),
                name="outcome_value_has_source_document",
                violation_error_message=_(
                    "Name the document the figure comes from, so that it can be checked."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_key} {self.cell_key}: {self.value}".strip()

    @property
    def period(self) -> Period:
        return Period.from_key(self.period_key)

    @period.setter
    def period(self, period: Period) -> None:
        """Sets the period's key and its dates (as the engine's windows bound it)."""
        window = period.window(engine.date_range(date.min, date.max))
        self.period_key = period.key
        self.period_start, self.period_end = window.start, window.end

    @property
    def counts_on(self) -> date:
        """The last day of the period: the day the value counts on in the figures."""
        return self.period_end

    def clean(self) -> None:
        """The value belongs to an entered indicator, covers a period of its entry kind within
        the years the program reports on, and names known categories of its own dimensions."""
        if self.indicator_id is None:
            return
        indicator = self.indicator
        if not indicator.is_entered:
            raise ValidationError(
                {
                    "indicator": _(
                        "“%(indicator)s” is counted from the records; values are entered only "
                        "for an entered indicator."
                    )
                    % {"indicator": indicator.name}
                }
            )
        errors: dict[str, list[str]] = {}
        period = self._clean_period(indicator, errors)
        if period is not None:
            self.period = period
        self.cell = self._clean_cell(indicator, errors)
        self.cell_key = cell_key(self.cell)
        if errors:
            raise ValidationError(errors)

    def _clean_period(self, indicator: Indicator, errors: dict[str, list[str]]) -> Period | None:
        try:
            period = Period.from_key(self.period_key or "")
        except ValueError:
            errors["period_key"] = [
                str(
                    _("“%(key)s” names no period; write it as cy2016, fy2016 or fy2016q1.")
                    % {"key": self.period_key}
                )
            ]
            return None
        if period.kind != PERIOD_KIND.get(indicator.entry_period):
            wrong_kind = WRONG_PERIOD_KIND.get(indicator.entry_period, WRONG_PERIOD_KIND[""])
            errors["period_key"] = [
                str(wrong_kind % {"indicator": indicator.name, "period": period_label(period)})
            ]
            return None
        lop = program_window()
        if lop is not None and not overlaps(period, entry_window(lop)):
            window = entry_window(lop)
            errors["period_key"] = [
                str(
                    _(
                        "%(period)s is outside the years the program reports on: the life of "
                        "project and, for a baseline, the two years before it (%(start)s to "
                        "%(end)s)."
                    )
                    % {
                        "period": period_label(period),
                        "start": date_format(window.start, "DATE_FORMAT"),
                        "end": date_format(window.end, "DATE_FORMAT"),
                    }
                )
            ]
            return None
        return period

    def _clean_cell(self, indicator: Indicator, errors: dict[str, list[str]]) -> dict[str, str]:
        if not isinstance(self.cell, dict):
            errors["cell"] = [str(_("A category names one code per disaggregation."))]
            return {}
        from akt.indicators.sheets import dimension_titles

        cell = known_cell(self.cell)
        dimensions = indicator.entry_dimensions
        titles = dimension_titles()
        problems = []
        for name, code in sorted(cell.items()):
            if name not in dimensions:
                problems.append(
                    str(
                        _(
                            "“%(indicator)s” is not disaggregated by “%(dimension)s”; its "
                            "categories are of: %(dimensions)s."
                        )
                        % {
                            "indicator": indicator.name,
                            "dimension": titles.get(name, name),
                            "dimensions": ", ".join(titles.get(d, d) for d in dimensions) or "–",
                        }
                    )
                )
                continue
            codes = {known for known, _label in dimension_cells(name)}
            if codes and code not in codes:
                problems.append(
                    str(
                        _("“%(code)s” is not a category of “%(dimension)s”.")
                        % {"code": code, "dimension": titles.get(name, name)}
                    )
                )
        if problems:
            errors["cell"] = problems
        return cell
