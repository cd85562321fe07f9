"""Monthly figures: windows of months, rates from their parts, and the monthly summary.

Pure functions of the figures, like :mod:`gunstats.compute`: no I/O, no printing. Police
figures are compared three ways: financial year to date (April to the month) against the same
months a year earlier, and rolling 12 months against the previous 12 months; the month against
the same month last year and against the previous month are shown too, the latter last and
never as the headline, because a single month is noisy (docs/conventions.md C6). Both periods
of every comparison are named (C7), each window with its years (C16).

Two rules keep the windows honest:

- a window with any month missing has no value (``[x]``): it is never summed over part of the
  period, because a partial total looks like a fall;
- a rate over several months is the ratio of the summed counts (``ratio_of``), never the
  average of monthly percentages; a percentage without declared parts has no value over
  several months.

Every comparison is tested (docs/conventions.md, C5): a count over a window is a Poisson count
whose exposure is the days in the window's months, and a ``ratio_of`` rate is tested on its
summed counts. Each metric's month is also read against its own series first, on an XmR
chart (:mod:`gunstats.spc`) over the months ending with it (docs/conventions.md, C6).

All arithmetic is on :class:`~fractions.Fraction`, so that ratios stay exact until printing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from enum import Enum
from fractions import Fraction
from functools import reduce
from typing import TYPE_CHECKING, NamedTuple

from gunstats.compute import Comparison, Kind, compare
from gunstats.errors import StaleDataError, printable
from gunstats.model import Figures, Flag, Metric, Observation, Unit
from gunstats.numbers import format_number, round_half_away
from gunstats.periods import Month, month_of, year_of
from gunstats.significance import (
    DEFAULT_CONFIDENCE,
    Count,
    Parts,
    days_in_window,
    significance_of,
)
from gunstats.wording import capitalise, comparison_phrase, month_window_name, rolling_year_name

if TYPE_CHECKING:
    from gunstats.spc import NoProcessChart, ProcessChart

SUMMARY_KINDS = (
    Kind.FINANCIAL_YEAR_TO_DATE,
    Kind.ROLLING_12_MONTHS,
    Kind.SAME_MONTH_LAST_YEAR,
    Kind.PREVIOUS_MONTH,
)
"""The summary's comparisons in the order shown: the longer, steadier ones first."""

KIND_NAMES = {
    Kind.FINANCIAL_YEAR_TO_DATE: "Financial year to date",
    Kind.ROLLING_12_MONTHS: "Rolling 12 months",
    Kind.SAME_MONTH_LAST_YEAR: "Same month last year",
    Kind.PREVIOUS_MONTH: "Previous month",
}


class Span(NamedTuple):
    """The months from ``start`` to ``end`` inclusive."""

    start: Month
    end: Month

    def months(self) -> tuple[Month, ...]:
        return tuple(Month.from_ordinal(i) for i in range(self.start.ordinal, self.end.ordinal + 1))

    def shift(self, months: int) -> Span:
        return Span(self.start.shift(months), self.end.shift(months))


def financial_year_to_date(month: Month) -> Span:
    """April of the month's financial year to the month itself (April alone for April)."""
    return Span(Month(month.financial_year.start, 4), month)


def rolling_12_months(month: Month) -> Span:
    """The 12 months ending with ``month``."""
    return Span(month.shift(-11), month)


def windows(kind: Kind, month: Month) -> tuple[Span, Span]:
    """(the current window, the window it is compared with) for one kind of comparison."""
    if kind is Kind.FINANCIAL_YEAR_TO_DATE:
        current = financial_year_to_date(month)
        return current, current.shift(-12)
    if kind is Kind.ROLLING_12_MONTHS:
        current = rolling_12_months(month)
        return current, current.shift(-12)
    single = Span(month, month)
    if kind is Kind.SAME_MONTH_LAST_YEAR:
        return single, single.shift(-12)
    if kind is Kind.PREVIOUS_MONTH:
        return single, single.shift(-1)
    raise ValueError(f"not a monthly comparison: {kind}")


def span_name(kind: Kind, span: Span) -> str:
    """How a sentence names the window (C16): ``January 2023``, ``April 2022 to January
    2023``, ``year ending January 2023``."""
    if kind is Kind.ROLLING_12_MONTHS:
        return rolling_year_name(span.end)
    return month_window_name(span.start, span.end)


def span_label(kind: Kind, span: Span) -> str:
    """The window as a column heading: ``Year ending January 2023``."""
    return capitalise(span_name(kind, span))


def describe(kind: Kind, current: Span, earlier: Span) -> str:
    """Both periods of the comparison, the later first (C7): ``year ending January 2023
    compared with the year ending January 2022``."""
    return comparison_phrase(span_name(kind, current), span_name(kind, earlier))


class Status(str, Enum):
    AVAILABLE = "available"
    MISSING_MONTHS = "missing months"
    """Some month of the window has no value (for a ratio: no value for one of its parts)."""
    NEEDS_PARTS = "needs parts"
    """A percentage over several months with no declared numerator and denominator."""
    ZERO_DENOMINATOR = "zero denominator"
    """A ratio whose denominator sums to zero: no percentage exists."""


class Aggregate(NamedTuple):
    """A metric's value over a window of months, or why it has none."""

    span: Span
    value: Fraction | None
    status: Status = Status.AVAILABLE
    missing: tuple[Month, ...] = ()
    numerator: Fraction | None = None
    denominator: Fraction | None = None
    """For a ratio, the summed parts, so a reader can check the rate."""
    flags: tuple[Flag, ...] = ()
    """Every flag on a month of the window (for a ratio, of its parts): one provisional
    month makes the total provisional."""
    over_100: tuple[Month, ...] = ()
    """For a ratio, the months of the window whose numerator is larger than their
    denominator: a share over 100% cannot be right, so the rate is flagged as unreliable."""


_MONTH_VALUES: dict[int, tuple[tuple[Observation, ...], dict[Month, Decimal]]] = {}


def _month_values(metric: Metric) -> dict[Month, Decimal]:
    """The metric's months by month, built once per series: a summary asks for the same
    metric's values for every window of every comparison."""
    months = metric.months
    cached = _MONTH_VALUES.get(id(months))
    if cached is not None and cached[0] is months:  # the entry keeps ``months`` alive
        return cached[1]
    if len(_MONTH_VALUES) > 64:
        _MONTH_VALUES.clear()
    # Exact Decimals as read: only a window's sum becomes a Fraction, in _sum, not the whole
    # series once per window (a series of centuries made summary slow).
    values = {month_of(o.period): o.value for o in months}
    _MONTH_VALUES[id(months)] = (months, values)
    return values


# Decimal addition at this precision never rounds, so a window's sum is exact before it
# becomes one Fraction (summing Fractions built one per month cost more than the rest).
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def _sum(values: dict[Month, Decimal], months: Sequence[Month]) -> tuple[Fraction, list[Month]]:
    missing = [m for m in months if m not in values]
    total = reduce(_EXACT.add, (values[m] for m in months if m in values), Decimal(0))
    return Fraction(total), missing


def _flags(metrics: Sequence[Metric], months: Sequence[Month]) -> tuple[Flag, ...]:
    wanted = set(months)
    found = {f for m in metrics for o in m.months if o.period in wanted for f in o.flags}
    return tuple(flag for flag in Flag if flag in found)


def _over_100(top: Metric, bottom: Metric, months: Sequence[Month]) -> tuple[Month, ...]:
    """The months whose numerator is larger than their denominator (a share over 100%)."""
    numerators, denominators = _month_values(top), _month_values(bottom)
    return tuple(
        m
        for m in months
        if m in numerators and m in denominators and numerators[m] > denominators[m]
    )


def aggregate(figures: Figures, metric: Metric, span: Span) -> Aggregate:
    """The metric over ``span``: a sum of counts, a rate of summed parts, or nothing."""
    months = span.months()
    if metric.ratio_of is not None:
        top = figures.metric(metric.ratio_of.numerator)
        bottom = figures.metric(metric.ratio_of.denominator)
        numerator, missing_top = _sum(_month_values(top), months)
        denominator, missing_bottom = _sum(_month_values(bottom), months)
        missing = tuple(sorted(set(missing_top) | set(missing_bottom)))
        if missing:
            return Aggregate(span, None, Status.MISSING_MONTHS, missing)
        flags = _flags((top, bottom), months)
        over = _over_100(top, bottom, months)
        if denominator == 0:
            return Aggregate(
                span, None, Status.ZERO_DENOMINATOR, (), numerator, denominator, flags, over
            )
        value = numerator / denominator * 100
        return Aggregate(span, value, Status.AVAILABLE, (), numerator, denominator, flags, over)
    values = _month_values(metric)
    if metric.unit is Unit.PERCENT and len(months) > 1:
        return Aggregate(span, None, Status.NEEDS_PARTS)
    total, gaps = _sum(values, months)
    if gaps:
        return Aggregate(span, None, Status.MISSING_MONTHS, tuple(gaps))
    return Aggregate(span, total, flags=_flags((metric,), months))


class WindowComparison(NamedTuple):
    """One of the summary's comparisons; ``comparison`` is None where either side has no value."""

    kind: Kind
    current: Aggregate
    earlier: Aggregate
    comparison: Comparison | None

    @property
    def name(self) -> str:
        return KIND_NAMES[self.kind]

    @property
    def description(self) -> str:
        return describe(self.kind, self.current.span, self.earlier.span)

    def label(self, side: Aggregate) -> str:
        return span_label(self.kind, side.span)


def sample(metric: Metric, side: Aggregate) -> Count | Parts | None:
    """What the test of change takes for one side: a count over the window's days, a rate's
    summed parts, or None for a percentage without parts (which cannot be tested)."""
    if metric.ratio_of is not None:
        if side.numerator is None or side.denominator is None:
            return None
        return Parts(side.numerator, side.denominator)
    if metric.unit is Unit.COUNT and side.value is not None:
        return Count(side.value, days_in_window(side.span.months()))
    return None


def compare_windows(
    figures: Figures,
    metric: Metric,
    kind: Kind,
    month: Month,
    confidence: float = DEFAULT_CONFIDENCE,
) -> WindowComparison:
    current_span, earlier_span = windows(kind, month)
    current = aggregate(figures, metric, current_span)
    earlier = aggregate(figures, metric, earlier_span)
    comparison = None
    if current.value is not None and earlier.value is not None:
        tested = significance_of(sample(metric, current), sample(metric, earlier), confidence)
        comparison = compare(
            kind,
            metric,
            Observation(earlier_span.end, earlier.value),  # type: ignore[arg-type]
            Observation(current_span.end, current.value),  # type: ignore[arg-type]
            tested,
        )
    return WindowComparison(kind, current, earlier, comparison)


class MetricSummary(NamedTuple):
    metric: Metric
    month: Aggregate
    """The metric's value for the summary's month itself."""
    comparisons: tuple[WindowComparison, ...]
    spc: ProcessChart | NoProcessChart | None = None
    """The XmR chart of the months ending with the summary's month, or why there is none."""


class Summary(NamedTuple):
    figures: Figures
    month: Month
    latest: Month
    """The latest month for which any metric has a value."""
    metrics: tuple[MetricSummary, ...]
    confidence: float = DEFAULT_CONFIDENCE
    """The confidence level of every test of change in the summary."""
    spc_months: int = 24
    """How many months each XmR chart spans, ending with ``month``."""

    @property
    def lacking(self) -> tuple[Metric, ...]:
        """Metrics with no value for the month itself: shown as ``[x]``, and warned about."""
        return tuple(m.metric for m in self.metrics if m.month.value is None)

    def lacking_by_reason(self) -> dict[str, tuple[Metric, ...]]:
        """The lacking metrics by why: ``not yet`` (the month is after the metric's latest
        month: not published yet), ``gap`` (later months are published) or ``not started``
        (the metric's months start after it)."""
        reasons: dict[str, list[Metric]] = {"not yet": [], "gap": [], "not started": []}
        for metric in self.lacking:
            span = series_span(self.figures, metric)
            if span is None or span.end < self.month:
                reasons["not yet"].append(metric)
            elif span.start > self.month:
                reasons["not started"].append(metric)
            else:
                reasons["gap"].append(metric)
        return {reason: tuple(metrics) for reason, metrics in reasons.items()}


def series_span(figures: Figures, metric: Metric) -> Span | None:
    """The first to the last month of a metric's series (a ratio: where both parts have
    months), or None without any."""
    if metric.ratio_of is not None:
        parts = [
            figures.metric(metric.ratio_of.numerator),
            figures.metric(metric.ratio_of.denominator),
        ]
    else:
        parts = [metric]
    if not all(part.months for part in parts):
        return None
    first = max(month_of(part.months[0].period) for part in parts)
    last = min(month_of(part.months[-1].period) for part in parts)
    return Span(first, last) if first <= last else None


def months_present(figures: Figures) -> tuple[Month, ...]:
    """Every month for which at least one metric has a value, in order."""
    return tuple(sorted({month_of(o.period) for metric in figures.metrics for o in metric.months}))


def previous_calendar_month(today: datetime.date) -> Month:
    """The month before the one ``today`` falls in: what a monthly cron job reports on."""
    return Month(today.year, today.month).shift(-1)


def resolve_month(figures: Figures, request: str | Month, today: datetime.date) -> Month:
    """``latest``, ``previous`` or a month, checked against the data: stale data fails loudly."""
    present = months_present(figures)
    if not present:
        raise StaleDataError(
            f"{figures.path}: no monthly figures (give a metric a 'months:' mapping)"
        )
    latest = present[-1]
    if request == "latest":
        return latest
    month = previous_calendar_month(today) if request == "previous" else request
    if not isinstance(month, Month):
        raise ValueError(f"not a month: {request!r}")
    if month not in present:
        first = present[0]
        missing = f"{figures.path}: no figures for {month.name()} ({month})"
        if month < first:
            raise StaleDataError(f"{missing}; the file starts in {first.name()} ({first})")
        if month < latest:  # a gap in every metric: not stale data, so say where the data is
            raise StaleDataError(
                f"{missing} in any metric; the file's months run from {first.name()} "
                f"({first}) to {latest.name()} ({latest}), with this one missing"
            )
        raise StaleDataError(
            f"{missing}; the latest month in the file is {latest.name()} ({latest}) - the "
            "data has not been updated"
        )
    return month


def has_months(metric: Metric) -> bool:
    """Whether a metric is monthly at all: its own months, or a ratio of monthly parts."""
    return bool(metric.months) or metric.ratio_of is not None


def monthly_series(figures: Figures, metric: Metric) -> dict[Month, Fraction | None]:
    """The metric month by month: its own values, or for a ``ratio_of`` rate the rate of its
    parts in each month where both have a value (None where the denominator is zero)."""
    # Fractions, not Decimals: a rate divided in Decimal would be rounded to its context.
    if metric.ratio_of is None:
        return {month: Fraction(value) for month, value in _month_values(metric).items()}
    top = _month_values(figures.metric(metric.ratio_of.numerator))
    bottom = _month_values(figures.metric(metric.ratio_of.denominator))
    return {
        month: (Fraction(top[month]) / Fraction(bottom[month]) * 100 if bottom[month] else None)
        for month in sorted(set(top) & set(bottom))
    }


def process_chart(
    figures: Figures, metric: Metric, end: Month, months: int
) -> ProcessChart | NoProcessChart:
    """The metric's XmR chart over the ``months`` months ending with ``end``."""
    from gunstats.spc import xmr_chart  # only the summary and charts draw one

    series = monthly_series(figures, metric).items()
    return xmr_chart(series, end, months, percent=metric.unit is Unit.PERCENT)


def build_summary(
    figures: Figures,
    month: Month,
    metric_ids: Sequence[str] | None = None,
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    spc_months: int = 24,
) -> Summary:
    """Every summary comparison for ``month`` of the selected metrics, tested, and each
    metric's XmR chart over the ``spc_months`` months ending with ``month``.

    Without a selection, the metrics that have monthly figures at all: a metric published
    only by financial year has no month to summarise, and is not "missing" one.
    """
    if metric_ids:
        metrics = [figures.metric(i) for i in metric_ids]
    else:
        metrics = [m for m in figures.metrics if has_months(m)]
    summaries = tuple(
        MetricSummary(
            metric=metric,
            month=aggregate(figures, metric, Span(month, month)),
            comparisons=tuple(
                compare_windows(figures, metric, k, month, confidence) for k in SUMMARY_KINDS
            ),
            spc=process_chart(figures, metric, month, spc_months),
        )
        for metric in metrics
    )
    present = months_present(figures)
    latest = present[-1] if present else month
    return Summary(figures, month, latest, summaries, confidence, spc_months)


# -- financial years from their months ------------------------------------------------------


def _complete_years(metric: Metric) -> set:
    """The financial years for which the metric has all 12 months."""
    counts: dict = {}
    for o in metric.months:
        year = month_of(o.period).financial_year
        counts[year] = counts.get(year, 0) + 1
    return {year for year, count in counts.items() if count == 12}


def derived_years(figures: Figures, metric: Metric) -> tuple[Observation, ...]:
    """The financial years the file gives only as 12 months, each worked out from them.

    A count is the sum of its months; a rate (``ratio_of``) is worked out from the summed
    counts of its parts, never by averaging monthly percentages. Each is flagged derived, and
    carries every flag of the months it is made of (and ``[u]`` for a rate with a month over
    100%). A year the file gives a value for is never replaced, and a percentage without
    parts, or a rate whose summed denominator is zero, has no yearly value.
    """
    if metric.ratio_of is not None:
        top = figures.metric(metric.ratio_of.numerator)
        bottom = figures.metric(metric.ratio_of.denominator)
        complete = _complete_years(top) & _complete_years(bottom)
    elif metric.unit is Unit.COUNT:
        complete = _complete_years(metric)
    else:
        return ()
    given = {year_of(o.period) for o in metric.values}
    derived = []
    for year in sorted(complete - given):
        months = year.months()
        whole = aggregate(figures, metric, Span(months[0], months[-1]))
        if whole.value is None:
            continue
        flags = {*whole.flags, Flag.DERIVED} | ({Flag.LOW_RELIABILITY} if whole.over_100 else set())
        value = whole.value
        exact = Decimal(value.numerator) if value.denominator == 1 else value
        derived.append(
            Observation(year, exact, tuple(f for f in Flag if f in flags))  # type: ignore[arg-type]
        )
    return tuple(derived)


# -- consistency of monthly and yearly values ------------------------------------------------


class Notice(NamedTuple):
    """A warning about a figures file that is valid but probably not what was meant."""

    path: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        place = self.path if self.line is None else f"{self.path}:{self.line}"
        return printable(f"{place}: warning: {self.where}: {self.message}")


def consistency_warnings(figures: Figures) -> tuple[Notice, ...]:
    """Gaps in monthly series, and financial years whose months disagree with the year given.

    A count's complete April-to-March months must add up to its yearly value; a ratio's
    yearly percentage must match the one recomputed from its parts' months, once rounded to
    the decimal places the year was written with (a published 38 matches 37.7).
    """
    notices: list[Notice] = []
    for metric in figures.metrics:
        notices += _gaps(figures, metric)
        notices += _rates_over_100(figures, metric)
        for year in metric.values:
            where = f"metrics.{metric.id}.values.{year.period}"
            months = year_of(year.period).months()
            span = f"{months[0].name()} to {months[-1].name()}"
            if metric.ratio_of is not None:
                whole = aggregate(figures, metric, Span(months[0], months[-1]))
                if whole.value is None:
                    continue
                exponent = year.value.as_tuple().exponent
                assert isinstance(exponent, int)  # a loaded value is always finite
                places = max(0, -exponent)
                if round_half_away(whole.value, places) != year.value:
                    notices.append(
                        Notice(
                            figures.path,
                            year.line,
                            where,
                            f"recomputed from the months of {metric.ratio_of.numerator} and "
                            f"{metric.ratio_of.denominator}, {span} is "
                            f"{format_number(whole.value, places + 1)}%, but the year is given as "
                            f"{year.value}",
                        )
                    )
            elif metric.unit is Unit.COUNT:
                total, missing = _sum(_month_values(metric), months)
                if not missing and total != year.value:
                    notices.append(
                        Notice(
                            figures.path,
                            year.line,
                            where,
                            f"the months {span} add up to {format_number(total)}, but the year is "
                            f"given as {format_number(year.value)}",
                        )
                    )
    notices.sort(key=lambda n: n.line or 0)
    return tuple(notices)


def _rates_over_100(figures: Figures, metric: Metric) -> list[Notice]:
    """One warning per period (month or year, the whole's or an area's) in which a ratio's
    numerator is larger than its denominator."""
    ratio = metric.ratio_of
    if ratio is None:
        return []
    top, bottom = figures.metric(ratio.numerator), figures.metric(ratio.denominator)
    pairs = [("", top.values, bottom.values), ("", top.months, bottom.months)]
    names = {area.id: area.name for area in figures.areas}
    below = {series.area: series for series in bottom.areas}
    for series in top.areas:
        other = below.get(series.area)
        if other is not None:
            where = f"for {printable(names.get(series.area, series.area))} "
            pairs += [(where, series.values, other.values), (where, series.months, other.months)]
    notices = []
    for where, numerators, denominators in pairs:
        given = {o.period: o.value for o in denominators}
        for observation in numerators:
            denominator = given.get(observation.period)
            if denominator is None or observation.value <= denominator:
                continue
            period = observation.period
            when = f"{month_of(period).name()} ({period})" if isinstance(period, Month) else period
            rate = format_number(Fraction(observation.value) / Fraction(denominator) * 100, 1)
            notices.append(
                Notice(
                    figures.path,
                    observation.line,
                    f"metrics.{metric.id}.ratio_of",
                    f"{where}in {when} {ratio.numerator} is {format_number(observation.value)}, "
                    f"more than {ratio.denominator} ({format_number(denominator)}): a rate of "
                    f"{rate}%, over 100%; it is shown flagged [u] (low reliability)",
                )
            )
    return notices


def _gaps(figures: Figures, metric: Metric) -> list[Notice]:
    """Months missing between a metric's first and last month: shown as [x], never as zero."""
    if len(metric.months) < 2:
        return []
    present = {o.period for o in metric.months}
    first, last = month_of(metric.months[0].period), month_of(metric.months[-1].period)
    missing = [m for m in Span(first, last).months() if m not in present]
    if not missing:
        return []
    after = next(o for o in metric.months if month_of(o.period) > missing[0])
    listed = ", ".join(_runs(missing))
    return [
        Notice(
            figures.path,
            after.line,
            f"metrics.{metric.id}.months",
            f"no value for {listed} (between {first} and {last}); "
            "shown as [x] (not available), never as zero",
        )
    ]


def _runs(months: Sequence[Month]) -> list[str]:
    """``2022-03``, ``2022-05 to 2022-12``: consecutive months as one run."""
    runs: list[list[Month]] = []
    for month in months:
        if runs and runs[-1][-1].ordinal + 1 == month.ordinal:
            runs[-1].append(month)
        else:
            runs.append([month])
    return [str(r[0]) if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in runs]
