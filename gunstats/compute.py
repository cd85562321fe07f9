"""Comparisons between periods, as pure functions of the figures: no I/O, no printing.

Arithmetic is exact where it can be. Values are Decimals as written; a change is their exact
difference. A percent change is their quotient to 60 significant digits: values have at most
20 digits (see :mod:`gunstats.load`), so a quotient that is not exactly a rounding tie lies
at least 1e-48 (relatively) away from one, and 60 digits can never round it onto the wrong
side. Rounding for people happens only when a human format prints a number (see
:mod:`gunstats.numbers`), so every format agrees with every other.

Every comparison is tested before it is judged (docs/conventions.md, C5): counts with the
Poisson E-test, the exposure being the days in each financial year, and a ``ratio_of``
percentage with Fisher's exact test on its counts (see :mod:`gunstats.significance`). Only a
significant change is called better or worse; one that cannot be tested says so.
"""

from collections.abc import Callable, Sequence
from decimal import Context, Decimal
from enum import Enum
from typing import NamedTuple

from gunstats.model import Better, Figures, Metric, Observation, Unit
from gunstats.numbers import round_half_away
from gunstats.periods import FinancialYear, Period, financial_years_between, year_of
from gunstats.significance import (
    DEFAULT_CONFIDENCE,
    Count,
    Parts,
    Significance,
    days_in,
    significance_of,
)


class Assessment(str, Enum):
    """Whether a change is real and, if so, an improvement by the metric's ``better``.

    A change is judged better or worse only when a test finds it significant; a change that
    cannot be tested (a percentage without its counts) is judged by direction alone and
    says so.
    """

    BETTER = "better"
    WORSE = "worse"
    NO_SIGNIFICANT_CHANGE = "no significant change"
    NO_CHANGE = "no change"
    NEUTRAL = "neutral"
    BETTER_UNTESTED = "better (not tested)"
    WORSE_UNTESTED = "worse (not tested)"


class Direction(str, Enum):
    """Which way the value moved: its sign, before any judgement of better or worse."""

    UP = "up"
    DOWN = "down"
    FLAT = "flat"  # exactly equal: the arithmetic is exact, so no tolerance is needed


class Kind(str, Enum):
    YEAR_ON_YEAR = "year_on_year"
    SINCE_BASELINE = "since_baseline"
    # The monthly summary's comparisons (see gunstats.monthly), most telling first.
    FINANCIAL_YEAR_TO_DATE = "financial_year_to_date"
    ROLLING_12_MONTHS = "rolling_12_months"
    SAME_MONTH_LAST_YEAR = "same_month_last_year"
    PREVIOUS_MONTH = "previous_month"


class Comparison(NamedTuple):
    """A later value against an earlier one.

    ``change`` is in the metric's own unit: a number for counts, percentage points for
    percentages. ``percent_change`` is the relative change, ``None`` from a zero base.
    """

    kind: Kind
    unit: Unit
    earlier: Observation
    later: Observation
    change: Decimal
    percent_change: Decimal | None
    direction: Direction
    assessment: Assessment
    significance: Significance | None = None
    """The test of the change, or None where it cannot be tested."""

    @property
    def from_period(self) -> Period:
        return self.earlier.period

    @property
    def to_period(self) -> Period:
        return self.later.period

    @property
    def from_year(self) -> FinancialYear:
        """The earlier period of a report's comparison (always a financial year)."""
        return year_of(self.earlier.period)

    @property
    def to_year(self) -> FinancialYear:
        return year_of(self.later.period)


_EXACT = Context(prec=60)


def percent_change(earlier, later):
    """(later - earlier) / earlier x 100; None from a zero base, where it has no meaning.

    Decimals (published values) give a 60-digit Decimal; Fractions (rates over several months,
    see :mod:`gunstats.monthly`) give an exact Fraction.
    """
    if earlier == 0:
        return None
    if isinstance(earlier, Decimal):
        return _EXACT.divide(_EXACT.multiply(_EXACT.subtract(later, earlier), 100), earlier)
    return (later - earlier) * 100 / earlier


def compare(
    kind: Kind,
    metric: Metric,
    earlier: Observation,
    later: Observation,
    significance: Significance | None = None,
) -> Comparison:
    """``later`` against ``earlier``; ``significance`` is the test of the change, if any."""
    before, after = earlier.value, later.value
    if type(before) is not type(after):
        # A rate worked out from months (a Fraction) against one as published (a Decimal);
        # only such a file pays for importing fractions.
        import fractions

        before = fractions.Fraction(before)  # type: ignore[assignment]
        after = fractions.Fraction(after)  # type: ignore[assignment]
    change = after - before  # exact: at most 20 digits each (or Fractions)
    percent = percent_change(before, after)
    direction = Direction.UP if change > 0 else Direction.DOWN if change < 0 else Direction.FLAT
    assessment = assess(direction, metric.better, significance)
    return Comparison(
        kind, metric.unit, earlier, later, change, percent, direction, assessment, significance
    )


def assess(
    direction: Direction, better: Better, significance: Significance | None = None
) -> Assessment:
    """Real before good: equal values are no change, a change the test does not find
    significant is no significant change, and only then does ``better`` decide."""
    if direction is Direction.FLAT:
        return Assessment.NO_CHANGE
    if significance is not None and not significance.significant:
        return Assessment.NO_SIGNIFICANT_CHANGE
    if better is Better.NEITHER:
        return Assessment.NEUTRAL
    improved = (direction is Direction.UP) == (better is Better.UP)
    if significance is None:
        return Assessment.BETTER_UNTESTED if improved else Assessment.WORSE_UNTESTED
    return Assessment.BETTER if improved else Assessment.WORSE


Test = Callable[[Observation, Observation], Significance | None]
"""Tests the change from an earlier observation to a later one."""


def year_test(figures: Figures, metric: Metric, confidence: float = DEFAULT_CONFIDENCE) -> Test:
    """The test of a change between two of the metric's financial years.

    A count is a Poisson count over the days of its year. A ``ratio_of`` percentage is
    tested on its counts for each year: each part's yearly value, else the sum of its twelve
    months, used only if they give the published percentage (rounded as it was written);
    otherwise the percentage was not made from them, and the change is not tested. Any
    other percentage cannot be tested.
    """
    if metric.unit is Unit.COUNT:
        return lambda earlier, later: significance_of(
            Count(later.value, days_in(year_of(later.period))),
            Count(earlier.value, days_in(year_of(earlier.period))),
            confidence,
        )
    if metric.ratio_of is None:
        return _untested
    numerator = _yearly_totals(figures.metric(metric.ratio_of.numerator))
    denominator = _yearly_totals(figures.metric(metric.ratio_of.denominator))

    def parts(observation: Observation) -> Parts | None:
        year = year_of(observation.period)
        top, bottom = numerator(year), denominator(year)
        if top is None or bottom is None or bottom == 0:
            return None
        if not isinstance(observation.value, Decimal):
            # A year derived from its months ([d]): the rate is these parts' by construction.
            return Parts(top, bottom)
        exponent = observation.value.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
        rate = _EXACT.divide(_EXACT.multiply(top, 100), bottom)
        if round_half_away(rate, places) != observation.value:
            return None
        return Parts(top, bottom)

    return lambda earlier, later: significance_of(parts(later), parts(earlier), confidence)


def _untested(earlier: Observation, later: Observation) -> None:
    return None


def _yearly_totals(metric: Metric) -> Callable[[FinancialYear], Decimal | None]:
    """A count metric's total for a financial year: its yearly value, else its 12 months."""
    years = {year_of(o.period): o.value for o in metric.values}
    months = {o.period: o.value for o in metric.months}

    def total(year: FinancialYear) -> Decimal | None:
        if year in years:
            return years[year]
        wanted = year.months()
        if all(month in months for month in wanted):
            return sum((months[month] for month in wanted), Decimal(0))
        return None

    return total


def year_on_year(
    metric: Metric, observations: Sequence[Observation], test: Test = _untested
) -> tuple[Comparison, ...]:
    """One comparison for each pair of consecutive financial years that both have a value."""
    # Keyed by starting year, so no period object is made just to look one up.
    by_start = {year_of(o.period).start: o for o in observations}
    return tuple(
        compare(Kind.YEAR_ON_YEAR, metric, by_start[start - 1], o, test(by_start[start - 1], o))
        for start, o in by_start.items()
        if start - 1 in by_start
    )


def since_baseline(
    metric: Metric,
    observations: Sequence[Observation],
    baseline: FinancialYear | None = None,
    candidates: Sequence[Observation] | None = None,
    test: Test = _untested,
) -> Comparison | None:
    """The latest value against the baseline (by default the earliest value shown).

    ``candidates`` are where an explicit ``baseline`` is looked up (default: ``observations``):
    the report passes every value of the metric, so a baseline before ``--from`` is compared,
    not reported as missing. None where there is nothing to compare: no values, the baseline
    not published for this metric, or the baseline not before the latest value.
    """
    if not observations:
        return None
    latest = observations[-1]
    earlier: Observation | None = observations[0]
    if baseline is not None:
        pool = observations if candidates is None else candidates
        earlier = next((o for o in pool if o.period == baseline), None)
    if earlier is None or year_of(earlier.period) >= year_of(latest.period):
        return None
    return compare(Kind.SINCE_BASELINE, metric, earlier, latest, test(earlier, latest))


def with_previous_year(
    values: Sequence[Observation], shown: Sequence[Observation]
) -> Sequence[Observation]:
    """``shown`` with the value of the year before its first, where the file has one.

    The change of the first year shown on its previous year is that year's own figure: a
    ``--from`` that leaves the previous year out of the table must not make it "not published".
    """
    if not shown or len(shown) == len(values):
        return shown
    wanted = year_of(shown[0].period).start - 1
    before = next((o for o in values if year_of(o.period).start == wanted), None)
    return shown if before is None else (before, *shown)


class MetricReport(NamedTuple):
    metric: Metric
    observations: tuple[Observation, ...]
    """The metric's financial-year values within the report's range, in order."""
    year_on_year: tuple[Comparison, ...]
    """One per shown year whose previous year has a value (in the range or not)."""
    since_baseline: Comparison | None

    def value_for(self, period: FinancialYear) -> Observation | None:
        for observation in self.observations:
            if observation.period == period:
                return observation
        return None

    @property
    def comparisons(self) -> tuple[Comparison, ...]:
        extra = (self.since_baseline,) if self.since_baseline is not None else ()
        return self.year_on_year + extra


class Report(NamedTuple):
    figures: Figures
    periods: tuple[FinancialYear, ...]
    """Every financial year from the first to the last shown, gaps included."""
    metrics: tuple[MetricReport, ...]
    baseline: FinancialYear | None = None
    confidence: float = DEFAULT_CONFIDENCE
    """The confidence level of every test of change in the report."""


def with_derived_years(figures: Figures) -> Figures:
    """The figures with the financial years they imply: each year the file gives only as its
    12 months added up, and each rate's (``ratio_of``) years the file gives it no value for
    worked out from its parts' years (see :mod:`gunstats.derived`).

    Years from months are flagged ``[d]`` (see :func:`gunstats.monthly_windows.derived_years`); a
    rate from its parts is the rate's definition, flagged as its parts are, as for an area.
    A file without months or such rates is returned as it is, importing nothing more: every
    report runs this, and most files (the shipped one too) have neither.
    """
    if not any(
        metric.months or metric.ratio_of is not None or any(s.months for s in metric.areas)
        for metric in figures.metrics
    ):
        return figures
    from gunstats.derived import rates_from_parts, years_from_months

    return rates_from_parts(years_from_months(figures))


def build_report(
    figures: Figures,
    metric_ids: Sequence[str] | None = None,
    first: FinancialYear | None = None,
    last: FinancialYear | None = None,
    baseline: FinancialYear | None = None,
    confidence: float = DEFAULT_CONFIDENCE,
) -> Report:
    """Select metrics and periods, then compute and test every comparison the report shows.

    ``baseline`` moves the start of the "since baseline" comparison; values before it stay
    in the report, and a baseline before ``first`` is still compared, as is the first year
    shown with the year before it: a filter narrows what is shown, it never turns a value
    in the file into "not published". Unknown ids raise KeyError: the caller has already
    checked them.
    """
    metrics = (
        [figures.metric(metric_id) for metric_id in metric_ids] if metric_ids else figures.metrics
    )
    reports = []
    for metric in metrics:
        shown = tuple(
            o
            for o in metric.values
            if (first is None or year_of(o.period) >= first)
            and (last is None or year_of(o.period) <= last)
        )
        test = year_test(figures, metric, confidence)
        reports.append(
            MetricReport(
                metric=metric,
                observations=shown,
                year_on_year=year_on_year(metric, with_previous_year(metric.values, shown), test),
                since_baseline=since_baseline(metric, shown, baseline, metric.values, test),
            )
        )
    starts = [year_of(o.period).start for r in reports for o in r.observations]
    periods = (
        financial_years_between(FinancialYear(min(starts)), FinancialYear(max(starts)))
        if starts
        else ()
    )
    return Report(figures, periods, tuple(reports), baseline, confidence)
