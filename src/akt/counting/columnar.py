"""The indicator engine over columns: every window and every breakdown at once, with numpy.

The reference engine (``engine.py``) reads one :class:`~akt.counting.engine.Fact` at a time and
is the specification. A tracking table asks it for every indicator over the life of project,
every fiscal year and every quarter, split every way, which over a million attendances is
millions of Python steps. This module computes exactly the same numbers from column arrays (one
array per fact field, one element per fact) with a handful of vectorized steps per indicator and
window. ``tests/test_columnar.py`` holds the two engines (and a brute-force count) equal on random
facts; any difference is a bug here, never a second opinion on how to count.

How it is laid out
==================

:class:`SourceColumns` holds every fact of one source, **sorted once in first-fact order**
``(date, is_tally, record_id)``, the order in which the reference engine picks the fact a
distinct entity is counted by. Because the date leads that order, every window (any inclusive
date range: life of project, a fiscal year, a quarter) is a contiguous slice of the rows; finding
it is a binary search. Attributes (sex, kind, topics, ...) are dictionary-encoded
(:class:`Column`: small integer codes and a vocabulary), set-valued ones (topics) as bit sets.
Entities (persons, organizations, activities, municipalities) are dense codes into an id array
(:class:`Entities`), so per-entity work is an array indexed by entity.

For one definition, :func:`compute_table`:

1. builds the selection mask once over all rows (scope, then each filter as a lookup table
   indexed by the column's codes; a set-valued filter as a bitwise AND with the allowed bits)
   and keeps the selected row positions, still in first-fact order;
2. for each window takes the slice of selected rows whose date is inside it;
3. additive units (attendances, records, amount) add the slice's weights into the breakdown
   cells with ``bincount``; distinct units (persons, organizations, activities) keep, per
   entity, its first row in the slice (``np.minimum.at`` over the entity codes: the smallest
   position is the first fact, because rows are in first-fact order), so an entity is distinct
   over the whole window and lands in the cell of its first fact in that window. The fiscal
   year's first facts are found in the fiscal year's slice, not assembled from its quarters, so a
   person's fiscal-year value is not the sum of their quarters;
4. a cross-tabulation is one ``bincount`` over the combined cell code (``c1 * K2 + c2``), from
   which each dimension's cells are read as margins; the cells reported are the product of the
   dimensions' cells, as the reference engine orders them.

Tally headcounts beside persons and the ``uncounted`` records are window sums of per-row flags
(prefix sums, so each window costs two lookups).

Drill-down is lazy. The tracking table needs numbers, so :class:`Table` holds
:class:`Figures` (value, breakdowns, tally headcount, uncounted) for every indicator and window;
the record and activity ids behind one figure are produced when asked, by
:meth:`Table.result`, which returns the reference engine's full :class:`~engine.Result`
(ids included) for that one indicator and window; :meth:`Table.cell_result` opens one cell of a
split as :func:`engine.compute_cell` does, and :meth:`Table.counted` names the entities a
distinct figure counts. This is the engine every page, export and command computes with.

A persons figure's range while pairs of records await review (:func:`figures_pending`) is found
from the same arrays, for every window at once: only the persons of a pair can move a count, so
only their first facts are looked up, and :mod:`~akt.counting.uncertainty` does the arithmetic.

Numbers are exact: counts are integers; amounts are held as integers in units of
``10 ** -amount_scale`` (cents for the database's two decimal places) and summed as integers,
and come back as Decimals; float sums are only used below 2**53, where they are exact.
"""

from __future__ import annotations

import copyreg
import dataclasses
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, cast

import numpy as np

from akt.counting import engine, uncertainty
from akt.counting.engine import (
    FULL_COVERAGE,
    MAX_PLAUSIBLE_AGE,
    UNKNOWN,
    AgeBand,
    AttrValue,
    Cell,
    Coverage,
    Definition,
    Disaggregation,
    Fact,
    Result,
    Source,
    Unit,
    Window,
)

EPOCH = date(1970, 1, 1)
EXACT_FLOAT = 2**53  # below this, integer sums in float64 are exact


def read_only(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    """A read-only mapping over ``items``: how one comes back from a pickle."""
    return MappingProxyType(items)


def _read_only_pickled(
    mapping: MappingProxyType[Any, Any],
) -> tuple[Any, tuple[dict[Any, Any]]]:
    """A read-only mapping pickles as a new one over a copy of its items, so that figures (whose
    splits are read-only) can be kept in a cache shared by the server's processes."""
    return read_only, (dict(mapping),)


copyreg.pickle(MappingProxyType, _read_only_pickled)

IntArray = np.ndarray
BoolArray = np.ndarray


def day_number(day: date) -> int:
    """Days since 1970-01-01, the unit of :attr:`SourceColumns.day`."""
    return (day - EPOCH).days


# --- Columns ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Column:
    """One attribute of every row, dictionary-encoded.

    ``codes[row]`` indexes ``vocabulary``; code 0 is the missing value (None or ""), so
    ``vocabulary[0] == ""``. A set-valued attribute (topics) keeps its sets as bits: bit ``i`` of
    ``sets[row]`` stands for ``vocabulary[i]``; such rows have ``is_set`` true and code 0. A
    column may mix single values and sets (the reference engine accepts either per fact);
    ``is_set`` None with ``sets`` given means every row holds a set.
    """

    codes: IntArray
    vocabulary: tuple[str, ...]
    sets: np.ndarray | None = None  # uint64, shape (rows, words)
    is_set: BoolArray | None = None

    def __post_init__(self) -> None:
        if not self.vocabulary or self.vocabulary[0] != "":
            raise ValueError("a column's vocabulary starts with the missing value ''")

    def __len__(self) -> int:
        return len(self.codes)

    @classmethod
    def missing(cls, rows: int) -> Column:
        return cls(np.zeros(rows, dtype=np.int32), ("",))

    @classmethod
    def from_values(cls, values: Sequence[AttrValue]) -> Column:
        """A column from Python values: strings, frozensets of strings, or None."""
        index: dict[str, int] = {"": 0}
        codes = np.zeros(len(values), dtype=np.int32)
        has_sets = False
        for row, value in enumerate(values):
            if isinstance(value, frozenset):
                has_sets = True
                for item in value:
                    index.setdefault(item, len(index))
            elif value is not None:
                codes[row] = index.setdefault(value, len(index))
        vocabulary = tuple(index)
        if not has_sets:
            return cls(codes, vocabulary)
        sets = np.zeros((len(values), (len(vocabulary) + 63) // 64), dtype=np.uint64)
        is_set = np.zeros(len(values), dtype=bool)
        for row, value in enumerate(values):
            if isinstance(value, frozenset):
                is_set[row] = True
                for item in value:
                    bit = index[item]
                    sets[row, bit // 64] |= np.uint64(1 << (bit % 64))
        return cls(codes, vocabulary, sets, is_set)

    @classmethod
    def from_codes(cls, codes: IntArray, vocabulary: Sequence[str | None]) -> Column:
        """A column from codes into any vocabulary (None or "" entries mean missing): the
        vocabulary is normalized so that code 0, and only code 0, is missing."""
        mapping = np.zeros(len(vocabulary), dtype=np.int32)
        index: dict[str, int] = {"": 0}
        for code, value in enumerate(vocabulary):
            mapping[code] = 0 if not value else index.setdefault(value, len(index))
        return cls(mapping[np.asarray(codes)], tuple(index))

    def take(self, rows: IntArray) -> Column:
        return Column(
            self.codes[rows],
            self.vocabulary,
            None if self.sets is None else self.sets[rows],
            None if self.is_set is None else self.is_set[rows],
        )

    def set_rows(self) -> BoolArray | None:
        """Which rows hold a set; None when none can."""
        if self.sets is None:
            return None
        if self.is_set is None:
            return np.ones(len(self), dtype=bool)
        return self.is_set

    def value(self, row: int) -> AttrValue:
        """The Python value of one row (for tests and drill-down)."""
        if self.sets is not None and (self.is_set is None or self.is_set[row]):
            bits = self.sets[row]
            return frozenset(
                item
                for code, item in enumerate(self.vocabulary)
                if int(bits[code // 64]) >> (code % 64) & 1
            )
        return self.vocabulary[self.codes[row]] or None

    def passes(self, allowed: frozenset[str]) -> BoolArray:
        """Rows whose value is among ``allowed`` (a set: shares one of them); missing never.

        A set is taken as written, so a set holding "" passes when "" is allowed; a single ""
        is the missing value and never passes (as in the reference engine)."""
        lookup = np.array([value != "" and value in allowed for value in self.vocabulary])
        passed: BoolArray = lookup[self.codes]
        if self.sets is not None:
            wanted = np.zeros(self.sets.shape[1], dtype=np.uint64)
            for code, value in enumerate(self.vocabulary):
                if value in allowed:
                    wanted[code // 64] |= np.uint64(1 << (code % 64))
            passed |= ((self.sets & wanted) != 0).any(axis=1)
        return passed


def concatenate_columns(parts: Sequence[Column]) -> Column:
    """Columns of consecutive row ranges joined into one (vocabularies merged)."""
    index: dict[str, int] = {"": 0}
    for part in parts:
        for value in part.vocabulary:
            index.setdefault(value, len(index))
    vocabulary = tuple(index)
    codes = []
    for part in parts:
        remap = np.array([index[value] for value in part.vocabulary], dtype=np.int32)
        codes.append(remap[part.codes])
    if all(part.sets is None for part in parts):
        return Column(np.concatenate(codes), vocabulary)
    words = (len(vocabulary) + 63) // 64
    sets, is_set = [], []
    for part in parts:
        rows = len(part)
        bits = np.zeros((rows, words), dtype=np.uint64)
        flags = np.zeros(rows, dtype=bool)
        if part.sets is not None:
            flags = part.set_rows()  # type: ignore[assignment]
            for code, value in enumerate(part.vocabulary):
                old = (part.sets[:, code // 64] >> np.uint64(code % 64)) & np.uint64(1)
                new = index[value]
                bits[:, new // 64] |= old << np.uint64(new % 64)
        sets.append(bits)
        is_set.append(flags)
    return Column(np.concatenate(codes), vocabulary, np.concatenate(sets), np.concatenate(is_set))


@dataclass(frozen=True, eq=False)
class Entities:
    """Entity references of every row as dense codes: row ``r`` refers to ``ids[codes[r]]``,
    or to nothing when ``codes[r]`` is -1. Dense codes let per-entity work use plain arrays."""

    codes: IntArray  # int32 or int64, -1 = none
    ids: IntArray  # int64, the entities' ids

    def __len__(self) -> int:
        return len(self.codes)

    @classmethod
    def from_ids(cls, ids: Sequence[int | None] | IntArray) -> Entities:
        """Dense codes for raw ids (None or -1: no entity)."""
        raw = np.array([-1 if value is None else value for value in ids], dtype=np.int64)
        present = raw >= 0
        unique, inverse = np.unique(raw[present], return_inverse=True)
        codes = np.full(len(raw), -1, dtype=np.int64)
        codes[present] = inverse
        return cls(codes, unique.astype(np.int64))

    def take(self, rows: IntArray) -> Entities:
        return Entities(self.codes[rows], self.ids)

    def row_ids(self) -> IntArray:
        """The raw id of every row, -1 for none."""
        if len(self.ids) == 0:
            return np.full(len(self.codes), -1, dtype=np.int64)
        return np.where(self.codes >= 0, self.ids[np.maximum(self.codes, 0)], -1)


def concatenate_entities(parts: Sequence[Entities]) -> Entities:
    ids = np.unique(np.concatenate([part.ids for part in parts]))
    codes = []
    for part in parts:
        remap = np.searchsorted(ids, part.ids)
        codes.append(np.where(part.codes >= 0, remap[np.maximum(part.codes, 0)], -1))
    return Entities(np.concatenate(codes).astype(np.int64), ids)


@dataclass(eq=False)
class SourceColumns:
    """Every fact of one source as arrays, one element per fact, in first-fact order.

    Build it with :meth:`arranged` (from arrays in any order) or :func:`from_facts`. Rows are
    sorted by ``(day, is_tally, record_id)`` and tally cells with a headcount of 0 are dropped
    (the reference engine treats them as absent). ``age`` is the age in full years on the row's
    day (-1 when unknown or implausible, as :func:`engine.age_on` decides); ``preset_band`` is a
    tally cell's own age band label. ``amount`` is in units of ``10 ** -amount_scale``.
    """

    source: Source
    record_id: IntArray  # int64
    is_tally: BoolArray
    day: IntArray  # int32, days since 1970-01-01
    municipality: Entities
    activity: Entities
    person: Entities
    organization: Entities
    headcount: IntArray  # int64
    amount: IntArray  # int64, 0 where missing
    has_amount: BoolArray
    amount_scale: int
    age: IntArray  # int16, -1 unknown
    preset_band: Column
    attrs: dict[str, Column]
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.record_id)

    @classmethod
    def empty(cls, source: Source) -> SourceColumns:
        return cls.arranged(
            source=source,
            record_id=np.zeros(0, np.int64),
            is_tally=np.zeros(0, bool),
            day=np.zeros(0, np.int32),
            municipality=Entities(np.zeros(0, np.int64), np.zeros(0, np.int64)),
            activity=Entities(np.zeros(0, np.int64), np.zeros(0, np.int64)),
            person=Entities(np.zeros(0, np.int64), np.zeros(0, np.int64)),
            organization=Entities(np.zeros(0, np.int64), np.zeros(0, np.int64)),
            headcount=np.zeros(0, np.int64),
            amount=np.zeros(0, np.int64),
            has_amount=np.zeros(0, bool),
            amount_scale=0,
            age=np.zeros(0, np.int16),
            preset_band=Column.missing(0),
            attrs={},
        )

    @classmethod
    def arranged(cls, **fields: Any) -> SourceColumns:
        """Rows put in first-fact order, empty tally cells dropped, lengths checked.

        When the rows already come in ``(is_tally, record_id)`` order (a table read in primary
        key order, roster rows before tally cells), a stable sort on the day alone is enough and
        much cheaper; otherwise the full key is sorted.
        """
        rows = len(fields["record_id"])
        for name, value in fields.items():
            if isinstance(value, (np.ndarray, Column, Entities)) and len(value) != rows:
                raise ValueError(f"column {name!r} has {len(value)} rows, not {rows}")
        for name, value in fields["attrs"].items():
            if len(value) != rows:
                raise ValueError(f"attribute {name!r} has {len(value)} rows, not {rows}")
        day = np.asarray(fields["day"], dtype=np.int64)
        record_id = np.asarray(fields["record_id"], dtype=np.int64)
        is_tally = np.asarray(fields["is_tally"], dtype=bool)
        keep = np.asarray(fields["headcount"]) > 0
        order = first_fact_order(day, is_tally, record_id, keep)
        if order is None:
            return cls(**fields)
        taken: dict[str, Any] = {}
        for name, value in fields.items():
            if isinstance(value, (np.ndarray, Column, Entities)):
                taken[name] = (
                    value.take(order) if not isinstance(value, np.ndarray) else (value[order])
                )
            elif name == "attrs":
                taken[name] = {key: column.take(order) for key, column in value.items()}
            else:
                taken[name] = value
        return cls(**taken)

    def uncached(self) -> SourceColumns:
        """The same rows without the derived columns computed so far (for timing)."""
        return dataclasses.replace(self, _cache={})

    # Derived columns, computed once per load and kept.

    def municipality_column(self) -> Column:
        """The municipality as a text attribute (its id as a string, as the reference reads it)."""
        if "municipality" not in self._cache:
            labels = [str(int(value)) for value in self.municipality.ids]
            codes = np.where(self.municipality.codes >= 0, self.municipality.codes + 1, 0)
            self._cache["municipality"] = Column.from_codes(codes, [None, *labels])
        column: Column = self._cache["municipality"]
        return column

    def attribute(self, name: str) -> Column:
        if name == "municipality":
            return self.municipality_column()
        column = self.attrs.get(name)
        if column is None:
            column = self._cache.get(("missing",))
            if column is None:
                column = self._cache[("missing",)] = Column.missing(len(self))
        return column

    def band_codes(self, bands: tuple[AgeBand, ...]) -> IntArray:
        """Each row's age band as an index into ``bands``, ``len(bands)`` when unknown.

        The age on the row's day decides; when it is unknown, a preset band label (a tally
        cell's column) counts if it is one of ``bands`` (see :func:`engine.fact_age_band`).
        """
        key = ("bands", bands)
        if key not in self._cache:
            unknown = len(bands)
            by_age = np.full(MAX_PLAUSIBLE_AGE + 2, unknown, dtype=np.int16)  # last: age -1
            for position, band in enumerate(bands):
                high = MAX_PLAUSIBLE_AGE if band.high is None else min(band.high, MAX_PLAUSIBLE_AGE)
                if band.low <= high:
                    by_age[band.low : high + 1] = position
            labels = {band.label: position for position, band in enumerate(bands)}
            by_preset = np.array(
                [labels.get(value, unknown) for value in self.preset_band.vocabulary],
                dtype=np.int16,
            )
            codes = by_age[self.age]  # age -1 reads the last entry: unknown
            fallback = codes == unknown
            codes[fallback] = by_preset[self.preset_band.codes[fallback]]
            self._cache[key] = codes
        found: IntArray = self._cache[key]
        return found

    def coding(self, name: str, bands: tuple[AgeBand, ...]) -> Coding:
        """How the rows split by one dimension: a cell index per row and the cells' labels."""
        key = ("coding", name, bands if name == "age_band" else None)
        if key not in self._cache:
            if name == "age_band":
                labels = tuple(band.label for band in bands)
                self._cache[key] = Coding(name, labels, self.band_codes(bands), None, True)
            else:
                column = self.attribute(name)
                labels = tuple(sorted({v for v in column.vocabulary if v and v != UNKNOWN}))
                position = {label: index for index, label in enumerate(labels)}
                lookup = np.array(
                    [position.get(value, len(labels)) for value in column.vocabulary],
                    dtype=np.int32,
                )
                cells = lookup[column.codes]
                self._cache[key] = Coding(name, labels, cells, column.set_rows(), False)
        coding: Coding = self._cache[key]
        return coding

    def passes(self, name: str, allowed: frozenset[str], bands: tuple[AgeBand, ...]) -> BoolArray:
        """Rows passing one filter, read as the reference engine reads it."""
        if name == "age_band":
            lookup = np.array([band.label in allowed for band in bands] + [False])
            passed: BoolArray = lookup[self.band_codes(bands)]
            return passed
        return self.attribute(name).passes(allowed)


@dataclass(frozen=True, eq=False)
class Coding:
    """One dimension's cells over the rows of a source: ``cells[row]`` indexes ``labels``, and
    ``len(labels)`` is the ``UNKNOWN`` cell. ``all_shown``: every label is a cell even when no
    counted row has it (age bands)."""

    name: str
    labels: tuple[str, ...]
    cells: IntArray
    is_set: BoolArray | None
    all_shown: bool

    @property
    def size(self) -> int:
        return len(self.labels) + 1


def first_fact_order(
    day: IntArray, is_tally: BoolArray, record_id: IntArray, keep: BoolArray
) -> IntArray | None:
    """The permutation (with empty tally cells left out) putting rows in first-fact order, or
    None when they are already in it and nothing is left out."""
    rows = len(day)
    if rows == 0:
        return None if keep.all() else np.flatnonzero(keep)
    # Already in (is_tally, record_id) order? Then a stable sort on the day alone will do.
    tally_int = is_tally.astype(np.int8)
    ordered = bool(
        np.all((np.diff(tally_int) > 0) | ((np.diff(tally_int) == 0) & (np.diff(record_id) > 0)))
    )
    if ordered:
        span = int(day.max() - day.min()) if rows else 0
        if span < 2**16:
            order = np.argsort((day - day.min()).astype(np.uint16), kind="stable")
        else:
            order = np.argsort(day, kind="stable")
    else:
        order = np.lexsort((record_id, is_tally, day))
    if not keep.all():
        order = order[keep[order]]
    elif np.array_equal(order, np.arange(rows)):
        return None
    return order


def from_facts(facts: Iterable[Fact]) -> dict[Source, SourceColumns]:
    """The columns of every source among ``facts`` (a slow path, for tests and small inputs).

    Raises ValueError when two facts share an identity ``(source, is_tally, record_id)``, as
    the reference engine does.
    """
    by_source: dict[Source, list[Fact]] = {}
    for fact in facts:
        by_source.setdefault(fact.source, []).append(fact)
    columns = {}
    for source, group in by_source.items():
        seen: set[tuple[bool, int]] = set()
        for fact in group:
            identity = (fact.is_tally, fact.record_id)
            if identity in seen:
                kind = "tally cell" if fact.is_tally else "record"
                raise ValueError(f"{source} {kind} {fact.record_id} is fed to the engine twice")
            seen.add(identity)
        columns[source] = _columns_of(source, group)
    return columns


def _amount_scale(amounts: Iterable[Decimal | None]) -> int:
    scale = 0
    for amount in amounts:
        if amount is not None:
            exponent = amount.as_tuple().exponent
            if isinstance(exponent, int):
                scale = max(scale, -exponent)
    return scale


def _columns_of(source: Source, facts: list[Fact]) -> SourceColumns:
    scale = _amount_scale(fact.amount for fact in facts)
    names = sorted({name for fact in facts for name in fact.attrs})
    ages = [
        engine.age_on(fact.date, birth_date=fact.birth_date, birth_year=fact.birth_year)
        for fact in facts
    ]
    amounts = []
    for fact in facts:
        if fact.amount is None:
            amounts.append(0)
            continue
        scaled = fact.amount.scaleb(scale)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"amount {fact.amount} has more than {scale} decimal places")
        amounts.append(int(scaled))
    return SourceColumns.arranged(
        source=source,
        record_id=np.array([fact.record_id for fact in facts], dtype=np.int64),
        is_tally=np.array([fact.is_tally for fact in facts], dtype=bool),
        day=np.array([day_number(fact.date) for fact in facts], dtype=np.int32),
        municipality=Entities.from_ids([fact.municipality for fact in facts]),
        activity=Entities.from_ids([fact.activity for fact in facts]),
        person=Entities.from_ids([fact.person for fact in facts]),
        organization=Entities.from_ids([fact.organization for fact in facts]),
        headcount=np.array([fact.headcount for fact in facts], dtype=np.int64),
        amount=np.array(amounts, dtype=np.int64),
        has_amount=np.array([fact.amount is not None for fact in facts], dtype=bool),
        amount_scale=scale,
        age=np.array([-1 if age is None else age for age in ages], dtype=np.int16),
        preset_band=Column.from_values([fact.age_band for fact in facts]),
        attrs={
            name: Column.from_values([fact.attrs.get(name) for fact in facts]) for name in names
        },
    )


# --- Results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """One indicator's numbers over one window: a :class:`~engine.Result` without the ids.

    ``value``, ``breakdowns``, ``tally_headcount`` and ``uncounted`` mean exactly what they mean
    on :class:`~engine.Result`, cells in the same order.
    """

    code: str
    unit: Unit
    window: Window
    value: int | Decimal
    breakdowns: Mapping[Disaggregation, Mapping[Cell, int | Decimal]]
    tally_headcount: int
    uncounted: int

    def same_numbers(self, result: Result) -> bool:
        """Whether a reference result has these numbers (cells and their order included)."""
        return (
            self.value == result.value
            and self.tally_headcount == result.tally_headcount
            and self.uncounted == result.uncounted
            and list(self.breakdowns) == list(result.breakdowns)
            and all(
                list(cells.items()) == list(result.breakdowns[name].items())
                for name, cells in self.breakdowns.items()
            )
        )


@dataclass(eq=False)
class _Selected:
    """What one definition selected, kept for drill-down: row positions (first-fact order),
    whether each is behind the number, and each window's slice of them."""

    definition: Definition
    columns: SourceColumns
    rows: IntArray
    behind: BoolArray
    slices: dict[Window, tuple[int, int]]


class Table:
    """Figures for every definition and window, and the records behind any one of them.

    ``table[code, window]`` is a :class:`Figures`; ``table.result(code, window)`` the full
    :class:`~engine.Result` with the ids behind it (computed then, for that figure only).
    """

    def __init__(
        self,
        windows: Sequence[Window],
        figures: dict[tuple[str, Window], Figures],
        selections: dict[str, _Selected],
    ) -> None:
        self.windows = tuple(windows)
        self._figures = figures
        self._selections = selections

    @property
    def codes(self) -> list[str]:
        return list(self._selections)

    def __getitem__(self, key: tuple[str, Window]) -> Figures:
        return self._figures[key]

    def __iter__(self) -> Iterator[tuple[tuple[str, Window], Figures]]:
        return iter(self._figures.items())

    def __len__(self) -> int:
        return len(self._figures)

    def result(self, code: str, window: Window) -> Result:
        """The reference engine's full result for one indicator and window, ids included."""
        figures = self._figures[code, window]
        selected = self._selections[code]
        start, stop = selected.slices[window]
        columns = selected.columns
        rows = selected.rows[start:stop][selected.behind[start:stop]]
        tally = columns.is_tally[rows]
        activities = columns.activity.codes[rows]
        activities = activities[activities >= 0]
        return Result(
            code=figures.code,
            unit=figures.unit,
            window=window,
            value=figures.value,
            breakdowns=figures.breakdowns,
            tally_headcount=figures.tally_headcount,
            activity_ids=frozenset(columns.activity.ids[np.unique(activities)].tolist()),
            record_ids=frozenset(columns.record_id[rows[~tally]].tolist()),
            tally_record_ids=frozenset(columns.record_id[rows[tally]].tolist()),
            uncounted=figures.uncounted,
        )

    def results(self, window: Window) -> dict[str, Result]:
        """Every indicator's full result over one window, as :func:`engine.compute_many`."""
        return {code: self.result(code, window) for code in self._selections}

    def counted(self, code: str, window: Window) -> IntArray:
        """The ids of the entities a distinct figure counts in ``window`` (persons,
        organizations or activities), in first-fact order: :attr:`engine.Result.first_facts`'
        entities. Raises ValueError for an additive unit, which counts no entity."""
        selected = self._selections[code]
        unit = selected.definition.unit
        if unit not in _DISTINCT:
            raise ValueError(f"indicator {code!r} counts {unit}, not distinct entities")
        start, stop = selected.slices[window]
        rows = selected.rows[start:stop]
        entities: Entities = getattr(selected.columns, _DISTINCT[unit])
        codes = entities.codes[rows[_counting(selected.definition, selected.columns, rows)]]
        _codes, first = np.unique(codes, return_index=True)
        first.sort()  # back to first-fact order
        ids: IntArray = entities.ids[codes[first]]
        return ids

    def cell_result(
        self, code: str, window: Window, disaggregation: Disaggregation, cell: Cell
    ) -> Result:
        """One breakdown cell opened up, as :func:`engine.compute_cell` gives it: its value and
        the records that put something in it (for a distinct unit, every record in the window
        of each entity whose first fact there lands in the cell); no breakdowns, no tally
        headcount, nothing uncounted."""
        selected = self._selections[code]
        definition, columns = selected.definition, selected.columns
        if disaggregation not in definition.disaggregations:
            raise ValueError(f"indicator {code!r} is not split by {disaggregation!r}")
        wanted = (cell,) if isinstance(cell, str) else tuple(cell)
        start, stop = selected.slices[window]
        rows = selected.rows[start:stop]
        counting = _counting(definition, columns, rows)
        lands = np.ones(len(rows), dtype=bool)
        for name, value in zip(engine.dimensions_of(disaggregation), wanted, strict=True):
            coding = columns.coding(name, definition.age_bands)
            labels = (*coding.labels, UNKNOWN)
            if value not in labels:
                lands[:] = False
                break
            lands &= coding.cells[rows] == labels.index(value)
        unit = definition.unit
        total: int | Decimal
        if unit in _DISTINCT:
            entity = getattr(columns, _DISTINCT[unit]).codes[rows]
            positions = np.flatnonzero(counting)
            _codes, first = np.unique(entity[positions], return_index=True)
            firsts = positions[first]
            chosen = entity[firsts[lands[firsts]]]
            kept = counting & np.isin(entity, chosen)
            total = len(chosen)
        else:
            kept = counting & lands
            if unit is Unit.ATTENDANCES:
                total = int(columns.headcount[rows[kept]].sum())
            elif unit is Unit.AMOUNT:
                amounts = columns.amount[rows[kept]]
                total = _amount(int(amounts.sum()), columns.amount_scale, len(amounts))
            else:
                total = int(kept.sum())
        behind = rows[kept]
        tally = columns.is_tally[behind]
        activities = columns.activity.codes[behind]
        activities = activities[activities >= 0]
        return Result(
            code=definition.code,
            unit=unit,
            window=window,
            value=total,
            breakdowns=MappingProxyType({}),
            tally_headcount=0,
            activity_ids=frozenset(columns.activity.ids[np.unique(activities)].tolist()),
            record_ids=frozenset(columns.record_id[behind[~tally]].tolist()),
            tally_record_ids=frozenset(columns.record_id[behind[tally]].tolist()),
        )


# --- Pending review pairs: a persons figure's range -------------------------------------------


@dataclass(frozen=True, eq=False)
class PendingPairs:
    """Review pairs awaiting a decision, as arrays: the persons their two records resolve to
    (canonical ids, as the person columns count them) and the match probability.

    A pair whose two records already resolve to one person changes no count and is left out;
    ``persons`` are the sorted ids of every person of a pair kept.
    """

    first: IntArray  # int64
    second: IntArray  # int64
    probability: np.ndarray  # float64
    persons: IntArray  # int64, sorted, unique

    def __len__(self) -> int:
        return len(self.first)

    @classmethod
    def of(cls, pairs: Iterable[uncertainty.Pair]) -> PendingPairs:
        rows = [(int(cast(int, a)), int(cast(int, b)), float(p)) for a, b, p in pairs if a != b]
        first = np.array([row[0] for row in rows], dtype=np.int64)
        second = np.array([row[1] for row in rows], dtype=np.int64)
        probability = np.array([row[2] for row in rows], dtype=np.float64)
        return cls(first, second, probability, np.union1d(first, second).astype(np.int64))


def figures_pending(
    table: Table, code: str, pairs: PendingPairs
) -> dict[Window, uncertainty.FigurePending]:
    """The range of one persons indicator's figure and cells in every window of ``table``
    while ``pairs`` wait; a window has an entry only when a pair lies between two persons its
    figure counts (an indicator of another unit has none).

    The same ranges as :func:`uncertainty.figure_pending` on the reference engine's result for
    that window, with the arithmetic left to :mod:`~akt.counting.uncertainty`: only persons of
    a pair can move a count, so only their first facts are found here. The rows of those persons
    are picked once over the indicator's selected rows (one gather over the rows, then the pair
    persons' rows only), each window takes its part of them by a binary search and keeps each
    person's first row there (the rows being in first-fact order), the pairs are kept where both
    persons are counted (numpy membership), :func:`uncertainty.person_standing` weighs them, and
    each cell loses what its persons of a pair may lose, summed per cell with ``bincount``.
    """
    selected = table._selections[code]
    definition, columns = selected.definition, selected.columns
    if definition.unit is not Unit.PERSONS or not len(pairs):
        return {}
    persons = columns.person
    watched = np.append(np.isin(persons.ids, pairs.persons), False)  # code -1 reads False
    rows = selected.rows
    codes = persons.codes[rows]
    positions = np.flatnonzero(watched[codes] & ~columns.is_tally[rows])
    if not len(positions):
        return {}
    found = {}
    for window in table.windows:
        figures = table[code, window]
        start, stop = selected.slices[window]
        low, high = np.searchsorted(positions, [start, stop], "left").tolist()
        if low == high or not figures.value:
            continue
        inside = positions[low:high]
        _codes, first = np.unique(codes[inside], return_index=True)
        first.sort()  # back to first-fact order
        counted_rows = rows[inside[first]]
        ids = persons.ids[codes[inside[first]]]
        both = np.isin(pairs.first, ids) & np.isin(pairs.second, ids)
        if not both.any():
            continue
        standing = uncertainty.person_standing(
            ids.tolist(),
            zip(
                pairs.first[both].tolist(),
                pairs.second[both].tolist(),
                pairs.probability[both].tolist(),
                strict=True,
            ),
        )
        if not standing.pairs:
            continue
        found[window] = _pending_cells(definition, columns, figures, standing, ids, counted_rows)
    return found


def _pending_cells(
    definition: Definition,
    columns: SourceColumns,
    figures: Figures,
    standing: uncertainty.Standing,
    ids: IntArray,
    counted_rows: IntArray,
) -> uncertainty.FigurePending:
    """One window's :class:`uncertainty.FigurePending`: each cell starts from its own value and
    loses what its persons of a pair may lose (as :func:`uncertainty.figure_pending` does)."""
    touched = np.array([person in standing.staying for person in ids.tolist()], dtype=bool)
    ids, counted_rows = ids[touched], counted_rows[touched]
    absorbed = np.array([person in standing.absorbed for person in ids.tolist()], dtype=float)
    leaving = np.array([1.0 - standing.staying[person] for person in ids.tolist()])
    if_all: dict[Disaggregation, Mapping[Cell, int]] = {}
    expected: dict[Disaggregation, Mapping[Cell, float]] = {}
    for disaggregation, cells in figures.breakdowns.items():
        names = engine.dimensions_of(disaggregation)
        codings = [columns.coding(name, definition.age_bands) for name in names]
        shape = tuple(coding.size for coding in codings)
        combined = np.zeros(len(counted_rows), dtype=np.int64)
        for coding in codings:
            combined = combined * coding.size + coding.cells[counted_rows]
        size = int(np.prod(shape))
        lost = np.rint(np.bincount(combined, weights=absorbed, minlength=size)).astype(np.int64)
        loss = np.bincount(combined, weights=leaving, minlength=size)
        lowest = {cell: int(value) for cell, value in cells.items()}
        average = {cell: float(value) for cell, value in cells.items()}
        for flat in np.flatnonzero((lost != 0) | (loss != 0)).tolist():
            index = np.unravel_index(flat, shape)
            labels = tuple(
                (*coding.labels, UNKNOWN)[int(position)]
                for coding, position in zip(codings, index, strict=True)
            )
            cell = labels[0] if isinstance(disaggregation, str) else labels
            lowest[cell] -= int(lost[flat])
            average[cell] -= float(loss[flat])
        if_all[disaggregation] = MappingProxyType(lowest)
        expected[disaggregation] = MappingProxyType(
            {
                cell: min(float(cells[cell]), max(float(lowest[cell]), value))
                for cell, value in average.items()
            }
        )
    return uncertainty.FigurePending(
        pairs=standing.pairs,
        total=standing.range_of_all(int(figures.value)),
        if_all_linked=MappingProxyType(if_all),
        expected=MappingProxyType(expected),
    )


# --- Computing --------------------------------------------------------------------------------

_DISTINCT = {
    Unit.ACTIVITIES: "activity",
    Unit.PERSONS: "person",
    Unit.ORGANIZATIONS: "organization",
}


def compute_table(
    definitions: Iterable[Definition],
    columns: Mapping[Source, SourceColumns],
    windows: Iterable[Window],
    scope: Coverage = FULL_COVERAGE,
) -> Table:
    """Every definition over every window within ``scope``, with every breakdown.

    The same numbers as :func:`engine.compute_many` window by window (see the module
    docstring for how); a source missing from ``columns`` has no facts. Raises ValueError on
    repeated indicator codes, and on a disaggregation by a set-valued attribute that a counted
    record carries, as the reference engine does.
    """
    wanted = tuple(definitions)
    codes = [definition.code for definition in wanted]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise ValueError(f"indicator codes must be unique: {repeated}")
    chosen = list(dict.fromkeys(windows))
    figures: dict[tuple[str, Window], Figures] = {}
    selections: dict[str, _Selected] = {}
    in_scope: dict[Source, BoolArray | None] = {}
    filter_cache: dict[tuple[Any, ...], BoolArray] = {}
    for definition in wanted:
        source_columns = columns.get(definition.source)
        if source_columns is None:
            source_columns = SourceColumns.empty(definition.source)
        if definition.source not in in_scope:
            in_scope[definition.source] = _scope_mask(source_columns, scope)
        mask = _selection_mask(
            definition, source_columns, in_scope[definition.source], filter_cache
        )
        per_window, selected = _evaluate(definition, source_columns, mask, chosen)
        selections[definition.code] = selected
        for window, item in zip(chosen, per_window, strict=True):
            figures[definition.code, window] = item
    return Table(chosen, figures, selections)


def compute_many(
    definitions: Iterable[Definition],
    columns: Mapping[Source, SourceColumns],
    window: Window,
    scope: Coverage = FULL_COVERAGE,
) -> dict[str, Result]:
    """:func:`engine.compute_many` over columns: full results (ids included) for one window."""
    return compute_table(definitions, columns, [window], scope).results(window)


def _scope_mask(columns: SourceColumns, scope: Coverage) -> BoolArray | None:
    if scope.municipalities is None:
        return None
    allowed = np.isin(columns.municipality.ids, np.array(sorted(scope.municipalities), np.int64))
    allowed = np.append(allowed, False)  # code -1 (no municipality) reads the last entry
    mask: BoolArray = allowed[columns.municipality.codes]
    return mask


def _selection_mask(
    definition: Definition,
    columns: SourceColumns,
    in_scope: BoolArray | None,
    cache: dict[tuple[Any, ...], BoolArray],
) -> BoolArray:
    mask = np.ones(len(columns), dtype=bool) if in_scope is None else in_scope.copy()
    for name, allowed in sorted(definition.filters.items()):
        bands = definition.age_bands if name == "age_band" else None
        key = (id(columns), name, allowed, bands)
        if key not in cache:
            cache[key] = columns.passes(name, allowed, definition.age_bands)
        mask &= cache[key]
    return mask


def _counting(definition: Definition, columns: SourceColumns, rows: IntArray) -> BoolArray:
    """Which of ``rows`` the figure counts: a distinct unit's rows that name its entity (not
    a persons figure's tally cells, whose heads are shown beside it), an amount's rows with an
    amount, every row of another additive unit."""
    unit = definition.unit
    if unit in _DISTINCT:
        entities: Entities = getattr(columns, _DISTINCT[unit])
        counts: BoolArray = entities.codes[rows] >= 0
        if unit is Unit.PERSONS:
            counts &= ~columns.is_tally[rows]
        return counts
    if unit is Unit.AMOUNT:
        amounts: BoolArray = columns.has_amount[rows]
        return amounts
    return np.ones(len(rows), dtype=bool)


def _window_bounds(days: IntArray, windows: Sequence[Window]) -> list[tuple[int, int]]:
    starts = np.searchsorted(days, [day_number(window.start) for window in windows], "left")
    stops = np.searchsorted(days, [day_number(window.end) for window in windows], "right")
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def _prefix(values: np.ndarray) -> np.ndarray:
    """Prefix sums with a leading 0: the sum over rows [a, b) is ``p[b] - p[a]``."""
    out = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(values, out=out[1:])
    return out


def _sum_by(cells: IntArray, weights: IntArray | None, size: int) -> np.ndarray:
    """Per cell, the count of rows (no weights) or the exact integer sum of their weights."""
    if weights is None:
        return np.bincount(cells, minlength=size)
    if len(weights) and int(np.abs(weights).sum()) >= EXACT_FLOAT:
        out = np.zeros(size, dtype=np.int64)
        np.add.at(out, cells, weights)
        return out
    return np.rint(np.bincount(cells, weights=weights, minlength=size)).astype(np.int64)


def _evaluate(
    definition: Definition,
    columns: SourceColumns,
    mask: BoolArray,
    windows: Sequence[Window],
) -> tuple[list[Figures], _Selected]:
    unit = definition.unit
    rows = np.flatnonzero(mask)
    bounds = _window_bounds(columns.day[rows], windows)
    tally = columns.is_tally[rows]

    # What each selected row contributes: ``counts`` the rows that land in cells.
    weights: IntArray | None = None
    tally_heads = np.zeros(len(rows), dtype=np.int64)
    counts = _counting(definition, columns, rows)
    if unit in _DISTINCT:
        entities: Entities = getattr(columns, _DISTINCT[unit])
        if unit is Unit.PERSONS:
            tally_heads = np.where(tally, columns.headcount[rows], 0)
            behind = counts | tally
        else:
            behind = counts
        uncounted = ~behind
    else:
        behind = counts
        uncounted = ~counts
        if unit is Unit.ATTENDANCES:
            weights = columns.headcount[rows]
        elif unit is Unit.AMOUNT:
            weights = columns.amount[rows]
    counted = np.flatnonzero(counts)  # positions into ``rows``
    if weights is not None:
        weights = weights[counted]
    tally_prefix = _prefix(tally_heads)
    uncounted_prefix = _prefix(uncounted)

    # The combined cell of every counted row, for each disaggregation.
    codings = {
        name: columns.coding(name, definition.age_bands)
        for disaggregation in definition.disaggregations
        for name in engine.dimensions_of(disaggregation)
    }
    counted_rows = rows[counted]
    cells = {name: coding.cells[counted_rows].astype(np.int64) for name, coding in codings.items()}
    combined: dict[Disaggregation, tuple[IntArray, tuple[int, ...]]] = {}
    for disaggregation in definition.disaggregations:
        names = engine.dimensions_of(disaggregation)
        shape = tuple(codings[name].size for name in names)
        code = np.zeros(len(counted), dtype=np.int64)
        for name, size in zip(names, shape, strict=True):
            code = code * size + cells[name]
        combined[disaggregation] = (code, shape)

    entity_codes = entities.codes[rows[counted]] if unit in _DISTINCT else None
    first_seen = (
        np.full(len(entities.ids), len(counted), dtype=np.int64) if unit in _DISTINCT else None
    )
    results = []
    slices: dict[Window, tuple[int, int]] = {}
    for window, (start, stop) in zip(windows, bounds, strict=True):
        slices[window] = (start, stop)
        low, high = np.searchsorted(counted, [start, stop], "left").tolist()
        if entity_codes is not None and first_seen is not None:
            # An entity's first fact in the window is its smallest position there.
            local = entity_codes[low:high]
            order = np.arange(low, high, dtype=np.int64)
            np.minimum.at(first_seen, local, order)
            keep = first_seen[local] == order
            first_seen[local] = len(counted)  # reset what was touched
            take: IntArray | slice = order[keep]
            window_weights = None
            total: int | Decimal = int(keep.sum())
        else:
            take = slice(low, high)
            window_weights = None if weights is None else weights[low:high]
            if weights is None:
                total = high - low
            else:
                total = int(_sum_by(np.zeros(high - low, np.int64), window_weights, 1)[0])
            if unit is Unit.AMOUNT:
                total = _amount(int(total), columns.amount_scale, high - low)
        breakdowns = {}
        for disaggregation, (code, shape) in combined.items():
            breakdowns[disaggregation] = _cells(
                definition,
                disaggregation,
                [codings[name] for name in engine.dimensions_of(disaggregation)],
                code[take],
                counted_rows[take],
                window_weights,
                shape,
                unit,
                columns.amount_scale,
            )
        results.append(
            Figures(
                code=definition.code,
                unit=unit,
                window=window,
                value=total,
                breakdowns=MappingProxyType(breakdowns),
                tally_headcount=int(tally_prefix[stop] - tally_prefix[start]),
                uncounted=int(uncounted_prefix[stop] - uncounted_prefix[start]),
            )
        )
    return results, _Selected(definition, columns, rows, behind, slices)


def _amount(scaled: int, scale: int, terms: int) -> Decimal:
    """An exact sum of ``terms`` amounts, written as the reference engine writes it: to the
    amounts' places, and ``Decimal(0)`` (no places) when nothing was added, so that a figure
    reads the same whichever engine gave it (an approved quarter's text included)."""
    if not terms:
        return Decimal(0)
    return Decimal(scaled).scaleb(-scale).quantize(Decimal(1).scaleb(-scale))


def _cells(
    definition: Definition,
    disaggregation: Disaggregation,
    codings: list[Coding],
    code: IntArray,
    source_rows: IntArray,
    weights: IntArray | None,
    shape: tuple[int, ...],
    unit: Unit,
    scale: int,
) -> Mapping[Cell, int | Decimal]:
    """One disaggregation's cells over one window, in the reference engine's order."""
    for coding in codings:
        if coding.is_set is not None and len(source_rows) and coding.is_set[source_rows].any():
            raise ValueError(
                f"indicator {definition.code!r}: cannot disaggregate by {coding.name!r}, a "
                "set-valued attribute (a record would land in several cells); filter by it "
                "instead"
            )
    size = int(np.prod(shape))
    sums = _sum_by(code, weights, size).reshape(shape)
    # A cell exists when a counted record carries its value (even one adding 0).
    terms = _sum_by(code, None, size).reshape(shape) if unit is Unit.AMOUNT else None
    present: BoolArray = (sums != 0) if terms is None else (terms > 0)
    axes = []
    for position, coding in enumerate(codings):
        others = tuple(axis for axis in range(len(shape)) if axis != position)
        seen: BoolArray = np.asarray(present.any(axis=others)) if others else present
        known = np.arange(coding.size - 1) if coding.all_shown else np.flatnonzero(seen[:-1])
        axes.append(np.append(known, coding.size - 1))
    values = sums[np.ix_(*axes)].ravel().tolist()
    if terms is not None:
        counts = terms[np.ix_(*axes)].ravel().tolist()
        values = [_amount(value, scale, count) for value, count in zip(values, counts, strict=True)]
    labels = [
        [(*coding.labels, UNKNOWN)[index] for index in axis]
        for coding, axis in zip(codings, axes, strict=True)
    ]
    if isinstance(disaggregation, str):
        return MappingProxyType(dict(zip(labels[0], values, strict=True)))
    return MappingProxyType(dict(zip(itertools.product(*labels), values, strict=True)))


# --- Composition: which activities brought communities together ---------------------------


@dataclass(frozen=True, eq=False)
class MixVerdicts:
    """Each activity's verdict under a :class:`~akt.counting.composition.MixRule`, as arrays:
    ``activity`` ids, ``day`` (days since 1970-01-01), ``municipality`` ids (-1 when none) and
    ``verdict`` codes (:data:`MIXED`, :data:`NOT_MIXED`, :data:`UNDETERMINED`)."""

    activity: IntArray
    day: IntArray
    municipality: IntArray
    verdict: IntArray


MIXED, NOT_MIXED, UNDETERMINED = 0, 1, 2


def mixed_verdicts(
    activities: SourceColumns, attendance: SourceColumns, rule: Any, undeclared: frozenset[str]
) -> MixVerdicts:
    """:func:`akt.counting.composition.mixed_activities`'s verdicts, from columns.

    The same rule, vectorized: roster rows of the rule's roles and every tally cell (a
    headcount of participants) count; a community on record that declares none (``undeclared``)
    is unknown; a community is present at ``threshold`` of the declared attendance (and at least
    ``min_headcount`` people); an activity is judged when at least ``min_known_share`` of its
    attendance declared a community. Every activity of ``activities`` gets a verdict, one with
    no attendance on record ``UNDETERMINED``.
    """
    ids = activities.activity.ids[activities.activity.codes]
    count = len(ids)
    position = {int(pk): index for index, pk in enumerate(ids)}
    municipality = np.where(
        activities.municipality.codes >= 0,
        activities.municipality.ids[np.maximum(activities.municipality.codes, 0)],
        -1,
    )
    role = attendance.attribute("role")
    counted_roles = frozenset(rule.roles)
    counted = attendance.is_tally | role.passes(counted_roles)
    if "participant" not in counted_roles:
        counted &= ~attendance.is_tally
    community = attendance.attribute("community")
    names = list(community.vocabulary)
    declared = [bool(value) and value not in undeclared and value != UNKNOWN for value in names]
    known_names = [name for name, ok in zip(names, declared, strict=True) if ok]
    slot = np.array(
        [known_names.index(name) if ok else -1 for name, ok in zip(names, declared, strict=True)],
        dtype=np.int64,
    )
    rows_activity = attendance.activity.ids[np.maximum(attendance.activity.codes, 0)]
    lookup = np.array([position.get(int(pk), -1) for pk in attendance.activity.ids], np.int64)
    at = np.where(
        attendance.activity.codes >= 0, lookup[np.maximum(attendance.activity.codes, 0)], -1
    )
    keep = counted & (at >= 0) & (attendance.headcount > 0)
    del rows_activity
    weights = attendance.headcount[keep].astype(np.int64)
    where = at[keep]
    cells = slot[community.codes[keep]]
    width = max(len(known_names), 1)
    known_rows = cells >= 0
    by_community = (
        np.bincount(
            where[known_rows] * width + cells[known_rows],
            weights=weights[known_rows],
            minlength=count * width,
        )
        .reshape(count, width)
        .astype(np.int64)
    )
    unknown = np.bincount(where[~known_rows], weights=weights[~known_rows], minlength=count)
    known = by_community.sum(axis=1)
    total = known + unknown.astype(np.int64)
    threshold, minimum = rule.threshold, rule.min_headcount
    # count >= threshold * known, exactly: count * denominator >= numerator * known
    present = (
        (by_community >= minimum)
        & (by_community * threshold.denominator >= threshold.numerator * known[:, None])
        & (known[:, None] > 0)
    )
    share = rule.min_known_share
    judged = (known > 0) & (known * share.denominator >= share.numerator * total)
    verdict = np.where(~judged, UNDETERMINED, np.where(present.sum(axis=1) >= 2, MIXED, NOT_MIXED))
    return MixVerdicts(
        activity=ids.astype(np.int64),
        day=activities.day.astype(np.int64),
        municipality=municipality.astype(np.int64),
        verdict=verdict.astype(np.int64),
    )
