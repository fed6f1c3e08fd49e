"""Pages for persons and organizations.

A person's record is personal data: roles whose scope excludes persons (the donor viewer) get
403 on every person page, rather than an empty list that would suggest there is nobody.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from akt.access import get_editable_or_403, get_visible_or_404, scope_of, signed_in_user
from akt.accounts.scope import Scope
from akt.people import services
from akt.people.forms import (
    OrganizationFilterForm,
    OrganizationForm,
    PersonFilterForm,
    PersonForm,
)
from akt.people.models import Organization, Person
from akt.web import submit_form

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
            Person.objects.canonical().select_related(
                "municipality__majority_community", "community", "organization"
            )
        )
    )
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/person_list.html", {"form": form, "page": page})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _persons_scope(request)
    person = get_visible_or_404(
        request,
        Person.objects.select_related(
            "municipality__majority_community", "community", "organization", "identity"
        ),
        pk,
    )
    scope = scope_of(request)
    # A resolved identity gathers the activities of every record resolved to it. The person a
    # record was resolved to is named only to a viewer who may see that person: a focal point's
    # resident may have been merged with a resident of another municipality.
    records = scope.persons(person.records.all()) if person.is_canonical else Person.objects.none()
    identity = (
        scope.persons(Person.objects.filter(pk=person.identity_id)).first()
        if person.identity_id
        else None
    )
    # The roster rows (activities sit above people: their model is reached through the relation).
    roster_rows = person.attendances.model.objects
    attendances = (
        scope.attendances(roster_rows.filter(Q(person=person) | Q(person__identity=person)))
        .select_related("activity__municipality__majority_community", "organization", "person")
        .order_by("-activity__start_date", "pk")
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "identity": identity,
            "attendances": attendances,
            "records": records,
        },
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    scope = _persons_scope(request)
    if not scope.may_edit:
        raise PermissionDenied
    form = PersonForm(request.POST if request.method == "POST" else None, scope=scope)
    return submit_form(
        request,
        form,
        lambda data: services.person_create(actor=signed_in_user(request), **data),
        saved_message=_("The person was saved."),
        success_url="people:person_detail",
        template="people/person_form.html",
        # Component staff see persons through their activities' rosters only.
        refused_message=OUTSIDE_SCOPE_PERSON,
    )


@login_required
def person_update(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _persons_scope(request)
    person = get_editable_or_403(request, Person, pk)
    form = PersonForm(
        request.POST if request.method == "POST" else None, instance=person, scope=scope
    )
    return submit_form(
        request,
        form,
        lambda data: services.person_update(
            actor=signed_in_user(request), person=person, data=data
        ),
        saved_message=_("The person was saved."),
        success_url="people:person_detail",
        template="people/person_form.html",
        context={"person": person},
    )


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
    organization = get_visible_or_404(
        request, Organization.objects.select_related("municipality__majority_community"), pk
    )
    scope = scope_of(request)
    members = scope.persons(organization.members.select_related("community"))
    grants = scope.grants(organization.grants.all()).select_related(
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
    return submit_form(
        request,
        form,
        lambda data: services.organization_create(actor=signed_in_user(request), **data),
        saved_message=_("The organization was saved."),
        success_url="people:organization_detail",
        template="people/organization_form.html",
        refused_message=OUTSIDE_SCOPE_ORGANIZATION,
    )


@login_required
def organization_update(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_editable_or_403(request, Organization, pk)
    form = OrganizationForm(
        request.POST if request.method == "POST" else None,
        instance=organization,
        scope=scope_of(request),
    )
    return submit_form(
        request,
        form,
        lambda data: services.organization_update(
            actor=signed_in_user(request), organization=organization, data=data
        ),
        saved_message=_("The organization was saved."),
        success_url="people:organization_detail",
        template="people/organization_form.html",
        context={"organization": organization},
    )
