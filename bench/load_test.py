"""A load test on loopback: simulated users on gunicorn and PostgreSQL, then every row checked.

The system as it runs in production (``deploy/gunicorn.conf.py``: gunicorn with 4 workers, the
WSGI app, static files by WhiteNoise, one ``akt db-worker`` beside it) against a PostgreSQL
database prepared for the run (``akt_load``: created, migrated, the reference data, the demo
data, users and reporting history loaded). Then ``--users`` simulated users (default 50), each
a thread with its own session, signed in as a user of each role in turn, work for
``--minutes`` (default 10) with a pause of ``--think`` seconds on average between requests
(default 10: a person reads a results page or fills a form before the next click; ``--think
3`` is a stress test, which on a 2-core machine running the clients, the server and PostgreSQL
together saturates it at about 12 requests a second):

- everyone browses the dashboard, indicator pages, their drill-downs (a split's cell opened)
  and the activities list;
- the donor and the M&E officer download the tracking workbook (.xlsx);
- the M&E officer and the focal points open person pages (of persons in their scope);
- the focal points and component staff enter activities through the real form (CSRF token,
  POST), and the focal points import a small roster into one of them through the import pages
  (upload, preview, commit).

Afterwards: every response had the status expected (2xx, or 3xx after a save), every activity
the test entered exists exactly once, and every roster row it imported exists exactly once
(one person, one attendance). The median and 95th percentile per kind of page are printed
against the targets: p95 within 0.2 s for pages, within 2 s for a file received or sent (the
workbook downloaded; a sheet uploaded, read and matched against the registry) and within 1 s
for signing in, which hashes the password with Argon2, slow on purpose.

Two-factor authentication is not required for the run (``AKT_REQUIRE_TWO_FACTOR=false``), and
the M&E officers sign in as ``load-me``, an officer the run adds without a second factor (the
demo's ``me`` has one set up): every simulated user signs in with a password only.

Run: ``.venv/bin/python bench/load_test.py`` (10 minutes); ``--minutes 1`` for a short run;
``--reuse`` keeps the prepared database for the next run instead of building it again;
``--database-url`` names the PostgreSQL server (its database is only connected to, to create
``akt_load``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "akt-demo-2014"
PAGE_TARGET = 0.2
DOWNLOAD_TARGET = 2.0
FILES = frozenset({"workbook download", "import upload"})
"""A file received or sent, held to the downloads' target: the tracking workbook written, or a
sheet uploaded, read and each of its rows matched against the registry of persons before the
answer (the preview opens when the check is done)."""
SIGN_IN_TARGET = 1.0
"""Signing in hashes the password with Argon2, slow on purpose: held to its own target."""

OFFICER = "load-me"
"""The M&E officer of the run: the demo's ``me`` has two-factor authentication set up, so the
run signs in as an officer of its own, without it."""
ROLES = ("donor", OFFICER, "staff-economic", "focal-gracanica", "focal-zvecan")
"""The users the simulated users sign in as, in turn (ten of each for fifty): one per role."""

INDICATORS = (
    "lul-debates",
    "lul-debate-participants",
    "community-members-empowered",
    "management-trainees",
    "business-grants",
)
DRILL_DOWNS = (("sex", "female"), ("sex", "male"), ("community", "albanian"), ("community", "serb"))
HOME_OF = {"focal-gracanica": "gracanice", "focal-zvecan": "zvecan", "staff-economic": "gracanice"}
MUNICIPALITY_NAME = {"gracanice": "Gračanica", "zvecan": "Zvečan"}
COMPONENT_OF = {"staff-economic": "economic"}
"""Component staff enter their component's activities; focal points the communication one's."""

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ERRORS = re.compile(r'<ul class="errorlist[^"]*">(.*?)</ul>', re.S)


# -- the database and the processes ---------------------------------------------------------


def prepare_database(server_url: str, name: str, reuse: bool, env: dict[str, str]) -> None:
    """Creates ``name`` on the server and loads it, unless ``reuse`` and it is already there."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            print(f"Reusing the database {name}.")
            run_akt(["migrate", "--no-input", "-v0"], env)
            return
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["load-reference"],
        ["demo-data", "--replace"],
        ["demo-users"],
        ["demo-periods"],
    ):
        run_akt(command, env)
    print(f"Prepared the database {name} in {time.perf_counter() - started:.0f} s.")


def run_akt(arguments: list[str], env: dict[str, str]) -> None:
    subprocess.run(
        [str(BIN / "akt"), *arguments], env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Processes:
    server: subprocess.Popen[bytes]
    worker: subprocess.Popen[bytes]
    logs: Path

    def stop(self) -> None:
        for process in (self.server, self.worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (self.server, self.worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start(env: dict[str, str], logs: Path) -> Processes:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        env=env,
        cwd=ROOT,
        stdout=open(logs / "gunicorn-access.log", "wb"),
        stderr=open(logs / "gunicorn-error.log", "wb"),
    )
    worker = subprocess.Popen(
        [str(BIN / "akt"), "db-worker", "--no-reload", "--interval", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(logs / "worker.log", "wb"),
    )
    return Processes(server=server, worker=worker, logs=logs)


def wait_until_healthy(base: str, processes: Processes, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if processes.server.poll() is not None:
            raise SystemExit(
                "gunicorn stopped:\n" + (processes.logs / "gunicorn-error.log").read_text()[-3000:]
            )
        try:
            if httpx.get(f"{base}/health/", timeout=30).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("The server did not answer /health/ in time.")


def warm_up(base: str, workers: int) -> None:
    """Each gunicorn worker loads the URL configuration, the templates and the counting on its
    first requests: done before the clock starts, as on a server that has been running."""

    def visit() -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            page = client.get("/accounts/login/")
            token = CSRF.search(page.text)
            client.post(
                "/accounts/login/",
                data={
                    "csrfmiddlewaretoken": token.group(1) if token else "",
                    "username": OFFICER,
                    "password": PASSWORD,
                },
            )
            for url in ("/", "/indicators/lul-debates/", "/activities/", "/tracking.xlsx"):
                client.get(url)

    threads = [threading.Thread(target=visit) for _ in range(workers * 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _cpu_seconds(pid: int) -> float:
    """CPU time used so far by process ``pid`` and its children, recursively (Linux ``/proc``)."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _cpu_seconds(int(child))
    except (OSError, IndexError, ValueError):
        pass  # a process that has just ended
    return total


def wait_until_idle(processes: Processes, seconds: float = 120) -> None:
    """Waits until the server and the worker are idle (under a tenth of a core over two
    seconds): each gunicorn worker prepares the registry for matching in a thread as it starts
    (``deploy/gunicorn.conf.py``), which on a server that has been running is long done."""
    pids = [processes.server.pid, processes.worker.pid]
    deadline = time.monotonic() + seconds
    before = sum(_cpu_seconds(pid) for pid in pids)
    while time.monotonic() < deadline:
        time.sleep(2)
        after = sum(_cpu_seconds(pid) for pid in pids)
        if after - before < 0.2:
            return
        before = after
    print("The server was still busy after warming up; the run starts anyway.")


# -- what the users did ----------------------------------------------------------------------


@dataclass
class Tally:
    """Timings per kind of page, every unexpected answer, and the rows the users wrote."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    """Titles of the activities entered (the save answered with the new activity's page)."""
    unconfirmed: list[str] = field(default_factory=list)
    """Titles of activities whose save got no answer: each may exist once, never twice."""
    rows: list[tuple[int, str]] = field(default_factory=list)
    """(activity id, family name) of every roster row imported."""

    def timed(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.timings[kind].append(seconds)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


@dataclass(frozen=True)
class Targets:
    """Ids of records in each role's scope, read from the database before the run."""

    persons: dict[str, list[int]]
    component_ids: dict[str, int]
    municipality_ids: dict[str, int]


class SimulatedUser(threading.Thread):
    def __init__(
        self,
        *,
        number: int,
        username: str,
        base: str,
        run: str,
        deadline: float,
        think: float,
        tally: Tally,
        targets: Targets,
    ) -> None:
        super().__init__(name=f"user-{number}", daemon=True)
        self.number = number
        self.username = username
        self.run_id = run
        self.deadline = deadline
        self.think = think
        self.tally = tally
        self.targets = targets
        self.random = random.Random(f"{run}-{number}")
        self.client = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
        self.entered: list[int] = []
        self.counter = itertools.count(1)

    # One request, timed and checked.
    def request(
        self, kind: str, method: str, url: str, expect: tuple[int, ...] = (200,), **kwargs: object
    ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = self.client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            self.tally.error(f"{self.username} {method} {url}: {exc!r}")
            return None
        self.tally.timed(kind, time.perf_counter() - started)
        if response.status_code not in expect:
            detail = " ".join(ERRORS.findall(response.text))[:300] if response.text else ""
            self.tally.error(
                f"{self.username} {method} {url}: {response.status_code} "
                f"(expected {expect}) {detail}"
            )
            return None
        return response

    def post_form(
        self, kind: str, page: httpx.Response, url: str, data: dict[str, object], **kwargs: object
    ) -> httpx.Response | None:
        token = CSRF.search(page.text)
        if token is None:
            self.tally.error(f"{self.username} {url}: no CSRF token on the page")
            return None
        return self.request(
            kind,
            "POST",
            url,
            expect=(302, 303),
            data={"csrfmiddlewaretoken": token.group(1), **data},
            **kwargs,
        )

    def sign_in(self) -> bool:
        page = self.request("sign-in page", "GET", "/accounts/login/")
        if page is None:
            return False
        return (
            self.post_form(
                "sign in",
                page,
                "/accounts/login/",
                {"username": self.username, "password": PASSWORD},
            )
            is not None
        )

    # The actions.
    def dashboard(self) -> None:
        self.request("dashboard", "GET", "/")

    def indicator(self) -> None:
        self.request("indicator page", "GET", f"/indicators/{self.random.choice(INDICATORS)}/")

    def drill_down(self) -> None:
        split, cell = self.random.choice(DRILL_DOWNS)
        code = self.random.choice(INDICATORS[1:3])
        self.request("drill-down", "GET", f"/indicators/{code}/?split={split}&cell={cell}")

    def activity_list(self) -> None:
        self.request("activities list", "GET", "/activities/")

    def person(self) -> None:
        ids = self.targets.persons.get(self.username)
        if ids:
            self.request("person page", "GET", f"/people/{self.random.choice(ids)}/")

    def workbook(self) -> None:
        response = self.request("workbook download", "GET", "/tracking.xlsx")
        if response is not None and not response.content.startswith(b"PK"):
            self.tally.error(f"{self.username} /tracking.xlsx: not an xlsx file")

    def enter_activity(self) -> int | None:
        page = self.request("activity form", "GET", "/activities/new/")
        if page is None:
            return None
        title = f"Load {self.run_id} u{self.number} n{next(self.counter)}"
        day = dt.date(2016, 1, 11) + dt.timedelta(days=self.random.randrange(70))
        home = HOME_OF[self.username]
        component = COMPONENT_OF.get(self.username, "communication")
        data = {
            "title": title,
            "kind": "workshop",
            "component": self.targets.component_ids[component],
            "municipality": self.targets.municipality_ids[home],
            "start_date": day.isoformat(),
            "end_date": day.isoformat(),
            "venue": "Shtëpia e Kulturës",
            "organizer": "",
            "attendance_form": "roster",
            "description": "",
            "project": "",
            "reason": "",
        }
        saved = self.post_form("activity save", page, "/activities/new/", data)
        if saved is None:
            with self.tally.lock:
                self.tally.unconfirmed.append(title)
            return None
        with self.tally.lock:
            self.tally.activities.append(title)
        found = re.search(r"/activities/(\d+)/", saved.headers.get("location", ""))
        if found is None:
            self.tally.error(f"{self.username}: the saved activity's address is missing")
            return None
        self.entered.append(int(found.group(1)))
        return int(found.group(1))

    def import_roster(self) -> None:
        activity = self.random.choice(self.entered) if self.entered else self.enter_activity()
        if activity is None:
            return
        page = self.request("import upload page", "GET", f"/imports/upload/?activity={activity}")
        if page is None:
            return
        place = MUNICIPALITY_NAME[HOME_OF[self.username]]
        names = [_letters(self.random, 9).capitalize() for _row in range(5)]
        lines = ["Given name,Family name,Sex,Birth date,Municipality"]
        for index, family in enumerate(names):
            given = ("Arta", "Dragan", "Valdete", "Milica", "Besnik")[index]
            sex = "F" if index in (0, 2, 3) else "M"
            lines.append(f"{given},{family},{sex},{1975 + self.random.randrange(30)},{place}")
        sheet = ("\n".join(lines) + "\n").encode()
        uploaded = self.post_form(
            "import upload",
            page,
            "/imports/upload/",
            {"kind": "roster", "activity": str(activity), "encoding": ""},
            files={"file": ("lista.csv", sheet, "text/csv")},
        )
        if uploaded is None:
            return
        preview_url = uploaded.headers["location"]
        preview = self.request("import preview", "GET", preview_url)
        if preview is None:
            return
        committed = self.post_form(
            "import commit", preview, f"{preview_url}commit/", {"reason": ""}
        )
        if committed is None:
            return
        done = self.request("import preview", "GET", preview_url)
        if done is not None and "was imported" not in done.text and "Imported" not in done.text:
            self.tally.error(f"{self.username} {preview_url}: the import was not committed")
            return
        with self.tally.lock:
            self.tally.rows.extend((activity, family) for family in names)

    def actions(self) -> list[tuple[Callable[[], object], int]]:
        """What this user does, with weights: a realistic mix per role."""
        browse: list[tuple[Callable[[], object], int]] = [
            (self.dashboard, 15),
            (self.indicator, 20),
            (self.drill_down, 20),
            (self.activity_list, 10),
        ]
        if self.username == "donor":
            return [*browse, (self.workbook, 6)]
        if self.username == OFFICER:
            return [*browse, (self.person, 15), (self.workbook, 6)]
        if self.username == "staff-economic":
            return [*browse, (self.enter_activity, 8)]
        return [*browse, (self.person, 12), (self.enter_activity, 8), (self.import_roster, 3)]

    def run(self) -> None:
        # Not everyone arrives at once: the users sign in over the first minute (or the first
        # quarter of a shorter run).
        arrival = min(60.0, (self.deadline - time.monotonic()) / 4)
        time.sleep(self.random.uniform(0, arrival))
        if not self.sign_in():
            return
        choices = self.actions()
        work = [action for action, _weight in choices]
        weights = [weight for _action, weight in choices]
        while time.monotonic() < self.deadline:
            self.random.choices(work, weights)[0]()
            time.sleep(self.random.expovariate(1 / self.think) if self.think else 0)
        self.client.close()


def _letters(generator: random.Random, count: int) -> str:
    return "".join(generator.choice("abcdefghijklmnoprstuvz") for _ in range(count))


# -- after the run ---------------------------------------------------------------------------


def read_targets() -> Targets:
    from akt.accounts.models import Role, User
    from akt.accounts.scope import Scope
    from akt.people.models import Person
    from akt.places.models import Municipality
    from akt.program.models import Component

    officer, _created = User.objects.get_or_create(
        username=OFFICER, defaults={"role": Role.ME_OFFICER}
    )
    officer.set_password(PASSWORD)
    officer.save(update_fields=["password"])
    persons = {}
    for username in (OFFICER, "focal-gracanica", "focal-zvecan"):
        scope = Scope.for_user(User.objects.get(username=username))
        persons[username] = list(
            scope.persons(Person.objects.all()).order_by("pk").values_list("pk", flat=True)[:500]
        )
    return Targets(
        persons=persons,
        component_ids=dict(Component.objects.values_list("code", "pk")),
        municipality_ids=dict(Municipality.objects.values_list("code", "pk")),
    )


def check_rows(run: str, tally: Tally) -> list[str]:
    """Every activity entered and every row imported, exactly once."""
    from django.db.models import Count

    from akt.activities.models import Activity, Attendance

    problems = []
    stored = dict(
        Activity.objects.filter(title__startswith=f"Load {run} ")
        .values_list("title")
        .annotate(count=Count("pk"))
    )
    for title in tally.activities:
        if stored.get(title, 0) != 1:
            problems.append(f"activity {title!r}: {stored.get(title, 0)} in the database")
    for title in tally.unconfirmed:
        if stored.get(title, 0) > 1:
            problems.append(f"activity {title!r}: {stored[title]} in the database")
    for title in set(stored) - set(tally.activities) - set(tally.unconfirmed):
        problems.append(f"activity {title!r}: in the database, not entered by the test")
    expected = defaultdict(int)
    for activity, family in tally.rows:
        expected[(activity, family)] += 1
    found = defaultdict(int)
    families = [family for _activity, family in tally.rows]
    for chunk in range(0, len(families), 500):
        for pair in Attendance.objects.filter(
            person__family_name__in=families[chunk : chunk + 500]
        ).values_list("activity_id", "person__family_name"):
            found[pair] += 1
    for pair, count in expected.items():
        if found.get(pair, 0) != count:
            problems.append(f"roster row {pair}: {found.get(pair, 0)} in the database")
    return problems


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(tally: Tally, minutes: float) -> bool:
    print(f"\n{'kind of page':<22}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'target':>9}")
    met = True
    total = 0
    for kind in sorted(tally.timings):
        times = tally.timings[kind]
        total += len(times)
        target = (
            DOWNLOAD_TARGET
            if kind in FILES
            else SIGN_IN_TARGET
            if kind == "sign in"
            else PAGE_TARGET
        )
        p95 = percentile(times, 0.95)
        verdict = "" if p95 <= target else "  over target"
        met = met and not verdict
        print(
            f"{kind:<22}{len(times):>9}{statistics.median(times) * 1000:>9.0f}"
            f"{p95 * 1000:>9.0f}{target * 1000:>9.0f}{verdict}"
        )
    print(f"{total} requests in {minutes:g} min ({total / (minutes * 60):.1f} per second).")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads per gunicorn worker (default: deploy/gunicorn.conf.py's)",
    )
    parser.add_argument("--think", type=float, default=10.0, help="mean pause between requests")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "AKT_LOAD_SERVER_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL server (the database named is only used to create the run's)",
    )
    parser.add_argument("--database-name", default="akt_load")
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the loaded database")
    options = parser.parse_args()

    base_url = options.database_url.rpartition("/")[0]
    port = free_port()
    logs = Path(tempfile.mkdtemp(prefix="akt-load-"))
    env = {
        **os.environ,
        "AKT_DATABASE_URL": f"{base_url}/{options.database_name}",
        "AKT_DATA_DIR": str(logs / "data"),
        "AKT_DEBUG": "false",
        "AKT_SECRET_KEY": secrets.token_urlsafe(50),
        "AKT_ALLOWED_HOSTS": "127.0.0.1",
        "AKT_REQUIRE_TWO_FACTOR": "false",
        "AKT_BIND": f"127.0.0.1:{port}",
        "AKT_WEB_WORKERS": str(options.workers),
        **({"AKT_WEB_THREADS": str(options.threads)} if options.threads else {}),
        "AKT_LOG_LEVEL": "warning",
        "DJANGO_SETTINGS_MODULE": "akt.settings",
    }
    env.pop("AKT_TESTING", None)
    prepare_database(options.database_url, options.database_name, options.reuse, env)
    os.environ.update(env)
    import django

    django.setup()
    targets = read_targets()

    processes = start(env, logs)
    base = f"http://127.0.0.1:{port}"
    tally = Tally()
    run = secrets.token_hex(3)
    try:
        wait_until_healthy(base, processes)
        warm_up(base, options.workers)
        wait_until_idle(processes)
        print(
            f"{options.users} users for {options.minutes:g} min on gunicorn "
            f"({options.workers} workers"
            f"{f', {options.threads} threads each' if options.threads else ''}) at {base}, "
            f"PostgreSQL {options.database_name}; "
            f"logs in {logs}."
        )
        deadline = time.monotonic() + options.minutes * 60
        users = [
            SimulatedUser(
                number=number,
                username=ROLES[number % len(ROLES)],
                base=base,
                run=run,
                deadline=deadline,
                think=options.think,
                tally=tally,
                targets=targets,
            )
            for number in range(options.users)
        ]
        for user in users:
            user.start()
        for user in users:
            user.join()
    finally:
        processes.stop()

    targets_met = report(tally, options.minutes)
    problems = check_rows(run, tally)
    print(
        f"Entered {len(tally.activities)} activities and imported {len(tally.rows)} roster rows; "
        f"{len(problems)} lost or duplicated."
    )
    for problem in problems[:20]:
        print(f"  {problem}")
    print(f"{len(tally.errors)} errors.", flush=True)
    for error in tally.errors[:20]:
        print(f"  {error}")
    if not options.reuse:
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(options.database_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{options.database_name}"')
    print("Targets met." if targets_met else "Some p95 over target.")
    if tally.errors or problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
