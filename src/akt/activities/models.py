"""Activities and their attendance.

Attendance comes in two forms, both first-class: a roster of named persons (``Attendance``) and
anonymous headcounts by sex, community and age band (``Tally``) for events too large to register
names.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from akt.accounts.provenance import external_ref_field, import_batch_field, source_row_field
from akt.accounts.voidable import Voidable, VoidableQuerySet
from akt.people.models import Affiliation, Sex
from akt.translation import LocalizedNameMixin

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ActivityKind(models.TextChoices):
    PUBLIC_DEBATE = "public_debate", _("Public debate")
    PUBLIC_HEARING = "public_hearing", _("Public hearing")
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    JOINT_ACTIVITY = "joint_activity", _("Joint interethnic activity")
    BUSINESS_SERVICE = "business_service", _("Business development service")
    TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")
    MEETING = "meeting", _("Meeting")


class AttendanceForm(models.TextChoices):
    """How an activity's attendance is recorded: names on a roster, or anonymous headcounts."""

    ROSTER = "roster", _("Roster of names")
    TALLY = "tally", _("Headcounts (tally)")


class AgeBand(models.TextChoices):
    """Age bands of anonymous tallies; the same labels as the indicator engine's defaults."""

    CHILD = "0-14", _("Under 15")
    YOUTH = "15-29", _("15 to 29")
    ADULT = "30+", _("30 and over")


class Topic(LocalizedNameMixin, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_sq = models.CharField(_("name (Albanian)"), max_length=120)
    name_sr_latn = models.CharField(_("name (Serbian, Latin)"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Participants(TypedDict):
    """What ``ActivityQuerySet.with_participants`` adds to each activity."""

    roster_count: int
    tallied: int


class ActivityQuerySet(VoidableQuerySet["Activity"]):
    def with_participants(self) -> VoidableQuerySet[WithAnnotations[Activity, Participants]]:
        """Adds ``roster_count`` and ``tallied`` without joining both (which would multiply
        them)."""
        roster = (
            Attendance.objects.filter(activity=OuterRef("pk"))
            .order_by()
            .values("activity")
            .annotate(n=Count("pk"))
            .values("n")
        )
        tallied = (
            Tally.objects.filter(activity=OuterRef("pk"))
            .order_by()
            .values("activity")
            .annotate(n=Sum("headcount"))
            .values("n")
        )
        annotated = self.annotate(
            roster_count=Coalesce(Subquery(roster, output_field=IntegerField()), 0),
            tallied=Coalesce(Subquery(tallied, output_field=IntegerField()), 0),
        )
        # The plugin names the annotations but not their types (both integers, never null).
        return cast("VoidableQuerySet[WithAnnotations[Activity, Participants]]", annotated)


class Activity(Voidable):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=ActivityKind.choices)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    component = models.ForeignKey(
        "program.Component", verbose_name=_("component"), on_delete=models.PROTECT
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    project = models.ForeignKey(
        "infrastructure.InfrastructureProject",
        verbose_name=_("infrastructure project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="joint_activities",
        help_text=_("For joint interethnic activities of a small infrastructure project."),
    )
    plan_actions = models.ManyToManyField(
        "capacity.PlanAction",
        verbose_name=_("capacity plan actions served"),
        blank=True,
        related_name="activities",
        help_text=_("The actions of the municipality's capacity development plan it serves."),
    )
    organizer = models.ForeignKey(
        "people.Organization",
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organized_activities",
    )
    attendance_form = models.CharField(
        _("attendance recorded as"),
        max_length=8,
        choices=AttendanceForm.choices,
        blank=True,
        help_text=_("A roster of names, or headcounts for events too large to register names."),
    )
    external_ref = external_ref_field(
        _("The activity's number in the list it was imported from; unique where set.")
    )
    batch = import_batch_field("activities")
    source_row = source_row_field()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["municipality", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="activity_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=~models.Q(external_ref=""),
                name="activity_external_ref_unique",
                violation_error_message=_("Another activity has this external reference."),
            ),
        ]

    DATED_BY = ("start_date",)
    """Fields whose change moves the day the activity counts on."""

    def __str__(self) -> str:
        return self.title

    @property
    def counts_on(self) -> date:
        """The day the activity and its roster and headcounts count on: its start."""
        return self.start_date

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The end date must not be before the start date.")}
            )
        if (
            self.municipality_id
            and self.project is not None
            and self.project.municipality_id != self.municipality_id
        ):
            raise ValidationError(
                {"project": _("The project and the activity are in different municipalities.")}
            )


class AttendanceRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    SPEAKER = "speaker", _("Speaker")
    TRAINER = "trainer", _("Trainer")
    ORGANIZER = "organizer", _("Organizer")


class Attendance(models.Model):
    """One named person on an activity's roster."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    role = models.CharField(
        _("role"), max_length=16, choices=AttendanceRole.choices, default=AttendanceRole.PARTICIPANT
    )
    organization = models.ForeignKey(
        "people.Organization",
        verbose_name=_("representing"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        help_text=_("The farm, business or office the person attended for."),
    )
    affiliation = models.CharField(
        _("affiliation"),
        max_length=24,
        choices=Affiliation.choices,
        blank=True,
        help_text=_(
            "What the person was when they attended (a municipal employee, a finance "
            "officer, ...): taken from the person when the row is entered, and kept, so a later "
            "change of job does not change the figures of earlier activities."
        ),
    )
    batch = import_batch_field("attendances")
    source_row = source_row_field()
    source_key = models.CharField(
        _("submission"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("The identifier of the Kobo or ODK submission this row came from."),
    )

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                name="attendance_person_once_per_activity",
                violation_error_message=_("This person is already on the activity's roster."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.activity}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new row that does not say what the person was takes their record's affiliation
        (rows written in bulk are given it by their writer)."""
        if self._state.adding and not self.affiliation and self.person_id is not None:
            self.affiliation = self.person.affiliation
        super().save(*args, **kwargs)

    @property
    def counts_on(self) -> date:
        """A roster row counts on its activity's day."""
        return self.activity.start_date


class Tally(models.Model):
    """An anonymous headcount of one sex x community x age band cell of an activity.

    An empty sex, community or age band is the "unknown" cell of that split.
    """

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="tallies"
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    community = models.ForeignKey(
        "places.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"))
    batch = import_batch_field("tallies")
    source_row = source_row_field()

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(headcount__gte=1),
                name="tally_headcount_positive",
                violation_error_message=_("The headcount must be at least 1."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.headcount}"

    @property
    def counts_on(self) -> date:
        """A headcount counts on its activity's day."""
        return self.activity.start_date

    def clean(self) -> None:
        if not self.activity_id:
            return
        duplicate = Tally.objects.filter(
            activity_id=self.activity_id,
            sex=self.sex,
            community=self.community_id,
            age_band=self.age_band,
        ).exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError(
                _("This activity already has a headcount for this sex, community and age band.")
            )


class PlannedActivityQuerySet(models.QuerySet["PlannedActivity"]):
    def in_window(self, start: date, end: date) -> PlannedActivityQuerySet:
        return self.filter(planned_date__gte=start, planned_date__lte=end)

    def standing(self) -> PlannedActivityQuerySet:
        """Planned activities not cancelled: held, or still to be held."""
        return self.filter(cancelled_on__isnull=True)


class PlannedActivity(models.Model):
    """An activity in a quarter's work plan: what the program means to hold, where, when and for
    how many people; then the activity it was held as, or why it was cancelled.

    Its quarter is the quarter of its planned date; a postponement moves the date (and so the
    quarter), and the audit log keeps the earlier date.
    """

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=ActivityKind.choices)
    component = models.ForeignKey(
        "program.Component", verbose_name=_("component"), on_delete=models.PROTECT
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="planned_activities",
    )
    planned_date = models.DateField(_("planned date"))
    expected_participants = models.PositiveIntegerField(
        _("expected participants"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    held_as = models.OneToOneField(
        Activity,
        verbose_name=_("held as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_as",
        help_text=_("The activity recorded when it took place."),
    )
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlannedActivityQuerySet.as_manager()

    class Meta:
        ordering = ["planned_date", "municipality", "id"]
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        indexes = [models.Index(fields=["planned_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cancelled_on__isnull=True) | models.Q(held_as__isnull=True),
                name="planned_activity_held_or_cancelled",
                violation_error_message=_("A planned activity is held or cancelled, not both."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    STATUS_LABELS = {
        "held": _("Held"),
        "cancelled": _("Cancelled"),
        "overdue": _("Not held yet, date passed"),
        "planned": _("Planned"),
    }

    @property
    def status_label(self) -> str:
        return str(self.STATUS_LABELS[self.status])

    @property
    def status(self) -> str:
        """held, cancelled, overdue (its date passed, not held) or planned."""
        if self.held_as_id is not None:
            return "held"
        if self.cancelled_on is not None:
            return "cancelled"
        if self.planned_date < date.today():
            return "overdue"
        return "planned"
