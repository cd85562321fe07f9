"""What the human formats show for ``gunstats summary``, decided once.

One table per comparison (financial year to date, rolling 12 months, same month last year,
previous month), one row per metric. Every metric shares the summary's month, so a table's
title names both of its periods once (docs/conventions.md C7) and its headers name each
column's period, which keeps the table narrow enough for an 80-column terminal. The terminal
table and Markdown both draw this layout, so they cannot disagree on a number.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from gunstats import numbers
from gunstats.model import Source, Unit
from gunstats.monthly import Aggregate, Status, Summary, WindowComparison
from gunstats.prose import long_date
from gunstats.render.layout import (
    ASSESSMENT_KEY,
    NO_STATUS,
    Cell,
    ChangeColumns,
    ShorthandCodes,
    Table,
    change_cells,
    definitions,
    measure_caveats,
    measure_label,
    status_text,
)
from gunstats.wording import DEFAULT_CAVEAT, UNROUNDED_NOTE

WINDOW_KEY = (
    "A financial year to date or rolling 12 months with any month missing is [x]: "
    "it is never summed over part of the period."
)
RATE_KEY = (
    "A rate over several months is worked out from the summed counts it is made of, "
    "never by averaging monthly percentages; without those counts it is [x]."
)
ZERO_RATE_KEY = "A rate shown as [z] has nothing to divide by (its denominator is zero)."
NOISE_KEY = (
    "A single month against the previous month is noisy: read it with the longer "
    "comparisons above it, not as the headline."
)


class SummaryLayout(NamedTuple):
    title: str
    intro: tuple[str, ...]
    tables: tuple[Table, ...]
    key: tuple[str, ...]
    sources: tuple[Source, ...]
    caveat: str = DEFAULT_CAVEAT
    status: str = NO_STATUS
    definitions: tuple[tuple[str, str], ...] = ()
    measure_caveats: tuple[tuple[str, str], ...] = ()


class _Codes(ShorthandCodes):
    def __init__(self) -> None:
        super().__init__()
        self.zero_rate = False


def _value(side: Aggregate, unit: Unit, precision: int, codes: _Codes) -> str:
    if side.value is not None:
        text = numbers.format_value(side.value, unit, precision)
        if side.flags:
            text += " " + "".join(f"[{flag.value}]" for flag in side.flags)
        return codes.mark(text)
    if side.status is Status.ZERO_DENOMINATOR:
        codes.zero_rate = True
        return codes.mark(numbers.NOT_APPLICABLE)
    return codes.mark(numbers.NOT_AVAILABLE)


def _row(
    item: WindowComparison, unit: Unit, precision: int, codes: _Codes, columns: ChangeColumns
) -> tuple[Cell, ...]:
    return (
        Cell(_value(item.current, unit, precision, codes), numeric=True),
        Cell(_value(item.earlier, unit, precision, codes), numeric=True),
        *change_cells(item.comparison, unit, precision, codes, columns),
    )


def _table(summary: Summary, position: int, precision: int, codes: _Codes) -> Table:
    """The ``position``-th comparison of every metric: one row each."""
    items = [(m.metric, m.comparisons[position]) for m in summary.metrics]
    first = items[0][1]
    columns = ChangeColumns.for_units(metric.unit for metric, _ in items)
    return Table(
        title=f"{first.name}: {first.description}",
        header=("Measure", first.label(first.current), first.label(first.earlier), *columns.header),
        numeric=(False, True, True, *columns.numeric),
        rows=tuple(
            (Cell(measure_label(metric)), *_row(item, metric.unit, precision, codes, columns))
            for metric, item in items
        ),
    )


def build_summary_layout(summary: Summary, precision: int = 1) -> SummaryLayout:
    codes = _Codes()
    figures = summary.figures
    kinds = len(summary.metrics[0].comparisons) if summary.metrics else 0
    tables = tuple(_table(summary, position, precision, codes) for position in range(kinds))
    intro = [
        f"Summary for {summary.month.name()}. "
        f"The latest month in the data is {summary.latest.name()}."
    ]
    if figures.as_of:
        intro.append(f"Figures as of {long_date(figures.as_of)}.")
    if summary.lacking:
        labels = ", ".join(measure_label(m) for m in summary.lacking)
        intro.append(f"No figures for {summary.month.name()} yet for: {labels}.")
    key = codes.key()
    if codes.zero_rate:
        key.append(ZERO_RATE_KEY)
    key.append(WINDOW_KEY)
    if any(m.metric.unit is Unit.PERCENT for m in summary.metrics):
        key.append(RATE_KEY)
    key += [NOISE_KEY, ASSESSMENT_KEY]
    if any(c.comparison for m in summary.metrics for c in m.comparisons):
        key.append(UNROUNDED_NOTE)
    shown = [m.metric for m in summary.metrics]
    return SummaryLayout(
        title=f"{figures.title}: {summary.month.name()}",
        intro=tuple(intro),
        tables=tables,
        key=tuple(key),
        sources=tuple(_sources(summary)),
        caveat=figures.caveat or DEFAULT_CAVEAT,
        status=status_text(figures),
        definitions=definitions(shown),
        measure_caveats=measure_caveats(shown),
    )


def _sources(summary: Summary) -> Iterator[Source]:
    figures = summary.figures
    used: list[str] = []
    for metric_summary in summary.metrics:
        metric = metric_summary.metric
        refs = [metric.source, *(o.source for o in metric.months)]
        for ref in refs:
            if ref is not None and ref not in used:
                used.append(ref)
                yield figures.source(ref)
