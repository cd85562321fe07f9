"""What the human formats show, decided once: the terminal table and Markdown lay it out.

Both formats (and templates) get the same key points (:mod:`gunstats.prose`), the same three
tables (values, year-on-year changes, change since the baseline), the same key to shorthand
and the same numbered sources, so they can never disagree on a number. Every text here is
plain; renderers escape it for their medium.
"""

from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from gunstats.compute import Assessment, Comparison, MetricReport, Report
from gunstats.model import Metric, Observation, Source, Unit
from gunstats.numbers import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    SHORTHAND_KEY,
    format_change,
    format_percent_change,
    format_value,
)
from gunstats.periods import FinancialYear, year_of
from gunstats.prose import PeriodStyle, key_points, table_period, table_span
from gunstats.variation import assessment_keys

CAVEAT = (
    "Police recorded crime reflects how crimes are recorded as well as how many happen, "
    "and published figures are revised."
)
POINTS_KEY = "pp: percentage points (the change in a percentage)"


class Cell(NamedTuple):
    text: str
    assessment: Assessment | None = None
    numeric: bool = False


class Table(NamedTuple):
    title: str
    header: tuple[str, ...]
    numeric: tuple[bool, ...]
    rows: tuple[tuple[Cell, ...], ...]
    series: tuple[tuple[Decimal | None, ...], ...] = ()
    """The exact values behind each row, one per period (None where not published), for a
    renderer that draws a trend; empty for tables that are not a series."""


class Layout(NamedTuple):
    title: str
    tables: tuple[Table, ...]
    key: tuple[str, ...]
    sources: tuple[Source, ...]
    caveat: str = CAVEAT
    as_of: str | None = None
    notes: tuple[str, ...] = ()
    key_points: tuple[str, ...] = ()
    """One plain-text sentence per metric, its sources cited by number."""
    file_name: str = "figures.yaml"


def measure_label(metric: Metric) -> str:
    return f"{metric.label} (%)" if metric.unit is Unit.PERCENT else metric.label


class ShorthandCodes:
    """Collects the shorthand a report uses so the key explains exactly those."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.points = False

    def mark(self, text: str) -> str:
        for code in SHORTHAND_KEY:
            if code in text:
                self.used.add(code)
        return text


def _value_text(
    observation: Observation | None, unit: Unit, precision: int, codes: ShorthandCodes
) -> str:
    if observation is None:
        return codes.mark(NOT_AVAILABLE)
    text = format_value(observation.value, unit, precision)
    if observation.flags:
        text += " " + "".join(f"[{flag.value}]" for flag in observation.flags)
    return codes.mark(text)


def _comparison_cells(
    label: Cell,
    periods: Cell,
    comparison: Comparison | None,
    precision: int,
    codes: ShorthandCodes,
) -> tuple[Cell, ...]:
    # A national file has hundreds of thousands of these rows: the label, periods and
    # assessment cells are shared, not remade, and a record made from every field in order
    # skips the keyword handling.
    if comparison is None:
        missing = Cell(codes.mark(NOT_AVAILABLE), None, True)
        return (label, periods, missing, missing, _MISSING_ASSESSMENT)
    if comparison.unit is Unit.PERCENT:
        codes.points = True
    assessment = comparison.assessment
    percent = codes.mark(format_percent_change(comparison.percent_change, precision))
    return (
        label,
        periods,
        Cell(format_change(comparison.change, comparison.unit, precision), assessment, True),
        Cell(percent, None, True),
        _ASSESSMENTS[assessment],
    )


_MISSING_ASSESSMENT = Cell(NOT_AVAILABLE, None, False)
_ASSESSMENTS = {assessment: Cell(assessment.value, assessment, False) for assessment in Assessment}


@lru_cache(maxsize=1024)
def _span(earlier: FinancialYear, later: FinancialYear, style: PeriodStyle) -> Cell:
    return Cell(table_span(earlier, later, style), None, False)


def _label(metric: Metric) -> Cell:
    return Cell(measure_label(metric), None, False)


_CHANGE_HEADER = ("Measure", "Periods", "Change", "Relative change (%)", "Assessment")
_CHANGE_NUMERIC = (False, False, True, True, False)


def _year_on_year_rows(
    metric_report: MetricReport, precision: int, codes: ShorthandCodes, style: PeriodStyle
):
    label = _label(metric_report.metric)
    rows = [
        _comparison_cells(label, _span(c.from_year, c.to_year, style), c, precision, codes)
        for c in metric_report.year_on_year
    ]
    observations = metric_report.observations
    if observations:
        latest = year_of(observations[-1].period)
        if not any(c.to_period == observations[-1].period for c in metric_report.year_on_year):
            # The latest change is what a reader looks for; say it is missing, not nothing.
            periods = _span(latest.previous(), latest, style)
            rows.append(_comparison_cells(label, periods, None, precision, codes))
    return rows


def _baseline_rows(
    report: Report,
    metric_report: MetricReport,
    precision: int,
    codes: ShorthandCodes,
    style: PeriodStyle,
):
    comparison = metric_report.since_baseline
    observations = metric_report.observations
    label = _label(metric_report.metric)
    if comparison is not None:
        periods = _span(comparison.from_year, comparison.to_year, style)
        return [_comparison_cells(label, periods, comparison, precision, codes)]
    latest = year_of(observations[-1].period) if observations else None
    if report.baseline is not None and latest is not None and latest > report.baseline:
        periods = _span(report.baseline, latest, style)
        return [_comparison_cells(label, periods, None, precision, codes)]
    return []


def _value_row(metric_report: MetricReport, periods, precision: int, codes: ShorthandCodes):
    """The label, then the value for each period (looked up once per metric, not scanned)."""
    found = {o.period: o for o in metric_report.observations}
    unit = metric_report.metric.unit
    return (
        _label(metric_report.metric),
        *(Cell(_value_text(found.get(p), unit, precision, codes), None, True) for p in periods),
    )


def _series(metric_report: MetricReport, periods) -> tuple[Decimal | None, ...]:
    found = {o.period: o.value for o in metric_report.observations}
    return tuple(found.get(p) for p in periods)


def build_layout(
    report: Report, precision: int = 1, period_style: PeriodStyle = PeriodStyle.COMPACT
) -> Layout:
    style = PeriodStyle(period_style)
    codes = ShorthandCodes()
    figures = report.figures
    value_rows = tuple(_value_row(m, report.periods, precision, codes) for m in report.metrics)
    values = Table(
        title="Figures by financial year",
        header=("Measure", *(table_period(p, style) for p in report.periods)),
        numeric=(False, *(True for _ in report.periods)),
        rows=value_rows,
        series=tuple(_series(m, report.periods) for m in report.metrics),
    )
    year_on_year = Table(
        title="Change on the previous year",
        header=_CHANGE_HEADER,
        numeric=_CHANGE_NUMERIC,
        rows=tuple(
            row for m in report.metrics for row in _year_on_year_rows(m, precision, codes, style)
        ),
    )
    since = Table(
        title="Change since the baseline year",
        header=_CHANGE_HEADER,
        numeric=_CHANGE_NUMERIC,
        rows=tuple(
            row
            for m in report.metrics
            for row in _baseline_rows(report, m, precision, codes, style)
        ),
    )
    tables = tuple(t for t in (values, year_on_year, since) if t.rows)
    key = [f"{code} {SHORTHAND_KEY[code]}" for code in SHORTHAND_KEY if code in codes.used]
    if codes.points:
        key.append(POINTS_KEY)
    key += assessment_keys(
        (c.assessment for m in report.metrics for c in m.comparisons), report.confidence
    )
    sources = tuple(_sources(report))
    numbers = {source.id: number for number, source in enumerate(sources, 1)}
    sentences = key_points(report, precision=precision, style=style)
    return Layout(
        title=figures.title,
        tables=tables,
        key=tuple(key),
        sources=sources,
        as_of=figures.as_of,
        notes=figures.notes,
        file_name=figures.file_name,
        key_points=tuple(
            cite(sentence, [numbers[ref] for ref in _source_refs(m)])
            for sentence, m in zip(sentences, report.metrics, strict=True)
        ),
    )


def cite(sentence: str, numbers: list[int]) -> str:
    """``... 2019/20 (source 1)``: the numbers of the sources listed under the table."""
    if not numbers:
        return sentence
    label = "source" if len(numbers) == 1 else "sources"
    listed = ", ".join(str(n) for n in sorted(numbers))
    return f"{sentence.removesuffix('.')} ({label} {listed})"


def _source_refs(metric_report: MetricReport) -> list[str]:
    """The metric's source and its values' own sources, each once, in order of citation."""
    refs = [metric_report.metric.source] + [o.source for o in metric_report.observations]
    return list(dict.fromkeys(ref for ref in refs if ref is not None))


def _sources(report: Report) -> Iterator[Source]:
    """The sources cited by the metrics and values shown, in order of first citation."""
    figures = report.figures
    used = dict.fromkeys(ref for m in report.metrics for ref in _source_refs(m))
    for ref in used:
        yield figures.source(ref)


__all__ = ["NOT_APPLICABLE", "Cell", "Layout", "Table", "build_layout"]
