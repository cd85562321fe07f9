"""A GSS-style workbook (cover, contents, notes, a sheet per table) written with gptables.

What :mod:`gunstats.render.xlsx` puts in a report's or a summary's sheets is decided there;
this module holds what every workbook shares: the cells (an exact number with a number
format, or shorthand as text), text made safe for gptables, the cover and notes, and the
writing itself. It follows the Analysis Function's guidance on releasing statistics in
spreadsheets:

- Numbers are numeric cells at full precision (the double nearest the exact value), shown
  rounded by a number format, so a reader can recompute from them.
- A cell with no number holds its shorthand as text (``[x]``, ``[z]``); no cell is blank.
- One header row, no merged cells; a unit in the header where a column has one.

gptables, pandas and xlsxwriter take half a second to import, so they are imported only
inside :func:`write_workbook`, when a spreadsheet is asked for (the ``spreadsheets`` extra).
"""

from __future__ import annotations

import datetime
import io
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from gunstats import __version__
from gunstats.errors import GunstatsError, OutputError
from gunstats.model import Flag, Metric, Source, Unit
from gunstats.numbers import SHORTHAND_KEY, to_json_number, value_places
from gunstats.prose import long_date
from gunstats.render.layout import POINTS_KEY, measure_label

if TYPE_CHECKING:
    from gunstats.numbers import Exact

INSTALL_HINT = "pip install '.[spreadsheets]' in the gunstats folder (or pip install gptables)"
NO_SHORTHAND = "none"
STORAGE_NOTE = (
    "Numbers are stored unrounded (to the 15 or so significant digits a spreadsheet keeps) "
    "and shown rounded; every change was worked out from the unrounded values, so a change "
    "recomputed from the rounded figures shown can differ slightly."
)
COMPANION_LEGEND = (
    "A column headed 'shorthand' gives the shorthand that applies to the number beside it "
    "([p] provisional, [r] revised, [e] estimated, [b] break in series), or none."
)

Value = int | float | str
"""What a table cell holds: a number, or text (a label, a unit, shorthand)."""
WorkbookCell = tuple[Value, str | None]
"""A cell's value and its number format (None for text)."""


class SpreadsheetsUnavailable(GunstatsError):
    """gptables (the ``spreadsheets`` extra) is not installed."""

    def __init__(self) -> None:
        super().__init__(
            f"xlsx output needs gptables, which is not installed; install it with: {INSTALL_HINT}"
        )


class Sheet(NamedTuple):
    """One table worksheet: its cells as gptables writes them, and how numbers are shown."""

    name: str
    table_name: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    number_formats: Mapping[tuple[int, int], str]
    """(row, column) to a number format; the header row is row 0 in gptables."""
    units: Mapping[str, str]
    legend: tuple[str, ...]

    def shorthand_used(self) -> list[str]:
        """The GSS codes in this table's cells, in the key's order."""
        found = {
            token
            for row in self.rows
            for cell in row
            if isinstance(cell, str)
            for token in cell.split()
        }
        return [code for code in SHORTHAND_KEY if code in found]


def make_sheet(
    name: str,
    table_name: str,
    title: str,
    header: Sequence[str],
    cells: Iterable[Sequence[WorkbookCell]],
    units: Mapping[str, str] | None = None,
    legend: Sequence[str] = (),
) -> Sheet:
    """A sheet from rows of (value, number format or None) cells."""
    rows: list[tuple[Value, ...]] = []
    formats: dict[tuple[int, int], str] = {}
    for row_number, row in enumerate(cells, 1):
        for column, (_, number_format) in enumerate(row):
            if number_format is not None:
                formats[(row_number, column)] = number_format
        rows.append(tuple(value for value, _ in row))
    return Sheet(
        name, table_name, title, tuple(header), tuple(rows), formats, units or {}, tuple(legend)
    )


# -- cells: the layout's shorthand, or the exact number --------------------------------------

_SHORTHAND_ONLY = re.compile(r"\[[a-z]+\]")


def number_format(places: int, signed: bool = False) -> str:
    """Thousands separators and ``places`` decimals; ``+`` on rises when ``signed``."""
    plain = "#,##0" + ("." + "0" * places if places else "")
    if not signed:
        return plain
    zero = "0" + ("." + "0" * places if places else "")
    return f"+{plain};-{plain};{zero}"


def shown(
    text: str,
    exact: Exact | None,
    unit: Unit,
    precision: int,
    signed: bool = False,
) -> WorkbookCell:
    """The cell for a number the layout shows as ``text``: its shorthand where the layout
    shows one instead of a number (so every format agrees on what is missing), else the
    exact number, with a number format that rounds it as the layout does."""
    if _SHORTHAND_ONLY.fullmatch(text):
        return text, None
    number = to_json_number(exact)
    if number is None:
        raise ValueError(f"the layout shows {text!r} where there is no value")
    return number, number_format(value_places(unit, precision), signed)


def flags_text(flags: Iterable[Flag]) -> str:
    """A shorthand column's cell: ``[p] [e]``, or ``none``."""
    return " ".join(f"[{flag.value}]" for flag in flags) or NO_SHORTHAND


# -- text that gptables would otherwise act on ------------------------------------------------

_JOINER = "\u2060"  # WORD JOINER: invisible, and breaks the patterns below


def literal(text: str) -> str:
    """User text as written: gptables reads ``$$ref$$`` as a note reference and
    ``[text](url)`` as a link (and fails on an unknown note or a second link), so a word
    joiner is put between the characters that would start either."""
    text = re.sub(r"\$(?=\$)", "$" + _JOINER, text)
    return text.replace("](", "]" + _JOINER + "(")


def _link(text: str, url: str | None) -> str:
    """``text`` linked to ``url`` where gptables and Excel can take the link, else both as text."""
    if not url:
        return literal(text)
    simple_text = not re.search(r"[\[\]()$]", text)
    simple_url = re.fullmatch(r"https?://[^\s()\[\]<>\"]+", url) and len(url) <= 2000
    if simple_text and simple_url:
        return f"[{text}]({url})"
    return literal(f"{text}: {url}")


def check_labels(metrics: Sequence[Metric], path: str) -> None:
    """gptables refuses a cell with no ASCII letter or digit (the guidance: no lone symbols)."""
    for metric in metrics:
        if not re.search(r"[A-Za-z0-9]", metric.label):
            raise OutputError(
                f"{path}: cannot write a spreadsheet: the label of metric {metric.id!r} "
                f"({metric.label!r}) has no letter or digit A-Z or 0-9, which gptables "
                "refuses in a table cell; give it a label with one"
            )


def measure_cell(metric: Metric, definitions: Mapping[str, str]) -> str:
    """The measure's name, citing its definition in the notes where it has one."""
    text = literal(measure_label(metric))
    return f"{text} $${definitions[metric.id]}$$" if metric.id in definitions else text


# -- cover and notes ---------------------------------------------------------------------------


def source_lines(sources: Sequence[Source]) -> list[str]:
    """``Source 1: title, publisher, published 10 May 2024``, the title linked where it can be."""
    lines = []
    for number, source in enumerate(sources, 1):
        details = [literal(source.publisher)] if source.publisher else []
        if source.published:
            details.append(f"published {long_date(source.published)}")
        tail = "".join(f", {detail}" for detail in details)
        lines.append(f"Source {number}: {_link(source.title, source.url)}{tail}")
    return lines


def cover_text(
    title: str,
    intro: list[str],
    status: str,
    notes: Sequence[str],
    caveats: Sequence[str],
    sources: Sequence[Source],
    contact: str | None = None,
) -> dict[str, Any]:
    """What the cover says, as gptables' Cover takes it (title, intro, about, contact): the
    status (stated, or said to be unstated), the file's notes and the caveats, as Markdown
    and the table print them (docs/conventions.md C24, C25), then the sources."""
    about = [literal(text) for text in (status, *notes, *caveats)]
    about += source_lines(sources) or ["Sources: the figures file names none."]
    return {
        "title": literal(title),
        "intro": intro,
        "about": about,
        "contact": [literal(contact)] if contact else None,
    }


def definitions_for(metrics: Sequence[Metric]) -> dict[str, str]:
    """A note reference for each metric with a description (its definition)."""
    return {m.id: f"definition_{i}" for i, m in enumerate(metrics, 1) if m.description}


def notes_rows(
    metrics: Sequence[Metric], definitions: Mapping[str, str], key: Sequence[str]
) -> list[tuple[str, str]]:
    """(reference, text): the definitions, then the key the other formats print, then how
    numbers are stored. Definitions are cited as [note n] beside the measure's name; the
    key explains shorthand found anywhere, so it is cited by no one cell. (The key's "pp"
    entry is left out: a spreadsheet names percentage points in full, in "Change unit".)"""
    rows = [
        (definitions[m.id], f"{literal(measure_label(m))}: {literal(m.description or '')}")
        for m in metrics
        if m.id in definitions
    ]
    rows += [(f"key_{i}", entry) for i, entry in enumerate(key, 1) if entry != POINTS_KEY]
    rows.append(("storage", STORAGE_NOTE))
    return rows


# -- writing -----------------------------------------------------------------------------------


def require_gptables() -> tuple[Any, Any]:
    """gptables and pandas, or :class:`SpreadsheetsUnavailable` saying how to install them."""
    try:
        import gptables  # type: ignore[import-untyped]
        import pandas  # type: ignore[import-untyped]
    except ImportError:
        raise SpreadsheetsUnavailable() from None
    return gptables, pandas


def write_workbook(
    sheets: Sequence[Sheet],
    cover: dict[str, Any],
    notes: list[tuple[str, str]],
    produced: str | None,
    title: str,
) -> bytes:
    """The workbook's bytes: the same inputs and ``produced`` date give the same bytes."""
    gptables, pandas = require_gptables()
    properties: dict[str, object] = {
        "title": literal(title),
        "comments": f"Made with gunstats {__version__}",
    }
    if produced:
        day = datetime.date.fromisoformat(produced)
        properties["created"] = datetime.datetime(
            day.year, day.month, day.day, tzinfo=datetime.timezone.utc
        )
    options = {
        # In memory, xlsxwriter dates every part of the zip 1 January 1980: reproducible.
        "in_memory": True,
        # A label such as "=HYPERLINK(...)" or "http://..." is text, never a formula or link.
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # gptables warns about notes no cell cites (the key, deliberately) and passes on
        # pandas' deprecation warnings; neither is for the person running gunstats.
        warnings.simplefilter("ignore")
        try:
            workbook = gptables.produce_workbook(
                filename=buffer,
                sheets={sheet.name: _gptable(gptables, pandas, sheet) for sheet in sheets},
                cover=gptables.Cover(**cover),
                notes_table=pandas.DataFrame(notes, columns=["Reference", "Note text"]),
                workbook_options=options,
            )
            workbook.set_properties(properties)
            workbook.close()
        except (TypeError, ValueError) as error:  # a check of gptables' that gunstats lacks
            reason = " ".join(str(error).split())
            raise OutputError(
                f"cannot write the spreadsheet: gptables refused it: {reason}"
            ) from error
    return buffer.getvalue()


def _gptable(gptables: Any, pandas: Any, sheet: Sheet) -> Any:
    legend = [f"{code} {SHORTHAND_KEY[code]}" for code in sheet.shorthand_used()]
    return gptables.GPTable(
        table=pandas.DataFrame(list(sheet.rows), columns=list(sheet.header), dtype=object),
        table_name=sheet.table_name,
        title=literal(sheet.title),
        units=dict(sheet.units) or None,
        legend=legend + list(sheet.legend),
        index_columns={2: 0},
        additional_formatting=[
            {"cell": {"cells": cell, "format": {"num_format": text}}}
            for cell, text in sheet.number_formats.items()
        ],
    )
