"""The imports page takes a zip of an office's lists and rosters (issue 10, item 8).

What an M&E officer checks on the page: every file is listed with what it was recognised as
and the activity a roster goes into; every problem is named by file, row, column and value in
the language the page is read in; nothing is stored until they press import, and then all of
it; a hostile zip is refused with a reason; the same zip imported again changes no figure; and
nobody but officers and administrators may use the page.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from akt.activities.models import Activity, Attendance, Tally
from akt.intake import folder_views
from akt.intake.jobs import FOLDER_CHECK_JOB_KIND
from akt.intake.models import ImportBatch
from akt.jobs.models import Job, JobStatus
from akt.people.models import Organization, Person
from akt.testing.office_folder import write_folder

UPLOAD = reverse("intake:folder_upload")
COMMIT = reverse("intake:folder_commit")


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    """The checked zip waits for its commit under DATA_DIR: a fresh one per test."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def office_zip(
    tmp_path: Path, *, activities: int = 6, extra: dict[str, str] | None = None
) -> bytes:
    """A zip as an office sends it: everything inside one top folder, lists and rosters."""
    folder = tmp_path / "office"
    write_folder(folder, activities=activities, roster_size=2, attendance_every=3)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for item in sorted(folder.iterdir()):
            book.write(item, f"Raporti Gjilan 2016/{item.name}")
        for name, text in (extra or {}).items():
            book.writestr(name, text)
    return buffer.getvalue()


def upload(client: Client, data: bytes, name: str = "raporti.zip", **fields: Any) -> Any:
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), **fields})


def commit_fields(response: Any) -> dict[str, Any]:
    form = response.context["commit"]
    assert form is not None, "the preview offers no import"
    return {name: form.initial[name] for name in ("digest", "file_name", "new_persons")}


def stored() -> dict[str, int]:
    return {
        "activities": Activity.objects.count(),
        "organizations": Organization.objects.count(),
        "attendances": Attendance.objects.count(),
        "tallies": Tally.objects.count(),
        "persons": Person.objects.count(),
        "batches": ImportBatch.objects.count(),
    }


NOTHING = {
    "activities": 0,
    "organizations": 0,
    "attendances": 0,
    "tallies": 0,
    "persons": 0,
    "batches": 0,
}


def results_json() -> Any:
    out = io.StringIO()
    call_command("results", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_the_preview_names_every_file_and_stores_nothing_then_the_commit_imports_it_all(
    client_for: Any, tmp_path: Path
) -> None:
    client = client_for("me")
    data = office_zip(tmp_path)

    response = upload(client, data, new_persons="on")

    assert response.status_code == 200
    files = {item.name: item for item in response.context["result"].files}
    lists = files["Raporti Gjilan 2016/activities.xlsx"]
    assert (lists.kind, lists.summary["created"]) == ("activities", 6)
    assert files["Raporti Gjilan 2016/organizations.csv"].kind == "organizations"
    rosters = [item for name, item in files.items() if "A-" in name]
    assert len(rosters) == 2
    for item in rosters:
        reference = Path(item.name).stem.split()[0]  # "A-2015-0004 lista.xlsx"
        assert item.kind in ("roster", "tally")
        assert reference in item.activity  # the activity it goes into, by its reference
    page = response.content.decode()
    assert "List of activities" in page and "Attendance roster" in page
    assert stored() == NOTHING

    response = client.post(COMMIT, commit_fields(response))

    assert response.status_code == 302
    assert Activity.objects.count() == 6
    assert Organization.objects.count() == 5
    assert Attendance.objects.count() + Tally.objects.count() > 0
    assert set(Activity.objects.values_list("batch__file_name", flat=True)) == {"activities.xlsx"}
    assert not list((tmp_path / "data" / "uploads" / "folders").glob("*.zip"))


def test_the_same_zip_uploaded_again_is_recognised_and_changes_no_figure(
    client_for: Any, tmp_path: Path
) -> None:
    client = client_for("me")
    data = office_zip(tmp_path)
    client.post(COMMIT, commit_fields(upload(client, data, new_persons="on")))
    first, before = results_json(), stored()

    again = upload(client, data, new_persons="on")

    outcomes = again.context["result"].files
    skipped = [item for item in outcomes if item.skipped]
    assert len(skipped) == 2
    assert all("already imported into" in item.skipped for item in skipped)
    assert sum(item.summary.get("created", 0) for item in outcomes) == 0
    assert "Skipped: already imported into" in again.content.decode()

    client.post(COMMIT, commit_fields(again))

    assert results_json() == first
    assert stored() == {**before, "batches": before["batches"] + 2}  # the two lists, re-read


def test_problems_are_listed_by_file_row_column_and_value_in_the_readers_language(
    client_for: Any, tmp_path: Path
) -> None:
    client = client_for("me")
    broken = (
        "Nr. ref.,Titulli,Lloji,Data e fillimit,Komuna,Komponenti\n"
        "B-1,Dëgjim,Dëgjim publik,31.04.2015,Gjilan,1\n"
    )
    data = office_zip(
        tmp_path,
        extra={"Raporti Gjilan 2016/2015/activities.csv": broken, "B-77 lista.csv": "Emri\nArta\n"},
    )

    client.post(reverse("set_language"), {"language": "sq", "next": UPLOAD})

    response = upload(client, data, new_persons="on")

    assert response.status_code == 200
    assert response.context["commit"] is None
    troubled = {item.name: item for item in response.context["troubled"]}
    assert set(troubled) == {"Raporti Gjilan 2016/2015/activities.csv", "B-77 lista.csv"}
    page = response.content.decode()
    problem = troubled["Raporti Gjilan 2016/2015/activities.csv"].problems[0]
    assert (problem.row, problem.column, problem.value) == (2, "Data e fillimit", "31.04.2015")
    assert "31.04.2015" in page and "B-77" in page
    with translation.override("sq"):
        albanian = problem.message
    with translation.override("en"):
        english = problem.message
    assert albanian != english
    assert escape(albanian) in page and escape(english) not in page
    assert stored() == NOTHING
    assert not list((tmp_path / "data" / "uploads" / "folders").glob("*.zip"))


def hostile(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        if kind == "dotdot":
            book.writestr("../../etc/activities.csv", "Ref,Title\n")
        elif kind == "nested":
            book.writestr("rosters/inner.zip", b"PK\x05\x06" + b"\0" * 18)
        elif kind == "bomb":
            book.writestr("A-2015-0001.csv", b"0" * (4 * 1024 * 1024))  # packed 1000 times
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("dotdot", "names a file outside itself"),
        ("nested", "holds another archive"),
        ("bomb", "unpacks to more than can be imported at once"),
        ("damaged", "is not a zip file that can be opened"),
    ],
)
def test_a_hostile_zip_is_refused_with_its_reason_and_nothing_is_stored(
    client_for: Any, kind: str, words: str
) -> None:
    data = b"PK\x03\x04 this is not really a zip" if kind == "damaged" else hostile(kind)

    response = upload(client_for("me"), data)

    assert response.status_code == 200
    assert words in str(response.context["form"].errors["file"])
    assert stored() == NOTHING


def test_a_file_that_is_not_a_zip_is_sent_to_the_single_file_page(client_for: Any) -> None:
    response = upload(client_for("me"), b"Emri,Mbiemri\nArta,Hoxha\n", name="A-1.csv")

    assert "is not a .zip file" in str(response.context["form"].errors["file"])


@pytest.mark.parametrize("persona", ["admin", "me"])
def test_officers_and_administrators_open_the_page(client_for: Any, persona: str) -> None:
    assert client_for(persona).get(UPLOAD).status_code == 200


@pytest.mark.parametrize("persona", ["staff", "focal_gracanica", "donor"])
def test_everyone_else_is_refused_the_upload_and_the_commit(
    client_for: Any, persona: str, tmp_path: Path
) -> None:
    client = client_for(persona)
    data = office_zip(tmp_path, activities=3)

    assert client.get(UPLOAD).status_code == 403
    assert upload(client, data).status_code == 403
    digest = "0" * 64
    assert client.post(COMMIT, {"digest": digest, "file_name": "x.zip"}).status_code == 403
    assert stored() == NOTHING


def test_an_anonymous_visitor_is_sent_to_sign_in(client_for: Any) -> None:
    response = client_for(None).get(UPLOAD)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_one_officer_cannot_commit_a_zip_another_checked(client_for: Any, tmp_path: Path) -> None:
    checked = upload(client_for("me"), office_zip(tmp_path, activities=3), new_persons="on")

    response = client_for("admin").post(COMMIT, commit_fields(checked), follow=True)

    assert "no longer waiting to be imported" in response.content.decode()
    assert stored() == NOTHING


def test_a_large_zip_is_checked_by_a_job_whose_page_then_shows_the_preview(
    client_for: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folder_views, "CHECK_INLINE_FILES", 2)
    client = client_for("me")

    response = upload(client, office_zip(tmp_path), new_persons="on")

    job = Job.objects.get(kind=FOLDER_CHECK_JOB_KIND)
    assert response["Location"] == reverse("intake:folder_check", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED  # tests run jobs at once
    assert stored() == NOTHING
    assert client_for("admin").get(response["Location"]).status_code == 404  # not theirs
    preview = client.get(response["Location"])
    assert len(preview.context["result"].files) == 4
    assert "Attendance roster" in preview.content.decode()

    client.post(COMMIT, commit_fields(preview))

    assert Activity.objects.count() == 6


def test_while_the_job_checks_the_zip_its_page_shows_how_far_it_got(
    client_for: Any, personas: Any
) -> None:
    digest = "ab" * 32
    job = Job.objects.create(
        kind=FOLDER_CHECK_JOB_KIND,
        params={"digest": digest, "file_name": "Raporti 2014-2017.zip", "new_persons": False},
        status=JobStatus.RUNNING,
        created_by=personas["me"],
    )
    path = folder_views.kept_zip(personas["me"], digest)
    path.parent.mkdir(parents=True)
    folder_views.write_progress(path, 100, 400)

    response = client_for("me").get(reverse("intake:folder_check", args=[job.pk]))

    html = response.content.decode()
    assert '<meta http-equiv="refresh"' in html
    assert '<progress max="100" value="25"' in html
    assert "100 of 400 files checked." in html
    assert response.context.get("commit") is None


def test_the_imports_page_offers_the_zip_upload_to_those_who_may_use_it(client_for: Any) -> None:
    imports = reverse("intake:batch_list")

    assert UPLOAD in client_for("me").get(imports).content.decode()
    assert UPLOAD not in client_for("focal_gracanica").get(imports).content.decode()
