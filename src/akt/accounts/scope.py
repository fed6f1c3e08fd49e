"""Who may see what: the one place where the scope rule lives.

Pages, exports, the API and drill-downs all filter through a ``Scope``, so a report a focal
point downloads holds exactly what that focal point may see on a page.

- administrator, M&E officer: everything.
- component staff: activities, grants and projects of their component; persons on those rosters;
  the organization registry.
- municipal focal point: activities, grants, plans, projects and organizations of their
  municipality; persons resident there.
- donor viewer: activities, organizations and aggregates, never a person's record.
- anonymous: nothing here (the public dashboard shows suppressed aggregates only).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, QuerySet

from akt.accounts.models import Role


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
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return cls(
                authenticated=False, all_records=False, may_see_persons=False, may_edit=False
            )
        role = getattr(user, "role", None)
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

    # -- querysets -------------------------------------------------------------------------

    def activities(self, qs: QuerySet) -> QuerySet:
        return self._by_place_or_component(qs, "municipality_id", "component_id")

    def grants(self, qs: QuerySet) -> QuerySet:
        return self._by_place_or_component(qs, "municipality_id", "component_id")

    def projects(self, qs: QuerySet) -> QuerySet:
        return self._by_place_or_component(qs, "municipality_id", "component_id")

    def plans(self, qs: QuerySet) -> QuerySet:
        return self._by_place_or_component(qs, "municipality_id", None)

    def organizations(self, qs: QuerySet) -> QuerySet:
        """Organizations are not personal data: a focal point sees their municipality's, every
        other signed-in role the whole registry (staff pick grant recipients from it)."""
        if not self.authenticated:
            return qs.none()
        if self.municipality_id is not None:
            return qs.filter(municipality_id=self.municipality_id)
        return qs

    def persons(self, qs: QuerySet) -> QuerySet:
        if not self.may_see_persons:
            return qs.none()
        if self.all_records:
            return qs
        if self.municipality_id is not None:
            return qs.filter(municipality_id=self.municipality_id)
        if self.component_id is not None:
            return qs.filter(attendances__activity__component_id=self.component_id).distinct()
        return qs.none()

    def attendances(self, qs: QuerySet) -> QuerySet:
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

    def import_batches(self, qs: QuerySet) -> QuerySet:
        """Imports of activities this viewer may see; their rows name persons, so only roles
        that see persons see them."""
        if not self.may_see_persons:
            return qs.none()
        return self._by_place_or_component(
            qs, "activity__municipality_id", "activity__component_id"
        )

    def municipality_ids(self) -> frozenset[int] | None:
        """The municipalities whose aggregates this viewer may read; None means all."""
        if self.municipality_id is not None:
            return frozenset({self.municipality_id})
        return None

    def _by_place_or_component(
        self, qs: QuerySet, municipality_field: str, component_field: str | None
    ) -> QuerySet:
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
        }
    )
    """Models (by label) that any signed-in viewer may open."""

    RULES = {
        "activities.Activity": "activities",
        "activities.Attendance": "attendances",
        "grants.Grant": "grants",
        "infrastructure.InfrastructureProject": "projects",
        "capacity.CapacityDevelopmentPlan": "plans",
        "people.Organization": "organizations",
        "people.Person": "persons",
        "intake.ImportBatch": "import_batches",
    }
    """Models (by label) whose records this viewer opens through one of the queryset rules
    above. Named by label, not imported: the apps holding the records sit above this one."""

    def may_see(self, obj: Model) -> bool:
        """Whether this viewer may open one record (used by views' object-access helper)."""
        label = obj._meta.label
        if label in self.REFERENCE_DATA:
            return self.authenticated  # reference data: any signed-in viewer
        rule = self.RULES.get(label)
        if rule is None:
            return False  # a record type without a rule is nobody's to open
        return getattr(self, rule)(type(obj).objects.filter(pk=obj.pk)).exists()
