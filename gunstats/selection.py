"""Checks of what a command asked for against what the figures file holds: usage errors (exit 2).

A metric id or a period that the file does not have is the user's mistake in the command
line, not a fault in the file, so it is reported as a bad option value, naming the option.
A file with nothing of the kind a command needs (no areas at all) is bad input instead (exit 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

import click

from gunstats.errors import closest, listing, shorten
from gunstats.model import Figures, Metric
from gunstats.periods import FinancialYear, Period, year_of
from gunstats.significance import DEFAULT_CONFIDENCE

if TYPE_CHECKING:
    from gunstats.areas import AreaTable


def check_selection(
    figures: Figures,
    metric_ids: Sequence[str],
    first: FinancialYear | None,
    last: FinancialYear | None,
    baseline: FinancialYear | None,
) -> None:
    """Usage errors (exit 2) for metrics and periods the file does not have."""
    check_metrics(figures, metric_ids)
    if first and last and first > last:
        raise click.BadParameter(f"--from {first} is after --to {last}.", param_hint="'--from'")
    if baseline and last and baseline > last:
        # The latest value shown is at most --to: a later baseline has nothing to compare.
        raise click.BadParameter(
            f"--baseline {baseline} is after --to {last}.", param_hint="'--baseline'"
        )
    selected = [m for m in figures.metrics if not metric_ids or m.id in metric_ids]
    periods = sorted({year_of(o.period) for m in selected for o in m.values})
    listed = ", ".join(str(p) for p in periods) or "none"
    if baseline is not None and baseline not in periods:
        raise click.BadParameter(
            f"no value for {baseline} in {figures.path} (periods: {listed}).",
            param_hint="'--baseline'",
        )
    shown = [p for p in periods if (first is None or p >= first) and (last is None or p <= last)]
    if periods and not shown:
        raise click.BadParameter(
            f"no values between {first or 'the start'} and {last or 'the end'} "
            f"(periods: {listed}).",
            param_hint="'--from/--to'",
        )
    if baseline is not None and shown and baseline >= shown[-1]:
        # The change since the baseline ends at the latest year shown: none would be left.
        raise click.BadParameter(
            f"--baseline {baseline} is not before {shown[-1]}, the latest year shown; "
            "choose an earlier year.",
            param_hint="'--baseline'",
        )


def check_metrics(figures: Figures, metric_ids: Sequence[str]) -> None:
    known = [m.id for m in figures.metrics]
    for metric_id in metric_ids:
        if metric_id not in known:
            match = closest(metric_id, known)
            hint = f" Did you mean {match!r}?" if match else f" Known: {listing(known)}."
            raise click.BadParameter(
                f"no metric {shorten(metric_id)!r} in {figures.path}.{hint}",
                param_hint="'--metric'",
            )


def select_area(figures: Figures, area_id: str | None) -> Figures:
    """The figures of one area for --area (unchanged without it); a usage error if unknown."""
    if area_id is None:
        return figures
    from gunstats.area_report import figures_for_area

    known = [area.id for area in figures.areas]
    if not known:
        _lacks(figures, f"no areas (an 'areas:' mapping) to choose {shorten(area_id)!r} from")
    if area_id not in known:
        match = closest(area_id, known)
        hint = f" Did you mean {match!r}?" if match else f" Known: {listing(known) or 'none'}."
        raise click.BadParameter(
            f"no area {shorten(area_id)!r} in {figures.path}.{hint}", param_hint="'--area'"
        )
    chosen = figures_for_area(figures, area_id)
    if not chosen.metrics:
        raise click.BadParameter(
            f"area {area_id!r} has no values in {figures.path}.", param_hint="'--area'"
        )
    return chosen


def area_table(
    figures: Figures,
    metric_ids: Sequence[str],
    period: Period | None,
    per: int,
    sort: str,
    confidence: float = DEFAULT_CONFIDENCE,
) -> AreaTable:
    """The comparison ``gunstats areas`` prints, with usage errors for a metric or period
    that has no area values."""
    from gunstats.area_figures import area_periods, default_period
    from gunstats.areas import compare_areas

    metric = _metric_with_areas(figures, metric_ids)
    periods = area_periods(figures, metric)
    period = default_period(figures, metric) if period is None else period
    if period not in periods:
        raise click.BadParameter(
            f"no area values for {period} in {figures.path} (periods: "
            f"{', '.join(str(p) for p in periods)}).",
            param_hint="'--period'",
        )
    return compare_areas(figures, metric, period, per=per, sort=sort, confidence=confidence)


def _lacks(figures: Figures, message: str) -> NoReturn:
    """The file lacks what the command needs: bad input (exit 1), as ``chart --monthly`` on a
    file without months, not a mistake in the command line."""
    from gunstats.errors import FiguresError, Problem

    raise FiguresError([Problem(figures.path, None, None, "", message)])


def _metric_with_areas(figures: Figures, metric_ids: Sequence[str]) -> Metric:
    """The one metric asked for (or the only one with area values), which must have them."""
    from gunstats.area_figures import metrics_with_areas

    with_areas = [m.id for m in metrics_with_areas(figures)]
    if not with_areas:
        _lacks(figures, "no area values (areas: under a metric) to compare")
    listed = ", ".join(with_areas)
    if len(metric_ids) > 1:
        raise click.BadParameter("give one metric.", param_hint="'--metric'")
    if not metric_ids and len(with_areas) != 1:
        raise click.BadParameter(
            f"choose a metric with area values (in {figures.path}: {listed}).",
            param_hint="'--metric'",
        )
    metric_id = metric_ids[0] if metric_ids else with_areas[0]
    check_metrics(figures, [metric_id])
    if metric_id not in with_areas:
        raise click.BadParameter(
            f"metric {metric_id!r} has no area values in {figures.path} (metrics with "
            f"areas: {listed}).",
            param_hint="'--metric'",
        )
    return figures.metric(metric_id)
