"""``akt results``: the program's results to date, as sentences or as JSON.

akt results                          # life of project, English
akt results --lang sr --fy 2016      # Serbian in Cyrillic (sr-latn: in Latin), as on the web
akt results --from 2015-01-01 --to 2015-12-31 --municipality Gjilani
akt results --format json
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from akt.counting import columnar, engine, uncertainty
from akt.indicators.selectors import (
    IndicatorValue,
    life_of_project,
    pending_for,
    results_compute,
)
from akt.indicators.sentences import format_expected, format_value, sentence
from akt.places.models import Municipality
from akt.places.selectors import municipality_by_name
from akt.translation import LANGUAGE_CHOICES_HELP, language_code


def _parse_date(option: str, raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            _("%(option)s must be a date in the form YYYY-MM-DD, not %(value)r.")
            % {"option": option, "value": raw}
        ) from None


def _language(name: str) -> str:
    try:
        return language_code(name)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _cell_label(
    dimension: engine.Disaggregation, cell: engine.Cell, names: dict[str, dict[str, str]]
) -> str:
    """A cell's key in the JSON: its code (a municipality's by its code); a cross-tab's cell
    joins its parts with "×", as its dimension's key does ("sex×community": "female×serb")."""
    if isinstance(dimension, str):
        return names.get(dimension, {}).get(cell, cell)
    return "×".join(
        names.get(part, {}).get(code, code) for part, code in zip(dimension, cell, strict=True)
    )


class Command(BaseCommand):
    help = "Print the program's results to date, computed from the records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lang",
            default="en",
            type=_language,
            help=f"the language of the sentences: {LANGUAGE_CHOICES_HELP}; default en",
        )
        period = parser.add_mutually_exclusive_group()
        period.add_argument("--fy", type=int, help="US fiscal year, e.g. 2016 (Oct 2015-Sep 2016)")
        period.add_argument("--from", dest="date_from", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="last day, YYYY-MM-DD")
        parser.add_argument("--municipality", help="any of its names, in any language or script")
        parser.add_argument("--format", default="text", choices=["text", "json"])

    def handle(self, *args: object, **options: object) -> None:
        language = str(options["lang"])
        with translation.override(language):
            window = self._window(options)
            municipality = self._municipality(options.get("municipality"))
            scope = engine.Coverage(frozenset({municipality.pk}) if municipality else None)
            values = results_compute(window=window, scope=scope)
            pending = pending_for(values)
            if options["format"] == "json":
                self._print_json(values, pending, window, municipality, language)
            else:
                self._print_text(values, pending, window, municipality, language)

    def _window(self, options: dict) -> engine.Window:
        fy, start, end = options.get("fy"), options.get("date_from"), options.get("date_to")
        if fy is not None:
            if options.get("date_to"):
                raise CommandError(_("--to cannot be combined with --fy."))
            if not 2000 <= fy <= 2100:
                raise CommandError(_("--fy must be a year such as 2016."))
            return engine.fiscal_year(fy)
        lop = life_of_project()
        if start is None and end is None:
            return lop
        first = _parse_date("--from", start) if start else lop.start
        last = _parse_date("--to", end) if end else lop.end
        if first > last:
            raise CommandError(_("--from must not be after --to."))
        return engine.date_range(first, last)

    def _municipality(self, name: object) -> Municipality | None:
        if not name:
            return None
        municipality = municipality_by_name(str(name))
        if municipality is None:
            raise CommandError(
                _("No municipality is called %(name)r. Use its Albanian or Serbian name.")
                % {"name": name}
            )
        return municipality

    def _print_text(
        self,
        values: list[IndicatorValue],
        pending: dict[str, uncertainty.FigurePending],
        window: engine.Window,
        municipality: Municipality | None,
        language: str,
    ) -> None:
        where = municipality.name if municipality else _("all municipalities")
        self.stdout.write(
            _("Results, %(start)s to %(end)s, %(where)s:")
            % {
                "start": date_format(window.start, "DATE_FORMAT"),
                "end": date_format(window.end, "DATE_FORMAT"),
                "where": where,
            }
        )
        for item in values:
            line = "  • " + sentence(item.indicator, item.figures.value, language)
            if item.figures.tally_headcount:
                count = item.figures.tally_headcount
                line += " " + ngettext(
                    "(plus %(count)s person counted by headcount only, who cannot be deduplicated)",
                    "(plus %(count)s people counted by headcount only, who cannot be deduplicated)",
                    count,
                ) % {"count": count}
            waiting = pending.get(item.indicator.code)
            if waiting is not None:
                line += " " + _pending_text(waiting, language)
            self.stdout.write(line)

    def _print_json(
        self,
        values: list[IndicatorValue],
        pending: dict[str, uncertainty.FigurePending],
        window: engine.Window,
        municipality: Municipality | None,
        language: str,
    ) -> None:
        municipality_codes = {str(m.pk): m.code for m in Municipality.objects.all()}
        names = {"municipality": municipality_codes}
        out = []
        for item in values:
            figures = item.figures
            row: dict[str, object] = {
                "code": item.indicator.code,
                "name": item.indicator.name,
                "unit": str(figures.unit),
                "value": _number(figures.value),
                "currency": item.indicator.currency or None,
                "sentence": sentence(item.indicator, figures.value, language),
                "window": {
                    "label": window.label,
                    "start": window.start.isoformat(),
                    "end": window.end.isoformat(),
                },
                "municipality": municipality.code if municipality else None,
                "tally_headcount": figures.tally_headcount,
                "disaggregations": {
                    "×".join(engine.dimensions_of(dimension)): {
                        _cell_label(dimension, cell, names): _number(count)
                        for cell, count in cells.items()
                    }
                    for dimension, cells in figures.breakdowns.items()
                },
            }
            waiting = pending.get(item.indicator.code)
            if waiting is not None:
                row["pending"] = _pending_json(waiting, figures, names)
            out.append(row)
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))


def _pending_text(pending: uncertainty.FigurePending, language: str) -> str:
    total = pending.total
    return ngettext(
        "(%(low)s to %(high)s while %(pairs)s pair of records awaits review; "
        "%(expected)s expected)",
        "(%(low)s to %(high)s while %(pairs)s pairs of records await review; "
        "%(expected)s expected)",
        pending.pairs,
    ) % {
        "low": format_value(total.if_all_linked, language),
        "high": format_value(total.if_none_linked, language),
        "pairs": format_value(pending.pairs, language),
        "expected": format_expected(total.expected, language),
    }


def _pending_json(
    pending: uncertainty.FigurePending,
    figures: columnar.Figures,
    names: dict[str, dict[str, str]],
) -> dict[str, object]:
    """A persons figure's range while pairs behind it await review: the figure itself is the
    count if none of them is one person; each split lists the cells a pair can change."""
    total = pending.total
    cells: dict[str, dict[str, dict[str, object]]] = {}
    for dimension, values in figures.breakdowns.items():
        changed = {
            _cell_label(dimension, cell, names): {
                "if_all_linked": pending.if_all_linked[dimension][cell],
                "expected": round(pending.expected[dimension][cell], 1),
            }
            for cell, value in values.items()
            if pending.if_all_linked[dimension][cell] < value
        }
        if changed:
            cells["×".join(engine.dimensions_of(dimension))] = changed
    return {
        "pairs": pending.pairs,
        "if_all_linked": total.if_all_linked,
        "expected": round(total.expected, 1),
        "expected_is_exact": total.exact,
        "disaggregations": cells,
    }


def _number(value: int | Decimal) -> int | float:
    return int(value) if value == int(value) else float(value)
