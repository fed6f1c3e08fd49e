from __future__ import annotations

from django.http import HttpRequest

from akt.accounts.scope import Scope, may_read_audit_log


def viewer(request: HttpRequest) -> dict[str, object]:
    """Makes the viewer's scope available to every template as ``scope``, and whether they may
    browse the audit log as ``may_read_audit_log``."""
    user = getattr(request, "user", None)
    return {"scope": Scope.for_user(user), "may_read_audit_log": may_read_audit_log(user)}
