"""Who the program worked with, by partner municipality: shared by the demo and the benchmarks.

Plain data with no Django import, so the demo generator and the synthetic benchmark records
(which run in a bare process) draw people from the same mix.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Who lives where: community weights of the people the program worked with in each partner
# municipality (domain.md 3.2; the north from OSCE profiles). Participants are somewhat more mixed
# than the census, as the program sought out non-majority communities.
COMMUNITY_MIX: Mapping[str, tuple[tuple[str, float], ...]] = MappingProxyType(
    {
        "gracanice": (("serb", 80), ("albanian", 14), ("roma", 4), ("ashkali", 2)),
        "kllokot": (("serb", 70), ("albanian", 28), ("roma", 2)),
        "novoberde": (("serb", 58), ("albanian", 40), ("roma", 2)),
        "partesh": (("serb", 93), ("roma", 4), ("albanian", 3)),
        "ranillug": (("serb", 93), ("albanian", 6), ("roma", 1)),
        "shterpce": (("serb", 68), ("albanian", 30), ("roma", 2)),
        "mitrovice-e-veriut": (
            ("serb", 74), ("albanian", 15), ("bosniak", 5), ("gorani", 2), ("roma", 2),
            ("turkish", 1), ("ashkali", 1),
        ),
        "leposaviq": (("serb", 94), ("albanian", 3), ("bosniak", 3)),
        "zubin-potok": (("serb", 92), ("albanian", 8)),
        "zvecan": (("serb", 95), ("albanian", 3), ("roma", 2)),
        "gjilan": (("albanian", 84), ("serb", 8), ("turkish", 5), ("roma", 3)),
        "istog": (
            ("albanian", 86), ("bosniak", 6), ("serb", 3), ("roma", 2), ("egyptian", 2),
            ("ashkali", 1),
        ),
        "kline": (("albanian", 86), ("serb", 5), ("roma", 3), ("ashkali", 3), ("egyptian", 3)),
        "obiliq": (("albanian", 85), ("serb", 7), ("ashkali", 5), ("roma", 3)),
        "peje": (
            ("albanian", 82), ("bosniak", 7), ("egyptian", 4), ("serb", 3), ("roma", 3),
            ("ashkali", 1),
        ),
        "vushtrri": (("albanian", 88), ("ashkali", 5), ("serb", 4), ("roma", 3)),
    }
)  # fmt: skip

# Relative size of each municipality's administration and population served.
MUNICIPALITY_SIZE: Mapping[str, int] = MappingProxyType(
    {
        "gjilan": 16, "peje": 16, "vushtrri": 13, "istog": 11, "kline": 11, "obiliq": 10,
        "gracanice": 10, "mitrovice-e-veriut": 11, "shterpce": 8, "leposaviq": 9, "zvecan": 7,
        "zubin-potok": 7, "novoberde": 7, "kllokot": 4, "partesh": 4, "ranillug": 5,
    }
)  # fmt: skip
