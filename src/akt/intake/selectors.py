"""Reading a batch's checked rows a page at a time.

A checked batch keeps its rows as one JSON array (``ImportBatch.rows``): written once by the
check, read whole by the commit and the marked copy. The preview shows 200 rows at a time, and
loading a 100,000-row array into Python for each page would cost seconds; here the database
hands over only the rows asked for (SQLite's ``json_each``, PostgreSQL's
``jsonb_array_elements``), in the array's order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, overload

from django.db import connection

from akt.intake.models import ImportBatch

_TABLE = ImportBatch._meta.db_table


def _query(where: str, tail: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    """The batch's rows matching ``where`` (on ``value``, one row) in array order, then
    ``tail`` (LIMIT/OFFSET)."""
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT element.value FROM {_TABLE}, "  # names are the model's own
            f"jsonb_array_elements({_TABLE}.rows) WITH ORDINALITY AS element(value, position) "
            f"WHERE {_TABLE}.id = %s {where} ORDER BY element.position {tail}"
        )
    else:
        sql = (
            f"SELECT element.value FROM {_TABLE}, json_each({_TABLE}.rows) AS element "
            f"WHERE {_TABLE}.id = %s {where} ORDER BY element.key {tail}"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = [value for (value,) in cursor.fetchall()]
    return [json.loads(value) if isinstance(value, str | bytes) else value for value in found]


def _has_problems() -> str:
    if connection.vendor == "postgresql":
        return "AND jsonb_array_length(element.value -> 'problems') > 0"
    return "AND json_array_length(element.value, '$.problems') > 0"


def rows_slice(batch_id: int, start: int, stop: int) -> list[dict[str, Any]]:
    """Rows ``start`` to ``stop`` (0-based, stop excluded) of the batch, in the file's order."""
    if stop <= start:
        return []
    return _query("", "LIMIT %s OFFSET %s", [batch_id, stop - start, start])


def rows_with_problems(batch_id: int, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` rows that have a problem."""
    return _query(_has_problems(), "LIMIT %s", [batch_id, limit])


def checked_row_count(batch_id: int) -> int:
    """How many checked rows the batch holds (0 before its check or after a new mapping)."""
    length = "jsonb_array_length" if connection.vendor == "postgresql" else "json_array_length"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {length}(rows) FROM {_TABLE} WHERE id = %s", [batch_id])
        found = cursor.fetchone()
    return int(found[0] or 0) if found else 0


class BatchRows(Sequence[dict[str, Any]]):
    """A batch's checked rows as a sequence a ``Paginator`` can page through, each page read
    from the database when asked for."""

    def __init__(self, batch_id: int, count: int) -> None:
        self.batch_id = batch_id
        self._count = count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step != 1:
                raise ValueError("batch rows are read in runs, without a step")
            return rows_slice(self.batch_id, start, stop)
        if index < 0:
            index += self._count
        found = rows_slice(self.batch_id, index, index + 1)
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for start in range(0, self._count, 1000):
            yield from rows_slice(self.batch_id, start, start + 1000)
