"""Monthly windows, rates from their parts, gaps and month/year consistency (gunstats.monthly).

Expected values are worked out by hand from examples/monthly.yaml (illustrative, not real
data) or from the small synthetic files written here.
"""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from gunstats.compute import Assessment, Direction, Kind
from gunstats.errors import FiguresError, StaleDataError
from gunstats.load import load_figures, parse_figures
from gunstats.monthly import build_summary, previous_calendar_month, resolve_month
from gunstats.monthly_windows import (
    Span,
    Status,
    aggregate,
    describe,
    financial_year_to_date,
    rolling_12_months,
    windows,
)
from gunstats.periods import Month
from gunstats.significance import (
    FISHER_EXACT,
    POISSON_E_TEST,
    Significance,
    fisher_exact_two_sided,
    poisson_e_test,
)
from gunstats.validate_months import consistency_warnings

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "monthly.yaml"


# -- windows ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "start"),
    [
        (Month(2023, 4), Month(2023, 4)),  # April: the financial year starts again
        (Month(2023, 3), Month(2022, 4)),  # March: the last month of the year
        (Month(2023, 1), Month(2022, 4)),  # January: across the calendar year end
        (Month(2022, 12), Month(2022, 4)),
        (Month(2022, 5), Month(2022, 4)),
    ],
)
def test_financial_year_to_date_starts_in_april(month, start):
    assert financial_year_to_date(month) == Span(start, month)


def test_financial_year_to_date_comparison_is_the_same_months_a_year_earlier():
    assert windows(Kind.FINANCIAL_YEAR_TO_DATE, Month(2023, 1)) == (
        Span(Month(2022, 4), Month(2023, 1)),
        Span(Month(2021, 4), Month(2022, 1)),
    )
    current, earlier = windows(Kind.FINANCIAL_YEAR_TO_DATE, Month(2023, 4))
    assert current.months() == (Month(2023, 4),)
    assert earlier.months() == (Month(2022, 4),)
    current, earlier = windows(Kind.FINANCIAL_YEAR_TO_DATE, Month(2023, 3))
    assert len(current.months()) == 12 and current.months()[0] == Month(2022, 4)
    assert earlier == Span(Month(2021, 4), Month(2022, 3))


@pytest.mark.parametrize(
    ("month", "start", "previous"),
    [
        (Month(2023, 1), Month(2022, 2), Span(Month(2021, 2), Month(2022, 1))),
        (Month(2023, 3), Month(2022, 4), Span(Month(2021, 4), Month(2022, 3))),
        (Month(2023, 4), Month(2022, 5), Span(Month(2021, 5), Month(2022, 4))),
        (Month(2022, 12), Month(2022, 1), Span(Month(2021, 1), Month(2021, 12))),
    ],
)
def test_rolling_12_months(month, start, previous):
    assert rolling_12_months(month) == Span(start, month)
    assert len(rolling_12_months(month).months()) == 12
    assert windows(Kind.ROLLING_12_MONTHS, month) == (Span(start, month), previous)


def test_single_month_comparisons_across_the_year_end():
    assert windows(Kind.PREVIOUS_MONTH, Month(2023, 1))[1] == Span(Month(2022, 12), Month(2022, 12))
    assert windows(Kind.SAME_MONTH_LAST_YEAR, Month(2023, 1))[1] == Span(
        Month(2022, 1), Month(2022, 1)
    )
    assert windows(Kind.PREVIOUS_MONTH, Month(2023, 4))[1].end == Month(2023, 3)


def test_every_comparison_names_both_periods():
    fytd = windows(Kind.FINANCIAL_YEAR_TO_DATE, Month(2023, 1))
    assert describe(Kind.FINANCIAL_YEAR_TO_DATE, *fytd) == (
        "April 2022 to January 2023 compared with April 2021 to January 2022"
    )
    june = windows(Kind.FINANCIAL_YEAR_TO_DATE, Month(2023, 6))
    assert describe(Kind.FINANCIAL_YEAR_TO_DATE, *june) == (
        "April to June 2023 compared with April to June 2022"
    )
    rolling = windows(Kind.ROLLING_12_MONTHS, Month(2023, 1))
    assert describe(Kind.ROLLING_12_MONTHS, *rolling) == (
        "year ending January 2023 compared with the year ending January 2022"
    )
    april = windows(Kind.FINANCIAL_YEAR_TO_DATE, Month(2023, 4))
    assert describe(Kind.FINANCIAL_YEAR_TO_DATE, *april) == "April 2023 compared with April 2022"
    previous = windows(Kind.PREVIOUS_MONTH, Month(2023, 1))
    assert describe(Kind.PREVIOUS_MONTH, *previous) == ("January 2023 compared with December 2022")


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (datetime.date(2023, 2, 1), Month(2023, 1)),
        (datetime.date(2023, 1, 31), Month(2022, 12)),  # across the calendar year end
        (datetime.date(2023, 4, 3), Month(2023, 3)),
        (datetime.date(2023, 5, 1), Month(2023, 4)),
    ],
)
def test_previous_calendar_month(today, month):
    assert previous_calendar_month(today) == month


# -- the example file, by hand ---------------------------------------------------------------


@pytest.fixture(scope="module")
def example():
    return load_figures(EXAMPLE)


def _by_kind(summary, metric_id):
    (metric,) = [m for m in summary.metrics if m.metric.id == metric_id]
    return {c.kind: c for c in metric.comparisons}


def test_example_is_labelled_illustrative(example):
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "NOT REAL" in text.splitlines()[0]
    assert "not real data" in example.title
    assert consistency_warnings(example) == ()


# Hand-computed from examples/monthly.yaml: sums of the months listed in each window.
EXAMPLE_2023_01 = {
    "shootings": {
        Kind.FINANCIAL_YEAR_TO_DATE: (156, 139),  # Apr 2022-Jan 2023, Apr 2021-Jan 2022
        Kind.ROLLING_12_MONTHS: (191, 159),  # Feb 2022-Jan 2023, Feb 2021-Jan 2022
        Kind.SAME_MONTH_LAST_YEAR: (17, 24),
        Kind.PREVIOUS_MONTH: (17, 22),
    },
    "lethal_firearms_seized": {
        Kind.FINANCIAL_YEAR_TO_DATE: (391, 423),
        Kind.ROLLING_12_MONTHS: (479, 500),
        Kind.SAME_MONTH_LAST_YEAR: (32, 32),
        Kind.PREVIOUS_MONTH: (32, 54),
    },
    "shootings_solved_count": {
        Kind.FINANCIAL_YEAR_TO_DATE: (50, 56),
        Kind.ROLLING_12_MONTHS: (64, 63),
        Kind.SAME_MONTH_LAST_YEAR: (8, 8),
        Kind.PREVIOUS_MONTH: (8, 8),
    },
}


@pytest.mark.parametrize("metric_id", sorted(EXAMPLE_2023_01))
def test_example_counts_for_january_2023(example, metric_id):
    comparisons = _by_kind(build_summary(example, Month(2023, 1)), metric_id)
    for kind, (now, before) in EXAMPLE_2023_01[metric_id].items():
        item = comparisons[kind]
        assert (item.current.value, item.earlier.value) == (now, before), kind
        assert item.comparison.change == now - before
        assert item.comparison.percent_change == Fraction(now - before, before) * 100


def test_example_changes_are_tested_over_the_days_of_each_window(example):
    comparisons = _by_kind(build_summary(example, Month(2023, 1)), "shootings")
    fytd = comparisons[Kind.FINANCIAL_YEAR_TO_DATE].comparison
    # April to January: 306 days in both years. Up 17 on 139 is within chance.
    assert fytd.significance.p_value == poisson_e_test(156, 306, 139, 306)
    assert (fytd.direction, fytd.assessment) == (Direction.UP, Assessment.NO_SIGNIFICANT_CHANGE)
    seized = _by_kind(build_summary(example, Month(2023, 1)), "lethal_firearms_seized")
    previous = seized[Kind.PREVIOUS_MONTH].comparison
    # 32 in January (31 days) against 54 in December (31 days): a real fall, and for
    # seizures (better: up) a fall is worse.
    assert previous.significance.p_value == poisson_e_test(32, 31, 54, 31)
    assert previous.significance.significant
    assert (previous.direction, previous.assessment) == (Direction.DOWN, Assessment.WORSE)


def test_a_month_is_tested_over_its_own_days(write_figures):
    path = write_figures(
        """\
        title: Synthetic months (not real data)
        metrics:
          shootings:
            label: Shootings
            unit: count
            better: down
            months: {2023-01: 60, 2023-02: 30}
        """
    )
    summary = build_summary(load_figures(path), Month(2023, 2), confidence=0.99)
    previous = _by_kind(summary, "shootings")[Kind.PREVIOUS_MONTH].comparison
    assert previous.significance == Significance(
        POISSON_E_TEST, poisson_e_test(30, 28, 60, 31), 0.99, True
    )
    assert previous.assessment is Assessment.BETTER  # fewer shootings, and not by chance


def test_example_rate_is_worked_out_from_the_summed_parts(example):
    comparisons = _by_kind(build_summary(example, Month(2023, 1)), "shootings_solved")
    fytd = comparisons[Kind.FINANCIAL_YEAR_TO_DATE]
    # 50 of 156 shootings solved against 56 of 139: 32.05% against 40.29%.
    assert fytd.current.value == Fraction(50, 156) * 100
    assert fytd.earlier.value == Fraction(56, 139) * 100
    assert (fytd.current.numerator, fytd.current.denominator) == (50, 156)
    assert fytd.comparison.change == Fraction(50, 156) * 100 - Fraction(56, 139) * 100
    rolling = comparisons[Kind.ROLLING_12_MONTHS]
    assert (rolling.current.value, rolling.earlier.value) == (
        Fraction(64, 191) * 100,
        Fraction(63, 159) * 100,
    )
    month = comparisons[Kind.SAME_MONTH_LAST_YEAR]
    assert (month.current.value, month.earlier.value) == (Fraction(800, 17), Fraction(100, 3))
    # Tested as two proportions on the summed counts: 50 of 156 against 56 of 139.
    tested = fytd.comparison.significance
    assert (tested.test, tested.p_value) == (FISHER_EXACT, fisher_exact_two_sided(50, 106, 56, 83))
    assert fytd.comparison.assessment is Assessment.NO_SIGNIFICANT_CHANGE


# -- rates, gaps and zeros on small synthetic files -------------------------------------------

RATES = """\
title: Synthetic rates (not real data)
metrics:
  solved:
    label: Solved
    unit: count
    better: up
    months: {2023-01: 1, 2023-02: 9, 2023-03: 0}
  cases:
    label: Cases
    unit: count
    better: down
    months: {2023-01: 10, 2023-02: 10, 2023-03: 0}
  solved_rate:
    label: Solved rate
    unit: percent
    better: up
    ratio_of: {numerator: solved, denominator: cases}
  published_rate:
    label: Published rate
    unit: percent
    better: up
    months: {2023-01: 10, 2023-02: 90}
"""


def test_rate_over_months_is_not_an_average_of_monthly_rates():
    figures = parse_figures(RATES)
    months = Span(Month(2023, 1), Month(2023, 2))
    rate = aggregate(figures, figures.metric("solved_rate"), months)
    assert rate.value == 50  # (1 + 9) / (10 + 10); the monthly rates 10% and 90% also average 50
    uneven = parse_figures(RATES.replace("2023-02: 10, 2023-03", "2023-02: 30, 2023-03"))
    rate = aggregate(uneven, uneven.metric("solved_rate"), months)
    assert rate.value == 25  # 10 / 40, not the average of 10% and 30%


def test_a_percentage_without_parts_has_no_value_over_several_months():
    figures = parse_figures(RATES)
    metric = figures.metric("published_rate")
    result = aggregate(figures, metric, Span(Month(2023, 1), Month(2023, 2)))
    assert (result.value, result.status) == (None, Status.NEEDS_PARTS)
    single = aggregate(figures, metric, Span(Month(2023, 2), Month(2023, 2)))
    assert single.value == 90


def test_a_rate_with_a_zero_denominator_has_no_value():
    figures = parse_figures(RATES)
    result = aggregate(figures, figures.metric("solved_rate"), Span(Month(2023, 3), Month(2023, 3)))
    assert (result.value, result.status) == (None, Status.ZERO_DENOMINATOR)
    assert (
        aggregate(figures, figures.metric("cases"), Span(Month(2023, 3), Month(2023, 3))).value == 0
    )


def test_a_missing_part_makes_the_rate_missing():
    figures = parse_figures(RATES.replace("months: {2023-01: 1, 2023-02: 9", "months: {2023-02: 9"))
    result = aggregate(figures, figures.metric("solved_rate"), Span(Month(2023, 1), Month(2023, 2)))
    assert (result.value, result.status, result.missing) == (
        None,
        Status.MISSING_MONTHS,
        (Month(2023, 1),),
    )


GAPPY = """\
title: Synthetic gaps (not real data)
metrics:
  shootings:
    label: Shootings
    unit: count
    better: down
    months: {2022-01: 5, 2022-02: 0, 2022-04: 7, 2023-01: 4, 2023-02: 6, 2023-04: 2}
"""


def test_a_window_with_a_gap_is_missing_not_a_partial_sum():
    figures = parse_figures(GAPPY)
    metric = figures.metric("shootings")
    window = aggregate(figures, metric, Span(Month(2022, 1), Month(2022, 4)))
    assert window.value is None  # 5 + 0 + 7 would look like a total; March is not known
    assert window.missing == (Month(2022, 3),)
    zero = aggregate(figures, metric, Span(Month(2022, 2), Month(2022, 2)))
    assert zero.value == 0 and zero.status is Status.AVAILABLE  # a true zero stays zero


def test_summary_across_gaps():
    figures = parse_figures(GAPPY)
    comparisons = _by_kind(build_summary(figures, Month(2023, 2)), "shootings")
    assert comparisons[Kind.SAME_MONTH_LAST_YEAR].comparison.change == 6  # 6 against 0
    assert comparisons[Kind.SAME_MONTH_LAST_YEAR].comparison.percent_change is None  # zero base
    assert comparisons[Kind.PREVIOUS_MONTH].comparison.change == 2
    assert comparisons[Kind.FINANCIAL_YEAR_TO_DATE].comparison is None
    assert comparisons[Kind.ROLLING_12_MONTHS].comparison is None


def test_gaps_are_warned_about():
    (notice,) = consistency_warnings(parse_figures(GAPPY, "gappy.yaml"))
    text = str(notice)
    assert text == (
        "gappy.yaml:7: warning: metrics.shootings.months: no value for 2022-03, 2022-05 to "
        "2022-12, 2023-03 (between 2022-01 and 2023-04); shown as [x] (not available), "
        "never as zero"
    )


# -- stale data ------------------------------------------------------------------------------


def test_resolve_month(example):
    today = datetime.date(2023, 2, 14)
    assert resolve_month(example, "latest", today) == Month(2023, 6)
    assert resolve_month(example, "previous", today) == Month(2023, 1)
    assert resolve_month(example, Month(2022, 4), today) == Month(2022, 4)


def test_a_month_beyond_the_data_names_the_latest_month(example):
    with pytest.raises(StaleDataError, match=r"no figures for July 2023 .*June 2023 \(2023-06\)"):
        resolve_month(example, "previous", datetime.date(2023, 8, 1))
    # Before the file's first month: say where the file starts, not where it ends.
    with pytest.raises(StaleDataError, match=r"the file starts in April 2020 \(2020-04\)$"):
        resolve_month(example, Month(2019, 1), datetime.date(2023, 8, 1))


def test_a_month_some_metrics_lack(example):
    summary = build_summary(example, Month(2023, 6))
    assert [m.id for m in summary.lacking] == ["lethal_firearms_seized"]
    comparisons = _by_kind(summary, "lethal_firearms_seized")
    assert all(c.comparison is None for c in comparisons.values())


# -- months against the year given -----------------------------------------------------------

YEARS = """\
title: Synthetic months and years (not real data)
metrics:
  cases:
    label: Cases
    unit: count
    better: down
    values: {{2021/22: {cases_year}}}
    months: {{2021-04: 1, 2021-05: 1, 2021-06: 1, 2021-07: 1, 2021-08: 1, 2021-09: 1,
              2021-10: 1, 2021-11: 1, 2021-12: 1, 2022-01: 1, 2022-02: 1, 2022-03: 1}}
  solved:
    label: Solved
    unit: count
    better: up
    months: {{2021-04: 1, 2021-05: 0, 2021-06: 0, 2021-07: 0, 2021-08: 0, 2021-09: 0,
              2021-10: 0, 2021-11: 0, 2021-12: 0, 2022-01: 0, 2022-02: 0, 2022-03: 0}}
  rate:
    label: Rate
    unit: percent
    better: up
    ratio_of: {{numerator: solved, denominator: cases}}
    values: {{2021/22: {rate_year}}}
"""


def test_months_that_agree_with_the_year_give_no_warning():
    # 1 of 12 is 8.333...%: published as 8 or 8.3, both agree once rounded as written.
    for rate in ("8", "8.3", "8.33"):
        assert (
            consistency_warnings(parse_figures(YEARS.format(cases_year=12, rate_year=rate))) == ()
        )


def test_months_that_disagree_with_the_year_are_warned_about():
    notices = consistency_warnings(
        parse_figures(YEARS.format(cases_year=13, rate_year=9), "years.yaml")
    )
    assert [str(n) for n in notices] == [
        "years.yaml:7: warning: metrics.cases.values.2021/22: the months April 2021 to March "
        "2022 add up to 12, but the year is given as 13",
        "years.yaml:21: warning: metrics.rate.values.2021/22: recomputed from the months of "
        "solved and cases, April 2021 to March 2022 is 8.3%, but the year is given as 9",
    ]


def test_an_incomplete_year_of_months_is_not_checked():
    text = YEARS.format(cases_year=99, rate_year=50).replace("2022-03: 1}", "2022-02: 1}", 1)
    text = text.replace("2022-02: 1, 2022-02: 1}", "2022-02: 1}")
    assert consistency_warnings(parse_figures(text)) == ()


# -- ratio_of in the loader ------------------------------------------------------------------


def _problems(text: str) -> list[str]:
    with pytest.raises(FiguresError) as caught:
        parse_figures(text, "f.yaml")
    return [str(p) for p in caught.value.problems]


RATIO_BASE = """\
title: Synthetic (not real data)
metrics:
  cases: {label: Cases, unit: count, better: down}
  solved: {label: Solved, unit: count, better: up}
  share: {label: Share, unit: percent, better: up}
"""


def test_ratio_of_is_read():
    figures = parse_figures(
        RATIO_BASE + "  rate:\n    label: Rate\n    unit: percent\n    better: up\n"
        "    ratio_of: {numerator: solved, denominator: cases}\n"
    )
    ratio = figures.metric("rate").ratio_of
    assert (ratio.numerator, ratio.denominator) == ("solved", "cases")


@pytest.mark.parametrize(
    ("ratio", "message"),
    [
        (
            "{numerator: solvd, denominator: cases}",
            "f.yaml:10:27: metrics.rate.ratio_of.numerator: no metric 'solvd' in this file; "
            "did you mean 'solved'?",
        ),
        (
            "{numerator: share, denominator: cases}",
            "f.yaml:10:27: metrics.rate.ratio_of.numerator: 'share' is a percent metric; the "
            "parts of a ratio must be count metrics",
        ),
        (
            "{numerator: rate, denominator: cases}",
            "f.yaml:10:27: metrics.rate.ratio_of.numerator: refers to 'rate' itself (a cycle)",
        ),
        (
            "{numerator: solved}",
            "f.yaml:10:15: metrics.rate.ratio_of.denominator: missing (expected the id of a count "
            "metric)",
        ),
        (
            "{numerator: solved, denominator: solved}",
            "f.yaml:10:48: metrics.rate.ratio_of.denominator: is the same metric as the numerator "
            "('solved')",
        ),
        (
            "{numerator: solved, denominator: cases, weight: 2}",
            "f.yaml:10:55: metrics.rate.ratio_of.weight: unknown key 'weight' (expected one of: "
            "numerator, denominator)",
        ),
    ],
)
def test_bad_ratio_of(ratio, message):
    text = RATIO_BASE + (
        f"  rate:\n    label: Rate\n    unit: percent\n    better: up\n    ratio_of: {ratio}\n"
    )
    assert _problems(text) == [message]


def test_a_ratio_of_a_ratio_is_refused():
    text = RATIO_BASE + (
        "  rate:\n    label: Rate\n    unit: percent\n    better: up\n"
        "    ratio_of: {numerator: solved, denominator: cases}\n"
        "  other:\n    label: Other\n    unit: percent\n    better: up\n"
        "    ratio_of: {numerator: rate, denominator: cases}\n"
    )
    (problem,) = _problems(text)
    assert "metrics.other.ratio_of.numerator: 'rate' is itself a ratio" in problem
    assert problem.startswith("f.yaml:15:27:")


def test_a_count_cannot_be_a_ratio_and_a_ratio_has_no_months_of_its_own():
    text = RATIO_BASE + (
        "  rate:\n    label: Rate\n    unit: count\n    better: up\n"
        "    ratio_of: {numerator: solved, denominator: cases}\n"
        "  other:\n    label: Other\n    unit: percent\n    better: up\n"
        "    ratio_of: {numerator: solved, denominator: cases}\n"
        "    months: {2023-01: 50}\n"
    )
    problems = _problems(text)
    assert problems[0] == (
        "f.yaml:10:5: metrics.rate.ratio_of: only a percent metric can be a ratio "
        "(this one is unit: count)"
    )
    assert problems[1].startswith("f.yaml:16:5: metrics.other.months: a ratio takes its monthly")


def test_a_provisional_month_makes_its_windows_provisional():
    from gunstats.model import Flag
    from gunstats.monthly import build_summary as summarise
    from gunstats.render.markdown import render_summary

    text = GAPPY.replace("2023-04: 2}", "2023-04: {value: 2, flags: [provisional]}}")
    figures = parse_figures(text)
    metric = figures.metric("shootings")
    april = aggregate(figures, metric, Span(Month(2023, 4), Month(2023, 4)))
    assert april.flags == (Flag.PROVISIONAL,)
    assert aggregate(figures, metric, Span(Month(2023, 1), Month(2023, 2))).flags == ()
    markdown = render_summary(summarise(figures, Month(2023, 4)))
    previous_month = markdown.split("## Previous month: April 2023 compared with March 2023")[1]
    assert "| Shootings | 2 \\[p\\] | \\[x\\] |" in previous_month
    assert "- \\[p\\] provisional" in markdown


def test_yearly_only_metrics_are_left_out_unless_asked_for():
    text = RATES + "  yearly:\n    label: Yearly\n    unit: count\n    better: up\n"
    text += "    values: {2022/23: 5}\n"
    figures = parse_figures(text)
    summary = build_summary(figures, Month(2023, 2))
    assert "yearly" not in [m.metric.id for m in summary.metrics]
    assert summary.lacking == ()
    asked = build_summary(figures, Month(2023, 2), ["yearly"])
    assert [m.id for m in asked.lacking] == ["yearly"]


# -- the reference date ----------------------------------------------------------------------


def test_reference_date_precedence():
    from gunstats.dates import reference_date

    epoch = {"SOURCE_DATE_EPOCH": "1675209600"}  # 2023-02-01T00:00:00Z
    assert reference_date("2023-05-01", epoch) == datetime.date(2023, 5, 1)
    assert reference_date(None, epoch) == datetime.date(2023, 2, 1)
    assert reference_date(None, {"SOURCE_DATE_EPOCH": "1675209599"}) == datetime.date(2023, 1, 31)


@pytest.mark.parametrize(
    ("option", "environ", "message"),
    [
        ("2023-02-30", {}, "not a real date"),
        ("1/2/2023", {}, "expected YYYY-MM-DD"),
        (None, {"SOURCE_DATE_EPOCH": "-5"}, "not a whole number"),
        (None, {"SOURCE_DATE_EPOCH": "9" * 30}, "out of range"),
    ],
)
def test_reference_date_errors(option, environ, message):
    from gunstats.dates import DateError, reference_date

    with pytest.raises(DateError, match=message):
        reference_date(option, environ)
