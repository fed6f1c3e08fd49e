"""Object access for views: one helper every view uses to fetch a record it may show."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from akt.accounts.models import User
from akt.accounts.scope import Scope

M = TypeVar("M", bound=Model)


def scope_of(request: HttpRequest) -> Scope:
    return Scope.for_user(request.user)


def signed_in_user(request: HttpRequest) -> User:
    """The user making a request behind ``login_required``: the actor a service records.

    Refused (403) should an anonymous visitor get this far: nothing is done in nobody's name.
    """
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def get_visible_or_404(request: HttpRequest, source: type[M] | QuerySet[M], pk: object) -> M:
    """The record if the viewer's scope includes it; 404 otherwise (its existence stays hidden).

    ``source`` is the model or a queryset of it (with the ``select_related`` the page needs):
    the record is fetched with the scope's rule in one query."""
    queryset = source._default_manager.all() if isinstance(source, type) else source
    return get_object_or_404(scope_of(request).visible(queryset), pk=pk)


def get_editable_or_403(request: HttpRequest, source: type[M] | QuerySet[M], pk: object) -> M:
    """The record if the viewer may see and change it: 404 when out of scope, 403 when read-only."""
    obj = get_visible_or_404(request, source, pk)
    if not scope_of(request).may_edit:
        raise PermissionDenied
    return obj
