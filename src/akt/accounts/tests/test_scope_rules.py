"""The one scope rule, read directly: who may open which kind of record."""

from __future__ import annotations

import pytest

from akt.accounts.models import AuditEntry
from akt.accounts.scope import Scope
from akt.indicators.models import Indicator
from akt.testing.factories import AttendanceFactory, PersonFactory, municipality

pytestmark = pytest.mark.django_db


def test_a_donor_may_not_open_a_roster_row(personas: dict) -> None:
    row = AttendanceFactory(person=PersonFactory(municipality=municipality("gjilan")))
    assert not Scope.for_user(personas["donor"]).may_see(row)
    assert Scope.for_user(personas["me"]).may_see(row)


def test_reference_data_is_open_to_every_signed_in_viewer(personas: dict) -> None:
    indicator = Indicator.objects.first()
    for persona in personas.values():
        assert Scope.for_user(persona).may_see(indicator)
    assert not Scope.for_user(None).may_see(indicator)


def test_a_record_type_without_a_rule_is_closed(personas: dict) -> None:
    entry = AuditEntry.objects.create(action="x", target_type="t", target_id="1")
    assert not Scope.for_user(personas["donor"]).may_see(entry)
    assert not Scope.for_user(personas["focal_gracanica"]).may_see(entry)
