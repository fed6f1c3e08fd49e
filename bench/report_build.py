"""How long a performance report takes to write: its counting, its words, its pictures, its file.

Two sizes, each in a fresh database: the demo (``akt demo-data``) and a generated program of
1,000,000 roster rows (the records of ``bench/tracking_table.py``). For the quarterly report
(the last quarter with records), the annual report (its fiscal year) and the "Results to date"
brief, each step the report's job takes is timed apart, median of ``--runs``:

- **count**: :func:`report_data`, every figure the report prints (the results, the tracking
  table's targets and percents, the annex's sixteen municipalities), once for all languages;
- **words**: :func:`report_document` in Albanian (no counting, pictures not drawn);
- **draw**: every chart and the map drawn (the picture cache emptied first);
- **docx**, **pdf**: the file written from the drawn document;
- **job**: the whole of :func:`report_file_bytes` for a PDF, cache emptied, as the job runs it.

Then the approval of that quarter (which counts the report once and keeps it in four
languages), and the approved report's PDF written again from its snapshot (the same bytes).

Target (issue 12, item 5, "large reports run as background jobs"): a report's job within 60 s at
1,000,000 roster rows, so the job page's wait is a minute at worst; at the demo's size within
5 s. The page showing a report (count + words + SVG pictures) is timed too.

Run: ``.venv/bin/python bench/report_build.py`` (both sizes); ``--size demo``; ``--size
million``; ``--database-url postgres://postgres@127.0.0.1:5432/test``; ``--runs 3``.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from _database import fresh_database, set_up

TARGETS = {"demo": 5.0, "million": 60.0}


def _median(step: Callable[[], Any], runs: int, before: Callable[[], None] | None = None) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _last_quarter() -> Any:
    from akt.activities.models import Activity
    from akt.counting.periods import quarter_of

    last = Activity.objects.order_by("-start_date").values_list("start_date", flat=True).first()
    return quarter_of(last)


def measure(runs: int) -> tuple[list[tuple[str, dict[str, float]]], dict[str, float]]:
    from django.utils import timezone

    from akt.counting.periods import Period
    from akt.indicators.selectors import life_of_project
    from akt.reports.report_builders import ReportKind

    lop = life_of_project()
    today = timezone.localdate()
    dated = timezone.localtime().replace(microsecond=0)
    quarter = _last_quarter()
    reports = [
        (ReportKind.QUARTERLY, quarter),
        (ReportKind.ANNUAL, Period.fiscal_year(quarter.year)),
        (ReportKind.BRIEF, Period.life_of_project()),
    ]
    found = [
        (f"{kind} {period.key}", _report(kind, period, lop, today, dated, runs))
        for kind, period in reports
    ]
    return found, _approval(quarter, runs)


def _report(
    kind: Any, period: Any, lop: Any, today: Any, dated: Any, runs: int
) -> dict[str, float]:
    from django.core.cache import cache

    from akt.reports.document import Drawn, Picture, docx_bytes, pdf_bytes
    from akt.reports.report_builders import report_data, report_document
    from akt.reports.report_files import ReportRequest, report_file_bytes

    figures: dict[str, float] = {}
    data = report_data(kind, period, lop=lop, today=today)
    figures["count"] = _median(lambda: report_data(kind, period, lop=lop, today=today), runs)
    document = report_document(data, language="sq", dated=dated)
    figures["words"] = _median(lambda: report_document(data, language="sq", dated=dated), runs)
    pictures = [block for block in document.blocks if isinstance(block, Picture)]
    figures["draw"] = _median(
        lambda: [picture.png for picture in pictures], runs, before=cache.clear
    )
    drawn = dataclasses.replace(
        document,
        blocks=tuple(
            dataclasses.replace(block, drawing=Drawn(block.png))
            if isinstance(block, Picture)
            else block
            for block in document.blocks
        ),
    )
    figures["docx"] = _median(lambda: docx_bytes(drawn), runs)
    figures["pdf"] = _median(lambda: pdf_bytes(drawn), runs)

    def page() -> None:
        data = report_data(kind, period, lop=lop, today=today)
        for block in report_document(data, language="sq", dated=dated).blocks:
            if isinstance(block, Picture):
                block.svg  # noqa: B018  # drawn as the page draws it

    figures["page"] = _median(page, runs, before=cache.clear)
    request = ReportRequest(kind, period, "sq", "pdf")
    figures["job"] = _median(lambda: report_file_bytes(request), runs, before=cache.clear)
    return figures


def _approval(quarter: Any, runs: int) -> dict[str, float]:
    from django.core.cache import cache

    from akt.accounts.models import Role, User
    from akt.reports.report_builders import ReportKind
    from akt.reports.report_files import ReportRequest, report_file_bytes
    from akt.reports.services import period_approve, period_submit

    officer, _created = User.objects.get_or_create(
        username="bench-me", defaults={"role": Role.ME_OFFICER}
    )
    reviewer, _created = User.objects.get_or_create(
        username="bench-me2", defaults={"role": Role.ME_OFFICER}
    )
    period = period_submit(
        actor=officer, fiscal_year=quarter.year, quarter=quarter.quarter, note=""
    )
    started = time.perf_counter()
    period_approve(actor=reviewer, period=period)
    approval = time.perf_counter() - started
    request = ReportRequest(ReportKind.QUARTERLY, quarter, "sq", "pdf")
    first, approved = report_file_bytes(request)
    assert approved
    again = _median(lambda: report_file_bytes(request), runs, before=cache.clear)
    same = report_file_bytes(request)[0] == first
    return {"approve": approval, "approved job": again, "same bytes": float(same)}


def run(size: str, arguments: argparse.Namespace) -> bool:
    with fresh_database(arguments.database_url) as where:
        started = time.perf_counter()
        set_up()
        if size == "demo":
            from django.core.management import call_command

            call_command("demo_data", stdout=io.StringIO())
            rows = "demo records"
        else:
            sys.path.insert(0, os.path.dirname(__file__))
            from tracking_table import generate

            generate(1.0, 2014)
            rows = "a generated program"
        from akt.activities.models import Attendance

        print(
            f"{size}: {rows}, {Attendance.objects.count():,} roster rows, on {where}; "
            f"set-up {time.perf_counter() - started:.0f} s, not timed"
        )
        found, approval = measure(arguments.runs)
        target = TARGETS[size]
        met = True
        print(f"  seconds, median of {arguments.runs} (load {os.getloadavg()[0]:.1f}):")
        steps = ("count", "words", "draw", "docx", "pdf", "page", "job")
        print(f"    {'report':<22}" + "".join(f"{step:>8}" for step in steps) + "  target")
        for name, figures in found:
            verdict = "meets" if figures["job"] <= target else "ABOVE"
            met &= figures["job"] <= target
            print(
                f"    {name:<22}"
                + "".join(f"{figures[step]:8.2f}" for step in steps)
                + f"  job {target:g} s: {verdict}"
            )
        print(
            f"    approving the quarter (report kept in 4 languages): {approval['approve']:.2f} s;"
            f" its approved PDF from the snapshot: {approval['approved job']:.2f} s,"
            f" the same bytes again: {'yes' if approval['same bytes'] else 'NO'}"
        )
        return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["demo", "million", "both"], default="both")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", help="a PostgreSQL server (a fresh database is made)")
    arguments = parser.parse_args()
    if arguments.size != "both":
        run(arguments.size, arguments)
        return
    for size in ("demo", "million"):  # each in its own process: Django is set up once per process
        command = [sys.executable, __file__, "--size", size, "--runs", str(arguments.runs)]
        if arguments.database_url:
            command += ["--database-url", arguments.database_url]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
