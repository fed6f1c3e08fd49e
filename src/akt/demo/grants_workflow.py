"""The grants workflow of the demo, built around the demo's business grants.

:func:`grants_workflow_populate` takes the grants the demo generator wrote (references starting
with ``DEMO-``) and gives them the history a real grant has: a call for applications per year
(with its criteria and committee), the applications that won them and those that did not
(rejected after scoring, or ineligible), the committee's conflict declarations and scores, a few
awards made in euros with the exchange rate of their day, disbursement tranches, monitoring
visits and follow-ups with the jobs created. A last call (2017) is still being scored, so the
demo shows blind scoring at work.

It adds records around the grants without changing what the program reports: a grant turned
into a euro award keeps its dollar value to the cent (its amount in euros is rounded, and the
rate of the award day is the one that gives the dollar amount back), so the grants still add
up to the published $102,000.

Deterministic: the same seed and the same grants give the same records (``random.Random``, and
a seed of its own for each member's score sheet, so that scores added later, once the demo
users exist, are the ones a single run would have made). The committee is the demo users that
exist (``me``, ``staff-economic``, ``admin``); before ``akt demo-users`` has run there is none,
and :func:`grants_committee_populate` adds their declarations and scores afterwards.

Records are written as clerks write them: in the municipality's majority language (some Serbian
in Cyrillic), amounts rounded, here and there an owner's answer missing. Rates carry the source
``demo``; calls the reference prefix ``DEMO-``, by which :func:`grants_workflow_wipe` finds them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from akt.accounts.models import User
from akt.demo import texts
from akt.demo.makers import _workday
from akt.demo.plan import DEFAULT_SEED, DEMO_CODE_PREFIX, LAST_EVENT
from akt.grants.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    Criterion,
    CriterionScore,
    Currency,
    ExchangeRate,
    Grant,
    GrantOutcome,
    JobsCreated,
    MonitoringVisit,
    ScoreSheet,
    Tranche,
    usd_value,
)
from akt.people.models import Organization, OrganizationKind, Person, Sector
from akt.places.models import Community, Municipality
from akt.text.script import latin_to_cyrillic

DEMO_RATE_SOURCE = "demo"
COMMITTEE_USERNAMES = ("me", "staff-economic", "admin")
STILL_SCORING = 2017
"""The year of the call still being scored (no awards yet)."""

# Monthly EUR/USD rates near the ECB averages of the time, as a finance office would note them.
MONTHLY_EUR_USD = {
    (2015, 1): "1.1621", (2015, 2): "1.1350", (2015, 3): "1.0838", (2015, 4): "1.0779",
    (2015, 5): "1.1150", (2015, 6): "1.1213", (2015, 7): "1.0996", (2015, 8): "1.1139",
    (2015, 9): "1.1221", (2015, 10): "1.1235", (2015, 11): "1.0736", (2015, 12): "1.0877",
    (2016, 1): "1.0860", (2016, 2): "1.1093", (2016, 3): "1.1100", (2016, 4): "1.1339",
    (2016, 5): "1.1311", (2016, 6): "1.1229", (2016, 7): "1.1069", (2016, 8): "1.1212",
    (2016, 9): "1.1212", (2016, 10): "1.1026", (2016, 11): "1.0799", (2016, 12): "1.0543",
    (2017, 1): "1.0614", (2017, 2): "1.0643", (2017, 3): "1.0685", (2017, 4): "1.0723",
}  # fmt: skip

W = texts.Wording

CALL_TITLE = W(
    "Thirrje për aplikime për grante biznesi {year}",
    "Javni poziv za dodelu biznis grantova {year}",
)
CALL_DESCRIPTION = (
    "Grante për biznese dhe ferma në komunat partnere të AKT-së, për zgjerim të prodhimit dhe "
    "punësim, veçanërisht të grave, të rinjve dhe pjesëtarëve të komuniteteve joshumicë. / "
    "Grantovi za preduzeća i farme u partnerskim opštinama AKT-a, za proširenje proizvodnje i "
    "zapošljavanje, posebno žena, mladih i pripadnika nevećinskih zajednica."
)
CRITERIA = (
    ("Qëndrueshmëria e planit të biznesit / Održivost biznis plana", Decimal(30), 10),
    ("Vende të reja pune për gra, të rinj dhe komunitete joshumicë / Nova radna mesta za žene, "
     "mlade i nevećinske zajednice", Decimal(30), 10),
    ("Bashkëfinancimi / Sufinansiranje", Decimal(20), 5),
    ("Bashkëpunimi ndëretnik / Međuetnička saradnja", Decimal(20), 5),
)  # fmt: skip

DESCRIPTIONS: dict[str, texts.Wording] = {
    Sector.AGRICULTURE: W(
        "Blerja e një traktori të vogël dhe sistemit të ujitjes pikë-pikë për 2 ha perime.",
        "Nabavka malog traktora i sistema za navodnjavanje kap po kap za 2 ha povrća.",
    ),
    Sector.DAIRY: W(
        "Tank për ftohjen e qumështit dhe pajisje për djathë; grumbullim nga 30 fermerë.",
        "Laktofriz i oprema za sir; otkup mleka od 30 farmera iz okoline.",
    ),
    Sector.FRUIT_VEGETABLE: W(
        "Tharëse për fruta dhe linjë për paketimin e ajvarit.",
        "Sušara za voće i linija za pakovanje ajvara.",
    ),
    Sector.MEDICINAL_PLANTS: W(
        "Tharëse dhe distilues për bimë mjekësore e aromatike; 1 ha nenexhik.",
        "Sušara i destilator za lekovito i aromatično bilje; 1 ha nane.",
    ),
    Sector.BEEKEEPING: W(
        "50 koshere të reja, centrifugë dhe paketim i mjaltit me etiketë.",
        "50 novih košnica, vrcaljka i pakovanje meda sa etiketom.",
    ),
    Sector.WOOD_PROCESSING: W(
        "Makinë CNC dhe tharëse për dru për prodhimin e dyshemeve.",
        "CNC mašina i sušara za drvo za proizvodnju podnih obloga.",
    ),
    Sector.FURNITURE: W(
        "Makineri për prerjen dhe kantimin e pllakave për mobilie kuzhine.",
        "Mašine za sečenje i kantovanje ploča za kuhinjski nameštaj.",
    ),
    Sector.SERVICES: W(
        "Pajisje për servisimin e makinave bujqësore.",
        "Oprema za servisiranje poljoprivrednih mašina.",
    ),
}
OTHER_DESCRIPTION = W(
    "Pajisje për zgjerimin e prodhimit dhe dy vende të reja pune.",
    "Oprema za proširenje proizvodnje i dva nova radna mesta.",
)
AWARD_REASONS = (
    W(
        "Renditur ndër më të mirët; komisioni rekomandon ndarjen e grantit.",
        "Rangirano među najboljima; komisija preporučuje dodelu granta.",
    ),
    W(
        "Plan i qëndrueshëm dhe bashkëfinancim i dëshmuar.",
        "Održiv plan i dokazano sufinansiranje.",
    ),
)
REDUCED_REASON = W(
    "Shuma e ulur: pajisja e dytë u hoq nga buxheti.",
    "Iznos umanjen: druga mašina je izbačena iz budžeta.",
)
REJECTION_REASONS = (
    W("Pikët nën pragun prej 60.", "Bodovi ispod praga od 60."),
    W(
        "Buxheti i thirrjes u shpenzua për aplikacionet me më shumë pikë.",
        "Budžet poziva je utrošen na prijave sa više bodova.",
    ),
    W("Bashkëfinancimi i ofruar nuk është dëshmuar.", "Ponuđeno sufinansiranje nije dokazano."),
)
INELIGIBLE_REASONS = (
    W("Biznesi nuk është i regjistruar në ARBK.", "Preduzeće nije registrovano u ARPK."),
    W(
        "Mungon vërtetimi i pagesës së tatimit në pronë.",
        "Nedostaje potvrda o plaćenom porezu na imovinu.",
    ),
    W("Aplikacioni u dorëzua pa planin e biznesit.", "Prijava je predata bez biznis plana."),
    W("U dorëzua pas afatit.", "Predato posle roka."),
)
MILESTONES = (
    W("Nënshkrimi i marrëveshjes", "Potpisivanje ugovora"),
    W("Blerja dhe instalimi i pajisjeve", "Nabavka i instalacija opreme"),
    W("Raporti përfundimtar dhe faturat", "Završni izveštaj i fakture"),
)
FINDINGS = (
    W(
        "Pajisjet janë instaluar dhe në përdorim; dy punëtorë të rinj.",
        "Oprema je instalirana i u upotrebi; dva nova radnika.",
    ),
    W(
        "Vonesë në furnizim me pajisje; furnitori premton dorëzimin brenda muajit.",
        "Kašnjenje u isporuci opreme; dobavljač obećava isporuku u roku od mesec dana.",
    ),
    W(
        "Prodhimi u rrit; mungojnë faturat për materialin e blerë.",
        "Proizvodnja je povećana; nedostaju fakture za kupljeni materijal.",
    ),
    W(
        "Puna vazhdon sipas planit; pronari kërkon trajnim për marketing.",
        "Rad teče po planu; vlasnik traži obuku iz marketinga.",
    ),
)
FOLLOW_UPS = (
    W("Të dorëzohen faturat deri në fund të muajit.", "Dostaviti fakture do kraja meseca."),
    W("Vizitë e re pas dorëzimit të pajisjeve.", "Nova poseta nakon isporuke opreme."),
)
NEW_PRODUCTS: dict[str, texts.Wording] = {
    Sector.BEEKEEPING: W("Mjaltë me arra në kavanoza 250 g", "Med sa orasima u teglama od 250 g"),
    Sector.DAIRY: W("Djathë i bardhë në paketim vakum", "Beli sir u vakuum pakovanju"),
    Sector.WOOD_PROCESSING: W("Dysheme laminat nga ahu", "Bukov parket"),
    Sector.FURNITURE: W("Dyer të brendshme nga druri i ahut", "Sobna vrata od bukovog drveta"),
    Sector.FRUIT_VEGETABLE: W("Ajvar pikant", "Ljuti ajvar"),
    Sector.AGRICULTURE: W("Spec i hershëm nga sera", "Rana paprika iz plastenika"),
}
CONFLICT_NOTE = W("Pronari është kushëri im.", "Vlasnik mi je rođak.")
SCORE_COMMENTS = (
    W("Plan realist, tregu i qartë.", "Realan plan, jasno tržište."),
    W("Bashkëfinancimi i dobët.", "Slabo sufinansiranje."),
    W("Punëson gra nga fshati.", "Zapošljava žene iz sela."),
)
VISITORS = (
    "Arta Krasniqi",
    "Dragan Stojanović",
    "Besnik Hoxha",
    "Jelena Đorđević",
    "Arta Krasniqi, Dragan Stojanović",
)
CYRILLIC_SHARE = 0.4
"""Of the texts written in Serbian-majority municipalities."""


def _in_cyrillic(rng: random.Random, place: Municipality) -> bool:
    """Whether a clerk of ``place`` writes this record in Cyrillic (some do, in Serbian-majority
    municipalities); one record, one script."""
    return texts.serb_majority(place) and rng.random() < CYRILLIC_SHARE


def _say(
    rng: random.Random, wording: texts.Wording, place: Municipality, cyrillic: bool | None = None
) -> str:
    """The wording in the majority language of ``place``, in the record's script."""
    text = texts.say(wording, place)
    if cyrillic is None:
        cyrillic = _in_cyrillic(rng, place)
    return latin_to_cyrillic(text) if cyrillic else text


def _round(amount: Decimal, step: int) -> Decimal:
    units = (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (units * step).quantize(Decimal("0.01"))


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(
        datetime.combine(day, time(hour, 0)), timezone.get_fixed_timezone(60)
    )


def grants_workflow_wipe() -> dict[str, int]:
    """Deletes what :func:`grants_workflow_populate` wrote; call it before the demo's grants
    and organizations are deleted (applications protect both). The grants themselves stay."""
    calls = Call.objects.filter(reference__startswith=DEMO_CODE_PREFIX)
    applications = Application.objects.filter(call__in=calls)
    grants = Grant.objects.filter(reference__startswith=DEMO_CODE_PREFIX)
    deleted = {
        "score_sheets": ScoreSheet.objects.filter(application__in=applications).count(),
        "applications": applications.count(),
        "calls": calls.count(),
        "tranches": Tranche.objects.filter(grant__in=grants).count(),
        "visits": MonitoringVisit.objects.filter(grant__in=grants).count(),
        "outcomes": GrantOutcome.objects.filter(grant__in=grants).count(),
        "exchange_rates": ExchangeRate.objects.filter(source=DEMO_RATE_SOURCE).count(),
    }
    with transaction.atomic():
        CriterionScore.objects.filter(sheet__application__in=applications).delete()
        ScoreSheet.objects.filter(application__in=applications).delete()
        applications.delete()
        Criterion.objects.filter(call__in=calls).delete()
        calls.delete()
        Tranche.objects.filter(grant__in=grants).delete()
        MonitoringVisit.objects.filter(grant__in=grants).delete()
        GrantOutcome.objects.filter(grant__in=grants).delete()
        ExchangeRate.objects.filter(source=DEMO_RATE_SOURCE).delete()
    return deleted


def grants_workflow_populate(seed: int = DEFAULT_SEED, *, eur_awards: int = 3) -> dict[str, int]:
    """Writes the workflow around the demo's grants (see the module's docstring) and returns
    how many records of each kind it wrote. ``eur_awards`` of the grants become awards in euros
    worth the same in dollars. Writes nothing when there are no demo grants."""
    grants = list(
        Grant.objects.filter(reference__startswith=DEMO_CODE_PREFIX)
        .select_related("recipient", "municipality__majority_community", "component")
        .order_by("award_date", "reference")
    )
    if not grants:
        return {}
    with transaction.atomic():
        builder = _Builder(random.Random(seed), seed, grants)
        builder.build(eur_awards)
        counts = builder.counts
        counts.update(grants_committee_populate(seed))
    return dict(counts)


class _Builder:
    def __init__(self, rng: random.Random, seed: int, grants: list[Grant]) -> None:
        self.rng = rng
        self.seed = seed
        self.grants = grants
        self.counts: dict[str, int] = defaultdict(int)
        self.communities = {c.code: c for c in Community.objects.all()}
        self.partners = list(
            Municipality.objects.partners().select_related("majority_community").order_by("code")
        )
        self.component = grants[0].component

    def build(self, eur_awards: int) -> None:
        # The generator writes its grants in bulk, without their dollar amount.
        filled = Grant.objects.filter(
            pk__in=[g.pk for g in self.grants], currency=Currency.USD, amount_usd__isnull=True
        ).update(amount_usd=F("amount"))
        self.counts["grants_given_usd_amount"] = filled
        for grant in self.grants:
            grant.refresh_from_db(fields=["amount_usd"])
        rates = self._rates(eur_awards)
        ExchangeRate.objects.bulk_create(
            [
                ExchangeRate(
                    currency=Currency.EUR, on=day, usd_per_unit=rate, source=DEMO_RATE_SOURCE
                )
                for day, rate in sorted(rates.items())
            ]
        )
        self.counts["exchange_rates"] = len(rates)
        by_year: dict[int, list[Grant]] = defaultdict(list)
        for grant in self.grants:
            by_year[grant.award_date.year].append(grant)
        taken: set[int] = {grant.recipient_id for grant in self.grants}
        others = list(
            Organization.objects.filter(
                registration_number__startswith=DEMO_CODE_PREFIX,
                kind__in=[OrganizationKind.BUSINESS, OrganizationKind.FARM],
                municipality__is_partner=True,
            )
            .exclude(pk__in=taken)
            .select_related("municipality__majority_community")
            .order_by("name", "pk")
        )
        self.rng.shuffle(others)
        for year in sorted(by_year):
            self._call(year, by_year[year], others)
        self._call(STILL_SCORING, [], others)
        for grant in self.grants:
            self._after_award(grant)

    # -- euros ---------------------------------------------------------------------------------

    def _rates(self, eur_awards: int) -> dict[date, Decimal]:
        """The monthly rates, and for each grant turned into a euro award the rate of its day:
        the one that gives its dollar amount back from a round amount in euros."""
        rates: dict[date, Decimal] = {}
        for (year, month), value in MONTHLY_EUR_USD.items():
            rates[_workday(date(year, month, 1))] = Decimal(value)
        chosen = sorted(
            self.rng.sample(self.grants, min(eur_awards, len(self.grants))),
            key=lambda g: g.reference,
        )
        for grant in chosen:
            if grant.currency != Currency.USD or grant.amount_usd is None:
                continue
            month_rate = Decimal(
                MONTHLY_EUR_USD.get((grant.award_date.year, grant.award_date.month), "1.10")
            )
            dollars = grant.amount_usd
            euros, rate = self._euro_amount(dollars, month_rate)
            rates[grant.award_date] = rate
            grant.currency = Currency.EUR
            grant.amount = euros
            grant.usd_rate = rate
            grant.rate_date = grant.award_date
            grant.rate_source = DEMO_RATE_SOURCE
            grant.clean()
            assert grant.amount_usd == dollars, (grant.reference, grant.amount_usd, dollars)
            grant.save(
                update_fields=[
                    "currency",
                    "amount",
                    "usd_rate",
                    "rate_date",
                    "rate_source",
                    "amount_usd",
                ]
            )
            self.counts["eur_awards"] += 1
        return rates

    @staticmethod
    def _euro_amount(dollars: Decimal, month_rate: Decimal) -> tuple[Decimal, Decimal]:
        """A round amount in euros near ``dollars`` at ``month_rate``, and the rate (6 places)
        that makes it exactly ``dollars``."""
        near = _round(dollars / month_rate, 10)
        for step in range(200):
            for euros in (near + 10 * step, near - 10 * step):
                rate = (dollars / euros).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
                if usd_value(euros, Currency.EUR, rate) == dollars:
                    return euros, rate
        raise ValueError(f"no round euro amount for {dollars}")

    # -- calls and applications ----------------------------------------------------------------

    def _call(self, year: int, won: list[Grant], others: list[Organization]) -> None:
        rng = self.rng
        first_award = min((g.award_date for g in won), default=date(year, 3, 20))
        deadline = _workday(first_award - timedelta(days=rng.randint(35, 50)))
        opens = _workday(deadline - timedelta(days=rng.choice((28, 30, 35))))
        sectors = sorted(
            {g.sector for g in won} | {Sector.AGRICULTURE, Sector.BEEKEEPING, Sector.FURNITURE}
        )
        budget = sum((g.amount_usd or Decimal(0) for g in won), Decimal(0))
        call = Call.objects.create(
            reference=f"{DEMO_CODE_PREFIX}BG-{year}",
            title=f"{CALL_TITLE.sq} / {CALL_TITLE.sr}".format(year=year),
            component=self.component,
            description=CALL_DESCRIPTION,
            sectors=[value for value, _label in Sector.choices if value in sectors],
            budget=_round(max(budget, Decimal(40000)) + Decimal(4999), 10000),
            currency=Currency.USD,
            opens_on=opens,
            deadline=deadline,
            status=CallStatus.DECIDED if won else CallStatus.CLOSED,
        )
        call.municipalities.set(self.partners)
        Criterion.objects.bulk_create(
            [
                Criterion(call=call, position=i, name=name, weight=weight, max_score=top)
                for i, (name, weight, top) in enumerate(CRITERIA, start=1)
            ]
        )
        self.counts["calls"] += 1
        for grant in won:
            self._won(call, grant)
        losers = max(2, round(len(won) * rng.uniform(0.8, 1.2))) if won else 5
        for _index in range(losers + 2):
            fitting = [o for o in others if o.sector in call.sectors]
            if not fitting:
                break
            applicant = fitting[0]
            others.remove(applicant)
            if _index < 2:
                self._lost(call, applicant, ineligible=True)
            elif won:
                self._lost(call, applicant, ineligible=False)
            else:
                self._waiting(call, applicant, received=_index == losers + 1)

    def _owner(self, organization: Organization) -> dict[str, object]:
        """The owner's answers, from the person behind the business; one here and there left
        unanswered, or "prefer not to say"."""
        owner = (
            Person.objects.filter(organization=organization)
            .select_related("community")
            .order_by("pk")
            .first()
        )
        if owner is None:
            return {}
        answers: dict[str, object] = {
            "owner_sex": owner.sex,
            "owner_birth_year": owner.known_birth_year,
            "owner_community": owner.community,
        }
        roll = self.rng.random()
        if roll < 0.08:
            answers["owner_birth_year"] = None
        elif roll < 0.14:
            answers["owner_community"] = None
        elif roll < 0.18:
            answers["owner_community"] = self.communities.get("prefer-not-to-say")
        return answers

    def _received(self, call: Call) -> date:
        span = (call.deadline - call.opens_on).days
        return _workday(call.opens_on + timedelta(days=self.rng.randint(3, span)))

    def _application(
        self, call: Call, applicant: Organization, sector: str, requested: Decimal, **fields: object
    ) -> Application:
        place = applicant.municipality
        received = self._received(call)
        cofinancing = _round(requested * Decimal(self.rng.choice((0, 20, 25, 30, 40))) / 100, 100)
        application = Application(
            call=call,
            applicant=applicant,
            municipality=place,
            sector=sector,
            received_on=min(received, call.deadline),
            amount_requested=requested,
            cofinancing=cofinancing,
            description=_say(self.rng, DESCRIPTIONS.get(sector, OTHER_DESCRIPTION), place),
            **self._owner(applicant),
            **fields,
        )
        application.full_clean()
        application.save()
        self.counts["applications"] += 1
        return application

    def _won(self, call: Call, grant: Grant) -> None:
        dollars = grant.amount_usd or grant.amount
        asked = _round(
            dollars * Decimal(self.rng.choice(("1", "1", "1", "1.1", "1.2", "1.25"))), 500
        )
        place = grant.municipality
        script = _in_cyrillic(self.rng, place)
        text = _say(self.rng, self.rng.choice(AWARD_REASONS), place, script)
        if asked > dollars:
            text = f"{text} {_say(self.rng, REDUCED_REASON, place, script)}"
        self._application(
            call,
            grant.recipient,
            grant.sector,
            asked,
            status=ApplicationStatus.AWARDED,
            decided_on=grant.award_date,
            decision_reason=text,
            grant=grant,
        )

    def _lost(self, call: Call, applicant: Organization, *, ineligible: bool) -> None:
        place = applicant.municipality
        requested = _round(Decimal(self.rng.randint(4000, 15000)), 500)
        if ineligible:
            fields: dict[str, object] = {
                "status": ApplicationStatus.INELIGIBLE,
                "ineligibility_reason": _say(self.rng, self.rng.choice(INELIGIBLE_REASONS), place),
            }
        else:
            fields = {
                "status": ApplicationStatus.REJECTED,
                "decided_on": call.deadline + timedelta(days=self.rng.randint(30, 40)),
                "decision_reason": _say(self.rng, self.rng.choice(REJECTION_REASONS), place),
            }
        self._application(call, applicant, applicant.sector, requested, **fields)

    def _waiting(self, call: Call, applicant: Organization, *, received: bool) -> None:
        requested = _round(Decimal(self.rng.randint(4000, 12000)), 500)
        status = ApplicationStatus.RECEIVED if received else ApplicationStatus.ELIGIBLE
        self._application(call, applicant, applicant.sector, requested, status=status)

    # -- after the award -----------------------------------------------------------------------

    def _after_award(self, grant: Grant) -> None:
        rng, place = self.rng, grant.municipality
        shares = rng.choice(((50, 50), (40, 40, 20), (60, 40), (30, 50, 20)))
        script = _in_cyrillic(rng, place)
        planned = [_round(grant.amount * share / 100, 10) for share in shares[:-1]]
        planned.append(grant.amount - sum(planned, Decimal(0)))
        milestones = (0, 1, 2) if len(planned) == 3 else (0, 2)
        for number, amount in enumerate(planned, start=1):
            due = _workday(grant.award_date + timedelta(days=(10, 100, 200)[number - 1]))
            paid_on: date | None = _workday(due + timedelta(days=rng.randint(0, 12)))
            if paid_on is not None and paid_on > LAST_EVENT:
                paid_on = None
            paid = None
            if paid_on is not None:
                # Now and then a last tranche is paid short: not every invoice came in.
                short = number == len(planned) and number > 1 and rng.random() < 0.2
                paid = _round(amount * Decimal("0.9"), 10) if short else amount
            Tranche.objects.create(
                grant=grant,
                number=number,
                milestone=_say(rng, MILESTONES[milestones[number - 1]], place, script),
                planned_amount=amount,
                due_on=due,
                paid_on=paid_on,
                paid_amount=paid,
            )
            self.counts["tranches"] += 1
        for months in (2, 8):
            day = _workday(grant.award_date + timedelta(days=30 * months + rng.randint(-10, 10)))
            if day > LAST_EVENT or (months == 8 and rng.random() < 0.3):
                continue
            needed = rng.random() < 0.25
            script = _in_cyrillic(rng, place)
            MonitoringVisit.objects.create(
                grant=grant,
                visited_on=day,
                visitor=rng.choice(VISITORS),
                findings=_say(rng, rng.choice(FINDINGS), place, script),
                follow_up_needed=needed,
                follow_up=_say(rng, rng.choice(FOLLOW_UPS), place, script) if needed else "",
            )
            self.counts["visits"] += 1
        for months in (6, 12):
            day = _workday(grant.award_date + timedelta(days=30 * months + rng.randint(-5, 5)))
            if day > LAST_EVENT:
                continue
            self._outcome(grant, day, first=months == 6)

    def _outcome(self, grant: Grant, day: date, *, first: bool) -> None:
        rng, place = self.rng, grant.municipality
        sales = None if rng.random() < 0.15 else _round(Decimal(rng.randint(3000, 30000)), 100)
        products = NEW_PRODUCTS.get(grant.sector)
        outcome = GrantOutcome.objects.create(
            grant=grant,
            reported_on=day,
            sales_amount=sales,
            sales_currency=Currency.EUR if sales is not None else "",
            new_products=_say(rng, products, place)
            if products and first and rng.random() < 0.6
            else "",
        )
        self.counts["outcomes"] += 1
        majority = place.majority_community.code if place.majority_community else "albanian"
        minority = (
            "albanian" if majority == "serb" else rng.choice(("serb", "roma", "ashkali", "turkish"))
        )
        cells: dict[tuple[str, str | None], int] = defaultdict(int)
        for _job in range(rng.choice((0, 1, 1, 2, 2, 3, 4) if first else (0, 0, 1, 1, 2))):
            sex = rng.choices(("female", "male", ""), weights=(45, 50, 5))[0]
            code = rng.choices((majority, minority, None), weights=(70, 25, 5))[0]
            cells[(sex, code)] += 1
        JobsCreated.objects.bulk_create(
            [
                JobsCreated(
                    outcome=outcome,
                    sex=sex,
                    community=self.communities.get(code) if code else None,
                    count=count,
                )
                for (sex, code), count in sorted(cells.items(), key=str)
            ]
        )
        self.counts["jobs_cells"] += len(cells)


# -- the committee -----------------------------------------------------------------------------


def grants_committee_populate(seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Seats the demo users that exist on the demo calls' committees and writes their
    declarations and scores where they have none yet; returns how many sheets it wrote.

    Each member's sheet for an application is drawn from a seed of its own, so running this
    after ``akt demo-users`` gives what one run with the users present would have. On the call
    still being scored, ``me`` has declared but not submitted (so the M&E officer sees the
    scores blind), and ``admin`` has not started.
    """
    members = list(User.objects.filter(username__in=COMMITTEE_USERNAMES).order_by("username"))
    if not members:
        return {"score_sheets": 0}
    calls = list(Call.objects.filter(reference__startswith=DEMO_CODE_PREFIX).order_by("reference"))
    written = 0
    with transaction.atomic():
        for call in calls:
            call.committee.add(*members)
            criteria = list(call.criteria.order_by("position"))
            applications = (
                call.applications.filter(
                    status__in=[
                        ApplicationStatus.AWARDED,
                        ApplicationStatus.REJECTED,
                        ApplicationStatus.ELIGIBLE,
                        ApplicationStatus.SCORED,
                    ]
                )
                .select_related("applicant", "municipality__majority_community")
                .order_by("pk")
            )
            existing = set(
                ScoreSheet.objects.filter(application__call=call).values_list(
                    "application_id", "member_id"
                )
            )
            for application in applications:
                for member in members:
                    if (application.pk, member.pk) in existing:
                        continue
                    if _sheet(seed, call, application, member, criteria):
                        written += 1
            call.applications.filter(
                status=ApplicationStatus.ELIGIBLE, score_sheets__submitted_at__isnull=False
            ).update(status=ApplicationStatus.SCORED)
    return {"score_sheets": written}


def _sheet(
    seed: int, call: Call, application: Application, member: User, criteria: Sequence[Criterion]
) -> bool:
    rng = random.Random(f"{seed}:{call.reference}:{application.applicant.name}:{member.username}")
    still_scoring = call.status == CallStatus.CLOSED
    if still_scoring and member.username == "admin":
        return False
    place = application.municipality
    declared = _moment(call.deadline + timedelta(days=rng.randint(3, 8)), 9)
    conflict = rng.random() < 0.03
    sheet = ScoreSheet.objects.create(
        application=application,
        member=member,
        has_conflict=conflict,
        conflict_note=_say(rng, CONFLICT_NOTE, place) if conflict else "",
        declared_at=declared,
        submitted_at=None,
    )
    if conflict or (still_scoring and member.username == "me"):
        return True
    strong = application.status == ApplicationStatus.AWARDED
    low, high = (0.72, 0.95) if strong else (0.35, 0.65)  # awards rank above rejections
    scores = []
    for criterion in criteria:
        share = rng.uniform(low, high)
        points = max(0, min(criterion.max_score, round(criterion.max_score * share)))
        comment = _say(rng, rng.choice(SCORE_COMMENTS), place) if rng.random() < 0.15 else ""
        scores.append(
            CriterionScore(sheet=sheet, criterion=criterion, points=points, comment=comment)
        )
    CriterionScore.objects.bulk_create(scores)
    sheet.submitted_at = declared + timedelta(hours=rng.randint(1, 30))
    sheet.save(update_fields=["submitted_at"])
    return True
