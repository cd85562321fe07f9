"""The options the commands share, their value types, and the defaults they read.

Declared once here and applied as decorators in the ``cli_*`` modules, so that ``--metric``,
``--from``/``--to`` and the output options read and check their values the same way in every
command that has them. An option only one command has is declared with that command
(``gunstats chart``'s in :mod:`gunstats.cli_chart`; ``gunstats areas``'s, which ``chart
--areas`` shares, in :mod:`gunstats.cli_areas`), so a report does not pay to build them.
"""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import click

from gunstats.model import SHIPPED_FIGURES, Figures
from gunstats.periods import FinancialYear, Month, PeriodError, PeriodStyle, parse_financial_year
from gunstats.render import AREA_FORMATS, FORMATS
from gunstats.significance import DEFAULT_CONFIDENCE

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

F = TypeVar("F", bound=Callable[..., Any])


class FinancialYearType(click.ParamType):
    name = "PERIOD"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> FinancialYear:
        if isinstance(value, FinancialYear):
            return value
        try:
            return parse_financial_year(value)
        except PeriodError as error:
            self.fail(str(error), param, ctx)


class MonthType(click.ParamType):
    """``latest``, ``previous`` or a calendar month written ``2023-01``."""

    name = "YYYY-MM|latest|previous"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Month | str:
        from gunstats.periods import parse_month

        if isinstance(value, Month):
            return value
        word = value.strip().lower()
        if word in ("latest", "previous"):
            return word
        try:
            return parse_month(value)
        except PeriodError as error:
            self.fail(f"{error}, or 'latest' or 'previous'", param, ctx)


FINANCIAL_YEAR = FinancialYearType()

PERIOD_STYLES = tuple(style.value for style in PeriodStyle)
"""The values of ``--period-style``."""


class NameType(click.ParamType):
    """A file name, folder name or date, never empty: an empty ``-o ''`` or ``-f ''`` (an unset
    shell variable, say) must not quietly mean stdout or the default file."""

    def __init__(self, metavar: str, noun: str, instead: str = "leave the option out"):
        self.name = metavar
        self.noun = noun
        self.instead = instead

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail(f"{value!r} is empty: give a {self.noun}, or {self.instead}", param, ctx)
        return value


FILE = NameType("FILE", "file name")
FOLDER = NameType("DIR", "folder name")


def default_figures_path(environ: Mapping[str, str] | None = None) -> str:
    """``$GUNSTATS_FIGURES``, else ``./figures.yaml`` if there is one, else the shipped file."""
    environ = os.environ if environ is None else environ
    if environ.get("GUNSTATS_FIGURES"):
        return environ["GUNSTATS_FIGURES"]
    if os.path.isfile("figures.yaml"):
        return "figures.yaml"
    return SHIPPED_FIGURES


def shipped_notice(folder_names: list[str]) -> str:
    """What stderr says when a run falls back on the shipped example figures."""
    notice = (
        "gunstats: no figures.yaml in this folder, so these are the example figures shipped "
        "with gunstats; name your own file with -f FILE or GUNSTATS_FIGURES."
    )
    near = sorted(
        name
        for name in folder_names
        if name != "figures.yaml" and name.lower() in ("figures.yml", "figures.yaml")
    )
    if near:
        notice += f" ({near[0]} is here: gunstats looks for figures.yaml; use -f {near[0]}.)"
    return notice


def load(path: str | None, *, notice: bool = True) -> Figures:
    """The figures file named by --figures (or the default), read and validated.

    Falling back on the shipped example is said on stderr at a terminal, or wherever a
    near miss such as ``figures.yml`` is here, so that nobody mistakes London's figures for
    their own file (shell completion passes ``notice=False``).
    """
    from gunstats.load import load_figures, max_bytes_from_environment

    chosen = path or default_figures_path()
    if notice and not path and not os.environ.get("GUNSTATS_FIGURES") and chosen == SHIPPED_FIGURES:
        try:
            names = os.listdir(".")
        except OSError:
            names = []
        said = shipped_notice(names)
        # A person at a terminal is told; so is anyone with a near miss (figures.yml) beside
        # them. Captured output (`gunstats report --format json 2>&1 | jq`) stays one clean
        # document, and the report itself still names the example file.
        from gunstats.terminal import at_terminal

        if said != shipped_notice([]) or at_terminal(sys.stderr):
            click.echo(said, err=True)
    try:
        max_bytes = max_bytes_from_environment()
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    return load_figures(chosen, max_bytes=max_bytes)


def check_csv_raw(csv_raw: bool, chosen: str) -> None:
    """--csv-raw with another format would be silently ignored: a usage error instead."""
    if csv_raw and chosen != "csv":
        raise click.BadParameter(
            f"--csv-raw changes only CSV, not {chosen}; add --format csv.",
            param_hint="'--csv-raw'",
        )


def today(date_text: str | None) -> datetime.date:
    """--date, else $SOURCE_DATE_EPOCH, else today (a usage error naming which was bad)."""
    from gunstats.dates import DateError, reference_date

    try:
        return reference_date(date_text, os.environ)
    except DateError as error:
        param = "'--date'" if date_text else "SOURCE_DATE_EPOCH"
        raise click.BadParameter(str(error), param_hint=param) from None


def check_source_date() -> None:
    """A usage error for a SOURCE_DATE_EPOCH that cannot be read, before any work is done."""
    from gunstats.dates import DateError, source_date_epoch

    try:
        source_date_epoch(os.environ)
    except DateError as error:
        raise click.BadParameter(str(error), param_hint="SOURCE_DATE_EPOCH") from None


def complete_metric(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    from click.shell_completion import CompletionItem

    try:
        figures = load(ctx.params.get("figures"), notice=False)
    except Exception:  # completion must never print a traceback into the shell
        return []
    return [
        CompletionItem(m.id, help=m.label) for m in figures.metrics if m.id.startswith(incomplete)
    ]


figures_option = click.option(
    "--figures",
    "-f",
    "figures",
    type=FILE,
    metavar="FILE",
    help="Figures file. [default: $GUNSTATS_FIGURES, else ./figures.yaml if present, "
    "else the figures shipped with gunstats]",
)
metric_option = click.option(
    "--metric",
    "-m",
    "metric_ids",
    multiple=True,
    metavar="ID",
    shell_complete=complete_metric,
    help="Only this metric (repeatable). `gunstats metrics` lists the ids.",
)
from_option = click.option(
    "--from", "first", type=FINANCIAL_YEAR, help="First financial year shown."
)
to_option = click.option("--to", "last", type=FINANCIAL_YEAR, help="Last financial year shown.")
period_style_option = click.option(
    "--period-style",
    type=click.Choice(PERIOD_STYLES),
    default="compact",
    show_default=True,
    help="How years are written, the same way throughout: compact '2021/22' (as the police "
    "write them), or gov-uk or ons (the same words, from Style.ONS) 'year ending March 2022', "
    "with 'financial year ending March 2022' at first mention in prose.",
)
date_option = click.option(
    "--date",
    "date_text",
    type=NameType("YYYY-MM-DD", "date"),
    metavar="YYYY-MM-DD",
    help="Take this date as today: a report's 'made on' date, and what --month previous "
    "counts back from. [default: $SOURCE_DATE_EPOCH if set, else today]",
)


def _format_option(formats: tuple[str, ...]) -> Callable[[F], F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(formats),
        help="Output format. [default: from --output's extension, else $GUNSTATS_FORMAT, "
        "else table on a terminal and markdown otherwise]",
    )


format_option = _format_option(FORMATS)
area_format_option = _format_option(AREA_FORMATS)
precision_option = click.option(
    "--precision",
    type=click.IntRange(0, 6),
    default=1,
    show_default=True,
    help="Decimal places for percentages and percent changes in table and Markdown.",
)
output_option = click.option(
    "--output",
    "-o",
    type=NameType("FILE", "file name", "leave the option out to write to stdout"),
    metavar="FILE",
    help="Write to FILE instead of stdout, replacing it whole or not at all (an error "
    "leaves it untouched); never with colour codes.",
)
csv_raw_option = click.option(
    "--csv-raw",
    is_flag=True,
    help="CSV only: write text exactly as in the file, without the ' put before text "
    "starting with =, +, -, @, a tab or a carriage return so that a spreadsheet cannot "
    "run it as a formula.",
)
color_option = click.option(
    "--color/--no-color",
    "color",
    default=None,
    help="Force colour on or off in the table. [default: on for a terminal, off under "
    "NO_COLOR, TERM=dumb or in a pipe]",
)


def output_options(command: F) -> F:
    """--format, --metric, --precision, --output, --csv-raw and --color, for report and summary."""
    options = [
        format_option,
        metric_option,
        precision_option,
        output_option,
        csv_raw_option,
        color_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


# -- tests of change and XmR charts (report/summary --confidence, --spc-months, chart --spc) --

CONFIDENCE_RANGE = (0.8, 0.999)
SPC_MONTHS_DEFAULT = 24  # spc.DEFAULT_MONTHS, not imported: spc loads fractions (a test checks)
SPC_MONTHS_RANGE = (12, 1200)
"""At least 12 months make an XmR chart; at most a century, so a typo cannot ask for a
window of a million months."""

confidence_option = click.option(
    "--confidence",
    type=click.FloatRange(*CONFIDENCE_RANGE),
    default=DEFAULT_CONFIDENCE,
    show_default=True,
    help="Confidence level of the tests of change (0.8 to 0.999): a change is called "
    "better or worse only if chance alone would rarely give one as large.",
)
spc_months_option = click.option(
    "--spc-months",
    "spc_months",
    type=click.IntRange(*SPC_MONTHS_RANGE),
    default=SPC_MONTHS_DEFAULT,
    show_default=True,
    metavar="N",
    help="Months in each XmR (SPC) chart, ending with the month shown (12 to 1200).",
)


# -- one area (report/summary --area; `gunstats areas` declares its own options) --------------

area_option = click.option(
    "--area",
    "area_id",
    metavar="ID",
    help="The figures of one area (an id under areas:), titled with its name.",
)
