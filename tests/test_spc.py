"""XmR charts: hand-worked examples of the limits and of each rule, firing and not firing.

The series are synthetic, made up for the tests. Each example's arithmetic is written out
beside it, so that a reader can check the expected limits without running anything.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from gunstats.periods import Month
from gunstats.spc import (
    HIGH,
    LOW,
    NO_VALUE,
    NORMAL,
    OUTSIDE_LIMITS,
    SHIFT,
    SIGNAL,
    TREND,
    TWO_OF_THREE,
    NoProcessChart,
    ProcessChart,
    Signal,
    xmr_chart,
)

END = Month(2023, 12)


def chart(values, percent=False):
    """The chart of ``values`` (None for a missing month), one a month, ending with END."""
    first = END.shift(1 - len(values))
    series = [(first.shift(i), value) for i, value in enumerate(values)]
    result = xmr_chart(series, END, months=len(values), percent=percent)
    assert isinstance(result, ProcessChart), result
    return result


def month(n: int, length: int) -> Month:
    """The n-th month (from 1) of a window of ``length`` months ending with END."""
    return END.shift(n - length)


def rules(result: ProcessChart) -> list[tuple[str, str, list[int]]]:
    """Each signal as (rule, direction, the months' positions in the window from 1)."""
    length = len(result.points)
    position = {month(n, length): n for n in range(1, length + 1)}
    return [(s.rule, s.direction, [position[m] for m in s.months]) for s in result.signals]


ALTERNATING = [10, 12] * 12  # centre 11, every moving range 2


# --------------------------------------------------------------------------- limits


def test_centre_and_limits():
    result = chart(ALTERNATING)
    # centre (10 + 12) / 2 = 11; mean moving range 2; limits 11 +- 2.66 x 2 = 11 +- 5.32
    assert result.centre == 11
    assert result.mean_moving_range == 2
    assert result.upper == Fraction("16.32")
    assert result.lower == Fraction("5.68")
    assert result.start == Month(2022, 1) and result.end == END
    assert len(result.points) == 24
    assert result.signals == ()  # alternating points never make a run of 7
    assert result.latest_status == NORMAL


def test_values_are_exact():
    # Decimal percentages: the mean of 0.1 and 0.3 is 0.2 exactly, not 0.19999999999999998
    result = chart([Decimal("0.1"), Decimal("0.3")] * 6, percent=True)
    assert result.centre == Fraction(1, 5)
    assert result.upper == Fraction(1, 5) + Fraction("2.66") * Fraction(1, 5)


def test_the_lower_limit_is_not_below_zero():
    # centre 2.5, mean moving range 5: 2.5 - 13.3 would be -10.8
    result = chart([0, 5] * 6)
    assert result.lower == 0
    assert result.upper == Fraction("15.8")


def test_a_percentage_limit_is_not_above_100():
    # centre 95, mean moving range 10: 95 + 26.6 would be 121.6
    assert chart([90, 100] * 6, percent=True).upper == 100
    assert chart([90, 100] * 6, percent=False).upper == Fraction("121.6")
    assert chart([90, 100] * 6, percent=True).lower == Fraction("68.4")


def test_moving_ranges_skip_months_next_to_a_gap():
    # 13 months, the 7th missing: ranges 2 between neighbours, none across the gap
    values = [10, 12, 10, 12, 10, 12, None, 40, 42, 40, 42, 40, 42]
    result = chart(values)
    # ten ranges of 2, five each side of the gap, and none across it (12 to 40 would be
    # a range of 28), so the mean moving range is 2
    assert result.mean_moving_range == 2
    assert result.centre == Fraction(10 + 12 + 10 + 12 + 10 + 12 + 40 + 42 + 40 + 42 + 40 + 42, 12)
    assert result.points[6] == (month(7, 13), None)


def test_months_outside_the_window_are_ignored():
    first = END.shift(-29)
    series = [(first.shift(i), 1000 if i < 6 else ALTERNATING[i - 6]) for i in range(30)]
    result = xmr_chart(series, END)
    assert result.start == END.shift(-23)
    assert result.centre == 11


# --------------------------------------------------------------------------- outside limits


def test_a_point_beyond_the_upper_limit():
    # sum 8x6 + 16x5 + 50 = 178, centre 14.83 (the 8s below it, the 16s above); ranges 8
    # (x10) and 42: mean 122/11; upper 14.83 + 2.66 x 11.09 = 44.33, below which 50 is not
    result = chart([8, 16] * 5 + [8, 50])
    assert result.upper == Fraction(178, 12) + Fraction("2.66") * Fraction(122, 11)
    assert rules(result) == [(OUTSIDE_LIMITS, HIGH, [12])]
    assert result.latest_status == SIGNAL
    assert result.signals_at(month(12, 12)) == result.signals


def test_a_high_point_within_the_limits_is_no_signal():
    # sum 136, centre 11.33; ranges 2 (x10) and 6: mean 26/11; upper 17.62; 16 is below
    # it, and alone in the outer third (beyond 11.33 + 2/3 x 6.29 = 15.52)
    result = chart([10, 12] * 5 + [10, 16])
    assert result.signals == ()
    assert result.latest_status == NORMAL


def test_a_point_beyond_the_lower_limit():
    # sum 46x6 + 52x5 + 20 = 556, centre 46.33 (the 46s below it, the 52s above); ranges
    # 6 (x10) and 26: mean 86/11; lower 46.33 - 2.66 x 7.82 = 25.54, above which 20 is not
    result = chart([46, 52] * 5 + [46, 20])
    assert rules(result) == [(OUTSIDE_LIMITS, LOW, [12])]


# --------------------------------------------------------------------------- shift

# 12 months: 5 below the mean, then 12, 16, 12, X, 12, 16, 12
SHIFT_BASE = [7, 10, 7, 10, 7, 12, 16, 12, None, 12, 16, 12]


def with_ninth(value):
    values = list(SHIFT_BASE)
    values[8] = value
    return values


def test_seven_points_above_the_mean_are_a_shift():
    # X = 12: sum 133, centre 11.08; months 6 to 12 are all above it. Ranges 3, 3, 3, 3, 5,
    # 4, 4, 0, 0, 4, 4: mean 3, so the limits (3.10, 19.06) and the outer third (beyond
    # 16.40 or below 5.76) hold no point.
    result = chart(with_ninth(12))
    assert rules(result) == [(SHIFT, HIGH, [6, 7, 8, 9, 10, 11, 12])]
    assert result.latest_status == SIGNAL


def test_a_point_on_the_mean_breaks_a_shift():
    # X = 11: sum 132, centre exactly 11, so month 9 is on the mean: runs of 3 and 3
    result = chart(with_ninth(11))
    assert result.centre == 11
    assert result.signals == ()


def test_a_missing_month_breaks_a_shift():
    # 13 months, the gap where X was: runs of 3 and 3 (the missing month might have been
    # below the mean)
    result = chart([7, *with_ninth(None)])
    assert result.signals == ()


def test_six_points_on_one_side_are_no_shift():
    # sum 126, centre 10.5: months 7 to 12 above it, month 6 (9) below
    result = chart([6, 9, 6, 9, 6, 9, 15, 12, 15, 12, 15, 12])
    assert result.signals == ()


def test_seven_points_below_the_mean_are_a_low_shift():
    # the shift example upside down around 20: 40 - value
    result = chart([40 - v for v in with_ninth(12)])
    assert rules(result) == [(SHIFT, LOW, [6, 7, 8, 9, 10, 11, 12])]


# --------------------------------------------------------------------------- trend


def test_seven_points_each_higher_than_the_last_are_a_trend():
    # 9, 10, ..., 15 in months 6 to 12: six rises in a row, seven points. Centre 146/12 =
    # 12.17; ranges 4, 4, 4, 4, 5, then 1 (x6): mean 27/11; limits 5.64 and 18.70; no run of
    # 7 on one side, nothing in the outer third (beyond 16.52 or below 7.81).
    result = chart([14, 10, 14, 10, 14, 9, 10, 11, 12, 13, 14, 15])
    assert rules(result) == [(TREND, HIGH, [6, 7, 8, 9, 10, 11, 12])]


def test_six_points_rising_are_no_trend():
    # 10, 11, ..., 15 in months 7 to 12: five rises, six points
    result = chart([10, 14, 10, 14, 10, 14, 10, 11, 12, 13, 14, 15])
    assert result.signals == ()


def test_an_equal_value_breaks_a_trend():
    result = chart([14, 10, 14, 10, 14, 9, 10, 11, 11, 13, 14, 15])
    assert result.signals == ()


def test_a_missing_month_breaks_a_trend():
    result = chart([14, 14, 10, 14, 10, 14, 9, 10, 11, None, 13, 14, 15])
    assert result.signals == ()


def test_seven_points_each_lower_are_a_falling_trend():
    # 15, 14, ..., 9 in months 6 to 12; centre 142/12; limits 5.30 and 18.36
    result = chart([10, 14, 10, 14, 10, 15, 14, 13, 12, 11, 10, 9])
    assert rules(result) == [(TREND, LOW, [6, 7, 8, 9, 10, 11, 12])]


# --------------------------------------------------------------------------- two of three

BASELINE = [10, 12] * 11  # 22 months, centre near 11, moving range 2


def test_two_of_three_in_the_outer_third():
    # sum 242 + 32 = 274, centre 11.42; ranges 2 (x21), 4, 0: mean 46/23 = 2; spread 5.32,
    # so upper 16.74 and the outer third starts at 11.42 + 3.55 = 14.96: both 16s
    result = chart([*BASELINE, 16, 16])
    assert rules(result) == [(TWO_OF_THREE, HIGH, [23, 24])]


def test_the_third_point_may_lie_anywhere():
    # 16, 11, 16 after 21 baseline months (ending 10): sum 273, centre 11.375; ranges 2
    # (x20), 6, 5, 5: mean 56/23; spread 6.48, upper 17.85, outer third beyond 15.69
    result = chart([*BASELINE[:21], 16, 11, 16])
    assert rules(result) == [(TWO_OF_THREE, HIGH, [22, 24])]


def test_the_third_month_may_be_missing():
    # 16, gap, 16: 23 values, sum 262, centre 11.39; ranges 2 (x20) and 6: mean 46/21;
    # spread 5.83, outer third beyond 15.28
    result = chart([*BASELINE[:21], 16, None, 16])
    assert rules(result) == [(TWO_OF_THREE, HIGH, [22, 24])]


def test_one_point_of_three_in_the_outer_third_is_no_signal():
    result = chart([*BASELINE, 12, 16][-24:])
    assert [s for s in result.signals if s.rule == TWO_OF_THREE] == []


def test_a_point_beyond_the_limit_is_not_in_the_outer_third():
    # 9, 13 (x11), then 24 and 40: sum 306, centre 12.75; ranges 4 (x21), 11, 16: mean
    # 111/23; upper 25.59, outer third beyond 21.31. 40 is outside the limits, so only 24
    # is in the outer third: no two_of_three.
    result = chart([*[9, 13] * 11, 24, 40])
    assert rules(result) == [(OUTSIDE_LIMITS, HIGH, [24])]


def test_two_of_three_low():
    # around 21: sum 462 + 32 = 494, centre 20.58; ranges 2 (x21), 6, 0: mean 48/23;
    # lower 15.03, outer third below 16.88: both 16s
    result = chart([*[20, 22] * 11, 16, 16])
    assert rules(result) == [(TWO_OF_THREE, LOW, [23, 24])]


def test_overlapping_windows_are_one_signal():
    result = chart([*BASELINE[:21], 16, 16, 16])
    assert [s for s in result.signals if s.rule == TWO_OF_THREE] == [
        Signal(TWO_OF_THREE, HIGH, (month(22, 24), month(23, 24), month(24, 24)))
    ]


# --------------------------------------------------------------------------- no chart


def test_fewer_than_12_values_give_no_chart_and_say_why():
    values = [None] * 13 + [10] * 11
    first = END.shift(-23)
    result = xmr_chart([(first.shift(i), v) for i, v in enumerate(values)], END)
    assert result == NoProcessChart(
        Month(2022, 1),
        END,
        11,
        "only 11 of the 24 months from January 2022 to December 2023 have a value; "
        "an XmR chart needs at least 12",
    )


def test_no_consecutive_values_give_no_chart():
    first = END.shift(-23)
    result = xmr_chart([(first.shift(i), 10) for i in range(0, 24, 2)], END)
    assert isinstance(result, NoProcessChart)
    assert result.values == 12
    assert "no two consecutive months" in result.reason


def test_an_empty_series_gives_no_chart():
    assert xmr_chart([], END).values == 0


def test_the_window_must_be_at_least_12_months():
    with pytest.raises(ValueError, match="at least 12 months"):
        xmr_chart([], END, months=11)


def test_a_month_given_twice_is_an_error():
    with pytest.raises(ValueError, match="2023-12 appears twice"):
        xmr_chart([(END, 1), (END, 2)], END)


def test_the_latest_month_may_have_no_value():
    result = chart([*ALTERNATING[:12], None])
    assert result.latest_status == NO_VALUE
