"""``akt link FILE.csv --out RESULT.csv``: resolve any spreadsheet of person records.

Partners, municipalities and evaluators hold person lists the registry never sees; issue 3 asks
for a tool that resolves such a file into persons without touching the database. Issue 10 made it
an analysis rather than a gate: a file of 100,000 records with a few hundred values nobody can
read (a municipality spelt past recognition, the 29th of February of a year without one) is
still resolved, whole. This module is the tool's logic, kept out of the management command so
that it is testable and needs no database:

1. read the file; it is refused (:class:`LinkFileError`, nothing written) only when it cannot be
   read as a CSV or lacks a required column;
2. read every value (:func:`read_records`): a value that cannot be read becomes unknown for that
   record, and is listed as a :class:`Problem` (row, column, value, reason). No record is ever
   left out: a duplicate or empty ``record_id`` is linked as a record of its own, a record with
   no name at all stands as a person of its own;
3. resolve the records with the versioned model (:mod:`akt.linkage.pipeline`);
4. write ``record_id, person_id``, one row per input row in the input's order, and, when asked,
   the problems (``row, column, value, reason``) and the pairs left for review.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from akt.linkage import pipeline

OPTIONAL_COLUMNS = ("activity_id",)

_DATE_SHAPES = (
    re.compile(r"(?P<year>[0-9]{4})-[0-9]{1,2}-[0-9]{1,2}(?:[T ].*)?"),
    re.compile(r"[0-9]{1,2}([./-])[0-9]{1,2}\1(?P<year>[0-9]{4})\.?(?:[T ].*)?"),
)
"""Shapes of a written date whose year can be trusted when the day or month cannot."""

Progress = Callable[[str, int, int], None]
"""Told ``(step, done, total)`` as the work advances; the command draws it as a progress bar."""

STEPS = ("read", "validate", "prepare", "predict", "cluster", "write")
"""The steps reported to the progress callback, in order."""

PROBLEM_HEADER = ("row", "column", "value", "reason")
"""The columns of the problems file."""


def _(message: str) -> str:
    """The message in the active language, or as written when Django is not configured.

    The tool's messages are read by people (in the problems file and on the terminal), so they
    are translated; the module still works where no settings exist (a bare ``import``).
    """
    try:
        from django.utils.translation import gettext

        return gettext(message)
    except Exception:  # ImproperlyConfigured, AppRegistryNotReady: nobody to translate for
        return message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (spreadsheet row, header row = 1; column) and why.

    ``row`` 0 is the file or its header. ``reason`` is written for the reader (translated) and
    says what was done with the value.
    """

    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "header"
        return f"{where}, column {self.column!r}, value {self.value!r}: {self.reason}"


class LinkFileError(Exception):
    """The file was refused (unreadable, or a required column missing); nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{shown}")


@dataclass
class LinkSummary:
    """What ``link_file`` did, for the command to print.

    ``unreadable`` counts, per column, the values that could not be read and were taken as
    unknown; ``problems`` lists every problem (those values, and rows linked under a caveat: an
    empty or repeated ``record_id``, no name, surplus cells).
    """

    records: int
    persons: int
    linked_pairs: int
    review_pairs: int
    refused_pairs: int
    upper: float
    lower: float
    problems: list[Problem] = field(default_factory=list)
    unreadable: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def read_rows(path: str | os.PathLike[str]) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of a UTF-8 CSV (a leading byte-order mark is accepted).

    Raises :class:`LinkFileError` when the file cannot be read as CSV text; a missing file is
    left to raise ``FileNotFoundError``.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in (reader.fieldnames or [])]
            reader.fieldnames = header
            rows = list(reader)  # surplus cells under the key None, missing ones None
    except UnicodeDecodeError as error:
        raise LinkFileError(
            [
                Problem(
                    0,
                    "",
                    "",
                    _("The file is not UTF-8 text (byte %(byte)s); save it as UTF-8 CSV.")
                    % {"byte": error.start},
                )
            ]
        ) from None
    except csv.Error as error:
        raise LinkFileError(
            [
                Problem(
                    0,
                    "",
                    "",
                    _("The file cannot be read as CSV: %(error)s") % {"error": str(error)},
                )
            ]
        ) from None
    return header, rows


def missing_columns(header: Sequence[str]) -> list[Problem]:
    """A problem for each required column the header lacks (the only reason to refuse rows)."""
    return [
        Problem(0, column, "", _("The required column is missing."))
        for column in pipeline.REQUIRED_COLUMNS
        if column not in header
    ]


def read_records(
    header: Sequence[str], rows: Sequence[dict[Any, Any]]
) -> tuple[list[dict[str, str]], list[Problem]]:
    """The rows as records the pipeline can link, and every problem met on the way.

    Every row becomes one record, in order; ``record_id`` of the records is internal (the row
    number, unique even when the file repeats or omits an id). A value that cannot be read is
    blank in the record (unknown: the model counts it neither for nor against a match), except
    an impossible date of a plausible year ("2011-02-29"), which keeps its year. Raises
    :class:`LinkFileError` only when a required column is missing.
    """
    from akt.text import names

    missing = missing_columns(header)
    if missing:
        raise LinkFileError(missing)
    gazetteer = pipeline._gazetteer()
    problems: list[Problem] = []
    records: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):

        def cell(column: str, row: dict[Any, Any] = row) -> str:
            return (row.get(column) or "").strip()

        def problem(column: str, reason: str, number: int = number) -> None:
            problems.append(Problem(number, column, cell(column), reason))

        if row.get(None):  # csv puts surplus cells under the key None
            problems.append(
                Problem(
                    number,
                    "",
                    ",".join(str(value) for value in row[None]),
                    _("More cells than the header has columns; the extra cells are ignored."),
                )
            )
        record_id = cell("record_id")
        if not record_id:
            problem("record_id", _("The record_id is empty; the row is linked and written as is."))
        elif record_id in seen:
            problem(
                "record_id",
                _(
                    "This record_id is also on row %(row)s; each row is linked as a record of "
                    "its own."
                )
                % {"row": seen[record_id]},
            )
        else:
            seen[record_id] = number
        given, family = cell("given_name"), cell("family_name")
        if not names.fold(given) and not names.fold(family):
            problem("given_name", _("No name; the record stands as a person of its own."))
        birth = _birth(cell("birth_date"), problem)
        sex = cell("sex")
        try:
            names.normalize_sex(sex)
        except ValueError:
            problem("sex", _("Unknown sex (female, male or blank); taken as unknown."))
            sex = ""
        municipality = cell("municipality")
        if municipality and gazetteer.resolve(municipality) is None:
            codes = sorted(gazetteer.candidates(municipality))
            if codes:
                problem(
                    "municipality",
                    _("Ambiguous municipality (could be %(codes)s); taken as unknown.")
                    % {"codes": ", ".join(codes)},
                )
            else:
                problem("municipality", _("Unknown municipality; taken as unknown."))
            municipality = ""
        records.append(
            {
                "record_id": f"{number:010d}",
                "given_name": given,
                "family_name": family,
                "birth_date": birth,
                "sex": sex,
                "municipality": municipality,
                "activity_id": cell("activity_id"),
            }
        )
    return records, problems


def _birth(value: str, problem: Callable[[str, str], None]) -> str:
    """The birth date as the pipeline reads it (ISO date, year or blank), reporting the rest."""
    from akt.text import names

    if not value:
        return ""
    try:
        born, year = names.parse_birth(value)
    except ValueError:
        pass
    else:
        return born.isoformat() if born else str(year)
    for shape in _DATE_SHAPES:
        match = shape.fullmatch(value)
        if match and names.EARLIEST_BIRTH_YEAR <= int(match["year"]) <= names.LATEST_BIRTH_YEAR:
            problem(
                "birth_date",
                _("Impossible date; only its year %(year)s is used.") % {"year": match["year"]},
            )
            return match["year"]
    problem(
        "birth_date",
        _("Unreadable birth date (YYYY-MM-DD, DD.MM.YYYY or YYYY); taken as unknown."),
    )
    return ""


def link_file(
    path_in: str | os.PathLike[str],
    path_out: str | os.PathLike[str],
    progress: Progress | None = None,
    *,
    model: dict[str, Any] | None = None,
    threads: int | None = None,
    review_path: str | os.PathLike[str] | None = None,
    problems_path: str | os.PathLike[str] | None = None,
) -> LinkSummary:
    """Resolve the records of ``path_in`` into persons and write ``record_id, person_id``.

    The result has one row per input row, in the input's order, whatever the row holds.
    ``person_id`` is ``P000001``, ``P000002``, ... in the order each person first appears in the
    file, so the same file gives the same ids. Raises :class:`LinkFileError` (and writes
    nothing) only when the file cannot be read or lacks a required column. With
    ``problems_path``, every problem is written there (``row, column, value, reason``; the file
    is written, with its header only, when there is none); with ``review_path``, the pairs
    between the thresholds, with their probability and the evidence.
    """
    report = progress or (lambda step, done, total: None)
    seconds: dict[str, float] = {}
    mark = time.perf_counter()
    report("read", 0, 1)
    header, rows = read_rows(path_in)
    report("read", 1, 1)
    report("validate", 0, len(rows))
    records, problems = read_records(header, rows)
    report("validate", len(rows), len(rows))
    seconds["read and validate"] = time.perf_counter() - mark

    def step(name: str) -> None:
        report(name, 0, 1)

    given_ids = [row.get("record_id") or "" for row in rows]
    if records:
        resolution = pipeline.resolve(records, model=model, threads=threads, progress=step)
        seconds.update(resolution.timings)
        clusters = resolution.clusters
        decisions = resolution.pairs["decision"].to_pylist()
        upper, lower = resolution.upper, resolution.lower
    else:  # a header and no rows: nothing to resolve, an empty result
        resolution, clusters, decisions = None, {}, []
        chosen = model or pipeline.load_model()
        upper = float(chosen.get("upper", pipeline.DEFAULT_UPPER))
        lower = float(chosen.get("lower", pipeline.DEFAULT_LOWER))

    report("write", 0, len(rows))
    mark = time.perf_counter()
    person_of_cluster: dict[str, str] = {}
    output = []
    for record, given_id in zip(records, given_ids, strict=True):
        cluster = clusters[record["record_id"]]
        person = person_of_cluster.setdefault(cluster, f"P{len(person_of_cluster) + 1:06d}")
        output.append((given_id.strip(), person))
    _write_atomically(path_out, [("record_id", "person_id"), *output])
    if problems_path is not None:
        _write_atomically(
            problems_path,
            [PROBLEM_HEADER, *((p.row, p.column, p.value, p.reason) for p in problems)],
        )
    if review_path is not None and resolution is not None:
        by_internal = {
            record["record_id"]: given_id.strip()
            for record, given_id in zip(records, given_ids, strict=True)
        }
        _write_atomically(review_path, _review_rows(resolution, by_internal))
    seconds["write"] = time.perf_counter() - mark
    report("write", len(rows), len(rows))
    return LinkSummary(
        records=len(rows),
        persons=len(person_of_cluster),
        linked_pairs=decisions.count("link"),
        review_pairs=decisions.count("review"),
        refused_pairs=decisions.count("refused"),
        upper=upper,
        lower=lower,
        problems=problems,
        unreadable=dict(Counter(p.column for p in problems if p.column in _VALUE_COLUMNS)),
        seconds=seconds,
    )


_VALUE_COLUMNS = ("birth_date", "sex", "municipality")
"""The columns whose unreadable values become unknown (the others are caveats, not losses)."""


def _review_rows(
    resolution: pipeline.Resolution, record_ids: dict[str, str]
) -> list[tuple[Any, ...]]:
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
                record_ids[pair.record_id_l],
                record_ids[pair.record_id_r],
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
