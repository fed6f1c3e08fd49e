"""Issue 10, item 3: the gazetteer on municipality names as clerks mistype them.

Takes every name the gazetteer knows (Albanian, Serbian Latin and Cyrillic, definite and
genitive forms, aliases), makes distinct near spellings of them (a letter dropped, doubled,
swapped or replaced, after folding; seeded), and resolves each once with a fresh gazetteer (its
memory of answers would otherwise hide the cost). Prints how many were taken as their own
municipality, refused (ambiguous or too far) and taken as another one (only possible when the
typo spells another municipality's name exactly), and the time per distinct spelling, which is
what ``akt link`` and an import pay once per distinct value. Target: 1,000 distinct mistyped
spellings resolved within 2 s (``akt link`` on 100,000 records has a 30 s budget).

    .venv/bin/python bench/gazetteer_near.py [--spellings 1000] [--seed 10]
"""

from __future__ import annotations

import argparse
import random
import time

from akt.places.gazetteer import Gazetteer
from akt.text.names import fold

LETTERS = "abcdefghijklmnoprstuvz"


def near(rng: random.Random, name: str) -> str:
    folded = fold(name)
    at = rng.randrange(len(folded))
    how = rng.choice(("drop", "double", "swap", "replace"))
    if how == "drop":
        return folded[:at] + folded[at + 1 :]
    if how == "double":
        return folded[:at] + folded[at] + folded[at:]
    if how == "swap" and at + 1 < len(folded):
        return folded[:at] + folded[at + 1] + folded[at] + folded[at + 2 :]
    return folded[:at] + rng.choice(LETTERS) + folded[at + 1 :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spellings", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()

    loaded = Gazetteer.load()
    named = [(name, m.code) for m in loaded.municipalities for name in m.names()]
    rng = random.Random(args.seed)
    cases: dict[str, str] = {}
    while len(cases) < args.spellings:
        name, code = rng.choice(named)
        cases.setdefault(near(rng, name), code)

    gazetteer = Gazetteer.load()
    started = time.perf_counter()
    found = {text: gazetteer.resolve(text) for text in cases}
    elapsed = time.perf_counter() - started

    own = sum(found[text] == code for text, code in cases.items())
    refused = sum(found[text] is None for text in cases)
    other = [
        (text, cases[text], found[text]) for text in cases if found[text] not in (None, cases[text])
    ]
    spelled_other = [case for case in other if case[2] in gazetteer.exact(case[0])]
    total = len(cases)
    print(f"{total} distinct near spellings of {len(named)} names (seed {args.seed})")
    print(f"  taken as their own municipality: {own} ({own / total:.1%})")
    print(f"  refused (ambiguous or too far):  {refused} ({refused / total:.1%})")
    print(
        f"  taken as another municipality:   {len(other)}, of which {len(spelled_other)} spell "
        "that municipality's own name exactly"
    )
    for text, meant, taken in other[:10]:
        print(f"    {text!r}: meant {meant}, taken as {taken}")
    per = elapsed / total * 1000
    verdict = "meets" if elapsed <= 2 * total / 1000 else "misses"
    print(f"  time: {elapsed:.2f} s, {per:.2f} ms per spelling; target 2 s per 1,000: {verdict}")

    exact = [name for name, _code in named]
    fresh = Gazetteer.load()
    started = time.perf_counter()
    for name in exact:
        fresh.resolve(name)
    print(f"{len(exact)} exact names: {(time.perf_counter() - started) * 1000:.1f} ms in all")


if __name__ == "__main__":
    main()
