"""Reading large sheets laid out as offices lay them out (issue 10, item 1).

The header is looked for among the first 30 rows and the rows below the data are sorted out
after the last one (:mod:`akt.intake.layout`); both cost a few rows' work, so reading a large
sheet should cost what it cost when the header was the first row. Measured here with
:func:`read_sheet` alone (no database): a 100,000-row CSV as Excel writes it in Albanian regional
settings (";" between cells, a title, a date and a blank row above the header, a total and the
signatures below), and a 10,000-row workbook with a merged title. Each is read three times; the
median is printed, with the rows read and the rows left out, so a run can be set against the
same script on an earlier commit (``git archive`` it elsewhere and put its ``src`` first on
``PYTHONPATH``: the script only calls ``read_sheet(data, name)``).

Run: ``.venv/bin/python bench/intake_layout.py`` (``--rows 20000`` for a shorter run).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

HEADERS = ["Nr.", "Emri", "Mbiemri", "Gjinia", "Datëlindja", "Komuniteti", "Komuna"]
GIVEN = ["Arbër", "Drita", "Besnik", "Vjosa", "Jovan", "Milica", "Dragan", "Teuta"]
FAMILY = ["Krasniqi", "Gashi", "Berisha", "Hoxha", "Petrović", "Ilić", "Morina", "Jovanović"]


def person(index: int) -> list[object]:
    return [
        index,
        GIVEN[index % len(GIVEN)],
        FAMILY[(index // len(GIVEN)) % len(FAMILY)],
        "M" if index % 2 else "F",
        f"{1950 + index % 50}-0{1 + index % 9}-1{index % 10}",
        "Shqiptare",
        "Gjilan",
    ]


def csv_bytes(rows: int) -> bytes:
    lines = [
        "Dëgjimi publik, Gjilan;;;;;;",
        "Data: 12.05.2015;;;;;;",
        ";;;;;;",
        ";".join(HEADERS),
    ]
    lines += [";".join(str(cell) for cell in person(index)) for index in range(1, rows + 1)]
    lines += [f";Gjithsej: {rows};;;;;", ";;;;;;", "Përgatiti:;;;;Nënshkrimi:;;"]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def xlsx_bytes(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Lista")
    sheet.append(["Lista e pjesëmarrësve"])
    sheet.append(["Data: 12.05.2015"])
    sheet.append([])
    sheet.append(HEADERS)
    for index in range(1, rows + 1):
        sheet.append(person(index))
    sheet.append([None, f"Gjithsej: {rows}"])
    sheet.append(["Nënshkrimi:"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def measure(name: str, data: bytes) -> None:
    from akt.intake.sources.base import read_sheet

    seconds = []
    for _ in range(3):
        started = time.perf_counter()
        sheet = read_sheet(data, name)
        seconds.append(time.perf_counter() - started)
    skipped = len(getattr(sheet, "skipped", ()))
    print(
        f"{name}: {len(sheet.rows):,} rows read, header row {sheet.header_row}, "
        f"{skipped} rows left out; read in {statistics.median(seconds):.2f} s "
        f"(median of 3: {', '.join(f'{value:.2f}' for value in seconds)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    options = parser.parse_args()
    sys.path.append(str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akt.settings")
    os.environ.setdefault("AKT_DEBUG", "true")
    import django

    django.setup()
    measure("roster.csv", csv_bytes(options.rows))
    measure("roster.xlsx", xlsx_bytes(options.rows // 10))


if __name__ == "__main__":
    main()
