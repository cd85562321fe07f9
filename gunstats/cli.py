"""The command line: parse options, call load -> compute -> render, map errors to exit codes.

Data goes to stdout, messages to stderr. Shared options live in :mod:`gunstats.params`,
checks of the selection in :mod:`gunstats.selection`, where the text goes in
:mod:`gunstats.delivery`, and errors become exit codes in :mod:`gunstats.exits`.
"""

from __future__ import annotations

import os
import sys

import click

from gunstats import __version__
from gunstats.cli_areas import areas, chart_areas
from gunstats.exits import reported_errors, run
from gunstats.model import Figures
from gunstats.params import (
    CHART_FORMATS,
    FINANCIAL_YEAR,
    MonthType,
    area_chart_options,
    area_option,
    chart_options,
    date_option,
    figures_option,
    from_option,
    load,
    metric_option,
    output_options,
    period_style_option,
    to_option,
    today,
)
from gunstats.periods import FinancialYear, Month


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="gunstats")
@click.option("--debug", is_flag=True, help="Show a traceback for errors (for bug reports).")
def cli(debug: bool) -> None:
    """Gun-crime figures from a YAML file, with their changes computed right.

    \b
    Example:
        gunstats report                      # table in a terminal, Markdown in a pipe
        gunstats report --format json -o figures.json
        gunstats validate -f figures.yaml
    """


@cli.command()
@figures_option
@output_options
@from_option
@to_option
@click.option(
    "--baseline",
    type=FINANCIAL_YEAR,
    help="Compare the latest value with this year. [default: each metric's earliest shown]",
)
@period_style_option
@date_option
@click.option(
    "--template",
    metavar="FILE",
    help="Render through this Jinja2 template instead of a format (sandboxed; needs "
    "pip install 'gunstats[templates]'). See examples/press-release.md.j2.",
)
@click.option(
    "--charts",
    "charts_dir",
    metavar="DIR",
    help="Markdown only: write a PNG chart per metric into DIR and embed them, with alt "
    "text. Needs the charts extra: pip install 'gunstats[charts]'.",
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
    color: bool | None,
    period_style: str,
    date_text: str | None,
    template: str | None,
    charts_dir: str | None,
    area_id: str | None,
) -> None:
    """Print the figures and their changes as a table, Markdown, JSON or CSV.

    \b
    Example:
        gunstats report --format markdown | pandoc -f gfm -o brief.docx
        gunstats report --metric shootings --from 2019/20 --format json
        gunstats report --template examples/press-release.md.j2 --period-style gov-uk
        gunstats report -f examples/areas.yaml --area cleveland
    """
    from gunstats import terminal
    from gunstats.compute import build_report
    from gunstats.delivery import choose_format, deliver, target
    from gunstats.prose import PeriodStyle
    from gunstats.render import renderer
    from gunstats.render.options import RenderOptions
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
    if charts_dir is not None and chosen != "markdown":
        raise click.BadParameter(
            f"charts are embedded only in Markdown, not {chosen}; add --format markdown.",
            param_hint="'--charts'",
        )
    with reported_errors(ctx):
        data = select_area(load(figures), area_id)
        check_selection(data, metric_ids, first, last, baseline)
        computed = build_report(data, metric_ids or None, first, last, baseline)
        drawn = target(output, environment)
        options = RenderOptions(
            precision=precision,
            period_style=PeriodStyle(period_style),
            produced=today(date_text).isoformat() if chosen in ("markdown", "template") else None,
            charts=()
            if charts_dir is None
            else _report_charts(data, metric_ids, first, last, charts_dir, output),
            styled=drawn.styled,
            color=drawn.color,
            width=drawn.width,
            ascii_only=drawn.ascii_only,
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
) -> tuple[tuple[str, str], ...]:
    """Write the report's charts as PNG; return (link, alt text) pairs relative to the report."""
    from gunstats.chart_specs import chart_specs
    from gunstats.charts import require_charts, write_chart_files

    require_charts()
    specs = chart_specs(data, metric_ids or None, first, last)
    paths = write_chart_files(specs, charts_dir, "png")
    base = os.path.dirname(os.path.abspath(output)) if output else os.getcwd()
    return tuple(
        (os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/"), spec.alt_text)
        for spec, path in zip(specs, paths, strict=True)
    )


@cli.command()
@figures_option
@metric_option
@from_option
@to_option
@chart_options
@area_chart_options
@click.pass_context
def chart(
    ctx: click.Context,
    figures: str | None,
    metric_ids: tuple[str, ...],
    first: FinancialYear | None,
    last: FinancialYear | None,
    monthly: bool,
    output: str | None,
    output_dir: str | None,
    image_format: str | None,
    by_area: bool,
    area_period: FinancialYear | Month | None,
    per: int,
) -> None:
    """Draw the figures as charts (PNG, SVG or PDF); print the files written.

    Needs the charts extra: pip install 'gunstats[charts]'.

    \b
    Example:
        gunstats chart --output-dir charts/
        gunstats chart --metric shootings --format svg --output-dir charts/
        gunstats chart --output brief.pdf
        gunstats chart -f examples/areas.yaml --areas --output areas.svg
    """
    from gunstats.params import check_source_date
    from gunstats.selection import check_selection

    if (output is None) == (output_dir is None):
        raise click.UsageError("give either --output FILE or --output-dir DIR.")
    check_source_date()
    if output is not None:
        extension = os.path.splitext(output)[1].lower().lstrip(".")
        if extension not in CHART_FORMATS:
            raise click.BadParameter(
                f"cannot tell the image format from {output!r}: end it with "
                f"{', '.join('.' + f for f in CHART_FORMATS)}.",
                param_hint="'--output'",
            )
        if image_format and image_format != extension:
            raise click.BadParameter(
                f"--format {image_format} disagrees with {output!r}.", param_hint="'--format'"
            )
        image_format = extension
    if chart_areas(ctx, metric_ids, output, output_dir, image_format):
        return
    with reported_errors(ctx):
        from gunstats.chart_specs import chart_specs
        from gunstats.charts import draw, require_charts, write_chart_files

        require_charts()
        data = load(figures)
        check_selection(data, metric_ids, *((None, None) if monthly else (first, last)), None)
        specs = chart_specs(data, metric_ids or None, first, last, monthly=monthly)
        if not specs:
            kind = "monthly values (months:)" if monthly else "values"
            raise click.BadParameter(
                f"no {kind} between {first or 'the start'} and {last or 'the end'} in {data.path}.",
                param_hint="'--monthly'" if monthly else "'--from/--to'",
            )
        if output is not None:
            from gunstats.output import write_bytes_atomically

            write_bytes_atomically(output, draw(specs, extension))
            written = [output]
        else:
            assert output_dir is not None  # one of the two, checked above
            written = write_chart_files(specs, output_dir, image_format or "png")
    for path in written:
        click.echo(path)


@cli.command()
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
    from gunstats.monthly import consistency_warnings
    from gunstats.prose import sentence_warnings
    from gunstats.validate_areas import area_warnings

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


@cli.command()
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


def warn(message: str, quiet: bool) -> None:
    """A warning on stderr unless ``--quiet``; errors never go through here."""
    if not quiet:
        click.echo(f"gunstats: warning: {message}", err=True)


@cli.command()
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
    strict: bool,
    quiet: bool,
    color: bool | None,
    area_id: str | None,
) -> None:
    """Summarise one month: year to date, rolling 12 months, same month last year, last month.

    \b
    Example:
        gunstats summary -f examples/monthly.yaml --month 2023-01
        gunstats summary --month previous --output /srv/reports/summary.md   # from cron
    """
    from gunstats import terminal
    from gunstats.delivery import choose_format, deliver, target
    from gunstats.errors import StaleDataError
    from gunstats.monthly import build_summary, resolve_month
    from gunstats.render import summary_renderer
    from gunstats.render.options import RenderOptions
    from gunstats.selection import check_metrics, select_area

    reference = today(date_text)
    environment = terminal.detect(sys.stdout, color_flag=color)
    chosen = choose_format(output_format, output, os.environ, environment.is_terminal)
    with reported_errors(ctx):
        data = select_area(load(figures), area_id)
        check_metrics(data, metric_ids)
        chosen_month = resolve_month(data, month, reference)
        computed = build_summary(data, chosen_month, metric_ids or None)
        if computed.lacking:
            listed = ", ".join(m.id for m in computed.lacking)
            message = f"no figures for {chosen_month.name()} ({chosen_month}) for: {listed}"
            if strict:
                raise StaleDataError(f"{data.path}: {message} (an error under --strict)")
            warn(f"{message}; shown as [x]", quiet)
        drawn = target(output, environment)
        options = RenderOptions(
            precision=precision,
            styled=drawn.styled,
            color=drawn.color,
            width=drawn.width,
            ascii_only=drawn.ascii_only,
        )
        deliver(summary_renderer(chosen)(computed, options), output)


cli.add_command(areas)


def main(argv: list[str] | None = None) -> None:
    """Entry point (the ``gunstats`` script): run the commands, owning every exit code."""
    run(cli, argv)
