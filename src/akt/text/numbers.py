"""Whole numbers and record ids read from text people typed: query parameters and sheet cells.

``str.isdigit()`` is true for "²", "³", "①" and other characters that ``int()`` refuses, and
``int()`` itself reads Arabic-Indic and other digits no clerk means as an id; a check with one
and a conversion with the other turned "?fy=²" and an Activity ID cell "²" into server errors
(issue 10, item 11). Every place that reads a number from text goes through these functions,
which accept the digits 0-9 only and say "not a number" with None rather than an exception.

Pure Python (no Django).
"""

from __future__ import annotations

import re

__all__ = ["LARGEST_ID", "parse_positive_id", "parse_whole_number"]

LARGEST_ID = 2**63 - 1
"""The largest id any supported database stores (a 64-bit signed integer); a larger number is
not an id of anything, and passing it to the database would overflow."""

_DIGITS = re.compile(r"[0-9]+")  # not \d: that matches every script's digits, and "²" is not one


def parse_whole_number(text: object, *, largest: int = LARGEST_ID) -> int | None:
    """The number ``text`` spells in the digits 0-9 (surrounding spaces allowed), or None.

    None for a blank, a sign, a decimal point, a separator, any other character, or a number
    above ``largest``.
    """
    if text is None:
        return None
    cleaned = str(text).strip()
    if not _DIGITS.fullmatch(cleaned) or len(cleaned) > len(str(largest)) + 20:
        return None  # the length check spares int() a megabyte of digits
    number = int(cleaned)
    return number if number <= largest else None


def parse_positive_id(text: object) -> int | None:
    """The record id ``text`` names (a whole number from 1 to :data:`LARGEST_ID`), or None.

    For query parameters (``?activity=12``) and cells (an Activity ID column): None means "names
    no record", for the caller to answer with a 404 or a message naming the value.
    """
    number = parse_whole_number(text)
    return number if number is not None and number >= 1 else None
