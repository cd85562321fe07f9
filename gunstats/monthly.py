"""The monthly summary: one month's figures, each compared four ways and tested.

Pure functions of the figures, like :mod:`gunstats.compute`: no I/O, no printing. Police
figures are compared three ways: financial year to date (April to the month) against the same
months a year earlier, and rolling 12 months against the previous 12 months; the month against
the same month last year and against the previous month are shown too, the latter last and
never as the headline, because a single month is noisy (docs/conventions.md C6). Both periods
of every comparison are named (C7), each window with its years (C16). The windows and a
metric's value over one are :mod:`gunstats.monthly_windows`'s.

Every comparison is tested (docs/conventions.md, C5): a count over a window is a Poisson count
whose exposure is the days in the window's months, and a ``ratio_of`` rate is tested on its
summed counts. Each metric's month is also read against its own series first, on an XmR
chart (:mod:`gunstats.spc`) over the months ending with it (docs/conventions.md, C6).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from gunstats.compute import Comparison, Kind, compare
from gunstats.errors import StaleDataError
from gunstats.model import Figures, Metric, Observation, Unit
from gunstats.monthly_windows import (
    Aggregate,
    Span,
    aggregate,
    describe,
    has_months,
    monthly_series,
    months_present,
    series_span,
    span_label,
    windows,
)
from gunstats.periods import Month
from gunstats.significance import (
    DEFAULT_CONFIDENCE,
    Count,
    Parts,
    days_in_window,
    significance_of,
)

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
