"""The vocabulary tables (issue 10, item 2) and the distance that finds the closest words.
No database; the last test compares the key with the intake's header key."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akt.text.tables import VOCABULARIES, VocabularyConflict, vocabulary_words
from akt.text.vocabulary import closest, edit_distance, keyed, typo_limit, vocabulary_keys, word_key

PROPERTY = settings(max_examples=300, deadline=None, database=None)


@pytest.mark.parametrize("name", VOCABULARIES)
def test_every_table_reads_and_no_word_names_two_values(name: str) -> None:
    keys = vocabulary_keys(name)  # raises VocabularyConflict otherwise
    assert set(keys.values()) == set(vocabulary_words(name))


def test_the_community_table_names_the_reference_communities() -> None:
    assert set(vocabulary_words("community")) == {
        "albanian",
        "serb",
        "bosniak",
        "turkish",
        "roma",
        "ashkali",
        "egyptian",
        "gorani",
        "montenegrin",
        "croat",
        "other",
        "prefer-not-to-say",
    }
    # at least eight words for each community, as the issue asks
    assert min(len(set(words)) for words in vocabulary_words("community").values()) >= 8


def test_a_word_for_two_values_is_refused_not_guessed() -> None:
    with pytest.raises(VocabularyConflict, match="ROM"):
        keyed([("Rom", "roma"), ("ROM", "other")], name="community")
    assert keyed([("Rom", "roma"), ("ROM", "roma"), ("Romë", "roma")]) == {
        "rom": "roma",
        "rome": "roma",
    }


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Shqiptarë", "shqiptare"),
        ("SHQIPTARE.", "shqiptare"),
        ("Србин", "srbin"),
        ("Bošnjakinja", "bosnjakinja"),
        ("15–29", "15 29"),
        ("Ne izjašnjava se", "ne izjasnjava se"),
        ("\u200bRom", "rom"),
    ],
)
def test_words_are_compared_case_script_diacritic_and_punctuation_blind(
    text: str, key: str
) -> None:
    assert word_key(text) == key


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("gjilan", "gjilan", 0),
        ("gjilan", "gjlan", 1),  # dropped
        ("gjilan", "gjillan", 1),  # doubled
        ("gjilan", "gjlian", 1),  # swapped
        ("gjilan", "gjilam", 1),  # wrong
        ("djeneraljankovic", "deneraljankovic", 1),
        ("kitten", "sitting", 3),
        ("", "abc", 3),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance == edit_distance(b, a)
    assert edit_distance(a, b, limit=distance) == distance
    if distance:
        assert edit_distance(a, b, limit=distance - 1) == distance  # "above the limit"


def _reference_distance(a: str, b: str) -> int:
    """The optimal string alignment distance, the whole table, as textbooks write it."""
    table = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = min(
                table[i - 1][j] + 1,
                table[i][j - 1] + 1,
                table[i - 1][j - 1] + (a[i - 1] != b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[-1][-1]


@PROPERTY
@given(st.text("abcd", max_size=9), st.text("abcd", max_size=9), st.integers(0, 4))
def test_the_banded_distance_equals_the_whole_table(a: str, b: str, limit: int) -> None:
    expected = _reference_distance(a, b)
    assert edit_distance(a, b) == expected
    assert edit_distance(a, b, limit) == min(expected, limit + 1)


def test_closest_lists_the_nearest_words_within_a_typo() -> None:
    keys = vocabulary_keys("community")
    assert closest("shqiptr", keys)[0] == "shqiptar"
    assert closest("srbn", keys)[:2] == ["srbi", "srbin"]
    assert closest("martian", keys) == []  # nothing near: nothing suggested
    assert typo_limit("rom") == 1 and typo_limit("shqiptar") == 2 and typo_limit("crnogorka") == 2


@PROPERTY
@given(st.text())
def test_the_table_key_is_the_header_key(text: str) -> None:
    from akt.intake.fields import header_key  # the same comparison in the intake

    assert word_key(text) == header_key(text)
