"""JSON for other programs: one object, full precision, stable field names.

Numbers are exact where JSON allows (integers stay integers) and otherwise the nearest
double to the exact value; ``null`` stands where a value or a percentage does not exist.
The shape is documented in the README and pinned by a golden test.
"""

from __future__ import annotations

from decimal import Decimal

from gunstats import __version__
from gunstats.compute import Assessment, Comparison, Direction, Kind, Report
from gunstats.model import Observation, Unit
from gunstats.numbers import to_json_number


def observation(item: Observation) -> dict:
    result: dict = {"period": str(item.period), "value": to_json_number(item.value)}
    if item.flags:
        result["flags"] = [flag.meaning for flag in item.flags]
    if item.source:
        result["source"] = item.source
    if item.note:
        result["note"] = item.note
    return result


def comparison(item: Comparison) -> dict:
    return {
        "kind": item.kind.value,
        "from": str(item.from_period),
        "to": str(item.to_period),
        "from_value": to_json_number(item.earlier.value),
        "to_value": to_json_number(item.later.value),
        "change": to_json_number(item.change),
        "change_unit": "percentage points" if item.unit.value == "percent" else "count",
        "percent_change": to_json_number(item.percent_change),
        "direction": item.direction.value,
        "assessment": item.assessment.value,
    }


def _without_none(fields: dict) -> dict:
    return {key: value for key, value in fields.items() if value is not None}


def document(report: Report) -> dict:
    figures = report.figures
    return {
        "title": figures.title,
        "as_of": figures.as_of,
        "generator": f"gunstats {__version__}",
        "periods": [str(p) for p in report.periods],
        "metrics": [
            {
                "id": m.metric.id,
                "label": m.metric.label,
                "unit": m.metric.unit.value,
                "better": m.metric.better.value,
                "source": m.metric.source,
                "values": [observation(o) for o in m.observations],
                "comparisons": [comparison(c) for c in m.comparisons],
            }
            for m in report.metrics
        ],
        "sources": [
            {k: v for k, v in source._asdict().items() if v is not None}
            for source in figures.sources
        ],
    }


def render(report: Report, **_options) -> str:
    """The document, indented, with each value and comparison on a line of its own.

    Equal to ``json.dumps(document(report))`` once parsed (a test holds it to that), but
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
    """The JSON text of what :func:`to_json_number` gives, without building the number twice."""
    if value is None:
        return "null"
    if type(value) is Decimal:
        text = str(value)  # a whole number as read (or a difference of two) prints as itself
        if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()):
            return text
    return _float(value)


def _float(value) -> str:
    """A percent change: the nearest double, or an integer when it is whole."""
    if value is None:
        return "null"
    number = float(value)
    # Values and changes are at most 10^12 and so exact as doubles whenever they are whole.
    return str(int(number)) if number.is_integer() else repr(number)


def _observation(item: Observation) -> str:
    text = f'{{"period": "{item.period}", "value": {_number(item.value)}'
    if item.flags:
        text += f', "flags": [{", ".join(_text(flag.meaning) for flag in item.flags)}]'
    if item.source:
        text += f', "source": {_text(item.source)}'
    if item.note:
        text += f', "note": {_text(item.note)}'
    return text + "}"


_CHANGE_UNIT = {Unit.PERCENT: "percentage points", Unit.COUNT: "count"}
_ENUM_TEXT = {member: member.value for enum in (Kind, Direction, Assessment) for member in enum}


def _comparison(item: Comparison) -> str:
    text = _ENUM_TEXT
    return (
        f'{{"kind": "{text[item.kind]}", "from": "{item.earlier.period}", '
        f'"to": "{item.later.period}", "from_value": {_number(item.earlier.value)}, '
        f'"to_value": {_number(item.later.value)}, "change": {_number(item.change)}, '
        f'"change_unit": "{_CHANGE_UNIT[item.unit]}", '
        f'"percent_change": {_float(item.percent_change)}, '
        f'"direction": "{text[item.direction]}", "assessment": "{text[item.assessment]}"}}'
    )


def _window(side, label: str) -> dict:
    result: dict = {
        "start": str(side.span.start),
        "end": str(side.span.end),
        "label": label,
        "value": to_json_number(side.value),
        "status": side.status.value,
    }
    if side.flags:
        result["flags"] = [flag.meaning for flag in side.flags]
    if side.missing:
        result["missing_months"] = [str(m) for m in side.missing]
    if side.numerator is not None:
        result["numerator"] = to_json_number(side.numerator)
        result["denominator"] = to_json_number(side.denominator)
    return result


def window_comparison(item, change_unit: str) -> dict:
    """A summary comparison: the same change fields as the report's, with both windows."""
    compared = item.comparison
    return {
        "kind": item.kind.value,
        "description": item.description,
        "from": _window(item.earlier, item.label(item.earlier)),
        "to": _window(item.current, item.label(item.current)),
        "from_value": to_json_number(item.earlier.value),
        "to_value": to_json_number(item.current.value),
        "change": to_json_number(compared.change) if compared else None,
        "change_unit": change_unit,
        "percent_change": to_json_number(compared.percent_change) if compared else None,
        "direction": compared.direction.value if compared else None,
        "assessment": compared.assessment.value if compared else None,
    }


def summary_document(summary) -> dict:
    figures = summary.figures
    metrics = []
    for metric_summary in summary.metrics:
        metric = metric_summary.metric
        change_unit = "percentage points" if metric.unit.value == "percent" else "count"
        comparisons = [window_comparison(c, change_unit) for c in metric_summary.comparisons]
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
                "comparisons": comparisons,
            }
        )
    return {
        "title": figures.title,
        "as_of": figures.as_of,
        "generator": f"gunstats {__version__}",
        "month": str(summary.month),
        "latest_month": str(summary.latest),
        "metrics_without_the_month": [m.id for m in summary.lacking],
        "metrics": metrics,
        "sources": [_without_none(source._asdict()) for source in figures.sources],
    }


def render_summary(summary, **_options) -> str:
    """The monthly summary (:class:`~gunstats.monthly.Summary`) as JSON."""
    import json

    return json.dumps(summary_document(summary), indent=2, ensure_ascii=False) + "\n"
