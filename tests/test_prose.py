"""Key points: the sentences a briefing quotes, checked word for word and number for number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gunstats.compute import build_report
from gunstats.load import load_figures, parse_figures
from gunstats.model import Flag
from gunstats.prose import (
    PeriodStyle,
    key_points,
    long_date,
    name_periods,
    provenance,
    table_span,
)

from .conftest import ROOT, SHIPPED, SYNTHETIC

BRIEFING = ROOT / "tests" / "data" / "briefing.yaml"

# What the test of each change found, said after the change (never "better" for noise).
SIGNIFICANT = ", which is a statistically significant change"
NOT_SIGNIFICANT = ", which is not a statistically significant change"
UNTESTED = (
    ", which cannot be tested for statistical significance without the counts behind the "
    "percentages"
)


def points(figures, style=PeriodStyle.COMPACT, **build):
    return key_points(build_report(figures, **build), style=style)


def one(yaml_text: str, **build) -> str:
    (point,) = points(parse_figures(yaml_text), **build)
    return point


def test_shipped_figures_say_what_the_seed_statement_says():
    assert points(load_figures(SHIPPED)) == (
        "Lethal firearms seized: 524 in 2021/22, up 44 (9.2%) from 480 in 2020/21, which is "
        "not a statistically significant change, and up 116 (28.4%) from 408 in 2019/20, "
        "which is a statistically significant change",
        "Shootings: 196 in 2021/22, down 87 (30.7%) from 283 in 2019/20, which is a "
        "statistically significant change, with 2020/21 not published",
        "Shootings solved: 38% in 2021/22, up 18 percentage points from 20% in 2019/20, which "
        "cannot be tested for statistical significance without the counts behind the "
        "percentages, with 2020/21 not published",
    )


def test_rates_change_by_percentage_points_never_per_cent():
    text = " ".join(points(load_figures(SHIPPED)))
    assert "90" not in text  # the relative change of a rate is never the headline
    assert "per cent" not in text


def metric(values: str, unit: str = "count", better: str = "up", extra: str = "") -> str:
    return (
        "title: Synthetic (not real data)\nmetrics:\n  m:\n    label: Things\n"
        f"    unit: {unit}\n    better: {better}\n{extra}    values: {{{values}}}\n"
    )


def test_zero_base_has_no_percentage():
    assert one(metric("2020/21: 0, 2021/22: 1234")) == (
        "Things: 1,234 in 2021/22, up 1,234 from 0 in 2020/21" + SIGNIFICANT
    )


def test_no_change_is_said():
    assert one(metric("2020/21: 20, 2021/22: 20")) == (
        "Things: 20 in 2021/22, unchanged from 20 in 2020/21"
    )


def test_counts_under_ten_are_numerals_too():
    assert one(metric("2020/21: 9, 2021/22: 10")) == (
        "Things: 10 in 2021/22, up 1 (11.1%) from 9 in 2020/21" + NOT_SIGNIFICANT
    )


def test_one_percentage_point_is_singular_and_shares_its_sentences_decimal_places():
    assert one(metric("2020/21: 37.5, 2021/22: 38.5", unit="percent")) == (
        "Things: 38.5% in 2021/22, up 1.0 percentage point from 37.5% in 2020/21" + UNTESTED
    )


def test_a_change_that_rounds_to_zero_does_not_read_as_zero():
    assert one(metric("2020/21: 10, 2021/22: 10.04", unit="percent")) == (
        "Things: 10.0% in 2021/22, up less than 0.1 percentage points from 10.0% in 2020/21"
        + UNTESTED
    )


def test_rounding_is_half_away_from_zero():
    # 2 on 16 is 12.5% exactly: 13% at no decimals, where banker's rounding would give 12%.
    (point,) = key_points(build_report(parse_figures(metric("2020/21: 16, 2021/22: 18"))),
                          precision=0)  # fmt: skip
    assert point == "Things: 18 in 2021/22, up 2 (13%) from 16 in 2020/21" + NOT_SIGNIFICANT


def test_every_missing_year_in_the_report_is_said():
    figures = parse_figures(
        "title: Synthetic (not real data)\nmetrics:\n"
        "  a: {label: A, unit: count, better: up, values: {2018/19: 50, 2020/21: 60}}\n"
        "  b: {label: B, unit: count, better: up, values: {2018/19: 1, 2021/22: 2}}\n"
    )
    a, _b = points(figures)
    assert a == (
        f"A: 60 in 2020/21, up 10 (20%) from 50 in 2018/19{NOT_SIGNIFICANT}, "
        "with 2019/20 and 2021/22 not published"
    )


def test_years_before_a_metric_starts_are_not_called_missing():
    figures = parse_figures(
        "title: Synthetic (not real data)\nmetrics:\n"
        "  a: {label: A, unit: count, better: up, values: {2018/19: 50, 2019/20: 60}}\n"
        "  b: {label: B, unit: count, better: up, values: {2019/20: 1}}\n"
    )
    assert points(figures)[1] == "B: 1 in 2019/20"


def test_a_metric_with_no_values_in_range_says_so():
    figures = parse_figures(
        "title: Synthetic (not real data)\nmetrics:\n"
        "  a: {label: A, unit: count, better: up, values: {2018/19: 50, 2019/20: 60}}\n"
        "  b: {label: B, unit: count, better: up, values: {2016/17: 1}}\n"
    )
    assert points(figures, first=parse_period("2018/19"))[1] == (
        "B: no figures published from 2018/19 to 2019/20"
    )


def parse_period(text):
    from gunstats.periods import parse_financial_year

    return parse_financial_year(text)


def test_baseline_equal_to_previous_year_is_not_repeated():
    assert one(metric("2020/21: 10, 2021/22: 12")) == (
        "Things: 12 in 2021/22, up 2 (20%) from 10 in 2020/21" + NOT_SIGNIFICANT
    )


def test_noun_sentence_and_flags():
    seized, shootings, solved, arrests = points(load_figures(BRIEFING))
    assert seized == (
        "There were 12 firearms seized (provisional) in 2022/23, up 3 (33.3%) from 9 in "
        f"2021/22{NOT_SIGNIFICANT}, and up 5 (71.4%) from 7 in 2020/21{NOT_SIGNIFICANT}"
    )
    assert shootings == (
        f"There were 3 (revised) shootings in 2021/22, up 3 from 0 in 2020/21{NOT_SIGNIFICANT}, "
        "with 2022/23 not published"
    )
    assert (
        solved == "2022/23: 41% of shootings were solved (up 1 percentage point from 40% in 2021/22"
        f"{UNTESTED})"
    )
    assert arrests.startswith("Arrests | *charged*: 20 in 2021/22")  # escaping is the renderer's


@pytest.mark.parametrize("style", [PeriodStyle.GOV_UK, PeriodStyle.ONS])
def test_gov_uk_and_ons_style_name_the_kind_of_year_at_first_mention_only(style):
    first, second, _ = points(load_figures(SHIPPED), style)
    assert first == (
        "Lethal firearms seized: 524 in the financial year ending March 2022, up 44 (9.2%) from "
        f"480 in the financial year ending March 2021{NOT_SIGNIFICANT}, and up 116 (28.4%) from "
        f"408 in the financial year ending March 2020{SIGNIFICANT}"
    )
    assert second == (
        "Shootings: 196 in the year ending March 2022, down 87 (30.7%) from 283 in the year "
        f"ending March 2020{SIGNIFICANT}, with the year ending March 2021 not published"
    )


def test_gov_uk_first_mention_at_the_start_of_a_sentence_is_capitalised():
    solved = points(load_figures(BRIEFING), PeriodStyle.GOV_UK)[2]
    assert solved.startswith("The year ending March 2023: 41%")  # mentioned in the first point
    (alone,) = name_periods(["\x002022\x00: x"], PeriodStyle.GOV_UK)
    assert alone == "The financial year ending March 2023: x"


def test_table_spans():
    from gunstats.periods import FinancialYear

    a, b = FinancialYear(2020), FinancialYear(2021)
    assert table_span(a, b) == "2021/22 compared with 2020/21"
    assert table_span(a, b, PeriodStyle.GOV_UK) == (
        "Year ending March 2022 compared with the year ending March 2021"
    )


def test_provenance_line():
    assert provenance("f.yaml", "2024-05-10", "2026-01-02") == (
        "Made on 2 January 2026 from f.yaml, figures as of 10 May 2024."
    )
    assert provenance("f.yaml", None, None) == (
        "Made from f.yaml, which gives no as-of date for its figures."
    )
    assert long_date("2024-12-31") == "31 December 2024"


def test_synthetic_edge_values():
    seized, rate = points(parse_figures(SYNTHETIC))
    assert seized.endswith("up 2,000 from 0 in 2018/19" + SIGNIFICANT)
    assert rate == (
        "Rate solved: 0.1% in 2021/22, up 0.1 percentage points from 0.0% in 2020/21"
        f"{UNTESTED}, and down 12.4 percentage points from 12.5% in 2019/20{UNTESTED}"
    )


@pytest.mark.parametrize("flag", list(Flag))
def test_every_flag_has_words(flag):
    from gunstats.model import Observation, Unit
    from gunstats.periods import FinancialYear
    from gunstats.prose import value_text

    observation = Observation(FinancialYear(2021), Decimal(5), flags=(flag,))
    assert value_text(observation, Unit.COUNT, 1) == f"5 ({flag.meaning})"


def test_a_baseline_asked_for_but_not_published_is_said():
    figures = parse_figures(
        "title: Synthetic (not real data)\nmetrics:\n"
        "  a: {label: A, unit: count, better: up, values: {2018/19: 50, 2020/21: 60}}\n"
        "  b: {label: B, unit: count, better: up, values: {2019/20: 10, 2020/21: 12}}\n"
    )
    _a, b = points(figures, baseline=parse_period("2018/19"))
    assert b == (
        f"B: 12 in 2020/21, up 2 (20%) from 10 in 2019/20{NOT_SIGNIFICANT}, "
        "with 2018/19 not published"
    )
