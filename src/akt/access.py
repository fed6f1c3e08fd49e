"""Object access for views: one helper every view uses to fetch a record it may show."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from akt.accounts.scope import Scope

M = TypeVar("M", bound=Model)


def scope_of(request: HttpRequest) -> Scope:
    return Scope.for_user(request.user)


def get_visible_or_404(request: HttpRequest, model: type[M], pk: object) -> M:
    """The record if the viewer's scope includes it; 404 otherwise (its existence stays hidden)."""
    obj = get_object_or_404(model, pk=pk)
    if not scope_of(request).may_see(obj):
        raise Http404
    return obj


def get_editable_or_403(request: HttpRequest, model: type[M], pk: object) -> M:
    """The record if the viewer may see and change it: 404 when out of scope, 403 when read-only."""
    obj = get_visible_or_404(request, model, pk)
    if not scope_of(request).may_edit:
        raise PermissionDenied
    return obj
