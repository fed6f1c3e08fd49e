"""Reading the results framework as a tree, with the indicators that measure each result.

Two queries whatever the size of the framework (the results, the indicators); the tree is
assembled by ``build_tree``, a pure function over the rows, tested without a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from akt.indicators.models import FrameworkResult, Indicator, ResultLevel

# ADS 201: every intermediate and sub-intermediate result needs at least one indicator.
LEVELS_NEEDING_INDICATORS = frozenset({ResultLevel.INTERMEDIATE, ResultLevel.SUB_INTERMEDIATE})


@dataclass
class ResultNode:
    """One result of the framework, the results under it and the indicators measuring it."""

    result: FrameworkResult
    children: list[ResultNode] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    depth: int = 0

    @property
    def lacks_indicator(self) -> bool:
        """True for an IR or sub-IR that no indicator measures yet (ADS 201 asks for one)."""
        return self.result.level in LEVELS_NEEDING_INDICATORS and not self.indicators


@dataclass(frozen=True)
class Framework:
    """The framework's roots (normally the goal) and the indicators attached to no result."""

    roots: list[ResultNode]
    unattached: list[Indicator]

    def walk(self) -> Iterable[ResultNode]:
        """Every node, depth first, in the framework's order."""
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


def build_tree(results: Iterable[FrameworkResult], indicators: Iterable[Indicator]) -> Framework:
    """Arranges results under their parents and indicators under the result they measure.

    Keeps the order the rows come in (the framework's order). A result whose parent is not among
    ``results`` becomes a root, so a partial list still shows everything it holds.
    """
    nodes = {result.pk: ResultNode(result) for result in results}
    by_result: dict[int | None, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        key = indicator.result_measured_id if indicator.result_measured_id in nodes else None
        by_result[key].append(indicator)
    roots: list[ResultNode] = []
    for node in nodes.values():
        node.indicators = by_result.get(node.result.pk, [])
        parent = nodes.get(node.result.parent_id)
        (parent.children if parent is not None else roots).append(node)
    framework = Framework(roots=roots, unattached=by_result.get(None, []))
    for root in roots:
        _set_depth(root, 0)
    return framework


def _set_depth(node: ResultNode, depth: int) -> None:
    node.depth = depth
    for child in node.children:
        _set_depth(child, depth + 1)


def framework_tree() -> Framework:
    """The whole framework with the active indicators, in two queries."""
    results = list(FrameworkResult.objects.order_by("sort_order", "code"))
    indicators = list(Indicator.objects.active())
    return build_tree(results, indicators)
