"""Pages for bringing data in: the imports list, the upload, the preview, the downloads.

The workflow lives in :mod:`akt.intake.services`; these views authorize, call one service each
and render. A batch is fetched once through :func:`_visible_batch` (the viewer's ``Scope``
decides, 404 outside it) without its stored file, which can run to megabytes and is only
needed when the file is read again. A file the services refuse comes back as a message beside
the file field; nothing about a hostile file reaches the person as a server error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.numbers import format_percent
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.forms import BoundField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from akt.access import get_editable_or_403, get_visible_or_404, scope_of, signed_in_user
from akt.accounts.periods import approved_period_on
from akt.accounts.scope import Scope
from akt.accounts.services import change_reason
from akt.activities.models import Activity, AgeBand, Attendance
from akt.intake import services
from akt.intake.folder import may_import_folder
from akt.intake.forms import (
    LayoutForm,
    MappingForm,
    RollbackForm,
    RowChoicesForm,
    TemplateForm,
    UploadForm,
)
from akt.intake.jobs import COMMIT_JOB_KIND, JOB_KIND
from akt.intake.kinds import RecordKind, import_kind
from akt.intake.layout import REASONS
from akt.intake.marked import marked_copy
from akt.intake.models import BatchStatus, ImportBatch, ImportKind
from akt.intake.selectors import BatchRows, checked_row_count, rows_with_problems
from akt.intake.sources.encoding import encoding_label
from akt.intake.submissions import row_notes
from akt.intake.templates_xlsx import record_template, roster_template, tally_template
from akt.intake.validation import Problem, problems_of
from akt.intake.xlsform import attendance_xlsform
from akt.jobs.models import Job
from akt.jobs.services import job_start
from akt.linkage.services import may_resolve_identities
from akt.people.models import Person, Sex
from akt.places.models import Community, Municipality
from akt.program.dates import outside_program_warning
from akt.program.models import Component
from akt.text.locales import babel_locale
from akt.text.numbers import parse_positive_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CHECK_INLINE_ROWS = 5000
"""Files up to this many rows are checked while the person waits; larger ones by a job."""

BATCHES_PER_PAGE = 25
ROWS_PER_PAGE = 200
"""Rows of a batch shown at once: a 100,000-row file is read page by page."""
PROBLEMS_SHOWN = 500
"""Problems listed on the page; the marked copy carries every one of them."""


# -- access ------------------------------------------------------------------------------------


def _require_importer(scope: Scope) -> None:
    """Imports name persons and change rosters: only roles that see persons and may edit."""
    if not (scope.may_edit and scope.may_see_persons):
        raise PermissionDenied


def _visible_batch(request: HttpRequest, pk: int) -> ImportBatch:
    """The batch if the viewer's scope includes it; 404 otherwise (its existence stays hidden)."""
    batch = (
        scope_of(request)
        .import_batches(ImportBatch.objects.defer("content", "rows"))
        .select_related("activity", "created_by", "committed_by", "rolled_back_by")
        .filter(pk=pk)
        .first()
    )
    if batch is None:
        raise Http404
    return batch


def _editable_batch(request: HttpRequest, pk: int) -> ImportBatch:
    """The batch if the viewer may see and change it: 404 out of scope, 403 when read-only."""
    batch = _visible_batch(request, pk)
    if not scope_of(request).may_edit:
        raise PermissionDenied
    return batch


# -- the list and the upload -------------------------------------------------------------------


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    _require_importer(scope)
    batches = (
        scope.import_batches(ImportBatch.objects.all())
        .defer("content", "rows", "headers", "mapping", "summary")
        .select_related("activity", "created_by")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(batches, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "intake/batch_list.html",
        {"page": page, "may_import_folder": may_import_folder(signed_in_user(request))},
    )


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Receives a file; checks a small one at once, a large one in a job; opens its preview."""
    scope = scope_of(request)
    _require_importer(scope)
    activity = None
    chosen = request.GET.get("activity")
    if chosen:
        number = parse_positive_id(chosen)
        if number is None:
            raise Http404
        activity = get_editable_or_403(request, Activity, number)
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        activities=scope.activities(Activity.objects.all()).order_by("-start_date", "title"),
        initial={"activity": activity.pk if activity else None},
    )
    if form.is_bound and form.is_valid():
        batch = _receive(request, form)
        if batch is not None:
            if batch.row_count <= CHECK_INLINE_ROWS:
                services.import_check(actor=signed_in_user(request), batch=batch)
            else:
                job_start(actor=signed_in_user(request), kind=JOB_KIND, params={"batch": batch.pk})
            return redirect("intake:batch_detail", pk=batch.pk)
    return render(
        request,
        "intake/upload.html",
        {"form": form, "activity": activity, "template_form": TemplateForm(initial=_language())},
    )


def _receive(request: HttpRequest, form: UploadForm) -> ImportBatch | None:
    """The new batch, or None with the reason the file was refused put on the form."""
    uploaded = form.cleaned_data["file"]
    try:
        return services.import_receive(
            actor=signed_in_user(request),
            data=uploaded.read(),
            file_name=uploaded.name,
            kind=form.cleaned_data["kind"],
            activity=form.cleaned_data["activity"],
            encoding=form.cleaned_data["encoding"] or None,
        )
    except ValidationError as error:
        about_activity = getattr(error, "code", None) in ("no-activity", "unknown-activity")
        form.add_error("activity" if about_activity else "file", error)
    except PermissionDenied:
        form.add_error("activity", _("The file names an activity you may not import into."))
    return None


def _language() -> dict[str, str]:
    return {"language": translation.get_language() or settings.LANGUAGE_CODE}


# -- the preview -------------------------------------------------------------------------------


@dataclass
class Candidate:
    person_id: int
    name: str
    probability: str
    """The match probability as the viewer's language writes it, or that the row is written
    exactly as this person on the activity's roster."""


@dataclass
class ShownRow:
    """One row of a batch as the preview shows it: what was read, whom it may be."""

    number: int
    values: dict[str, Any]
    problem_count: int
    skip: str = ""
    same_as: int | None = None
    """For a repeat (``skip == "same-person"``), the row that stands for the person."""
    candidates: list[Candidate] = field(default_factory=list)
    answer: int | str = services.NEW
    """The stored answer: a person's id, or ``"new"``."""
    select: BoundField | None = None
    """The row's answer as a select, for a roster still open."""
    withheld: bool = False
    """A person the viewer may not see (:func:`services.rows_shown_to`): only its number and
    problem count are shown."""
    notes: list[str] = field(default_factory=list)
    """What the row's submission and organization come to (:func:`submissions.row_notes`):
    left out, an edit of a row on the roster and what it changes, an organization to register."""


@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_batch(request, _visible_batch(request, pk))


def _render_batch(
    request: HttpRequest,
    batch: ImportBatch,
    *,
    mapping_form: MappingForm | None = None,
    rollback_form: RollbackForm | None = None,
    layout_form: LayoutForm | None = None,
) -> HttpResponse:
    """The preview of a batch; a form posted back with errors is passed in to be shown."""
    viewer = signed_in_user(request)
    scope = scope_of(request)
    staged = batch.status == BatchStatus.STAGED
    checked_rows = checked_row_count(batch.pk)
    checked = checked_rows > 0 or not batch.row_count or batch.purged_at is not None
    editable = staged and scope.may_edit
    job = None
    if not checked:
        job = Job.objects.filter(kind=JOB_KIND, params__batch=batch.pk).order_by("-pk").first()
    importing = _commit_job(batch) if staged else None
    if editable and mapping_form is None:
        mapping_form = _mapping_form(batch)
    if editable and layout_form is None:
        layout_form = _layout_form(batch)
    page = Paginator(BatchRows(batch.pk, checked_rows), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    shown = services.rows_shown_to(viewer, batch)
    rows = _shown_rows(scope, batch, page, shown)
    choosable = [row for row in rows if not row.withheld]
    choices_form = None
    if editable and checked and batch.kind == ImportKind.ROSTER and choosable:
        choices_form = RowChoicesForm(rows=_row_options(choosable))
        for row in choosable:
            row.select = choices_form[f"row_{row.number}"]
    stalled = services.stalled_job(batch)
    may_roll_back = batch.status == BatchStatus.COMMITTED and may_resolve_identities(request.user)
    if may_roll_back and rollback_form is None:
        rollback_form = RollbackForm()
    problems, withheld = _problems(batch, shown, services.sees_every_row(viewer, batch))
    return render(
        request,
        "intake/batch_detail.html",
        {
            "batch": batch,
            "editable": editable,
            "checked": checked,
            "job": job,
            "refresh": stalled is None
            and any(item is not None and not item.is_finished for item in (job, importing)),
            "stalled": stalled,
            "stalled_import": stalled is not None and stalled.kind == COMMIT_JOB_KIND,
            "may_recover": stalled is not None and may_resolve_identities(request.user),
            "dates_warning": (
                outside_program_warning(
                    batch.activity.start_date, batch.activity.end_date, batch.activity.component
                )
                if staged and batch.activity is not None
                else ""
            ),
            "importing": importing,
            "encoding": encoding_label(batch.encoding) if batch.encoding else "",
            "mapping_form": mapping_form,
            "mapping_shown": _mapping_shown(batch),
            "layout_form": layout_form if editable else None,
            "layout": _layout_shown(batch, services.sees_every_row(viewer, batch)),
            "problems": problems,
            "problems_hidden": max(batch.problem_count - len(problems) - withheld, 0),
            "problems_withheld": withheld,
            "page": page,
            "rows": rows,
            "choices_form": choices_form,
            "commit_refused": _commit_refused(batch, checked, importing),
            "approved_quarter": (
                approved_period_on(batch.activity.start_date)
                if staged and batch.activity is not None
                else None
            ),
            "is_list": not import_kind(batch.kind).needs_activity,
            "rollback_form": rollback_form if may_roll_back else None,
        },
    )


def _mapping_form(batch: ImportBatch, data: Any = None) -> MappingForm:
    return MappingForm(
        data,
        headers=batch.headers,
        fields=services.fields_for(batch.kind, batch.source),
        mapping=batch.mapping,
    )


def _layout_form(batch: ImportBatch, data: Any = None) -> LayoutForm:
    return LayoutForm(
        data,
        sheet_names=(batch.layout or {}).get("sheet_names", ()),
        initial={
            "header_row": batch.header_row,
            "skip_footer": batch.skip_footer,
            "sheet": batch.sheet_name,
        },
    )


@dataclass
class LayoutShown:
    """How the file was read, for the preview: the header row, how it was found, and the rows
    left out with why (their text only for a viewer who reads every row: a signature row
    names someone)."""

    header_row: int
    header_by: str
    skipped: list[dict[str, Any]]


def _layout_shown(batch: ImportBatch, sees_all: bool) -> LayoutShown | None:
    layout = batch.layout or {}
    if not layout:
        return None  # a batch received before the layout was kept
    return LayoutShown(
        header_row=layout.get("header_row", 1),
        header_by=layout.get("header_by", "names"),
        skipped=[
            {
                "number": row["number"],
                "reason": REASONS.get(row["reason"], row["reason"]),
                "text": row.get("text", "") if sees_all else "",
            }
            for row in layout.get("skipped", ())
        ],
    )


def _mapping_shown(batch: ImportBatch) -> list[tuple[str, str]]:
    """Each column and the field it was read as, for a batch no longer open."""
    labels = {item.code: str(item.label) for item in services.fields_for(batch.kind, batch.source)}
    return [
        (header, labels.get(batch.mapping.get(str(index), ""), ""))
        for index, header in enumerate(batch.headers)
    ]


def _problems(
    batch: ImportBatch, visible: Callable[[Any], bool], sees_all: bool
) -> tuple[list[Problem], int]:
    """The problems to list (at most :data:`PROBLEMS_SHOWN`), and how many are in rows the
    viewer may not read (counted, not listed: a problem quotes the cell). A viewer who reads
    every row gets the first rows with problems from the database; one who does not, every row
    read to count what they may not see."""
    if not batch.problem_count:
        return [], 0
    if sees_all:
        rows = rows_with_problems(batch.pk, PROBLEMS_SHOWN)
        return [problem for row in rows for problem in problems_of(row)][:PROBLEMS_SHOWN], 0
    shown: list[Problem] = []
    withheld = 0
    for row in batch.rows:
        if not row.get("problems"):
            continue
        if not visible(row):
            withheld += len(row["problems"])
        elif len(shown) < PROBLEMS_SHOWN:
            shown.extend(problems_of(row))
    return shown[:PROBLEMS_SHOWN], withheld


def _commit_job(batch: ImportBatch) -> Job | None:
    """The latest background import of a batch still open: running, or failed with a reason."""
    return Job.objects.filter(kind=COMMIT_JOB_KIND, params__batch=batch.pk).order_by("-pk").first()


def _commit_refused(batch: ImportBatch, checked: bool, importing: Job | None = None) -> str:
    """Why the batch cannot be imported now, or "" when it can."""
    if importing is not None and not importing.is_finished:
        return _("The file is being imported.")
    if not checked:
        return _("The file is still being checked.")
    if batch.problem_count:
        return ngettext(
            "The file has %(count)s problem; correct it in the file and upload it again.",
            "The file has %(count)s problems; correct them in the file and upload it again.",
            batch.problem_count,
        ) % {"count": batch.problem_count}
    return ""


def _shown_rows(
    scope: Scope, batch: ImportBatch, page: Page, visible: Callable[[Any], bool]
) -> list[ShownRow]:
    """The page's rows with the values read and, for a roster, the candidates the viewer may
    see (the check ran as the uploader, whose scope may be wider); a row ``visible`` refuses
    shows its number and problem count only."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    sexes = dict(Sex.choices)
    kind = import_kind(batch.kind)
    if isinstance(kind, RecordKind):  # a list of records: its reference and what it names
        return [
            ShownRow(
                number=row["number"],
                values={
                    "reference": row["values"].get(kind.reference) or "",
                    "record": row["values"].get("title") or row["values"].get("name") or "",
                },
                problem_count=len(row.get("problems", ())),
                skip=row.get("skip", ""),
            )
            for row in page.object_list
        ]
    if batch.kind == ImportKind.TALLY:
        communities = {item.pk: item.name for item in Community.objects.all()}
        bands = dict(AgeBand.choices)
        return [
            ShownRow(
                number=row["number"],
                values={
                    "sex": sexes.get(row["values"].get("sex") or "", ""),
                    "community": communities.get(row["values"].get("community"), ""),
                    "age_band": bands.get(row["values"].get("age_band") or "", ""),
                    "headcount": row["values"].get("headcount"),
                },
                problem_count=len(row.get("problems", ())),
            )
            for row in page.object_list
        ]
    wanted = {
        candidate["person"]
        for row in page.object_list
        if visible(row)
        for candidate in row.get("candidates", ())
    }
    persons = {
        person.pk: person.full_name
        for person in scope.persons(Person.objects.filter(pk__in=wanted)).only(
            "pk", "given_name", "family_name"
        )
    }
    municipalities = {
        item.pk: item.name for item in Municipality.objects.select_related("majority_community")
    }
    shown = []
    for row in page.object_list:
        values = row["values"]
        if not visible(row):
            shown.append(
                ShownRow(
                    number=row["number"],
                    values={},
                    problem_count=len(row.get("problems", ())),
                    answer=row.get("choice", services.NEW),
                    withheld=True,
                )
            )
            continue
        shown.append(
            ShownRow(
                number=row["number"],
                values={
                    "name": f"{values.get('given_name', '')} {values.get('family_name', '')}",
                    "sex": sexes.get(values.get("sex") or "", ""),
                    "birth": _birth(values),
                    "municipality": municipalities.get(values.get("municipality"), ""),
                },
                problem_count=len(row.get("problems", ())),
                skip=row.get("skip", ""),
                same_as=row.get("same_as"),
                notes=row_notes(row),
                candidates=[
                    Candidate(
                        person_id=candidate["person"],
                        name=persons[candidate["person"]],
                        probability=(
                            format_percent(
                                candidate["probability"],
                                format="#,##0.0%",
                                locale=babel_locale(language),
                            )
                            if candidate["probability"] is not None
                            else _("on this roster")
                        ),
                    )
                    for candidate in row.get("candidates", ())
                    if candidate["person"] in persons
                ],
                answer=row.get("choice", services.NEW),
            )
        )
    return shown


def _birth(values: dict[str, Any]) -> str:
    """The birth date as the viewer's language writes dates, or only the year."""
    if values.get("birth_date"):
        return date_format(date.fromisoformat(values["birth_date"]), "SHORT_DATE_FORMAT")
    return str(values["birth_year"]) if values.get("birth_year") else ""


def _row_options(rows: list[ShownRow]) -> dict[int, tuple[list[tuple[str, str]], str]]:
    """Each row's answers: its visible candidates and a new person; the stored answer is kept
    as an option even when the viewer cannot see that person, so it is never changed unasked."""
    options = {}
    for row in rows:
        current = str(row.answer)
        choices = [
            (
                str(candidate.person_id),
                _("%(name)s (%(probability)s)")
                % {"name": candidate.name, "probability": candidate.probability},
            )
            for candidate in row.candidates
        ]
        choices.append((services.NEW, _("New person")))
        if current not in {value for value, _label in choices}:
            choices.insert(0, (current, _("A person chosen by someone else")))
        options[row.number] = (choices, current)
    return options


# -- the preview's actions ---------------------------------------------------------------------


@login_required
@require_POST
def batch_map(request: HttpRequest, pk: int) -> HttpResponse:
    """Saves which field each column holds and checks the file again."""
    batch = _editable_batch(request, pk)
    form = _mapping_form(batch, request.POST)
    if form.is_valid():
        inline = batch.row_count <= CHECK_INLINE_ROWS
        try:
            services.import_map_columns(
                actor=signed_in_user(request),
                batch=batch,
                mapping=form.mapping(),
                remember=form.cleaned_data["remember"],
                check=inline,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if inline:
                messages.success(request, _("The columns were saved and the file checked again."))
            else:
                job_start(actor=signed_in_user(request), kind=JOB_KIND, params={"batch": batch.pk})
                messages.success(request, _("The columns were saved; the file is being checked."))
            return redirect("intake:batch_detail", pk=batch.pk)
    return _render_batch(request, batch, mapping_form=form)


@login_required
@require_POST
def batch_layout(request: HttpRequest, pk: int) -> HttpResponse:
    """Reads the file again with the header row, the rows below the data and the sheet the
    officer chose, and checks it again (a large file in a job)."""
    batch = _editable_batch(request, pk)
    form = _layout_form(batch, request.POST)
    if form.is_valid():
        try:
            batch = services.import_choose_layout(
                actor=signed_in_user(request),
                batch=batch,
                header_row=form.cleaned_data["header_row"],
                skip_footer=form.cleaned_data["skip_footer"],
                sheet=form.cleaned_data.get("sheet") or None,
                check=False,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if batch.row_count <= CHECK_INLINE_ROWS:
                services.import_check(actor=signed_in_user(request), batch=batch)
                messages.success(request, _("The file was read again and checked."))
            else:
                job_start(actor=signed_in_user(request), kind=JOB_KIND, params={"batch": batch.pk})
                messages.success(request, _("The file was read again; it is being checked."))
            return redirect("intake:batch_detail", pk=batch.pk)
    return _render_batch(request, batch, layout_form=form)


@login_required
@require_POST
def batch_choose(request: HttpRequest, pk: int) -> HttpResponse:
    """Saves whom the shown rows stand for; only the answers the viewer changed are sent."""
    batch = _editable_batch(request, pk)
    page = Paginator(BatchRows(batch.pk, checked_row_count(batch.pk)), ROWS_PER_PAGE).get_page(
        request.POST.get("page")
    )
    shown = services.rows_shown_to(signed_in_user(request), batch)
    posted = [
        row
        for row in _shown_rows(scope_of(request), batch, page, shown)
        if not row.withheld and f"row_{row.number}" in request.POST
    ]
    form = RowChoicesForm(request.POST, rows=_row_options(posted))
    if not form.is_valid():
        messages.error(request, _("Choose one of the suggested persons or a new person."))
    else:
        try:
            services.import_choose(
                actor=signed_in_user(request), batch=batch, choices=form.changed()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The answers were saved."))
    url = reverse("intake:batch_detail", kwargs={"pk": batch.pk})
    return redirect(f"{url}?page={page.number}#rows" if page.number > 1 else f"{url}#rows")


@login_required
@require_POST
def batch_commit(request: HttpRequest, pk: int) -> HttpResponse:
    """Imports every row of the batch, or nothing, saying why; a large file in a job."""
    batch = _editable_batch(request, pk)
    reason = request.POST.get("reason", "").strip()
    running = _commit_job(batch)
    if running is not None and not running.is_finished:
        messages.info(request, _("The file is being imported."))
    elif batch.row_count > CHECK_INLINE_ROWS and batch.status == BatchStatus.STAGED:
        job_start(
            actor=signed_in_user(request),
            kind=COMMIT_JOB_KIND,
            params={"batch": batch.pk, "reason": reason},
        )
        messages.success(request, _("The file is being imported; this page shows how far."))
    else:
        try:
            with change_reason(reason):
                batch = services.import_commit(actor=signed_in_user(request), batch=batch)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The file was imported."))
    return redirect("intake:batch_detail", pk=batch.pk)


@login_required
@require_POST
def batch_rollback(request: HttpRequest, pk: int) -> HttpResponse:
    """Removes what an imported batch wrote: M&E officers and administrators only."""
    batch = _visible_batch(request, pk)
    if not may_resolve_identities(request.user):
        raise PermissionDenied
    form = RollbackForm(request.POST)
    if form.is_valid():
        try:
            services.import_rollback(
                actor=signed_in_user(request), batch=batch, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The import was rolled back."))
            return redirect("intake:batch_detail", pk=batch.pk)
    return _render_batch(request, batch, rollback_form=form)


def _stalled_batch_action(
    request: HttpRequest, pk: int, action: Callable[..., Any], done: str
) -> HttpResponse:
    """Resumes or abandons a stalled batch (``action``, a service taking the actor, the batch
    and the reason): M&E officers and administrators."""
    batch = _visible_batch(request, pk)
    if not may_resolve_identities(request.user):
        raise PermissionDenied
    try:
        action(actor=signed_in_user(request), batch=batch, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("intake:batch_detail", pk=batch.pk)


@login_required
@require_POST
def batch_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Starts a stalled check or import again."""
    return _stalled_batch_action(
        request, pk, services.import_resume, _("The stalled work was started again.")
    )


@login_required
@require_POST
def batch_abandon(request: HttpRequest, pk: int) -> HttpResponse:
    """Gives up a stalled check or import, with a reason."""
    return _stalled_batch_action(
        request,
        pk,
        services.import_abandon,
        _("The import was abandoned; nothing of it was imported."),
    )


# -- downloads ---------------------------------------------------------------------------------


def _download(content: bytes, file_name: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=XLSX,
        headers={"Content-Disposition": content_disposition_header(True, file_name)},
    )


def _requested_language(request: HttpRequest) -> str:
    """The ``language`` the query asks for, if it is an interface language; else the page's."""
    asked = request.GET.get("language", "")
    if asked in dict(settings.LANGUAGES):
        return asked
    return translation.get_language() or settings.LANGUAGE_CODE


@login_required
@require_GET
def batch_problems(request: HttpRequest, pk: int) -> HttpResponse:
    """The sheet as uploaded with its problems marked, to correct and upload again."""
    batch = _visible_batch(request, pk)
    stem = batch.file_name.rsplit(".", 1)[0] or "import"
    return _download(
        marked_copy(
            batch,
            _requested_language(request),
            shown=services.rows_shown_to(signed_in_user(request), batch),
        ),
        _("%(file)s (problems).xlsx") % {"file": stem},
    )


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    """A roster or tally template in the language asked for, optionally for one activity.

    Templates name no person, so any signed-in viewer may have one; one made for an activity
    needs that activity to be visible to the viewer.
    """
    activity = None
    chosen = request.GET.get("activity")
    if chosen:
        number = parse_positive_id(chosen)
        if number is None:
            raise Http404
        activity = get_visible_or_404(request, Activity, number)
    form = TemplateForm(request.GET if "kind" in request.GET else None, initial=_language())
    if not form.is_valid():
        return render(
            request, "intake/template_form.html", {"template_form": form, "activity": activity}
        )
    kind, language = form.cleaned_data["kind"], form.cleaned_data["language"]
    communities = Community.objects.all()
    if not import_kind(kind).needs_activity:
        activity = None  # a list names no activity
        content = record_template(
            kind=kind,
            language=language,
            municipalities=Municipality.objects.all(),
            components=Component.objects.all(),
        )
    elif kind == ImportKind.TALLY:
        content = tally_template(language=language, activity=activity, communities=communities)
    else:
        content = roster_template(
            language=language,
            activity=activity,
            communities=communities,
            municipalities=Municipality.objects.select_related("majority_community"),
        )
    name = f"{kind}-{activity.pk}-{language}.xlsx" if activity else f"{kind}-{language}.xlsx"
    return _download(content, name)


@login_required
@require_GET
def roster_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The activity's roster as it stands, in the roster template, to check or complete
    offline and import again: only the rows whose persons the viewer may see."""
    scope = scope_of(request)
    _require_importer(scope)
    activity = get_visible_or_404(request, Activity, pk)
    attendances = (
        scope.attendances(Attendance.objects.filter(activity=activity))
        .select_related(
            "person__community", "person__municipality__majority_community", "organization"
        )
        .order_by("pk")
    )
    language = _requested_language(request)
    content = roster_template(
        language=language,
        activity=activity,
        communities=Community.objects.all(),
        municipalities=Municipality.objects.select_related("majority_community"),
        attendances=attendances,
    )
    return _download(content, f"roster-{activity.pk}-{language}.xlsx")


@login_required
@require_GET
def xlsform_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The activity's attendance form for KoboToolbox or ODK, versioned by the time it was made
    (Kobo and ODK Central refuse a changed form under an unchanged version)."""
    activity = get_visible_or_404(request, Activity, pk)
    content = attendance_xlsform(
        activity=activity,
        communities=Community.objects.all(),
        municipalities=Municipality.objects.select_related("majority_community"),
        version=timezone.localtime().strftime("%Y%m%d%H%M%S"),
        language=_requested_language(request),
    )
    return _download(content, f"attendance-{activity.pk}.xlsx")
