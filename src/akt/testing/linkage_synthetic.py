"""A labelled set of person records across scripts and spellings, for benchmarking linkage.

Issue 3 asks for identity resolution measured on "a labelled cross-script set you generate". This
module generates it: person records as the program's sign-in sheets and rosters carry them, each
labelled with the true person it belongs to (``true_id``), so that a linker's clusters can be scored
(:func:`cluster_metrics`) without any hand-labelling.

How the records come about, so that the difficulty is the field's and not an artefact:

- **People.** Each true person lives in one of the 16 AKT partner municipalities (a few live in
  another municipality of the same region) and belongs to a community drawn in that municipality's
  proportions (:data:`COMMUNITY_MIX`, the demo's mix). Names come from the community's pool in
  :mod:`akt.testing.names_large` (several hundred real names a list), drawn with a skew by list
  position (the commonest names first, as in life), so many distinct people share a common name:
  term frequency matters. About a fifth of the people live in
  households of 2 to 5 who share family name, municipality and community and are close in birth
  year (spouses, siblings, parent and grown-up child) but have different given names: the hard
  negatives. Everyone has a full birth date and a sex.
- **Records.** A person appears on 1 to *k* rosters (1 + a negative binomial count, mean
  ``mean_records_per_person``, a long tail), each roster an activity of 10 to 60 records in the
  person's municipality; a person is never twice on one roster.
- **Writing.** Each record is written either by the attendee (in their own orthography) or by the
  activity's clerk, who writes Albanian or Serbian (by the municipality's majority, not always) and,
  if Serbian, in Latin, Cyrillic or ASCII for the whole roster:

  - Albanian names in Albanian orthography (Xhevdet Krasniqi), ASCII-folded (Arber), or as a
    Serbian-speaking clerk writes them (Dževdet Krasnići, Џевдет Краснићи, Dzevdet Krasnici; the
    rules are in :func:`albanian_to_serbian`);
  - Serbian (and Bosniak) names in Serbian Latin (Jovan Petrović), Cyrillic (Јован Петровић),
    ASCII (Petrovic; đ as dj or d) or Albanian orthography (Petroviq, Gjorgje;
    :func:`serbian_to_albanian`);
  - Turkish names in Turkish orthography or as Albanian or Serbian clerks write them (Yusuf, Jusuf);
  - the municipality in the writer's language and script: Gjilan, Gjilani (the Albanian definite
    form), Gnjilane, Гњилане, ASCII-folded (Gracanice); sometimes in another form than the names.

- **Noise** (:class:`Noise`, rates per record): family names in capitals, the whole name in
  capitals, given and family name swapped, one typo (insertion, deletion, substitution or
  transposition), a doubled letter, stray spaces, a missing given or family name; the birth date in
  full, as a year, missing, or wrong (day and month swapped, a digit mistyped, the year off by one);
  sex missing; a neighbouring municipality instead of the person's own.

Everything is drawn from one :class:`numpy.random.Generator` seeded by ``seed``: the same arguments
give the same frame. One million records take a few seconds.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from akt.demo.names import NamePool, ascii_fold
from akt.places.gazetteer import albanian_definite
from akt.places.participant_mix import COMMUNITY_MIX, MUNICIPALITY_SIZE
from akt.testing.names_large import NAMES
from akt.text.orthography import albanian_to_serbian, recase, serbian_to_albanian
from akt.text.script import latin_to_cyrillic

__all__ = [
    "COLUMNS",
    "COMMUNITY_MIX",
    "MUNICIPALITY_SIZE",
    "Noise",
    "albanian_definite",
    "albanian_to_serbian",
    "cluster_metrics",
    "generate",
    "serbian_to_albanian",
    "truth_clusters",
]

COLUMNS: tuple[str, ...] = (
    "record_id",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "municipality",
    "activity_id",
    "true_id",
)
"""The columns of :func:`generate`'s frame, in order; all hold strings ("" when unknown)."""

MUNICIPALITIES_CSV = Path(__file__).resolve().parents[1] / "places" / "data" / "municipalities.csv"


@dataclass(frozen=True)
class Noise:
    """How records depart from the person they describe; each rate is a share of records.

    The birth date is written in full unless it is written as a year, missing or wrong
    (``1 - birth_year_only - birth_missing - birth_wrong`` in full).
    """

    self_written: float = 0.5
    """The attendee wrote the row (own orthography) rather than the activity's clerk."""
    upper_family: float = 0.12
    """Family name in capitals ("KRASNIQI")."""
    upper_all: float = 0.04
    """Given and family name in capitals."""
    swap: float = 0.08
    """Family name in the given-name column and the other way round."""
    typo: float = 0.07
    """One insertion, deletion, substitution or transposition in the given or family name."""
    doubled_letter: float = 0.02
    """A letter written twice ("Gashii", "Jovvan")."""
    whitespace: float = 0.01
    """A stray leading or trailing space."""
    missing_part: float = 0.015
    """The given or the family name left empty."""
    birth_year_only: float = 0.25
    birth_missing: float = 0.15
    birth_wrong: float = 0.05
    """Day and month swapped (when that makes a date), a digit mistyped, or the year off by one."""
    sex_missing: float = 0.05
    municipality_other: float = 0.01
    """Another municipality of the same region written instead of the person's own."""
    municipality_form_mixed: float = 0.1
    """The municipality written in a language or script other than the names'."""

    @classmethod
    def none(cls) -> Noise:
        """No noise at all: every record written by its attendee, complete and correct."""
        return cls(**{name: 0.0 for name in cls.__dataclass_fields__})


# ---------------------------------------------------------------------------------------------
# Spelling across orthographies and scripts.

_TR_TO_SQ = {"ş": "sh", "c": "xh", "ğ": "g", "ı": "i", "y": "j", "ü": "y", "ö": "o"}
_TR_TO_SR = {"ş": "š", "c": "dž", "ç": "č", "ğ": "g", "ı": "i", "y": "j", "ü": "i", "ö": "o"}


def _turkish_to(table: Mapping[str, str], name: str) -> str:
    lower = name.replace("I", "ı").replace("İ", "i").lower()
    return recase("".join(table.get(char, char) for char in lower), name)


# Forms of a name (rows of the vocabulary tables).
NATIVE, NATIVE_ASCII, SQ, SQ_ASCII, SR_LATN, SR_ASCII, SR_ASCII_D, SR_CYRL = range(8)
_FORM_COUNT = 8

# Communities: index, the orthography their names are written in, the language they write.
_COMMUNITIES = ("albanian", "serb", "bosniak", "turkish", "roma", "ashkali", "egyptian", "gorani")
_COMMUNITY_INDEX = {code: index for index, code in enumerate(_COMMUNITIES)}
_SERBIAN_LETTERS = frozenset("čćđšžČĆĐŠŽ")
_ALBANIAN_MARKS = ("ë", "ç", "q", "x", "y", "sh", "zh", "gj")

# How attendees write their own names, by community: (form, weight).
_SELF_STYLE: Mapping[str, tuple[tuple[int, float], ...]] = MappingProxyType(
    {
        "albanian": ((NATIVE, 0.8), (NATIVE_ASCII, 0.2)),
        "ashkali": ((NATIVE, 0.75), (NATIVE_ASCII, 0.25)),
        "egyptian": ((NATIVE, 0.75), (NATIVE_ASCII, 0.25)),
        "serb": ((NATIVE, 0.45), (SR_CYRL, 0.35), (NATIVE_ASCII, 0.2)),
        "bosniak": ((NATIVE, 0.6), (NATIVE_ASCII, 0.3), (SR_CYRL, 0.1)),
        "gorani": ((NATIVE, 0.6), (NATIVE_ASCII, 0.3), (SR_CYRL, 0.1)),
        "turkish": ((NATIVE, 0.6), (SQ, 0.25), (NATIVE_ASCII, 0.15)),
        "roma": ((NATIVE, 0.5), (NATIVE_ASCII, 0.2), (SQ, 0.15), (SR_LATN, 0.15)),
    }
)
# Which language a community writes (0 Albanian, 1 Serbian) when it writes its own name natively.
_WRITES_SERBIAN = {"serb": 1, "bosniak": 1, "gorani": 1}

# Clerk of an activity: the share writing Serbian, by municipality majority; a Serbian clerk's
# script; an Albanian clerk typing without ë and ç.
_SERBIAN_CLERK = {"serb": 0.85, "albanian": 0.12}
_SERBIAN_CLERK_STYLE = ((SR_LATN, 0.45), (SR_CYRL, 0.35), (SR_ASCII, 0.2))
_ALBANIAN_CLERK_STYLE = ((SQ, 0.75), (SQ_ASCII, 0.25))
_ASCII_D_SHARE = 0.3  # of ASCII Serbian: đ typed as d rather than dj

# Municipality forms.
M_SQ, M_SQ_DEF, M_SQ_ASCII, M_SQ_DEF_ASCII, M_SR_LATN, M_SR_CYRL, M_SR_ASCII = range(7)
_MUNICIPALITY_FORM_COUNT = 7
_DEFINITE_SHARE = 0.4

# Name weight 1 / (rank + 4) ** 0.7 by position in the pool (the commonest first): in a list of
# 350 the first is about 20x the last and about 2% of the draws.
_NAME_ZIPF = 0.7
_RESIDENT_ELSEWHERE = 0.03  # people living in another municipality of the activity's region
_MAX_RECORDS_PER_PERSON = 40
_COUNT_DISPERSION = 0.8  # negative binomial r of the extra records per person
_ROSTER_SIZE = (10, 60)
_HOUSEHOLD_SIZES = ((2, 0.45), (3, 0.3), (4, 0.17), (5, 0.08))
_BIRTH_RANGE = (np.datetime64("1950-01-01"), np.datetime64("2006-12-31"))
_MALE_SHARE = 0.52


@dataclass(frozen=True)
class _Vocabulary:
    """Every name of the pools in every form, as object arrays indexed [form, name]."""

    names: tuple[str, ...]
    forms: np.ndarray
    upper: np.ndarray
    pools: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
    """Community -> name indices of (male, female, family)."""


def _origin(name: str, pool_code: str) -> str:
    """The orthography a pool name is written in: "sq", "sr" or "tr"."""
    if pool_code in ("albanian", "ashkali", "egyptian"):
        return "sq"
    if pool_code in ("serb", "bosniak", "gorani"):
        return "sr"
    if pool_code == "turkish":
        return "tr"
    if any(char in _SERBIAN_LETTERS for char in name):
        return "sr"
    return "sq" if any(mark in name.lower() for mark in _ALBANIAN_MARKS) else "sr"


def _name_forms(name: str, origin: str) -> list[str]:
    if origin == "sq":
        sq, sr = name, albanian_to_serbian(name)
    elif origin == "sr":
        sq, sr = serbian_to_albanian(name), name
    else:
        sq, sr = _turkish_to(_TR_TO_SQ, name), _turkish_to(_TR_TO_SR, name)
    forms = [""] * _FORM_COUNT
    forms[NATIVE], forms[NATIVE_ASCII] = name, ascii_fold(name)
    forms[SQ], forms[SQ_ASCII] = sq, ascii_fold(sq)
    forms[SR_LATN], forms[SR_ASCII] = sr, ascii_fold(sr)
    forms[SR_ASCII_D] = ascii_fold(sr.replace("đ", "d").replace("Đ", "D"))
    forms[SR_CYRL] = latin_to_cyrillic(sr)
    return forms


@cache
def _vocabulary() -> _Vocabulary:
    origins: dict[str, str] = {}
    # Pools in order of precedence: a name in several pools takes the first pool's orthography.
    for code in ("albanian", "serb", "bosniak", "ashkali", "egyptian", "turkish", "roma"):
        pool = NAMES[code]
        for name in (*pool.male, *pool.female, *pool.family):
            origins.setdefault(name, _origin(name, code))
    names = tuple(origins)
    index = {name: i for i, name in enumerate(names)}
    forms = np.array([_name_forms(name, origins[name]) for name in names], dtype=object).T
    upper = np.vectorize(str.upper, otypes=[object])(forms)

    def indices(pool: NamePool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        male, female, family = (
            np.array([index[name] for name in part])
            for part in (pool.male, pool.female, pool.family)
        )
        return male, female, family

    pools = {code: indices(NAMES[code]) for code in _COMMUNITIES}
    return _Vocabulary(names, forms, upper, MappingProxyType(pools))


@dataclass(frozen=True)
class _Municipalities:
    codes: tuple[str, ...]
    majority: tuple[str, ...]
    forms: np.ndarray
    """Object array [municipality form, municipality]."""
    region_members: tuple[np.ndarray, ...]
    """For each municipality, the other municipalities of its region."""
    partners: tuple[int, ...]
    """Indices of the partner municipalities, in the order of :data:`MUNICIPALITY_SIZE`."""


@cache
def _municipalities() -> _Municipalities:
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    forms = np.empty((_MUNICIPALITY_FORM_COUNT, len(rows)), dtype=object)
    for column, row in enumerate(rows):
        sq, definite = row["name_sq"], albanian_definite(row["name_sq"])
        forms[M_SQ, column], forms[M_SQ_DEF, column] = sq, definite
        forms[M_SQ_ASCII, column], forms[M_SQ_DEF_ASCII, column] = (
            ascii_fold(sq),
            ascii_fold(definite),
        )
        forms[M_SR_LATN, column] = row["name_sr_latn"]
        forms[M_SR_CYRL, column] = row["name_sr_cyrl"]
        forms[M_SR_ASCII, column] = ascii_fold(row["name_sr_latn"])
    regions = [row["region"] for row in rows]
    region_members = tuple(
        np.array([j for j, other in enumerate(regions) if other == region and j != i])
        for i, region in enumerate(regions)
    )
    codes = tuple(row["code"] for row in rows)
    return _Municipalities(
        codes=codes,
        majority=tuple(row["majority_community"] for row in rows),
        forms=forms,
        region_members=region_members,
        partners=tuple(codes.index(code) for code in MUNICIPALITY_SIZE),
    )


# ---------------------------------------------------------------------------------------------
# Generation.


def _weighted(rng: np.random.Generator, options: tuple[tuple[int, float], ...], size: int):
    values, weights = zip(*options, strict=True)
    p = np.asarray(weights, dtype=float)
    return np.asarray(values)[rng.choice(len(values), size=size, p=p / p.sum())]


def _zipf_weights(count: int) -> np.ndarray:
    """Weights of a pool's names by position: the lists put the commonest names first."""
    weights = 1.0 / (np.arange(count) + 4.0) ** _NAME_ZIPF
    return weights / weights.sum()


def _split(total: int, parts: int, rng: np.random.Generator) -> np.ndarray:
    """``total`` split into ``parts`` sizes of 10 to 60 (when that is possible), summing exactly
    to ``total``."""
    low, high = _ROSTER_SIZE
    if not low * parts <= total <= high * parts:
        low, high = 0, total
    raw = rng.uniform(low, high, size=parts)
    raw *= total / raw.sum()
    sizes = np.clip(np.floor(raw), low, high).astype(np.int64)
    while (short := total - int(sizes.sum())) != 0:
        room = np.flatnonzero(sizes < high if short > 0 else sizes > low)
        chosen = room[rng.permutation(len(room))[: abs(short)]]
        sizes[chosen] += 1 if short > 0 else -1
    return sizes


def _record_counts(rng: np.random.Generator, total: int, mean: float, cap: int) -> np.ndarray:
    """Records per person (1 + negative binomial, at most ``cap``) summing exactly to ``total``."""
    p = _COUNT_DISPERSION / (_COUNT_DISPERSION + max(mean - 1.0, 1e-9))
    chunks: list[np.ndarray] = []
    drawn = 0
    while drawn < total:
        extra = rng.negative_binomial(_COUNT_DISPERSION, p, size=int(total / mean) + 16)
        chunk = np.minimum(1 + extra, cap)
        chunks.append(chunk)
        drawn += int(chunk.sum())
    counts = np.concatenate(chunks)
    cumulative = np.cumsum(counts)
    last = int(np.searchsorted(cumulative, total))
    counts = counts[: last + 1].copy()
    counts[-1] -= int(cumulative[last]) - total
    return counts


def _assign_rosters(rng: np.random.Generator, person: np.ndarray, rosters: int) -> np.ndarray:
    """A roster (0..rosters-1) for each record, no person twice on one roster.

    ``person`` lists each record's person, a person's records next to each other. Roster places
    are interleaved (each roster's places spread evenly over the sequence, with a random phase),
    so a person's consecutive records land on different rosters; the few clashes are swapped away.
    Needs no person with more records than there are rosters.
    """
    total = len(person)
    sizes = _split(total, rosters, rng)
    roster_of_place = np.repeat(np.arange(rosters), sizes)
    rank = np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    phase = rng.random(rosters)
    key = (rank + phase[roster_of_place]) / sizes[roster_of_place]
    roster = roster_of_place[np.argsort(key, kind="stable")]
    pair = person.astype(np.int64) * rosters + roster
    order = np.argsort(pair, kind="stable")
    clashes = order[1:][pair[order][1:] == pair[order][:-1]]
    if len(clashes) == 0:
        return roster
    held: dict[int, int] = {}
    for value in pair.tolist():
        held[value] = held.get(value, 0) + 1

    def move(p: int, a: int, b: int) -> None:
        held[p * rosters + a] -= 1
        held[p * rosters + b] = held.get(p * rosters + b, 0) + 1

    candidates = rng.integers(0, total, size=(len(clashes), 64))
    fallback = rng.random(len(clashes))
    for clash, tries, pick in zip(
        clashes.tolist(), candidates.tolist(), fallback.tolist(), strict=True
    ):
        p, a = int(person[clash]), int(roster[clash])
        for other in tries:  # swap places with someone on another roster
            q, b = int(person[other]), int(roster[other])
            if p == q or a == b or held.get(p * rosters + b) or held.get(q * rosters + a):
                continue
            roster[clash], roster[other] = b, a
            move(p, a, b)
            move(q, b, a)
            break
        else:  # rare: move to a roster the person is not on (one roster one place longer)
            free = [b for b in range(rosters) if not held.get(p * rosters + b)]
            b = free[int(pick * len(free))]
            roster[clash] = b
            move(p, a, b)
    return roster


def _days_in_month(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[month]
    return days + ((month == 2) & leap)


@dataclass
class _People:
    """Arrays over true persons."""

    municipality: np.ndarray  # where their activities are (partner municipality index)
    home: np.ndarray  # where they live (written on the record)
    community: np.ndarray
    male: np.ndarray
    given: np.ndarray
    family: np.ndarray
    birth: np.ndarray  # datetime64[D]
    records: np.ndarray  # how many records


def _people(
    rng: np.random.Generator,
    n_records: int,
    mean_records: float,
    household_share: float,
) -> tuple[_People, np.ndarray, np.ndarray]:
    """The true persons, and for each record its person and its roster (global indices)."""
    vocabulary, places = _vocabulary(), _municipalities()
    weights = np.array(list(MUNICIPALITY_SIZE.values()), dtype=float)
    per_place = rng.multinomial(n_records, weights / weights.sum())
    given_weights = {
        code: tuple(_zipf_weights(len(part)) for part in vocabulary.pools[code])
        for code in _COMMUNITIES
    }
    parts: list[dict[str, np.ndarray]] = []
    record_person: list[np.ndarray] = []
    record_roster: list[np.ndarray] = []
    persons = rosters = 0
    for slot, (code, total) in enumerate(zip(MUNICIPALITY_SIZE, per_place.tolist(), strict=True)):
        if total == 0:
            continue
        place = places.partners[slot]
        roster_count = max(1, round(total / np.mean(_ROSTER_SIZE)))
        # At most one record on half the municipality's rosters: a person is never twice on one.
        cap = min(_MAX_RECORDS_PER_PERSON, max(1, roster_count // 2))
        counts = _record_counts(rng, total, mean_records, cap)
        size = len(counts)
        mix = COMMUNITY_MIX[code]
        share = np.array([weight for _c, weight in mix], dtype=float)
        community = np.array([_COMMUNITY_INDEX[c] for c, _w in mix])[
            rng.choice(len(mix), size=size, p=share / share.sum())
        ]
        male = rng.random(size) < _MALE_SHARE
        birth = _BIRTH_RANGE[0] + rng.integers(
            0, int((_BIRTH_RANGE[1] - _BIRTH_RANGE[0]).astype(int)) + 1, size=size
        ).astype("timedelta64[D]")
        # Households: the first persons of the municipality, in groups (persons are shuffled
        # before they meet rosters, so the position means nothing).
        sizes_, size_p = zip(*_HOUSEHOLD_SIZES, strict=True)
        wanted = int(round(household_share * size))
        group_sizes = np.asarray(sizes_)[
            rng.choice(len(sizes_), size=wanted // 2 + 1, p=np.asarray(size_p))
        ]
        group_sizes = group_sizes[np.cumsum(group_sizes) <= wanted]
        in_households = int(group_sizes.sum())
        head = np.repeat(np.cumsum(group_sizes) - group_sizes, group_sizes)
        member = np.arange(in_households)
        is_member = member != head
        community[:in_households] = community[head]
        role = rng.random(in_households)
        first = member == head + 1
        spouse = is_member & first & (role < 0.6)
        child = is_member & ~spouse & (role < 0.8)
        sibling = is_member & ~spouse & ~child
        male[:in_households] = np.where(spouse, ~male[head], male[:in_households])
        offset = np.zeros(in_households, dtype=np.int64)
        offset[spouse] = rng.integers(-6 * 365, 6 * 365 + 1, size=int(spouse.sum()))
        offset[sibling] = rng.choice([-1, 1], size=int(sibling.sum())) * rng.integers(
            365, 12 * 365 + 1, size=int(sibling.sum())
        )
        offset[child] = rng.integers(20 * 365, 36 * 365 + 1, size=int(child.sum()))
        related = birth[head] + offset.astype("timedelta64[D]")
        related = np.where(related > _BIRTH_RANGE[1], birth[head] - offset, related)
        related = np.clip(related, np.datetime64("1935-01-01"), _BIRTH_RANGE[1])
        birth[:in_households] = np.where(is_member, related, birth[:in_households])
        # Names by community and sex.
        given = np.empty(size, dtype=np.int64)
        family = np.empty(size, dtype=np.int64)
        for index, community_code in enumerate(_COMMUNITIES):
            mine = community == index
            if not mine.any():
                continue
            male_ids, female_ids, family_ids = vocabulary.pools[community_code]
            male_w, female_w, family_w = given_weights[community_code]
            for ids, name_weights, who in (
                (male_ids, male_w, mine & male),
                (female_ids, female_w, mine & ~male),
            ):
                given[who] = rng.choice(ids, size=int(who.sum()), p=name_weights)
            family[mine] = rng.choice(family_ids, size=int(mine.sum()), p=family_w)
        family[:in_households] = family[head]
        _distinct_given(rng, given, male, community, group_sizes, vocabulary)
        home = np.full(size, place)
        away = rng.random(size) < _RESIDENT_ELSEWHERE
        neighbours = places.region_members[place]
        if len(neighbours):
            home[away] = rng.choice(neighbours, size=int(away.sum()))
        home[:in_households] = home[head]  # a household lives together
        parts.append(
            {
                "municipality": np.full(size, place),
                "home": home,
                "community": community,
                "male": male,
                "given": given,
                "family": family,
                "birth": birth,
                "records": counts,
            }
        )
        order = rng.permutation(size)
        local_person = np.repeat(order, counts[order])
        roster = _assign_rosters(rng, local_person, roster_count)
        record_person.append(local_person + persons)
        record_roster.append(roster + rosters)
        persons += size
        rosters += roster_count
    people = _People(**{key: np.concatenate([part[key] for part in parts]) for key in parts[0]})
    return people, np.concatenate(record_person), np.concatenate(record_roster)


def _distinct_given(
    rng: np.random.Generator,
    given: np.ndarray,
    male: np.ndarray,
    community: np.ndarray,
    group_sizes: np.ndarray,
    vocabulary: _Vocabulary,
) -> None:
    """Different given names within each household (in place)."""
    start = 0
    for size in group_sizes.tolist():
        seen: set[int] = set()
        for person in range(start, start + size):
            if given[person] in seen:
                male_ids, female_ids, _family = vocabulary.pools[_COMMUNITIES[community[person]]]
                ids = male_ids if male[person] else female_ids
                free = [i for i in ids.tolist() if i not in seen]
                given[person] = free[int(rng.integers(len(free)))]
            seen.add(int(given[person]))
        start += size


_LATIN_LETTERS = "abcdefghijklmnoprstuvzj"
_CYRILLIC_LETTERS = "абвгдеђжзијклљмнњопрстћуфхцчџш"


def _typo(text: str, kind: int, where: float, letter: float) -> str:
    """One edit of ``text``: 0 insertion, 1 deletion, 2 substitution, 3 transposition."""
    if len(text) < 2:
        return text
    alphabet = _CYRILLIC_LETTERS if any("\u0400" <= c <= "\u04ff" for c in text) else _LATIN_LETTERS
    char = alphabet[int(letter * len(alphabet))]
    if text.isupper():
        char = char.upper()
    if kind == 0:
        at = 1 + int(where * (len(text) - 1))
        return text[:at] + char + text[at:]
    at = 1 + int(where * (len(text) - 1))  # rarely the first letter
    if kind == 1:
        return text[:at] + text[at + 1 :]
    if kind == 2:
        if char.lower() == text[at].lower():
            char = alphabet[(alphabet.index(char.lower()) + 1) % len(alphabet)]
            char = char.upper() if text.isupper() else char
        return text[:at] + char + text[at + 1 :]
    at = min(at, len(text) - 2)
    if text[at] == text[at + 1]:
        at -= 1
    return text[:at] + text[at + 1] + text[at] + text[at + 2 :]


def _birth_dates(rng: np.random.Generator, birth: np.ndarray, noise: Noise) -> np.ndarray:
    """The birth date as each record writes it ("YYYY-MM-DD", "YYYY" or "")."""
    n = len(birth)
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month = birth.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
    roll = rng.random(n)
    cut_year = noise.birth_year_only
    cut_none = cut_year + noise.birth_missing
    cut_wrong = cut_none + noise.birth_wrong
    year_only, missing = roll < cut_year, (roll >= cut_year) & (roll < cut_none)
    wrong = (roll >= cut_none) & (roll < cut_wrong)
    kind = rng.integers(0, 3, size=n)
    swappable = (day <= 12) & (day != month)
    swap = wrong & (kind == 0) & swappable
    off = wrong & ((kind == 2) | ((kind == 0) & ~swappable))
    digit = wrong & (kind == 1)
    w_year, w_month, w_day = year.copy(), month.copy(), day.copy()
    w_month[swap], w_day[swap] = day[swap], month[swap]
    w_year[off] += rng.choice([-1, 1], size=int(off.sum()))
    # A mistyped digit: the last digit of the year, or of the day when that stays a date.
    last = rng.integers(0, 9, size=n)
    new_day = (day // 10) * 10 + (last + (last >= day % 10))
    day_ok = (new_day >= 1) & (new_day <= _days_in_month(year, month)) & (rng.random(n) < 0.5)
    digit_day = digit & day_ok
    digit_year = digit & ~day_ok
    w_day[digit_day] = new_day[digit_day]
    w_year[digit_year] = (year // 10 * 10 + (last + (last >= year % 10)))[digit_year]
    w_day = np.minimum(w_day, _days_in_month(w_year, w_month))
    years = {y: str(y) for y in range(int(w_year.min()), int(w_year.max()) + 1)}
    two = [f"{i:02d}" for i in range(32)]
    out = np.empty(n, dtype=object)
    full = ~year_only & ~missing
    out[full] = [
        f"{years[y]}-{two[m]}-{two[d]}"
        for y, m, d in zip(
            w_year[full].tolist(), w_month[full].tolist(), w_day[full].tolist(), strict=True
        )
    ]
    out[year_only] = [years[y] for y in year[year_only].tolist()]
    out[missing] = ""
    return out


def generate(
    n_records: int,
    *,
    seed: int = 0,
    mean_records_per_person: float = 2.5,
    household_share: float = 0.2,
    noise: Noise | None = None,
) -> pd.DataFrame:
    """``n_records`` labelled person records across scripts and spellings (see the module doc).

    Columns (:data:`COLUMNS`), all strings: ``record_id`` (unique), ``given_name``,
    ``family_name``, ``birth_date`` ("YYYY-MM-DD", "YYYY" or ""), ``sex`` ("female", "male" or
    ""), ``municipality`` (as written), ``activity_id`` (the roster; never two records of one person
    on one roster) and ``true_id`` (the person). Rows are in random order.

    ``mean_records_per_person`` sets the number of distinct persons (about ``n_records`` divided by
    it); ``household_share`` is the share of persons living in a household of 2 to 5 (shared family
    name and municipality); ``noise`` the rates of everything that makes records differ
    (:class:`Noise`; default ``Noise()``). The same arguments give the same frame.
    """
    if n_records < 0:
        raise ValueError("n_records must not be negative")
    if mean_records_per_person < 1:
        raise ValueError("mean_records_per_person must be at least 1")
    noise = Noise() if noise is None else noise
    if n_records == 0:
        return pd.DataFrame({column: pd.Series([], dtype=object) for column in COLUMNS})
    rng = np.random.default_rng(seed)
    vocabulary, places = _vocabulary(), _municipalities()
    people, person, roster = _people(rng, n_records, mean_records_per_person, household_share)
    n = len(person)
    community = people.community[person]

    # Who writes, and how: the roster's clerk or the attendee.
    roster_count = int(roster.max()) + 1
    roster_place = np.zeros(roster_count, dtype=np.int64)
    roster_place[roster] = people.municipality[person]
    serb_majority = np.array([places.majority[p] == "serb" for p in range(len(places.codes))])
    clerk_serbian = rng.random(roster_count) < np.where(
        serb_majority[roster_place], _SERBIAN_CLERK["serb"], _SERBIAN_CLERK["albanian"]
    )
    clerk_style = np.where(
        clerk_serbian,
        _weighted(rng, _SERBIAN_CLERK_STYLE, roster_count),
        _weighted(rng, _ALBANIAN_CLERK_STYLE, roster_count),
    )
    style = clerk_style[roster]
    self_written = rng.random(n) < noise.self_written
    for index, code in enumerate(_COMMUNITIES):
        mine = self_written & (community == index)
        style[mine] = _weighted(rng, _SELF_STYLE[code], int(mine.sum()))
    ascii_d = (style == SR_ASCII) & (rng.random(n) < _ASCII_D_SHARE)
    style[ascii_d] = SR_ASCII_D

    # Names in that form and case.
    given_id, family_id = people.given[person], people.family[person]
    upper_all = rng.random(n) < noise.upper_all
    upper_family = upper_all | (rng.random(n) < noise.upper_family)
    given = np.where(
        upper_all, vocabulary.upper[style, given_id], vocabulary.forms[style, given_id]
    )
    family = np.where(
        upper_family, vocabulary.upper[style, family_id], vocabulary.forms[style, family_id]
    )
    _edit_names(rng, given, family, noise)
    swap = rng.random(n) < noise.swap
    given, family = np.where(swap, family, given), np.where(swap, given, family)
    missing = np.flatnonzero(rng.random(n) < noise.missing_part)
    drop_given = rng.random(len(missing)) < 0.5
    given[missing[drop_given]] = ""
    family[missing[~drop_given]] = ""

    # Municipality as written, in the writer's language and script.
    writes_serbian = np.isin(style, (SR_LATN, SR_ASCII, SR_ASCII_D, SR_CYRL))
    native = np.isin(style, (NATIVE, NATIVE_ASCII))
    community_serbian = np.array([_WRITES_SERBIAN.get(code, 0) for code in _COMMUNITIES])
    roma_serbian = rng.random(n) < 0.5
    writes_serbian |= native & (
        (community_serbian[community] == 1)
        | ((community == _COMMUNITY_INDEX["roma"]) & roma_serbian)
    )
    is_ascii = np.isin(style, (NATIVE_ASCII, SQ_ASCII, SR_ASCII, SR_ASCII_D))
    definite = rng.random(n) < _DEFINITE_SHARE
    place_form = np.where(
        writes_serbian,
        np.where(is_ascii, M_SR_ASCII, np.where(style == SR_CYRL, M_SR_CYRL, M_SR_LATN)),
        np.where(
            is_ascii,
            np.where(definite, M_SQ_DEF_ASCII, M_SQ_ASCII),
            np.where(definite, M_SQ_DEF, M_SQ),
        ),
    )
    mixed = rng.random(n) < noise.municipality_form_mixed
    place_form[mixed] = rng.integers(0, _MUNICIPALITY_FORM_COUNT, size=int(mixed.sum()))
    place = people.home[person].copy()
    other = np.flatnonzero(rng.random(n) < noise.municipality_other)
    for record, pick in zip(other.tolist(), rng.random(len(other)).tolist(), strict=True):
        neighbours = places.region_members[place[record]]
        if len(neighbours):
            place[record] = neighbours[int(pick * len(neighbours))]
    municipality = places.forms[place_form, place]

    birth_date = _birth_dates(rng, people.birth[person], noise)
    sex = np.where(people.male[person], "male", "female").astype(object)
    sex[rng.random(n) < noise.sex_missing] = ""

    # Identifiers that say nothing about the generation order.
    order = rng.permutation(n)
    person_label = rng.permutation(len(people.records))
    roster_label = rng.permutation(roster_count)
    width_r, width_p, width_a = (len(str(count)) for count in (n, len(person_label), roster_count))
    return pd.DataFrame(
        {
            "record_id": [f"R{i:0{width_r}d}" for i in range(1, n + 1)],
            "given_name": given[order],
            "family_name": family[order],
            "birth_date": birth_date[order],
            "sex": sex[order],
            "municipality": municipality[order],
            "activity_id": [f"A{i:0{width_a}d}" for i in roster_label[roster[order]].tolist()],
            "true_id": [f"P{i:0{width_p}d}" for i in person_label[person[order]].tolist()],
        },
        columns=list(COLUMNS),
    )


def _edit_names(
    rng: np.random.Generator, given: np.ndarray, family: np.ndarray, noise: Noise
) -> None:
    """Typos, doubled letters and stray spaces, in place, each in the given or family name."""
    n = len(given)
    for rate, edit in (
        (noise.typo, "typo"),
        (noise.doubled_letter, "double"),
        (noise.whitespace, "space"),
    ):
        chosen = np.flatnonzero(rng.random(n) < rate)
        if len(chosen) == 0:
            continue
        in_family = (rng.random(len(chosen)) < 0.5).tolist()
        kinds = rng.integers(0, 4, size=len(chosen)).tolist()
        wheres = rng.random(len(chosen)).tolist()
        letters = rng.random(len(chosen)).tolist()
        for record, fam, kind, where, letter in zip(
            chosen.tolist(), in_family, kinds, wheres, letters, strict=True
        ):
            target = family if fam else given
            text = target[record]
            if edit == "typo":
                target[record] = _typo(text, kind, where, letter)
            elif edit == "double" and len(text) >= 2:
                at = 1 + int(where * (len(text) - 1))
                target[record] = text[:at] + text[at] + text[at:]
            elif edit == "space":
                target[record] = " " + text if kind < 2 else text + " "


# ---------------------------------------------------------------------------------------------
# Scoring.


def truth_clusters(df: pd.DataFrame) -> pd.Series:
    """The true clustering of a generated frame: ``record_id`` -> ``true_id``."""
    index = pd.Index(df["record_id"].to_numpy(), name="record_id")
    return pd.Series(df["true_id"].to_numpy(), index=index, name="true_id")


def _pairs(sizes: np.ndarray) -> int:
    sizes = sizes.astype(np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def cluster_metrics(
    predicted: Mapping[str, str] | pd.Series, truth: pd.Series
) -> dict[str, float | int]:
    """Pairwise scores of a clustering against the truth, from cluster sizes alone.

    ``predicted`` and ``truth`` map every record id to a cluster label (a person); both must hold
    exactly the same record ids (a record left unresolved is its own cluster: give it a label of
    its own). Over the record pairs that fall in one cluster:

    - ``pairs_predicted``: pairs in the same predicted cluster, the sum over predicted clusters of
      size choose 2; ``pairs_true`` likewise over true clusters; ``pairs_both``: pairs in the same
      cluster in both, the sum over the cells of the (predicted, true) contingency table of
      cell size choose 2. No pair is ever listed, so a million records cost what sorting them does.
    - ``precision`` = pairs_both / pairs_predicted (1.0 when nothing is predicted together);
      ``recall`` = pairs_both / pairs_true (1.0 when no two records are truly one person);
      ``f1`` = their harmonic mean (0.0 when both are 0). This is the "cluster F1" of issue 3.
    - ``unique_predicted`` and ``unique_true``: the number of clusters, i.e. of unique persons;
      ``count_error`` = (unique_predicted - unique_true) / unique_true, negative when records of
      different persons were merged, positive when one person was split. Report it beside
      precision and recall: merges and splits can cancel in the count.
    """
    truth = pd.Series(truth)
    predicted = predicted if isinstance(predicted, pd.Series) else pd.Series(dict(predicted))
    if not truth.index.is_unique or not predicted.index.is_unique:
        raise ValueError("record ids must be unique")
    if len(predicted) != len(truth) or not predicted.index.isin(truth.index).all():
        raise ValueError("predicted and truth must cover exactly the same record ids")
    predicted = predicted.reindex(truth.index)
    if predicted.isna().any() or truth.isna().any():
        raise ValueError("every record needs a cluster label")
    pred_codes, pred_labels = pd.factorize(predicted, sort=False)
    true_codes, true_labels = pd.factorize(truth, sort=False)
    pairs_predicted = _pairs(np.bincount(pred_codes)) if len(pred_codes) else 0
    pairs_true = _pairs(np.bincount(true_codes)) if len(true_codes) else 0
    cells = pred_codes.astype(np.int64) * max(len(true_labels), 1) + true_codes
    pairs_both = _pairs(np.unique(cells, return_counts=True)[1]) if len(cells) else 0
    precision = pairs_both / pairs_predicted if pairs_predicted else 1.0
    recall = pairs_both / pairs_true if pairs_true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    unique_predicted, unique_true = len(pred_labels), len(true_labels)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "pairs_predicted": pairs_predicted,
        "pairs_true": pairs_true,
        "pairs_both": pairs_both,
        "unique_predicted": unique_predicted,
        "unique_true": unique_true,
        "count_error": (unique_predicted - unique_true) / unique_true if unique_true else 0.0,
    }


def _main(argv: list[str] | None = None) -> None:
    """Retrain the versioned linkage model on this set:
    ``python -m akt.testing.linkage_synthetic --train 100000``."""
    import argparse

    from akt.linkage.pipeline import DEFAULT_SEED, MODEL_PATH, save_model, train

    parser = argparse.ArgumentParser(description=_main.__doc__)
    parser.add_argument("--train", type=int, default=100_000, metavar="RECORDS")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default=str(MODEL_PATH))
    arguments = parser.parse_args(argv)
    records = generate(arguments.train, seed=arguments.seed)
    model = train(records, seed=arguments.seed, threads=arguments.threads)
    print(save_model(model, arguments.out))


if __name__ == "__main__":
    _main()
