"""The labelled cross-script benchmark set and the cluster scores (issue 3): no database."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from akt.demo.names import ascii_fold, has_cyrillic
from akt.testing import linkage_synthetic as synthetic
from akt.testing.linkage_synthetic import (
    COLUMNS,
    Noise,
    albanian_definite,
    albanian_to_serbian,
    cluster_metrics,
    generate,
    serbian_to_albanian,
    truth_clusters,
)
from akt.testing.names_large import ALBANIAN, NAMES, SERB

SERBIAN_LETTERS = re.compile("[čćđšžČĆĐŠŽ]")


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return generate(10_000, seed=11)


def _pool_names(kind: str) -> set[str]:
    return {name for pool in NAMES.values() for name in getattr(pool, kind)}


# --- the frame -------------------------------------------------------------------------------


def test_same_seed_same_frame_other_seed_other_frame() -> None:
    first, again, other = generate(3_000, seed=5), generate(3_000, seed=5), generate(3_000, seed=6)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


@pytest.mark.parametrize("n", [0, 1, 7, 50, 999, 2_500])
def test_exactly_the_records_asked_for(n: int) -> None:
    frame = generate(n, seed=1)
    assert list(frame.columns) == list(COLUMNS)
    assert len(frame) == n
    assert frame["true_id"].nunique() <= max(n, 0)


def test_columns_hold_strings_of_the_documented_shapes(records: pd.DataFrame) -> None:
    assert list(records.columns) == list(COLUMNS)
    for column in COLUMNS:
        assert records[column].map(type).eq(str).all(), column
    assert records["record_id"].is_unique
    assert records["birth_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{4}|").all()
    full = records.loc[records["birth_date"].str.len() == 10, "birth_date"]
    pd.to_datetime(full, format="%Y-%m-%d")  # every full date is a real date
    assert set(records["sex"]) == {"female", "male", ""}
    assert (records["municipality"].str.strip() != "").all()
    assert (records["activity_id"] != "").all() and (records["true_id"] != "").all()


def test_no_person_twice_on_one_roster(records: pd.DataFrame) -> None:
    assert not records.duplicated(["true_id", "activity_id"]).any()
    sizes = records.groupby("activity_id").size()
    assert sizes.min() >= 10 and sizes.max() <= 60


def test_about_two_and_a_half_records_per_person_with_a_long_tail(records: pd.DataFrame) -> None:
    per_person = records.groupby("true_id").size()
    assert 2.2 < len(records) / len(per_person) < 2.8
    assert (per_person == 1).mean() > 0.3  # many people come once
    assert per_person.max() >= 8  # and a few come to many sessions


def test_mean_records_per_person_sets_the_number_of_persons() -> None:
    frame = generate(10_000, seed=2, mean_records_per_person=1.5)
    assert 1.35 < len(frame) / frame["true_id"].nunique() < 1.65


def test_a_person_keeps_their_birth_date_and_sex_on_most_records(records: pd.DataFrame) -> None:
    full = records[records["birth_date"].str.len() == 10]
    modal = full.groupby("true_id")["birth_date"].agg(lambda dates: dates.mode().iloc[0])
    assert (full["birth_date"] == full["true_id"].map(modal)).mean() > 0.9
    known = records[records["sex"] != ""]
    assert (known.groupby("true_id")["sex"].nunique() == 1).all()


# --- the variety the linker must cope with ---------------------------------------------------


def test_the_spelling_variants_all_appear(records: pd.DataFrame) -> None:
    names = pd.concat([records["given_name"], records["family_name"]])
    albanian = set(ALBANIAN.male + ALBANIAN.female + ALBANIAN.family)
    serbian = set(SERB.male + SERB.female + SERB.family)
    albanian_in_serbian = {albanian_to_serbian(name) for name in albanian} - albanian
    serbian_in_albanian = {serbian_to_albanian(name) for name in serbian} - serbian
    serbian_in_ascii = {ascii_fold(name) for name in serbian} - serbian
    cyrillic = names.map(has_cyrillic)

    assert 0.05 < cyrillic.mean() < 0.4
    assert names.isin(albanian_in_serbian).sum() > 50  # Dževdet Krasnići
    assert names.isin({n for n in albanian_in_serbian if SERBIAN_LETTERS.search(n)}).sum() > 20
    assert names.isin(serbian_in_albanian).sum() > 50  # Gjorgje Petroviq
    assert names.isin(serbian_in_ascii).sum() > 100  # Jovan Petrovic
    assert names.isin(serbian).sum() > 500  # Jovan Petrović
    assert names.isin(albanian).sum() > 5_000  # Xhevdet Krasniqi
    # Albanian names in Serbian Cyrillic (Џевдет Краснићи).
    from akt.text.script import latin_to_cyrillic

    albanian_cyrillic = {latin_to_cyrillic(albanian_to_serbian(name)) for name in albanian}
    assert names.isin(albanian_cyrillic).sum() > 20


def test_swaps_capitals_typos_and_gaps_appear(records: pd.DataFrame) -> None:
    families_only = _pool_names("family") - _pool_names("male") - _pool_names("female")
    swapped = records["given_name"].isin(families_only)
    assert 0.02 < swapped.mean() < 0.15
    family = records["family_name"]
    assert 0.08 < (family.str.isupper() & (family.str.len() > 1)).mean() < 0.3
    assert (records["given_name"] == "").sum() + (records["family_name"] == "").sum() > 50
    assert (records["given_name"] != records["given_name"].str.strip()).sum() + (
        records["family_name"] != records["family_name"].str.strip()
    ).sum() > 20
    clean = generate(10_000, seed=11, noise=Noise(typo=0.0, doubled_letter=0.0))
    vocabulary = _all_written_forms()
    noisy_share = (
        1
        - pd.concat([records["given_name"], records["family_name"]])
        .str.strip()
        .map(lambda name: name in vocabulary or name.upper() in vocabulary or name == "")
        .mean()
    )
    clean_share = (
        1
        - pd.concat([clean["given_name"], clean["family_name"]])
        .str.strip()
        .map(lambda name: name in vocabulary or name.upper() in vocabulary or name == "")
        .mean()
    )
    assert clean_share == 0
    assert 0.02 < noisy_share < 0.08  # typos and doubled letters in ~9% of records, one name each


def _all_written_forms() -> set[str]:
    """Every pool name in every form generate writes, in title case and capitals."""
    vocabulary = synthetic._vocabulary()
    return set(vocabulary.forms.ravel()) | set(vocabulary.upper.ravel())


def test_birth_dates_and_sex_are_sometimes_partial_or_missing(records: pd.DataFrame) -> None:
    length = records["birth_date"].str.len()
    assert 0.53 < (length == 10).mean() < 0.67  # in full (including the ~5% wrong ones)
    assert 0.21 < (length == 4).mean() < 0.29
    assert 0.11 < (length == 0).mean() < 0.19
    assert 0.03 < (records["sex"] == "").mean() < 0.07


def test_wrong_birth_dates_are_near_misses(records: pd.DataFrame) -> None:
    full = records[records["birth_date"].str.len() == 10]
    modal = full["true_id"].map(
        full.groupby("true_id")["birth_date"].agg(lambda dates: dates.mode().iloc[0])
    )
    wrong = full[full["birth_date"] != modal]
    truth = modal[wrong.index]
    assert len(wrong) > 30
    near = 0
    for written, true in zip(wrong["birth_date"], truth, strict=True):
        y1, m1, d1 = written.split("-")
        y2, m2, d2 = true.split("-")
        swapped = (y1, m1, d1) == (y2, d2, m2)
        one_part = sum(a != b for a, b in ((y1, y2), (m1, m2), (d1, d2))) == 1
        near += swapped or one_part
    assert near / len(wrong) > 0.9  # the rest: a person whose mode is itself a wrong date


def test_municipalities_in_every_language_script_and_form(records: pd.DataFrame) -> None:
    written = set(records["municipality"])
    assert {"Gjilan", "Gjilani", "Gnjilane", "Гњилане"} <= written
    assert {"Pejë", "Peja", "Peć", "Пећ", "Peje"} <= written
    assert {"Graçanicë", "Gračanica", "Грачаница", "Gracanica"} <= written
    assert {"Severna Mitrovica", "Северна Митровица"} <= written


def test_households_share_family_municipality_and_birth_years() -> None:
    """Different people with the same family name and municipality, born close together, are
    more common with households than without: those are the hard negatives."""

    def close_relatives(frame: pd.DataFrame) -> int:
        people = frame.drop_duplicates("true_id").assign(
            year=lambda f: f["birth_date"].str[:4].astype(int)
        )
        pairs = 0
        for _key, group in people.groupby(["family_name", "municipality"]):
            years = np.sort(group["year"].to_numpy())
            pairs += sum(
                int(np.searchsorted(years, year + 3, side="right") - index - 1)
                for index, year in enumerate(years)
            )
        return pairs

    quiet = Noise.none()
    with_households = close_relatives(generate(8_000, seed=4, noise=quiet, household_share=1.0))
    without = close_relatives(generate(8_000, seed=4, noise=quiet, household_share=0.0))
    assert with_households > without * 1.4


def test_common_names_are_shared_by_many_people(records: pd.DataFrame) -> None:
    people = records.drop_duplicates("true_id")
    per_name = people.groupby(["given_name", "family_name"]).size()
    assert (per_name >= 2).sum() >= 10  # some full names recur even among ~4,000 people
    common = Counter(people["family_name"]).most_common(1)[0][1]
    assert common > 3 * len(people) / people["family_name"].nunique()


def test_no_noise_means_complete_records() -> None:
    frame = generate(2_000, seed=9, noise=Noise.none())
    assert (frame["birth_date"].str.len() == 10).all()
    assert (frame["sex"] != "").all()
    per_person = frame.groupby("true_id")[["birth_date", "sex"]].nunique()
    assert (per_person == 1).all().all()


# --- spelling helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("albanian", "serbian"),
    [
        ("Xhevdet", "Dževdet"),
        ("Krasniqi", "Krasnići"),
        ("Thaçi", "Tači"),
        ("Gëzim", "Gezim"),
        ("Shkëlzen", "Škelzen"),
        ("Ymer", "Imer"),
        ("Dugolli", "Dugoli"),
        ("Rrezarta", "Rezarta"),
        ("Zhaklina", "Žaklina"),
        ("Bytyqi", "Bitići"),
        ("Gjergj", "Đerđ"),
        ("Dhurata", "Durata"),
        ("Xaxa", "Dzadza"),
        ("KRASNIQI", "KRASNIĆI"),
    ],
)
def test_albanian_to_serbian(albanian: str, serbian: str) -> None:
    assert albanian_to_serbian(albanian) == serbian


@pytest.mark.parametrize(
    ("serbian", "albanian"),
    [("Đorđe", "Gjorgje"), ("Petrović", "Petroviq"), ("Dušan", "Dushan"), ("Hadžić", "Haxhiq"),
     ("Čedomir", "Çedomir"), ("Žarko", "Zharko")],
)  # fmt: skip
def test_serbian_to_albanian(serbian: str, albanian: str) -> None:
    assert serbian_to_albanian(serbian) == albanian


@pytest.mark.parametrize(
    ("name", "definite"),
    [("Gjilan", "Gjilani"), ("Pejë", "Peja"), ("Prishtinë", "Prishtina"), ("Istog", "Istogu"),
     ("Vushtrri", "Vushtrria"), ("Graçanicë", "Graçanica"), ("Zubin Potok", "Zubin Potoku"),
     ("Mitrovicë e Veriut", "Mitrovica e Veriut"), ("Hani i Elezit", "Hani i Elezit")],
)  # fmt: skip
def test_albanian_definite(name: str, definite: str) -> None:
    assert albanian_definite(name) == definite


def test_cyrillic_names_hold_no_latin_letters(records: pd.DataFrame) -> None:
    names = pd.concat([records["given_name"], records["family_name"]])
    cyrillic = names[names.map(has_cyrillic)]
    assert not cyrillic.str.contains("[A-Za-z]").any()


# --- scores ----------------------------------------------------------------------------------


def _truth(labels: str) -> pd.Series:
    return pd.Series(list(labels), index=[f"r{i}" for i in range(len(labels))])


def test_perfect_clustering_scores_one() -> None:
    truth = _truth("aaabbc")
    renamed = truth.map({"a": "x", "b": "y", "c": "z"})
    scores = cluster_metrics(renamed, truth)
    assert scores["precision"] == scores["recall"] == scores["f1"] == 1.0
    assert scores["unique_predicted"] == scores["unique_true"] == 3
    assert scores["count_error"] == 0.0


def test_all_singletons_have_full_precision_and_no_recall() -> None:
    truth = _truth("aaabbc")
    scores = cluster_metrics({record: record for record in truth.index}, truth)
    assert scores["precision"] == 1.0  # 0/0: nothing predicted together, nothing wrong
    assert scores["recall"] == 0.0 and scores["f1"] == 0.0
    assert scores["unique_predicted"] == 6 and scores["count_error"] == pytest.approx(1.0)


def test_all_merged_has_full_recall_and_low_precision() -> None:
    truth = _truth("aaabbc")
    scores = cluster_metrics(pd.Series("one", index=truth.index), truth)
    assert scores["recall"] == 1.0
    assert scores["precision"] == pytest.approx(4 / 15)  # 3 + 1 true pairs of 15
    assert scores["unique_predicted"] == 1 and scores["count_error"] == pytest.approx(-2 / 3)


def test_no_true_pairs_and_none_predicted_scores_one() -> None:
    truth = _truth("abc")
    scores = cluster_metrics(truth.copy(), truth)
    assert scores["precision"] == scores["recall"] == scores["f1"] == 1.0


def test_scores_equal_a_brute_force_pair_count() -> None:
    rng = np.random.default_rng(0)
    ids = [f"r{i}" for i in range(300)]
    truth = pd.Series(rng.integers(0, 90, size=300).astype(str), index=ids)
    predicted = pd.Series(rng.integers(0, 110, size=300).astype(str), index=ids)[::-1]
    pairs = list(itertools.combinations(ids, 2))
    together_true = {pair for pair in pairs if truth[pair[0]] == truth[pair[1]]}
    together_pred = {pair for pair in pairs if predicted[pair[0]] == predicted[pair[1]]}
    both = len(together_true & together_pred)
    scores = cluster_metrics(predicted, truth)
    assert scores["pairs_true"] == len(together_true)
    assert scores["pairs_predicted"] == len(together_pred)
    assert scores["pairs_both"] == both
    precision, recall = both / len(together_pred), both / len(together_true)
    assert scores["precision"] == pytest.approx(precision)
    assert scores["recall"] == pytest.approx(recall)
    assert scores["f1"] == pytest.approx(2 * precision * recall / (precision + recall))
    assert scores["unique_true"] == truth.nunique()
    assert scores["unique_predicted"] == predicted.nunique()


def test_scores_need_the_same_records() -> None:
    truth = _truth("aab")
    with pytest.raises(ValueError, match="same record ids"):
        cluster_metrics(truth.iloc[:2], truth)
    with pytest.raises(ValueError, match="same record ids"):
        cluster_metrics(truth.rename(lambda record: record + "x"), truth)


def test_truth_clusters_of_a_generated_frame(records: pd.DataFrame) -> None:
    truth = truth_clusters(records)
    assert truth.index.is_unique and len(truth) == len(records)
    assert truth[records["record_id"].iloc[0]] == records["true_id"].iloc[0]
    assert cluster_metrics(truth, truth)["f1"] == 1.0
    singletons = cluster_metrics(pd.Series(truth.index, index=truth.index), truth)
    assert singletons["unique_predicted"] == len(records)
