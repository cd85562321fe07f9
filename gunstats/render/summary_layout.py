"""What the human formats show for ``gunstats summary``, decided once.

First a sentence per metric: the month read against its own series (its XmR chart), then its
longest comparison with what the test of change found. Then a table of the XmR charts (the
mean, the process limits and the month's status), then one table per comparison (financial
year to date, rolling 12 months, same month last year, previous month), one row per metric.
Every metric shares the summary's month, so a table's title names both of its periods once
(docs/conventions.md, C7) and its headers name each column's period, which keeps the table
narrow enough for an 80-column terminal. The terminal table and Markdown both draw this
layout, so they cannot disagree on a number.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from gunstats import numbers
from gunstats.compute import Assessment
from gunstats.model import Source, Unit
from gunstats.monthly import MetricSummary, Summary, WindowComparison
from gunstats.monthly_windows import Aggregate, Status
from gunstats.prose import long_date
from gunstats.render.layout import (
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
from gunstats.spc import ProcessChart
from gunstats.variation import (
    CONCERN,
    IMPROVEMENT,
    SPC_KEY,
    assessment_keys,
    spc_cell,
    spc_window,
    summary_point,
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
    points: tuple[str, ...] = ()
    """One sentence per metric: its normal range, then its longest comparison."""


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


# The status of a month on its XmR chart, coloured as a change that is better or worse.
_SPC_COLOURS = {IMPROVEMENT: Assessment.BETTER, CONCERN: Assessment.WORSE}


def _limit(value, precision: int, codes: _Codes) -> Cell:
    if value is None:
        return Cell(codes.mark(numbers.NOT_AVAILABLE), numeric=True)
    return Cell(numbers.format_number(value, precision), numeric=True)


def _spc_row(metric_summary: MetricSummary, precision: int, codes: _Codes) -> tuple[Cell, ...]:
    metric, chart = metric_summary.metric, metric_summary.spc
    drawn = chart if isinstance(chart, ProcessChart) else None
    status, meaning = spc_cell(metric.better, chart) if chart is not None else ("[x]", None)
    return (
        Cell(measure_label(metric)),
        Cell(_value(metric_summary.month, metric.unit, precision, codes), numeric=True),
        _limit(drawn.centre if drawn else None, precision, codes),
        _limit(drawn.lower if drawn else None, precision, codes),
        _limit(drawn.upper if drawn else None, precision, codes),
        Cell(codes.mark(status), _SPC_COLOURS.get(meaning or "")),
    )


def _spc_table(summary: Summary, precision: int, codes: _Codes) -> Table | None:
    charts = [m.spc for m in summary.metrics if m.spc is not None]
    if not charts:
        return None
    return Table(
        title=f"Normal range: XmR charts of the {spc_window(charts[0])}",
        header=("Measure", summary.month.name(), "Mean", "Lower limit", "Upper limit", "Status"),
        numeric=(False, True, True, True, True, False),
        rows=tuple(_spc_row(m, precision, codes) for m in summary.metrics),
    )


def build_summary_layout(summary: Summary, precision: int = 1) -> SummaryLayout:
    codes = _Codes()
    figures = summary.figures
    kinds = len(summary.metrics[0].comparisons) if summary.metrics else 0
    spc_table = _spc_table(summary, precision, codes)
    tables = tuple(_table(summary, position, precision, codes) for position in range(kinds))
    if spc_table is not None:
        tables = (spc_table, *tables)
    month = summary.month.name()
    if summary.month == summary.latest:
        intro = [f"Summary for {month}, the latest month in the data."]
    else:
        intro = [f"Summary for {month}. The latest month in the data is {summary.latest.name()}."]
    if figures.as_of:
        intro.append(f"Figures as of {long_date(figures.as_of)}.")
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
    key = codes.key()
    if codes.zero_rate:
        key.append(ZERO_RATE_KEY)
    if spc_table is not None:
        key.append(SPC_KEY)
        key += [
            f"{m.metric.label}: no XmR chart, as {m.spc.reason}."
            for m in summary.metrics
            if m.spc is not None and not isinstance(m.spc, ProcessChart)
        ]
    key.append(WINDOW_KEY)
    if any(m.metric.unit is Unit.PERCENT for m in summary.metrics):
        key.append(RATE_KEY)
    key.append(NOISE_KEY)
    key += assessment_keys(
        (
            c.comparison.assessment
            for m in summary.metrics
            for c in m.comparisons
            if c.comparison is not None
        ),
        summary.confidence,
    )
    if any(c.comparison for m in summary.metrics for c in m.comparisons):
        key.append(UNROUNDED_NOTE)
    shown = [m.metric for m in summary.metrics]
    return SummaryLayout(
        title=f"{figures.title}: {summary.month.name()}",
        intro=tuple(intro),
        tables=tables,
        key=tuple(key),
        sources=tuple(_sources(summary)),
        points=tuple(summary_point(m, summary.month, precision) for m in summary.metrics),
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
