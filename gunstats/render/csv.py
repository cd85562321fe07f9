"""CSV (RFC 4180) for spreadsheets: one row per metric and period, full precision.

Each row carries the value and its change on the previous financial year, and the latest
row of a metric also carries the change since the baseline, so a spreadsheet needs no
formulas to reproduce what the other formats print. Empty cells mean "does not exist":
a change that cannot be tested has an empty ``p_value`` and ``significant``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from gunstats.compute import Comparison, Report
from gunstats.numbers import to_json_number
from gunstats.render.options import DEFAULT, RenderOptions

if TYPE_CHECKING:
    from gunstats.monthly import Summary

HEADER = (
    "metric",
    "label",
    "unit",
    "better",
    "period",
    "value",
    "flags",
    "previous_period",
    "change",
    "percent_change",
    "direction",
    "assessment",
    "p_value",
    "significant",
    "baseline_period",
    "change_since_baseline",
    "percent_change_since_baseline",
    "assessment_since_baseline",
    "p_value_since_baseline",
    "significant_since_baseline",
    "source",
)


def _number(value) -> str:
    number = to_json_number(value)
    return "" if number is None else repr(number)


def _test_cells(item: Comparison | None) -> list[str]:
    """``p_value`` and ``significant`` (``true`` or ``false``); empty where untested."""
    tested = item.significance if item is not None else None
    if tested is None:
        return ["", ""]
    return [repr(tested.p_value), "true" if tested.significant else "false"]


def _comparison_cells(item: Comparison | None, with_period: bool) -> list[str]:
    if item is None:
        return [""] * (7 if with_period else 5)
    cells = [_number(item.change), _number(item.percent_change)]
    cells += (
        [item.direction.value, item.assessment.value] if with_period else [item.assessment.value]
    )
    cells += _test_cells(item)
    return [str(item.from_period), *cells] if with_period else cells


def _table(header: tuple[str, ...], rows: Iterator[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def render(report: Report, options: RenderOptions = DEFAULT) -> str:
    """Every value at full precision: no option changes a CSV."""
    return _table(HEADER, _rows(report))


def _rows(report: Report) -> Iterator[list[str]]:
    for metric_report in report.metrics:
        metric = metric_report.metric
        by_later = {c.to_period: c for c in metric_report.year_on_year}
        baseline = metric_report.since_baseline
        for observation in metric_report.observations:
            since = baseline if baseline and baseline.to_period == observation.period else None
            yield (
                [
                    metric.id,
                    metric.label,
                    metric.unit.value,
                    metric.better.value,
                    str(observation.period),
                    _number(observation.value),
                    " ".join(flag.meaning for flag in observation.flags),
                    *_comparison_cells(by_later.get(observation.period), True),
                    str(since.from_period) if since else "",
                    *_comparison_cells(since, False),
                    observation.source or metric.source or "",
                ]
            )


SUMMARY_HEADER = (
    "metric",
    "label",
    "unit",
    "better",
    "month",
    "comparison",
    "description",
    "start",
    "end",
    "value",
    "earlier_start",
    "earlier_end",
    "earlier_value",
    "change",
    "percent_change",
    "direction",
    "assessment",
    "p_value",
    "significant",
    "missing_months",
    "source",
)


def render_summary(summary: Summary, options: RenderOptions = DEFAULT) -> str:
    """The monthly summary: one row per metric and comparison, full precision."""
    return _table(SUMMARY_HEADER, _summary_rows(summary))


def _summary_rows(summary: Summary) -> Iterator[list[str]]:
    for metric_summary in summary.metrics:
        metric = metric_summary.metric
        for item in metric_summary.comparisons:
            compared = item.comparison
            missing = sorted(set(item.current.missing) | set(item.earlier.missing))
            yield (
                [
                    metric.id,
                    metric.label,
                    metric.unit.value,
                    metric.better.value,
                    str(summary.month),
                    item.kind.value,
                    item.description,
                    str(item.current.span.start),
                    str(item.current.span.end),
                    _number(item.current.value),
                    str(item.earlier.span.start),
                    str(item.earlier.span.end),
                    _number(item.earlier.value),
                    _number(compared.change) if compared else "",
                    _number(compared.percent_change) if compared else "",
                    compared.direction.value if compared else "",
                    compared.assessment.value if compared else "",
                    *_test_cells(compared),
                    " ".join(str(m) for m in missing),
                    metric.source or "",
                ]
            )
