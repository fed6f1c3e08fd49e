"""``{{ organization|organization_label:scope }}``: an organization's name as the viewer may read
it (a neutral label for a natural person and a viewer who does not see persons; see
:mod:`akt.people.natural`)."""

from __future__ import annotations

from django import template

from akt.accounts.scope import Scope
from akt.people.models import Organization
from akt.people.natural import organization_label as label_for

register = template.Library()


@register.filter
def organization_label(organization: Organization | None, scope: object) -> str:
    """Without a scope (a template rendered outside a request) nobody is assumed to see
    persons: the neutral label is the safe default."""
    if not isinstance(scope, Scope):
        scope = Scope(authenticated=False, all_records=False, may_see_persons=False, may_edit=False)
    return label_for(organization, scope)
