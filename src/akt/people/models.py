"""Persons (participants) and organizations (businesses, farms, municipal offices).

A person's community is self-declared and optional; "prefer not to say" is a value of its own.
Names, community and age are personal data: who may read them is decided by
``akt.accounts.scope``, never here.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from akt.accounts.provenance import external_ref_field, import_batch_field, source_row_field
from akt.text.invisible import clean_name

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Affiliation(models.TextChoices):
    MUNICIPAL_EMPLOYEE = "municipal_employee", _("Municipal employee")
    FINANCE_OFFICER = "finance_officer", _("Municipal finance officer")
    MOCR_MEMBER = "mocr_member", _("Member of the Municipal Office for Communities and Return")
    COMMITTEE_MEMBER = "committee_member", _("Member of the assembly communities committee")
    FARMER = "farmer", _("Farmer")
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur or business employee")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    CITIZEN = "citizen", _("Citizen")


class ConsentBasis(models.TextChoices):
    CONSENT = "consent", _("Explicit consent")
    NOT_RECORDED = "not_recorded", _("Not recorded")


class ProcessingBasis(models.TextChoices):
    """Why the program may hold a person's data at all (Law 06/L-082 on personal data)."""

    CONSENT = "consent", _("Consent given by the person")
    PUBLIC_TASK = "public_task", _("Public duty (municipal staff at work)")
    NOT_RECORDED = "not_recorded", _("Not recorded")


class PersonQuerySet(models.QuerySet):
    def canonical(self) -> PersonQuerySet:
        """Persons that are their own identity: one row per resolved individual."""
        return self.filter(identity__isnull=True)


class Person(models.Model):
    """A person record: one participant as they were entered on a sheet.

    Identity resolution (``akt.linkage``) decides which records are the same individual. A record
    whose ``identity`` is empty is canonical: it stands for a resolved individual, and its ``uid``
    is the identifier reports cite. A record resolved to someone else points to that canonical
    person, never to another resolved record (no chains), so ``resolved_id`` is one hop away. A
    merge keeps the canonical person's ``uid``; a merged record's ``uid`` still resolves through
    its identity.
    """

    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    identity = models.ForeignKey(
        "self",
        verbose_name=_("resolved to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        editable=False,
        help_text=_("The person this record was resolved to; empty when it is its own person."),
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        help_text=_("When only the year of birth is known."),
    )
    community = models.ForeignKey(
        "places.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Self-declared. Leave empty if not asked."),
    )
    community_consent = models.CharField(
        _("consent basis for community"),
        max_length=16,
        choices=ConsentBasis.choices,
        default=ConsentBasis.NOT_RECORDED,
    )
    consent_basis = models.CharField(
        _("basis for holding the data"),
        max_length=16,
        choices=ProcessingBasis.choices,
        default=ProcessingBasis.NOT_RECORDED,
    )
    consent_date = models.DateField(
        _("consent date"),
        null=True,
        blank=True,
        help_text=_("The day the person gave their consent (the sign-in sheet's date)."),
    )
    erased_at = models.DateTimeField(
        _("erased"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the person's data was erased at their request; counts remain."),
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality of residence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )
    affiliation = models.CharField(
        _("affiliation"), max_length=24, choices=Affiliation.choices, blank=True
    )
    organization = models.ForeignKey(
        "people.Organization",
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    import_batch = models.ForeignKey(
        "intake.ImportBatch",
        verbose_name=_("created by import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [models.Index(fields=["family_name", "given_name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True)
                | models.Q(birth_year__gte=1900, birth_year__lte=2100),
                name="person_birth_year_plausible",
                violation_error_message=_("The birth year must be between 1900 and 2100."),
            ),
            models.CheckConstraint(
                condition=~models.Q(identity=models.F("id")),
                name="person_identity_not_self",
                violation_error_message=_("A person record cannot be resolved to itself."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def resolved_id(self) -> int:
        """The id of the canonical person this record stands for (its own id when canonical)."""
        return self.identity_id or self.pk

    @property
    def is_canonical(self) -> bool:
        return self.identity_id is None

    @property
    def known_birth_year(self) -> int | None:
        return self.birth_date.year if self.birth_date else self.birth_year

    def clean(self) -> None:
        # Every form, service and the admin validate through here: no invisible characters or
        # stray spaces are stored in a name (akt.text.invisible), whichever door it came in by.
        self.given_name = clean_name(self.given_name)
        self.family_name = clean_name(self.family_name)
        errors: dict[str, StrOrPromise] = {}
        if self.birth_date:
            if self.birth_date > date.today():
                errors["birth_date"] = _("The birth date is in the future.")
            elif self.birth_date.year < 1900:
                errors["birth_date"] = _("The birth date is before 1900.")
            if self.birth_year and self.birth_year != self.birth_date.year:
                errors["birth_year"] = _("The birth year does not match the birth date.")
        if self.birth_year and self.birth_year > date.today().year:
            errors["birth_year"] = _("The birth year is in the future.")
        if errors:
            raise ValidationError(errors)


class OrganizationKind(models.TextChoices):
    BUSINESS = "business", _("Business")
    FARM = "farm", _("Farm")
    MUNICIPAL_OFFICE = "municipal_office", _("Municipal office")
    ASSEMBLY_COMMITTEE = "assembly_committee", _("Assembly committee")
    CIVIL_SOCIETY = "civil_society", _("Civil society organization")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture")
    DAIRY = "dairy", _("Dairy processing")
    FRUIT_VEGETABLE = "fruit_vegetable", _("Fruit and vegetable processing")
    MEDICINAL_PLANTS = "medicinal_plants", _("Medicinal and aromatic plants")
    BEEKEEPING = "beekeeping", _("Bee-keeping")
    WOOD_PROCESSING = "wood_processing", _("Wood processing")
    FURNITURE = "furniture", _("Furniture")
    SERVICES = "services", _("Services")
    PUBLIC = "public", _("Public administration")
    OTHER = "other", _("Other")


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganizationKind.choices)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices, blank=True)
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    registration_number = models.CharField(_("registration number"), max_length=32, blank=True)
    natural_person = models.BooleanField(
        _("a natural person"),
        default=False,
        help_text=_(
            "A family farm or sole proprietor named after its owner: its name is personal data, "
            "hidden from those who do not see persons."
        ),
    )
    external_ref = external_ref_field(
        _("The organization's number in the list it was imported from; unique where set.")
    )
    batch = import_batch_field("organizations")
    source_row = source_row_field()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "municipality"],
                name="organization_name_unique_in_municipality",
                violation_error_message=_(
                    "An organization with this name already exists in this municipality."
                ),
            ),
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=~models.Q(external_ref=""),
                name="organization_external_ref_unique",
                violation_error_message=_("Another organization has this external reference."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
