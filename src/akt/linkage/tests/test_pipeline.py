"""The linkage model: keys, resolution, the program's cannot-link knowledge, the versioned model.

No database: these are the pure computation core (pytest-django refuses any query here, since no
test asks for the database).
"""

from __future__ import annotations

import math

import pytest

from akt.linkage import pipeline
from akt.testing.linkage_synthetic import cluster_metrics, generate, truth_clusters


def person(record_id: str, given: str, family: str, birth: str = "", **extra: str) -> dict:
    row = {
        "record_id": record_id,
        "given_name": given,
        "family_name": family,
        "birth_date": birth,
        "sex": extra.pop("sex", ""),
        "municipality": extra.pop("municipality", ""),
        "activity_id": extra.pop("activity_id", ""),
    }
    row.update(extra)
    return row


# A small crowd of other people, so that a resolution has something to tell apart.
CROWD = [
    person("c1", "Arben", "Gashi", "1975-02-11", sex="M", municipality="Pejë"),
    person("c2", "Drita", "Morina", "1988", sex="F", municipality="Vushtrri"),
    person("c3", "Marko", "Nikolić", "1969-12-01", sex="M", municipality="Gračanica"),
    person("c4", "Vjosa", "Berisha", "", sex="F", municipality="Istog"),
    person("c5", "Milica", "Jovanović", "1992-07-30", sex="F", municipality="Zvečan"),
]


@pytest.fixture(scope="module")
def model() -> dict:
    return pipeline.load_model()


def test_prepare_derives_comparison_keys() -> None:
    prepared = pipeline.prepare(
        [
            person("a", "Xhevdet", "Krasniqi", "1980-03-07", sex="M", municipality="Gjilani"),
            person("b", "Џевдет", "Краснићи", "1980", sex="мушки", municipality="Гњилане"),
            person("c", "KRASNICI", "Dzevdet", "1980-02-30", sex="", municipality="Gnjilane"),
        ]
    ).to_pylist()
    a, b, c = prepared
    assert [row["unique_id"] for row in prepared] == [0, 1, 2]
    assert a["given_key"] == b["given_key"] == c["family_key"] == "xevdet"
    assert a["family_key"] == b["family_key"] == c["given_key"] == "krasnici"
    assert a["name_key"] == b["name_key"] == c["name_key"] == "krasnici xevdet"
    assert a["given_fold"] == "xhevdet" and b["given_fold"] == "dzevdet"
    assert (a["birth_date"], a["birth_year"], a["birth_month"], a["birth_day"]) == (
        "1980-03-07",
        1980,
        3,
        7,
    )
    assert (b["birth_date"], b["birth_year"], b["birth_month"]) == (None, 1980, None)
    assert c["birth_date"] is None and c["birth_year"] == 1980  # no 30 February: the year only
    assert a["municipality"] == b["municipality"] == c["municipality"] == "gjilan"
    assert (a["sex"], b["sex"], c["sex"]) == ("male", "male", None)
    assert a["initials"] == c["initials"] == "kx"


def test_synthetic_records_resolve_with_high_cluster_f1(model: dict) -> None:
    frame = generate(2000, seed=5)
    resolution = pipeline.resolve(frame, model=model, threads=2)
    scores = cluster_metrics(resolution.clusters, truth_clusters(frame))
    assert scores["precision"] >= 0.95, scores
    assert scores["recall"] >= 0.90, scores
    assert abs(scores["count_error"]) <= 0.08, scores


def test_cyrillic_and_latin_spellings_of_one_person_cluster_together(model: dict) -> None:
    rows = [
        person("1", "Jovan", "Petrović", "1980-05-01", sex="M", municipality="Gnjilane"),
        person("2", "Јован", "Петровић", "1980-05-01", sex="M", municipality="Гњилане"),
        person("3", "PETROVIC", "Jovan", "1980", sex="m", municipality="Gjilan"),
        *CROWD,
    ]
    resolution = pipeline.resolve(rows, model=model)
    assert resolution.clusters["1"] == resolution.clusters["2"] == resolution.clusters["3"]
    assert resolution.person_count == 1 + len(CROWD)


def test_two_rows_of_one_activity_are_never_one_person(model: dict) -> None:
    rows = [
        person("1", "Jovan", "Petrović", "1980-05-01", municipality="Gjilan", activity_id="A1"),
        person("2", "Jovan", "Petrović", "1980-05-01", municipality="Gjilan", activity_id="A1"),
        *CROWD,
    ]
    resolution = pipeline.resolve(rows, model=model)
    assert resolution.clusters["1"] != resolution.clusters["2"]
    refused = resolution.refused_pairs
    assert [(pair.record_id_l, pair.record_id_r) for pair in refused] == [("1", "2")]
    assert refused[0].match_probability >= resolution.upper  # the names alone would link them


def test_the_roster_rule_keeps_the_stronger_partner(model: dict) -> None:
    """One attendee without a birth date, two namesakes on one roster: the join goes to the one
    the evidence favours, and the other stays apart (plain components would chain all three)."""
    rows = [
        person("1", "Jovan", "Petrović", "1980-05-01", sex="M", municipality="Gjilan",
               activity_id="A1"),
        person("2", "Jovan", "Petrović", "1962-11-20", sex="M", municipality="Gjilan",
               activity_id="A1"),
        person("3", "Jovan", "Petrović", "1980-05-01", sex="M", municipality="Gjilan",
               activity_id="A2"),
        *CROWD,
    ]  # fmt: skip
    resolution = pipeline.resolve(rows, model=model)
    assert resolution.clusters["1"] == resolution.clusters["3"]
    assert resolution.clusters["2"] != resolution.clusters["1"]


def test_review_pairs_carry_the_evidence_and_respect_the_thresholds(model: dict) -> None:
    rows = [
        person("1", "Xhevdet", "Hoxha", "", sex="M", municipality="Pejë"),
        person("2", "Dževdet", "Hoxha", "", sex="", municipality="Peja"),
        person("3", "Jovan", "Petrović", "1980-05-01", sex="M", municipality="Gjilan"),
        person("4", "Jovan", "Petrovic", "1980-05-01", sex="M", municipality="Gjilan"),
        *CROWD,
    ]
    # Thresholds chosen around the pairs so that one is linked and one is for review.
    everything = pipeline.resolve(rows, model=model, upper=0.999999, lower=1e-9)
    weak = everything.explain("1", "2")
    strong = everything.explain("4", "3")
    assert weak is not None and strong is not None
    assert weak.match_probability < strong.match_probability
    upper = (weak.match_probability + strong.match_probability) / 2
    lower = weak.match_probability / 2
    resolution = pipeline.resolve(rows, model=model, upper=upper, lower=lower)

    assert all(pair.match_probability >= upper for pair in resolution.linked_pairs)
    assert all(lower <= pair.match_probability < upper for pair in resolution.review_pairs)
    review = {(pair.record_id_l, pair.record_id_r): pair for pair in resolution.review_pairs}
    pair = review[("1", "2")]
    evidence = {item.comparison: item for item in pair.comparisons}
    assert set(evidence) == {"given_name", "family_name", "birth", "sex", "municipality"}
    assert evidence["family_name"].level == "exact (folded) or swapped"
    assert evidence["family_name"].agrees and evidence["family_name"].match_weight > 0
    assert evidence["given_name"].level == "same sound key"  # Xhevdet / Dževdet
    assert evidence["birth"].level == "missing" and evidence["birth"].match_weight == 0
    assert evidence["municipality"].level == "same"
    assert "family_name" in pair.agreed and "birth" not in pair.agreed
    assert resolution.clusters["1"] != resolution.clusters["2"]  # review is not a link
    assert resolution.clusters["3"] == resolution.clusters["4"]


def test_thresholds_must_be_ordered(model: dict) -> None:
    with pytest.raises(ValueError, match="thresholds"):
        pipeline.resolve(CROWD, model=model, upper=0.2, lower=0.5)


def test_the_versioned_model_loads_and_is_trained() -> None:
    model = pipeline.load_model()
    assert model["format"] == pipeline.MODEL_FORMAT
    assert 0 < model["lower"] <= model["upper"] < 1
    splink = model["splink"]
    rules = [rule["blocking_rule"] for rule in splink["blocking_rules_to_generate_predictions"]]
    assert rules == list(pipeline.BLOCKING_RULES)
    comparisons = {c["output_column_name"]: c for c in splink["comparisons"]}
    assert list(comparisons) == ["given_name", "family_name", "birth", "sex", "municipality"]
    for comparison in comparisons.values():
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level"):
                assert level.get("m_probability") is not None, level
                assert level.get("u_probability") is not None, level
    tf_columns = {
        level.get("tf_adjustment_column")
        for comparison in comparisons.values()
        for level in comparison["comparison_levels"]
    }
    assert {"given_key", "family_key"} <= tf_columns


def test_a_new_sheet_is_matched_against_the_registry(model: dict) -> None:
    registry = [
        person("r1", "Xhevdet", "Krasniqi", "1980-03-07", sex="M", municipality="Gjilan",
               person_id="P1"),
        person("r2", "Xhevdet", "Krasniqi", "1980", sex="M", municipality="Gjilan",
               person_id="P1"),
        person("r3", "Jovan", "Petrović", "1980-05-01", sex="M", municipality="Gjilan",
               person_id="P2"),
        *[row | {"person_id": "P-" + row["record_id"]} for row in CROWD],
    ]  # fmt: skip
    index = pipeline.RegistryIndex(registry, model=model)
    try:
        sheet = [
            person("n1", "Џевдет", "Краснићи", "1980-03-07", sex="М", municipality="Гњилане"),
            person("n2", "Somebody", "Else", "2001-01-01", municipality="Prizren"),
        ]
        suggestions = pipeline.match_records(sheet, index)
    finally:
        index.close()
    assert [suggestion.record_id for suggestion in suggestions] == ["n1", "n2"]
    best = suggestions[0].best
    assert best is not None and best.person_id == "P1"
    assert [c.person_id for c in suggestions[0].candidates].count("P1") == 1  # one per person
    assert best.match_probability >= model["upper"]
    assert suggestions[1].candidates == ()


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("1980-03-07", "1980-03-07", True),
        ("1980-03-07", "1980-07-03", True),  # day and month swapped
        ("1980-03-07", "1985-03-07", True),  # one digit
        ("1980-03-07", "1908-03-07", True),  # two adjacent digits transposed
        ("1980-03-07", "1981-04-07", False),
        ("1980-03-07", "1980-03-17", True),
        ("1980-03-07", "1980-12-21", False),
    ],
)
def test_dates_one_person_could_have(a: str, b: str, close: bool) -> None:
    assert pipeline._dates_close(a, b) is close


@pytest.mark.parametrize(("given", "family"), [("Teuta", "Gashi"), ("Milan", "Nikolić")])
def test_an_exact_name_weighs_what_its_frequency_says(model: dict, given: str, family: str) -> None:
    """Two records agreeing exactly on a name carry log2(m / tf) bits for each part: m of the
    exact level, tf how common the name is in the model's reference frequencies. (Splink's own
    choice of base, the sound-key level's far smaller u, took 4.5 bits off every exact given
    name and 2.3 off every family name.)"""
    twice = [
        person(str(number), given, family, sex="F", municipality="Pejë", activity_id=str(number))
        for number in (1, 2)
    ]
    scored = pipeline.resolve(twice, model=model, lower=1e-9, upper=0.999999).pairs.to_pylist()[0]
    prepared = pipeline.prepare(twice).to_pylist()[0]
    for part in ("given", "family"):
        levels = next(
            c["comparison_levels"]
            for c in model["splink"]["comparisons"]
            if c["output_column_name"] == f"{part}_name"
        )
        exact = next(
            level
            for level in levels
            if level.get("label_for_charts") == "exact (folded) or swapped"
        )
        frequency = model["term_frequencies"][f"{part}_key"][prepared[f"{part}_key"]]
        expected = math.log2(exact["m_probability"] / max(frequency, 0.001))
        found = scored[f"mw_{part}_name"] + scored[f"mw_tf_adj_{part}_name"]
        assert found == pytest.approx(expected, abs=1e-6), part
