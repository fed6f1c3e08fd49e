"""``GET /health/``: for a load balancer or a monitor, with no sign-in and nothing personal."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from akt.operations import health
from akt.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_running_system_answers_200_to_anyone_and_it_is_never_cached(
    reference: None,
) -> None:
    PersonFactory(given_name="Ardita", family_name="Krasniqi")

    response = Client().get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] is True
    assert body["migrations_applied"] is True
    assert "no-store" in response["Cache-Control"]
    assert "Ardita" not in response.content.decode()
    assert set(body) == {"status", "database", "migrations_applied", "worker"}


def test_it_tells_how_long_ago_the_worker_last_finished_a_job_and_what_waits(
    reference: None,
) -> None:
    now = timezone.now()
    DBTaskResult.objects.create(
        task_path="akt.jobs.services.nothing",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=now,
        status="SUCCESSFUL",
        finished_at=now - dt.timedelta(seconds=90),
    )
    DBTaskResult.objects.create(
        task_path="akt.jobs.services.nothing",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=now - dt.timedelta(minutes=1),
    )

    worker = Client().get("/health/").json()["worker"]

    assert 89 <= worker["last_job_finished_seconds_ago"] <= 100
    assert worker["jobs_waiting"] == 1
    assert worker["oldest_waiting_seconds"] is not None


def test_an_unreachable_database_answers_503(reference: None) -> None:
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("no server")):
        response = Client().get("/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": False}


def test_code_newer_than_the_database_answers_503(reference: None) -> None:
    later = health.code_migrations() | {("people", "9999_later")}
    with mock.patch.object(health, "code_migrations", return_value=later):
        response = Client().get("/health/")

    assert response.status_code == 503
    assert response.json()["migrations_applied"] is False


def test_it_only_answers_reads(reference: None) -> None:
    assert Client().post("/health/").status_code == 405


def test_the_probe_over_plain_http_is_answered_while_pages_go_to_https(reference: None) -> None:
    """Behind TLS every page is sent to HTTPS, but the load balancer's probe from inside the
    network is answered as it came."""
    from django.test import override_settings

    with override_settings(SECURE_SSL_REDIRECT=True):
        assert Client().get("/accounts/login/").status_code == 301
        assert Client().get("/health/").status_code == 200
