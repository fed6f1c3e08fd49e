"""What a persons figure's range costs while pairs of records await review (issue 10, item 5).

A persons figure the size of a large program (default 200,000 persons, 600,000 roster rows,
split by sex, age band, community and municipality) with a review queue like the one a batch run
leaves (default 3,000 pending pairs: most of them single pairs, some chains of a returning
attendee written three or four ways, a few tangles with cycles), and, separately, one tangle of
300 persons and 900 pairs that must be sampled. Prints, median of 5 runs: the engine computing
the figure, ``uncertainty.figure_pending`` computing its range and every cell's, and the range
itself. No database: the range is computed from the figure and the pairs alone (the pages read
the pairs with one query).

    .venv/bin/python bench/pending_range.py
    .venv/bin/python bench/pending_range.py --persons 20000 --pairs 300
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta

from akt.counting import engine, uncertainty

DEFINITION = engine.Definition(
    code="trainees",
    source=engine.Source.ATTENDANCE,
    unit=engine.Unit.PERSONS,
    filters={"role": frozenset({"participant"})},
    disaggregations=("sex", "age_band", "community", "municipality"),
)
WINDOW = engine.date_range(date(2014, 4, 1), date(2017, 4, 30), "LOP")


def facts(persons: int, rows: int, rng: random.Random) -> list[engine.Fact]:
    out = []
    for record_id in range(rows):
        person = record_id if record_id < persons else rng.randrange(persons)
        out.append(
            engine.Fact(
                source=engine.Source.ATTENDANCE,
                record_id=record_id,
                date=WINDOW.start + timedelta(days=rng.randrange(1100)),
                municipality=rng.randrange(16),
                activity=rng.randrange(20000),
                person=person,
                birth_year=rng.choice([None, *range(1950, 2000)]),
                attrs={
                    "role": "participant",
                    "sex": rng.choice(["female", "male", None]),
                    "community": rng.choice(["albanian", "serb", "roma", "turkish", None]),
                },
            )
        )
    return out


def queue(persons: int, pairs: int, rng: random.Random) -> list[uncertainty.Pair]:
    """Pairs as a batch run leaves them: 80% single pairs, 15% chains, 5% small tangles."""
    out: list[uncertainty.Pair] = []
    people = rng.sample(range(persons), min(persons, pairs * 2))
    while len(out) < pairs and len(people) >= 4:
        kind = rng.random()
        if kind < 0.8:
            a, b = people.pop(), people.pop()
            out.append((a, b, rng.uniform(0.3, 0.95)))
        elif kind < 0.95:
            chain = [people.pop() for _ in range(3)]
            out += [(a, b, rng.uniform(0.3, 0.95)) for a, b in zip(chain, chain[1:], strict=False)]
        else:
            tangle = [people.pop() for _ in range(4)]
            out += [
                (tangle[i], tangle[j], rng.uniform(0.3, 0.95))
                for i in range(4)
                for j in range(i + 1, 4)
            ]
    return out[:pairs]


def median_time(call, runs: int = 5) -> tuple[float, object]:
    times, value = [], None
    for _ in range(runs):
        began = time.perf_counter()
        value = call()
        times.append(time.perf_counter() - began)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=600_000)
    parser.add_argument("--pairs", type=int, default=3_000)
    args = parser.parse_args()
    rng = random.Random(20160101)
    rows = facts(args.persons, args.rows, rng)
    pairs = queue(args.persons, args.pairs, rng)

    computing, result = median_time(lambda: engine.compute(DEFINITION, rows, WINDOW))
    ranging, pending = median_time(lambda: uncertainty.figure_pending(DEFINITION, result, pairs))
    total = pending.total
    print(f"figure: {result.value:,} persons from {len(rows):,} roster rows")
    print(f"pending pairs: {pending.pairs:,} (of {len(pairs):,} in the queue)")
    print(
        f"range: {total.if_all_linked:,} if all are one person, {total.if_none_linked:,} if none;"
        f" expected {total.expected:,.1f} ({'exact' if total.exact else 'sampled'})"
    )
    print(f"engine computing the figure: {computing:.3f} s (median of 5)")
    print(f"its range and every cell's:  {ranging:.3f} s ({ranging / computing:.1%} of that)")

    tangle = list(range(300))
    knotted = [
        (tangle[i], tangle[j], rng.uniform(0.2, 0.9))
        for i in range(300)
        for j in rng.sample(range(300), 3)
        if i != j
    ]
    sampling, standing = median_time(lambda: uncertainty.person_standing(tangle, knotted))
    shown = standing.range_of(tangle)
    print(
        f"one tangle of {len(tangle)} persons and {len(knotted)} pairs, sampled "
        f"({uncertainty.SAMPLES} draws): {sampling:.3f} s; range {shown.if_all_linked} to "
        f"{shown.if_none_linked}, expected {shown.expected:.1f}"
    )


if __name__ == "__main__":
    main()
