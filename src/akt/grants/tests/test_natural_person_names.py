"""A grant applicant that is a natural person (a family farm, a sole proprietor) is not named to
those who do not see persons: the donor reads a neutral label on the call's applications, the
ranking and the application's page; the M&E officer reads the name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from akt.grants.tests.conftest import Workflow
from akt.people.models import Organization
from akt.reports.tests.records import text_of

pytestmark = pytest.mark.django_db

FARM = "Ferma familjare Drita Zymberaj"


@pytest.fixture
def farm_applicant(workflow: Workflow) -> Workflow:
    Organization.objects.filter(pk=workflow.gracanica.applicant_id).update(
        name=FARM, kind="farm", natural_person=True
    )
    return workflow


def test_the_donor_reads_no_applicants_name_the_officer_does(
    client_for, farm_applicant: Workflow
) -> None:
    pages = [
        reverse("grants:application_list", args=[farm_applicant.call.pk]),
        reverse("grants:application_detail", args=[farm_applicant.gracanica.pk]),
    ]
    for url in pages:
        donor = client_for("donor").get(url)
        assert donor.status_code == 200, url
        assert "Zymberaj" not in donor.content.decode(), url
        assert "Family farm in " in text_of(donor), url
        assert FARM in text_of(client_for("me").get(url)), url
    listing = text_of(client_for("donor").get(pages[0]))
    assert "Zvečan Secret Apiary" in listing  # a business is named as before
