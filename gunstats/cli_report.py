"""``gunstats report``: the figures and their changes as a table, Markdown, JSON, CSV, xlsx
or a template, with charts embedded in Markdown on request."""

from __future__ import annotations

import os
import sys

import click

from gunstats.exits import reported_errors
from gunstats.model import Figures
from gunstats.params import (
    FILE,
    FINANCIAL_YEAR,
    FOLDER,
    area_option,
    check_csv_raw,
    confidence_option,
    date_option,
    figures_option,
    from_option,
    load,
    output_options,
    period_style_option,
    to_option,
    today,
)
from gunstats.periods import FinancialYear

DATED_FORMATS = ("markdown", "template", "xlsx")  # the report formats that say when made


@click.command()
@figures_option
@output_options
@from_option
@to_option
@click.option(
    "--baseline",
    type=FINANCIAL_YEAR,
    help="Compare the latest value with this year. [default: each metric's earliest shown]",
)
@confidence_option
@period_style_option
@date_option
@click.option(
    "--template",
    type=FILE,
    metavar="FILE",
    help="Render through this Jinja2 template instead of a format (sandboxed; needs "
    "the templates extra). An example to start from: examples/press-release.md.j2 in the "
    "gunstats folder, installed as gunstats/examples/.",
)
@click.option(
    "--charts",
    "charts_dir",
    type=FOLDER,
    metavar="DIR",
    help="Markdown only: write a PNG chart per metric into DIR and embed them, with alt "
    "text. Needs the charts extra: pip install '.[charts]' in the gunstats folder.",
)
@area_option
@click.pass_context
def report(
    ctx: click.Context,
    figures: str | None,
    output_format: str | None,
    metric_ids: tuple[str, ...],
    first: FinancialYear | None,
    last: FinancialYear | None,
    baseline: FinancialYear | None,
    precision: int,
    output: str | None,
    csv_raw: bool,
    color: bool | None,
    confidence: float,
    period_style: str,
    date_text: str | None,
    template: str | None,
    charts_dir: str | None,
    area_id: str | None,
) -> None:
    """Print the figures and their changes as a table, Markdown, JSON, CSV or xlsx.

    \b
    Example:
        gunstats report --format markdown | pandoc -f gfm -o brief.docx
        gunstats report --output report.xlsx      # needs the spreadsheets extra
        gunstats report --metric shootings --from 2019/20 --format json
        gunstats report --template examples/press-release.md.j2 --period-style gov-uk
        gunstats report -f examples/areas.yaml --area cleveland
    """
    from gunstats import terminal
    from gunstats.compute import build_report, with_derived_years
    from gunstats.delivery import choose_format, deliver, drawn_for, refuse_inputs
    from gunstats.periods import PeriodStyle
    from gunstats.render import renderer
    from gunstats.selection import check_selection, select_area

    environment = terminal.detect(sys.stdout, color_flag=color)
    if template and output_format not in (None, "markdown"):
        raise click.BadParameter(
            f"--template writes the template's own text, not {output_format}",
            param_hint="'--format'",
        )
    chosen = (
        "template"
        if template
        else choose_format(output_format, output, os.environ, environment.is_terminal)
    )
    check_csv_raw(csv_raw, chosen)
    if charts_dir is not None and chosen != "markdown":
        raise click.BadParameter(
            f"charts are embedded only in Markdown, not {chosen}; add --format markdown.",
            param_hint="'--charts'",
        )
    with reported_errors(ctx):
        data = with_derived_years(select_area(load(figures), area_id))
        inputs = [("the figures file", data.path), ("the template", template)]
        refuse_inputs([("'--output'", output)] if output else [], inputs)
        check_selection(data, metric_ids, first, last, baseline)
        computed = build_report(data, metric_ids or None, first, last, baseline, confidence)
        options = drawn_for(output, environment)._replace(
            precision=precision,
            period_style=PeriodStyle(period_style),
            produced=today(date_text).isoformat() if chosen in DATED_FORMATS else None,
            charts=()
            if charts_dir is None
            else _report_charts(data, metric_ids, first, last, charts_dir, output, inputs),
            csv_raw=csv_raw,
        )
        if template:
            from gunstats.render.template import render as render_template

            text = render_template(computed, template, options)
        else:
            text = renderer(chosen)(computed, options)
        deliver(text, output)


def _report_charts(
    data: Figures,
    metric_ids: tuple[str, ...],
    first: FinancialYear | None,
    last: FinancialYear | None,
    charts_dir: str,
    output: str | None,
    inputs: list[tuple[str, str | None]],
) -> tuple[tuple[str, str], ...]:
    """Write the report's charts as PNG; return (link, alt text) pairs relative to the report."""
    from gunstats.chart_figure import require_charts
    from gunstats.chart_specs import chart_filename, chart_specs
    from gunstats.charts import write_chart_files
    from gunstats.delivery import refuse_inputs

    require_charts()
    specs = chart_specs(data, metric_ids or None, first, last)
    planned = [os.path.join(charts_dir, chart_filename(spec, "png")) for spec in specs]
    refuse_inputs([("'--charts'", path) for path in planned], inputs)
    refuse_inputs(
        [("'--output'", output)] if output else [], [("a chart it embeds", p) for p in planned]
    )
    paths = write_chart_files(specs, charts_dir, "png")
    base = os.path.dirname(os.path.abspath(output)) if output else os.getcwd()
    return tuple(
        (os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/"), spec.alt_text)
        for spec, path in zip(specs, paths, strict=True)
    )
