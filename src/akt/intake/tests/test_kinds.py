"""Lists of records imported through the intake path (issue 10, item 8).

What an M&E officer checks after loading an office's lists: every row became one record, with
its values read in whatever language the clerk wrote them and traceable to its file and row; a
bad row is named by row, column and value and nothing at all is stored; the same list imported
again changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from akt.accounts.models import AuditEntry, User
from akt.activities.models import Activity, ActivityKind, AttendanceForm
from akt.capacity.models import CapacityDevelopmentPlan, PlanAction
from akt.grants.models import Grant
from akt.infrastructure.models import InfrastructureProject
from akt.intake.kinds.activities import COMPONENT, ActivitiesKind
from akt.intake.kinds.organizations import MUNICIPALITY
from akt.intake.models import BatchStatus, ImportBatch
from akt.intake.services import import_check, import_commit, import_receive, import_rollback
from akt.intake.templates_xlsx import record_template
from akt.intake.validation import Problem, problems_of
from akt.people.models import Organization
from akt.places.models import Municipality
from akt.program.models import Component
from akt.testing.factories import municipality


def csv_file(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_file(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def checked(actor: User, data: bytes, name: str, kind: str) -> ImportBatch:
    batch = import_receive(actor=actor, data=data, file_name=name, kind=kind)
    return import_check(actor=actor, batch=batch)


def imported(actor: User, data: bytes, name: str, kind: str) -> ImportBatch:
    batch = checked(actor, data, name, kind)
    assert batch.problem_count == 0, [problem.message for problem in problems(batch)]
    return import_commit(actor=actor, batch=batch)


def problems(batch: ImportBatch) -> list[Problem]:
    return [problem for row in batch.rows for problem in problems_of(row)]


def where(batch: ImportBatch) -> list[tuple[int, str, str, str]]:
    """Each problem as the officer reads it: row, column, value and the code of the reason."""
    return [(p.row, p.column, p.value, p.code) for p in problems(batch)]


ORGANIZATIONS = (
    ("Nr.", "Emri", "Lloji", "Sektori", "Komuna"),
    [
        ("ORG-01", "Bletaria Gashi", "Biznes", "Bletaria", "Gjilan"),
        ("ORG-02", "Farma Krasniqi", "farm", "Agriculture", "Kamenicë"),
        ("ORG-03", "Mlekara Stanković", "Предузеће", "Prerada mleka", "Грачаница"),
    ],
)

ACTIVITIES = (
    (
        "Ref",
        "Titulli",
        "Lloji",
        "Tema",
        "Data e fillimit",
        "Data e perfundimit",
        "Komuna",
        "Komponenti",
        "Vendi",
        "Organizatori",
        "Evidentimi",
    ),
    [
        (
            "A-2015-001",
            "Debat publik për Ligjin për përdorimin e gjuhëve",
            "Debat publik",
            "Ligji për përdorimin e gjuhëve",
            "12.03.2015",
            "",
            "Gjilan",
            "1",
            "Salla e Kuvendit",
            "",
            "",
        ),
        (
            "A-2015-002",
            "Javna rasprava o budžetu",
            "Javna rasprava",
            "Opštinski budžet; municipal-regulations",
            "2015-04-20",
            "2015-04-21",
            "Gračanica",
            "Interethnic communication",
            "",
            "Mlekara Stanković",
            "Roster of names",
        ),
        (
            "A-2015-003",
            "Отварање пијаце",
            "Заједничка међуетничка активност",
            "",
            "2015-06-01",
            "",
            "Звечан",
            "Komunikimi ndëretnik",
            "",
            "ORG-01",
            "tally",
        ),
    ],
)


def test_an_activity_list_in_mixed_languages_becomes_one_activity_per_row_traceable_to_it(
    personas: dict[str, User],
) -> None:
    me = personas["me"]
    imported(me, csv_file(*ORGANIZATIONS), "organizations.csv", "organizations")

    batch = imported(me, xlsx_file(*ACTIVITIES), "aktivitetet 2015.xlsx", "activities")

    assert batch.summary == {"rows": 3, "created": 3, "unchanged": 0}
    debate, hearing, opening = Activity.objects.order_by("external_ref")
    assert (debate.kind, debate.start_date, debate.end_date) == (
        "public_debate",
        date(2015, 3, 12),
        date(2015, 3, 12),  # a one-day activity: no end date written
    )
    assert debate.municipality == municipality("gjilan")
    assert debate.component.number == 1
    assert list(debate.topics.values_list("code", flat=True)) == ["law-on-use-of-languages"]
    assert (hearing.kind, hearing.end_date) == ("public_hearing", date(2015, 4, 21))
    assert sorted(hearing.topics.values_list("code", flat=True)) == [
        "municipal-budget",
        "municipal-regulations",
    ]
    assert hearing.organizer.name == "Mlekara Stanković"  # named by its name
    assert hearing.attendance_form == AttendanceForm.ROSTER
    assert (opening.kind, opening.municipality) == ("joint_activity", municipality("zvecan"))
    assert opening.organizer.external_ref == "ORG-01"  # named by its reference
    assert opening.attendance_form == AttendanceForm.TALLY
    assert [(a.batch_id, a.source_row) for a in (debate, hearing, opening)] == [
        (batch.pk, 2),
        (batch.pk, 3),
        (batch.pk, 4),
    ]
    assert AuditEntry.objects.filter(action="activity_create").count() == 3


def test_the_same_list_imported_again_is_recognised_row_by_row_and_changes_nothing(
    personas: dict[str, User],
) -> None:
    me = personas["me"]
    imported(me, csv_file(*ORGANIZATIONS), "organizations.csv", "organizations")
    imported(me, xlsx_file(*ACTIVITIES), "activities.xlsx", "activities")
    headers, rows = ACTIVITIES
    one_more = ("A-2015-004", "Trajnim", "training", "", "2015-09-09", "", "Kamenica", "4")
    longer = [*rows, (*one_more, "", "", "")]

    again = imported(me, xlsx_file(headers, longer), "activities (updated).xlsx", "activities")

    assert again.summary == {"rows": 4, "created": 1, "unchanged": 3}
    assert Activity.objects.count() == 4
    assert Activity.objects.get(external_ref="A-2015-004").batch == again
    twice = imported(me, csv_file(*ORGANIZATIONS), "organizations.csv", "organizations")
    assert twice.summary == {"rows": 3, "created": 0, "unchanged": 3}
    assert Organization.objects.count() == 3


def test_a_changed_row_with_a_known_reference_is_refused_naming_the_stored_value(
    personas: dict[str, User],
) -> None:
    me = personas["me"]
    imported(me, csv_file(*ORGANIZATIONS), "organizations.csv", "organizations")
    imported(me, xlsx_file(*ACTIVITIES), "activities.xlsx", "activities")
    headers, rows = ACTIVITIES
    moved = [rows[0], (*rows[1][:4], "2015-04-13", *rows[1][5:]), rows[2]]

    batch = checked(me, xlsx_file(headers, moved), "activities.xlsx", "activities")

    assert where(batch) == [(3, "Data e fillimit", "2015-04-13", "reference-changed")]
    assert problems(batch)[0].message.startswith(
        "The record with reference A-2015-002 is already recorded with “2015-04-20” here, and "
        "this file says “2015-04-13”."
    )
    with pytest.raises(ValidationError):
        import_commit(actor=me, batch=batch)
    assert Activity.objects.get(external_ref="A-2015-002").start_date == date(2015, 4, 20)


BAD_ACTIVITIES = [
    ("A-1", "Sesion informues", "Koncert", "", "2015-05-05", "", "Gjilan", "1", "", "", ""),
    ("A-2", "Obuka", "Obuka", "", "2015-05-10", "09.05.2015", "Gnjilane", "1", "", "", ""),
    ("A-1", "Radionica", "Radionica", "", "2015-05-11", "", "Gnjilane", "1", "", "", ""),
    ("A-3", "Workshop", "workshop", "Astrologjia", "2015-05-12", "", "Gjilan", "9", "", "", ""),
]


def test_bad_rows_are_named_by_row_column_and_value_and_nothing_is_stored(
    personas: dict[str, User],
) -> None:
    headers = ACTIVITIES[0]

    batch = checked(personas["me"], xlsx_file(headers, BAD_ACTIVITIES), "a.xlsx", "activities")

    assert where(batch) == [
        (2, "Lloji", "Koncert", "choice"),
        (3, "Data e perfundimit", "09.05.2015", "date-order"),
        (4, "Ref", "A-1", "reference-duplicate"),
        (5, "Tema", "Astrologjia", "topic"),
        (5, "Komponenti", "9", "component"),
    ]
    messages = [problem.message for problem in problems(batch)]
    assert messages[0].startswith("“Koncert” is not a value of Kind of activity; write one of:")
    assert "Public hearing" in messages[0]
    assert "before Start date" in messages[1]
    assert "row 2 of this file" in messages[2]
    with pytest.raises(ValidationError):
        import_commit(actor=personas["me"], batch=batch)
    assert Activity.objects.count() == 0


GRANTS = (
    ("Nr. i grantit", "Përfituesi", "Komponenti", "Shuma", "Monedha", "Data", "Sektori"),
    [
        ("G-2015-01", "ORG-01", "2", "5.000,00", "EUR", "03.02.2015", ""),
        ("G-2015-02", "Farma Krasniqi", "Ekonomske mogućnosti", "$ 12,500", "", "2015-06-30", ""),
        ("G-2015-03", "Pekara Dukagjini", "2", "3000", "", "2015-07-01", "Services"),
    ],
)


def test_grants_name_their_organization_and_an_unknown_one_refuses_the_file(
    personas: dict[str, User],
) -> None:
    me = personas["me"]
    imported(me, csv_file(*ORGANIZATIONS), "organizations.csv", "organizations")

    batch = checked(me, csv_file(*GRANTS), "grantet.csv", "grants")

    assert where(batch) == [(4, "Përfituesi", "Pekara Dukagjini", "record-unknown")]
    assert problems(batch)[0].message.startswith(
        "No organization has the reference or name “Pekara Dukagjini”"
    )
    assert Grant.objects.count() == 0

    headers, rows = GRANTS
    batch = imported(me, csv_file(headers, rows[:2]), "grantet.csv", "grants")

    first, second = Grant.objects.order_by("reference")
    assert (first.recipient.external_ref, first.amount, first.currency) == (
        "ORG-01",
        Decimal("5000.00"),
        "EUR",
    )
    assert (first.municipality, first.sector) == (municipality("gjilan"), "beekeeping")
    assert (second.recipient.name, second.amount, second.currency) == (
        "Farma Krasniqi",
        Decimal("12500.00"),
        "USD",
    )
    assert second.component.number == 2
    assert (second.batch, second.source_row) == (batch, 3)


def test_plans_and_their_actions_import_and_an_action_names_its_plan(
    personas: dict[str, User],
) -> None:
    me = personas["me"]
    plans = (
        ("Ref", "Komuna", "Titulli", "Miratuar", "Prej", "Deri"),
        [
            ("P-GJ", "Gjilan", "Plani i zhvillimit të kapaciteteve", "15.01.2015", "2015", ""),
            ("P-ZV", "Zvečan", "Plan razvoja kapaciteta", "", "2015-02-01", "2016-01-31"),
        ],
    )
    refused = checked(me, csv_file(*plans), "plans.csv", "plans")
    assert where(refused) == [
        (2, "Prej", "2015", "date"),
        (2, "Deri", "", "required"),
    ]
    plans[1][0] = ("P-GJ", "Gjilan", "Plani i zhvillimit", "15.01.2015", "2015-01-01", "2016-12-31")
    imported(me, csv_file(*plans), "plans.csv", "plans")
    actions = (
        ("Ref", "Plani", "Titulli", "Fusha", "Statusi", "Afati"),
        [
            ("P-GJ-1", "P-GJ", "Trajnim për buxhetim", "Financat", "Në zbatim", "30.06.2015"),
            ("P-ZV-1", "Plan razvoja kapaciteta", "Obuka", "Finansije", "Završeno", ""),
        ],
    )

    batch = imported(me, csv_file(*actions), "actions.csv", "plan_actions")

    gjilan = CapacityDevelopmentPlan.objects.get(external_ref="P-GJ")
    assert (gjilan.status, gjilan.adopted_on) == ("adopted", date(2015, 1, 15))
    assert CapacityDevelopmentPlan.objects.get(external_ref="P-ZV").status == "draft"
    first, second = PlanAction.objects.order_by("external_ref")
    assert (first.plan, first.status, first.due_date) == (gjilan, "in_progress", date(2015, 6, 30))
    assert (second.plan.external_ref, second.status) == ("P-ZV", "done")
    assert PlanAction.objects.filter(batch=batch).count() == 2
    # "Financat" and "Finansije" name the finance area: the import takes it, keeping the words.
    assert [(action.area, action.capacity_area.code) for action in (first, second)] == [
        ("Financat", "finance"),
        ("Finansije", "finance"),
    ]


def test_infrastructure_projects_import_with_their_contributions(
    personas: dict[str, User],
) -> None:
    rows = (
        (
            "Kodi",
            "Titulli",
            "Komponenti",
            "Komuna",
            "Statusi",
            "Data e fillimit",
            "Data e përfundimit",
            "Kontributi i programit",
            "Bashkëfinancimi",
        ),
        [
            (
                "INF-01",
                "Rregullimi i parkut",
                "1",
                "Kamenicë",
                "Përfunduar",
                "2015-04-01",
                "2015-10-15",
                "25 000",
                "5 000",
            ),
            (
                "INF-02",
                "Sportski teren",
                "1",
                "Звечан",
                "",
                "2016-03-01",
                "2016-02-01",
                "10000",
                "",
            ),
        ],
    )
    refused = checked(personas["me"], xlsx_file(*rows), "projektet.xlsx", "projects")
    assert where(refused) == [(3, "Data e përfundimit", "2016-02-01", "date-order")]
    rows[1][1] = (*rows[1][1][:6], "", *rows[1][1][7:])

    imported(personas["me"], xlsx_file(*rows), "projektet.xlsx", "projects")

    park, field = InfrastructureProject.objects.order_by("code")
    assert (park.status, park.program_contribution, park.municipal_contribution) == (
        "completed",
        Decimal("25000.00"),
        Decimal("5000.00"),
    )
    assert (field.status, field.municipality, field.municipal_contribution) == (
        "planned",
        municipality("zvecan"),
        Decimal("0.00"),
    )


def test_an_unknown_kind_of_file_is_refused(personas: dict[str, User]) -> None:
    with pytest.raises(ValueError):
        import_receive(
            actor=personas["me"], data=csv_file(*ORGANIZATIONS), file_name="x.csv", kind="budgets"
        )


@pytest.mark.parametrize("persona", ["staff", "focal_gracanica", "donor"])
def test_only_officers_who_see_every_record_import_lists(
    personas: dict[str, User], persona: str
) -> None:
    with pytest.raises(PermissionDenied):
        import_receive(
            actor=personas[persona],
            data=xlsx_file(*ACTIVITIES),
            file_name="activities.xlsx",
            kind="activities",
        )
    assert ImportBatch.objects.count() == 0


def test_a_list_rolls_back_whole_but_not_while_other_records_use_it(
    personas: dict[str, User],
) -> None:
    me = personas["me"]
    organizations = imported(me, csv_file(*ORGANIZATIONS), "organizations.csv", "organizations")
    activities = imported(me, xlsx_file(*ACTIVITIES), "activities.xlsx", "activities")

    with pytest.raises(ValidationError) as caught:
        import_rollback(actor=me, batch=organizations, reason="Wrong municipality list")
    assert "used by" in " ".join(caught.value.messages)
    assert Organization.objects.count() == 3

    import_rollback(actor=me, batch=activities, reason="Imported the draft list")
    import_rollback(actor=me, batch=organizations, reason="Wrong municipality list")

    assert Activity.objects.count() == Organization.objects.count() == 0
    activities.refresh_from_db()
    assert activities.status == BatchStatus.ROLLED_BACK


@pytest.mark.parametrize("language", ["en", "sq", "sr-latn", "sr"])
def test_a_list_template_downloaded_in_any_language_is_filled_in_and_imported(
    personas: dict[str, User], language: str
) -> None:
    template = record_template(
        kind="activities",
        language=language,
        municipalities=Municipality.objects.all(),
        components=Component.objects.all(),
    )
    book = load_workbook(io.BytesIO(template))
    sheet, lists = book.worksheets[0], book["Lists"]
    offered = {
        lists.cell(row=1, column=column).value: [
            cell.value for cell in lists[get_column_letter(column)][1:] if cell.value
        ]
        for column in range(1, lists.max_column + 1)
    }
    headers = [cell.value for cell in sheet[1]]
    with translation.override(language):
        kind_label = str(ActivitiesKind.columns[2].label)
        component_label = str(COMPONENT.label)
        municipality_label = str(MUNICIPALITY.label)
        hearing = str(ActivityKind.PUBLIC_HEARING.label)
    assert hearing in offered[kind_label]  # the drop-down speaks the template's language
    values = {
        headers[0]: "A-7",
        headers[1]: "Hearing on the budget",
        kind_label: hearing,
        headers[4]: "14.05.2016",
        municipality_label: next(
            name for name in offered[municipality_label] if "Zve" in name or "Зве" in name
        ),
        component_label: offered[component_label][2],
    }
    for column, header in enumerate(headers, start=1):
        if header in values:
            sheet.cell(row=2, column=column, value=values[header])
    out = io.BytesIO()
    book.save(out)

    imported(personas["me"], out.getvalue(), f"activities-{language}.xlsx", "activities")

    activity = Activity.objects.get(external_ref="A-7")
    assert (activity.kind, activity.municipality, activity.component.number) == (
        "public_hearing",
        municipality("zvecan"),
        3,
    )


def test_the_imports_page_takes_a_list_shows_its_rows_and_imports_it(
    personas: dict[str, User], client_for
) -> None:
    client = client_for("me")
    upload = SimpleUploadedFile("organizations.csv", csv_file(*ORGANIZATIONS))

    response = client.post(
        reverse("intake:upload"), {"file": upload, "kind": "organizations", "encoding": ""}
    )

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    assert "ORG-03" in page and "Mlekara Stanković" in page
    assert client.post(reverse("intake:batch_commit", args=[batch.pk])).status_code == 302
    assert Organization.objects.filter(batch=batch).count() == 3
    listing = client.get(reverse("intake:batch_list")).content.decode()
    assert "organizations.csv" in listing
    template = client.get(reverse("intake:template"), {"kind": "grants", "language": "sq"})
    assert template.status_code == 200
    assert template["Content-Disposition"].endswith('grants-sq.xlsx"')


def test_akt_import_takes_a_list_with_its_kind(personas: dict[str, User], tmp_path) -> None:
    path = tmp_path / "organizatat.csv"
    path.write_bytes(csv_file(*ORGANIZATIONS))
    out = io.StringIO()

    call_command("import", str(path), "--kind", "organizations", "--user", "me", stdout=out)

    batch = ImportBatch.objects.get()
    assert out.getvalue().strip() == (
        f"organizatat.csv imported (import {batch.pk}, List of organizations). Records "
        "created: 3; rows already recorded, left as they were: 0."
    )
