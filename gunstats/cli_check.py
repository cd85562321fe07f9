"""``gunstats validate`` and ``gunstats metrics``: check a figures file, list its metrics."""

from __future__ import annotations

import click

from gunstats.exits import reported_errors
from gunstats.params import figures_option, load


@click.command()
@figures_option
@click.pass_context
def validate(ctx: click.Context, figures: str | None) -> None:
    """Check a figures file; print a one-line summary or every problem (exit 1).

    Warnings (exit 0) go to stderr: gaps in monthly series, financial years whose months
    do not add up to the yearly value given, and key-point sentences that open with a figure.

    \b
    Example:
        gunstats validate -f figures.yaml
    """
    with reported_errors(ctx):
        data = load(figures)
    from gunstats.prose import sentence_warnings
    from gunstats.validate_areas import area_warnings
    from gunstats.validate_months import consistency_warnings

    notices = (*consistency_warnings(data), *area_warnings(data))
    for notice in sorted(notices, key=lambda n: n.line or 0):  # valid, but not what was meant?
        click.echo(str(notice), err=True)
    for where, message in sentence_warnings(data):
        click.echo(f"{data.path}: warning: {where}: {message}", err=True)
    values = sum(len(m.values) + len(m.months) for m in data.metrics)
    values += sum(len(a.values) + len(a.months) for m in data.metrics for a in m.areas)
    areas = f", {_count(len(data.areas), 'area')}" if data.areas else ""
    click.echo(
        f"{data.path}: valid: {_count(len(data.metrics), 'metric')}, "
        f"{_count(values, 'value')}, {_count(len(data.sources), 'source')}{areas}"
    )


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


@click.command()
@figures_option
@click.pass_context
def metrics(ctx: click.Context, figures: str | None) -> None:
    """List the metrics: id, label, unit, which way is better, source.

    \b
    Example:
        gunstats metrics -f figures.yaml
    """
    with reported_errors(ctx):
        data = load(figures)
    rows = [("ID", "LABEL", "UNIT", "BETTER", "SOURCE")]
    rows += [(m.id, m.label, m.unit.value, m.better.value, m.source or "-") for m in data.metrics]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
