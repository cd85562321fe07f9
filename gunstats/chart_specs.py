"""What each chart says, decided without drawing it: title, unit, which way is better, the
points with their gaps, the change since the first value and the alt text.

Pure and standard-library only, so the Markdown report can describe a chart (and the tests
can check it) without matplotlib; :mod:`gunstats.charts` draws these specs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from gunstats.model import Better, Figures, Flag, Metric, Observation, Unit
from gunstats.numbers import format_value
from gunstats.periods import FinancialYear, Month, financial_years_between
from gunstats.wording import (
    DEFAULT_CAVEAT,
    comparison_phrase,
    prose_count,
    prose_percent,
    prose_points,
)

NOT_PUBLISHED = "not published"
LABEL_EVERY_POINT_UP_TO = 8
"""With this many periods or fewer every value is written on the chart; beyond, only the latest."""


@dataclass(frozen=True)
class Point:
    period: FinancialYear | Month
    value: Decimal | None
    """None where no figure was published: drawn as a gap, never as zero."""
    flags: tuple[Flag, ...] = ()
    """Provisional, revised, estimated or a break in series: written beside the value."""

    @property
    def label(self) -> str:
        if isinstance(self.period, Month):
            return self.period.name()[:3] + " " + str(self.period.year)
        return str(self.period)


@dataclass(frozen=True)
class ChartSpec:
    metric_id: str
    title: str
    unit: Unit
    better: Better
    points: tuple[Point, ...]
    monthly: bool
    source: str | None
    context: str = ""
    """The figures' title (such as "Gun crime in London"), shown under the chart's title."""
    change_note: str | None = None
    """The first value shown against the latest, both periods named (financial years only)."""
    precision: int = 1
    caveat: str = DEFAULT_CAVEAT
    """The figures' own caveat, or the default one that is true of any police figures (C25)."""

    @property
    def period_word(self) -> str:
        return "month" if self.monthly else "financial year"

    @property
    def axis_label(self) -> str:
        if self.unit is Unit.PERCENT:
            return "Per cent"
        return f"Number per {self.period_word}"

    @property
    def direction_note(self) -> str | None:
        return direction_note(self.better)

    @property
    def latest(self) -> Point | None:
        return next((p for p in reversed(self.points) if p.value is not None), None)

    @property
    def labelled(self) -> tuple[Point, ...]:
        """Every value when there are few points; otherwise only the latest."""
        if len(self.points) <= LABEL_EVERY_POINT_UP_TO:
            return tuple(p for p in self.points if p.value is not None)
        return (self.latest,) if self.latest is not None else ()

    @property
    def gaps(self) -> tuple[Point, ...]:
        return tuple(p for p in self.points if p.value is None)

    @property
    def span(self) -> str:
        return f"{self.points[0].label} to {self.points[-1].label}"

    def value_text(self, value: Decimal | None) -> str:
        if value is None:
            return NOT_PUBLISHED
        if self.unit is Unit.PERCENT:  # "less than 0.1%" for a value that is not zero (C20)
            return prose_percent(value, self.precision)
        return format_value(value, self.unit, self.precision)

    def point_text(self, point: Point) -> str:
        """The value as labelled on the chart, with GSS shorthand: ``196 [p]``."""
        codes = "".join(f"[{flag.value}]" for flag in point.flags)
        return f"{self.value_text(point.value)} {codes}" if codes else self.value_text(point.value)

    def point_words(self, point: Point) -> str:
        """The value as read aloud: ``196 (provisional)``, or ``not published``."""
        if point.value is None:
            return NOT_PUBLISHED
        meanings = ", ".join(flag.meaning for flag in point.flags)
        text = self.value_text(point.value)
        return f"{text} ({meanings})" if meanings else text

    @property
    def alt_text(self) -> str:
        """What a reader who cannot see the chart needs: what it shows, every value, the gaps."""
        kind = "percentage" if self.unit is Unit.PERCENT else "number"
        parts = [f"Line chart of {self.title} ({kind}) by {self.period_word}, {self.span}."]
        if len(self.points) <= 12:
            listed = "; ".join(f"{p.label}: {self.point_words(p)}" for p in self.points)
            parts.append(listed + ".")
        else:
            shown = [p for p in self.points if p.value is not None]
            high = max(shown, key=lambda p: p.value or 0)  # every value shown is a number
            low = min(shown, key=lambda p: p.value or 0)
            parts.append(
                f"From {self.value_text(shown[0].value)} in {shown[0].label}; highest "
                f"{self.value_text(high.value)} in {high.label}, lowest "
                f"{self.value_text(low.value)} in {low.label}."
            )
            if self.gaps:
                count = len(self.gaps)
                plural = "" if count == 1 else "s"
                parts.append(f"{count} {self.period_word}{plural} not published.")
        latest = self.latest
        if latest is not None:
            parts.append(f"Latest: {self.point_words(latest)} in {latest.label}.")
        if self.change_note:
            parts.append(f"{self.change_note}.")
        if self.direction_note:
            parts.append(f"{self.direction_note}.")
        return " ".join(parts)


def direction_note(better: Better) -> str | None:
    """Which way is better, as a chart says it (none for ``neither``)."""
    return {Better.UP: "Higher is better", Better.DOWN: "Lower is better"}.get(better)


def chart_specs(
    figures: Figures,
    metric_ids: Sequence[str] | None = None,
    first: FinancialYear | None = None,
    last: FinancialYear | None = None,
    *,
    monthly: bool = False,
    precision: int = 1,
) -> list[ChartSpec]:
    """One spec per selected metric that has values in the range, all on the same periods.

    Every chart spans the same periods (the first to the last value of any chart), so that
    a year one metric lacks shows as a gap rather than silently shortening its axis.
    """
    metrics = [figures.metric(i) for i in metric_ids] if metric_ids else list(figures.metrics)
    shown: list[tuple[Metric, dict]] = []
    for metric in metrics:
        series = _monthly_series(figures, metric) if monthly else metric.values
        observations = _in_range(series, first, last)
        if observations:
            shown.append((metric, {o.period: o for o in observations}))
    if not shown:
        return []
    present = [period for _, by_period in shown for period in by_period]
    periods = _periods_between(min(present), max(present))
    specs = []
    for metric, by_period in shown:
        source = figures.source(metric.source) if metric.source else None
        specs.append(
            ChartSpec(
                metric_id=metric.id,
                title=metric.label,
                unit=metric.unit,
                better=metric.better,
                points=tuple(_point(p, by_period.get(p)) for p in periods),
                monthly=monthly,
                source=(source.publisher or source.title) if source else None,
                context=figures.title,
                caveat=figures.caveat or DEFAULT_CAVEAT,
                change_note=None if monthly else _change_note(metric, by_period, precision),
                precision=precision,
            )
        )
    return specs


def _monthly_series(figures: Figures, metric: Metric) -> tuple[Observation, ...]:
    """A metric's months; for a rate given none, its months worked out from its parts', as
    the summary does (a rate is never an average of monthly percentages)."""
    if metric.months or metric.ratio_of is None:
        return metric.months
    from gunstats.area_figures import ratio_values

    top = figures.metric(metric.ratio_of.numerator)
    bottom = figures.metric(metric.ratio_of.denominator)
    return ratio_values(top.months, bottom.months)


def _point(period, observation: Observation | None) -> Point:
    if observation is None:
        return Point(period, None)
    return Point(period, observation.value, observation.flags)


def _change_note(metric: Metric, by_period: dict, precision: int) -> str | None:
    """The first value shown against the latest, such as "Down 87 (30.7%) in 2021/22 compared
    with 2019/20" (docs/conventions.md C7); a percentage changes by percentage points, never
    by per cent (C1), and "point" agrees with its number (C11).

    Monthly charts get none: one month against another is too noisy to be a headline.
    """
    from gunstats.compute import Direction, Kind, compare

    periods = sorted(by_period)
    if len(periods) < 2:
        return None
    first, latest = periods[0], periods[-1]
    comparison = compare(Kind.SINCE_BASELINE, metric, by_period[first], by_period[latest])
    span = comparison_phrase(str(latest), str(first))
    if comparison.direction is Direction.FLAT:
        return f"No change in {span}"
    word = "Up" if comparison.direction is Direction.UP else "Down"
    if metric.unit is Unit.PERCENT:
        return f"{word} {prose_points(comparison.change, precision)} in {span}"
    size = prose_count(abs(comparison.change))
    if comparison.percent_change is None:
        return f"{word} {size} in {span}"
    # The word says which way; the bracket says how much, as in the key points: "down 87
    # (30.7%)", not "down 87 (-30.7%)".
    return f"{word} {size} ({prose_percent(abs(comparison.percent_change), precision)}) in {span}"


def _in_range(
    observations: Sequence[Observation], first: FinancialYear | None, last: FinancialYear | None
) -> list[Observation]:
    def year(period):
        return period.financial_year if isinstance(period, Month) else period

    return [
        o
        for o in observations
        if (first is None or year(o.period) >= first) and (last is None or year(o.period) <= last)
    ]


def _periods_between(first, last) -> tuple:
    if isinstance(first, Month):
        return tuple(Month.from_ordinal(i) for i in range(first.ordinal, last.ordinal + 1))
    return financial_years_between(first, last)


def chart_filename(spec: ChartSpec, fmt: str) -> str:
    suffix = "-monthly" if spec.monthly else ""
    return f"{spec.metric_id}{suffix}.{fmt}"
