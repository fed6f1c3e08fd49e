"""What demo records are called, in the language of the municipality that held them.

Records are written by municipal staff and program officers in the municipality's majority
language: Albanian in Gjilan, Serbian in Gračanica. The demo does the same, so a list of
activities reads like the program's own ("Debat publik për Ligjin për përdorimin e gjuhëve –
Gjilan", "Javna debata o Zakonu o upotrebi jezika – Gračanica"). These are record contents, not
interface text, so they are not marked for translation.
"""

from __future__ import annotations

from dataclasses import dataclass

from akt.places.models import Municipality


@dataclass(frozen=True)
class Wording:
    """One text in Albanian and Serbian (Latin); ``{placeholders}`` filled by :func:`say`."""

    sq: str
    sr: str


def serb_majority(municipality: Municipality) -> bool:
    return (
        municipality.majority_community is not None
        and municipality.majority_community.code == "serb"
    )


def local_name(municipality: Municipality) -> str:
    """The municipality's name in its majority language."""
    return municipality.name_sr_latn if serb_majority(municipality) else municipality.name_sq


def say(wording: Wording, municipality: Municipality, **values: object) -> str:
    """The wording in the municipality's majority language, with ``{m}`` its local name."""
    template = wording.sr if serb_majority(municipality) else wording.sq
    return template.format(m=local_name(municipality), **values)


# --- Activities -------------------------------------------------------------------------------

LUL_DEBATE = Wording(
    "Debat publik për Ligjin për përdorimin e gjuhëve – {m}",
    "Javna debata o Zakonu o upotrebi jezika – {m}",
)
BUDGET_DEBATE = Wording(
    "Debat publik për prioritetet e buxhetit komunal {year} – {m}",
    "Javna debata o prioritetima opštinskog budžeta za {year}. – {m}",
)
BUDGET_HEARING = Wording(
    "Dëgjim publik për projektbuxhetin e vitit {year} – {m}",
    "Javna rasprava o nacrtu budžeta za {year}. godinu – {m}",
)
REGULATION_HEARINGS = (
    Wording(
        "Dëgjim publik për Rregulloren për taksat, tarifat dhe gjobat komunale – {m}",
        "Javna rasprava o Uredbi o opštinskim taksama, naknadama i kaznama – {m}",
    ),
    Wording(
        "Dëgjim publik për Rregulloren për menaxhimin e mbeturinave – {m}",
        "Javna rasprava o Uredbi o upravljanju otpadom – {m}",
    ),
    Wording(
        "Dëgjim publik për Planin zhvillimor komunal – {m}",
        "Javna rasprava o Opštinskom razvojnom planu – {m}",
    ),
    Wording(
        "Dëgjim publik për Rregulloren për transportin publik – {m}",
        "Javna rasprava o Uredbi o javnom prevozu – {m}",
    ),
)
COMMUNITY_WORKSHOP = Wording(
    "Punëtori për të drejtat e komuniteteve për ZKKK-në dhe Komitetin për Komunitete – {m}",
    "Radionica o pravima zajednica za OKZP i Komitet za zajednice – {m}",
)
REGIONAL_COMMUNITY_WORKSHOP = Wording(
    "Punëtori rajonale për të drejtat e komuniteteve – {m}",
    "Regionalna radionica o pravima zajednica – {m}",
)
LUL_GUIDE_WORKSHOP = Wording(
    "Punëtori për udhëzuesin komunal për zbatimin e Ligjit për përdorimin e gjuhëve – {m}",
    "Radionica o opštinskom vodiču za primenu Zakona o upotrebi jezika – {m}",
)
MANAGEMENT_MODULES = (
    Wording("Planifikimi strategjik", "Strateško planiranje"),
    Wording("Menaxhimi i burimeve njerëzore", "Upravljanje ljudskim resursima"),
    Wording("Menaxhimi i projekteve", "Upravljanje projektima"),
    Wording("Menaxhimi i performancës", "Upravljanje učinkom"),
    Wording("Udhëheqja dhe komunikimi", "Liderstvo i komunikacija"),
)
MANAGEMENT_TRAINING = Wording(
    "Trajnim për menaxhim: {module} – {m}",
    "Obuka iz upravljanja: {module} – {m}",
)
CSO_MANAGEMENT_TRAINING = Wording(
    "Trajnim për menaxhimin organizativ të organizatave partnere lokale – {m}",
    "Obuka o organizacionom upravljanju za lokalne partnerske organizacije – {m}",
)
BUDGET_TRAINING = Wording(
    "Trajnim për hartimin e buxhetit komunal – {m}",
    "Obuka o izradi opštinskog budžeta – {m}",
)
PROPERTY_TAX_TRAINING = Wording(
    "Trajnim për mbledhjen e tatimit në pronë, moduli {number} – {m}",
    "Obuka o naplati poreza na imovinu, modul {number} – {m}",
)
FARMER_TRAININGS = {
    "dairy-processing": Wording(
        "Trajnim për përpunimin e qumështit – {m}",
        "Obuka o preradi mleka – {m}",
    ),
    "fruit-vegetable-processing": Wording(
        "Trajnim për përpunimin e frutave dhe perimeve – {m}",
        "Obuka o preradi voća i povrća – {m}",
    ),
    "medicinal-aromatic-plants": Wording(
        "Trajnim për kultivimin e bimëve mjekësore dhe aromatike – {m}",
        "Obuka o uzgoju lekovitog i aromatičnog bilja – {m}",
    ),
}
FARM_MARKETING_TRAINING = Wording(
    "Trajnim për marketingun dhe shitjen e produkteve bujqësore – {m}",
    "Obuka o marketingu i prodaji poljoprivrednih proizvoda – {m}",
)
BUSINESS_SERVICES = (
    Wording("Shërbime për zhvillimin e biznesit: plani i biznesit – {m}",
            "Usluge razvoja poslovanja: izrada biznis plana – {m}"),
    Wording("Shërbime për zhvillimin e biznesit: qasja në financa – {m}",
            "Usluge razvoja poslovanja: pristup finansijama – {m}"),
    Wording("Shërbime për zhvillimin e biznesit: marketingu dhe shitja – {m}",
            "Usluge razvoja poslovanja: marketing i prodaja – {m}"),
    Wording("Shërbime për gratë sipërmarrëse: regjistrimi i biznesit – {m}",
            "Usluge za preduzetnice: registracija preduzeća – {m}"),
    Wording("Takim B2B për prodhuesit lokalë – {m}",
            "B2B susret lokalnih proizvođača – {m}"),
)  # fmt: skip
TECHNICAL_ASSISTANCE = (
    Wording("Asistencë teknike: standardet HACCP – {m}", "Tehnička pomoć: HACCP standardi – {m}"),
    Wording("Asistencë teknike: paketimi dhe etiketimi – {m}",
            "Tehnička pomoć: pakovanje i etiketiranje – {m}"),
    Wording("Asistencë teknike: kontabiliteti bazë – {m}",
            "Tehnička pomoć: osnovno knjigovodstvo – {m}"),
    Wording("Asistencë teknike: aplikimi për grante – {m}",
            "Tehnička pomoć: prijava za grantove – {m}"),
)  # fmt: skip
JOINT_PLANNING = Wording(
    "Takim i përbashkët i banorëve për planifikimin e projektit – {project}",
    "Zajednički sastanak meštana o planiranju projekta – {project}",
)
JOINT_VOLUNTEERING = Wording(
    "Ditë e përbashkët e punës vullnetare – {m}",
    "Zajednički dan volonterskog rada – {m}",
)
JOINT_EVENTS = (
    Wording("Turne i përbashkët sportiv – {m}", "Zajednički sportski turnir – {m}"),
    Wording("Festival kulturor ndëretnik – {m}", "Međuetnički kulturni festival – {m}"),
    Wording("Aksion i përbashkët pastrimi – {m}", "Zajednička akcija čišćenja – {m}"),
    Wording("Panair i përbashkët i prodhuesve lokalë – {m}",
            "Zajednički sajam lokalnih proizvođača – {m}"),
)  # fmt: skip
JOINT_OPENING = Wording(
    "Ceremonia e hapjes: {project}",
    "Svečano otvaranje: {project}",
)
JOINT_KICKOFF = Wording(
    "Fillimi i punimeve me banorët: {project}",
    "Početak radova sa meštanima: {project}",
)
COORDINATION_MEETING = Wording(
    "Takim koordinues me komunën – {m}",
    "Koordinacioni sastanak sa opštinom – {m}",
)
WORKING_GROUP_MEETING = Wording(
    "Takim i Grupit të Përbashkët Punues – {m}",
    "Sastanak Zajedničke radne grupe – {m}",
)

VENUES = Wording(
    "Salla e Kuvendit Komunal|Shtëpia e Kulturës|Qendra Rinore|Salla e konferencave të komunës",
    "Sala Skupštine opštine|Dom kulture|Omladinski centar|Sala za sastanke opštine",
)
OUTDOOR_VENUES = Wording(
    "Sheshi qendror|Fusha sportive e qytetit|Oborri i shkollës",
    "Centralni trg|Gradski sportski teren|Školsko dvorište",
)

# --- Infrastructure projects ------------------------------------------------------------------

PROJECTS = (
    Wording("Rregullimi i parkut të qytetit – {m}", "Uređenje gradskog parka – {m}"),
    Wording("Ndërtimi i këndit të lojërave për fëmijë – {m}", "Izgradnja dečjeg igrališta – {m}"),
    Wording("Renovimi i Shtëpisë së Kulturës – {m}", "Renoviranje Doma kulture – {m}"),
    Wording("Ndriçimi publik në rrugën kryesore – {m}", "Javna rasveta u glavnoj ulici – {m}"),
    Wording("Rregullimi i fushës sportive – {m}", "Uređenje sportskog terena – {m}"),
    Wording("Ndërtimi i trotuarit pranë shkollës – {m}", "Izgradnja trotoara kod škole – {m}"),
    Wording("Renovimi i ambulancës – {m}", "Renoviranje ambulante – {m}"),
    Wording("Rregullimi i tregut të gjelbër – {m}", "Uređenje zelene pijace – {m}"),
)  # fmt: skip

# --- Capacity development plans ---------------------------------------------------------------

PLAN = Wording(
    "Plani për zhvillimin e kapaciteteve {first}–{last} – {m}",
    "Plan razvoja kapaciteta {first}–{last} – {m}",
)
PLAN_ACTIONS = (
    (Wording("Burimet njerëzore", "Ljudski resursi"),
     Wording("Trajnimi i stafit për menaxhim", "Obuka osoblja iz upravljanja")),
    (Wording("Financat", "Finansije"),
     Wording("Përmirësimi i mbledhjes së tatimit në pronë",
             "Poboljšanje naplate poreza na imovinu")),
    (Wording("Gjuhët", "Jezici"),
     Wording("Përkthimi i akteve komunale në të dy gjuhët zyrtare",
             "Prevođenje opštinskih akata na oba službena jezika")),
    (Wording("Transparenca", "Transparentnost"),
     Wording("Publikimi i vendimeve të Kuvendit në ueb-faqe",
             "Objavljivanje odluka Skupštine na veb-sajtu")),
    (Wording("Shërbimet", "Usluge"),
     Wording("Hapja e sportelit për shërbime ndaj qytetarëve",
             "Otvaranje šaltera za usluge građanima")),
)  # fmt: skip

# --- Organizations ----------------------------------------------------------------------------

# Albanian puts the municipality's name in the genitive; there is no rule short of a table.
ALBANIAN_MUNICIPALITY = {
    "gjilan": "Komuna e Gjilanit",
    "istog": "Komuna e Istogut",
    "kline": "Komuna e Klinës",
    "obiliq": "Komuna e Obiliqit",
    "peje": "Komuna e Pejës",
    "vushtrri": "Komuna e Vushtrrisë",
}


def administration_name(municipality: Municipality) -> str:
    if serb_majority(municipality):
        return f"Opština {municipality.name_sr_latn}"
    return ALBANIAN_MUNICIPALITY.get(municipality.code, f"Komuna {municipality.name_sq}")


MOCR_OFFICE = Wording(
    "Zyra Komunale për Komunitete dhe Kthim – {m}",
    "Opštinska kancelarija za zajednice i povratak – {m}",
)
FINANCE_OFFICE = Wording(
    "Drejtoria për Buxhet dhe Financa – {m}",
    "Odeljenje za budžet i finansije – {m}",
)
COMMUNITIES_COMMITTEE = Wording(
    "Komiteti për Komunitete i Kuvendit Komunal – {m}",
    "Komitet za zajednice Skupštine opštine – {m}",
)
WOMENS_ASSOCIATION = Wording(
    'Shoqata e grave fermere "{name}" – {m}',
    'Udruženje žena poljoprivrednica "{name}" – {m}',
)
ASSOCIATION_NAMES = Wording("Ylberi|Agimi|Shpresa|Lulja", "Sunce|Izvor|Nada|Ruža")

# Farm and business names by sector; {family} and {given} are the owner's names.
FARM_NAMES = {
    "dairy": Wording('Ferma e qumështit "{family}"|Qumështorja "{family}"',
                     'Mlekara "{family}"|Farma krava "{family}"'),
    "fruit_vegetable": Wording('Ferma "{family}"|{family} Agro Sh.p.k.|Perimet "{given}"',
                               'Poljoprivredno gazdinstvo {given} {family}|Sušara "{family}"'),
    "medicinal_plants": Wording('Bimët mjekësore "{family}"|Ferma "{given}"',
                                'Lekovito bilje "{family}"|Bilje "{given}"'),
    "agriculture": Wording('Ferma "{family}"|Ferma familjare {given} {family}',
                           'Farma "{family}"|Poljoprivredno gazdinstvo "{given}"'),
    "beekeeping": Wording('Bletaria "{given}"|Bletaria "{family}"',
                          'Pčelarstvo "{given}"|Pčelinjak "{family}"'),
    "wood_processing": Wording('Përpunimi i drurit "{family}"|N.T.P. "{family}"',
                               'Prerada drveta "{family}"|Pilana "{family}"'),
    "furniture": Wording('Mobileria "{family}"|Zdrukthtaria "{given}"',
                         'Stolarija "{family}"|Nameštaj "{given}"'),
    "services": Wording('N.T.P. "{given}"|{family} Sh.p.k.|Studio "{given}"',
                        'STR "{given}"|{family} d.o.o.|Salon "{given}"'),
}  # fmt: skip
