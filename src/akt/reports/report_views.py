"""The performance reports: a page per report and period, and its Word and PDF files.

Program-wide figures (no person is named), for the viewers whose scope covers every
municipality, as the approved quarters' figures are. The period is chosen in the address
(``?period=fy2016q2``). An approved quarter's report is the one kept at approval unless the
records as they are now are asked for (``&live=1``). A file is written by a job
(:mod:`akt.reports.report_files`): the form queues it, the job's page shows its progress and
then offers the file to whoever asked for it.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from akt.access import signed_in_user
from akt.counting.periods import Period, program_periods
from akt.indicators.selectors import life_of_project
from akt.reports.document import Picture
from akt.reports.models import PeriodStatus, ReportFile, ReportingPeriod
from akt.reports.period_views import sees_program_figures
from akt.reports.report_builders import (
    PERIOD_OF_KIND,
    ReportKind,
    report_data,
    report_document,
    report_title,
)
from akt.reports.report_files import ReportRequest, approved_snapshot, report_file_start
from akt.reports.services import approved_document
from akt.translation import period_label


class ReportFileForm(forms.Form):
    """The file to write: its language and format (the report and period are the page's)."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    format = forms.ChoiceField(
        label=_("File"), choices=[("pdf", "PDF"), ("docx", _("Word (.docx)"))]
    )
    period = forms.CharField(widget=forms.HiddenInput)
    live = forms.BooleanField(required=False, widget=forms.HiddenInput)


def _kind(name: str) -> ReportKind:
    try:
        return ReportKind(name)
    except ValueError as error:
        raise Http404 from error


def _periods(kind: ReportKind) -> list[Period]:
    wanted = PERIOD_OF_KIND[kind]
    return [period for period in program_periods(life_of_project()) if period.kind == wanted]


def _chosen(key: str, kind: ReportKind) -> Period:
    periods = _periods(kind)
    for period in periods:
        if period.key == key:
            return period
    if key:
        raise Http404
    return periods[-1]  # the latest


def _require_program_viewer(request: HttpRequest) -> None:
    if not sees_program_figures(request):
        raise PermissionDenied


def _approved_before_kept(period: Period) -> bool:
    """An approved quarter whose report was not kept (approved before reports were)."""
    return (
        period.kind == PERIOD_OF_KIND[ReportKind.QUARTERLY]
        and ReportingPeriod.objects.filter(
            fiscal_year=period.year, quarter=period.quarter, status=PeriodStatus.APPROVED
        ).exists()
    )


@login_required
@require_GET
def report_page(request: HttpRequest, kind: str) -> HttpResponse:
    _require_program_viewer(request)
    chosen_kind = _kind(kind)
    period = _chosen(request.GET.get("period", ""), chosen_kind)
    language = translation.get_language() or settings.LANGUAGE_CODE
    live = request.GET.get("live") == "1"
    snapshot = approved_snapshot(period) if chosen_kind is ReportKind.QUARTERLY else None
    document = approved_document(snapshot, language) if snapshot and not live else None
    if document is None:
        data = report_data(chosen_kind, period, lop=life_of_project(), today=timezone.localdate())
        document = report_document(
            data, language=language, dated=timezone.localtime().replace(microsecond=0)
        )
    page = reverse("reports:report", args=[chosen_kind.value]) + f"?period={period.key}"
    context = {
        "document": document,
        "kind": chosen_kind,
        "kinds": [(item.value, report_title(item)) for item in ReportKind],
        "period": period,
        "periods": [(item.key, period_label(item)) for item in _periods(chosen_kind)],
        "snapshot": snapshot,
        "live": live and snapshot is not None,
        "approved_from_snapshot": snapshot is not None and not live,
        "approved_unkept": snapshot is None and _approved_before_kept(period),
        "is_quarter": chosen_kind is ReportKind.QUARTERLY,
        "page": page,
        "file_form": ReportFileForm(
            initial={"language": language, "format": "pdf", "period": period.key, "live": live}
        ),
        "pictures": [block for block in document.blocks if isinstance(block, Picture)],
    }
    return render(request, "reports/report.html", context)


@login_required
@require_POST
def report_file(request: HttpRequest, kind: str) -> HttpResponse:
    """Queues the file's writing and sends the reader to the job's progress page."""
    _require_program_viewer(request)
    chosen_kind = _kind(kind)
    form = ReportFileForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    period = _chosen(form.cleaned_data["period"], chosen_kind)
    file_request = ReportRequest(
        chosen_kind,
        period,
        form.cleaned_data["language"],
        form.cleaned_data["format"],
        live=form.cleaned_data["live"],
    )
    page = reverse("reports:report", args=[chosen_kind.value]) + f"?period={period.key}"
    if file_request.live:
        page += "&live=1"
    job = report_file_start(actor=signed_in_user(request), request=file_request, back=page)
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A written file, for the person who asked for it."""
    _require_program_viewer(request)
    kept = get_object_or_404(ReportFile.objects.select_related("job"), pk=pk)
    if kept.job.created_by_id != request.user.pk:
        raise Http404
    response = HttpResponse(bytes(kept.content), content_type=kept.content_type)
    response["Content-Disposition"] = content_disposition_header(True, kept.name)
    return response
