"""A program's three years of lists and rosters, written as the offices would send them.

:func:`write_folder` writes a folder the way an M&E officer collects it from the field: an
``activities.xlsx`` list (one row per activity with its reference, headers in Albanian, values in
Albanian, Serbian Latin, Serbian Cyrillic or English as each office writes them), an
``organizations.csv`` of the organizers, and one attendance file per activity: a roster named
after the activity's reference (``A-2015-0042.csv``, or ``A-2015-0042 lista.xlsx`` with an
"Activity" sheet), or a tally for the activities whose attendance is counted, not named. People
come back: each roster draws from a pool of residents of the activity's municipality, written the
same way every time. Seeded and deterministic; used by the folder tests and ``bench``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from akt.text.script import latin_to_cyrillic

PROGRAM_START = dt.date(2014, 5, 1)
PROGRAM_DAYS = (dt.date(2017, 3, 31) - PROGRAM_START).days

# (name as an Albanian office writes it, as a Serbian office writes it, Serbian-majority office?)
MUNICIPALITIES = [
    ("Gjilan", "Gnjilane", False),
    ("Kamenicë", "Kamenica", False),
    ("Graçanicë", "Gračanica", True),
    ("Zveçan", "Zvečan", True),
    ("Novobërdë", "Novo Brdo", True),
    ("Prizren", "Prizren", False),
    ("Pejë", "Peć", False),
    ("Leposaviq", "Leposavić", True),
]

KINDS = [
    ("Debat publik", "Javna debata", "public debate"),
    ("Dëgjim publik", "Javna rasprava", "public hearing"),
    ("Punëtori", "Radionica", "workshop"),
    ("Trajnim", "Obuka", "training"),
    ("Aktivitet i përbashkët ndëretnik", "Zajednička međuetnička aktivnost", "joint_activity"),
]
TOPICS = ["Ligji për përdorimin e gjuhëve", "Opštinski budžet", "municipal-regulations", ""]
COMPONENTS = ["1", "Komunikimi ndëretnik", "3", "Opštinski kapaciteti", "Municipal capacity"]

GIVEN = {
    False: ["Arbër", "Drita", "Blerim", "Vjosa", "Fatmir", "Teuta", "Besnik", "Arta", "Ilir"],
    True: ["Jovan", "Milica", "Dragan", "Jelena", "Nenad", "Ivana", "Stefan", "Marija", "Zoran"],
}
FAMILY = {
    False: ["Krasniqi", "Gashi", "Morina", "Berisha", "Hoxha", "Shala", "Bytyqi", "Kelmendi"],
    True: ["Jovanović", "Petrović", "Nikolić", "Stanković", "Ilić", "Marković", "Đorđević"],
}
SEX = {False: ("Femër", "Mashkull"), True: ("Ženski", "Muški")}
COMMUNITY = {False: "Shqiptare", True: "Srpska"}

ROSTER_HEADERS = {
    False: ("Emri", "Mbiemri", "Gjinia", "Datëlindja", "Komuniteti", "Komuna"),
    True: ("Ime", "Prezime", "Pol", "Datum rođenja", "Zajednica", "Opština"),
}
ACTIVITY_HEADERS = (
    "Nr. ref.",
    "Titulli",
    "Lloji",
    "Tema",
    "Data e fillimit",
    "Data e përfundimit",
    "Komuna",
    "Komponenti",
    "Vendi",
    "Organizatori",
    "Evidentimi",
)


@dataclass(frozen=True)
class Resident:
    given: str
    family: str
    female: bool
    born: int | None
    serbian: bool
    municipality: str


def write_folder(
    path: Path,
    *,
    activities: int = 500,
    roster_size: int = 4,
    attendance_every: int = 1,
    seed: int = 2017,
) -> dict[str, int]:
    """Writes the folder; returns what it holds (activities, rosters, tallies, roster rows).

    One activity in ``attendance_every`` has its attendance file (all by default); one in five of
    those is counted in a tally, the others named on a roster of ``roster_size`` people."""
    rng = random.Random(seed)
    path.mkdir(parents=True, exist_ok=True)
    pools = {
        name: _pool(rng, serbian, name, roster_size * 6) for name, _sr, serbian in MUNICIPALITIES
    }
    rows, organizations = [], []
    counts = {"activities": activities, "rosters": 0, "tallies": 0, "roster_rows": 0}
    for number in range(1, activities + 1):
        albanian, serbian_name, serbian = MUNICIPALITIES[number % len(MUNICIPALITIES)]
        start = PROGRAM_START + dt.timedelta(days=rng.randrange(PROGRAM_DAYS))
        reference = f"A-{start.year}-{number:04d}"
        kind = KINDS[number % len(KINDS)]
        has_file = (number - 1) % attendance_every == 0
        tally = has_file and ((number - 1) // attendance_every) % 5 == 4
        organizer = ""
        if number % 7 == 0:
            organizer = f"ORG-{number % 5 + 1}"
        place = latin_to_cyrillic(serbian_name) if serbian and number % 3 == 0 else albanian
        rows.append(
            (
                reference,
                f"{kind[1] if serbian else kind[0]} {number}",
                kind[1] if serbian else kind[number % 2 * 2],
                TOPICS[number % len(TOPICS)],
                start.strftime("%d.%m.%Y") if number % 2 else start.isoformat(),
                "" if number % 4 else (start + dt.timedelta(days=1)).isoformat(),
                place,
                COMPONENTS[number % len(COMPONENTS)],
                "Salla e Kuvendit" if number % 3 else "",
                organizer,
                "tally" if tally else ("Roster of names" if number % 2 else ""),
            )
        )
        if not has_file:
            continue
        if tally:
            _write_tally(path, reference, rng)
            counts["tallies"] += 1
        else:
            people = rng.sample(pools[albanian], roster_size)
            _write_roster(path, reference, people, number)
            counts["rosters"] += 1
            counts["roster_rows"] += len(people)
    for index in range(1, 6):
        organizations.append(
            (f"ORG-{index}", f"Shoqata {index}", "Civil society", "", MUNICIPALITIES[index][0])
        )
    _write_xlsx(path / "activities.xlsx", ACTIVITY_HEADERS, rows)
    _write_csv(
        path / "organizations.csv", ("Ref", "Emri", "Lloji", "Sektori", "Komuna"), organizations
    )
    return counts


def _pool(rng: random.Random, serbian: bool, municipality: str, size: int) -> list[Resident]:
    """A municipality's residents, no two written alike (two namesakes born the same year on
    one roster are the same person to the import, rightly)."""
    pool: dict[tuple[str, str, int | None], Resident] = {}
    while len(pool) < size:
        resident = _resident(rng, serbian, municipality)
        pool.setdefault((resident.given, resident.family, resident.born), resident)
    return list(pool.values())


def _resident(rng: random.Random, serbian: bool, municipality: str) -> Resident:
    female = rng.random() < 0.5
    return Resident(
        given=rng.choice(GIVEN[serbian]),
        family=rng.choice(FAMILY[serbian]),
        female=female,
        born=rng.randint(1950, 1998) if rng.random() < 0.8 else None,
        serbian=serbian,
        municipality=municipality,
    )


def _write_roster(path: Path, reference: str, people: list[Resident], number: int) -> None:
    serbian = people[0].serbian
    rows = [
        (
            person.given + ("" if number % 3 else ""),
            person.family,
            SEX[person.serbian][0 if person.female else 1],
            str(person.born or ""),
            COMMUNITY[person.serbian],
            person.municipality,
        )
        for person in people
    ]
    if number % 2:
        _write_csv(path / f"{reference}.csv", ROSTER_HEADERS[serbian], rows)
    else:
        book = Workbook()
        sheet = book.active
        sheet.title = "Lista"
        sheet.append(ROSTER_HEADERS[serbian])
        for row in rows:
            sheet.append(row)
        about = book.create_sheet("Aktiviteti")
        about.append(("Aktiviteti", reference))
        _save(book, path / f"{reference} lista.xlsx")


def _write_tally(path: Path, reference: str, rng: random.Random) -> None:
    rows = [
        (sex, community, band, str(rng.randint(5, 200)))
        for sex in ("Femër", "Mashkull")
        for community in ("Shqiptare", "Serbe")
        for band in ("15-29", "30+")
    ]
    _write_csv(path / f"{reference}.csv", ("Gjinia", "Komuniteti", "Mosha", "Numri"), rows)


def _write_csv(path: Path, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))


def _write_xlsx(path: Path, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Aktivitetet"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    _save(book, path)


def _save(book: Workbook, path: Path) -> None:
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
