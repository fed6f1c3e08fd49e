"""What a unique-person figure could be while pairs of records wait for review.

A persons figure counts resolved persons (``Person.identity``). A pair of records the linkage
model could not settle waits in the review queue with a match probability; until an officer
decides it, the figure is uncertain. This module says how uncertain, from plain values (no
Django, like ``engine.py``): the persons a figure counts, in first-fact order, and the pending
pairs between them, as ``(person, person, probability)``.

What it promises, for a figure and for each cell of its breakdowns:

- **If none is one person**: the figure as computed; deciding every pair "different people"
  changes nothing.
- **If all are**: the count after merging every pending pair (the connected components of the
  persons under the pairs).
- **Expected**: the count expected from the pairs' probabilities, each pair taken as
  independent of the others. It lies between the two, and equals them when no pair waits.

Only pairs whose two persons are both counted in the figure change it (a pair with one side
outside the window, scope or filters merges nothing the figure counts); a pair whose two records
already resolve to one person changes nothing. Two pending pairs between the same two persons
(records of one person each paired with the other) are one question asked twice: the persons
are merged with the higher of the two probabilities, not as two independent chances.

Cells follow the engine's first-fact rule (``engine.compute``): a merged person lands in the
cell of the earliest first fact among its records. So a person "stays counted" when no person
counted before it is merged with it; linking a pair lowers the cell of the later of its two
persons, which may be another cell than the earlier one's. The cells therefore still add up to
the figure in each of the three counts.

The expected count is ``sum over persons of P(no earlier person is merged with it)``. It is
computed per connected component of the pending pairs:

- a component without cycles (a tree: nearly every component in practice, most being one pair)
  exactly, by following each path to an earlier person; for one pair ``(a, b, p)`` with ``a``
  counted first, ``b`` stays with probability ``1 - p``, so the figure's expectation is
  ``n - p``, and for any tree ``n - sum(p)``;
- a component with cycles and at most :data:`EXACT_EDGES` pairs exactly, by enumerating every
  combination of decisions;
- a larger component with cycles by Monte Carlo: :data:`SAMPLES` random combinations drawn with
  a fixed seed, so the same records always give the same number. Each draw is a possible
  outcome, so the estimate stays between the all and none counts; its standard error is below
  ``0.5 / sqrt(SAMPLES)`` per person of the component. :attr:`Range.exact` says whether any
  component was estimated this way.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from akt.counting.engine import Cell, Definition, Disaggregation, Result, Unit, fact_cell

Pair = tuple[Hashable, Hashable, float]
"""A pending review pair as the persons its two records resolve to, and its probability."""

EXACT_EDGES = 12
"""Components with cycles up to this many pairs are enumerated (2**12 combinations)."""

TREE_EXACT_NODES = 500
"""Trees up to this many persons are computed exactly (at worst quadratic in their size)."""

SAMPLES = 1000
"""Monte Carlo draws for a large component with cycles."""

SEED = 20140401
"""The fixed seed of the Monte Carlo draws (the program's first day)."""


@dataclass(frozen=True)
class Range:
    """A count while pairs wait: if none of them is one person, if all are, and expected."""

    if_none_linked: int
    if_all_linked: int
    expected: float
    exact: bool = True


@dataclass(frozen=True)
class Standing:
    """How each counted person stands while the pairs wait.

    ``pairs`` is how many pending pairs lie between two distinct counted persons (each of them
    could change the figure). ``absorbed`` are the persons that stop counting if every pair is
    linked (every person of a component but its first). ``staying`` gives, for each person of
    a pair, the probability that it still counts once the pairs are decided; a person of no
    pair stays for certain.
    """

    pairs: int
    absorbed: frozenset[Hashable]
    staying: Mapping[Hashable, float]
    exact: bool

    def range_of(self, persons: Iterable[Hashable]) -> Range:
        """The range of a count of ``persons`` (the figure's, or one cell's)."""
        counted = absorbed = 0
        expected = 0.0
        for person in persons:
            counted += 1
            absorbed += person in self.absorbed
            expected += self.staying.get(person, 1.0)
        # Summing floats may stray a hair outside the bounds the outcomes respect.
        expected = min(float(counted), max(float(counted - absorbed), expected))
        return Range(counted, counted - absorbed, expected, self.exact)

    def range_of_all(self, counted: int) -> Range:
        """:meth:`range_of` every one of the ``counted`` persons, without reading them."""
        lowest = counted - len(self.absorbed)
        expected = counted - sum(1.0 - staying for staying in self.staying.values())
        return Range(counted, lowest, min(float(counted), max(float(lowest), expected)), self.exact)


def person_standing(
    persons: Sequence[Hashable],
    pairs: Iterable[Pair],
    *,
    exact_edges: int = EXACT_EDGES,
    tree_exact_nodes: int = TREE_EXACT_NODES,
    samples: int = SAMPLES,
    seed: int = SEED,
) -> Standing:
    """How the pending ``pairs`` bear on ``persons``, counted in this (first-fact) order.

    Pairs with a side not among ``persons``, or with both sides the same person, are left out.
    Raises ValueError on a repeated person or a probability outside 0 to 1.
    """
    rank = {person: position for position, person in enumerate(persons)}
    if len(rank) != len(persons):
        raise ValueError("a person is counted once: the persons must be distinct")
    chances: dict[tuple[int, int], float] = {}
    count = 0
    for a, b, probability in pairs:
        if not 0.0 <= probability <= 1.0:
            raise ValueError(f"pair {a!r} ~ {b!r}: probability {probability} is not in 0 to 1")
        if a == b or a not in rank or b not in rank:
            continue
        count += 1
        edge = (min(rank[a], rank[b]), max(rank[a], rank[b]))
        chances[edge] = max(chances.get(edge, 0.0), probability)
    if not chances:
        return Standing(0, frozenset(), MappingProxyType({}), True)

    staying: dict[int, float] = {}
    absorbed: set[int] = set()
    exact = True
    rng = np.random.default_rng(seed)
    for nodes, edges in _components(chances):
        absorbed.update(nodes[1:])  # nodes come sorted: the first one is counted first
        if len(edges) == len(nodes) - 1 and len(nodes) <= tree_exact_nodes:
            staying.update(_staying_in_tree(nodes, edges))
        elif len(edges) <= exact_edges:
            staying.update(_staying_enumerated(nodes, edges))
        else:
            staying.update(_staying_sampled(nodes, edges, samples, rng))
            exact = False
    return Standing(
        pairs=count,
        absorbed=frozenset(persons[node] for node in absorbed),
        staying=MappingProxyType({persons[node]: p for node, p in staying.items()}),
        exact=exact,
    )


Edges = list[tuple[int, int, float]]


def _components(chances: Mapping[tuple[int, int], float]) -> list[tuple[list[int], Edges]]:
    """The connected components of the pairs, each as (sorted nodes, edges), by first node."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in chances:
        parent[root(a)] = root(b)
    nodes: dict[int, list[int]] = defaultdict(list)
    edges: dict[int, Edges] = defaultdict(list)
    for node in sorted(parent):
        nodes[root(node)].append(node)
    for (a, b), probability in sorted(chances.items()):
        edges[root(a)].append((a, b, probability))
    return sorted(((nodes[key], edges[key]) for key in nodes), key=lambda item: item[0][0])


def _staying_in_tree(nodes: list[int], edges: Edges) -> dict[int, float]:
    """Exact for a tree: a node stays unless an open path joins it to an earlier node.

    Paths in a tree are unique, so from each node the probability that its part of the tree
    reaches no earlier node multiplies, branch by branch, ``(1 - p) + p * (the branch beyond
    reaches none)``; a branch that starts at an earlier node reaches one for certain.
    """
    neighbours: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for a, b, probability in edges:
        neighbours[a].append((b, probability))
        neighbours[b].append((a, probability))
    staying = {}
    for start in nodes:
        # Post-order over the tree rooted at ``start``: clear[node] is the probability that
        # the open part of node's branch reaches no node earlier than ``start``.
        order: list[tuple[int, int]] = []  # (node, its parent), parents before children
        stack = [(start, -1)]
        while stack:
            node, parent = stack.pop()
            order.append((node, parent))
            if node < start:
                continue  # an earlier node: its branch reaches one whatever lies beyond
            stack.extend((nxt, node) for nxt, _p in neighbours[node] if nxt != parent)
        clear: dict[int, float] = {}
        for node, parent in reversed(order):
            if node < start:
                clear[node] = 0.0
                continue
            value = 1.0
            for child, p in neighbours[node]:
                if child != parent:
                    value *= (1.0 - p) + p * clear[child]
            clear[node] = value
        staying[start] = clear[start]
    return staying


def _heads(nodes: list[int], links: Iterable[tuple[int, int]]) -> list[int]:
    """The first node of each group once ``links`` are merged."""
    parent = {node: node for node in nodes}

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # a group's root is its first node
    return [node for node in nodes if parent[node] == node]


def _staying_enumerated(nodes: list[int], edges: Edges) -> dict[int, float]:
    """Exact by enumeration: every combination of decisions, weighted by its probability."""
    staying = dict.fromkeys(nodes, 0.0)
    for decisions in itertools.product((False, True), repeat=len(edges)):
        weight = 1.0
        for linked, (_a, _b, p) in zip(decisions, edges, strict=True):
            weight *= p if linked else 1.0 - p
        if weight == 0.0:
            continue
        links = [(a, b) for linked, (a, b, _p) in zip(decisions, edges, strict=True) if linked]
        for head in _heads(nodes, links):
            staying[head] += weight
    return staying


def _staying_sampled(
    nodes: list[int], edges: Edges, samples: int, rng: np.random.Generator
) -> dict[int, float]:
    """Monte Carlo: the share of ``samples`` random outcomes in which each node stays.

    The outcomes of a batch of draws are one graph of disjoint copies of the component (copy
    ``s`` numbers its nodes from ``s * n``), whose connected components are found in one call;
    a copy's group stays with its first node, the lowest local index, nodes being sorted.
    """
    size = len(nodes)
    local = {node: index for index, node in enumerate(nodes)}
    a = np.array([local[first] for first, _b, _p in edges], dtype=np.int64)
    b = np.array([local[second] for _a, second, _p in edges], dtype=np.int64)
    chances = np.array([p for _a, _b, p in edges])
    stays = np.zeros(size, dtype=np.int64)
    batch = max(1, 500_000 // max(len(edges), size))
    for start in range(0, samples, batch):
        draws = min(batch, samples - start)
        linked = rng.random((draws, len(edges))) < chances
        copy, edge = np.nonzero(linked)
        offset = copy * size
        graph = coo_matrix(
            (np.ones(len(edge), dtype=np.int8), (offset + a[edge], offset + b[edge])),
            shape=(draws * size, draws * size),
        )
        _count, labels = connected_components(graph, directed=False)
        _labels, firsts = np.unique(labels, return_index=True)
        stays += np.bincount(firsts % size, minlength=size)
    return {node: float(stays[index]) / samples for index, node in enumerate(nodes)}


@dataclass(frozen=True)
class FigurePending:
    """A persons figure while pairs behind it wait: its range and each breakdown cell's.

    ``if_all_linked`` and ``expected`` are shaped like :attr:`engine.Result.breakdowns` (same
    disaggregations, same cells in the same order); the "if none" count of a cell is the cell
    itself. A cell no pair changes has its own value in all three.
    """

    pairs: int
    total: Range
    if_all_linked: Mapping[Disaggregation, Mapping[Cell, int]]
    expected: Mapping[Disaggregation, Mapping[Cell, float]]

    def cell(self, disaggregation: Disaggregation, cell: Cell, value: int) -> Range:
        return Range(
            value,
            self.if_all_linked[disaggregation][cell],
            self.expected[disaggregation][cell],
            self.total.exact,
        )


def figure_pending(
    definition: Definition, result: Result, pairs: Sequence[Pair], **options: int
) -> FigurePending | None:
    """The range of a persons figure and of its cells while ``pairs`` wait; None when no
    pending pair lies between two persons it counts (or it is not a persons figure).

    ``result`` must carry the facts its persons are counted by (:attr:`Result.first_facts`,
    as :func:`engine.compute` fills it); ``options`` are :func:`person_standing`'s.
    """
    if result.unit is not Unit.PERSONS or not pairs or not result.value:
        return None
    if len(result.first_facts) != result.value:
        raise ValueError(
            f"indicator {result.code!r}: the result does not name the persons it counts "
            "(compute it with engine.compute)"
        )
    persons = [fact.person for fact in result.first_facts]
    standing = person_standing(persons, pairs, **options)
    if not standing.pairs:
        return None
    # Only the persons of a pair move a count: each cell starts from its own value and loses
    # what its persons of a pair may lose, so a figure of thousands costs what its pairs cost.
    touched = [fact for fact in result.first_facts if fact.person in standing.staying]
    if_all: dict[Disaggregation, Mapping[Cell, int]] = {}
    expected: dict[Disaggregation, Mapping[Cell, float]] = {}
    for disaggregation, cells in result.breakdowns.items():
        lowest = {cell: int(value) for cell, value in cells.items()}
        average = {cell: float(value) for cell, value in cells.items()}
        for fact in touched:
            cell = fact_cell(definition, fact, disaggregation)
            lowest[cell] -= fact.person in standing.absorbed
            average[cell] -= 1.0 - standing.staying[fact.person]
        if_all[disaggregation] = MappingProxyType(lowest)
        expected[disaggregation] = MappingProxyType(
            {
                cell: min(float(cells[cell]), max(float(lowest[cell]), value))
                for cell, value in average.items()
            }
        )
    return FigurePending(
        pairs=standing.pairs,
        total=standing.range_of_all(len(persons)),
        if_all_linked=MappingProxyType(if_all),
        expected=MappingProxyType(expected),
    )
