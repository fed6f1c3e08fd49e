"""Who may see what: the one place where the scope rule lives.

Pages, exports, the API and drill-downs all filter through a ``Scope``, so a report a focal
point downloads holds exactly what that focal point may see on a page.

- administrator, M&E officer: everything.
- component staff: activities, grants and projects of their component; persons on those rosters;
  the organization registry; the grant calls of their component and the applications to them.
- municipal focal point: activities, grants, plans, projects and organizations of their
  municipality; persons resident there; the grant calls open to their municipality and the
  applications from it.
- donor viewer: activities, organizations, grant calls and applications, and aggregates, never a
  person's record (nor a grant applicant owner's sex, age or community).
- anonymous: nothing here (the public dashboard shows suppressed aggregates only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from akt.accounts.models import Role, User

QS = TypeVar("QS", bound=QuerySet[Any])
"""A queryset a rule narrows: a model's own queryset class comes back as it went in."""


@dataclass(frozen=True)
class Scope:
    authenticated: bool
    all_records: bool
    may_see_persons: bool
    may_edit: bool
    municipality_id: int | None = None
    component_id: int | None = None

    @classmethod
    def for_user(cls, user: object) -> Scope:
        """The scope of ``user``; anything but an active signed-in user (an anonymous user,
        ``None``) sees nothing. (``request.user``'s lazy wrapper passes ``isinstance``.)"""
        if not isinstance(user, User) or not user.is_active:
            return cls(
                authenticated=False, all_records=False, may_see_persons=False, may_edit=False
            )
        role = user.role
        if user.is_superuser or role in (Role.ADMINISTRATOR, Role.ME_OFFICER):
            return cls(authenticated=True, all_records=True, may_see_persons=True, may_edit=True)
        if role == Role.FOCAL_POINT:
            return cls(
                authenticated=True,
                all_records=False,
                may_see_persons=True,
                may_edit=True,
                municipality_id=user.municipality_id,
            )
        if role == Role.COMPONENT_STAFF:
            return cls(
                authenticated=True,
                all_records=False,
                may_see_persons=True,
                may_edit=True,
                component_id=user.component_id,
            )
        return cls(authenticated=True, all_records=True, may_see_persons=False, may_edit=False)

    # -- what the viewer may do beyond reading and editing records of their part -----------

    @property
    def manages_program(self) -> bool:
        """M&E officers and administrators: every record, and the right to change it."""
        return self.all_records and self.may_edit

    @property
    def may_resolve_identities(self) -> bool:
        """Merging, splitting and reviewing persons."""
        return self.manages_program and self.may_see_persons

    @property
    def may_manage_indicators(self) -> bool:
        """Editing reference sheets and targets."""
        return self.manages_program

    @property
    def may_report(self) -> bool:
        """Submitting, returning and approving reporting quarters."""
        return self.manages_program

    def may_void(self, record: Model) -> bool:
        """Voiding or restoring ``record``: M&E officers and administrators any record,
        component staff their component's; focal points and readers none."""
        if not self.may_edit:
            return False
        if self.all_records:
            return True
        if self.component_id is not None and self.municipality_id is None:
            return self.may_see(record)
        return False

    # -- querysets -------------------------------------------------------------------------

    def activities(self, qs: QS) -> QS:
        return self._by_place_or_component(qs, "municipality_id", "component_id")

    def grants(self, qs: QS) -> QS:
        return self._by_place_or_component(qs, "municipality_id", "component_id")

    def projects(self, qs: QS) -> QS:
        return self._by_place_or_component(qs, "municipality_id", "component_id")

    def plans(self, qs: QS) -> QS:
        return self._by_place_or_component(qs, "municipality_id", None)

    def grant_calls(self, qs: QS) -> QS:
        """Calls for grant applications: a focal point sees those open to their municipality
        (to enter its applications), component staff their component's."""
        if not self.authenticated:
            return qs.none()
        if self.all_records:
            return qs
        if self.municipality_id is not None:
            return qs.filter(municipalities=self.municipality_id)
        if self.component_id is not None:
            return qs.filter(component_id=self.component_id)
        return qs.none()

    def grant_applications(self, qs: QS) -> QS:
        """Applications to grant calls: a focal point's from their municipality, component staff
        those to their component's calls. The owner's sex, age and community on them are for
        roles that see persons only (the pages leave them out otherwise)."""
        return self._by_place_or_component(qs, "municipality_id", "call__component_id")

    def organizations(self, qs: QS) -> QS:
        """Organizations are not personal data: a focal point sees their municipality's, every
        other signed-in role the whole registry (staff pick grant recipients from it)."""
        if not self.authenticated:
            return qs.none()
        if self.municipality_id is not None:
            return qs.filter(municipality_id=self.municipality_id)
        return qs

    def persons(self, qs: QS) -> QS:
        if not self.may_see_persons:
            return qs.none()
        if self.all_records:
            return qs
        if self.municipality_id is not None:
            return qs.filter(municipality_id=self.municipality_id)
        if self.component_id is not None:
            return qs.filter(attendances__activity__component_id=self.component_id).distinct()
        return qs.none()

    def attendances(self, qs: QS) -> QS:
        """Roster rows whose person this viewer may see, on activities they may see."""
        if not self.may_see_persons:
            return qs.none()
        if self.all_records:
            return qs
        if self.municipality_id is not None:
            return qs.filter(
                activity__municipality_id=self.municipality_id,
                person__municipality_id=self.municipality_id,
            )
        return qs.filter(activity__component_id=self.component_id)

    def import_batches(self, qs: QS) -> QS:
        """Imports of activities this viewer may see; their rows name persons, so only roles
        that see persons see them."""
        if not self.may_see_persons:
            return qs.none()
        return self._by_place_or_component(
            qs, "activity__municipality_id", "activity__component_id"
        )

    def sees_roster_row(
        self,
        *,
        uploaded_it: bool,
        resident_of: int | None,
        residence_unread: bool,
        activity_municipality_id: int | None,
    ) -> bool:
        """Whether this viewer may read one row of a roster import they see (a row names a
        person: name, birth date, community).

        A focal point reads every row of a file they uploaded themselves (they hold the file);
        in a file someone else uploaded, only the rows of their municipality's residents. A row
        whose municipality cell is blank is a resident of the activity's municipality (the
        import records them there); a row whose cell names no municipality the sheet could read
        (misspelt, another country's) may be anyone's resident and is withheld. Other roles
        that see persons read every row.
        """
        if not self.may_see_persons:
            return False
        if self.municipality_id is None or uploaded_it:
            return True
        if resident_of is None:
            if residence_unread:
                return False
            resident_of = activity_municipality_id
        return resident_of == self.municipality_id

    def municipality_ids(self) -> frozenset[int] | None:
        """The municipalities whose aggregates this viewer may read; None means all."""
        if self.municipality_id is not None:
            return frozenset({self.municipality_id})
        return None

    def _by_place_or_component(
        self, qs: QS, municipality_field: str, component_field: str | None
    ) -> QS:
        if not self.authenticated:
            return qs.none()
        if self.all_records:
            return qs
        if self.municipality_id is not None:
            return qs.filter(**{municipality_field: self.municipality_id})
        if self.component_id is not None and component_field:
            return qs.filter(**{component_field: self.component_id})
        return qs.none()

    REFERENCE_DATA = frozenset(
        {
            "indicators.Indicator",
            "places.Municipality",
            "places.Community",
            "activities.Topic",
            "program.Component",
            "grants.ExchangeRate",
        }
    )
    """Models (by label) that any signed-in viewer may open."""

    RULES = {
        "activities.Activity": "activities",
        "activities.PlannedActivity": "activities",  # a work plan's entry: as an activity
        "activities.Attendance": "attendances",
        "grants.Grant": "grants",
        "grants.Call": "grant_calls",
        "grants.Application": "grant_applications",
        "infrastructure.InfrastructureProject": "projects",
        "capacity.CapacityDevelopmentPlan": "plans",
        "people.Organization": "organizations",
        "people.Person": "persons",
        "intake.ImportBatch": "import_batches",
    }
    """Models (by label) whose records this viewer opens through one of the queryset rules
    above. Named by label, not imported: the apps holding the records sit above this one."""

    def visible(self, qs: QS) -> QS:
        """The records of ``qs`` this viewer may open, by the rule of its model (reference data
        for any signed-in viewer; a model without a rule for nobody)."""
        label = qs.model._meta.label
        if label in self.REFERENCE_DATA:
            return qs if self.authenticated else qs.none()
        rule = self.RULES.get(label)
        if rule is None:
            return qs.none()  # a record type without a rule is nobody's to open
        return getattr(self, rule)(qs)

    def may_see(self, obj: Model) -> bool:
        """Whether this viewer may open one record."""
        return self.visible(type(obj)._default_manager.filter(pk=obj.pk)).exists()


def may_read_audit_log(user: object) -> bool:
    """The audit log page (every change by everyone, before and after): administrators only.

    Not a ``Scope`` rule: the log is about people's work on every record, which an M&E officer
    who sees every record still does not browse."""
    return (
        isinstance(user, User)
        and user.is_active
        and (user.is_superuser or user.role == Role.ADMINISTRATOR)
    )
