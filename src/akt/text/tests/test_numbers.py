"""Numbers typed in addresses and cells (issue 10, item 11): "²" passes ``str.isdigit()`` and
breaks ``int()``; every place that reads an id or a count goes through these functions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akt.text.numbers import LARGEST_ID, parse_positive_id, parse_whole_number

PROPERTY = settings(max_examples=300, deadline=None, database=None)


@pytest.mark.parametrize(
    "text",
    ["²", "³", "¹²", "1²", "①", "٣", "１２", "-3", "+3", "1.5", "1,000", "1 000", "0x1F", "", " "],
)
def test_what_is_not_written_in_the_digits_0_to_9_is_not_a_number(text: str) -> None:
    assert "²".isdigit()  # why str.isdigit() cannot be the check
    assert parse_whole_number(text) is None
    assert parse_positive_id(text) is None


def test_numbers_and_ids() -> None:
    assert parse_whole_number(" 42 ") == 42
    assert parse_whole_number("0") == 0
    assert parse_positive_id("0") is None  # no record has id 0
    assert parse_positive_id("007") == 7
    assert parse_positive_id(12) == 12
    assert parse_positive_id(None) is None
    assert parse_positive_id(str(LARGEST_ID)) == LARGEST_ID
    assert parse_positive_id(str(LARGEST_ID + 1)) is None  # would overflow the database
    assert parse_whole_number("5000", largest=2000) is None
    assert parse_positive_id("9" * 100_000) is None  # refused before int() reads it


@PROPERTY
@given(st.text())
def test_any_text_is_a_number_or_none_and_never_an_error(text: str) -> None:
    number = parse_whole_number(text)
    assert number is None or number == int(text.strip())


@PROPERTY
@given(st.integers(1, LARGEST_ID))
def test_every_id_written_out_reads_back(number: int) -> None:
    assert parse_positive_id(str(number)) == number
    assert parse_positive_id(f" {number}\n") == number
