"""The property tax follow-up page: collection before and after the finance officers' training.

Read by every signed-in viewer for the municipalities their scope covers: a focal point their own
municipality, the other roles every partner municipality (the donor included: the page holds
municipal aggregates only and names nobody). See :mod:`akt.reports.property_tax`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from akt.access import scope_of
from akt.indicators.models import Indicator
from akt.indicators.services import may_enter_values
from akt.reports.property_tax import (
    BILLED,
    COLLECTED,
    follow_up_shown,
    property_tax_follow_up,
)
from akt.reports.selectors import municipalities_by_id


@login_required
@require_GET
def property_tax(request: HttpRequest) -> HttpResponse:
    viewer = scope_of(request)
    follow_ups = property_tax_follow_up(viewer.municipality_ids(), municipalities_by_id())
    indicators = {
        indicator.code: indicator
        for indicator in Indicator.objects.filter(code__in=[BILLED, COLLECTED])
    }
    return render(
        request,
        "reports/property_tax.html",
        {
            "municipalities": follow_up_shown(follow_ups, get_language()),
            "billed": indicators.get(BILLED),
            "collected": indicators.get(COLLECTED),
            "may_enter": may_enter_values(request.user, anywhere=True),
        },
    )
