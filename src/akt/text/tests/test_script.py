"""Tests for Serbian script conversion (Cyrillic to Gaj's Latin and back); no Django."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from akt.text.script import (
    SERBIAN_CYRILLIC,
    SPLIT_DIGRAPHS,
    cyrillic_to_latin,
    latin_to_cyrillic,
)

# No example database: examples are not kept between runs.
PROPERTY = settings(max_examples=200, deadline=None, database=None)

# The municipalities' names as the system ships them.
MUNICIPALITIES_CSV = Path(__file__).resolve().parents[2] / "places/data/municipalities.csv"

KNOWN_PAIRS = [
    ("Јован Петровић", "Jovan Petrović"),
    ("Гњилане", "Gnjilane"),
    ("Џевдет", "Dževdet"),
    ("Ђаковица", "Đakovica"),
    ("Љубљана", "Ljubljana"),
    ("Љуба", "Ljuba"),
    ("ЉУБА", "LJUBA"),
    ("ЏЕВДЕТ", "DŽEVDET"),
    ("ГЊИЛАНЕ", "GNJILANE"),
    ("ШТИМЉЕ", "ŠTIMLJE"),
    ("Њ", "Nj"),
    ("ОЊ", "ONJ"),
    ("Приштина, Пећ и Лепосавић", "Priština, Peć i Leposavić"),
    ("Чачак, Ћуприја, Жабаљ, Шабац", "Čačak, Ćuprija, Žabalj, Šabac"),
    ("абвгдђежзијклљмнњопрстћуфхцчџш", "abvgdđežzijklljmnnjoprstćufhcčdžš"),
    ("АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ", "ABVGDĐEŽZIJKLLJMNNJOPRSTĆUFHCČDŽŠ"),
]


@pytest.mark.parametrize(("cyrillic", "latin"), KNOWN_PAIRS)
def test_known_pairs(cyrillic: str, latin: str) -> None:
    assert cyrillic_to_latin(cyrillic) == latin
    assert latin_to_cyrillic(latin) == cyrillic


def test_digraph_case_follows_the_word() -> None:
    assert cyrillic_to_latin("Љ Њ Џ") == "Lj Nj Dž"
    assert cyrillic_to_latin("ЉЉ") == "LJLJ"
    assert cyrillic_to_latin("НОВИ ЉУДИ") == "NOVI LJUDI"
    assert cyrillic_to_latin("Љубљана-ЉУБЉАНА") == "Ljubljana-LJUBLJANA"


def test_cyrillic_to_latin_leaves_everything_else() -> None:
    text = 'Укупно %(count)s учесника {name} <a href="/x">Више</a> &amp; FY2016 ы ѓ'
    assert cyrillic_to_latin(text) == (
        'Ukupno %(count)s učesnika {name} <a href="/x">Više</a> &amp; FY2016 ы ѓ'
    )


def test_latin_digraphs_become_single_letters() -> None:
    assert latin_to_cyrillic("ljubav njiva džep") == "љубав њива џеп"
    assert latin_to_cyrillic("Ljubav Njiva Džep") == "Љубав Њива Џеп"
    assert latin_to_cyrillic("LJUBAV NJIVA DŽEP") == "ЉУБАВ ЊИВА ЏЕП"


def test_unicode_digraph_letters_and_decomposed_diacritics() -> None:
    assert latin_to_cyrillic("ǅep ǈubav ǌiva") == "Џеп Љубав њива"
    assert latin_to_cyrillic("Petrovic\u0301") == "Петровић"  # c + combining acute
    assert latin_to_cyrillic("d\u017eep") == latin_to_cyrillic("dz\u030cep") == "џеп"


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("injekcija", "инјекција"),
        ("Konjugacija", "Конјугација"),
        ("konjunktura", "конјунктура"),
        ("vanjezički", "ванјезички"),
        ("Tanjug", "Танјуг"),
        ("nadživeti", "надживети"),
        ("podžupan", "поджупан"),
        ("nadžnjeti", "наджњети"),
        ("odžak", "оџак"),
        ("konj", "коњ"),
    ],
)
def test_known_words_where_the_pair_is_two_letters(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic
    assert cyrillic_to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Ukupno %(count)s učesnika.", "Укупно %(count)s учесника."),
        ("Ukupno %(count)d, %(share).1f%% žena", "Укупно %(count)d, %(share).1f%% жена"),
        ("Opština %s ima %d učesnika", "Општина %s има %d учесника"),
        ("Udeo: 50%%", "Удео: 50%%"),
        ("Opština {name} i {0}{}", "Општина {name} и {0}{}"),
        ("Zdravo {{ user.first_name }}", "Здраво {{ user.first_name }}"),
        ("{% trans 'Izveštaj' %} {# beleška #}", "{% trans 'Izveštaj' %} {# beleška #}"),
        (
            '<a href="/sr/izvestaj/?godina=2016" class="btn">Preuzmi izveštaj</a>',
            '<a href="/sr/izvestaj/?godina=2016" class="btn">Преузми извештај</a>',
        ),
        ("Tom &amp; Jerry&nbsp;&#8212;&#x2014;", "Том &amp; Jerry&nbsp;&#8212;&#x2014;"),
        ("<!-- napomena --><br/>", "<!-- napomena --><br/>"),
        (
            "Vidi https://www.usaid.gov/kosovo/akt, www.akt-ks.org ili piši na info@akt-ks.org.",
            "Види https://www.usaid.gov/kosovo/akt, www.akt-ks.org или пиши на info@akt-ks.org.",
        ),
        ("50% od ukupnog", "50% од укупног"),
    ],
)
def test_placeholders_markup_and_addresses_stay_intact(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Izveštaj za FY2016 Q3", "Извештај за FY2016 Q3"),
        ("Izveštaj OSCE i UNDP", "Извештај OSCE и UNDP"),
        ("Tabela u Excel formatu", "Табела у Excel формату"),
        ("Pismo od OSCE-a i EU", "Писмо од OSCE-а и EU"),
        ("Albanski: Shqipëri, Çaglavicë", "Албански: Shqipëri, Çaglavicë"),
        ("Wi-Fi i web-sajt", "Wi-Fi и web-sajt"),
        ("e-pošta i Fi", "е-пошта и Фи"),
        ("Poglavlje IV, tačka A1, polje user_id", "Поглавље IV, тачка A1, поље user_id"),
        ("Café", "Café"),
        ("ŠTIMLJE i PRIŠTINA", "ШТИМЉЕ и ПРИШТИНА"),
        ("Već ćirilica: Јован", "Већ ћирилица: Јован"),
        ("A onda I", "А онда И"),
    ],
)
def test_foreign_words_codes_and_acronyms_stay_latin(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic


def test_latin_to_cyrillic_is_idempotent_on_its_output() -> None:
    text = "Program USAID AKT u Gnjilanu, %(count)s učesnika, Excel, FY2016"
    once = latin_to_cyrillic(text)
    assert latin_to_cyrillic(once) == once


def test_empty_and_plain_text() -> None:
    assert cyrillic_to_latin("") == latin_to_cyrillic("") == ""
    assert latin_to_cyrillic("2016. - 2017.") == "2016. - 2017."


def test_municipality_names_from_the_reference_table() -> None:
    with MUNICIPALITIES_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 38
    for row in rows:
        assert cyrillic_to_latin(row["name_sr_cyrl"]) == row["name_sr_latn"]
        assert latin_to_cyrillic(row["name_sr_latn"]) == row["name_sr_cyrl"]


# --- Property-based round trip ----------------------------------------------------------------

_AMBIGUOUS_PAIRS = ("нј", "лј", "дж")  # Latin writes them like њ, љ, џ
_SERBIAN_ONLY = set("ЂЖЋЧЏШЉЊ")  # marks a word in capitals as Serbian, not an acronym
_SPLIT_STEMS = tuple(stem.replace("|", "") for stem in SPLIT_DIGRAPHS)

words = st.lists(st.sampled_from(SERBIAN_CYRILLIC), min_size=1, max_size=12).map("".join)
separators = st.sampled_from((" ", ", ", ". ", "-", "\n", " (", ") ", "! "))


@st.composite
def cyrillic_texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(words, separators), min_size=1, max_size=6))
    return "".join(word + separator for word, separator in parts)


def round_trips(text: str) -> bool:
    """Whether the text is Serbian Cyrillic that Latin can carry back unambiguously."""
    lowered = text.lower()
    if any(pair in lowered for pair in _AMBIGUOUS_PAIRS):
        return False
    latin = cyrillic_to_latin(text).lower()
    if any(stem in latin for stem in _SPLIT_STEMS):
        return False  # a word that Latin reads as one of the known split words
    for word in "".join(c if c.isalpha() else " " for c in text).split():
        if len(word) >= 2 and word.isupper() and not _SERBIAN_ONLY & set(word):
            return False  # in Latin it reads as an acronym
    return True


@PROPERTY
@given(cyrillic_texts())
def test_round_trip_on_random_cyrillic(text: str) -> None:
    latin = cyrillic_to_latin(text)
    assert not set(latin) & set(SERBIAN_CYRILLIC)
    assume(round_trips(text))
    assert latin_to_cyrillic(latin) == text


@PROPERTY
@given(st.lists(st.sampled_from(SERBIAN_CYRILLIC.lower()), min_size=1, max_size=15).map("".join))
def test_round_trip_on_lower_case_and_capitalized_words(word: str) -> None:
    assume(round_trips(word))
    assert latin_to_cyrillic(cyrillic_to_latin(word)) == word
    capitalized = word[0].upper() + word[1:]
    assert latin_to_cyrillic(cyrillic_to_latin(capitalized)) == capitalized


def test_commands_and_options_stay_as_typed() -> None:
    text = "Pokrenite `akt demo-data --replace`; --from mora biti pre --to."
    expected = "Покрените `akt demo-data --replace`; --from мора бити пре --to."
    assert latin_to_cyrillic(text) == expected
