"""The results pages in the reader's language, switched with the header's language buttons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from akt.reports.tests.records import debate, text_of
from akt.testing.factories import AttendanceFactory, TallyFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")


@pytest.fixture
def two_debates(personas) -> None:
    """Two debates on the language law in Gjilan, one person at the first."""
    first = debate("gjilan", "Debate one")
    debate("gjilan", "Debate two")
    AttendanceFactory(activity=first)


def switch(client, language: str) -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": DASHBOARD})
    assert response.status_code == 302


def test_albanian(client_for, two_debates: None) -> None:
    client = client_for("me")
    switch(client, "sq")
    response = client.get(DASHBOARD)
    assert '<html lang="sq">' in response.content.decode()
    page = text_of(response)
    assert "2 debate publike të organizuara për zbatimin e Ligjit për përdorimin e gjuhëve" in page


def test_serbian_latin(client_for, two_debates: None) -> None:
    client = client_for("me")
    switch(client, "sr-latn")
    page = text_of(client.get(DASHBOARD))
    assert "2 javne debate organizovane o primeni Zakona o upotrebi jezika" in page


def test_serbian_cyrillic(client_for, two_debates: None) -> None:
    client = client_for("focal_gracanica")
    debate("gracanice", "Дебата")
    switch(client, "sr")
    response = client.get(DASHBOARD)
    assert '<html lang="sr">' in response.content.decode()
    page = text_of(response)
    assert "1 јавна дебата организована о примени Закона о употреби језика" in page
    # The drill-down too: names of the place in Cyrillic.
    page = text_of(client.get(reverse("reports:indicator", args=["lul-debates"])))
    assert "Јавне дебате о Закону о употреби језика" in page
    assert "Грачаница" in page


def test_language_buttons_mark_the_active_language(client_for, personas) -> None:
    client = client_for("donor")
    html = client.get(DASHBOARD).content.decode()
    for name in ("English", "Shqip", "Srpski", "Српски"):
        assert f">{name}</button>" in html
    assert 'value="en" lang="en" aria-pressed="true"' in html
    switch(client, "sr")
    html = client.get(DASHBOARD).content.decode()
    assert 'value="sr" lang="sr" aria-pressed="true"' in html
    assert 'value="en" lang="en" aria-pressed="false"' in html


def test_numbers_are_written_the_readers_way(client_for, personas) -> None:
    activity = debate("gjilan", "Big debate")
    TallyFactory(activity=activity, headcount=1244)
    client = client_for("me")
    assert "1,244 participants" in text_of(client.get(DASHBOARD))
    switch(client, "sr-latn")
    assert "1.244 učesnika" in text_of(client.get(DASHBOARD))
