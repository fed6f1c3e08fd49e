"""The model re-estimated from the officers' decisions: it moves with enough labels, not without.

The first tests are the pure computation (no database); the last ones run ``akt link --retrain``
on review decisions stored the way the review page stores them.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from akt.accounts.models import User
from akt.linkage import pipeline, retrain
from akt.linkage.models import ReviewPair
from akt.linkage.services import review_decide, review_pair_propose
from akt.testing.factories import PersonFactory


def record(given: str, family: str, birth: str = "", sex: str = "", place: str = "") -> dict:
    return {
        "given_name": given,
        "family_name": family,
        "birth_date": birth,
        "sex": sex,
        "municipality": place,
        "activity_id": "",
    }


@pytest.fixture(scope="module")
def model() -> dict:
    return pipeline.load_model()


def level(model: dict, comparison: str, label: str) -> dict:
    for item in model["splink"]["comparisons"]:
        if item["output_column_name"] == comparison:
            for found in item["comparison_levels"]:
                if found["label_for_charts"] == label:
                    return found
    raise KeyError((comparison, label))


def label_of(model: dict, comparison: str, index: int) -> str:
    for item in model["splink"]["comparisons"]:
        if item["output_column_name"] == comparison:
            return item["comparison_levels"][index]["label_for_charts"]
    raise KeyError(comparison)


def test_each_pair_falls_in_the_level_the_scoring_would_put_it(model: dict) -> None:
    pairs = [
        (
            record("Xhevdet", "Krasniqi", "1980-05-01", "M", "Gjilani"),
            record("Џевдет", "Краснићи", "1980-05-01", "м", "Гњилане"),
        ),
        (
            record("Aleksandar", "Ilić", "1975", "M", "Zvečan"),
            record("Saša", "ILIC", "1976", "", "Zvecan"),
        ),
        (
            record("Merita", "Gashi", "1988-02-03", "F", "Pejë"),
            record("Merita", "Berisha", "1988-02-03", "Femër", "Peja"),
        ),
    ]
    found = retrain.comparison_levels(pairs, model)
    named = [{name: label_of(model, name, index) for name, index in row.items()} for row in found]
    assert named[0]["given_name"] == "same sound key"  # Albanian and Serbian Cyrillic
    assert named[0]["birth"] == "exact date"
    assert named[1]["given_name"] == "known short form"
    assert named[1]["birth"] == "years one apart"
    assert named[1]["sex"] == "missing"
    assert named[2]["family_name"] == "different, a woman's name may change at marriage"
    assert named[2]["municipality"] == "same"


# A match an officer confirmed: one woman, her year written one off on the second sheet.
YEAR_OFF = (
    record("Drita", "Morina", "1984", "F", "Vushtrri"),
    record("Drita", "Morina", "1985", "F", "Vushtrri"),
)
# Two people an officer kept apart: one given name, one municipality, different families.
NAMESAKES = (
    record("Arben", "Gashi", "1975", "M", "Istog"),
    record("Arben", "Krasniqi", "1975", "M", "Istog"),
)


def test_with_enough_labels_m_and_u_move_toward_what_they_show(model: dict) -> None:
    labelled = [(*YEAR_OFF, True)] * 40 + [(*NAMESAKES, False)] * 40
    result = retrain.reestimate(model, labelled, min_per_class=20, prior_pairs=200)
    assert result.changed and result.m_updated and result.u_updated
    before = level(model, "birth", "years one apart")
    after = level(result.model, "birth", "years one apart")
    # m: every labelled match had its years one apart, so m of that level rises, by the blend
    # (200 trained pseudo-pairs + 40 labels, all 40 here).
    mass = sum(
        item["m_probability"]
        for item in next(
            c for c in model["splink"]["comparisons"] if c["output_column_name"] == "birth"
        )["comparison_levels"]
        if not item.get("is_null_level") and not item.get("fix_m_probability")
    )
    expected = (200 * before["m_probability"] / mass + 40) / 240 * mass
    assert after["m_probability"] == pytest.approx(expected)
    assert after["m_probability"] > before["m_probability"]
    # u: the namesakes agreed on the given name, so its u rises and its weight falls.
    given_before = level(model, "given_name", "exact (folded) or swapped")
    given_after = level(result.model, "given_name", "exact (folded) or swapped")
    assert given_after["u_probability"] > given_before["u_probability"]
    # A level the model fixes on purpose keeps its value.
    assert level(result.model, "sex", "same")["m_probability"] == 0.98
    assert result.model["version"] == model.get("version", 1) + 1
    assert result.model["parent"] == retrain.fingerprint(model)
    assert "birth / years one apart" in result.moved
    # The given model is not touched.
    assert level(model, "birth", "years one apart") == before


def test_with_too_few_labels_nothing_changes(model: dict) -> None:
    labelled = [(*YEAR_OFF, True)] * 19 + [(*NAMESAKES, False)] * 19
    result = retrain.reestimate(model, labelled, min_per_class=20)
    assert not result.changed
    assert result.model == model
    assert result.moved == {}


def test_a_kind_with_too_few_labels_keeps_its_trained_values(model: dict) -> None:
    labelled = [(*YEAR_OFF, True)] * 25 + [(*NAMESAKES, False)] * 3
    result = retrain.reestimate(model, labelled, min_per_class=20)
    assert result.m_updated and not result.u_updated
    for comparison_before, comparison_after in zip(
        model["splink"]["comparisons"], result.model["splink"]["comparisons"], strict=True
    ):
        for before, after in zip(
            comparison_before["comparison_levels"],
            comparison_after["comparison_levels"],
            strict=True,
        ):
            assert before.get("u_probability") == after.get("u_probability")


def test_a_retrained_model_still_resolves_records(model: dict) -> None:
    labelled = [(*YEAR_OFF, True)] * 30 + [(*NAMESAKES, False)] * 30
    retrained = retrain.reestimate(model, labelled).model
    rows = [
        {"record_id": "1", **YEAR_OFF[0]},
        {"record_id": "2", **YEAR_OFF[1]},
        {"record_id": "3", **NAMESAKES[0]},
        {"record_id": "4", **NAMESAKES[1]},
    ]
    resolution = pipeline.resolve(rows, model=retrained, threads=1)
    assert set(resolution.clusters) == {"1", "2", "3", "4"}
    assert resolution.clusters["3"] != resolution.clusters["4"]
    # The confirmed pair's years one apart now count for it. (Whether the pair links depends on
    # the link threshold: the labelled namesakes also raise u of the names and the place, so
    # the retrained model is more cautious overall, as the module says; at the model's link
    # threshold of 0.01 this pair is not linked, at the former 0.001 it just was.)
    scored = pipeline.resolve(rows, model=retrained, upper=1.0, lower=1e-9, threads=1)
    before = pipeline.resolve(rows, model=model, upper=1.0, lower=1e-9, threads=1)

    def birth_bits(resolution: pipeline.Resolution) -> float:
        (pair,) = [
            row
            for row in resolution.pairs.to_pylist()
            if {row["record_id_l"], row["record_id_r"]} == {"1", "2"}
        ]
        return pair["mw_birth"]

    assert birth_bits(scored) > birth_bits(before) + 1


# --- From the review decisions ------------------------------------------------------------------


def decide(me: User, count: int) -> None:
    """``count`` pairs confirmed as one person (written alike) and ``count`` kept apart."""
    for index in range(count):
        a = PersonFactory(given_name="Valbona", family_name=f"Hoxha{index}", birth_year=1980)
        b = PersonFactory(given_name="Bona", family_name=f"Hoxha{index}", birth_year=1980)
        pair = review_pair_propose(
            a=a, b=b, probability=0.5, match_weight=1.0, evidence=[], model_version="test"
        )
        review_decide(actor=me, pair=pair, decision="link")
        c = PersonFactory(given_name="Fatmire", family_name=f"Gashi{index}", birth_year=1970)
        d = PersonFactory(given_name="Fatmire", family_name=f"Shala{index}", birth_year=1970)
        pair = review_pair_propose(
            a=c, b=d, probability=0.3, match_weight=1.0, evidence=[], model_version="test"
        )
        review_decide(actor=me, pair=pair, decision="keep_apart")


@pytest.mark.django_db
def test_akt_link_retrain_saves_a_new_version_from_enough_decisions(
    personas: dict[str, User], tmp_path: Path
) -> None:
    decide(personas["me"], 22)
    out = io.StringIO()
    call_command("link", retrain=True, user="me", out=str(tmp_path), stdout=out)
    text = out.getvalue()
    assert "Model re-estimated from 22 same-person and 22 different-people decisions" in text
    (saved,) = tmp_path.glob("model-v*.json")
    assert f"Saved as {saved}" in text and "AKT_LINKAGE_MODEL" in text
    new, old = json.loads(saved.read_text()), pipeline.load_model()
    # Every confirmed pair was a short form of the same name: that level's u stays, its m is
    # fixed; the kept-apart pairs shared a given name, so agreement on it counts for less.
    assert (
        level(new, "given_name", "exact (folded) or swapped")["u_probability"]
        > level(old, "given_name", "exact (folded) or swapped")["u_probability"]
    )
    assert new["retrained_from_labels"]["matches"] == 22
    # The model in use has not changed.
    assert pipeline.load_model() == old


@pytest.mark.django_db
def test_akt_link_retrain_with_too_few_decisions_changes_nothing(
    personas: dict[str, User], tmp_path: Path
) -> None:
    decide(personas["me"], 5)
    out = io.StringIO()
    call_command("link", retrain=True, user="me", out=str(tmp_path), stdout=out)
    assert "Too few decisions to re-estimate the model: 5 same person, 5 different people" in (
        out.getvalue()
    )
    assert list(tmp_path.iterdir()) == []
    assert ReviewPair.objects.decided().count() == 10


@pytest.mark.django_db
def test_only_identity_resolvers_may_retrain(personas: dict[str, User], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="may not retrain"):
        call_command("link", retrain=True, user="staff", out=str(tmp_path))
    with pytest.raises(CommandError, match="give no FILE"):
        call_command("link", "people.csv", retrain=True, user="me")
