"""The web page for a zip of an office's lists and rosters: upload, preview, commit.

The page calls the same service as ``akt import-folder`` (:mod:`akt.intake.folder`): the upload
checks the whole zip with :func:`~akt.intake.folder.folder_check`, which runs the import in a
transaction it always rolls back, and shows every file with what it was recognised as (which
list, which activity a roster goes into, skipped as already imported) and every problem by
file, row, column and value, worded in the reader's language when the page is drawn. Nothing
is stored but the zip itself, kept under ``DATA_DIR`` until the officer commits: the commit
runs :func:`~akt.intake.folder.folder_import` on the same bytes, every record or none. Should
the records have changed since the preview so that the import is refused, the page shows why
and nothing is kept.

A zip of up to :data:`CHECK_INLINE_FILES` files is checked while the officer waits; a larger one
(three years of rosters) by a background job, whose page shows its progress and then the same
preview. The commit runs while the officer waits.

Only administrators and M&E officers use it: a folder spans municipalities and components.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from akt.accounts.models import User
from akt.intake.folder import (
    FolderFile,
    FolderRefused,
    FolderResult,
    folder_check,
    folder_import,
    may_import_folder,
    zip_files,
)
from akt.intake.forms import FolderCommitForm, FolderUploadForm
from akt.intake.jobs import FOLDER_CHECK_JOB_KIND
from akt.jobs.models import Job, JobStatus
from akt.jobs.services import job_start

KEPT_FOR_SECONDS = 24 * 60 * 60
"""A zip checked but never committed is deleted after a day."""
CHECK_INLINE_FILES = 40
"""Zips of up to this many sheets are checked in the request; larger ones by a job."""


def _require_folder_importer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not may_import_folder(user):
        raise PermissionDenied
    return user


@login_required
def folder_upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: the zip checked whole, and its preview."""
    user = _require_folder_importer(request)
    form = FolderUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if form.is_bound and form.is_valid():
        uploaded = form.cleaned_data["file"]
        data = uploaded.read()
        files = _files(form, data, uploaded.name)
        if files is not None:
            new_persons = form.cleaned_data["new_persons"]
            if len(files) > CHECK_INLINE_FILES:
                job = job_start(
                    actor=user,
                    kind=FOLDER_CHECK_JOB_KIND,
                    params={
                        "digest": _keep(user, data),
                        "file_name": uploaded.name,
                        "new_persons": new_persons,
                        "language": translation.get_language() or settings.LANGUAGE_CODE,
                    },
                )
                return redirect("intake:folder_check", pk=job.pk)
            result = folder_check(actor=user, files=files, new_persons_below_threshold=new_persons)
            commit = None
            if result.ok:
                digest = _keep(user, data)
                commit = FolderCommitForm(
                    initial={
                        "digest": digest,
                        "file_name": uploaded.name,
                        "new_persons": new_persons,
                    }
                )
            return _preview(request, uploaded.name, result, commit)
    return render(request, "intake/folder_upload.html", {"form": form})


@login_required
@require_GET
def folder_check_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A large zip's check: its progress while the job runs, then its preview."""
    user = _require_folder_importer(request)
    job = Job.objects.filter(pk=pk, kind=FOLDER_CHECK_JOB_KIND, created_by=user).first()
    if job is None:
        raise Http404  # another officer's check is theirs
    params = job.params
    if job.status == JobStatus.SUCCEEDED:
        result = FolderResult.from_json(job.result["files"])
        commit = None
        if result.ok:
            commit = FolderCommitForm(
                initial={
                    "digest": params["digest"],
                    "file_name": params["file_name"],
                    "new_persons": params.get("new_persons", False),
                }
            )
        return _preview(request, params["file_name"], result, commit)
    done, total = read_progress(kept_zip(user, params["digest"]))
    return render(
        request,
        "intake/folder_checking.html",
        {
            "job": job,
            "file_name": params["file_name"],
            "done": done,
            "total": total,
            "percent": round(100 * done / total) if total else 0,
            "refresh": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        },
    )


@login_required
@require_POST
def folder_commit(request: HttpRequest) -> HttpResponse:
    """Imports the zip checked on the preview: every file or none."""
    user = _require_folder_importer(request)
    form = FolderCommitForm(request.POST)
    if not form.is_valid():
        raise Http404
    digest, name = form.cleaned_data["digest"], form.cleaned_data["file_name"]
    path = kept_zip(user, digest)
    if not path.exists():
        messages.error(request, _("That zip is no longer waiting to be imported; upload it again."))
        return redirect("intake:folder_upload")
    try:
        files = list(zip_files(path.read_bytes(), name))
        result = folder_import(
            actor=user, files=files, new_persons_below_threshold=form.cleaned_data["new_persons"]
        )
    except FolderRefused as refused:
        messages.error(
            request,
            _(
                "The records changed since the zip was checked, and it now has problems; "
                "nothing was imported."
            ),
        )
        return _preview(request, name, refused.result, None)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("intake:folder_upload")
    path.unlink(missing_ok=True)
    path.with_suffix(".progress").unlink(missing_ok=True)
    totals = result.totals()
    messages.success(
        request,
        ngettext(
            "Imported %(count)s file: records created %(created)s, attendances added "
            "%(attendances)s, persons created %(persons)s, headcounts added %(tallies)s.",
            "Imported %(count)s files: records created %(created)s, attendances added "
            "%(attendances)s, persons created %(persons)s, headcounts added %(tallies)s.",
            len(result.files),
        )
        % {
            "count": len(result.files),
            "created": totals.get("created", 0),
            "attendances": totals.get("attendances", 0),
            "persons": totals.get("persons_created", 0),
            "tallies": totals.get("tallies", 0),
        },
    )
    return redirect("intake:batch_list")


def _files(form: FolderUploadForm, data: bytes, name: str) -> list[FolderFile] | None:
    """The zip's sheets, or None with the reason it was refused put on the form."""
    try:
        files = list(zip_files(data, name))
    except ValidationError as error:
        form.add_error("file", error)
        return None
    if not files:
        form.add_error("file", _("%(path)s holds no .xlsx or .csv file.") % {"path": name})
        return None
    return files


def _preview(
    request: HttpRequest, name: str, result: FolderResult, commit: FolderCommitForm | None
) -> HttpResponse:
    troubled = [item for item in result.files if item.refusal or item.problems or item.uncertain]
    return render(
        request,
        "intake/folder_preview.html",
        {
            "file_name": name,
            "result": result,
            "troubled": troubled,
            "totals": result.totals(),
            "commit": commit,
        },
    )


# -- the zip between its check and its commit ---------------------------------------------------


def _kept_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads" / "folders"


def kept_zip(user: User, digest: str) -> Path:
    """Named by its uploader and fingerprint: one officer cannot commit another's zip."""
    return _kept_dir() / f"{user.pk}-{digest}.zip"


def write_progress(path: Path, done: int, total: int) -> None:
    """How far a background check has got, beside its zip (its job's row is written only when
    the check's transaction ends)."""
    progress = path.with_suffix(".progress")
    partial = path.with_suffix(".progress.part")
    partial.write_text(f"{done} {total}", encoding="ascii")
    partial.replace(progress)


def read_progress(path: Path) -> tuple[int, int]:
    try:
        done, total = path.with_suffix(".progress").read_text(encoding="ascii").split()
        return int(done), int(total)
    except (OSError, ValueError):
        return 0, 0


def _keep(user: User, data: bytes) -> str:
    """Stores the checked zip for its commit (and deletes zips left waiting for a day)."""
    folder = _kept_dir()
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.iterdir():
        if now - old.stat().st_mtime > KEPT_FOR_SECONDS:
            old.unlink(missing_ok=True)
    digest = hashlib.sha256(data).hexdigest()
    path = kept_zip(user, digest)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(path)
    return digest
