"""The reference sheet's data quality section: the records an indicator counts that have their
evidence on file, and the first of those without it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from akt.accounts.models import User
from akt.activities.models import ActivityKind
from akt.evidence.services import attachment_add
from akt.testing.factories import ActivityFactory, municipality, topic

pytestmark = pytest.mark.django_db

SHEET = b"%PDF-1.4\n% lista\n%%EOF\n"


def test_the_sheet_counts_the_debates_with_their_signed_sheet(
    reference: None, personas: dict[str, User], client_for
) -> None:
    debates = []
    for day in (3, 10, 17):
        debate = ActivityFactory(
            title=f"Debat publik {day}.05.2015",
            kind=ActivityKind.PUBLIC_DEBATE,
            municipality=municipality("gjilan"),
            start_date=dt.date(2015, 5, day),
        )
        debate.topics.add(topic("law-on-use-of-languages"))
        debates.append(debate)
    for debate in debates[:2]:
        attachment_add(
            actor=personas["me"],
            target=debate,
            kind="sign_in_sheet",
            title="Lista",
            file_name="lista.pdf",
            data=SHEET + str(debate.pk).encode(),
        )
    # A photo is evidence too, but not the sheet the debates' figure rests on.
    attachment_add(
        actor=personas["me"],
        target=debates[2],
        kind="photo",
        title="Foto",
        file_name="foto.png",
        data=b"\x89PNG\r\n\x1a\n" + bytes(30),
    )
    page = client_for("donor").get(reverse("indicators:sheet", args=["lul-debates"]))
    text = page.content.decode()
    assert "2 of the 3 records this indicator counts" in text and "67%" in text
    assert "Debat publik 17.05.2015" in text  # the one without its sheet, listed
