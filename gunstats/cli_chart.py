"""``gunstats chart``: the figures drawn as PNG, SVG or PDF (yearly, monthly, XmR, areas)."""

from __future__ import annotations

import os

import click

from gunstats.cli_areas import area_period_option, chart_areas, per_option
from gunstats.delivery import warn
from gunstats.exits import reported_errors
from gunstats.model import Figures
from gunstats.params import (
    FILE,
    FOLDER,
    figures_option,
    from_option,
    load,
    metric_option,
    spc_months_option,
    to_option,
)
from gunstats.periods import FinancialYear, Month

CHART_FORMATS = ("png", "svg", "pdf")
"""What :mod:`gunstats.chart_figure` draws (its ``FORMATS``), known here without importing it."""


@click.command()
@figures_option
@metric_option
@from_option
@to_option
@click.option(
    "--monthly",
    is_flag=True,
    help="Chart the monthly values (months:) instead of the financial years.",
)
@click.option(
    "--output",
    "-o",
    type=FILE,
    metavar="FILE",
    help="One image with a panel per metric; .png, .svg or .pdf decides the format.",
)
@click.option(
    "--output-dir",
    "-d",
    "output_dir",
    type=FOLDER,
    metavar="DIR",
    help="One image per metric, named after its id, in DIR (made if missing).",
)
@click.option(
    "--format",
    "image_format",
    type=click.Choice(CHART_FORMATS),
    help="Image format for --output-dir. [default: png]",
)
@click.option(
    "--spc",
    is_flag=True,
    help="With --monthly: draw an XmR (SPC) chart of the latest --spc-months months, "
    "with its mean, process limits and signals.",
)
@spc_months_option
@click.option(
    "--areas",
    "by_area",
    is_flag=True,
    help="A bar chart of one metric's rates by area (with --period and --per; not "
    "with --from, --to or --monthly).",
)
@area_period_option
@per_option
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
        from gunstats.chart_figure import require_charts
        from gunstats.chart_specs import chart_filename, chart_specs
        from gunstats.charts import draw, write_chart_files
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
