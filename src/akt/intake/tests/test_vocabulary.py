"""Words as people write them (issue 10, item 2): community, sex, role, affiliation and age band
in English, Albanian, Serbian Latin and Serbian Cyrillic, nouns and adjectives, masculine,
feminine and plural, Albanian definite and indefinite, with or without diacritics, in any case;
a refused value names the closest accepted ones in the reader's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from akt.intake.validation import PROBLEMS, check_roster, check_tally
from akt.intake.vocabulary import Refused, Vocabulary, Words
from akt.places.models import Community
from akt.testing.factories import community, municipality
from akt.text.tables import VocabularyConflict

# Real spellings, at least eight per community, in every language and script.
COMMUNITY_SPELLINGS = {
    "albanian": [
        "Shqiptar", "Shqiptare", "Shqiptarë", "shqiptari", "SHQIPTARJA", "shqiptarët",
        "Albanac", "Albanka", "Albanci", "Албанац", "Албанка", "албанска", "albanian", "Albanians",
    ],
    "serb": [
        "Serb", "Serbe", "Serbë", "serbi", "Serbja", "Srbin", "Srpkinja", "Srbi", "Србин",
        "Српкиња", "srpska", "СРПСКИ", "Serbian", "serbs",
    ],
    "bosniak": [
        "Boshnjak", "Boshnjake", "boshnjakë", "Boshnjaku", "Bošnjak", "Bosnjak", "Bošnjakinja",
        "Bošnjaci", "Бошњак", "бошњачка", "Bosniak", "Bosnian",
    ],
    "turkish": [
        "Turk", "Turke", "Turkë", "turq", "Turčin", "Turcin", "Turkinja", "Turci", "Турчин",
        "турска", "Turkish", "Türk",
    ],
    "roma": [
        "Rom", "Rome", "Romë", "romi", "Romkinja", "Romi", "Ром", "Ромкиња", "ромски", "Roma",
        "Romani",
    ],
    "ashkali": [
        "Ashkali", "Ashkalie", "ashkalinj", "Aškalija", "Askalija", "Aškalijka", "Ашкалија",
        "ашкалијска", "Ashkalia",
    ],
    "egyptian": [
        "Egjiptian", "Egjiptiane", "egjiptianë", "Egipćanin", "Egipcanin", "Egipćanka",
        "Египћанин", "египћанска", "Egyptian", "Balkan Egyptian",
    ],
    "gorani": [
        "Goran", "Gorane", "Goranë", "Goranac", "Goranka", "Goranci", "Горанац", "горанска",
        "Gorani",
    ],
    "montenegrin": [
        "Malazez", "Malazeze", "Malazezë", "Crnogorac", "Crnogorka", "Crnogorci", "Црногорац",
        "црногорска", "Montenegrin",
    ],
    "croat": [
        "Kroat", "Kroate", "Kroatë", "Hrvat", "Hrvatica", "Hrvati", "Хрват", "хрватска",
        "Croat", "Croatian",
    ],
    "prefer-not-to-say": [
        "Nuk deklaroj", "nuk dëshiroj të deklaroj", "I padeklaruar", "Ne izjašnjava se",
        "ne izjasnjava se", "Не изјашњава се", "Neizjašnjen", "Nije se izjasnila",
        "Prefer not to say", "Not declared",
    ],
}  # fmt: skip


@pytest.fixture
def vocabulary(reference: None) -> Vocabulary:
    return Vocabulary.load()


@pytest.mark.parametrize(
    ("text", "code"),
    [(text, code) for code, texts in COMMUNITY_SPELLINGS.items() for text in texts],
)
def test_a_community_is_read_however_a_clerk_writes_it(
    vocabulary: Vocabulary, text: str, code: str
) -> None:
    assert vocabulary.community(text) == community(code).pk
    assert vocabulary.community(f"  {text.upper()}  ") == community(code).pk


def test_the_words_the_issue_found_refused_are_read(vocabulary: Vocabulary) -> None:
    read = {
        text: Community.objects.get(pk=vocabulary.community(text)).code
        for text in ("Shqiptar", "Rom", "Srbin", "Albanac", "Bošnjak", "Turk", "Goran", "Србин")
    }
    assert read == {
        "Shqiptar": "albanian",
        "Rom": "roma",
        "Srbin": "serb",
        "Albanac": "albanian",
        "Bošnjak": "bosniak",
        "Turk": "turkish",
        "Goran": "gorani",
        "Србин": "serb",
    }


def test_a_blank_or_a_dash_is_no_answer_not_a_refusal(vocabulary: Vocabulary) -> None:
    assert vocabulary.community("") is None
    assert vocabulary.community(" - ") is None


@pytest.mark.parametrize(
    ("text", "closest"),
    [
        ("Shqiptr", "Shqiptar"),
        ("Srbn", "Srbi"),
        ("Bosnjk", "Bošnjak"),
        ("Albnac", "Albanac"),
        ("Егпићанин", "Egipćanin"),
    ],
)
def test_a_misspelt_community_is_refused_with_the_closest_words(
    vocabulary: Vocabulary, text: str, closest: str
) -> None:
    with pytest.raises(Refused) as refused:
        vocabulary.community(text)
    assert refused.value.closest[0] == closest
    assert len(refused.value.closest) <= 3


def test_a_word_far_from_every_community_is_refused_with_no_guess(
    vocabulary: Vocabulary,
) -> None:
    for text in ("Martian", "Kosovar", "Musliman", "Jugosloven"):
        with pytest.raises(Refused) as refused:
            vocabulary.community(text)
        assert refused.value.closest == [], text


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("F", "female"), ("Femër", "female"), ("femra", "female"), ("Grua", "female"),
        ("Ž", "female"), ("Ženski", "female"), ("Женско", "female"), ("Žena", "female"),
        ("W", "female"), ("Female", "female"), ("kadın", "female"),
        ("M", "male"), ("Mashkull", "male"), ("meshkuj", "male"), ("Burrë", "male"),
        ("М", "male"), ("Muški", "male"), ("Мушкарац", "male"), ("Male", "male"),
        ("Erkek", "male"), ("", ""),
    ],
)  # fmt: skip
def test_sex_is_read_in_every_language(vocabulary: Vocabulary, text: str, sex: str) -> None:
    assert vocabulary.sex(text) == sex


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("", "participant"), ("Pjesëmarrës", "participant"), ("pjesmarrese", "participant"),
        ("Učesnik", "participant"), ("Учесница", "participant"), ("Attendee", "participant"),
        ("Folës", "speaker"), ("Govornik", "speaker"), ("Панелиста", "speaker"),
        ("Trajner", "trainer"), ("Trajnuese", "trainer"), ("Trenerka", "trainer"),
        ("Организатор", "organizer"), ("Organizatore", "organizer"), ("organiser", "organizer"),
    ],
)  # fmt: skip
def test_a_role_is_read_in_every_language(vocabulary: Vocabulary, text: str, role: str) -> None:
    assert vocabulary.role(text) == role


@pytest.mark.parametrize(
    ("text", "affiliation"),
    [
        ("Zyrtar komunal", "municipal_employee"), ("Opštinski službenik", "municipal_employee"),
        ("Општинска службеница", "municipal_employee"), ("Fermer", "farmer"),
        ("Bujke", "farmer"), ("Poljoprivrednik", "farmer"), ("Пољопривредница", "farmer"),
        ("Sipërmarrëse", "entrepreneur"), ("Preduzetnica", "entrepreneur"),
        ("OJQ", "civil_society"), ("NVO", "civil_society"), ("Qytetare", "citizen"),
        ("Građanin", "citizen"), ("Грађанка", "citizen"), ("ZKK", "mocr_member"),
        ("Član komiteta", "committee_member"), ("Zyrtare e financave", "finance_officer"),
    ],
)  # fmt: skip
def test_an_affiliation_is_read_in_every_language(
    vocabulary: Vocabulary, text: str, affiliation: str
) -> None:
    assert vocabulary.affiliation(text) == affiliation


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("0-14", "0-14"), ("Nën 15", "0-14"), ("Fëmijë", "0-14"), ("Деца", "0-14"),
        ("15–29", "15-29"), ("15 - 29 vjeç", "15-29"), ("Të rinj", "15-29"), ("Mladi", "15-29"),
        ("Омладина", "15-29"), ("youth", "15-29"),
        ("30+", "30+"), ("Mbi 30", "30+"), ("Të rritur", "30+"), ("Odrasli", "30+"),
        ("30 и више", "30+"),
    ],
)  # fmt: skip
def test_an_age_band_is_read_in_every_language(
    vocabulary: Vocabulary, text: str, band: str
) -> None:
    assert vocabulary.age_band(text) == band


def test_a_merge_in_which_one_word_names_two_values_fails_loudly() -> None:
    with pytest.raises(VocabularyConflict):
        Words.build("community", [("Rom", 5), ("Roma", 5), ("ROM", 7)])


ROSTER = ("Emri", "Mbiemri", "Komuniteti", "Komuna", "Roli")


def test_a_refused_value_names_the_closest_ones_in_the_readers_language(
    vocabulary: Vocabulary,
) -> None:
    (row,) = check_roster(
        headers=ROSTER,
        rows=[(2, ("Besa", "Morina", "Shqiptr", "Gjlnn", "Trajnr"))],
        mapping={0: "given_name", 1: "family_name", 2: "community", 3: "municipality", 4: "role"},
        start=dt.date(2015, 5, 12),
        end=dt.date(2015, 5, 12),
        vocabulary=vocabulary,
    )
    problems = {problem.code: problem for problem in row.problems}
    assert set(problems) == {"community", "municipality", "role"}
    assert problems["community"].params["closest"][0] == "Shqiptar"
    assert problems["municipality"].params["closest"] == ["gjilan"]
    assert problems["role"].params["closest"] == ["Trajner"]
    with translation.override("en"):
        # one word per community: the nearest spelling of each
        assert problems["community"].message.endswith("The closest accepted values: Shqiptar.")
        assert problems["municipality"].message == (
            "“Gjlnn” is not a municipality of Kosovo; write its name in Albanian or Serbian. "
            "The closest municipalities: Gjilan/Gnjilane."
        )
    named = {"en": "Gjilan/Gnjilane", "sq": "Gjilan", "sr-latn": "Gnjilane", "sr": "Гњилане"}
    for language, name in named.items():
        with translation.override(language):
            message = problems["municipality"].message
            assert message.startswith(str(PROBLEMS["municipality"]) % {"value": "Gjlnn"})
            assert message.endswith(f"{name}.")


def test_a_tally_reads_community_words_and_names_the_closest_to_a_refused_one(
    vocabulary: Vocabulary,
) -> None:
    rows = check_tally(
        headers=("Pol", "Zajednica", "Uzrast", "Broj"),
        rows=[(2, ("Ž", "Srpkinje", "Mladi", "12")), (3, ("M", "Srbn", "30+", "4"))],
        mapping={0: "sex", 1: "community", 2: "age_band", 3: "headcount"},
        vocabulary=vocabulary,
    )
    assert rows[0].values == {
        "sex": "female",
        "community": community("serb").pk,
        "age_band": "15-29",
        "headcount": 12,
    }
    (problem,) = rows[1].problems
    assert (problem.code, problem.value) == ("community", "Srbn")
    assert problem.params["closest"] == ["Srbi"]


def test_municipality_near_spellings_are_read_as_the_gazetteer_takes_them(
    vocabulary: Vocabulary,
) -> None:
    assert vocabulary.municipality("Deneral Jankovic") == municipality("hani-i-elezit").pk
    assert vocabulary.municipality("Severna Mitrovica") == municipality("mitrovice-e-veriut").pk
    assert vocabulary.municipality("Zveçani") == municipality("zvecan").pk
    with pytest.raises(Refused) as refused:
        vocabulary.municipality("Kosovska Mitrovica")
    assert refused.value.closest == ["mitrovice", "mitrovice-e-veriut"]
