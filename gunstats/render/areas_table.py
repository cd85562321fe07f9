"""``gunstats areas`` as a terminal table, drawn by Rich from the Markdown's own layout.

Forty-three police forces must read at 80 columns and five hundred wards must draw fast, so
every column's width is worked out here, once, and given to Rich (which would otherwise
measure every cell, twice). What gives way when the table is too wide, in order: long area
names wrap onto a second line; then the population columns go (the note under the table
says so, and every other format has them); then the names wrap further, between words. The
measure, its rate and rank never go, and no word is cut: where even the longest word of a
name does not fit, the table is written as one block per area (see
:mod:`gunstats.render.stacked`).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from gunstats.areas import AreaTable
from gunstats.prose import long_date
from gunstats.render.areas_layout import AreaLayout, build_area_layout
from gunstats.render.layout import Table
from gunstats.render.options import DEFAULT, RenderOptions
from gunstats.render.stacked import stacked
from gunstats.render.table import STYLES, capture
from gunstats.render.table_fit import wrap_words

GAP = 2
"""Cells between two columns: the box's separator and one of padding (collapsed)."""
HEADING_WIDTH = 8
NAME_MIN_WIDTH = 12
DROPPABLE = (("Population", "Population estimate"), ("Change (%)",))
"""What goes, in turn, when the names would otherwise break mid-word."""
DROPPED_NOTE = (
    "{} left out at this width; a wider terminal, or the Markdown, CSV and JSON formats, show {}."
)


def _fold(heading: str) -> str:
    return "\n".join(wrap_words(heading, HEADING_WIDTH))


def _widths(table: Table) -> list[int]:
    """Each column's width with every cell on one line and its heading folded."""
    widths = [max(cell_len(line) for line in _fold(h).splitlines()) for h in table.header]
    for row in table.rows:
        for index, cell in enumerate(row):
            length = cell_len(cell.text)
            if length > widths[index]:
                widths[index] = length
    return widths


def _without(table: Table, headings: tuple[str, ...]) -> Table:
    keep = [i for i, heading in enumerate(table.header) if heading not in headings]
    return table._replace(
        header=tuple(table.header[i] for i in keep),
        numeric=tuple(table.numeric[i] for i in keep),
        rows=tuple(tuple(row[i] for i in keep) for row in table.rows),
    )


def fit(table: Table, width: int) -> tuple[Table, list[int], tuple[str, ...]] | None:
    """The table and column widths that fit ``width``, and the headings left out; None
    where the names would have to be cut mid-word even with those columns left out.

    Column 1 holds the names: it is the one that wraps, at spaces only.
    """
    dropped: tuple[str, ...] = ()
    attempt = table
    for step in (*DROPPABLE, None):
        widths = _widths(attempt)
        spare = width - (sum(widths) + GAP * (len(widths) - 1))
        if spare >= 0:
            return attempt, widths, dropped
        longest = max(cell_len(word) for row in attempt.rows for word in row[1].text.split())
        least = longest if step is None else max(NAME_MIN_WIDTH, longest)
        if widths[1] + spare >= least:
            widths[1] += spare
            return attempt, widths, dropped
        if step is None:  # a name's word, or another column, would be cut: blocks instead
            return None
        dropped += tuple(h for h in step if h in attempt.header)
        attempt = _without(attempt, step)
    raise AssertionError("unreachable")


def _wrap_name(name: str, width: int) -> list[str]:
    """At spaces (:func:`fit` leaves room for the longest word)."""
    return wrap_words(name, width) or [""]


def draw_stacked(table: Table, width: int) -> list[Text]:
    """The table as one block per area, headed by its name, every figure under its heading:
    for a terminal too narrow for the table's words."""
    order = [1, 0, *range(2, len(table.header))]  # the name heads each block
    by_name = table._replace(
        header=tuple(table.header[i] for i in order),
        numeric=tuple(table.numeric[i] for i in order),
        rows=tuple(tuple(row[i] for i in order) for row in table.rows),
    )
    lines = ["".join(text for text, _ in line) for line in stacked(by_name, width, cell_len)]
    title = "\n".join(wrap_words(table.title, width))
    return [Text(title, style="bold"), Text(""), Text("\n".join(lines))]


def _pad(text: str, width: int, numeric: bool) -> str:
    space = " " * (width - cell_len(text))
    return space + text if numeric else text + space


def draw_table(table: Table, widths: list[int], ascii_only: bool) -> list[Text]:
    """The table as lines, in Rich's simple-head style: headings, a rule, then the rows.

    Drawn here rather than by a Rich table, which costs a millisecond a row (it measures and
    wraps every cell): with the widths known, a row is a line of padded text.
    """
    gap = " " * GAP
    headings = [_fold(h).splitlines() for h in table.header]
    height = max(len(h) for h in headings)
    lines = [Text(table.title, style="bold")]
    for level in range(height):
        cells = []
        for heading, width, numeric in zip(headings, widths, table.numeric, strict=True):
            index = level - (height - len(heading))  # headings sit on the rule, as in Rich
            cells.append(_pad(heading[index] if index >= 0 else "", width, numeric))
        lines.append(Text(gap.join(cells), style="bold"))
    lines.append(Text(("-" if ascii_only else "\u2500") * (sum(widths) + GAP * (len(widths) - 1))))
    for number, row in enumerate(table.rows):
        names = _wrap_name(row[1].text, widths[1])
        for level, name in enumerate(names):
            cells = [
                name if index == 1 else (cell.text if level == 0 else "")
                for index, cell in enumerate(row)
            ]
            padded = [
                _pad(text, width, numeric)
                for text, width, numeric in zip(cells, widths, table.numeric, strict=True)
            ]
            line = Text(gap.join(padded))
            start = 0
            for cell, text in zip(row, padded, strict=True):
                style = STYLES[cell.assessment] if cell.assessment and level == 0 else ""
                if style:  # a significant change, green or red as in the report's table
                    line.stylize(style, start, start + len(text))
                start += len(text) + GAP
            lines.append(line)
        if number == 0:  # the whole's row is a reference, not a rank: set apart
            lines.append(Text(""))
    return lines


def _dropped_note(headings: tuple[str, ...]) -> str:
    names = [f"'{h}'" for h in headings]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    verb = "is" if len(names) == 1 else "are"
    return DROPPED_NOTE.format(f"{listed} {verb}", "it" if len(names) == 1 else "them")


def print_areas(layout: AreaLayout, console: Console, ascii_only: bool) -> None:
    width = console.width
    # Printed unwrapped (the table is wrapped here already), so the title is wrapped here.
    head = [Text("\n".join(wrap_words(layout.title, width)), style="bold")]
    if layout.as_of:
        head.append(Text(f"Figures as of {long_date(layout.as_of)}."))
    points = (wrap_words(p, width, first="- ", rest="  ") for p in layout.key_points)
    head += [Text(""), Text("\n".join(line for point in points for line in point))]
    fitted = fit(layout.table, width)
    dropped = fitted[2] if fitted else ()
    lines = [_dropped_note(dropped)] if dropped else []
    lines += list(layout.key)
    for number, source in enumerate(layout.sources, 1):
        published = f"published {long_date(source.published)}" if source.published else None
        fields = [source.title, source.publisher, published, source.url]
        lines.append(f"Source {number}: " + ", ".join(f for f in fields if f))
    lines += [layout.status, layout.caveat]
    wrapped = [line for text in lines for line in wrap_words(text, width)]
    if fitted is None:
        body = draw_stacked(layout.table, width)
    else:
        body = draw_table(fitted[0], fitted[1], ascii_only)
    # One Text for all of it: one pass of Rich's rendering, however many rows.
    text = Text()
    for part in (*head, Text(""), *body, Text(""), Text("\n".join(wrapped))):
        text.append_text(part)
        text.append("\n")
    console.print(text, end="", no_wrap=True, overflow="ignore", crop=False)


def render(table: AreaTable, options: RenderOptions = DEFAULT) -> str:
    layout = build_area_layout(table)
    return capture(lambda console: print_areas(layout, console, options.ascii_only), options)
