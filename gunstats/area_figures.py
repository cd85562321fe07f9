"""Each area's published figures: which metrics and periods have them, and one figure at a time.

Owns what the areas table is made of, as pure functions of the figures: which metrics have area
values (a count's own, or both parts of a ratio) and in which periods; one area's (or the
whole's) figure for a period with its flags, a ratio's worked out from its parts' counts (the
ratio of the counts, flagged ``[u]`` over 100%); and a rate per N people, exact to 60
significant digits (values and populations have at most 20 and 11 digits, so no rounding tie
can fall on the wrong side), ``None`` without a population, never a division error.
:mod:`gunstats.area_report` uses the ratio helpers for one area's figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Context, Decimal
from typing import NamedTuple

from gunstats.model import Figures, Flag, Metric, Observation, Unit
from gunstats.periods import FinancialYear, Period

_EXACT = Context(prec=60)
_HUNDRED = Decimal(100)


class AreaFigure(NamedTuple):
    """One area's (or the whole's) figure for one period, with what its tests need."""

    value: Decimal | None = None
    flags: tuple[Flag, ...] = ()
    parts: tuple[Decimal, Decimal] | None = None
    """A ratio's counts: numerator and denominator."""


NO_FIGURE = AreaFigure()
FigureLookup = Callable[[str | None, Period], AreaFigure]


# -- which metrics and periods have areas ----------------------------------------------------


def metrics_with_areas(figures: Figures) -> tuple[Metric, ...]:
    """Count metrics with area values, and ratios whose numerator and denominator have them."""
    return tuple(m for m in figures.metrics if _parts(figures, m) is not None)


def area_periods(figures: Figures, metric: Metric) -> tuple[Period, ...]:
    """Every period in which some area has a value of ``metric``: years first, then months."""
    parts = _parts(figures, metric) or ()
    years: set[Period] = set()
    months: set[Period] = set()
    for part in parts:
        for series in part.areas:
            years.update(o.period for o in series.values)
            months.update(o.period for o in series.months)
    if len(parts) == 2:  # a ratio has a value where both of its parts have one
        years &= {o.period for s in parts[1].areas for o in s.values}
        months &= {o.period for s in parts[1].areas for o in s.months}
    return (*sorted(years), *sorted(months))


def default_period(figures: Figures, metric: Metric) -> Period | None:
    """The latest financial year with area values, else the latest month."""
    periods = area_periods(figures, metric)
    years = [p for p in periods if isinstance(p, FinancialYear)]
    chosen = years or periods
    return chosen[-1] if chosen else None


def _parts(figures: Figures, metric: Metric) -> tuple[Metric, ...] | None:
    """The count metrics a metric's area values come from: itself, or a ratio's two parts."""
    if metric.ratio_of is None:
        return (metric,) if metric.unit is Unit.COUNT and metric.areas else None
    parts = (figures.metric(metric.ratio_of.numerator), figures.metric(metric.ratio_of.denominator))
    return parts if all(part.areas for part in parts) else None


def rate_per(value: Decimal | None, population: int | None, per: int) -> Decimal | None:
    if value is None or not population:
        return None
    return _EXACT.divide(_EXACT.multiply(value, per), population)


def _by_period(*series: Sequence[Observation]) -> dict[Period, Observation]:
    return {o.period: o for observations in series for o in observations}


def count_figures(metric: Metric) -> FigureLookup:
    """(area id, or None for the whole; period) -> the published figure."""
    lookups: dict[str | None, dict[Period, Observation]] = {
        None: _by_period(metric.values, metric.months)
    }
    for series in metric.areas:
        lookups[series.area] = _by_period(series.values, series.months)

    def figure(area_id: str | None, period: Period) -> AreaFigure:
        observation = lookups.get(area_id, {}).get(period)
        return (
            NO_FIGURE if observation is None else AreaFigure(observation.value, observation.flags)
        )

    return figure


def ratio_figures(figures: Figures, metric: Metric) -> FigureLookup:
    """100 x numerator / denominator, both from the parts: the ratio of the summed counts."""
    ratio = metric.ratio_of
    assert ratio is not None
    numerators = count_figures(figures.metric(ratio.numerator))
    denominators = count_figures(figures.metric(ratio.denominator))

    def figure(area_id: str | None, period: Period) -> AreaFigure:
        top, bottom = numerators(area_id, period), denominators(area_id, period)
        if top.value is None or not bottom.value:
            return NO_FIGURE
        value = ratio_percent(top.value, bottom.value)
        flags = ratio_flags(top.value, bottom.value, top.flags, bottom.flags)
        return AreaFigure(value, flags, (top.value, bottom.value))

    return figure


def ratio_percent(numerator: Decimal, denominator: Decimal) -> Decimal:
    """100 x numerator / denominator, exact to 60 digits (the denominator is not 0)."""
    return _EXACT.divide(_EXACT.multiply(numerator, _HUNDRED), denominator)


def ratio_values(
    numerators: tuple[Observation, ...], denominators: tuple[Observation, ...]
) -> tuple[Observation, ...]:
    """A ratio's percentages worked out from its parts, in each period both parts give (and
    whose denominator is not 0)."""
    below = {o.period: o for o in denominators}
    worked_out = []
    for top in numerators:
        bottom = below.get(top.period)
        if bottom is not None and bottom.value:
            value = ratio_percent(top.value, bottom.value)
            flags = ratio_flags(top.value, bottom.value, top.flags, bottom.flags)
            worked_out.append(Observation(top.period, value, flags))
    return tuple(worked_out)


def ratio_flags(
    numerator: Decimal, denominator: Decimal, *flags: tuple[Flag, ...]
) -> tuple[Flag, ...]:
    """A ratio's flags: its parts', and low reliability where the numerator is larger than
    the denominator: a share over 100% cannot be right."""
    over = (Flag.LOW_RELIABILITY,) if numerator > denominator else ()
    return merged_flags(*flags, over)


def merged_flags(*flags: tuple[Flag, ...]) -> tuple[Flag, ...]:
    """The flags of a figure worked out from others: any flag of any of them, in order."""
    return tuple(f for f in Flag if any(f in some for some in flags))
