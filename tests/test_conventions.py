"""docs/conventions.md, rule by rule: each test is named after the rule it pins (C1, C2, ...).

Most tests call the helpers of :mod:`gunstats.wording` and assert the text a reader sees; some
pin behaviour the shipped output already has (rates from summed parts, escaped Markdown). Rules
whose change to the output is still to be made name their intended test in docs/conventions.md.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from fractions import Fraction

import pytest

from gunstats.compute import Kind, build_report
from gunstats.load import load_figures, parse_figures
from gunstats.monthly import Span, aggregate, build_summary
from gunstats.numbers import format_number, format_percent_change
from gunstats.periods import FinancialYear, Month
from gunstats.prose import PeriodStyle, key_points
from gunstats.render.layout import build_layout
from gunstats.render.markdown import escape, table
from gunstats.render.summary_layout import build_summary_layout
from gunstats.wording import (
    DEFAULT_CAVEAT,
    LOW,
    LOW_KEY,
    STATUSES,
    UNROUNDED_NOTE,
    capitalise,
    common_places,
    comparison_phrase,
    counted,
    financial_year_name,
    format_date,
    judging_words,
    month_window_name,
    number_or_low,
    plural,
    prose_count,
    prose_percent,
    prose_points,
    rolling_year_name,
    rounds_to_zero,
    starts_with_numeral,
    status_sentence,
    with_article,
)

from .conftest import ROOT, SHIPPED

BRIEFING = ROOT / "tests" / "data" / "briefing.yaml"
EXAMPLE = ROOT / "examples" / "monthly.yaml"
D = Decimal


@pytest.fixture(scope="module")
def january_2023():
    return build_summary(load_figures(EXAMPLE), Month(2023, 1))


# -- C1: counts change by per cent, rates by percentage points ---------------------------------


def test_c1_a_rate_changes_by_percentage_points():
    assert prose_points(D(18), 1) == "18.0 percentage points"
    assert prose_points(D(-18), 0) == "18 percentage points"  # "down" says the sign
    assert "%" not in prose_points(D("13.7255"), 1)


def test_c1_the_solved_rate_has_no_relative_change_in_the_key_points():
    (solved,) = [p for p in key_points(build_report(load_figures(SHIPPED))) if "solved" in p]
    assert "up 18 percentage points from 20% in 2019/20" in solved
    assert "90" not in solved  # 20% to 38% is not "up 90%"


# -- C2: changes come from unrounded values, and say so --------------------------------------


def test_c2_a_change_is_worked_out_before_rounding(january_2023):
    (solved,) = [m for m in january_2023.metrics if m.metric.id == "shootings_solved"]
    (same_month,) = [c for c in solved.comparisons if c.kind is Kind.SAME_MONTH_LAST_YEAR]
    shown = [format_number(side.value, 1) for side in (same_month.current, same_month.earlier)]
    assert shown == ["47.1", "33.3"]  # 8 of 17 against 8 of 24
    # 47.1 - 33.3 would be 13.8; the change of the exact rates is 13.7.
    assert format_number(same_month.comparison.change, 1) == "13.7"
    assert UNROUNDED_NOTE == "Changes are calculated from unrounded figures."


# -- C3: half away from zero, on the exact value -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (prose_percent(D("0.125"), 2), "0.13%"),
        (prose_percent(D("-0.125"), 2), "-0.13%"),
        (prose_count(D("2.5")), "3"),
        (prose_count(D("-2.5")), "-3"),
        (number_or_low(D("0.05"), 1), "0.1"),
        (number_or_low(Fraction(1, 8), 2), "0.13"),
    ],
)
def test_c3_rounding_is_half_away_from_zero(text, expected):
    assert text == expected


# -- C4: no percentage from a zero base --------------------------------------------------------


def test_c4_a_change_from_zero_has_no_percentage():
    assert format_percent_change(None, 1) == "[z]"
    figures = parse_figures(
        "title: Synthetic (not real data)\nmetrics:\n  m:\n    label: Things\n"
        "    unit: count\n    better: up\n    values: {2020/21: 0, 2021/22: 1234}\n"
    )
    report = build_report(figures)
    (point,) = key_points(report)
    assert point.startswith("Things: 1,234 in 2021/22, up 1,234 from ")
    assert "%" not in point
    changes = build_layout(report).tables[1]
    assert [cell.text for cell in changes.rows[0]][2:4] == ["+1,234", "[z]"]


# -- C6: the series before two points; month on month is never the headline --------------------


def test_c6_the_previous_month_comes_last_with_a_warning(january_2023):
    layout = build_summary_layout(january_2023)
    assert layout.tables[-1].title.startswith("Previous month:")
    assert any("A single month against the previous month is noisy" in k for k in layout.key)


# -- C7: both periods of every comparison, "compared with" -----------------------------------


def test_c7_a_comparison_names_both_periods_later_first():
    assert comparison_phrase("2021/22", "2020/21") == "2021/22 compared with 2020/21"
    assert comparison_phrase(
        rolling_year_name(Month(2023, 1)), rolling_year_name(Month(2022, 1))
    ) == ("year ending January 2023 compared with the year ending January 2022")
    window = month_window_name(Month(2022, 4), Month(2023, 1))
    earlier = month_window_name(Month(2021, 4), Month(2022, 1))
    assert comparison_phrase(window, earlier) == (
        "April 2022 to January 2023 compared with April 2021 to January 2022"
    )


def test_c7_every_summary_table_says_compared_with(january_2023):
    titles = [t.title for t in build_summary_layout(january_2023).tables]
    assert len(titles) == 4
    assert all(" compared with " in title for title in titles)


# -- C8 to C11: numerals, "one", the start of a sentence, agreement ----------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (1, "1"), (8, "8"), (9, "9"), (10, "10"), (1234, "1,234"), (1234567, "1,234,567")],
)
def test_c8_counts_are_numerals_with_thousands_separators(value, expected):
    assert prose_count(value) == expected


def test_c8_years_have_no_thousands_separator():
    assert financial_year_name(FinancialYear(2021)) == "2021/22"
    assert rolling_year_name(Month(2023, 1)) == "year ending January 2023"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, "one fatal shooting"),
        (0, "0 fatal shootings"),
        (2, "2 fatal shootings"),
        (9, "9 fatal shootings"),
        (1001, "1,001 fatal shootings"),
    ],
)
def test_c9_a_single_thing_is_one_and_every_other_count_a_numeral(value, expected):
    assert counted(value, "fatal shooting", "fatal shootings") == expected


@pytest.mark.parametrize(
    ("sentence", "opens_with_numeral"),
    [
        ("196 shootings in 2021/22", True),
        ("2022/23: 41% of shootings were solved", True),
        ("  12 firearms seized", True),
        ("\u201c12 firearms seized\u201d", True),
        ("(9 shootings)", True),
        ("-5 on last year", True),
        ("\u00a35 million", True),
        ("There were 196 shootings in 2021/22", False),
        ("One fatal shooting in 2021/22", False),
        ("Shootings: 196 in 2021/22", False),
        ("[x] not available", False),
        ("", False),
    ],
)
def test_c10_a_sentence_that_would_open_with_a_numeral_is_spotted(sentence, opens_with_numeral):
    assert starts_with_numeral(sentence) is opens_with_numeral


def test_c10_one_written_out_can_open_a_sentence():
    sentence = capitalise(counted(1, "fatal shooting", "fatal shootings") + " in 2021/22")
    assert sentence == "One fatal shooting in 2021/22"
    assert not starts_with_numeral(sentence)
    assert capitalise("year ending March 2022, up 4") == "Year ending March 2022, up 4"


@pytest.mark.parametrize(
    ("number", "noun"),
    [
        (1, "shooting"),
        (-1, "shooting"),
        ("1", "shooting"),
        ("1.0", "shooting"),
        ("one", "shooting"),
        (D("1.00"), "shooting"),
        (0, "shootings"),
        ("0.1", "shootings"),
        (D("1.5"), "shootings"),
        (2, "shootings"),
        ("1,000", "shootings"),
        (Fraction(1, 1), "shooting"),
    ],
)
def test_c11_singular_for_one_only(number, noun):
    assert plural(number, "shooting", "shootings") == noun


@pytest.mark.parametrize(
    ("size", "places", "expected"),
    [
        (D(1), 0, "1 percentage point"),
        (D("0.96"), 1, "1.0 percentage point"),  # agrees with the number as shown
        (D("0.7"), 1, "0.7 percentage points"),
        (D("0.4"), 0, "less than 1 percentage point"),
        (D("0.04"), 1, "less than 0.1 percentage points"),
        (D(2), 0, "2 percentage points"),
        (D(-1), 0, "1 percentage point"),
    ],
)
def test_c11_percentage_points_agree_with_their_number(size, places, expected):
    assert prose_points(size, places) == expected


# -- C12, C13: decimal places in a sentence, % and percentage points ---------------------------


def test_c12_percentages_in_one_sentence_share_their_decimal_places():
    values = [D("9.2"), D("14"), D("28.36")]
    places = common_places(values, 1)
    assert [prose_percent(v, places) for v in values] == ["9.2%", "14.0%", "28.4%"]
    whole = [D(38), D(20), D(18)]
    assert [prose_percent(v, common_places(whole, 1)) for v in whole] == ["38%", "20%", "18%"]
    assert common_places([D("37.96")], 1) == 0  # rounds to 38.0, so "38%"
    assert common_places([D("1.2345")], 2) == 2  # never more than asked for
    assert common_places([D(38), D("0.04")], 1) == 1  # "38.0%" beside "less than 0.1%"
    assert common_places([], 1) == 0


def test_c13_percent_sign_without_a_space_and_points_spelled_out():
    assert prose_percent(D("9.15"), 1) == "9.2%"
    assert prose_percent(D("0.04"), 1) == "less than 0.1%"
    assert "pp" not in prose_points(D(3), 0).split()


# -- C14 to C16: dates and periods -------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2023, 7, 10), "10 July 2023"),
        (datetime.date(2024, 1, 1), "1 January 2024"),
        (datetime.date(2022, 6, 30), "30 June 2022"),
    ],
)
def test_c14_dates_are_day_month_year_without_ordinals_or_commas(day, expected):
    assert format_date(day) == expected


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("compact", "2021/22"),
        ("gov-uk", "year ending March 2022"),
        ("ons", "year ending March 2022"),
        (PeriodStyle.COMPACT, "2021/22"),
        (PeriodStyle.GOV_UK, "year ending March 2022"),
    ],
)
def test_c15_one_name_for_a_financial_year_per_style(style, expected):
    assert financial_year_name(FinancialYear(2021), style) == expected


def test_c15_first_mention_names_the_kind_of_year_and_never_2021_to_2022():
    year = FinancialYear(2021)
    assert financial_year_name(year, "ons", first=True) == "financial year ending March 2022"
    assert financial_year_name(year, "compact", first=True) == "2021/22"
    names = [
        financial_year_name(year, s, first=f) for s in ("gov-uk", "ons") for f in (False, True)
    ]
    assert not any("2021 to 2022" in name for name in names)
    with pytest.raises(ValueError, match="unknown period style 'govuk'"):
        financial_year_name(year, "govuk")


def test_c15_year_ending_takes_the_in_running_text():
    assert with_article("year ending March 2022") == "the year ending March 2022"
    assert (
        with_article("financial year ending March 2022") == "the financial year ending March 2022"
    )
    assert with_article("2021/22") == "2021/22"
    assert with_article("April 2022 to January 2023") == "April 2022 to January 2023"


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (Month(2023, 1), Month(2023, 1), "January 2023"),
        (Month(2022, 4), Month(2022, 6), "April to June 2022"),
        (Month(2022, 4), Month(2023, 1), "April 2022 to January 2023"),
        (Month(2022, 12), Month(2023, 1), "December 2022 to January 2023"),
    ],
)
def test_c16_a_window_of_months_names_each_year_it_crosses(first, last, expected):
    assert month_window_name(first, last) == expected


def test_c16_rolling_year_and_a_backwards_window():
    assert rolling_year_name(Month(2023, 6)) == "year ending June 2023"
    with pytest.raises(ValueError, match="cannot end"):
        month_window_name(Month(2023, 1), Month(2022, 4))


# -- C17: neutral words ------------------------------------------------------------------------


def test_c17_judging_words_are_found():
    assert judging_words("Shootings soared, a worrying rise; seizures (plummeted).") == (
        "soared",
        "worrying",
        "plummeted",
    )
    assert judging_words("Shootings: 196 in 2021/22, down 87 (30.7%) from 283") == ()


def test_c17_shipped_output_describes_changes_without_judging_them(january_2023):
    layout = build_layout(build_report(load_figures(SHIPPED)))
    summary = build_summary_layout(january_2023)
    texts = [*layout.key_points, *layout.key, layout.caveat, *summary.intro, *summary.key]
    assert [judging_words(text) for text in texts if judging_words(text)] == []


# -- C19, C20: shorthand, [low] ---------------------------------------------------------------


def test_c19_every_shorthand_in_the_tables_is_in_the_key():
    layout = build_layout(build_report(load_figures(BRIEFING)))
    used = {
        code
        for t in layout.tables
        for row in t.rows
        for cell in row
        for code in re.findall(r"\[[a-z]+\]", cell.text)
    }
    assert used == {"[x]", "[z]", "[p]", "[r]"}
    assert all(any(entry.startswith(code + " ") for entry in layout.key) for code in used)


@pytest.mark.parametrize(
    ("value", "places", "low"),
    [
        (D("0.04"), 1, True),
        (D("-0.04"), 1, True),
        (Fraction(1, 30), 1, True),
        (D("0.4"), 0, True),
        (D("0.05"), 1, False),  # rounds to 0.1
        (D(0), 1, False),  # a true zero is 0, never [low]
        (D("12.5"), 0, False),
    ],
)
def test_c20_low_is_a_value_that_is_not_zero_but_rounds_to_zero(value, places, low):
    assert rounds_to_zero(value, places) is low
    assert (number_or_low(value, places) == LOW) is low


def test_c20_a_true_zero_prints_as_zero_and_the_key_explains_low():
    assert number_or_low(D(0), 1) == "0.0"
    assert number_or_low(D("1234.56"), 1) == "1,234.6"
    assert LOW_KEY.startswith("[low] ")


# -- C21: rates over several months from summed parts ------------------------------------------


def test_c21_a_rate_over_months_is_its_summed_parts_not_an_average():
    figures = load_figures(EXAMPLE)
    span = Span(Month(2022, 4), Month(2023, 1))
    rate = aggregate(figures, figures.metric("shootings_solved"), span)
    assert (rate.numerator, rate.denominator) == (50, 156)
    assert rate.value == Fraction(50, 156) * 100


# -- C22, C23: table layout and Markdown that prints as written -------------------------------


def test_c22_one_header_row_with_unique_text_and_numbers_right_aligned():
    layout = build_layout(build_report(load_figures(BRIEFING)))
    for item in layout.tables:
        assert len(set(item.header)) == len(item.header), item.header
        assert all(len(row) == len(item.header) for row in item.rows)
        assert all(cell.text.strip() for row in item.rows for cell in row)  # no empty cells
        delimiter = table(item)[1].strip("|").split("|")
        assert [d == "---:" for d in delimiter] == list(item.numeric)


def test_c23_markdown_prints_hostile_text_as_written():
    assert escape("Arrests | *charged*") == "Arrests \\| \\*charged\\*"
    assert escape("<script>") == "\\<script\\>"
    assert escape("1. first") == "1\\. first"
    assert escape("# not a heading") == "\\# not a heading"
    assert escape("two\nlines") == "two lines"


# -- C24, C25: status and caveat -------------------------------------------------------------


def test_c24_status_uses_the_regulators_labels():
    assert [status_sentence(s) for s in STATUSES] == [
        "These figures are management information.",
        "These figures are official statistics in development.",
        "These figures are official statistics.",
        "These figures are accredited official statistics.",
    ]
    with pytest.raises(ValueError, match="now called accredited official statistics"):
        status_sentence("National Statistics")
    with pytest.raises(ValueError, match="unknown status 'experimental'"):
        status_sentence("experimental")


def test_c25_the_default_caveat_is_true_of_any_police_figures():
    assert "crime" not in DEFAULT_CAVEAT.lower()  # seizures and shootings are not all crimes
    assert "recorded" in DEFAULT_CAVEAT and "revised" in DEFAULT_CAVEAT
    assert judging_words(DEFAULT_CAVEAT) == ()
