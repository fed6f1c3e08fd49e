"""Shared test fixtures: the reference data and the named personas every access test uses."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from akt.accounts.models import Role, User
from akt.indicators.models import Indicator
from akt.testing.factories import UserFactory, component, municipality

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def english_by_default() -> Iterator[None]:
    """Every test starts in the default language. A page requested in Albanian leaves its
    language active in the thread (the locale middleware activates it and nothing resets it),
    and the next test in the same worker would read Albanian where it expects English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data, loaded once per test database."""
    with django_db_blocker.unblock():
        call_command("load_reference", stdout=io.StringIO())


@pytest.fixture
def reference(db: None) -> None:
    """Municipalities, communities, program, components, topics and indicators.

    Loaded once per session; loaded again if a transactional test emptied the tables.
    """
    if not Indicator.objects.exists():
        call_command("load_reference", stdout=io.StringIO())


@pytest.fixture
def personas(reference: None) -> dict[str, User]:
    """One user per role: the people whose access every page is tested for."""
    return {
        "admin": UserFactory(
            username="admin", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True
        ),
        "me": UserFactory(username="me", role=Role.ME_OFFICER),
        "staff": UserFactory(
            username="staff", role=Role.COMPONENT_STAFF, component=component("economic")
        ),
        "focal_gracanica": UserFactory(
            username="focal-gracanica",
            role=Role.FOCAL_POINT,
            municipality=municipality("gracanice"),
        ),
        "focal_zvecan": UserFactory(
            username="focal-zvecan", role=Role.FOCAL_POINT, municipality=municipality("zvecan")
        ),
        "donor": UserFactory(username="donor", role=Role.DONOR),
    }


@pytest.fixture
def client_for(personas: dict[str, User]):
    """``client_for("donor")``: a test client signed in as that persona (or anonymous)."""

    def make(name: str | None) -> Client:
        client = Client()
        if name is not None:
            client.force_login(personas[name])
        return client

    return make


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """The persona × endpoint matrix's size, at the end of a run that asked it."""
    asked = any(
        "test_persona_matrix.py::test_persona_on_url_pattern" in report.nodeid
        for outcome in ("passed", "failed", "xfailed", "xpassed", "error")
        for report in terminalreporter.stats.get(outcome, ())
    )
    if asked:
        from akt.tests.persona_matrix import matrix_size

        terminalreporter.write_sep("-", matrix_size())
