"""Reading an indicator's reference sheet (PIRS) as a reader sees it, in one language.

The sheet page renders whatever this module returns: labelled sections in the order of a USAID
PIRS, the baseline and targets by period, and the change log read from the audit log. Labels
are translated in the active language and stored texts are picked for it, so the page's view
only has to activate the language asked for (``?language=sq``) to print the sheet in it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from akt.accounts.models import AuditEntry
from akt.activities.models import AgeBand
from akt.counting import engine
from akt.counting.periods import TARGET_KINDS, Period, PeriodKind, program_periods
from akt.indicators.loading import SHEET_EDIT, TARGET_EDIT
from akt.indicators.models import (
    PERIOD_RULES,
    CollectionFrequency,
    FrameworkResult,
    Indicator,
    ReferenceSheet,
    Target,
)
from akt.indicators.sentences import format_value
from akt.people.models import Sex
from akt.places.models import Community, Municipality
from akt.translation import localized, period_label


@dataclass(frozen=True)
class SheetRow:
    label: str
    value: str
    prose: bool = False


@dataclass(frozen=True)
class SheetSection:
    key: str
    title: str
    rows: list[SheetRow]


def dimension_titles() -> dict[str, str]:
    """The disaggregations' names in the reader's language: the one list the reference sheets,
    the results pages, the tracking table and the approved reports all name splits by."""
    return {
        "sex": _("Sex"),
        "age_band": _("Age"),
        "community": _("Community"),
        "municipality": _("Municipality"),
        "sector": _("Sector"),
        "local_status": _("Majority or non-majority in the municipality"),
        "national_status": _("Majority or non-majority in Kosovo"),
        "kind": _("Kind of activity"),
        "organization_kind": _("Kind of organization"),
        "affiliation": _("Affiliation"),
        "component": _("Component"),
    }


def disaggregation_label(item: str | Sequence[str], titles: Mapping[str, str]) -> str:
    """One disaggregation, or a cross-tabulation of several ("Sex × Age")."""
    if isinstance(item, str):
        return titles.get(item, item)
    return " × ".join(titles.get(part, part) for part in item)


def _date(value: date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def _number(value: Decimal | None, language: str, currency: str = "") -> str:
    if value is None:
        return ""
    whole = value == value.to_integral_value()
    return format_value(int(value) if whole else value, language, currency)


def sheet_sections(
    indicator: Indicator, sheet: ReferenceSheet | None, language: str
) -> list[SheetSection]:
    """The sheet's fields in PIRS order, labelled and written in ``language``.

    Call with ``language`` active (``translation.override``): labels are translated with it.
    A field without a value shows as empty, so a reader sees what the sheet still lacks.
    """
    text = (lambda name: sheet.text(name, language)) if sheet else (lambda name: "")
    result = indicator.result_measured
    titles = dimension_titles()
    if indicator.is_standard:
        standard = _("Standard foreign-assistance indicator (%(code)s)") % {
            "code": indicator.fa_code
        }
    else:
        standard = _("Custom indicator")
    rule_labels = {value: str(label) for value, label in PERIOD_RULES}
    dqa_last = ""
    if sheet and sheet.dqa_last_date:
        dqa_last = _("%(date)s, by %(reviewer)s") % {
            "date": _date(sheet.dqa_last_date),
            "reviewer": sheet.text("dqa_reviewer", language),
        }
    description = [
        SheetRow(_("Name of indicator"), localized(indicator, "name", language)),
        SheetRow(
            _("Result measured"),
            _("%(code)s: %(statement)s")
            % {"code": result.label, "statement": localized(result, "statement", language)}
            if result
            else "",
        ),
        SheetRow(_("Indicator type"), indicator.get_indicator_type_display()),
        SheetRow(_("Standard or custom"), standard),
        SheetRow(_("Program code"), indicator.program_code),
        SheetRow(_("Reported in the PPR"), _("Yes") if indicator.is_ppr else _("No")),
        SheetRow(_("Precise definition"), localized(indicator, "definition", language), prose=True),
        SheetRow(_("Unit of measure"), indicator.unit_of_measure),
        SheetRow(_("Counting unit"), indicator.get_unit_display()),
        *(
            [SheetRow(_("Entered per"), indicator.get_entry_period_display())]
            if indicator.is_entered
            else []
        ),
        SheetRow(
            _("Period rule"),
            rule_labels.get(indicator.aggregation_rule.value, indicator.aggregation_rule.value),
        ),
    ]
    if indicator.numerator_id and indicator.denominator_id:
        description.append(
            SheetRow(
                _("Numerator and denominator"),
                _("%(numerator)s ÷ %(denominator)s")
                % {
                    "numerator": localized(indicator.numerator, "name", language),
                    "denominator": localized(indicator.denominator, "name", language),
                },
            )
        )
    description += [
        SheetRow(
            _("Disaggregated by"),
            ", ".join(
                disaggregation_label(item, titles) for item in indicator.disaggregations or []
            )
            or _("Not disaggregated"),
        ),
        SheetRow(_("Rationale and management utility"), text("rationale"), prose=True),
    ]
    collection = [
        SheetRow(_("Data source"), text("data_source"), prose=True),
        SheetRow(_("Method of data collection"), text("collection_method"), prose=True),
        SheetRow(
            _("Frequency of collection"),
            sheet.get_collection_frequency_display() if sheet else "",
        ),
        SheetRow(_("Timing of collection"), text("collection_timing"), prose=True),
        SheetRow(_("Person responsible at the partner"), text("responsible")),
        SheetRow(_("Where the data are stored"), text("data_storage"), prose=True),
    ]
    quality = [
        SheetRow(_("Most recent data quality assessment"), dqa_last or _("Not yet assessed")),
        SheetRow(
            _("Next data quality assessment"),
            _date(sheet.dqa_next_date) if sheet and sheet.dqa_next_date else _("Not planned"),
        ),
        SheetRow(_("Known data limitations"), text("data_limitations"), prose=True),
    ]
    analysis = [
        SheetRow(
            _("Plan for data analysis, review and reporting"), text("analysis_plan"), prose=True
        )
    ]
    return [
        SheetSection("description", _("Description"), description),
        SheetSection("collection", _("Plan for data collection"), collection),
        SheetSection("quality", _("Data quality"), quality),
        SheetSection("analysis", _("Data analysis, review and reporting"), analysis),
    ]


# -- baseline and targets ------------------------------------------------------------------------


@dataclass(frozen=True)
class CellTarget:
    dimension: str
    cell: str
    label: str
    value: str


@dataclass(frozen=True)
class TargetRow:
    period: Period
    label: str
    value: str
    cells: list[CellTarget] = field(default_factory=list)

    @property
    def is_quarter(self) -> bool:
        return self.period.kind == PeriodKind.QUARTER


def cell_labels(dimensions: Iterable[str]) -> dict[str, dict[str, str]]:
    """Cell codes in the reader's words, for the dimensions asked for (a query each for
    communities and municipalities, only when asked)."""
    wanted = set(dimensions)
    labels: dict[str, dict[str, str]] = {
        "sex": {str(code): str(label) for code, label in Sex.choices},
        "age_band": {str(code): str(label) for code, label in AgeBand.choices},
    }
    if "community" in wanted:
        labels["community"] = {c.code: c.name for c in Community.objects.all()}
    if "municipality" in wanted:
        labels["municipality"] = {
            m.code: m.name for m in Municipality.objects.select_related("majority_community")
        }
    labels.setdefault("sex", {})["unknown"] = _("Unknown")
    return labels


def target_rows(
    indicator: Indicator, targets: Iterable[Target], lop: engine.Window, language: str
) -> list[TargetRow]:
    """The targets by period, in tracking-table order: every period of the program's life,
    with or without a target, then any stored period outside it."""
    totals: dict[Period, Decimal] = {}
    cells: dict[Period, list[Target]] = defaultdict(list)
    for target in targets:
        if target.dimension:
            cells[target.period].append(target)
        else:
            totals[target.period] = target.value
    periods = program_periods(lop)
    periods += sorted((set(totals) | set(cells)) - set(periods))
    titles = dimension_titles()
    labels = cell_labels({target.dimension for group in cells.values() for target in group})
    currency = indicator.currency
    return [
        TargetRow(
            period=period,
            label=period_label(period),
            value=_number(totals.get(period), language, currency),
            cells=[
                CellTarget(
                    dimension=target.dimension,
                    cell=target.cell,
                    label=_("%(cell)s (%(dimension)s)")
                    % {
                        "dimension": titles.get(target.dimension, target.dimension),
                        "cell": labels.get(target.dimension, {}).get(target.cell, target.cell),
                    },
                    value=_number(target.value, language, currency),
                )
                for target in sorted(cells.get(period, []), key=lambda t: (t.dimension, t.cell))
            ],
        )
        for period in periods
    ]


def baseline_text(indicator: Indicator, sheet: ReferenceSheet | None, language: str) -> str:
    if sheet is None or sheet.baseline_value is None:
        return _("No baseline set")
    return _("%(value)s on %(date)s") % {
        "value": _number(sheet.baseline_value, language, indicator.currency),
        "date": _date(sheet.baseline_date),
    }


# -- the change log ------------------------------------------------------------------------------

SHEET_ACTIONS = (SHEET_EDIT, TARGET_EDIT)
# A stored value longer than this is prose: the log says the field changed, not how.
SHORT_VALUE = 60


@dataclass(frozen=True)
class Change:
    label: str
    old: str = ""
    new: str = ""
    shown: bool = True


@dataclass(frozen=True)
class ChangeLogEntry:
    at: datetime
    who: str
    what: str
    changes: list[Change]
    reason: str


def _action_labels() -> dict[str, str]:
    return {
        SHEET_EDIT: _("Reference sheet edited"),
        TARGET_EDIT: _("Targets edited"),
    }


def _field_label(name: str) -> str:
    for model in (Indicator, ReferenceSheet):
        try:
            return capfirst(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            continue
    return name


def _display(name: str, value: Any, names: Mapping[str, Mapping[Any, str]]) -> str:
    if value is None or value == "":
        return "—"
    if name in names:
        return names[name].get(value, str(value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "baseline_value":
        return _target_value(str(value))
    if name.endswith("_date"):
        try:
            return _date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


def _target_value(value: str | None) -> str:
    if value is None:
        return "—"
    try:
        return _number(Decimal(value), get_language() or "en")
    except (InvalidOperation, ValueError):
        return str(value)


def _target_cells(entries: Iterable[AuditEntry]) -> list[tuple[str, str]]:
    """The (dimension, cell) pairs named by the target changes of ``entries``."""
    pairs = []
    for entry in entries:
        targets = (entry.changes or {}).get("targets")
        for key in targets if isinstance(targets, Mapping) else ():
            _period, _space, cell = key.partition(" ")
            if "=" in cell:
                dimension, _equals, code = cell.partition("=")
                pairs.append((dimension, code))
    return pairs


def _target_change(
    key: str, old: str | None, new: str | None, cells: Mapping[str, Mapping[str, str]]
) -> Change:
    """One target's change, its period and cell in the reader's words ("FY 2016, Female")."""
    period_key, _space, cell = key.partition(" ")
    try:
        label = period_label(Period.from_key(period_key, TARGET_KINDS))
    except ValueError:
        label = period_key
    if "=" in cell:
        dimension, _equals, code = cell.partition("=")
        cell_label = _("%(cell)s (%(dimension)s)") % {
            "cell": cells.get(dimension, {}).get(code, code),
            "dimension": dimension_titles().get(dimension, dimension),
        }
        label = _("%(period)s, %(cell)s") % {"period": label, "cell": cell_label}
    return Change(
        _("Target, %(period)s") % {"period": label}, _target_value(old), _target_value(new)
    )


def _changes(
    changes: Mapping[str, Any],
    names: Mapping[str, Mapping[Any, str]],
    cells: Mapping[str, Mapping[str, str]],
) -> list[Change]:
    items: list[Change] = []
    for name, values in changes.items():
        if name == "targets" and isinstance(values, Mapping):
            items.extend(_target_change(key, *pair, cells) for key, pair in values.items())
            continue
        old, new = values if isinstance(values, list | tuple) and len(values) == 2 else ("", "")
        short = all(len(str(v)) <= SHORT_VALUE for v in (old, new) if v is not None)
        items.append(
            Change(
                _field_label(name),
                _display(name, old, names) if short else "",
                _display(name, new, names) if short else "",
                shown=short,
            )
        )
    return items


def change_log(indicator: Indicator) -> list[ChangeLogEntry]:
    """Every recorded change to the indicator's sheet and targets, newest first (3 queries, and
    one more each for communities and municipalities when a target of theirs changed)."""
    entries = list(
        AuditEntry.objects.filter(
            target_type="indicators.indicator",
            target_id=str(indicator.pk),
            action__in=SHEET_ACTIONS,
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )
    names: dict[str, dict[Any, str]] = {
        "result_measured": {
            result.pk: result.label for result in FrameworkResult.objects.only("code", "level")
        },
        "indicator_type": {
            k: str(v) for k, v in Indicator._meta.get_field("indicator_type").choices
        },
        "period_rule": {k: str(v) for k, v in PERIOD_RULES},
        "collection_frequency": {k: str(v) for k, v in CollectionFrequency.choices},
    }
    referenced = {
        value
        for entry in entries
        for name in ("numerator", "denominator")
        for value in (entry.changes.get(name) or [])
        if value is not None
    }
    if referenced:
        codes = dict(Indicator.objects.filter(pk__in=referenced).values_list("pk", "code"))
        names["numerator"] = names["denominator"] = codes
    labels = _action_labels()
    cells = cell_labels(dimension for dimension, _code in _target_cells(entries))
    return [
        ChangeLogEntry(
            at=entry.at,
            who=(entry.actor.get_full_name() or entry.actor.username)
            if entry.actor
            else _("A user since removed"),
            what=labels.get(entry.action, entry.action),
            changes=_changes(entry.changes or {}, names, cells),
            reason=entry.reason,
        )
        for entry in entries
    ]
