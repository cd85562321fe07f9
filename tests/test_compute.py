"""The compute layer on the seed figures, a zero base, missing years and every assessment."""

from decimal import Decimal
from fractions import Fraction

import pytest

from gunstats.compute import Assessment, Direction, Kind, assess, build_report
from gunstats.load import load_figures
from gunstats.model import Better
from gunstats.periods import FinancialYear

from .conftest import SHIPPED


@pytest.fixture(scope="module")
def seed_report():
    return build_report(load_figures(SHIPPED))


def exactly(computed: Decimal, true: Fraction) -> bool:
    """Equal to the true rational to 58 significant digits: far beyond any rounding a report
    can do, and enough to tell every tie apart (see gunstats.compute)."""
    return abs(Fraction(computed) - true) <= abs(true) * Fraction(1, 10**58)


def metric(report, metric_id):
    return next(m for m in report.metrics if m.metric.id == metric_id)


def test_seizures_year_on_year(seed_report):
    seized = metric(seed_report, "lethal_firearms_seized")
    first, second = seized.year_on_year
    assert (str(first.from_period), str(first.to_period)) == ("2019/20", "2020/21")
    assert first.change == 72
    assert exactly(first.percent_change, Fraction(72 * 100, 408))
    assert float(first.percent_change) == pytest.approx(17.647058823529413)
    assert second.change == 44
    assert exactly(second.percent_change, Fraction(44 * 100, 480))
    assert float(second.percent_change) == pytest.approx(9.166666666666666)
    assert seized.since_baseline.change == 116
    assert float(seized.since_baseline.percent_change) == pytest.approx(28.431372549019606)


def test_shootings_down_is_better_and_has_no_year_on_year_across_a_gap(seed_report):
    shootings = metric(seed_report, "shootings")
    assert shootings.year_on_year == ()
    since = shootings.since_baseline
    assert since.change == -87
    assert float(since.percent_change) == pytest.approx(-30.742049469964666)
    assert since.direction is Direction.DOWN
    assert since.assessment is Assessment.BETTER


def test_solved_rate_changes_by_percentage_points(seed_report):
    solved = metric(seed_report, "shootings_solved")
    since = solved.since_baseline
    assert since.change == 18  # percentage points, not per cent
    assert since.percent_change == 90  # the relative change, shown only labelled as such
    assert since.kind is Kind.SINCE_BASELINE


def test_zero_base_has_no_percent_change(synthetic):
    report = build_report(load_figures(synthetic))
    seized = metric(report, "seized")
    from_zero = seized.year_on_year[0]
    assert from_zero.change == 1234
    assert from_zero.percent_change is None
    flat = seized.year_on_year[1]
    assert flat.direction is Direction.FLAT and flat.assessment is Assessment.NO_CHANGE
    rate = metric(report, "rate")
    assert rate.year_on_year[1].percent_change is None  # 0% -> 0.125%
    assert rate.year_on_year[1].change == Decimal("0.125")


def test_baseline_and_range(synthetic):
    report = build_report(
        load_figures(synthetic), first=FinancialYear(2019), baseline=FinancialYear(2020)
    )
    seized = metric(report, "seized")
    assert [str(o.period) for o in seized.observations] == ["2019/20", "2020/21", "2021/22"]
    assert str(seized.since_baseline.from_period) == "2020/21"
    assert report.periods == (FinancialYear(2019), FinancialYear(2020), FinancialYear(2021))


def test_baseline_missing_for_a_metric_gives_no_comparison(seed_report):
    report = build_report(seed_report.figures, baseline=FinancialYear(2020))
    assert metric(report, "shootings").since_baseline is None
    assert metric(report, "lethal_firearms_seized").since_baseline.change == 44


def test_gap_years_are_columns(seed_report):
    assert [str(p) for p in seed_report.periods] == ["2019/20", "2020/21", "2021/22"]


@pytest.mark.parametrize(
    ("direction", "better", "expected"),
    [
        (Direction.UP, Better.UP, Assessment.BETTER),
        (Direction.DOWN, Better.UP, Assessment.WORSE),
        (Direction.DOWN, Better.DOWN, Assessment.BETTER),
        (Direction.UP, Better.DOWN, Assessment.WORSE),
        (Direction.UP, Better.NEITHER, Assessment.NEUTRAL),
        (Direction.FLAT, Better.DOWN, Assessment.NO_CHANGE),
    ],
)
def test_assessment_follows_meaning_not_sign(direction, better, expected):
    assert assess(direction, better) is expected
