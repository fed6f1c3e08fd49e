"""The tally table is a pure arrangement of cells: tested on unsaved records, no database."""

from __future__ import annotations

from akt.activities.models import Tally
from akt.activities.views import tally_table
from akt.places.models import Community

SERB = Community(pk=2, code="serb", name_en="Serb", sort_order=1)
ALBANIAN = Community(pk=1, code="albanian", name_en="Albanian", sort_order=0)


def cell(sex: str, community: Community | None, band: str, count: int) -> Tally:
    return Tally(sex=sex, community=community, age_band=band, headcount=count)


def test_no_cells_make_no_table() -> None:
    assert tally_table([]) is None


def test_rows_columns_and_totals() -> None:
    table = tally_table(
        [
            cell("male", SERB, "30+", 10),
            cell("female", ALBANIAN, "15-29", 4),
            cell("female", SERB, "30+", 6),
            cell("", None, "", 2),
        ]
    )
    assert table is not None
    # Only the values that occur, in their natural order, unknown last.
    assert table.sexes == [("Female", 2 + 1), ("Male", 3), ("Unknown", 3)]
    assert table.age_bands == ["15 to 29", "30 and over", "Unknown"] * 3
    assert [row.label for row in table.rows] == ["Albanian", "Serb", "Unknown"]
    serb = table.rows[1]
    assert serb.cells == [0, 6, 0, 0, 10, 0, 0, 0, 0]
    assert serb.total == 16
    assert table.column_totals == [4, 6, 0, 0, 10, 0, 0, 0, 2]
    assert table.total == 22 == sum(row.total for row in table.rows)
