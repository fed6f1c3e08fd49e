"""The fixed plan of the demo dataset: what it is built to, and where and when each block happens.

The targets (the program brief's "Results to date"), the default seed, the marks that tell demo
records from real ones, the program's dates and the public holidays, the municipalities of each
block, the sectors of farms, clients and grants, the shares that shape how people are written
down, and the reference data the demo needs. Nothing here is drawn at random.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from akt.demo import texts
from akt.people.models import Sector
from akt.places.participant_mix import COMMUNITY_MIX

TARGETS: Mapping[str, int | Decimal] = MappingProxyType(
    {
        "lul-debates": 12,
        "lul-debate-participants": 337,
        "public-hearings": 21,
        "public-hearing-participants": 830,
        "capacity-plans": 16,
        "infrastructure-projects": 33,
        "joint-activity-participants": 20623,
        "community-workshops": 19,
        "community-members-empowered": 317,
        "management-trainees": 1244,
        "property-tax-trainees": 133,
        "business-grants": 16,
        "business-grants-amount": Decimal("102000.00"),
        "farmers-businesses-trained": 194,
        "women-business-services": 243,
        "youth-business-services": 63,
    }
)
"""Life-of-project value of every indicator over the demo data: the program brief's figures
("over 190" and "over 240" made concrete). The generator builds to these; the tests check them."""

DEFAULT_SEED = 2014

DEMO_UID_PREFIX = "de30da7a"
"""The first eight hex digits of every demo person's uid."""
DEMO_CODE_PREFIX = "DEMO-"
"""The start of every demo organization's registration number, grant reference and project code."""
DEMO_NOTE = "Demo record created by akt demo-data; not a real event."
"""The description of every demo activity."""

PROGRAM_START = date(2014, 4, 1)
PROGRAM_END = date(2017, 4, 30)
LAST_EVENT = date(2017, 4, 28)

# Kosovo's fixed-date public holidays (month, day): New Year, Orthodox Christmas, Independence
# Day, Constitution Day, Labour Day, Europe Day, Catholic Christmas.
PUBLIC_HOLIDAYS = frozenset({(1, 1), (1, 2), (1, 7), (2, 17), (4, 9), (5, 1), (5, 9), (12, 25)})

PROJECTS_UNDER_WAY = 2
"""Infrastructure projects still under way when the program ended: recorded, never counted."""

# Neighbouring partner municipalities: where a participant from elsewhere comes from.
REGIONS: tuple[tuple[str, ...], ...] = (
    ("mitrovice-e-veriut", "zvecan", "leposaviq", "zubin-potok", "vushtrri"),
    ("gjilan", "kllokot", "partesh", "ranillug", "novoberde"),
    ("peje", "istog", "kline"),
    ("gracanice", "obiliq", "shterpce"),
)

# Regional events: host municipality -> the municipalities whose people attend.
REGIONAL_WORKSHOPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"zvecan": REGIONS[0], "gjilan": REGIONS[1], "peje": REGIONS[2]}
)
PROPERTY_TAX_REGIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "zvecan": ("mitrovice-e-veriut", "zvecan", "leposaviq", "zubin-potok"),
        "gjilan": REGIONS[1],
        "peje": REGIONS[2],
        "gracanice": ("gracanice", "obiliq", "shterpce", "vushtrri"),
    }
)

# The twelve municipalities of the NGO project on the Law on the Use of Languages (domain.md 3.4).
LUL_DEBATE_PLACES = (
    "gracanice", "obiliq", "novoberde", "ranillug", "gjilan", "partesh", "kllokot", "shterpce",
    "kline", "peje", "istog", "vushtrri",
)  # fmt: skip
# Municipalities that held a second public hearing, and got a third infrastructure project.
SECOND_HEARING_PLACES = ("gjilan", "peje", "vushtrri", "gracanice", "mitrovice-e-veriut")
THIRD_PROJECT_PLACES = ("gjilan", "peje", "gracanice")

FARMER_TRAINING_PLACES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "dairy-processing": (
            "gracanice", "shterpce", "zubin-potok", "leposaviq", "istog", "kline", "vushtrri",
            "novoberde",
        ),
        "fruit-vegetable-processing": (
            "gjilan", "kllokot", "partesh", "ranillug", "peje", "obiliq", "vushtrri", "kline",
        ),
        "medicinal-aromatic-plants": (
            "shterpce", "zubin-potok", "leposaviq", "zvecan", "mitrovice-e-veriut", "peje",
            "istog", "gjilan",
        ),
    }
)  # fmt: skip
FARM_SECTORS: Mapping[str, tuple[tuple[str, float], ...]] = MappingProxyType(
    {
        "dairy-processing": ((Sector.DAIRY, 1.0),),
        "fruit-vegetable-processing": ((Sector.FRUIT_VEGETABLE, 0.6), (Sector.AGRICULTURE, 0.4)),
        "medicinal-aromatic-plants": ((Sector.MEDICINAL_PLANTS, 0.7), (Sector.BEEKEEPING, 0.3)),
    }
)
CLIENT_SECTORS: tuple[tuple[str, float], ...] = (
    (Sector.SERVICES, 0.35),
    (Sector.FURNITURE, 0.15),
    (Sector.WOOD_PROCESSING, 0.15),
    (Sector.AGRICULTURE, 0.15),
    (Sector.BEEKEEPING, 0.1),
    (Sector.FRUIT_VEGETABLE, 0.1),
)
FARM_LIKE_SECTORS = frozenset({Sector.AGRICULTURE, Sector.BEEKEEPING, Sector.MEDICINAL_PLANTS})
# Sectors of the 16 business grants: "mainly agriculture, wood processing, furniture, bee-keeping".
GRANT_SECTORS: tuple[tuple[str, int], ...] = (
    (Sector.AGRICULTURE, 5),
    (Sector.WOOD_PROCESSING, 3),
    (Sector.FURNITURE, 3),
    (Sector.BEEKEEPING, 3),
    (Sector.DAIRY, 1),
    (Sector.FRUIT_VEGETABLE, 1),
)
GRANT_PURPOSE = texts.Wording(
    "Blerja e pajisjeve për zgjerimin e prodhimit dhe punësimin e punëtorëve të rinj.",
    "Nabavka opreme za proširenje proizvodnje i zapošljavanje novih radnika.",
)

# How names were written on sign-in sheets.
CYRILLIC_SHARE = 0.15  # of Serb names
ASCII_SHARE = 0.10  # of all names: typed without diacritics
SECOND_RECORD_SHARE = 0.12
"""Of attendees who come back to another activity, the share whom that activity's sheet
registered as a new person record, their name written another way (Cyrillic or Latin, the other
community's orthography, without diacritics, family name first). Identity resolution merges
these records again, so the unique-person figures come out of it."""
# How much of a person is known.
BIRTH_DATE_SHARE, BIRTH_YEAR_SHARE = 0.82, 0.11  # the rest: no birth data at all
PREFER_NOT_TO_SAY_SHARE, NO_COMMUNITY_SHARE = 0.02, 0.03
UNKNOWN_SEX_SHARE = 0.015  # of citizens on debate, hearing and joint-activity rosters

REQUIRED_COMMUNITIES = frozenset(
    code for mix in COMMUNITY_MIX.values() for code, _weight in mix
) | {"prefer-not-to-say"}
REQUIRED_COMPONENTS = frozenset({"communication", "economic", "municipal", "local-partners"})
REQUIRED_TOPICS = frozenset(
    {
        "law-on-use-of-languages", "municipal-budget", "municipal-regulations",
        "community-rights", "management", "property-tax", "business-development",
        "infrastructure", *FARMER_TRAINING_PLACES,
    }
)  # fmt: skip

MODULE_SIZE = 30
"""Most trainees one management or property-tax session takes; larger groups are split."""
