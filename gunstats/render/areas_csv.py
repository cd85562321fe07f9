"""``gunstats areas --format csv``: RFC 4180, the whole first, then one row per area.

Numbers at full precision; an empty cell where a figure does not exist, never 0. Beside the
JSON's fields, each row has its tests: the change's and the comparison with the rest's test,
p-value and whether it is significant.
"""

from __future__ import annotations

from decimal import Decimal

from gunstats.areas import WHOLE_NAME, AreaRow, AreaTable, Whole
from gunstats.model import Flag
from gunstats.numbers import to_json_number
from gunstats.render.options import DEFAULT, RenderOptions
from gunstats.significance import Significance

CSV_HEADER = (
    *("row", "metric", "period", "per", "area", "name", "value", "population"),
    *("population_period", "rate", "rank", "previous_period", "previous_value", "change"),
    *("percent_change", "change_test", "change_p_value", "change_significant"),
    "change_assessment",
    *("compared_with_rest", "rest_test", "rest_p_value", "rest_significant", "flags"),
)


def _cell(value: Decimal | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return repr(to_json_number(value))


def _test(test: Significance | None) -> list[str]:
    return (
        ["", "", ""] if test is None else [test.test, _cell(test.p_value), _cell(test.significant)]
    )


def _changes(row: AreaRow | Whole, previous: str) -> list[str]:
    return [
        *(previous, _cell(row.previous_value), _cell(row.change), _cell(row.percent_change)),
        *_test(row.change_test),
        "" if row.change_assessment is None else row.change_assessment.value,
    ]


def _flags(flags: tuple[Flag, ...]) -> str:
    """The value's flags by meaning, space-separated, as in the report's CSV."""
    return " ".join(flag.meaning for flag in flags)


def render(table: AreaTable, options: RenderOptions = DEFAULT) -> str:
    """RFC 4180: the whole first (``row`` = ``whole``), then one row per area."""
    import csv
    import io

    from gunstats.render.csv import formula_safe

    def text(value: str) -> str:  # text from the file: never a formula (see render/csv.py)
        return formula_safe(value, options.csv_raw)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    common = [text(table.metric.id), str(table.period), "" if table.per is None else table.per]
    previous = str(table.previous_period)
    whole = table.whole
    writer.writerow(
        [
            *("whole", *common, "", WHOLE_NAME, _cell(whole.value), _cell(whole.population)),
            *("", _cell(whole.rate), "", *_changes(whole, previous), "", "", "", ""),
            _flags(whole.flags),
        ]
    )
    for row in table.areas:
        comparison = row.compared_with_rest
        writer.writerow(
            [
                *("area", *common, text(row.id), text(row.name)),
                *(_cell(row.value), _cell(row.population)),
                *(row.population_period or "", _cell(row.rate), _cell(row.rank)),
                *_changes(row, previous),
                "" if comparison is None else comparison.value,
                *_test(row.rest_test),
                _flags(row.flags),
            ]
        )
    return buffer.getvalue()
