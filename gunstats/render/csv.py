"""CSV (RFC 4180) for spreadsheets: one row per metric and period, full precision.

Each row carries the value and its change on the previous financial year (with the unit of
the change), and the latest row of a metric also carries the change since the baseline, so a
spreadsheet needs no formulas to reproduce what the other formats print. Every period of the
report has a row for every metric, as in the table: a value not published is an empty cell
with ``[x]`` in the ``marker`` column, never a missing row. Empty cells mean "does not exist".

Text from the figures file (ids, labels, sources) is written so that a spreadsheet cannot run
it, following OWASP's guidance on CSV injection
(https://owasp.org/www-community/attacks/CSV_Injection): a text cell beginning with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'``, which spreadsheets
read as "this is text" and do not show. A text cell holding a separator, a quote or a line
break is quoted (RFC 4180), so it cannot start a new cell; but a spreadsheet in a locale that
separates cells with ``;`` splits a comma-separated file at every ``;`` whatever the quotes,
so a ``;`` followed by one of those characters gets the ``'`` too (``a;'=b``).
``RenderOptions.csv_raw`` (``--csv-raw``) turns the prefix off for programs that read the
text exactly. Numbers are never altered: ``-87`` is a number, not a formula.

A change that cannot be tested has an empty ``p_value`` and ``significant``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from gunstats.compute import Comparison, Report
from gunstats.model import Flag
from gunstats.numbers import NOT_AVAILABLE, exact_text, quotient_text
from gunstats.render.fields import CHANGE_UNITS
from gunstats.render.options import DEFAULT, RenderOptions

if TYPE_CHECKING:
    from gunstats.monthly import Summary
    from gunstats.monthly_windows import Aggregate

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP's list)."""
_QUOTED = (",", ";", '"', "\r", "\n", "\t")
"""What makes a cell need quotes: either separator, a quote, a line break or a tab."""


# A ';' then (quotes and) a formula start: where a ';'-separated reading would start a cell.
_AFTER_SEMICOLON = re.compile(';(?="*[=+\\-@\t\r])')


def formula_safe(text: str, raw: bool = False) -> str:
    """Text a spreadsheet will not run: ``'`` before a formula start, at the beginning or
    after a ``;`` (unless ``raw``). For a writer that quotes the cell itself."""
    if raw:
        return text
    if text.startswith(FORMULA_START):
        text = "'" + text
    if ";" in text:
        text = _AFTER_SEMICOLON.sub(";'", text)
    return text


def text_cell(text: str, raw: bool = False) -> str:
    """A text cell as written to the file: formula-safe unless ``raw``, quoted if need be."""
    text = formula_safe(text, raw)
    if any(character in text for character in _QUOTED):
        return '"' + text.replace('"', '""') + '"'
    return text


HEADER = (
    "metric",
    "label",
    "unit",
    "better",
    "period",
    "value",
    "marker",
    "flags",
    "previous_period",
    "change",
    "change_unit",
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
    """A value or change, exactly, as the JSON writes it."""
    return "" if value is None else exact_text(value)


def _quotient(value) -> str:
    """A percent change: exact when whole, else the nearest double, as the JSON writes it."""
    return "" if value is None else quotient_text(value)


def _test_cells(item: Comparison | None) -> list[str]:
    """``p_value`` and ``significant`` (``true`` or ``false``); empty where untested."""
    tested = item.significance if item is not None else None
    if tested is None:
        return ["", ""]
    return [repr(tested.p_value), "true" if tested.significant else "false"]


def _year_on_year_cells(item: Comparison | None, unit: str) -> list[str]:
    """previous_period, change, change_unit, percent_change, direction, assessment, p_value,
    significant."""
    if item is None:
        return ["", "", unit, "", "", "", "", ""]
    return [
        str(item.from_period),
        _number(item.change),
        unit,
        _quotient(item.percent_change),
        item.direction.value,
        item.assessment.value,
        *_test_cells(item),
    ]


def _baseline_cells(item: Comparison | None) -> list[str]:
    """baseline_period, change_since_baseline, percent_change_since_baseline, assessment,
    p_value and significant since the baseline."""
    if item is None:
        return ["", "", "", "", "", ""]
    return [
        str(item.from_period),
        _number(item.change),
        _quotient(item.percent_change),
        item.assessment.value,
        *_test_cells(item),
    ]


def _table(header: tuple[str, ...], rows: Iterator[list[str]]) -> str:
    """Rows of cells already written (:func:`text_cell` for text, numbers as they are)."""
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return "\r\n".join(lines) + "\r\n"


def render(report: Report, options: RenderOptions = DEFAULT) -> str:
    """Every value at full precision: no option changes a number in a CSV."""
    return _table(HEADER, _rows(report, options.csv_raw))


def _rows(report: Report, raw: bool) -> Iterator[list[str]]:
    texts: dict[str, str] = {}

    def text(value: str | None) -> str:
        # Each distinct text is made safe once: a national file repeats its few labels and
        # sources on every one of 100,000s of rows.
        if value is None:
            return ""
        if value not in texts:
            texts[value] = text_cell(value, raw)
        return texts[value]

    for metric_report in report.metrics:
        metric = metric_report.metric
        head = [text(metric.id), text(metric.label), metric.unit.value, metric.better.value]
        unit = CHANGE_UNITS[metric.unit]
        by_later = {c.to_period: c for c in metric_report.year_on_year}
        baseline = metric_report.since_baseline
        by_period = {o.period: o for o in metric_report.observations}
        for period in report.periods:
            observation = by_period.get(period)
            if observation is None:
                # Not published: a row all the same, empty, marked, never a silent hole.
                yield [
                    *head,
                    str(period),
                    "",
                    NOT_AVAILABLE,
                    "",
                    *_year_on_year_cells(None, unit),
                    *_baseline_cells(None),
                    text(metric.source),
                ]
                continue
            since = baseline if baseline and baseline.to_period == period else None
            yield [
                *head,
                str(period),
                _number(observation.value),
                "",
                " ".join(flag.meaning for flag in observation.flags),
                *_year_on_year_cells(by_later.get(period), unit),
                *_baseline_cells(since),
                text(observation.source or metric.source),
            ]


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
    "change_unit",
    "percent_change",
    "direction",
    "assessment",
    "p_value",
    "significant",
    "missing_months",
    "source",
    "flags",
    "earlier_flags",
)


def render_summary(summary: Summary, options: RenderOptions = DEFAULT) -> str:
    """The monthly summary: one row per metric and comparison, full precision."""
    return _table(SUMMARY_HEADER, _summary_rows(summary, options.csv_raw))


def _summary_rows(summary: Summary, raw: bool) -> Iterator[list[str]]:
    for metric_summary in summary.metrics:
        metric = metric_summary.metric
        for item in metric_summary.comparisons:
            compared = item.comparison
            missing = sorted(set(item.current.missing) | set(item.earlier.missing))
            yield (
                [
                    text_cell(metric.id, raw),
                    text_cell(metric.label, raw),
                    metric.unit.value,
                    metric.better.value,
                    str(summary.month),
                    item.kind.value,
                    text_cell(item.description, raw),
                    str(item.current.span.start),
                    str(item.current.span.end),
                    _number(item.current.value),
                    str(item.earlier.span.start),
                    str(item.earlier.span.end),
                    _number(item.earlier.value),
                    _number(compared.change) if compared else "",
                    CHANGE_UNITS[metric.unit],
                    _quotient(compared.percent_change) if compared else "",
                    compared.direction.value if compared else "",
                    compared.assessment.value if compared else "",
                    *_test_cells(compared),
                    " ".join(str(m) for m in missing),
                    text_cell(metric.source, raw) if metric.source else "",
                    _window_flags(item.current),
                    _window_flags(item.earlier),
                ]
            )


def _window_flags(side: Aggregate) -> str:
    """A window's flags by meaning, as in the report's ``flags`` column; a ratio over 100%
    in any of its months is of low reliability, as the summary's other formats say."""
    meanings = [flag.meaning for flag in side.flags]
    if side.over_100:
        meanings.append(Flag.LOW_RELIABILITY.meaning)
    return " ".join(meanings)
