"""Invisible characters in names (issue 10, item 11): removed where names are stored, ignored
where they are compared. Pure Python, as the standalone ``akt link`` tool uses it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akt.text.invisible import INVISIBLE, clean_name, strip_invisible
from akt.text.names import fold, sorted_name_key, sound_key

PROPERTY = settings(max_examples=300, deadline=None, database=None)

# Every character the issue names, one by one.
NAMED = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
]


def test_every_character_the_issue_names_is_invisible() -> None:
    assert set(NAMED) <= INVISIBLE


@pytest.mark.parametrize("char", NAMED)
@pytest.mark.parametrize("name", ["Arbër", "Đorđe", "Јован", "Gashi-Berisha"])
def test_a_name_pasted_with_an_invisible_character_is_stored_and_compared_as_typed(
    char: str, name: str
) -> None:
    pasted = f"{char}{name[:2]}{char}{name[2:]}{char}"
    assert clean_name(pasted) == name
    assert fold(pasted) == fold(name)  # one word, not "ar ber"
    assert sound_key(pasted) == sound_key(name)


def test_a_name_copied_from_a_right_to_left_document_keeps_its_letters() -> None:
    # An e-mail client wraps the name in an isolate and marks its direction.
    assert clean_name("\u2067\u200fDrita Gashi\u2069") == "Drita Gashi"
    assert sorted_name_key("\u202eDrita", "Gashi\u202c") == sorted_name_key("Drita", "Gashi")


def test_clean_name_composes_letters_and_tidies_spaces_but_keeps_spelling() -> None:
    assert clean_name("  Arbe\u0308r \u00a0 Krasniqi ") == "Arbër Krasniqi"  # e + ¨ is ë
    assert clean_name("PETROVIĆ Jovan") == "PETROVIĆ Jovan"
    assert clean_name("Јован") == "Јован"
    assert clean_name("") == ""


@PROPERTY
@given(st.text(), st.lists(st.sampled_from(sorted(INVISIBLE)), max_size=5), st.data())
def test_invisible_characters_anywhere_change_no_comparison(
    text: str, chars: list[str], data: st.DataObject
) -> None:
    clean = strip_invisible(text)
    pasted = clean
    for char in chars:
        at = data.draw(st.integers(0, len(pasted)))
        pasted = pasted[:at] + char + pasted[at:]
    assert strip_invisible(pasted) == clean
    assert fold(pasted) == fold(clean)
    assert clean_name(pasted) == clean_name(clean)
    assert not INVISIBLE & set(clean_name(pasted))
