"""The capacity areas as reference data, and reading an area written as words."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from akt.capacity.areas import area_code_for_text
from akt.capacity.models import CapacityArea, PlanAction
from akt.testing.factories import PlanFactory

from .conftest import AREA_CODES


@pytest.mark.django_db
def test_the_migration_loads_the_five_areas_in_every_language() -> None:
    areas = list(CapacityArea.objects.all())
    assert [area.code for area in areas] == list(AREA_CODES)
    finance = areas[1]
    names = {}
    for language in ("en", "sq", "sr-latn", "sr"):
        with translation.override(language):
            names[language] = finance.name
    assert names == {
        "en": "Finance and own-source revenue",
        "sq": "Financat dhe të hyrat vetanake",
        "sr-latn": "Finansije i sopstveni prihodi",
        "sr": "Финансије и сопствени приходи",  # derived from the Latin
    }


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("Human resources", "human-resources"),
        ("Burimet njerëzore", "human-resources"),
        ("Ljudski resursi", "human-resources"),
        ("Budget", "finance"),
        ("Financat", "finance"),
        ("Finansije", "finance"),
        ("Communities", "community-rights"),
        ("Gjuhët", "community-rights"),
        ("Језици", "community-rights"),
        ("Usluge", "service-delivery"),
        ("Shërbimet", "service-delivery"),
        ("Transparentnost", "transparency"),
        ("transparency", "transparency"),
        ("Staff training on the budget", None),  # two areas: a person decides
        ("Infrastructure", None),
        ("", None),
    ],
)
def test_an_area_written_as_words(words: str, code: str | None) -> None:
    assert area_code_for_text(words) == code


def test_the_migration_gives_old_actions_the_area_their_words_name(areas) -> None:
    plan = PlanFactory()
    clear = PlanAction.objects.create(plan=plan, title="Train", area="Ljudski resursi")
    vague = PlanAction.objects.create(plan=plan, title="Other", area="Various")
    migration = importlib.import_module("akt.capacity.migrations.0005_capacity_areas")
    migration.load_areas_and_place_actions(apps, None)
    clear.refresh_from_db()
    vague.refresh_from_db()
    assert (clear.capacity_area.code, clear.area) == ("human-resources", "Ljudski resursi")
    assert (vague.capacity_area, vague.area) == (None, "Various")
    assert CapacityArea.objects.count() == 5
