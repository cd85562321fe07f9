"""Windows of months and a metric's value over one: the compute layer's monthly arithmetic.

Owns :class:`Span` (financial year to date, rolling 12 months, a single month) and how a
sentence or heading names it (docs/conventions.md, C7, C16); :func:`aggregate`, a metric's value
over a window, or why it has none (a window with any month missing has no value, ``[x]``, never
a partial total that looks like a fall; a rate over several months is the ratio of the summed
counts, ``ratio_of``, never the average of monthly percentages, and a percentage without
declared parts has none); a series' months (:func:`monthly_series`, :func:`series_span`,
:func:`months_present`); and the financial years the file gives only as 12 months
(:func:`derived_years`). Pure functions on :class:`~fractions.Fraction`, so that ratios stay
exact until printing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from enum import Enum
from fractions import Fraction
from functools import reduce
from typing import NamedTuple

from gunstats.compute import Kind
from gunstats.model import Figures, Flag, Metric, Observation, Unit
from gunstats.periods import Month, month_of, year_of
from gunstats.wording import capitalise, comparison_phrase, month_window_name, rolling_year_name


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


def month_values(metric: Metric) -> dict[Month, Decimal]:
    """The metric's months by month, built once per series: a summary asks for the same
    metric's values for every window of every comparison."""
    months = metric.months
    cached = _MONTH_VALUES.get(id(months))
    if cached is not None and cached[0] is months:  # the entry keeps ``months`` alive
        return cached[1]
    if len(_MONTH_VALUES) > 64:
        _MONTH_VALUES.clear()
    # Exact Decimals as read: only a window's sum becomes a Fraction, in sum_months, not the whole
    # series once per window (a series of centuries made summary slow).
    values = {month_of(o.period): o.value for o in months}
    _MONTH_VALUES[id(months)] = (months, values)
    return values


# Decimal addition at this precision never rounds, so a window's sum is exact before it
# becomes one Fraction (summing Fractions built one per month cost more than the rest).
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def sum_months(
    values: dict[Month, Decimal], months: Sequence[Month]
) -> tuple[Fraction, list[Month]]:
    missing = [m for m in months if m not in values]
    total = reduce(_EXACT.add, (values[m] for m in months if m in values), Decimal(0))
    return Fraction(total), missing


def _flags(metrics: Sequence[Metric], months: Sequence[Month]) -> tuple[Flag, ...]:
    wanted = set(months)
    found = {f for m in metrics for o in m.months if o.period in wanted for f in o.flags}
    return tuple(flag for flag in Flag if flag in found)


def _over_100(top: Metric, bottom: Metric, months: Sequence[Month]) -> tuple[Month, ...]:
    """The months whose numerator is larger than their denominator (a share over 100%)."""
    numerators, denominators = month_values(top), month_values(bottom)
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
        numerator, missing_top = sum_months(month_values(top), months)
        denominator, missing_bottom = sum_months(month_values(bottom), months)
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
    values = month_values(metric)
    if metric.unit is Unit.PERCENT and len(months) > 1:
        return Aggregate(span, None, Status.NEEDS_PARTS)
    total, gaps = sum_months(values, months)
    if gaps:
        return Aggregate(span, None, Status.MISSING_MONTHS, tuple(gaps))
    return Aggregate(span, total, flags=_flags((metric,), months))


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


def has_months(metric: Metric) -> bool:
    """Whether a metric is monthly at all: its own months, or a ratio of monthly parts."""
    return bool(metric.months) or metric.ratio_of is not None


def monthly_series(figures: Figures, metric: Metric) -> dict[Month, Fraction | None]:
    """The metric month by month: its own values, or for a ``ratio_of`` rate the rate of its
    parts in each month where both have a value (None where the denominator is zero)."""
    # Fractions, not Decimals: a rate divided in Decimal would be rounded to its context.
    if metric.ratio_of is None:
        return {month: Fraction(value) for month, value in month_values(metric).items()}
    top = month_values(figures.metric(metric.ratio_of.numerator))
    bottom = month_values(figures.metric(metric.ratio_of.denominator))
    return {
        month: (Fraction(top[month]) / Fraction(bottom[month]) * 100 if bottom[month] else None)
        for month in sorted(set(top) & set(bottom))
    }


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
