"""Success story pages: the quarter's stories, one story, writing and editing one.

Who opens and writes which story is decided in :mod:`akt.reports.stories`; every page fetches
a story through :func:`story_or_404`, which applies it. The photo is attached on the story's
page through the evidence panel, and shown there only to roles that see persons, as every photo
is; it goes into a report only with the consent recorded on the story.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from akt.access import scope_of, signed_in_user
from akt.evidence.services import may_open
from akt.reports import stories
from akt.reports.models import SuccessStory
from akt.reports.period_views import quarter_or_404
from akt.reports.story_forms import RECORD_LABELS, StoryForm
from akt.translation import localized
from akt.web import add_service_error, submit_form


def story_or_404(request: HttpRequest, pk: int) -> SuccessStory:
    """The story if the viewer may open it; 404 otherwise (its existence stays hidden)."""
    visible = stories.stories_visible(
        scope_of(request), SuccessStory.objects.select_related("written_by")
    )
    return get_object_or_404(visible, pk=pk)


def story_editable_or_403(request: HttpRequest, pk: int) -> SuccessStory:
    """The story if the viewer may change it: 404 when out of scope, 403 when they only read."""
    story = story_or_404(request, pk)
    if not stories.may_write_stories(scope_of(request)):
        raise PermissionDenied
    return story


@login_required
@require_GET
def story_list(request: HttpRequest, fiscal_year: int, quarter: int) -> HttpResponse:
    """The quarter's stories the viewer may open, with their state and photo."""
    period = quarter_or_404(fiscal_year, quarter)
    scope = scope_of(request)
    found = list(
        stories.stories_visible(
            scope,
            SuccessStory.objects.filter(fiscal_year=fiscal_year, quarter=quarter).select_related(
                "written_by"
            ),
        )
    )
    photos = stories.story_photos(found)
    closed = stories.quarter_closed(fiscal_year, quarter)
    context = {
        "period": period,
        "stories": [{"story": story, "photo": photos.get(story.pk)} for story in found],
        "closed": closed,
        "may_write": stories.may_write_stories(scope) and not closed,
    }
    return render(request, "reports/story_list.html", context)


@login_required
@require_GET
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A story in every language, the records it tells of, its photo and its files."""
    story = story_or_404(request, pk)
    scope = scope_of(request)
    period = quarter_or_404(story.fiscal_year, story.quarter)
    photo = stories.story_photo(story)
    if photo is not None:
        photo.target = story  # known: no query
    closed = stories.quarter_closed(story.fiscal_year, story.quarter)
    records = [
        {"field": field, "label": label, "records": list(getattr(story, field).all())}
        for field, label in RECORD_LABELS.items()
    ]
    context = {
        "story": story,
        "period": period,
        "languages": [
            {
                "code": code,
                "name": name,
                "title": localized(story, "title", code),
                "text": localized(story, "text", code),
            }
            for code, name in settings.LANGUAGES
        ],
        "records": [group for group in records if group["records"]],
        "photo": photo,
        "photo_shown": photo is not None and may_open(scope, photo),
        "closed": closed,
        "may_edit": stories.may_write_stories(scope) and not closed,
    }
    return render(request, "reports/story_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def story_create(request: HttpRequest, fiscal_year: int, quarter: int) -> HttpResponse:
    period = quarter_or_404(fiscal_year, quarter)
    scope = scope_of(request)
    if not stories.may_write_stories(scope):
        raise PermissionDenied
    form = StoryForm(
        request.POST if request.method == "POST" else None,
        scope=scope,
        initial={"period": period.key},
    )
    return submit_form(
        request,
        form,
        lambda _data: stories.story_create(actor=signed_in_user(request), **form.service_data()),
        saved_message=_("The story was saved. Attach its photo below."),
        success_url="reports:story",
        template="reports/story_form.html",
        context={
            "period": period,
            "story": None,
            "closed": stories.quarter_closed(fiscal_year, quarter),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Saves the writer's changes; when someone saved the story meanwhile, keeps the writer's
    text on the form, says so, and lets a second save replace the newer version knowingly."""
    story = story_editable_or_403(request, pk)
    scope = scope_of(request)
    period = quarter_or_404(story.fiscal_year, story.quarter)
    form = StoryForm(
        request.POST if request.method == "POST" else None, instance=story, scope=scope
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = stories.story_update(
                actor=signed_in_user(request),
                story=story,
                based_on=form.cleaned_data["based_on"] or 0,
                data=form.service_data(),
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "stale":  # the writer's text, over the newer one
                data = request.POST.copy()
                data["based_on"] = str(SuccessStory.objects.get(pk=story.pk).revision)
                form = StoryForm(data, instance=story, scope=scope)
                form.is_valid()
            add_service_error(form, error)
        else:
            messages.success(request, _("The story was saved."))
            return redirect("reports:story", pk=saved.pk)
    closed = stories.quarter_closed(story.fiscal_year, story.quarter)
    return render(
        request,
        "reports/story_form.html",
        {"form": form, "period": period, "story": story, "closed": closed},
    )
