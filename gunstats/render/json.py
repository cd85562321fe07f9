"""JSON for other programs: one object, full precision, stable field names.

Values and changes are written exactly, with the digits of the Decimal (integers stay
integers); a percent change is exact when whole and otherwise the nearest double to the
exact quotient, as in the CSV; ``null`` stands where a value or a percentage does not exist.
The shape is documented in the README and pinned by a golden test.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from gunstats import __version__
from gunstats.compute import Comparison, Report
from gunstats.model import Observation, Unit
from gunstats.numbers import exact_text, quotient_text, to_json_number
from gunstats.render.fields import (
    CHANGE_UNITS,
    COMPARISON_FIELDS,
    comparison_fields,
    comparison_values,
)
from gunstats.render.options import DEFAULT, RenderOptions
from gunstats.significance import Significance

if TYPE_CHECKING:
    from gunstats.monthly import MetricSummary, Summary, WindowComparison
    from gunstats.monthly_windows import Aggregate


def _without_none(fields: dict) -> dict:
    return {key: value for key, value in fields.items() if value is not None}


def render(report: Report, options: RenderOptions = DEFAULT) -> str:
    """The document, indented, with each value and comparison on a line of its own.

    Equal, once parsed, to ``json.dumps`` of the document a test builds independently, but
    written directly: the standard library's indenting encoder is pure Python, and a national
    file of 100,000 values would spend most of its run there.
    """
    figures = report.figures
    out = [
        "{",
        f'  "title": {_text(figures.title)},',
        f'  "as_of": {_text(figures.as_of)},',
        f'  "generator": {_text(f"gunstats {__version__}")},',
        f'  "periods": [{", ".join(f"{chr(34)}{p}{chr(34)}" for p in report.periods)}],',
        '  "metrics": [',
    ]
    for index, metric_report in enumerate(report.metrics):
        metric = metric_report.metric
        out += [
            "    {",
            f'      "id": {_text(metric.id)},',
            f'      "label": {_text(metric.label)},',
            f'      "unit": "{metric.unit.value}",',
            f'      "better": "{metric.better.value}",',
            f'      "source": {_text(metric.source)},',
        ]
        out.append(_list("values", [_observation(o) for o in metric_report.observations], ","))
        out.append(_list("comparisons", [_comparison(c) for c in metric_report.comparisons], ""))
        out.append("    }," if index < len(report.metrics) - 1 else "    }")
    out.append("  ],")
    sources = [_object(_without_none(s._asdict())) for s in figures.sources]
    out.append(_list("sources", sources, "", indent="  "))
    out.append("}")
    return "\n".join(out) + "\n"


def _list(name: str, items: list[str], comma: str, indent: str = "      ") -> str:
    if not items:
        return f'{indent}"{name}": []{comma}'
    inner = indent + "  "
    body = (",\n" + inner).join(items)
    return f'{indent}"{name}": [\n{inner}{body}\n{indent}]{comma}'


# What json.dumps(..., ensure_ascii=False) escapes in a string: quote, backslash, controls.
_ESCAPES = {code: f"\\u{code:04x}" for code in range(32)} | {
    ord('"'): '\\"',
    ord("\\"): "\\\\",
    ord("\b"): "\\b",
    ord("\t"): "\\t",
    ord("\n"): "\\n",
    ord("\f"): "\\f",
    ord("\r"): "\\r",
}


def _text(value: str | None) -> str:
    """A JSON string, written without importing :mod:`json` (2 ms of every run's start-up)."""
    return "null" if value is None else '"' + value.translate(_ESCAPES) + '"'


def _object(fields: dict[str, str]) -> str:
    return "{" + ", ".join(f"{_text(key)}: {_text(value)}" for key, value in fields.items()) + "}"


def _number(value) -> str:
    """A value or change, exactly (:func:`~gunstats.numbers.exact_text`), as CSV writes it."""
    if value is None:
        return "null"
    if type(value) is Decimal:
        text = str(value)  # a whole number as read (or a difference of two) prints as itself
        if text.isdigit() or (text[:1] == "-" and text[1:].isdigit() and text != "-0"):
            return text
    return exact_text(value)


def _float(value) -> str:
    """A percent change: exact when whole, else the nearest double (as CSV writes it)."""
    return "null" if value is None else quotient_text(value)


def _observation(item: Observation) -> str:
    text = f'{{"period": "{item.period}", "value": {_number(item.value)}'
    if item.flags:
        text += f', "flags": [{", ".join(_text(flag.meaning) for flag in item.flags)}]'
    if item.source:
        text += f', "source": {_text(item.source)}'
    if item.note:
        text += f', "note": {_text(item.note)}'
    return text + "}"


def _significance(value: Significance | None) -> str:
    """``{"test": ..., "p_value": ..., "confidence": ..., "significant": ...}`` or null."""
    if value is None:
        return "null"
    test, p_value, confidence, significant = value
    return (
        f'{{"test": "{test}", "p_value": {p_value!r}, "confidence": {confidence!r}, '
        f'"significant": {"true" if significant else "false"}}}'
    )


_WRITERS = {"from_value": _number, "to_value": _number, "change": _number}
_WRITERS["percent_change"] = _float  # a quotient: its nearest double, never its digits
_WRITERS["significance"] = _significance
_COMPARISON_FORMAT = (
    "{"
    + ", ".join(
        f'"{name}": %s' if name in _WRITERS else f'"{name}": "%s"' for name in COMPARISON_FIELDS
    )
    + "}"
)
"""One comparison's JSON object, built once from the field list; words and periods are
quoted as they are (none holds anything JSON would escape)."""
_WRITER_POSITIONS = tuple(
    (index, _WRITERS[name]) for index, name in enumerate(COMPARISON_FIELDS) if name in _WRITERS
)


def _comparison(item: Comparison) -> str:
    values = list(comparison_values(item))
    for index, write in _WRITER_POSITIONS:
        values[index] = write(values[index])
    return _COMPARISON_FORMAT % tuple(values)


def _window(side: Aggregate, label: str) -> dict:
    result: dict = {
        "start": str(side.span.start),
        "end": str(side.span.end),
        "label": label,
        "value": to_json_number(side.value),
        "status": side.status.value,
    }
    if side.flags or side.over_100:
        result["flags"] = [flag.meaning for flag in side.flags]
    if side.over_100:
        result["flags"].append("low reliability")
        result["over_100_months"] = [str(m) for m in side.over_100]
    if side.missing:
        result["missing_months"] = [str(m) for m in side.missing]
    if side.numerator is not None:
        result["numerator"] = to_json_number(side.numerator)
        result["denominator"] = to_json_number(side.denominator)
    return result


def window_comparison(item: WindowComparison, unit: Unit) -> dict:
    """A summary comparison: the report's comparison fields, with both windows as from/to."""
    fields = dict.fromkeys(COMPARISON_FIELDS)
    if item.comparison is not None:
        fields.update(comparison_fields(item.comparison))
    fields.update(
        {
            "from": _window(item.earlier, item.label(item.earlier)),
            "to": _window(item.current, item.label(item.current)),
            "from_value": to_json_number(item.earlier.value),
            "to_value": to_json_number(item.current.value),
            "change": to_json_number(fields["change"]),
            "change_unit": CHANGE_UNITS[unit],
            "percent_change": to_json_number(fields["percent_change"]),
        }
    )
    del fields["kind"]
    return {"kind": item.kind.value, "description": item.description, **fields}


def process_chart(metric_summary: MetricSummary) -> tuple[dict | None, str | None]:
    """(``spc``, ``spc_note``): the month's XmR chart, or None and why there is none."""
    from gunstats.spc import ProcessChart
    from gunstats.variation import signal_meaning

    chart = metric_summary.spc
    if chart is None:
        return None, "no XmR chart was asked for"
    if not isinstance(chart, ProcessChart):
        return None, chart.reason
    better = metric_summary.metric.better
    return {
        "start": str(chart.start),
        "end": str(chart.end),
        "centre": float(chart.centre),
        "upper": float(chart.upper),
        "lower": float(chart.lower),
        "status": chart.latest_status,
        "signals": [
            {
                "rule": signal.rule,
                "direction": signal.direction,
                "meaning": signal_meaning(signal.direction, better),
                "months": [str(month) for month in signal.months],
            }
            for signal in chart.signals
        ],
    }, None


def summary_document(summary: Summary) -> dict:
    figures = summary.figures
    metrics = []
    for metric_summary in summary.metrics:
        metric = metric_summary.metric
        comparisons = [window_comparison(c, metric.unit) for c in metric_summary.comparisons]
        spc, spc_note = process_chart(metric_summary)
        ratio = metric.ratio_of
        metrics.append(
            {
                "id": metric.id,
                "label": metric.label,
                "unit": metric.unit.value,
                "better": metric.better.value,
                "source": metric.source,
                "ratio_of": (
                    {"numerator": ratio.numerator, "denominator": ratio.denominator}
                    if ratio
                    else None
                ),
                "value": to_json_number(metric_summary.month.value),
                "spc": spc,
                "spc_note": spc_note,
                "comparisons": comparisons,
            }
        )
    return {
        "title": figures.title,
        "as_of": figures.as_of,
        "generator": f"gunstats {__version__}",
        "month": str(summary.month),
        "latest_month": str(summary.latest),
        "confidence": summary.confidence,
        "metrics_without_the_month": [m.id for m in summary.lacking],
        "metrics": metrics,
        "sources": [_without_none(source._asdict()) for source in figures.sources],
    }


def render_summary(summary: Summary, options: RenderOptions = DEFAULT) -> str:
    """The monthly summary (:class:`~gunstats.monthly.Summary`) as JSON."""
    import json

    return json.dumps(summary_document(summary), indent=2, ensure_ascii=False) + "\n"
