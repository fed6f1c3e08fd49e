from __future__ import annotations

import pytest

from akt.places.models import Municipality
from akt.places.selectors import municipality_by_name

pytestmark = pytest.mark.django_db


def test_reference_data_has_the_38_municipalities_and_16_partners(reference: None) -> None:
    assert Municipality.objects.count() == 38
    partners = set(Municipality.objects.partners().values_list("name_sr_latn", flat=True))
    assert len(partners) == 16
    assert {"Gračanica", "Zvečan", "Peć", "Severna Mitrovica", "Gnjilane"} <= partners


@pytest.mark.parametrize(
    "name",
    ["Gjilan", "gjilan", "Gnjilane", "Гњилане", "GNJILANE", "Gjilan/Gnjilane"],
)
def test_municipality_found_by_any_of_its_names(reference: None, name: str) -> None:
    found = municipality_by_name(name)
    assert found is not None and found.code == "gjilan"


@pytest.mark.parametrize("name", ["Gracanica", "Graçanicë", "Грачаница", "gracanice"])
def test_diacritics_and_script_do_not_matter(reference: None, name: str) -> None:
    found = municipality_by_name(name)
    assert found is not None and found.code == "gracanice"


def test_unknown_name_finds_nothing(reference: None) -> None:
    assert municipality_by_name("Beograd") is None
    assert municipality_by_name("  ") is None


def test_english_name_puts_the_majority_first(reference: None) -> None:
    assert Municipality.objects.get(code="gracanice").name_en == "Gračanica/Graçanicë"
    assert Municipality.objects.get(code="peje").name_en == "Pejë/Peć"
    assert Municipality.objects.get(code="zubin-potok").name_en == "Zubin Potok"
