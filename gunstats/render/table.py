"""The terminal table, drawn by Rich. Rich is imported here and nowhere else.

Whether to use colour, how wide to draw and whether the output can take box-drawing
characters are decided by the caller from the real environment (see :mod:`gunstats.terminal`)
and passed in, so the same report renders identically under test.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.table import Table as RichTable
from rich.text import Text

from gunstats.compute import Assessment, Report
from gunstats.prose import long_date
from gunstats.render.layout import Cell, Layout, Table, build_layout
from gunstats.render.options import DEFAULT, RenderOptions
from gunstats.sparkline import sparkline

if TYPE_CHECKING:
    from gunstats.monthly import Summary

TREND_HEADING = "Trend"
TREND_KEY = (
    "Trend: one bar per financial year, rising from zero to the measure's highest value "
    "shown; a blank is a year not published."
)

LABEL_MIN_WIDTH = 24

STYLES = {
    Assessment.BETTER: "green",
    Assessment.WORSE: "red",
    Assessment.NO_CHANGE: "",
    Assessment.NEUTRAL: "",
}


def _cell(cell: Cell) -> Text:
    # Text objects are never parsed for markup, so a label like "[x] estimate" prints as is.
    return Text(cell.text, style=STYLES.get(cell.assessment, "") if cell.assessment else "")


def wrap_words(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Greedy word wrap: lines of at most ``width`` cells, a word too long kept whole.

    What :func:`textwrap.wrap` does for plain text, without its millisecond of start-up
    (it compiles its patterns on import), and counting cells, not characters.
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        if not line:
            line = (rest if lines else first) + word
        elif cell_len(line) + 1 + cell_len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = rest + word
    return [*lines, line] if line else lines


def _fold_heading(heading: str, width: int = 10) -> str:
    """Break a long heading over lines so a narrow column of numbers stays narrow."""
    return "\n".join(wrap_words(heading, width))


def _rich_table(
    table: Table, ascii_only: bool, trend: bool = True, widths: list[int] | None = None
) -> RichTable:
    """``widths``, where the caller knows them, spare Rich measuring every cell again."""
    rich_table = RichTable(
        title=Text(table.title, style="bold"),
        title_justify="left",
        box=box.ASCII2 if ascii_only else box.SIMPLE_HEAD,
        header_style="bold",
        show_edge=False,
        pad_edge=False,
    )
    longest_label = max((len(row[0].text) for row in table.rows), default=0)
    trend = trend and bool(table.series)
    fixed = iter(widths or ())
    for position, (heading, numeric) in enumerate(zip(table.header, table.numeric, strict=True)):
        rich_table.add_column(
            Text(_fold_heading(heading)),
            width=next(fixed, None),
            justify="right" if numeric else "left",
            overflow="fold",
            # Labels and periods may wrap, but a label never to a word a line: a series drops
            # years instead (see _fit_to_width), a change table wraps its periods first.
            no_wrap=numeric,
            min_width=min(longest_label, LABEL_MIN_WIDTH)
            if position == 0 and table.series
            else None,
        )
        if position == 0 and trend:
            # Beside the label, so a gap in the last year is still a visible hole, not
            # trailing space a pipe would strip.
            rich_table.add_column(Text(TREND_HEADING), no_wrap=True, width=next(fixed, None))
    for index, row in enumerate(table.rows):
        cells = [_cell(cell) for cell in row]
        if trend:
            cells.insert(1, Text(sparkline(table.series[index], ascii_only=ascii_only)))
        rich_table.add_row(*cells)
    return rich_table


def _longest_word(heading: str, texts: Iterable[str]) -> int:
    """A text column is never narrower than its longest word: Rich would split the word."""
    return max(cell_len(word) for text in (heading, *texts) for word in text.split())


def _minimum_width(console: Console, rich_table: RichTable) -> int:
    """The narrowest the table can be drawn, measured without clamping to the console."""
    unclamped = console.options.update_width(10_000)
    return console.measure(rich_table, options=unclamped).minimum


def _fit_to_width(table: Table, console: Console, ascii_only: bool):
    """The fullest drawing of ``table`` that fits: (Rich table, trend shown, periods shown).

    A series table is tried with its trend, then without it, then with its earliest years
    left out one by one: the numbers matter more than their picture, and Rich would
    otherwise squeeze the labels and years out of sight to make room.
    """
    periods = len(table.header) - 1
    trend = bool(table.series)
    widths = _natural_widths(table, trend)
    if sum(widths) + 3 * (len(widths) - 1) <= console.width:  # the usual case: it all fits
        return _rich_table(table, ascii_only, trend, widths), trend, periods
    if not table.series:  # wrap the text columns, the widest first
        widths = _narrow_text_columns(table, widths, console.width)
        return _rich_table(table, ascii_only, False, widths), False, periods
    attempts = [(table, True, periods), (table, False, periods)]
    attempts += [(_latest(table, keep), False, keep) for keep in range(periods - 1, 0, -1)]
    for candidate, trend, shown in attempts:
        rich_table = _rich_table(candidate, ascii_only, trend=trend)
        if _minimum_width(console, rich_table) <= console.width:
            return rich_table, trend, shown
    return rich_table, trend, shown


def _natural_widths(table: Table, trend: bool) -> list[int]:
    """Each column's width with every cell on one line (headings folded): Rich's maximum."""
    columns = zip(*((Cell(_fold_heading(h)) for h in table.header), *table.rows), strict=True)
    widths = [
        max((cell_len(line) for cell in column for line in cell.text.splitlines()), default=0)
        for column in columns
    ]
    if trend:
        widths.insert(1, max(len(TREND_HEADING), len(table.series[0])))
    return widths


def _narrow_text_columns(table: Table, widths: list[int], width: int) -> list[int]:
    """Narrow the widest text column by a cell at a time, never below its longest word (nor
    the label below :data:`LABEL_MIN_WIDTH`), until the table fits ``width``: a long
    "compared with" cell wraps before the measure's label.

    Rich would do this itself, but it can narrow a column below its minimum width and then
    widen it back, which overflows the table and crops its last column.
    """
    widths = list(widths)
    excess = sum(widths) + 3 * (len(widths) - 1) - width
    floors = {
        i: _longest_word(table.header[i], (row[i].text for row in table.rows))
        for i, numeric in enumerate(table.numeric)
        if not numeric
    }
    longest_word = floors[0]
    for label_floor in (max(longest_word, min(widths[0], LABEL_MIN_WIDTH)), longest_word):
        floors[0] = label_floor  # the label wraps only once the other text columns cannot
        while excess > 0:
            shrinkable = [i for i, floor in floors.items() if widths[i] > floor]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1
    return widths


def _latest(table: Table, keep: int) -> Table:
    """The table with only its label column and its latest ``keep`` period columns."""
    return table._replace(
        header=(table.header[0], *table.header[-keep:]),
        numeric=(table.numeric[0], *table.numeric[-keep:]),
        rows=tuple((row[0], *row[-keep:]) for row in table.rows),
        series=tuple(values[-keep:] for values in table.series),
    )


def print_layout(layout: Layout, console: Console, ascii_only: bool) -> None:
    head = [Text(layout.title, style="bold")]
    if layout.as_of:
        head.append(Text(f"Figures as of {long_date(layout.as_of)}."))
    if layout.key_points:
        # A hanging indent keeps each key point visibly one item when it wraps.
        points = (wrap_words(p, console.width, first="- ", rest="  ") for p in layout.key_points)
        head += [Text(""), Text("\n".join(line for point in points for line in point))]
    _print_tables_and_notes(layout, console, ascii_only, head)


def _print_tables_and_notes(layout, console: Console, ascii_only: bool, head: list[Text]) -> None:
    """The tables, the key, the definitions, the sources, the status and the caveats: the same
    for report and summary.

    Everything goes to Rich in one print: each print call costs a full pass of its
    rendering machinery, and a report is read by people who wait for it.
    """
    parts: list = list(head)
    trend_shown = False
    notes = []
    for table in layout.tables:
        rich_table, trend, shown = _fit_to_width(table, console, ascii_only)
        trend_shown = trend_shown or trend
        if shown < len(table.header) - 1:
            notes.append(
                f"Only the latest {shown} of {len(table.header) - 1} years fit this width; "
                "a wider terminal, --from, or the Markdown, CSV and JSON formats show them all."
            )
        parts += [Text(""), rich_table]
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
    console.print(Group(*parts))


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
    _print_tables_and_notes(layout, console, ascii_only, head)


def render_summary(summary: Summary, options: RenderOptions = DEFAULT) -> str:
    """The monthly summary (:class:`~gunstats.monthly.Summary`) as a terminal table."""
    from gunstats.render.summary_layout import build_summary_layout

    layout = build_summary_layout(summary, options.precision)
    return capture(lambda console: print_summary(layout, console, options.ascii_only), options)
