"""A job's progress page: refreshes itself while the job runs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from akt.access import scope_of
from akt.jobs.models import Job


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk)
    scope = scope_of(request)
    if job.created_by_id != request.user.pk and not (scope.all_records and scope.may_edit):
        raise Http404
    return render(request, "jobs/job_detail.html", {"job": job})
