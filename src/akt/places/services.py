"""Loading the places reference data that ships with the system: municipalities, communities,
and how many people of each community live in a municipality where a source says so."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Set
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from importlib import resources
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from akt.places.models import Community, CommunityPopulation, Municipality, PopulationSource
from akt.text.numbers import parse_whole_number


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("akt.places").joinpath("data", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@transaction.atomic
def places_load() -> tuple[int, int]:
    """Creates or updates the communities and the 38 municipalities. Safe to run again."""
    for order, row in enumerate(_rows("communities.csv")):
        Community.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_en": row["name_en"],
                "name_sq": row["name_sq"],
                "name_sr_latn": row["name_sr_latn"],
                "name_sr_cyrl": row["name_sr_cyrl"],
                "sort_order": order,
                "is_declared": row["is_declared"] == "yes",
            },
        )
    communities = {c.code: c for c in Community.objects.all()}
    municipalities = _rows("municipalities.csv")
    for row in municipalities:
        Municipality.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_sq": row["name_sq"],
                "name_sr_latn": row["name_sr_latn"],
                "name_sr_cyrl": row["name_sr_cyrl"],
                "latitude": Decimal(row["lat"]),
                "longitude": Decimal(row["lon"]),
                "region": row["region"],
                "is_partner": row["akt_partner"] == "yes",
                "majority_community": communities[row["majority_community"]],
                "note": row["note"],
            },
        )
    return len(communities), len(municipalities)


# --- Community populations ------------------------------------------------------------------

POPULATIONS_FILE = "community_populations.csv"
POPULATION_COLUMNS = (
    "municipality",
    "community",
    "population",
    "share",
    "of_total",
    "source",
    "reference_year",
    "citation",
    "note_en",
    "note_sq",
    "note_sr_latn",
)
SHARE_PLACES = Decimal("0.00001")  # the model keeps five decimals: 0.76477 for 76.477%
SHARE_SUM_TOLERANCE = Decimal("0.001")
"""How far a municipality's shares in one year may add up past 1: sources round their
percentages, and shares computed from counts are rounded to five decimals."""


class ReferenceDataError(ValueError):
    """A shipped reference file holds a row that cannot be loaded; the message names the row.

    Nothing is written when a file has a bad row: the whole load is one transaction.
    """


@dataclass(frozen=True)
class PopulationFigure:
    """One checked row of ``community_populations.csv``, ready to store."""

    line: int
    municipality: str
    community: str
    population: int | None
    share: Decimal | None
    source: str
    reference_year: int
    citation: str
    note_en: str = ""
    note_sq: str = ""
    note_sr_latn: str = ""
    """The note in each language (a reader of one left empty reads the English one)."""


def _bad(filename: str, line: int, problem: str) -> ReferenceDataError:
    return ReferenceDataError(
        _("%(file)s, line %(line)s: %(problem)s")
        % {"file": filename, "line": line, "problem": problem}
    )


def _whole_number(text: str, column: str) -> int | None:
    if not text:
        return None
    number = parse_whole_number(text)
    if number is None:
        raise ValueError(
            _("%(column)s must be a whole number without separators, not “%(value)s”.")
            % {"column": column, "value": text}
        )
    return number


def _parse_population_row(
    row: Mapping[str | None, Any], *, municipalities: Set[str], communities: Mapping[str, bool]
) -> PopulationFigure:
    """One row checked against the reference codes; raises ValueError saying what is wrong.

    ``row`` is a ``csv.DictReader`` row: the text of each column, and the values beyond the
    header (a list) under ``None``."""
    if row.get(None):  # csv puts values beyond the header under the key None
        raise ValueError(
            _("the line has more values than there are columns (a comma inside a number?).")
        )
    value = {name: (row.get(name) or "").strip() for name in POPULATION_COLUMNS}
    if value["municipality"] not in municipalities:
        raise ValueError(
            _("unknown municipality code “%(code)s”.") % {"code": value["municipality"]}
        )
    declared = communities.get(value["community"])
    if declared is None:
        raise ValueError(_("unknown community code “%(code)s”.") % {"code": value["community"]})
    if not declared:
        raise ValueError(
            _("“%(code)s” is not a community and cannot have a population.")
            % {"code": value["community"]}
        )
    population = _whole_number(value["population"], "population")
    of_total = _whole_number(value["of_total"], "of_total")
    share: Decimal | None = None
    if value["share"]:
        try:
            share = Decimal(value["share"])
        except InvalidOperation:
            raise ValueError(
                _("share must be a number between 0 and 1, not “%(value)s”.")
                % {"value": value["share"]}
            ) from None
        if not share.is_finite() or not Decimal(0) <= share <= Decimal(1):
            raise ValueError(
                _("share must be a number between 0 and 1, not “%(value)s”.")
                % {"value": value["share"]}
            )
        if share != share.quantize(SHARE_PLACES):
            raise ValueError(
                _("share “%(value)s” has more than five decimals.") % {"value": value["share"]}
            )
    if of_total is not None:
        if share is not None:
            raise ValueError(_("give the share or the total it is computed from, not both."))
        if population is None:
            raise ValueError(_("of_total needs the population it divides."))
        if of_total == 0 or population > of_total:
            raise ValueError(
                _("of_total (%(total)s) must be at least the population (%(population)s).")
                % {"total": of_total, "population": population}
            )
        share = (Decimal(population) / Decimal(of_total)).quantize(SHARE_PLACES, ROUND_HALF_EVEN)
    if population is None and share is None:
        raise ValueError(_("give the population, its share, or both."))
    if value["source"] not in PopulationSource.values:
        raise ValueError(
            _("source must be one of %(allowed)s, not “%(value)s”.")
            % {"allowed": ", ".join(PopulationSource.values), "value": value["source"]}
        )
    year = _whole_number(value["reference_year"], "reference_year")
    if year is None or not 1900 <= year <= 2100:
        raise ValueError(
            _("reference_year must be a year between 1900 and 2100, not “%(value)s”.")
            % {"value": value["reference_year"]}
        )
    return PopulationFigure(
        line=0,
        municipality=value["municipality"],
        community=value["community"],
        population=population,
        share=share,
        source=value["source"],
        reference_year=year,
        citation=value["citation"],
        note_en=value["note_en"],
        note_sq=value["note_sq"],
        note_sr_latn=value["note_sr_latn"],
    )


def community_populations_parse(
    text: str,
    *,
    municipalities: Set[str],
    communities: Mapping[str, bool],
    filename: str = POPULATIONS_FILE,
) -> list[PopulationFigure]:
    """The rows of a community-population file, every one checked before any is stored.

    ``municipalities`` are the known municipality codes, ``communities`` map each community code
    to whether it declares a community ("prefer not to say" does not, and has no population).
    Raises :class:`ReferenceDataError` naming the file, the line and what is wrong: an unknown
    code, a share outside 0..1, a row with neither a population nor a share, the same
    municipality, community and year twice, or a municipality's shares adding up to more than
    the whole population in one year (beyond rounding, :data:`SHARE_SUM_TOLERANCE`). A share
    may be given directly or computed from the population over ``of_total``, the total the
    source gives (the OSCE gives counts only).
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in POPULATION_COLUMNS if name not in (reader.fieldnames or ())]
    if missing:
        raise _bad(
            filename, 1, _("missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    figures: list[PopulationFigure] = []
    first_line: dict[tuple[str, str, int], int] = {}
    for row in reader:
        line = reader.line_num
        try:
            figure = _parse_population_row(
                row, municipalities=municipalities, communities=communities
            )
        except ValueError as error:
            raise _bad(filename, line, str(error)) from None
        key = (figure.municipality, figure.community, figure.reference_year)
        if key in first_line:
            raise _bad(
                filename,
                line,
                _("%(municipality)s, %(community)s, %(year)s is already given on line %(first)s.")
                % {
                    "municipality": key[0],
                    "community": key[1],
                    "year": key[2],
                    "first": first_line[key],
                },
            )
        first_line[key] = line
        figures.append(replace(figure, line=line))

    totals: dict[tuple[str, int], Decimal] = {}
    for figure in figures:
        if figure.share is not None:
            in_year = (figure.municipality, figure.reference_year)
            totals[in_year] = totals.get(in_year, Decimal(0)) + figure.share
            if totals[in_year] > 1 + SHARE_SUM_TOLERANCE:
                raise _bad(
                    filename,
                    figure.line,
                    _("the shares of %(municipality)s in %(year)s add up to more than 1.")
                    % {"municipality": in_year[0], "year": in_year[1]},
                )
    return figures


@transaction.atomic
def community_populations_load(text: str | None = None) -> int:
    """Creates or updates the community populations shipped in ``data/``. Safe to run again.

    Rows are keyed by municipality, community and reference year, so running it twice changes
    nothing and a corrected figure replaces the old one. A figure removed from the file is not
    deleted here (an administrator may have entered it); delete it in the admin. Needs the
    municipalities and communities loaded first (:func:`places_load`).
    """
    if text is None:
        text = (
            resources.files("akt.places")
            .joinpath("data", POPULATIONS_FILE)
            .read_text(encoding="utf-8")
        )
    municipalities = {m.code: m for m in Municipality.objects.all()}
    communities = {c.code: c for c in Community.objects.all()}
    figures = community_populations_parse(
        text,
        municipalities=set(municipalities),
        communities={code: c.is_declared for code, c in communities.items()},
    )
    for figure in figures:
        stored = CommunityPopulation.objects.filter(
            municipality=municipalities[figure.municipality],
            community=communities[figure.community],
            reference_year=figure.reference_year,
        ).first() or CommunityPopulation(
            municipality=municipalities[figure.municipality],
            community=communities[figure.community],
            reference_year=figure.reference_year,
        )
        stored.population = figure.population
        stored.share = figure.share
        stored.source = figure.source
        stored.citation = figure.citation
        stored.note_en = figure.note_en
        stored.note_sq = figure.note_sq
        stored.note_sr_latn = figure.note_sr_latn
        try:
            stored.full_clean()
        except ValidationError as error:
            raise _bad(POPULATIONS_FILE, figure.line, " ".join(error.messages)) from None
        stored.save()
    return len(figures)
