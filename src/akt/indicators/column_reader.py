"""Reading the database into the columnar engine's arrays, fast.

:mod:`akt.indicators.fact_reader` turns each record into a Python :class:`~engine.Fact`; that is
right for one indicator over one window, and far too slow for a million attendances. This module
reads
the same records as whole columns of integers, one query per table, and assembles the
:class:`~akt.counting.columnar.SourceColumns` of each source with numpy:

- Only integer columns cross the database boundary. Text choices (kind, role, sex, affiliation,
  ...) become small codes in the query (a ``CASE`` over the model's choices; a value outside
  them is read back by a second, normally empty, query); dates become day numbers or
  ``yyyymmdd`` integers; NULLs become -1. Several small codes of a row travel packed in one
  integer.
- The big table (attendance) is read alone, without joins: a roster row brings its activity,
  person, organization, role and affiliation (what the person was when they attended).
  Everything else comes from the small tables (the activity's date, municipality, kind and
  topics; the person's sex, birth, community, organization and canonical identity; the
  organization's kind and sector; the municipality's majority community) and is gathered per
  row with numpy indexing. The canonical person is the
  person's ``identity`` when it has one, else the person itself: the rule of
  ``Coalesce(person__identity_id, person_id)`` in ``fact_reader.py``.
- How the integers are fetched depends on the database. PostgreSQL: the server packs every
  row's values as 8-byte integers into one ``bytea`` (``string_agg`` of ``int8send``), fetched in
  binary and read by numpy as a record array. SQLite: one ``group_concat`` per column in a
  single scan, parsed by numpy; that avoids a Python tuple per row, which is most of the time
  of a plain ``fetchall``; a table whose ids run without gaps is read without its id column
  (the ids are the range). Any other database: ``fetchall``.

A voided activity (:mod:`akt.accounts.voidable`) is read and then dropped with its roster rows
and tally cells, which then point to no activity; voided grants, plans and projects are left
out by ``fact_reader.py``.

Reads are not one snapshot: the referencing tables (attendance, tallies) are read before the
tables they point to, so a row can only point to something deleted in between, and such a row is
left out, as it would be a moment later.

The small sources (grants, plans, projects, entered values) are read through ``fact_reader.py``
itself and converted, so their rules (a plan counts on its adoption date, a project on its
completion, an entered value on its period's last day) live in one place. Every source is read
whole: the columnar engine computes every window at once and applies the viewer's scope itself.

The result is the same as :func:`akt.counting.columnar.from_facts` over ``facts.facts_for``
(``tests/test_columns.py`` checks it on factory data, on SQLite and on PostgreSQL).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from django.db import connections
from django.db.models import Model

from akt.activities.models import (
    Activity,
    ActivityKind,
    AgeBand,
    Attendance,
    AttendanceRole,
    Tally,
    Topic,
)
from akt.counting import columnar, engine
from akt.counting.columnar import Column, Entities, SourceColumns
from akt.counting.engine import Source
from akt.indicators import fact_reader as facts
from akt.people.models import Affiliation, Organization, OrganizationKind, Person, Sector, Sex
from akt.places.models import Community, Municipality
from akt.program.models import Component

Timings = dict[str, float]


@contextmanager
def _timed(timings: Timings | None, label: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    if timings is not None:
        timings[label] = timings.get(label, 0.0) + time.perf_counter() - started


# --- Fetching integer columns -----------------------------------------------------------------

OTHER_TEXT = -2
"""The code a text outside the model's choices gets in the query, before it is read back."""


@dataclass(frozen=True)
class _Text:
    """A text column read as codes: the model's choices are coded 1, 2, ... in the query, ""
    is 0 and anything else :data:`OTHER_TEXT`."""

    model: type[Model]
    field: str
    expression: str
    choices: tuple[str, ...]

    def case(self) -> str:
        whens = " ".join(
            f"WHEN {_literal(value)} THEN {code}" for code, value in enumerate(self.choices, 1)
        )
        return f"(CASE {self.expression} {whens} WHEN '' THEN 0 ELSE {OTHER_TEXT} END)"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _bits(text: _Text) -> int:
    """Bits for a text's code shifted to be non-negative (``case() + 2``)."""
    return (len(text.choices) + 2).bit_length()


def _packed(parts: Sequence[tuple[str, int]]) -> str:
    """Several non-negative integers of a row in one, fewer values to write out: ``parts`` are
    (SQL, bits), most significant first; each takes values below ``2**bits`` except the first,
    which takes what is left of 63 bits. :func:`_unpacked` takes them apart."""
    sql = f"({parts[0][0]})"
    for expression, bits in parts[1:]:
        sql = f"({sql}) * {2**bits} + ({expression})"
    return sql


def _unpacked(packed: np.ndarray, bits: Sequence[int]) -> list[np.ndarray]:
    out = []
    for width in reversed(bits[1:]):
        out.append(packed & (2**width - 1))
        packed = packed >> width
    return [packed, *out[::-1]]


class _Reader:
    """Integer columns out of one database connection, by the fastest means it offers."""

    def __init__(self, using: str) -> None:
        self.connection = connections[using]
        self.vendor = self.connection.vendor

    def quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

    def table(self, model: type[Model]) -> str:
        return self.quote(model._meta.db_table)

    def column(self, model: type[Model], field: str) -> str:
        return self.quote(model._meta.get_field(field).column)

    def day(self, expression: str) -> str:
        """A date column as days since 1970-01-01."""
        if self.vendor == "postgresql":
            return f"({expression} - DATE '1970-01-01')"
        return f"CAST(julianday({expression}) - 2440587.5 AS INTEGER)"

    def yyyymmdd(self, expression: str) -> str:
        """A date column as the integer yyyymmdd (age arithmetic needs year, month and day)."""
        if self.vendor == "postgresql":
            return f"CAST(to_char({expression}, 'YYYYMMDD') AS BIGINT)"
        return f"CAST(replace({expression}, '-', '') AS INTEGER)"

    def text(
        self, model: type[Model], field: str, choices: Iterable[tuple[object, object]]
    ) -> _Text:
        values = tuple(str(value) for value, _label in choices)
        return _Text(model, field, self.column(model, field), values)

    def rows(
        self, model: type[Model], expressions: Sequence[str]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """The model's ids and ``expressions`` (non-null integers: wrap nullable columns in
        COALESCE) for every row, as int64 arrays."""
        table, key = self.table(model), self.column(model, "id")
        if self.vendor != "sqlite":
            ids, *columns = self.integers([key, *expressions], table)
            return ids, columns
        # SQLite: the ids cost as much to read as any column. The same scan counts them; when
        # they run without gaps they are the range, and not read. NOT INDEXED: a plain scan of
        # the table, which visits rows in id order (the rowid), so the columns line up with it.
        concat = ", ".join(f"group_concat({e}, ',')" for e in expressions)
        for _attempt in range(3):
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT COUNT(*), MIN({key}), MAX({key}), {concat} FROM {table} NOT INDEXED"
                )
                count, low, high, *texts = cursor.fetchone()
            columns = [_parsed(text) for text in texts]
            if count == 0:
                return np.zeros(0, np.int64), columns
            if high - low + 1 == count:
                return np.arange(low, high + 1, dtype=np.int64), columns
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT group_concat({key}, ',') FROM {table} NOT INDEXED")
                ids = _parsed(cursor.fetchone()[0])
            if len(ids) == count:
                return ids, columns
        raise RuntimeError(f"{table} kept changing while it was read")  # pragma: no cover

    def integers(self, expressions: Sequence[str], source: str) -> list[np.ndarray]:
        """``SELECT expressions FROM source`` as int64 arrays (non-null integers only)."""
        width = len(expressions)
        select = ", ".join(f"{expression} AS c{i}" for i, expression in enumerate(expressions))
        sql = f"SELECT {select} FROM {source}"
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                return self._binary(sql, width)
            if self.vendor == "sqlite":
                return self._group_concat(cursor, sql, width)
            cursor.execute(sql)
            rows = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, width)
            return [np.ascontiguousarray(rows[:, i]) for i in range(width)]

    @staticmethod
    def _group_concat(cursor, sql: str, width: int) -> list[np.ndarray]:
        # One scan; every aggregate steps over the same rows in the same order. A separator
        # literal, not char(44): a function call per row would cost as much as the column.
        concat = ", ".join(f"group_concat(c{i}, ',')" for i in range(width))
        cursor.execute(f"SELECT {concat} FROM ({sql})")
        return [_parsed(text) for text in cursor.fetchone()]

    def _binary(self, sql: str, width: int) -> list[np.ndarray]:
        # PostgreSQL: each row's values as 8-byte big-endian integers (int8send), the rows
        # concatenated by the server into one bytea, fetched in binary: one value crosses the
        # wire and numpy reads it as a record array. (A binary COPY would hand libpq one row
        # at a time, a Python object per row again.) A bytea holds up to 1 GB: 40 million rows
        # of three columns.
        row = " || ".join(f"int8send(CAST(c{i} AS BIGINT))" for i in range(width))
        import psycopg  # only on PostgreSQL

        self.connection.ensure_connection()
        # Django's own cursors bind on the client, which cannot return binary results.
        with psycopg.Cursor(self.connection.connection) as cursor:
            cursor.execute(f"SELECT string_agg({row}, ''::bytea) FROM ({sql}) AS q", binary=True)
            (data,) = cursor.fetchone()
        if data is None:
            return [np.zeros(0, dtype=np.int64) for _ in range(width)]
        rows = np.frombuffer(data, dtype=np.dtype([(f"v{i}", ">i8") for i in range(width)]))
        return [rows[f"v{i}"].astype(np.int64) for i in range(width)]

    def decoded(
        self, text: _Text, ids: np.ndarray, codes: np.ndarray
    ) -> tuple[np.ndarray, tuple[str, ...]]:
        """Codes into the vocabulary ``("", *choices, *others)``: values outside the choices
        (code :data:`OTHER_TEXT`) are read back by id and given codes of their own."""
        vocabulary = ["", *text.choices]
        codes = codes.astype(np.int32)
        if (codes == OTHER_TEXT).any():
            known = ", ".join(_literal(value) for value in vocabulary)
            sql = (
                f"SELECT {self.column(text.model, 'id')}, {text.expression} "
                f"FROM {self.table(text.model)} WHERE {text.expression} NOT IN ({known})"
            )
            with self.connection.cursor() as cursor:
                cursor.execute(sql)
                found = cursor.fetchall()
            index = {value: code for code, value in enumerate(vocabulary)}
            rows = _positions(ids, np.array([row[0] for row in found], dtype=np.int64))
            for row, (_id, value) in zip(rows.tolist(), found, strict=True):
                if row >= 0:
                    codes[row] = index.setdefault(value, len(index))
            codes[codes == OTHER_TEXT] = 0  # changed since: it reads as missing
            vocabulary = list(index)
        return codes, tuple(vocabulary)


def _parsed(text: str | None) -> np.ndarray:
    """Integers written out by ``group_concat``, comma-separated (None: no rows)."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")  # the text mode, not deprecated


def _positions(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each of ``wanted``, its position in ``ids`` (-1 when absent or when it is -1)."""
    if len(ids) == 0:
        return np.full(len(wanted), -1, dtype=np.int64)
    top = int(ids.max())
    if top < 4 * len(ids) + 1_000_000:
        lookup = np.full(top + 2, -1, dtype=np.int64)  # the last entry answers -1 and too big
        lookup[ids] = np.arange(len(ids))
        return lookup[np.where((wanted < 0) | (wanted > top), top + 1, wanted)]
    order = np.argsort(ids)
    found = order[np.minimum(np.searchsorted(ids, wanted, sorter=order), len(ids) - 1)]
    return np.where(ids[found] == wanted, found, -1)


def _with_missing(values: np.ndarray, missing: int) -> np.ndarray:
    """``values`` with ``missing`` appended: indexing it by -1 (no row) reads ``missing``."""
    return np.append(values, np.array([missing], dtype=values.dtype))


def _unify(
    vocabularies: Sequence[tuple[str, ...]],
) -> tuple[tuple[str, ...], list[np.ndarray]]:
    """One vocabulary for several, and for each the map from its codes to the new ones."""
    index: dict[str, int] = {"": 0}
    for vocabulary in vocabularies:
        for value in vocabulary:
            index.setdefault(value, len(index))
    maps = [np.array([index[value] for value in v], dtype=np.int32) for v in vocabularies]
    return tuple(index), maps


# --- The small tables -------------------------------------------------------------------------


@dataclass
class _Places:
    ids: np.ndarray  # municipality ids
    majority: np.ndarray  # community position, -1 none
    community_ids: np.ndarray
    community_codes: tuple[str, ...]
    declared: np.ndarray  # per community position

    def statuses(self) -> tuple[np.ndarray, np.ndarray]:
        """Local and national status codes (0 missing, 1 majority, 2 non-majority) as tables
        indexed ``[community position + 1, municipality position + 1]`` and
        ``[community position + 1]`` (see :func:`engine.local_status`)."""
        communities = len(self.community_ids)
        local = np.zeros((communities + 1, len(self.ids) + 1), dtype=np.int8)
        national = np.zeros(communities + 1, dtype=np.int8)
        for position, code in enumerate(self.community_codes):
            declared = bool(self.declared[position])
            status = engine.national_status(code, declared=declared)
            national[position + 1] = _STATUS_CODES[status]
            for place, majority in enumerate(self.majority.tolist()):
                majority_code = self.community_codes[majority] if majority >= 0 else None
                status = engine.local_status(code, majority_code, declared=declared)
                local[position + 1, place + 1] = _STATUS_CODES[status]
        return local, national


_STATUS_VOCABULARY = ("", engine.MAJORITY, engine.NON_MAJORITY)
_STATUS_CODES = {None: 0, engine.MAJORITY: 1, engine.NON_MAJORITY: 2}


@dataclass
class _Activities:
    ids: np.ndarray
    day: np.ndarray  # int32
    year: np.ndarray
    monthday: np.ndarray
    municipality: np.ndarray  # positions into _Places.ids, -1 none
    kind: Column
    component: Column
    topics: Column


@dataclass
class _Persons:
    ids: np.ndarray
    canonical: np.ndarray  # position of the canonical person
    born: np.ndarray  # yyyymmdd, -1 unknown
    community: np.ndarray  # community position + 1, 0 none
    sex: Column
    organization: np.ndarray  # organization id, -1 none


@dataclass
class _Organizations:
    ids: np.ndarray
    kind: Column
    sector: Column


def _read_places() -> _Places:
    communities = list(Community.objects.order_by("pk").values_list("pk", "code", "is_declared"))
    community_ids = np.array([row[0] for row in communities], dtype=np.int64)
    rows = list(Municipality.objects.order_by("pk").values_list("pk", "majority_community_id"))
    majority = np.array([-1 if row[1] is None else row[1] for row in rows], dtype=np.int64)
    return _Places(
        ids=np.array([row[0] for row in rows], dtype=np.int64),
        majority=_positions(community_ids, majority),
        community_ids=community_ids,
        community_codes=tuple(row[1] for row in communities),
        declared=np.array([bool(row[2]) for row in communities], dtype=bool),
    )


def _read_activities(reader: _Reader, places: _Places) -> _Activities:
    kind = reader.text(Activity, "kind", ActivityKind.choices)
    voided = reader.column(Activity, "voided_at")
    ids, (day, municipality, kinds, component, void) = reader.rows(
        Activity,
        [
            reader.day(reader.column(Activity, "start_date")),
            reader.column(Activity, "municipality"),
            kind.case(),
            reader.column(Activity, "component"),
            f"(CASE WHEN {voided} IS NULL THEN 0 ELSE 1 END)",
        ],
    )
    kind_codes, kind_vocabulary = reader.decoded(kind, ids, kinds)
    if void.any():
        # A voided activity counts nowhere: left out here, its roster rows and tally cells
        # find no activity and are left out with it (see _attendance_source).
        counted = void == 0
        ids, day, municipality = ids[counted], day[counted], municipality[counted]
        kind_codes, component = kind_codes[counted], component[counted]
    components = list(Component.objects.order_by("pk").values_list("pk", "code"))
    component_ids = np.array([row[0] for row in components], dtype=np.int64)

    through = Activity.topics.through
    link_activity, link_topic = reader.integers(
        [
            reader.quote(through._meta.get_field("activity").column),
            reader.quote(through._meta.get_field("topic").column),
        ],
        reader.quote(through._meta.db_table),
    )
    topics = list(Topic.objects.order_by("pk").values_list("pk", "code"))
    bit = _positions(np.array([row[0] for row in topics], dtype=np.int64), link_topic) + 1
    sets = np.zeros((len(ids), (len(topics) + 1 + 63) // 64), dtype=np.uint64)
    rows = _positions(ids, link_activity)
    linked = (rows >= 0) & (bit >= 1)
    for word in range(sets.shape[1]):
        here = linked & (bit // 64 == word)
        np.bitwise_or.at(
            sets[:, word],
            rows[here],
            np.left_shift(np.uint64(1), (bit[here] % 64).astype(np.uint64)),
        )

    calendar = day.astype("datetime64[D]")
    years = calendar.astype("datetime64[Y]")
    months = calendar.astype("datetime64[M]")
    month = (months - years).astype(np.int64) + 1
    return _Activities(
        ids=ids,
        day=day.astype(np.int32),
        year=years.astype(np.int64) + 1970,
        monthday=month * 100 + (calendar - months).astype(np.int64) + 1,
        municipality=_positions(places.ids, municipality),
        kind=Column(kind_codes, kind_vocabulary),
        component=Column.from_codes(
            _positions(component_ids, component) + 1, [None, *(row[1] for row in components)]
        ),
        topics=Column(np.zeros(len(ids), dtype=np.int32), ("", *(row[1] for row in topics)), sets),
    )


def _read_persons(reader: _Reader, places: _Places) -> _Persons:
    sex = reader.text(Person, "sex", Sex.choices)
    birth_date = reader.column(Person, "birth_date")
    birth_year = reader.column(Person, "birth_year")
    assumed = engine.ASSUMED_BIRTHDAY[0] * 100 + engine.ASSUMED_BIRTHDAY[1]
    community = f"COALESCE({reader.column(Person, 'community')}, -1) + 1"
    bits = [0, _bits(sex)]  # the first part takes what is left
    small = [(community, 0), (f"{sex.case()} + 2", bits[1])]
    ids, (identity, born, packed, organization) = reader.rows(
        Person,
        [
            f"COALESCE({reader.column(Person, 'identity')}, -1)",
            # engine.age_on: a birth date wins; a birth year alone means 1 July of that year.
            f"COALESCE({reader.yyyymmdd(birth_date)}, {birth_year} * 10000 + {assumed}, -1)",
            _packed(small),
            f"COALESCE({reader.column(Person, 'organization')}, -1)",
        ],
    )
    community_ids, sexes = _unpacked(packed, bits)
    sex_codes, sex_vocabulary = reader.decoded(sex, ids, sexes - 2)
    resolved = _positions(ids, identity)
    return _Persons(
        ids=ids,
        canonical=np.where(resolved >= 0, resolved, np.arange(len(ids))),
        born=born,
        community=_positions(places.community_ids, community_ids - 1) + 1,
        sex=Column(sex_codes, sex_vocabulary),
        organization=organization,
    )


def _read_organizations(reader: _Reader) -> _Organizations:
    kind = reader.text(Organization, "kind", OrganizationKind.choices)
    sector = reader.text(Organization, "sector", Sector.choices)
    ids, (kinds, sectors) = reader.rows(Organization, [kind.case(), sector.case()])
    return _Organizations(
        ids,
        Column(*reader.decoded(kind, ids, kinds)),
        Column(*reader.decoded(sector, ids, sectors)),
    )


# --- Assembling sources -----------------------------------------------------------------------


def _activity_source(activities: _Activities, places: _Places) -> SourceColumns:
    rows = len(activities.ids)
    nobody = Entities(np.full(rows, -1, dtype=np.int64), np.zeros(0, np.int64))
    return SourceColumns.arranged(
        source=Source.ACTIVITIES,
        record_id=activities.ids,
        is_tally=np.zeros(rows, dtype=bool),
        day=activities.day,
        municipality=Entities(activities.municipality, places.ids),
        activity=Entities(np.arange(rows, dtype=np.int64), activities.ids),
        person=nobody,
        organization=nobody,
        headcount=np.ones(rows, dtype=np.int64),
        amount=np.zeros(rows, dtype=np.int64),
        has_amount=np.zeros(rows, dtype=bool),
        amount_scale=0,
        age=np.full(rows, -1, dtype=np.int16),
        preset_band=Column.missing(rows),
        attrs={
            "kind": activities.kind,
            "topics": activities.topics,
            "component": activities.component,
        },
    )


@dataclass
class _Attendance:
    """The attendance tables as read: roster rows, then tally cells."""

    roster_ids: np.ndarray
    roster_activity: np.ndarray  # ids
    roster_person: np.ndarray  # ids
    roster_organization: np.ndarray  # ids, -1 none
    role: np.ndarray
    role_vocabulary: tuple[str, ...]
    affiliation: Column  # what each roster row's person was when they attended
    tally_ids: np.ndarray
    tally_activity: np.ndarray
    tally_sex: np.ndarray
    tally_sex_vocabulary: tuple[str, ...]
    tally_community: np.ndarray  # ids, -1 none
    tally_band: np.ndarray
    band_vocabulary: tuple[str, ...]
    headcount: np.ndarray


def _read_attendance(reader: _Reader, timings: Timings | None) -> _Attendance:
    role = reader.text(Attendance, "role", AttendanceRole.choices)
    affiliation = reader.text(Attendance, "affiliation", Affiliation.choices)
    organization = f"COALESCE({reader.column(Attendance, 'organization')}, -1) + 1"
    bits = [0, _bits(role), _bits(affiliation)]  # the first part takes what is left
    with _timed(timings, "read attendance"):
        roster_ids, (activity, person, packed) = reader.rows(
            Attendance,
            [
                reader.column(Attendance, "activity"),
                reader.column(Attendance, "person"),
                _packed(
                    [
                        (organization, 0),
                        (f"{role.case()} + 2", bits[1]),
                        (f"{affiliation.case()} + 2", bits[2]),
                    ]
                ),
            ],
        )
        organizations, roles, affiliations = _unpacked(packed, bits)
        role_codes, role_vocabulary = reader.decoded(role, roster_ids, roles - 2)
        affiliation_codes, affiliation_vocabulary = reader.decoded(
            affiliation, roster_ids, affiliations - 2
        )
    sex = reader.text(Tally, "sex", Sex.choices)
    band = reader.text(Tally, "age_band", AgeBand.choices)
    with _timed(timings, "read tallies"):
        tally_ids, (tally_activity, sexes, community, bands, headcount) = reader.rows(
            Tally,
            [
                reader.column(Tally, "activity"),
                sex.case(),
                f"COALESCE({reader.column(Tally, 'community')}, -1)",
                band.case(),
                reader.column(Tally, "headcount"),
            ],
        )
        sex_codes, sex_vocabulary = reader.decoded(sex, tally_ids, sexes)
        band_codes, band_vocabulary = reader.decoded(band, tally_ids, bands)
    return _Attendance(
        roster_ids=roster_ids,
        roster_activity=activity,
        roster_person=person,
        roster_organization=organizations - 1,
        role=role_codes,
        role_vocabulary=role_vocabulary,
        affiliation=Column(affiliation_codes, affiliation_vocabulary),
        tally_ids=tally_ids,
        tally_activity=tally_activity,
        tally_sex=sex_codes,
        tally_sex_vocabulary=sex_vocabulary,
        tally_community=community,
        tally_band=band_codes,
        band_vocabulary=band_vocabulary,
        headcount=headcount,
    )


def _attendance_source(
    read: _Attendance,
    activities: _Activities,
    places: _Places,
    persons: _Persons,
    organizations: _Organizations,
) -> SourceColumns:
    # Positions into the small tables; a row pointing to something deleted since is left out.
    roster_activity = _positions(activities.ids, read.roster_activity)
    person = _positions(persons.ids, read.roster_person)
    tally_activity = _positions(activities.ids, read.tally_activity)
    roster_kept = (roster_activity >= 0) & (person >= 0)
    tally_kept = tally_activity >= 0
    roster, tallies = int(roster_kept.sum()), int(tally_kept.sum())
    if roster < len(roster_kept):
        roster_activity, person = roster_activity[roster_kept], person[roster_kept]
    tallied = slice(None) if tallies == len(tally_kept) else tally_kept
    roster_rows = slice(None) if roster == len(roster_kept) else roster_kept
    # The organization a person attended for, else their own.
    attended_for = read.roster_organization[roster_rows]
    organization_id = np.where(attended_for >= 0, attended_for, persons.organization[person])

    # First-fact order, worked out on the few columns it needs, then applied to the rest
    # before anything is gathered from the small tables.
    activity = np.concatenate([roster_activity, tally_activity[tallied]])
    day = activities.day[activity]
    record_id = np.concatenate([read.roster_ids[roster_rows], read.tally_ids[tallied]])
    is_tally = np.concatenate([np.zeros(roster, bool), np.ones(tallies, bool)])
    headcount = np.concatenate([np.ones(roster, np.int64), read.headcount[tallied]])
    order = columnar.first_fact_order(day, is_tally, record_id, headcount > 0)
    none = np.full(tallies, -1, dtype=np.int64)
    zeros = np.zeros(tallies, dtype=np.int32)
    sex_vocabulary, (person_sex, tally_sex) = _unify(
        [persons.sex.vocabulary, read.tally_sex_vocabulary]
    )

    def arranged(roster_part: np.ndarray, tally_part: np.ndarray) -> np.ndarray:
        both = np.concatenate([roster_part, tally_part])
        return both if order is None else both[order]

    if order is not None:
        activity, day = activity[order], day[order]
        record_id, is_tally, headcount = record_id[order], is_tally[order], headcount[order]
    person = arranged(person, none)
    organization = _positions(organizations.ids, arranged(organization_id, none))
    tally_community = _positions(places.community_ids, read.tally_community[tallied]) + 1
    # Gathers: roster rows read the person's table (tallies read its "missing" entry, -1),
    # tally cells their own columns (roster rows carry 0 there); adding the two picks each.
    community = _with_missing(persons.community, 0)[person] + arranged(
        np.zeros(roster, np.int64), tally_community
    )
    sex = person_sex[_with_missing(persons.sex.codes, 0)[person]] + arranged(
        np.zeros(roster, np.int32), tally_sex[read.tally_sex[tallied]]
    )
    municipality = activities.municipality[activity]
    local_table, national_table = places.statuses()
    born = _with_missing(persons.born, -1)[person]
    age = activities.year[activity] - born // 10000 - (activities.monthday[activity] < born % 10000)
    age[(born < 0) | (age < 0) | (age > engine.MAX_PLAUSIBLE_AGE)] = -1
    participant = read.role_vocabulary.index(AttendanceRole.PARTICIPANT.value)
    return SourceColumns(
        source=Source.ATTENDANCE,
        record_id=record_id,
        is_tally=is_tally,
        day=day,
        municipality=Entities(municipality, places.ids),
        activity=Entities(activity, activities.ids),
        person=Entities(_with_missing(persons.canonical, -1)[person], persons.ids),
        organization=Entities(organization, organizations.ids),
        headcount=headcount,
        amount=np.zeros(len(record_id), dtype=np.int64),
        has_amount=np.zeros(len(record_id), dtype=bool),
        amount_scale=0,
        age=age.astype(np.int16),
        preset_band=Column(
            arranged(np.zeros(roster, np.int32), read.tally_band[tallied]), read.band_vocabulary
        ),
        attrs={
            "kind": activities.kind.take(activity),
            "topics": activities.topics.take(activity),
            "component": activities.component.take(activity),
            "role": Column(
                arranged(read.role[roster_rows], zeros + participant), read.role_vocabulary
            ),
            "sex": Column(sex, sex_vocabulary),
            "community": Column.from_codes(community, [None, *places.community_codes]),
            "affiliation": Column(
                arranged(read.affiliation.codes[roster_rows], zeros), read.affiliation.vocabulary
            ),
            "organization_kind": Column(
                _with_missing(organizations.kind.codes, 0)[organization],
                organizations.kind.vocabulary,
            ),
            "sector": Column(
                _with_missing(organizations.sector.codes, 0)[organization],
                organizations.sector.vocabulary,
            ),
            "local_status": Column(local_table[community, municipality + 1], _STATUS_VOCABULARY),
            "national_status": Column(national_table[community], _STATUS_VOCABULARY),
        },
    )


def read_columns(
    sources: Iterable[Source] | None = None,
    *,
    using: str = "default",
    timings: Timings | None = None,
) -> dict[Source, SourceColumns]:
    """The columns of the given sources (all of them by default), each source read whole.

    ``timings``, when given, collects the seconds spent per step (reading each table,
    assembling), for the benchmark.
    """
    wanted = set(Source) if sources is None else set(sources)
    reader = _Reader(using)
    columns: dict[Source, SourceColumns] = {}
    if Source.ATTENDANCE in wanted:
        attendance = _read_attendance(reader, timings)  # before the tables it points to
    if wanted & {Source.ACTIVITIES, Source.ATTENDANCE}:
        with _timed(timings, "read places"):
            places = _read_places()
        with _timed(timings, "read activities"):
            activities = _read_activities(reader, places)
        if Source.ACTIVITIES in wanted:
            columns[Source.ACTIVITIES] = _activity_source(activities, places)
    if Source.ATTENDANCE in wanted:
        with _timed(timings, "read persons"):
            persons = _read_persons(reader, places)
        with _timed(timings, "read organizations"):
            organizations = _read_organizations(reader)
        with _timed(timings, "assemble attendance"):
            columns[Source.ATTENDANCE] = _attendance_source(
                attendance, activities, places, persons, organizations
            )
    for source in (Source.GRANTS, Source.PLANS, Source.PROJECTS, Source.ENTERED):
        if source in wanted:
            with _timed(timings, f"read {source.value}"):
                found = columnar.from_facts(facts.FEEDS[source]())
                columns[source] = found.get(source) or SourceColumns.empty(source)
    return columns
