"""The full indicator tracking table, computed live from a million attendances (issue: counting).

A generated program (deterministic seed) of 20,000 activities from April 2014 to April 2017,
200,000 persons (some merged into others by linkage), 1,000,000 roster rows, tally cells,
grants, capacity plans and infrastructure projects is written into a fresh database. The full
tracking table is then computed live, with no batch rebuild: every active indicator over the
life of project, every fiscal year and every fiscal quarter, split by every disaggregation of
its definition plus the cross-tabulations sex x age band and sex x community and the local and
national status (where the unit allows them). Timed warm: the median of ``--runs`` runs after one
warm-up, the reader (``akt.indicators.column_reader``: database to arrays) apart from the
computation (``akt.counting.columnar``).

The records are drawn to look like the program: activity kinds and topics in proportions that
give every shipped indicator a real share (debates on the language law, hearings, joint
activities, community-rights workshops, management and property-tax trainings for municipal
staff, agricultural-processing trainings and business services for farmers and entrepreneurs);
attendees mostly from the activity's municipality and from the audience its kind serves, so
people come back across quarters; communities in each municipality's mix, some undeclared.

DuckDB computes the same numbers from the same rows in the same run: the arrays the reader
returned are handed to DuckDB in memory (Arrow) and loaded into DuckDB tables, texts as ENUMs
(not timed); only its SQL is timed: per indicator one query that filters, places every row in
its windows (an equality join on the day), keeps each person's (organization's, activity's)
first fact per window with ``arg_min`` over the (date, tally, id) order, and counts the cells
with ``GROUPING SETS``. The bench prints both times and their ratio (goal: the columnar
computation at most 3x DuckDB's) and checks every figure and every non-zero cell of the two
against each other (the property tests hold the zero cells to the reference engine).

Targets: the tracking table live (read + compute) in at most 2 s warm, on SQLite and on
PostgreSQL.

Run: ``.venv/bin/python bench/tracking_table.py`` (SQLite in a temporary folder; about a minute
of set-up at full size); ``--database-url postgres://postgres@127.0.0.1:5432/test`` runs on a
fresh PostgreSQL database created on that server (and dropped after); ``--scale 0.05`` for a
small run while developing; ``--duckdb-threads 1`` to set DuckDB on one core like the columnar
engine; ``--profile`` prints where the computation's time goes; ``--pending 3000`` then puts
3,000 pairs of attendees in the review queue (single pairs, chains of three, tangles of four)
and times the whole table again, each unique-person figure then carrying its range.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from _database import fresh_database, set_up

TARGET_SECONDS = 2.0
DUCKDB_RATIO_GOAL = 3.0
START, END = dt.date(2014, 4, 1), dt.date(2017, 4, 30)

# Extra splits of the bench's table, where the unit allows them (activities have no sex).
EXTRA_SPLITS: tuple[Any, ...] = (
    ("sex", "age_band"),
    ("sex", "community"),
    "local_status",
    "national_status",
)

# Kinds of activity: share of all activities, mean attendance, component, topics (with weights).
KINDS: dict[str, tuple[float, int, str, tuple[tuple[str | None, float], ...]]] = {
    "public_debate": (0.06, 60, "communication", (("law-on-use-of-languages", 0.6),
                                                  ("municipal-regulations", 0.4))),
    "public_hearing": (0.08, 70, "municipal", (("municipal-budget", 0.6),
                                               ("municipal-regulations", 0.4))),
    "joint_activity": (0.10, 90, "communication", (("infrastructure", 0.5),
                                                   ("culture-sport", 0.5))),
    "workshop": (0.14, 40, "local-partners", (("community-rights", 0.6), ("management", 0.4))),
    "training": (0.30, 40, "municipal", (("management", 0.25), ("property-tax", 0.2),
                                         ("dairy-processing", 0.15),
                                         ("fruit-vegetable-processing", 0.1),
                                         ("medicinal-aromatic-plants", 0.1),
                                         ("business-development", 0.2))),
    "business_service": (0.12, 30, "economic", (("business-development", 1.0),)),
    "technical_assistance": (0.08, 30, "economic", (("business-development", 0.7), (None, 0.3))),
    "meeting": (0.12, 25, "municipal", ((None, 1.0),)),
}  # fmt: skip

# Who comes: per kind, the share of attendees drawn from municipal staff, from farmers and
# entrepreneurs, and from everyone.
AUDIENCE = {
    "training": (0.5, 0.4, 0.1),
    "workshop": (0.6, 0.0, 0.4),
    "business_service": (0.0, 0.8, 0.2),
    "technical_assistance": (0.0, 0.8, 0.2),
}
STAFF = ("municipal_employee", "finance_officer", "mocr_member", "committee_member")
ECONOMIC = ("farmer", "entrepreneur")
AFFILIATIONS = (
    ("municipal_employee", 15), ("finance_officer", 4), ("mocr_member", 3),
    ("committee_member", 3), ("farmer", 15), ("entrepreneur", 15), ("civil_society", 10),
    ("citizen", 25), ("", 10),
)  # fmt: skip
SECTORS = (
    "agriculture", "dairy", "fruit_vegetable", "medicinal_plants", "beekeeping",
    "wood_processing", "furniture", "services", "other",
)  # fmt: skip
ROLES = (("participant", 92), ("speaker", 2), ("trainer", 4), ("organizer", 2))


# --- The database -----------------------------------------------------------------------------


def insert(model: Any, fields: Sequence[str], rows: Iterable[tuple]) -> None:
    """Rows written with the database's bulk path (executemany on SQLite, COPY on
    PostgreSQL); the model's other columns get their defaults, timestamps the time now."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    extra, constants = [], []
    for field in model._meta.concrete_fields:
        if field.attname in fields or field.primary_key:
            continue  # an id left out is the database's to give
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.null:
            value = None
        else:
            value = field.get_default()
        extra.append(field.column)
        constants.append(field.get_db_prep_save(value, connection))
    columns = [model._meta.get_field(name).column for name in fields] + extra
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    tail = tuple(constants)
    full = (row + tail for row in rows)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in full:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        connection.ensure_connection()
        connection.connection.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", full)


def reset_sequences(models: Sequence[Any]) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


# --- Generating the program -------------------------------------------------------------------


def _choice(rng: np.random.Generator, items: Sequence[tuple[Any, float]], size: int) -> np.ndarray:
    values = [item for item, _weight in items]
    weights = np.array([weight for _item, weight in items], dtype=float)
    picked = rng.choice(len(values), size=size, p=weights / weights.sum())
    return np.array(values, dtype=object)[picked]


def _iso(days: np.ndarray) -> list[str]:
    return np.datetime_as_string(days.astype("datetime64[D]")).tolist()


def generate(scale: float, seed: int) -> dict[str, int]:
    """Writes the program's records; returns how many of each were written."""
    from django.db import connection, transaction

    from akt.activities.models import Activity, Attendance, Tally, Topic
    from akt.capacity.models import CapacityDevelopmentPlan
    from akt.grants.models import Grant
    from akt.infrastructure.models import InfrastructureProject
    from akt.people.models import Organization, Person
    from akt.places.models import Community, Municipality
    from akt.places.participant_mix import COMMUNITY_MIX, MUNICIPALITY_SIZE
    from akt.program.models import Component

    rng = np.random.default_rng(seed)
    n_activities = max(200, int(20_000 * scale))
    n_persons = max(2_000, int(200_000 * scale))
    n_attendances = max(10_000, int(1_000_000 * scale))
    n_organizations = max(200, int(10_000 * scale))
    n_grants = max(50, int(2_000 * scale))
    n_projects = max(20, int(120 * scale))

    municipality_ids = dict(Municipality.objects.values_list("code", "pk"))
    community_ids = dict(Community.objects.values_list("code", "pk"))
    component_ids = dict(Component.objects.values_list("code", "pk"))
    topic_ids = dict(Topic.objects.values_list("code", "pk"))
    partners = sorted(MUNICIPALITY_SIZE)
    sizes = np.array([MUNICIPALITY_SIZE[code] for code in partners], dtype=float)
    place = np.array([municipality_ids[code] for code in partners])
    days = (END - START).days + 1
    first_day = (START - dt.date(1970, 1, 1)).days
    counts: dict[str, int] = {}

    with transaction.atomic():
        # Organizations: farms and businesses mostly, some municipal offices and NGOs.
        org_kind = _choice(
            rng,
            [("farm", 35), ("business", 40), ("municipal_office", 5), ("civil_society", 15),
             ("other", 5)],
            n_organizations,
        )  # fmt: skip
        org_place = rng.choice(len(partners), n_organizations, p=sizes / sizes.sum())
        economic_org = np.isin(org_kind, ["farm", "business"])
        org_sector = np.where(
            economic_org, np.array(SECTORS, dtype=object)[rng.integers(0, 9, n_organizations)], ""
        )
        insert(
            Organization,
            ["id", "name", "kind", "sector", "municipality_id"],
            (
                (i + 1, f"Bench organization {i + 1}", org_kind[i], org_sector[i],
                 int(place[org_place[i]]))
                for i in range(n_organizations)
            ),
        )  # fmt: skip
        counts["organizations"] = n_organizations

        # Persons: a home municipality, a community in its mix, an affiliation.
        home = rng.choice(len(partners), n_persons, p=sizes / sizes.sum())
        community = np.empty(n_persons, dtype=object)
        for index, code in enumerate(partners):
            here = np.flatnonzero(home == index)
            mix = [(community_ids[c], weight) for c, weight in COMMUNITY_MIX[code]]
            community[here] = _choice(rng, mix, len(here))
        undeclared = rng.random(n_persons)
        community[undeclared < 0.04] = community_ids["prefer-not-to-say"]
        community[(undeclared >= 0.04) & (undeclared < 0.10)] = None
        sex = _choice(rng, [("female", 45), ("male", 50), ("", 5)], n_persons)
        affiliation = _choice(rng, AFFILIATIONS, n_persons)
        birth_kind = rng.random(n_persons)
        age_days = rng.integers(15 * 365, 72 * 365, n_persons)
        born = (dt.date(2016, 1, 1) - dt.date(1970, 1, 1)).days - age_days
        birth_date = np.where(birth_kind < 0.6, born, -1)
        birth_year = np.where(
            (birth_kind >= 0.6) & (birth_kind < 0.85), born.astype("datetime64[D]").astype(
                "datetime64[Y]").astype(int) + 1970, -1
        )  # fmt: skip
        economic = np.flatnonzero(economic_org) + 1
        offices = np.flatnonzero(org_kind == "municipal_office") + 1
        person_org = np.full(n_persons, -1)
        is_economic = np.isin(affiliation, ECONOMIC)
        is_staff = np.isin(affiliation, STAFF)
        with_org = rng.random(n_persons)
        pick = is_economic & (with_org < 0.8)
        person_org[pick] = rng.choice(economic, pick.sum())
        if len(offices):
            pick = is_staff & (with_org < 0.5)
            person_org[pick] = rng.choice(offices, pick.sum())
        # Linkage: 5% of the records are resolved to another (canonical) person.
        merged = rng.random(n_persons) < 0.05
        canonical = np.flatnonzero(~merged) + 1
        identity = np.full(n_persons, -1)
        identity[merged] = rng.choice(canonical, merged.sum())
        birth_dates = _iso(np.maximum(birth_date, 0))
        insert(
            Person,
            ["id", "uid", "identity_id", "given_name", "family_name", "sex", "birth_date",
             "birth_year", "community_id", "municipality_id", "affiliation", "organization_id"],
            (
                (
                    i + 1, f"{seed:08x}{i + 1:024x}", None if identity[i] < 0 else int(identity[i]),
                    f"Given{i + 1}", f"Family{i + 1}", sex[i],
                    birth_dates[i] if birth_date[i] >= 0 else None,
                    int(birth_year[i]) if birth_year[i] >= 0 else None,
                    community[i], int(place[home[i]]), affiliation[i],
                    int(person_org[i]) if person_org[i] > 0 else None,
                )
                for i in range(n_persons)
            ),
        )  # fmt: skip
        counts["persons"] = n_persons
        counts["merged persons"] = int(merged.sum())

        # Activities: kind, topics, municipality, a start date over the program's life.
        kinds = list(KINDS)
        kind = _choice(rng, [(k, KINDS[k][0]) for k in kinds], n_activities)
        act_place = rng.choice(len(partners), n_activities, p=sizes / sizes.sum())
        start = first_day + rng.integers(0, days, n_activities)
        length = rng.integers(0, 3, n_activities)
        starts, ends = _iso(start), _iso(np.minimum(start + length, first_day + days - 1))
        insert(
            Activity,
            ["id", "title", "kind", "component_id", "municipality_id", "start_date", "end_date"],
            (
                (i + 1, f"Bench activity {i + 1}", kind[i], component_ids[KINDS[kind[i]][2]],
                 int(place[act_place[i]]), starts[i], ends[i])
                for i in range(n_activities)
            ),
        )  # fmt: skip
        links = []
        for k in kinds:
            chosen = np.flatnonzero(kind == k)
            topics = _choice(rng, list(KINDS[k][3]), len(chosen))
            links += [(int(a) + 1, topic_ids[t]) for a, t in zip(chosen, topics, strict=True) if t]
        insert(Activity.topics.through, ["activity_id", "topic_id"], links)
        counts["activities"] = n_activities

        # Attendance: per activity a number of attendees, drawn from its audience, mostly from
        # its own municipality; a person is on an activity's roster at most once.
        mean = np.array([KINDS[k][1] for k in kind], dtype=float)
        wanted = rng.poisson(mean * n_attendances / mean.sum() * 1.04)
        slot_activity = np.repeat(np.arange(n_activities), wanted)
        slot_kind = kind[slot_activity]
        group = np.full(len(slot_activity), 2)
        draw = rng.random(len(slot_activity))
        for k, (staff, econ, _anyone) in AUDIENCE.items():
            here = slot_kind == k
            group[here & (draw < staff)] = 0
            group[here & (draw >= staff) & (draw < staff + econ)] = 1
        person_group = np.where(is_staff, 0, np.where(is_economic, 1, 2))
        local = rng.random(len(slot_activity)) < 0.85
        slot_place = np.where(local, act_place[slot_activity], len(partners))
        pool_key = np.where(person_group == 2, 2, person_group)
        slot_person = np.zeros(len(slot_activity), dtype=np.int64)
        for g in range(3):
            members = np.flatnonzero((pool_key == g) | (g == 2))
            for p in range(len(partners) + 1):
                pool = members if p == len(partners) else members[home[members] == p]
                slots = np.flatnonzero((group == g) & (slot_place == p))
                if len(slots) and len(pool):
                    slot_person[slots] = pool[rng.integers(0, len(pool), len(slots))]
        pairs = slot_activity * (n_persons + 1) + slot_person
        _unique, first = np.unique(pairs, return_index=True)
        keep = np.sort(rng.permutation(first)[:n_attendances])
        att_activity, att_person = slot_activity[keep] + 1, slot_person[keep] + 1
        role = _choice(rng, ROLES, len(keep))
        represented = np.full(len(keep), -1)
        pick = (rng.random(len(keep)) < 0.1) & is_economic[att_person - 1]
        represented[pick] = rng.choice(economic, pick.sum())
        insert(
            Attendance,
            ["id", "activity_id", "person_id", "role", "organization_id"],
            (
                (i + 1, int(att_activity[i]), int(att_person[i]), role[i],
                 int(represented[i]) if represented[i] > 0 else None)
                for i in range(len(keep))
            ),
        )  # fmt: skip
        counts["roster rows"] = len(keep)

        # Tallies: large events (debates, hearings, joint activities) counted by headcount.
        big = np.flatnonzero(np.isin(kind, ["public_debate", "public_hearing", "joint_activity"]))
        counted = rng.choice(big, max(1, len(big) // 4), replace=False)
        cells = [
            (s, c, b)
            for s in ("female", "male", "")
            for c in ("albanian", "serb", "roma", "turkish", "prefer-not-to-say", None)
            for b in ("0-14", "15-29", "30+", "")
        ]
        tallies = []
        for a in counted.tolist():
            for index in rng.choice(len(cells), rng.integers(2, 9), replace=False).tolist():
                s, c, b = cells[index]
                tallies.append(
                    (len(tallies) + 1, a + 1, s, community_ids[c] if c else None, b,
                     int(rng.integers(1, 120)))
                )  # fmt: skip
        insert(
            Tally, ["id", "activity_id", "sex", "community_id", "age_band", "headcount"], tallies
        )
        counts["tally cells"] = len(tallies)

        # Grants to farms and businesses, plans per municipality, infrastructure projects.
        recipients = rng.choice(economic, n_grants)
        award = _iso(first_day + rng.integers(0, days, n_grants))
        amount = rng.integers(200_000, 5_000_000, n_grants)  # cents
        currency = _choice(rng, [("USD", 95), ("EUR", 5)], n_grants)
        org_places = place[org_place]
        insert(
            Grant,
            ["id", "reference", "recipient_id", "component_id", "municipality_id", "sector",
             "amount", "currency", "award_date"],
            (
                (i + 1, f"BENCH-G-{i + 1:06d}", int(recipients[i]), component_ids["economic"],
                 int(org_places[recipients[i] - 1]), org_sector[recipients[i] - 1] or "other",
                 str(Decimal(int(amount[i])).scaleb(-2)), currency[i], award[i])
                for i in range(n_grants)
            ),
        )  # fmt: skip
        counts["grants"] = n_grants
        plans = []
        for index, code in enumerate(partners):
            for year in (2015, 2016, 2017):
                adopted = rng.random() < 0.7
                day = dt.date(year - 1, 10, 1) + dt.timedelta(days=int(rng.integers(0, 200)))
                plans.append(
                    (len(plans) + 1, int(place[index]), f"Bench plan {code} {year}",
                     "adopted" if adopted else "draft", day.isoformat() if adopted else None,
                     dt.date(year - 1, 10, 1).isoformat(), dt.date(year, 9, 30).isoformat())
                )  # fmt: skip
        insert(
            CapacityDevelopmentPlan,
            ["id", "municipality_id", "title", "status", "adopted_on", "period_start",
             "period_end"],
            plans,
        )  # fmt: skip
        counts["plans"] = len(plans)
        status = _choice(rng, [("completed", 60), ("under_way", 25), ("planned", 15)], n_projects)
        begun = first_day + rng.integers(0, days - 200, n_projects)
        done = _iso(begun + rng.integers(60, 200, n_projects))
        begun_iso = _iso(begun)
        insert(
            InfrastructureProject,
            ["id", "code", "title", "component_id", "municipality_id", "status", "start_date",
             "completion_date", "program_contribution"],
            (
                (i + 1, f"BENCH-P-{i + 1:05d}", f"Bench project {i + 1}",
                 component_ids["communication"], int(place[rng.integers(0, len(partners))]),
                 status[i], begun_iso[i], done[i] if status[i] == "completed" else None,
                 str(Decimal(int(rng.integers(1_000_000, 20_000_000))).scaleb(-2)))
                for i in range(n_projects)
            ),
        )  # fmt: skip
        counts["projects"] = n_projects
    reset_sequences(
        [Organization, Person, Activity, Attendance, Tally, Grant, CapacityDevelopmentPlan,
         InfrastructureProject]
    )  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


# --- DuckDB: the same numbers in SQL ----------------------------------------------------------


def _arrow_table(columns: Any) -> Any:
    """One source's rows (as the reader returned them) as an Arrow table of plain values:
    ids, dates, the age, and every attribute as text (a list of texts for topics)."""
    import pyarrow as pa

    def entity(entities: Any) -> Any:
        ids = entities.row_ids()
        return pa.array(ids, mask=ids < 0)

    def text(column: Any) -> Any:
        indices = pa.array(column.codes.astype(np.int32), mask=column.codes == 0)
        return pa.DictionaryArray.from_arrays(indices, pa.array(list(column.vocabulary)))

    def text_sets(column: Any) -> Any:
        rows, items = [], []
        for code in range(1, len(column.vocabulary)):
            word, bit = divmod(code, 64)
            found = np.flatnonzero((column.sets[:, word] >> np.uint64(bit)) & np.uint64(1))
            rows.append(found)
            items.append(np.full(len(found), code, dtype=np.int32))
        row = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        item = np.concatenate(items) if items else np.zeros(0, np.int32)
        order = np.argsort(row, kind="stable")
        offsets = np.zeros(len(column) + 1, dtype=np.int32)
        np.cumsum(np.bincount(row, minlength=len(column)), out=offsets[1:])
        values = pa.DictionaryArray.from_arrays(
            pa.array(item[order]), pa.array(list(column.vocabulary))
        )
        return pa.ListArray.from_arrays(pa.array(offsets), values)

    amount = np.where(columns.has_amount, columns.amount, 0)
    data = {
        "record_id": pa.array(columns.record_id),
        "is_tally": pa.array(columns.is_tally),
        "day": pa.array(columns.day.astype(np.int32)).cast(pa.date32()),
        "municipality": text(columns.municipality_column()),
        "municipality_id": entity(columns.municipality),
        "activity": entity(columns.activity),
        "person": entity(columns.person),
        "organization": entity(columns.organization),
        "headcount": pa.array(columns.headcount),
        "amount": pa.array(amount, mask=~columns.has_amount),
        "age": pa.array(columns.age.astype(np.int16), mask=columns.age < 0),
        "preset_band": text(columns.preset_band),
    }
    for name, column in columns.attrs.items():
        data[f"a_{name}"] = text_sets(column) if column.sets is not None else text(column)
    return pa.table(data)


def pa_is_dictionary(kind: Any) -> bool:
    import pyarrow as pa

    return pa.types.is_dictionary(kind)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _band_sql(bands: Sequence[Any]) -> str:
    whens = " ".join(
        f"WHEN age BETWEEN {band.low} AND {120 if band.high is None else band.high} "
        f"THEN {_quote(band.label)}"
        for band in bands
    )
    labels = ", ".join(_quote(band.label) for band in bands)
    return (
        f"CASE {whens} ELSE CASE WHEN preset_band::VARCHAR IN ({labels}) "
        "THEN preset_band::VARCHAR END END"
    )


def _dimension_sql(name: str, table_columns: set[str], bands: Sequence[Any]) -> str:
    """A dimension's value as the engine reads it (missing: NULL)."""
    if name == "age_band":
        return f"({_band_sql(bands)})"
    if name == "municipality":
        return "municipality::VARCHAR"
    column = f"a_{name}"
    return f"{column}::VARCHAR" if column in table_columns else "NULL::VARCHAR"


def duckdb_sql(
    definition: Any, table: str, table_columns: set[str], sets: set[str], enums: dict[str, set]
) -> str:
    """One indicator over every window in one query: rows ``(window, grouping, cells...,
    value, n)`` for each grouping set, plus per window the tally headcount and uncounted.

    Text columns are DuckDB ENUMs (its dictionary encoding); a filter names only the values an
    ENUM has (another value cannot match, and DuckDB would refuse to cast it)."""
    from akt.counting import engine

    conditions = []
    for name, allowed in sorted(definition.filters.items()):
        column = "municipality" if name == "municipality" else f"a_{name}"
        if column in enums:
            allowed = allowed & enums[column]
        values = ", ".join(_quote(value) for value in sorted(allowed))
        if not values:
            conditions.append("FALSE")
        elif name in sets:
            conditions.append(f"list_has_any(a_{name}, [{values}])")
        elif column in enums:
            conditions.append(f"{column} IN ({values})")
        else:
            value = _dimension_sql(name, table_columns, definition.age_bands)
            conditions.append(f"{value} IN ({values})")
    where = " AND ".join(conditions) or "TRUE"
    names = list(
        dict.fromkeys(
            name for split in definition.disaggregations for name in engine.dimensions_of(split)
        )
    )
    dims = {name: f"d{i}" for i, name in enumerate(names)}
    cell_columns = ", ".join(
        f"COALESCE({_dimension_sql(name, table_columns, definition.age_bands)}, 'unknown') "
        f"AS {alias}"
        for name, alias in dims.items()
    )
    unit = definition.unit
    entity = {"activities": "activity", "persons": "person", "organizations": "organization"}.get(
        unit.value
    )
    if entity is None:
        counted = "amount IS NOT NULL" if unit.value == "amount" else "TRUE"
        weight = {"attendances": "headcount", "amount": "amount", "records": "1"}[unit.value]
        counted_rows = (
            f"SELECT window_id, {weight} AS weight{', ' if dims else ''}"
            + ", ".join(dims.values())
            + f" FROM in_window WHERE {counted}"
        )
    else:
        counted = f"{entity} IS NOT NULL" + (" AND NOT is_tally" if entity == "person" else "")
        struct = ", ".join(f"{alias} := {alias}" for alias in dims.values())
        first = f"arg_min(struct_pack({struct}), fact_order)" if dims else "NULL"
        picked = ", ".join(f"first.{alias} AS {alias}" for alias in dims.values())
        counted_rows = (
            f"SELECT window_id, 1 AS weight{', ' if dims else ''}{picked} FROM ("
            f"SELECT window_id, {first} AS first FROM in_window WHERE {counted} "
            f"GROUP BY window_id, {entity})"
        )
    sets_sql = ["(window_id)"] + [
        "(window_id, " + ", ".join(dims[name] for name in engine.dimensions_of(split)) + ")"
        for split in definition.disaggregations
    ]
    grouping = f"GROUPING({', '.join(dims.values())})" if dims else "0"
    tally = "headcount" if unit.value == "persons" else "0"
    not_counted = f"NOT ({counted})" + (" AND NOT is_tally" if unit.value == "persons" else "")
    return f"""
        WITH selected AS (
            SELECT *, (CAST(day - DATE '1970-01-01' AS BIGINT) << 41)
                      + (CAST(is_tally AS BIGINT) << 40) + record_id AS fact_order
                   {", " if dims else ""}{cell_columns}
            FROM {table} WHERE {where}
        ),
        in_window AS (
            SELECT w.window_id, s.* FROM selected s JOIN window_days w ON s.day = w.day
        ),
        counted AS ({counted_rows})
        SELECT window_id, {grouping} AS g, {", ".join(dims.values()) or "NULL"},
               SUM(weight) AS value, COUNT(*) AS n
        FROM counted GROUP BY GROUPING SETS ({", ".join(sets_sql)})
        UNION ALL
        SELECT window_id, -1, {", ".join("NULL" for _ in dims) or "NULL"},
               SUM(CASE WHEN is_tally THEN {tally} ELSE 0 END),
               COUNT(*) FILTER (WHERE {not_counted})
        FROM in_window GROUP BY window_id
    """


def duckdb_version() -> str:
    import duckdb

    return duckdb.__version__


class DuckDBTable:
    """The same rows loaded into DuckDB; :meth:`compute` runs the SQL (what is timed)."""

    def __init__(
        self,
        columns: dict,
        windows: Sequence[Any],
        definitions: Sequence[Any],
        threads: int = 2,
    ) -> None:
        import duckdb

        from akt.counting.columnar import day_number

        began = time.perf_counter()
        self.connection = duckdb.connect()
        self.connection.execute(f"SET threads TO {threads}")
        self.windows = list(windows)
        self.definitions = list(definitions)
        self.scales = {}
        self.enums: dict[Any, dict[str, set]] = {}
        for source, source_columns in columns.items():
            arrow = _arrow_table(source_columns)
            self.connection.register("incoming", arrow)
            selected, enums = [], {}
            for field in arrow.schema:
                if pa_is_dictionary(field.type):
                    dictionary = arrow.column(field.name).combine_chunks().dictionary
                    values = sorted({value for value in dictionary.to_pylist() if value})
                    kind = f"e_{source.value}_{field.name}"
                    listed = ", ".join(_quote(value) for value in values) or "'-'"
                    self.connection.execute(f"CREATE TYPE {kind} AS ENUM ({listed})")
                    selected.append(f"CAST({field.name}::VARCHAR AS {kind}) AS {field.name}")
                    enums[field.name] = set(values)
                else:
                    selected.append(field.name)
            self.connection.execute(
                f"CREATE TABLE f_{source.value} AS SELECT {', '.join(selected)} FROM incoming"
            )
            self.connection.unregister("incoming")
            self.scales[source] = source_columns.amount_scale
            self.enums[source] = enums
        rows = [
            (index, day_number(window.start), day_number(window.end))
            for index, window in enumerate(self.windows)
        ]
        # Every day of every window: rows find their windows by an equality join, which
        # DuckDB does much faster than a range join.
        self.connection.execute(
            "CREATE TABLE window_days AS SELECT window_id, DATE '1970-01-01' + d::INTEGER AS day "
            "FROM (VALUES " + ", ".join(f"({a}, {b}, {c})" for a, b, c in rows) + ") "
            "AS v(window_id, first_day, last_day), range(first_day, last_day + 1) AS r(d)"
        )
        self.queries = []
        for definition in self.definitions:
            table = f"f_{definition.source.value}"
            if definition.source not in columns:
                self.queries.append(None)
                continue
            described = self.connection.execute(f"DESCRIBE {table}").fetchall()
            names = {row[0] for row in described}
            sets = {row[0][2:] for row in described if row[1].endswith("[]")}
            self.queries.append(
                duckdb_sql(definition, table, names, sets, self.enums[definition.source])
            )
        self.load_seconds = time.perf_counter() - began

    def compute(self) -> list[list[tuple]]:
        return [
            [] if sql is None else self.connection.execute(sql).fetchall() for sql in self.queries
        ]

    def figures(self, answers: list[list[tuple]]) -> dict[tuple[str, str], dict]:
        """The answers as {(code, window label): {"value", "tally", "uncounted", split: cells}}
        with only non-zero cells (DuckDB has no row for an empty cell)."""
        from akt.counting import engine

        out: dict[tuple[str, str], dict] = {}
        for definition, rows in zip(self.definitions, answers, strict=True):
            names = list(
                dict.fromkeys(
                    name
                    for split in definition.disaggregations
                    for name in engine.dimensions_of(split)
                )
            )
            scale = self.scales.get(definition.source, 0)
            for window in self.windows:
                out[definition.code, window.label] = {
                    "value": 0, "tally": 0, "uncounted": 0,
                    **{split: {} for split in definition.disaggregations},
                }  # fmt: skip
            for row in rows:
                window = self.windows[row[0]]
                grouping, cells, value = row[1], row[2 : 2 + max(len(names), 1)], row[-2]
                entry = out[definition.code, window.label]
                if grouping == -1:
                    entry["tally"] = int(value or 0)
                    entry["uncounted"] = int(row[-1])
                    continue
                if definition.unit.value == "amount":
                    value = Decimal(int(value)).scaleb(-scale)
                else:
                    value = int(value)
                present = {
                    name for position, name in enumerate(names)
                    if not grouping >> (len(names) - 1 - position) & 1
                }  # fmt: skip
                if not present:
                    entry["value"] = value
                    continue
                for split in definition.disaggregations:
                    wanted = engine.dimensions_of(split)
                    if set(wanted) != present:
                        continue
                    key = tuple(cells[names.index(name)] for name in wanted)
                    if value:
                        entry[split][key[0] if isinstance(split, str) else key] = value
        return out


def compare(table: Any, duck: dict[tuple[str, str], dict]) -> tuple[int, list[str]]:
    """Every figure and non-zero cell of the columnar table against DuckDB's."""
    problems: list[str] = []
    cells = 0
    for (code, window), figures in table:
        theirs = duck[code, window.label]
        where = f"{code} {window.label}"
        if figures.value != theirs["value"]:
            problems.append(f"{where}: value {figures.value} != {theirs['value']}")
        if figures.tally_headcount != theirs["tally"]:
            problems.append(f"{where}: tally {figures.tally_headcount} != {theirs['tally']}")
        if figures.uncounted != theirs["uncounted"]:
            problems.append(f"{where}: uncounted {figures.uncounted} != {theirs['uncounted']}")
        for split, mine in figures.breakdowns.items():
            nonzero = {cell: value for cell, value in mine.items() if value}
            cells += len(mine)
            if nonzero != theirs[split]:
                problems.append(f"{where} {split}: {nonzero} != {theirs[split]}")
    return cells, problems


def queue_pairs(pairs: int, seed: int, persons: int) -> None:
    """``pairs`` review pairs between persons of the registry, as a batch run of the linkage
    leaves them: 80% single pairs, 15% chains of three records, 5% tangles of four."""
    from akt.linkage.models import ReviewPair

    rng = np.random.default_rng(seed + 1)
    people = (rng.permutation(persons)[: pairs * 2] + 1).tolist()
    found: list[tuple[int, int]] = []
    while len(found) < pairs and len(people) >= 4:
        kind = rng.random()
        if kind < 0.8:
            group = [people.pop(), people.pop()]
            found.append((group[0], group[1]))
        elif kind < 0.95:
            group = [people.pop() for _ in range(3)]
            found += list(zip(group, group[1:], strict=False))
        else:
            group = [people.pop() for _ in range(4)]
            found += [(a, b) for i, a in enumerate(group) for b in group[i + 1 :]]
    chances = rng.uniform(0.3, 0.95, len(found))
    insert(
        ReviewPair,
        ["person_a_id", "person_b_id", "probability", "match_weight", "evidence", "status"],
        (
            (min(a, b), max(a, b), float(p), 1.0, "[]", "pending")
            for (a, b), p in zip(found[:pairs], chances, strict=False)
        ),
    )


# --- Running ----------------------------------------------------------------------------------


def _split_name(split: Any) -> str:
    return split if isinstance(split, str) else " x ".join(split)


def timed_runs(function: Callable[[], Any], runs: int) -> tuple[Any, list[float]]:
    result = function()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return result, times


def run(arguments: argparse.Namespace) -> None:
    with fresh_database(arguments.database_url) as where:
        print(f"tracking table on {where}, scale {arguments.scale:g}")
        started = time.perf_counter()
        set_up()
        counts = generate(arguments.scale, arguments.seed)

        from akt.counting import columnar, engine
        from akt.indicators.column_reader import read_columns
        from akt.indicators.fact_reader import definition_for
        from akt.indicators.models import Indicator
        from akt.indicators.selectors import life_of_project

        print(
            f"  set-up {time.perf_counter() - started:.0f} s (not timed): "
            + ", ".join(f"{count:,} {name}" for name, count in counts.items())
        )
        indicators = list(Indicator.objects.active())
        definitions = [definition_for(indicator, EXTRA_SPLITS) for indicator in indicators]
        windows = engine.tracking_windows(life_of_project())
        sources = {definition.source for definition in definitions}
        splits = sum(len(definition.disaggregations) for definition in definitions)
        print(
            f"  the table: {len(definitions)} indicators x {len(windows)} windows (life of "
            f"project, {sum(w.label.startswith('FY') and 'Q' not in w.label for w in windows)} "
            f"fiscal years, {sum('Q' in w.label for w in windows)} quarters), {splits} splits "
            f"(own disaggregations plus {', '.join(map(_split_name, EXTRA_SPLITS))} "
            "where they apply: attendance, not activity counts)"
        )

        step_times: dict[str, list[float]] = {}

        def read() -> Any:
            timings: dict[str, float] = {}
            columns = read_columns(sources, timings=timings)
            for step, seconds in timings.items():
                step_times.setdefault(step, []).append(seconds)
            return columns

        columns, read_times = timed_runs(read, arguments.runs)

        def compute() -> Any:
            # From the arrays as read: what is derived from them (cell codes, age bands) is
            # part of the computation, not left over from the previous run.
            fresh = {source: rows.uncached() for source, rows in columns.items()}
            return columnar.compute_table(definitions, fresh, windows)

        profiler = cProfile.Profile() if arguments.profile else None
        if profiler:
            profiler.enable()
        table, compute_times = timed_runs(compute, arguments.runs)
        if profiler:
            profiler.disable()

        def live() -> Any:
            return columnar.compute_table(definitions, read_columns(sources), windows)

        _live_table, live_times = timed_runs(live, arguments.runs)

        from akt.reports.tracking import tracking_table

        def whole_table() -> Any:
            # What the tracking page and its workbook compute: the figures above, then the
            # period rules, targets and percentages, the split rows and the mixed activities.
            return tracking_table(lop=life_of_project(), today=dt.date.today())

        _page_table, page_times = timed_runs(whole_table, arguments.runs)

        # The dashboard's figures: every indicator over one window, as every page, export and
        # command computes them (the columnar path), beside the reference engine fed record by
        # record (the specification; the pages' path before they shared the tracking table's).
        from akt.indicators import selectors

        quarter = next(window for window in windows if window.label == "FY2016 Q2")
        chosen = (("life of project", windows[0]), (quarter.label, quarter))
        dashboard_times = {
            label: timed_runs(lambda w=window: selectors.results_compute(window=w), arguments.runs)[
                1
            ]
            for label, window in chosen
        }
        reference_times = {}
        if hasattr(selectors, "reference_results"):
            for label, window in chosen:
                reference_times[label] = timed_runs(
                    lambda w=window: selectors.reference_results(window=w), 1
                )[1]
        pending_times: list[float] = []
        if arguments.pending:
            queue_pairs(arguments.pending, arguments.seed, counts["persons"])
            pending_table, pending_times = timed_runs(whole_table, arguments.runs)
            import akt.reports.tracking as tracking

            range_times: list[float] = []
            if hasattr(tracking, "pending_by_column"):  # not in a version without the ranges
                # The ranges alone: the pairs' query and every persons figure's range, over the
                # figures as computed (the rest of the difference is the split rows' ranges).
                by_key = tracking.tracking_columns(life_of_project())
                _figures, _read, computed = tracking.results_by_window(
                    indicators, {c.key: c.window for c in by_key}, engine.FULL_COVERAGE
                )
                _found, range_times = timed_runs(
                    lambda: tracking.pending_by_column(indicators, by_key, computed), arguments.runs
                )
            # (getattr: the same bench times the table of a version without the ranges)
            ranges = sum(
                getattr(cell, "range", None) is not None
                for row in pending_table.rows
                for cell in row.cells.values()
            ) + sum(
                getattr(cell, "range", None) is not None
                for rows in pending_table.splits.values()
                for split in rows
                for cell in split.cells.values()
            )

        duck = DuckDBTable(columns, windows, definitions, arguments.duckdb_threads)
        answers, duck_times = timed_runs(duck.compute, arguments.runs)
        cells, problems = compare(table, duck.figures(answers))

        read_s, compute_s = statistics.median(read_times), statistics.median(compute_times)
        live_s, duck_s = statistics.median(live_times), statistics.median(duck_times)
        rows = sum(len(c) for c in columns.values())

        def line(label: str, seconds: float, times: Sequence[float] = ()) -> None:
            spread = f"  (runs {min(times):.3f} to {max(times):.3f})" if times else ""
            print(f"    {label:<46} {seconds:6.3f} s{spread}")

        print(
            f"  {rows:,} rows; median of {arguments.runs} warm runs after one warm-up "
            f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):"
        )
        line("read: columns.py, database to arrays", read_s, read_times)
        for step, seconds in step_times.items():
            line(f"  {step}", statistics.median(seconds))
        line(f"compute: columnar.py, {len(table):,} figures", compute_s, compute_times)
        line("live: read + compute, one call", live_s, live_times)
        page_s = statistics.median(page_times)
        line("whole table as the page builds it", page_s, page_times)
        if pending_times:
            line(
                f"... with {arguments.pending:,} pairs awaiting review",
                statistics.median(pending_times),
                pending_times,
            )
            print(f"      ({ranges:,} figures and categories carry their range)")
            if range_times:
                line(
                    "  of which the ranges (pending_by_column)",
                    statistics.median(range_times),
                    range_times,
                )
        for label, times in dashboard_times.items():
            line(f"dashboard, {label}", statistics.median(times), times)
            if label in reference_times:
                line("  the reference engine from facts (one run)", reference_times[label][0])
        line("DuckDB: the same numbers in SQL", duck_s, duck_times)
        print(
            f"      (DuckDB {duckdb_version()}, {arguments.duckdb_threads} threads, the same rows "
            "handed over from the\n"
            f"      arrays via Arrow and loaded into DuckDB tables in {duck.load_seconds:.2f} s,"
            " not timed)"
        )
        print(f"    {'compute / DuckDB':<46} {compute_s / duck_s:6.2f}x")
        print(f"    {'live / DuckDB':<46} {live_s / duck_s:6.2f}x")
        nonzero = sum(
            1 for _key, figures in table for cells in figures.breakdowns.values()
            for value in cells.values() if value
        )  # fmt: skip
        agree = "agree" if not problems else f"DISAGREE in {len(problems)} places"
        print(
            f"  numbers: {len(table):,} figures with {cells:,} cells ({nonzero:,} not zero): "
            f"columnar and DuckDB {agree}"
        )
        for problem in problems[:10]:
            print(f"    {problem[:300]}")
        verdict = "meets" if live_s <= TARGET_SECONDS else "ABOVE"
        print(f"  target live <= {TARGET_SECONDS:g} s: {verdict}")
        verdict = "meets" if page_s <= TARGET_SECONDS else "ABOVE"
        print(f"  target the page's whole table <= {TARGET_SECONDS:g} s: {verdict}")
        ratio = "meets" if compute_s <= DUCKDB_RATIO_GOAL * duck_s else "ABOVE"
        print(f"  goal compute <= {DUCKDB_RATIO_GOAL:g}x DuckDB: {ratio}")
        if profiler:
            stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
            stats.sort_stats("cumulative").print_stats(25)
            stats.sort_stats("tottime").print_stats(20)
        assert not problems, "the columnar engine and DuckDB disagree"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the issue's sizes")
    parser.add_argument("--runs", type=int, default=5, help="timed runs after one warm-up")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument(
        "--database-url", help="a PostgreSQL server to run on (a fresh database is created)"
    )
    parser.add_argument(
        "--duckdb-threads", type=int, default=2, help="DuckDB's threads (the columnar engine has 1)"
    )
    parser.add_argument("--profile", action="store_true", help="profile the computation")
    parser.add_argument(
        "--pending", type=int, default=0, help="then time the table with this many review pairs"
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
