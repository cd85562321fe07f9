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
from gunstats.cli_data import DATA_IN_COMMANDS
from gunstats.exits import reported_errors, run
from gunstats.model import Figures
from gunstats.params import (
    CHART_FORMATS,
    FILE,
    FINANCIAL_YEAR,
    FOLDER,
    MonthType,
    area_chart_options,
    area_option,
    chart_options,
    check_csv_raw,
    confidence_option,
    date_option,
    figures_option,
    from_option,
    load,
    metric_option,
    output_options,
    period_style_option,
    spc_chart_options,
    spc_months_option,
    to_option,
    today,
)
from gunstats.periods import FinancialYear, Month

DATED_FORMATS = ("markdown", "template", "xlsx")  # the report formats that say when made


# import, set and schema are declared in gunstats.cli_data, to keep this file readable.
@click.group(context_settings={"help_option_names": ["-h", "--help"]}, commands=DATA_IN_COMMANDS)
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
    from gunstats.delivery import choose_format, deliver, refuse_inputs, target
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
        drawn = target(output, environment)
        options = RenderOptions(
            precision=precision,
            period_style=PeriodStyle(period_style),
            produced=today(date_text).isoformat() if chosen in DATED_FORMATS else None,
            charts=()
            if charts_dir is None
            else _report_charts(data, metric_ids, first, last, charts_dir, output, inputs),
            styled=drawn.styled,
            color=drawn.color,
            width=drawn.width,
            ascii_only=drawn.ascii_only,
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
    from gunstats.chart_specs import chart_filename, chart_specs
    from gunstats.charts import require_charts, write_chart_files
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


@cli.command()
@figures_option
@metric_option
@from_option
@to_option
@chart_options
@spc_chart_options
@area_chart_options
@click.pass_context
def chart(
    ctx: click.Context,
    figures: str | None,
    metric_ids: tuple[str, ...],
    first: FinancialYear | None,
    last: FinancialYear | None,
    monthly: bool,
    spc: bool,
    spc_months: int,
    output: str | None,
    output_dir: str | None,
    image_format: str | None,
    by_area: bool,
    area_period: FinancialYear | Month | None,
    per: int,
) -> None:
    """Draw the figures as charts (PNG, SVG or PDF); print the files written.

    Needs the charts extra: pip install '.[charts]' in the gunstats folder.

    \b
    Example:
        gunstats chart --output-dir charts/
        gunstats chart --metric shootings --format svg --output-dir charts/
        gunstats chart --output brief.pdf
        gunstats chart --monthly --spc -f examples/monthly.yaml --output-dir charts/
        gunstats chart -f examples/areas.yaml --areas --output areas.svg
    """
    from click.core import ParameterSource

    from gunstats.params import check_source_date
    from gunstats.selection import check_selection

    if (output is None) == (output_dir is None):
        raise click.UsageError("give either --output FILE or --output-dir DIR.")
    if spc and not monthly:
        raise click.UsageError("--spc charts monthly values: add --monthly.")
    if not spc and ctx.get_parameter_source("spc_months") is ParameterSource.COMMANDLINE:
        raise click.UsageError("--spc-months sets the months of an XmR chart: add --spc.")
    if spc and (first or last):
        raise click.UsageError(
            "--from and --to do not apply to --spc: it charts the latest --spc-months months."
        )
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
        from gunstats.chart_specs import chart_filename, chart_specs
        from gunstats.charts import draw, require_charts, write_chart_files
        from gunstats.compute import with_derived_years
        from gunstats.delivery import refuse_inputs
        from gunstats.errors import FiguresError, Problem

        require_charts()
        data = load(figures) if monthly else with_derived_years(load(figures))
        check_selection(data, metric_ids, *((None, None) if monthly else (first, last)), None)
        if spc:
            written = _spc_charts(data, metric_ids, spc_months, output, output_dir, image_format)
            for path in written:
                click.echo(path)
            return
        specs = chart_specs(data, metric_ids or None, first, last, monthly=monthly)
        if not specs and monthly:  # the file lacks what the command needs: bad input
            which = f" for {', '.join(metric_ids)}" if metric_ids else ""
            message = f"no monthly values (months:) to chart{which}"
            raise FiguresError([Problem(data.path, None, None, "", message)])
        if not specs:
            raise click.BadParameter(
                f"no values between {first or 'the start'} and {last or 'the end'} in {data.path}.",
                param_hint="'--from/--to'",
            )
        inputs = [("the figures file", data.path)]
        if output is not None:
            from gunstats.output import write_bytes_atomically

            refuse_inputs([("'--output'", output)], inputs)
            write_bytes_atomically(output, draw(specs, extension))
            written = [output]
        else:
            assert output_dir is not None  # one of the two, checked above
            fmt = image_format or "png"
            planned = [os.path.join(output_dir, chart_filename(spec, fmt)) for spec in specs]
            refuse_inputs([("'--output-dir'", path) for path in planned], inputs)
            written = write_chart_files(specs, output_dir, fmt)
    from gunstats.errors import printable

    for path in written:
        click.echo(printable(path))


def _spc_charts(
    data: Figures,
    metric_ids: tuple[str, ...],
    months: int,
    output: str | None,
    output_dir: str | None,
    image_format: str | None,
) -> list[str]:
    """Draw the XmR charts: one file with a panel per metric, or one file per metric.

    A metric with too few months for a chart is a warning naming why; none at all, an error.
    """
    from gunstats.charts_spc import NoSpcChart, draw_spc, spc_specs, write_spc_files
    from gunstats.output import write_bytes_atomically
    from gunstats.spc import NoProcessChart

    specs = spc_specs(data, metric_ids or None, months)
    if not specs:
        raise click.BadParameter(
            f"no monthly values (months:) in {data.path}.", param_hint="'--monthly'"
        )
    reasons = [
        f"{spec.metric_id}: no XmR chart, as {spec.chart.reason}"
        for spec in specs
        if isinstance(spec.chart, NoProcessChart)
    ]
    if len(reasons) == len(specs):
        raise NoSpcChart(f"{data.path}: " + "; ".join(reasons))
    for reason in reasons:
        warn(reason, quiet=False)
    if output is not None:
        write_bytes_atomically(output, draw_spc(specs, image_format or "png"))
        return [output]
    assert output_dir is not None  # one of the two, checked by the command
    return write_spc_files(specs, output_dir, image_format or "png")


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
    from gunstats.delivery import choose_format, deliver, refuse_inputs, target
    from gunstats.errors import StaleDataError
    from gunstats.monthly import build_summary, resolve_month
    from gunstats.render import summary_renderer
    from gunstats.render.options import RenderOptions
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
        drawn = target(output, environment)
        options = RenderOptions(
            precision=precision,
            produced=reference.isoformat() if chosen == "xlsx" else None,
            styled=drawn.styled,
            color=drawn.color,
            width=drawn.width,
            ascii_only=drawn.ascii_only,
            csv_raw=csv_raw,
        )
        deliver(summary_renderer(chosen)(computed, options), output)


cli.add_command(areas)


def main(argv: list[str] | None = None) -> None:
    """Entry point (the ``gunstats`` script): run the commands, owning every exit code."""
    run(cli, argv)
