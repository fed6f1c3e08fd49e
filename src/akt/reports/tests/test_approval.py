"""Approving a quarter: the figures it keeps, the report it reproduces, the rule it sets."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from akt.accounts.models import AuditEntry, User
from akt.accounts.services import change_reason
from akt.activities import services as activity_services
from akt.activities.models import Attendance
from akt.counting.engine import fiscal_quarter
from akt.indicators.selectors import results_compute
from akt.linkage.services import person_merge
from akt.people.models import Person
from akt.reports import approval
from akt.reports.models import PeriodSnapshot, PeriodStatus, ReportingPeriod
from akt.reports.services import (
    approved_report,
    period_approve,
    period_differences,
    period_return,
    period_submit,
    snapshot_check,
)
from akt.reports.tests import records
from akt.reports.tests.records import Place
from akt.testing.factories import PersonFactory, UserFactory, municipality

pytestmark = pytest.mark.django_db

FY, Q = 2015, 3  # April to June 2015: the records' debates are on 12 May 2015


@pytest.fixture
def second_officer(personas: dict[str, User]) -> User:
    return UserFactory(username="me2", role="me_officer", first_name="Drita", last_name="Berisha")


def approved(personas: dict[str, User], reviewer: User) -> PeriodSnapshot:
    period = period_submit(actor=personas["me"], fiscal_year=FY, quarter=Q, note="All sheets in.")
    return period_approve(actor=reviewer, period=period)


def quarter_values() -> dict[str, object]:
    return {item.indicator.code: item.figures.value for item in results_compute(
        window=fiscal_quarter(FY, Q))}  # fmt: skip


# -- the workflow ------------------------------------------------------------------------------


def test_an_officer_submits_another_returns_then_approves(
    two_places: dict[str, Place], personas: dict[str, User], second_officer: User
) -> None:
    me = personas["me"]
    period = period_submit(actor=me, fiscal_year=FY, quarter=Q, note="First go.")
    assert period.status == PeriodStatus.SUBMITTED

    with pytest.raises(ValidationError) as own:
        period_approve(actor=me, period=period)
    assert own.value.code == "own-submission"
    with pytest.raises(ValidationError):
        period_return(actor=second_officer, period=period, comment="  ")

    period = period_return(actor=second_officer, period=period, comment="Zvečan sheets missing.")
    assert period.status == PeriodStatus.RETURNED
    assert period.review_comment == "Zvečan sheets missing."
    with pytest.raises(ValidationError):
        period_approve(actor=second_officer, period=period)  # returned, not submitted

    period = period_submit(actor=me, fiscal_year=FY, quarter=Q, note="Now complete.")
    snapshot = period_approve(actor=second_officer, period=period)

    period.refresh_from_db()
    assert period.status == PeriodStatus.APPROVED
    assert snapshot.approved_by == second_officer
    actions = list(
        AuditEntry.objects.filter(target_type="reports.reportingperiod")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["period_submit", "period_return", "period_submit", "period_approve"]
    with pytest.raises(ValidationError):
        period_submit(actor=me, fiscal_year=FY, quarter=Q)  # approved: not submitted again


@pytest.mark.parametrize("persona", ["staff", "focal_gracanica", "donor"])
def test_only_officers_and_administrators_submit_and_approve(
    two_places: dict[str, Place], personas: dict[str, User], persona: str
) -> None:
    with pytest.raises(PermissionDenied):
        period_submit(actor=personas[persona], fiscal_year=FY, quarter=Q)
    period = period_submit(actor=personas["me"], fiscal_year=FY, quarter=Q)
    with pytest.raises(PermissionDenied):
        period_approve(actor=personas[persona], period=period)
    assert not PeriodSnapshot.objects.exists()


# -- what approval keeps -----------------------------------------------------------------------


def test_approval_keeps_the_figures_the_records_gave(
    two_places: dict[str, Place], personas: dict[str, User]
) -> None:
    snapshot = approved(personas, personas["admin"])

    kept = {code: row["value"] for code, row in snapshot.figures["quarter"].items()}
    assert kept == {code: str(value) for code, value in quarter_values().items()}
    assert kept["lul-debates"] == "6"  # 2 debates in Gračanica, 4 in Zvečan
    assert snapshot_check(snapshot)
    facts = approval.unpack_facts(bytes(snapshot.facts))
    assert len(facts) > 20
    assert snapshot.linkage["resolved_persons"] == approval.linkage_fingerprint(facts)


def test_the_approved_report_is_reproduced_byte_for_byte_after_the_data_change(
    two_places: dict[str, Place], personas: dict[str, User], second_officer: User
) -> None:
    """The issue's test: approve a quarter, change the records under it (a roster row added
    with a reason, a person's sex corrected, two persons merged), and the approved report is
    the same bytes in every language, while the live figures moved and the page lists the
    difference."""
    snapshot = approved(personas, second_officer)
    reports = {language: approved_report(snapshot, language) for language in approval.LANGUAGES}
    before = quarter_values()

    debate = two_places["gracanice"].debates[0]
    newcomer = PersonFactory(municipality=municipality("gracanice"), sex="female")
    with change_reason("A late sign-in sheet from the Gračanica debate."):
        activity_services.attendance_add(actor=personas["me"], activity=debate, person=newcomer)
    # Two records of one person on two debates of the quarter, resolved as one person.
    first = Person.objects.filter(attendances__activity=debate).order_by("pk").first()
    other = (
        Attendance.objects.exclude(activity=debate)
        .filter(activity__start_date=debate.start_date)
        .first()
    )
    person_merge(actor=personas["me"], survivor=first, others=[other.person], reason="One person.")

    after = quarter_values()
    assert after["lul-debate-participants"] == before["lul-debate-participants"] + 1
    snapshot = PeriodSnapshot.objects.get(pk=snapshot.pk)
    assert snapshot_check(snapshot)
    for language, content in reports.items():
        assert approved_report(snapshot, language) == content

    differences = period_differences(snapshot)
    participants = [
        item
        for item in differences
        if item["indicator"] == "lul-debate-participants" and item["dimension"] is None
    ]
    assert {item["window"] for item in participants} == {"quarter", "year_to_date"}
    quarter = next(item for item in participants if item["window"] == "quarter")
    assert int(quarter["live"]) - int(quarter["approved"]) == 1


def test_the_report_says_what_was_approved_in_each_language(
    two_places: dict[str, Place], personas: dict[str, User], second_officer: User
) -> None:
    snapshot = approved(personas, second_officer)
    rows = list(csv.reader(io.StringIO(approved_report(snapshot, "sq").decode("utf-8-sig"))))
    assert "2015" in rows[0][0]
    assert "Drita Berisha" in rows[0][0]
    debates = next(row for row in rows if row[:1] == ["lul-debates"])
    assert debates[1] == "Debate publike për Ligjin për përdorimin e gjuhëve"
    assert debates[4] == "6"
    serbian = approved_report(snapshot, "sr").decode("utf-8-sig")
    assert "Јавне дебате о Закону о употреби језика" in serbian


# -- the rule approval sets --------------------------------------------------------------------


def test_a_record_of_an_approved_quarter_changes_only_with_a_reason(
    two_places: dict[str, Place], personas: dict[str, User], second_officer: User
) -> None:
    approved(personas, second_officer)
    debate = two_places["zvecan"].debates[0]
    person = PersonFactory(municipality=municipality("zvecan"))
    rows = Attendance.objects.count()

    with pytest.raises(ValidationError) as refused:
        activity_services.attendance_add(actor=personas["me"], activity=debate, person=person)
    assert "FY 2015, Q3 is approved" in " ".join(refused.value.messages)
    assert Attendance.objects.count() == rows

    with change_reason("Sheet found in the Zvečan office."):
        added = activity_services.attendance_add(
            actor=personas["me"], activity=debate, person=person
        )
    entry = AuditEntry.objects.get(action="attendance_add", target_id=str(added.pk))
    assert entry.reason == "Sheet found in the Zvečan office."
    assert entry.changes["approved_periods"] == ["fy2015q3"]

    # Moving an activity out of the approved quarter is a change to it too.
    with pytest.raises(ValidationError):
        activity_services.activity_update(
            actor=personas["me"],
            activity=debate,
            data={"start_date": dt.date(2015, 7, 2), "end_date": dt.date(2015, 7, 2)},
        )
    # A quarter not approved changes freely.
    later = records.debate("zvecan", "A winter debate", start=dt.date(2016, 1, 12))
    activity_services.activity_update(
        actor=personas["me"],
        activity=later,
        data={"start_date": dt.date(2015, 7, 2), "end_date": dt.date(2015, 7, 2)},
    )


def test_a_quarter_only_submitted_sets_no_rule(
    two_places: dict[str, Place], personas: dict[str, User]
) -> None:
    period_submit(actor=personas["me"], fiscal_year=FY, quarter=Q)
    person = PersonFactory(municipality=municipality("zvecan"))
    activity_services.attendance_add(
        actor=personas["me"], activity=two_places["zvecan"].debates[0], person=person
    )


# -- the pages ---------------------------------------------------------------------------------


def period_url(name: str = "period") -> str:
    return reverse(f"reports:{name}", args=[FY, Q])


def test_anonymous_visitors_are_sent_to_sign_in(client_for, two_places) -> None:
    for url in (reverse("reports:periods"), period_url(), period_url("period_report")):
        response = client_for(None).get(url)
        assert response.status_code == 302
    response = client_for(None).post(period_url("period_submit"))
    assert response.status_code == 302
    assert not ReportingPeriod.objects.exists()


def test_the_pages_follow_the_quarter_through_its_approval(
    client_for, two_places, personas, second_officer
) -> None:
    officer = client_for("me")
    listing = officer.get(reverse("reports:periods")).content.decode()
    assert period_url() in listing
    page = officer.get(period_url()).content.decode()
    assert "Submit the quarter" in page

    officer.post(period_url("period_submit"), {"note": "All in."})
    page = officer.get(period_url()).content.decode()
    assert "Submitted for approval" in page and "Approve the quarter" not in page

    reviewer = client_for(None)
    reviewer.force_login(second_officer)
    assert "Approve the quarter" in reviewer.get(period_url()).content.decode()
    reviewer.post(period_url("period_approve"))
    assert ReportingPeriod.objects.get().status == PeriodStatus.APPROVED

    debate = two_places["gracanice"].debates[0]
    officer.post(
        reverse("activities:attendance_add", args=[debate.pk]),
        {
            "how": "existing",
            "person": PersonFactory(municipality=municipality("gracanice")).pk,
            "role": "participant",
            "reason": "Late sheet.",
        },
    )
    page = officer.get(period_url()).content.decode()
    assert "Differences from the approved figures" in page
    assert "The records now give" in page
    assert "Late sheet." in page  # the change, who made it and why

    donor = client_for("donor").get(period_url()).content.decode()
    assert "Differences from the approved figures" in donor
    assert "Late sheet." not in donor  # who changed what is for the officers
    assert "Approve the quarter" not in donor and "Submit the quarter" not in donor
    report = client_for("donor").get(period_url("period_report") + "?language=en")
    assert report.status_code == 200
    assert report["Content-Type"].startswith("text/csv")

    focal = client_for("focal_gracanica")
    page = focal.get(period_url()).content.decode()
    assert "Approved" in page and "Differences from the approved figures" not in page
    assert focal.get(period_url("period_report")).status_code == 403


@pytest.mark.parametrize("persona", ["staff", "focal_gracanica", "donor"])
def test_other_roles_cannot_submit_approve_or_return(client_for, two_places, persona) -> None:
    client = client_for(persona)
    assert client.post(period_url("period_submit")).status_code == 403
    assert not ReportingPeriod.objects.exists()


def test_a_quarter_outside_the_program_is_not_found(client_for, two_places) -> None:
    assert client_for("me").get(reverse("reports:period", args=[2019, 1])).status_code == 404


def test_an_approved_figure_opens_into_the_records_it_was_approved_on(
    client_for, two_places, personas, second_officer
) -> None:
    approved(personas, second_officer)
    url = reverse("reports:period_figure", args=[FY, Q, "lul-debate-participants", "quarter"])
    late = records.debate(
        "gracanice", "A debate entered after approval", start=dt.date(2015, 5, 20)
    )
    with change_reason("Entered late."):
        activity_services.attendance_add(
            actor=personas["me"],
            activity=late,
            person=PersonFactory(municipality=municipality("gracanice")),
        )

    page = client_for("me").get(url)
    titles = {row.activity.title for row in page.context["records"].rows}
    assert len(titles) == 6  # the six approved debates
    assert "A debate entered after approval" not in titles
    assert page.context["value"] == "28"  # 14 named and 14 counted heads, as approved

    assert client_for("donor").get(url).status_code == 200
    assert client_for("focal_gracanica").get(url).status_code == 403
    bad = reverse("reports:period_figure", args=[FY, Q, "lul-debate-participants", "decade"])
    assert client_for("me").get(bad).status_code == 404
