"""Small-scale infrastructure projects, each bringing communities together in joint activities.

A project is selected with the communities it brings together, located by a point or by its
municipality alone, financed by USAID (the program's contribution), the municipality and the
community, spent against that budget, followed by its procurement and construction milestones,
completed and handed over to a municipal department. The writes are in :mod:`services`, the
reads other apps share in :mod:`selectors`, the budget arithmetic in :mod:`budget`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from akt.accounts.provenance import import_batch_field, source_row_field
from akt.accounts.voidable import Voidable
from akt.grants.models import Currency

# Kosovo's bounding box (WGS84 degrees): a project's point must lie inside it.
KOSOVO_SOUTH = Decimal("41.85")
KOSOVO_NORTH = Decimal("43.27")
KOSOVO_WEST = Decimal("20.01")
KOSOVO_EAST = Decimal("21.80")

COORDINATE_PLACES = 6
"""Decimal places a coordinate keeps (about 0.1 m): a GPS reading with more is rounded."""


def shown_coordinate(value: Decimal) -> str:
    """A coordinate as the person wrote it, without trailing zeros ("45.1", not "45.100000")."""
    return format(Decimal(value).normalize(), "f")


def validate_latitude(value: Decimal) -> None:
    """A project's latitude lies within Kosovo's bounding box; the message names the value."""
    if not KOSOVO_SOUTH <= value <= KOSOVO_NORTH:
        raise ValidationError(
            _(
                "The latitude %(value)s is outside Kosovo: it must be between %(south)s and "
                "%(north)s degrees north."
            ),
            code="latitude_outside_kosovo",
            params={"value": shown_coordinate(value), "south": KOSOVO_SOUTH, "north": KOSOVO_NORTH},
        )


def validate_longitude(value: Decimal) -> None:
    """A project's longitude lies within Kosovo's bounding box; the message names the value."""
    if not KOSOVO_WEST <= value <= KOSOVO_EAST:
        raise ValidationError(
            _(
                "The longitude %(value)s is outside Kosovo: it must be between %(west)s and "
                "%(east)s degrees east."
            ),
            code="longitude_outside_kosovo",
            params={"value": shown_coordinate(value), "west": KOSOVO_WEST, "east": KOSOVO_EAST},
        )


def in_kosovo(latitude: Decimal, longitude: Decimal) -> bool:
    return KOSOVO_SOUTH <= latitude <= KOSOVO_NORTH and KOSOVO_WEST <= longitude <= KOSOVO_EAST


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    COMPLETED = "completed", _("Completed")


class ContributionKind(models.TextChoices):
    CASH = "cash", _("In cash")
    IN_KIND = "in_kind", _("In kind")


class InfrastructureProject(Voidable):
    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    component = models.ForeignKey(
        "program.Component", verbose_name=_("component"), on_delete=models.PROTECT
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="infrastructure_projects",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    start_date = models.DateField(_("start date"))
    completion_date = models.DateField(_("completion date"), null=True, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.USD
    )
    program_contribution = models.DecimalField(
        _("program contribution"),
        max_digits=12,
        decimal_places=2,
        help_text=_("What USAID pays through the program."),
    )
    municipal_contribution = models.DecimalField(
        _("municipal co-financing"), max_digits=12, decimal_places=2, default=0
    )

    # -- selection: which communities the project brings together, and why it was chosen ---
    communities = models.ManyToManyField(
        "places.Community",
        verbose_name=_("communities involved"),
        blank=True,
        related_name="infrastructure_projects",
        limit_choices_to={"is_declared": True},
    )
    selection_date = models.DateField(_("selection date"), null=True, blank=True)
    selection_justification = models.TextField(
        _("justification"),
        blank=True,
        max_length=1000,
        help_text=_("Why this project was selected, in a few sentences."),
    )

    # -- location: a point, or the municipality alone --------------------------------------
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=COORDINATE_PLACES,
        null=True,
        blank=True,
        validators=[validate_latitude],
        help_text=_("Degrees north (WGS84), such as 42.6629; leave empty for no point."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=COORDINATE_PLACES,
        null=True,
        blank=True,
        validators=[validate_longitude],
        help_text=_("Degrees east (WGS84), such as 21.1655; leave empty for no point."),
    )

    # -- the community's share of the budget -----------------------------------------------
    community_contribution = models.DecimalField(
        _("community contribution"), max_digits=12, decimal_places=2, default=0
    )
    community_contribution_kind = models.CharField(
        _("form of the community contribution"),
        max_length=8,
        choices=ContributionKind.choices,
        blank=True,
        help_text=_("Cash, or in kind (work, materials) valued in the project's currency."),
    )

    # -- handover: to the municipal department that runs what was built ---------------------
    handover_date = models.DateField(_("handover date"), null=True, blank=True)
    handed_over_to = models.CharField(
        _("handed over to"),
        max_length=200,
        blank=True,
        help_text=_("The municipal department that takes the project over."),
    )
    completion_certificate = models.CharField(
        _("completion certificate"),
        max_length=64,
        blank=True,
        help_text=_("The reference number of the completion certificate."),
    )

    batch = import_batch_field("projects")
    source_row = source_row_field()

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("infrastructure project")
        verbose_name_plural = _("infrastructure projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completion_date__isnull=True)
                | models.Q(completion_date__gte=models.F("start_date")),
                name="project_completes_after_start",
                violation_error_message=_("The completion date must not be before the start."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(completion_date__isnull=False),
                name="project_completed_has_date",
                violation_error_message=_("A completed project needs its completion date."),
            ),
            models.CheckConstraint(
                condition=models.Q(program_contribution__gte=0)
                & models.Q(municipal_contribution__gte=0),
                name="project_contributions_not_negative",
                violation_error_message=_("Contributions cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(community_contribution__gte=0),
                name="project_community_contribution_not_negative",
                violation_error_message=_("Contributions cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(community_contribution=0)
                | ~models.Q(community_contribution_kind=""),
                name="project_community_contribution_has_kind",
                violation_error_message=_(
                    "Say whether the community contributes in cash or in kind."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(selection_date__isnull=True)
                | models.Q(selection_date__lte=models.F("start_date")),
                name="project_selected_before_start",
                violation_error_message=_("The selection date must not be after the start."),
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(
                    latitude__gte=KOSOVO_SOUTH,
                    latitude__lte=KOSOVO_NORTH,
                    longitude__gte=KOSOVO_WEST,
                    longitude__lte=KOSOVO_EAST,
                ),
                name="project_point_in_kosovo",
                violation_error_message=_("A point needs both coordinates, inside Kosovo."),
            ),
            models.CheckConstraint(
                condition=models.Q(handover_date__isnull=True)
                | models.Q(status="completed", handover_date__gte=models.F("completion_date")),
                name="project_handed_over_after_completion",
                violation_error_message=_(
                    "A project is handed over once it is completed, on or after its "
                    "completion date."
                ),
            ),
        ]

    @property
    def counts_on(self) -> date:
        """A project counts on its completion; an unfinished one on its start."""
        return self.completion_date or self.start_date

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        """Rules between fields, each reported on the field a person would correct."""
        super().clean()
        errors: dict[str, list[ValidationError]] = {}
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            errors[missing] = [
                ValidationError(
                    _("Give the longitude too, or neither coordinate.")
                    if missing == "longitude"
                    else _("Give the latitude too, or neither coordinate."),
                    code="half_a_point",
                )
            ]
        elif (
            self.latitude is not None
            and self.longitude is not None
            and not in_kosovo(self.latitude, self.longitude)
            and in_kosovo(self.longitude, self.latitude)
        ):
            errors["latitude"] = [
                ValidationError(
                    _(
                        "The latitude and the longitude look swapped: the latitude is about "
                        "42 in Kosovo, the longitude about 21."
                    ),
                    code="swapped_point",
                )
            ]
        if self.community_contribution and not self.community_contribution_kind:
            errors["community_contribution_kind"] = [
                ValidationError(
                    _("Say whether the community contributes in cash or in kind."),
                    code="kind_missing",
                )
            ]
        if errors:
            raise ValidationError(errors)

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def total_budget(self) -> Decimal:
        """USAID's contribution, the municipality's and the community's together."""
        return (
            Decimal(self.program_contribution)
            + Decimal(self.municipal_contribution)
            + Decimal(self.community_contribution)
        )

    @property
    def is_handed_over(self) -> bool:
        return self.handover_date is not None


class SpendingCategory(models.TextChoices):
    WORKS = "works", _("Works")
    SUPERVISION = "supervision", _("Supervision")
    EQUIPMENT = "equipment", _("Equipment")
    OTHER = "other", _("Other")


class Payer(models.TextChoices):
    """Who pays: the three shares of a project's budget."""

    USAID = "usaid", _("USAID")
    MUNICIPALITY = "municipality", _("Municipality")
    COMMUNITY = "community", _("Community")


class ProjectSpending(models.Model):
    """One payment against a project's budget, in the project's currency.

    Spending above the budget is recorded as it happened: the project's page flags it rather
    than refusing it.
    """

    project = models.ForeignKey(
        InfrastructureProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="spending",
    )
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    category = models.CharField(_("category"), max_length=16, choices=SpendingCategory.choices)
    paid_by = models.CharField(_("paid by"), max_length=16, choices=Payer.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)

    class Meta:
        ordering = ["project", "spent_on", "id"]
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="spending_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            )
        ]

    DATED_BY = ("spent_on",)
    """Fields whose change moves the day the payment counts on."""

    def __str__(self) -> str:
        return f"{self.project.code} {self.spent_on.isoformat()} {self.amount}"

    @property
    def counts_on(self) -> date:
        """A payment counts on the day it was made."""
        return self.spent_on


class MilestoneKind(models.TextChoices):
    """The procurement and construction milestones, in the order they happen."""

    TENDER_PUBLISHED = "tender_published", _("Tender published")
    CONTRACT_SIGNED = "contract_signed", _("Contract signed")
    WORKS_STARTED = "works_started", _("Works started")
    WORKS_HALFWAY = "works_halfway", _("Works at 50%")
    WORKS_COMPLETED = "works_completed", _("Works completed")
    HANDOVER = "handover", _("Handover")


MILESTONE_ORDER = {kind: number for number, kind in enumerate(MilestoneKind.values)}
"""A milestone kind's place in the sequence (tender first, handover last)."""


class MilestoneStatus(models.TextChoices):
    """Not stored: a milestone is done when it has its actual date, late when its planned date
    has passed without one, pending otherwise."""

    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    LATE = "late", _("Late")


class ProjectMilestone(models.Model):
    project = models.ForeignKey(
        InfrastructureProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    kind = models.CharField(_("milestone"), max_length=24, choices=MilestoneKind.choices)
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(
        _("actual date"),
        null=True,
        blank=True,
        help_text=_("The day it happened; empty until then."),
    )
    note = models.TextField(_("note"), blank=True, max_length=1000)

    class Meta:
        ordering = ["project", "planned_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind"],
                name="milestone_once_per_project",
                violation_error_message=_("This project already has this milestone."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_kind_display()}"

    WORKS = frozenset(
        {
            MilestoneKind.WORKS_STARTED,
            MilestoneKind.WORKS_HALFWAY,
            MilestoneKind.WORKS_COMPLETED,
            MilestoneKind.HANDOVER,
        }
    )
    """Milestones of the works themselves: none before the project's start."""

    def clean(self) -> None:
        super().clean()
        project = self.project if self.project_id else None
        if project is not None:
            # Procurement comes after the project was selected; the works after its start.
            earliest, message = (
                project.selection_date,
                _("A milestone cannot come before the project was selected (%(date)s)."),
            )
            if self.kind in self.WORKS and project.start_date:
                earliest, message = (
                    project.start_date,
                    _("The works cannot come before the project's start (%(date)s)."),
                )
            for name in ("planned_date", "actual_date"):
                day = getattr(self, name)
                if earliest is not None and day is not None and day < earliest:
                    raise ValidationError(
                        {
                            name: ValidationError(
                                message % {"date": date_format(earliest, "DATE_FORMAT")},
                                code="too_early",
                            )
                        }
                    )
        if self.actual_date is not None and self.actual_date > timezone.localdate():
            raise ValidationError(
                {
                    "actual_date": ValidationError(
                        _("The actual date cannot be in the future: leave it empty until then."),
                        code="future",
                    )
                }
            )

    def status_on(self, day: date) -> str:
        """Done with an actual date; late when ``day`` is past the planned date without one."""
        if self.actual_date is not None:
            return MilestoneStatus.DONE
        if self.planned_date < day:
            return MilestoneStatus.LATE
        return MilestoneStatus.PENDING

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return str(MilestoneStatus(self.status).label)

    @property
    def is_late(self) -> bool:
        return self.status == MilestoneStatus.LATE

    @property
    def sequence(self) -> int:
        return MILESTONE_ORDER.get(self.kind, len(MILESTONE_ORDER))
