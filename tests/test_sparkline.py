"""The terminal trend column: bars from zero, blanks for years not published, ASCII fallback."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gunstats.compute import build_report
from gunstats.load import load_figures, parse_figures
from gunstats.render import renderer
from gunstats.render.options import RenderOptions
from gunstats.sparkline import sparkline

from .conftest import SHIPPED


@pytest.mark.parametrize(
    ("values", "unicode", "ascii"),
    [
        ([Decimal(408), Decimal(480), Decimal(524)], "▆▇█", "-''"),  # seized: rising
        ([Decimal(283), None, Decimal(196)], "█ ▆", "' -"),  # shootings: a fall of a third
        ([Decimal(20), None, Decimal(38)], "▅ █", "- '"),  # solved (%)
        ([0, 7], "▁█", "_'"),  # zero is the lowest bar, not a gap
        ([None, 0, 0], " ▁▁", " __"),  # all zero: no division by zero
        ([5, 5, 5], "███", "'''"),  # flat is flat, at the top, not noise
        ([None, None], "  ", "  "),
        ([], "", ""),
        ([Decimal("12.5"), Decimal("0.125")], "█▁", "'_"),
        ([1, 2, 3, 4, 5, 6, 7, 8], "▂▃▄▅▅▆▇█", "_..---''"),
    ],
)
def test_known_inputs(values, unicode, ascii):
    assert sparkline(values) == unicode
    assert sparkline(values, ascii_only=True) == ascii


def test_half_steps_round_up_exactly():
    # 1/2 of the top on 7 steps is 3.5: exact arithmetic rounds it up to the fifth bar.
    assert sparkline([1, 2]) == "▅█"


def table(figures, **options):
    return renderer("table")(build_report(figures), RenderOptions(**options))


def test_trend_column_in_the_values_table_only():
    text = table(load_figures(SHIPPED))
    values_table = text.split("Change on the previous year")[0]
    assert "Trend" in values_table
    assert "Shootings                █ ▆ " in values_table  # the gap is beside the label
    assert text.count("Trend") == 2  # the heading, and the key that explains it
    assert "a blank is a year not published" in text


def test_trend_is_ascii_where_the_output_cannot_take_unicode():
    text = table(load_figures(SHIPPED), ascii_only=True)
    text.encode("ascii")
    assert "| ' -   |" in text
    assert "?" not in text  # no block character was replaced by a question mark


def test_no_trend_in_markdown_csv_or_json():
    report = build_report(load_figures(SHIPPED))
    for fmt in ("markdown", "csv", "json"):
        text = renderer(fmt)(report)
        assert "Trend" not in text and "█" not in text, fmt


def synthetic_years(count: int):
    years = "".join(
        f"      {y}/{(y + 1) % 100:02d}: {y - 1990}\n" for y in range(2022 - count, 2022)
    )
    return parse_figures(
        "title: Synthetic (not real data)\nmetrics:\n  a:\n    label: Lethal firearms seized\n"
        "    unit: count\n    better: up\n    values:\n" + years
    )


def test_trend_shown_while_it_fits_80_columns():
    text = table(synthetic_years(5), width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "Lethal firearms seized   ▇▇███" in text


def test_trend_gives_way_before_the_labels_do():
    # Seven years and a trend cannot fit 80 columns without squeezing the labels away.
    text = table(synthetic_years(7), width=80)
    assert "Trend" not in text and "█" not in text
    assert "Lethal" in text.split("Change on the previous year")[0]
