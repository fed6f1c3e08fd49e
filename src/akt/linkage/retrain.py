"""The linkage model re-estimated from the officers' decisions (issue 10, item 7).

The versioned model learnt its m and u without labels, from generated data. Every review
decision is a labelled pair on real records: two records an officer found to be one person
(a match) or two people (a non-match). Once there are enough of them, they say how the
registry's own records agree and differ, and the model should listen:

- **m** (how often one person's two records fall in each level of a comparison) is counted on
  the labelled matches;
- **u** (how often two different people's records do) on the labelled non-matches;
- each is **blended with the trained value by count**: a comparison's new probabilities are
  ``(PRIOR_PAIRS * trained + counts) / (PRIOR_PAIRS + labels)``, so a handful of decisions
  nudges the model and thousands move it most of the way to what they show;
- with fewer than :data:`akt.linkage.accuracy.MIN_LABELS_PER_CLASS` labels of a kind, that
  kind's parameters are left exactly as trained (a side with too few labels changes nothing);
- levels the model fixes on purpose (sex, the same-year-month date, short forms, married names)
  keep their values; the missing-value levels carry no parameters.

What the labels can and cannot say (see :mod:`akt.linkage.accuracy`): they come from the review
band, the pairs the model hesitated on. Labelled non-matches there agree far more than random
pairs do (that is why they were asked about), so u counted on them is higher than the u of the
registry as a whole and the re-estimated model is more cautious about agreement; labelled
matches are the harder matches, so m leans towards disagreement. The blend keeps the trained
values as the prior for that reason, and a re-estimated model is saved as a new version for
an administrator to adopt (``AKT_LINKAGE_MODEL``), never switched on silently.

The level of each comparison a labelled pair falls in is computed by the model's own level
conditions (the SQL Splink runs) over the project's prepared columns, in DuckDB.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from akt.linkage import pipeline
from akt.linkage.accuracy import MIN_LABELS_PER_CLASS

PRIOR_PAIRS = 200
"""How many labelled pairs the trained values count as when blended with the labels' counts.

At 200 the labels outweigh the trained values from 200 labels of a kind on; at the minimum of 20
they move each probability a tenth of the way."""

Record = Mapping[str, str]
"""A person record in the pipeline's standard columns."""


@dataclass(frozen=True)
class Retraining:
    """A re-estimated model and what went into it.

    ``model`` is the new model (a copy; the given one is untouched) or, when neither kind of
    label reached the minimum, the trained model unchanged (``changed`` False).
    ``moved`` maps ``comparison / level`` to ``(m before, m after, u before, u after)`` for the
    levels whose values changed.
    """

    model: dict[str, Any]
    matches: int
    non_matches: int
    m_updated: bool
    u_updated: bool
    min_per_class: int
    moved: dict[str, tuple[float | None, float | None, float | None, float | None]] = field(
        default_factory=dict
    )

    @property
    def changed(self) -> bool:
        return self.m_updated or self.u_updated


def comparison_levels(
    pairs: Sequence[tuple[Record, Record]], model: Mapping[str, Any]
) -> list[dict[str, int]]:
    """For each pair of records, the index of the level each comparison puts it in.

    Levels are numbered as the model lists them (0 is the missing-value level); the conditions
    are the model's own, so a pair falls where the scoring would put it. Term frequencies play no
    part in the level.
    """
    if not pairs:
        return []
    splink = model["splink"] if "splink" in model else model
    left = pipeline.prepare([dict(a) | {"record_id": str(i)} for i, (a, _b) in enumerate(pairs)])
    right = pipeline.prepare([dict(b) | {"record_id": str(i)} for i, (_a, b) in enumerate(pairs)])
    columns = {}
    for name in pipeline.PREPARED_COLUMNS:
        columns[f"{name}_l"] = left[name]
        columns[f"{name}_r"] = right[name]
    cases = []
    for comparison in splink["comparisons"]:
        branches = []
        for index, level in enumerate(comparison["comparison_levels"]):
            condition = level["sql_condition"]
            branches.append(
                f"ELSE {index}"
                if condition.strip().upper() == "ELSE"
                else f"WHEN {condition} THEN {index}"
            )
        cases.append(f'CASE {" ".join(branches)} END AS "{comparison["output_column_name"]}"')
    connection = duckdb.connect()
    try:
        connection.register("pairs", pa.table(columns))
        found = connection.sql(f"select {', '.join(cases)} from pairs").fetchall()
    finally:
        connection.close()
    names = [comparison["output_column_name"] for comparison in splink["comparisons"]]
    return [dict(zip(names, row, strict=True)) for row in found]


def reestimate(
    model: Mapping[str, Any],
    labelled: Sequence[tuple[Record, Record, bool]],
    *,
    min_per_class: int = MIN_LABELS_PER_CLASS,
    prior_pairs: int = PRIOR_PAIRS,
) -> Retraining:
    """The model with m re-estimated from labelled matches and u from labelled non-matches.

    ``labelled`` holds ``(record a, record b, is_match)``. See the module documentation for the
    blend and its limits. The thresholds stay as they were: they were chosen on labelled pairs
    of both generators and are re-chosen with ``bench/linkage_thresholds.py``.
    """
    matches = [(a, b) for a, b, is_match in labelled if is_match]
    non_matches = [(a, b) for a, b, is_match in labelled if not is_match]
    m_updated = len(matches) >= min_per_class
    u_updated = len(non_matches) >= min_per_class
    new = copy.deepcopy(dict(model))
    moved: dict[str, tuple[float | None, float | None, float | None, float | None]] = {}
    if m_updated or u_updated:
        splink = new["splink"]
        m_levels = comparison_levels(matches, new) if m_updated else []
        u_levels = comparison_levels(non_matches, new) if u_updated else []
        for comparison in splink["comparisons"]:
            name = comparison["output_column_name"]
            levels = comparison["comparison_levels"]
            before = [(level.get("m_probability"), level.get("u_probability")) for level in levels]
            if m_updated:
                _blend(levels, [row[name] for row in m_levels], "m", prior_pairs)
            if u_updated:
                _blend(levels, [row[name] for row in u_levels], "u", prior_pairs)
            for level, (m_before, u_before) in zip(levels, before, strict=True):
                m_after, u_after = level.get("m_probability"), level.get("u_probability")
                if (m_after, u_after) != (m_before, u_before):
                    label = f"{name} / {level.get('label_for_charts', '')}"
                    moved[label] = (m_before, m_after, u_before, u_after)
        new["parent"] = fingerprint(model)
        new["retrained_from_labels"] = {
            "matches": len(matches),
            "non_matches": len(non_matches),
            "m_updated": m_updated,
            "u_updated": u_updated,
            "prior_pairs": prior_pairs,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        new["version"] = int(model.get("version", 1)) + 1
    return Retraining(
        model=new,
        matches=len(matches),
        non_matches=len(non_matches),
        m_updated=m_updated,
        u_updated=u_updated,
        min_per_class=min_per_class,
        moved=moved,
    )


def _blend(levels: list[dict[str, Any]], found: Sequence[int], kind: str, prior: int) -> None:
    """Blend one comparison's ``m`` or ``u`` with the counts of the labelled pairs' levels.

    Only the levels that carry a learnt value take part: a null level has none, and a fixed one
    keeps its own; their share of the probability is left where it was, so the free levels
    still sum to what they summed to before.
    """
    key, fixed = f"{kind}_probability", f"fix_{kind}_probability"
    free = [
        index
        for index, level in enumerate(levels)
        if not level.get("is_null_level") and not level.get(fixed) and level.get(key) is not None
    ]
    counted = [index for index in found if index in free]
    if not free or not counted:
        return
    mass = sum(levels[index][key] for index in free)
    total = len(counted)
    for index in free:
        count = sum(1 for item in counted if item == index)
        share = (prior * levels[index][key] / mass + count) / (prior + total)
        # Never exactly zero: a level no label fell in keeps a little of its trained share.
        levels[index][key] = max(share * mass, 1e-12)


def fingerprint(model: Mapping[str, Any]) -> str:
    """A short, stable fingerprint of a model's contents."""
    text = json.dumps(model, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def save_version(model: Mapping[str, Any], directory: str | os.PathLike[str]) -> Path:
    """Write a re-estimated model as ``model-v<version>-<fingerprint>.json`` in ``directory``.

    A new file every time, never over the versioned model: adopting it is a decision (point
    ``AKT_LINKAGE_MODEL`` at the file), and the previous model stays where it was.
    """
    target = Path(directory) / f"model-v{model.get('version', 2)}-{fingerprint(model)}.json"
    return pipeline.save_model(model, target)
