"""Forms for activities, rosters and tallies.

Every form is built for one viewer's ``Scope``: a focal point is offered only their municipality
and component staff only their component, so a choice outside the scope is refused by the form,
next to its field, before any service is called.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from akt.accounts.scope import Scope
from akt.activities.models import (
    Activity,
    ActivityKind,
    AgeBand,
    Attendance,
    PlannedActivity,
    Tally,
    Topic,
)
from akt.activities.services import ALREADY_ON_ROSTER
from akt.capacity.models import CapacityDevelopmentPlan, PlanAction
from akt.forms import DateInput, ScopedFilterForm, form_field, limit_to_scope
from akt.infrastructure.models import InfrastructureProject
from akt.people.models import Organization, Person, Sex
from akt.places.models import Community
from akt.program.dates import outside_program_warning
from akt.program.models import Component
from akt.void_pages import VoidedFilterMixin
from akt.web import ChangeReasonMixin

# How many persons the roster form offers at once; the search narrows the rest.
PERSON_CHOICES_SHOWN = 50

Activities = TypeVar("Activities", bound=QuerySet[Activity])


class PlanActionChoiceField(forms.ModelMultipleChoiceField):
    """Plan actions named with their municipality: several plans' actions share titles."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.plan.municipality.name}: {obj}"


class ActivityChoiceField(forms.ModelChoiceField):
    """Activities named by their date, title and kind: a clerk finds the one held."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.start_date:%Y-%m-%d} · {obj.title} ({obj.get_kind_display()})"


class ActivityForm(ChangeReasonMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "component",
            "municipality",
            "start_date",
            "end_date",
            "venue",
            "organizer",
            "attendance_form",
            "description",
            "project",
            "topics",
            "plan_actions",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "topics": forms.CheckboxSelectMultiple(),
            "plan_actions": forms.SelectMultiple(attrs={"size": 6}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    dates_confirmed = forms.BooleanField(
        label=_("The dates are right, although outside the program's"),
        required=False,
        widget=forms.HiddenInput(),
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_to_scope(self, scope)
        form_field(self, "project", forms.ModelChoiceField).queryset = scope.projects(
            InfrastructureProject.objects.all()
        )
        form_field(self, "topics", forms.ModelMultipleChoiceField).queryset = Topic.objects.all()
        actions = form_field(self, "plan_actions", forms.ModelMultipleChoiceField)
        self.fields["plan_actions"] = PlanActionChoiceField(
            queryset=PlanAction.objects.filter(
                plan__in=scope.plans(CapacityDevelopmentPlan.objects.counted())
            ).select_related("plan__municipality__majority_community"),
            required=False,
            label=actions.label,
            help_text=actions.help_text,
            widget=actions.widget,
        )
        # The organizer already recorded stays a choice, even one the viewer could not pick
        # (an organization of another municipality, from an import): editing the dates of
        # such an activity must not force a new organizer.
        form_field(self, "organizer", forms.ModelChoiceField).queryset = (
            scope.organizations(Organization.objects.all())
            | Organization.objects.filter(pk=self.instance.organizer_id)
        ).order_by("name", "id")

    def clean(self) -> dict[str, Any]:
        """Dates outside the program's are warned about once: the form comes back with the
        warning and a box to tick, and is saved as entered when it is ticked (see
        :mod:`akt.program.dates`). The box is the form's own, not the activity's."""
        super().clean()
        cleaned = self.cleaned_data
        confirmed = cleaned.pop("dates_confirmed", False)
        warning = outside_program_warning(
            cleaned.get("start_date"), cleaned.get("end_date"), cleaned.get("component")
        )
        changed = self.instance.pk is None or {"start_date", "end_date"} & set(self.changed_data)
        if warning and changed and not confirmed:
            self.fields["dates_confirmed"].widget = forms.CheckboxInput()
            self.add_error("dates_confirmed", warning)
        return cleaned


class ActivityFilterForm(VoidedFilterMixin, ScopedFilterForm):
    q = forms.CharField(label=_("Title contains"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *ActivityKind.choices], required=False
    )
    component = forms.ModelChoiceField(
        label=_("Component"),
        queryset=Component.objects.all(),
        required=False,
        empty_label=_("All components"),
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    field_order = ["q", "kind", "municipality", "component", "start", "end", "voided"]

    def filter(self, activities: Activities) -> Activities:
        """The activities matching the filters; an activity counts when its dates overlap."""
        if not self.is_valid():
            return activities
        data = self.cleaned_data
        if data["q"]:
            activities = activities.filter(title__icontains=data["q"].strip())
        for name in ("kind", "municipality", "component"):
            if data[name]:
                activities = activities.filter(**{name: data[name]})
        if data["start"]:
            activities = activities.filter(end_date__gte=data["start"])
        if data["end"]:
            activities = activities.filter(start_date__lte=data["end"])
        return activities


class AttendanceForm(ChangeReasonMixin, forms.ModelForm):
    """Puts an existing person on the roster.

    ``person`` accepts any person the viewer may see; the page offers at most
    ``PERSON_CHOICES_SHOWN`` of them at a time (those matching the search, if any).
    """

    class Meta:
        model = Attendance
        fields = ["person", "role", "organization", "affiliation"]
        help_texts = {
            "affiliation": _(
                "What the person was at this activity; leave it empty for the affiliation on "
                "their record."
            )
        }

    def __init__(
        self,
        *args: Any,
        scope: Scope,
        activity: Activity,
        candidates: list[Person] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.activity = activity
        person = form_field(self, "person", forms.ModelChoiceField)
        person.queryset = scope.persons(Person.objects.all())
        if candidates is not None:
            person.widget.choices = [("", person.empty_label)] + [
                (candidate.pk, person_label(candidate)) for candidate in candidates
            ]
        form_field(self, "organization", forms.ModelChoiceField).queryset = scope.organizations(
            Organization.objects.all()
        )

    def clean_person(self) -> Person:
        person = self.cleaned_data["person"]
        if Attendance.objects.filter(activity=self.activity, person=person).exists():
            raise forms.ValidationError(ALREADY_ON_ROSTER, code="unique")
        return person


def person_label(person: Person) -> str:
    """How a person is told apart in a list of choices: name, birth year, municipality."""
    parts = [person.full_name]
    if person.known_birth_year:
        parts.append(str(person.known_birth_year))
    if person.municipality is not None:
        parts.append(person.municipality.name)
    return ", ".join(parts)


class RosterRoleForm(ChangeReasonMixin, forms.ModelForm):
    """The roster fields asked when the person is registered on the spot."""

    class Meta:
        model = Attendance
        fields = ["role", "organization"]

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "organization", forms.ModelChoiceField).queryset = scope.organizations(
            Organization.objects.all()
        )


class TallyForm(ChangeReasonMixin, forms.ModelForm):
    """One headcount cell. An empty sex, community or age band is that split's unknown cell."""

    headcount = forms.IntegerField(label=_("Headcount"), min_value=1)

    class Meta:
        model = Tally
        fields = ["sex", "community", "age_band", "headcount"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The model's choices, with "Unknown" for the empty one instead of a dash.
        form_field(self, "sex", forms.ChoiceField).choices = [("", _("Unknown")), *Sex.choices]
        form_field(self, "age_band", forms.ChoiceField).choices = [
            ("", _("Unknown")),
            *AgeBand.choices,
        ]
        community = form_field(self, "community", forms.ModelChoiceField)
        community.queryset = Community.objects.all()
        community.empty_label = _("Unknown")


class PlannedActivityForm(forms.ModelForm):
    """An entry of a quarter's work plan."""

    class Meta:
        model = PlannedActivity
        fields = [
            "title",
            "kind",
            "component",
            "municipality",
            "planned_date",
            "expected_participants",
            "notes",
        ]
        widgets = {"planned_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_to_scope(self, scope)


class HeldAsForm(forms.Form):
    """The activity a planned one was held as: one of its municipality's, near its date."""

    held_as = ActivityChoiceField(
        label=_("Held as"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("Not held"),
    )

    def __init__(self, *args: Any, scope: Scope, planned: PlannedActivity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        near = scope.activities(Activity.objects.counted()).filter(
            municipality_id=planned.municipality_id,
            start_date__gte=planned.planned_date - timedelta(days=120),
            start_date__lte=planned.planned_date + timedelta(days=240),
        )
        free = near.filter(planned_as__isnull=True) | near.filter(planned_as=planned)
        held = form_field(self, "held_as", forms.ModelChoiceField)
        held.queryset = free.order_by("start_date", "title")
        held.initial = planned.held_as_id


class CancelForm(forms.Form):
    on = forms.DateField(label=_("Cancelled on"), widget=DateInput())
    reason = forms.CharField(
        label=_("Why was it cancelled?"), widget=forms.Textarea(attrs={"rows": 3})
    )
