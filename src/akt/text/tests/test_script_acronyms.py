"""Serbian in Cyrillic writes its own acronyms in Cyrillic, declined like words: never "AKT-а"."""

from __future__ import annotations

import re

import pytest

from akt.text.script import CYRILLIC_ACRONYMS, latin_to_cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("partner AKT-a", "партнер АКТ-а"),
        ("izveštava se u PPR-u", "извештава се у ППР-у"),
        ("Procena OEBS-a", "Процена ОЕБС-а"),
        ("Radionice za članove OKZP i komiteta", "Радионице за чланове ОКЗП и комитета"),
        ("pravila USAID-a o čuvanju", "правила УСАИД-а о чувању"),
        ("oprez (ECMI)", "опрез (ЕЦМИ)"),
        # Foreign acronyms, codes and file formats stay as they are written.
        ("Izveštaj OSCE, IR 1.1, DO 1, EG.3.2-1, CSV i ADS 201", None),
    ],
)
def test_serbian_acronyms_are_written_in_cyrillic(latin: str, cyrillic: str | None) -> None:
    converted = latin_to_cyrillic(latin)
    if cyrillic is None:
        for kept in ("OSCE", "IR 1.1", "DO 1", "EG.3.2-1", "CSV", "ADS 201"):
            assert kept in converted
    else:
        assert converted == cyrillic
        assert not re.search(r"[A-Za-z]", converted)


def test_every_listed_acronym_converts_letter_by_letter() -> None:
    for acronym in CYRILLIC_ACRONYMS:
        converted = latin_to_cyrillic(f"{acronym}-a")
        assert not re.search(r"[A-Za-z]", converted), converted
        assert len(converted) == len(acronym) + 2
