"""A list of small infrastructure projects: budget, co-financing, dates and status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from akt.infrastructure.models import InfrastructureProject, ProjectStatus
from akt.infrastructure.services import PROJECT_FIELDS
from akt.intake.fields import Field
from akt.intake.kinds.activities import COMPONENT, START_DATE, TITLE
from akt.intake.kinds.base import (
    RecordKind,
    RowReader,
    component_table,
    iso,
    reference_field,
    register_choices,
)
from akt.intake.kinds.grants import CURRENCIES, CURRENCY
from akt.intake.kinds.organizations import MUNICIPALITY
from akt.intake.models import ImportKind

PROJECT_STATUSES = register_choices("project_status", ProjectStatus)

STATUS_ALIASES = ("status", "statusi", "gjendja", "stanje", "статус", "стање")


class ProjectsKind(RecordKind[InfrastructureProject]):
    code = ImportKind.PROJECTS
    model = InfrastructureProject
    reference = "code"
    action = "project_create"
    choices = {"status": PROJECT_STATUSES, "currency": CURRENCIES}
    columns = (
        reference_field(
            "code",
            _("The project's code, as the program numbers it."),
            "code",
            "project code",
            "kodi",
            "kodi i projektit",
            "kod",
            "kod projekta",
            "код",
        ),
        TITLE,
        COMPONENT,
        MUNICIPALITY,
        Field(
            "status",
            _("Status"),
            _("Planned, under way or completed; blank means planned."),
            STATUS_ALIASES,
        ),
        START_DATE,
        Field(
            "completion_date",
            _("Completion date"),
            _("Required once the project is completed."),
            (
                "completion date",
                "completed",
                "data e perfundimit",
                "perfundimi",
                "datum zavrsetka",
                "datum završetka",
                "završetak",
                "датум завршетка",
            ),
        ),
        CURRENCY,
        Field(
            "program_contribution",
            _("Program contribution"),
            _("What the program pays, a number."),
            (
                "program contribution",
                "akt contribution",
                "usaid contribution",
                "kontributi i programit",
                "doprinos programa",
                "допринос програма",
            ),
        ),
        Field(
            "municipal_contribution",
            _("Municipal co-financing"),
            _("What the municipality pays, a number; blank means none."),
            (
                "municipal contribution",
                "municipal co-financing",
                "co-financing",
                "bashkefinancimi",
                "bashkëfinancimi",
                "kontributi i komunes",
                "sufinansiranje",
                "doprinos opstine",
                "doprinos opštine",
                "суфинансирање",
            ),
        ),
    )
    compared = PROJECT_FIELDS

    def lookups(self) -> dict[str, Any]:
        return {"components": component_table()}

    def read(self, reader: RowReader, lookups: Mapping[str, Any]) -> dict[str, Any]:
        start = reader.date("start_date", required=True)
        completed = reader.date("completion_date")
        reader.dates_in_order("start_date", "completion_date", start, completed)
        status = reader.choice("status", PROJECT_STATUSES, default=ProjectStatus.PLANNED)
        if status == ProjectStatus.COMPLETED and not reader.text("completion_date"):
            reader.problem("completion_date", "required", "", fields=["completion_date"])
        return {
            "code": reader.required("code"),
            "title": reader.required("title"),
            "component": reader.component(lookups["components"]),
            "municipality": reader.municipality(),
            "status": status,
            "start_date": iso(start),
            "completion_date": iso(completed),
            "currency": reader.choice("currency", CURRENCIES, default="USD"),
            "program_contribution": reader.amount("program_contribution", required=True),
            "municipal_contribution": reader.amount("municipal_contribution") or "0.00",
        }

    def summary(self, record: Any) -> str:
        return str(record)
