"""A list of organizations: businesses, farms, municipal offices, committees, civil society."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from akt.intake.fields import Field
from akt.intake.kinds.base import RecordKind, RowReader, reference_field, register_choices
from akt.intake.models import ImportKind
from akt.intake.organizations import (
    NATURAL_PERSON,
    NaturalPersonAnswer,
    natural_person_answer,
    natural_person_of,
)
from akt.people.models import Organization, OrganizationKind, Sector
from akt.people.services import ORGANIZATION_FIELDS

ORGANIZATION_KINDS = register_choices("organization_kind", OrganizationKind)
SECTORS = register_choices("sector", Sector)
YES_NO = register_choices("natural_person", NaturalPersonAnswer)

NAME = Field(
    "name",
    _("Name"),
    _("The organization's name as it is registered."),
    ("name", "organization", "emri", "organizata", "naziv", "ime", "organizacija", "назив"),
)
MUNICIPALITY = Field(
    "municipality",
    _("Municipality"),
    _("In any language or script."),
    ("municipality", "komuna", "opstina", "opština", "општина"),
)
SECTOR = Field(
    "sector",
    _("Sector"),
    _("Agriculture, dairy processing, services, ... (from the list)."),
    ("sector", "sektori", "sektor", "сектор"),
)


class OrganizationsKind(RecordKind[Organization]):
    code = ImportKind.ORGANIZATIONS
    model = Organization
    action = "organization_create"
    choices = {"kind": ORGANIZATION_KINDS, "sector": SECTORS}
    columns = (
        reference_field("external_ref", _("The organization's number in your list.")),
        NAME,
        Field(
            "kind",
            _("Type of organization"),
            _("Business, farm, municipal office, assembly committee, civil society or other."),
            ("kind", "type", "lloji", "tipi", "vrsta", "tip", "врста", "тип"),
        ),
        SECTOR,
        MUNICIPALITY,
        Field(
            "registration_number",
            _("Registration number"),
            _("The business registration number, if any."),
            (
                "registration number",
                "business number",
                "numri i regjistrimit",
                "nr i biznesit",
                "registarski broj",
                "регистарски број",
            ),
        ),
        NATURAL_PERSON,
    )
    compared = ("external_ref", *ORGANIZATION_FIELDS)

    def read(self, reader: RowReader, lookups: Mapping[str, Any]) -> dict[str, Any]:
        name = reader.required("name")
        kind = reader.choice("kind", ORGANIZATION_KINDS, required=True)
        stated = natural_person_answer(reader.text("natural_person"))
        if stated is None and reader.text("natural_person").strip():
            reader.problem(
                "natural_person",
                "choice",
                reader.text("natural_person"),
                fields=["natural_person"],
                choices=YES_NO,
            )
        return {
            "external_ref": reader.required("external_ref"),
            "name": name,
            "kind": kind,
            "sector": reader.choice("sector", SECTORS),
            "municipality": reader.municipality(),
            "registration_number": reader.text("registration_number"),
            "natural_person": natural_person_of(name, kind, stated),
        }
