"""The second, independent noise model of the linkage bench (:mod:`akt.testing.linkage_noise`).

It is test data, so what is checked is what a reader of the bench relies on: labelled records of
the documented shape, every kind of mistake the issue lists present, and the same frame for the
same seed. No database.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

from akt.testing import linkage_noise
from akt.testing.linkage_noise import ClerkNoise, generate

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-zčćđšžëçČĆĐŠŽËÇ]")


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return generate(6000, seed=3)


def test_same_seed_same_frame_and_exactly_the_records_asked_for() -> None:
    assert generate(500, seed=1).equals(generate(500, seed=1))
    assert not generate(500, seed=1).equals(generate(500, seed=2))
    assert [len(generate(n, seed=4)) for n in (0, 1, 37)] == [0, 1, 37]


def test_labelled_records_of_the_first_generators_shape(records: pd.DataFrame) -> None:
    assert tuple(records.columns) == linkage_noise.COLUMNS
    assert records["record_id"].is_unique
    per_person = records.groupby("true_id").size()
    assert 2.0 < per_person.mean() < 2.8 and per_person.max() > 5
    # One roster lists a person once.
    assert not records.duplicated(["true_id", "activity_id"]).any()


def by_person(records: pd.DataFrame, column: str) -> pd.Series:
    return records.groupby("true_id")[column].agg(lambda values: set(values))


def test_short_forms_and_married_names_appear(records: pd.DataFrame) -> None:
    given = by_person(records, "given_name")
    short = {form for forms in linkage_noise.NICKNAMES.values() for form in forms}
    assert any(names & short and len(names) > 1 for names in given)
    families = records[records["sex"].isin(["F", "f", "Femër", "Ž", "ž", "ж", "Ženski"])]
    pools = {name for pool in linkage_noise.POOLS.values() for name in pool[2]}
    changed = [
        names
        for names in by_person(families, "family_name")
        if len({name for name in names if name in pools}) >= 2
    ]
    assert changed  # a woman written under two family names of her community


def test_mistakes_in_names_and_mixed_scripts_appear(records: pd.DataFrame) -> None:
    names = pd.concat([records["given_name"], records["family_name"]])
    mixed = names[names.str.contains(CYRILLIC) & names.str.contains(LATIN)]
    assert len(mixed) > 10
    assert names.str.isupper().sum() > 100
    written = set(names)
    known = {
        variant
        for pool in linkage_noise.POOLS.values()
        for part in pool
        for name in part
        for variant in (name, name.upper(), name.lower())
    }
    assert len(written - known) > 1000  # other orthographies, scripts and typos


def test_dates_are_full_partial_missing_or_wrong(records: pd.DataFrame) -> None:
    births = records["birth_date"]
    assert (births == "").mean() == pytest.approx(0.14, abs=0.03)
    assert births.str.fullmatch(r"[0-9]{4}").mean() == pytest.approx(0.22, abs=0.03)
    assert births.str.contains(r"^[0-9]{1,2}[./]").any()  # day first
    months = births.str.extract(r"^[0-9]{4}-([0-9]{2})-")[0].dropna().astype(int)
    assert (months > 12).any()  # day and month swapped into a date no calendar has
    years = records.assign(year=births.str.extract(r"([0-9]{4})")[0]).dropna(subset=["year"])
    spread = years.groupby("true_id")["year"].agg(lambda values: len(set(values)))
    assert (spread > 1).any()  # a year written one off


def test_municipalities_in_many_forms_with_typos_and_gaps(records: pd.DataFrame) -> None:
    places = records["municipality"]
    assert (places == "").mean() == pytest.approx(0.04, abs=0.015)
    written = set(places)
    listed = {
        name for _size, _mix, names in linkage_noise.MUNICIPALITIES.values() for name in names
    }
    assert len(written & listed) > 60 and len(written - listed - set(linkage_noise.ELSEWHERE)) > 30


def test_without_mistakes_names_change_only_by_script_and_orthography() -> None:
    clean = generate(2000, seed=5, noise=ClerkNoise.none())
    assert (clean["birth_date"].str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")).all()
    assert (clean["municipality"] != "").all() and (clean["sex"] != "").all()
    assert clean.groupby("true_id")["birth_date"].nunique().max() == 1


def test_written_without_the_projects_normalization() -> None:
    """An independent view of the noise imports nothing of what the model folds names with."""
    source = Path(linkage_noise.__file__).read_text(encoding="utf-8")
    imported = {
        node.module or ""
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not any(name.startswith("akt") for name in imported)
