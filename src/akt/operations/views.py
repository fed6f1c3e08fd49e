"""The health check: no sign-in, no record, never cached."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from akt.operations.health import health_status


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    status = health_status()
    return JsonResponse(status.report, status=200 if status.ok else 503)
