"""Every string a person reads is translated, and what is shipped is what was translated."""

from __future__ import annotations

import gettext
import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from akt.translations.catalogs import cyrillic_catalog, po_path, read_catalog

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\w*\}")


def messages(locale: str) -> list:
    return [message for message in read_catalog(locale) if message.id]


@pytest.mark.parametrize("locale", ["sq", "sr_Latn", "sr"])
def test_every_message_is_translated(locale: str) -> None:
    untranslated = [
        message.id
        for message in messages(locale)
        if not message.string
        or (isinstance(message.string, tuple) and not all(message.string))
        or message.fuzzy
    ]
    assert untranslated == []


@pytest.mark.parametrize("locale", ["sq", "sr_Latn"])
def test_translations_keep_every_placeholder(locale: str) -> None:
    broken = []
    for message in messages(locale):
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = {name for source in sources for name in PLACEHOLDER.findall(source)}
        for target in targets:
            if {name for name in PLACEHOLDER.findall(target)} != wanted:
                broken.append((message.id, target))
    assert broken == []


def test_cyrillic_catalogue_is_generated_from_latin() -> None:
    expected = {m.id: m.string for m in cyrillic_catalog(read_catalog("sr_Latn")) if m.id}
    shipped = {m.id: m.string for m in read_catalog("sr") if m.id}
    assert shipped == expected


@pytest.mark.parametrize("locale", ["sq", "sr_Latn", "sr"])
def test_compiled_catalogue_matches_its_source(locale: str) -> None:
    mo = po_path(locale).with_suffix(".mo")
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in messages(locale):
        if isinstance(message.id, tuple):
            assert compiled.ngettext(message.id[0], message.id[1], 1) == message.string[0]
        elif message.context:
            assert compiled.pgettext(message.context, message.id) == message.string
        else:
            assert compiled.gettext(message.id) == message.string


def test_the_interface_speaks_each_language() -> None:
    samples = {"sq": "Femër", "sr-latn": "Ženski", "sr": "Женски", "en": "Female"}
    for language, expected in samples.items():
        with translation.override(language):
            assert translation.gettext("Female") == expected


def test_the_catalogues_hold_exactly_the_strings_of_the_code(tmp_path: Path) -> None:
    """``make messages`` would change no message: every translatable string of the code and
    templates is in the catalogue, and the catalogue holds no string the code no longer has."""
    from django.core.management import call_command

    source = Path(__file__).resolve().parents[2]  # src/akt
    copy = tmp_path / "akt"
    shutil.copytree(
        source,
        copy,
        ignore=shutil.ignore_patterns(
            "tests", "tests_browser", "testing", "*.mo", "*.po", "__pycache__"
        ),
    )
    here = Path.cwd()
    try:
        os.chdir(copy)
        call_command(
            "makemessages",
            locale=["sq"],
            no_obsolete=True,
            no_location=True,
            verbosity=0,
        )
    finally:
        os.chdir(here)
    extracted = {
        message.id
        for message in read_po((copy / "locale/sq/LC_MESSAGES/django.po").open("rb"))
        if message.id
    }
    assert len(extracted) > 1000  # the extraction read the code
    shipped = {message.id for message in messages("sq")}
    assert (sorted(map(str, extracted - shipped)), sorted(map(str, shipped - extracted))) == (
        [],
        [],
    )
