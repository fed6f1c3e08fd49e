"""The demo's entered outcomes: property tax billed and collected by the partner municipalities.

For each of the 16 partner municipalities and each calendar year from 2012 to 2017, the property
tax billed and collected, as the municipality's annual financial report would give them, entered
as values of the indicators ``property-tax-billed`` and ``property-tax-collected``:

- **Billed** follows the size of the municipality (Pejë and Gjilan bill well over a million
  euros a year, Parteš and Klokot some tens of thousands; Obiliq's power plants weigh in) and
  grows a few percent a year as the property registers are completed. The four northern
  municipalities hardly billed before 2014 and catch up from then on.
- **Collected** is the billed amount times the year's collection rate: about half in the
  Albanian-majority municipalities, less in the Serb-majority ones of the south and a small
  share in the north before the program. Where the demo's finance officers were trained
  (:func:`akt.reports.property_tax.trained_municipalities`, read from the demo's records, so
  run this after them), the rate rises a little in the training year and clearly after it;
  elsewhere it drifts.
- **A missing year here and there**: a report not yet entered, or a year whose collection
  figure is missing while its billing is there.
- **The source document** is the municipality's report, named as its office would name it: in
  Albanian, or in Serbian for Serbian-majority municipalities (in Cyrillic in the four northern
  ones), for example "Komuna e Gjilanit, Raporti vjetor financiar 2015, tabela 4".

Deterministic: one seed, one result (``random.Random(seed)``, drawn in a fixed order over the
municipalities sorted by code). Values are written without a user (``entered_by`` empty), each
validated by the model (``full_clean``); running it again replaces the values it wrote, those of
the two indicators without a user.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from django.db import transaction
from django.utils import timezone

from akt.counting.periods import Period
from akt.demo.plan import DEFAULT_SEED
from akt.demo.texts import Wording, administration_name, say, serb_majority
from akt.indicators.models import Indicator, OutcomeValue
from akt.places.models import Municipality
from akt.reports.property_tax import BILLED, COLLECTED, trained_municipalities
from akt.text.script import latin_to_cyrillic

YEARS = tuple(range(2012, 2018))

NORTH = frozenset({"leposaviq", "mitrovice-e-veriut", "zubin-potok", "zvecan"})
"""Where property tax was hardly billed before 2014, and where Serbian is written in Cyrillic."""

BILLED_2013: Mapping[str, int] = MappingProxyType(
    {
        "peje": 1_900_000, "gjilan": 1_650_000, "obiliq": 1_150_000, "vushtrri": 820_000,
        "istog": 480_000, "kline": 430_000, "gracanice": 390_000, "shterpce": 260_000,
        "novoberde": 95_000, "ranillug": 60_000, "kllokot": 55_000, "partesh": 45_000,
        "mitrovice-e-veriut": 420_000, "leposaviq": 170_000, "zvecan": 140_000,
        "zubin-potok": 110_000,
    }
)  # fmt: skip
"""Euros billed in 2013 (in the north: what the municipality would bill once its register is
complete, reached in 2015)."""

NORTH_CATCHING_UP: Mapping[int, float] = MappingProxyType(
    {2012: 0.3, 2013: 0.45, 2014: 0.8, 2015: 1.0, 2016: 1.04, 2017: 1.08}
)

RATE_BEFORE: Mapping[str, tuple[float, float]] = MappingProxyType(
    {"albanian": (0.48, 0.62), "serb": (0.36, 0.50), "north": (0.07, 0.18)}
)
"""The range a municipality's collection rate starts in, by kind of municipality."""

REPORT = Wording(
    "{office}, Raporti vjetor financiar {year}, tabela {table}",
    "{office}, Godišnji finansijski izveštaj za {year}. godinu, tabela {table}",
)

MISSING_YEAR = 0.06
"""The share of a municipality's years with no value entered at all."""
MISSING_COLLECTION = 0.05
"""The share of the remaining years with the billed amount but no collected one."""


def _kind(municipality: Municipality) -> str:
    if municipality.code in NORTH:
        return "north"
    return "serb" if serb_majority(municipality) else "albanian"


def _round(amount: float) -> Decimal:
    """To the euro, as the annual reports give them."""
    return Decimal(round(amount)).quantize(Decimal("1.00"))


def _document(municipality: Municipality, year: int, table: int) -> str:
    text = say(REPORT, municipality, office=administration_name(municipality), year=year,
               table=table)  # fmt: skip
    return latin_to_cyrillic(text) if municipality.code in NORTH else text


def _rate(rng: random.Random, start: float, year: int, trained_in: int | None, kind: str) -> float:
    """The year's collection rate: a drift of a point a year; with trained finance officers, a
    few points in the training year and ten to fifteen more after it."""
    rate = start + 0.01 * (year - YEARS[0]) + rng.uniform(-0.02, 0.02)
    if trained_in is not None and year >= trained_in:
        if year == trained_in:
            rate += rng.uniform(0.02, 0.05)
        else:
            lift = rng.uniform(0.09, 0.13) if kind == "north" else rng.uniform(0.10, 0.15)
            rate += lift + 0.02 * (year - trained_in - 1)
    return min(max(rate, 0.02), 0.95)


@transaction.atomic
def outcomes_populate(seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Enters the partner municipalities' property tax billed and collected for 2012 to 2017;
    returns how many values it wrote, for how many municipalities, and how many of them had
    trained finance officers. Replaces the values an earlier run wrote."""
    rng = random.Random(seed)
    billed = Indicator.objects.get(code=BILLED)
    collected = Indicator.objects.get(code=COLLECTED)
    OutcomeValue.objects.filter(indicator__in=[billed, collected], entered_by=None).delete()
    partners = list(
        Municipality.objects.filter(is_partner=True)
        .select_related("majority_community")
        .order_by("code")
    )
    trained = trained_municipalities(frozenset(place.pk for place in partners))
    values: list[OutcomeValue] = []
    for place in partners:
        kind = _kind(place)
        trained_in = trained[place.pk][0] if place.pk in trained else None
        base = BILLED_2013.get(place.code, 100_000)
        start = rng.uniform(*RATE_BEFORE[kind])
        amount = base * rng.uniform(0.94, 0.98)  # 2012: a little less than 2013
        for year in YEARS:
            if year > YEARS[0]:
                amount *= rng.uniform(1.01, 1.05)
            bill = amount * NORTH_CATCHING_UP[year] / NORTH_CATCHING_UP[2015] if (
                kind == "north") else amount  # fmt: skip
            rate = _rate(rng, start, year, trained_in, kind)
            table = rng.randint(3, 7)
            gaps = random.Random(f"{seed}|{place.code}|{year}")  # gaps apart from the figures
            if gaps.random() < MISSING_YEAR:
                continue  # the year's report is not entered (yet)
            entered_at = timezone.make_aware(
                dt.datetime(year + 1, 3, rng.randint(1, 28), rng.randint(9, 15))
            )
            document = _document(place, year, table)
            shown = [(billed, _round(bill))]
            if gaps.random() >= MISSING_COLLECTION:
                shown.append((collected, _round(bill * rate)))
            for indicator, value in shown:
                record = OutcomeValue(
                    indicator=indicator,
                    municipality=place,
                    cell={},
                    value=value,
                    source_document=document,
                    entered_at=entered_at,
                )
                record.period = Period.calendar_year(year)
                record.full_clean()
                values.append(record)
    OutcomeValue.objects.bulk_create(values)
    return {
        "outcome_values": len(values),
        "outcome_municipalities": len({value.municipality_id for value in values}),
        "outcome_municipalities_trained": len(trained),
    }
