"""A table for a terminal too narrow for it: one block per measure, a line per figure.

Squeezed below the width its words need, a table stops meaning what it says: Rich cuts
``+18.0 pp`` to ``+18.0``, ``2021/22`` to ``2021/2``, ``Measure`` to ``Measu`` / ``re``, and
drops whole columns. So a table that cannot be drawn without breaking a word is written as
blocks instead, each headed by its measure, with every figure under its own column heading::

    Lethal firearms seized
    - Periods: 2019/20 to 2020/21
      Change: +72
      Relative change (%): +17.6
      Assessment: better

Nothing is dropped or cut: every measure, unit and digit is there, a figure is never split
over two lines, and only a word longer than the whole width is left to overflow. Pure text:
the terminal renderer adds the colours (each segment carries its cell's assessment).
"""

from __future__ import annotations

from collections.abc import Iterable

from gunstats.compute import Assessment
from gunstats.render.layout import Table

Segment = tuple[str, Assessment | None]
"""Text, and the assessment whose colour it takes (None: plain)."""
Line = tuple[Segment, ...]


def stacked(table: Table, width: int, cell_len=len) -> list[Line]:
    """The table's rows as blocks of lines of at most ``width`` cells (``cell_len`` counts
    a text's cells; the terminal renderer passes Rich's, for wide characters)."""
    lines: list[Line] = []
    previous: str | None = None
    for row in table.rows:
        label = row[0].text
        if label != previous:
            if lines:
                lines.append(())
            wrapped = wrap_pieces(label.split(), width, "", "", cell_len)
            lines += [((text, None),) for text in wrapped]
            previous = label
        for position, cell in enumerate(row[1:], 1):
            first = "- " if position == 1 else "  "
            heading = table.header[position]
            lines += _field(heading, cell.text, cell.assessment, width, first, cell_len)
    return lines


def _field(heading: str, value: str, assessment, width: int, first: str, cell_len) -> list[Line]:
    """``Heading: value``, wrapped between the heading's words; the value is one piece."""
    words = heading.split()
    words[-1] += ":"
    *before, last = wrap_pieces([*words, value], width, first, "    ", cell_len)
    # The value is the last piece, so it ends the last line: only it takes the colour.
    head = last[: len(last) - len(value)]
    return [*(((line, None),) for line in before), ((head, None), (value, assessment))]


def wrap_pieces(pieces: Iterable[str], width: int, first: str, rest: str, cell_len) -> list[str]:
    """Greedy wrap of whole pieces: a piece too long for a line keeps a line of its own.

    ``cell_len`` measures a piece (:func:`gunstats.render.table_fit.wrap_words` passes ``len``
    for printable ASCII)."""
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if not line:
            line = (rest if lines else first) + piece
        elif cell_len(line) + 1 + cell_len(piece) <= width:
            line += " " + piece
        else:
            lines.append(line)
            line = rest + piece
    return [*lines, line] if line else lines
