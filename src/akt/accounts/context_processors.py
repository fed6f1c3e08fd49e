from __future__ import annotations

from django.http import HttpRequest

from akt.accounts.scope import Scope


def viewer(request: HttpRequest) -> dict[str, object]:
    """Makes the viewer's scope available to every template as ``scope``."""
    return {"scope": Scope.for_user(getattr(request, "user", None))}
