"""Fixtures for the results pages' tests (the records themselves are built in ``records.py``)."""

from __future__ import annotations

import pytest

from akt.reports.tests.records import ZVECAN_MARK, Place, populate


@pytest.fixture
def two_places(reference: None) -> dict[str, Place]:
    """Gračanica: 2 debates x 3 attendees + 5 heads. Zvečan: 4 debates x 2 attendees + 9 heads."""
    return {
        "gracanice": populate("gracanice", debates=2, attendees=3, heads=5, mark="Gracanica"),
        "zvecan": populate("zvecan", debates=4, attendees=2, heads=9, mark=ZVECAN_MARK),
    }
