"""Import pages, for every persona: who may use them, what they show, what bad files do."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile

import pytest
from babel.numbers import format_percent
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import Workbook, load_workbook

from akt.accounts.models import AuditEntry
from akt.activities.models import Attendance, Tally
from akt.intake import views
from akt.intake.jobs import COMMIT_JOB_KIND, JOB_KIND
from akt.intake.marked import PROBLEM_FILL
from akt.intake.models import BatchStatus, ColumnMapping, ImportBatch
from akt.intake.services import NEW, import_check, import_choose, import_commit, import_receive
from akt.intake.sources.base import FileRefused, read_sheet
from akt.intake.templates_xlsx import roster_template
from akt.intake.validation import Problem
from akt.jobs.models import Job, JobStatus
from akt.people.models import Person
from akt.places.models import Community, Municipality
from akt.testing.factories import PersonFactory, municipality
from akt.testing.two_municipalities import two_municipalities

GOOD_ROSTER = (
    "Given name,Family name,Sex,Birth date,Municipality\n"
    "Dragana,Jovanović,F,1990-03-02,Gračanica\n"
    "Arben,Krasniqi,M,1985,Graçanicë\n"
    "Vesna,Ilić,Ženski,12.07.1979,Gračanica\n"
)
ROSTER_WITH_PROBLEMS = (
    "Given name,Family name,Sex,Birth date,Municipality\n"
    "Dragana,Jovanović,X,1990-03-02,Gračanica\n"
    '"=HYPERLINK(""http://evil.example"")",Ilić,F,not a date,Gračanica\n'
    "Arben,Krasniqi,M,1985,Graçanicë\n"
)
TALLY = "Sex,Community,Age band,Headcount\nF,Albanian,15-29,12\nM,Albanian,30+,7\n"


@pytest.fixture
def world(personas):
    return two_municipalities()


def csv_file(text: str, name: str = "lista.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def post_upload(client, upload: SimpleUploadedFile, activity=None, kind: str = "roster"):
    data = {"file": upload, "kind": kind, "encoding": ""}
    if activity is not None:
        data["activity"] = activity.pk
    return client.post(reverse("intake:upload"), data)


def staged_batch(user, activity, text: str = GOOD_ROSTER, name: str = "lista.csv") -> ImportBatch:
    batch = import_receive(actor=user, data=text.encode("utf-8"), file_name=name, activity=activity)
    return import_check(actor=user, batch=batch)


@pytest.fixture
def batches(world, personas):
    """A checked roster batch for each municipality's activity."""
    return {
        "gracanica": staged_batch(personas["me"], world.gracanica.activity),
        "zvecan": staged_batch(
            personas["me"], world.zvecan.activity, name="zvecan-secret-list.csv"
        ),
    }


def commit_form(html: str, batch: ImportBatch) -> str:
    """The commit form's HTML on a preview page."""
    action = 'action="' + reverse("intake:batch_commit", args=[batch.pk]) + '"'
    return html.split(action)[1].split("</form>")[0]


# -- who may use the pages ---------------------------------------------------------------------


def page_urls(batch: ImportBatch) -> dict[str, str]:
    return {
        "list": reverse("intake:batch_list"),
        "upload": reverse("intake:upload"),
        "upload_for_activity": reverse("intake:upload") + f"?activity={batch.activity_id}",
        "detail": reverse("intake:batch_detail", args=[batch.pk]),
        "problems": reverse("intake:batch_problems", args=[batch.pk]),
        "template": reverse("intake:template")
        + f"?kind=roster&language=en&activity={batch.activity_id}",
        "xlsform": reverse("intake:xlsform", args=[batch.activity_id]),
    }


PAGES = ["list", "upload", "upload_for_activity", "detail", "problems", "template", "xlsform"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client_for, batches, name: str) -> None:
    response = client_for(None).get(page_urls(batches["gracanica"])[name])
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("action", ["batch_map", "batch_choose", "batch_commit", "batch_rollback"])
def test_anonymous_visitors_cannot_post(client_for, batches, action: str) -> None:
    batch = batches["gracanica"]
    response = client_for(None).post(reverse(f"intake:{action}", args=[batch.pk]), {})
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.STAGED


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", dict.fromkeys(PAGES, 200)),
        ("me", dict.fromkeys(PAGES, 200)),
        # The Gračanica activity is of the communication component, not the staff member's.
        (
            "staff",
            {**dict.fromkeys(PAGES, 200), **dict.fromkeys(PAGES[2:], 404)},
        ),
        ("focal_gracanica", dict.fromkeys(PAGES, 200)),
        (
            "focal_zvecan",
            {**dict.fromkeys(PAGES, 200), **dict.fromkeys(PAGES[2:], 404)},
        ),
        # Batches name persons: a donor has no import pages; the templates name nobody.
        (
            "donor",
            {
                "list": 403,
                "upload": 403,
                "upload_for_activity": 403,
                "detail": 404,
                "problems": 404,
                "template": 200,
                "xlsform": 200,
            },
        ),
    ],
)
def test_who_may_open_each_page(
    client_for, batches, persona: str, expected: dict[str, int]
) -> None:
    client = client_for(persona)
    urls = page_urls(batches["gracanica"])
    got = {name: client.get(url).status_code for name, url in urls.items()}
    assert got == expected


@pytest.mark.parametrize(
    ("persona", "status"),
    [("focal_zvecan", 404), ("donor", 404), ("staff", 404)],
)
@pytest.mark.parametrize("action", ["batch_map", "batch_choose", "batch_commit", "batch_rollback"])
def test_nobody_outside_the_scope_changes_a_batch(
    client_for, batches, persona: str, status: int, action: str
) -> None:
    batch = batches["gracanica"]
    response = client_for(persona).post(
        reverse(f"intake:{action}", args=[batch.pk]), {"reason": "because", "column_0": ""}
    )
    assert response.status_code == status
    batch.refresh_from_db()
    assert batch.status == BatchStatus.STAGED
    assert batch.mapping.get("0") == "given_name"
    assert not Attendance.objects.filter(batch=batch).exists()


def test_the_list_shows_only_the_batches_in_scope(client_for, batches) -> None:
    page = client_for("focal_gracanica").get(reverse("intake:batch_list")).content.decode()
    assert reverse("intake:batch_detail", args=[batches["gracanica"].pk]) in page
    assert "zvecan-secret-list.csv" not in page
    assert "Zvečan secret hearing" not in page
    everything = client_for("me").get(reverse("intake:batch_list")).content.decode()
    assert "zvecan-secret-list.csv" in everything


def test_the_list_costs_the_same_queries_for_one_batch_or_many(
    client_for, world, personas, django_assert_num_queries
) -> None:
    client = client_for("me")
    staged_batch(personas["me"], world.gracanica.activity)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("intake:batch_list")).status_code == 200
    for number in range(6):
        staged_batch(
            personas["me"], world.zvecan.activity, text=GOOD_ROSTER + f"Ana,Broj{number},F,,\n"
        )
    # session, user, count, page
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("intake:batch_list"))
    assert len(response.context["page"].object_list) == 7
    assert len(one.captured_queries) <= 5  # with the sign-in's two-factor check


def test_the_navigation_offers_imports_to_those_who_import(client_for, world) -> None:
    link = f'href="{reverse("intake:batch_list")}"'

    def page(persona: str) -> str:
        return client_for(persona).get(reverse("activities:list")).content.decode()

    assert all(link in page(persona) for persona in ("me", "focal_gracanica", "staff"))
    assert link not in page("donor")


def test_the_activity_page_offers_the_import_and_the_templates(client_for, world) -> None:
    activity = world.gracanica.activity
    page = client_for("focal_gracanica").get(reverse("activities:detail", args=[activity.pk]))
    html = page.content.decode()
    assert f"{reverse('intake:upload')}?activity={activity.pk}" in html
    assert reverse("intake:xlsform", args=[activity.pk]) in html
    assert f"{reverse('intake:template')}?activity={activity.pk}" in html
    donor = client_for("donor").get(reverse("activities:detail", args=[activity.pk]))
    assert reverse("intake:upload") not in donor.content.decode()


# -- upload ------------------------------------------------------------------------------------


def test_a_good_file_is_checked_and_then_imported_onto_the_roster(client_for, world) -> None:
    client = client_for("focal_gracanica")
    activity = world.gracanica.activity
    on_roster = Attendance.objects.filter(activity=activity).count()
    response = post_upload(client, csv_file(GOOD_ROSTER), activity)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:batch_detail", args=[batch.pk])
    assert (batch.row_count, batch.problem_count, len(batch.rows)) == (3, 0, 3)
    assert not Attendance.objects.filter(batch=batch).exists()  # checked, not imported

    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "Dragana Jovanović" in html and "Arben Krasniqi" in html
    assert "disabled" not in commit_form(html, batch)

    response = client.post(reverse("intake:batch_commit", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED
    assert Attendance.objects.filter(activity=activity).count() == on_roster + 3
    names = set(
        Attendance.objects.filter(batch=batch).values_list("person__family_name", flat=True)
    )
    assert names == {"Jovanović", "Krasniqi", "Ilić"}
    assert sorted(Attendance.objects.filter(batch=batch).values_list("source_row", flat=True)) == [
        2,
        3,
        4,
    ]
    assert AuditEntry.objects.filter(action="import_commit").count() == 1
    page = client.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    assert "Imported" in page


def test_the_activity_is_preselected_from_the_activity_page(client_for, world) -> None:
    activity = world.gracanica.activity
    response = client_for("focal_gracanica").get(
        reverse("intake:upload") + f"?activity={activity.pk}"
    )
    assert response.context["form"]["activity"].value() == activity.pk
    choices = [value for value, _label in response.context["form"].fields["activity"].choices]
    assert world.zvecan.activity.pk not in {getattr(value, "value", value) for value in choices}


def test_a_file_that_names_no_activity_asks_for_one(client_for, world) -> None:
    response = post_upload(client_for("me"), csv_file(GOOD_ROSTER))
    assert response.status_code == 200
    assert response.context["form"].errors["activity"]
    assert not ImportBatch.objects.exists()


def test_an_activity_of_another_municipality_cannot_be_chosen(client_for, world) -> None:
    response = post_upload(
        client_for("focal_gracanica"), csv_file(GOOD_ROSTER), world.zvecan.activity
    )
    assert response.status_code == 200
    assert response.context["form"].errors["activity"]
    assert not ImportBatch.objects.exists()


def filled_template(activity, rows: list[list[str]], language: str) -> SimpleUploadedFile:
    """The roster template downloaded for ``activity`` in ``language``, filled in with ``rows``."""
    data = roster_template(
        language=language,
        activity=activity,
        communities=Community.objects.all(),
        municipalities=Municipality.objects.all(),
    )
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("spisak.xlsx", out.getvalue())


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_a_template_names_its_activity_and_only_its_focal_point_imports_it(
    client_for, world, language: str
) -> None:
    rows = [["Zorica", "Marković", "Ženski", "1980"]]
    refused = post_upload(
        client_for("focal_gracanica"), filled_template(world.zvecan.activity, rows, language)
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["activity"]
    assert not ImportBatch.objects.exists()
    response = post_upload(
        client_for("focal_zvecan"), filled_template(world.zvecan.activity, rows, language)
    )
    assert response.status_code == 302, response.context["form"].errors
    batch = ImportBatch.objects.get()
    assert batch.activity == world.zvecan.activity
    assert batch.rows[0]["values"]["family_name"] == "Marković"


def test_a_chosen_encoding_reads_a_windows_1250_file(client_for, world) -> None:
    text = "Ime,Prezime,Pol\nŽeljko,Šćepanović,M\n"
    upload = SimpleUploadedFile("spisak.csv", text.encode("cp1250"))
    client = client_for("focal_gracanica")
    response = client.post(
        reverse("intake:upload"),
        {
            "file": upload,
            "kind": "roster",
            "activity": world.gracanica.activity.pk,
            "encoding": "cp1250",
        },
    )
    batch = ImportBatch.objects.get()
    assert batch.encoding == "cp1250"
    assert batch.rows[0]["values"]["family_name"] == "Šćepanović"
    page = client.get(response["Location"]).content.decode()
    assert "Windows-1250" in page


def hostile_files() -> list[tuple[str, bytes]]:
    noise = random.Random(4).randbytes(4096)
    book = Workbook()
    book.active.append(["Given name", "Family name"])
    book.active.append(["Ana", "Ilić"])
    packed = io.BytesIO()
    book.save(packed)
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(packed.getvalue())) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/media/image1.png", bytes(60 * 1024 * 1024))
    return [
        ("noise.xlsx", noise),
        ("noise.csv", noise),
        ("bomb.xlsx", bomb.getvalue()),
        ("document.csv", b"%PDF-1.4\n" + noise),
    ]


@pytest.mark.parametrize(("name", "data"), hostile_files(), ids=lambda value: str(value)[:12])
def test_a_hostile_file_is_refused_beside_the_file_field(
    client_for, world, name: str, data: bytes
) -> None:
    with pytest.raises(FileRefused) as refusal:
        read_sheet(data, name)
    upload = SimpleUploadedFile(name, data)
    response = post_upload(client_for("me"), upload, world.gracanica.activity)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [str(refusal.value)]
    assert escape(str(refusal.value)) in response.content.decode()
    assert 'id="id_file_error"' in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_already_imported_is_refused(client_for, world, personas) -> None:
    import_commit(
        actor=personas["me"], batch=staged_batch(personas["me"], world.gracanica.activity)
    )
    response = post_upload(client_for("me"), csv_file(GOOD_ROSTER), world.gracanica.activity)
    assert response.status_code == 200
    assert "already imported" in response.context["form"].errors["file"][0]
    assert ImportBatch.objects.count() == 1


def test_a_large_file_is_checked_by_a_job_and_the_preview_follows_it(
    client_for, world, monkeypatch
) -> None:
    monkeypatch.setattr(views, "CHECK_INLINE_ROWS", 2)
    response = post_upload(client_for("me"), csv_file(GOOD_ROSTER), world.gracanica.activity)
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("intake:batch_detail", args=[batch.pk])
    job = Job.objects.get(kind=JOB_KIND)
    assert job.params == {"batch": batch.pk}
    assert job.status == JobStatus.SUCCEEDED  # tests run jobs at once
    assert job.result == {"batch": batch.pk, "rows": 3, "problems": 0}
    batch.refresh_from_db()
    assert len(batch.rows) == 3


def test_a_large_file_is_checked_again_and_imported_by_jobs(client_for, world, monkeypatch) -> None:
    """Mapping the columns of a large file again clears its check and starts a job; importing
    it starts another; the preview says how it went."""
    monkeypatch.setattr(views, "CHECK_INLINE_ROWS", 2)
    client = client_for("me")
    post_upload(client, csv_file(GOOD_ROSTER), world.gracanica.activity)
    batch = ImportBatch.objects.get()
    mapping = {f"column_{index}": code for index, code in batch.mapping.items()}

    client.post(reverse("intake:batch_map", args=[batch.pk]), {**mapping, "remember": ""})

    checks = Job.objects.filter(kind=JOB_KIND).order_by("pk")
    assert checks.count() == 2
    assert checks.last().result == {"batch": batch.pk, "rows": 3, "problems": 0}

    response = client.post(reverse("intake:batch_commit", args=[batch.pk]))

    job = Job.objects.get(kind=COMMIT_JOB_KIND)
    assert job.params == {"batch": batch.pk, "reason": ""}
    assert job.status == JobStatus.SUCCEEDED  # tests run jobs at once
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED
    assert job.result == {"batch": batch.pk, **batch.summary}
    assert Attendance.objects.filter(batch=batch).count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "The file is being imported; this page shows how far." in page  # the message
    assert "<progress" not in page and '<meta http-equiv="refresh"' not in page


def test_a_refused_background_import_says_why_and_imports_nothing(
    client_for, world, personas, monkeypatch
) -> None:
    monkeypatch.setattr(views, "CHECK_INLINE_ROWS", 2)
    client = client_for("me")
    post_upload(client, csv_file(ROSTER_WITH_PROBLEMS), world.gracanica.activity)
    batch = ImportBatch.objects.get()
    # The page would not offer the button; a second tab or a forged post still gets a refusal.
    client.post(reverse("intake:batch_commit", args=[batch.pk]))

    job = Job.objects.get(kind=COMMIT_JOB_KIND)
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("The file has 2 problems")
    assert not Attendance.objects.filter(batch=batch).exists()
    page = client.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    assert "The import stopped and nothing was imported: The file has 2 problems" in page


def test_while_a_job_imports_the_file_the_preview_shows_its_progress_and_no_second_import(
    client_for, world, personas
) -> None:
    batch = staged_batch(personas["me"], world.gracanica.activity)
    Job.objects.create(
        kind=COMMIT_JOB_KIND,
        params={"batch": batch.pk},
        status=JobStatus.RUNNING,
        done=1,
        total=3,
    )
    client = client_for("me")
    html = client.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    assert '<meta http-equiv="refresh"' in html
    assert '<progress max="100" value="33"' in html
    assert "The file is being imported; this page refreshes itself." in html

    client.post(reverse("intake:batch_commit", args=[batch.pk]))

    assert Job.objects.filter(kind=COMMIT_JOB_KIND).count() == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.STAGED


def test_while_a_job_checks_the_file_the_preview_shows_its_progress(
    client_for, world, personas
) -> None:
    batch = import_receive(
        actor=personas["me"],
        data=GOOD_ROSTER.encode(),
        file_name="lista.csv",
        activity=world.gracanica.activity,
    )
    Job.objects.create(
        kind=JOB_KIND, params={"batch": batch.pk}, status=JobStatus.RUNNING, done=1, total=3
    )
    response = client_for("focal_gracanica").get(reverse("intake:batch_detail", args=[batch.pk]))
    html = response.content.decode()
    assert '<meta http-equiv="refresh"' in html
    assert '<progress max="100" value="33"' in html
    assert response.context["commit_refused"] == "The file is still being checked."


# -- preview: problems, columns, answers ------------------------------------------------------


def test_problems_are_listed_in_the_viewers_language(client_for, world) -> None:
    client = client_for("focal_gracanica")
    post_upload(client, csv_file(ROSTER_WITH_PROBLEMS), world.gracanica.activity)
    batch = ImportBatch.objects.get()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sq"
    response = client.get(reverse("intake:batch_detail", args=[batch.pk]))
    problems = response.context["problems"]
    assert (problems[0].row, problems[0].column, problems[0].value, problems[0].code) == (
        2,
        "Sex",
        "X",
        "sex",
    )
    assert [(problem.row, problem.code) for problem in problems] == [(2, "sex"), (3, "birth")]
    html = response.content.decode()
    with translation.override("sq"):
        for problem in problems:
            assert escape(problem.message) in html
        refused = str(response.context["commit_refused"])
    assert f"<td>{escape('not a date')}</td>" in html
    assert refused and escape(refused) in html
    assert "disabled" in commit_form(html, batch)


def test_a_batch_with_problems_is_not_imported(client_for, world, personas) -> None:
    batch = staged_batch(personas["me"], world.gracanica.activity, ROSTER_WITH_PROBLEMS)
    client = client_for("focal_gracanica")
    response = client.post(reverse("intake:batch_commit", args=[batch.pk]), follow=True)
    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.STAGED
    assert not Attendance.objects.filter(batch=batch).exists()


def test_the_marked_copy_carries_every_problem(client_for, world, personas) -> None:
    batch = staged_batch(personas["me"], world.gracanica.activity, ROSTER_WITH_PROBLEMS)
    response = client_for("focal_gracanica").get(
        reverse("intake:batch_problems", args=[batch.pk]) + "?language=sr-latn"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "lista (problems).xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    with translation.override("sr-latn"):
        sex = Problem(2, "Sex", "X", "sex").message
        birth = Problem(3, "Birth date", "not a date", "birth").message
        header = translation.gettext("Problems")
    assert [cell.value for cell in sheet[1]] == [
        header,
        "Given name",
        "Family name",
        "Sex",
        "Birth date",
        "Municipality",
    ]
    assert sex in sheet["A2"].value and birth in sheet["A3"].value
    assert sheet["D2"].value == "X" and sex in sheet["D2"].comment.text
    assert sheet["D2"].fill.fgColor.rgb == PROBLEM_FILL.fgColor.rgb
    assert sheet["E3"].comment is not None and birth in sheet["E3"].comment.text
    assert sheet["A4"].value is None and sheet["D4"].comment is None  # a row without problems
    assert sheet["B4"].fill.fill_type is None
    # What looked like a formula in the CSV is text in the copy.
    assert sheet["B3"].value == '=HYPERLINK("http://evil.example")'
    assert sheet["B3"].data_type == "s"


def test_remapping_the_columns_checks_the_file_again_and_is_remembered(
    client_for, world, personas
) -> None:
    text = "Ime,Prezime,Pol,Datum,Opština\nDragana,Jovanović,F,13.13.1990,Gračanica\n"
    batch = staged_batch(personas["me"], world.gracanica.activity, text)
    assert batch.mapping["3"] == "attended_on"  # "Datum" reads as the day attended
    assert batch.problem_count == 1
    client = client_for("focal_gracanica")
    mapping = {f"column_{index}": code for index, code in batch.mapping.items()}
    mapping["column_3"] = "birth_date"
    response = client.post(
        reverse("intake:batch_map", args=[batch.pk]), {**mapping, "remember": "on"}
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.mapping["3"] == "birth_date"
    assert [problem["code"] for problem in batch.rows[0]["problems"]] == ["birth"]
    assert ColumnMapping.objects.filter(header="datum", field="birth_date").exists()


def test_two_columns_for_one_field_are_refused_on_the_form(client_for, world, personas) -> None:
    batch = staged_batch(personas["me"], world.gracanica.activity)
    response = client_for("me").post(
        reverse("intake:batch_map", args=[batch.pk]),
        {"column_0": "given_name", "column_1": "given_name"},
    )
    assert response.status_code == 200
    assert response.context["mapping_form"].non_field_errors()
    batch.refresh_from_db()
    assert batch.mapping["1"] == "family_name"


def test_a_likely_registered_person_is_offered_and_can_be_declined(
    client_for, world, personas
) -> None:
    registered = PersonFactory(
        given_name="Dragana",
        family_name="Jovanović",
        sex="female",
        birth_year=None,
        birth_date="1990-03-02",
        municipality=municipality("gracanice"),
    )
    batch = staged_batch(personas["me"], world.gracanica.activity)
    row = batch.rows[0]
    assert row["candidates"][0]["person"] == registered.pk
    client = client_for("focal_gracanica")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr-latn"
    html = client.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    assert reverse("people:person_detail", args=[registered.pk]) in html
    probability = row["candidates"][0]["probability"]
    shown = format_percent(probability, format="#,##0.0%", locale="sr_Latn")
    assert shown in html

    response = client.post(
        reverse("intake:batch_choose", args=[batch.pk]), {"row_2": NEW, "row_3": NEW, "row_4": NEW}
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.rows[0]["choice"] == NEW
    client.post(reverse("intake:batch_choose", args=[batch.pk]), {"row_2": str(registered.pk)})
    batch.refresh_from_db()
    assert batch.rows[0]["choice"] == registered.pk
    import_commit(actor=personas["me"], batch=batch)
    assert Attendance.objects.filter(batch=batch, person=registered).exists()
    assert Person.objects.filter(given_name="Dragana").count() == 1


def test_a_person_outside_the_viewers_scope_is_never_offered(client_for, world, personas) -> None:
    secret = PersonFactory(
        given_name="Dragana",
        family_name="Jovanović",
        sex="female",
        birth_year=None,
        birth_date="1990-03-02",
        municipality=municipality("zvecan"),
    )
    batch = staged_batch(personas["me"], world.gracanica.activity)  # checked by the M&E officer
    assert batch.rows[0]["candidates"][0]["person"] == secret.pk
    import_choose(actor=personas["me"], batch=batch, choices={2: secret.pk})
    response = client_for("focal_gracanica").get(reverse("intake:batch_detail", args=[batch.pk]))
    assert reverse("people:person_detail", args=[secret.pk]) not in response.content.decode()
    # Saving the page's answers leaves the officer's answer as it was.
    client_for("focal_gracanica").post(
        reverse("intake:batch_choose", args=[batch.pk]),
        {"row_2": str(batch.rows[0]["choice"]), "row_3": NEW, "row_4": NEW},
    )
    batch.refresh_from_db()
    assert batch.rows[0]["choice"] == secret.pk


def test_a_tally_is_previewed_and_imported(client_for, world) -> None:
    client = client_for("focal_gracanica")
    post_upload(client, csv_file(TALLY, "tally.csv"), world.gracanica.activity, kind="tally")
    batch = ImportBatch.objects.get()
    html = client.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    assert "Headcount" in html and '<td class="num">12</td>' in html
    client.post(reverse("intake:batch_commit", args=[batch.pk]))
    assert Tally.objects.filter(batch=batch).count() == 2


def test_a_large_batch_page_shows_one_page_of_rows(client_for, world, personas) -> None:
    lines = [f"Ana{number},Broj{number},F,1990,Gračanica" for number in range(450)]
    text = "Given name,Family name,Sex,Birth date,Municipality\n" + "\n".join(lines) + "\n"
    batch = staged_batch(personas["me"], world.gracanica.activity, text)
    client = client_for("me")
    with CaptureQueriesContext(connection) as first:
        response = client.get(reverse("intake:batch_detail", args=[batch.pk]))
    assert len(response.context["rows"]) == views.ROWS_PER_PAGE
    last = client.get(reverse("intake:batch_detail", args=[batch.pk]) + "?page=3")
    assert [row.number for row in last.context["rows"]][-1] == 451
    assert len(first.captured_queries) <= 8


# -- rollback ----------------------------------------------------------------------------------


def test_an_import_is_rolled_back_with_a_reason_by_the_me_officer(
    client_for, world, personas
) -> None:
    batch = import_commit(
        actor=personas["me"], batch=staged_batch(personas["me"], world.gracanica.activity)
    )
    client = client_for("me")
    assert (
        "Roll back this import"
        in client.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    )
    response = client.post(reverse("intake:batch_rollback", args=[batch.pk]), {"reason": " "})
    assert response.status_code == 200
    assert response.context["rollback_form"].errors["reason"]
    response = client.post(
        reverse("intake:batch_rollback", args=[batch.pk]), {"reason": "Wrong activity"}
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLED_BACK
    assert batch.rollback_reason == "Wrong activity"
    assert not Attendance.objects.filter(batch=batch).exists()


def test_a_focal_point_may_not_roll_back(client_for, world, personas) -> None:
    batch = import_commit(
        actor=personas["me"], batch=staged_batch(personas["me"], world.gracanica.activity)
    )
    client = client_for("focal_gracanica")
    assert (
        "Roll back this import"
        not in client.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    )
    response = client.post(reverse("intake:batch_rollback", args=[batch.pk]), {"reason": "x"})
    assert response.status_code == 403
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED


# -- templates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["roster", "tally"])
def test_templates_download_in_the_language_asked_for(client_for, world, kind: str) -> None:
    activity = world.gracanica.activity
    response = client_for("focal_gracanica").get(
        reverse("intake:template"), {"kind": kind, "language": "sq", "activity": activity.pk}
    )
    assert response.status_code == 200
    assert f"{kind}-{activity.pk}-sq.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert "Aktiviteti" in book.sheetnames
    with translation.override("sq"):
        assert book.sheetnames[0] == translation.gettext("Roster" if kind == "roster" else "Tally")


def test_the_template_page_offers_the_choice(client_for, world) -> None:
    response = client_for("me").get(reverse("intake:template"))
    assert response.status_code == 200
    assert response.context["template_form"]["kind"]
    bad = client_for("me").get(reverse("intake:template"), {"kind": "roster", "language": "xx"})
    assert bad.status_code == 200 and bad.context["template_form"].errors["language"]


def test_the_xlsform_downloads_for_a_visible_activity(client_for, world) -> None:
    activity = world.gracanica.activity
    response = client_for("focal_gracanica").get(reverse("intake:xlsform", args=[activity.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert {"survey", "choices", "settings"} <= set(book.sheetnames)
    settings_sheet = book["settings"]
    headers = [cell.value for cell in settings_sheet[1]]
    values = [cell.value for cell in settings_sheet[2]]
    version = values[headers.index("version")]
    assert str(version).isdigit() and len(str(version)) == 14
    assert values[headers.index("form_id")] == f"akt_attendance_{activity.pk}"


# -- residents of other municipalities ---------------------------------------------------------

MIXED_RESIDENCE = (
    "Given name,Family name,Sex,Birth date,Municipality\n"
    "Dragana,Jovanović,F,1990-03-02,Gračanica\n"
    "Besnik,Hoxha,M,1980-01-01,Prishtinë\n"
    "Mirjana,Perić,X,1991-05-05,Priština\n"
    "Vesna,Ilić,Ženski,12.07.1979,\n"
)


def test_a_focal_point_sees_only_their_residents_in_a_file_someone_else_uploaded(
    client_for, world, personas
) -> None:
    """An officer's file for a Gračanica activity names residents of Prishtina too: the
    Gračanica focal point reads their own residents' rows (and rows with no municipality, who
    are residents of the activity's), while the others show only their row number; problems
    in withheld rows are counted, not quoted, in the page and in the marked copy."""
    batch = staged_batch(personas["me"], world.gracanica.activity, MIXED_RESIDENCE)
    assert batch.problem_count == 1  # Mirjana's sex

    html = client_for("focal_gracanica").get(reverse("intake:batch_detail", args=[batch.pk]))
    page = html.content.decode()
    assert "Dragana" in page and "Vesna" in page
    assert "Besnik" not in page and "Hoxha" not in page and "Mirjana" not in page
    assert page.count("A resident of another municipality: not shown.") == 2
    assert "1 more problem is in rows of residents of other municipalities" in page
    assert "No problems found." not in page

    officer = client_for("me").get(reverse("intake:batch_detail", args=[batch.pk]))
    assert "Besnik" in officer.content.decode() and "Mirjana" in officer.content.decode()

    response = client_for("focal_gracanica").get(
        reverse("intake:batch_problems", args=[batch.pk]) + "?language=en"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    assert "Dragana" in cells and "Vesna" in cells
    assert not {"Besnik", "Hoxha", "Mirjana", "Perić", "X"} & set(cells)
    assert "A resident of another municipality: not shown (1 problem)." in cells


def test_a_focal_point_cannot_answer_for_a_row_they_may_not_see(
    client_for, world, personas
) -> None:
    """Besnik, a Prishtina resident already registered, is preselected for row 3; a forged
    answer from the Gračanica focal point for that row changes nothing."""
    besnik = PersonFactory(
        given_name="Besnik",
        family_name="Hoxha",
        sex="male",
        birth_date=dt.date(1980, 1, 1),
        birth_year=None,
        municipality=municipality("prishtine"),
    )
    text = MIXED_RESIDENCE.replace(",X,", ",F,")
    batch = staged_batch(personas["me"], world.gracanica.activity, text)
    assert batch.rows[1]["choice"] == besnik.pk

    response = client_for("focal_gracanica").post(
        reverse("intake:batch_choose", args=[batch.pk]), {"row_3": NEW}
    )

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.rows[1]["choice"] == besnik.pk
    client_for("me").post(reverse("intake:batch_choose", args=[batch.pk]), {"row_3": NEW})
    batch.refresh_from_db()
    assert batch.rows[1]["choice"] == NEW


def test_the_uploader_sees_every_row_of_their_own_file(client_for, world, personas) -> None:
    focal = personas["focal_gracanica"]
    batch = staged_batch(focal, world.gracanica.activity, MIXED_RESIDENCE)
    page = client_for("focal_gracanica").get(reverse("intake:batch_detail", args=[batch.pk]))
    assert "Besnik" in page.content.decode()
