"""The house plan: every app imports only from the layers below it.

The layers, bottom first, are the ones the README draws under "How it is built". An import of an
app in the same layer or a higher one is a violation, whether at the top of a module or inside a
function (a deferred import is still a dependency). Tests, migrations and the test-data kit
(``akt.testing``) may import anything.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # src/akt

LAYERS: tuple[tuple[str, ...], ...] = (
    ("text", "counting"),
    ("translation", "translations"),
    ("places", "program"),
    ("accounts",),
    ("access", "web", "imported_admin"),
    ("forms", "void_pages", "jobs", "evidence"),
    ("people",),
    ("grants", "capacity"),
    ("infrastructure",),
    ("activities",),
    ("linkage",),
    ("indicators",),
    ("intake",),
    ("reports",),
    ("demo", "operations"),
)
"""Bottom first. Siblings in one layer do not import each other."""

ENTRY_POINTS = frozenset({"__init__", "settings", "urls", "wsgi", "cli", "conftest"})
"""Modules that wire the whole project together: above every layer."""

EXEMPT_PARTS = frozenset({"tests", "tests_browser", "migrations", "testing"})


def layer_of(app: str) -> int | None:
    for index, layer in enumerate(LAYERS):
        if app in layer:
            return index
    return None


def imported_apps(source: str) -> set[str]:
    """The ``akt`` apps a module's source imports (absolute imports, anywhere in the module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[1] for name in names if name.startswith("akt."))
    return found


def violations(app: str, source: str) -> list[str]:
    """The imports of ``source`` (a module of ``app``) that do not go downwards."""
    own = layer_of(app)
    problems = []
    for other in sorted(imported_apps(source) - {app}):
        theirs = layer_of(other)
        if own is None or theirs is None:
            problems.append(f"{app} -> {other}: an app without a layer")
        elif theirs >= own:
            problems.append(
                f"{app} -> {other}: {'the same' if theirs == own else 'a higher'} layer"
            )
    return problems


def project_modules() -> list[tuple[str, Path]]:
    modules = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if EXEMPT_PARTS.intersection(parts) or path.name.startswith("test_"):
            continue
        app = parts[0].removesuffix(".py")
        if app in ENTRY_POINTS:
            continue
        modules.append((app, path))
    return modules


def test_every_app_imports_only_from_the_layers_below() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {problem}"
        for app, path in project_modules()
        for problem in violations(app, path.read_text(encoding="utf-8"))
    ]
    assert found == []


def foreign_imports(source: str) -> set[str]:
    """Top-level packages a module imports other than the standard library, numpy, scipy and
    itself (``akt.counting``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        else:
            continue
        for name in names:
            if name.startswith("akt.counting") or name.split(".")[0] in PURE_ALLOWED:
                continue
            found.add(name if name.startswith("akt.") else name.split(".")[0])
    return found


PURE_ALLOWED = frozenset({"numpy", "scipy", *sys.stdlib_module_names})


def test_the_counting_core_imports_no_django_and_no_app() -> None:
    modules = sorted((ROOT / "counting").glob("*.py"))
    assert len(modules) >= 5
    found = {
        path.name: foreign_imports(path.read_text(encoding="utf-8"))
        for path in modules
        if foreign_imports(path.read_text(encoding="utf-8"))
    }
    assert found == {}


def test_a_django_import_in_the_core_is_named() -> None:
    assert foreign_imports("from django.db import models") == {"django"}
    assert foreign_imports("def f():\n    from akt.people.models import Person") == {
        "akt.people.models"
    }
    assert foreign_imports("import numpy as np\nfrom akt.counting import engine") == set()


def test_every_app_has_a_layer() -> None:
    apps = {app for app, _path in project_modules()}
    assert {app for app in apps if layer_of(app) is None} == set()
    assert apps  # the walk found the project


@pytest.mark.parametrize(
    ("app", "source", "problem"),
    [
        ("people", "from akt.reports.selectors import x", "people -> reports: a higher layer"),
        (
            "grants",
            "def f():\n    from akt.capacity import models",
            "grants -> capacity: the same layer",
        ),
        ("accounts", "import akt.activities.models", "accounts -> activities: a higher layer"),
        ("linkage", "from akt.nowhere import x", "linkage -> nowhere: an app without a layer"),
    ],
)
def test_a_wrong_import_is_named(app: str, source: str, problem: str) -> None:
    assert violations(app, source) == [problem]


def test_downward_and_relative_imports_pass() -> None:
    assert violations("reports", "from akt.activities.models import Activity") == []
    assert violations("people", "from .models import Person\nfrom akt.people import forms") == []


def test_the_readme_draws_the_same_layers() -> None:
    readme = (ROOT.parents[1] / "README.md").read_text(encoding="utf-8")
    drawn = re.search(r"<!-- layers -->\n(.*?)\n<!-- /layers -->", readme, re.S)
    assert drawn, "README.md has no layers drawing"
    rows = [
        tuple(re.findall(r"`([a-z_]+)`", line))
        for line in drawn.group(1).splitlines()
        if line.startswith("    - ")
    ]
    assert tuple(reversed(rows)) == LAYERS
