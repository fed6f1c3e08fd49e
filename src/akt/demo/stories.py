"""The demo's success stories: four stories an officer would tell of the program's records.

Each is written in English, Albanian and Serbian (Latin; the Cyrillic is derived) for the
quarter of the record it tells of, marked ready, with a photo and the consent to publish it:

- **A debate in Gračanica**: the public debate on the Law on the Use of Languages, where
  Serbian and Albanian residents asked the municipality together for bilingual signs.
- **A joint day around an infrastructure project**: the residents' day of voluntary work on a
  completed project's site, told of the day and of the project.
- **A grantee's bee-keeping business**: a bee-keeping grant, its honey in the town's shops.
- **A capacity plan adopted**: a municipal assembly adopting its capacity development plan.

The records are the demo's own (:mod:`akt.demo.generator`), found by what they are and chosen
with ``random.Random(seed)`` where several fit; the photos are small drawings made here (a
hall's table, a park, beehives, a signed plan), no person in them. Stories are written through
the services (:func:`akt.reports.stories.story_create`, the evidence's ``attachment_add``), so
they are checked and audited as an officer's would be, in the name of the demo M&E officer
(``me``) or the ``actor`` given: run this once the demo users exist (``akt demo-users``), and
before ``akt demo-periods`` approves the early quarters, so that their kept reports hold their
stories. Run again, it brings the stories of open quarters up to date and leaves those of
submitted or approved quarters as they were approved.
"""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from akt.accounts.models import Role, User
from akt.activities.models import Activity, ActivityKind
from akt.capacity.models import CapacityDevelopmentPlan, PlanStatus
from akt.counting import engine
from akt.counting.periods import Period
from akt.demo import texts
from akt.demo.plan import DEFAULT_SEED
from akt.evidence.models import EvidenceKind
from akt.evidence.services import attachment_add
from akt.grants.models import Grant
from akt.people.models import Sector
from akt.places.models import Municipality
from akt.reports.models import StoryStatus, SuccessStory
from akt.reports.stories import (
    program_quarters,
    story_create,
    story_photo,
    story_update,
)

WRITER = "me"
"""The demo user who writes the stories (the demo M&E officer)."""

Records = dict[str, list[Model]]


@dataclass(frozen=True)
class Telling:
    """One language's title and text; ``{m}`` is the municipality's name in that language."""

    title: str
    text: str


@dataclass(frozen=True)
class StorySpec:
    key: str  # the photo's file name, and what the story is about
    en: Telling
    sq: Telling
    sr: Telling
    find: Callable[[random.Random], tuple[Records, Municipality, date] | None]
    """The records the story tells of, their municipality and the day it is reported on."""
    draw: Callable[[Any, random.Random], None]
    """Draws the photo on a 640 x 400 Pillow ``ImageDraw``."""


# -- the records ---------------------------------------------------------------------------------


def _gracanica_debate(rng: random.Random) -> tuple[Records, Municipality, date] | None:
    debates = list(
        Activity.objects.counted()
        .filter(
            municipality__code="gracanice",
            kind=ActivityKind.PUBLIC_DEBATE,
            topics__code="law-on-use-of-languages",
        )
        .select_related("municipality__majority_community")
        .order_by("start_date", "pk")
    )
    if not debates:
        return None
    debate = rng.choice(debates)
    return {"activities": [debate]}, debate.municipality, debate.start_date


def _volunteer_day(rng: random.Random) -> tuple[Records, Municipality, date] | None:
    days = [
        activity
        for activity in Activity.objects.counted()
        .filter(project__isnull=False, project__completion_date__isnull=False)
        .select_related("project", "municipality__majority_community")
        .order_by("start_date", "pk")
        if activity.title == texts.say(texts.JOINT_VOLUNTEERING, activity.municipality)
    ]
    if not days:
        return None
    day = rng.choice(days)
    assert day.project is not None
    return {"activities": [day], "projects": [day.project]}, day.municipality, day.start_date


def _bee_keeping_grant(rng: random.Random) -> tuple[Records, Municipality, date] | None:
    grants = list(
        Grant.objects.counted()
        .filter(sector=Sector.BEEKEEPING)
        .select_related("municipality__majority_community")
        .order_by("award_date", "pk")
    )
    if not grants:
        return None
    grant = rng.choice(grants)
    return {"grants": [grant]}, grant.municipality, grant.award_date


def _adopted_plan(rng: random.Random) -> tuple[Records, Municipality, date] | None:
    plans = list(
        CapacityDevelopmentPlan.objects.counted()
        .filter(status=PlanStatus.ADOPTED, adopted_on__isnull=False)
        .select_related("municipality__majority_community")
        .order_by("adopted_on", "pk")
    )
    if not plans:
        return None
    plan = rng.choice(plans)
    assert plan.adopted_on is not None
    return {"plans": [plan]}, plan.municipality, plan.adopted_on


# -- the photos: drawings, no person in them ----------------------------------------------------


def _shade(rng: random.Random, colour: tuple[int, int, int]) -> tuple[int, int, int]:
    return tuple(min(255, max(0, part + rng.randint(-12, 12))) for part in colour)  # type: ignore[return-value]


def _draw_hall(draw: Any, rng: random.Random) -> None:
    """A hall set for a debate: a long table, chairs on both sides, two microphones."""
    draw.rectangle([0, 0, 640, 260], fill=_shade(rng, (226, 218, 200)))
    draw.rectangle([0, 260, 640, 400], fill=_shade(rng, (150, 110, 80)))
    draw.rectangle([60, 40, 580, 120], fill=(245, 245, 240), outline=(120, 120, 120))
    draw.rectangle([90, 230, 550, 270], fill=_shade(rng, (110, 70, 40)))
    for x in range(110, 540, 70):
        draw.rectangle([x, 190, x + 40, 228], fill=_shade(rng, (40, 70, 120)))
        draw.rectangle([x, 274, x + 40, 320], fill=_shade(rng, (40, 70, 120)))
    for x in (220, 400):
        draw.line([x, 230, x + 12, 200], fill=(30, 30, 30), width=3)
        draw.ellipse([x + 8, 192, x + 18, 202], fill=(30, 30, 30))


def _draw_park(draw: Any, rng: random.Random) -> None:
    """A renewed park: sky, grass, young trees, a bench and a new path."""
    draw.rectangle([0, 0, 640, 220], fill=_shade(rng, (150, 200, 235)))
    draw.rectangle([0, 220, 640, 400], fill=_shade(rng, (90, 160, 70)))
    draw.polygon([(280, 400), (360, 400), (330, 220), (310, 220)], fill=(200, 190, 170))
    for x in range(40, 640, 110):
        top = 120 + rng.randint(-15, 15)
        draw.rectangle([x + 18, top + 50, x + 26, 250], fill=(100, 70, 40))
        draw.ellipse([x, top, x + 44, top + 60], fill=_shade(rng, (40, 120, 50)))
    draw.rectangle([420, 300, 540, 312], fill=(120, 80, 50))
    draw.rectangle([430, 312, 436, 335], fill=(60, 60, 60))
    draw.rectangle([524, 312, 530, 335], fill=(60, 60, 60))


def _draw_hives(draw: Any, rng: random.Random) -> None:
    """Beehives in a meadow in the sun."""
    draw.rectangle([0, 0, 640, 230], fill=_shade(rng, (170, 210, 240)))
    draw.rectangle([0, 230, 640, 400], fill=_shade(rng, (120, 170, 60)))
    draw.ellipse([520, 30, 590, 100], fill=(250, 210, 60))
    for index, x in enumerate(range(45, 560, 125)):
        colour = _shade(rng, ((230, 180, 40), (70, 130, 190), (220, 90, 60))[index % 3])
        draw.rectangle([x, 220, x + 90, 330], fill=colour, outline=(60, 40, 20))
        draw.rectangle([x - 6, 208, x + 96, 222], fill=(90, 60, 30))
        draw.rectangle([x + 30, 316, x + 60, 322], fill=(40, 30, 20))
    for _ in range(24):
        x, y = rng.randint(20, 620), rng.randint(120, 300)
        draw.ellipse([x, y, x + 5, y + 4], fill=(40, 30, 10))


def _draw_plan(draw: Any, rng: random.Random) -> None:
    """An adopted plan on a desk: its pages, lines of text, a stamp and a signature."""
    draw.rectangle([0, 0, 640, 400], fill=_shade(rng, (120, 85, 55)))
    draw.rectangle([170, 30, 470, 390], fill=(250, 250, 245), outline=(150, 150, 150))
    draw.rectangle([200, 55, 440, 75], fill=(60, 80, 120))
    for y in range(100, 300, 18):
        draw.line([200, y, 200 + rng.randint(170, 240), y], fill=(150, 150, 150), width=3)
    draw.ellipse([340, 300, 420, 380], outline=_shade(rng, (40, 70, 160)), width=4)
    draw.line([210, 350, 240, 335, 260, 355, 300, 338], fill=(20, 20, 80), width=2)


def _photo(spec: StorySpec, rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 400), (255, 255, 255))
    spec.draw(ImageDraw.Draw(image), rng)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# -- the stories ---------------------------------------------------------------------------------

STORIES = (
    StorySpec(
        key="debate",
        en=Telling(
            "Two communities at one table – {m}",
            "At the public debate on the Law on the Use of Languages, Serbian and Albanian "
            "residents sat in one hall and asked the municipality, together, for signs and forms "
            "in both official languages.\n\n"
            "The municipality's office for communities wrote their requests into its plan for "
            "the next year, and the participants agreed to meet again to follow it up.",
        ),
        sq=Telling(
            "Dy komunitete në një tryezë – {m}",
            "Në debatin publik për Ligjin për përdorimin e gjuhëve, banorë serbë dhe shqiptarë u "
            "ulën në të njëjtën sallë dhe i kërkuan komunës, së bashku, mbishkrime dhe formularë "
            "në të dyja gjuhët zyrtare.\n\n"
            "Zyra komunale për komunitete i përfshiu kërkesat e tyre në planin e vitit të "
            "ardhshëm, dhe pjesëmarrësit ranë dakord të takohen sërish për ta ndjekur zbatimin.",
        ),
        sr=Telling(
            "Dve zajednice za jednim stolom – {m}",
            "Na javnoj debati o Zakonu o upotrebi jezika srpski i albanski stanovnici sedeli su "
            "u istoj sali i zajedno zatražili od opštine natpise i obrasce na oba službena "
            "jezika.\n\n"
            "Opštinska kancelarija za zajednice unela je njihove zahteve u plan za narednu "
            "godinu, a učesnici su se dogovorili da se ponovo sastanu kako bi pratili njegovo "
            "sprovođenje.",
        ),
        find=_gracanica_debate,
        draw=_draw_hall,
    ),
    StorySpec(
        key="volunteer-day",
        en=Telling(
            "Neighbours build together – {m}",
            "Residents of the neighbourhoods around the project, from different communities, "
            "spent a day of voluntary work on its site with the municipality's staff: they "
            "cleaned, planted and painted side by side.\n\n"
            "The project was handed over to the municipality, and the residents' committee that "
            "prepared the day now meets every month to look after what was built.",
        ),
        sq=Telling(
            "Fqinjët ndërtojnë së bashku – {m}",
            "Banorë të lagjeve përreth projektit, nga komunitete të ndryshme, kaluan një ditë "
            "pune vullnetare në vendin e projektit bashkë me stafin e komunës: pastruan, mbollën "
            "dhe lyen krah për krah.\n\n"
            "Projekti iu dorëzua komunës, dhe komiteti i banorëve që e përgatiti këtë ditë tani "
            "takohet çdo muaj për t'u kujdesur për atë që u ndërtua.",
        ),
        sr=Telling(
            "Komšije grade zajedno – {m}",
            "Stanovnici naselja oko projekta, iz različitih zajednica, proveli su dan "
            "dobrovoljnog rada na gradilištu zajedno sa zaposlenima u opštini: čistili su, "
            "sadili i krečili rame uz rame.\n\n"
            "Projekat je predat opštini, a odbor stanovnika koji je pripremio taj dan sada se "
            "sastaje svakog meseca da brine o onome što je izgrađeno.",
        ),
        find=_volunteer_day,
        draw=_draw_park,
    ),
    StorySpec(
        key="bee-keeping",
        en=Telling(
            "Honey from a family apiary reaches the town's shops – {m}",
            "With a grant for hives, a honey extractor and jars, a family bee-keeping business "
            "doubled its hives in one season. Its honey, labelled in both languages, is now sold "
            "in the town's shops and at the joint fair of local producers.\n\n"
            "The owner hired a neighbour from another community for the harvest and is training "
            "two young bee-keepers.",
        ),
        sq=Telling(
            "Mjalti i një bletarie familjare arrin në dyqanet e qytetit – {m}",
            "Me një grant për koshere, një centrifugë mjalti dhe kavanoza, një biznes familjar "
            "i bletarisë i dyfishoi kosheret brenda një sezoni. Mjalti i tij, i etiketuar në të "
            "dyja gjuhët, tani shitet në dyqanet e qytetit dhe në panairin e përbashkët të "
            "prodhuesve lokalë.\n\n"
            "Pronari punësoi një fqinj nga një komunitet tjetër për vjeljen e mjaltit dhe po "
            "trajnon dy bletarë të rinj.",
        ),
        sr=Telling(
            "Med iz porodičnog pčelinjaka stiže u gradske prodavnice – {m}",
            "Uz grant za košnice, vrcaljku za med i tegle, porodični pčelarski posao udvostručio "
            "je broj košnica za jednu sezonu. Njegov med, s etiketom na oba jezika, sada se "
            "prodaje u gradskim prodavnicama i na zajedničkom sajmu lokalnih proizvođača.\n\n"
            "Vlasnik je za vrcanje meda zaposlio komšiju iz druge zajednice i obučava dva mlada "
            "pčelara.",
        ),
        find=_bee_keeping_grant,
        draw=_draw_hives,
    ),
    StorySpec(
        key="capacity-plan",
        en=Telling(
            "A municipality plans its own capacity – {m}",
            "After a year of assessments and workshops with the program, the municipal assembly "
            "adopted the municipality's capacity development plan. Its directors chose the "
            "priorities themselves: services to citizens in both languages, budget planning with "
            "the communities, and training for the finance office.\n\n"
            "The plan names who does what and by when; the municipality reports on it to the "
            "assembly every six months.",
        ),
        sq=Telling(
            "Komuna planifikon vetë zhvillimin e kapaciteteve të saj – {m}",
            "Pas një viti vlerësimesh dhe punëtorish me programin, kuvendi komunal miratoi "
            "planin për zhvillimin e kapaciteteve të komunës. Drejtorët e saj i zgjodhën vetë "
            "prioritetet: shërbimet për qytetarët në të dyja gjuhët, planifikimin e buxhetit me "
            "komunitetet dhe trajnimin e zyrës së financave.\n\n"
            "Plani përcakton kush çfarë bën dhe deri kur; komuna i raporton kuvendit për të çdo "
            "gjashtë muaj.",
        ),
        sr=Telling(
            "Opština sama planira razvoj svojih kapaciteta – {m}",
            "Posle godinu dana procena i radionica sa programom, skupština opštine usvojila je "
            "plan razvoja kapaciteta opštine. Njeni direktori sami su izabrali prioritete: "
            "usluge građanima na oba jezika, planiranje budžeta sa zajednicama i obuku "
            "kancelarije za finansije.\n\n"
            "Plan navodi ko šta radi i do kada; opština o njemu izveštava skupštinu svakih šest "
            "meseci.",
        ),
        find=_adopted_plan,
        draw=_draw_plan,
    ),
)


def _writer() -> User | None:
    """The demo M&E officer, else the first active officer or administrator."""
    found = User.objects.filter(username=WRITER, is_active=True).first()
    if found is not None:
        return found
    return (
        User.objects.filter(is_active=True, role__in=[Role.ME_OFFICER, Role.ADMINISTRATOR])
        .order_by("pk")
        .first()
    )


def _values(spec: StorySpec, municipality: Municipality) -> dict[str, str]:
    names = {
        "en": municipality.name_en,
        "sq": municipality.name_sq,
        "sr": municipality.name_sr_latn,
    }
    values: dict[str, str] = {}
    for language, field in (("en", "en"), ("sq", "sq"), ("sr", "sr_latn")):
        telling: Telling = getattr(spec, language)
        values[f"title_{field}"] = telling.title.format(m=names[language])
        values[f"text_{field}"] = telling.text
    return values


@transaction.atomic
def stories_populate(seed: int = DEFAULT_SEED, *, actor: User | None = None) -> dict[str, int]:
    """Writes the demo's ready success stories with their photos; returns how many it wrote,
    brought up to date, found as they should be, left as a submitted or approved quarter keeps
    them, and could not tell (no record fits, or no user to write them: then nothing is
    written)."""
    rng = random.Random(seed)
    counts = {"written": 0, "updated": 0, "unchanged": 0, "kept": 0, "untold": 0}
    writer = actor or _writer()
    if writer is None:
        counts["untold"] = len(STORIES)
        return counts
    quarters = set(program_quarters())
    for spec in STORIES:
        found = spec.find(rng)
        photo = _photo(spec, rng)
        if found is None:
            counts["untold"] += 1
            continue
        records, municipality, day = found
        period = Period.fiscal_quarter(*engine.fiscal_quarter_of(day))
        if period not in quarters:
            counts["untold"] += 1
            continue
        values = _values(spec, municipality)
        story = SuccessStory.objects.filter(
            title_en__startswith=spec.en.title.split(" – ")[0]
        ).first()
        data: dict[str, Any] = {
            **values,
            **records,
            "fiscal_year": period.year,
            "quarter": period.quarter,
            "status": StoryStatus.READY,
            "photo_consent": True,  # the drawings show nobody; a real photo's persons agree
        }
        try:
            if story is None:
                story = story_create(actor=writer, **data)
                counts["written"] += 1
            else:
                revision = story.revision
                story = story_update(actor=writer, story=story, based_on=revision, data=data)
                counts["updated" if story.revision != revision else "unchanged"] += 1
        except ValidationError as error:
            if getattr(error, "code", None) != "quarter-closed":
                raise
            counts["kept"] += 1
            continue
        kept = story_photo(story)
        if kept is None or kept.sha256 != hashlib.sha256(photo).hexdigest():
            attachment_add(
                actor=writer,
                target=story,
                kind=EvidenceKind.PHOTO,
                title=values["title_en"],
                file_name=f"{spec.key}.png",
                data=photo,
                description="A drawing standing for the story's photo.",
            )
    return counts
