"""Capacity development plans agreed with each partner municipality, their actions, and the
capacity assessments that measure where a municipality stands, area by area, over time.

- :class:`CapacityArea`: the five areas of the assessment tool (reference data, loaded by a data
  migration from ``data/areas.yaml``), named in English, Albanian and Serbian.
- :class:`CapacityDevelopmentPlan`: one per municipality and period, a draft until the municipal
  assembly adopts it (the adoption date and the assembly's decision).
- :class:`PlanAction`: what the plan commits to, in one area, with who is responsible, when it is
  due and when it was done.
- :class:`CapacityAssessment` and :class:`AssessmentScore`: one assessment of a municipality on a
  day, scoring every area from 1 to 5 with the evidence the score rests on.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from akt.accounts.provenance import external_ref_field, import_batch_field, source_row_field
from akt.accounts.voidable import Voidable
from akt.capacity.progress import HIGHEST_SCORE, LOWEST_SCORE
from akt.translation import LocalizedNameMixin


class ScoreLevel(models.IntegerChoices):
    """What each score of the assessment scale means (the form and the page explain it)."""

    ABSENT = 1, _("1: absent")
    EMERGING = 2, _("2: emerging")
    DEVELOPING = 3, _("3: developing")
    ESTABLISHED = 4, _("4: established")
    ADVANCED = 5, _("5: advanced")


class CapacityArea(LocalizedNameMixin, models.Model):
    """One area of municipal capacity the assessment tool scores (human resources, finance and
    own-source revenue, ...). Reference data: its names are data, in each language; the Serbian
    Cyrillic name is derived from the Latin one."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_sq = models.CharField(_("name (Albanian)"), max_length=120)
    name_sr_latn = models.CharField(_("name (Serbian, Latin)"), max_length=120)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("capacity area")
        verbose_name_plural = _("capacity areas")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class CapacityDevelopmentPlan(Voidable):
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="capacity_plans",
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    decision_reference = models.CharField(
        _("assembly decision"),
        max_length=100,
        blank=True,
        help_text=_("The number of the municipal assembly's decision adopting the plan."),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    external_ref = external_ref_field(
        _("The plan's number in the list it was imported from; unique where set.")
    )
    batch = import_batch_field("plans")
    source_row = source_row_field()

    DATED_BY = ("adopted_on", "period_start")
    """The fields whose change moves the day the plan counts on (see :attr:`counts_on`): a
    change that moves it out of an approved quarter needs a reason, as one moving it in."""

    class Meta:
        ordering = ["municipality__name_sq", "period_start"]
        verbose_name = _("capacity development plan")
        verbose_name_plural = _("capacity development plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="plan_period_ends_after_start",
                violation_error_message=_("The period end must not be before its start."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="adopted") | models.Q(adopted_on__isnull=False),
                name="plan_adopted_has_date",
                violation_error_message=_("An adopted plan needs its adoption date."),
            ),
            models.UniqueConstraint(
                fields=["municipality", "period_start"],
                name="plan_unique_per_municipality_period",
                violation_error_message=_(
                    "This municipality already has a plan starting on this date."
                ),
            ),
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=~models.Q(external_ref=""),
                name="plan_external_ref_unique",
                violation_error_message=_("Another plan has this external reference."),
            ),
        ]

    @property
    def counts_on(self) -> date:
        """A plan counts on its adoption; a draft on the start of its period."""
        return self.adopted_on or self.period_start

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class PlanActionQuerySet(models.QuerySet["PlanAction"]):
    def counted(self) -> PlanActionQuerySet:
        """Actions of plans that count (a voided plan takes its actions out with it)."""
        return self.filter(plan__voided_at__isnull=True)

    def overdue(self, today: date | None = None) -> PlanActionQuerySet:
        """Actions not done whose due date has passed."""
        today = today or timezone.localdate()
        return self.exclude(status=ActionStatus.DONE).filter(due_date__lt=today)


class PlanAction(models.Model):
    """One thing a plan commits the municipality to, in one capacity area.

    ``capacity_area`` is the area, one of the assessment's. ``area`` is the area as words: what
    a list imported it as, or what was typed before actions had one of the five areas. It stays
    as written (an imported list is recognised by its values when imported again) and is shown
    where it names no area.

    A done action needs its completion date: the pages and services require it. The database
    does not, because actions recorded as done before the date was kept, and lists imported
    without it, have none; they are done on a day not known, and no window counts them.
    """

    plan = models.ForeignKey(
        CapacityDevelopmentPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    title = models.CharField(_("title"), max_length=200)
    capacity_area = models.ForeignKey(
        CapacityArea,
        verbose_name=_("capacity area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    area = models.CharField(
        _("area as written"),
        max_length=100,
        blank=True,
        help_text=_(
            "The area in the words of the list the action came from, kept as written; shown "
            "where it names none of the capacity areas."
        ),
    )
    owner = models.CharField(
        _("responsible"),
        max_length=200,
        blank=True,
        help_text=_("The municipal office or the person responsible for the action."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    external_ref = external_ref_field(
        _("The action's number in the list it was imported from; unique where set.")
    )
    batch = import_batch_field("plan_actions")
    source_row = source_row_field()

    objects = PlanActionQuerySet.as_manager()

    DATED_BY = ("completed_on",)
    """The field whose change moves the day the action counts on (see :attr:`counts_on`)."""

    class Meta:
        ordering = ["plan", "due_date", "id"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        constraints = [
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=~models.Q(external_ref=""),
                name="plan_action_external_ref_unique",
                violation_error_message=_("Another plan action has this external reference."),
            ),
            models.CheckConstraint(
                condition=models.Q(status="done") | models.Q(completed_on__isnull=True),
                name="plan_action_completed_only_when_done",
                violation_error_message=_("Only a done action has a completion date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def counts_on(self) -> date | None:
        """A done action counts on the day it was completed; one not done counts nowhere."""
        return self.completed_on if self.status == ActionStatus.DONE else None

    @property
    def is_overdue(self) -> bool:
        """Not done, and its due date has passed."""
        return (
            self.status != ActionStatus.DONE
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class CapacityAssessmentQuerySet(models.QuerySet["CapacityAssessment"]):
    def counted(self) -> CapacityAssessmentQuerySet:
        """Assessments the figures count: all but those of a voided plan."""
        return self.filter(plan__voided_at__isnull=True)  # a left join: no plan counts too


class CapacityAssessment(models.Model):
    """A municipality's capacity assessed on one day: every area scored from 1 to 5, each score
    with the evidence it rests on (:class:`AssessmentScore`).

    An assessment belongs to the municipality; it may name the plan it informs or reviews
    (a baseline often comes before the plan it leads to). Assessments repeat over the years, and
    the change between them, area by area, is what the program follows.
    """

    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="capacity_assessments",
    )
    plan = models.ForeignKey(
        CapacityDevelopmentPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
        help_text=_("The capacity development plan this assessment informs or reviews, if any."),
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.CharField(
        _("assessed by"),
        max_length=200,
        help_text=_("Who carried out the assessment: the team, the people or the organization."),
    )
    method = models.TextField(
        _("method"),
        blank=True,
        help_text=_(
            "How the assessment was made: interviews, documents reviewed, a self-assessment "
            "workshop, ..."
        ),
    )

    objects = CapacityAssessmentQuerySet.as_manager()

    DATED_BY = ("assessed_on",)
    """The field whose change moves the day the assessment counts on."""

    class Meta:
        ordering = ["municipality__name_sq", "assessed_on", "id"]
        verbose_name = _("capacity assessment")
        verbose_name_plural = _("capacity assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "assessed_on"],
                name="assessment_once_per_municipality_day",
                violation_error_message=_(
                    "This municipality already has an assessment on this date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.assessed_on.isoformat()}"

    @property
    def counts_on(self) -> date:
        return self.assessed_on

    def clean(self) -> None:
        plan = self.plan if self.plan_id is not None else None
        if (
            plan is not None
            and self.municipality_id is not None
            and plan.municipality_id != self.municipality_id
        ):
            raise ValidationError(
                {"plan": _("The plan must be one of this municipality's plans.")},
                code="plan-municipality",
            )


class AssessmentScore(models.Model):
    """One area's score in one assessment, and the evidence it rests on."""

    assessment = models.ForeignKey(
        CapacityAssessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    area = models.ForeignKey(
        CapacityArea,
        verbose_name=_("capacity area"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    score = models.PositiveSmallIntegerField(
        pgettext_lazy("capacity assessment", "score"), choices=ScoreLevel.choices
    )
    evidence = models.TextField(
        _("evidence"), help_text=_("What the score rests on: documents, practice seen, figures.")
    )

    class Meta:
        ordering = ["assessment", "area__sort_order", "area__code"]
        verbose_name = _("assessment score")
        verbose_name_plural = _("assessment scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "area"],
                name="assessment_score_once_per_area",
                violation_error_message=_("This assessment already scores this area."),
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=LOWEST_SCORE, score__lte=HIGHEST_SCORE),
                name="assessment_score_1_to_5",
                violation_error_message=_("A score is a whole number from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.score}"
