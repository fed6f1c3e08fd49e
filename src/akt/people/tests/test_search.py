"""Name search: accents, case and the Serbian "dj" do not matter. Pure; no database."""

from __future__ import annotations

import re

import pytest

from akt.people.forms import fold, name_pattern


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("arber", "Arbër"),
        ("ARBER", "Arbër"),
        ("Arbër", "Arbër"),
        ("petrovic", "Petrović"),
        ("cacak", "Čačak"),
        ("zeljko", "Željko"),
        ("djordje", "Đorđe"),
        ("Đorđe", "Đorđe"),
        ("dorde", "Đorđe"),
        ("djordje", "Djordje"),
        ("sefket", "Şefket"),
        ("Çeku", "çeku"),
    ],
)
def test_a_name_is_found_however_it_is_typed(typed: str, stored: str) -> None:
    assert re.search(name_pattern(typed), stored, re.IGNORECASE)


@pytest.mark.parametrize(("typed", "stored"), [("petrovic", "Petrov"), ("ana", "Ena")])
def test_other_names_are_not_found(typed: str, stored: str) -> None:
    assert not re.search(name_pattern(typed), stored, re.IGNORECASE)


def test_characters_special_to_regular_expressions_are_taken_literally() -> None:
    assert re.search(name_pattern("o'neil.*"), "O'Neil.*", re.IGNORECASE)
    assert not re.search(name_pattern("a.c"), "abc", re.IGNORECASE)


def test_fold() -> None:
    assert fold("Đorđe Čolić") == "djordje colic"
