"""Serbian pages in Cyrillic: no Latin acronym declined in Cyrillic ("AKT-а"), no English note.

The Cyrillic texts are converted from the Serbian Latin ones; Serbian's own acronyms (АКТ, ОКЗП,
ППР, ОЕБС, УСАИД) are written in Cyrillic there, and notes stored in English are written in each
language. Codes (IR 1.1), file formats and the names of the other languages stay as they are.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from akt.reports.tests.records import text_of

pytestmark = pytest.mark.django_db

KEPT_LATIN = re.compile(
    r"\b(?:English|Shqip|Srpski|Excel|Kobo|ADS 201|(?:IR|DO) \d+(?:\.\d+)*)\b|US\$"
)
"""What a Cyrillic page may write in Latin: the other languages' own names in the language menu,
product names, USAID's directive and the framework's codes."""


def latin_words(html: str) -> set[str]:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    text = KEPT_LATIN.sub(" ", text_of("<main" + main))
    return set(re.findall(r"[A-Za-z][\w.’'/-]*", text))


def cyrillic_page(client_for, url: str, language: str = "sr") -> str:
    client = client_for("me")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("code", ["lul-debate-participants", "community-members-empowered"])
def test_a_reference_sheet_in_cyrillic_has_no_latin_word(client_for, personas, code) -> None:
    html = cyrillic_page(client_for, reverse("indicators:sheet", args=[code]))
    assert latin_words(html) == set()


def test_the_sheet_names_its_reviewer_in_the_readers_language(client_for, personas) -> None:
    url = reverse("indicators:sheet", args=["lul-debate-participants"])
    shown = {
        "sr": "Канцеларија за програме УСАИД-а на Косову",
        "sr-latn": "Kancelarija za programe USAID-a na Kosovu",
        "sq": "Zyra e Programeve e USAID-it në Kosovë",
        "en": "USAID/Kosovo Program Office",
    }
    for language, reviewer in shown.items():
        page = text_of(cyrillic_page(client_for, url, language))
        assert reviewer in page, language
        if language != "en":
            assert "Program Office" not in page, language


def test_the_framework_in_cyrillic_writes_serbian_acronyms_in_cyrillic(client_for, personas):
    html = cyrillic_page(client_for, reverse("indicators:framework"))
    assert "ОКЗП" in text_of(html)
    assert latin_words(html) == set()
