"""Add translated messages to the catalogues, then regenerate Serbian Cyrillic and compile.

    .venv/bin/python tools/po_add.py messages.json

``messages.json`` is a list of entries, each with the English ``msgid`` (and ``msgid_plural``
for a plural), an optional ``context`` (``msgctxt``), and the Albanian (``sq``) and Serbian
Latin (``sr_Latn``) translations: a string, or for a plural a list of forms (Albanian 2,
Serbian 3). An entry already in a catalogue has its translation replaced. The Cyrillic
catalogue is generated from the Latin one (``akt cyrillic-messages``), then every catalogue is
compiled. Catalogues are read and written with Babel, which keeps the rest byte for byte, under
a lock, so several people may run it at once.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "akt" / "locale"
LOCK = ROOT / "var" / "po.lock"
LANGUAGES = {"sq": 2, "sr_Latn": 3}


def _forms(entry: dict, language: str) -> str | tuple[str, ...]:
    value = entry.get(language)
    if value is None:
        raise SystemExit(f"{entry['msgid']!r}: no {language} translation")
    if "msgid_plural" in entry:
        if not isinstance(value, list) or len(value) != LANGUAGES[language]:
            raise SystemExit(
                f"{entry['msgid']!r}: {language} needs {LANGUAGES[language]} plural forms"
            )
        return tuple(value)
    if not isinstance(value, str) or not value.strip():
        raise SystemExit(f"{entry['msgid']!r}: {language} must be a non-empty string")
    return value


def add(entries: list[dict]) -> None:
    for language in LANGUAGES:
        path = LOCALE / language / "LC_MESSAGES" / "django.po"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language.replace("_", "-").split("-")[0])
        for entry in entries:
            msgid = (
                (entry["msgid"], entry["msgid_plural"])
                if "msgid_plural" in entry
                else entry["msgid"]
            )
            context = entry.get("context")
            existing = catalog.get(entry["msgid"], context=context)
            if existing is not None:
                existing.string = _forms(entry, language)
                existing.flags.discard("fuzzy")
            else:
                catalog.add(
                    msgid,
                    _forms(entry, language),
                    context=context,
                    flags=["python-format"] if "%(" in entry["msgid"] else [],
                )
        with path.open("wb") as handle:
            write_po(handle, catalog, width=76, omit_header=False, sort_output=False)


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    entries = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    LOCK.parent.mkdir(exist_ok=True)
    akt = ROOT / ".venv" / "bin" / "akt"
    environment = {**os.environ, "AKT_DEBUG": "true"}
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        add(entries)
        for command in ("cyrillic-messages", "compile-messages"):
            subprocess.run([str(akt), command], check=True, env=environment, cwd=ROOT)
    print(f"{len(entries)} message(s) added or updated")


if __name__ == "__main__":
    main()
