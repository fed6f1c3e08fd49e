"""Which records take evidence, and whose scope governs each.

An app registers its record kinds at start-up (its ``AppConfig.ready``): a record that has a
scope rule of its own (an activity, a grant) governs itself; a part of one (a project's
milestone) names the record whose rule it follows. Registering from above keeps this app below
every app whose records it holds files for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model

Governor = Callable[[Any], Model]

_ATTACHABLE: dict[str, Governor] = {}


def _itself(record: Model) -> Model:
    return record


def attachable(model: type[Model], governed_by: Governor | None = None) -> None:
    """Lets records of ``model`` take evidence; ``governed_by`` gives the record whose scope
    rule decides who sees and changes them (the record itself by default)."""
    _ATTACHABLE[model._meta.label_lower] = governed_by or _itself


def is_attachable(label: str) -> bool:
    return label in _ATTACHABLE


def governing(record: Model) -> Model:
    """The record whose scope rule applies to ``record``'s evidence."""
    return _ATTACHABLE[record._meta.label_lower](record)
