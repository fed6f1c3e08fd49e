"""The composition page's population sources in the reader's language: the notes on each figure
are written in every language, not stored once in English; publication titles and addresses are
cited as published."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from akt.reports.tests.records import text_of
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    PersonFactory,
    community,
    municipality,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:composition")

NOTES = {
    "sr": (
        "Попис из 2011. године није спроведен на северу; процена ОЕБС-а из 2013. године, како "
        "је наводи профил заједнице ЕЦМИ-ја."
    ),
    "sr-latn": (
        "Popis iz 2011. godine nije sproveden na severu; procena OEBS-a iz 2013. godine, kako "
        "je navodi profil zajednice ECMI-ja."
    ),
    "sq": (
        "Regjistrimi i vitit 2011 nuk u krye në veri; vlerësim i OSBE-së i vitit 2013, siç e "
        "citon profili i komunitetit i ECMI-t."
    ),
    "en": (
        "The 2011 census was not carried out in the north; OSCE estimate of 2013, as cited in "
        "the ECMI community profile."
    ),
}


@pytest.fixture
def zvecan(personas) -> None:
    """A workshop in Zvečan, whose Albanian figure is an OSCE estimate."""
    workshop = ActivityFactory(municipality=municipality("zvecan"))
    for code in ("serb", "albanian"):
        AttendanceFactory(activity=workshop, person=PersonFactory(community=community(code)))


def sources_table(html: str) -> str:
    found = re.search(r'id="population-sources".*?<tbody>(.*?)</tbody>', html, re.S)
    assert found
    return found.group(1)


@pytest.mark.parametrize("language", list(NOTES))
def test_the_population_notes_are_in_the_readers_language(
    client_for, zvecan, language: str
) -> None:
    client = client_for("me")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    table = sources_table(client.get(PAGE).content.decode())
    notes = [text_of(note).strip() for note in re.findall(r'class="note">(.*?)</span>', table)]
    assert NOTES[language] in notes
    if language != "en":
        assert not any("census" in note or "estimate" in note for note in notes)


def test_on_the_cyrillic_page_only_citations_are_latin(client_for, zvecan) -> None:
    """The source and its note are Cyrillic; a citation names an English publication and its
    address, as published."""
    client = client_for("me")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr"
    table = sources_table(client.get(PAGE).content.decode())
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        citation = re.sub(r'<span class="note">.*?</span>', "", cells[-1], flags=re.S)
        note = re.findall(r'<span class="note">(.*?)</span>', cells[-1], re.S)
        shown = [*cells[:-1], *note]
        for text in shown:
            assert not re.search(r"[A-Za-z]", text_of(text)), text_of(text)
        assert "https://" in citation
        assert not re.search(r"\b(?:via|census|estimate)\b", citation), citation
