"""The terminal table is laid out from known widths, yet draws exactly what Rich's Table draws.

The reference below is how gunstats drew tables before: a full Rich ``Table`` of every row,
each attempt to fit measured by Rich (``Console.measure``) and the chosen one rendered by
Rich. The table renderer must print the same bytes for any table (plain, styled, coloured,
ASCII, wrapped, too wide) and must not ask Rich to measure more often for more rows.
"""

from __future__ import annotations

import io
import time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from gunstats.compute import Assessment, build_report
from gunstats.load import parse_figures
from gunstats.render import table as table_renderer
from gunstats.render import table_fit
from gunstats.render.layout import Cell, Table
from gunstats.render.options import RenderOptions
from gunstats.sparkline import sparkline

# -- the reference: Rich measuring and drawing everything ------------------------------------


def _reference_rich_table(table: Table, ascii_only: bool, trend: bool) -> RichTable:
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
    for position, (heading, numeric) in enumerate(zip(table.header, table.numeric, strict=True)):
        rich_table.add_column(
            Text(table_fit._fold_heading(heading)),
            justify="right" if numeric else "left",
            overflow="fold",
            no_wrap=numeric,  # a change table's periods wrap ("compared with" is long)
            min_width=min(longest_label, 24) if position == 0 and table.series else None,
        )
        if position == 0 and trend:
            rich_table.add_column(Text("Trend"), no_wrap=True)
    for index, row in enumerate(table.rows):
        cells = [
            Text(c.text, style=table_renderer.STYLES.get(c.assessment, "") if c.assessment else "")
            for c in row
        ]
        if trend:
            cells.insert(1, Text(sparkline(table.series[index], ascii_only=ascii_only)))
        rich_table.add_row(*cells)
    return rich_table


def _reference_latest(table: Table, keep: int) -> Table:
    return table._replace(
        header=(table.header[0], *table.header[-keep:]),
        numeric=(table.numeric[0], *table.numeric[-keep:]),
        rows=tuple((row[0], *row[-keep:]) for row in table.rows),
        series=tuple(values[-keep:] for values in table.series),
    )


def _reference_natural(table: Table, trend: bool) -> list[int]:
    headings = (Cell(table_fit._fold_heading(h)) for h in table.header)
    columns = zip(*(headings, *table.rows), strict=True)
    widths = [
        max((cell_len(line) for cell in column for line in cell.text.splitlines()), default=0)
        for column in columns
    ]
    if trend:
        widths.insert(1, max(5, len(table.series[0])))
    return widths


def _reference_words(rich_table: RichTable, width: int) -> list[int] | None:
    """Content widths cutting no word: a no_wrap column whole, text to its longest word (or
    min_width); from the natural widths, the widest column that can give way loses one cell
    at a time until the table fits; None if even the least widths do not fit."""
    least, widths = [], []
    for column in rich_table.columns:
        texts = [column.header, *column.cells]
        plain = [Text(t).plain if isinstance(t, str) else t.plain for t in texts]
        lines = max((cell_len(line) for t in plain for line in t.splitlines()), default=0)
        words = max((cell_len(word) for t in plain for word in t.split()), default=0)
        least.append(lines if column.no_wrap else max(words, column.min_width or 0))
        widths.append(max(lines, least[-1]))
    if sum(least) + 3 * (len(least) - 1) > width:
        return None
    while sum(widths) + 3 * (len(widths) - 1) > width:
        widest = max(
            (i for i in range(len(widths)) if widths[i] > least[i]), key=widths.__getitem__
        )
        widths[widest] -= 1
    return widths


CONSOLE = Console(file=io.StringIO(), width=10_000)


def reference(table: Table, console: Console, ascii_only: bool):
    """(Rich table, trend shown, periods shown): the fitting worked out over Rich's own
    tables, attempt by attempt; None where no attempt fits without cutting a word."""
    periods = len(table.header) - 1
    trend = bool(table.series)
    widths = _reference_natural(table, trend)
    if sum(widths) + 3 * (len(widths) - 1) <= console.width:
        rich_table = _reference_rich_table(table, ascii_only, trend)
        for column, width in zip(rich_table.columns, widths, strict=True):
            column.width = width
        return rich_table, trend, periods
    attempts = [(table, False, periods)]
    if table.series:
        attempts = [(table, True, periods), (table, False, periods)]
        attempts += [(_reference_latest(table, k), False, k) for k in range(periods - 1, 0, -1)]
    for candidate, trend, shown in attempts:
        rich_table = _reference_rich_table(candidate, ascii_only, trend)
        fitted = _reference_words(rich_table, console.width)
        if fitted is not None:
            for column, width in zip(rich_table.columns, fitted, strict=True):
                column.width = width
            return rich_table, trend, shown
    return None


def console_for(width: int, styled: bool, color: bool) -> Console:
    """The console :func:`gunstats.render.table._draw` makes."""
    return Console(
        file=io.StringIO(),
        width=width,
        height=25,
        force_terminal=styled,
        color_system="standard" if styled else None,
        no_color=not color,
        emoji=False,
        highlight=False,
        markup=False,
        legacy_windows=False,
        safe_box=True,
    )


def ours(table: Table, console: Console, ascii_only: bool):
    plan = table_fit.fit_to_width(table, console, ascii_only)
    if plan is None:  # stacked blocks: see test_promises_output
        return None
    table_renderer._write_table(table, plan, console, ascii_only)
    return console.file.getvalue(), plan.trend, plan.shown


def theirs(table: Table, console: Console, ascii_only: bool):
    fitted = reference(table, console, ascii_only)
    if fitted is None:
        return None
    rich_table, trend, shown = fitted
    console.print(rich_table)
    return console.file.getvalue(), trend, shown


# -- generated tables ------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "Shootings", "solved", "(%)", "Lethal", "firearms", "seized", "a", "[x]", "**bold**",
        "Überprüfung", "中文标签", "e\u0301te\u0301", "tab\there", "nbsp\u00a0joined",
        "zero\u200bwidth", "supercalifragilisticexpialidocious", "x" * 40, " ", "🙂",
    ]
)  # fmt: skip
LABELS = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
NUMBERS = st.sampled_from(
    ["408", "1,234", "20.0", "[x]", "12.5 [e]", "-87", "+18.0 pp", "+1,234,567", "0", "[z]"]
)
ASSESSMENTS = st.sampled_from([None, *Assessment])


@st.composite
def series_tables(draw) -> Table:
    periods = draw(st.integers(1, 14))
    rows, series = [], []
    for _ in range(draw(st.integers(1, 5))):
        values = draw(
            st.one_of(
                st.lists(st.one_of(st.none(), st.integers(0, 5000)), min_size=periods,
                         max_size=periods),
                st.just([None] * periods),  # a row of gaps: Rich measures its blanks whole
            )
        )  # fmt: skip
        texts = [("[x]" if v is None else f"{v:,}") for v in values]
        rows.append((Cell(draw(LABELS)), *(Cell(t, numeric=True) for t in texts)))
        series.append(tuple(None if v is None else Decimal(v) for v in values))
    header = ("Measure", *(f"{2000 + p}/{(2001 + p) % 100:02d}" for p in range(periods)))
    return Table(draw(LABELS), header, (False, *([True] * periods)), tuple(rows), tuple(series))


@st.composite
def change_tables(draw) -> Table:
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        assessment = draw(ASSESSMENTS)
        rows.append(
            (
                Cell(draw(LABELS)),
                Cell(draw(st.sampled_from(["2019/20 to 2020/21", "2019 to 2020 to 2021 to 2022"]))),
                Cell(draw(NUMBERS), assessment, True),
                Cell(draw(NUMBERS), numeric=True),
                Cell(assessment.value if assessment else "[x]", assessment),
            )
        )
    header = ("Measure", "Periods", "Change", "Relative change (%)", "Assessment")
    return Table(draw(LABELS), header, (False, False, True, True, False), tuple(rows))


OUTPUTS = st.sampled_from(
    [(False, False, False), (True, True, False), (True, False, False), (False, False, True)]
)  # (styled, color, ascii_only)


@given(st.one_of(series_tables(), change_tables()), st.integers(40, 160), OUTPUTS)
def test_table_draws_what_rich_draws(table, width, output):
    styled, color, ascii_only = output
    expected = theirs(table, console_for(width, styled, color), ascii_only)
    assert ours(table, console_for(width, styled, color), ascii_only) == expected


@pytest.mark.parametrize("periods", [6, 7, 8])
def test_a_row_of_gaps_is_measured_as_rich_measures_it(periods):
    """A row with no value shown draws its trend as blanks only, which Rich measures whole."""
    rows = (
        (Cell("Lethal firearms seized"), *(Cell("[x]", None, True) for _ in range(periods))),
        (Cell("Shootings"), *(Cell("1,234", None, True) for _ in range(periods))),
    )
    series = (
        (None,) * periods,
        tuple(None if p % 3 == 0 else Decimal(1234) for p in range(periods)),
    )
    header = ("Measure", *(f"{2000 + p}/{(2001 + p) % 100:02d}" for p in range(periods)))
    table = Table("Title", header, (False, *([True] * periods)), rows, series)
    for width in range(80, 120):
        expected = theirs(table, console_for(width, False, False), False)
        assert ours(table, console_for(width, False, False), False) == expected, width


# -- how often Rich measures ----------------------------------------------------------------


def _figures(metrics: int, years: range) -> str:
    """Rows alike in width however many there are, so only their number changes."""
    lines = ["title: Synthetic (not real data)", "metrics:"]
    for number in range(metrics):
        lines += [f"  m{number}:", f"    label: Synthetic measure number {number:04d}"]
        lines += ["    unit: count", "    better: up", "    values:"]
        lines += [f"      {y}/{(y + 1) % 100:02d}: {1000 * (number % 9) + y}" for y in years]
    return "\n".join(lines) + "\n"


def count_measuring(monkeypatch) -> dict[str, int]:
    """Count calls to Rich's measuring: the table, each column, each cell."""
    from rich import measure as rich_measure
    from rich import table as rich_table_module

    counts = {"Console.measure": 0, "Table._measure_column": 0, "Measurement.get": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(Console, "measure", counted("Console.measure", Console.measure))
    monkeypatch.setattr(
        rich_table_module.Table,
        "_measure_column",
        counted("Table._measure_column", rich_table_module.Table._measure_column),
    )
    get = counted("Measurement.get", rich_measure.Measurement.get.__func__)
    monkeypatch.setattr(rich_measure.Measurement, "get", classmethod(get))
    return counts


@pytest.mark.parametrize("width", [80, 100, 200])
def test_rich_measures_as_often_for_1000_metrics_as_for_10(monkeypatch, width):
    """The slow path (Rich measuring every cell of every attempt) cannot return unnoticed."""
    counts = count_measuring(monkeypatch)
    seen = []
    for metrics in (10, 1_000):
        report = build_report(parse_figures(_figures(metrics, range(2000, 2012))))
        for key in counts:
            counts[key] = 0
        text = table_renderer.render(report, RenderOptions(width=width))
        assert f"Synthetic measure number {metrics - 1:04d} " in text  # every row is printed
        seen.append(dict(counts))
    assert seen[0] == seen[1]
    assert sum(seen[1].values()) <= 200  # per report: three tables, a few columns each


def test_years_1900_to_2199_finish_quickly_and_say_which_were_dropped(monkeypatch):
    """Issue 14 item 8: one table of 300 years used to be rebuilt and measured per year."""
    counts = count_measuring(monkeypatch)
    report = build_report(parse_figures(_figures(2, range(1900, 2200, 299))))
    assert [str(p) for p in report.periods][:: len(report.periods) - 1] == ["1900/01", "2199/00"]
    started = time.perf_counter()
    text = table_renderer.render(report, RenderOptions(width=100))
    assert time.perf_counter() - started < 5
    assert sum(counts.values()) <= 2_000  # a bounded few per column, not per column per year
    note = "Only the latest 7 of 300 years fit this width (1900/01, 2192/93 and the years "
    assert note + "between are left out)" in " ".join(text.split())
    values = text.split("Figures by financial year")[1].split("Change on")[0]
    assert "2199/00" in values and "2193/94" in values and "2192/93" not in values
