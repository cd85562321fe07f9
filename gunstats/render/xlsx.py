"""Spreadsheets (xlsx) for publication: the report's and the summary's tables as a workbook
following the GSS guidance on releasing statistics in spreadsheets (see
:mod:`gunstats.render.workbook` for the cells, cover, notes and writing with gptables).

The rows are the ones every other format shows: the layouts (:mod:`gunstats.render.layout`,
:mod:`gunstats.render.summary_layout`) decide which rows, titles and periods there are, and
the numbers come from the computed comparisons. Shorthand that qualifies a number (``[p]``,
``[r]``, ``[e]``, ``[b]``) goes in a column of its own beside the number ("2022/23
shorthand"), because in the same cell it would turn the number into text; that column says
``none`` for a number with no shorthand, so no cell is blank. Where the rows of a column
differ in unit (counts beside percentages) a unit column says which.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import partial

from gunstats.compute import Comparison, Report
from gunstats.model import Metric, Unit
from gunstats.monthly import Summary
from gunstats.numbers import NOT_APPLICABLE
from gunstats.periods import PeriodStyle
from gunstats.prose import long_date, provenance, table_period
from gunstats.render.fields import CHANGE_UNITS
from gunstats.render.layout import (
    Cell,
    Span,
    Table,
    baseline_item,
    build_layout,
    year_on_year_items,
)
from gunstats.render.options import DEFAULT, RenderOptions
from gunstats.render.summary_layout import build_summary_layout
from gunstats.render.workbook import (
    COMPANION_LEGEND,
    Sheet,
    WorkbookCell,
    check_labels,
    cover_text,
    definitions_for,
    flags_text,
    literal,
    make_sheet,
    measure_cell,
    notes_rows,
    number_format,
    require_gptables,
    shown,
    write_workbook,
)
from gunstats.spc import ProcessChart

ChangeItem = tuple[Metric, Span, Comparison | None]
"""A change table's row: the metric, (earlier, later) and the comparison, or None."""

# -- the report's tables -----------------------------------------------------------------------


def values_sheet(
    report: Report,
    table: Table,
    precision: int,
    style: PeriodStyle,
    definitions: Mapping[str, str],
) -> Sheet:
    """Measures down, financial years across, with a shorthand column beside a flagged year."""
    flagged = {o.period for m in report.metrics for o in m.observations if o.flags}
    header = ["Measure", "Unit"]
    for period, label in zip(report.periods, table.header[1:], strict=True):
        header += [label, f"{label} shorthand"] if period in flagged else [label]
    rows = []
    for metric_report, row in zip(report.metrics, table.rows, strict=True):
        metric = metric_report.metric
        cells: list[WorkbookCell] = [
            (measure_cell(metric, definitions), None),
            (metric.unit.value, None),
        ]
        for period, cell in zip(report.periods, row[1:], strict=True):
            observation = metric_report.value_for(period)
            exact = observation.value if observation else None
            cells.append(shown(cell.text, exact, metric.unit, precision))
            if period in flagged:
                cells.append((flags_text(observation.flags if observation else ()), None))
        rows.append(cells)
    legend = [COMPANION_LEGEND] if flagged else []
    return make_sheet(
        "Figures_by_year", "figures_by_year", table.title, header, rows, legend=legend
    )


def change_cells(
    shown_cells: Sequence[Cell], comparison: Comparison | None, unit: Unit, precision: int
) -> list[WorkbookCell]:
    """Change, its unit, relative change and assessment, from the change cells of a layout
    row (change, relative change where the table has one, assessment) and the comparison
    behind them. Every sheet keeps the relative-change column, so a table of percentages
    (which the other formats show without one) says ``[z]`` there, as the guidance asks for
    a cell that cannot have a number."""
    change, *relative, assessment = shown_cells
    relative_text = relative[0].text if relative else NOT_APPLICABLE
    return [
        shown(change.text, comparison and comparison.change, unit, precision, signed=True),
        (CHANGE_UNITS[unit], None),
        shown(
            relative_text, comparison and comparison.percent_change, Unit.PERCENT, precision, True
        ),
        (assessment.text, None),
    ]


def change_sheet(
    name: str,
    earlier: str,
    items: Sequence[ChangeItem],
    table: Table,
    precision: int,
    style: PeriodStyle,
    definitions: Mapping[str, str],
) -> Sheet:
    """A change table from (metric, (earlier, later), comparison or None) and its layout."""
    header = ["Measure", "Financial year", earlier, "Change", "Change unit", "Relative change"]
    rows = [
        [
            (measure_cell(metric, definitions), None),
            (table_period(last, style), None),
            (table_period(first, style), None),
            *change_cells(row[2:], comparison, metric.unit, precision),
        ]
        for (metric, (first, last), comparison), row in zip(items, table.rows, strict=True)
    ]
    return make_sheet(
        name, name.lower(), table.title, [*header, "Assessment"], rows, units={header[5]: "%"}
    )


def report_sheets(
    report: Report,
    tables: Sequence[Table],
    precision: int,
    style: PeriodStyle,
    definitions: Mapping[str, str],
) -> list[Sheet]:
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
        for make, table in zip(makers, tables, strict=True)
    ]


# -- the summary's tables ----------------------------------------------------------------------


def summary_sheets(
    summary: Summary, tables: Sequence[Table], precision: int, definitions: Mapping[str, str]
) -> list[Sheet]:
    """One sheet per comparison (financial year to date, rolling 12 months, ...)."""
    sheets = []
    for position, table in enumerate(tables):
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
        rows = []
        for (metric, item), row in zip(items, table.rows, strict=True):
            cells: list[WorkbookCell] = [
                (measure_cell(metric, definitions), None),
                (metric.unit.value, None),
            ]
            sides = (item.current, item.earlier)
            for side, cell, has_flags in zip(sides, row[1:3], flagged, strict=True):
                cells.append(shown(cell.text, side.value, metric.unit, precision))
                if has_flags:
                    cells.append((flags_text(side.flags), None))
            cells += change_cells(row[3:], item.comparison, metric.unit, precision)
            rows.append(cells)
        sheet = make_sheet(
            first.name.replace(" ", "_"),
            first.kind.value,
            table.title,
            header + change,
            rows,
            units={"Relative change": "%"},
            legend=[COMPANION_LEGEND] if any(flagged) else [],
        )
        sheets.append(sheet)
    return sheets


def spc_sheet(
    summary: Summary, table: Table, precision: int, definitions: Mapping[str, str]
) -> Sheet:
    """The month against its normal range: the value, the XmR chart's mean and process
    limits (each shown to ``precision`` places, as the other formats do), and the status."""
    flagged = any(m.month.flags for m in summary.metrics)
    month = table.header[1]
    header = ["Measure", "Unit", month, *([f"{month} shorthand"] if flagged else [])]
    header += [*table.header[2:]]
    limits = number_format(precision)
    rows = []
    for metric_summary, row in zip(summary.metrics, table.rows, strict=True):
        metric, chart = metric_summary.metric, metric_summary.spc
        drawn = chart if isinstance(chart, ProcessChart) else None
        cells: list[WorkbookCell] = [
            (measure_cell(metric, definitions), None),
            (metric.unit.value, None),
            shown(row[1].text, metric_summary.month.value, metric.unit, precision),
        ]
        if flagged:
            cells.append((flags_text(metric_summary.month.flags), None))
        for cell, exact in zip(row[2:5], _limits(drawn), strict=True):
            number = shown(cell.text, exact, metric.unit, precision)
            cells.append(number if isinstance(number[0], str) else (number[0], limits))
        cells.append((row[5].text, None))
        rows.append(cells)
    legend = [COMPANION_LEGEND] if flagged else []
    return make_sheet("Normal_range", "normal_range", table.title, header, rows, legend=legend)


def _limits(chart: ProcessChart | None) -> tuple[Fraction | None, ...]:
    return (chart.centre, chart.lower, chart.upper) if chart else (None, None, None)


# -- the two renderers -------------------------------------------------------------------------


def render(report: Report, options: RenderOptions = DEFAULT) -> bytes:
    """The report as an xlsx workbook (bytes). ``options.produced`` (``YYYY-MM-DD``) is the
    made-on date on the cover and in the file's properties."""
    require_gptables()  # before any work: say how to install gptables
    precision, style, produced = options.precision, options.period_style, options.produced
    figures = report.figures
    metrics = [m.metric for m in report.metrics]
    check_labels(metrics, figures.path)
    layout = build_layout(report, precision, style)
    definitions = definitions_for(metrics)
    sheets = report_sheets(report, layout.tables, precision, style, definitions)
    intro = [literal(figures.description)] if figures.description else []
    intro.append(literal(provenance(layout.file_name, layout.as_of, produced)))
    intro += [literal(point) for point in layout.key_points]
    caveats = [layout.caveat, *(f"{label}: {text}" for label, text in layout.measure_caveats)]
    cover = cover_text(layout.title, intro, layout.status, figures.notes, caveats, layout.sources)
    notes = notes_rows(metrics, definitions, layout.key)
    return write_workbook(sheets, cover, notes, produced, layout.title)


def render_summary(summary: Summary, options: RenderOptions = DEFAULT) -> bytes:
    """The monthly summary as an xlsx workbook (bytes); ``options.produced`` as above."""
    require_gptables()
    precision, produced = options.precision, options.produced
    figures = summary.figures
    metrics = [m.metric for m in summary.metrics]
    check_labels(metrics, figures.path)
    layout = build_summary_layout(summary, precision)
    definitions = definitions_for(metrics)
    # The layout puts the normal-range (XmR) table first where any metric has a chart.
    kinds = len(summary.metrics[0].comparisons) if summary.metrics else 0
    split = len(layout.tables) - kinds
    spc_tables, window_tables = layout.tables[:split], layout.tables[split:]
    sheets = [spc_sheet(summary, table, precision, definitions) for table in spc_tables[:1]]
    sheets += summary_sheets(summary, window_tables, precision, definitions)
    file_name = os.path.basename(figures.path) or figures.path
    made = f"Made on {long_date(produced)} from {file_name}." if produced else None
    intro = [literal(line) for line in (*layout.intro, made) if line]
    intro += [literal(point) for point in layout.points]
    caveats = [layout.caveat, *(f"{label}: {text}" for label, text in layout.measure_caveats)]
    cover = cover_text(layout.title, intro, layout.status, (), caveats, layout.sources)
    notes = notes_rows(metrics, definitions, layout.key)
    return write_workbook(sheets, cover, notes, produced, layout.title)
