"""The capacity workflow of the demo: assessments of every partner municipality over the years,
and the plan actions given their area, who is responsible, their status and completion date.

Runs after the demo's plans and actions are written (:mod:`akt.demo.municipal` makes one adopted
2015-2017 plan per partner municipality with a few actions, and a draft of Zvečan's next plan).
Each adopted plan's municipality gets a baseline assessment before the plan was adopted (late
2014, early 2015) and one or two reviews in 2016 and early 2017, scoring the five areas with
scores that mostly rise, and evidence as a municipal team would write it: in Albanian, or in
Serbian, in Cyrillic in the four northern municipalities. Records are content, not interface
text, so nothing here is marked for translation.

Deterministic: one seed, one result (``random.Random(seed)``, drawn in a fixed order over
records sorted by their content). Running it again replaces the assessments it wrote.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType

from django.db import transaction

from akt.capacity.areas import area_code_for_text
from akt.capacity.models import (
    ActionStatus,
    AssessmentScore,
    CapacityArea,
    CapacityAssessment,
    CapacityDevelopmentPlan,
    PlanAction,
    PlanStatus,
)
from akt.capacity.services import capacity_areas_load
from akt.demo.makers import _workday
from akt.demo.plan import DEFAULT_SEED
from akt.demo.records import demo_querysets
from akt.demo.texts import Wording, serb_majority
from akt.places.models import Municipality
from akt.text.script import latin_to_cyrillic

NORTH = frozenset({"leposaviq", "mitrovice-e-veriut", "zubin-potok", "zvecan"})
"""Where Serbian is written in Cyrillic."""

PROGRAM_END = date(2017, 4, 28)
ALL_DONE_BEFORE = date(2016, 9, 1)
"""Actions due before this day are done (as the demo's plans have them); later ones, due while
the program ran, mostly."""
STILL_OPEN = (ActionStatus.IN_PROGRESS, ActionStatus.PLANNED)

EVIDENCE: Mapping[str, tuple[Wording, Wording, Wording]] = MappingProxyType(
    {
        "human-resources": (
            Wording(
                "Nuk ka plan vjetor të trajnimit; përshkrimet e vendeve të punës janë të "
                "vjetruara dhe puna e stafit nuk vlerësohet.",
                "Ne postoji godišnji plan obuke; opisi radnih mesta su zastareli, a rad "
                "zaposlenih se ne ocenjuje.",
            ),
            Wording(
                "Plani i trajnimit është miratuar dhe zbatuar pjesërisht; puna e stafit "
                "vlerësohet, por rezultatet nuk përdoren për zhvillimin e tij.",
                "Plan obuke je usvojen i delimično sproveden; rad zaposlenih se ocenjuje, ali se "
                "rezultati ne koriste za njihov razvoj.",
            ),
            Wording(
                "Plani i trajnimit zbatohet çdo vit dhe raportohet në Kuvend; të gjitha vendet "
                "e punës kanë përshkrime të përditësuara.",
                "Plan obuke se sprovodi svake godine i o njemu se izveštava Skupština; sva radna "
                "mesta imaju ažurirane opise.",
            ),
        ),
        "finance": (
            Wording(
                "Regjistri i tatimit në pronë është i paplotë dhe inkasimi është nën 40 për "
                "qind; buxheti hartohet pa analizë të të hyrave vetanake.",
                "Registar poreza na imovinu je nepotpun, a naplata je ispod 40 odsto; budžet se "
                "izrađuje bez analize sopstvenih prihoda.",
            ),
            Wording(
                "Regjistri i pronave është përditësuar pjesërisht; inkasimi i tatimit në pronë "
                "është rritur, por borxhet e vjetra nuk ndiqen.",
                "Registar imovine je delimično ažuriran; naplata poreza na imovinu je povećana, "
                "ali se stari dugovi ne prate.",
            ),
            Wording(
                "Inkasimi i tatimit në pronë i kalon 65 për qind; raportet financiare "
                "tremujore publikohen dhe të hyrat vetanake planifikohen me realizëm.",
                "Naplata poreza na imovinu prelazi 65 odsto; tromesečni finansijski izveštaji se "
                "objavljuju, a sopstveni prihodi se realno planiraju.",
            ),
        ),
        "service-delivery": (
            Wording(
                "Qytetarët duhet të shkojnë në disa zyra për një leje; nuk ka afate të "
                "publikuara për shërbimet as regjistër të ankesave.",
                "Građani moraju da idu u više kancelarija za jednu dozvolu; ne postoje objavljeni "
                "rokovi za usluge niti evidencija žalbi.",
            ),
            Wording(
                "Sporteli për shërbime ndaj qytetarëve funksionon, por afatet e shërbimeve "
                "respektohen vetëm pjesërisht.",
                "Šalter za usluge građanima radi, ali se rokovi za usluge poštuju samo delimično.",
            ),
            Wording(
                "Shërbimet kryesore ofrohen në një sportel me afate të publikuara; ankesat "
                "regjistrohen dhe marrin përgjigje brenda 15 ditëve.",
                "Glavne usluge se pružaju na jednom šalteru sa objavljenim rokovima; žalbe se "
                "evidentiraju i dobijaju odgovor u roku od 15 dana.",
            ),
        ),
        "community-rights": (
            Wording(
                "Aktet komunale publikohen vetëm në një gjuhë zyrtare; Zyra komunale për "
                "komunitete dhe kthim nuk ka plan pune.",
                "Opštinski akti se objavljuju samo na jednom službenom jeziku; Opštinska "
                "kancelarija za zajednice i povratak nema plan rada.",
            ),
            Wording(
                "Vendimet e Kuvendit përkthehen në të dy gjuhët zyrtare, por me vonesë; "
                "mbishkrimet në zyra janë pjesërisht dygjuhëshe.",
                "Odluke Skupštine se prevode na oba službena jezika, ali sa zakašnjenjem; natpisi "
                "u kancelarijama su delimično dvojezični.",
            ),
            Wording(
                "Të gjitha aktet dhe ueb-faqja janë në të dy gjuhët zyrtare; Komiteti për "
                "komunitete mblidhet rregullisht dhe rekomandimet e tij zbatohen.",
                "Svi akti i veb-sajt su na oba službena jezika; Komitet za zajednice se redovno "
                "sastaje i njegove preporuke se sprovode.",
            ),
        ),
        "transparency": (
            Wording(
                "Komuna nuk mban dëgjime publike për buxhetin; vendimet e Kuvendit nuk "
                "publikohen në ueb-faqe.",
                "Opština ne održava javne rasprave o budžetu; odluke Skupštine se ne objavljuju "
                "na veb-sajtu.",
            ),
            Wording(
                "Mbahen dy takime publike në vit, siç kërkon udhëzimi administrativ, por "
                "pjesëmarrja e grave dhe e komuniteteve joshumicë është e ulët.",
                "Održavaju se dva javna sastanka godišnje, kako nalaže administrativno uputstvo, "
                "ali je učešće žena i nevećinskih zajednica nisko.",
            ),
            Wording(
                "Dëgjimet publike mbahen edhe në fshatra; vendimet dhe procesverbalet e Kuvendit "
                "publikohen brenda një jave.",
                "Javne rasprave se održavaju i u selima; odluke i zapisnici Skupštine se "
                "objavljuju u roku od nedelju dana.",
            ),
        ),
    }
)
"""What a score rests on, by area: for a low score (1-2), a middling one (3), a high one (4-5)."""

OWNERS: Mapping[str, Wording] = MappingProxyType(
    {
        "human-resources": Wording("Zyra e personelit", "Kancelarija za ljudske resurse"),
        "finance": Wording("Drejtoria për buxhet dhe financa", "Direkcija za budžet i finansije"),
        "service-delivery": Wording(
            "Zyra për shërbime ndaj qytetarëve", "Kancelarija za usluge građanima"
        ),
        "community-rights": Wording(
            "Zyra komunale për komunitete dhe kthim",
            "Opštinska kancelarija za zajednice i povratak",
        ),
        "transparency": Wording("Zyra për informim", "Kancelarija za informisanje"),
    }
)

ASSESSORS = (
    Wording(
        "Ekipi i AKT-së për kapacitete komunale, me drejtorin e administratës",
        "Tim AKT-a za opštinske kapacitete, sa direktorom uprave",
    ),
    Wording(
        "Vetëvlerësim i ekipit komunal, i verifikuar nga AKT",
        "Samoprocena opštinskog tima, koju je proverio AKT",
    ),
)
METHOD = Wording(
    "Intervista me drejtorët, shqyrtim i dokumenteve (rregullore, buxheti, raportet vjetore) dhe "
    "punëtori vetëvlerësimi me stafin komunal.",
    "Intervjui sa direktorima, pregled dokumenata (pravilnici, budžet, godišnji izveštaji) i "
    "radionica samoprocene sa opštinskim osobljem.",
)

BASELINE_SCORES = ((1, 25), (2, 45), (3, 25), (4, 5))
STEPS = ((-1, 5), (0, 30), (1, 50), (2, 15))
"""Score, or change from one assessment to the next, with its weight: mostly rising."""


def _written(wording: Wording, municipality: Municipality) -> str:
    """A text in the municipality's language, Serbian in Cyrillic in the north."""
    if not serb_majority(municipality):
        return wording.sq
    return latin_to_cyrillic(wording.sr) if municipality.code in NORTH else wording.sr


def _pick(rng: random.Random, weighted: tuple[tuple[int, int], ...]) -> int:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _day(rng: random.Random, first: date, last: date) -> date:
    return _workday(first + timedelta(days=rng.randint(0, (last - first).days)))


def _evidence(area: str, score: int, municipality: Municipality) -> str:
    low, middle, high = EVIDENCE[area]
    wording = low if score <= 2 else middle if score == 3 else high
    return _written(wording, municipality)


@transaction.atomic
def capacity_workflow_populate(seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Adds the assessments of every municipality with an adopted demo plan and completes the
    demo plans' actions; returns how many records of each kind it wrote."""
    rng = random.Random(seed)
    capacity_areas_load()
    areas = {area.code: area for area in CapacityArea.objects.all()}
    plans = sorted(
        demo_querysets()["plans"].select_related("municipality__majority_community"),
        key=lambda plan: (plan.municipality.code, plan.period_start),
    )
    CapacityAssessment.objects.filter(plan__in=[plan.pk for plan in plans]).delete()
    assessments, scores = _assessments(rng, plans, areas)
    actions = _actions(rng, plans, areas)
    return {
        "assessments": len(assessments),
        "assessment_scores": len(scores),
        "plan_actions": len(actions),
    }


def _assessments(
    rng: random.Random,
    plans: list[CapacityDevelopmentPlan],
    areas: Mapping[str, CapacityArea],
) -> tuple[list[CapacityAssessment], list[AssessmentScore]]:
    """Two or three assessments per adopted plan's municipality: a baseline before the plan,
    then reviews in 2016 and early 2017."""
    assessments: list[CapacityAssessment] = []
    scored: list[tuple[CapacityAssessment, dict[str, int]]] = []
    for plan in plans:
        if plan.status != PlanStatus.ADOPTED:
            continue
        place = plan.municipality
        if rng.random() < 0.6:
            days = [
                _day(rng, date(2014, 10, 6), date(2015, 1, 30)),
                _day(rng, date(2016, 3, 1), date(2016, 6, 30)),
                _day(rng, date(2017, 1, 16), date(2017, 3, 31)),
            ]
        else:
            days = [
                _day(rng, date(2014, 10, 6), date(2015, 1, 30)),
                _day(rng, date(2016, 10, 3), date(2017, 2, 28)),
            ]
        current = {code: _pick(rng, BASELINE_SCORES) for code in areas}
        for number, day in enumerate(days):
            if number:
                current = {
                    code: min(5, max(1, score + _pick(rng, STEPS)))
                    for code, score in current.items()
                }
            assessment = CapacityAssessment(
                municipality=place,
                plan=plan,
                assessed_on=day,
                assessed_by=_written(ASSESSORS[min(number, 1)], place),
                method=_written(METHOD, place),
            )
            assessment.full_clean(exclude=["municipality", "plan"], validate_unique=False)
            assessments.append(assessment)
            scored.append((assessment, dict(current)))
    CapacityAssessment.objects.bulk_create(assessments)
    scores = [
        AssessmentScore(
            assessment=assessment,
            area=areas[code],
            score=score,
            evidence=_evidence(code, score, assessment.municipality),
        )
        for assessment, values in scored
        for code, score in values.items()
    ]
    for row in scores:
        row.clean_fields(exclude=["assessment", "area"])
    AssessmentScore.objects.bulk_create(scores)
    return assessments, scores


def _actions(
    rng: random.Random,
    plans: list[CapacityDevelopmentPlan],
    areas: Mapping[str, CapacityArea],
) -> list[PlanAction]:
    """Every demo action in one of the five areas, with its office, and, when due while the
    program ran, most of them done on a day near their due date."""
    adopted = {plan.pk: plan for plan in plans}
    actions = sorted(
        PlanAction.objects.filter(plan__in=list(adopted)),
        key=lambda action: (
            adopted[action.plan_id].municipality.code,
            action.due_date or date.max,
            action.title,
        ),
    )
    for action in actions:
        plan = adopted[action.plan_id]
        # The same draws for every action whatever it holds now, so a second run gives the same.
        spare_area = rng.choice(sorted(areas))
        finished, late_status = rng.random(), rng.choice(STILL_OPEN)
        shift = rng.randint(-60, 20)
        code = area_code_for_text(action.area) or spare_area
        action.capacity_area = areas[code]
        action.owner = _written(OWNERS[code], plan.municipality)
        due = action.due_date
        if due is None or due > PROGRAM_END:
            action.status = late_status
        elif due < ALL_DONE_BEFORE or finished < 0.7:
            action.status = ActionStatus.DONE
        else:
            action.status = ActionStatus.IN_PROGRESS
        action.completed_on = None
        if action.status == ActionStatus.DONE and due is not None:
            earliest = (plan.adopted_on or plan.period_start) + timedelta(days=14)
            day = _workday(due + timedelta(days=shift))
            action.completed_on = min(max(day, earliest), PROGRAM_END)
        action.full_clean(exclude=["plan", "capacity_area", "batch"])
    PlanAction.objects.bulk_update(
        actions, ["capacity_area", "owner", "status", "completed_on"], batch_size=500
    )
    return actions
