"""Two workflows walked in Chromium as their users click them, in the users' languages.

The grant cycle in Albanian: a call for applications with its criteria and committee, two
applications, eligibility, the call closed, blind scoring by two members (and a member with a
conflict of interest refused), the ranking, an award in euros and a rejection, tranches (one
beyond the award refused), a payment, a monitoring visit and a follow-up with its jobs.

The capacity plan's actions in Serbian Cyrillic: Zvečan's focal point records the adoption of
the draft plan, adds an action, marks another done (refused first without its completion date),
reads the change per area on the assessment page and links a training to the new action.

Both run on the demo dataset. Every page is watched for server errors; a screenshot of each main
step goes to ``test-artifacts/`` (``workflow-grants-sq-*.png``, ``workflow-plan-sr-*.png``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format

from akt.accounts.models import User
from akt.activities.models import Activity, ActivityKind
from akt.capacity.models import CapacityAssessment, CapacityDevelopmentPlan, PlanStatus
from akt.conftest import PASSWORD
from akt.grants.models import Criterion
from akt.testing.factories import municipality

# Slow: each generates the demo dataset (about 6 s) and walks some thirty pages.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LANGUAGES = {"en": "English", "sq": "Shqip", "sr-latn": "Srpski", "sr": "Српски"}
LOG_OUT = {"sq": "Çkyçu", "sr": "Одјава"}


@pytest.fixture
def demo(reference: None, personas: dict[str, User]) -> None:
    """The demo dataset (about 6 s), with the personas who walk it named as people are."""
    call_command("demo_data", stdout=io.StringIO())
    User.objects.filter(username="me").update(first_name="Arta", last_name="Berisha")
    User.objects.filter(username="staff").update(first_name="Dragan", last_name="Petrović")


class Watch:
    """Every response of the live server the page receives, so that a server error anywhere
    (a page, a redirect after a form, a stylesheet) fails the step that met it."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        page.on("response", self._seen)

    def _seen(self, response) -> None:
        if response.status >= 500:
            self.errors.append(f"{response.status} {response.request.method} {response.url}")

    def check(self) -> None:
        assert not self.errors, self.errors


@pytest.fixture
def open_browser(browser_page) -> Iterator[object]:
    """``open_browser("sq-AL")``: a page of a browser context in that locale (its
    Accept-Language and ``navigator.language``; headless Chromium still draws date inputs as
    mm/dd/yyyy), 1280 px wide, watched for server errors (checked at the end too)."""
    opened: list[tuple[object, Watch]] = []

    def make(locale: str) -> tuple[object, Watch]:
        context = browser_page.context.browser.new_context(locale=locale, viewport=WIDE)
        page = context.new_page()
        page.set_default_timeout(15_000)
        opened.append((context, Watch(page)))
        return page, opened[-1][1]

    yield make
    for context, watch in opened:
        context.close()
        watch.check()


def sign_in(page, live_server, username: str) -> None:
    """Signs in on the login page, in whatever language it speaks (the language is a cookie
    and outlives the session): its two inputs are found by their type."""
    page.goto(live_server.url + "/accounts/login/")
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.locator("main h1").wait_for()


def speak(page, language: str) -> None:
    page.get_by_role("button", name=LANGUAGES[language], exact=True).click()
    page.wait_for_function(f"document.documentElement.lang === '{language}'")


def sign_out(page, language: str) -> None:
    page.get_by_role("button", name=LOG_OUT[language]).click()
    page.wait_for_url("**/accounts/login/**")


def saw(page, message: str) -> None:
    """The confirmation a saved form leaves at the top of the next page."""
    page.locator("main p.message", has_text=message).wait_for()


def heading(page, text: str) -> None:
    page.get_by_role("heading", name=text, level=1).wait_for()


def shot(page, artifacts: Path, name: str, *, phone: bool = False) -> None:
    """A full-page screenshot at 1280 px (and at 390 px with ``phone``), the viewport set back
    to 1280 px after."""
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    if phone:
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(artifacts / f"{name}-390.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        page.set_viewport_size(WIDE)
        assert width <= PHONE["width"], f"{name}: {width} px wide on a 390 px phone"


def row(page, content: str):
    return page.locator("main tr", has_text=content)


def text(locator) -> str:
    """What a reader sees in ``locator``, the no-break spaces of numbers as plain spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", locator.inner_text())


# -- the grant cycle, in Albanian -------------------------------------------------------------

CALL = "BG-2016-07"
CALL_TITLE = "Grante për bujqësi dhe bletari në Graçanicë dhe Zveçan"
FARM = 'Farma krava "Gashi"'  # demo farms of Gračanica and Zvečan
APIARY = 'Poljoprivredno gazdinstvo "Milutin"'
CRITERIA = (("Plani i biznesit", "60", "10"), ("Vende pune për gra dhe komunitete", "40", "5"))


def grants_step(page, artifacts: Path, watch: Watch, step: str, **options: bool) -> None:
    watch.check()
    shot(page, artifacts, f"workflow-grants-sq-{step}", **options)


def enter_application(page, applicant: str, place: str, sector: str, **values: str) -> None:
    page.get_by_role("link", name="Aplikacion i ri").first.click()
    heading(page, "Aplikacion i ri")
    page.get_by_label("Aplikuesi").select_option(label=applicant)
    page.get_by_label("Komuna").select_option(label=place)
    page.get_by_label("Sektori").select_option(label=sector)
    page.get_by_label("Dorëzuar më").fill(values["received_on"])
    page.get_by_label("Shuma e kërkuar").fill(values["amount"])
    page.get_by_label("Bashkëfinancimi i ofruar").fill(values["cofinancing"])
    page.get_by_label("Përshkrim i shkurtër").fill(values["description"])
    page.get_by_label("Gjinia e pronarit").select_option(label=values["sex"])
    page.get_by_label("Viti i lindjes së pronarit").fill(values["birth_year"])
    page.get_by_label("Komuniteti i pronarit").select_option(label=values["community"])
    page.get_by_role("button", name="Ruaj").click()
    saw(page, "Aplikacioni u ruajt.")
    heading(page, f"Aplikacioni i {applicant}")


def declare(page, applicant: str, *, conflict: str = "") -> None:
    """From the member's list, the application's scoring page and their declaration."""
    page.get_by_role("link", name="Grantet", exact=True).first.click()
    page.get_by_role("link", name="Aplikacione për vlerësim").first.click()
    heading(page, "Aplikacione për vlerësim")
    line = row(page, CALL).filter(has_text=applicant)
    assert "Deklaroni konflikt interesi, ose mungesën e tij" in line.inner_text()
    line.get_by_role("link", name=applicant).click()
    heading(page, f"Vlerësimi: {applicant}")
    if conflict:
        page.get_by_label("Kam konflikt interesi me këtë aplikues.", exact=True).check()
        page.get_by_label("Cili është konflikti").fill(conflict)
    else:
        page.get_by_label("Nuk kam konflikt interesi me këtë aplikues.", exact=True).check()
    page.get_by_role("button", name="Deklaro").click()
    saw(page, "Deklarata juaj u ruajt.")


def score(page, points: tuple[str, str], comment: str) -> None:
    for (criterion, _weight, _most), given in zip(CRITERIA, points, strict=True):
        page.get_by_role("spinbutton", name=criterion).fill(given)
    page.get_by_label(f"Koment për “{CRITERIA[0][0]}”").fill(comment)
    page.get_by_role("button", name="Dorëzo pikët e mia").click()
    saw(page, "Pikët tuaja u dorëzuan.")


def test_the_grant_cycle_in_albanian(live_server, demo, open_browser, artifacts: Path) -> None:
    page, watch = open_browser("sq-AL")
    sign_in(page, live_server, "me")
    speak(page, "sq")

    # 1. The M&E officer publishes the call: sectors, municipalities, budget, deadline,
    # criteria with their weights, the committee.
    page.get_by_role("link", name="Grantet", exact=True).first.click()
    heading(page, "Grantet")
    page.get_by_role("link", name="Thirrjet për aplikime").first.click()
    page.get_by_role("link", name="Thirrje e re").click()
    heading(page, "Thirrje e re")
    page.get_by_label("Referenca").fill(CALL)
    page.get_by_label("Titulli").fill(CALL_TITLE)
    page.get_by_label("Komponenta").select_option(label="Mundësitë ekonomike")
    for sector in ("Bujqësi", "Bletari"):
        page.get_by_label(sector, exact=True).check()
    for place in ("Graçanicë", "Zveçan"):
        page.get_by_label(place, exact=True).check()
    page.get_by_label("Buxheti").fill("50000")
    page.get_by_label("Monedha").select_option(label="Euro")
    page.get_by_label("Data e hapjes").fill("2016-01-11")
    page.get_by_label("Afati").fill("2016-02-29")
    page.get_by_label("Statusi").select_option(label="E hapur")
    for member in ("Arta Berisha (me)", "Dragan Petrović (staff)"):
        page.get_by_label(member, exact=True).check()
    for index, (name, weight, most) in enumerate(CRITERIA):
        page.locator(f"input[name='criteria-{index}-name']").fill(name)
        page.locator(f"input[name='criteria-{index}-weight']").fill(weight)
        page.locator(f"input[name='criteria-{index}-max_score']").fill(most)
    page.screenshot(path=str(artifacts / "workflow-grants-sq-01-call-form.png"), full_page=True)
    page.get_by_role("button", name="Ruaj").click()
    saw(page, "Thirrja u ruajt.")
    heading(page, f"{CALL} {CALL_TITLE}")
    facts = page.locator("main dl.facts").first.inner_text()
    assert "E hapur" in facts and "Graçanicë, Zveçan" in facts and "Bujqësi, Bletari" in facts
    assert "Plani i biznesit" in row(page, "Plani i biznesit").inner_text()
    assert page.locator("main li", has_text="Dragan Petrović").count() == 1
    grants_step(page, artifacts, watch, "01-call")
    call_page = page.url

    # 2. Two applications, entered from the call's page by the administrator (the one who takes
    # an application in does not score it); both found eligible.
    sign_out(page, "sq")
    sign_in(page, live_server, "admin")
    page.goto(call_page)
    enter_application(
        page,
        FARM,
        "Graçanicë",
        "Bujqësi",
        received_on="2016-02-10",
        amount="8000",
        cofinancing="2000",
        description="Një stallë e re dhe një frigorifer për qumështin.",
        sex="Femër",
        birth_year="1990",
        community="Shqiptare",
    )
    farm_page = page.url
    page.get_by_role("link", name=CALL).first.click()
    enter_application(
        page,
        APIARY,
        "Zveçan",
        "Bletari",
        received_on="2016-02-20",
        amount="6000",
        cofinancing="1000",
        description="Zgjoje dhe një centrifugë për mjaltin.",
        sex="Mashkull",
        birth_year="1968",
        community="Serbe",
    )
    apiary_page = page.url
    grants_step(page, artifacts, watch, "02-application")
    for url in (farm_page, apiary_page):
        page.goto(url)
        page.get_by_role("link", name="Vendos për pranueshmërinë").click()
        heading(page, "Vendos për pranueshmërinë")
        page.get_by_label("E pranueshme", exact=True).check()
        page.get_by_role("button", name="Ruaj").click()
        saw(page, "Vendimi për pranueshmërinë u ruajt.")
        assert "E pranueshme" in page.locator("main dl.facts").first.inner_text()
    grants_step(page, artifacts, watch, "03-eligible")

    # 3. The call closes: the committee may score.
    page.get_by_role("link", name=CALL).first.click()
    page.get_by_role("link", name="Ndrysho thirrjen").click()
    page.get_by_label("Statusi").select_option(label="E mbyllur")
    page.get_by_role("button", name="Ruaj").click()
    saw(page, "Thirrja u ruajt.")
    assert "E mbyllur" in page.locator("main dl.facts").first.inner_text()
    grants_step(page, artifacts, watch, "04-call-closed")
    sign_out(page, "sq")
    sign_in(page, live_server, "me")

    # 4. The first member declares no conflict and scores both applications.
    declare(page, FARM)
    score(page, ("8", "4"), "Plan i qartë, me blerës të njohur.")
    assert "Plan i qartë, me blerës të njohur." in row(page, "Arta Berisha").inner_text()
    declare(page, APIARY)
    score(page, ("6", "3"), "Tregu i mjaltit nuk është analizuar.")
    grants_step(page, artifacts, watch, "05-first-member-scored")
    sign_out(page, "sq")

    # 5. The second member: before submitting, the first member's scores are nowhere to see.
    sign_in(page, live_server, "staff")
    page.get_by_role("link", name="Grantet", exact=True).first.click()
    page.get_by_role("link", name="Thirrjet për aplikime").first.click()
    page.get_by_role("link", name=CALL).click()
    page.get_by_role("link", name="Aplikacionet, të renditura").click()
    heading(page, f"Aplikacionet në {CALL}")
    assert "pas pikëve tuaja" in row(page, FARM).inner_text()  # no score, no rank
    assert "87" not in row(page, FARM).inner_text()
    declare(page, FARM)
    note = "Pikët e anëtarëve të tjerë shfaqen pasi të keni dorëzuar tuajat."
    assert page.get_by_text(note).first.is_visible()
    committee = page.locator("main section", has_text="Pikët e komisionit").last
    assert "Arta Berisha" not in committee.inner_text()
    assert "Plan i qartë" not in page.locator("main").inner_text()
    assert "Deklaroi se nuk ka konflikt interesi; pikët ende nuk janë dorëzuar." in (
        row(page, "Dragan Petrović").inner_text()
    )
    grants_step(page, artifacts, watch, "06-second-member-blind")
    score(page, ("9", "5"), "Stalla e re dyfishon prodhimin.")
    assert "Plan i qartë, me blerës të njohur." in row(page, "Arta Berisha").inner_text()
    assert "94" in row(page, "Dragan Petrović").inner_text()
    grants_step(page, artifacts, watch, "07-second-member-scored")

    # 6. A member who declared a conflict cannot score: no form, and a hand-made one refused.
    declare(page, APIARY, conflict="Pronari është kushëri i gruas sime.")
    assert page.get_by_text(
        "Keni deklaruar konflikt interesi (Pronari është kushëri i gruas sime.): nuk e "
        "vlerësoni këtë aplikacion dhe nuk i shihni pikët e tij."
    ).is_visible()
    assert page.get_by_role("button", name="Dorëzo pikët e mia").count() == 0
    assert "Tregu i mjaltit" not in page.locator("main").inner_text()
    grants_step(page, artifacts, watch, "08-conflict-declared")
    criteria = Criterion.objects.filter(call__reference=CALL).order_by("position")
    page.evaluate(
        """(names) => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = window.location.pathname;
            const add = (name, value) => {
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = name; input.value = value;
                form.appendChild(input);
            };
            add('csrfmiddlewaretoken',
                document.querySelector('input[name=csrfmiddlewaretoken]').value);
            for (const name of names) add(name, '5');
            document.body.appendChild(form);
            form.submit();
        }""",
        [f"points_{criterion.pk}" for criterion in criteria],
    )
    page.get_by_text(
        "Keni deklaruar konflikt interesi me këtë aplikacion; nuk e vlerësoni."
    ).wait_for()
    grants_step(page, artifacts, watch, "09-conflict-refused")
    sign_out(page, "sq")

    # 7. The ranking, as the officer reads it: the weighted mean of the submitted scores.
    sign_in(page, live_server, "me")
    page.goto(farm_page)
    page.get_by_role("link", name="Aplikacionet", exact=True).click()
    heading(page, f"Aplikacionet në {CALL}")
    ranked = page.locator("main tbody tr")
    assert ranked.count() == 2 and FARM in ranked.first.inner_text()
    first, second = row(page, FARM).inner_text(), row(page, APIARY).inner_text()
    assert first.startswith("1") and "87,00" in first and "E vlerësuar" in first, first
    assert second.startswith("2") and "60,00" in second and "E vlerësuar" in second, second
    grants_step(page, artifacts, watch, "10-ranking", phone=True)

    # 8. The award, in euros at the rate given, and the rejection with its reason.
    row(page, FARM).get_by_role("link", name=FARM).click()
    page.get_by_role("link", name="Ndaj grantin ose refuzo").click()
    heading(page, "Ndaj grantin ose refuzo")
    page.get_by_label("Ndaj grantin", exact=True).check()
    page.get_by_label("Arsyeja e vendimit").fill("E para në renditje; komisioni e uli shumën.")
    page.get_by_label("Data e vendimit").fill("2016-03-25")
    page.get_by_label("Numri i grantit").fill(f"{CALL}-01")
    page.get_by_label("Shuma e ndarë").fill("7500")
    page.get_by_label("Monedha").select_option(label="Euro")
    page.get_by_label("Kursi i këmbimit, dollarë amerikanë për njësi").fill("1.11")
    page.get_by_label("Burimi i kursit").fill("Banka Qendrore e Kosovës")
    page.get_by_role("button", name="Ruaj vendimin").click()
    saw(page, "Vendimi u ruajt.")
    facts = text(page.locator("main dl.facts").first)
    assert "E miratuar" in facts and f"{CALL}-01 · 7 500 €" in facts, facts
    grants_step(page, artifacts, watch, "11-awarded")

    page.goto(apiary_page)
    page.get_by_role("link", name="Ndaj grantin ose refuzo").click()
    page.get_by_label("Refuzo", exact=True).check()
    page.get_by_label("Arsyeja e vendimit").fill("Nën pragun e komisionit; tregu i paanalizuar.")
    page.get_by_label("Data e vendimit").fill("2016-03-25")
    page.get_by_role("button", name="Ruaj vendimin").click()
    saw(page, "Vendimi u ruajt.")
    facts = page.locator("main dl.facts").first.inner_text()
    assert "E refuzuar" in facts and "Nën pragun e komisionit" in facts, facts
    grants_step(page, artifacts, watch, "12-rejected")

    # 9. The grant: a tranche, one beyond the award refused, the payment.
    page.goto(farm_page)
    page.get_by_role("link", name=f"{CALL}-01").click()
    heading(page, f"Granti {CALL}-01")
    facts = text(page.locator("main dl.facts").first)
    for shown in ("7 500 €", "8 325 US$", "Banka Qendrore e Kosovës", "25.03.2016"):
        assert shown in facts, facts
    page.get_by_role("link", name="Planifiko një këst").click()
    heading(page, "Planifiko një këst")
    page.get_by_label("Faza kyçe").fill("Kontrata e nënshkruar")
    page.get_by_label("Shuma e planifikuar").fill("5000")
    page.get_by_label("Afati").fill("2016-04-01")
    page.get_by_role("button", name="Ruaj").click()
    saw(page, "Kësti u ruajt.")
    page.get_by_role("link", name="Planifiko një këst").click()
    page.get_by_label("Faza kyçe").fill("Stalla e përfunduar")
    page.get_by_label("Shuma e planifikuar").fill("3000")
    page.get_by_label("Afati").fill("2016-07-01")
    page.get_by_role("button", name="Ruaj").click()
    refusal = page.locator("main .errorlist", has_text="Këstet do të arrinin")
    refusal.wait_for()
    assert text(refusal) == "Këstet do të arrinin 8 000 €, më shumë se granti prej 7 500 €."
    grants_step(page, artifacts, watch, "13-tranche-refused")
    page.get_by_label("Shuma e planifikuar").fill("2500")
    page.get_by_role("button", name="Ruaj").click()
    saw(page, "Kësti u ruajt.")
    row(page, "Kontrata e nënshkruar").get_by_role("link", name="Regjistro pagesën").click()
    heading(page, "Regjistro pagesën")
    page.get_by_label("Paguar më").fill("2016-04-05")
    page.get_by_role("button", name="Ruaj").click()
    saw(page, "Pagesa u ruajt.")
    paid = row(page, "Kontrata e nënshkruar").inner_text()
    assert "e papaguar" not in paid and "Korrigjo pagesën" in paid, paid
    assert "e papaguar" in row(page, "Stalla e përfunduar").inner_text()
    grants_step(page, artifacts, watch, "14-tranche-paid")

    # 10. A monitoring visit and a follow-up with the jobs created by sex and community.
    page.get_by_role("link", name="Regjistro një vizitë").click()
    heading(page, "Regjistro një vizitë")
    page.get_by_label("Data e vizitës").fill("2016-06-14")
    page.get_by_label("Vizitori").fill("Arta Berisha")
    page.get_by_label("Gjetjet").fill("Stalla është ndërtuar; frigoriferi pritet në korrik.")
    page.get_by_role("button", name="Ruaj").click()
    saw(page, "Vizita u ruajt.")
    page.get_by_role("link", name="Regjistro një përcjellje").click()
    heading(page, "Regjistro një përcjellje")
    page.get_by_label("Data e përcjelljes").fill("2016-09-30")
    page.get_by_label("Shitjet").fill("12000")
    page.get_by_label("Monedha e shitjeve").select_option(label="Euro")
    for cell, count in (("Shqiptare, Femër", "2"), ("Serbe, Mashkull", "1"), ("Rome, Femër", "1")):
        page.get_by_label(cell, exact=True).fill(count)
    page.get_by_role("button", name="Ruaj").click()
    saw(page, "Përcjellja u ruajt.")
    outcome = page.locator("main article.card", has_text="Vende pune të krijuara").inner_text()
    for cell in ("Femër, Shqiptare: 2", "Mashkull, Serbe: 1", "Femër, Rome: 1"):
        assert cell in outcome, outcome
    assert "Stalla është ndërtuar" in page.locator("main").inner_text()
    grants_step(page, artifacts, watch, "15-grant", phone=True)


# -- the capacity plan's actions, in Serbian Cyrillic -----------------------------------------

NEW_ACTION = "Ажурирање регистра пореза на имовину"
FINANCE = "Финансије и сопствени приходи"
RESPONSIBLE = "Дирекција за буџет и финансије"
FINISHED_ACTION = "Obuka osoblja iz upravljanja"  # the demo's, in progress in the current plan
TRAINING = "Obuka o naplati poreza na imovinu, modul 2 – Zvečan"  # the demo's, October 2015
DUE, DONE_ON = dt.date(2017, 12, 15), dt.date(2017, 3, 31)


def plan_step(page, artifacts: Path, watch: Watch, step: str, **options: bool) -> None:
    watch.check()
    shot(page, artifacts, f"workflow-plan-sr-{step}", **options)


def open_plan(page, title: str) -> None:
    page.get_by_role("link", name="Планови капацитета", exact=True).first.click()
    heading(page, "Планови развоја капацитета")
    page.get_by_role("link", name=title, exact=True).click()
    heading(page, title)


def short_date(day: dt.date) -> str:
    """A day as the Cyrillic pages write it in tables ("15. 12. 2017.")."""
    with translation.override("sr"):
        return date_format(day, "SHORT_DATE_FORMAT")


def signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def test_the_plan_actions_in_serbian_cyrillic(
    live_server, demo, open_browser, artifacts: Path
) -> None:
    zvecan = municipality("zvecan")
    current, draft = CapacityDevelopmentPlan.objects.filter(municipality=zvecan).order_by(
        "period_start"
    )
    assert draft.status == PlanStatus.DRAFT and current.actions.filter(title=FINISHED_ACTION)
    training = Activity.objects.get(title=TRAINING, kind=ActivityKind.TRAINING)
    page, watch = open_browser("sr-RS")
    sign_in(page, live_server, "focal-zvecan")
    speak(page, "sr")

    # 1. The draft of the next plan: its adoption recorded.
    open_plan(page, draft.title)
    assert "Нацрт" in text(page.locator("main dl.facts").first)
    plan_step(page, artifacts, watch, "01-draft")
    page.get_by_role("link", name="Евидентирај усвајање").click()
    heading(page, "Евидентирај усвајање")
    page.get_by_label("Датум усвајања").fill("2017-02-24")
    page.get_by_label("Одлука Скупштине").fill("01-016-2017/12")
    page.get_by_role("button", name="Евидентирај усвајање").click()
    saw(page, "План је евидентиран као усвојен.")
    facts = text(page.locator("main dl.facts").first)
    assert "Усвојен" in facts and "01-016-2017/12" in facts, facts
    assert page.get_by_role("link", name="Евидентирај усвајање").count() == 0
    plan_step(page, artifacts, watch, "02-adopted")

    # 2. A new action: its area, who is responsible, its due date.
    page.get_by_role("link", name="Нова акција").click()
    heading(page, "Нова акција")
    page.get_by_label("Назив").fill(NEW_ACTION)
    page.get_by_label("Област капацитета").select_option(label=FINANCE)
    page.get_by_label("Одговоран").fill(RESPONSIBLE)
    page.get_by_label("Рок").fill(DUE.isoformat())
    page.get_by_role("button", name="Сачувај").click()
    saw(page, "Акција је сачувана.")
    line = text(row(page, NEW_ACTION))
    for shown in (FINANCE, RESPONSIBLE, "Планирано", short_date(DUE)):
        assert shown in line, line
    plan_step(page, artifacts, watch, "03-action-added")

    # 3. Another action done: refused without its completion date, saved with it.
    open_plan(page, current.title)
    assert "У току" in text(row(page, FINISHED_ACTION))
    page.get_by_role("link", name=FINISHED_ACTION).click()
    heading(page, "Измени акцију")
    page.get_by_label("Статус").select_option(label="Завршено")
    page.get_by_role("button", name="Сачувај").click()
    refusal = page.locator("main .errorlist")
    refusal.wait_for()
    assert "За спроведену акцију потребан је датум завршетка." in text(refusal)
    plan_step(page, artifacts, watch, "04-done-refused")
    page.get_by_label("Датум завршетка").fill(DONE_ON.isoformat())
    page.get_by_role("button", name="Сачувај").click()
    saw(page, "Акција је сачувана.")
    line = text(row(page, FINISHED_ACTION))
    assert "Завршено" in line and short_date(DONE_ON) in line, line
    plan_step(page, artifacts, watch, "05-action-done")

    # 4. The municipality's assessments: the change of each area, first to latest.
    page.get_by_role("link", name="Процене капацитета – Звечан").click()
    heading(page, "Процене капацитета – Звечан")
    scores = page.locator("main table.scores").first
    assert "Промена, од прве до последње" in text(scores.locator("thead"))
    first, latest = CapacityAssessment.objects.filter(municipality=zvecan).order_by("assessed_on")
    before = {score.area_id: score.score for score in first.scores.all()}
    with translation.override("sr"):
        changes = {
            str(score.area.name): signed(score.score - before[score.area_id])
            for score in latest.scores.select_related("area")
        }
    assert len(changes) == 5
    for area, change in changes.items():
        cells = scores.locator("tbody tr", has=page.locator("th", has_text=area)).locator("td")
        assert text(cells.last).endswith(change), (area, text(cells.last), change)
    plan_step(page, artifacts, watch, "06-assessments")

    # 5. A training linked to the new action from the activity's page; the plan lists it.
    page.get_by_role("link", name="Активности", exact=True).first.click()
    page.get_by_label("Назив садржи").fill(TRAINING)
    page.get_by_role("button", name="Филтрирај").click()
    page.get_by_role("link", name=TRAINING).click()
    heading(page, TRAINING)
    page.get_by_role("link", name="Измени активност").click()
    heading(page, "Измени активност")
    page.get_by_label("Акције плана капацитета којима служи").select_option(
        label=f"Звечан: {NEW_ACTION}"
    )
    plan_step(page, artifacts, watch, "07-activity-form")
    page.get_by_role("button", name="Сачувај").click()
    saw(page, "Активност је сачувана.")
    served = page.locator("main dl.facts dd", has=page.get_by_role("link", name=NEW_ACTION))
    served.wait_for()
    plan_step(page, artifacts, watch, "08-activity-serves")
    served.get_by_role("link", name=NEW_ACTION).click()
    heading(page, draft.title)
    held = short_date(training.start_date)
    header = text(page.locator("main table.records thead").first)
    assert "Обуке и радионице које му служе" in header
    assert row(page, NEW_ACTION).get_by_role("link", name=held).is_visible()
    plan_step(page, artifacts, watch, "09-plan", phone=True)
