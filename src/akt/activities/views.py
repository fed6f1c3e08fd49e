"""Pages for activities, their rosters and their tallies.

Views stay thin: they fetch through ``akt.access`` (the one object-access helper), narrow lists
with the viewer's ``Scope``, hand valid input to a service and render. Persons a viewer may not
see are never named: the roster shows them only as a count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from akt.access import get_editable_or_403, get_visible_or_404, scope_of, signed_in_user
from akt.accounts.periods import approved_period_on
from akt.accounts.services import change_reason
from akt.activities import services
from akt.activities.forms import (
    ActivityFilterForm,
    ActivityForm,
    AttendanceForm,
    RosterRoleForm,
    TallyForm,
    person_label,
)
from akt.activities.models import Activity, AgeBand, Tally
from akt.people.forms import PersonFilterForm, PersonForm
from akt.people.likely import Suggestion, likely_persons
from akt.people.models import Organization, Person, Sex
from akt.text.numbers import parse_positive_id
from akt.void_pages import void_page, voiding_context
from akt.web import add_service_error, submit_form

PAGE_SIZE = 25


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = ActivityFilterForm(request.GET or None, scope=scope)
    activities = scope.activities(
        Activity.objects.select_related("municipality__majority_community", "component")
    )
    listed = form.without_voided(form.filter(activities)).with_participants()
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "activities/activity_list.html", {"form": form, "page": page})


# -- the tally table: a pure computation over the cells, tested without a database ------------


@dataclass(frozen=True)
class TallyRow:
    label: str
    cells: list[int]
    total: int


@dataclass(frozen=True)
class TallyTable:
    """An activity's headcounts as community rows by sex x age band columns, with totals.

    Only the sexes, age bands and communities that occur get a row or column; the "unknown"
    value of each split comes last, so the parts always add up to the total.
    """

    sexes: list[tuple[str, int]]  # (label, number of age-band columns under it)
    age_bands: list[str]  # one label per column
    rows: list[TallyRow]
    column_totals: list[int]
    total: int


def tally_table(tallies: Iterable[Tally]) -> TallyTable | None:
    """Arranges headcount cells into a table; None when there are none."""
    cells = list(tallies)
    if not cells:
        return None
    unknown = _("Unknown")
    sex_order = [value for value, _label in Sex.choices] + [""]
    band_order = [value for value, _label in AgeBand.choices] + [""]
    sex_labels = {**dict(Sex.choices), "": unknown}
    band_labels = {**dict(AgeBand.choices), "": unknown}
    sexes = [s for s in sex_order if any(c.sex == s for c in cells)]
    bands = [b for b in band_order if any(c.age_band == b for c in cells)]
    columns = [(s, b) for s in sexes for b in bands]

    communities = {c.community_id: c.community for c in cells if c.community is not None}
    community_ids = sorted(
        {c.community_id for c in cells},
        key=lambda pk: (
            (1, 0, "") if pk is None else (0, communities[pk].sort_order, communities[pk].code)
        ),
    )
    counts: dict[tuple[int | None, str, str], int] = {}
    for cell in cells:
        key = (cell.community_id, cell.sex, cell.age_band)
        counts[key] = counts.get(key, 0) + cell.headcount

    rows = []
    for pk in community_ids:
        row = [counts.get((pk, s, b), 0) for s, b in columns]
        label = unknown if pk is None else communities[pk].name
        rows.append(TallyRow(label=str(label), cells=row, total=sum(row)))
    column_totals = [sum(row.cells[i] for row in rows) for i in range(len(columns))]
    return TallyTable(
        sexes=[(str(sex_labels[s]), len(bands)) for s in sexes],
        age_bands=[str(band_labels[b]) for _s, b in columns],
        rows=rows,
        column_totals=column_totals,
        total=sum(column_totals),
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_visible_or_404(
        request,
        Activity.objects.select_related(
            "municipality__majority_community", "component", "project", "organizer"
        ).prefetch_related("topics"),
        pk,
    )
    scope = scope_of(request)
    roster = list(
        scope.attendances(activity.attendances.all())
        .select_related(
            "person__municipality__majority_community", "person__community", "organization"
        )
        .order_by("person__family_name", "person__given_name", "pk")
    )
    roster_total = activity.attendances.count()
    tallies = list(activity.tallies.select_related("community"))
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "roster": roster,
            "roster_total": roster_total,
            "roster_hidden": roster_total - len(roster),
            "tallies": tallies,
            "approved_quarter": approved_period_on(activity.start_date),
            "table": tally_table(tallies),
            "organizer_visible": activity.organizer_id is not None
            and scope.organizations(Organization.objects.filter(pk=activity.organizer_id)).exists(),
            **voiding_context(request, activity, "activities"),
        },
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.may_edit:
        raise PermissionDenied
    form = ActivityForm(request.POST if request.method == "POST" else None, scope=scope)
    return submit_form(
        request,
        form,
        lambda data: services.activity_create(actor=signed_in_user(request), **data),
        saved_message=_("The activity was saved."),
        success_url="activities:detail",
        template="activities/activity_form.html",
    )


@login_required
def activity_update(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_editable_or_403(request, Activity, pk)
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        instance=activity,
        scope=scope_of(request),
    )
    return submit_form(
        request,
        form,
        lambda data: services.activity_update(
            actor=signed_in_user(request), activity=activity, data=data
        ),
        saved_message=_("The activity was saved."),
        success_url="activities:detail",
        template="activities/activity_form.html",
        context={"activity": activity},
    )


@login_required
def activity_void(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_visible_or_404(request, Activity, pk)
    counted = Activity.objects.filter(pk=activity.pk).with_participants().get()
    return void_page(
        request,
        activity,
        restore=False,
        save=lambda reason: services.activity_void(
            actor=signed_in_user(request), activity=activity, reason=reason
        ),
        detail_url="activities:detail",
        title=activity.title,
        consequences=[
            ngettext(
                "Its roster of %(count)s person leaves the figures with it.",
                "Its roster of %(count)s persons leaves the figures with it.",
                counted.roster_count,
            )
            % {"count": counted.roster_count},
            ngettext(
                "Its headcounts of %(count)s participant leave the figures with it.",
                "Its headcounts of %(count)s participants leave the figures with it.",
                counted.tallied,
            )
            % {"count": counted.tallied},
        ],
    )


@login_required
def activity_restore(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_visible_or_404(request, Activity, pk)
    return void_page(
        request,
        activity,
        restore=True,
        save=lambda reason: services.activity_restore(
            actor=signed_in_user(request), activity=activity, reason=reason
        ),
        detail_url="activities:detail",
        title=activity.title,
    )


@login_required
def attendance_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Adds a roster row: a person picked from a search, or registered on the spot.

    The page holds two forms posting here; ``how`` says which one was sent. Both end in one
    service call, so either way the person lands on the roster or nothing is stored.
    """
    activity = get_editable_or_403(request, Activity, pk)
    scope = scope_of(request)
    search = PersonFilterForm(request.GET or None, scope=scope)
    candidates = list(
        search.filter(scope.persons(Person.objects.all()))
        .exclude(attendances__activity=activity)
        .select_related("municipality__majority_community")[:50]
    )
    how = request.POST.get("how") if request.method == "POST" else None
    suggestions: list[Suggestion] = []
    existing = AttendanceForm(
        request.POST if how == "existing" else None,
        scope=scope,
        activity=activity,
        candidates=candidates,
    )
    new_person = PersonForm(request.POST if how == "new" else None, scope=scope, prefix="new")
    # Its own prefix: "organization" here is whom the person represents at this activity,
    # which need not be the organization on their record.
    new_role = RosterRoleForm(request.POST if how == "new" else None, scope=scope, prefix="roster")

    if how == "existing" and existing.is_valid():
        data = dict(existing.cleaned_data)
        data["affiliation"] = data.get("affiliation") or None  # empty: the person's own
        try:
            with change_reason(data.pop("reason", "")):
                services.attendance_add(actor=signed_in_user(request), activity=activity, **data)
        except ValidationError as error:
            add_service_error(existing, error)
        else:
            messages.success(request, _("The person was added to the roster."))
            return redirect("activities:detail", pk=activity.pk)
    elif how == "new" and all([new_person.is_valid(), new_role.is_valid()]):
        # Before someone is registered anew, the page says whom they most likely are already;
        # the user adds that person, or confirms that this is someone new.
        if request.POST.get("confirmed_new") != "1":
            suggestions = likely_persons(person_data=new_person.cleaned_data, scope=scope)
        if not suggestions:
            roster_data = dict(new_role.cleaned_data)
            try:
                with change_reason(roster_data.pop("reason", "")):
                    services.attendance_add_new_person(
                        actor=signed_in_user(request),
                        activity=activity,
                        person_data=new_person.cleaned_data,
                        **roster_data,
                    )
            except ValidationError as error:
                add_service_error(new_person, error)
            else:
                messages.success(request, _("The person was registered and added to the roster."))
                return redirect("activities:detail", pk=activity.pk)
    return render(
        request,
        "activities/attendance_form.html",
        {
            "activity": activity,
            "search": search,
            "candidates": [(person, person_label(person)) for person in candidates],
            "existing": existing,
            "new_person": new_person,
            "new_role": new_role,
            "suggestions": suggestions,
        },
    )


@login_required
@require_POST
def attendance_remove(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    activity = get_editable_or_403(request, Activity, pk)
    scope = scope_of(request)
    attendance = get_object_or_404(
        scope.attendances(activity.attendances.select_related("person")), pk=attendance_pk
    )
    try:
        with change_reason(request.POST.get("reason", "")):
            services.attendance_remove(actor=signed_in_user(request), attendance=attendance)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The person was taken off the roster."))
    return redirect("activities:detail", pk=activity.pk)


@login_required
def tally_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Adds a headcount cell, or changes the one named by ``?cell=<id>``."""
    activity = get_editable_or_403(request, Activity, pk)
    cell_id = request.GET.get("cell")
    tally = None
    if cell_id is not None:
        number = parse_positive_id(cell_id)
        if number is None:
            raise Http404
        tally = get_object_or_404(activity.tallies, pk=number)
    form = TallyForm(
        request.POST if request.method == "POST" else None,
        instance=tally if tally is not None else Tally(activity=activity),
    )
    return submit_form(
        request,
        form,
        lambda data: services.tally_set(
            actor=signed_in_user(request), activity=activity, tally=tally, **data
        ),
        saved_message=_("The headcount was saved."),
        # A cell has no page of its own: back to its activity.
        success_url=lambda _cell: reverse("activities:detail", kwargs={"pk": activity.pk}),
        template="activities/tally_form.html",
        context={"activity": activity, "tally": tally},
    )
