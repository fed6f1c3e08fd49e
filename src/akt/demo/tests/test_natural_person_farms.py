"""The demo's family farms and sole proprietors are named after their owners: they are marked
natural persons, and the donor reads none of their names on the organization and grant lists."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from akt.demo.tests.test_demo_data import Demo, demo  # noqa: F401  (the module's demo)
from akt.grants.models import Grant
from akt.people.models import Organization

pytestmark = pytest.mark.django_db


def test_the_demos_farms_named_after_their_owners_are_natural_persons(demo: Demo) -> None:  # noqa: F811
    organizations = Organization.objects.all()
    family = organizations.filter(name__icontains="familjare")
    assert family.exists() and not family.filter(natural_person=False).exists()
    companies = [o for o in organizations if "Sh.p.k." in o.name or "d.o.o." in o.name]
    assert companies and not any(o.natural_person for o in companies)
    assert Grant.objects.filter(recipient__natural_person=True).exists()


def test_the_donor_reads_no_natural_persons_name_in_the_demo(demo: Demo, client_for) -> None:  # noqa: F811
    names = set(Organization.objects.filter(natural_person=True).values_list("name", flat=True))
    donor = client_for("donor")
    pages = 0
    for url in (reverse("people:organization_list"), reverse("grants:list")):
        for number in range(1, 40):
            response = donor.get(url, {"page": number})
            text = html.unescape(response.content.decode())
            assert not [name for name in names if name in text], url
            pages += 1
            if f"page={number + 1}" not in text:
                break
    assert pages > 2
    officer = html.unescape(client_for("me").get(reverse("grants:list")).content.decode())
    assert any(name in officer for name in names)
