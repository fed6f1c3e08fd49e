"""Evidence pages: attach a file to a record, open it, remove it (with a reason)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from akt.access import scope_of, signed_in_user
from akt.evidence import services
from akt.evidence.forms import AttachmentForm, RemovalForm
from akt.evidence.models import Attachment
from akt.evidence.registry import governing, is_attachable
from akt.web import add_service_error

INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
"""Shown in the browser (a photo); anything else is downloaded, never run in the page."""


def _target(request: HttpRequest, label: str, pk: int) -> Model:
    """The record ``label``:``pk`` if it takes evidence and the viewer may open it; 404 else."""
    if not is_attachable(label):
        raise Http404
    app_label, _dot, model_name = label.partition(".")
    try:
        kind = ContentType.objects.get_by_natural_key(app_label, model_name)
    except ContentType.DoesNotExist:
        raise Http404 from None
    model = kind.model_class()
    if model is None:
        raise Http404
    record = get_object_or_404(model._default_manager.all(), pk=pk)
    if not scope_of(request).may_see(governing(record)):
        raise Http404
    return record


def _back(request: HttpRequest, record: Model | None) -> str:
    """Where the reader came from (a page of this site), else the record's own page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}):
        return wanted
    absolute = getattr(governing(record), "get_absolute_url", None) if record else None
    return str(absolute()) if absolute else "/"


@login_required
def attachment_add(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    record = _target(request, label, pk)
    scope = scope_of(request)
    if not scope.may_edit:
        raise PermissionDenied
    form = AttachmentForm(
        request.POST or None, request.FILES or None, may_see_persons=scope.may_see_persons
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.attachment_add(
                actor=signed_in_user(request),
                target=record,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                file_name=upload.name,
                data=upload.read(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The file was attached."))
            return redirect(_back(request, record))
    return render(
        request,
        "evidence/attachment_form.html",
        {"form": form, "record": record, "next": _back(request, record)},
    )


@login_required
def attachment_open(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment.objects.kept(), pk=pk)
    if not services.may_open(scope_of(request), attachment):
        raise Http404
    inline = attachment.media_type in INLINE_TYPES
    response = HttpResponse(bytes(attachment.content), content_type=attachment.media_type)
    disposition = content_disposition_header(not inline, attachment.file_name)
    response["Content-Disposition"] = disposition or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment.objects.kept(), pk=pk)
    if not services.may_open(scope_of(request), attachment):
        raise Http404
    record = attachment.target
    form = RemovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the file is removed."))
        return redirect(_back(request, record))
    try:
        services.attachment_remove(
            actor=signed_in_user(request), attachment=attachment, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file was removed; it is kept in the audit trail."))
    return redirect(_back(request, record))
