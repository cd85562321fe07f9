"""What the human formats show, decided once: the terminal table and Markdown lay it out.

Both formats (and templates) get the same key points (:mod:`gunstats.prose`), the same three
tables (values, year-on-year changes, change since the baseline), the same key to shorthand
and the same numbered sources, so they can never disagree on a number. Every text here is
plain; renderers escape it for their medium.
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from gunstats.compute import Assessment, Comparison, MetricReport, Report
from gunstats.model import Figures, Metric, Observation, Source, Unit
from gunstats.numbers import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    SHORTHAND_KEY,
    format_change,
    format_percent_change,
    format_value,
)
from gunstats.periods import FinancialYear, PeriodStyle, year_of
from gunstats.prose import key_points, table_period, table_span
from gunstats.variation import assessment_keys
from gunstats.wording import DEFAULT_CAVEAT, UNROUNDED_NOTE, status_sentence

NO_STATUS = (
    "The figures file does not say whether these figures are management information or "
    "official statistics."
)
"""C24: said rather than left out, so a reader knows the status was not given."""
POINTS_KEY = "pp: percentage points (the change in a percentage)"
ZERO_BASE = "from a zero base"
OF_A_PERCENTAGE = "of a percentage, which changes by percentage points"
"""Why a relative-change cell is ``[z]``, "no per cent change ..." (C1, C4): the key gives
each reason its tables have."""


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
    caveat: str = DEFAULT_CAVEAT
    as_of: str | None = None
    notes: tuple[str, ...] = ()
    key_points: tuple[str, ...] = ()
    """One plain-text sentence per metric, its sources cited by number."""
    file_name: str = "figures.yaml"
    status: str = NO_STATUS
    """The sentence stating the figures' status (C24)."""
    definitions: tuple[tuple[str, str], ...] = ()
    """(label, description) of each measure shown that has a description (C26)."""
    measure_caveats: tuple[tuple[str, str], ...] = ()
    """(label, caveat) of each measure shown that has its own caveat (C25)."""


def status_text(figures: Figures) -> str:
    return status_sentence(figures.status) if figures.status else NO_STATUS


def definitions(metrics: Iterable[Metric]) -> tuple[tuple[str, str], ...]:
    return tuple((m.label, m.description) for m in metrics if m.description)


def measure_caveats(metrics: Iterable[Metric]) -> tuple[tuple[str, str], ...]:
    return tuple((m.label, m.caveat) for m in metrics if m.caveat)


Span = tuple[FinancialYear, FinancialYear]
"""(earlier year, later year) of a comparison row."""


def measure_label(metric: Metric) -> str:
    return f"{metric.label} (%)" if metric.unit is Unit.PERCENT else metric.label


class ShorthandCodes:
    """Collects the shorthand a report uses so the key explains exactly those (C19)."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.points = False
        self.not_applicable: list[str] = []
        """Why a relative change is ``[z]``, each reason once, in order of first use."""

    def mark(self, text: str) -> str:
        for code in SHORTHAND_KEY:
            if code in text:
                self.used.add(code)
        return text

    def why_not_applicable(self, reason: str) -> str:
        if reason not in self.not_applicable:
            self.not_applicable.append(reason)
        return self.mark(NOT_APPLICABLE)

    def key(self) -> list[str]:
        entries = []
        for code, meaning in SHORTHAND_KEY.items():
            if code not in self.used:
                continue
            if code == NOT_APPLICABLE and self.not_applicable:
                meaning += f" (no per cent change {' or '.join(self.not_applicable)})"
            entries.append(f"{code} {meaning}")
        if self.points:
            entries.append(POINTS_KEY)
        return entries


def _value_text(
    observation: Observation | None, unit: Unit, precision: int, codes: ShorthandCodes
) -> str:
    if observation is None:
        return codes.mark(NOT_AVAILABLE)
    text = format_value(observation.value, unit, precision)
    if observation.flags:
        text += " " + "".join(f"[{flag.value}]" for flag in observation.flags)
    return codes.mark(text)


class ChangeColumns(NamedTuple):
    """The change columns of a table, decided by the units of its rows (C1, C13, C22).

    A table of percentages only names its unit in the header and has no relative change; a
    table of counts has one; a table of both keeps "pp" in the percentages' cells (one header
    cannot name two units) and ``[z]`` for their relative change.
    """

    header: tuple[str, ...]
    relative: bool
    points: str

    @property
    def numeric(self) -> tuple[bool, ...]:
        return (True,) * (len(self.header) - 1) + (False,)

    @classmethod
    def for_units(cls, units: Iterable[Unit]) -> "ChangeColumns":
        units = set(units)
        if units == {Unit.PERCENT}:
            return cls(("Change (percentage points)", "Assessment"), False, "")
        header = ("Change", "Relative change (%)", "Assessment")
        return cls(header, True, " pp" if Unit.PERCENT in units else "")


def change_cells(
    comparison: Comparison | None,
    unit: Unit,
    precision: int,
    codes: ShorthandCodes,
    columns: ChangeColumns,
) -> tuple[Cell, ...]:
    """The change columns of one comparison, ``[x]`` in each where it is missing."""
    # A national file has hundreds of thousands of these rows: the assessment cells are
    # shared, not remade, and a record made from every field in order skips the keywords.
    if comparison is None:
        missing = Cell(codes.mark(NOT_AVAILABLE), None, True)
        numbers = (missing, missing) if columns.relative else (missing,)
        return (*numbers, Cell(codes.mark(NOT_AVAILABLE), None, False))
    assessment = comparison.assessment
    change = format_change(comparison.change, unit, precision, points=columns.points)
    if unit is Unit.PERCENT and columns.points and change.endswith(columns.points):
        codes.points = True
    cells = [Cell(codes.mark(change), assessment, True)]
    if columns.relative:
        if unit is Unit.PERCENT:
            relative = codes.why_not_applicable(OF_A_PERCENTAGE)
        elif comparison.percent_change is None:
            relative = codes.why_not_applicable(ZERO_BASE)
        else:
            relative = codes.mark(format_percent_change(comparison.percent_change, precision))
        cells.append(Cell(relative, None, True))
    return (*cells, _ASSESSMENTS[assessment])


_ASSESSMENTS = {assessment: Cell(assessment.value, assessment, False) for assessment in Assessment}


@lru_cache(maxsize=1024)
def _span(earlier: FinancialYear, later: FinancialYear, style: PeriodStyle) -> Cell:
    return Cell(table_span(earlier, later, style), None, False)


def _label(metric: Metric) -> Cell:
    return Cell(measure_label(metric), None, False)


_Row = tuple[Cell, Cell, Unit, Comparison | None]
"""A change table's row before it is written: label and periods cells, unit, comparison."""


def _change_table(title: str, rows: list[_Row], precision: int, codes: ShorthandCodes) -> Table:
    columns = ChangeColumns.for_units(unit for _, _, unit, _ in rows)
    return Table(
        title=title,
        header=("Measure", "Periods", *columns.header),
        numeric=(False, False, *columns.numeric),
        rows=tuple(
            (label, periods, *change_cells(comparison, unit, precision, codes, columns))
            for label, periods, unit, comparison in rows
        ),
    )


def year_on_year_items(metric_report: MetricReport) -> list[tuple[Span, Comparison | None]]:
    """The year-on-year rows of one metric: (earlier, later) and the comparison, or None.

    Every pair of consecutive years with values, and the latest year's change as missing
    when there is none: the latest change is what a reader looks for, so the table says it
    is missing rather than leaving it out. Every format that shows the changes as a table
    (this layout, the spreadsheet) takes its rows from here.
    """
    items: list[tuple[Span, Comparison | None]] = [
        ((c.from_year, c.to_year), c) for c in metric_report.year_on_year
    ]
    observations = metric_report.observations
    if observations:
        latest = year_of(observations[-1].period)
        if not any(c.to_period == observations[-1].period for c in metric_report.year_on_year):
            items.append(((latest.previous(), latest), None))
    return items


def baseline_item(
    report: Report, metric_report: MetricReport
) -> tuple[Span, Comparison | None] | None:
    """The since-baseline row of one metric, None where the table has no row for it.

    A baseline year given with ``--baseline`` that the metric has no value for is a row
    with the comparison missing, so the reader sees the gap.
    """
    comparison = metric_report.since_baseline
    if comparison is not None:
        return (comparison.from_year, comparison.to_year), comparison
    observations = metric_report.observations
    latest = year_of(observations[-1].period) if observations else None
    if report.baseline is not None and latest is not None and latest > report.baseline:
        return (report.baseline, latest), None
    return None


def _year_on_year_rows(metric_report: MetricReport, style: PeriodStyle) -> list[_Row]:
    label, unit = _label(metric_report.metric), metric_report.metric.unit
    return [
        (label, _span(*span, style), unit, comparison)
        for span, comparison in year_on_year_items(metric_report)
    ]


def _baseline_rows(report: Report, metric_report: MetricReport, style: PeriodStyle) -> list[_Row]:
    item = baseline_item(report, metric_report)
    if item is None:
        return []
    span, comparison = item
    label, unit = _label(metric_report.metric), metric_report.metric.unit
    return [(label, _span(*span, style), unit, comparison)]


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
    yoy_rows = [row for m in report.metrics for row in _year_on_year_rows(m, style)]
    since_rows = [row for m in report.metrics for row in _baseline_rows(report, m, style)]
    changes = [
        _change_table(title, rows, precision, codes)
        for title, rows in (
            ("Change on the previous year", yoy_rows),
            ("Change since the baseline year", since_rows),
        )
        if rows
    ]
    key = codes.key()
    key += assessment_keys(
        (c.assessment for m in report.metrics for c in m.comparisons), report.confidence
    )
    if any(comparison for _, _, _, comparison in yoy_rows + since_rows):
        key.append(UNROUNDED_NOTE)
    sources = tuple(_sources(report))
    numbers = {source.id: number for number, source in enumerate(sources, 1)}
    sentences = key_points(report, precision=precision, style=style)
    shown = [m.metric for m in report.metrics]
    return Layout(
        title=figures.title,
        tables=(values, *changes) if values.rows else tuple(changes),
        key=tuple(key),
        sources=sources,
        caveat=figures.caveat or DEFAULT_CAVEAT,
        as_of=figures.as_of,
        notes=figures.notes,
        file_name=figures.file_name,
        key_points=tuple(
            cite(sentence, [numbers[ref] for ref in _source_refs(m)])
            for sentence, m in zip(sentences, report.metrics, strict=True)
        ),
        status=status_text(figures),
        definitions=definitions(shown),
        measure_caveats=measure_caveats(shown),
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
