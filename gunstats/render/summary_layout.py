"""What the human formats show for ``gunstats summary``, decided once.

One table per comparison (financial year to date, rolling 12 months, same month last year,
previous month), one row per metric. Every metric shares the summary's month, so a table's
title names both of its periods once (STATISTICS.md rule 6) and its headers name each
column's period, which keeps the table narrow enough for an 80-column terminal. The terminal
table and Markdown both draw this layout, so they cannot disagree on a number.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from gunstats import numbers
from gunstats.model import Source, Unit
from gunstats.monthly import Aggregate, Status, Summary, WindowComparison
from gunstats.render.layout import (
    ASSESSMENT_KEY,
    CAVEAT,
    POINTS_KEY,
    Cell,
    ShorthandCodes,
    Table,
    measure_label,
)

NUMERIC = (False, True, True, True, True, False)

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
    caveat: str = CAVEAT


class _Codes(ShorthandCodes):
    def __init__(self) -> None:
        super().__init__()
        self.zero_rate = False


def _value(side: Aggregate, unit: Unit, precision: int, codes: _Codes) -> str:
    if side.value is not None:
        text = numbers.format_value(side.value, unit, precision)
        markers = "".join(f"[{flag.value}]" for flag in side.flags)
        if side.over_100:
            markers += numbers.LOW_RELIABILITY
        return codes.mark(f"{text} {markers}" if markers else text)
    if side.status is Status.ZERO_DENOMINATOR:
        codes.zero_rate = True
        return codes.mark(numbers.NOT_APPLICABLE)
    return codes.mark(numbers.NOT_AVAILABLE)


def _row(item: WindowComparison, unit: Unit, precision: int, codes: _Codes) -> tuple[Cell, ...]:
    cells = [
        Cell(_value(item.current, unit, precision, codes), numeric=True),
        Cell(_value(item.earlier, unit, precision, codes), numeric=True),
    ]
    comparison = item.comparison
    if comparison is None:
        missing = codes.mark(numbers.NOT_AVAILABLE)
        return (*cells, Cell(missing, numeric=True), Cell(missing, numeric=True), Cell(missing))
    return (
        *cells,
        Cell(
            numbers.format_change(comparison.change, unit, precision),
            comparison.assessment,
            numeric=True,
        ),
        Cell(
            codes.mark(numbers.format_percent_change(comparison.percent_change, precision)),
            numeric=True,
        ),
        Cell(comparison.assessment.value, comparison.assessment),
    )


def _table(summary: Summary, position: int, precision: int, codes: _Codes) -> Table:
    """The ``position``-th comparison of every metric: one row each."""
    items = [(m.metric, m.comparisons[position]) for m in summary.metrics]
    first = items[0][1]
    return Table(
        title=f"{first.name}: {first.description}",
        header=(
            "Measure",
            first.label(first.current),
            first.label(first.earlier),
            "Change",
            "Relative change (%)",
            "Assessment",
        ),
        numeric=NUMERIC,
        rows=tuple(
            (Cell(measure_label(metric)), *_row(item, metric.unit, precision, codes))
            for metric, item in items
        ),
    )


def build_summary_layout(summary: Summary, precision: int = 1) -> SummaryLayout:
    codes = _Codes()
    figures = summary.figures
    kinds = len(summary.metrics[0].comparisons) if summary.metrics else 0
    tables = tuple(_table(summary, position, precision, codes) for position in range(kinds))
    month = summary.month.name()
    if summary.month == summary.latest:
        intro = [f"Summary for {month}, the latest month in the data."]
    else:
        intro = [f"Summary for {month}. The latest month in the data is {summary.latest.name()}."]
    if figures.as_of:
        intro.append(f"Figures as of {figures.as_of}.")
    reasons = summary.lacking_by_reason()
    wording = {
        # Only a month after a metric's latest is "not yet": an earlier one is a gap.
        "not yet": f"No figures for {month} yet for: {{}}.",
        "gap": f"No figures for {month} for: {{}}; later months are published, so this is a "
        "gap in the series.",
        "not started": f"No figures for {month} for: {{}}; their figures start after this month.",
    }
    for reason, metrics in reasons.items():
        if metrics:
            intro.append(wording[reason].format(", ".join(measure_label(m) for m in metrics)))
    key = [
        f"{code} {numbers.SHORTHAND_KEY[code]}"
        for code in numbers.SHORTHAND_KEY
        if code in codes.used
    ]
    if codes.zero_rate:
        key.append(ZERO_RATE_KEY)
    key.append(WINDOW_KEY)
    if any(m.metric.unit is Unit.PERCENT for m in summary.metrics):
        key += [RATE_KEY, POINTS_KEY]
    key += [NOISE_KEY, ASSESSMENT_KEY]
    return SummaryLayout(
        title=f"{figures.title}: {summary.month.name()}",
        intro=tuple(intro),
        tables=tables,
        key=tuple(key),
        sources=tuple(_sources(summary)),
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
