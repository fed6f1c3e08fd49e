"""Loading the places reference data that ships with the system."""

from __future__ import annotations

import csv
from decimal import Decimal
from importlib import resources

from django.db import transaction

from akt.places.models import Community, Municipality


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("akt.places").joinpath("data", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@transaction.atomic
def places_load() -> tuple[int, int]:
    """Creates or updates the communities and the 38 municipalities. Safe to run again."""
    for order, row in enumerate(_rows("communities.csv")):
        Community.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_en": row["name_en"],
                "name_sq": row["name_sq"],
                "name_sr_latn": row["name_sr_latn"],
                "name_sr_cyrl": row["name_sr_cyrl"],
                "sort_order": order,
                "is_declared": row["is_declared"] == "yes",
            },
        )
    communities = {c.code: c for c in Community.objects.all()}
    municipalities = _rows("municipalities.csv")
    for row in municipalities:
        Municipality.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_sq": row["name_sq"],
                "name_sr_latn": row["name_sr_latn"],
                "name_sr_cyrl": row["name_sr_cyrl"],
                "latitude": Decimal(row["lat"]),
                "longitude": Decimal(row["lon"]),
                "region": row["region"],
                "is_partner": row["akt_partner"] == "yes",
                "majority_community": communities[row["majority_community"]],
                "note": row["note"],
            },
        )
    return len(communities), len(municipalities)
