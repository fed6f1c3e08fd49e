"""Every URL pattern, filled with real records, asked as every persona (issue 14, item 7).

The rows live in :mod:`akt.tests.persona_matrix`. For each pattern and persona the test asks
the page with the records of each side (GET, and a POST where the persona must be refused) and
fails when

- the status is not the one the matrix names;
- a body shows a record outside the persona's scope: a sentinel of the other side's records,
  and, to the donor and an anonymous visitor, any person's name or birth date or a natural
  person's firm (a family farm named after its owner);
- an anonymous visitor is sent anywhere but to sign in;
- a URL pattern has no row (a new page must say who may use it), or a row names no pattern.

The records are built once for the module (:func:`akt.testing.persona_world.persona_world`),
in a transaction rolled back at its end; each test runs in a savepoint within it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from akt.testing.persona_world import PersonaWorld, Side, persona_world
from akt.tests.persona_matrix import (
    MATRIX,
    PERSONAS,
    SKIPPED_NAMES,
    SKIPPED_NAMESPACES,
    expected,
)

POSTED = {"reason": "Persona matrix check", "note": "Persona matrix check"}
"""What a refused POST carries: enough that a refusal is the scope's, not a missing reason's."""

OPEN_FAILURES: dict[tuple[str, str], str] = {}
"""(pattern, persona) cells that fail today (a record shown outside the persona's scope, a
wrong status): expected to fail, strictly, so that the fix turns them into failures until the
mark is taken off."""


# -- the URL list ------------------------------------------------------------------------------


def url_pattern_names() -> list[str]:
    """Every URL pattern of the project as ``namespace:name`` (an unnamed one by its route, so
    that it is reported: a row needs a name), outside the admin site's own pages and Django's
    language switch."""
    names: list[str] = []

    def walk(resolver: URLResolver, namespace: str, prefix: str) -> None:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
                walk(entry, inner, route)
            elif isinstance(entry, URLPattern):
                if not entry.name:
                    names.append(f"(unnamed) /{route}")
                    continue
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                if name not in SKIPPED_NAMES:
                    names.append(name)

    walk(get_resolver(), "", "")
    return names


def test_every_url_pattern_has_a_row_in_the_matrix() -> None:
    patterns = set(url_pattern_names())
    missing = sorted(patterns - set(MATRIX))
    assert not missing, (
        "URL patterns without a row in akt/tests/persona_matrix.py (say what each persona "
        f"gets): {', '.join(missing)}"
    )
    stale = sorted(set(MATRIX) - patterns - {"admin:index"})
    assert not stale, f"rows for URL patterns that no longer exist: {', '.join(stale)}"


# -- the records and what each persona must not see -----------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[PersonaWorld]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield persona_world()
        transaction.set_rollback(True)


def _side_records(side: Side, *, organizations: bool, values: bool, plans: bool) -> set[str]:
    """The sentinels of ``side``'s records other than persons (the registry's organizations,
    entered values and plans only when the viewer may not see those either)."""
    seen_anyway: set[str] = set()
    if not organizations:
        seen_anyway |= {side.organization.name, side.application.applicant.name}
    if not values:
        seen_anyway.add(side.value.source_document)
    if not plans:
        seen_anyway.add(side.plan.title)
    return set(side.records) - seen_anyway


def forbidden(world: PersonaWorld, persona: str) -> set[str]:
    """What must never appear in a page ``persona`` reads."""
    g, z = world.gracanica, world.zvecan
    people = set(g.people) | set(z.people) | set(world.extra_people)
    if persona in ("admin", "me"):
        return set()
    if persona == "focal_gracanica":
        return set(z.people) | set(world.extra_people) | set(z.records)
    if persona == "focal_zvecan":
        return set(g.people) | set(g.records)
    if persona in ("staff", "staff_other"):
        # Component staff see the organization registry, every entered value, no plan.
        # A natural person's firm is a person's name, and they see persons.
        other = g if persona == "staff" else z
        hidden = (set(other.people) - {other.farm.name}) | _side_records(
            other, organizations=False, values=False, plans=True
        )
        plans = {g.plan.title, z.plan.title}
        return hidden | plans | (set(world.extra_people) if persona == "staff" else set())
    if persona == "donor":
        return people
    return people | set(g.records) | set(z.records)


# -- asking ----------------------------------------------------------------------------------


def client_of(world: PersonaWorld, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def body_text(response: HttpResponseBase) -> str:
    """The response's text; an Office file (a zip) read member by member."""
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        data = response.content  # type: ignore[attr-defined]
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"\n".join(archive.read(name) for name in archive.namelist())
        except zipfile.BadZipFile:
            pass
    return data.decode("utf-8", errors="replace")


def check(
    client: Client, method: str, url: str, want: str, persona: str, hidden: set[str]
) -> list[str]:
    """What is wrong with one request's answer (nothing: an empty list)."""
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, POSTED)
    problems = []
    if str(response.status_code) != want:
        problems.append(f"{method} {url}: {response.status_code}, expected {want}")
    if persona == "anonymous" and response.status_code in (301, 302):
        target = response.get("Location", "")
        if not target.startswith((reverse("accounts:login"), reverse("admin:login"))):
            problems.append(f"{method} {url}: an anonymous visitor is sent to {target}")
    body = body_text(response)
    folded = body.casefold()
    shown = sorted(word for word in hidden if word.casefold() in folded)
    if shown:
        problems.append(f"{method} {url} shows {shown}")
    return problems


def cases() -> list[object]:
    params = []
    for name in MATRIX:
        for persona in PERSONAS:
            marks = []
            if (name, persona) in OPEN_FAILURES:
                marks.append(pytest.mark.xfail(strict=True, reason=OPEN_FAILURES[name, persona]))
            params.append(pytest.param(name, persona, id=f"{name}-{persona}", marks=marks))
    return params


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona"), cases())
def test_persona_on_url_pattern(world: PersonaWorld, name: str, persona: str) -> None:
    row = MATRIX[name]
    client = client_of(world, persona)
    hidden = forbidden(world, persona)
    problems: list[str] = []
    for variant, args in row.args.items():
        query = row.query.get(variant)
        url = reverse(name, kwargs=args(world)) + (query(world) if query else "")
        for method in ("GET", "POST"):
            want = expected(name, variant, persona, method)
            if want != "-":
                problems += check(client, method, url, want, persona, hidden)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.django_db
def test_the_sentinels_show_to_those_who_may_see_them(world: PersonaWorld) -> None:
    """The matrix could pass by accident if the sentinels never reached a page: the M&E
    officer reads each of them (the names; a birth date in one of its written forms)."""
    g, z = world.gracanica, world.zvecan
    client = client_of(world, "me")
    pages = [
        reverse("people:person_list"),
        reverse("people:organization_list"),
        reverse("activities:list"),
        reverse("activities:plan", kwargs={"fiscal_year": 2015, "quarter": 4}),
        reverse("grants:list"),
        reverse("grants:call_list"),
        reverse("capacity:list"),
        reverse("infrastructure:list"),
        reverse("indicators:values", kwargs={"code": "property-tax-billed"}),
        reverse("reports:stories", kwargs={"fiscal_year": 2015, "quarter": 3}),
        reverse("linkage:merge_list"),
        reverse("people:person_detail", args=[world.resolved_elsewhere.pk]),
    ]
    for side in (g, z):
        pages += [
            reverse("activities:detail", args=[side.activity.pk]),
            reverse("people:person_detail", args=[side.person.pk]),
            reverse("people:person_detail", args=[side.second_person.pk]),
            reverse("grants:application_list", args=[side.call.pk]),
            reverse("intake:batch_detail", args=[side.batch.pk]),
        ]
    text = "\n".join(body_text(client.get(page)) for page in pages).casefold()
    names = [word for word in forbidden(world, "anonymous") if not written_date(word)]
    assert [word for word in names if word.casefold() not in text] == []
    for side in (g, z):
        born = [word for word in side.people if written_date(word)]
        assert any(word.casefold() in text for word in born), born


def written_date(word: str) -> bool:
    """A sentinel that is a birth date as written (names hold no digit)."""
    return any(character.isdigit() for character in word)
