"""A list of grants: each award, its recipient organization, sector and amount."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from akt.grants.models import Currency, Grant
from akt.grants.services import GRANT_FIELDS
from akt.intake.fields import Field
from akt.intake.kinds.activities import COMPONENT, organization_table
from akt.intake.kinds.base import (
    RecordKind,
    RowReader,
    component_table,
    iso,
    reference_field,
    register_choices,
)
from akt.intake.kinds.organizations import MUNICIPALITY, SECTOR, SECTORS
from akt.intake.models import ImportKind
from akt.people.models import Organization

CURRENCIES = register_choices("currency", Currency)

CURRENCY = Field(
    "currency",
    _("Currency"),
    _("USD or EUR; blank means US dollars."),
    ("currency", "monedha", "valuta", "валута"),
)


class GrantsKind(RecordKind[Grant]):
    code = ImportKind.GRANTS
    model = Grant
    reference = "reference"
    action = "grant_create"
    choices = {"sector": SECTORS, "currency": CURRENCIES}
    columns = (
        reference_field(
            "reference",
            _("The grant's reference, as on the grant agreement."),
            "grant",
            "grant number",
            "grant reference",
            "granti",
            "nr i grantit",
            "grant broj",
            "broj granta",
        ),
        Field(
            "recipient",
            _("Recipient"),
            _("The organization awarded: its reference or its registered name."),
            (
                "recipient",
                "grantee",
                "beneficiary",
                "organization",
                "perfituesi",
                "përfituesi",
                "organizata",
                "korisnik",
                "primalac",
                "organizacija",
                "корисник",
                "прималац",
            ),
        ),
        COMPONENT,
        Field(
            "municipality",
            MUNICIPALITY.label,
            _("Blank means the recipient's municipality."),
            MUNICIPALITY.aliases,
        ),
        Field(
            "sector",
            SECTOR.label,
            _("Blank means the recipient's sector."),
            SECTOR.aliases,
        ),
        Field(
            "amount",
            _("Amount"),
            _("The amount awarded, a number such as 5000 or 5000.50."),
            ("amount", "grant amount", "value", "shuma", "vlera", "iznos", "vrednost", "износ"),
        ),
        CURRENCY,
        Field(
            "award_date",
            _("Award date"),
            _("YYYY-MM-DD or DD.MM.YYYY."),
            (
                "award date",
                "date",
                "data",
                "data e dhenies",
                "datum",
                "datum dodele",
                "datum dodjele",
                "датум",
                "датум доделе",
            ),
        ),
        Field(
            "purpose",
            _("Purpose"),
            _("What the grant pays for."),
            ("purpose", "qellimi", "qëllimi", "svrha", "namena", "сврха", "намена"),
        ),
    )
    compared = GRANT_FIELDS

    def lookups(self) -> dict[str, Any]:
        return {
            "components": component_table(),
            "organizations": organization_table(),
            "recipients": {
                pk: (municipality, sector)
                for pk, municipality, sector in Organization.objects.values_list(
                    "pk", "municipality_id", "sector"
                )
            },
        }

    def read(self, reader: RowReader, lookups: Mapping[str, Any]) -> dict[str, Any]:
        recipient = reader.named("recipient", lookups["organizations"], Organization)
        if recipient is None and not reader.text("recipient"):
            reader.problem("recipient", "required", "", fields=["recipient"])
        # Blank municipality and sector are the recipient's; with no recipient found, its own
        # problem says what is wrong, and nothing more is asked of these two cells.
        home, trade = lookups["recipients"].get(recipient, (None, ""))
        known = recipient is not None
        municipality = reader.municipality(required=False) if reader.text("municipality") else home
        if municipality is None and known:
            municipality = reader.municipality()
        award = reader.date("award_date", required=True)
        return {
            "reference": reader.required("reference"),
            "recipient": recipient,
            "component": reader.component(lookups["components"]),
            "municipality": municipality,
            "sector": reader.choice(
                "sector", SECTORS, default=trade or "", required=known and not trade
            ),
            "amount": reader.amount("amount", required=True, zero=False),
            "currency": reader.choice("currency", CURRENCIES, default=Currency.USD),
            "award_date": iso(award),
            "purpose": reader.text("purpose"),
        }

    def summary(self, record: Any) -> str:
        return record.reference
