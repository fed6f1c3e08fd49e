"""Defects seen on the way (issue 10, item 11), each with the test that failed before its fix."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from akt.accounts.models import User
from akt.accounts.services import change_reason
from akt.activities import services as activity_services
from akt.linkage.models import MergeSource, PersonMerge
from akt.people.forms import SEARCH_MAX_LENGTH
from akt.reports.services import period_approve, period_submit
from akt.testing.factories import (
    ActivityFactory,
    PersonFactory,
    UserFactory,
    component,
    municipality,
)

pytestmark = pytest.mark.django_db


def test_the_merge_history_opens_with_merges_the_batch_run_made(client_for, personas) -> None:
    """``registry_link(actor=None)`` records its merges without a person: the page named the
    merger through ``actor.username`` and failed on None."""
    kept = PersonFactory(given_name="Arbër", family_name="Gashi", birth_year=1985)
    merged = PersonFactory(given_name="Arber", family_name="Gashi", birth_year=1985)
    merge = PersonMerge.objects.create(
        survivor=kept,
        merged=[merged.pk],
        previous_identities={str(merged.pk): None},
        actor=None,
        source=MergeSource.BATCH,
        probability=0.998,
    )
    merged.identity = kept
    merged.save()

    response = client_for("me").get(reverse("linkage:merge_list"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Batch linkage" in page
    assert reverse("linkage:merge_split", args=[merge.pk]) in page  # it can still be undone


def test_a_quarter_page_opens_after_the_user_who_changed_its_records_is_deleted(
    client_for,
    personas: dict[str, User],
) -> None:
    activity = ActivityFactory(start_date=dt.date(2015, 5, 12))
    period = period_submit(actor=personas["me"], fiscal_year=2015, quarter=3)
    period_approve(actor=UserFactory(username="second-officer"), period=period)
    clerk = UserFactory(username="temporary-clerk", role="me_officer")
    with change_reason("The venue was wrong on the sheet."):
        activity_services.activity_update(
            actor=clerk, activity=activity, data={"venue": "Salla e Kuvendit"}
        )
    clerk.delete()

    response = client_for("me").get(reverse("reports:period", args=[2015, 3]))

    assert response.status_code == 200
    assert "The venue was wrong on the sheet." in response.content.decode()


def test_the_person_search_is_capped_with_a_message(client_for, personas) -> None:
    PersonFactory(given_name="Drita", family_name="Krasniqi")
    client = client_for("me")
    long_search = "Krasniqi " * 3400  # 30,600 characters, pasted by mistake

    response = client.get(reverse("people:person_list"), {"q": long_search})

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Search for at most {SEARCH_MAX_LENGTH} characters of a name" in page
    assert "Krasniqi</a>" not in page  # a refused search lists nobody, not everyone
    found = client.get(reverse("people:person_list"), {"q": "krasniqi"}).content.decode()
    assert "Krasniqi" in found


def activity_form(start: str, **extra: str) -> dict[str, str]:
    return {
        "title": "Dëgjim publik – buxheti 2018",
        "kind": "public_hearing",
        "component": str(component().pk),
        "municipality": str(municipality("gjilan").pk),
        "start_date": start,
        "end_date": start,
        **extra,
    }


def test_an_activity_dated_outside_the_program_is_warned_about_and_kept_when_confirmed(
    client_for,
    personas: dict[str, User],
) -> None:
    from akt.activities.models import Activity

    client = client_for("me")
    url = reverse("activities:create")

    # 2107 for 2017: the usual slip.
    warned = client.post(url, activity_form("2107-03-14"))
    assert warned.status_code == 200
    assert "outside the program" in warned.content.decode()
    assert not Activity.objects.filter(title__startswith="Dëgjim publik").exists()

    # Follow-up after the program's end, confirmed: kept.
    kept = client.post(url, activity_form("2017-09-20", dates_confirmed="on"))
    assert kept.status_code == 302
    assert Activity.objects.get(title__startswith="Dëgjim publik").start_date == dt.date(
        2017, 9, 20
    )
    # Inside the program: no question.
    inside = client.post(url, activity_form("2016-03-14", title="Takim"))
    assert inside.status_code == 302


def test_an_import_into_an_activity_outside_the_program_warns(
    tmp_path,
    personas: dict[str, User],
) -> None:
    activity = ActivityFactory(start_date=dt.date(2013, 11, 5))  # before April 2014
    sheet = tmp_path / "lista.csv"
    sheet.write_text("Emri,Mbiemri,Gjinia\nBesnik,Hoxha,M\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "import", str(sheet), "--activity", str(activity.pk), "--user", "me",
        "--no-progress", stdout=out, stderr=err,
    )  # fmt: skip

    assert activity.attendances.count() == 1  # a warning, not a refusal
    assert "outside the program" in err.getvalue()
