"""The command line: parse options, call load -> compute -> render, map errors to exit codes.

Exit codes: 0 success; 1 the figures file is bad or the output could not be written;
2 usage error (unknown option, metric or period); 130 interrupted (Ctrl-C); 143 terminated
(SIGTERM). Data goes to stdout, messages to stderr, and no traceback is shown unless
``--debug`` is given.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterator

import click

try:  # the C module: ``signal`` itself builds enums on import, a cost paid by every run
    import _signal as signals
except ImportError:  # pragma: no cover - Pythons without it
    import signal as signals

from gunstats import __version__
from gunstats.errors import GunstatsError, OutputError, printable
from gunstats.periods import FinancialYear, PeriodError, parse_financial_year
from gunstats.render import EXTENSIONS, FORMATS

EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class Terminated(BaseException):
    """SIGTERM (a cron timeout, ``kill``): unwinds like Ctrl-C so no temporary file is left."""


def _terminate(signum, frame) -> None:
    raise Terminated


class ReportedError(click.ClickException):
    """An error already worded for the user: printed as is, one problem per line."""

    exit_code = EXIT_BAD_INPUT

    def show(self, file=None) -> None:
        lines = self.message.split("\n")
        click.echo("\n".join(printable(line) for line in lines), err=True)


@contextlib.contextmanager
def reported_errors(ctx: click.Context) -> Iterator[None]:
    """Turn gunstats' own errors into one-line messages, or tracebacks under ``--debug``."""
    try:
        yield
    except GunstatsError as error:
        if ctx.find_root().params.get("debug"):
            raise
        raise ReportedError(str(error)) from error


class FinancialYearType(click.ParamType):
    name = "PERIOD"

    def convert(self, value, param, ctx) -> FinancialYear:
        if isinstance(value, FinancialYear):
            return value
        try:
            return parse_financial_year(value)
        except PeriodError as error:
            self.fail(str(error), param, ctx)


FINANCIAL_YEAR = FinancialYearType()

PERIOD_STYLES = ("compact", "gov-uk")

period_style_option = click.option(
    "--period-style",
    type=click.Choice(PERIOD_STYLES),
    default="compact",
    show_default=True,
    help="How years are written: compact 2021/22, or gov-uk '2021 to 2022' (and 'the "
    "financial year ending March 2022' at first mention in prose).",
)

date_option = click.option(
    "--date",
    "date_text",
    metavar="YYYY-MM-DD",
    help="Take this date as today: a report's 'made on' date, and what --month previous "
    "counts back from. [default: $SOURCE_DATE_EPOCH if set, else today]",
)


def today(date_text: str | None):
    """--date, else $SOURCE_DATE_EPOCH, else today (a usage error naming which was bad)."""
    from gunstats.dates import DateError, reference_date

    try:
        return reference_date(date_text, os.environ)
    except DateError as error:
        param = "'--date'" if date_text else "SOURCE_DATE_EPOCH"
        raise click.BadParameter(str(error), param_hint=param) from None


def default_figures_path(environ=None) -> str:
    """``$GUNSTATS_FIGURES``, else ``./figures.yaml`` if there is one, else the shipped file."""
    environ = os.environ if environ is None else environ
    if environ.get("GUNSTATS_FIGURES"):
        return environ["GUNSTATS_FIGURES"]
    if os.path.isfile("figures.yaml"):
        return "figures.yaml"
    from gunstats.load import shipped_figures_path

    return shipped_figures_path()


def _complete_metric(ctx: click.Context, param, incomplete: str):
    from gunstats.load import load_figures

    try:
        figures = load_figures(ctx.params.get("figures") or default_figures_path())
    except Exception:  # completion must never print a traceback into the shell
        return []
    return [
        click.shell_completion.CompletionItem(m.id, help=m.label)
        for m in figures.metrics
        if m.id.startswith(incomplete)
    ]


figures_option = click.option(
    "--figures",
    "-f",
    "figures",
    metavar="FILE",
    help="Figures file. [default: $GUNSTATS_FIGURES, else ./figures.yaml if present, "
    "else the figures shipped with gunstats]",
)


def load(path: str | None):
    from gunstats.load import load_figures, max_bytes_from_environment

    return load_figures(path or default_figures_path(), max_bytes=max_bytes_from_environment())


def _show_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


class _PlainHelp:
    """Click's --help, built with plain text.

    Click builds its own help option on every run with a translated help text, and the
    translation look-up imports :mod:`locale`: a millisecond of start-up for a text that is
    shown only with --help.
    """

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        names = self.get_help_option_names(ctx)
        if not names or not self.add_help_option:
            return None
        if getattr(self, "_plain_help_option", None) is None:
            self._plain_help_option = click.Option(
                names,
                is_flag=True,
                expose_value=False,
                is_eager=True,
                callback=_show_help,
                help="Show this message and exit.",
            )
        return self._plain_help_option


class Command(_PlainHelp, click.Command):
    def make_parser(self, ctx: click.Context):
        """Click's parser, with short options (``-f FILE``) matched as short options first.

        Click tries every ``-x`` as a long option before a short one, and the failed try
        builds a "no such option" error with a translated message and "did you mean"
        suggestions: :mod:`locale` and :mod:`difflib` imported, two milliseconds, on every
        run given a short option. What is matched, and every error, stays Click's own.
        """
        parser = super().make_parser(ctx)
        process = parser._process_opts

        def process_short_first(arg: str, state) -> None:
            if arg[:2] not in parser._opt_prefixes and arg.split("=", 1)[0] not in parser._long_opt:
                parser._match_short_opt(arg, state)
            else:
                process(arg, state)

        parser._process_opts = process_short_first  # type: ignore[method-assign]
        return parser


class Group(_PlainHelp, click.Group):
    command_class = Command


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    "-V",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, param, value: _show_version(ctx, value),
    help="Show the version and exit.",
)
@click.option("--debug", is_flag=True, help="Show a traceback for errors (for bug reports).")
def cli(debug: bool) -> None:
    """Gun-crime figures from a YAML file, with their changes computed right.

    \b
    Example:
        gunstats report                      # table in a terminal, Markdown in a pipe
        gunstats report --format json -o figures.json
        gunstats validate -f figures.yaml
    """


def _show_version(ctx: click.Context, value: bool) -> None:
    # Not click.version_option: its translated help text costs every run a gettext look-up
    # (with a locale import) before any option is read.
    if value and not ctx.resilient_parsing:
        click.echo(f"gunstats, version {__version__}")
        ctx.exit()


def choose_format(explicit: str | None, output: str | None, environ, is_terminal: bool) -> str:
    """--format, else the --output file's extension, else $GUNSTATS_FORMAT, else by terminal."""
    if explicit:
        return explicit
    if output:
        extension = os.path.splitext(output)[1].lower()
        if extension in EXTENSIONS:
            return EXTENSIONS[extension]
        raise click.UsageError(
            f"cannot tell the format from {output!r}: use --format, or a file ending "
            f"{', '.join(EXTENSIONS)}"
        )
    from_environment = environ.get("GUNSTATS_FORMAT", "").strip().lower()
    if from_environment:
        if from_environment not in FORMATS:
            raise click.UsageError(
                f"GUNSTATS_FORMAT={from_environment!r} is not one of {', '.join(FORMATS)}"
            )
        return from_environment
    return "table" if is_terminal else "markdown"


metric_option = click.option(
    "--metric",
    "-m",
    "metric_ids",
    multiple=True,
    metavar="ID",
    shell_complete=_complete_metric,
    help="Only this metric (repeatable). `gunstats metrics` lists the ids.",
)
from_option = click.option(
    "--from", "first", type=FINANCIAL_YEAR, help="First financial year shown."
)
to_option = click.option("--to", "last", type=FINANCIAL_YEAR, help="Last financial year shown.")


def output_options(command):
    """--format, --metric, --precision, --output and --color, shared by report and summary."""
    options = [
        click.option(
            "--format",
            "output_format",
            type=click.Choice(FORMATS),
            help="Output format. [default: from --output's extension, else $GUNSTATS_FORMAT, "
            "else table on a terminal and markdown otherwise]",
        ),
        metric_option,
        click.option(
            "--precision",
            type=click.IntRange(0, 6),
            default=1,
            show_default=True,
            help="Decimal places for percentages and percent changes in table and Markdown.",
        ),
        click.option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE instead of stdout, replacing it whole or not at all (an error "
            "leaves it untouched); never with colour codes.",
        ),
        click.option(
            "--color/--no-color",
            "color",
            default=None,
            help="Force colour on or off in the table. [default: on for a terminal, off under "
            "NO_COLOR, TERM=dumb or in a pipe]",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def table_options(output: str | None, environment) -> dict:
    """What the table renderer needs to know about where it is going."""
    from gunstats import terminal

    target = terminal.FILE_ENVIRONMENT if output else environment
    return {
        "styled": target.styled,
        "color": target.color,
        "width": target.width,
        "ascii_only": target.ascii_only,
    }


def deliver(text: str, output: str | None) -> None:
    """To the --output file, atomically, or to stdout."""
    if output:
        from gunstats.output import write_atomically

        write_atomically(output, text)
    else:
        emit(text)


def emit(text: str) -> None:
    """Write the report to stdout as UTF-8 whatever the locale (pandoc and files expect it)."""
    try:
        _write_stdout(text)
    except BrokenPipeError:
        raise
    except OSError as error:  # a full disk behind `> report.md`, say: a message, not a traceback
        raise OutputError(
            f"cannot write the report to standard output ({error.strerror or error})"
        ) from None


def _write_stdout(text: str) -> None:
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
    else:
        stream.flush()
        remaining = memoryview(text.encode("utf-8"))
        while remaining:  # a buffered write can stop short when the reader goes away
            written = buffer.write(remaining)
            if not written:
                raise BrokenPipeError("stdout accepted no more output")
            remaining = remaining[written:]
    stream.flush()


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
) -> None:
    """Print the figures and their changes as a table, Markdown, JSON or CSV.

    \b
    Example:
        gunstats report --format markdown | pandoc -f gfm -o brief.docx
        gunstats report --metric shootings --from 2019/20 --format json
        gunstats report --template examples/press-release.md.j2 --period-style gov-uk
    """
    from gunstats import terminal
    from gunstats.compute import build_report
    from gunstats.render import renderer

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
        data = load(figures)
        check_selection(data, metric_ids, first, last, baseline)
        computed = build_report(data, metric_ids or None, first, last, baseline)
        options: dict = {"precision": precision}
        if chosen in ("markdown", "template"):
            options.update(period_style=period_style, produced=today(date_text).isoformat())
        if charts_dir is not None:
            options["charts"] = _report_charts(data, metric_ids, first, last, charts_dir, output)
        if chosen == "table":
            options.update(period_style=period_style, **table_options(output, environment))
        if chosen == "template":
            from gunstats.render.template import render as render_template

            text = render_template(computed, template, **options)
        else:
            text = renderer(chosen)(computed, **options)
        deliver(text, output)


def _report_charts(data, metric_ids, first, last, charts_dir: str, output: str | None):
    """Write the report's charts as PNG; return (link, alt text) pairs relative to the report."""
    from gunstats.charts import chart_specs, require_charts, write_chart_files

    require_charts()
    specs = chart_specs(data, metric_ids or None, first, last)
    paths = write_chart_files(specs, charts_dir, "png")
    base = os.path.dirname(os.path.abspath(output)) if output else os.getcwd()
    return [
        (os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/"), spec.alt_text)
        for spec, path in zip(specs, paths, strict=True)
    ]


CHART_FORMATS = ("png", "svg", "pdf")


@cli.command()
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
    metavar="FILE",
    help="One image with a panel per metric; .png, .svg or .pdf decides the format.",
)
@click.option(
    "--output-dir",
    "-d",
    "output_dir",
    metavar="DIR",
    help="One image per metric, named after its id, in DIR (made if missing).",
)
@click.option(
    "--format",
    "image_format",
    type=click.Choice(CHART_FORMATS),
    help="Image format for --output-dir. [default: png]",
)
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
) -> None:
    """Draw the figures as charts (PNG, SVG or PDF); print the files written.

    Needs the charts extra: pip install 'gunstats[charts]'.

    \b
    Example:
        gunstats chart --output-dir charts/
        gunstats chart --metric shootings --format svg --output-dir charts/
        gunstats chart --output brief.pdf
    """
    if (output is None) == (output_dir is None):
        raise click.UsageError("give either --output FILE or --output-dir DIR.")
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
    with reported_errors(ctx):
        from gunstats.charts import chart_specs, draw, require_charts, write_chart_files

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

            write_bytes_atomically(output, draw(specs, image_format))
            written = [output]
        else:
            written = write_chart_files(specs, output_dir, image_format or "png")
    for path in written:
        click.echo(path)


def check_selection(figures, metric_ids, first, last, baseline) -> None:
    """Usage errors (exit 2) for metrics and periods the file does not have."""
    known = [m.id for m in figures.metrics]
    for metric_id in metric_ids:
        if metric_id not in known:
            import difflib

            close = difflib.get_close_matches(metric_id, known, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else f" Known: {', '.join(known)}."
            raise click.BadParameter(
                f"no metric {metric_id!r} in {figures.path}.{hint}", param_hint="'--metric'"
            )
    if first and last and first > last:
        raise click.BadParameter(f"--from {first} is after --to {last}.", param_hint="'--from'")
    selected = [m for m in figures.metrics if not metric_ids or m.id in metric_ids]
    periods = sorted({o.period for m in selected for o in m.values})
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


@cli.command()
@figures_option
@click.pass_context
def validate(ctx: click.Context, figures: str | None) -> None:
    """Check a figures file; print a one-line summary or every problem (exit 1).

    Warnings (exit 0) go to stderr: gaps in monthly series, and financial years whose
    months do not add up to the yearly value given.

    \b
    Example:
        gunstats validate -f figures.yaml
    """
    with reported_errors(ctx):
        data = load(figures)
    from gunstats.monthly import consistency_warnings

    for notice in consistency_warnings(data):  # valid, but probably not what was meant
        click.echo(str(notice), err=True)
    values = sum(len(m.values) + len(m.months) for m in data.metrics)
    click.echo(
        f"{data.path}: valid: {_count(len(data.metrics), 'metric')}, "
        f"{_count(values, 'value')}, {_count(len(data.sources), 'source')}"
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


class MonthType(click.ParamType):
    """``latest``, ``previous`` or a calendar month written ``2023-01``."""

    name = "YYYY-MM|latest|previous"

    def convert(self, value, param, ctx):
        from gunstats.periods import Month, parse_month

        if isinstance(value, Month):
            return value
        word = value.strip().lower()
        if word in ("latest", "previous"):
            return word
        try:
            return parse_month(value)
        except PeriodError as error:
            self.fail(f"{error}, or 'latest' or 'previous'", param, ctx)


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
@click.pass_context
def summary(
    ctx: click.Context,
    figures: str | None,
    month,
    date_text: str | None,
    output_format: str | None,
    metric_ids: tuple[str, ...],
    precision: int,
    output: str | None,
    strict: bool,
    quiet: bool,
    color: bool | None,
) -> None:
    """Summarise one month: year to date, rolling 12 months, same month last year, last month.

    \b
    Example:
        gunstats summary -f examples/monthly.yaml --month 2023-01
        gunstats summary --month previous --output /srv/reports/summary.md   # from cron
    """
    from gunstats import terminal
    from gunstats.errors import StaleDataError
    from gunstats.monthly import build_summary, resolve_month
    from gunstats.render import summary_renderer

    reference = today(date_text)
    environment = terminal.detect(sys.stdout, color_flag=color)
    chosen = choose_format(output_format, output, os.environ, environment.is_terminal)
    with reported_errors(ctx):
        data = load(figures)
        check_selection(data, metric_ids, None, None, None)
        chosen_month = resolve_month(data, month, reference)
        computed = build_summary(data, chosen_month, metric_ids or None)
        if computed.lacking:
            listed = ", ".join(m.id for m in computed.lacking)
            message = f"no figures for {chosen_month.name()} ({chosen_month}) for: {listed}"
            if strict:
                raise StaleDataError(f"{data.path}: {message} (an error under --strict)")
            warn(f"{message}; shown as [x]", quiet)
        options: dict = {"precision": precision}
        if chosen == "table":
            options.update(table_options(output, environment))
        text = summary_renderer(chosen)(computed, **options)
        deliver(text, output)


def main(argv: list[str] | None = None) -> None:
    """Entry point: Click in non-standalone mode so that we own every exit code."""
    # A run builds one large acyclic tree (a national file has 100,000s of values) and exits;
    # the cycle collector would only rescan that tree over and over while it grows.
    gc.disable()
    with contextlib.suppress(ValueError):  # only the main thread may set handlers
        signals.signal(signals.SIGTERM, _terminate)
    try:
        code = cli.main(args=argv, prog_name="gunstats", standalone_mode=False)
        code = code if isinstance(code, int) else 0
    except click.exceptions.Exit as done:
        code = done.exit_code
    except click.ClickException as error:
        error.show()
        code = error.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("gunstats: interrupted", err=True)
        code = EXIT_INTERRUPTED
    except Terminated:
        click.echo("gunstats: terminated", err=True)
        code = EXIT_TERMINATED
    except BrokenPipeError:
        code = _quiet_broken_pipe()
    except OSError as error:  # stdout on a full disk, say: every command prints through it
        click.echo(f"gunstats: cannot write the output ({error.strerror or error})", err=True)
        code = _quiet_broken_pipe()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = _quiet_broken_pipe()
    except OSError:  # output that could not be written has been reported already
        code = _quiet_broken_pipe()
    sys.exit(code)


def _quiet_broken_pipe() -> int:
    """The reader (``head``, say) went away: stop quietly, as the Python docs advise.

    Also used when stdout cannot take more (a full disk): what is still buffered is dropped
    so that Python's own flush at exit cannot print a traceback.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BAD_INPUT
