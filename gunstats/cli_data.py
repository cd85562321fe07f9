"""The commands that bring figures in: ``import``, ``set`` and ``schema``.

Declared here rather than in :mod:`gunstats.cli` (which registers them on the group) only to
keep each file readable in one sitting; like every command they parse options, call the code
that does the work (:mod:`gunstats.importing`, :mod:`gunstats.edit`, :mod:`gunstats.schema`)
and report, with errors mapped to exit codes by :mod:`gunstats.exits`.
"""

from __future__ import annotations

import os

import click

from gunstats.errors import printable
from gunstats.exits import reported_errors
from gunstats.params import default_figures_path, figures_option

FLAG_CHOICES = ("provisional", "revised", "estimated", "break", "p", "r", "e", "b")


@click.command("import")
@click.argument("source", metavar="SOURCE")
@click.option(
    "--output", "-o", metavar="FILE", help="Write the figures file here. [default: stdout]"
)
@click.option("--force", is_flag=True, help="Replace --output if it exists.")
@click.option(
    "--sheet", metavar="NAME|N", help="The workbook sheet, by name or number. [default: 1]"
)
@click.option(
    "--into",
    metavar="FILE",
    help="Add the table's figures to this figures file, keeping its comments and layout.",
)
@click.option(
    "--revise",
    is_flag=True,
    help="With --into: a figure that differs from the file's takes the table's value, flagged "
    "revised. [default: an error]",
)
@click.option("--title", metavar="TEXT", help="The file's title. [default: the table's title]")
@click.option("--source-title", metavar="TEXT", help="Name the table's source (a publication).")
@click.option("--source-url", metavar="URL", help="The source's web address.")
@click.option("--publisher", metavar="TEXT", help="Who published the source.")
@click.pass_context
def import_command(
    ctx: click.Context,
    source: str,
    output: str | None,
    force: bool,
    sheet: str | None,
    into: str | None,
    revise: bool,
    title: str | None,
    source_title: str | None,
    source_url: str | None,
    publisher: str | None,
) -> None:
    """Import a published table (CSV, XLSX, XLS, ODS) as a figures file.

    Workbooks need the spreadsheets extra: pip install '.[spreadsheets]' in the gunstats folder.

    \b
    Example:
        gunstats import table-3.xlsx --sheet 'Table 3' -o figures.yaml
        gunstats import extract.csv --source-title 'Police recorded crime' --publisher ONS
        gunstats import latest.ods --into figures.yaml --revise
    """
    from gunstats.delivery import emit
    from gunstats.importing import ImportOptions, run_import

    if (source_url or publisher) and not source_title:
        raise click.UsageError(
            "--source-url and --publisher describe a source: add --source-title."
        )
    if revise and not into:
        raise click.UsageError("--revise is for --into FILE.")
    options = ImportOptions(
        sheet, title, source_title, source_url, publisher, output, force, into, revise
    )
    with reported_errors(ctx):
        result = run_import(source, options)
        for notice in result.notices:
            click.echo(printable(notice), err=True)
        if result.text is not None:
            emit(result.text)
        else:
            click.echo(f"wrote {printable(str(result.written))}", err=True)


@click.command("set")
@click.argument("metric_id", metavar="METRIC")
@click.argument("period", metavar="PERIOD")
@click.argument("value", metavar="VALUE")
@figures_option
@click.option(
    "--flag",
    "flags",
    multiple=True,
    type=click.Choice(FLAG_CHOICES, case_sensitive=False),
    help="Flag the value (repeatable); flags already on it are replaced.",
)
@click.pass_context
def set_command(
    ctx: click.Context,
    metric_id: str,
    period: str,
    value: str,
    figures: str | None,
    flags: tuple[str, ...],
) -> None:
    """Set one figure in the figures file, keeping its comments and layout.

    PERIOD is a financial year (2023/24) or a month (2024-01).

    \b
    Example:
        gunstats set shootings 2024-01 14 -f monthly.yaml
        gunstats set shootings 2024-02 11 --flag provisional
    """
    from gunstats.edit import set_figure
    from gunstats.load import shipped_figures_path

    path = figures or default_figures_path()
    if os.path.abspath(path) == os.path.abspath(shipped_figures_path()) and not figures:
        raise click.UsageError("no figures file here: give the one to change with -f FILE.")
    with reported_errors(ctx):
        change = set_figure(path, metric_id, period, value, flags)
    click.echo(f"{printable(path)}: {change}", err=True)
    if change.dropped_flags:
        click.echo(
            f"gunstats: note: the value is no longer flagged {', '.join(change.dropped_flags)}"
            " (give --flag to keep a flag)",
            err=True,
        )


@click.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of the figures file, for editors.

    \b
    Example:
        gunstats schema > figures.schema.json
    """
    from gunstats.delivery import emit
    from gunstats.schema import schema_text

    emit(schema_text())
