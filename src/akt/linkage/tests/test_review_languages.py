"""The review page in the reader's language: how two records compare, and which records they are.

The linkage model names its comparison levels in English (Splink's labels, in the model file);
the review queue stores a stable code for each and the page words it in the reader's language.
Pairs proposed before codes were stored hold the English label, and read the same.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from akt.linkage import pipeline
from akt.linkage.selectors import evidence_rows
from akt.linkage.services import review_pair_propose
from akt.reports.tests.records import text_of
from akt.testing.factories import AttendanceFactory, PersonFactory, municipality

ENGLISH_LEVELS = ("exact (folded) or swapped", "birth", "missing", "same", "years one apart")

STORED = [
    {"field": "given_name", "level": "exact", "weight": 8.769},
    {"field": "family_name", "level": "same_sound", "weight": 5.1},
    {"field": "birth", "level": "years_one_apart", "weight": -0.421},
    {"field": "sex", "level": "same", "weight": 0.969},
    {"field": "municipality", "level": "missing", "weight": 0.0},
    {"field": "commonness", "level": "registry", "weight": -3.148},
]
"""Evidence as the pipeline stores it now: codes."""

STORED_BEFORE = [
    {"field": "given_name", "level": "exact (folded) or swapped", "weight": 8.769},
    {"field": "family_name", "level": "same sound key", "weight": 5.1},
    {"field": "birth", "level": "years one apart", "weight": -0.421},
    {"field": "sex", "level": "same", "weight": 0.969},
    {"field": "municipality", "level": "missing", "weight": 0.0},
    {"field": "commonness", "level": "registry", "weight": -3.148},
]
"""The same evidence as pairs proposed before held it: the model's English labels."""

SHOWN = {
    "sq": {
        "compared": ["Emri", "Mbiemri", "Data e lindjes", "Gjinia", "Komuna"],
        "levels": [
            "njësoj (pa marrë parasysh alfabetin, shenjat diakritike dhe shkronjat e mëdha), "
            "ose emri dhe mbiemri të ndërruar",
            "shkruhet ndryshe, tingëllon njësoj",
            "vitet ndryshojnë për një",
            "njësoj",
            "mungon në njërin regjistrim ose në të dy",
        ],
    },
    "sr-latn": {
        "compared": ["Ime", "Prezime", "Datum rođenja", "Pol", "Opština"],
        "levels": [
            "isto (bez obzira na pismo, dijakritike i velika slova) ili su ime i prezime zamenjeni",
            "piše se drugačije, zvuči isto",
            "godine se razlikuju za jednu",
            "isto",
            "nedostaje u jednom zapisu ili u oba",
        ],
    },
    "sr": {
        "compared": ["Име", "Презиме", "Датум рођења", "Пол", "Општина"],
        "levels": [
            "исто (без обзира на писмо, дијакритике и велика слова) или су име и презиме замењени",
            "пише се другачије, звучи исто",
            "године се разликују за једну",
            "исто",
            "недостаје у једном запису или у оба",
        ],
    },
}


def _model_labels() -> set[str]:
    """Every comparison level label of the untrained model and of the shipped, trained one."""
    models = [pipeline.with_fixed_levels(pipeline.settings()), pipeline.load_model()["splink"]]
    return {
        level["label_for_charts"]
        for model in models
        for comparison in model["comparisons"]
        for level in comparison["comparison_levels"]
    }


def test_every_level_of_the_model_has_a_stable_code() -> None:
    assert _model_labels() <= set(pipeline.LEVEL_CODES)
    assert pipeline.ComparisonEvidence("birth", "years one apart", -0.4, False).code == (
        "years_one_apart"
    )


@pytest.mark.parametrize("language", ["sq", "sr-latn", "sr"])
def test_every_level_is_worded_in_the_readers_language(language: str) -> None:
    codes = sorted(set(pipeline.LEVEL_CODES.values()))
    evidence = [{"field": "given_name", "level": code, "weight": 1.0} for code in codes]
    labels = sorted(pipeline.LEVEL_CODES)
    before = [{"field": "given_name", "level": label, "weight": 1.0} for label in labels]
    with translation.override(language):
        shown = [row.level for row in evidence_rows(evidence, language)]
        shown_before = [row.level for row in evidence_rows(before, language)]
    for code, level in zip(codes, shown, strict=True):
        assert level != code and level not in pipeline.LEVEL_CODES, (code, level)
    # A stored label reads as its code does.
    assert sorted(set(shown_before)) == sorted(set(shown))


@pytest.mark.django_db
def test_the_pipeline_stores_codes_not_english_labels(reference: None) -> None:
    from akt.linkage.suggestions import registry_matches

    PersonFactory(
        given_name="Diellza",
        family_name="Kurti",
        sex="female",
        birth_date=None,
        birth_year=1969,
        municipality=municipality("peje"),
    )
    row = {
        "given_name": "Diellza",
        "family_name": "Kurti",
        "birth_date": "1968",
        "sex": "female",
        "municipality": "peje",
    }
    ((match, *_others),) = registry_matches([row], limit=1)
    levels = {item["field"]: item["level"] for item in match.evidence}
    assert levels["given_name"] == levels["family_name"] == "exact"
    assert levels["birth"] == "years_one_apart"
    assert levels["sex"] == levels["municipality"] == "same"


@pytest.fixture
def pair(reference: None):
    first = PersonFactory(given_name="Diellza", family_name="Kurti", birth_year=1969)
    second = PersonFactory(given_name="Diellza", family_name="Kurti", birth_year=1968)
    AttendanceFactory(person=first)
    AttendanceFactory(person=second)
    return review_pair_propose(
        a=first,
        b=second,
        probability=0.913,
        match_weight=3.4,
        evidence=STORED,
        model_version="test",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("stored", [STORED, STORED_BEFORE], ids=["codes", "english-labels"])
@pytest.mark.parametrize("language", list(SHOWN))
def test_the_pair_page_shows_the_comparison_in_the_readers_language(
    client_for, pair, stored: list, language: str
) -> None:
    pair.evidence = stored
    pair.save(update_fields=["evidence"])
    client = client_for("me")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("linkage:review_pair", args=[pair.pk])).content.decode()
    evidence = text_of(html.split('class="data evidence"')[1].split("</table>")[0])
    for english in ENGLISH_LEVELS:
        assert f" {english} " not in evidence, english
    for text in SHOWN[language]["compared"] + SHOWN[language]["levels"]:
        assert text in evidence, text


@pytest.mark.django_db
def test_the_records_are_named_not_numbered(client_for, pair) -> None:
    """Each record on the pair page is its person's name and when it was registered, linked to
    the record, never its raw identifier."""
    client = client_for("me")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sq"
    html = client.get(reverse("linkage:review_pair", args=[pair.pk])).content.decode()
    for person in (pair.person_a, pair.person_b):
        assert str(person.uid) not in html
        assert reverse("people:person_detail", args=[person.pk]) in html
        registered = person.created_at.astimezone().strftime("%d.%m.%Y")
        assert f"Diellza Kurti, regjistruar më {registered}" in text_of(html)


@pytest.mark.django_db
def test_a_batch_merge_is_named_in_the_readers_language(client_for, personas, reference) -> None:
    """The batch stores its merges' reason in the language of whoever ran it (the demo's in
    English); the history names them by their source, in the reader's language."""
    from akt.linkage.models import MergeSource
    from akt.linkage.services import person_merge

    with translation.override("en"):
        person_merge(
            actor=None,
            survivor=PersonFactory(),
            others=[PersonFactory()],
            reason="Batch linkage of the registry.",
            source=MergeSource.BATCH,
            probability=0.99,
        )
    client = client_for("me")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr"
    page = text_of(client.get(reverse("linkage:merge_list")))
    assert "Batch linkage" not in page
    assert "Масовно повезивање" in page
