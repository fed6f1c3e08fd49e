"""A batch's checked rows, read a page at a time by the database."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator

from akt.intake.models import ImportBatch
from akt.intake.selectors import BatchRows, checked_row_count, rows_slice, rows_with_problems
from akt.testing.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def batch_of(rows: list[dict]) -> ImportBatch:
    return ImportBatch.objects.create(
        kind="roster",
        activity=ActivityFactory(),
        file_name="r.csv",
        sha256="0" * 64,
        content=b"",
        rows=rows,
        row_count=len(rows),
    )


def test_pages_come_in_the_files_order_with_their_values(reference: None) -> None:
    rows = [
        {"number": number + 2, "values": {"given_name": f"Ëmri {number}"},
         "problems": [{"code": "sex"}] if number % 7 == 3 else []}
        for number in range(1234)
    ]  # fmt: skip
    batch = batch_of(rows)

    assert checked_row_count(batch.pk) == 1234
    assert rows_slice(batch.pk, 0, 3) == rows[:3]
    assert rows_slice(batch.pk, 1200, 1300) == rows[1200:]
    assert rows_slice(batch.pk, 5, 5) == []
    page = Paginator(BatchRows(batch.pk, 1234), 200).get_page(4)
    assert list(page.object_list) == rows[600:800]
    assert Paginator(BatchRows(batch.pk, 1234), 200).num_pages == 7
    assert list(BatchRows(batch.pk, 1234)) == rows
    assert BatchRows(batch.pk, 1234)[-1] == rows[-1]
    assert rows_with_problems(batch.pk, 3) == [rows[3], rows[10], rows[17]]


def test_a_batch_not_checked_has_no_rows_to_read(reference: None) -> None:
    batch = batch_of([])
    assert checked_row_count(batch.pk) == 0
    assert rows_slice(batch.pk, 0, 200) == []
    assert rows_with_problems(batch.pk, 10) == []
