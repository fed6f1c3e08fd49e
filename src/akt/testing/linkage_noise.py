"""A second, independent noise model for linkage benchmarks: records as clerks mistype them.

:mod:`akt.testing.linkage_synthetic` generated the set the linkage model was tuned on; a model
tuned on one generator learns that generator (issue 10: F1 0.974 on it, 0.924 on someone else's
file). This module is another author's view of the same field, written without looking at that one:
its own name pools and nicknames, its own spelling rules across the two orthographies and the
two scripts, its own municipality spellings, its own mistakes and rates. It is test data, so it
lives in :mod:`akt.testing` and not in the production package. Nothing here imports the
project's normalization: a generator that spelled names the way the model folds them would
test nothing.

What a record may go through (rates per record unless said, see :class:`ClerkNoise`):

- **Writing.** Serbian and Bosniak names in Serbian Latin, Cyrillic, ASCII ("Djordje" or
  "Dordje"), or as an Albanian clerk spells them ("Gjorgje", "Petroviq"); Albanian names in
  Albanian, without ë and ç, or as a Serbian clerk spells them in Latin or Cyrillic
  ("Džemilj", "Џемиљ"); Roma, Turkish and Gorani names by whichever clerk. Capitals, lower case.
- **Mistakes in names.** A key next to the right one on a QWERTZ keyboard, two letters
  transposed, a letter doubled, a letter dropped; Cyrillic and Latin mixed inside one name (a
  keyboard switched mid-word, or Latin look-alike letters in a Cyrillic name).
- **Other names.** A nickname or short form (Aleksandar as Aca or Saša, Mehmet as Meti,
  Valbona as Bona); given and family name swapped; a woman who married during the program
  writes her husband's family name on her later records.
- **Dates.** Full (ISO, or day first with dots or slashes), only the year, missing; day and
  month swapped (sometimes giving an impossible date), the year off by one, one digit wrong.
- **Sex** in the words sheets use (M, Ž, F, Femër, мушки), or missing.
- **Municipality** in any of its names, with a typo, missing, or another one (people move).

People: each lives in one of the 16 partner municipalities, in its community mix; a share live
in families (siblings, spouses: same family name, close birth years, different given names), the
hard cases for any linker. Each person is on 1 to 30 rosters of their municipality, never twice
on one. Deterministic for a seed.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import lru_cache

import pandas as pd

COLUMNS = (
    "record_id",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "municipality",
    "activity_id",
    "true_id",
)
"""The same columns as the first generator's frame, so that one bench scores both."""


@dataclass(frozen=True)
class ClerkNoise:
    """How often each mistake happens (a share of records, unless the field says otherwise)."""

    keyboard_typo: float = 0.05
    transposition: float = 0.02
    doubled_letter: float = 0.015
    dropped_letter: float = 0.03
    mixed_script: float = 0.02
    nickname: float = 0.06
    """Of records whose given name has a short form."""
    swapped_names: float = 0.05
    married_women: float = 0.2
    """Share of women born 1975–1998 who marry during the program."""
    married_name_used: float = 0.6
    """Share of a married woman's records (after the first) that carry the new family name."""
    capitals: float = 0.07
    lower_case: float = 0.02
    birth_year_only: float = 0.22
    birth_missing: float = 0.14
    day_first: float = 0.15
    """Of full dates: written day first (07.03.1985, 7/3/1985)."""
    day_month_swapped: float = 0.03
    year_off_by_one: float = 0.03
    digit_wrong: float = 0.015
    sex_missing: float = 0.07
    municipality_typo: float = 0.05
    municipality_missing: float = 0.04
    municipality_moved: float = 0.02

    @classmethod
    def none(cls) -> ClerkNoise:
        """No mistake at all (names still change script and orthography by the writer)."""
        return cls(**{item.name: 0.0 for item in fields(cls)})


# ---------------------------------------------------------------------------------------------
# Name pools, commonest first. Written for this generator.

ALBANIAN_MALE = (
    "Arben Bekim Driton Besnik Ardian Blerim Fatmir Agim Ilir Valon Florent Gëzim Muhamet "
    "Ibrahim Xhevdet Shkëlzen Bujar Afrim Naim Sokol Avni Ramadan Rexhep Adem Skënder Kujtim "
    "Valdrin Qëndrim Artan Mentor Labinot Lulzim Hysen Hajdar Shaban Nexhat Enver Ismet Fadil "
    "Liridon Arianit Dardan Jeton Përparim Besart Armend Kushtrim Mehmet Fitim Xhemajl Bashkim "
    "Alban Erion Fisnik Granit Rinor Lorik Endrit Shpëtim Halil Bedri Ekrem Hamdi Ilaz Jakup "
    "Kadri Lulëzim Mursel Nuhi Osman Petrit Rrustem Sami Tahir Vehbi Xhafer Ylber Zenel Bardh"
).split()
ALBANIAN_FEMALE = (
    "Valbona Fatmire Afërdita Mimoza Albulena Vjosa Merita Teuta Shqipe Florije Drita Lirije "
    "Arbnora Blerta Donika Hatixhe Qëndresa Mirlinda Valentina Lumnije Besarta Fitore Ganimete "
    "Nazife Shpresa Vlora Egzona Arjeta Edona Kaltrina Zana Lindita Remzije Sabrije Hava Luljeta "
    "Violeta Majlinda Blerina Elona Njomza Aurora Gresa Leonora Fatime Xhemile Bukurije Diellza "
    "Agnesa Besiana Dafina Emine Flutura Gentiana Hana Ilirjana Jehona Kimete Lejla Mejreme "
    "Nita Osmane Pranvera Rina Sevdije Trëndafile Urata Valdete Xhevahire Yllka Zyrafete Ardita"
).split()
ALBANIAN_FAMILY = (
    "Krasniqi Gashi Berisha Morina Hoxha Shala Bytyqi Kastrati Rexhepi Hasani Kryeziu Ahmeti "
    "Sadiku Mustafa Zeqiri Osmani Halili Thaçi Haliti Jashari Rama Bajrami Musliu Dervishi Syla "
    "Hyseni Avdiu Kelmendi Sejdiu Hajdari Bislimi Aliu Maliqi Ramadani Xhemaili Qerimi Gjoka "
    "Spahiu Llapashtica Behrami Ibishi Zymberi Ismaili Mehmeti Beqiri Salihu Rrahmani Elezi Demaj "
    "Çitaku Kurteshi Sylejmani Feta Gjinovci Uka Lushtaku Veseli Pllana Dobruna Agaj Begolli "
    "Dushku Fejzullahu Gërguri Hamiti Imeri Jakupi Kabashi Limani Mazreku Nuredini Pacolli "
    "Qorri Rugova Shabani Tahiri Vitia Xhaferi Ymeri Zhubi Abazi Bakalli Dema Emini Fazliu"
).split()
SERBIAN_MALE = (
    "Aleksandar Nikola Jovan Milan Dragan Slobodan Miroslav Vladimir Dušan Stefan Nenad Zoran "
    "Goran Srđan Dejan Marko Nebojša Radomir Predrag Đorđe Miloš Ivan Petar Bojan Uroš Milorad "
    "Dragiša Živojin Radoslav Vukašin Momčilo Ljubiša Bratislav Časlav Dalibor Darko Saša "
    "Velimir Budimir Života Milutin Stanislav Radiša Žarko Njegoš Lazar Mihajlo Vojislav "
    "Branislav Cvetko Danilo Filip Gavrilo Ilija Jugoslav Konstantin Ljubomir Mladen Novica "
    "Obrad Pavle Ranko Sava Tihomir Veljko Zdravko Blagoje Dobrivoje Miodrag Sreten Trajko"
).split()
SERBIAN_FEMALE = (
    "Jelena Snežana Svetlana Milica Marija Ivana Dragana Slađana Biljana Vesna Danijela Tatjana "
    "Aleksandra Jovana Gordana Zorica Ljiljana Nataša Suzana Mirjana Verica Dušica Bojana "
    "Radmila Stanka Živka Milena Sanja Jasmina Dragica Ružica Olivera Kristina Nevena Tijana "
    "Anđela Katarina Ljubica Desanka Slavica Vukica Mileva Stojanka Branka Jagoda Smiljana "
    "Brankica Cvijeta Dara Emilija Gorica Hristina Ivanka Jasna Kosana Leposava Marina Nada "
    "Olgica Petra Rada Sofija Teodora Valentina Zagorka Bosiljka Dobrila Milka Spomenka"
).split()
SERBIAN_FAMILY = (
    "Jovanović Petrović Nikolić Marković Đorđević Stojanović Ilić Stanković Pavlović Milošević "
    "Kostić Mitić Lazić Todorović Simić Vasić Živković Ristić Krstić Denić Trajković Arsić "
    "Spasić Mladenović Radić Savić Perić Milić Stevanović Đukić Veličković Nedeljković Aksić "
    "Vučković Filipović Lukić Tasić Zdravković Janićijević Ćirković Dimić Gašić Bogdanović "
    "Novaković Mićić Ljubić Rakić Jevtić Stamenković Čarapić Šćepanović Milenković Stošić "
    "Antić Bošković Cvetković Dragović Erić Gligorijević Ivković Jakšić Kocić Lalić Maksimović "
    "Nešić Obradović Popović Radosavljević Sekulić Tomić Urošević Vidić Zlatković Babić Dinić"
).split()


def _albanian_patronymic(given: str) -> str:
    """Albanian family names made from a father's name: Rexhep -> Rexhepi, Ramadan -> Ramadani."""
    if given.endswith(("a", "e", "ë")):
        return given[:-1] + "aj"
    return given + ("u" if given.endswith("i") else "i")


def _serbian_patronymic(given: str) -> str:
    """Serbian family names made from a father's name: Marko -> Marković, Miloš -> Milošević."""
    if given.endswith(("a", "o", "e")):
        return given[:-1] + "ović"
    if given.endswith(("j", "š", "ž", "č", "ć", "đ", "c")):
        return given + "ević"
    return given + "ović"


# The long tail of family names: patronymics of the pools' given names, after the common ones.
ALBANIAN_FAMILY = (
    *ALBANIAN_FAMILY,
    *(
        name
        for name in dict.fromkeys(map(_albanian_patronymic, ALBANIAN_MALE))
        if name not in ALBANIAN_FAMILY
    ),
)
SERBIAN_FAMILY = (
    *SERBIAN_FAMILY,
    *(
        name
        for name in dict.fromkeys(map(_serbian_patronymic, SERBIAN_MALE))
        if name not in SERBIAN_FAMILY
    ),
)
BOSNIAK_MALE = "Muhamed Emir Edin Senad Amir Haris Kenan Adnan Jasmin Elvis Mirsad Sead".split()
BOSNIAK_FEMALE = "Amela Selma Azra Lejla Emina Aida Merima Sabina Alma Dženana Ajla".split()
BOSNIAK_FAMILY = "Hodžić Mehmedović Bećirović Husić Salihović Kurtić Ramović Alić Šabić".split()
TURKISH_MALE = "Mehmet Yusuf Ahmet Mustafa Orhan Erkan Selim Cengiz Fikret Ismail".split()
TURKISH_FEMALE = "Ayşe Fatma Emine Zeynep Sevim Gülsen Nurten Aylin Hatice".split()
TURKISH_FAMILY = "Yıldız Kaya Demir Şahin Çelik Doğan Aydın Özdemir Arslan Koç".split()
ROMA_MALE = "Bajram Sabit Džemilj Ramiz Sadri Nezir Ilijaz Muharem Fehmi Džafer Enes".split()
ROMA_FEMALE = "Ramiza Safeta Nadira Hanifa Sevdije Ljuljeta Zumreta Medina Sanije".split()
ROMA_FAMILY = "Berisha Gashi Mustafa Bajrami Rama Osmani Salihu Kurteshi Durmiši Ajeti".split()
GORANI_MALE = "Ismet Redžep Fadilj Sabahudin Adem Šaip Eldin".split()
GORANI_FEMALE = "Nazmija Šećira Ćemalija Hatidža Zejneba Fatima".split()
GORANI_FAMILY = "Bajrami Ademi Šaipi Hajdari Ćamili Idrizi".split()

NICKNAMES: dict[str, tuple[str, ...]] = {
    "Aleksandar": ("Aca", "Saša", "Aleksa"),
    "Nikola": ("Džoni", "Kole", "Nikolica"),
    "Jovan": ("Jova", "Joca"),
    "Milan": ("Mile", "Mića"),
    "Dragan": ("Gaga",),
    "Slobodan": ("Boban", "Sloba", "Boba"),
    "Miroslav": ("Miki", "Miro"),
    "Vladimir": ("Vlada", "Vlado"),
    "Dušan": ("Duško", "Dule"),
    "Stefan": ("Steva",),
    "Nenad": ("Neša",),
    "Zoran": ("Zoki",),
    "Goran": ("Goki",),
    "Srđan": ("Srki", "Srđa"),
    "Dejan": ("Deki",),
    "Nebojša": ("Neša",),
    "Predrag": ("Peđa",),
    "Đorđe": ("Đole", "Đoka"),
    "Petar": ("Pera",),
    "Bojan": ("Boki",),
    "Milorad": ("Mića",),
    "Jelena": ("Jeca", "Jela"),
    "Snežana": ("Sneža",),
    "Svetlana": ("Ceca",),
    "Marija": ("Maja", "Mara"),
    "Ivana": ("Iva",),
    "Dragana": ("Gaga",),
    "Slađana": ("Slađa",),
    "Biljana": ("Bilja",),
    "Danijela": ("Daca",),
    "Tatjana": ("Tanja",),
    "Aleksandra": ("Saška", "Sandra"),
    "Jovana": ("Joka",),
    "Gordana": ("Goca",),
    "Ljiljana": ("Ljilja",),
    "Mirjana": ("Mira",),
    "Mehmet": ("Meti",),
    "Arben": ("Beni",),
    "Bekim": ("Beki",),
    "Driton": ("Toni",),
    "Besnik": ("Besi",),
    "Ardian": ("Ardi",),
    "Blerim": ("Bleri",),
    "Fatmir": ("Miri",),
    "Agim": ("Gimi",),
    "Valon": ("Vali",),
    "Florent": ("Flori",),
    "Ibrahim": ("Ibo",),
    "Rexhep": ("Rexha",),
    "Skënder": ("Skeni",),
    "Muhamet": ("Meti",),
    "Valbona": ("Bona",),
    "Fatmire": ("Fati",),
    "Afërdita": ("Dita",),
    "Mimoza": ("Moza", "Mimi"),
    "Albulena": ("Lena",),
    "Merita": ("Meri",),
    "Florije": ("Flora",),
    "Arbnora": ("Nora",),
    "Qëndresa": ("Resa",),
    "Mirlinda": ("Linda",),
    "Valentina": ("Tina",),
    "Muhamed": ("Meho", "Hamo"),
    "Emir": ("Emi",),
    "Edin": ("Edo",),
}

# community: (male, female, family)
POOLS: dict[str, tuple[Sequence[str], Sequence[str], Sequence[str]]] = {
    "albanian": (ALBANIAN_MALE, ALBANIAN_FEMALE, ALBANIAN_FAMILY),
    "serb": (SERBIAN_MALE, SERBIAN_FEMALE, SERBIAN_FAMILY),
    "bosniak": (BOSNIAK_MALE, BOSNIAK_FEMALE, BOSNIAK_FAMILY),
    "turkish": (TURKISH_MALE, TURKISH_FEMALE, TURKISH_FAMILY),
    "roma": (ROMA_MALE, ROMA_FEMALE, ROMA_FAMILY),
    "gorani": (GORANI_MALE, GORANI_FEMALE, GORANI_FAMILY),
}
SERBIAN_SPELLED = frozenset({"serb", "bosniak", "gorani"})
"""Communities whose names are Serbian-spelled; the others' are Albanian- or Turkish-spelled."""

# ---------------------------------------------------------------------------------------------
# Municipalities: how many records each has, its community mix and the ways it is written.

MUNICIPALITIES: dict[str, tuple[int, dict[str, float], tuple[str, ...]]] = {
    "gjilan": (
        14,
        {"albanian": 0.86, "serb": 0.08, "roma": 0.04, "turkish": 0.02},
        ("Gjilan", "Gjilani", "Gnjilane", "Гњилане", "GJILAN", "Gjilan/Gnjilane", "Gnjilane"),
    ),
    "peje": (
        15,
        {"albanian": 0.82, "bosniak": 0.08, "roma": 0.06, "serb": 0.04},
        ("Pejë", "Peja", "Peje", "Peć", "Pec", "Пећ", "PEJA"),
    ),
    "vushtrri": (
        12,
        {"albanian": 0.9, "serb": 0.05, "roma": 0.05},
        ("Vushtrri", "Vushtrria", "Vučitrn", "Vucitrn", "Вучитрн"),
    ),
    "istog": (
        10,
        {"albanian": 0.85, "bosniak": 0.07, "serb": 0.04, "roma": 0.04},
        ("Istog", "Istogu", "Istok", "Исток"),
    ),
    "kline": (
        10,
        {"albanian": 0.9, "serb": 0.04, "roma": 0.06},
        ("Klinë", "Klina", "Kline", "Клина"),
    ),
    "obiliq": (
        9,
        {"albanian": 0.85, "serb": 0.08, "roma": 0.07},
        ("Obiliq", "Obiliqi", "Obilić", "Obilic", "Обилић"),
    ),
    "gracanice": (
        10,
        {"serb": 0.62, "albanian": 0.3, "roma": 0.08},
        ("Graçanicë", "Graçanica", "Gracanica", "Gračanica", "Грачаница", "GRACANICA"),
    ),
    "mitrovice-e-veriut": (
        12,
        {"serb": 0.7, "albanian": 0.18, "bosniak": 0.06, "gorani": 0.03, "turkish": 0.03},
        (
            "Mitrovicë e Veriut",
            "Mitrovica e Veriut",
            "Severna Mitrovica",
            "Северна Митровица",
            "North Mitrovica",
            "Kosovska Mitrovica",
        ),
    ),
    "shterpce": (
        7,
        {"serb": 0.6, "albanian": 0.4},
        ("Shtërpcë", "Shterpce", "Štrpce", "Strpce", "Штрпце"),
    ),
    "leposaviq": (
        8,
        {"serb": 0.95, "albanian": 0.03, "roma": 0.02},
        ("Leposaviq", "Leposavić", "Leposavic", "Лепосавић"),
    ),
    "zvecan": (
        7,
        {"serb": 0.93, "albanian": 0.04, "roma": 0.03},
        ("Zveçan", "Zvecan", "Zvečan", "Звечан"),
    ),
    "zubin-potok": (
        6,
        {"serb": 0.93, "albanian": 0.07},
        ("Zubin Potok", "Зубин Поток", "Zubin potok", "ZUBIN POTOK"),
    ),
    "novoberde": (
        7,
        {"serb": 0.55, "albanian": 0.42, "roma": 0.03},
        ("Novobërdë", "Novo Brdo", "Ново Брдо", "Novoberde", "Novobrdo"),
    ),
    "kllokot": (
        4,
        {"serb": 0.6, "albanian": 0.35, "roma": 0.05},
        ("Kllokot", "Klokot", "Клокот"),
    ),
    "partesh": (3, {"serb": 0.97, "roma": 0.03}, ("Partesh", "Parteš", "Партеш", "Partes")),
    "ranillug": (
        4,
        {"serb": 0.95, "albanian": 0.05},
        ("Ranillug", "Ranilug", "Ранилуг"),
    ),
}
ELSEWHERE = (
    "Prishtinë",
    "Priština",
    "Ferizaj",
    "Uroševac",
    "Hani i Elezit",
    "Đeneral Janković",
    "Kamenicë",
    "Kosovska Kamenica",
    "Mitrovicë",
    "Prizren",
)
"""Where people who moved during the program write that they live."""

# ---------------------------------------------------------------------------------------------
# Spelling: this generator's own rules.

_SR_TO_CYRILLIC = {
    "lj": "љ", "nj": "њ", "dž": "џ", "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "đ": "ђ",
    "e": "е", "ž": "ж", "z": "з", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н",
    "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "ć": "ћ", "u": "у", "f": "ф", "h": "х",
    "c": "ц", "č": "ч", "š": "ш",
}  # fmt: skip
_SR_TO_ALBANIAN = {
    "dž": "xh", "đ": "gj", "č": "ç", "ć": "q", "š": "sh", "ž": "zh", "lj": "lj", "nj": "nj",
}  # fmt: skip
_ALBANIAN_TO_SR = {
    "xh": "dž", "gj": "đ", "sh": "š", "zh": "ž", "ç": "č", "q": "ć", "ë": "e", "y": "i",
    "dh": "d", "th": "t", "ll": "lj", "rr": "r", "x": "dz",
}  # fmt: skip
_TURKISH_TO_LATIN = {"ş": "š", "ç": "č", "ı": "i", "ğ": "", "ö": "o", "ü": "i", "y": "j"}
_PLAIN = {"č": "c", "ć": "c", "š": "s", "ž": "z", "ë": "e", "ç": "c", "đ": "dj"}
_LOOKALIKE = {"a": "а", "e": "е", "o": "о", "j": "ј", "c": "с", "p": "р", "x": "х", "i": "і"}
_QWERTZ_ROWS = ("qwertzuiop", "asdfghjkl", "yxcvbnm")


def _replace(text: str, table: dict[str, str]) -> str:
    """Longest keys first, keeping the case of the first letter of each replaced piece."""
    keys = _longest_first(tuple(table))
    out, i, lower = [], 0, text.lower()
    while i < len(text):
        for key in keys:
            if lower.startswith(key, i):
                piece = table[key]
                if text[i].isupper() and piece:
                    piece = piece[0].upper() + piece[1:]
                out.append(piece)
                i += len(key)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


@lru_cache(maxsize=16)
def _longest_first(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(keys, key=len, reverse=True))


def to_cyrillic(name: str) -> str:
    """Serbian Latin to Cyrillic (a name only, so no exceptions for split digraphs)."""
    return _replace(name, _SR_TO_CYRILLIC)


def serbian_as_albanian(name: str) -> str:
    return _replace(name, _SR_TO_ALBANIAN)


def albanian_as_serbian(name: str) -> str:
    return _replace(name, _ALBANIAN_TO_SR)


def plain(name: str, dj: bool = True) -> str:
    """Typed on a keyboard without the letters: č c, š s, ë e; đ as dj (or d)."""
    return _replace(name, _PLAIN if dj else _PLAIN | {"đ": "d"})


def _neighbour(letter: str, rng: random.Random) -> str:
    lower = letter.lower()
    for row in _QWERTZ_ROWS:
        at = row.find(lower)
        if at >= 0:
            options = [row[j] for j in (at - 1, at + 1) if 0 <= j < len(row)]
            chosen = rng.choice(options)
            return chosen.upper() if letter.isupper() else chosen
    return letter


def _mistype(name: str, kind: str, rng: random.Random) -> str:
    if len(name) < 3:
        return name
    at = rng.randrange(1, len(name) - 1)
    if kind == "keyboard":
        return name[:at] + _neighbour(name[at], rng) + name[at + 1 :]
    if kind == "transposition":
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    if kind == "double":
        return name[:at] + name[at] + name[at:]
    return name[:at] + name[at + 1 :]  # dropped


def _mix_scripts(name: str, rng: random.Random) -> str:
    """Latin and Cyrillic in one name: a keyboard switched mid-word, or look-alike letters."""
    if rng.random() < 0.5:
        cut = rng.randrange(1, max(2, len(name)))
        if any("\u0400" <= c <= "\u04ff" for c in name):
            return name[:cut] + name[cut:].translate(_CYRILLIC_BACK)
        return to_cyrillic(name[:cut]) + name[cut:]
    return "".join(_LOOKALIKE[c] if c in _LOOKALIKE and rng.random() < 0.7 else c for c in name)


_CYRILLIC_BACK = str.maketrans(
    {
        cyr: lat
        for lat, cyr in _SR_TO_CYRILLIC.items()
        if len(lat) == 1 and lat not in ("đ", "ž", "ć", "č", "š")
    }
)


# ---------------------------------------------------------------------------------------------
# People and records.


@dataclass
class _Person:
    community: str
    male: bool
    given: str
    family: str
    married: str | None
    born: date
    home: str
    moved_to: str


def _weighted_choice(options: Sequence[str], rng: random.Random) -> str:
    """Commonest first: a name's weight falls as 1 / (rank + 12).

    In the long pools the commonest name is about 3% of the draws (Krasniqi, Jovanović), and
    the effective number of names (1 / the chance that two people share one) is about 100 for
    given names and 150 for family names: at a 100,000-record scale many people share a name.
    """
    return rng.choices(options, cum_weights=_cumulative(len(options)))[0]


@lru_cache(maxsize=64)
def _cumulative(count: int) -> tuple[float, ...]:
    return tuple(itertools.accumulate(1.0 / (rank + 12) for rank in range(count)))


def _people(n_people: int, rng: random.Random, noise: ClerkNoise) -> list[_Person]:
    codes = list(MUNICIPALITIES)
    sizes = [MUNICIPALITIES[code][0] for code in codes]
    people: list[_Person] = []
    while len(people) < n_people:
        home = rng.choices(codes, sizes)[0]
        mix = MUNICIPALITIES[home][1]
        community = rng.choices(list(mix), list(mix.values()))[0]
        male_pool, female_pool, family_pool = POOLS[community]
        family = _weighted_choice(family_pool, rng)
        born = date(1945, 1, 1) + timedelta(days=rng.randrange(0, 60 * 365))
        # A family of 1 to 4: siblings and spouses, close in age, one family name.
        members = 1 if rng.random() < 0.8 else rng.randint(2, 4)
        used: set[str] = set()
        for member in range(members):
            male = rng.random() < 0.5
            given = _weighted_choice(male_pool if male else female_pool, rng)
            while given in used:
                given = rng.choice(male_pool if male else female_pool)
            used.add(given)
            when = born + timedelta(days=rng.randint(-8 * 365, 8 * 365)) if member else born
            married = None
            if not male and 1975 <= when.year <= 1998 and rng.random() < noise.married_women:
                married = rng.choice([name for name in family_pool if name != family])
            people.append(
                _Person(
                    community=community,
                    male=male,
                    given=given,
                    family=family,
                    married=married,
                    born=when,
                    home=home,
                    moved_to=rng.choice(ELSEWHERE),
                )
            )
    return people[:n_people]


def _style(community: str, clerk: str, rng: random.Random) -> str:
    """How this clerk writes this person's names on this row (both names alike)."""
    roll = rng.random()
    if community in SERBIAN_SPELLED:
        if clerk == "sq":
            return "as-albanian" if roll < 0.45 else ("plain" if roll < 0.8 else "plain-d")
        if roll < 0.42:
            return "native"
        if roll < 0.75:
            return "cyrillic"
        return "plain" if roll < 0.9 else "plain-d"
    if clerk == "sq":
        return "native" if roll < 0.68 else "plain"
    if roll < 0.55:
        return "as-serbian"
    return "as-serbian-cyrillic" if roll < 0.8 else "plain"


@lru_cache(maxsize=1 << 14)
def _spell(name: str, community: str, style: str) -> str:
    """The name written in ``style`` (see :func:`_style`)."""
    if community == "turkish":
        name = _replace(name, _TURKISH_TO_LATIN)
        if style in ("native", "plain", "plain-d", "as-serbian"):
            return plain(name) if style.startswith("plain") else name
    if style == "native":
        return name
    if style == "plain":
        return plain(name)
    if style == "plain-d":
        return plain(name, dj=False)
    if style == "cyrillic":
        return to_cyrillic(name)
    if style == "as-albanian":
        return serbian_as_albanian(name)
    if style == "as-serbian":
        return albanian_as_serbian(name)
    return to_cyrillic(albanian_as_serbian(name))  # as-serbian-cyrillic


def _date(born: date, rng: random.Random, noise: ClerkNoise) -> str:
    roll = rng.random()
    if roll < noise.birth_missing:
        return ""
    year = born.year
    if rng.random() < noise.year_off_by_one:
        year += rng.choice((-1, 1))
    if roll < noise.birth_missing + noise.birth_year_only:
        return str(year)
    month, day = born.month, born.day
    if rng.random() < noise.day_month_swapped:
        month, day = day, month  # a day above 12 gives a date no calendar has
    text = f"{year:04d}-{month:02d}-{day:02d}"
    if rng.random() < noise.digit_wrong:
        at = rng.choice((3, 8, 9))
        text = text[:at] + str(rng.randrange(10)) + text[at + 1 :]
    if rng.random() < noise.day_first:
        y, m, d = text.split("-")
        return f"{d}.{m}.{y}" if rng.random() < 0.7 else f"{int(d)}/{int(m)}/{y}"
    return text


_SEX_WORDS = {
    "sq": (("M", "Mashkull", "m"), ("F", "Femër", "f")),
    "sr": (("M", "Muški", "м", "М"), ("Ž", "Ženski", "ж", "Ж")),
}


def generate(n_records: int, *, seed: int = 0, noise: ClerkNoise | None = None) -> pd.DataFrame:
    """``n_records`` labelled records (columns :data:`COLUMNS`, all strings), rows shuffled.

    About 2.4 records per person. The same arguments give the same frame.
    """
    if n_records < 0:
        raise ValueError("n_records must not be negative")
    noise = ClerkNoise() if noise is None else noise
    rng = random.Random(seed)
    counts: list[int] = []
    total = 0
    while total < n_records:
        count = 1
        while count < 30 and rng.random() < 0.58:  # geometric: mean about 2.4
            count += 1
        counts.append(count)
        total += count
    if counts:
        counts[-1] -= total - n_records
    people = _people(len(counts), rng, noise)
    # Rosters of 15 to 40 per municipality; a person's records on distinct rosters.
    by_home: dict[str, int] = {}
    for person, count in zip(people, counts, strict=True):
        by_home[person.home] = by_home.get(person.home, 0) + count
    rosters = {home: max(30, total // 25) for home, total in by_home.items()}
    clerks = {
        (home, index): "sr" if rng.random() < _serbian_clerk_share(home) else "sq"
        for home, number in rosters.items()
        for index in range(number)
    }
    rows: list[tuple[str, ...]] = []
    for number, (person, count) in enumerate(zip(people, counts, strict=True)):
        chosen = rng.sample(range(rosters[person.home]), count)
        for order, roster in enumerate(chosen):
            clerk = clerks[(person.home, roster)]
            rows.append(
                _record(person, order, clerk, f"{person.home}-{roster}", number, rng, noise)
            )
    rng.shuffle(rows)
    frame = pd.DataFrame(
        [(f"N{index:07d}", *row) for index, row in enumerate(rows, start=1)],
        columns=list(COLUMNS),
    )
    return frame


def _serbian_clerk_share(home: str) -> float:
    return 0.15 + 0.75 * sum(
        share for community, share in MUNICIPALITIES[home][1].items() if community != "albanian"
    )


def _record(
    person: _Person,
    order: int,
    clerk: str,
    roster: str,
    number: int,
    rng: random.Random,
    noise: ClerkNoise,
) -> tuple[str, ...]:
    given = person.given
    if given in NICKNAMES and rng.random() < noise.nickname:
        given = rng.choice(NICKNAMES[given])
    family = person.family
    if person.married and order > 0 and rng.random() < noise.married_name_used:
        family = person.married
    style = _style(person.community, clerk, rng)
    given = _spell(given, person.community, style)
    family = _spell(family, person.community, style)
    for rate, kind in (
        (noise.keyboard_typo, "keyboard"),
        (noise.transposition, "transposition"),
        (noise.doubled_letter, "double"),
        (noise.dropped_letter, "dropped"),
    ):
        if rng.random() < rate:
            if rng.random() < 0.5:
                given = _mistype(given, kind, rng)
            else:
                family = _mistype(family, kind, rng)
    if rng.random() < noise.mixed_script:
        if rng.random() < 0.5:
            given = _mix_scripts(given, rng)
        else:
            family = _mix_scripts(family, rng)
    roll = rng.random()
    if roll < noise.capitals:
        family = family.upper()
        if rng.random() < 0.5:
            given = given.upper()
    elif roll < noise.capitals + noise.lower_case:
        given, family = given.lower(), family.lower()
    if rng.random() < noise.swapped_names:
        given, family = family, given
    sex = ""
    if rng.random() >= noise.sex_missing:
        sex = rng.choice(_SEX_WORDS[clerk][0 if person.male else 1])
    return (
        given,
        family,
        _date(person.born, rng, noise),
        sex,
        _municipality(person, clerk, rng, noise),
        roster,
        f"T{number:07d}",
    )


@lru_cache(maxsize=32)
def _cyrillic_names(home: str) -> tuple[str, ...]:
    return tuple(
        name
        for name in MUNICIPALITIES[home][2]
        if any("\u0400" <= char <= "\u04ff" for char in name)
    )


def _municipality(person: _Person, clerk: str, rng: random.Random, noise: ClerkNoise) -> str:
    roll = rng.random()
    if roll < noise.municipality_missing:
        return ""
    if roll < noise.municipality_missing + noise.municipality_moved:
        return person.moved_to
    names = MUNICIPALITIES[person.home][2]
    cyrillic = _cyrillic_names(person.home)
    if clerk == "sr" and cyrillic and rng.random() < 0.35:
        name = rng.choice(cyrillic)
    else:
        name = rng.choice(names)
    if rng.random() < noise.municipality_typo:
        name = _mistype(name, rng.choice(("keyboard", "transposition", "double", "dropped")), rng)
    return name
