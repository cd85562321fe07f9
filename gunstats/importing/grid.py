"""A table's cells as a grid, read from CSV or from a workbook sheet, with each cell's place.

Every error names the cell a user would go to: ``book.xlsx:Table 3!C7`` in a workbook (the
sheet and the cell reference a spreadsheet shows) and ``table.csv:7:3`` in CSV (line and
column, as gunstats reports a figures file, so an editor can jump there; the line is the
line in the file where the row starts, which differs from the row number only when a
quoted cell spans lines).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from typing import NamedTuple

from gunstats.errors import GunstatsError, printable

WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
INSTALL_HINT = (
    "pip install '.[spreadsheets]' in the gunstats folder (or pip install python-calamine)"
)
MAX_BYTES = 64 * 1024 * 1024
_DELIMITERS = (",", "\t", ";", "|")


class TableError(GunstatsError):
    """The table cannot be imported; one line per problem, each naming its cell."""


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column names a spreadsheet shows."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class Grid(NamedTuple):
    """Rows of cells (text, numbers, dates or None) and where they came from."""

    file: str
    rows: list[list[object]]
    sheet: str | None = None
    lines: tuple[int, ...] = ()
    """CSV only: the line each row starts on."""

    def place(self, row: int, column: int | None = None) -> str:
        """Where a cell (or, without a column, a row) is, for messages; indexes from 0."""
        if self.sheet is None:
            line = self.lines[row] if row < len(self.lines) else row + 1
            where = f"{self.file}:{line}"
            return where if column is None else f"{where}:{column + 1}"
        where = f"{self.file}:{self.sheet}!"
        if column is None:
            return f"{where}{row + 1}:{row + 1}"
        return f"{where}{column_letters(column)}{row + 1}"

    def cell_name(self, row: int, column: int) -> str:
        """The cell alone, for comments in the figures file: ``C7`` (CSV: ``line 7, column 3``)."""
        if self.sheet is None:
            line = self.lines[row] if row < len(self.lines) else row + 1
            return f"line {line}, column {column + 1}"
        return f"{column_letters(column)}{row + 1}"

    def locate(self, cell_name: str) -> str:
        """Where the cell :meth:`cell_name` named is, for messages."""
        if self.sheet is not None:
            return f"{self.file}:{self.sheet}!{cell_name}"
        line, column = re.findall(r"\d+", cell_name)
        return f"{self.file}:{line}:{column}"

    def origin(self) -> str:
        return self.file if self.sheet is None else f"{self.file}, sheet {self.sheet!r}"

    def cell(self, row: int, column: int) -> object:
        cells = self.rows[row]
        return cells[column] if column < len(cells) else None


def is_empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def read_grid(path: str, sheet: str | None = None) -> Grid:
    """The cells of a CSV file, or of one sheet of a workbook (the first unless ``sheet``)."""
    if os.path.splitext(path)[1].lower() in WORKBOOK_EXTENSIONS:
        return read_workbook(path, sheet)
    if sheet is not None:
        raise TableError(f"{printable(path)}: --sheet is for workbooks (.xlsx, .xls, .ods)")
    return read_csv(path)


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise TableError(f"{printable(path)}: no such file") from None
    except IsADirectoryError:
        raise TableError(f"{printable(path)}: is a directory, not a table") from None
    except OSError as error:
        raise TableError(f"{printable(path)}: cannot be read ({error.strerror or error})") from None
    if len(data) > MAX_BYTES:
        raise TableError(f"{printable(path)}: file is over the limit of {MAX_BYTES:,} bytes")
    return data


def decode(data: bytes, path: str) -> str:
    """UTF-8 (with or without a byte-order mark), UTF-16 with one, else Windows-1252.

    Excel saves "CSV UTF-8" with a byte-order mark, plain "CSV" in the Windows code page
    (where ``£`` and curly quotes are single bytes that are not UTF-8), and "Unicode text"
    as UTF-16.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise TableError(
            f"{printable(path)}: not a text table (it holds binary data); a workbook must end "
            f"{', '.join(WORKBOOK_EXTENSIONS)}"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise TableError(
            f"{printable(path)}: not UTF-8 or Windows-1252 text (byte 0x{data[error.start]:02x})"
        ) from None


def read_csv(path: str) -> Grid:
    text = decode(_read_bytes(path), path)
    delimiter = sniff_delimiter(text)
    rows: list[list[object]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            lines.append(reader.line_num - _spanned(row))
            rows.append(list(row))
    except csv.Error as error:
        raise TableError(
            f"{printable(path)}:{reader.line_num}: not a readable CSV table ({error})"
        ) from None
    return Grid(path, rows, None, tuple(lines))


def _spanned(row: list[str]) -> int:
    """How many line breaks quoted cells of a row hold (the row started that many lines up)."""
    return sum(cell.count("\n") for cell in row)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits most of the first rows into the same number of cells.

    Not :class:`csv.Sniffer`: the title and note rows above a published table (often with a
    comma in their text and nothing else) throw its character counting off.
    """
    sample = text[:65536]
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        try:
            widths = [
                len(row) for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
            ]
        except csv.Error:
            continue
        widths = [width for width in widths[:200] if width > 1]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = widths.count(common) * min(common, 50)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_workbook(path: str, sheet: str | None) -> Grid:
    """One sheet of an XLSX, XLS or ODS workbook, through python-calamine."""
    try:
        import python_calamine
    except ImportError:
        raise TableError(
            f"{printable(path)}: reading a workbook needs the spreadsheets extra: {INSTALL_HINT}"
        ) from None
    if not os.path.exists(path):
        raise TableError(f"{printable(path)}: no such file")
    if os.path.isdir(path):
        raise TableError(f"{printable(path)}: is a directory, not a table")
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(path)
        names = list(workbook.sheet_names)
        name = _choose_sheet(path, names, sheet)
        # skip_empty_area=False keeps leading blank rows and columns, so that row and column
        # numbers in messages are the ones the spreadsheet shows.
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except TableError:
        raise
    except python_calamine.PasswordError:
        raise TableError(
            f"{printable(path)}: the workbook is protected with a password (save an "
            "unprotected copy to import)"
        ) from None
    except (python_calamine.CalamineError, OSError, ValueError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise TableError(f"{printable(path)}: not a readable workbook ({reason[:200]})") from None
    return Grid(path, [list(row) for row in rows], name)


def _choose_sheet(path: str, names: list[str], sheet: str | None) -> str:
    if not names:
        raise TableError(f"{printable(path)}: the workbook has no sheets")
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1]
    folded = [name for name in names if name.casefold() == sheet.casefold()]
    if len(folded) == 1:
        return folded[0]
    listed = ", ".join(repr(name) for name in names)
    raise TableError(
        f"{printable(path)}: no sheet {sheet!r} (the sheets are {listed}; or give a number "
        f"from 1 to {len(names)})"
    )
