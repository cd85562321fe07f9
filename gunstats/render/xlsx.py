"""Spreadsheets (xlsx) for publication, following the GSS guidance on releasing statistics in
spreadsheets, written with gptables (the Analysis Function's good-practice library).

A workbook has a cover sheet (title, provenance, status, caveat, sources), a contents sheet,
a notes sheet (measure definitions and the key to shorthand) and one worksheet per table,
each marked up as an Excel table. The rows are the ones every other format shows: the
layouts (:mod:`gunstats.render.layout`, :mod:`gunstats.render.summary_layout`) decide which
rows, titles and periods there are, and the numbers come from the computed comparisons.

What the guidance asks, and how:

- Numbers are numeric cells at full precision (the double nearest the exact value), shown
  rounded by a number format, so a reader can recompute from them.
- A cell with no number holds its shorthand as text (``[x]``, ``[z]``). Shorthand that
  qualifies a number (``[p]``, ``[r]``, ``[e]``, ``[b]``) goes in a column of its own beside
  the number ("2022/23 shorthand"), because in the same cell it would turn the number into
  text; that column says ``none`` for a number with no shorthand, so no cell is blank.
- One header row, no merged or blank cells; a unit in the header where a column has one,
  and a unit column where the rows of a column differ (counts beside percentages).

gptables, pandas and xlsxwriter take half a second to import, so they are imported only
inside this module's functions, when a spreadsheet is asked for (the ``spreadsheets`` extra).
"""

from __future__ import annotations

import datetime
import io
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from gunstats import __version__
from gunstats.compute import Comparison, Report
from gunstats.errors import GunstatsError, OutputError
from gunstats.model import Figures, Metric, Source, Unit
from gunstats.numbers import SHORTHAND_KEY, to_json_number, value_places
from gunstats.prose import PeriodStyle, long_date, provenance, table_period
from gunstats.render.layout import (
    POINTS_KEY,
    baseline_item,
    build_layout,
    measure_label,
    year_on_year_items,
)
from gunstats.render.summary_layout import build_summary_layout

INSTALL_HINT = "pip install 'gunstats[spreadsheets]'"
CHANGE_UNIT = {Unit.COUNT: "count", Unit.PERCENT: "percentage points"}
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


class SpreadsheetsUnavailable(GunstatsError):
    """gptables (the ``spreadsheets`` extra) is not installed."""

    def __init__(self) -> None:
        super().__init__(
            f"xlsx output needs gptables, which is not installed; install it with: {INSTALL_HINT}"
        )


@dataclass
class Sheet:
    """One table worksheet: its cells as gptables writes them, and how numbers are shown."""

    name: str
    table_name: str
    title: str
    header: list[str]
    rows: list[list[int | float | str]] = field(default_factory=list)
    number_formats: dict[tuple[int, int], str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    legend: list[str] = field(default_factory=list)

    def add_row(self, cells: Sequence[tuple[int | float | str, str | None]]) -> None:
        """Cells as (value, number format or None); the header row is row 0 in gptables."""
        row = len(self.rows) + 1
        for column, (_, number_format) in enumerate(cells):
            if number_format is not None:
                self.number_formats[(row, column)] = number_format
        self.rows.append([value for value, _ in cells])

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


# -- cells: the layout's shorthand, or the exact number --------------------------------------

_SHORTHAND_ONLY = re.compile(r"\[[a-z]+\]")


def number_format(places: int, signed: bool = False) -> str:
    """Thousands separators and ``places`` decimals; ``+`` on rises when ``signed``."""
    plain = "#,##0" + ("." + "0" * places if places else "")
    if not signed:
        return plain
    zero = "0" + ("." + "0" * places if places else "")
    return f"+{plain};-{plain};{zero}"


def shown(text: str, exact, unit: Unit, precision: int, signed: bool = False) -> tuple:
    """The cell for a number the layout shows as ``text``: its shorthand where the layout
    shows one instead of a number (so every format agrees on what is missing), else the
    exact number, with a number format that rounds it as the layout does."""
    if _SHORTHAND_ONLY.fullmatch(text):
        return text, None
    if exact is None:
        raise ValueError(f"the layout shows {text!r} where there is no value")
    return to_json_number(exact), number_format(value_places(unit, precision), signed)


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


def _check_labels(metrics: Sequence[Metric], path: str) -> None:
    """gptables refuses a cell with no ASCII letter or digit (the guidance: no lone symbols)."""
    for metric in metrics:
        if not re.search(r"[A-Za-z0-9]", metric.label):
            raise OutputError(
                f"{path}: cannot write a spreadsheet: the label of metric {metric.id!r} "
                f"({metric.label!r}) has no letter or digit A-Z or 0-9, which gptables "
                "refuses in a table cell; give it a label with one"
            )


# -- the report's tables -----------------------------------------------------------------------


def _label(metric: Metric, definitions: dict[str, str]) -> str:
    text = literal(measure_label(metric))
    return f"{text} $${definitions[metric.id]}$$" if metric.id in definitions else text


def _flags_text(flags) -> str:
    return " ".join(f"[{flag.value}]" for flag in flags) or NO_SHORTHAND


def values_sheet(report: Report, table, precision: int, style, definitions) -> Sheet:
    """Measures down, financial years across, with a shorthand column beside a flagged year."""
    flagged = {o.period for m in report.metrics for o in m.observations if o.flags}
    header = ["Measure", "Unit"]
    for period, label in zip(report.periods, table.header[1:], strict=True):
        header += [label, f"{label} shorthand"] if period in flagged else [label]
    sheet = Sheet("Figures_by_year", "figures_by_year", table.title, header)
    for metric_report, row in zip(report.metrics, table.rows, strict=True):
        metric = metric_report.metric
        cells: list = [(_label(metric, definitions), None), (metric.unit.value, None)]
        for period, cell in zip(report.periods, row[1:], strict=True):
            observation = metric_report.value_for(period)
            exact = observation.value if observation else None
            cells.append(shown(cell.text, exact, metric.unit, precision))
            if period in flagged:
                cells.append((_flags_text(observation.flags if observation else ()), None))
        sheet.add_row(cells)
    if flagged:
        sheet.legend.append(COMPANION_LEGEND)
    return sheet


def change_cells(row, comparison: Comparison | None, unit: Unit, precision: int) -> list:
    """Change, its unit, relative change and assessment, from a layout row (which ends with
    those three cells, as shown) and the comparison behind it."""
    change, relative, assessment = row[-3:]
    return [
        shown(change.text, comparison and comparison.change, unit, precision, signed=True),
        (CHANGE_UNIT[unit], None),
        shown(
            relative.text, comparison and comparison.percent_change, Unit.PERCENT, precision, True
        ),
        (assessment.text, None),
    ]


def change_sheet(name: str, earlier: str, items, table, precision: int, style, definitions):
    """A change table from (metric, (earlier, later), comparison or None) and its layout."""
    header = ["Measure", "Financial year", earlier, "Change", "Change unit", "Relative change"]
    sheet = Sheet(name, name.lower(), table.title, [*header, "Assessment"], units={header[5]: "%"})
    for (metric, (first, last), comparison), row in zip(items, table.rows, strict=True):
        sheet.add_row(
            [
                (_label(metric, definitions), None),
                (table_period(last, style), None),
                (table_period(first, style), None),
                *change_cells(row, comparison, metric.unit, precision),
            ]
        )
    return sheet


def report_sheets(report: Report, layout, precision: int, style, definitions) -> list[Sheet]:
    """Figures by year, change on the previous year, change since the baseline."""
    year_rows = [(m.metric, *item) for m in report.metrics for item in year_on_year_items(m)]
    baseline_rows = [
        (m.metric, *item) for m in report.metrics if (item := baseline_item(report, m))
    ]
    makers = [partial(values_sheet, report)]
    if year_rows:
        makers.append(partial(change_sheet, "Change_on_previous_year", "Previous year", year_rows))
    if baseline_rows:
        makers.append(
            partial(change_sheet, "Change_since_baseline", "Baseline year", baseline_rows)
        )
    # The layout keeps the same tables (those with rows) in the same order, row for row.
    return [
        make(table, precision, style, definitions)
        for make, table in zip(makers, layout.tables, strict=True)
    ]


# -- the summary's tables ----------------------------------------------------------------------


def summary_sheets(summary, layout, precision: int, definitions) -> list[Sheet]:
    """One sheet per comparison (financial year to date, rolling 12 months, ...)."""
    sheets = []
    for position, table in enumerate(layout.tables):
        items = [(m.metric, m.comparisons[position]) for m in summary.metrics]
        first = items[0][1]
        flagged = [
            any(item.current.flags for _, item in items),
            any(item.earlier.flags for _, item in items),
        ]
        header = ["Measure", "Unit"]
        for label, has_flags in zip(table.header[1:3], flagged, strict=True):
            header += [label, f"{label} shorthand"] if has_flags else [label]
        change = ["Change", "Change unit", "Relative change", "Assessment"]
        sheet = Sheet(first.name.replace(" ", "_"), first.kind.value, table.title, header + change)
        sheet.units = {"Relative change": "%"}
        for (metric, item), row in zip(items, table.rows, strict=True):
            cells: list = [(_label(metric, definitions), None), (metric.unit.value, None)]
            sides = (item.current, item.earlier)
            for side, cell, has_flags in zip(sides, row[1:3], flagged, strict=True):
                cells.append(shown(cell.text, side.value, metric.unit, precision))
                if has_flags:
                    cells.append((_flags_text(side.flags), None))
            cells += change_cells(row, item.comparison, metric.unit, precision)
            sheet.add_row(cells)
        if any(flagged):
            sheet.legend.append(COMPANION_LEGEND)
        sheets.append(sheet)
    return sheets


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


def cover_text(figures: Figures, title: str, intro: list[str], caveat: str, sources) -> dict:
    """What the cover says, as gptables' Cover takes it (title, intro, about, contact)."""
    about = []
    # Status and contact are printed where the figures file gives them (issue 11 adds a
    # file-level `status:`); the figures format has neither yet.
    status = getattr(figures, "status", None)
    if status:
        about.append(f"Status: {literal(str(status))}.")
    about += [literal(caveat), *(literal(note) for note in figures.notes)]
    about += source_lines(sources) or ["Sources: the figures file names none."]
    contact = getattr(figures, "contact", None)
    return {
        "title": literal(title),
        "intro": intro,
        "about": about,
        "contact": [literal(str(contact))] if contact else None,
    }


def definitions_for(metrics: Sequence[Metric]) -> dict[str, str]:
    """A note reference for each metric with a description (its definition)."""
    return {m.id: f"definition_{i}" for i, m in enumerate(metrics, 1) if m.description}


def notes_rows(metrics: Sequence[Metric], definitions, key: Sequence[str]) -> list[tuple]:
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


def _modules():
    try:
        import gptables  # type: ignore[import-untyped]
        import pandas  # type: ignore[import-untyped]
    except ImportError:
        raise SpreadsheetsUnavailable() from None
    return gptables, pandas


def write_workbook(
    sheets: Sequence[Sheet], cover: dict, notes: list[tuple], produced: str | None, title: str
) -> bytes:
    """The workbook's bytes: the same inputs and ``produced`` date give the same bytes."""
    gptables, pandas = _modules()
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


def _gptable(gptables, pandas, sheet: Sheet):
    legend = [f"{code} {SHORTHAND_KEY[code]}" for code in sheet.shorthand_used()]
    return gptables.GPTable(
        table=pandas.DataFrame(sheet.rows, columns=sheet.header, dtype=object),
        table_name=sheet.table_name,
        title=literal(sheet.title),
        units=dict(sheet.units) or None,
        legend=legend + sheet.legend,
        index_columns={2: 0},
        additional_formatting=[
            {"cell": {"cells": cell, "format": {"num_format": text}}}
            for cell, text in sheet.number_formats.items()
        ],
    )


def render(
    report: Report,
    *,
    precision: int = 1,
    period_style: PeriodStyle | str = PeriodStyle.COMPACT,
    produced: str | None = None,
) -> bytes:
    """The report as an xlsx workbook (bytes). ``produced`` (``YYYY-MM-DD``) is the made-on
    date on the cover and in the file's properties."""
    _modules()  # before any work: say how to install gptables
    style = PeriodStyle(period_style)
    figures = report.figures
    metrics = [m.metric for m in report.metrics]
    _check_labels(metrics, figures.path)
    layout = build_layout(report, precision, style)
    definitions = definitions_for(metrics)
    sheets = report_sheets(report, layout, precision, style, definitions)
    intro = [literal(figures.description)] if figures.description else []
    intro.append(literal(provenance(layout.file_name, layout.as_of, produced)))
    intro += [literal(point) for point in layout.key_points]
    cover = cover_text(figures, layout.title, intro, layout.caveat, layout.sources)
    notes = notes_rows(metrics, definitions, layout.key)
    return write_workbook(sheets, cover, notes, produced, layout.title)


def render_summary(summary, *, precision: int = 1, produced: str | None = None) -> bytes:
    """The monthly summary (:class:`~gunstats.monthly.Summary`) as an xlsx workbook."""
    _modules()
    figures = summary.figures
    metrics = [m.metric for m in summary.metrics]
    _check_labels(metrics, figures.path)
    layout = build_summary_layout(summary, precision)
    definitions = definitions_for(metrics)
    sheets = summary_sheets(summary, layout, precision, definitions)
    file_name = os.path.basename(figures.path) or figures.path
    made = f"Made on {long_date(produced)} from {file_name}." if produced else None
    intro = [literal(line) for line in (*layout.intro, made) if line]
    cover = cover_text(figures, layout.title, intro, layout.caveat, layout.sources)
    notes = notes_rows(metrics, definitions, layout.key)
    return write_workbook(sheets, cover, notes, produced, layout.title)
