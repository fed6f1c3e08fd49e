"""``akt load-reference``: load the reference data that ships with the system.

Municipalities and communities, the program and its components, activity topics and the
program's indicators. Running it again updates in place; nothing recorded is touched.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from akt.indicators.services import indicators_load
from akt.places.services import places_load
from akt.program.services import program_load, topics_load


class Command(BaseCommand):
    help = "Load municipalities, communities, components, topics and indicators."

    def handle(self, *args: object, **options: object) -> None:
        communities, municipalities = places_load()
        program = program_load()
        topics = topics_load()
        indicators = indicators_load()
        self.stdout.write(
            f"Loaded {municipalities} municipalities, {communities} communities, "
            f"program {program.code}, {topics} topics, {indicators} indicators."
        )
