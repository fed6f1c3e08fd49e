"""``akt compile-messages``: compile every translation catalogue (no GNU gettext needed)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from akt.translations.catalogs import compile_all


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/django.po to .mo files with Babel."

    def handle(self, *args: object, **options: object) -> None:
        for path in compile_all():
            self.stdout.write(f"Compiled {path.parent.parent.name}.")
