"""The project's linkage model: who is the same person (architecture section 5, issue 3).

The same person reaches the system on many sheets written differently ("Jovan Petrović",
"Јован Петровић", "PETROVIC Jovan"; a full birth date here, a year there). Counting unique
individuals needs those rows resolved into persons. This module is the pure computation core of
that resolution: plain rows in, persons and the evidence for each link out, no Django and no
database of the project. It is used by the ``akt link`` tool (:mod:`akt.linkage.standalone`), by
the import suggestions (:func:`match_records`) and by the batch re-resolution of the registry.

The model is a Fellegi-Sunter model built with Splink on its embedded DuckDB backend:

* :func:`prepare` derives comparison columns with the project's normalization
  (:mod:`akt.text.names`, :mod:`akt.places.gazetteer`): folded names, sound keys that map the
  Albanian and Serbian spellings of one sound together, a sorted name key that survives swapped
  given and family names, birth year/month/day, the municipality code.
* :func:`settings` holds the blocking rules and comparisons; :func:`train` estimates the model
  without labels; the trained model is versioned as ``data/model.json``.
* :func:`resolve` scores candidate pairs and clusters them under the program's own knowledge:
  two rows on the roster of one activity are two people, whatever their names say.

Retraining the versioned model (deterministic for a given seed)::

    .venv/bin/python -m akt.testing.linkage_synthetic --train 100000 --seed 20260101

which writes ``src/akt/linkage/data/model.json`` from the synthetic cross-script set of
:mod:`akt.testing.linkage_synthetic`. Review the diff of the JSON (m and u per level)
before committing.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

MODEL_PATH = Path(__file__).resolve().parent / "data" / "model.json"
"""The trained, versioned model used by the tool, the benchmarks and the registry."""

REQUIRED_COLUMNS = ("record_id", "given_name", "family_name", "birth_date", "sex", "municipality")
"""The columns every input row has (``activity_id`` is optional)."""

DEFAULT_UPPER = 0.2
"""Pairs at or above this match probability are linked.

Chosen by ``bench/linkage_thresholds.py`` on labelled pairs of the development seeds of BOTH
noise models (:mod:`akt.testing.linkage_synthetic` seed 2, :mod:`akt.testing.linkage_noise` seed
101, 100,000 records each) as the cut with the best F1 on the worse of the two among the cuts
that keep both person counts within 2%; the benchmark judges it on other seeds. Below even odds:
the cannot-link rules of the clustering refuse the joins a namesake would bring, so a link
threshold a little under one half gains more missed persons than it loses."""

DEFAULT_LOWER = 0.008
"""Pairs at or above this probability and below :data:`DEFAULT_UPPER` go to review.

Chosen with the link threshold: the lowest cut above which, taken from the most likely down,
at least one labelled pair in five of both development sets is one person (below it an officer
would mostly be asked to keep strangers apart). The registry batch and the import matching keep
thresholds of their own (:mod:`akt.linkage.batch`), far higher, where a false merge costs more
than a question."""

DEFAULT_SEED = 20260101

YEAR_GAP = 1
"""Records whose birth years all differ by more than this are never one person (see resolve)."""

EDGES_PER_RECORD = 3
"""How many of its strongest pairs each record brings to the clustering (see resolve)."""

Progress = Callable[[str], None]
"""A callback told the name of each step as it starts (the command draws its progress bar)."""

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# Preparation: the project's normalization turned into comparison columns
# --------------------------------------------------------------------------------------------


def _names_module() -> Any:
    from akt.text import names

    return names


def _gazetteer() -> Any:
    """The municipality gazetteer, whether the module offers a factory or an instance."""
    from akt.places import gazetteer as module

    candidate = getattr(module, "gazetteer", None)
    if callable(candidate) and not hasattr(candidate, "resolve"):
        return candidate()
    if candidate is not None:
        return candidate
    for value in vars(module).values():
        if hasattr(value, "resolve") and not isinstance(value, type):
            return value
    raise ImportError("akt.places.gazetteer offers no gazetteer with resolve()")


def _to_table(records: Any) -> pa.Table:
    """Accept a pyarrow Table, a pandas DataFrame or an iterable of mappings."""
    if isinstance(records, pa.Table):
        return records
    if hasattr(records, "to_dict") and hasattr(records, "columns"):  # pandas, without importing it
        return pa.Table.from_pandas(records, preserve_index=False)
    rows = list(records)
    return pa.Table.from_pylist(rows)


def _string_column(table: pa.Table, name: str) -> pa.Array:
    """The column as strings, empty and blank values as null; a missing column is all null."""
    if name not in table.column_names:
        return pa.nulls(table.num_rows, pa.string())
    column = table.column(name)
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        column = pc.cast(column, pa.string())
    column = pc.utf8_trim_whitespace(column)
    return pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)


def _map_distinct(column: pa.Array, function: Callable[[str], str | None]) -> pa.Array:
    """Apply ``function`` once per distinct value: names repeat a lot, so this is the cheap way.

    At a million rows there are a few thousand distinct names, so the Python work is per name,
    not per row; the result is spread back to the rows with one vectorized ``take``.
    """
    encoded = pc.dictionary_encode(column)
    mapped = [function(value) or None for value in encoded.dictionary.to_pylist()]
    return pa.array(mapped, pa.string()).take(encoded.indices)


def prepare(records: Any) -> pa.Table:
    """Derive the comparison columns from rows with the standard columns.

    Returns a pyarrow Table with ``unique_id`` (row number, what Splink joins on), ``record_id``,
    ``activity_id`` and the comparison columns: ``given_fold``, ``family_fold`` (case, script and
    diacritics folded, for Jaro-Winkler), ``given_key``, ``family_key`` (sound keys that put
    Xhevdet/Dževdet/Џевдет together; term frequencies are counted on these), ``name_key`` (the
    sound-key tokens of both names sorted, equal when given and family are swapped),
    ``given_alias`` (the given name's short-form group: Saša and Aleksandar share one, see
    :mod:`akt.linkage.nicknames`), ``family_initial``, ``given_initial`` (of the short-form
    group, so that Saša blocks with Aleksandar), ``initials`` (both, sorted), ``birth_date`` (only a
    complete date), ``birth_year``, ``birth_month``, ``birth_day``, ``sex`` (``female``/``male``)
    and ``municipality`` (the gazetteer code).

    Rows are not validated here (the tool validates before linking): an unreadable birth date or
    an unknown municipality becomes null, which the model treats as missing evidence.
    """
    names = _names_module()
    table = _to_table(records)
    record_id = _string_column(table, "record_id")
    given = _string_column(table, "given_name")
    family = _string_column(table, "family_name")
    gazetteer = _gazetteer()

    def sex_code(value: str) -> str | None:
        try:
            return names.normalize_sex(value)
        except ValueError:
            return None

    def iso_birth(value: str) -> str | None:
        """Other accepted spellings ("07.03.1985") rewritten as ISO; unreadable ones as null."""
        if _ISO_OR_YEAR.fullmatch(value):
            return value
        try:
            born, year = names.parse_birth(value)
        except ValueError:
            return None
        return born.isoformat() if born else (str(year) if year else None)

    derived = pa.table(
        {
            "unique_id": pa.array(range(table.num_rows), pa.int64()),
            "record_id": record_id,
            "activity_id": _string_column(table, "activity_id"),
            "given_fold": _map_distinct(given, names.fold),
            "family_fold": _map_distinct(family, names.fold),
            "given_key": _map_distinct(given, names.sound_key),
            "given_alias": _map_distinct(given, _alias),
            "family_key": _map_distinct(family, names.sound_key),
            "birth_raw": _map_distinct(_string_column(table, "birth_date"), iso_birth),
            "sex": _map_distinct(_string_column(table, "sex"), sex_code),
            "municipality": _map_distinct(_string_column(table, "municipality"), gazetteer.resolve),
        }
    )
    # Dates and the sorted name key are column arithmetic: DuckDB does them in one vectorized
    # pass (the sorted key is built from the sound-key tokens, so swapped names give one key).
    connection = duckdb.connect()
    try:
        connection.register("derived", derived)
        return connection.sql(_PREPARE_SQL).to_arrow_table()
    finally:
        connection.close()


def _alias(given: str) -> str | None:
    """The short-form group of a given name (:mod:`akt.linkage.nicknames`)."""
    from akt.linkage.nicknames import alias_key

    return alias_key(_names_module().sound_key(given))


_ISO_OR_YEAR = re.compile(r"[0-9]{4}(-[0-9]{2}-[0-9]{2})?")

_PREPARE_SQL = r"""
with parsed as (
    select *,
        try_cast(substr(birth_raw, 1, 4) as integer) as y,
        try_cast(birth_raw as date) as born
    from derived
)
select
    unique_id, record_id, activity_id,
    given_fold, family_fold, given_key, family_key, given_alias,
    nullif(array_to_string(list_sort(list_filter(
        string_split(coalesce(given_key, '') || ' ' || coalesce(family_key, ''), ' '),
        lambda x: x <> '')), ' '), '') as name_key,
    substr(family_key, 1, 1) as family_initial,
    substr(given_alias, 1, 1) as given_initial,
    least(substr(given_key, 1, 1), substr(family_key, 1, 1))
        || greatest(substr(given_key, 1, 1), substr(family_key, 1, 1)) as initials,
    case when length(birth_raw) = 10 then strftime(born, '%Y-%m-%d') end as birth_date,
    y as birth_year,
    case when length(birth_raw) = 10 then month(born) end as birth_month,
    case when length(birth_raw) = 10 then day(born) end as birth_day,
    case when length(birth_raw) = 10 then strftime(born, '%m-%d') end as birth_day_month,
    sex, municipality
from parsed
order by unique_id
"""

PREPARED_COLUMNS = (
    "unique_id",
    "record_id",
    "activity_id",
    "given_fold",
    "family_fold",
    "given_key",
    "family_key",
    "given_alias",
    "name_key",
    "family_initial",
    "given_initial",
    "initials",
    "birth_date",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_day_month",
    "sex",
    "municipality",
)


# --------------------------------------------------------------------------------------------
# The model: blocking rules and comparisons
# --------------------------------------------------------------------------------------------


def _level(
    sql: str,
    label: str,
    *,
    null: bool = False,
    tf: str | None = None,
) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
    if tf:
        level["tf_adjustment_column"] = tf
        level["tf_adjustment_weight"] = 1.0
        # A name seen once must not be scored as if it were unique in the world.
        level["tf_minimum_u_value"] = 0.001
    return level


def _name_comparison(part: str, other: str) -> dict[str, Any]:
    """Given or family name: exact (or swapped), same sound, fuzzy, different.

    A swapped pair ("PETROVIC" in the given-name column) counts as exact agreement, with the
    same term-frequency adjustment. As a level of its own it was worse than useless: swaps are
    rare among random pairs, so its u came out tiny and its weight (counted in both name
    comparisons) outweighed any disagreement of birth dates between two namesakes.
    """
    fold, key = f"{part}_fold", f"{part}_key"
    other_fold, other_key = f"{other}_fold", f"{other}_key"
    swapped = f"({fold}_l = {other_fold}_r AND {other_fold}_l = {fold}_r)"
    swapped_sound = f"({key}_l = {other_key}_r AND {other_key}_l = {key}_r)"
    return {
        "output_column_name": f"{part}_name",
        "comparison_description": f"{part} name: folded, sound key, swapped, Jaro-Winkler",
        "comparison_levels": [
            _level(f"{key}_l IS NULL OR {key}_r IS NULL", "missing", null=True),
            _level(f"{fold}_l = {fold}_r OR {swapped}", "exact (folded) or swapped", tf=key),
            _level(f"{key}_l = {key}_r", "same sound key", tf=key),
            _level(swapped_sound, "same sound key, swapped", tf=key),
            _level(
                f"jaro_winkler_similarity({fold}_l, {fold}_r) >= 0.92",
                "Jaro-Winkler >= 0.92",
            ),
            *_part_levels(part),
            _level(
                f"jaro_winkler_similarity({fold}_l, {fold}_r) >= 0.84",
                "Jaro-Winkler >= 0.84",
            ),
            {"sql_condition": "ELSE", "label_for_charts": "different"},
        ],
    }


SHORT_FORM_M = 0.02
"""m of the "known short form" level: the share of one person's record pairs written once with
the name and once with a short form of it (Aleksandar, Saša). Fixed, not trained: the training
set has no short forms, and EM would drive m to zero and the level's weight to minus infinity.
Its u (how often two different people's names are short forms of one name) is sampled."""

MARRIED_M, MARRIED_U = 0.05, 0.95
"""m and u of "family names differ, but she is the same woman by given name and full date".

Scored as weaker evidence against (log2(0.05 / 0.95) = -4.2 bits) than an unexplained
difference of family names (about -8.7): a woman may take her husband's name during the program.
Both are fixed: the given name and the full birth date already count in their own comparisons,
so this level only says how far a changed family name should count against a woman; sampling u
on random pairs would count that agreement a second time. The level needs the given name's
sound key, a full birth date and female on both records, so namesakes with a year only still
get the full weight against."""


def _part_levels(part: str) -> list[dict[str, Any]]:
    """The given name's extra level: a known short form of the same name."""
    if part != "given":
        return []
    return [
        _level("given_alias_l = given_alias_r", "known short form")
        | {"m_probability": SHORT_FORM_M, "fix_m_probability": True}
    ]


def with_fixed_levels(splink: dict[str, Any]) -> dict[str, Any]:
    """The Splink settings with the fixed married-name level in the family comparison.

    Added after training, not before: Splink leaves out of an EM pass every comparison that
    reads a column of that pass's blocking rule, and this level reads the given name and the
    birth date, the two columns the training blocks hold fixed; with it, the family name would
    never be trained. Its m and u are fixed, so adding it afterwards gives the model that
    training with it would (were that possible). Idempotent.
    """
    for comparison in splink["comparisons"]:
        if comparison["output_column_name"] != "family_name":
            continue
        levels = comparison["comparison_levels"]
        if any(level.get("label_for_charts") == _MARRIED["label_for_charts"] for level in levels):
            continue
        levels.insert(len(levels) - 1, dict(_MARRIED))  # before the ELSE level
    return splink


_MARRIED: dict[str, Any] = _level(
    "sex_l = 'female' AND sex_r = 'female' AND given_key_l = given_key_r "
    "AND birth_date_l = birth_date_r",
    "different, a woman's name may change at marriage",
) | {
    "m_probability": MARRIED_M,
    "fix_m_probability": True,
    "u_probability": MARRIED_U,
    "fix_u_probability": True,
}


def _birth_comparison() -> dict[str, Any]:
    """Birth date: a year on one sheet and a full date on another is agreement on the year."""
    full = "birth_date_l IS NOT NULL AND birth_date_r IS NOT NULL"
    return {
        "output_column_name": "birth",
        "comparison_description": "birth date: exact, swap, typo, year-month, year, different",
        "comparison_levels": [
            _level("birth_year_l IS NULL OR birth_year_r IS NULL", "missing", null=True),
            _level("birth_date_l = birth_date_r", "exact date"),
            _level(
                f"{full} AND birth_year_l = birth_year_r AND birth_month_l = birth_day_r "
                "AND birth_day_l = birth_month_r",
                "day and month swapped",
            ),
            _level(f"{full} AND damerau_levenshtein(birth_date_l, birth_date_r) <= 1", "one typo"),
            # Two days apart by more than one typo is rare in any data, too rare for EM to see
            # in training: m is fixed rather than left untrained.
            _level(
                "birth_year_l = birth_year_r AND birth_month_l = birth_month_r", "same year-month"
            )
            | {"m_probability": 0.01, "fix_m_probability": True},
            _level("birth_year_l = birth_year_r", "same year"),
            # A year written one off ("1985" for 1984), or a full date with its year mistyped.
            _level("abs(birth_year_l - birth_year_r) = 1", "years one apart"),
            {"sql_condition": "ELSE", "label_for_charts": "different"},
        ],
    }


def _exact_comparison(column: str, description: str) -> dict[str, Any]:
    return {
        "output_column_name": column,
        "comparison_description": description,
        "comparison_levels": [
            _level(f"{column}_l IS NULL OR {column}_r IS NULL", "missing", null=True),
            _level(f"{column}_l = {column}_r", "same"),
            {"sql_condition": "ELSE", "label_for_charts": "different"},
        ],
    }


def _sex_comparison() -> dict[str, Any]:
    """Sex, with m fixed: one person's sex is rarely mistyped, but not never.

    Left to EM on clean synthetic data m(different) comes out as 0, a weight of minus infinity
    that would let one typing error split a person for ever.
    """
    return {
        "output_column_name": "sex",
        "comparison_description": "sex",
        "comparison_levels": [
            _level("sex_l IS NULL OR sex_r IS NULL", "missing", null=True),
            _level("sex_l = sex_r", "same") | {"m_probability": 0.98, "fix_m_probability": True},
            {
                "sql_condition": "ELSE",
                "label_for_charts": "different",
                "m_probability": 0.02,
                "fix_m_probability": True,
            },
        ],
    }


_YEARS_ALLOW_ONE_PERSON = (
    # A year one apart, or a mistyped year digit with the same day and month. (Cheap on
    # purpose: Splink repeats each rule's filter, negated, in every later rule.)
    "(l.birth_year IS NULL OR r.birth_year IS NULL OR abs(l.birth_year - r.birth_year) <= 1 "
    "OR l.birth_day_month = r.birth_day_month)"
)

_YEARS_CLOSE = (
    # As above, but both years known: for the weakest rules, where a missing year would let a
    # single name and a municipality link namesakes.
    "(abs(l.birth_year - r.birth_year) <= 1 OR l.birth_day_month = r.birth_day_month)"
)

BLOCKING_RULES = (
    # Each rule joins on a strong shared key so that blocks stay small at a million records
    # (family name and birth year alone made 51 million pairs there; with the given name's
    # initial, under 2 million). Rules on names without a full date also require birth years
    # one person could have: pairs further apart would be refused by the clustering anyway.
    "l.family_key = r.family_key AND l.birth_year = r.birth_year "
    "AND l.given_initial = r.given_initial",
    "l.name_key = r.name_key AND l.municipality = r.municipality AND " + _YEARS_ALLOW_ONE_PERSON,
    "l.name_key = r.name_key AND l.birth_year = r.birth_year",
    # The year off by one, or written with a typo, and the municipality missing or misspelt.
    "l.name_key = r.name_key AND l.birth_day_month = r.birth_day_month",
    # Typos in names, and spellings the sound key does not merge, when the full date is known;
    # ``initials`` (both initials, sorted) also catches them in swapped names.
    "l.birth_date = r.birth_date AND l.family_initial = r.family_initial",
    "l.birth_date = r.birth_date AND l.initials = r.initials",
    "l.given_key = r.given_key AND l.birth_date = r.birth_date",
    # A typo in the family name, when the date is not complete (the family initial rather than
    # the municipality: a misspelt or missing municipality would lose the pair).
    "l.given_key = r.given_key AND l.birth_year = r.birth_year "
    "AND l.family_initial = r.family_initial",
    # Typos in the given or the family name when the date is missing or mistyped.
    "l.family_key = r.family_key AND l.municipality = r.municipality "
    "AND l.given_initial = r.given_initial AND " + _YEARS_ALLOW_ONE_PERSON,
    "l.given_key = r.given_key AND l.municipality = r.municipality "
    "AND l.family_initial = r.family_initial AND " + _YEARS_ALLOW_ONE_PERSON,
    # A record with the given or the family name left empty: its one name (``name_key``) against
    # either name of the other record (the other may be swapped), in one municipality, with
    # birth years known on both sides and close. The filter on the one side's missing name is
    # pushed into that side's scan, so each rule joins the few such records against the rest.
    # Known years only: with no year either, one name and a place chain namesakes together.
    *(
        f"{one}.name_key = {other}.{key} AND l.municipality = r.municipality "
        f"AND ({one}.given_key IS NULL OR {one}.family_key IS NULL) AND " + _YEARS_CLOSE
        for one, other in (("l", "r"), ("r", "l"))
        for key in ("family_key", "given_key")
    ),
    # The same names on a record without a birth year and one without a municipality (or with
    # neither): no rule above brings these together, as every one needs a year or a place on
    # both sides (on the second noise model, the most common split at 30,000 records). The
    # filter on the year-less side is pushed into its scan, so the join stays that of the few
    # such records against the rest; the clustering keeps such a record from joining two
    # namesakes (see _constrained_clusters).
    *(
        f"{one}.name_key = {other}.name_key AND {one}.birth_year IS NULL "
        f"AND ({one}.municipality IS NULL OR {other}.municipality IS NULL)"
        for one, other in (("l", "r"), ("r", "l"))
    ),
)
"""Candidate pairs: swaps are caught by ``name_key`` and ``initials``, typos by the others."""

TF_COLUMNS = ("given_key", "family_key")
"""The columns whose term frequencies adjust the name weights (common names count for less)."""

TRAINING_BLOCKS = (
    # Names and municipality held fixed: EM learns birth date and sex. (Names alone admit too many
    # namesakes at 100,000 records and EM then mistakes them for one person.)
    "l.given_key = r.given_key AND l.family_key = r.family_key AND l.municipality = r.municipality",
    # Birth date held fixed: EM learns the name comparisons.
    "l.birth_date = r.birth_date",
)


def settings() -> dict[str, Any]:
    """The untrained model: blocking rules and comparisons on the :func:`prepare` columns."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": 1e-5,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule} for rule in BLOCKING_RULES
        ],
        "comparisons": [
            _name_comparison("given", "family"),
            _name_comparison("family", "given"),
            _birth_comparison(),
            _sex_comparison(),
            _exact_comparison("municipality", "municipality (gazetteer code)"),
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
        "em_convergence": 0.0001,
        "max_iterations": 25,
    }


# --------------------------------------------------------------------------------------------
# Training and the versioned model
# --------------------------------------------------------------------------------------------


def _connection(threads: int | None = None) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    threads = threads or _env_threads()
    if threads:
        connection.execute(f"SET threads TO {int(threads)}")
    connection.execute("SET preserve_insertion_order = false")
    return connection


def _env_threads() -> int | None:
    value = os.environ.get("AKT_LINKAGE_THREADS", "")
    return int(value) if value.strip() else None


def _linker(
    prepared: pa.Table,
    splink: Mapping[str, Any],
    connection: Any,
    frequencies: Mapping[str, Mapping[str, float]] | None = None,
) -> Any:
    """A Splink linker over ``prepared``; with ``frequencies``, name frequencies come from them.

    A small file cannot say how common a name is: in a sheet of eight rows where Jovan appears
    three times, Jovan would look like the commonest name in Kosovo and two records agreeing on
    it would count against a match. Below the size of the training set the reference frequencies
    saved with the model are used instead (a name they do not know gets no adjustment).
    """
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection=connection)
    frame = db_api.register(prepared, dataset_display_name="records")
    linker = Linker(frame, dict(splink), log_level=None)
    _use_frequencies(linker, db_api, frequencies)
    return linker


def _use_frequencies(
    linker: Any, db_api: Any, frequencies: Mapping[str, Mapping[str, float]] | None
) -> None:
    """Register reference name frequencies with the linker, or let it count its own."""
    for column in TF_COLUMNS:
        table = (frequencies or {}).get(column)
        if table is None:
            linker.table_management.compute_tf_table(column)
            continue
        lookup = pa.table(
            {
                column: pa.array(list(table), pa.string()),
                f"tf_{column}": pa.array(list(table.values()), pa.float64()),
            }
        )
        registered = db_api.register(lookup, dataset_display_name=f"reference_tf_{column}")
        linker.table_management.register_term_frequency_lookup(registered, column)


def _reference_frequencies(
    model: Mapping[str, Any], n_records: int
) -> Mapping[str, Mapping[str, float]] | None:
    """The model's reference name frequencies when the data is smaller than its training set."""
    trained_on = model.get("trained_on_records") or 0
    return model.get("term_frequencies") if n_records < trained_on else None


def train(
    records: Any,
    *,
    seed: int = DEFAULT_SEED,
    max_pairs: float = 2e7,
    threads: int | None = None,
) -> dict[str, Any]:
    """Estimate the model without labels and return it as a Splink settings dict.

    u (how often unrelated people agree) comes from random pairs; m (how often one person's
    records agree) comes from expectation maximisation over two blocking rules, each holding
    one half of the evidence fixed while the other half is learnt. The prior (how many random
    pairs are matches) comes from near-certain deterministic rules with an assumed recall.
    """
    prepared = records if _is_prepared(records) else prepare(records)
    connection = _connection(threads)
    try:
        linker = _linker(prepared, settings(), connection)
        linker.training.estimate_probability_two_random_records_match(
            [
                "l.name_key = r.name_key AND l.birth_date = r.birth_date",
                "l.given_fold = r.given_fold AND l.family_fold = r.family_fold "
                "AND l.birth_year = r.birth_year AND l.municipality = r.municipality",
            ],
            recall=0.7,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
        for rule in TRAINING_BLOCKS:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        splink = with_fixed_levels(linker.misc.save_model_to_json(None))
        splink.pop("linker_uid", None)  # random per linker; each load gets its own
        frequencies = {
            column: dict(
                connection.sql(
                    f"select {column}, tf_{column} from "
                    f"{linker.table_management.compute_tf_table(column).physical_name} "
                    f"order by {column}"
                ).fetchall()
            )
            for column in TF_COLUMNS
        }
    finally:
        connection.close()
    return {
        "format": MODEL_FORMAT,
        "trained_on_records": prepared.num_rows,
        "seed": seed,
        "upper": DEFAULT_UPPER,
        "lower": DEFAULT_LOWER,
        "splink": splink,
        "term_frequencies": frequencies,
    }


MODEL_FORMAT = "akt-linkage-model/1"


def save_model(model: Mapping[str, Any], path: str | os.PathLike[str] = MODEL_PATH) -> Path:
    """Write the trained model as indented JSON, so that a retrain shows as a readable diff.

    Numbers are rounded to 10 significant digits: DuckDB sums in parallel, so the last digits
    of m and u vary between identical retrains, and only real changes should show in a diff.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_rounded(model), indent=2, sort_keys=True, ensure_ascii=False)
    target.write_text(text + "\n", encoding="utf-8")
    return target


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.10g}")
    if isinstance(value, Mapping):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def active_model_path() -> Path:
    """The model in use: the file ``AKT_LINKAGE_MODEL`` names (a model re-estimated from the
    officers' decisions, adopted by an administrator), else the versioned ``data/model.json``."""
    chosen = os.environ.get("AKT_LINKAGE_MODEL", "").strip()
    return Path(chosen) if chosen else MODEL_PATH


def load_model(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The model in use (:func:`active_model_path`) or another one saved by save_model.

    The file holds the Splink model (``splink``: comparisons, blocking rules, m and u) with what
    the project adds around it: the thresholds chosen for it and the number of records it was
    trained on (the prior is rescaled to the size of the data it resolves).
    """
    return json.loads(Path(active_model_path() if path is None else path).read_text("utf-8"))


def _splink_model(model: Mapping[str, Any], n_records: int | None = None) -> dict[str, Any]:
    """The Splink settings of a model, with the prior rescaled to ``n_records``.

    The chance that two random records are one person falls as the data grows (about
    records-per-person / N), so a prior learnt on 100,000 records overstates it on a million.
    The prior is scaled down for larger data, never up: a small sheet may list each attendee
    once, and assuming otherwise would invent links.
    """
    splink = with_exact_name_frequencies(dict(model["splink"] if "splink" in model else model))
    trained_on = model.get("trained_on_records")
    if trained_on and n_records and n_records > trained_on:
        prior = splink["probability_two_random_records_match"] * trained_on / n_records
        splink["probability_two_random_records_match"] = prior
    return splink


EXACT_NAME_LEVEL = "exact (folded) or swapped"


def with_exact_name_frequencies(splink: dict[str, Any]) -> dict[str, Any]:
    """The Splink settings with each name's exact level weighed by that name's own frequency.

    Two records agreeing exactly on a name are evidence of ``log2(m / tf)``, ``tf`` being how
    common the name is. Splink reaches that by adding ``log2(u_exact / tf)`` to the level's
    weight, where ``u_exact`` is the u of the level it takes for "exact match on the frequency
    column": here the sound-key level, since the frequencies are counted on sound keys. But that
    level only holds pairs whose keys agree while their spellings differ (the exact level takes
    the others first), so its u is some twenty times smaller than the share of random pairs
    agreeing on the key, and every exact agreement lost that factor: 4.5 bits on the given name
    and 2.3 on the family name, enough to leave "Teuta Gashi, F, Peja" twice without a year
    below even odds. Told not to look for that level, Splink uses the exact level's own u.

    Applied to every model when it is read (:func:`_splink_model`), since Splink's saved
    settings do not keep the flag; idempotent. Returns a copy; ``splink`` is not changed.
    """
    comparisons = []
    for comparison in splink["comparisons"]:
        levels = [
            level | {"disable_tf_exact_match_detection": True}
            if level.get("label_for_charts") == EXACT_NAME_LEVEL
            and level.get("tf_adjustment_column")
            else level
            for level in comparison["comparison_levels"]
        ]
        comparisons.append(comparison | {"comparison_levels": levels})
    return splink | {"comparisons": comparisons}


def _is_prepared(records: Any) -> bool:
    return isinstance(records, pa.Table) and "given_key" in records.column_names


# --------------------------------------------------------------------------------------------
# Resolution: scored pairs, constrained clusters, review pairs with evidence
# --------------------------------------------------------------------------------------------


LEVEL_CODES: dict[str, str] = {
    "missing": "missing",
    EXACT_NAME_LEVEL: "exact",
    "same sound key": "same_sound",
    "same sound key, swapped": "same_sound_swapped",
    "Jaro-Winkler >= 0.92": "very_similar",
    "known short form": "short_form",
    "Jaro-Winkler >= 0.84": "similar",
    "different, a woman's name may change at marriage": "married_name",
    "different": "different",
    "exact date": "exact_date",
    "day and month swapped": "day_month_swapped",
    "one typo": "one_typo",
    "same year-month": "same_year_month",
    "same year": "same_year",
    "years one apart": "years_one_apart",
    "same": "same",
}
"""Each comparison level's label (Splink's ``label_for_charts``, kept in the model file) -> the
stable code the review queue stores as the pair's evidence. The labels are the model's, in
English, for its charts and files; the review page shows each code in the reader's language
(:func:`akt.linkage.selectors.evidence_rows`), and reads a stored label through this table."""


def level_code(label: str) -> str:
    """The stable code of a comparison level's label; an unknown label is its own code."""
    return LEVEL_CODES.get(label, label)


@dataclass(frozen=True)
class ComparisonEvidence:
    """One comparison of one pair: the level it fell in and the weight that level carries."""

    comparison: str
    level: str
    """The level's label in the model (English, as the model file and ``akt link`` name it)."""
    match_weight: float
    agrees: bool

    @property
    def code(self) -> str:
        """The level's stable code: what the review queue stores (:data:`LEVEL_CODES`)."""
        return level_code(self.level)


@dataclass(frozen=True)
class PairEvidence:
    """Why two records are (or may be) the same person: what the review page shows."""

    record_id_l: str
    record_id_r: str
    match_probability: float
    match_weight: float
    comparisons: tuple[ComparisonEvidence, ...]

    @property
    def agreed(self) -> list[str]:
        """The comparisons that count for the match (positive weight)."""
        return [item.comparison for item in self.comparisons if item.agrees]


@dataclass
class Resolution:
    """The outcome of :func:`resolve`.

    ``clusters`` maps every record_id to its cluster id (the smallest record_id of the cluster,
    so the id is stable within a run and needs no counter). ``pairs`` holds every scored pair at
    or above the lower threshold (Splink's columns, among them ``match_probability`` and each
    comparison's ``mw_`` weight, plus ``record_id_l``/``_r``) with ``decision``: ``link`` (above
    the upper threshold, one person), ``refused`` (above the upper threshold but kept apart by a
    roster or the birth dates, directly or through the groups the two records joined) or
    ``review`` (between the thresholds).
    """

    clusters: dict[str, str]
    pairs: pa.Table
    upper: float
    lower: float
    model: dict[str, Any] = field(repr=False)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def review_pairs(self) -> list[PairEvidence]:
        """Pairs between the thresholds, most likely first: the review queue."""
        return self._evidence("review")

    @property
    def linked_pairs(self) -> list[PairEvidence]:
        """Pairs above the upper threshold that were joined."""
        return self._evidence("link")

    @property
    def refused_pairs(self) -> list[PairEvidence]:
        """Pairs above the upper threshold kept apart by an activity roster."""
        return self._evidence("refused")

    @property
    def person_count(self) -> int:
        return len(set(self.clusters.values()))

    def explain(self, record_id_l: str, record_id_r: str) -> PairEvidence | None:
        """The evidence for one scored pair (in either order), or None if it was not scored."""
        mask = pc.or_(
            pc.and_(
                pc.equal(self.pairs["record_id_l"], record_id_l),
                pc.equal(self.pairs["record_id_r"], record_id_r),
            ),
            pc.and_(
                pc.equal(self.pairs["record_id_l"], record_id_r),
                pc.equal(self.pairs["record_id_r"], record_id_l),
            ),
        )
        found = self.pairs.filter(mask)
        return _pair_evidence(found.to_pylist()[0], self.model) if found.num_rows else None

    def _evidence(self, decision: str) -> list[PairEvidence]:
        selected = self.pairs.filter(pc.equal(self.pairs["decision"], decision))
        selected = selected.sort_by([("match_probability", "descending")])
        return [_pair_evidence(row, self.model) for row in selected.to_pylist()]


def _level_table(model: Mapping[str, Any]) -> dict[str, list[tuple[str, float]]]:
    """comparison -> [(level label, match weight)] from the trained m and u of each level."""
    table: dict[str, list[tuple[str, float]]] = {}
    for comparison in model["comparisons"]:
        levels: list[tuple[str, float]] = []
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = 0.0 if level.get("is_null_level") or not (m and u) else math.log2(m / u)
            levels.append((level.get("label_for_charts", ""), weight))
        table[comparison["output_column_name"]] = levels
    return table


def _pair_evidence(row: Mapping[str, Any], model: Mapping[str, Any]) -> PairEvidence:
    """The per-comparison evidence of one scored pair.

    Splink's predictions carry each comparison's match weight (``mw_<name>``) and its
    term-frequency adjustment, not the level; the level is the one whose trained weight equals
    the recorded one (levels of one comparison have distinct weights once trained).
    """
    items = []
    for name, levels in _level_table(model).items():
        base = float(row.get(f"mw_{name}") or 0.0)
        label = min(levels, key=lambda level: abs(level[1] - base))[0]
        weight = base + float(row.get(f"mw_tf_adj_{name}") or 0.0)
        items.append(
            ComparisonEvidence(
                comparison=name, level=label, match_weight=round(weight, 3), agrees=weight > 0
            )
        )
    return PairEvidence(
        record_id_l=row["record_id_l"],
        record_id_r=row["record_id_r"],
        match_probability=float(row["match_probability"]),
        match_weight=float(row["match_weight"]),
        comparisons=tuple(items),
    )


def resolve(
    records: Any,
    *,
    upper: float | None = None,
    lower: float | None = None,
    model: Mapping[str, Any] | None = None,
    threads: int | None = None,
    progress: Progress | None = None,
    cannot_link: bool = True,
    evidence: Callable[[pa.Table], np.ndarray] | None = None,
    evidence_max_bits: float = 0.0,
) -> Resolution:
    """Resolve records into persons.

    Pairs at or above ``upper`` are joined by a constrained clustering that uses what the
    program knows beyond the names: pairs are taken by descending probability, and a join is
    refused when it would put into one person two records of one activity (same non-empty
    ``activity_id``: one roster lists each attendee once) or records whose birth dates cannot be
    one person's (see :func:`_constrained_clusters`). Plain connected components would let one
    wrong pair chain two namesakes together; taking the strongest evidence first keeps the right
    partner. Pairs in ``[lower, upper)`` are returned for review, with their evidence.

    The thresholds default to the ones saved with the model (chosen on development seeds of
    both noise models, see :data:`DEFAULT_UPPER`, then fixed). ``cannot_link=False`` turns the
    roster and birth-date rules off (plain connected components over the same pairs), to
    measure what they add.

    ``evidence`` (the registry's context, :mod:`akt.linkage.context`) is given the scored pairs
    (with ``record_id_l``/``_r``) and returns bits to add to each pair's match weight, at most
    ``evidence_max_bits`` (pairs are scored that far below ``lower``, then cut at ``lower``);
    the thresholds and the clustering apply to the combined probability, and the bits are kept
    as the pair's ``mw_context`` column.
    """
    model = model or load_model()
    upper = float(model.get("upper", DEFAULT_UPPER) if upper is None else upper)
    lower = float(model.get("lower", DEFAULT_LOWER) if lower is None else lower)
    if not 0 < lower <= upper <= 1:
        raise ValueError("thresholds must satisfy 0 < lower <= upper <= 1")
    step = progress or (lambda name: None)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    step("prepare")
    prepared = records if _is_prepared(records) else prepare(records)
    timings["prepare"] = time.perf_counter() - started

    splink = _splink_model(model, prepared.num_rows)
    splink["retain_intermediate_calculation_columns"] = True
    splink["retain_matching_columns"] = False
    connection = _connection(threads)
    try:
        step("predict")
        mark = time.perf_counter()
        linker = _linker(
            prepared, splink, connection, _reference_frequencies(model, prepared.num_rows)
        )
        scored_from = lower
        if evidence is not None and evidence_max_bits > 0:
            scored_from = 1 / (1 + 2 ** (evidence_max_bits - math.log2(lower / (1 - lower))))
        predictions = linker.inference.predict(
            threshold_match_probability=scored_from, warning_mode="never"
        )
        # Only what the clustering and the evidence need (not the term-frequency columns).
        pairs = connection.sql(
            f"""
            select p.*, l.record_id as record_id_l, r.record_id as record_id_r
            from (
                select columns('^(match_weight|match_probability|unique_id_[lr]|mw_.*)$')
                from {predictions.physical_name}
            ) p
            join records l on l.unique_id = p.unique_id_l
            join records r on r.unique_id = p.unique_id_r
            """
        ).to_arrow_table()
        timings["predict"] = time.perf_counter() - mark
    finally:
        connection.close()
    if evidence is not None:
        bits = pa.array(np.asarray(evidence(pairs), np.float64))
        weight = pc.add(pairs["match_weight"], bits)
        pairs = pairs.set_column(
            pairs.column_names.index("match_weight"), "match_weight", weight
        ).set_column(
            pairs.column_names.index("match_probability"),
            "match_probability",
            pc.divide(1.0, pc.add(1.0, pc.power(2.0, pc.negate(weight)))),
        )
        pairs = pairs.append_column("mw_context", bits)
        pairs = pairs.filter(pc.greater_equal(pairs["match_probability"], lower))

    step("cluster")
    mark = time.perf_counter()
    if cannot_link:
        clusters, decisions = _constrained_clusters(prepared, pairs, upper, threads=threads)
    else:  # plain connected components: only for measuring what the program's knowledge adds
        unconstrained = prepared.set_column(
            prepared.column_names.index("activity_id"),
            "activity_id",
            pa.nulls(prepared.num_rows, pa.string()),
        )
        clusters, decisions = _constrained_clusters(
            unconstrained, pairs, upper, year_gap=None, threads=threads
        )
    pairs = pairs.append_column("decision", decisions)
    timings["cluster"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return Resolution(
        clusters=clusters, pairs=pairs, upper=upper, lower=lower, model=splink, timings=timings
    )


def _dates_close(a: str, b: str) -> bool:
    """Two full birth dates one person could have been written with: equal, day and month
    swapped, the year off by one, or one character mistyped or two adjacent ones transposed."""
    if a == b or (a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]):
        return True
    if a[4:] == b[4:] and abs(int(a[:4]) - int(b[:4])) == 1:  # the year off by one
        return True
    diffs = [i for i in range(10) if a[i] != b[i]]
    if len(diffs) == 1:
        return True
    return (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and a[diffs[0]] == b[diffs[1]]
        and a[diffs[1]] == b[diffs[0]]
    )


def _all_close(dates: set[str]) -> bool:
    """Every two of these dates could be one person's (then no split between them conflicts)."""
    if len(dates) > 6:
        return False
    ordered = sorted(dates)
    return all(_dates_close(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])


def _constrained_clusters(
    prepared: pa.Table,
    pairs: pa.Table,
    upper: float,
    *,
    year_gap: int | None = YEAR_GAP,
    edges_per_record: int = EDGES_PER_RECORD,
    threads: int | None = None,
    undated_last: bool = True,
) -> tuple[dict[str, str], pa.Array]:
    """Union-find over the pairs above ``upper``, strongest first, under cannot-link rules.

    A union is refused when it would put into one person two records of one activity roster,
    or (``year_gap``) two groups of records whose birth dates cannot be one person's: full
    dates none of which is within one typo, a day-month swap or a year of the other side's, or
    (without full dates on both sides) birth years all more than ``year_gap`` apart. The birth
    rule stops chaining: a record without a birth date scores well against every namesake in
    its municipality and would otherwise join them all into one person.

    Which namesake such a record joins (``undated_last``, on by default): the pairs between
    records with a birth year are united first, then those of records without one, ordered by
    match weight plus log2 of the number of records of the person at the other end, so that a
    roster without birth dates is given to the namesake on more rosters rather than to whichever
    pair happened to score a little higher (on the development sets, cluster F1 +0.002 on the
    second noise model and +0.001 on the first; ``False`` restores the plain strongest-first
    order, to measure it).

    For speed at a million records: each record keeps only its ``edges_per_record`` strongest
    pairs (a pair is kept if it is among the strongest of either record; a person's records stay
    connected through their best pairs), plain connected components are found first, and the
    ordered, constrained union-find runs only inside components that hold a conflict (one
    without a conflict comes out of it unchanged). Ties between equally strong pairs are broken
    by the records' positions in the input, never by the order DuckDB's threads return rows in,
    so the same input always gives the same persons.

    Returns the cluster of every record (its smallest record_id) and a decision per pair row:
    ``link`` (above ``upper``, same person), ``refused`` (above ``upper``, kept apart), ``review``.
    """
    n = prepared.num_rows
    checking_births = year_gap is not None
    left, right, weight = _strongest_edges(pairs, upper, edges_per_record, threads)

    # Pass 1: plain connected components (scipy, vectorized).
    graph = coo_matrix((np.ones(len(left), np.int8), (left, right)), shape=(n, n))
    _count, component = connected_components(graph, directed=False)
    conflicted = _conflicted_components(prepared, component, year_gap, threads)

    # Pass 2: the constrained union-find, strongest pair first, inside conflicted components
    # only (a component without a conflict comes out of it unchanged). The edges keep their
    # order (strongest first, ties by position), so the result does not depend on threads.
    members = np.flatnonzero(np.isin(component, conflicted))  # sorted record positions
    inside = np.isin(component[left], conflicted)
    # Local numbering 0..len(members)-1 keeps the loop on plain lists.
    local_l = np.searchsorted(members, left[inside])
    local_r = np.searchsorted(members, right[inside])
    weight = weight[inside]
    taken = pa.array(members)
    activities = prepared["activity_id"].take(taken).to_pylist()
    no_births = [None] * len(members)
    years = prepared["birth_year"].take(taken).to_pylist() if checking_births else no_births
    dates = prepared["birth_date"].take(taken).to_pylist() if checking_births else no_births
    parent = list(range(len(members)))
    # Per root of a merged group: (activities, birth years, full birth dates); a root missing
    # here is a single record, whose profile is made from its own values when first needed.
    profiles: dict[int, tuple[set[str], set[int], set[str]]] = {}

    def profile(root: int) -> tuple[set[str], set[int], set[str]]:
        found = profiles.get(root)
        if found is None:
            activity, year, born = activities[root], years[root], dates[root]
            found = (
                {activity} if activity else set(),
                {year} if year is not None else set(),
                {born} if born is not None else set(),
            )
        return found

    def unite(edges_l: list[int], edges_r: list[int]) -> None:
        """Union-find over the edges in their order, refusing the unions the rules forbid."""
        for a, b in zip(edges_l, edges_r, strict=True):
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            while parent[b] != b:
                parent[b] = parent[parent[b]]
                b = parent[b]
            if a == b:
                continue
            roster_a, years_a, dates_a = profile(a)
            roster_b, years_b, dates_b = profile(b)
            # Full dates, where both sides have them, decide (a mistyped year digit is one typo);
            # otherwise the years do.
            if (roster_a and roster_b and not roster_a.isdisjoint(roster_b)) or (
                not any(_dates_close(x, y) for x in dates_a for y in dates_b)
                if dates_a and dates_b
                else bool(years_a and years_b and _years_apart(years_a, years_b, year_gap))
            ):
                continue
            parent[b] = a
            profiles[a] = (roster_a | roster_b, years_a | years_b, dates_a | dates_b)
            profiles.pop(b, None)

    # The records with a birth year first, strongest pair first: their persons form before a
    # record without one joins any. A record without a birth year fits every namesake of its
    # municipality, and the strongest of its pairs is often as good as a coin toss between two
    # of them; it then joins the namesake whose records its pairs weigh most for, the pair's
    # match weight plus log2 of that person's number of records (of two namesakes, the one on
    # more rosters is the likelier to be the one on a roster that gave no birth date).
    dated = np.array([year is not None for year in years], bool)
    first = dated[local_l] & dated[local_r] if undated_last and checking_births else None
    if first is None or first.all():
        unite(local_l.tolist(), local_r.tolist())
    else:
        unite(local_l[first].tolist(), local_r[first].tolist())
        rest_l, rest_r = local_l[~first], local_r[~first]
        roots = np.array([_root(parent, index) for index in range(len(parent))], np.int64)
        size = np.bincount(roots, minlength=len(parent))
        prior = np.log2(np.maximum(size[roots[rest_l]], size[roots[rest_r]]))
        order = np.argsort(-(weight[~first] + prior), kind="stable")
        unite(rest_l[order].tolist(), rest_r[order].tolist())

    # A record's group: its component, or (inside a conflicted component) the root of its
    # constrained group, numbered after the components so the two never collide.
    for index in range(len(parent)):
        root = index
        while parent[root] != root:
            root = parent[root]
        parent[index] = root
    group = component.astype(np.int64)
    group[members] = n + members[np.array(parent, np.int64)] if len(members) else group[members]
    group_array = pa.array(group)
    smallest = (
        pa.table({"group": group_array, "record_id": prepared["record_id"]})
        .group_by("group")
        .aggregate([("record_id", "min")])
    )
    position = pc.index_in(group_array, smallest["group"])
    cluster_of = smallest["record_id_min"].take(position)
    clusters = dict(zip(prepared["record_id"].to_pylist(), cluster_of.to_pylist(), strict=True))

    together = pc.equal(
        group_array.take(pairs["unique_id_l"]), group_array.take(pairs["unique_id_r"])
    )
    decisions = pc.if_else(
        pc.less(pairs["match_probability"], upper),
        "review",
        pc.if_else(together, "link", "refused"),
    )
    return clusters, decisions


def _strongest_edges(
    pairs: pa.Table, upper: float, edges_per_record: int, threads: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs at or above ``upper`` that are among the strongest ``edges_per_record`` of
    either record, strongest first, ties broken by the records' positions: both ends and the
    match weight."""
    connection = _connection(threads)
    try:
        connection.register(
            "strong",
            pa.table(
                {
                    "i": pa.array(range(pairs.num_rows), pa.int64()),
                    "p": pairs["match_probability"],
                    "w": pairs["match_weight"],
                    "l": pairs["unique_id_l"],
                    "r": pairs["unique_id_r"],
                }
            ),
        )
        edges = connection.sql(
            f"""
            with ranked as (
                select l, r, p, w, i from strong where p >= {float(upper)!r}
            ), ends as (
                select l as node, r as other, p, i from ranked
                union all select r, l, p, i from ranked
            ), ranked_ends as (
                select i, row_number() over (partition by node order by p desc, other) as rank
                from ends
            )
            select l, r, w from ranked
            where i in (select i from ranked_ends where rank <= {int(edges_per_record)})
            order by p desc, l, r
            """
        ).to_arrow_table()
    finally:
        connection.close()
    return (
        edges["l"].to_numpy().astype(np.int64, copy=False),
        edges["r"].to_numpy().astype(np.int64, copy=False),
        edges["w"].to_numpy().astype(np.float64, copy=False),
    )


def _conflicted_components(
    prepared: pa.Table, component: np.ndarray, year_gap: int | None, threads: int | None
) -> np.ndarray:
    """The components that hold a conflict: two records of one roster, birth years further
    apart than ``year_gap``, or full birth dates not all within a typo of each other."""
    sizes = np.bincount(component)
    shared = sizes[component] > 1
    if not shared.any():
        return np.zeros(0, np.int64)
    nodes = np.flatnonzero(shared)
    table = pa.table(
        {
            "component": pa.array(component[nodes].astype(np.int64)),
            "activity_id": prepared["activity_id"].take(pa.array(nodes)),
            "birth_year": prepared["birth_year"].take(pa.array(nodes)),
            "birth_date": prepared["birth_date"].take(pa.array(nodes)),
        }
    )
    connection = _connection(threads)
    try:
        connection.register("nodes", table)
        # Roster and birth-year conflicts are decided here; components with two or more
        # distinct full dates come back with them, for the typo rule (:func:`_all_close`).
        births = (
            f"max(birth_year) - min(birth_year) > {int(year_gap)}"
            if year_gap is not None
            else "false"
        )
        dates = "count(distinct birth_date) > 1" if year_gap is not None else "false"
        found = connection.sql(
            f"""
            select component, count(activity_id) > count(distinct activity_id) or {births},
                list(distinct birth_date) filter (birth_date is not null)
            from nodes group by component
            having count(activity_id) > count(distinct activity_id) or {births} or {dates}
            """
        ).fetchall()
    finally:
        connection.close()
    conflicted = [
        component_id
        for component_id, certain, dates in found
        if certain or not _all_close(set(dates))
    ]
    return np.array(sorted(conflicted), np.int64)


def _root(parent: list[int], index: int) -> int:
    while parent[index] != index:
        index = parent[index]
    return index


def _years_apart(a: set[int], b: set[int], gap: int | None) -> bool:
    return gap is not None and all(abs(x - y) > gap for x in a for y in b)


# --------------------------------------------------------------------------------------------
# Matching new rows against the registry (suggestions at entry and import)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One registry record that a new row may be: the person it belongs to and the evidence."""

    record_id: str
    person_id: str
    evidence: PairEvidence

    @property
    def match_probability(self) -> float:
        return self.evidence.match_probability


@dataclass(frozen=True)
class Suggestion:
    """For one new row: the likely existing persons, most likely first (possibly none)."""

    record_id: str
    candidates: tuple[Candidate, ...]

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


class RegistryIndex:
    """The registry prepared once for matching: a DuckDB table with its comparison columns,
    term frequencies and the model, so that scoring one sheet only touches its candidates.

    ``records`` are registry rows (the standard columns; ``person_id`` optional, else each record
    is its own person). Build it once per process (a few seconds for 100,000 persons) and reuse
    it for every sheet; it is not thread-safe.
    """

    def __init__(
        self,
        records: Any,
        *,
        model: Mapping[str, Any] | None = None,
        threads: int | None = None,
    ) -> None:
        table = _to_table(records)
        self.prepared = table if _is_prepared(table) else prepare(table)
        self.model = dict(model or load_model())
        self.lower = float(self.model.get("lower", DEFAULT_LOWER))
        splink = _splink_model(self.model, self.prepared.num_rows)
        splink["retain_intermediate_calculation_columns"] = True
        splink["retain_matching_columns"] = False
        self.splink = splink
        people = (
            _string_column(table, "person_id")
            if "person_id" in table.column_names
            else self.prepared["record_id"]
        )
        self.connection = _connection(threads)
        self.connection.register(
            "registry_people",
            pa.table({"unique_id": self.prepared["unique_id"], "person_id": people}),
        )
        from splink import DuckDBAPI, Linker

        self._db_api = DuckDBAPI(connection=self.connection)
        self._registry = self._db_api.register(self.prepared, dataset_display_name="registry")
        self._linker = Linker(self._registry, splink, log_level=None)
        _use_frequencies(
            self._linker,
            self._db_api,
            _reference_frequencies(self.model, self.prepared.num_rows),
        )
        self._sheets = 0

    def close(self) -> None:
        self.connection.close()

    def extend(self, records: Any) -> None:
        """Append registry records (persons registered since it was built), keeping the model,
        the name frequencies and the connection: a roster's new persons are matchable by the
        next roster without preparing the whole registry again. ``person_id`` as in __init__.
        """
        table = _to_table(records)
        added = table if _is_prepared(table) else prepare(table)
        offset = self.prepared.num_rows
        added = added.set_column(
            0, "unique_id", pc.add(added["unique_id"], pa.scalar(offset, pa.int64()))
        )
        people = (
            _string_column(table, "person_id")
            if "person_id" in table.column_names
            else added["record_id"]
        )
        columns = [name for name in self.prepared.column_names if name != "person_id"]
        self.prepared = pa.concat_tables(
            [self.prepared.select(columns), added.select(columns)], promote_options="default"
        )
        previous = self.connection.sql(
            "select unique_id, person_id from registry_people"
        ).to_arrow_table()
        self.connection.register(
            "registry_people",
            pa.concat_tables(
                [previous, pa.table({"unique_id": added["unique_id"], "person_id": people})],
                promote_options="default",
            ),
        )
        self._sheets += 1
        self._registry = self._db_api.register(
            self.prepared, dataset_display_name=f"registry_{self._sheets}"
        )

    def match(
        self, new_rows: Any, *, lower: float | None = None, limit: int = 3
    ) -> list[Suggestion]:
        """Score the new rows against the registry; see :func:`match_records`."""
        prepared = prepare(new_rows)
        # The new rows get ids after the registry's so that the two never collide.
        offset = self.prepared.num_rows
        prepared = prepared.set_column(
            0, "unique_id", pc.add(prepared["unique_id"], pa.scalar(offset, pa.int64()))
        )
        self._sheets += 1
        sheet = self._db_api.register(prepared, dataset_display_name=f"sheet_{self._sheets}")
        try:
            scored = self._linker.inference.predict_between(
                sheet,
                self._registry,
                threshold_match_probability=self.lower if lower is None else lower,
                warning_mode="never",
            )
            # Either side may come out on the left; the sheet's ids are the ones >= offset.
            rows = self.connection.sql(
                f"""
                with pairs as (
                    select *,
                        case when unique_id_l >= {offset} then unique_id_l
                             else unique_id_r end as sheet_id,
                        case when unique_id_l >= {offset} then unique_id_r
                             else unique_id_l end as registry_id
                    from {scored.physical_name}
                ), per_person as (
                    -- A person's best-matching record speaks for the person.
                    select pairs.*, people.person_id, row_number() over (
                        partition by sheet_id, people.person_id
                        order by match_probability desc, registry_id
                    ) as record_rank
                    from pairs
                    join registry_people people on people.unique_id = registry_id
                ), ranked as (
                    select *, row_number() over (
                        partition by sheet_id order by match_probability desc, registry_id
                    ) as rank
                    from per_person
                    where record_rank = 1
                )
                select * from ranked
                where rank <= {int(limit)}
                order by sheet_id, rank
                """
            ).to_arrow_table()
            scored.drop_table_from_database_and_remove_from_cache()
        finally:
            self.connection.unregister(sheet.physical_name)
        registry_ids = self.prepared["record_id"]
        found: dict[int, list[Candidate]] = {}
        new_ids = prepared["record_id"].to_pylist()
        for row in rows.to_pylist():
            registry_record = registry_ids[row["registry_id"]].as_py()
            evidence = _pair_evidence(
                row
                | {
                    "record_id_l": new_ids[row["sheet_id"] - offset],
                    "record_id_r": registry_record,
                },
                self.splink,
            )
            found.setdefault(row["sheet_id"] - offset, []).append(
                Candidate(registry_record, row["person_id"], evidence)
            )
        return [
            Suggestion(record_id, tuple(found.get(index, ())))
            for index, record_id in enumerate(new_ids)
        ]


def match_records(
    new_rows: Any, registry_index: RegistryIndex, *, lower: float | None = None, limit: int = 3
) -> list[Suggestion]:
    """Suggest the existing persons each new row (an imported sheet) may be, before saving.

    One :class:`Suggestion` per new row, in input order, each with up to ``limit`` persons at or
    above the lower threshold, most likely first, each with the evidence of its best-matching
    record. Only the new
    rows' candidates are scored (Splink's ``predict_between`` on the prepared registry).
    """
    return registry_index.match(new_rows, lower=lower, limit=limit)
