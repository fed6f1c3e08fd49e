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
Viewer = Callable[[Any, Any], bool]  # (scope, record) -> may the viewer open its files

_ATTACHABLE: dict[str, Governor] = {}
_VIEWERS: dict[str, Viewer] = {}


def _itself(record: Model) -> Model:
    return record


def attachable(
    model: type[Model], governed_by: Governor | None = None, seen_by: Viewer | None = None
) -> None:
    """Lets records of ``model`` take evidence; ``governed_by`` gives the record whose scope
    rule decides who sees and changes them (the record itself by default). ``seen_by``, when
    the governing record's rule is not the whole rule (a story that tells of records in
    several municipalities), says whether a viewer may open the record's files."""
    _ATTACHABLE[model._meta.label_lower] = governed_by or _itself
    if seen_by is not None:
        _VIEWERS[model._meta.label_lower] = seen_by


def seen_by(scope: Any, record: Model) -> bool:
    """The model's own rule for who opens its files; True when it has none (the governing
    record's scope rule decides alone)."""
    rule = _VIEWERS.get(record._meta.label_lower)
    return True if rule is None else rule(scope, record)


def is_attachable(label: str) -> bool:
    return label in _ATTACHABLE


def governing(record: Model) -> Model:
    """The record whose scope rule applies to ``record``'s evidence."""
    return _ATTACHABLE[record._meta.label_lower](record)
