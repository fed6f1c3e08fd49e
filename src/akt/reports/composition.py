"""Reads behind the "Community composition" page: mixed activities and representation.

The numbers come from the pure functions in :mod:`akt.counting.composition`, fed by
:mod:`akt.indicators.composition_reader` for the chosen period within the viewer's engine scope
(a focal point's figures are their municipality's only). This module puts them into the reader's
words and builds the link behind every figure: the activities it counts, listed by
:func:`composition_records` and filtered again through the viewer's :class:`Scope`, as the
indicator drill-down does. Every read is a fixed number of queries, however many records.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlencode

from babel.numbers import format_decimal, format_percent
from django import forms
from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from akt.accounts.scope import Scope
from akt.activities.models import Activity, ActivityKind
from akt.counting.composition import (
    DEFAULT_MIN_HEADCOUNT,
    DEFAULT_THRESHOLD,
    NON_MAJORITY,
    ActivityComposition,
    Missing,
    MixedActivities,
    MixSummary,
    MunicipalityRepresentation,
    PopulationShare,
    RepresentationRow,
    Unit,
    Verdict,
    mixed_activities,
    representation,
)
from akt.counting.suppression import suppress_lines
from akt.indicators.composition_reader import (
    CompositionInput,
    composition_input,
    majority_communities,
    population_shares,
)
from akt.indicators.sentences import format_value
from akt.places.models import Community, Municipality, PopulationSource
from akt.reports.forms import ResultsChoice
from akt.reports.selectors import RECORDS_PER_PAGE, reading_key
from akt.reports.small_numbers import suppressed_mark
from akt.text.locales import babel_locale

THRESHOLD_CHOICES = (5, 10, 15, 20, 25, 30, 40, 50)  # percent
MIN_HEADCOUNT_CHOICES = (1, 2, 3, 5)
NON_MAJORITY_KEY = "non-majority"  # the drill-down's name for the non-majority communities


# --- The rule the reader chose ----------------------------------------------------------------


class CompositionRuleForm(forms.Form):
    """The counting choices of the composition page, read from the address like the period."""

    unit = forms.ChoiceField(
        label=gettext_lazy("Participants counted as"),
        required=False,
        choices=[
            (Unit.PERSONS.value, gettext_lazy("Persons (each once)")),
            (Unit.ATTENDANCES.value, gettext_lazy("Attendances (each time)")),
        ],
    )
    threshold = forms.TypedChoiceField(
        label=gettext_lazy("Presence threshold"), required=False, coerce=int
    )
    min_headcount = forms.TypedChoiceField(
        label=gettext_lazy("Minimum people per community"), required=False, coerce=int
    )

    def __init__(self, data: QueryDict, *, language: str) -> None:
        super().__init__(data)
        locale = babel_locale(language)
        self.fields["threshold"].choices = [
            (n, format_percent(Decimal(n) / 100, locale=locale)) for n in THRESHOLD_CHOICES
        ]
        self.fields["min_headcount"].choices = [
            (n, ngettext("%(count)s person", "%(count)s people", n) % {"count": n})
            for n in MIN_HEADCOUNT_CHOICES
        ]


@dataclass(frozen=True)
class CompositionRule:
    """The rule and unit the page is computed with, and the address parameters that carry them."""

    form: CompositionRuleForm
    unit: Unit
    threshold: Fraction
    min_headcount: int
    params: dict[str, str]  # only what differs from the defaults


def composition_rule(data: QueryDict, language: str) -> CompositionRule:
    """Reads the unit, threshold and minimum headcount; a value that is not offered falls back
    to the default (persons, 10%, one person) and the form carries the error."""
    values = data.copy()  # the defaults filled in, so the menus show what is counted
    for name, default in (
        ("unit", Unit.PERSONS.value),
        ("threshold", str(int(DEFAULT_THRESHOLD * 100))),
        ("min_headcount", str(DEFAULT_MIN_HEADCOUNT)),
    ):
        if not values.get(name):
            values[name] = default
    form = CompositionRuleForm(values, language=language)
    form.is_valid()  # a field in error is left out of cleaned_data; the others still count
    cleaned = form.cleaned_data
    unit = Unit(cleaned.get("unit") or Unit.PERSONS)
    percent = cleaned.get("threshold") or int(DEFAULT_THRESHOLD * 100)
    min_headcount = cleaned.get("min_headcount") or DEFAULT_MIN_HEADCOUNT
    params: dict[str, str] = {}
    if unit is not Unit.PERSONS:
        params["unit"] = unit.value
    if Fraction(percent, 100) != DEFAULT_THRESHOLD:
        params["threshold"] = str(percent)
    if min_headcount != DEFAULT_MIN_HEADCOUNT:
        params["min_headcount"] = str(min_headcount)
    return CompositionRule(form, unit, Fraction(percent, 100), min_headcount, params)


def _params(choice: ResultsChoice, rule: CompositionRule, **extra: object) -> dict[str, str]:
    """The address parameters of a page for this choice and rule, plus ``extra``."""
    params = dict(QueryDict(choice.query.lstrip("?")).items())
    params.update(rule.params)
    params.update({key: str(value) for key, value in extra.items() if value is not None})
    return params


def _query(params: Mapping[str, str]) -> str:
    return f"?{urlencode(params)}" if params else ""


# --- Computing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Computed:
    """The composition figures of one period and scope, before they are put into words."""

    data: CompositionInput
    mixed: MixedActivities
    represented: dict[int, MunicipalityRepresentation]


def composition_compute(
    choice: ResultsChoice, rule: CompositionRule, municipalities: Mapping[int, Municipality]
) -> Computed:
    """Mixed activities and representation for the chosen period, place and rule.

    Representation covers the municipalities in the viewer's scope (or the one chosen); with no
    place chosen, the partner municipalities and any other where an activity was held.
    """
    scope = choice.engine_scope
    data = composition_input(choice.window, scope)
    mixed = mixed_activities(
        data.activities,
        data.attendance,
        threshold=rule.threshold,
        min_headcount=rule.min_headcount,
        undeclared=data.undeclared,
    )
    if scope.municipalities is None:
        places = {pk for pk, m in municipalities.items() if m.is_partner}
        places |= {a.municipality for a in data.activities if a.municipality is not None}
    else:
        places = set(scope.municipalities)
    represented = representation(
        data.activities,
        data.attendance,
        population_shares(scope),
        majority_communities(dict(municipalities)),
        unit=rule.unit,
        undeclared=data.undeclared,
        municipalities=places,
    )
    return Computed(data, mixed, represented)


# --- In the reader's words --------------------------------------------------------------------


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def percent(value: Fraction | None, language: str) -> str:
    """A share as a percentage with one or two decimals ("9.44%", "75.0%"), as precise as the
    census tables it is read beside; "" when there is none."""
    if value is None:
        return ""
    return format_percent(_decimal(value), format="#,##0.0#%", locale=babel_locale(language))


def share_of_activities(value: Fraction | None, language: str) -> str:
    """A share of activities, to at most one decimal ("64.4%", "75%"); "" when there is none."""
    if value is None:
        return ""
    return format_percent(_decimal(value), format="#,##0.#%", locale=babel_locale(language))


def ratio(value: Fraction | None, language: str) -> str:
    """A representation ratio with two decimals ("1.48"); "" when there is none."""
    if value is None:
        return ""
    return format_decimal(_decimal(value), format="#,##0.00", locale=babel_locale(language))


@dataclass(frozen=True)
class Cell:
    """A figure as shown, and the address of the activities behind it ("" when there are none)."""

    shown: str
    href: str


@dataclass(frozen=True)
class MixLine:
    label: str
    activities: Cell
    mixed: Cell
    not_mixed: Cell
    undetermined: Cell
    share: str  # share mixed of the activities judged, "" when none could be judged
    bar: int  # the share in whole percent, for the bar beside it

    @property
    def cells(self) -> list[Cell]:
        return [self.activities, self.mixed, self.not_mixed, self.undetermined]


@dataclass(frozen=True)
class RepresentationLine:
    label: str
    participants: Cell
    participants_share: str
    population_share: str  # "" when not known
    ratio: str  # "" when not given
    missing: str  # why there is no ratio, in words; "" when there is one
    explain: bool  # whether the reason is worth a line of its own ("not known" speaks for itself)
    in_place_of_ratio: str  # "not known" when a population share is missing, else a dash
    source: str  # "Census, 2011"; "" without a figure
    is_majority: bool


@dataclass(frozen=True)
class RepresentationTable:
    municipality: Municipality
    lines: list[RepresentationLine]
    together: RepresentationLine
    participants: str
    unknown: str
    tally_headcount: str  # "" unless persons are counted and headcount sheets exist
    has_population: bool


@dataclass(frozen=True)
class SourceLine:
    municipality: str
    community: str
    source: str
    population: str
    share: str
    citation: str
    note: str
    order: int  # the community's usual place in lists


@dataclass(frozen=True)
class CompositionPage:
    overall: MixLine
    overall_lines: list[MixLine]
    by_municipality: list[MixLine]
    by_kind: list[MixLine]
    tables: list[RepresentationTable]
    sources: list[SourceLine]
    threshold: str
    min_headcount: int
    min_known_share: str


def missing_text(missing: Missing | None) -> str:
    """Why a ratio is not given, in words."""
    texts = {
        Missing.POPULATION_NOT_KNOWN: _("No published population figure for this community."),
        Missing.MAJORITY_NOT_KNOWN: _(
            "The majority community's share of the population is not published."
        ),
        Missing.POPULATION_SHARE_ZERO: _("The published population share is 0."),
        Missing.NO_PARTICIPANTS: _("No participant here declared a community."),
    }
    return "" if missing is None else texts[missing]


def source_text(figure: PopulationShare | None) -> str:
    if figure is None:
        return ""
    label = PopulationSource(figure.source).label
    return _("%(source)s, %(year)s") % {"source": label, "year": figure.year}


def verdict_label(verdict: Verdict) -> str:
    return {
        Verdict.MIXED: _("Mixed"),
        Verdict.NOT_MIXED: _("Not mixed"),
        Verdict.UNDETERMINED: _("Too little community data"),
    }[verdict]


def _drill(params: Mapping[str, str]) -> str:
    return reverse("reports:composition_activities") + _query(params)


def _mix_line(label: str, summary: MixSummary, params: dict[str, str], language: str) -> MixLine:
    def cell(count: int, verdict: str | None) -> Cell:
        shown = format_value(count, language)
        if not count:
            return Cell(shown, "")
        return Cell(shown, _drill({**params, **({"verdict": verdict} if verdict else {})}))

    share = summary.share_mixed
    return MixLine(
        label=label,
        activities=cell(summary.activities, None),
        mixed=cell(summary.mixed, Verdict.MIXED.value),
        not_mixed=cell(summary.not_mixed, Verdict.NOT_MIXED.value),
        undetermined=cell(summary.undetermined, Verdict.UNDETERMINED.value),
        share=share_of_activities(share, language),
        bar=0 if share is None else round(share * 100),
    )


def _representation_line(
    row: RepresentationRow,
    label: str,
    params: dict[str, str],
    language: str,
) -> RepresentationLine:
    key = NON_MAJORITY_KEY if row.community is NON_MAJORITY else row.community
    href = _drill({**params, "community": key}) if row.activities else ""
    return RepresentationLine(
        label=label,
        participants=Cell(format_value(row.participants, language), href),
        participants_share=percent(row.participants_share, language),
        population_share=percent(row.population_share, language),
        ratio=ratio(row.ratio, language),
        missing=missing_text(row.missing),
        explain=row.missing not in (None, Missing.POPULATION_NOT_KNOWN),
        in_place_of_ratio=(
            _("not known")
            if row.missing in (Missing.POPULATION_NOT_KNOWN, Missing.MAJORITY_NOT_KNOWN)
            else "–"
        ),
        source=source_text(row.population),
        is_majority=row.is_majority,
    )


Hidden = frozenset[tuple[object, ...]]
"""Counts of the composition hidden from a reader who does not see persons:
``("municipality", id, community)``, with ``NON_MAJORITY_KEY`` for the non-majority line."""


def hidden_composition(computed: Computed, threshold: int | None) -> Hidden:
    """The small counts of a community's participants in a municipality, hidden with enough
    others that none can be worked out (:mod:`akt.counting.suppression`): the communities add
    up to the municipality's participants, shown, and its non-majority communities to their
    line. (An activity's own counts by community are not shown to such a reader at all: a
    meeting of two names both their communities, whatever is hidden.)"""
    if threshold is None:
        return frozenset()
    values: dict[tuple[object, ...], int] = {}
    lines: list[tuple[list[tuple[object, ...]], tuple[object, ...]]] = []
    fixed: set[tuple[object, ...]] = set()
    for pk, found in computed.represented.items():
        total = ("municipality", pk, "")
        values[total] = found.participants
        fixed.add(total)
        parts: list[tuple[object, ...]] = []
        others: list[tuple[object, ...]] = []
        for row in found.rows:
            entry = ("municipality", pk, row.community)
            values[entry] = row.participants
            parts.append(entry)
            if not row.is_majority:
                others.append(entry)
        together = ("municipality", pk, NON_MAJORITY_KEY)
        values[together] = found.non_majority.participants
        lines.append((parts, total))
        lines.append((others, together))
    return suppress_lines(values, lines, threshold, fixed=fixed).suppressed


def _shown_line(
    line: RepresentationLine, entry: tuple[object, ...], hidden: Hidden, threshold: int | None
) -> RepresentationLine:
    """A representation line as a reader who does not see persons is shown it: no link into
    the named activities, and a hidden count without its share or ratio, which would give it."""
    if threshold is None:
        return line
    if entry not in hidden:
        return dataclasses.replace(line, participants=Cell(line.participants.shown, ""))
    return dataclasses.replace(
        line,
        participants=Cell(suppressed_mark(), ""),
        participants_share="",
        ratio="",
        missing="",
        explain=False,
    )


def composition_page(
    computed: Computed,
    *,
    choice: ResultsChoice,
    rule: CompositionRule,
    municipalities: Mapping[int, Municipality],
    communities: Mapping[str, Community],
    language: str,
    small_cells: int | None = None,
) -> CompositionPage:
    """The page's tables: mixed activities overall, by municipality and by kind; representation
    per municipality (by name), communities in their usual order after the majority. With
    ``small_cells`` (a reader who does not see persons), small counts of a community's
    participants are hidden (:func:`hidden_composition`) and no count opens into activities."""
    hidden = hidden_composition(computed, small_cells)
    mixed = computed.mixed
    base = _params(choice, rule)
    kinds = dict(ActivityKind.choices)
    community_order = {code: rank for rank, code in enumerate(communities)}

    def name(pk: int | None) -> str:
        return municipalities[pk].name if pk in municipalities else _("Unknown")

    by_municipality = sorted(
        (
            _mix_line(name(pk), summary, {**base, "municipality": str(pk)}, language)
            for pk, summary in mixed.by_municipality.items()
            if pk is not None
        ),
        key=lambda line: reading_key(line.label),
    )
    if choice.engine_scope.municipalities is not None:
        # The place is fixed by the scope or the choice: a line per municipality would repeat it.
        by_municipality = by_municipality if len(mixed.by_municipality) > 1 else []
    by_kind = [
        _mix_line(str(kinds.get(kind, kind)), summary, {**base, "kind": kind}, language)
        for kind, summary in mixed.by_kind.items()
    ]

    tables = []
    sources: dict[tuple[int, str, int], PopulationShare] = {}
    for pk, found in computed.represented.items():
        params = {**base, "municipality": str(pk)}
        rows = sorted(
            found.rows,
            key=lambda r: (not r.is_majority, community_order.get(r.community or "", 99)),
        )
        lines = []
        for row in rows:
            label = communities[row.community].name if row.community in communities else ""
            line = _representation_line(row, label or str(row.community), params, language)
            lines.append(
                _shown_line(line, ("municipality", pk, row.community), hidden, small_cells)
            )
            if row.population is not None:
                figure = row.population
                sources[(pk, figure.community, figure.year)] = figure
        together = _shown_line(
            _representation_line(
                found.non_majority, _("Non-majority communities together"), params, language
            ),
            ("municipality", pk, NON_MAJORITY_KEY),
            hidden,
            small_cells,
        )
        tally = ""
        if found.unit is Unit.PERSONS and found.tally_headcount:
            tally = format_value(found.tally_headcount, language)
        tables.append(
            RepresentationTable(
                municipality=municipalities[pk],
                lines=lines,
                together=together,
                participants=format_value(found.participants, language),
                unknown=format_value(found.unknown, language),
                tally_headcount=tally,
                has_population=any(row.population is not None for row in found.rows),
            )
        )
    tables.sort(key=lambda table: reading_key(table.municipality.name))

    source_lines = [
        SourceLine(
            municipality=name(figure.municipality),
            community=communities[figure.community].name,
            source=source_text(figure),
            population=""
            if figure.population is None
            else format_value(figure.population, language),
            share=percent(figure.share, language),
            citation=figure.citation,
            note=figure.note,
            order=community_order.get(figure.community, 99),
        )
        for figure in sources.values()
    ]
    source_lines.sort(key=lambda line: (reading_key(line.municipality), line.order))
    overall = _mix_line(_("All activities"), mixed.overall, base, language)
    return CompositionPage(
        overall=overall,
        overall_lines=[overall],
        by_municipality=by_municipality,
        by_kind=by_kind,
        tables=tables,
        sources=source_lines,
        threshold=format_percent(_decimal(mixed.rule.threshold), locale=babel_locale(language)),
        min_headcount=mixed.rule.min_headcount,
        min_known_share=format_percent(
            _decimal(mixed.rule.min_known_share), locale=babel_locale(language)
        ),
    )


# --- Drill-down: the activities behind a figure -----------------------------------------------


class CompositionFilterForm(forms.Form):
    """Which figure's activities to list: a verdict, a kind, or a community's participants."""

    verdict = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(required=False, choices=[("", "")] + list(ActivityKind.choices))
    community = forms.CharField(required=False, max_length=40)

    def __init__(self, data: QueryDict, *, communities: Iterable[str]) -> None:
        super().__init__(data)
        self.fields["verdict"].choices = [("", ""), *((v.value, v.value) for v in Verdict)]
        self.known_communities = {*communities, NON_MAJORITY_KEY}

    def clean_community(self) -> str:
        code = self.cleaned_data.get("community") or ""
        if code and code not in self.known_communities:
            raise forms.ValidationError(_("No community has this code."))
        return code


@dataclass(frozen=True)
class ActivityLine:
    activity: Activity
    municipality: str
    counted: str  # the attendance counted for composition (declared and not)
    communities: str  # "Serb 12, Albanian 3"
    unknown: str
    verdict: str
    behind: str  # a community's participants at it (representation figures); "" otherwise


@dataclass(frozen=True)
class CompositionRecords:
    title: str
    page: Page
    lines: list[ActivityLine]
    total: int  # activities behind the figure
    hidden: int  # of them, outside what the viewer may open
    back: str  # the composition page for the same choice
    query: str  # this list's own address parameters, for its pages


def _behind(computed: Computed, verdict: str, kind: str, community: str) -> dict[int, int | None]:
    """The activities behind a figure, each with the attendance behind it (None: not counted by
    attendance, as for a verdict)."""
    if community:
        behind: dict[int, int | None] = {}
        for found in computed.represented.values():
            if community == NON_MAJORITY_KEY:
                rows = [found.non_majority]
            else:
                rows = [row for row in found.rows if row.community == community]
            for row in rows:
                for activity, n in row.activities.items():
                    behind[activity] = (behind.get(activity) or 0) + n
        return behind
    items: Iterable[ActivityComposition] = computed.mixed.activities.values()
    if kind:
        items = [item for item in items if item.kind == kind]
    if verdict:
        items = [item for item in items if item.verdict == verdict]
    return {item.activity: None for item in items}


def _records_title(
    verdict: str, kind: str, community: str, communities: Mapping[str, Community]
) -> str:
    if community == NON_MAJORITY_KEY:
        return _("Activities with participants of non-majority communities")
    if community:
        return _("Activities with participants of the %(community)s community") % {
            "community": communities[community].name
        }
    titles = {
        Verdict.MIXED.value: _("Mixed activities"),
        Verdict.NOT_MIXED.value: _("Activities that were not mixed"),
        Verdict.UNDETERMINED.value: _("Activities with too little community data to judge"),
        "": _("All activities"),
    }
    title = titles[verdict]
    if kind:
        return _("%(title)s: %(kind)s") % {"title": title, "kind": ActivityKind(kind).label}
    return title


def composition_records(
    computed: Computed,
    *,
    filters: CompositionFilterForm,
    choice: ResultsChoice,
    rule: CompositionRule,
    viewer: Scope,
    page_number: str | None,
    municipalities: Mapping[int, Municipality],
    communities: Mapping[str, Community],
    language: str,
    small_cells: int | None = None,
) -> CompositionRecords:
    """The activities behind one figure of the composition page that ``viewer`` may open.

    The ids come from the same computation as the figure; the list is filtered again through the
    viewer's scope (component staff see totals of every component, but open only their own).
    With ``small_cells`` (a reader who does not see persons), an activity's counts by community
    are not shown (:func:`hidden_composition` says why).
    """

    def count(n: int) -> str:
        return suppressed_mark() if small_cells is not None else format_value(n, language)

    verdict = filters.cleaned_data.get("verdict") or ""
    kind = filters.cleaned_data.get("kind") or ""
    community = filters.cleaned_data.get("community") or ""
    behind = _behind(computed, verdict, kind, community)
    qs = viewer.activities(Activity.objects.filter(pk__in=list(behind)))
    page = Paginator(qs, RECORDS_PER_PAGE).get_page(page_number)
    lines = []
    for activity in page.object_list:
        item = computed.mixed.activities[activity.pk]
        counts = suppressed_mark()
        if small_cells is None:
            counts = ", ".join(
                _("%(community)s %(count)s")
                % {
                    "community": communities[code].name if code in communities else code,
                    "count": format_value(n, language),
                }
                for code, n in item.counts.items()
            )
        attendance = behind.get(activity.pk)
        lines.append(
            ActivityLine(
                activity=activity,
                municipality=municipalities[activity.municipality_id].name,
                counted=format_value(item.total, language),
                communities=counts,
                unknown=count(item.unknown),
                verdict=verdict_label(item.verdict),
                behind="" if attendance is None else format_value(attendance, language),
            )
        )
    return CompositionRecords(
        title=_records_title(verdict, kind, community, communities),
        page=page,
        lines=lines,
        total=len(behind),
        hidden=max(len(behind) - page.paginator.count, 0),
        back=reverse("reports:composition") + _query(_params(choice, rule)),
        query=_query(
            _params(
                choice,
                rule,
                verdict=verdict or None,
                kind=kind or None,
                community=community or None,
            )
        ),
    )


def communities_by_code() -> dict[str, Community]:
    """Every community in its usual order (one query): labels and the order of table rows."""
    return {community.code: community for community in Community.objects.all()}
