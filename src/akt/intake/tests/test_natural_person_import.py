"""An organization list marks the family farms and sole proprietors it registers (their names
are then hidden from those who do not see persons), by their names, or as a "Natural person"
column says."""

from __future__ import annotations

import pytest

from akt.accounts.models import User
from akt.intake.services import import_check, import_receive
from akt.intake.tests.test_kinds import csv_file, imported, where
from akt.people.models import Organization

pytestmark = pytest.mark.django_db


def test_a_list_marks_family_farms_and_sole_proprietors_by_their_names(
    personas: dict[str, User],
) -> None:
    imported(
        personas["me"],
        csv_file(
            ("Nr.", "Emri", "Lloji", "Sektori", "Komuna"),
            [
                ("N-01", "Ferma familjare Arbër Zymberaj", "Fermë", "Bujqësia", "Gjilan"),
                ("N-02", "szr milan", "Biznes", "Shërbime", "Zvečan"),
                ("N-03", "Zymberaj Agro Sh.p.k.", "Fermë", "Bujqësia", "Gjilan"),
                ("N-04", "Shoqata Agimi", "civil_society", "", "Gjilan"),
            ],
        ),
        "organizatat.csv",
        "organizations",
    )
    marked = dict(Organization.objects.values_list("external_ref", "natural_person"))
    assert marked == {"N-01": True, "N-02": True, "N-03": False, "N-04": False}


def test_a_natural_person_column_decides_in_any_language(personas: dict[str, User]) -> None:
    imported(
        personas["me"],
        csv_file(
            ("Nr.", "Emri", "Lloji", "Komuna", "Personi fizik"),
            [
                ("N-11", 'Studio "Arbër"', "Biznes", "Gjilan", "Po"),
                ("N-12", "Ferma familjare Kosova", "Fermë", "Gjilan", "Jo"),
                ("N-13", "Ferma familjare Krasniqi", "Fermë", "Gjilan", ""),
                ("N-14", "Salon Vesna", "Biznes", "Zvečan", "da"),
            ],
        ),
        "organizatat.csv",
        "organizations",
    )
    marked = dict(Organization.objects.values_list("external_ref", "natural_person"))
    assert marked == {"N-11": True, "N-12": False, "N-13": True, "N-14": True}


def test_a_natural_person_cell_that_is_neither_yes_nor_no_is_a_problem(
    personas: dict[str, User],
) -> None:
    batch = import_receive(
        actor=personas["me"],
        data=csv_file(
            ("Nr.", "Emri", "Lloji", "Komuna", "Natural person"),
            [("N-21", "Ferma familjare Hoxha", "farm", "Gjilan", "maybe")],
        ),
        file_name="organizations.csv",
        kind="organizations",
    )
    batch = import_check(actor=personas["me"], batch=batch)
    assert [(row, value, code) for row, _column, value, code in where(batch)] == [
        (2, "maybe", "choice")
    ]
