"""The quarter's narratives: what the officers write beside each indicator, per language.

Every signed-in viewer reads them (they are the program's report, not anyone's personal data);
officers who report write them. A save that lost a race with another officer's save is refused
and the page shows both texts, so nothing typed is lost.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from akt.access import signed_in_user
from akt.indicators.models import Indicator
from akt.reports import narratives
from akt.reports.period_views import quarter_or_404
from akt.web import add_service_error

LANGUAGE_NAMES = dict(settings.LANGUAGES)


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Narrative"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=narratives.MAX_LENGTH,
        help_text=gettext_lazy(
            "What happened this quarter behind the figures: why they are above or below "
            "target, what the program did, what comes next."
        ),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


@login_required
@require_GET
def narrative_list(request: HttpRequest, fiscal_year: int, quarter: int) -> HttpResponse:
    """Every active indicator of the quarter, with its narrative's state in each language."""
    period = quarter_or_404(fiscal_year, quarter)
    indicators = list(Indicator.objects.active())
    current = narratives.current_narratives(
        fiscal_year=fiscal_year, quarter=quarter, indicators=indicators
    )
    rows = [
        {
            "indicator": indicator,
            "cells": [
                {"code": code, "name": name, "narrative": current.get(indicator.code, {}).get(code)}
                for code, name in settings.LANGUAGES
            ],
        }
        for indicator in indicators
    ]
    context = {
        "period": period,
        "rows": rows,
        "languages": settings.LANGUAGES,
        "may_write": narratives.may_write_narratives(signed_in_user(request)),
    }
    return render(request, "reports/narrative_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def narrative_edit(request: HttpRequest, fiscal_year: int, quarter: int, code: str) -> HttpResponse:
    """One indicator's narrative in one language (``?language=sq``): its text and versions,
    and for an officer who reports, the form that saves a new version."""
    period = quarter_or_404(fiscal_year, quarter)
    indicator = get_object_or_404(Indicator.objects.active(), code=code)
    language = request.GET.get("language", settings.LANGUAGE_CODE)
    if language not in LANGUAGE_NAMES:
        raise Http404
    user = signed_in_user(request)
    may_write = narratives.may_write_narratives(user)
    versions = list(
        narratives.narrative_versions(
            indicator=indicator, fiscal_year=fiscal_year, quarter=quarter, language=language
        )
    )
    latest = versions[0] if versions else None
    initial = {"text": latest.text if latest else "", "based_on": latest.version if latest else 0}
    form = NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form.is_valid():
            try:
                narratives.narrative_write(
                    actor=user,
                    indicator=indicator,
                    fiscal_year=fiscal_year,
                    quarter=quarter,
                    language=language,
                    text=form.cleaned_data["text"],
                    based_on=form.cleaned_data["based_on"],
                )
            except ValidationError as error:
                if latest is not None:  # the writer's text, to be saved over what is there now
                    text = form.cleaned_data["text"]
                    form = NarrativeForm({"text": text, "based_on": latest.version})
                    form.is_valid()
                add_service_error(form, error)
            else:
                messages.success(request, _("The narrative was saved."))
                url = reverse("reports:narratives", args=[fiscal_year, quarter])
                return redirect(url)
    context = {
        "period": period,
        "indicator": indicator,
        "language": language,
        "language_name": LANGUAGE_NAMES[language],
        "languages": settings.LANGUAGES,
        "versions": versions,
        "latest": latest,
        "form": form if may_write else None,
    }
    return render(request, "reports/narrative_edit.html", context)
