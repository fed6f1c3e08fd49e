"""mypy over the project, held to a baseline: no error the baseline does not list.

The counting core (``akt.counting``) is checked strictly and has no entry in the baseline, so any
error there fails. Elsewhere the errors known when type checking began are listed in
``tools/mypy-baseline.txt`` (file, error code and message, without line numbers, so moving code
does not disturb it); a new one fails the check, naming it. Fixing errors only shortens the list:
``--update`` writes the list again.

Run: ``make typecheck`` (``.venv/bin/python tools/typecheck.py [--update]``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tools" / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<path>[^:]+):\d+: error: (?P<message>.*)$")


def current_errors() -> Counter[str]:
    environment = {**os.environ, "AKT_TESTING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--hide-error-context"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if run.returncode not in (0, 1):  # 2: mypy itself failed
        sys.exit(run.stdout + run.stderr)
    errors: Counter[str] = Counter()
    for line in run.stdout.splitlines():
        found = ERROR.match(line)
        if found:
            errors[f"{found['path']}: {found['message']}"] += 1
    return errors


def main() -> None:
    errors = current_errors()
    if "--update" in sys.argv:
        BASELINE.write_text("".join(f"{line}\n" for line in sorted(errors.elements())))
        print(f"{BASELINE.relative_to(ROOT)}: {sum(errors.values())} known errors")
        return
    known = Counter(BASELINE.read_text().splitlines()) if BASELINE.exists() else Counter()
    new = errors - known
    fixed = known - errors
    total = sum(errors.values())
    if new:
        print(f"mypy: {sum(new.values())} error(s) not in the baseline:")
        for line in sorted(new.elements()):
            print(f"  {line}")
        sys.exit(1)
    note = f"; {sum(fixed.values())} fixed, run with --update" if fixed else ""
    print(f"mypy: {total} known error(s), none new; akt.counting strict and clean{note}")


if __name__ == "__main__":
    main()
