"""Dates and times as each language writes them, on the pages as in the formats."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from akt.counting.periods import Period, PeriodKind
from akt.translation import period_label

MOMENT = dt.datetime(2026, 12, 7, 16, 4, tzinfo=ZoneInfo("Europe/Belgrade"))

WRITTEN = {
    # language: (short date-time, short date, long date)
    "sq": ("07.12.2026 16:04", "07.12.2026", "7 dhjetor 2026"),
    "sr-latn": ("7. 12. 2026. 16:04", "7. 12. 2026.", "7. decembar 2026."),
    "sr": ("7. 12. 2026. 16:04", "7. 12. 2026.", "7. децембар 2026."),
    "en": ("12/07/2026 4:04 p.m.", "12/07/2026", "Dec. 7, 2026"),
}


@pytest.mark.parametrize("language", list(WRITTEN))
def test_dates_and_times_are_written_as_the_language_writes_them(language: str) -> None:
    """Albanian pages wrote the American "12/07/2026 4:04 a.m.": Django has no Albanian
    date-time format, and its Albanian months are capitalised, which Albanian does not do."""
    with translation.override(language):
        shown = (
            date_format(MOMENT.replace(tzinfo=None), "SHORT_DATETIME_FORMAT"),
            date_format(MOMENT.date(), "SHORT_DATE_FORMAT"),
            date_format(MOMENT.date(), "DATE_FORMAT"),
        )
    assert shown == WRITTEN[language]


def test_albanian_months_are_written_in_lower_case_mid_sentence() -> None:
    quarter = Period(2016, 1, PeriodKind.QUARTER)
    with translation.override("sq"):
        label = period_label(quarter, months=True)
    assert "(tetor – dhjetor 2015)" in label


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sq", "sr-latn", "sr"])
def test_the_merge_history_writes_when_as_the_reader_does(
    client_for, personas, reference: None, language: str
) -> None:
    from akt.linkage.models import PersonMerge
    from akt.linkage.services import person_merge
    from akt.testing.factories import PersonFactory

    merge = person_merge(
        actor=personas["me"], survivor=PersonFactory(), others=[PersonFactory()], reason="same"
    )
    PersonMerge.objects.filter(pk=merge.pk).update(at=MOMENT)
    client = client_for("me")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("linkage:merge_list")).content.decode()
    assert f'<td class="date">{WRITTEN[language][0]}</td>' in html
    assert "p.m." not in html and "a.m." not in html
