"""Organizations that are natural persons: a family farm or sole proprietor is its owner under
another name, and those who do not see persons (the donor viewer) never read that name: not on
the organization's pages, the grant pages, the records behind a figure, the municipality's
profile, the tracking workbook or a report, and not by searching for it. Those who see persons
(the M&E officer) still read it."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from decimal import Decimal

import docx
import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.counting.periods import Period
from akt.demo import texts
from akt.grants.models import Grant
from akt.indicators.selectors import life_of_project
from akt.people.models import Organization, OrganizationKind
from akt.people.natural import looks_like_natural_person, organization_label
from akt.reports.document import document_text, docx_bytes, pdf_bytes
from akt.reports.models import StoryStatus
from akt.reports.report_builders import ReportKind, report_data, report_document
from akt.reports.stories import story_create
from akt.reports.tests.records import text_of
from akt.testing.factories import GrantFactory, OrganizationFactory, municipality

OWNER = "Zymberaj"
"""The family name in the natural person's organization: what must not reach the donor."""

FARM_NAME = f"Ferma familjare Arbër {OWNER}"
COMPANY_NAME = "Dardania Agro Sh.p.k."


# -- the rule ---------------------------------------------------------------------------------

NATURAL = [
    # As a hurried clerk writes them: any case, diacritics missing, Cyrillic, dots dropped.
    ("Ferma familjare Arbër Gashi", "farm"),
    ("ferma familjare arber gashi", "business"),
    ("FERMA FAMILJARE KRASNIQI", ""),
    ("Fermë familjare Shala", "other"),
    ("Bletaria familjare Hoxha", "business"),
    ('Ferma "Berisha"', "farm"),
    ('Ferma "Adem"', "business"),
    ('Farma krava "Antić"', "business"),
    ("ferma e qumeshtit Hasani", "business"),
    ("farma petrovic", "farm"),
    ("Porodična farma Petrović", "business"),
    ("porodicna farma jovanovic", ""),
    ("ПОРОДИЧНА ФАРМА Стојановић", "business"),
    ("Poljoprivredno gazdinstvo Milan Jovanović", "business"),
    ("preduzetnik Dragan Ilic", "business"),
    ("Preduzetnička radnja Nikolić", "business"),
    ("Samostalna zanatska radnja Đorđević", "business"),
    ("SZR Milan", "business"),
    ("s.z.r. djordje", "business"),
    ("СЗР Мирко", "business"),
    ('STR "Vesna"', "business"),
    ("N.P. Dardania", "business"),
    ("np dardania", "business"),
    ("NPH Arbi", "business"),
    ('N.T.P. "Arbër"', "business"),
    ("ntp arber", "business"),
    ("B.I. Gashi", "business"),
    ("biznes individual Shala", "business"),
    ("Family farm Hasani", "other"),
    ("Sole proprietor Ilir Morina", "other"),
]

NOT_NATURAL = [
    ("Gashi Agro Sh.p.k.", "farm"),  # a company named after its founder is a legal person
    ("gashi agro shpk", "business"),
    ("KRASNIQI SH.P.K", "business"),
    ("Ferma Gashi Sh.p.k.", "farm"),
    ("Petrović d.o.o.", "business"),
    ("PETROVIC DOO", "farm"),
    ("Петровић д.о.о.", "business"),
    ("Dardania L.L.C.", "business"),
    ("Kosova Telecom Sh.a.", "business"),
    ("Zadruga Sloga", "farm"),
    ("Kooperativa bujqësore Drenica", "farm"),
    ('Shoqata e grave fermere "Agimi"', "civil_society"),
    ('Udruženje žena poljoprivrednica "Sunce"', "civil_society"),
    ("Komuna e Graçanicës", "municipal_office"),
    ("Komiteti për Komunitete", "assembly_committee"),
    ('Studio "Arbër"', "business"),  # a business not written as a sole proprietor: left alone
    ("Binak Trade", "business"),
    ("Abi Market", "business"),
]


@pytest.mark.parametrize(("name", "kind"), NATURAL)
def test_the_rule_tells_a_family_farm_or_sole_proprietor(name: str, kind: str) -> None:
    assert looks_like_natural_person(name, kind)


@pytest.mark.parametrize(("name", "kind"), NOT_NATURAL)
def test_the_rule_leaves_companies_associations_and_offices(name: str, kind: str) -> None:
    assert not looks_like_natural_person(name, kind)


def test_the_demo_farm_names_are_natural_persons() -> None:
    family, given = "Gashi", "Arbër"
    for wording in texts.FARM_NAMES.values():
        for language in (wording.sq, wording.sr):
            for template in language.split("|"):
                name = template.format(given=given, family=family)
                if "Sh.p.k." in name or "d.o.o." in name:
                    assert not looks_like_natural_person(name, "farm"), name
                else:
                    assert looks_like_natural_person(name, "farm"), name


@pytest.mark.django_db
def test_the_migration_marks_the_organizations_already_recorded(reference: None) -> None:
    farm = OrganizationFactory(name="Ferma familjare Arbër Gashi", kind=OrganizationKind.FARM)
    proprietor = OrganizationFactory(name="SZR Milan", kind=OrganizationKind.BUSINESS)
    company = OrganizationFactory(name="Gashi Agro Sh.p.k.", kind=OrganizationKind.FARM)
    office = OrganizationFactory(
        name="Komuna e Gjilanit", kind=OrganizationKind.MUNICIPAL_OFFICE, sector="public"
    )
    Organization.objects.update(natural_person=False)
    migration = importlib.import_module("akt.people.migrations.0007_mark_natural_persons")
    migration.mark(apps, None)
    marked = dict(Organization.objects.values_list("pk", "natural_person"))
    assert marked[farm.pk] and marked[proprietor.pk]
    assert not marked[company.pk] and not marked[office.pk]


# -- the world the pages are read in ------------------------------------------------------------


@pytest.fixture
def farm(reference: None) -> Organization:
    return OrganizationFactory(
        name=FARM_NAME,
        kind=OrganizationKind.FARM,
        municipality=municipality("gracanice"),
        natural_person=True,
    )


@pytest.fixture
def farm_grant(farm: Organization) -> Grant:
    return GrantFactory(reference="BG-NAT-01", recipient=farm, amount=Decimal("7500.00"))


@pytest.fixture
def company_grant(reference: None) -> Grant:
    company = OrganizationFactory(name=COMPANY_NAME, municipality=municipality("gracanice"))
    return GrantFactory(reference="BG-CO-01", recipient=company)


def test_the_label_names_the_kind_place_and_number_not_the_person(farm: Organization) -> None:
    donor = Scope(authenticated=True, all_records=True, may_see_persons=False, may_edit=False)
    officer = Scope(authenticated=True, all_records=True, may_see_persons=True, may_edit=True)
    hidden = organization_label(farm, donor)
    assert OWNER not in hidden
    assert hidden.startswith("Family farm in ") and f"(#{farm.pk})" in hidden
    assert organization_label(farm, officer) == FARM_NAME


PAGES = {
    "organization list": lambda g: reverse("people:organization_list"),
    "organization page": lambda g: reverse("people:organization_detail", args=[g.recipient_id]),
    "grant list": lambda g: reverse("grants:list"),
    "grant page": lambda g: reverse("grants:detail", args=[g.pk]),
    "records behind a figure": lambda g: reverse("reports:indicator", args=["business-grants"]),
    "municipality profile": lambda g: reverse("reports:municipality", args=["gracanice"]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_donor_never_reads_a_natural_persons_name(
    client_for, farm_grant: Grant, company_grant: Grant, page: str
) -> None:
    url = PAGES[page](farm_grant)
    donor = client_for("donor").get(url)
    assert donor.status_code == 200
    assert OWNER not in donor.content.decode()
    text = text_of(donor)
    assert "Family farm in " in text
    if page not in ("organization page", "grant page"):
        assert COMPANY_NAME in text  # a company on the same list is named as before
    officer = client_for("me").get(url)
    assert FARM_NAME in text_of(officer)


@pytest.mark.django_db
def test_the_donor_cannot_find_a_natural_person_by_name(client_for, farm_grant: Grant) -> None:
    searches = {
        reverse("people:organization_list"): f"?q={OWNER}",
        reverse("grants:list"): f"?q={OWNER}",
    }
    for url, query in searches.items():
        donor = text_of(client_for("donor").get(url + query))
        assert "Family farm in " not in donor and "BG-NAT-01" not in donor
        officer = text_of(client_for("me").get(url + query))
        assert FARM_NAME in officer


@pytest.mark.django_db
def test_the_tracking_workbook_holds_no_natural_persons_name(client_for, farm_grant: Grant) -> None:
    response = client_for("donor").get(reverse("reports:tracking_download") + "?language=en")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert cells and not any(OWNER in cell for cell in cells)


QUARTER = Period.fiscal_quarter(2015, 3)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "sq", "sr"])
def test_a_report_names_the_story_grant_without_its_owner(
    personas: dict[str, User], farm: Organization, language: str
) -> None:
    grant = GrantFactory(reference="BG-NAT-02", recipient=farm, award_date=dt.date(2015, 5, 20))
    story_create(
        actor=personas["me"],
        fiscal_year=QUARTER.year,
        quarter=QUARTER.quarter,
        title_en="A family farm grows",
        text_en="The farm bought a cooling tank.",
        title_sq="Një fermë familjare rritet",
        text_sq="Ferma bleu një tank ftohës.",
        title_sr_latn="Porodična farma raste",
        text_sr_latn="Farma je kupila rashladni tank.",
        grants=[grant],
        status=StoryStatus.READY,
    )
    data = report_data(
        ReportKind.QUARTERLY, QUARTER, lop=life_of_project(), today=dt.date(2026, 12, 7)
    )
    document = report_document(data, language=language, dated=dt.datetime(2026, 12, 7, 12))
    text = document_text(document)
    assert "BG-NAT-02" in text  # the story still tells of the grant
    assert OWNER not in text and "Зимберај" not in text
    word = docx.Document(io.BytesIO(docx_bytes(document)))
    assert OWNER not in "\n".join(paragraph.text for paragraph in word.paragraphs)
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes(document))).pages)
    assert "BG-NAT-02" in pdf and OWNER not in pdf
    if language == "en":
        assert "BG-NAT-02 (Family farm in " in text


# -- recording one ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_organization_named_as_a_family_farm_is_marked_and_unticking_sticks(
    client_for,
) -> None:
    officer = client_for("me")
    response = officer.post(
        reverse("people:organization_create"),
        {
            "name": "Ferma familjare Besnik Rama",
            "kind": "farm",
            "sector": "agriculture",
            "municipality": municipality("gjilan").pk,
        },
    )
    assert response.status_code == 302
    farm = Organization.objects.get(name="Ferma familjare Besnik Rama")
    assert farm.natural_person
    edit = officer.get(reverse("people:organization_update", args=[farm.pk])).content.decode()
    assert 'name="natural_person"' in edit and "checked" in edit
    officer.post(
        reverse("people:organization_update", args=[farm.pk]),
        {
            "name": farm.name,
            "kind": "farm",
            "sector": "agriculture",
            "municipality": farm.municipality_id,
        },
    )
    farm.refresh_from_db()
    assert not farm.natural_person  # the officer has the last word

    officer.post(
        reverse("people:organization_create"),
        {"name": "Rama Agro Sh.p.k.", "kind": "business", "municipality": farm.municipality_id},
    )
    assert not Organization.objects.get(name="Rama Agro Sh.p.k.").natural_person


@pytest.mark.django_db
def test_the_donors_list_does_not_place_a_natural_person_by_name(
    client_for, farm: Organization
) -> None:
    OrganizationFactory(name="Zeta Trade Sh.p.k.", municipality=farm.municipality)
    url = reverse("people:organization_list") + f"?municipality={farm.municipality_id}"
    donor = text_of(client_for("donor").get(url))
    assert donor.index("Zeta Trade") < donor.index("Family farm in ")  # after, not at "F"
    officer = text_of(client_for("me").get(url))
    assert officer.index(FARM_NAME) < officer.index("Zeta Trade")


@pytest.mark.django_db
def test_the_donors_grant_list_costs_the_same_queries_however_many_farms(
    client_for, reference: None
) -> None:
    def farm_grants(count: int) -> None:
        for _ in range(count):
            GrantFactory(recipient=OrganizationFactory(kind="farm", natural_person=True))

    donor = client_for("donor")
    farm_grants(2)
    with CaptureQueriesContext(connection) as few:
        donor.get(reverse("grants:list"))
    farm_grants(10)
    with CaptureQueriesContext(connection) as many:
        page = donor.get(reverse("grants:list"))
    assert text_of(page).count("Family farm in ") == 12
    assert len(many) == len(few)
