"""``gunstats areas --format csv``: RFC 4180, the whole first, then one row per area.

Numbers at full precision; an empty cell where a figure does not exist, never 0. Beside the
JSON's fields, each area's row has the test's p-value.
"""

from __future__ import annotations

from gunstats.areas import WHOLE_NAME, AreaTable
from gunstats.numbers import to_json_number

CSV_HEADER = (
    "row",
    "metric",
    "period",
    "per",
    "area",
    "name",
    "value",
    "population",
    "population_period",
    "rate",
    "rank",
    "previous_period",
    "previous_value",
    "change",
    "percent_change",
    "compared_with_rest",
    "p_value",
)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return repr(value)
    number = to_json_number(value)
    return repr(number)


def render(table: AreaTable) -> str:
    """RFC 4180: the whole first (``row`` = ``whole``), then one row per area."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    common = [table.metric.id, str(table.period), "" if table.per is None else table.per]
    whole = table.whole
    blank = [""] * 7
    writer.writerow(
        [
            *("whole", *common, "", WHOLE_NAME),
            *(_cell(whole.value), _cell(whole.population), "", _cell(whole.rate), *blank),
        ]
    )
    for row in table.areas:
        comparison = row.compared_with_rest
        writer.writerow(
            [
                *("area", *common, row.id, row.name, _cell(row.value), _cell(row.population)),
                *(row.population_period or "", _cell(row.rate), _cell(row.rank)),
                *(str(row.previous_period), _cell(row.previous_value), _cell(row.change)),
                _cell(row.percent_change),
                "" if comparison is None else comparison.value,
                _cell(row.p_value),
            ]
        )
    return buffer.getvalue()
