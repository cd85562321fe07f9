"""``gunstats areas --format json``: the contract of issue 12, field for field, and two more.

Full precision (integers stay integers, rates are the nearest double to the exact value),
``null`` where a figure does not exist, never 0. Beside the contract's fields, each area
carries its tests: ``change_significance`` (the change on the previous period), judged in
``change_assessment`` as the report judges a change (``better``, ``worse``, ``no significant
change``...), and ``rest_significance`` (the test behind ``compared_with_rest``); the whole
carries its own change after the contract's fields. The README documents it.
"""

from __future__ import annotations

from gunstats.areas import AreaRow, AreaTable
from gunstats.compute import Assessment
from gunstats.model import Flag
from gunstats.numbers import to_json_number
from gunstats.render.options import DEFAULT, RenderOptions
from gunstats.significance import Significance


def document(table: AreaTable) -> dict[str, object]:
    metric = table.metric
    whole = table.whole
    return {
        "title": table.figures.title,
        "metric": {
            "id": metric.id,
            "label": metric.label,
            "unit": metric.unit.value,
            "better": metric.better.value,
        },
        "period": str(table.period),
        "per": table.per,
        "whole": _flagged(
            {
                "value": to_json_number(whole.value),
                "population": whole.population,
                "rate": to_json_number(whole.rate),
                "previous_value": to_json_number(whole.previous_value),
                "change": to_json_number(whole.change),
                "percent_change": to_json_number(whole.percent_change),
                "change_assessment": _assessment(whole.change_assessment),
                "change_significance": significance(whole.change_test),
            },
            whole.flags,
        ),
        "areas": [area_document(row) for row in table.areas],
    }


def significance(test: Significance | None) -> dict[str, object] | None:
    """A test's outcome: its name, p-value, confidence level and whether it is significant."""
    return None if test is None else test._asdict()


def _flagged(document: dict[str, object], flags: tuple[Flag, ...]) -> dict[str, object]:
    """``flags`` after ``value``'s fields, as in the report's JSON: only where there are any
    (provisional, or low reliability: a rate over 100%)."""
    if flags:
        document["flags"] = [flag.meaning for flag in flags]
    return document


def _assessment(assessment: Assessment | None) -> str | None:
    return None if assessment is None else assessment.value


def area_document(row: AreaRow) -> dict[str, object]:
    comparison = row.compared_with_rest
    return _flagged(
        {
            "id": row.id,
            "name": row.name,
            "value": to_json_number(row.value),
            "population": row.population,
            "population_period": row.population_period,
            "rate": to_json_number(row.rate),
            "rank": row.rank,
            "previous_period": str(row.previous_period),
            "previous_value": to_json_number(row.previous_value),
            "change": to_json_number(row.change),
            "percent_change": to_json_number(row.percent_change),
            "compared_with_rest": None if comparison is None else comparison.value,
            "change_assessment": _assessment(row.change_assessment),
            "change_significance": significance(row.change_test),
            "rest_significance": significance(row.rest_test),
        },
        row.flags,
    )


def render(table: AreaTable, options: RenderOptions = DEFAULT) -> str:
    """The document with each area on a line of its own: readable, and diffable by area."""
    import json

    data = document(table)
    areas = data.pop("areas")
    assert isinstance(areas, list)
    head = json.dumps(data, indent=2, ensure_ascii=False)
    inner = ",\n".join("    " + json.dumps(area, ensure_ascii=False) for area in areas)
    body = f'  "areas": [\n{inner}\n  ]' if areas else '  "areas": []'
    return head[: -len("\n}")] + ",\n" + body + "\n}\n"
