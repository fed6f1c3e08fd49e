"""``akt load-reference``: load the reference data that ships with the system.

Municipalities and communities (with the community populations published for them), the
program and its components, activity topics and the program's indicators. Running it again
updates in place; nothing recorded is touched.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from akt.activities.services import topics_load
from akt.capacity.services import capacity_areas_load
from akt.indicators.loading import ReferenceDataError as IndicatorDataError
from akt.indicators.services import indicators_load
from akt.places.services import ReferenceDataError, community_populations_load, places_load
from akt.program.services import program_load


class Command(BaseCommand):
    help = "Load municipalities, communities, components, topics, capacity areas and indicators."

    def handle(self, *args: object, **options: object) -> None:
        communities, municipalities = places_load()
        try:
            populations = community_populations_load()
        except ReferenceDataError as error:
            raise CommandError(str(error)) from None
        program = program_load()
        topics = topics_load()
        areas = capacity_areas_load()
        try:
            indicators = indicators_load()
        except IndicatorDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Loaded {municipalities} municipalities, {communities} communities, "
            f"{populations} community population figures, "
            f"program {program.code}, {topics} topics, {areas} capacity areas, "
            f"{indicators} indicators."
        )
