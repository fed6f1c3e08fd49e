"""Who may do what in the grants workflow, beyond reading (which ``accounts.scope`` decides).

- M&E officers and administrators: everything.
- Component staff of the call's (or grant's) component: manage its calls, decide eligibility,
  award or reject, plan and pay tranches.
- Municipal focal points: enter and correct the applications of their municipality to a call
  open to it; record monitoring visits and follow-ups of their municipality's grants.
- Committee members (any user named on a call's committee): declare conflicts and score that
  call's applications, whatever their role.
- Donor viewers: read only; never the owner's sex, age or community.

Services call these before writing; pages call them to offer a button or refuse with 403.
"""

from __future__ import annotations

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.grants.models import Call, Grant


def _scope(user: object) -> Scope:
    return user if isinstance(user, Scope) else Scope.for_user(user)


def manages_component(user: object, component_id: int) -> bool:
    """M&E officers and administrators, or component staff of that component."""
    scope = _scope(user)
    if not scope.may_edit:
        return False
    if scope.all_records:
        return True
    return scope.municipality_id is None and scope.component_id == component_id


def manages_call(user: object, call: Call) -> bool:
    """May change the call, decide eligibility and award or reject its applications."""
    return manages_component(user, call.component_id)


def manages_grant_money(user: object, grant: Grant) -> bool:
    """May plan and pay a grant's tranches: the program's own staff, not a focal point."""
    return manages_component(user, grant.component_id)


def may_create_calls(user: object) -> bool:
    scope = _scope(user)
    return scope.may_edit and scope.municipality_id is None


def may_enter_application(user: object, call: Call, municipality_id: int | None) -> bool:
    """The call's managers, or the focal point of the application's municipality when the call
    is open to it."""
    if manages_call(user, call):
        return True
    scope = _scope(user)
    return (
        scope.may_edit
        and scope.municipality_id is not None
        and scope.municipality_id == municipality_id
        and call.municipalities.filter(pk=municipality_id).exists()
    )


def may_enter_applications_to(user: object, call: Call) -> bool:
    """Whether the "new application" page is theirs for this call."""
    scope = _scope(user)
    return manages_call(user, call) or (
        scope.municipality_id is not None
        and may_enter_application(user, call, scope.municipality_id)
    )


def on_committee(user: object, call: Call) -> bool:
    return isinstance(user, User) and user.is_active and call.committee.filter(pk=user.pk).exists()


def may_see_owner(user: object) -> bool:
    """The owner's sex, age and community: for roles that see persons only."""
    return _scope(user).may_see_persons


def manages_exchange_rates(user: object) -> bool:
    return _scope(user).manages_program
