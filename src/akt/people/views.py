"""Pages for persons and organizations.

A person's record is personal data: roles whose scope excludes persons (the donor viewer) get
403 on every person page, rather than an empty list that would suggest there is nobody.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from akt.access import get_editable_or_403, get_visible_or_404, scope_of
from akt.accounts.scope import Scope
from akt.activities.models import Attendance
from akt.grants.models import Grant
from akt.people import services
from akt.people.forms import (
    OrganizationFilterForm,
    OrganizationForm,
    PersonFilterForm,
    PersonForm,
)
from akt.people.models import Organization, Person

PAGE_SIZE = 25

OUTSIDE_SCOPE_PERSON = gettext_lazy(
    "This person would be outside the records you may see. Register participants from the "
    "roster of one of your activities instead."
)
OUTSIDE_SCOPE_ORGANIZATION = gettext_lazy(
    "This organization would be outside the records you may see."
)


def _persons_scope(request: HttpRequest) -> Scope:
    """The viewer's scope, refusing roles that may never read a person's record."""
    scope = scope_of(request)
    if not scope.may_see_persons:
        raise PermissionDenied
    return scope


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    scope = _persons_scope(request)
    form = PersonFilterForm(request.GET or None, scope=scope)
    persons = form.filter(
        scope.persons(
            Person.objects.select_related(
                "municipality__majority_community", "community", "organization"
            )
        )
    )
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/person_list.html", {"form": form, "page": page})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _persons_scope(request)
    person = get_visible_or_404(request, Person, pk)
    scope = scope_of(request)
    person = Person.objects.select_related(
        "municipality__majority_community", "community", "organization"
    ).get(pk=person.pk)
    attendances = (
        scope.attendances(Attendance.objects.filter(person=person))
        .select_related("activity__municipality__majority_community", "organization")
        .order_by("-activity__start_date", "pk")
    )
    return render(
        request,
        "people/person_detail.html",
        {"person": person, "attendances": attendances},
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    scope = _persons_scope(request)
    if not scope.may_edit:
        raise PermissionDenied
    form = PersonForm(request.POST if request.method == "POST" else None, scope=scope)
    if form.is_bound and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            # Component staff see persons through their activities' rosters only.
            form.add_error(None, OUTSIDE_SCOPE_PERSON)
        else:
            messages.success(request, _("The person was saved."))
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form})


@login_required
def person_update(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _persons_scope(request)
    person = get_editable_or_403(request, Person, pk)
    form = PersonForm(
        request.POST if request.method == "POST" else None, instance=person, scope=scope
    )
    if form.is_bound and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The person was saved."))
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = OrganizationFilterForm(request.GET or None, scope=scope)
    organizations = form.filter(
        scope.organizations(Organization.objects.select_related("municipality__majority_community"))
    )
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/organization_list.html", {"form": form, "page": page})


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_visible_or_404(request, Organization, pk)
    scope = scope_of(request)
    organization = Organization.objects.select_related("municipality__majority_community").get(
        pk=organization.pk
    )
    members = scope.persons(organization.members.select_related("community"))
    grants = scope.grants(Grant.objects.filter(recipient=organization)).select_related(
        "municipality__majority_community"
    )
    return render(
        request,
        "people/organization_detail.html",
        {"organization": organization, "members": members, "grants": grants},
    )


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.may_edit:
        raise PermissionDenied
    form = OrganizationForm(request.POST if request.method == "POST" else None, scope=scope)
    if form.is_bound and form.is_valid():
        try:
            organization = services.organization_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error(None, OUTSIDE_SCOPE_ORGANIZATION)
        else:
            messages.success(request, _("The organization was saved."))
            return redirect("people:organization_detail", pk=organization.pk)
    return render(request, "people/organization_form.html", {"form": form})


@login_required
def organization_update(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_editable_or_403(request, Organization, pk)
    form = OrganizationForm(
        request.POST if request.method == "POST" else None,
        instance=organization,
        scope=scope_of(request),
    )
    if form.is_bound and form.is_valid():
        try:
            services.organization_update(
                actor=request.user, organization=organization, data=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organization was saved."))
            return redirect("people:organization_detail", pk=organization.pk)
    return render(
        request,
        "people/organization_form.html",
        {"form": form, "organization": organization},
    )
