"""Business grants, from the call for applications to the follow-up of the award.

- A :class:`Call` for applications names its sectors, eligible municipalities, budget, dates,
  evaluation criteria and committee.
- Businesses and farms send an :class:`Application`; it is found eligible or not, scored by the
  committee (one :class:`ScoreSheet` per member, opening with the member's declaration of a
  conflict of interest) and decided: rejected, or awarded as a :class:`Grant`.
- A :class:`Grant` keeps its amount in its own currency and in US dollars: for a grant in another
  currency, the exchange rate of its award date (from the :class:`ExchangeRate` table unless one
  was given) is kept on the grant with its source, so the dollar figure never changes behind the
  reader's back when the table does.
- After the award: disbursement tranches tied to milestones (:class:`Tranche`), monitoring
  visits (:class:`MonitoringVisit`) and follow-ups (:class:`GrantOutcome`: jobs created by sex
  and community, sales, new products).

The owner's sex, birth year and community on an application are personal data: who may read them
is decided by ``akt.accounts.scope`` (``may_see_persons``), never here.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from akt.accounts.provenance import import_batch_field, source_row_field
from akt.accounts.voidable import Voidable
from akt.counting.engine import age_on
from akt.people.models import Sector, Sex

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CENT = Decimal("0.01")


class Currency(models.TextChoices):
    USD = "USD", _("US dollar")
    EUR = "EUR", _("Euro")


def usd_value(amount: Decimal | None, currency: str, usd_rate: Decimal | None) -> Decimal | None:
    """``amount`` of ``currency`` in US dollars, to the cent; None when it cannot be known (no
    amount, or another currency without a rate)."""
    if amount is None:
        return None
    if currency == Currency.USD:
        return Decimal(amount)
    if usd_rate is None:
        return None
    return (Decimal(amount) * Decimal(usd_rate)).quantize(CENT, rounding=ROUND_HALF_UP)


# -- exchange rates ----------------------------------------------------------------------------


class ExchangeRateQuerySet(models.QuerySet["ExchangeRate"]):
    def on_or_before(self, currency: str, day: date) -> ExchangeRate | None:
        """The latest rate of ``currency`` quoted on or before ``day``, or None."""
        return self.filter(currency=currency, on__lte=day).order_by("-on").first()


class ExchangeRate(models.Model):
    """How many US dollars one unit of a currency was worth on a day, and who said so.

    Kept by M&E officers and administrators; an award in a currency other than the dollar takes
    the latest rate on or before its award date, and keeps a copy of it on the grant.
    """

    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    on = models.DateField(_("date"))
    usd_per_unit = models.DecimalField(
        _("US dollars per unit"),
        max_digits=12,
        decimal_places=6,
        help_text=_("For example 1.108500: one euro was worth 1.1085 US dollars that day."),
    )
    source = models.CharField(
        _("source"),
        max_length=120,
        help_text=_("Where the rate comes from, such as the ECB reference rate."),
    )

    objects = ExchangeRateQuerySet.as_manager()

    class Meta:
        ordering = ["-on", "currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "on"],
                name="exchange_rate_once_per_day",
                violation_error_message=_("This currency already has a rate on this date."),
            ),
            models.CheckConstraint(
                condition=models.Q(usd_per_unit__gt=0),
                name="exchange_rate_positive",
                violation_error_message=_("The rate must be more than zero."),
            ),
            models.CheckConstraint(
                condition=~models.Q(currency="USD"),
                name="exchange_rate_not_usd",
                violation_error_message=_("A US dollar is always worth one US dollar."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.on:%Y-%m-%d} {self.usd_per_unit}"


# -- the award ---------------------------------------------------------------------------------


class Grant(Voidable):
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    recipient = models.ForeignKey(
        "people.Organization",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="grants",
    )
    component = models.ForeignKey(
        "program.Component", verbose_name=_("component"), on_delete=models.PROTECT
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="grants",
    )
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.USD
    )
    award_date = models.DateField(_("award date"))
    purpose = models.TextField(_("purpose"), blank=True)
    usd_rate = models.DecimalField(
        _("exchange rate (US dollars per unit)"),
        max_digits=12,
        decimal_places=6,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Empty for a grant in US dollars."),
    )
    rate_date = models.DateField(_("date of the rate"), null=True, blank=True, editable=False)
    rate_source = models.CharField(
        _("source of the rate"), max_length=120, blank=True, editable=False
    )
    amount_usd = models.DecimalField(
        _("amount in US dollars"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Empty while a grant in another currency has no exchange rate."),
    )
    batch = import_batch_field("grants")
    source_row = source_row_field()

    class Meta:
        ordering = ["-award_date", "reference"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="grant_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(usd_rate__isnull=True) | models.Q(usd_rate__gt=0),
                name="grant_usd_rate_positive",
                violation_error_message=_("The rate must be more than zero."),
            ),
            models.CheckConstraint(
                condition=~models.Q(currency="USD")
                | models.Q(amount_usd__isnull=True)
                | models.Q(amount_usd=models.F("amount")),
                name="grant_usd_amount_is_the_amount",
                violation_error_message=_(
                    "A grant in US dollars is worth its amount in US dollars."
                ),
            ),
        ]

    DATED_BY = ("award_date",)
    """Fields whose change moves the day the grant counts on."""

    @property
    def counts_on(self) -> date:
        """A grant counts on its award."""
        return self.award_date

    def __str__(self) -> str:
        return self.reference

    @property
    def usd_rate_shown(self) -> Decimal | None:
        """The kept rate as written on the rate's source: 1.11, not 1.110000."""
        if self.usd_rate is None:
            return None
        written = self.usd_rate.normalize()
        exponent = written.as_tuple().exponent
        whole = isinstance(exponent, int) and exponent > 0  # 1E+1: ten, written 10
        return written.quantize(Decimal(1)) if whole else written

    def clean(self) -> None:
        # Whichever door the grant comes in by (a service, an import, the admin), its dollar
        # amount follows from its own amount, currency and kept rate; a grant in another
        # currency without a rate keeps none, and the selectors list it as lacking one.
        if self.currency == Currency.USD:
            self.usd_rate, self.rate_date, self.rate_source = None, None, ""
        self.amount_usd = usd_value(self.amount, self.currency, self.usd_rate)

    @property
    def lacks_rate(self) -> bool:
        return self.amount_usd is None


# -- calls for applications --------------------------------------------------------------------


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    DECIDED = "decided", _("Decided")


class Call(models.Model):
    """A call for applications for business grants."""

    reference = models.CharField(
        _("reference"),
        max_length=32,
        unique=True,
        help_text=_("The call's number, as published, such as BG-2016-01."),
    )
    title = models.CharField(_("title"), max_length=200)
    component = models.ForeignKey(
        "program.Component", verbose_name=_("component"), on_delete=models.PROTECT
    )
    description = models.TextField(_("description"), blank=True)
    sectors = models.JSONField(_("sectors"), default=list)
    """Codes of :class:`akt.people.models.Sector`, in its order."""
    municipalities = models.ManyToManyField(
        "places.Municipality",
        verbose_name=_("eligible municipalities"),
        related_name="grant_calls",
    )
    budget = models.DecimalField(_("budget"), max_digits=12, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.USD
    )
    opens_on = models.DateField(_("opening date"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=8, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    committee = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluation committee"),
        related_name="grant_committees",
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "reference"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("opens_on")),
                name="call_deadline_after_opening",
                violation_error_message=_("The deadline must not be before the opening date."),
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gt=0),
                name="call_budget_positive",
                violation_error_message=_("The budget must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        known = [value for value, _label in Sector.choices]
        chosen = set(self.sectors or [])
        unknown = chosen - set(known)
        if unknown:
            raise ValidationError(
                {
                    "sectors": _("Not a sector: %(values)s.")
                    % {"values": ", ".join(sorted(map(str, unknown)))}
                }
            )
        if not chosen:
            raise ValidationError({"sectors": _("Choose at least one sector.")})
        self.sectors = [value for value in known if value in chosen]

    def sector_labels(self) -> list[StrOrPromise]:
        labels = dict(Sector.choices)
        return [labels[value] for value in self.sectors if value in labels]


class Criterion(models.Model):
    """One evaluation criterion of a call: a member scores it from 0 to ``max_score``; its
    ``weight`` is its share of the total (see :mod:`akt.grants.scoring`)."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    max_score = models.PositiveSmallIntegerField(_("maximum score"))

    class Meta:
        ordering = ["call", "position", "id"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gt=0),
                name="criterion_weight_positive",
                violation_error_message=_("The weight must be more than zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(max_score__gte=1),
                name="criterion_max_score_positive",
                violation_error_message=_("The maximum score must be at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# -- applications ------------------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    SCORED = "scored", _("Scored")
    AWARDED = "awarded", _("Awarded")
    REJECTED = "rejected", _("Rejected")


DECIDED_STATUSES = frozenset({ApplicationStatus.AWARDED, ApplicationStatus.REJECTED})
WAITING_STATUSES = frozenset(
    {ApplicationStatus.RECEIVED, ApplicationStatus.ELIGIBLE, ApplicationStatus.SCORED}
)
"""Applications a call still owes a decision (eligibility, or award or rejection)."""


class Application(models.Model):
    """A business's or farm's application to a call.

    The owner's sex, birth year and community are asked of every applicant and all optional:
    "prefer not to say" is a community value of its own; an empty one means it was not answered.
    """

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        "people.Organization",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices)
    received_on = models.DateField(_("received on"))
    amount_requested = models.DecimalField(_("amount requested"), max_digits=12, decimal_places=2)
    cofinancing = models.DecimalField(
        _("co-financing offered"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("What the applicant puts in, in the call's currency."),
    )
    description = models.TextField(_("short description"))
    owner_sex = models.CharField(_("owner's sex"), max_length=8, choices=Sex.choices, blank=True)
    owner_birth_year = models.PositiveSmallIntegerField(
        _("owner's birth year"), null=True, blank=True
    )
    owner_community = models.ForeignKey(
        "places.Community",
        verbose_name=_("owner's community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Self-declared; “Prefer not to say” is an answer. Empty: not answered."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.RECEIVED,
    )
    ineligibility_reason = models.TextField(_("why it is ineligible"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    grant = models.OneToOneField(
        Grant,
        verbose_name=_("grant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["call", "received_on", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "applicant"],
                name="application_once_per_call",
                violation_error_message=_("This applicant has already applied to this call."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount_requested__gt=0),
                name="application_amount_positive",
                violation_error_message=_("The amount requested must be more than zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(cofinancing__gte=0),
                name="application_cofinancing_not_negative",
                violation_error_message=_("The co-financing cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(owner_birth_year__isnull=True)
                | models.Q(owner_birth_year__gte=1900, owner_birth_year__lte=2100),
                name="application_owner_birth_year_plausible",
                violation_error_message=_("The birth year must be between 1900 and 2100."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ineligible") | ~models.Q(ineligibility_reason=""),
                name="application_ineligible_has_reason",
                violation_error_message=_("Say why the application is ineligible."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="awarded") | models.Q(grant__isnull=False),
                name="application_awarded_has_grant",
                violation_error_message=_("An awarded application needs its grant."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} · {self.call.reference}"

    @property
    def counts_on(self) -> date | None:
        """The owner of an awarded application counts in the grant shares on the award date."""
        return self.grant.award_date if self.grant_id and self.grant else None

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES

    def owner_age_on(self, day: date) -> int | None:
        """The owner's age on ``day`` from the birth year (birthday assumed on 1 July)."""
        return age_on(day, birth_year=self.owner_birth_year)

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.owner_birth_year and self.owner_birth_year > date.today().year:
            errors["owner_birth_year"] = _("The birth year is in the future.")
        if self.received_on and self.received_on > date.today():
            errors["received_on"] = _("The date is in the future.")
        if errors:
            raise ValidationError(errors)


# -- scoring -----------------------------------------------------------------------------------


class ScoreSheet(models.Model):
    """One committee member's work on one application: first the declaration of a conflict of
    interest, then (without one) a score per criterion, submitted once."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="score_sheets",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committee member"),
        on_delete=models.PROTECT,
        related_name="grant_score_sheets",
    )
    has_conflict = models.BooleanField(_("has a conflict of interest"))
    conflict_note = models.TextField(_("conflict of interest"), blank=True)
    declared_at = models.DateTimeField(_("declared"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["application", "member__username"]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member"],
                name="score_sheet_once_per_member",
                violation_error_message=_("This member already has a score sheet here."),
            ),
            models.CheckConstraint(
                condition=models.Q(has_conflict=False) | models.Q(submitted_at__isnull=True),
                name="score_sheet_conflict_not_scored",
                violation_error_message=_(
                    "A member with a conflict of interest does not score the application."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.member}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class CriterionScore(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    points = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["sheet", "criterion__position", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "criterion"],
                name="criterion_score_once_per_sheet",
                violation_error_message=_("This criterion is already scored on this sheet."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


# -- after the award ---------------------------------------------------------------------------


class Tranche(models.Model):
    """A disbursement of the grant, due on reaching a milestone; paid or still to pay.

    In the grant's currency. The planned tranches of a grant add up to no more than the award,
    and so do the amounts paid.
    """

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="tranches"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    milestone = models.CharField(_("milestone"), max_length=300)
    planned_amount = models.DecimalField(_("planned amount"), max_digits=12, decimal_places=2)
    due_on = models.DateField(_("due date"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_amount = models.DecimalField(
        _("amount paid"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["grant", "number"]
        verbose_name = _("disbursement tranche")
        verbose_name_plural = _("disbursement tranches")
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "number"],
                name="tranche_number_once_per_grant",
                violation_error_message=_("This grant already has a tranche with this number."),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_amount__gt=0),
                name="tranche_planned_positive",
                violation_error_message=_("The planned amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(paid_on__isnull=True, paid_amount__isnull=True)
                | models.Q(paid_on__isnull=False, paid_amount__gt=0),
                name="tranche_paid_has_date_and_amount",
                violation_error_message=_(
                    "A payment needs both its date and an amount more than zero."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant} #{self.number}"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


class MonitoringVisit(models.Model):
    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(_("date of the visit"))
    visitor = models.CharField(_("visitor"), max_length=200)
    findings = models.TextField(_("findings"))
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        ordering = ["grant", "-visited_on", "-id"]
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")

    def __str__(self) -> str:
        return f"{self.grant} {self.visited_on:%Y-%m-%d}"

    def clean(self) -> None:
        if self.visited_on and self.visited_on > date.today():
            raise ValidationError({"visited_on": _("The date is in the future.")})
        if self.follow_up_needed and not self.follow_up.strip():
            raise ValidationError({"follow_up": _("Say what follow-up is needed.")})


class GrantOutcome(models.Model):
    """What a grant had brought by a follow-up: jobs created, sales, new products.

    Each follow-up reports what is new since the previous one (since the award, for the first),
    so the follow-ups of a grant add up, and a period's figure is the sum of the follow-ups in it.
    """

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="outcomes"
    )
    reported_on = models.DateField(_("date of the follow-up"))
    sales_amount = models.DecimalField(
        _("sales"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Sales since the previous follow-up, or since the award for the first."),
    )
    sales_currency = models.CharField(
        _("currency of the sales"), max_length=3, choices=Currency.choices, blank=True
    )
    new_products = models.TextField(_("new products"), blank=True)

    class Meta:
        ordering = ["grant", "-reported_on"]
        verbose_name = _("follow-up outcome")
        verbose_name_plural = _("follow-up outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "reported_on"],
                name="outcome_once_per_grant_and_day",
                violation_error_message=_("This grant already has a follow-up on this date."),
            ),
            models.CheckConstraint(
                condition=models.Q(sales_amount__isnull=True) | models.Q(sales_amount__gte=0),
                name="outcome_sales_not_negative",
                violation_error_message=_("Sales cannot be negative."),
            ),
        ]

    DATED_BY = ("reported_on",)

    def __str__(self) -> str:
        return f"{self.grant} {self.reported_on:%Y-%m-%d}"

    @property
    def counts_on(self) -> date:
        """Jobs and sales count on the day of the follow-up that reported them."""
        return self.reported_on

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.reported_on and self.reported_on > date.today():
            errors["reported_on"] = _("The date is in the future.")
        if self.sales_amount is not None and not self.sales_currency:
            errors["sales_currency"] = _("Give the currency of the sales.")
        if self.sales_amount is None and self.sales_currency:
            self.sales_currency = ""
        if errors:
            raise ValidationError(errors)


class JobsCreated(models.Model):
    """Jobs created, one cell of sex x community; an empty sex or community is its "unknown"."""

    outcome = models.ForeignKey(
        GrantOutcome,
        verbose_name=_("follow-up outcome"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    community = models.ForeignKey(
        "places.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    count = models.PositiveIntegerField(_("jobs"))

    class Meta:
        ordering = ["outcome", "sex", "community__sort_order"]
        verbose_name = _("jobs created")
        verbose_name_plural = _("jobs created")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__gte=1),
                name="jobs_created_count_positive",
                violation_error_message=_("A cell holds at least one job."),
            ),
            models.UniqueConstraint(
                fields=["outcome", "sex", "community"],
                condition=models.Q(community__isnull=False),
                name="jobs_created_cell_once",
            ),
            models.UniqueConstraint(
                fields=["outcome", "sex"],
                condition=models.Q(community__isnull=True),
                name="jobs_created_unknown_community_cell_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.count}"
