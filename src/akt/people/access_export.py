"""A person's data, gathered for them (Law 06/L-082 on personal data, the right of access).

Everything the program holds about one individual: every record resolved to them (names, birth,
sex, community and its consent, the basis for holding the data, municipality, affiliation,
organization), every roster row (activity, kind, dates, municipality, role, whom they
represented), the grants to a family farm or sole proprietorship of theirs, and the audit entries
about their records and roster rows. As JSON for a machine and as a workbook a person can read,
in the officer's language.

Roster rows and grants sit above persons: their models are reached through the relations.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from akt.accounts.models import AuditEntry
from akt.people.erasure import ATTENDANCE_TYPE, PERSON_TYPE
from akt.people.models import Person

Section = list[dict[str, Any]]


def _display(record: Any, name: str) -> str:
    value = getattr(record, name)
    if value in ("", None):
        return ""
    return str(getattr(record, f"get_{name}_display")())


def _record(person: Person) -> dict[str, Any]:
    return {
        _("Identifier"): str(person.uid),
        _("Given name"): person.given_name,
        _("Family name"): person.family_name,
        _("Birth date"): person.birth_date,
        _("Birth year"): person.known_birth_year,
        _("Sex"): _display(person, "sex"),
        _("Community"): person.community.name if person.community else "",
        _("Consent to state a community"): _display(person, "community_consent"),
        _("Basis for holding the data"): _display(person, "consent_basis"),
        _("Consent date"): person.consent_date,
        _("Municipality of residence"): person.municipality.name if person.municipality else "",
        _("Affiliation"): _display(person, "affiliation"),
        _("Organization"): person.organization.name if person.organization else "",
        _("Recorded on"): person.created_at,
    }


def person_data(person: Person) -> dict[str, Section]:
    """Everything held about the individual ``person`` stands for, by section; each section a
    list of rows labelled in the active language."""
    canonical = Person.objects.get(pk=Person.objects.get(pk=person.pk).resolved_id)
    records = list(
        Person.objects.filter(Q(pk=canonical.pk) | Q(identity=canonical))
        .select_related("community", "municipality", "organization")
        .order_by("pk")
    )
    ids = [record.pk for record in records]
    roster = (
        canonical.attendances.model.objects.filter(person_id__in=ids)
        .select_related("activity__municipality", "organization")
        .order_by("activity__start_date", "pk")
    )
    attendances = list(roster)
    organizations = {record.organization for record in records if record.organization}
    grants = [
        grant
        for organization in sorted(organizations, key=lambda item: item.pk)
        if getattr(organization, "natural_person", False)
        for grant in organization.grants.order_by("award_date", "pk")
    ]
    audit = AuditEntry.objects.filter(
        Q(target_type=PERSON_TYPE, target_id__in=[str(pk) for pk in ids])
        | Q(target_type=ATTENDANCE_TYPE, target_id__in=[str(row.pk) for row in attendances])
    ).select_related("actor")
    return {
        _("Person"): [_record(canonical)],
        _("Other records of the person"): [
            _record(record) for record in records if record.pk != canonical.pk
        ],
        _("Activities attended"): [
            {
                _("Activity"): row.activity.title,
                _("Kind"): row.activity.get_kind_display(),
                _("Start date"): row.activity.start_date,
                _("End date"): row.activity.end_date,
                _("Municipality"): row.activity.municipality.name,
                _("Role"): row.get_role_display(),
                _("Representing"): row.organization.name if row.organization else "",
            }
            for row in attendances
        ],
        _("Grants"): [
            {
                _("Reference"): grant.reference,
                _("Recipient"): grant.recipient.name,
                _("Award date"): grant.award_date,
                _("Amount"): grant.amount,
                _("Currency"): grant.currency,
            }
            for grant in grants
        ],
        _("Audit log"): [
            {
                _("When"): entry.at,
                _("Who"): entry.actor.get_username() if entry.actor else "",
                _("Action"): entry.action,
                _("Summary"): entry.summary,
                _("Changes"): json.dumps(entry.changes, ensure_ascii=False, default=str),
                _("Reason"): entry.reason,
            }
            for entry in audit.order_by("at", "pk")
        ],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def person_data_json(data: dict[str, Section]) -> bytes:
    plain = {
        section: [{key: _plain(value) for key, value in row.items()} for row in rows]
        for section, rows in data.items()
    }
    return json.dumps(plain, ensure_ascii=False, indent=2).encode()


def person_data_xlsx(data: dict[str, Section]) -> bytes:
    """One sheet per section, a header row of labels and one row per item; a section with
    nothing in it says so."""
    book = Workbook()
    book.remove(book.active)
    for section, rows in data.items():
        sheet = book.create_sheet(_sheet_title(section))
        if not rows:
            sheet.append([_("Nothing recorded.")])
            continue
        headers: Sequence[str] = list(rows[0])
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(row[header]) for header in headers])
        for index, header in enumerate(headers, start=1):
            width = max([len(str(header)), *(len(str(_cell(row[header]))) for row in rows)])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(width + 2, 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _sheet_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31]
