"""``akt cyrillic-messages``: regenerate the Serbian Cyrillic catalogue from Serbian Latin."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from akt.translations.catalogs import write_cyrillic


class Command(BaseCommand):
    help = "Write locale/sr (Serbian, Cyrillic) from locale/sr_Latn (Serbian, Latin)."

    def handle(self, *args: object, **options: object) -> None:
        path = write_cyrillic()
        self.stdout.write(f"Wrote {path.name} for sr.")
