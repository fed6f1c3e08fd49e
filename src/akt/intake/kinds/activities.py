"""A list of activities: what happened, where, when, under which component, and whether its
attendance comes as rosters of names or as headcounts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from akt.activities.models import Activity, ActivityKind, AttendanceForm, Topic
from akt.infrastructure.models import InfrastructureProject
from akt.intake.fields import Field, header_key
from akt.intake.kinds.base import (
    RecordKind,
    RowReader,
    component_table,
    iso,
    localized_names,
    named_table,
    reference_field,
    register_choices,
)
from akt.intake.kinds.organizations import MUNICIPALITY
from akt.intake.models import ImportKind
from akt.people.models import Organization

ACTIVITY_KINDS = register_choices("activity_kind", ActivityKind)
ATTENDANCE_FORMS = register_choices("attendance_form", AttendanceForm)

_TOPIC_SEPARATORS = re.compile(r"[;,/\n]+")

COMPONENT = Field(
    "component",
    _("Component"),
    _("The program component: its number (1 to 4) or its name."),
    ("component", "komponenti", "komponenta", "компонента", "objective", "objektivi", "cilj"),
)
TITLE = Field(
    "title",
    _("Title"),
    _("What the activity was, in a few words."),
    (
        "title",
        "name",
        "activity",
        "titulli",
        "emertimi",
        "aktiviteti",
        "naziv",
        "naslov",
        "aktivnost",
        "назив",
        "наслов",
    ),
)
START_DATE = Field(
    "start_date",
    _("Start date"),
    _("YYYY-MM-DD or DD.MM.YYYY."),
    (
        "start date",
        "start",
        "from",
        "date",
        "data",
        "data e fillimit",
        "fillimi",
        "prej",
        "datum",
        "datum pocetka",
        "datum početka",
        "pocetak",
        "početak",
        "od",
        "датум",
        "датум почетка",
        "почетак",
    ),
)
END_DATE = Field(
    "end_date",
    _("End date"),
    _("Blank for an activity of one day."),
    (
        "end date",
        "end",
        "to",
        "until",
        "data e perfundimit",
        "data e mbarimit",
        "mbarimi",
        "deri",
        "datum zavrsetka",
        "datum završetka",
        "kraj",
        "do",
        "датум завршетка",
        "крај",
    ),
)


def topic_table() -> dict[str, int]:
    return named_table(
        (topic.pk, [topic.code, *localized_names(topic)]) for topic in Topic.objects.all()
    )


def organization_table() -> dict[str, int]:
    """Organizations by external reference, then by name (a name two share names neither)."""
    return named_table(
        (pk, [ref, name] if ref else [name])
        for pk, ref, name in Organization.objects.values_list("pk", "external_ref", "name")
    )


def project_table() -> dict[str, int]:
    return named_table(
        (pk, [code, title])
        for pk, code, title in InfrastructureProject.objects.values_list("pk", "code", "title")
    )


class ActivitiesKind(RecordKind[Activity]):
    code = ImportKind.ACTIVITIES
    model = Activity
    action = "activity_create"
    choices = {"kind": ACTIVITY_KINDS, "attendance_form": ATTENDANCE_FORMS}
    columns = (
        reference_field("external_ref", _("The activity's number in your list.")),
        TITLE,
        Field(
            "kind",
            _("Kind of activity"),
            _("Public debate, public hearing, workshop, training, ... (from the list)."),
            (
                "kind",
                "type",
                "activity type",
                "lloji",
                "lloji i aktivitetit",
                "tipi",
                "vrsta",
                "vrsta aktivnosti",
                "tip",
                "врста",
                "тип",
            ),
        ),
        Field(
            "topics",
            _("Topics"),
            _("One or more topics, separated by “;”."),
            ("topics", "topic", "tema", "temat", "teme", "тема", "теме"),
        ),
        START_DATE,
        END_DATE,
        MUNICIPALITY,
        COMPONENT,
        Field(
            "venue",
            _("Venue"),
            _("Where it took place."),
            (
                "venue",
                "place",
                "location",
                "vendi",
                "lokacioni",
                "mesto",
                "mjesto",
                "lokacija",
                "место",
            ),
        ),
        Field(
            "organizer",
            _("Organizer"),
            _("The organization that held it: its reference or name, if registered."),
            (
                "organizer",
                "organiser",
                "organized by",
                "organizatori",
                "organizator",
                "организатор",
            ),
        ),
        Field(
            "attendance_form",
            _("Attendance recorded as"),
            _("Roster of names, or headcounts (tally) for events too large for names."),
            (
                "attendance",
                "attendance form",
                "roster or tally",
                "pjesemarrja",
                "evidentimi",
                "prisustvo",
                "evidencija",
                "присуство",
            ),
        ),
        Field(
            "project",
            _("Infrastructure project"),
            _("For joint activities of a project: the project's code or title."),
            ("project", "infrastructure project", "projekti", "projekat", "projekt", "пројекат"),
        ),
        Field(
            "description",
            _("Description"),
            _("Anything else worth knowing."),
            ("description", "notes", "pershkrimi", "shenime", "opis", "napomena", "опис"),
        ),
    )
    compared = (
        "external_ref",
        "title",
        "kind",
        "topics",
        "start_date",
        "end_date",
        "municipality",
        "component",
        "venue",
        "organizer",
        "attendance_form",
        "project",
        "description",
    )

    def lookups(self) -> dict[str, Any]:
        return {
            "components": component_table(),
            "topics": topic_table(),
            "organizations": organization_table(),
            "projects": project_table(),
        }

    def read(self, reader: RowReader, lookups: Mapping[str, Any]) -> dict[str, Any]:
        start = reader.date("start_date", required=True)
        end = reader.date("end_date") or start  # a one-day activity needs no end date
        reader.dates_in_order("start_date", "end_date", start, end)
        return {
            "external_ref": reader.required("external_ref"),
            "title": reader.required("title"),
            "kind": reader.choice("kind", ACTIVITY_KINDS, required=True),
            "topics": self._topics(reader, lookups["topics"]),
            "start_date": iso(start),
            "end_date": iso(end),
            "municipality": reader.municipality(),
            "component": reader.component(lookups["components"]),
            "venue": reader.text("venue"),
            "organizer": reader.named("organizer", lookups["organizations"], Organization),
            "attendance_form": reader.choice("attendance_form", ATTENDANCE_FORMS),
            "project": reader.named("project", lookups["projects"], InfrastructureProject),
            "description": reader.text("description"),
        }

    @staticmethod
    def _topics(reader: RowReader, table: Mapping[str, int]) -> list[int]:
        found = []
        for part in _TOPIC_SEPARATORS.split(reader.text("topics")):
            if not header_key(part):
                continue
            topic = table.get(header_key(part))
            if topic is None:
                reader.problem("topics", "topic", part.strip())
            elif topic not in found:
                found.append(topic)
        return sorted(found)

    def related_values_names(self) -> tuple[str, ...]:
        return ("topics",)

    def save_related(self, record: Activity, values: Mapping[str, Any]) -> None:
        record.topics.set(values.get("topics") or [])

    def stored_related(self, record: Activity) -> dict[str, Any]:
        return {"topics": sorted(topic.pk for topic in record.topics.all())}

    def summary(self, record: Activity) -> str:
        return record.title
