"""The property tax follow-up: did municipalities collect more once their finance officers were
trained?

For each municipality whose finance officers took part in an activity on property tax (a roster
row of an activity with the topic ``property-tax`` whose own affiliation, what the person was when
they attended, is ``finance_officer``), the year of the first such activity, and per calendar
year the property tax the municipality billed and collected (the entered indicators
``property-tax-billed`` and ``property-tax-collected``) and the collection rate, collected ÷
billed. The mean of the yearly rates before the training year is set against the mean after it;
the training year itself belongs to neither, as the training took place during it.

An officer's municipality is the one of the office they attended for, else of their own
organization, else where they live, else where the activity was held: the trainings were
regional, one municipality hosting the officers of several. Only municipal aggregates are read
and shown: how many officers were trained, never who.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal
from django.db.models import Count, Min
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from akt.activities.models import Attendance, AttendanceRole
from akt.counting.periods import Period, PeriodKind
from akt.indicators.models import OutcomeValue
from akt.indicators.sentences import format_value
from akt.people.models import Affiliation
from akt.places.models import Municipality
from akt.reports import charts
from akt.reports.selectors import percent_text, reading_key
from akt.text.locales import babel_locale
from akt.text.script import latin_to_cyrillic

BILLED = "property-tax-billed"
COLLECTED = "property-tax-collected"
TOPIC = "property-tax"
CURRENCY = "EUR"


@dataclass(frozen=True)
class Year:
    """One calendar year of one municipality: what it billed and collected, and the rate."""

    year: int
    billed: Decimal | None
    collected: Decimal | None

    @property
    def rate(self) -> Decimal | None:
        """Collected as a percentage of billed; None unless both are known and billed > 0."""
        if self.billed is None or self.collected is None or not self.billed:
            return None
        return self.collected * 100 / self.billed


@dataclass(frozen=True)
class FollowUp:
    """One trained municipality's property tax, year by year, around its training year."""

    municipality: Municipality
    trained_in: int  # the calendar year of the first training of its finance officers
    officers: int  # how many of its finance officers were trained (distinct persons)
    years: tuple[Year, ...]

    def _mean(self, years: Sequence[Year]) -> Decimal | None:
        rates = [year.rate for year in years if year.rate is not None]
        return sum(rates, Decimal(0)) / len(rates) if rates else None

    @property
    def before(self) -> Decimal | None:
        """The mean of the yearly collection rates before the training year."""
        return self._mean([year for year in self.years if year.year < self.trained_in])

    @property
    def after(self) -> Decimal | None:
        """The mean of the yearly collection rates after the training year."""
        return self._mean([year for year in self.years if year.year > self.trained_in])

    @property
    def change(self) -> Decimal | None:
        """After minus before, in percentage points; None unless both are known."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def trained_municipalities(places: frozenset[int] | None) -> dict[int, tuple[int, int]]:
    """``{municipality id: (year of the first training, officers trained)}`` for the
    municipalities among ``places`` (None: all) whose finance officers took part in an activity
    on property tax that counts (not voided). One query."""
    rows = (
        Attendance.objects.filter(
            activity__voided_at__isnull=True,
            activity__topics__code=TOPIC,
            affiliation=Affiliation.FINANCE_OFFICER,
            role=AttendanceRole.PARTICIPANT,
        )
        .annotate(
            home=Coalesce(
                "organization__municipality_id",
                "person__organization__municipality_id",
                "person__municipality_id",
                "activity__municipality_id",
            ),
            officer=Coalesce("person__identity_id", "person_id"),
        )
        .values("home")
        .annotate(first=Min("activity__start_date"), officers=Count("officer", distinct=True))
        .order_by()
    )
    if places is not None:
        rows = rows.filter(home__in=list(places))
    return {row["home"]: (row["first"].year, row["officers"]) for row in rows}


def _entered_by_year(places: list[int]) -> dict[tuple[int, int], dict[str, Decimal]]:
    """``{(municipality id, year): {indicator code: amount}}``: the calendar-year values of
    both indicators that count, summed over their categories. One query."""
    found: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    rows = (
        OutcomeValue.objects.counted()
        .filter(indicator__code__in=[BILLED, COLLECTED], municipality_id__in=places)
        .values_list("municipality_id", "period_key", "indicator__code", "value")
    )
    for municipality, key, code, value in rows:
        period = Period.from_key(key)
        if period.kind != PeriodKind.CALENDAR_YEAR:
            continue
        amounts = found[(municipality, period.year)]
        amounts[code] = amounts.get(code, Decimal(0)) + value
    return found


def property_tax_follow_up(
    places: frozenset[int] | None, municipalities: Mapping[int, Municipality]
) -> list[FollowUp]:
    """Every trained municipality among ``places`` (None: all), by name, each with the same
    years: every calendar year any of them has a value for (a year missing in one is shown as
    missing, not left out)."""
    trained = trained_municipalities(places)
    entered = _entered_by_year(list(trained))
    years = sorted({year for _place, year in entered})
    found = []
    for pk, (trained_in, officers) in trained.items():
        rows = tuple(
            Year(year, entered.get((pk, year), {}).get(BILLED),
                 entered.get((pk, year), {}).get(COLLECTED))
            for year in years
        )  # fmt: skip
        found.append(FollowUp(municipalities[pk], trained_in, officers, rows))
    return sorted(found, key=lambda item: reading_key(item.municipality.name))


# --- In the reader's words ------------------------------------------------------------------------


@dataclass(frozen=True)
class YearShown:
    year: int
    billed: str
    collected: str
    rate: str
    training: bool  # the training year (in neither mean)


@dataclass(frozen=True)
class FollowUpShown:
    follow_up: FollowUp
    anchor: str  # the id of the municipality's section and table
    years: list[YearShown]
    officers: str
    before: str
    after: str
    change: str
    chart: charts.ShownChart | None


def points_text(points: Decimal | None, language: str) -> str:
    """A change in percentage points, signed, to one decimal ("+12.5"); "" for none."""
    if points is None:
        return ""
    text = format_decimal(points, format="+#,##0.0;-#,##0.0", locale=babel_locale(language))
    return latin_to_cyrillic(text) if language == "sr" else text


def _money(value: Decimal | None, language: str) -> str:
    return format_value(value, language, CURRENCY) if value is not None else "–"


def _chart(follow_up: FollowUp, anchor: str, language: str) -> charts.ShownChart | None:
    """The collection rate year by year as bars; a year without a rate hatched, written "–"."""
    if not any(year.rate is not None for year in follow_up.years):
        return None
    spec = charts.BarChart(
        title=_("Property tax collection rate in %(municipality)s, by year")
        % {"municipality": follow_up.municipality.name},
        category_heading=_("Year"),
        value_heading=_("Collection rate"),
        bars=tuple(
            charts.Bar(
                label=str(year.year),
                value=float(year.rate) if year.rate is not None else 0.0,
                shown=percent_text(year.rate, language) or "–",
                unknown=year.rate is None,
            )
            for year in follow_up.years
        ),
        orientation=charts.Orientation.VERTICAL,
    )
    return charts.shown(spec, language, described_by=anchor + "-years")


def follow_up_shown(
    follow_ups: Sequence[FollowUp], language: str, *, drawn: bool = True
) -> list[FollowUpShown]:
    """The follow-up as the page writes it, with a chart per municipality (``drawn``)."""
    shown = []
    for follow_up in follow_ups:
        anchor = f"municipality-{follow_up.municipality.code}"
        shown.append(
            FollowUpShown(
                follow_up=follow_up,
                anchor=anchor,
                years=[
                    YearShown(
                        year=year.year,
                        billed=_money(year.billed, language),
                        collected=_money(year.collected, language),
                        rate=percent_text(year.rate, language) or "–",
                        training=year.year == follow_up.trained_in,
                    )
                    for year in follow_up.years
                ],
                officers=format_value(follow_up.officers, language),
                before=percent_text(follow_up.before, language) or "–",
                after=percent_text(follow_up.after, language) or "–",
                change=points_text(follow_up.change, language) or "–",
                chart=_chart(follow_up, anchor, language) if drawn else None,
            )
        )
    return shown
