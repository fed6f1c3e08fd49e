"""``akt link FILE.csv --out RESULT.csv``: resolve any spreadsheet of person records.

Partners, municipalities and evaluators hold person lists the registry never sees; issue 3 asks
for a tool that resolves such a file into persons without touching the database. This module is
that tool's logic, kept out of the management command so that it is testable and needs no
Django: read and validate the whole file first (a file with one bad row is refused whole, with
every problem listed by row and column, and nothing is written), then resolve it with the
versioned model (:mod:`akt.linkage.pipeline`), then write ``record_id, person_id``.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from akt.linkage import pipeline

OPTIONAL_COLUMNS = ("activity_id",)

_BIRTH_FORMAT = re.compile(r"[0-9]{4}(-[0-9]{2}-[0-9]{2})?")

Progress = Callable[[str, int, int], None]
"""Told ``(step, done, total)`` as the work advances; the command draws it as a progress bar."""

STEPS = ("read", "validate", "prepare", "predict", "cluster", "write")
"""The steps reported to the progress callback, in order."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (spreadsheet row, header row = 1; column) and why."""

    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "header"
        return f"{where}, column {self.column!r}, value {self.value!r}: {self.reason}"


class LinkFileError(Exception):
    """The file was refused; ``problems`` lists everything wrong with it, in file order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  {problem}" for problem in self.problems[:200])
        more = len(self.problems) - 200
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(
            f"{len(self.problems)} problem(s); nothing was linked or written:\n{shown}{tail}"
        )


@dataclass
class LinkSummary:
    """What ``link_file`` did, for the command to print."""

    records: int
    persons: int
    linked_pairs: int
    review_pairs: int
    refused_pairs: int
    upper: float
    lower: float
    seconds: dict[str, float] = field(default_factory=dict)


def read_rows(path: str | os.PathLike[str]) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of a UTF-8 CSV (a leading byte-order mark is accepted)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in (reader.fieldnames or [])]
            reader.fieldnames = header
            rows = [{key: (value or "") for key, value in row.items()} for row in reader]
    except UnicodeDecodeError as error:
        raise LinkFileError(
            [Problem(0, "", "", f"the file is not UTF-8 (byte {error.start}); save it as UTF-8")]
        ) from None
    return header, rows


def validate(header: Sequence[str], rows: Sequence[dict[str, str]]) -> list[Problem]:
    """Every problem of the file, so that the sender can fix them all in one go."""
    from akt.text import names

    problems: list[Problem] = []
    missing = [column for column in pipeline.REQUIRED_COLUMNS if column not in header]
    for column in missing:
        problems.append(Problem(0, column, "", "required column is missing"))
    if missing:
        return problems
    gazetteer = pipeline._gazetteer()
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        if None in row:  # csv puts surplus cells under the key None
            problems.append(Problem(number, "", "", "more cells than the header has columns"))
        record_id = row["record_id"].strip()
        if not record_id:
            problems.append(Problem(number, "record_id", "", "record_id is empty"))
        elif record_id in seen:
            problems.append(
                Problem(
                    number,
                    "record_id",
                    record_id,
                    f"duplicate record_id (first on row {seen[record_id]})",
                )
            )
        else:
            seen[record_id] = number
        if not names.fold(row["given_name"]) and not names.fold(row["family_name"]):
            problems.append(Problem(number, "given_name", row["given_name"], "no name given"))
        birth = row["birth_date"].strip()
        if birth:
            if not _BIRTH_FORMAT.fullmatch(birth):
                problems.append(
                    Problem(number, "birth_date", birth, "expected YYYY-MM-DD, YYYY or empty")
                )
            else:
                try:
                    names.parse_birth(birth)
                except ValueError as error:
                    problems.append(Problem(number, "birth_date", birth, str(error)))
        try:
            names.normalize_sex(row["sex"])
        except ValueError:
            problems.append(
                Problem(number, "sex", row["sex"], "unknown sex: expected female, male or empty")
            )
        municipality = row["municipality"].strip()
        if municipality and gazetteer.resolve(municipality) is None:
            codes = sorted(gazetteer.candidates(municipality))
            reason = (
                "ambiguous municipality (could be " + ", ".join(codes) + ")"
                if codes
                else "unknown municipality"
            )
            problems.append(Problem(number, "municipality", municipality, reason))
    return problems


def link_file(
    path_in: str | os.PathLike[str],
    path_out: str | os.PathLike[str],
    progress: Progress | None = None,
    *,
    model: dict[str, Any] | None = None,
    threads: int | None = None,
    review_path: str | os.PathLike[str] | None = None,
) -> LinkSummary:
    """Resolve the records of ``path_in`` into persons and write ``record_id, person_id``.

    Raises :class:`LinkFileError` (and writes nothing) if any row is invalid. ``person_id`` is
    ``P000001``, ``P000002``, ... in the order each person first appears in the file, so the
    same file gives the same ids. With ``review_path``, the pairs between the thresholds are
    written too, with their probability and the evidence, for someone to look at.
    """
    report = progress or (lambda step, done, total: None)
    seconds: dict[str, float] = {}
    mark = time.perf_counter()
    report("read", 0, 1)
    header, rows = read_rows(path_in)
    report("read", 1, 1)
    report("validate", 0, len(rows))
    problems = validate(header, rows)
    if problems:
        raise LinkFileError(problems)
    report("validate", len(rows), len(rows))
    seconds["read and validate"] = time.perf_counter() - mark

    def step(name: str) -> None:
        report(name, 0, 1)

    resolution = pipeline.resolve(rows, model=model, threads=threads, progress=step)
    seconds.update(resolution.timings)

    report("write", 0, len(rows))
    mark = time.perf_counter()
    person_of_cluster: dict[str, str] = {}
    output = []
    for row in rows:
        record_id = row["record_id"].strip()
        cluster = resolution.clusters[record_id]
        person = person_of_cluster.setdefault(cluster, f"P{len(person_of_cluster) + 1:06d}")
        output.append((record_id, person))
    _write_atomically(path_out, [("record_id", "person_id"), *output])
    if review_path is not None:
        _write_atomically(review_path, _review_rows(resolution))
    seconds["write"] = time.perf_counter() - mark
    report("write", len(rows), len(rows))
    decisions = resolution.pairs["decision"].to_pylist()
    return LinkSummary(
        records=len(rows),
        persons=len(person_of_cluster),
        linked_pairs=decisions.count("link"),
        review_pairs=decisions.count("review"),
        refused_pairs=decisions.count("refused"),
        upper=resolution.upper,
        lower=resolution.lower,
        seconds=seconds,
    )


def _review_rows(resolution: pipeline.Resolution) -> list[tuple[Any, ...]]:
    comparisons = [c["output_column_name"] for c in resolution.model["comparisons"]]
    rows: list[tuple[Any, ...]] = [
        (
            "record_id_l",
            "record_id_r",
            "match_probability",
            *(f"{name}_level" for name in comparisons),
            *(f"{name}_weight" for name in comparisons),
        )
    ]
    for pair in resolution.review_pairs:
        rows.append(
            (
                pair.record_id_l,
                pair.record_id_r,
                f"{pair.match_probability:.4f}",
                *(item.level for item in pair.comparisons),
                *(f"{item.match_weight:.2f}" for item in pair.comparisons),
            )
        )
    return rows


def _write_atomically(path: str | os.PathLike[str], rows: Sequence[Sequence[Any]]) -> None:
    """Write the whole file or nothing: a reader never sees half a result."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=target.parent or ".", suffix=".partial")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(rows)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
