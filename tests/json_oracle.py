"""An independent oracle for the JSON writer: the document built as plain dicts for json.dumps.

gunstats writes its JSON directly (gunstats.render.json) for speed; the tests hold that text
equal, once parsed, to ``json.dumps`` of this document, written separately and plainly.
"""

from __future__ import annotations

from gunstats import __version__
from gunstats.compute import Comparison, Report
from gunstats.model import Observation
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
        "significance": significance(item),
    }


def significance(item: Comparison) -> dict | None:
    tested = item.significance
    if tested is None:
        return None
    return {
        "test": tested.test,
        "p_value": tested.p_value,
        "confidence": tested.confidence,
        "significant": tested.significant,
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
