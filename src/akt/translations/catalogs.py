"""The interface translations: Serbian Cyrillic derived from Serbian Latin, and compiling.

Translators maintain three catalogues by hand: English (the source), Albanian (``sq``) and
Serbian in Latin script (``sr_Latn``). The Serbian Cyrillic catalogue (``sr``, Django's code
for Serbian in Cyrillic) is generated from the Latin one, because converting Serbian Latin to
Cyrillic is deterministic; the two can therefore never drift apart. Compiling uses Babel, so
no GNU gettext tools are needed to build or run the system.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from akt.text.script import latin_to_cyrillic

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
HAND_TRANSLATED = ("sq", "sr_Latn")
DERIVED = {"sr": "sr_Latn"}


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"


def read_catalog(locale: str) -> Catalog:
    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale.replace("_", "-") if locale != "sr_Latn" else "sr")


def _to_cyrillic(text: str | tuple | list) -> str | tuple:
    if isinstance(text, (tuple, list)):
        return tuple(latin_to_cyrillic(part) for part in text)
    return latin_to_cyrillic(text)


def cyrillic_catalog(latin: Catalog) -> Catalog:
    """The Serbian Cyrillic catalogue: every Serbian Latin translation converted."""
    catalog = Catalog(
        locale="sr",
        header_comment=(
            "# Serbian (Cyrillic) translations of the AKT results system.\n"
            "# Generated from the Serbian (Latin) catalogue by `akt cyrillic-messages`;\n"
            "# edit sr_Latn, not this file."
        ),
        project="akt",
        version="0.1",
        copyright_holder=latin.copyright_holder,
        msgid_bugs_address=latin.msgid_bugs_address,
        creation_date=latin.creation_date,
        revision_date=latin.revision_date,
        last_translator=latin.last_translator,
        language_team="Serbian (Cyrillic)",
        charset="utf-8",
        fuzzy=False,
    )
    catalog.plural_forms_override = latin.plural_forms  # type: ignore[attr-defined]
    for message in latin:
        if not message.id:
            continue
        catalog.add(
            message.id,
            string=_to_cyrillic(message.string) if message.string else message.string,
            context=message.context,
            flags=[flag for flag in message.flags if flag != "fuzzy"],
        )
    return catalog


def write_cyrillic() -> Path:
    target = po_path("sr")
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, cyrillic_catalog(read_catalog("sr_Latn")), omit_header=False, width=100)
    target.write_bytes(buffer.getvalue())
    return target


def compile_all() -> list[Path]:
    """Compiles every ``django.po`` to ``django.mo`` beside it (fuzzy entries left out)."""
    written = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        with po.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(po.with_suffix(".mo"))
    return written
