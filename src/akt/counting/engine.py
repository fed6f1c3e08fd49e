"""The indicator engine: what a reported number means, computed from plain rows.

This module is the single place that decides how the program counts (architecture section 4). It is
pure: it takes :class:`Fact` rows, an indicator :class:`Definition`, a reporting :class:`Window` and
the viewer's :class:`Coverage`, and returns a :class:`Result`. It knows nothing of Django or of the
database; a thin layer beside the models turns records into facts (one fact per roster row, tally
cell, grant, activity, plan, project) and feeds them here. That keeps every counting rule testable
without a database and the same for pages, exports, the API and drill-downs.

What the engine promises:

- A fact counts towards an indicator when it is of the indicator's source, dated inside the window
  (both ends inclusive), inside the scope's municipalities, and passes every filter.
- Each unit counts one thing (see :class:`Unit`): activities, attendances and records and amounts
  add up over sub-periods; persons and organizations are distinct over the whole window, so the
  fiscal-year value of a person indicator is not the sum of its quarters when people come back.
- Tallies (anonymous headcounts) cannot be deduplicated: a persons indicator reports their
  headcount beside the number (:attr:`Result.tally_headcount`) and never inside it.
- Every disaggregation has an ``UNKNOWN`` cell and its cells add up to the value, so nothing falls
  out of a report because a field was empty. A disaggregation is one dimension (``"sex"``) or a
  cross-tabulation of several (``("sex", "community")``), whose cells are keyed by the tuple of
  the dimensions' cells; every dimension of it keeps its ``UNKNOWN``.
- Every number names the records and activities behind it, for drill-down.

``columnar.py`` computes the same numbers over many windows at once from column arrays; this
module stays the reference: simple enough to read as the specification, and what the columnar
engine is tested against.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

UNKNOWN = "unknown"
"""The breakdown cell for facts whose value for a dimension is missing (None or empty)."""

MAX_PLAUSIBLE_AGE = 120
"""Ages above this (a typo in a birth year) are treated as unknown, like negative ages."""

ASSUMED_BIRTHDAY = (7, 1)
"""Month and day assumed when only a birth year is known: 1 July, the middle of the year, so the
age is off by at most half a year either way rather than always in the same direction."""


class Unit(StrEnum):
    """What an indicator counts. Mixing these up is the most common error in this field."""

    ACTIVITIES = "activities"  # distinct activity ids
    ATTENDANCES = "attendances"  # roster rows plus tally headcounts
    PERSONS = "persons"  # distinct resolved persons on rosters (tallies reported beside)
    ORGANIZATIONS = "organizations"  # distinct organization ids
    AMOUNT = "amount"  # sum of a money field
    RECORDS = "records"  # distinct records (grants, plans, projects, ...)


class Source(StrEnum):
    """Which kind of record a fact stands for."""

    ACTIVITIES = "activities"
    ATTENDANCE = "attendance"
    GRANTS = "grants"
    PLANS = "plans"
    PROJECTS = "projects"
    ENTERED = "entered"
    """A figure entered from a document rather than counted from records: an outcome such as
    the property tax a municipality collected in a year, one value per period, place and cell,
    dated on its period's last day. Only summed (:attr:`Unit.AMOUNT`): an entered value is an
    amount, not a record or an organization to count."""


AttrValue = str | frozenset[str] | None

Disaggregation = str | tuple[str, ...]
"""One dimension (``"sex"``) or a cross-tabulation of several (``("sex", "age_band")``)."""

Cell = str | tuple[str, ...]
"""A breakdown cell: a dimension's value, or for a cross-tabulation the tuple of its values."""

# Which sources each unit can be counted from. Persons and attendances only exist on attendance
# (rosters and tallies); activities can be counted from activity records or from the attendance
# at them ("activities attended by women"); organizations, amounts and records can come from any
# source of records that carries them (grant recipients and amounts, project budgets, adopted
# plans). Entered values are only added up: counting them would count entries, not results.
_RECORD_SOURCES = frozenset(Source) - {Source.ENTERED}
_SOURCES_FOR_UNIT: Mapping[Unit, frozenset[Source]] = MappingProxyType(
    {
        Unit.ACTIVITIES: frozenset({Source.ACTIVITIES, Source.ATTENDANCE}),
        Unit.ATTENDANCES: frozenset({Source.ATTENDANCE}),
        Unit.PERSONS: frozenset({Source.ATTENDANCE}),
        Unit.ORGANIZATIONS: _RECORD_SOURCES,
        Unit.AMOUNT: frozenset(Source),
        Unit.RECORDS: _RECORD_SOURCES,
    }
)

# Dimensions that describe a person. An activity has no sex, age or community, so counting
# activities by them would silently mean "by the first attendee"; the definition refuses it.
PERSON_DIMENSIONS = frozenset(
    {"sex", "age_band", "community", "affiliation", "local_status", "national_status"}
)


# --- Community status -------------------------------------------------------------------------

MAJORITY = "majority"
NON_MAJORITY = "non_majority"

NATIONAL_MAJORITY_COMMUNITY = "albanian"
"""Kosovo's national majority community (the code in ``places/data/communities.csv``)."""


def local_status(
    community: str | None, municipality_majority: str | None, *, declared: bool = True
) -> str | None:
    """Whether a person belongs to the majority community of the municipality a fact counts in.

    ``"majority"`` when the person's community is the municipality's majority community,
    ``"non_majority"`` when it is another community; None (the ``UNKNOWN`` cell) when the person
    declared no community (empty, or "prefer not to say": ``declared`` false) or the municipality
    has no majority community recorded. The municipality is the fact's, that is the activity's,
    not the person's residence: an Albanian at a debate in Zvečan is non-majority there. The
    feeding layer (``indicators/fact_reader.py``, ``column_reader.py``) fills the
    ``local_status`` attribute with this.
    """
    if not community or not declared or not municipality_majority:
        return None
    return MAJORITY if community == municipality_majority else NON_MAJORITY


def national_status(community: str | None, *, declared: bool = True) -> str | None:
    """Whether a person belongs to Kosovo's national majority community (Albanian).

    ``"majority"`` for an Albanian, ``"non_majority"`` for any other declared community ("other"
    included); None (``UNKNOWN``) when no community was declared or "prefer not to say" was. Fed
    as the ``national_status`` attribute, like :func:`local_status`.
    """
    if not community or not declared:
        return None
    return MAJORITY if community == NATIONAL_MAJORITY_COMMUNITY else NON_MAJORITY


@dataclass(frozen=True, slots=True)
class Fact:
    """One countable record, as the Django layer hands it to the engine.

    ``record_id`` is unique within its source, with roster rows and tally cells kept apart: the
    identity of a fact is ``(source, is_tally, record_id)``. ``date`` is the date the record counts
    on: the activity's start date for attendance, the award date for a grant, the adoption date
    for a plan, the last day of its period for an entered value. ``headcount`` is 1 for every
    fact except a tally cell, which carries its count; a tally cell is anonymous, so it never
    has a ``person``. ``attrs`` holds the named attributes filters and disaggregations read
    (``sex``, ``community``, ``kind``, ``component``, ``topics`` as a frozenset, ...); values
    are strings, frozensets of strings, or None.
    """

    source: Source
    record_id: int
    date: datetime.date  # spelled out: the field's name hides the type inside the class
    municipality: int | None
    activity: int | None = None
    person: int | None = None
    organization: int | None = None
    headcount: int = 1
    amount: Decimal | None = None
    is_tally: bool = False
    birth_date: datetime.date | None = None
    birth_year: int | None = None
    age_band: str | None = None
    attrs: Mapping[str, AttrValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        where = f"{self.source} record {self.record_id}"
        if self.headcount < 0:
            raise ValueError(f"{where}: headcount cannot be negative ({self.headcount})")
        if self.is_tally and self.person is not None:
            raise ValueError(f"{where}: a tally cell is anonymous and cannot name a person")
        if not self.is_tally and self.headcount != 1:
            raise ValueError(f"{where}: only a tally cell has a headcount other than 1")
        if self.amount is not None and not isinstance(self.amount, Decimal):
            raise TypeError(f"{where}: amount must be a Decimal, not {type(self.amount).__name__}")
        for key, value in self.attrs.items():
            if value is None or isinstance(value, str):
                continue
            if isinstance(value, frozenset) and all(isinstance(item, str) for item in value):
                continue
            raise TypeError(
                f"{where}: attribute {key!r} must be a string, a frozenset of strings or None, "
                f"not {value!r}"
            )


# --- Age --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgeBand:
    """An age band in full years, both ends inclusive; ``high=None`` means open-ended."""

    label: str
    low: int
    high: int | None = None

    def __post_init__(self) -> None:
        if not self.label or self.label == UNKNOWN:
            raise ValueError(f"age band label must be a non-empty name other than {UNKNOWN!r}")
        if self.low < 0:
            raise ValueError(f"age band {self.label!r}: low must be >= 0")
        if self.high is not None and self.high < self.low:
            raise ValueError(f"age band {self.label!r}: high must be >= low")

    def contains(self, age: int) -> bool:
        return self.low <= age and (self.high is None or age <= self.high)


DEFAULT_AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("0-14", 0, 14),
    AgeBand("15-29", 15, 29),
    AgeBand("30+", 30, None),
)
"""USAID's youth band (15-29) and 30+, with children below so every age has a band."""


def age_on(
    day: date, *, birth_date: date | None = None, birth_year: int | None = None
) -> int | None:
    """Age in full years on ``day``, or None when it is unknown or implausible.

    A full birth date wins over a birth year. With only a birth year the birthday is assumed to be
    1 July (:data:`ASSUMED_BIRTHDAY`). A 29 February birthday is reached on 1 March in common
    years. A negative age (born after the day) or one above :data:`MAX_PLAUSIBLE_AGE` is a data
    error and gives None, never a number that would land in a band.
    """
    if birth_date is not None:
        born = (birth_date.year, birth_date.month, birth_date.day)
    elif birth_year is not None:
        born = (birth_year, *ASSUMED_BIRTHDAY)
    else:
        return None
    age = day.year - born[0] - ((day.month, day.day) < born[1:])
    if age < 0 or age > MAX_PLAUSIBLE_AGE:
        return None
    return age


def band_for_age(age: int | None, bands: Iterable[AgeBand] = DEFAULT_AGE_BANDS) -> str | None:
    """The label of the first band containing ``age``, or None."""
    if age is None:
        return None
    for band in bands:
        if band.contains(age):
            return band.label
    return None


def fact_age_band(fact: Fact, bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS) -> str | None:
    """The fact's age band among ``bands``, or None when unknown.

    Age is taken on the fact's date (the activity date), from the birth date or birth year. When
    that gives nothing, a preset band label carried by the fact (a tally cell's column) is used if
    it is one of ``bands``; a preset label the indicator's bands do not know (say "15-24" under
    "15-29") cannot be split or merged honestly and is unknown.
    """
    label = band_for_age(
        age_on(fact.date, birth_date=fact.birth_date, birth_year=fact.birth_year), bands
    )
    if label is not None:
        return label
    if fact.age_band is not None and any(band.label == fact.age_band for band in bands):
        return fact.age_band
    return None


def _check_age_bands(code: str, bands: tuple[AgeBand, ...]) -> None:
    """Bands must cover every age exactly once: from 0, contiguous, the last open-ended."""
    if not bands:
        raise ValueError(f"indicator {code!r}: at least one age band is needed")
    labels = [band.label for band in bands]
    if len(set(labels)) != len(labels):
        raise ValueError(f"indicator {code!r}: age band labels must be unique: {labels}")
    expected_low: int | None = 0
    for band in bands:
        if expected_low is None or band.low != expected_low:
            raise ValueError(
                f"indicator {code!r}: age bands must run from 0 upwards without gaps or overlaps "
                f"(band {band.label!r} starts at {band.low}, expected {expected_low})"
            )
        expected_low = None if band.high is None else band.high + 1
    if expected_low is not None:
        raise ValueError(f"indicator {code!r}: the last age band must be open-ended (high=None)")


# --- Windows ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    """A reporting period, both ends inclusive."""

    start: date
    end: date
    label: str

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"window {self.label!r}: start {self.start} is after end {self.end}")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def fiscal_year(fy: int) -> Window:
    """The US government fiscal year: FY2016 is 1 October 2015 to 30 September 2016."""
    return Window(date(fy - 1, 10, 1), date(fy, 9, 30), f"FY{fy}")


# First and last (month, day) of each fiscal quarter; Q1 lies in the previous calendar year.
_QUARTER_BOUNDS = {
    1: ((10, 1), (12, 31)),
    2: ((1, 1), (3, 31)),
    3: ((4, 1), (6, 30)),
    4: ((7, 1), (9, 30)),
}


def fiscal_quarter(fy: int, q: int) -> Window:
    """Quarter ``q`` of fiscal year ``fy``: Q1 Oct-Dec of fy-1, Q2 Jan-Mar, Q3 Apr-Jun, Q4 Jul-Sep.

    FY2016 Q1 is October to December 2015; AKT started in FY2014 Q3 (April to June 2014).
    """
    if q not in _QUARTER_BOUNDS:
        raise ValueError(f"fiscal quarter must be 1 to 4, not {q}")
    (first_month, first_day), (last_month, last_day) = _QUARTER_BOUNDS[q]
    year = fy - 1 if q == 1 else fy
    return Window(
        date(year, first_month, first_day), date(year, last_month, last_day), f"FY{fy} Q{q}"
    )


def calendar_year(year: int) -> Window:
    """The calendar year, Kosovo's government and municipal budget year; labelled "CY2016"."""
    return Window(date(year, 1, 1), date(year, 12, 31), f"CY{year}")


def date_range(start: date, end: date, label: str | None = None) -> Window:
    """Any inclusive range, such as the life of project; raises ValueError if start > end."""
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    return Window(start, end, label if label is not None else f"{start}..{end}")


def fiscal_year_of(day: date) -> int:
    """The fiscal year a day falls in (October starts the next fiscal year)."""
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_quarter_of(day: date) -> tuple[int, int]:
    """``(fiscal year, quarter)`` of a day."""
    return fiscal_year_of(day), (day.month - 10) % 12 // 3 + 1


def _clip(part: Window, whole: Window) -> Window:
    return Window(max(part.start, whole.start), min(part.end, whole.end), part.label)


def fiscal_quarters(window: Window) -> list[Window]:
    """The fiscal quarters the window touches, in order, each clipped to the window.

    Clipping keeps a partial first or last quarter (AKT starts in FY2014 Q3 and ends in FY2017 Q3)
    inside the window, so for additive units the quarters' values add up to the window's value.
    A clipped quarter keeps its quarter label.
    """
    fy, q = fiscal_quarter_of(window.start)
    last = fiscal_quarter_of(window.end)
    quarters = []
    while (fy, q) <= last:
        quarters.append(_clip(fiscal_quarter(fy, q), window))
        fy, q = (fy, q + 1) if q < 4 else (fy + 1, 1)
    return quarters


def fiscal_years(window: Window) -> list[Window]:
    """The fiscal years the window touches, in order, each clipped to the window."""
    return [
        _clip(fiscal_year(fy), window)
        for fy in range(fiscal_year_of(window.start), fiscal_year_of(window.end) + 1)
    ]


def tracking_windows(lop: Window) -> list[Window]:
    """The windows of an indicator tracking table: ``lop`` itself, then each fiscal year it
    touches followed by that year's quarters it touches.

    Fiscal years and quarters keep their full bounds (as the reports' period menu does): a
    quarter is the same three months whichever program it is read for; facts outside the
    program's life, if any, count in them as they would in any report of that quarter.
    """
    windows = [lop]
    for fy in range(fiscal_year_of(lop.start), fiscal_year_of(lop.end) + 1):
        windows.append(fiscal_year(fy))
        for quarter in fiscal_quarters(_clip(fiscal_year(fy), lop)):
            windows.append(fiscal_quarter(*fiscal_quarter_of(quarter.start)))
    return windows


# --- Definitions, scope, results --------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    """How one indicator is counted: from which source, in which unit, over which facts.

    ``filters`` maps a dimension to its allowed values. A fact passes when its value is one of
    them; a set-valued attribute (``topics``) passes when it shares at least one value; a missing
    value (None or empty) never passes. Filters and disaggregations read a fact the same way:
    ``age_band`` (derived from the birth date, see :func:`fact_age_band`), ``municipality`` (the
    fact's municipality id as a string), otherwise the attribute of that name in ``Fact.attrs``.

    ``disaggregations`` names the splits of the value. Each is one dimension (``"sex"``) or a
    cross-tabulation, a tuple of two or more distinct dimensions (``("sex", "community")``); a
    list (as JSON stores it) is taken as a tuple and a one-name tuple as the plain name. Person
    dimensions (:data:`PERSON_DIMENSIONS`: sex, age band, community, affiliation, local and
    national status) make no sense for activities and are refused for that unit, alone or in a
    cross-tabulation; any other name is read from the facts' attributes. A set-valued attribute
    cannot be a disaggregation (a fact would land in several cells); :func:`compute` raises
    ValueError when it meets one.

    ``age_bands`` must cover every age exactly once (from 0, contiguous, last one open), so every
    known age lands in one band and the split adds up.
    """

    code: str
    source: Source
    unit: Unit
    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)
    disaggregations: tuple[Disaggregation, ...] = ()
    age_bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS

    def __post_init__(self) -> None:
        code = self.code
        if not isinstance(code, str) or not code:
            raise ValueError("an indicator needs a non-empty code")
        try:
            source, unit = Source(self.source), Unit(self.unit)
        except ValueError as error:
            raise ValueError(f"indicator {code!r}: {error}") from None
        if source not in _SOURCES_FOR_UNIT[unit]:
            allowed = ", ".join(sorted(_SOURCES_FOR_UNIT[unit]))
            raise ValueError(
                f"indicator {code!r}: unit {unit.value!r} cannot be counted from source "
                f"{source.value!r} (allowed: {allowed})"
            )
        bands = tuple(self.age_bands)
        _check_age_bands(code, bands)

        filters: dict[str, frozenset[str]] = {}
        for name, allowed_values in dict(self.filters).items():
            if not isinstance(name, str) or not name:
                raise ValueError(f"indicator {code!r}: filter names must be non-empty strings")
            if isinstance(allowed_values, str):
                raise ValueError(
                    f"indicator {code!r}: filter {name!r} needs a set of values, not the string "
                    f"{allowed_values!r}"
                )
            values = frozenset(allowed_values)
            if not values:
                raise ValueError(f"indicator {code!r}: filter {name!r} allows no value at all")
            if not all(isinstance(value, str) for value in values):
                raise ValueError(f"indicator {code!r}: filter {name!r} values must be strings")
            if name == "age_band" and not values <= {band.label for band in bands}:
                raise ValueError(
                    f"indicator {code!r}: age_band filter {sorted(values)} names bands that are "
                    f"not among {[band.label for band in bands]}"
                )
            filters[name] = values

        if isinstance(self.disaggregations, str):
            raise ValueError(
                f"indicator {code!r}: disaggregations need a list of dimensions, not the string "
                f"{self.disaggregations!r}"
            )
        dimensions = tuple(_disaggregation(code, item) for item in self.disaggregations)
        if len(set(dimensions)) != len(dimensions):
            raise ValueError(f"indicator {code!r}: a disaggregation is repeated: {dimensions}")
        if unit is Unit.ACTIVITIES:
            named = {name for item in dimensions for name in dimensions_of(item)}
            personal = sorted(PERSON_DIMENSIONS.intersection(named))
            if personal:
                raise ValueError(
                    f"indicator {code!r}: activities cannot be disaggregated by {personal}; "
                    "count attendances or persons for that"
                )

        object.__setattr__(self, "source", source)
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "filters", MappingProxyType(filters))
        object.__setattr__(self, "disaggregations", dimensions)
        object.__setattr__(self, "age_bands", bands)


def dimensions_of(disaggregation: Disaggregation) -> tuple[str, ...]:
    """The dimensions of a disaggregation: ``("sex",)`` for ``"sex"``, a cross-tab's own tuple."""
    return (disaggregation,) if isinstance(disaggregation, str) else disaggregation


def _disaggregation(code: str, item: object) -> Disaggregation:
    """One disaggregation checked and normalized: a name, or a tuple of two or more names."""
    if isinstance(item, str):
        names: tuple[object, ...] = (item,)
    elif isinstance(item, (tuple, list)):
        names = tuple(item)
    else:
        raise ValueError(
            f"indicator {code!r}: a disaggregation is a dimension name or a list of them, "
            f"not {item!r}"
        )
    if not names or not all(isinstance(name, str) and name for name in names):
        raise ValueError(f"indicator {code!r}: disaggregations must be non-empty strings")
    if len(set(names)) != len(names):
        raise ValueError(f"indicator {code!r}: a cross-tabulation repeats a dimension: {names}")
    if len(names) == 1:
        return names[0]  # type: ignore[return-value]
    return names  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Coverage:
    """What the viewer may see: ``municipalities=None`` means all of them.

    A restricted scope admits only facts of its municipalities; a fact with no municipality is
    outside every restricted scope (a focal point sees only what is attributed to them).
    """

    municipalities: frozenset[int] | None = None

    def __post_init__(self) -> None:
        if self.municipalities is not None:
            object.__setattr__(self, "municipalities", frozenset(self.municipalities))

    def allows(self, municipality: int | None) -> bool:
        return self.municipalities is None or municipality in self.municipalities


FULL_COVERAGE = Coverage()
"""The unrestricted scope (every municipality, and facts with none)."""


@dataclass(frozen=True)
class Result:
    """One indicator's value over one window, with its splits and the records behind it.

    ``value`` is an int, or a Decimal for :attr:`Unit.AMOUNT`. ``breakdowns`` maps each of the
    definition's disaggregations to its cells; every dimension has an ``UNKNOWN`` cell (0 when
    empty) and its cells add up to ``value``. Cells come in a stable order: age bands in band
    order (every band, 0 when empty), other dimensions' values sorted, ``UNKNOWN`` last; a value
    has a cell when a counted record carries it.

    A cross-tabulation (``("sex", "community")``) is keyed by that tuple and its cells by the
    tuple of the dimensions' cells (``("female", "serb")``). Its cells are every combination of
    the cells each dimension would have alone, in that order (the first dimension varies
    slowest), zeros included; so summing over the other dimensions gives exactly the dimension's
    own breakdown, and every dimension keeps its ``UNKNOWN``.

    ``tally_headcount`` is, for a persons indicator, the headcount on the tally cells that pass
    the window, scope and filters; it is NOT part of ``value`` (anonymous heads cannot be
    deduplicated against named persons) and is to be shown beside it. It is 0 for other units.

    ``record_ids`` are the non-tally records behind the number and ``tally_record_ids`` the tally
    cells behind it (the two id spaces are separate tables); ``activity_ids`` the activities they
    belong to. ``uncounted`` is how many records passed the window, scope and filters but could not
    be counted because the field the unit counts is empty (a roster row with no resolved person, a
    grant with no amount, an attendance row with no organization): a data-quality signal.
    """

    code: str
    unit: Unit
    window: Window
    value: int | Decimal
    breakdowns: Mapping[Disaggregation, Mapping[Cell, int | Decimal]]
    tally_headcount: int
    activity_ids: frozenset[int]
    record_ids: frozenset[int]
    tally_record_ids: frozenset[int] = frozenset()
    uncounted: int = 0
    first_facts: tuple[Fact, ...] = field(default=(), compare=False, repr=False)
    """For a distinct unit (persons, organizations, activities), the fact each counted entity is
    counted by, its first in the window, in first-fact order: what the breakdown cells are read
    from, and what a pending review pair is weighed against (``uncertainty.py``). Not compared,
    as it restates the numbers; :meth:`columnar.Table.result` leaves it empty."""


# --- Computing --------------------------------------------------------------------------------


def compute(
    definition: Definition, facts: Iterable[Fact], window: Window, scope: Coverage = FULL_COVERAGE
) -> Result:
    """Compute one indicator over one window within the viewer's scope.

    Facts outside the window (by date, inclusive), outside the scope, of another source or failing
    a filter do not count. Tally cells with a headcount of 0 are treated as absent.

    - ACTIVITIES: distinct activity ids.
    - ATTENDANCES: sum of headcounts (1 per roster row, n per tally cell).
    - PERSONS: distinct person ids on non-tally facts; tally headcount goes to
      ``tally_headcount``, never into the value.
    - ORGANIZATIONS: distinct organization ids.
    - AMOUNT: sum of amounts, as a Decimal; currencies are not converted, so the definition must
      filter to the indicator's currency (or the feeding layer convert) when they are mixed.
    - RECORDS: distinct records.

    Breakdowns: for additive units (attendances, amount, records) each fact's contribution goes
    to its own cell. For distinct units (persons, organizations, activities) each counted entity
    lands in exactly one cell, that of its FIRST fact in the window: the earliest date, then the
    non-tally record before the tally cell, then the lowest record id. So a person who was 29 at
    their first training and 30 at their second counts once, as 15-29, and the cells always add up
    to the value. A missing value lands in ``UNKNOWN``. A cross-tabulation places each
    contribution (or each entity's first fact) in the tuple of its dimensions' cells, so its
    cells add up to the value too and its margins are the single dimensions' breakdowns.

    Raises ValueError on two facts with the same identity ``(source, is_tally, record_id)``: the
    same record fed twice would count twice.
    """
    return compute_many([definition], facts, window, scope)[definition.code]


def compute_many(
    definitions: Iterable[Definition],
    facts: Iterable[Fact],
    window: Window,
    scope: Coverage = FULL_COVERAGE,
) -> dict[str, Result]:
    """Compute several indicators over the same window and scope, keyed by indicator code.

    The facts are read once (they may be a one-shot iterator): they are sorted into their source,
    checked for duplicates, and cut to the window and scope once per source; each definition then
    applies its own filters. Results are the same as calling :func:`compute` for each definition.
    """
    wanted = tuple(definitions)
    codes = [definition.code for definition in wanted]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise ValueError(f"indicator codes must be unique: {repeated}")
    in_view = _facts_in_view(facts, {definition.source for definition in wanted}, window, scope)
    return {
        definition.code: _evaluate(definition, in_view[definition.source], window)
        for definition in wanted
    }


def _first_fact_order(fact: Fact) -> tuple[date, bool, int]:
    return fact.date, fact.is_tally, fact.record_id


def _facts_in_view(
    facts: Iterable[Fact], sources: set[Source], window: Window, scope: Coverage
) -> dict[Source, list[Fact]]:
    """Facts of the given sources inside the window and scope, each list in first-fact order."""
    kept: dict[Source, list[Fact]] = {source: [] for source in sources}
    seen: dict[Source, set[tuple[bool, int]]] = {source: set() for source in sources}
    for fact in facts:
        bucket = kept.get(fact.source)
        if bucket is None:
            continue
        identity = (fact.is_tally, fact.record_id)
        if identity in seen[fact.source]:
            kind = "tally cell" if fact.is_tally else "record"
            raise ValueError(f"{fact.source} {kind} {fact.record_id} is fed to the engine twice")
        seen[fact.source].add(identity)
        if (
            window.start <= fact.date <= window.end
            and scope.allows(fact.municipality)
            and fact.headcount > 0
        ):
            bucket.append(fact)
    for bucket in kept.values():
        bucket.sort(key=_first_fact_order)
    return kept


def _read(fact: Fact, name: str, bands: tuple[AgeBand, ...]) -> AttrValue:
    """A fact's value for a filter or disaggregation; empty strings count as missing."""
    if name == "age_band":
        return fact_age_band(fact, bands)
    if name == "municipality":
        return None if fact.municipality is None else str(fact.municipality)
    value = fact.attrs.get(name)
    return None if value == "" else value


def _passes(value: AttrValue, allowed: frozenset[str]) -> bool:
    if value is None:
        return False
    if isinstance(value, frozenset):
        return not allowed.isdisjoint(value)
    return value in allowed


# What a distinct unit counts: the entity key of a fact, None when the fact has none.
_ENTITY_OF: Mapping[Unit, Callable[[Fact], Hashable | None]] = MappingProxyType(
    {
        Unit.ACTIVITIES: lambda fact: fact.activity,
        Unit.PERSONS: lambda fact: fact.person,
        Unit.ORGANIZATIONS: lambda fact: fact.organization,
    }
)

# What a fact adds to an additive unit, None when it has nothing to add.
_CONTRIBUTION_OF: Mapping[Unit, Callable[[Fact], int | Decimal | None]] = MappingProxyType(
    {
        Unit.ATTENDANCES: lambda fact: fact.headcount,
        Unit.AMOUNT: lambda fact: fact.amount,
        Unit.RECORDS: lambda fact: 1,
    }
)


def _evaluate(definition: Definition, facts: list[Fact], window: Window) -> Result:
    """Count ``facts`` (already in window and scope, in first-fact order) for one definition."""
    unit, bands = definition.unit, definition.age_bands
    zero: int | Decimal = Decimal(0) if unit is Unit.AMOUNT else 0
    selected = [
        fact
        for fact in facts
        if all(
            _passes(_read(fact, name, bands), allowed)
            for name, allowed in definition.filters.items()
        )
    ]

    counted: list[tuple[Fact, int | Decimal]] = []  # what lands in the breakdown cells
    behind: list[Fact] = []  # every record behind the number (drill-down)
    tally_headcount = 0
    uncounted = 0
    if unit in _ENTITY_OF:
        entity_of = _ENTITY_OF[unit]
        first_fact: dict[Hashable, Fact] = {}
        for fact in selected:
            if unit is Unit.PERSONS and fact.is_tally:
                tally_headcount += fact.headcount
                behind.append(fact)
                continue
            entity = entity_of(fact)
            if entity is None:
                uncounted += 1
                continue
            behind.append(fact)
            first_fact.setdefault(entity, fact)  # facts come in first-fact order
        counted = [(fact, 1) for fact in first_fact.values()]
        value: int | Decimal = len(first_fact)
    else:
        contribution_of = _CONTRIBUTION_OF[unit]
        for fact in selected:
            contribution = contribution_of(fact)
            if contribution is None:
                uncounted += 1
                continue
            behind.append(fact)
            counted.append((fact, contribution))
        value = sum((contribution for _, contribution in counted), start=zero)

    breakdowns = {
        name: _breakdown(definition, name, counted, zero) for name in definition.disaggregations
    }
    return Result(
        code=definition.code,
        unit=unit,
        window=window,
        value=value,
        breakdowns=MappingProxyType(breakdowns),
        tally_headcount=tally_headcount,
        activity_ids=frozenset(fact.activity for fact in behind if fact.activity is not None),
        record_ids=frozenset(fact.record_id for fact in behind if not fact.is_tally),
        tally_record_ids=frozenset(fact.record_id for fact in behind if fact.is_tally),
        uncounted=uncounted,
        first_facts=tuple(fact for fact, _ in counted) if unit in _ENTITY_OF else (),
    )


def compute_cell(
    definition: Definition,
    facts: Iterable[Fact],
    window: Window,
    disaggregation: Disaggregation,
    cell: Cell,
    scope: Coverage = FULL_COVERAGE,
) -> Result:
    """One cell of one disaggregation opened up: its value and the records behind it.

    The cell's records are those that put something in it: for an additive unit the facts
    counted in the cell; for a distinct unit every record of each entity whose FIRST fact in the
    window lands in the cell (the rule :func:`compute` splits by), so a person counted as 15-29
    is listed with all their attendances of the window and never under 30+ as well. The result
    has no breakdowns and no tally headcount (a tally cell names nobody); its ``value`` equals
    the cell of :func:`compute`'s breakdown.
    """
    if disaggregation not in definition.disaggregations:
        raise ValueError(f"indicator {definition.code!r} is not split by {disaggregation!r}")
    names = dimensions_of(disaggregation)
    wanted = (cell,) if isinstance(cell, str) else tuple(cell)
    plain = dataclasses.replace(definition, disaggregations=())
    in_view = _facts_in_view(facts, {definition.source}, window, scope)[definition.source]
    bands = definition.age_bands
    selected = [
        fact
        for fact in in_view
        if all(
            _passes(_read(fact, name, bands), allowed)
            for name, allowed in definition.filters.items()
        )
    ]

    def lands(fact: Fact) -> bool:
        return tuple(_cell(definition, fact, name) for name in names) == wanted

    if definition.unit in _ENTITY_OF:
        entity_of = _ENTITY_OF[definition.unit]
        first: dict[Hashable, Fact] = {}
        for fact in selected:
            if fact.is_tally and definition.unit is Unit.PERSONS:
                continue
            entity = entity_of(fact)
            if entity is not None:
                first.setdefault(entity, fact)
        chosen = {entity for entity, fact in first.items() if lands(fact)}
        kept = [
            fact
            for fact in selected
            if not (fact.is_tally and definition.unit is Unit.PERSONS) and entity_of(fact) in chosen
        ]
    else:
        kept = [fact for fact in selected if lands(fact)]
    result = _evaluate(plain, kept, window)
    return dataclasses.replace(result, uncounted=0)


def fact_cell(definition: Definition, fact: Fact, disaggregation: Disaggregation) -> Cell:
    """The cell of ``disaggregation`` a counted fact lands in, as :attr:`Result.breakdowns`
    keys it: a dimension's value, a cross-tabulation's tuple; a missing value is ``UNKNOWN``."""
    if isinstance(disaggregation, str):
        return _cell(definition, fact, disaggregation)
    return tuple(_cell(definition, fact, name) for name in disaggregation)


def _cell(definition: Definition, fact: Fact, name: str) -> str:
    """The cell of one dimension a counted fact lands in; a missing value is ``UNKNOWN``."""
    value = _read(fact, name, definition.age_bands)
    if isinstance(value, frozenset):
        raise ValueError(
            f"indicator {definition.code!r}: cannot disaggregate by {name!r}, a set-valued "
            "attribute (a record would land in several cells); filter by it instead"
        )
    return UNKNOWN if value is None else value


def cell_order(name: str, seen: Iterable[str], bands: tuple[AgeBand, ...]) -> list[str]:
    """The cells of one dimension in report order, given the values the counted facts carry.

    Age bands: every band in band order (0 when empty); other dimensions: the values seen,
    sorted; ``UNKNOWN`` last, always.
    """
    known = set(seen) - {UNKNOWN}
    first: list[str] = []
    if name == "age_band":
        first = [band.label for band in bands]
        known -= set(first)
    return [*first, *sorted(known), UNKNOWN]


def _breakdown(
    definition: Definition,
    disaggregation: Disaggregation,
    counted: list[tuple[Fact, int | Decimal]],
    zero: int | Decimal,
) -> Mapping[Cell, int | Decimal]:
    """The cells of one disaggregation in a stable order (see :class:`Result`)."""
    names = dimensions_of(disaggregation)
    sums: dict[tuple[str, ...], int | Decimal] = {}
    for fact, contribution in counted:
        key = tuple(_cell(definition, fact, name) for name in names)
        sums[key] = sums.get(key, zero) + contribution
    orders = [
        cell_order(name, {key[position] for key in sums}, definition.age_bands)
        for position, name in enumerate(names)
    ]
    if isinstance(disaggregation, str):
        return MappingProxyType({cell: sums.get((cell,), zero) for cell in orders[0]})
    return MappingProxyType({key: sums.get(key, zero) for key in itertools.product(*orders)})


# --- Reshaping a breakdown for a report -------------------------------------------------------

OTHER = "other"
"""The cell that small categories are merged into by :func:`merge_small_cells`."""


def _marginal_orders(keys: Iterable[tuple[str, ...]], width: int) -> list[list[str]]:
    """Each position's cells in the order they first appear among ``keys``."""
    orders: list[dict[str, None]] = [{} for _ in range(width)]
    for key in keys:
        for position, cell in enumerate(key):
            orders[position].setdefault(cell, None)
    return [list(order) for order in orders]


def _as_keys(
    cells: Mapping[Cell, int | Decimal], position: int | None
) -> tuple[dict[tuple[str, ...], int | Decimal], int, bool]:
    """Cells keyed by tuples (a single dimension's cells as 1-tuples), the position to work on,
    and whether the keys were plain strings."""
    plain = all(isinstance(key, str) for key in cells)
    if plain:
        if position not in (None, 0):
            raise ValueError("a single dimension's cells have only position 0")
        return {(key,): value for key, value in cells.items()}, 0, True  # type: ignore[misc]
    if position is None:
        raise ValueError("say which dimension of a cross-tabulation to work on (position)")
    keyed = {key: value for key, value in cells.items() if isinstance(key, tuple)}
    if len(keyed) != len(cells) or not all(0 <= position < len(key) for key in keyed):
        raise ValueError(f"position {position} is not a dimension of every cell")
    return keyed, position, False


def _rebuild(
    sums: Mapping[tuple[str, ...], int | Decimal],
    orders: list[list[str]],
    plain: bool,
) -> dict[Cell, int | Decimal]:
    ordered: dict[Cell, int | Decimal] = {}
    for key in itertools.product(*orders):
        if key in sums:
            ordered[key[0] if plain else key] = sums[key]
    return ordered


def merge_small_cells(
    cells: Mapping[Cell, int | Decimal],
    *,
    below: int | Decimal,
    position: int | None = None,
    keep: Iterable[str] = (),
    other: str = OTHER,
) -> dict[Cell, int | Decimal]:
    """One dimension's small categories merged into ``other``, the total unchanged.

    ``cells`` is a breakdown as :class:`Result` holds it: one dimension's cells, or a
    cross-tabulation's, in which case ``position`` says which of its dimensions to work on (0
    for the first). A category is small when its total (for a cross-tabulation, over every
    combination it appears in) is below ``below``; zero categories are small. ``UNKNOWN``, the
    categories in ``keep`` (say the age bands) and an existing ``other`` are never merged away.
    A lone small category keeps its own name when there is no ``other`` cell yet: renaming it
    would hide what it is without making the table any shorter.

    The result keeps the cells' order, with ``other`` after the kept categories and before
    ``UNKNOWN``; every value is carried over, so the cells still add up to the same total (and
    a cross-tabulation's other margins are unchanged).
    """
    keyed, position, plain = _as_keys(cells, position)
    width = len(next(iter(keyed))) if keyed else 1
    orders = _marginal_orders(keyed, width)
    totals: dict[str, int | Decimal] = {}
    for key, value in keyed.items():
        totals[key[position]] = totals.get(key[position], 0) + value
    protected = {UNKNOWN, other, *keep}
    small = [cell for cell in orders[position] if cell not in protected and totals[cell] < below]
    if not small or (len(small) == 1 and other not in totals):
        return dict(cells)
    merged = set(small)
    sums: dict[tuple[str, ...], int | Decimal] = {}
    for key, value in keyed.items():
        if key[position] in merged:
            key = (*key[:position], other, *key[position + 1 :])
        sums[key] = sums.get(key, 0) + value
    kept = [
        cell for cell in orders[position] if cell not in merged and cell not in (other, UNKNOWN)
    ]
    orders[position] = [*kept, other, *([UNKNOWN] if UNKNOWN in totals else [])]
    return _rebuild(sums, orders, plain)


class UnmappedCategoryError(ValueError):
    """A category code that a :class:`Recoding` does not say where to put."""


@dataclass(frozen=True)
class Recoding:
    """How the categories of one dimension roll into a new scheme of categories.

    When a category list changes (two sectors merged into one, a kind of activity split in two)
    old records keep their old codes; a report in the new scheme reads them through this
    explicit mapping, so old data still rolls up and nothing silently falls out of a total.

    ``scheme`` is the new scheme's codes in report order; a code already in it stands for itself.
    ``mapping`` sends each old code to a code of the new scheme, or to ``UNKNOWN`` when it
    cannot be placed honestly: a category that was split maps to the new category chosen to hold
    its old records (often the broader one), or to ``UNKNOWN``, and the mapping says which. A
    code found in neither raises :class:`UnmappedCategoryError` naming the dimension and the
    code, rather than being guessed.
    """

    dimension: str
    scheme: tuple[str, ...]
    mapping: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        scheme = tuple(self.scheme)
        if len(set(scheme)) != len(scheme) or UNKNOWN in scheme:
            raise ValueError(
                f"{self.dimension}: the new scheme's codes must be unique and not {UNKNOWN!r}"
            )
        mapping = dict(self.mapping)
        stray = sorted({new for new in mapping.values() if new not in scheme and new != UNKNOWN})
        if stray:
            raise ValueError(
                f"{self.dimension}: the mapping sends codes to {stray}, which are not in the new "
                f"scheme {list(scheme)}"
            )
        object.__setattr__(self, "scheme", scheme)
        object.__setattr__(self, "mapping", MappingProxyType(mapping))

    def code(self, old: str | None) -> str | None:
        """The new code of an old one; None and "" (missing) stay missing, ``UNKNOWN`` stays."""
        if old is None or old == "":
            return None
        if old in self.mapping:
            return self.mapping[old]
        if old in self.scheme or old == UNKNOWN:
            return old
        raise UnmappedCategoryError(
            f"{self.dimension}: the code {old!r} has no place in the new scheme "
            f"{list(self.scheme)}; add it to the mapping (old code -> new code, or {UNKNOWN!r})"
        )

    def cells(
        self, cells: Mapping[Cell, int | Decimal], *, position: int | None = None
    ) -> dict[Cell, int | Decimal]:
        """A breakdown rolled into the new scheme: every new code in scheme order (0 when
        nothing maps to it), ``UNKNOWN`` last; old codes mapping to the same new one are added
        up, so the total is unchanged. For a cross-tabulation, ``position`` names the dimension
        this recoding is for."""
        keyed, position, plain = _as_keys(cells, position)
        width = len(next(iter(keyed))) if keyed else 1
        orders = _marginal_orders(keyed, width)
        zero = next(iter(keyed.values()), 0) * 0
        orders[position] = [*self.scheme, UNKNOWN]
        sums: dict[tuple[str, ...], int | Decimal] = {
            key: zero for key in itertools.product(*orders)
        }
        for key, value in keyed.items():
            new = self.code(key[position]) or UNKNOWN
            key = (*key[:position], new, *key[position + 1 :])
            sums[key] += value
        return _rebuild(sums, orders, plain)

    def fact(self, fact: Fact) -> Fact:
        """The fact with its attribute recoded (a set of codes element by element), so that a
        definition written in the new scheme filters and splits old records the same way."""
        value = fact.attrs.get(self.dimension)
        if value is None:
            return fact
        if isinstance(value, frozenset):
            new: AttrValue = frozenset(code for code in map(self.code, value) if code is not None)
        else:
            new = self.code(value)
        return dataclasses.replace(fact, attrs={**fact.attrs, self.dimension: new})
