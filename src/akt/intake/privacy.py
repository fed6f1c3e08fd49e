"""What an erased person leaves in imports and identity resolution, scrubbed
(:mod:`akt.people.erasure` runs these steps inside the erasure's transaction).

- **Imports**: the checked rows their roster rows came from (found by batch and row number)
  lose the names and the birth date, and the uploaded file, which cannot be edited cell by cell,
  is purged (:func:`akt.intake.services.import_purge`); the batch keeps its counts, and the
  records it wrote their batch and row number.
- **Identity resolution**: the reasons officers wrote for merges, splits and review decisions
  about them, and the audit entries of those merges and pairs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q

from akt.activities.models import Attendance
from akt.intake.models import BatchStatus, ImportBatch, PurgeCause
from akt.intake.services import import_purge
from akt.linkage.models import PersonMerge, ReviewPair
from akt.people.erasure import ERASED_NAME, Erasure, scrub_audit

NAME_FIELDS = frozenset({"given_name", "family_name", "full_name"})
BIRTH_FIELDS = frozenset({"birth_date"})


def scrub_imports(erasure: Erasure) -> None:
    """The person's rows in the imports that wrote their roster rows, and those files."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for batch_id, row in Attendance.objects.filter(
        pk__in=erasure.attendance_ids, batch__isnull=False
    ).values_list("batch_id", "source_row"):
        wanted[batch_id].add(row)
    created = ImportBatch.objects.filter(persons__in=erasure.person_ids).values_list(
        "pk", flat=True
    )
    for batch_id in created:
        wanted.setdefault(batch_id, set())
    for batch in ImportBatch.objects.filter(pk__in=wanted).order_by("pk"):
        columns = {int(index): code for index, code in (batch.mapping or {}).items()}
        rows = [
            _scrubbed_row(row, columns, erasure) if row.get("number") in wanted[batch.pk] else row
            for row in batch.rows or []
        ]
        if rows != batch.rows:
            ImportBatch.objects.filter(pk=batch.pk).update(rows=rows)
        if batch.status != BatchStatus.STAGED:
            import_purge(
                actor=None,
                batch=batch,
                cause=PurgeCause.ERASURE,
                reason=str(PurgeCause.ERASURE.label),
            )
        scrub_audit(erasure, "intake.importbatch", [batch.pk])


def _scrubbed_row(row: dict[str, Any], columns: dict[int, str], erasure: Erasure) -> dict[str, Any]:
    cells = [
        ERASED_NAME
        if columns.get(index) in NAME_FIELDS
        else ""
        if columns.get(index) in BIRTH_FIELDS
        else erasure.scrub(cell)
        for index, cell in enumerate(row.get("cells", ()))
    ]
    values = dict(row.get("values", {}))
    for name in ("given_name", "family_name"):
        if name in values:
            values[name] = ERASED_NAME
    values["birth_date"] = None
    return {
        **row,
        "cells": cells,
        "values": erasure.scrub(values),
        "problems": erasure.scrub(row.get("problems", [])),
    }


def scrub_identity_resolution(erasure: Erasure) -> None:
    """Reasons written about the person's merges and review pairs, and their audit entries."""
    ids = erasure.person_ids
    merges = [
        merge
        for merge in PersonMerge.objects.only("survivor", "merged", "reason", "undo_reason")
        if merge.survivor_id in ids or ids & {int(pk) for pk in merge.merged or ()}
    ]
    for merge in merges:
        reason, undo = erasure.scrub(merge.reason), erasure.scrub(merge.undo_reason)
        if (reason, undo) != (merge.reason, merge.undo_reason):
            PersonMerge.objects.filter(pk=merge.pk).update(reason=reason, undo_reason=undo)
    scrub_audit(erasure, "linkage.personmerge", [merge.pk for merge in merges])
    pairs = ReviewPair.objects.filter(Q(person_a__in=ids) | Q(person_b__in=ids))
    for pair in pairs.only("reason"):
        reason = erasure.scrub(pair.reason)
        if reason != pair.reason:
            ReviewPair.objects.filter(pk=pair.pk).update(reason=reason)
    scrub_audit(erasure, "linkage.reviewpair", pairs.values_list("pk", flat=True))
