"""The terminal table, fitted to the width by :mod:`gunstats.render.table_fit` and drawn
here as Rich draws tables. Rich is imported by the terminal formats' modules
(:mod:`gunstats.render.grid`, ``table``, ``table_fit`` and ``areas_table``) and nowhere else.

Whether to use colour, how wide to draw and whether the output can take box-drawing
characters are decided by the caller from the real environment (see :mod:`gunstats.terminal`)
and passed in, so the same report renders identically under test.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.text import Text

from gunstats.compute import Assessment, Report
from gunstats.prose import long_date
from gunstats.render.grid import Grid
from gunstats.render.layout import Layout, Table, build_layout
from gunstats.render.options import DEFAULT, RenderOptions
from gunstats.render.stacked import stacked
from gunstats.render.table_fit import Plan, fit_to_width, wrap_words

if TYPE_CHECKING:
    from gunstats.monthly import Summary

TREND_KEY = (
    "Trend: one bar per financial year, rising from zero to the measure's highest value "
    "shown; a blank is a year not published."
)

# Colour only for a change a test found significant: noise, and a change no test could
# check, are left plain (their words still say which way they went).
STYLES = {
    Assessment.BETTER: "green",
    Assessment.WORSE: "red",
    Assessment.NO_SIGNIFICANT_CHANGE: "",
    Assessment.NO_CHANGE: "",
    Assessment.NEUTRAL: "",
    Assessment.BETTER_UNTESTED: "",
    Assessment.WORSE_UNTESTED: "",
}


def _box(ascii_only: bool) -> box.Box:
    return box.ASCII2 if ascii_only else box.SIMPLE_HEAD


def _cells(table: Table, plan: Plan) -> Iterable[Sequence[tuple]]:
    """Each row's cells as the plan shows them: the layout's own, where it shows them all."""
    first = len(table.header) - plan.shown
    if plan.trend:
        return (
            (row[0], (spark, None), *row[first:])
            for row, spark in zip(table.rows, plan.sparks, strict=True)
        )
    if first == 1:
        return table.rows
    return ((row[0], *row[first:]) for row in table.rows)


def _write_table(table: Table, plan: Plan, console: Console, ascii_only: bool) -> None:
    """The table's text straight to the console's file: every row, however many."""
    grid = Grid(console, _box(ascii_only), plan.columns, plan.widths, STYLES)
    write = console.file.write
    write(grid.head(table.title))
    chunk: list[str] = []
    for line in grid.rows(_cells(table, plan)):
        chunk.append(line)
        if len(chunk) == 1000:
            write("".join(chunk))
            chunk.clear()
    write("".join(chunk))


def _dropped(table: Table, shown: int) -> str:
    """Which years the note says were left out, in the table's own period style."""
    left_out = table.header[1 : len(table.header) - shown]
    if len(left_out) == 1:
        return f"{left_out[0]} is left out"
    if len(left_out) == 2:
        return f"{left_out[0]} and {left_out[1]} are left out"
    return f"{left_out[0]}, {left_out[-1]} and the years between are left out"


def _stacked(table: Table, width: int) -> list[Text]:
    """The table as one block per measure (a narrow terminal), its changes still coloured."""
    body = Text()
    for number, line in enumerate(stacked(table, width, cell_len)):
        if number:
            body.append("\n")
        for segment, assessment in line:
            body.append(segment, style=STYLES.get(assessment, "") if assessment else "")
    # Rich must not wrap again what is wrapped already; a word wider than the terminal
    # overflows rather than being cut.
    body.no_wrap = True
    body.overflow = "ignore"
    # A blank line after the title, so the first measure does not read as part of it.
    return [Text(table.title, style="bold"), Text(""), body]


def print_layout(layout: Layout, console: Console, ascii_only: bool) -> None:
    head: list[Text | _Lines] = [Text(layout.title, style="bold")]
    if layout.as_of:
        head.append(Text(f"Figures as of {long_date(layout.as_of)}."))
    if layout.key_points:
        # A hanging indent keeps each key point visibly one item when it wraps.
        points = (wrap_words(p, console.width, first="- ", rest="  ") for p in layout.key_points)
        head += [Text(""), _Lines(line for point in points for line in point)]
    _print_tables_and_notes(layout, console, ascii_only, head)


class _Lines(list):
    """Plain text already wrapped to the console's width, a line an item.

    A national file has a key point per measure: tens of thousands of lines, which Rich
    would wrap again (finding nothing to do) and split in quadratic time. Where every line
    is printable and fits, Rich would print them as they are, so they are written directly.
    """

    def fits(self, width: int) -> bool:
        return bool(self) and all(
            line.isprintable() and (len if line.isascii() else cell_len)(line) <= width
            for line in self
        )


def _print(console: Console, parts: list) -> None:
    """Rich's print of ``parts`` (each followed by a line break), lines that fit written."""
    pending: list = []
    for part in parts:
        if isinstance(part, _Lines) and part.fits(console.width):
            if pending:
                console.print(Group(*pending))
                pending = []
            console.file.write("".join(line + "\n" for line in part))
        else:
            pending.append(Text("\n".join(part)) if isinstance(part, _Lines) else part)
    if pending:
        console.print(Group(*pending))


def _print_tables_and_notes(layout, console: Console, ascii_only: bool, head: list) -> None:
    """The tables, the key, the definitions, the sources, the status and the caveats: the same
    for report and summary.

    The text around the tables goes through Rich's print; each table is written between
    those prints, row by row, as Rich would have drawn it.
    """
    parts: list = list(head)
    trend_shown = False
    notes = []
    for table in layout.tables:
        plan = fit_to_width(table, console, ascii_only)
        if plan is None:
            parts += [Text(""), *_stacked(table, console.width)]
            continue
        trend_shown = trend_shown or plan.trend
        years = len(table.header) - 1
        if plan.shown < years:
            notes.append(
                f"Only the latest {plan.shown} of {years} years fit this width "
                f"({_dropped(table, plan.shown)}); a wider terminal, --from, or the Markdown, "
                "CSV and JSON formats show them all."
            )
        _print(console, [*parts, Text("")])
        parts = []
        _write_table(table, plan, console, ascii_only)
    lines = [*notes, *([TREND_KEY] if trend_shown else []), *layout.key]
    if layout.definitions:
        lines += ["", "Definitions"]
        lines += [f"{label}: {description}" for label, description in layout.definitions]
        lines.append("")
    for number, source in enumerate(layout.sources, 1):
        published = f"published {long_date(source.published)}" if source.published else None
        fields = [source.title, source.publisher, published, source.url]
        lines.append(f"Source {number}: " + ", ".join(f for f in fields if f))
    lines += [layout.status, layout.caveat]
    lines += [f"{label}: {caveat}" for label, caveat in layout.measure_caveats]
    parts += [Text(""), Text("\n".join(lines))]
    _print(console, parts)


def render(report: Report, options: RenderOptions = DEFAULT) -> str:
    """The report as text for a terminal or a ``.txt`` file.

    ``styled`` allows ANSI codes at all (a terminal); ``color`` adds colour to them, so that
    ``NO_COLOR`` drops the colour but keeps bold. Meaning never rests on colour alone: every
    change also carries its sign and an assessment word.
    """
    layout = build_layout(report, options.precision, options.period_style)
    return capture(lambda console: print_layout(layout, console, options.ascii_only), options)


def capture(draw: Callable[[Console], None], options: RenderOptions) -> str:
    """Run ``draw(console)`` on a Rich console writing to a string, and return the text."""
    styled, ascii_only = options.styled, options.ascii_only
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=options.width,
        height=25,
        force_terminal=styled,
        color_system="standard" if styled else None,
        no_color=not options.color,
        emoji=False,
        highlight=False,
        markup=False,
        legacy_windows=False,
        safe_box=True,
    )
    draw(console)
    text = buffer.getvalue()
    if not styled:  # Rich pads titles to the table's width; files and pipes need no padding
        text = "".join(line.rstrip() + "\n" for line in text.splitlines())
    if ascii_only:
        text = text.encode("ascii", "replace").decode("ascii")
    return text


def print_summary(layout, console: Console, ascii_only: bool) -> None:
    head = [Text(layout.title, style="bold"), *(Text(sentence) for sentence in layout.intro)]
    if layout.points:
        points = (wrap_words(p, console.width, first="- ", rest="  ") for p in layout.points)
        head += [Text(""), Text("\n".join(line for point in points for line in point))]
    _print_tables_and_notes(layout, console, ascii_only, head)


def render_summary(summary: Summary, options: RenderOptions = DEFAULT) -> str:
    """The monthly summary (:class:`~gunstats.monthly.Summary`) as a terminal table."""
    from gunstats.render.summary_layout import build_summary_layout

    layout = build_summary_layout(summary, options.precision)
    return capture(lambda console: print_summary(layout, console, options.ascii_only), options)
