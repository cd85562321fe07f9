"""Checks of what a command asked for against what the figures file holds: usage errors (exit 2).

A metric id or a period that the file does not have is the user's mistake in the command
line, not a fault in the file, so it is reported as a bad option value, naming the option.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from gunstats.errors import closest
from gunstats.model import Figures
from gunstats.periods import FinancialYear, year_of


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
    if periods and not [
        p for p in periods if (first is None or p >= first) and (last is None or p <= last)
    ]:
        raise click.BadParameter(
            f"no values between {first or 'the start'} and {last or 'the end'} "
            f"(periods: {listed}).",
            param_hint="'--from/--to'",
        )


def check_metrics(figures: Figures, metric_ids: Sequence[str]) -> None:
    known = [m.id for m in figures.metrics]
    for metric_id in metric_ids:
        if metric_id not in known:
            match = closest(metric_id, known)
            hint = f" Did you mean {match!r}?" if match else f" Known: {', '.join(known)}."
            raise click.BadParameter(
                f"no metric {metric_id!r} in {figures.path}.{hint}", param_hint="'--metric'"
            )
