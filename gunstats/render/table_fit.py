"""How the terminal table fits its width: which columns it shows, and how wide each is drawn.

:func:`fit_to_width` plans a table of :mod:`gunstats.render.layout` for a console's width
from widths known in advance (:func:`gunstats.render.grid.extent`), never cutting a word: a
series table gives up its trend, then its earliest years; a table that cannot fit at all is
left to :mod:`gunstats.render.stacked`. :mod:`gunstats.render.table` draws the plan.
:func:`wrap_words` is the word wrap of every text the terminal formats print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len

from gunstats.render.grid import Column, Extent, extent, paddings
from gunstats.render.stacked import wrap_pieces
from gunstats.sparkline import sparkline

if TYPE_CHECKING:
    from rich.console import Console

    from gunstats.render.layout import Table

TREND_HEADING = "Trend"

LABEL_MIN_WIDTH = 24


def wrap_words(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Greedy word wrap: lines of at most ``width`` cells, a word too long kept whole.

    What :func:`textwrap.wrap` does for plain text, without its millisecond of start-up
    (it compiles its patterns on import), and counting cells, not characters.
    """
    plain = (text + first + rest).isascii() and " ".join(text.split()).isprintable()
    size = len if plain else cell_len  # printable ASCII: a cell a character
    return wrap_pieces(text.split(), width, first, rest, size)


def _fold_heading(heading: str, width: int = 10) -> str:
    """Break a long heading over lines so a narrow column of numbers stays narrow."""
    return "\n".join(wrap_words(heading, width))


class Plan(NamedTuple):
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
                # drops years instead (see fit_to_width), a change table wraps its periods.
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


def fit_to_width(table: Table, console: Console, ascii_only: bool) -> Plan | None:
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
        return Plan(_columns(table, trend, periods), padded, trend, periods, sparks)
    if table.series:
        trend, periods = _years_that_fit(table, found, console.width)
        if not periods:  # not even the latest year fits: stacked, every year
            return None
        found = [found[0], *found[len(found) - periods - trend :]]
    columns = _columns(table, trend, periods)
    widths = _word_widths(columns, found, console.width)
    if widths is None:  # below the width its words need: stacked blocks
        return None
    return Plan(columns, widths, trend, periods, _sparklines(table, trend, ascii_only))


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
