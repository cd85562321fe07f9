"""``gunstats areas``, and what ``gunstats chart --areas`` does: registered on the group by
:mod:`gunstats.cli`, which keeps ``--area`` on report and summary.

Like every command, these only read options, call load -> compute -> render and map errors
to exit codes; the comparison itself is :mod:`gunstats.areas`. The options of a comparison
by area (``--metric`` for one measure, ``--period``, ``--per``) are declared here, where
``gunstats chart`` finds ``--period`` and ``--per`` too.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click
from click.core import ParameterSource

from gunstats.exits import reported_errors
from gunstats.params import (
    area_format_option,
    check_csv_raw,
    color_option,
    complete_metric,
    confidence_option,
    csv_raw_option,
    figures_option,
    load,
    output_option,
)
from gunstats.periods import FinancialYear, Month, Period, PeriodError, parse_financial_year


class PeriodType(click.ParamType):
    """A financial year (``2021/22``) or a calendar month (``2023-01``)."""

    name = "PERIOD"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> FinancialYear | Month:
        from gunstats.periods import parse_month

        if isinstance(value, (FinancialYear, Month)):
            return value
        try:
            return parse_financial_year(value)
        except PeriodError as error:
            try:
                return parse_month(value)
            except PeriodError:
                self.fail(f"{error}, or a month such as 2023-01", param, ctx)


one_metric_option = click.option(
    "--metric",
    "-m",
    "metric_id",
    metavar="ID",
    shell_complete=complete_metric,
    help="The measure compared. [default: the only one with area values]",
)
area_period_option = click.option(
    "--period",
    "area_period",
    type=PeriodType(),
    help="The year (2021/22) or month (2023-01) compared. [default: the latest year with "
    "area values, else the latest month]",
)
per_option = click.option(
    "--per",
    type=click.IntRange(1, 10**9),
    default=100_000,
    show_default=True,
    help="Rates per this many people.",
)


@click.command()
@figures_option
@one_metric_option
@area_period_option
@per_option
@click.option(
    "--sort",
    type=click.Choice(("rate", "value", "name", "change")),
    default="rate",
    show_default=True,
    help="Order of the areas: by rate, value or change (highest first), or by name.",
)
@confidence_option
@area_format_option
@output_option
@csv_raw_option
@color_option
@click.pass_context
def areas(
    ctx: click.Context,
    figures: str | None,
    metric_id: str | None,
    area_period: Period | None,
    per: int,
    sort: str,
    confidence: float,
    output_format: str | None,
    output: str | None,
    csv_raw: bool,
    color: bool | None,
) -> None:
    """Compare areas for one measure: rates per 100,000 people, ranks, changes.

    \b
    Example:
        gunstats areas -f examples/areas.yaml --metric firearm_offences
        gunstats areas --metric shootings --period 2021/22 --sort name --format csv
    """
    from gunstats import terminal
    from gunstats.compute import with_derived_years
    from gunstats.delivery import choose_format, deliver, drawn_for, refuse_inputs
    from gunstats.render import AREA_FORMATS, areas_renderer
    from gunstats.selection import area_table

    environment = terminal.detect(sys.stdout, color_flag=color)
    chosen = choose_format(output_format, output, os.environ, environment.is_terminal, AREA_FORMATS)
    check_csv_raw(csv_raw, chosen)
    with reported_errors(ctx):
        metric_ids = (metric_id,) if metric_id else ()
        data = with_derived_years(load(figures))
        refuse_inputs([("'--output'", output)] if output else [], [("the figures file", data.path)])
        table = area_table(data, metric_ids, area_period, per, sort, confidence)
        options = drawn_for(output, environment)._replace(csv_raw=csv_raw)
        deliver(areas_renderer(chosen)(table, options), output)


def chart_areas(
    ctx: click.Context,
    metric_ids: tuple[str, ...],
    output: str | None,
    output_dir: str | None,
    image_format: str | None,
) -> bool:
    """``chart --areas``: draw the areas' bar chart and print its path (True), or say that
    the other charts are wanted (False). Options of the one kind are usage errors with the
    other."""
    params = ctx.params
    if not params["by_area"]:
        given = [
            option
            for option, name in (("--period", "area_period"), ("--per", "per"))
            if ctx.get_parameter_source(name) is not ParameterSource.DEFAULT
        ]
        if given:
            verb = "goes" if len(given) == 1 else "go"
            raise click.UsageError(f"{_listed(given)} {verb} with --areas only.")
        return False
    others = [
        option
        for option, name in (("--from", "first"), ("--to", "last"), ("--monthly", "monthly"))
        if params[name]
    ]
    if others:
        verb = "is" if len(others) == 1 else "are"
        raise click.UsageError(
            f"--areas charts one period, chosen with --period; {_listed(others)} {verb} for "
            "the other charts."
        )
    from gunstats.selection import area_table

    with reported_errors(ctx):
        from gunstats.chart_figure import require_charts
        from gunstats.charts_areas import area_chart_filename, area_chart_spec, draw_area_chart
        from gunstats.compute import with_derived_years
        from gunstats.delivery import refuse_inputs
        from gunstats.output import make_folder, write_bytes_atomically

        require_charts()
        data = with_derived_years(load(params["figures"]))
        table = area_table(data, metric_ids, params["area_period"], params["per"], "rate")
        spec = area_chart_spec(table)
        fmt = image_format or "png"
        option = "'--output'"
        if output is None:
            assert output_dir is not None  # one of the two, checked by chart
            output, option = (
                os.path.join(output_dir, area_chart_filename(spec, fmt)),
                "'--output-dir'",
            )
        refuse_inputs([(option, output)], [("the figures file", data.path)])
        if output_dir is not None:
            make_folder(output_dir)
        write_bytes_atomically(output, draw_area_chart(spec, fmt))
    from gunstats.errors import printable

    click.echo(printable(output))
    return True


def _listed(options: list[str]) -> str:
    return options[0] if len(options) == 1 else ", ".join(options[:-1]) + " and " + options[-1]
