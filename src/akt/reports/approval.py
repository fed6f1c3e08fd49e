"""An approved quarter, kept exactly: its facts, definitions, labels, figures and report.

Everything here is pure (plain values in, plain values out) except :func:`collect_labels`, which
reads the names the report prints. A snapshot holds what is needed to produce the approved
report again without reading a single live record:

- **facts**: every record counted in the quarter's fiscal year to the quarter's end, as the
  engine received it, including the canonical person each roster row resolved to (the linkage
  state of that moment), in a canonical order, compressed;
- **definitions**: how each indicator was counted (source, unit, filters, splits, age bands);
- **labels**: every word the report prints, in every interface language;
- **figures**: what the engine computed from those facts by those definitions.

:func:`figures_from` recomputes the figures from facts and definitions, and
:func:`render_report` writes the report from figures and labels; both are deterministic, so an
approved report is reproduced byte for byte, and a snapshot can be checked against itself.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from akt.counting import columnar, engine
from akt.counting.engine import Fact

SNAPSHOT_FORMAT = 1
"""The layout of the stored facts and figures; a change of layout gets a new number."""

WINDOWS = ("quarter", "year_to_date")
"""The two columns of a quarterly report: the quarter, and its fiscal year up to its end."""

LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


# -- facts -------------------------------------------------------------------------------------


def _attr(value: engine.AttrValue) -> Any:
    return sorted(value) if isinstance(value, frozenset) else value


def fact_row(fact: Fact) -> list[Any]:
    """A fact as a JSON list: every field the engine reads, in a fixed order."""
    return [
        str(fact.source),
        fact.is_tally,
        fact.record_id,
        fact.date.isoformat(),
        fact.municipality,
        fact.activity,
        fact.person,
        fact.organization,
        fact.headcount,
        None if fact.amount is None else str(fact.amount),
        None if fact.birth_date is None else fact.birth_date.isoformat(),
        fact.birth_year,
        fact.age_band,
        sorted([name, _attr(value)] for name, value in fact.attrs.items()),
    ]


def fact_from_row(row: Sequence[Any]) -> Fact:
    (
        source,
        is_tally,
        record_id,
        day,
        municipality,
        activity,
        person,
        organization,
        headcount,
        amount,
        born,
        birth_year,
        age_band,
        attrs,
    ) = row
    return Fact(
        source=engine.Source(source),
        is_tally=is_tally,
        record_id=record_id,
        date=date.fromisoformat(day),
        municipality=municipality,
        activity=activity,
        person=person,
        organization=organization,
        headcount=headcount,
        amount=None if amount is None else Decimal(amount),
        birth_date=None if born is None else date.fromisoformat(born),
        birth_year=birth_year,
        age_band=age_band,
        attrs={
            name: frozenset(value) if isinstance(value, list) else value for name, value in attrs
        },
    )


def pack_facts(facts: Iterable[Fact]) -> tuple[bytes, str]:
    """The facts compressed, in a canonical order, and the fingerprint of that order."""
    rows = sorted((fact_row(fact) for fact in facts), key=lambda row: (row[0], row[1], row[2]))
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode(), 9), hashlib.sha256(text.encode()).hexdigest()


def unpack_facts(packed: bytes) -> list[Fact]:
    return [fact_from_row(row) for row in json.loads(zlib.decompress(packed))]


def linkage_fingerprint(facts: Iterable[Fact]) -> str:
    """A fingerprint of which person every counted roster row resolved to."""
    pairs = sorted((fact.record_id, fact.person) for fact in facts if fact.person is not None)
    return hashlib.sha256(json.dumps(pairs, separators=(",", ":")).encode()).hexdigest()


# -- definitions -------------------------------------------------------------------------------


def _dimension(name: str | Sequence[str]) -> str | list[str]:
    return name if isinstance(name, str) else list(name)


def definition_row(definition: engine.Definition) -> dict[str, Any]:
    return {
        "code": definition.code,
        "source": str(definition.source),
        "unit": str(definition.unit),
        "filters": {name: sorted(values) for name, values in sorted(definition.filters.items())},
        "disaggregations": [_dimension(name) for name in definition.disaggregations],
        "age_bands": [[band.label, band.low, band.high] for band in definition.age_bands],
    }


def definition_from_row(row: Mapping[str, Any]) -> engine.Definition:
    return engine.Definition(
        code=row["code"],
        source=engine.Source(row["source"]),
        unit=engine.Unit(row["unit"]),
        filters={name: frozenset(values) for name, values in row["filters"].items()},
        disaggregations=tuple(
            name if isinstance(name, str) else tuple(name) for name in row["disaggregations"]
        ),
        age_bands=tuple(engine.AgeBand(label, low, high) for label, low, high in row["age_bands"]),
    )


# -- figures -----------------------------------------------------------------------------------


def _number(value: int | Decimal) -> str:
    return str(value)


def result_row(result: columnar.Figures | engine.Result) -> dict[str, Any]:
    """A result's numbers (no record ids: the facts hold those) as JSON."""
    return {
        "unit": str(result.unit),
        "value": _number(result.value),
        "tally_headcount": result.tally_headcount,
        "uncounted": result.uncounted,
        "breakdowns": [
            [
                _dimension(name),
                [[_dimension(cell), _number(value)] for cell, value in cells.items()],
            ]
            for name, cells in result.breakdowns.items()
        ],
    }


def window_rows(windows: Mapping[str, engine.Window]) -> dict[str, list[str]]:
    return {
        key: [window.start.isoformat(), window.end.isoformat()] for key, window in windows.items()
    }


def figures_from(
    facts: Sequence[Fact],
    definitions: Sequence[engine.Definition],
    windows: Mapping[str, engine.Window],
) -> dict[str, dict[str, dict[str, Any]]]:
    """``{window key: {indicator code: result row}}``, computed over all records (an approved
    report is the program's, not one viewer's) by the columnar engine, as every figure is."""
    table = columnar.compute_table(definitions, columnar.from_facts(facts), windows.values())
    return {
        key: {
            definition.code: result_row(table[definition.code, window])
            for definition in definitions
        }
        for key, window in windows.items()
    }


def figure_differences(
    approved: Mapping[str, Mapping[str, Mapping[str, Any]]],
    live: Mapping[str, Mapping[str, Mapping[str, Any]]],
) -> list[dict[str, Any]]:
    """Every number that differs between the approved figures and the same computation now:
    ``{"window", "indicator", "dimension", "cell", "approved", "live"}``; dimension and cell
    are None for the indicator's value. Missing on one side counts as 0."""
    found: list[dict[str, Any]] = []
    for window in WINDOWS:
        before, after = approved.get(window, {}), live.get(window, {})
        for code in sorted(set(before) | set(after)):
            old, new = before.get(code), after.get(code)
            old_value = old["value"] if old else "0"
            new_value = new["value"] if new else "0"
            if Decimal(old_value) != Decimal(new_value):
                found.append(_difference(window, code, None, None, old_value, new_value))
            old_cells = _cells(old)
            new_cells = _cells(new)
            for key in sorted(set(old_cells) | set(new_cells), key=json.dumps):
                a, b = old_cells.get(key, "0"), new_cells.get(key, "0")
                if Decimal(a) != Decimal(b):
                    found.append(_difference(window, code, key[0], key[1], a, b))
    return found


def _cells(row: Mapping[str, Any] | None) -> dict[tuple[Any, Any], str]:
    if not row:
        return {}
    return {
        (_frozen(name), _frozen(cell)): value
        for name, cells in row["breakdowns"]
        for cell, value in cells
    }


def _frozen(value: str | list[str]) -> str | tuple[str, ...]:
    return value if isinstance(value, str) else tuple(value)


def _difference(
    window: str, code: str, dimension: Any, cell: Any, approved: str, live: str
) -> dict[str, Any]:
    return {
        "window": window,
        "indicator": code,
        "dimension": dimension,
        "cell": cell,
        "approved": approved,
        "live": live,
    }


# -- labels and the report ---------------------------------------------------------------------


def collect_labels(
    *,
    indicators: Sequence[Any],
    dimensions: Iterable[str],
    period_label: Mapping[str, str],
    approved_by: str,
    approved_on: date,
) -> dict[str, Any]:
    """Every word the report prints, in every interface language, read now and kept."""
    from akt.indicators.models import Indicator
    from akt.indicators.sheets import dimension_titles
    from akt.reports.selectors import breakdown_cell_labels, municipalities_by_id
    from akt.translation import localized

    municipalities = municipalities_by_id()
    names = set(dimensions)
    labels: dict[str, Any] = {"languages": {}}
    for language in LANGUAGES:
        with translation.override(language):
            cells = breakdown_cell_labels(names, municipalities)
            units = dict(Indicator.UNITS)
            labels["languages"][language] = {
                "title": _("AKT results for %(period)s, approved on %(date)s by %(name)s")
                % {
                    "period": period_label[language],
                    "date": approved_on.isoformat(),
                    "name": approved_by,
                },
                "columns": [
                    _("Indicator code"),
                    _("Indicator"),
                    _("Counting unit"),
                    _("Period"),
                    _("Value"),
                    _("Headcounts on tallies, not in the value"),
                ],
                "split_columns": [
                    _("Indicator code"),
                    _("Period"),
                    _("Disaggregation"),
                    _("Category"),
                    _("Value"),
                ],
                "windows": {
                    "quarter": period_label[language],
                    "year_to_date": _("Fiscal year to date"),
                },
                "unknown": _("Unknown"),
                "indicators": {item.code: localized(item, "name") for item in indicators},
                "units": {code: str(label) for code, label in units.items()},
                "dimensions": {name: str(title) for name, title in dimension_titles().items()},
                "cells": {name: dict(values) for name, values in cells.items() if name in names},
            }
    return labels


def render_report(
    figures: Mapping[str, Mapping[str, Mapping[str, Any]]],
    labels: Mapping[str, Any],
    order: Sequence[str],
    language: str,
) -> bytes:
    """The approved report as a CSV (UTF-8 with a byte order mark, for Excel), written from
    the snapshot's figures and labels only: the same snapshot gives the same bytes."""
    words = labels["languages"][language]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([words["title"]])
    writer.writerow([])
    writer.writerow(words["columns"])
    for code in order:
        for window in WINDOWS:
            row = figures[window].get(code)
            if row is None:
                continue
            writer.writerow(
                [
                    code,
                    words["indicators"].get(code, code),
                    words["units"].get(row["unit"], row["unit"]),
                    words["windows"][window],
                    row["value"],
                    row["tally_headcount"] or "",
                ]
            )
    writer.writerow([])
    writer.writerow(words["split_columns"])
    for code in order:
        for window in WINDOWS:
            row = figures[window].get(code)
            for name, cells in row["breakdowns"] if row else ():
                title = _joined(name, lambda part: words["dimensions"].get(part, part))
                for cell, value in cells:
                    writer.writerow(
                        [code, words["windows"][window], title, _cell(words, name, cell), value]
                    )
    return ("\ufeff" + out.getvalue()).encode()


def _joined(value: str | Sequence[str], word: Any) -> str:
    return word(value) if isinstance(value, str) else " × ".join(word(part) for part in value)


def _cell(words: Mapping[str, Any], name: str | Sequence[str], cell: str | Sequence[str]) -> str:
    def one(dimension: str, code: str) -> str:
        if code == engine.UNKNOWN:
            return words["unknown"]
        return words["cells"].get(dimension, {}).get(code, code)

    if isinstance(name, str):
        return one(name, cell)
    return " × ".join(one(part, code) for part, code in zip(name, cell, strict=True))


def report_fingerprint(
    figures: Mapping[str, Any], labels: Mapping[str, Any], order: Sequence[str]
) -> str:
    """One fingerprint over the report in every language."""
    digest = hashlib.sha256()
    for language in LANGUAGES:
        digest.update(render_report(figures, labels, order, language))
    return digest.hexdigest()
