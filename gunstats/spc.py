"""Statistical process control for a monthly series: the XmR (individuals) chart.

A month is read against the series' own variation before it is compared with any other
month (docs/conventions.md C6). The chart follows NHS England's "Making Data Count":

- the centre line is the mean of the values in the window (24 months by default);
- the process limits are the centre plus or minus 2.66 times the mean moving range, the
  moving ranges taken only between consecutive months that both have a value; the lower
  limit is never below 0 and, for a percentage, the upper never above 100;
- four rules find signals of special-cause variation (see :func:`xmr_chart`).

The rules' thresholds are those of the NHS-R community's NHSRplotthedots, the R package
written for Making Data Count (``R/ptd_spc_standard.R`` and
``R/ptd_calculate_point_type.R``): a shift is 7 points on one side of the mean, a trend 7
points each higher (or lower) than the one before it, that is 6 rises or falls in a row,
and "close to the limits" is beyond two thirds of the way from the mean to a limit.

Arithmetic is on :class:`~fractions.Fraction`, as in :mod:`gunstats.monthly`, so that a
point exactly on the mean or exactly on a limit is seen as such; a float mean of 0.1, 0.2
and 0.3 is not 0.2. The record keeps the exact values; JSON writes them as the nearest
double and human formats round them half away from zero (:mod:`gunstats.numbers` takes
Fractions).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import NamedTuple

from gunstats.periods import Month

DEFAULT_MONTHS = 24
MINIMUM_VALUES = 12
LIMIT_FACTOR = Fraction(266, 100)  # 3 / 1.128: three sigma from the mean moving range
RUN = 7  # points in a shift, and in a trend (its first point and 6 rises or falls)

OUTSIDE_LIMITS = "outside_limits"
SHIFT = "shift"
TREND = "trend"
TWO_OF_THREE = "two_of_three"
RULES = (OUTSIDE_LIMITS, SHIFT, TREND, TWO_OF_THREE)
HIGH, LOW = "high", "low"

NORMAL = "normal"
SIGNAL = "signal"
NO_VALUE = "no value"


class Signal(NamedTuple):
    """One signal: its rule (one of :data:`RULES`), ``high`` or ``low``, and its months."""

    rule: str
    direction: str
    months: tuple[Month, ...]


class ProcessChart(NamedTuple):
    """An XmR chart over the months ``start`` to ``end``."""

    start: Month
    end: Month
    points: tuple[tuple[Month, Fraction | None], ...]
    """Every month of the window, in order, with its value or None."""
    centre: Fraction
    upper: Fraction
    """The upper process limit as drawn (at most 100 for a percentage)."""
    lower: Fraction
    """The lower process limit as drawn (at least 0)."""
    mean_moving_range: Fraction
    signals: tuple[Signal, ...]
    """In order of their first month, then of :data:`RULES`."""

    def signals_at(self, month: Month) -> tuple[Signal, ...]:
        return tuple(signal for signal in self.signals if month in signal.months)

    @property
    def latest_status(self) -> str:
        """For the last month: :data:`SIGNAL` (part of a signal), :data:`NORMAL` (within
        its normal range) or :data:`NO_VALUE`."""
        if self.points[-1][1] is None:
            return NO_VALUE
        return SIGNAL if self.signals_at(self.end) else NORMAL


class NoProcessChart(NamedTuple):
    """Why a window has no chart: ``reason`` is a sentence for the reader."""

    start: Month
    end: Month
    values: int
    """How many months of the window have a value."""
    reason: str


def xmr_chart(
    series: Iterable[tuple[Month, Decimal | Fraction | int | None]],
    end: Month,
    months: int = DEFAULT_MONTHS,
    percent: bool = False,
) -> ProcessChart | NoProcessChart:
    """The XmR chart of the ``months`` months ending with ``end``.

    ``series`` is (month, value) pairs in any order; months outside the window are ignored
    and months of the window not in it (or with the value None) are gaps. At least
    :data:`MINIMUM_VALUES` values, and one pair of consecutive months with values, are
    needed for a chart; otherwise the result is a :class:`NoProcessChart` saying why.

    The signals:

    - ``outside_limits``: a point above the upper or below the lower limit;
    - ``shift``: 7 or more consecutive points above the mean, or below it; a point on the
      mean breaks the run;
    - ``trend``: 7 or more consecutive points, each higher than the one before (or each
      lower); an equal value breaks the run;
    - ``two_of_three``: two of three consecutive months in the outer third between the
      mean and the same limit (the third month may lie anywhere); a point beyond the limit
      is an ``outside_limits`` signal instead. The outer third is measured with the
      limit before clamping at 0 or 100, so clamping never narrows the band of usual
      variation. Only the months in the outer third are listed.

    A signal is reported only where the values present prove it whatever the missing
    months held: a gap breaks a shift or a trend (the missing month could have been on the
    other side, or out of line), but two months in the outer third within three
    consecutive months are a signal even if the third month is missing.
    """
    if months < MINIMUM_VALUES:
        raise ValueError(f"an XmR chart needs a window of at least {MINIMUM_VALUES} months")
    start = end.shift(1 - months)
    window = tuple(Month.from_ordinal(i) for i in range(start.ordinal, end.ordinal + 1))
    values: dict[Month, Fraction | None] = {}
    for month, value in series:
        if month in values:
            raise ValueError(f"{month} appears twice in the series")
        values[month] = None if value is None else Fraction(value)
    points = tuple((month, values.get(month)) for month in window)
    present = [value for _, value in points if value is not None]
    if len(present) < MINIMUM_VALUES:
        return NoProcessChart(
            start,
            end,
            len(present),
            f"only {len(present)} of the {months} months from {start.name()} to "
            f"{end.name()} have a value; an XmR chart needs at least {MINIMUM_VALUES}",
        )
    ranges = [
        abs(later - earlier)
        for (_, earlier), (_, later) in pairwise(points)
        if earlier is not None and later is not None
    ]
    if not ranges:
        return NoProcessChart(
            start,
            end,
            len(present),
            f"no two consecutive months from {start.name()} to {end.name()} both have a "
            "value, so the month-to-month variation cannot be measured",
        )
    centre = sum(present, Fraction(0)) / len(present)
    mean_range = sum(ranges, Fraction(0)) / len(ranges)
    spread = LIMIT_FACTOR * mean_range
    upper = centre + spread
    if percent:
        upper = min(upper, Fraction(100))
    lower = max(centre - spread, Fraction(0))
    chart = _Rules(points, centre, upper, lower, spread * 2 / 3)
    signals = chart.outside_limits() + chart.shifts() + chart.trends() + chart.two_of_three()
    signals.sort(key=lambda s: (s.months[0].ordinal, RULES.index(s.rule)))
    return ProcessChart(start, end, points, centre, upper, lower, mean_range, tuple(signals))


class _Rules:
    def __init__(self, points, centre, upper, lower, close) -> None:
        self.months = [month for month, _ in points]
        self.values = [value for _, value in points]
        self.centre, self.upper, self.lower = centre, upper, lower
        self.close = close  # beyond this distance from the mean: the outer third

    def outside_limits(self) -> list[Signal]:
        signals = []
        for month, value in zip(self.months, self.values, strict=True):
            if value is not None and value > self.upper:
                signals.append(Signal(OUTSIDE_LIMITS, HIGH, (month,)))
            elif value is not None and value < self.lower:
                signals.append(Signal(OUTSIDE_LIMITS, LOW, (month,)))
        return signals

    def _runs(self, key, rule: str, length: int) -> list[Signal]:
        """Runs of consecutive months that ``key`` gives the same non-zero sign (1 for
        high, -1 for low), of at least ``length`` months; 0 or None breaks a run."""
        signals = []
        run: list[int] = []
        sign = 0
        for index in range(len(self.values) + 1):
            current = key(index) if index < len(self.values) else None
            if current and current == sign:
                run.append(index)
                continue
            if sign and len(run) >= length:
                direction = HIGH if sign > 0 else LOW
                signals.append(Signal(rule, direction, tuple(self.months[i] for i in run)))
            sign, run = (current, [index]) if current else (0, [])
        return signals

    def shifts(self) -> list[Signal]:
        def side(index: int) -> int | None:
            value = self.values[index]
            if value is None:
                return None
            return (value > self.centre) - (value < self.centre)

        return self._runs(side, SHIFT, RUN)

    def trends(self) -> list[Signal]:
        # A point's step is the sign of its rise from the month before. A run of 6 equal
        # steps is 7 points: the run's first point is the month before its first step.
        def step(index: int) -> int | None:
            if index == 0:
                return None
            value, previous = self.values[index], self.values[index - 1]
            if value is None or previous is None:
                return None
            return (value > previous) - (value < previous)

        signals = []
        for signal in self._runs(step, TREND, RUN - 1):
            first = self.months.index(signal.months[0]) - 1
            signals.append(signal._replace(months=(self.months[first], *signal.months)))
        return signals

    def two_of_three(self) -> list[Signal]:
        signals: list[Signal] = []
        for direction, sign in ((HIGH, 1), (LOW, -1)):
            near = [
                value is not None
                and sign * (value - self.centre) > self.close
                and self.lower <= value <= self.upper
                for value in self.values
            ]
            flagged: set[int] = set()
            for first in range(len(near) - 2):
                window = [i for i in range(first, first + 3) if near[i]]
                if len(window) >= 2:
                    flagged.update(window)
            # Flagged months within two months of each other share a window: one signal.
            group: list[int] = []
            for index in sorted(flagged):
                if group and index - group[-1] > 2:
                    signals.append(self._signal(TWO_OF_THREE, direction, group))
                    group = []
                group.append(index)
            if group:
                signals.append(self._signal(TWO_OF_THREE, direction, group))
        return signals

    def _signal(self, rule: str, direction: str, indices: list[int]) -> Signal:
        return Signal(rule, direction, tuple(self.months[i] for i in indices))
