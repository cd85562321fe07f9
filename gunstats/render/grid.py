"""Draw a table from column widths known in advance, byte for byte as Rich's ``Table`` would.

Rich's ``Table`` measures every cell and renders each one through its full machinery: about
a millisecond a row, and several measuring passes per table. Every cell gunstats shows is
text it made itself, so its width is known from :func:`rich.cells.cell_len`. Here a cell
that fits its column on one line (nearly all of them) is padded and justified directly; only
cells that must wrap go to Rich (rendered once per distinct text). The column widths are
decided by :mod:`gunstats.render.table`, never cutting a word. The settings are those of
the Rich table gunstats has always drawn: no outer edge, no padding at the edges, one space
either side of each column rule, bold title and headings.
``tests/test_table_layout.py`` holds the output to Rich's own, styled and plain.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from rich.box import Box
from rich.cells import cell_len
from rich.console import COLOR_SYSTEMS, Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text


class Column(NamedTuple):
    heading: str
    """As shown: already folded over lines where it is long."""
    justify: str = "left"
    no_wrap: bool = False
    min_width: int | None = None


class Extent(NamedTuple):
    """What Rich measures of a column's cells: the widest line and the longest word."""

    widest: str
    line: int
    wordiest: str
    word: int


def extent(texts: Iterable[str]) -> Extent:
    """The column's widest text and its width, and the text with the longest word and that
    word's width, in terminal cells, exactly as Rich measures ``Text`` (``__rich_measure__``)."""
    widest = wordiest = ""
    line = word = -1
    for text in set(texts):  # a column repeats its labels and many of its numbers
        if text.isprintable():  # no line breaks, tabs or control codes: the usual case
            size = len if text.isascii() else cell_len  # printable ASCII: a cell a character
            width = size(text)
            longest = max(map(size, text.split()), default=width) if " " in text else width
        else:
            plain = Text(text).plain  # Rich drops some control codes first
            width = max(map(cell_len, plain.splitlines()), default=0)
            longest = max(map(cell_len, plain.split()), default=width)
        if width > line:
            widest, line = text, width
        if longest > word:
            wordiest, word = text, longest
    return Extent(widest, max(line, 0), wordiest, max(word, 0))


def paddings(count: int) -> list[tuple[int, int]]:
    """(left, right) padding of each column: one space, none at the table's outer edges."""
    return [(int(index > 0), int(index < count - 1)) for index in range(count)]


class Grid:
    """Draws one table, its widths decided, as the text Rich would print for it.

    A body cell is any tuple whose first item is its text and whose second is a key into
    ``styles`` (a Rich style name; a key not there means no style), so the layout's own
    cells are drawn without being copied.
    """

    def __init__(
        self,
        console: Console,
        box: Box,
        columns: Sequence[Column],
        widths: list[int],
        styles: Mapping[Any, str],
    ):
        self.console = console
        self.options = console.options
        self.box = box.substitute(self.options, safe=True)
        self.columns = columns
        self.widths = widths
        self.pads = paddings(len(columns))
        self.table_width = sum(widths) + len(widths) - 1
        # Lines wider than the console are cut by Console.print: the same cut is made here.
        self.crop = self.table_width > self.options.max_width
        system = console.color_system
        self.color_system = COLOR_SYSTEMS[system] if system else None
        self.no_color = console.no_color
        self.style_names = styles
        self.styles: dict[str, Style | None] = {}
        self.wrapped: dict[tuple[int, str, str], list[list[Segment]]] = {}
        self.blanks = [" " * width for width in widths]
        # Per column: the width inside the padding, right-justified or not, and the padding.
        self.shape = [
            (width - left - right, column.justify == "right", " " * left, " " * right)
            for column, width, (left, right) in zip(columns, widths, self.pads, strict=True)
        ]
        # What each style key looks like around a cell's text (None: no escape codes at all).
        self.codes: dict[Any, tuple[str, str]] | None = None
        if self.color_system is not None:
            self.codes = {}
            for key, name in styles.items():
                styled = self.text([Segment("\x00", self.style(name))])
                before, _, after = styled.partition("\x00")
                self.codes[key] = (before, after)

    # -- output ------------------------------------------------------------------------------

    def text(self, segments: Iterable[Segment]) -> str:
        """Segments as Console.print writes them (its ``_render_buffer``)."""
        color_system = self.color_system
        if color_system is None:
            return "".join(segment.text for segment in segments)
        parts = []
        for text, style, _control in segments:
            if style and self.no_color:
                style = style.without_color
            parts.append(style.render(text, color_system=color_system) if style else text)
        return "".join(parts)

    def _lines(self, segments: Iterable[Segment]) -> Iterator[str]:
        for line in Segment.split_and_crop_lines(segments, self.options.max_width, pad=False):
            yield self.text(line)

    def style(self, name: str) -> Style | None:
        found = self.styles.get(name, False)
        if found is False:
            found = self.styles[name] = self.console.get_style(name) if name else None
        return found  # type: ignore[return-value]

    # -- the parts of a table ----------------------------------------------------------------

    def head(self, title: str) -> str:
        """Title, heading row and the rule under it."""
        options = self.options.update(width=self.table_width, highlight=False, height=None)
        segments = list(
            self.console.render(Text(title, style="bold"), options.update(justify="left"))
        )
        header_style = self.console.get_style("bold") + self.console.get_style("")
        cells = [
            self._rich_cell(index, Text(column.heading), header_style)
            for index, column in enumerate(self.columns)
        ]
        height = max(len(lines) for lines in cells)
        cells = [
            Segment.set_shape(
                Segment.align_bottom(lines, width, height, header_style), width, height
            )
            for lines, width in zip(cells, self.widths, strict=True)
        ]
        divider = Segment(self.box.head_vertical)
        for number in range(height):
            for index, lines in enumerate(cells):
                if index:
                    segments.append(divider)
                segments.extend(lines[number])
            segments.append(Segment.line())
        segments += [Segment(self.box.get_row(self.widths, "head", edge=False)), Segment.line()]
        return "".join(line for line in self._lines(segments))

    def rows(self, rows: Iterable[Sequence[tuple]]) -> Iterator[str]:
        """The body rows as text, line breaks included, a thousand rows at a time."""
        mid, foot = self.box.mid_vertical, self.box.foot_vertical
        chunk: list[Sequence[tuple]] = []
        for row in rows:
            if len(chunk) == 1000:
                yield self._chunk(chunk, mid)
                chunk = []
            chunk.append(row)
        if chunk:  # the last row is drawn with the box's foot rule
            yield self._chunk(chunk[:-1], mid) + self._chunk(chunk[-1:], foot)

    def _chunk(self, rows: list[Sequence[tuple]], rule: str) -> str:
        """Rows on one line each where every cell fits its column unwrapped; else Rich's way.

        Within that test Rich draws exactly this: each text padded on the side away from
        its justification (a right-justified text first loses trailing spaces), and a
        style's escape codes around the text and that padding, not around the column's.
        The work goes column by column, so that a column of plain short text (nearly every
        column) is checked and padded by string methods over the whole chunk at once.
        """
        if not rows:
            return ""
        if self.crop:
            return "".join(self._tall_row(row, rule) for row in rows)
        columns = [
            self._column(index, [row[index] for row in rows]) for index in range(len(self.shape))
        ]
        between = " " + rule + " "  # padding, the rule, padding: every column but the edges'
        lines = []
        for row, parts in zip(rows, zip(*columns, strict=True), strict=True):
            if None in parts:
                lines.append(self._tall_row(row, rule))
            else:
                lines.append(between.join(parts) + "\n")
        return "".join(lines)

    def _column(self, index: int, cells: list[tuple]) -> list[str | None]:
        """Each cell's text padded to the column, None where Rich must draw it."""
        width, right, _left, _right = self.shape[index]
        texts = [cell[0] for cell in cells]
        together = "".join(texts)
        if together.isascii() and together.isprintable():  # a cell a character, no breaks
            if right:
                texts = [text.rstrip() for text in texts]
            if all(texts) and max(map(len, texts)) <= width:
                bodies: list[str | None] = [
                    text.rjust(width) if right else text.ljust(width) for text in texts
                ]
            else:
                bodies = [self._body(index, text) for text in texts]
        else:
            bodies = [self._body(index, text) for text in texts]
        codes = self.codes
        if codes is not None:
            for number, cell in enumerate(cells):
                if cell[1] in codes and bodies[number] is not None:
                    before, after = codes[cell[1]]
                    bodies[number] = before + bodies[number] + after  # type: ignore[operator]
        return bodies

    def _body(self, index: int, text: str) -> str | None:
        """One cell's text padded to its column, or None if it does not fit unwrapped."""
        width, right, _left, _right = self.shape[index]
        if not text.isprintable():  # line breaks, tabs, control codes: Rich decides
            return None
        if right:
            text = text.rstrip()
        used = cell_len(text)
        if used > width or not text:
            return None
        return " " * (width - used) + text if right else text + " " * (width - used)

    def _tall_row(self, row: Sequence[tuple], rule: str) -> str:
        """A row with a cell that wraps, or any row of a table wider than the console."""
        cells = []
        for index, cell in enumerate(row):
            text, key = cell[0], cell[1]
            name = self.style_names.get(key, "")
            lines = self._fitted(index, text, name)
            if lines is None:
                lines = self.wrapped.get((index, text, name))
            if lines is None:
                lines = self._rich_cell(index, Text(text, style=name), None)
                if len(self.wrapped) < 4096:  # labels repeat; most numbers do not
                    self.wrapped[index, text, name] = lines
            cells.append(lines)
        height = max(len(lines) for lines in cells)
        segments: list[Segment] = []
        for number in range(height):
            for index, lines in enumerate(cells):
                if index:
                    segments.append(Segment(rule))
                if number < len(lines):
                    segments.extend(lines[number])
                else:  # Rich aligns body cells to the top and fills below with blanks
                    segments.append(Segment(self.blanks[index]))
            segments.append(Segment.line())
        return "".join(self._lines(segments))

    def _fitted(self, index: int, text: str, name: str) -> list[list[Segment]] | None:
        """The one line of a cell that fits its column, as segments; None if it does not."""
        body = self._body(index, text)
        if body is None:
            return None
        _width, _right, left_pad, right_pad = self.shape[index]
        return [[Segment(left_pad), Segment(body, self.style(name)), Segment(right_pad)]]

    def _rich_cell(self, index: int, text: Text, style: Style | None) -> list[list[Segment]]:
        column = self.columns[index]
        left, right = self.pads[index]
        options = self.options.update(
            width=self.widths[index],
            justify=column.justify,  # type: ignore[arg-type]
            no_wrap=column.no_wrap,
            overflow="fold",
            height=None,
            highlight=False,
        )
        return self.console.render_lines(Padding(text, (0, right, 0, left)), options, style=style)
