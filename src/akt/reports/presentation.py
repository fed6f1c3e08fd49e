"""How a report shows its splits: in another scheme of categories, small categories together.

Two choices a reader makes in the address, for the indicator page and the tracking table:

- ``scheme=<code>``: a dimension read in a :class:`DisaggregationScheme` (Roma, Ashkali and
  Egyptian together, say); the records' own categories roll into it through its mapping.
- ``small=<n>``: categories whose life-of-project figure is below ``n`` shown together as
  "other", so a table of many thin rows stays readable and no one is singled out.

Neither changes a total: every value moves to exactly one category of the new list
(:func:`akt.counting.engine.merge_small_cells`, :class:`akt.counting.engine.Recoding`). Sex
and age bands are never merged (their categories are few and fixed), nor is "unknown".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from akt.counting import engine
from akt.indicators.models import DisaggregationScheme
from akt.text.numbers import parse_whole_number

SMALL_CHOICES = (0, 5, 10, 20, 50)
"""The thresholds offered for putting small categories together (0: never)."""

NEVER_MERGED = frozenset({"sex", "age_band"})

Breakdowns = Mapping[engine.Disaggregation, Mapping[engine.Cell, int | Decimal]]


@dataclass(frozen=True)
class Presentation:
    schemes: tuple[DisaggregationScheme, ...] = ()
    small: int = 0

    @property
    def active(self) -> bool:
        return bool(self.schemes or self.small)

    def query(self) -> str:
        """The choice as address parameters, to carry into links (``""`` when none)."""
        parts = [f"scheme={scheme.code}" for scheme in self.schemes]
        if self.small:
            parts.append(f"small={self.small}")
        return "&".join(parts)


def presentation_from(query: Mapping[str, object]) -> Presentation:
    """The reader's choice from the address; unknown schemes and thresholds are ignored."""
    asked = query.getlist("scheme") if hasattr(query, "getlist") else [query.get("scheme")]
    codes = [str(code) for code in asked if code]
    schemes = tuple(DisaggregationScheme.objects.filter(code__in=codes)) if codes else ()
    by_dimension = {scheme.dimension: scheme for scheme in schemes}  # one scheme per dimension
    small = parse_whole_number(query.get("small"))
    threshold = small if small in SMALL_CHOICES else 0
    return Presentation(schemes=tuple(by_dimension.values()), small=threshold)


def _positions(key: engine.Disaggregation, dimension: str) -> list[int | None]:
    if isinstance(key, str):
        return [None] if key == dimension else []
    return [index for index, part in enumerate(key) if part == dimension]


def _recode(breakdowns: Breakdowns, recodings: Mapping[str, engine.Recoding]) -> dict:
    out: dict = {}
    for key, cells in breakdowns.items():
        recoded = dict(cells)
        for dimension, recoding in recodings.items():
            for position in _positions(key, dimension):
                recoded = recoding.cells(recoded, position=position)
        out[key] = recoded
    return out


def presenter(presentation: Presentation, reference: Breakdowns) -> Presenter:
    """What to do to every breakdown of one indicator: its schemes, then the small categories
    of ``reference`` (its life-of-project breakdowns, so every column merges the same ones)."""
    schemes = {scheme.dimension: scheme.recoding() for scheme in presentation.schemes}
    merges: dict[str, engine.Recoding] = {}
    if presentation.small:
        for key, cells in _recode(reference, schemes).items():
            if not isinstance(key, str) or key in NEVER_MERGED:
                continue
            merged = engine.merge_small_cells(cells, below=presentation.small)
            if list(merged) == list(cells):
                continue
            kept = tuple(code for code in merged if code != engine.UNKNOWN)
            gone = {code: engine.OTHER for code in cells if code not in merged}
            merges[key] = engine.Recoding(dimension=key, scheme=kept, mapping=gone)
    return Presenter(schemes, merges)


@dataclass(frozen=True)
class Presenter:
    schemes: Mapping[str, engine.Recoding]
    merges: Mapping[str, engine.Recoding]

    def __call__(self, breakdowns: Breakdowns) -> dict:
        return _recode(_recode(breakdowns, self.schemes), self.merges)

    def changes(self, dimension: str) -> bool:
        return dimension in self.schemes or dimension in self.merges


def presented_labels(
    labels: Mapping[str, Mapping[str, str]],
    presentation: Presentation,
    language: str,
    dimensions: Iterable[str] = (),
) -> dict[str, dict[str, str]]:
    """The cell labels with each scheme's own categories, and "other" for merged ones."""
    out = {name: dict(values) for name, values in labels.items()}
    for scheme in presentation.schemes:
        out[scheme.dimension] = scheme.category_labels(language)
    for name in {*out, *dimensions}:
        out.setdefault(name, {})[engine.OTHER] = _("Other (small categories together)")
    return out
