"""The terminal table, laid out here and drawn as Rich draws tables. Rich is imported here
(and in :mod:`gunstats.render.grid`) and nowhere else.

Whether to use colour, how wide to draw and whether the output can take box-drawing
characters are decided by the caller from the real environment (see :mod:`gunstats.terminal`)
and passed in, so the same report renders identically under test.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.text import Text

from gunstats.compute import Assessment, Report
from gunstats.prose import long_date
from gunstats.render.grid import (
    Column,
    Extent,
    Grid,
    extent,
    paddings,
)
from gunstats.render.layout import Layout, Table, build_layout
from gunstats.render.options import DEFAULT, RenderOptions
from gunstats.render.stacked import stacked
from gunstats.sparkline import sparkline

if TYPE_CHECKING:
    from gunstats.monthly import Summary

TREND_HEADING = "Trend"
TREND_KEY = (
    "Trend: one bar per financial year, rising from zero to the measure's highest value "
    "shown; a blank is a year not published."
)

LABEL_MIN_WIDTH = 24

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


def wrap_words(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Greedy word wrap: lines of at most ``width`` cells, a word too long kept whole.

    What :func:`textwrap.wrap` does for plain text, without its millisecond of start-up
    (it compiles its patterns on import), and counting cells, not characters.
    """
    plain = (text + first + rest).isascii() and " ".join(text.split()).isprintable()
    size = len if plain else cell_len  # printable ASCII: a cell a character
    lines: list[str] = []
    line = ""
    for word in text.split():
        if not line:
            line = (rest if lines else first) + word
        elif size(line) + 1 + size(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = rest + word
    return [*lines, line] if line else lines


def _fold_heading(heading: str, width: int = 10) -> str:
    """Break a long heading over lines so a narrow column of numbers stays narrow."""
    return "\n".join(wrap_words(heading, width))


class _Plan(NamedTuple):
    """How a table is drawn: its columns and their widths, the trend or not, years shown."""

    columns: list[Column]
    widths: list[int]
    trend: bool
    shown: int
    sparks: list[str]
    """The trend's bars, one line a row, where the trend is shown."""


def _columns(table: Table, trend: bool, keep: int) -> list[Column]:
    """The label column, the trend beside it if shown, and the latest ``keep`` periods."""
    picked = [0, *range(len(table.header) - keep, len(table.header))]
    columns = []
    for position in picked:
        heading, numeric = table.header[position], table.numeric[position]
        columns.append(
            Column(
                _fold_heading(heading),
                "right" if numeric else "left",
                no_wrap=numeric,
                # Labels and periods may wrap, but a label never to a word a line: a series
                # drops years instead (see _fit_to_width), a change table wraps its periods.
                min_width=_label_min_width(table) if position == 0 and table.series else None,
            )
        )
        if position == 0 and trend:
            # Beside the label, so a gap in the last year is still a visible hole, not
            # trailing space a pipe would strip.
            columns.append(Column(TREND_HEADING, no_wrap=True))
    return columns


def _label_min_width(table: Table) -> int:
    return min(max((len(row[0].text) for row in table.rows), default=0), LABEL_MIN_WIDTH)


def _fit_to_width(table: Table, console: Console, ascii_only: bool) -> _Plan | None:
    """The fullest drawing of ``table`` that fits the console, or None if none does.

    A series table is tried with its trend, then without it, then with its earliest years
    left out one by one: the numbers matter more than their picture. No word is ever cut
    (Rich, short of room, cuts ``+18.0 pp`` to ``+18.0``, ``2021/22`` to ``2021/`` and
    ``Measure`` to ``Measu`` / ``re``), so widths are decided here, from widths known in
    advance, in one pass over the columns. A table that cannot be drawn at all without
    breaking a word gives None: it is written as stacked blocks (see
    :mod:`gunstats.render.stacked`).
    """
    periods = len(table.header) - 1
    trend = bool(table.series)
    found = [
        extent({row[position][0] for row in table.rows} | {_fold_heading(heading)})
        for position, heading in enumerate(table.header)
    ]
    if trend:
        found.insert(1, _trend_extent(table))
    natural = [item.line for item in found]
    if sum(natural) + 3 * (len(natural) - 1) <= console.width:  # the usual case: it all fits
        padded = [w + a + b for w, (a, b) in zip(natural, paddings(len(natural)), strict=True)]
        sparks = _sparklines(table, trend, ascii_only)
        return _Plan(_columns(table, trend, periods), padded, trend, periods, sparks)
    if table.series:
        trend, periods = _years_that_fit(table, found, console.width)
        if not periods:  # not even the latest year fits: stacked, every year
            return None
        found = [found[0], *found[len(found) - periods - trend :]]
    columns = _columns(table, trend, periods)
    widths = _word_widths(columns, found, console.width)
    if widths is None:  # below the width its words need: stacked blocks
        return None
    return _Plan(columns, widths, trend, periods, _sparklines(table, trend, ascii_only))


def _least(column: Column, found: Extent) -> int:
    """The narrowest a column can be without cutting a word: a column drawn on one line
    (numbers, periods, the trend) all of its widest line, text its longest word."""
    if column.no_wrap:
        return found.line
    return max(found.word, column.min_width or 0)


def _word_widths(columns: list[Column], found: list[Extent], width: int) -> list[int] | None:
    """Column widths (padding included) within ``width`` that cut no word, or None.

    From every column's natural width, the widest column that can still give way (above its
    least width) gives one cell at a time until the table fits: the text columns share the
    wrapping, so no one cell ("no significant change") is folded a word a line.
    """
    least = [_least(column, item) for column, item in zip(columns, found, strict=True)]
    if sum(least) + 3 * (len(least) - 1) > width:
        return None
    widths = [max(item.line, smallest) for item, smallest in zip(found, least, strict=True)]
    excess = sum(widths) + 3 * (len(widths) - 1) - width
    while excess > 0:
        # Down to the next width another column has (or to its floor) in one step: the
        # same widths as giving one cell at a time, without a loop per cell.
        give = [i for i in range(len(widths)) if widths[i] > least[i]]
        widest = max(give, key=lambda i: widths[i])
        others = [widths[i] for i in give if i != widest]
        target = max([least[widest], widths[widest] - excess, *others])
        step = max(widths[widest] - target, 1)
        widths[widest] -= step
        excess -= step
    return [w + a + b for w, (a, b) in zip(widths, paddings(len(widths)), strict=True)]


def _trend_extent(table: Table) -> Extent:
    """The trend column's extent without drawing it: a bar a year, a blank for each gap, so
    its longest word is the longest run of published years (or, as Rich measures text with
    no words, the whole line, for a row of gaps only)."""
    years = len(table.series[0])
    longest = 0
    for values in table.series:
        run = 0
        for value in values:
            run = 0 if value is None else run + 1
            longest = max(longest, run)
        if all(value is None for value in values):
            longest = max(longest, years)
    return Extent("", max(len(TREND_HEADING), years), "", max(len(TREND_HEADING), longest))


def _sparklines(table: Table, trend: bool, ascii_only: bool) -> list[str]:
    """The trend's bars, one line a row; made only for a table that shows them."""
    return [sparkline(values, ascii_only=ascii_only) for values in table.series] if trend else []


def _years_that_fit(table: Table, found: list[Extent], width: int) -> tuple[bool, int]:
    """(trend shown, periods shown) for a series table: its narrowest drawing is what counts.

    Fewer years are only ever narrower, so one pass from the latest year back finds how many
    fit; none (0) where not even the latest year fits beside the labels.
    """
    periods = len(table.header) - 1
    if _word_widths(_columns(table, True, periods), found, width) is not None:
        return True, periods
    total, keep = _least(_columns(table, False, 0)[0], found[0]), 0  # the label column alone
    for item in reversed(found[2:]):  # each year: its widest value, padding and a rule
        total += item.line + 3
        if total > width:
            break
        keep += 1
    return False, keep


def _box(ascii_only: bool) -> box.Box:
    return box.ASCII2 if ascii_only else box.SIMPLE_HEAD


def _cells(table: Table, plan: _Plan) -> Iterable[Sequence[tuple]]:
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


def _write_table(table: Table, plan: _Plan, console: Console, ascii_only: bool) -> None:
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
        plan = _fit_to_width(table, console, ascii_only)
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
