"""Choosable periods and the sentence cut around its figure: plain values, no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from akt.counting import engine
from akt.indicators.models import Indicator
from akt.reports.periods import LIFE_OF_PROJECT, period_for, period_groups
from akt.reports.selectors import reading_key, sentence_parts

LOP = engine.date_range(date(2014, 4, 1), date(2017, 4, 30), label="LOP")


def keys(groups: list) -> list[str]:
    return [period.key for _label, periods in groups for period in periods]


def test_periods_span_the_program_life() -> None:
    assert keys(period_groups(LOP)) == [
        "lop",
        "fy2014", "fy2014q3", "fy2014q4",
        "fy2015", "fy2015q1", "fy2015q2", "fy2015q3", "fy2015q4",
        "fy2016", "fy2016q1", "fy2016q2", "fy2016q3", "fy2016q4",
        "fy2017", "fy2017q1", "fy2017q2", "fy2017q3",
        "cy2014", "cy2015", "cy2016", "cy2017",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("lop", date(2014, 4, 1), date(2017, 4, 30)),
        ("fy2016", date(2015, 10, 1), date(2016, 9, 30)),
        ("fy2016q1", date(2015, 10, 1), date(2015, 12, 31)),
        ("fy2017q3", date(2017, 4, 1), date(2017, 6, 30)),
        ("cy2015", date(2015, 1, 1), date(2015, 12, 31)),
    ],
)
def test_a_key_names_its_window(key: str, start: date, end: date) -> None:
    period = period_for(key, LOP)
    assert period is not None and period.key == key
    window = period.window(LOP)
    assert (window.start, window.end) == (start, end)


@pytest.mark.parametrize("key", ["", "fy1999", "fy2017q4", "cy2020", "FY2016", "lop2", "q1"])
def test_a_key_outside_the_program_names_nothing(key: str) -> None:
    assert period_for(key, LOP) is None
    assert LIFE_OF_PROJECT.key == "lop"


def debates() -> Indicator:
    return Indicator(
        code="lul-debates",
        currency="",
        sentence={
            "en": {"one": "%(value)s debate held", "other": "%(value)s debates held"},
            "sq": {"other": "%(value)s debate të mbajtura"},
            "sr-latn": {"other": "%(value)s održanih debata", "few": "%(value)s održane debate"},
        },
    )


@pytest.mark.parametrize(
    ("language", "value", "parts"),
    [
        ("en", 1244, ("", "1,244", " debates held")),
        ("sq", 1244, ("", "1\xa0244", " debate të mbajtura")),
        ("sr-latn", 3, ("", "3", " održane debate")),
        ("sr", 1245, ("", "1.245", " одржаних дебата")),
        ("sr", 1244, ("", "1.244", " одржане дебате")),  # CLDR: 4 takes the "few" form
    ],
)
def test_sentence_is_cut_around_its_figure(language: str, value: int, parts: tuple) -> None:
    assert sentence_parts(debates(), value, language) == parts


def test_money_figure_keeps_its_currency() -> None:
    grants = Indicator(
        code="amount", currency="USD", sentence={"en": {"other": "%(value)s awarded in grants"}}
    )
    assert sentence_parts(grants, Decimal("102000"), "en") == ("", "$102,000", " awarded in grants")


def test_names_sort_as_readers_look_them_up() -> None:
    names = ["Zvečan", "Štrpce", "Suharekë", "Gjakovë", "Ferizaj"]
    assert sorted(names, key=reading_key) == ["Ferizaj", "Gjakovë", "Štrpce", "Suharekë", "Zvečan"]
