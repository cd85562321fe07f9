"""The compute layer on the seed figures, a zero base, missing years and every assessment."""

from decimal import Decimal
from fractions import Fraction

import pytest

from gunstats.compute import Assessment, Direction, Kind, assess, build_report
from gunstats.load import load_figures
from gunstats.model import Better
from gunstats.periods import FinancialYear
from gunstats.significance import (
    FISHER_EXACT,
    LARGEST_TESTED_COUNT,
    POISSON_E_TEST,
    Significance,
    fisher_exact_two_sided,
    poisson_e_test,
)

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


SIGNIFICANT = Significance(POISSON_E_TEST, 0.01, 0.95, True)
NOT_SIGNIFICANT = Significance(POISSON_E_TEST, 0.2, 0.95, False)


@pytest.mark.parametrize(
    ("direction", "better", "tested", "expected"),
    [
        (Direction.UP, Better.UP, SIGNIFICANT, Assessment.BETTER),
        (Direction.DOWN, Better.UP, SIGNIFICANT, Assessment.WORSE),
        (Direction.DOWN, Better.DOWN, SIGNIFICANT, Assessment.BETTER),
        (Direction.UP, Better.DOWN, SIGNIFICANT, Assessment.WORSE),
        (Direction.UP, Better.NEITHER, SIGNIFICANT, Assessment.NEUTRAL),
        (Direction.UP, Better.UP, NOT_SIGNIFICANT, Assessment.NO_SIGNIFICANT_CHANGE),
        (Direction.DOWN, Better.UP, NOT_SIGNIFICANT, Assessment.NO_SIGNIFICANT_CHANGE),
        (Direction.UP, Better.NEITHER, NOT_SIGNIFICANT, Assessment.NO_SIGNIFICANT_CHANGE),
        (Direction.UP, Better.UP, None, Assessment.BETTER_UNTESTED),
        (Direction.UP, Better.DOWN, None, Assessment.WORSE_UNTESTED),
        (Direction.DOWN, Better.NEITHER, None, Assessment.NEUTRAL),
        (Direction.FLAT, Better.DOWN, NOT_SIGNIFICANT, Assessment.NO_CHANGE),
        (Direction.FLAT, Better.UP, None, Assessment.NO_CHANGE),
    ],
)
def test_a_change_is_real_before_it_is_better(direction, better, tested, expected):
    assert assess(direction, better, tested) is expected


def comparison(report, metric_id, kind, earlier):
    found = metric(report, metric_id).comparisons
    return next(c for c in found if c.kind is kind and str(c.from_period) == earlier)


def test_seizures_up_44_is_no_significant_change(seed_report):
    up_44 = comparison(seed_report, "lethal_firearms_seized", Kind.YEAR_ON_YEAR, "2020/21")
    assert up_44.change == 44
    assert up_44.significance.test == POISSON_E_TEST
    assert up_44.significance.p_value == pytest.approx(0.1651, abs=5e-5)
    assert not up_44.significance.significant
    assert up_44.assessment is Assessment.NO_SIGNIFICANT_CHANGE
    up_72 = comparison(seed_report, "lethal_firearms_seized", Kind.YEAR_ON_YEAR, "2019/20")
    assert up_72.significance.significant and up_72.assessment is Assessment.BETTER


def test_shootings_since_baseline_is_tested_over_the_days_of_each_year(seed_report):
    since = metric(seed_report, "shootings").since_baseline
    # 2019/20 holds 29 February 2020: 366 days against 365.
    assert since.significance.p_value == poisson_e_test(196, 365, 283, 366)
    assert since.significance.significant
    assert since.significance.confidence == 0.95
    assert since.assessment is Assessment.BETTER


def test_a_percentage_without_its_counts_is_not_tested(seed_report):
    since = metric(seed_report, "shootings_solved").since_baseline
    assert since.significance is None
    assert since.assessment is Assessment.BETTER_UNTESTED


def test_the_confidence_level_decides_what_is_significant(seed_report):
    # 408 -> 480 has p = 0.014: significant at 95% and 98%, not at 99%.
    for confidence, expected in ((0.95, True), (0.98, True), (0.99, False)):
        report = build_report(seed_report.figures, confidence=confidence)
        up_72 = comparison(report, "lethal_firearms_seized", Kind.YEAR_ON_YEAR, "2019/20")
        assert report.confidence == confidence
        assert up_72.significance.confidence == confidence
        assert up_72.significance.significant is expected
        assert up_72.assessment is (
            Assessment.BETTER if expected else Assessment.NO_SIGNIFICANT_CHANGE
        )


def _year_of_months(start: int, total: int) -> str:
    """Twelve months of a financial year adding up to ``total``, as a flow mapping."""
    months = [f"{start}-{m:02d}" for m in range(4, 13)]
    months += [f"{start + 1}-{m:02d}" for m in (1, 2, 3)]
    values = [total // 12] * 12
    values[0] += total - sum(values)
    return "{" + ", ".join(f"{m}: {v}" for m, v in zip(months, values, strict=True)) + "}"


def _ratio_report(write_figures, rate: str, solved_in_months: int | None):
    """Synthetic figures: 20 of 100 solved in 2020/21 (yearly values), and in 2021/22 the
    shootings' months add up to 100 and the solved count's (if given) to ``solved_in_months``;
    the rate's 2021/22 value is written ``rate``."""
    solved_months = (
        f"    months: {_year_of_months(2021, solved_in_months)}\n"
        if solved_in_months is not None
        else ""
    )
    text = (
        "title: Synthetic ratio (not real data)\n"
        "metrics:\n"
        "  solved_count:\n"
        "    label: Solved\n    unit: count\n    better: up\n"
        "    values: {2020/21: 20}\n"
        f"{solved_months}"
        "  shootings:\n"
        "    label: Shootings\n    unit: count\n    better: down\n"
        "    values: {2020/21: 100}\n"
        f"    months: {_year_of_months(2021, 100)}\n"
        "  solved:\n"
        "    label: Solved rate\n    unit: percent\n    better: up\n"
        "    ratio_of: {numerator: solved_count, denominator: shootings}\n"
        f"    values: {{2020/21: 20, 2021/22: {rate}}}\n"
    )
    return build_report(load_figures(write_figures(text)))


def test_a_ratio_is_tested_on_its_counts_from_yearly_values_and_months(write_figures):
    # 2020/21 from the parts' yearly values (20 of 100), 2021/22 from their months (38 of 100).
    report = _ratio_report(write_figures, "38", solved_in_months=38)
    since = metric(report, "solved").since_baseline
    assert since.significance.test == FISHER_EXACT
    assert since.significance.p_value == fisher_exact_two_sided(38, 62, 20, 80)
    assert since.significance.significant and since.assessment is Assessment.BETTER


def test_a_ratio_whose_counts_do_not_give_its_percentage_is_not_tested(write_figures):
    # The months give 30 of 100 = 30%, but the year says 38%: they are not its counts.
    report = _ratio_report(write_figures, "38", solved_in_months=30)
    since = metric(report, "solved").since_baseline
    assert since.significance is None
    assert since.assessment is Assessment.BETTER_UNTESTED


def test_a_ratio_matches_its_counts_as_rounded_when_written(write_figures):
    # 38 of 100 is 38%: written "38.0" it matches (to one place); "37.7" does not.
    assert metric(_ratio_report(write_figures, "38.0", 38), "solved").since_baseline.significance
    report = _ratio_report(write_figures, "37.7", 38)
    assert metric(report, "solved").since_baseline.significance is None


def test_a_ratio_without_a_years_counts_is_not_tested(write_figures):
    report = _ratio_report(write_figures, "38", solved_in_months=None)  # no 2021/22 solved count
    assert metric(report, "solved").since_baseline.significance is None


def test_counts_over_a_million_are_not_tested(write_figures):
    text = SYNTHETIC_BIG.format(big=LARGEST_TESTED_COUNT + 1)
    report = build_report(load_figures(write_figures(text)))
    (change,) = metric(report, "big").year_on_year
    assert change.significance is None and change.assessment is Assessment.BETTER_UNTESTED
    (change,) = metric(report, "million").year_on_year
    assert change.significance is not None  # a million itself is tested


SYNTHETIC_BIG = """\
title: Synthetic large counts (not real data)
metrics:
  big:
    label: Big
    unit: count
    better: up
    values: {{2020/21: 1000000, 2021/22: {big}}}
  million:
    label: A million
    unit: count
    better: up
    values: {{2020/21: 999000, 2021/22: 1000000}}
"""
