"""Names stored before invisible characters were removed at entry are cleaned by a migration."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from akt.people.models import Person
from akt.testing.factories import PersonFactory

migration = importlib.import_module("akt.people.migrations.0005_names_without_invisible_characters")


@pytest.mark.django_db
def test_a_name_stored_with_a_zero_width_space_is_found_by_search_after_the_migration() -> None:
    pasted = PersonFactory(given_name="Arb\u200bër", family_name="\u202bGashi\u202c")
    plain = PersonFactory(given_name="Vesna", family_name="Jović")
    # Stored as the old code stored it: bypassing the cleaning done at entry.
    Person.objects.filter(pk=pasted.pk).update(
        given_name="Arb\u200bër", family_name="\u202bGashi\u202c"
    )
    assert not Person.objects.filter(given_name="Arbër").exists()

    migration.clean_stored_names(apps, None)

    pasted.refresh_from_db()
    plain.refresh_from_db()
    assert (pasted.given_name, pasted.family_name) == ("Arbër", "Gashi")
    assert (plain.given_name, plain.family_name) == ("Vesna", "Jović")
    assert Person.objects.filter(given_name="Arbër", family_name="Gashi").count() == 1
