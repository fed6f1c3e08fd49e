"""The admin shows where an imported record came from, read-only, without a select of every
import batch (issue 10, item 8): the batch is its provenance, not something an edit changes,
and a select of thousands of batches would load every stored file's row."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akt.intake.models import ImportBatch
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    GrantFactory,
    OrganizationFactory,
    PersonFactory,
    PlanFactory,
    ProjectFactory,
)


def batch(name: str) -> ImportBatch:
    return ImportBatch.objects.create(
        kind="activities", file_name=name, sha256="0" * 64, content=b"x" * 1000, status="committed"
    )


@pytest.mark.parametrize(
    ("factory", "name", "field"),
    [
        (ActivityFactory, "activities_activity", "batch"),
        (GrantFactory, "grants_grant", "batch"),
        (PlanFactory, "capacity_capacitydevelopmentplan", "batch"),
        (ProjectFactory, "infrastructure_infrastructureproject", "batch"),
        (OrganizationFactory, "people_organization", "batch"),
        (PersonFactory, "people_person", "import_batch"),
    ],
)
def test_an_imported_records_batch_is_a_link_to_its_import_not_a_select(
    client_for: Any, factory: Any, name: str, field: str
) -> None:
    origin = batch("aktivitetet 2015.xlsx")
    batch("another.xlsx")
    record = factory()
    type(record).objects.filter(pk=record.pk).update(**{field: origin})

    page = client_for("admin").get(reverse(f"admin:{name}_change", args=[record.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert f'name="{field}"' not in html
    assert reverse("intake:batch_detail", args=[origin.pk]) in html


def test_an_activitys_change_page_reads_no_import_batch_however_long_its_roster(
    client_for: Any, personas: Any
) -> None:
    origin = batch("A-2015-0014.xlsx")
    activity = ActivityFactory(batch=origin, source_row=7)
    for row in range(20):
        AttendanceFactory(activity=activity, batch=origin, source_row=row + 2)

    with CaptureQueriesContext(connection) as captured:
        page = client_for("admin").get(
            reverse("admin:activities_activity_change", args=[activity.pk])
        )

    html = page.content.decode()
    assert page.status_code == 200
    assert html.count(reverse("intake:batch_detail", args=[origin.pk])) == 21
    assert f"import {origin.pk}, row 7" in html
    assert 'name="attendances-0-batch"' not in html
    assert not [q["sql"] for q in captured if "intake_importbatch" in q["sql"]]
