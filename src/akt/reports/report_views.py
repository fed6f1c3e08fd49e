"""The performance reports: a page per report and period, and its Word and PDF files.

Program-wide figures (no person is named), for the viewers whose scope covers every
municipality, as the approved quarters' figures are. The period is chosen in the address
(``?period=fy2016q2``); the language is the page's, or ``?language=`` for a file.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from akt.counting.periods import Period, program_periods
from akt.indicators.selectors import life_of_project
from akt.reports.document import Picture, docx_bytes, pdf_bytes
from akt.reports.period_views import sees_program_figures
from akt.reports.report_builders import PERIOD_OF_KIND, ReportKind, report_document, report_title
from akt.translation import period_label

FILES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _kind(name: str) -> ReportKind:
    try:
        return ReportKind(name)
    except ValueError as error:
        raise Http404 from error


def _periods(kind: ReportKind) -> list[Period]:
    wanted = PERIOD_OF_KIND[kind]
    return [period for period in program_periods(life_of_project()) if period.kind == wanted]


def _chosen(request: HttpRequest, kind: ReportKind) -> Period:
    periods = _periods(kind)
    key = request.GET.get("period", "")
    for period in periods:
        if period.key == key:
            return period
    if key:
        raise Http404
    return periods[-1]  # the latest


def _require_program_viewer(request: HttpRequest) -> None:
    if not sees_program_figures(request):
        raise PermissionDenied


@login_required
@require_GET
def report_page(request: HttpRequest, kind: str) -> HttpResponse:
    _require_program_viewer(request)
    chosen_kind = _kind(kind)
    period = _chosen(request, chosen_kind)
    language = translation.get_language() or settings.LANGUAGE_CODE
    document = report_document(
        chosen_kind,
        period,
        language=language,
        lop=life_of_project(),
        today=timezone.localdate(),
        dated=timezone.localtime().replace(microsecond=0),
    )
    context = {
        "document": document,
        "kind": chosen_kind,
        "kinds": [(item.value, report_title(item)) for item in ReportKind],
        "period": period,
        "periods": [(item.key, period_label(item)) for item in _periods(chosen_kind)],
        "languages": settings.LANGUAGES,
        "pictures": [block for block in document.blocks if isinstance(block, Picture)],
    }
    return render(request, "reports/report.html", context)


@login_required
@require_GET
def report_file(request: HttpRequest, kind: str, extension: str) -> HttpResponse:
    _require_program_viewer(request)
    if extension not in FILES:
        raise Http404
    chosen_kind = _kind(kind)
    period = _chosen(request, chosen_kind)
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language() or settings.LANGUAGE_CODE
    document = report_document(
        chosen_kind,
        period,
        language=language,
        lop=life_of_project(),
        today=timezone.localdate(),
        dated=timezone.localtime().replace(microsecond=0),
    )
    content = docx_bytes(document) if extension == "docx" else pdf_bytes(document)
    response = HttpResponse(content, content_type=FILES[extension])
    name = f"akt-{chosen_kind.value}-report-{period.key}-{language}.{extension}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
