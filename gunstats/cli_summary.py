"""``gunstats summary``: one month against its normal range, year to date, rolling 12 months,
the same month last year and the previous month (the page cron writes)."""

from __future__ import annotations

import os
import sys

import click

from gunstats.delivery import warn
from gunstats.exits import reported_errors
from gunstats.params import (
    MonthType,
    area_option,
    check_csv_raw,
    confidence_option,
    date_option,
    figures_option,
    load,
    output_options,
    spc_months_option,
    today,
)
from gunstats.periods import Month


@click.command()
@figures_option
@click.option(
    "--month",
    type=MonthType(),
    metavar="YYYY-MM|latest|previous",
    default="latest",
    show_default=True,
    help="The month to summarise: YYYY-MM, 'latest' (the latest month in the data) or "
    "'previous' (the calendar month before today, --date or SOURCE_DATE_EPOCH; for cron).",
)
@date_option
@output_options
@confidence_option
@spc_months_option
@click.option(
    "--strict",
    is_flag=True,
    help="Fail (exit 1) if any metric has no value for the month, instead of showing [x].",
)
@click.option("--quiet", "-q", is_flag=True, help="No warnings on stderr (errors still show).")
@area_option
@click.pass_context
def summary(
    ctx: click.Context,
    figures: str | None,
    month: Month | str,
    date_text: str | None,
    output_format: str | None,
    metric_ids: tuple[str, ...],
    precision: int,
    output: str | None,
    csv_raw: bool,
    confidence: float,
    spc_months: int,
    strict: bool,
    quiet: bool,
    color: bool | None,
    area_id: str | None,
) -> None:
    """One month: its normal range (SPC), year to date, rolling 12 months, same month last year,
    previous month.

    \b
    Example:
        gunstats summary -f examples/monthly.yaml --month 2023-01
        gunstats summary --month previous --output /srv/reports/summary.md   # from cron
    """
    from gunstats import terminal
    from gunstats.delivery import choose_format, deliver, drawn_for, refuse_inputs
    from gunstats.errors import StaleDataError
    from gunstats.monthly import build_summary, resolve_month
    from gunstats.render import summary_renderer
    from gunstats.selection import check_metrics, select_area

    reference = today(date_text)
    environment = terminal.detect(sys.stdout, color_flag=color)
    chosen = choose_format(output_format, output, os.environ, environment.is_terminal)
    check_csv_raw(csv_raw, chosen)
    with reported_errors(ctx):
        data = select_area(load(figures), area_id)
        refuse_inputs([("'--output'", output)] if output else [], [("the figures file", data.path)])
        check_metrics(data, metric_ids)
        chosen_month = resolve_month(data, month, reference)
        computed = build_summary(
            data,
            chosen_month,
            metric_ids or None,
            confidence=confidence,
            spc_months=spc_months,
        )
        if computed.lacking:
            listed = ", ".join(m.id for m in computed.lacking)
            message = f"no figures for {chosen_month.name()} ({chosen_month}) for: {listed}"
            if strict:
                raise StaleDataError(f"{data.path}: {message} (an error under --strict)")
            warn(f"{message}; shown as [x]", quiet)
        options = drawn_for(output, environment)._replace(
            precision=precision,
            produced=reference.isoformat() if chosen == "xlsx" else None,
            csv_raw=csv_raw,
        )
        deliver(summary_renderer(chosen)(computed, options), output)
