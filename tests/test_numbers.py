"""docs/conventions.md C2, C3 and C20: round once, half away from zero, on the exact value;
a table cell that would read 0 for a value that is not zero is ``[low]``."""

from decimal import Decimal

import pytest

from gunstats.compute import percent_change
from gunstats.model import Unit
from gunstats.numbers import (
    format_change,
    format_number,
    format_percent_change,
    format_signed,
    format_value,
    round_half_away,
    to_json_number,
)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("0.125"), 2, "0.13"),  # float 0.125 is exact, but round() would give 0.12
        (Decimal("2.5"), 0, "3"),  # banker's rounding would give 2
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("1.005"), 2, "1.01"),  # the binary float 1.005 is below 1.005
        (percent_change(Decimal(800), Decimal(801)), 2, "0.13"),  # exactly 0.125
        (percent_change(Decimal(800), Decimal(799)), 2, "-0.13"),
        (percent_change(Decimal(480), Decimal(524)), 1, "9.2"),
        (percent_change(Decimal(300), Decimal(302)), 0, "1"),  # 0.666...
        (percent_change(Decimal(8), Decimal("8.2")), 1, "2.5"),  # no float artefact survives
    ],
)
def test_half_away_from_zero(value, places, expected):
    assert str(round_half_away(value, places)) == expected


def test_thousands_separator_and_no_negative_zero():
    assert format_number(Decimal(1234567), 0) == "1,234,567"
    assert format_number(Decimal("-0.01"), 1) == "0.0"
    assert format_signed(Decimal("-0.01"), 1) == "0.0"


def test_signs():
    assert format_signed(Decimal(44)) == "+44"
    assert format_signed(Decimal(-87)) == "-87"
    assert format_signed(Decimal(0)) == "0"


def test_percentage_changes_are_points_and_counts_are_whole():
    assert format_change(Decimal(18), Unit.PERCENT, 1) == "+18.0 pp"
    assert format_change(Decimal(44), Unit.COUNT, 1) == "+44"


def test_no_percent_change_from_zero_is_marked_not_applicable():
    assert format_percent_change(None, 1) == "[z]"


def test_machine_numbers_keep_full_precision():
    assert to_json_number(percent_change(Decimal(480), Decimal(524))) == 4400 / 480
    assert to_json_number(Decimal("37.5")) == 37.5
    assert isinstance(to_json_number(Decimal(524)), int)
    assert to_json_number(None) is None


def test_table_cells_never_show_zero_for_a_value_that_is_not_zero():
    assert format_value(Decimal("0.04"), Unit.PERCENT, 1) == "[low]"
    assert format_value(Decimal("0.05"), Unit.PERCENT, 1) == "0.1"
    assert format_value(Decimal(0), Unit.PERCENT, 1) == "0.0"  # a true zero
    assert format_change(Decimal("-0.04"), Unit.PERCENT, 1) == "[low]"  # not "0.0 pp"
    assert format_change(Decimal(0), Unit.PERCENT, 1) == "0.0 pp"
    assert format_change(Decimal(18), Unit.PERCENT, 1, points="") == "+18.0"
    assert format_percent_change(Decimal("0.004"), 2) == "[low]"
    assert format_percent_change(Decimal("0.005"), 2) == "+0.01"
