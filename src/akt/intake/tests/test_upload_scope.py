"""A focal point reads, in a file someone else uploaded for an activity of theirs, only the rows
of their own municipality's residents: a municipality cell the sheet could not read (misspelt,
half Cyrillic) does not make a resident of somewhere else theirs to read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from akt.accounts.models import User
from akt.activities.models import Activity
from akt.intake.models import ImportBatch
from akt.intake.services import import_check, import_receive
from akt.testing.factories import ActivityFactory, municipality

pytestmark = pytest.mark.django_db

# A Gračanica meeting's sign-in sheet typed by an officer in a hurry: one resident of Gračanica,
# one of Zvečan written the Serbian way, one whose municipality is misspelt beyond reading, one
# with the cell left blank (a resident of the meeting's municipality).
SHEET = (
    "Emri,Mbiemri,Gjinia,Datëlindja,Komuna,Komuniteti\n"
    "Dragana,Stojanović,F,1984-05-11,Gračanica,Serb\n"
    "Miloš,Đorđević,M,1979-02-03,Zvečan,Serb\n"
    "Nenad,Јовановић,M,1991-09-30,Zvecann xx,Serb\n"
    "Arta,Hoxha,F,1990,,Shqiptar\n"
).encode()


@pytest.fixture
def meeting(reference: None) -> Activity:
    return ActivityFactory(title="Takim me fermerët", municipality=municipality("gracanice"))


def uploaded_by(user: User, activity: Activity) -> ImportBatch:
    batch = import_receive(actor=user, data=SHEET, file_name="lista.csv", activity=activity)
    return import_check(actor=user, batch=batch)


def test_a_focal_point_reads_no_row_whose_municipality_could_not_be_read(
    client_for, personas: dict[str, User], meeting: Activity
) -> None:
    batch = uploaded_by(personas["me"], meeting)
    html = (
        client_for("focal_gracanica")
        .get(reverse("intake:batch_detail", args=[batch.pk]))
        .content.decode()
    )
    assert "Stojanović" in html
    assert "Hoxha" in html  # blank cell: a resident of the meeting's municipality
    assert "Đorđević" not in html  # a resident of Zvečan
    assert "Јовановић" not in html  # misspelt municipality: nobody's resident
    assert "1991" not in html


def test_the_marked_copy_withholds_the_same_rows(
    client_for, personas: dict[str, User], meeting: Activity
) -> None:
    batch = uploaded_by(personas["me"], meeting)
    response = client_for("focal_gracanica").get(reverse("intake:batch_problems", args=[batch.pk]))
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    cells = {
        str(cell.value)
        for row in load_workbook(BytesIO(response.content)).active.iter_rows()
        for cell in row
        if cell.value is not None
    }
    assert not any("Јовановић" in value for value in cells)


def test_the_uploader_and_the_officer_read_every_row(
    client_for, personas: dict[str, User], meeting: Activity
) -> None:
    own = uploaded_by(personas["focal_gracanica"], meeting)
    html = (
        client_for("focal_gracanica").get(reverse("intake:batch_detail", args=[own.pk])).content
    ).decode()
    assert "Јовановић" in html
    officer_html = (
        client_for("me").get(reverse("intake:batch_detail", args=[own.pk])).content
    ).decode()
    assert "Јовановић" in officer_html and "Đorđević" in officer_html
