"""Loading the program and its components that ship with the system."""

from __future__ import annotations

from importlib import resources

import yaml
from django.db import transaction

from akt.program.models import Component, Program


@transaction.atomic
def program_load() -> Program:
    """Creates or updates the program and its components. Safe to run again."""
    text = resources.files("akt.program").joinpath("data", "program.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    spec = data["program"]
    program, _ = Program.objects.update_or_create(
        code=spec["code"], defaults={k: v for k, v in spec.items() if k != "code"}
    )
    for component in data["components"]:
        Component.objects.update_or_create(
            code=component["code"],
            defaults={"program": program, **{k: v for k, v in component.items() if k != "code"}},
        )
    return program
