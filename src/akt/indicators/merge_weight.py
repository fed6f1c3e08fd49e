"""How many reported figures linking a group of persons would move: the review queue's order.

The review page (:mod:`akt.linkage.clusters`) shows the clusters of pending pairs most
consequential first. A cluster's consequence is the number of persons indicators (the unique
person figures the program reports) that count two or more of its persons over the life of the
project: linking them lowers each such figure by at least one. Computed from the same results
the pages show (:func:`results_compute`), once for every cluster of the page. Registered with
the linkage app when this app is ready (the linkage app sits below this one and may not import
it).
"""

from __future__ import annotations

from collections.abc import Sequence

from akt.counting.engine import Unit
from akt.indicators.models import Indicator
from akt.indicators.selectors import results_compute


def figures_moved(clusters: Sequence[frozenset[int]]) -> list[int]:
    """For each cluster (canonical person ids), the persons figures it holds two persons of."""
    if not clusters:
        return []
    indicators = list(Indicator.objects.active().filter(unit=Unit.PERSONS.value))
    if not indicators:
        return [0] * len(clusters)
    try:
        values = results_compute(indicators=indicators)
    except LookupError:  # no program loaded: nothing is reported yet
        return [0] * len(clusters)
    counted = [set(value.counted()) for value in values]
    return [sum(1 for persons in counted if len(cluster & persons) >= 2) for cluster in clusters]
