"""A server's worker prepares the registry for matching as it starts, so the first upload it
serves does not wait for it."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from akt.accounts.models import AuditEntry
from akt.linkage import suggestions
from akt.people.models import Person
from akt.testing.factories import PersonFactory

CONF = Path(__file__).resolve().parents[4] / "deploy" / "gunicorn.conf.py"


@pytest.mark.django_db
def test_warming_up_prepares_the_index_the_first_match_then_uses(monkeypatch) -> None:
    for given, family in [("Arta", "Krasniqi"), ("Dragan", "Jovanović"), ("Valdete", "Berisha")]:
        PersonFactory(given_name=given, family_name=family)
    monkeypatch.setattr(suggestions, "_cache", suggestions._Cache())
    persons, entries = Person.objects.count(), AuditEntry.objects.count()

    suggestions.warm_up()

    prepared = suggestions._cache.index
    assert prepared is not None
    found = suggestions.registry_matches(
        [{"given_name": "Arta", "family_name": "Krasniqi", "birth_date": "", "sex": "F"}]
    )
    assert suggestions._cache.index is prepared  # not prepared again
    assert found[0], "the registered Arta Krasniqi is found"
    assert (Person.objects.count(), AuditEntry.objects.count()) == (persons, entries)


class _Log:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def exception(self, message: str) -> None:
        self.failures.append(message)


class _Worker:
    def __init__(self) -> None:
        self.log = _Log()


def _started(monkeypatch, *, fails: bool = False) -> tuple[list[str], _Worker]:
    calls: list[str] = []

    def warm_up() -> None:
        calls.append("warmed")
        if fails:
            raise RuntimeError("no database yet")

    monkeypatch.setattr(suggestions, "warm_up", warm_up)
    worker = _Worker()
    hook = runpy.run_path(str(CONF))["post_worker_init"]
    import threading

    before = set(threading.enumerate())
    hook(worker)
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=30)
    return calls, worker


def test_each_gunicorn_worker_warms_up_in_a_thread(monkeypatch, settings) -> None:
    settings.WARM_LINKAGE = True
    calls, worker = _started(monkeypatch)
    assert calls == ["warmed"]
    assert worker.log.failures == []


def test_a_failed_warm_up_is_logged_and_the_worker_goes_on(monkeypatch, settings) -> None:
    settings.WARM_LINKAGE = True
    calls, worker = _started(monkeypatch, fails=True)
    assert calls == ["warmed"]
    assert worker.log.failures == ["Preparing the registry for matching failed"]


def test_warming_up_can_be_turned_off(monkeypatch, settings) -> None:
    settings.WARM_LINKAGE = False
    calls, _worker = _started(monkeypatch)
    assert calls == []
