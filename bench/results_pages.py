"""Server time of the results pages: the dashboard, an indicator page and the tracking table.

Two sizes, each in a fresh database: the demo (``akt demo-data``: the program brief's figures from
about 7,000 roster rows) and a generated program of 1,000,000 roster rows (the records of
``bench/tracking_table.py``). Each page is requested through Django's test client as a signed-in
M&E officer (every municipality) and as a focal point (one municipality), after one warm-up
request, and timed from the request to the rendered response (no network, no browser): the
median of ``--runs``. The period is the life of project, the widest and slowest.

Targets (issue 12, item 8): each page within 0.3 s at the demo's size and within 1.5 s at
1,000,000 roster rows.

Run: ``.venv/bin/python bench/results_pages.py`` (both sizes, SQLite in a temporary folder; the
million takes about a minute of set-up); ``--size demo`` or ``--size million``;
``--database-url postgres://postgres@127.0.0.1:5432/test`` on a fresh PostgreSQL database;
``--runs 10``; ``--profile`` prints where one dashboard request's time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from _database import fresh_database, set_up

TARGETS = {"demo": 0.3, "million": 1.5}
PAGES = (
    ("dashboard", "/"),
    ("indicator page (persons)", "/indicators/management-trainees/"),
    ("indicator page (activities)", "/indicators/lul-debates/"),
    ("tracking table", "/tracking/"),
)


def _users() -> dict[str, object]:
    from akt.accounts.models import Role, User
    from akt.places.models import Municipality

    officer, _created = User.objects.get_or_create(
        username="bench-me", defaults={"role": Role.ME_OFFICER}
    )
    focal, _created = User.objects.get_or_create(
        username="bench-focal",
        defaults={
            "role": Role.FOCAL_POINT,
            "municipality": Municipality.objects.get(code="gracanice"),
        },
    )
    return {"M&E officer": officer, "focal point": focal}


def _timed(request: Callable[[], object], runs: int) -> list[float]:
    request()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        request()
        times.append(time.perf_counter() - started)
    return times


def measure(size: str, runs: int, profile: bool) -> list[tuple[str, str, float, list[float]]]:
    from django.test import Client

    found = []
    for persona, user in _users().items():
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        for name, url in PAGES:

            def request(url: str = url, client: Client = client, persona: str = persona) -> object:
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url} as {persona}: HTTP {response.status_code}")
                return response

            times = _timed(request, runs)
            found.append((persona, name, statistics.median(times), times))
        if profile and persona == "M&E officer":
            profiler = cProfile.Profile()
            profiler.enable()
            client.get("/")
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(25)
            print(out.getvalue())
    return found


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
        found = measure(size, arguments.runs, arguments.profile)
        target = TARGETS[size]
        met = True
        print(f"  median of {arguments.runs} warm requests (load {os.getloadavg()[0]:.1f}):")
        for persona, name, median, times in found:
            verdict = "meets" if median <= target else "ABOVE"
            met &= median <= target
            print(
                f"    {persona:<12} {name:<28} {median:6.3f} s  "
                f"(runs {min(times):.3f} to {max(times):.3f})  target {target:g} s: {verdict}"
            )
        return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["demo", "million", "both"], default="both")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database-url", help="a PostgreSQL server (a fresh database is made)")
    parser.add_argument("--profile", action="store_true")
    arguments = parser.parse_args()
    if arguments.size != "both":
        run(arguments.size, arguments)
        return
    for size in ("demo", "million"):  # each in its own process: Django is set up once per process
        command = [sys.executable, __file__, "--size", size, "--runs", str(arguments.runs)]
        if arguments.database_url:
            command += ["--database-url", arguments.database_url]
        subprocess.run([*command, *(["--profile"] if arguments.profile else [])], check=True)


if __name__ == "__main__":
    main()
