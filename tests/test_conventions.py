"""docs/conventions.md, rule by rule: each test is named after the rule it pins (C1, C2, ...).

The first tests call the helpers of :mod:`gunstats.wording`; the later ones assert the rule in
the output a reader sees (key points, tables, keys, templates, charts). The last checks that the
document names only tests that exist.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from fractions import Fraction

import pytest

from gunstats.chart_specs import chart_specs
from gunstats.compute import Kind, build_report
from gunstats.errors import FiguresError
from gunstats.load import load_figures, parse_figures
from gunstats.monthly import build_summary
from gunstats.monthly_windows import Span, aggregate
from gunstats.numbers import format_number, format_percent_change
from gunstats.periods import FinancialYear, Month, PeriodStyle
from gunstats.prose import key_points
from gunstats.render.layout import NO_STATUS, build_layout
from gunstats.render.markdown import escape, table
from gunstats.render.summary_layout import build_summary_layout
from gunstats.wording import (
    DEFAULT_CAVEAT,
    LOW,
    LOW_KEY,
    STATUSES,
    STYLES,
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

from .conftest import ROOT, SHIPPED, SYNTHETIC

BRIEFING = ROOT / "tests" / "data" / "briefing.yaml"
EXAMPLE = ROOT / "examples" / "monthly.yaml"
PRESS_RELEASE = ROOT / "examples" / "press-release.md.j2"
D = Decimal

# What the test of change found, after the words of each change (issue 10; C5).
SIGNIFICANT = ", which is a statistically significant change"
NOT_SIGNIFICANT = ", which is not a statistically significant change"


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
    tables = build_summary_layout(january_2023).tables
    # After the months read against their own series (an XmR chart, not a comparison).
    assert tables[0].title.startswith("Normal range: XmR charts of")
    titles = [t.title for t in tables[1:]]
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


# -- the rules in the shipped output (each test names its rule) --------------------------------


def render(figures, fmt: str, **options) -> str:
    from gunstats.render import renderer
    from gunstats.render.options import RenderOptions

    options.setdefault("produced", "2026-11-28")
    return renderer(fmt)(build_report(figures), RenderOptions(**options))


def synthetic(metrics: str, top: str = "") -> str:
    return f"title: Synthetic (not real data)\n{top}metrics:\n{metrics}"


def test_c15_the_period_styles_are_compact_gov_uk_and_ons():
    assert tuple(style.value for style in PeriodStyle) == STYLES


def test_c1_rate_relative_change_cell_is_z_and_keyed():
    figures = load_figures(SHIPPED)
    layout = build_layout(build_report(figures))
    since = layout.tables[2]
    (solved,) = [[c.text for c in row] for row in since.rows if row[0].text.startswith("Shoot")][1:]
    assert solved[2:] == ["+18.0 pp", "[z]", "better (not tested)"]  # not +90.0
    assert "[z] not applicable (no per cent change of a percentage, which changes by percentage " \
        "points)" in layout.key  # fmt: skip
    for fmt in ("markdown", "table"):
        assert "90.0" not in render(figures, fmt)
    # JSON keeps the relative change as data.
    comparisons = json.loads(render(figures, "json"))["metrics"][2]["comparisons"]
    assert comparisons[-1]["percent_change"] == 90


def test_c1_a_template_is_offered_no_relative_change_for_a_percentage():
    from gunstats.render.template import template_context

    context = template_context(build_report(load_figures(SHIPPED)))
    by_unit = {m["unit"]: m["since_baseline"] for m in context["metrics"]}
    assert by_unit["percent"]["change"] == 18
    assert by_unit["percent"]["change_unit"] == "percentage points"
    assert by_unit["percent"]["percent_change"] is None  # not 90
    assert by_unit["count"]["percent_change"] is not None  # a count keeps its per cent change


def test_c2_note_wherever_changes_are_shown(january_2023):
    assert UNROUNDED_NOTE in build_summary_layout(january_2023).key
    assert UNROUNDED_NOTE in build_layout(build_report(load_figures(SHIPPED))).key
    one_year = parse_figures(
        synthetic("  m: {label: M, unit: percent, better: up, values: {2021/22: 47.1}}\n")
    )
    layout = build_layout(build_report(one_year))
    assert [c.text for c in layout.tables[1].rows[0]][2:] == ["[x]", "[x]"]
    assert UNROUNDED_NOTE not in layout.key  # no change shown, only its absence
    assert f"- {UNROUNDED_NOTE}" in render(load_figures(SHIPPED), "markdown")


@pytest.mark.parametrize("style", list(PeriodStyle))
def test_c7_report_change_tables_say_compared_with_in_every_style(style):
    for path in (SHIPPED, BRIEFING):
        layout = build_layout(build_report(load_figures(path)), period_style=style)
        spans = [row[1].text for t in layout.tables[1:] for row in t.rows]
        assert spans and all(" compared with " in span for span in spans), spans
        assert not any(re.search(r"\d{4}/\d{2} to \d{4}/\d{2}", span) for span in spans)
    notes = [s.change_note for s in chart_specs(load_figures(SHIPPED))]
    assert notes[0] == "Up 116 (28.4%) in 2021/22 compared with 2019/20"


NUMBER_WORDS = ("zero", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def test_c8_key_points_write_counts_under_ten_as_numerals():
    points = key_points(build_report(load_figures(BRIEFING)))
    assert points[0] == (
        "There were 12 firearms seized (provisional) in 2022/23, up 3 (33.3%) from 9 in "
        f"2021/22{NOT_SIGNIFICANT}, and up 5 (71.4%) from 7 in 2020/21{NOT_SIGNIFICANT}"
    )
    assert "up 3 from 0 in 2020/21" in points[1]
    words = {w.strip(",.()").lower() for p in points for w in p.split()}
    assert words.isdisjoint(NUMBER_WORDS) and "one" not in words


def fatal(values: str, singular: str = "    noun_singular: fatal shooting\n") -> str:
    return synthetic(
        "  fatal:\n    label: Fatal shootings\n    unit: count\n    better: down\n"
        f"    noun: fatal shootings\n{singular}    values: {{{values}}}\n"
    )


def test_c9_noun_key_point_for_a_single_thing_says_one():
    (one,) = key_points(build_report(parse_figures(fatal("2020/21: 8, 2021/22: 1"))))
    assert one == (
        "There was one fatal shooting in 2021/22, down 7 (87.5%) from 8 in 2020/21" + SIGNIFICANT
    )
    # Without noun_singular the noun cannot agree with 1: the label's wording instead.
    (label,) = key_points(build_report(parse_figures(fatal("2020/21: 8, 2021/22: 1", ""))))
    assert label == "Fatal shootings: 1 in 2021/22, down 7 (87.5%) from 8 in 2020/21" + SIGNIFICANT
    (two,) = key_points(build_report(parse_figures(fatal("2020/21: 1, 2021/22: 2"))))
    assert two == (
        "There were 2 fatal shootings in 2021/22, up 1 (100%) from 1 in 2020/21" + NOT_SIGNIFICANT
    )


def test_c10_no_key_point_opens_with_a_numeral():
    from gunstats.prose import sentence_warnings

    files = [load_figures(SHIPPED), load_figures(BRIEFING), parse_figures(SYNTHETIC)]
    files.append(parse_figures(fatal("2020/21: 8, 2021/22: 196")))
    for figures in files:
        for style in PeriodStyle:
            points = key_points(build_report(figures), style=style)
            own = [m.sentence is not None for m in figures.metrics]
            opening = [p for p, by_owner in zip(points, own, strict=True) if not by_owner]
            assert not any(starts_with_numeral(p) for p in opening), opening
    # An owner's sentence is never rewritten; validate says that it opens with a figure.
    briefing = load_figures(BRIEFING)
    assert [where for where, _ in sentence_warnings(briefing)] == ["metrics.solved.sentence"]
    assert sentence_warnings(load_figures(SHIPPED)) == []


def rate(values: str) -> str:
    return synthetic(f"  r: {{label: Rate, unit: percent, better: up, values: {{{values}}}}}\n")


def only_point(yaml_text: str, precision: int = 1) -> str:
    (point,) = key_points(build_report(parse_figures(yaml_text)), precision=precision)
    return point


def test_c11_key_points_agree_with_their_numbers():
    assert "up 1 percentage point from 40%" in only_point(rate("2021/22: 40, 2022/23: 41"))
    assert "up 1.0 percentage point from 37.5%" in only_point(rate("2021/22: 37.5, 2022/23: 38.5"))
    assert "up less than 1 percentage point from 20%" in only_point(
        rate("2020/21: 20.3, 2021/22: 20.7"), precision=0
    )
    assert "up 0.4 percentage points" in only_point(rate("2020/21: 20.3, 2021/22: 20.7"))
    assert only_point(fatal("2020/21: 8, 2021/22: 1")).startswith("There was one fatal shooting ")


def test_c12_key_point_percentages_share_decimal_places():
    seized = synthetic(
        "  s: {label: Seized, unit: count, better: up, "
        "values: {2019/20: 5000, 2020/21: 4930, 2021/22: 4000}}\n"
    )
    assert only_point(seized) == (
        f"Seized: 4,000 in 2021/22, down 930 (18.9%) from 4,930 in 2020/21{SIGNIFICANT}, "
        f"and down 1,000 (20.0%) from 5,000 in 2019/20{SIGNIFICANT}"
    )
    shipped = key_points(build_report(load_figures(SHIPPED)))
    assert "38% in 2021/22, up 18 percentage points from 20% in 2019/20" in shipped[2]


def change_headers(figures, *metric_ids) -> list[tuple[str, ...]]:
    layout = build_layout(build_report(figures, list(metric_ids) or None))
    return [t.header[2:] for t in layout.tables[1:]]


def test_c13_change_column_header_names_its_unit():
    figures = load_figures(SHIPPED)
    assert (
        change_headers(figures, "shootings_solved")
        == [("Change (percentage points)", "Assessment")] * 2
    )
    layout = build_layout(build_report(figures, ["shootings_solved"]))
    assert [c.text for c in layout.tables[2].rows[0]][2:] == ["+18.0", "better (not tested)"]
    assert not any(k.startswith("pp:") for k in layout.key)  # the header says it
    assert (
        change_headers(figures, "shootings")
        == [("Change", "Relative change (%)", "Assessment")] * 2
    )
    mixed = build_layout(build_report(figures))  # one header cannot name two units
    assert "pp: percentage points (the change in a percentage)" in mixed.key


def test_c14_summary_as_of_date_is_written_out(january_2023):
    assert "Figures as of 10 July 2023." in build_summary_layout(january_2023).intro
    table = render(load_figures(BRIEFING), "table", width=200)
    assert "Figures as of 10 May 2024." in table
    assert "Example Police, published 10 May 2024, https://" in table
    for fmt in ("table", "markdown"):
        assert not re.search(r"\d{4}-\d{2}-\d{2}", render(load_figures(BRIEFING), fmt))


@pytest.mark.parametrize("style", [PeriodStyle.GOV_UK, PeriodStyle.ONS])
def test_c15_gov_uk_and_ons_reports_never_write_2021_to_2022(style):
    for path in (SHIPPED, BRIEFING):
        layout = build_layout(build_report(load_figures(path)), period_style=style)
        texts = [*layout.key_points, *(h for t in layout.tables for h in t.header)]
        texts += [c.text for t in layout.tables for row in t.rows for c in row]
        for text in texts:
            assert not re.search(r"\d{4} to \d{4}|\d{4}/\d{2}", text), text
        assert layout.tables[0].header[1:2] in (
            ("Year ending March 2020",),
            ("Year ending March 2021",),
        )
    figures = load_figures(BRIEFING)
    from gunstats.render.options import RenderOptions
    from gunstats.render.template import render as render_template

    options = RenderOptions(period_style=style, produced="2026-11-28")
    text = render_template(build_report(figures), str(PRESS_RELEASE), options)
    assert "In the financial year ending March 2023 the figure for firearms seized" in text
    assert not re.search(r"\d{4} to \d{4}", text)


def test_c16_summary_titles_name_windows_with_their_years(january_2023):
    layout = build_summary_layout(january_2023)
    titles = [t.title for t in layout.tables if not t.title.startswith("Normal range")]
    assert titles[:2] == [
        "Financial year to date: April 2022 to January 2023 compared with April 2021 to "
        "January 2022",
        "Rolling 12 months: year ending January 2023 compared with the year ending January 2022",
    ]
    assert layout.tables[2].header[1:3] == ("Year ending January 2023", "Year ending January 2022")
    words = " ".join(titles + [h for t in layout.tables for h in t.header])
    assert "12 months to" not in words and "April to January" not in words


def test_c18_up_and_down_take_the_same_preposition():
    points = [
        *key_points(build_report(load_figures(SHIPPED))),
        *key_points(build_report(load_figures(BRIEFING))),
        *key_points(build_report(parse_figures(SYNTHETIC))),
    ]
    changes = re.findall(r"\b(?:up|down|unchanged) (?:[^,]*? )?(on|from|by) ", " ".join(points))
    assert changes and set(changes) == {"from"}, changes


def test_c20_low_in_tables_and_in_the_key():
    figures = parse_figures(rate("2020/21: 0, 2021/22: 0.04"))
    layout = build_layout(build_report(figures))
    assert [c.text for c in layout.tables[0].rows[0]][1:] == ["0.0", "[low]"]
    assert [c.text for c in layout.tables[1].rows[0]][2] == "[low]"  # +0.04 points
    assert LOW_KEY in layout.key
    assert (
        "less than 0.1% in 2021/22, up less than 0.1 percentage points from 0.0%"
        in (layout.key_points[0])
    )
    assert LOW_KEY not in build_layout(build_report(load_figures(SHIPPED))).key


def test_c22_change_headers_carry_units(january_2023):
    summary = build_summary(load_figures(EXAMPLE), Month(2023, 1), ["shootings_solved"])
    for item in build_summary_layout(summary).tables[1:]:  # after the XmR table
        assert item.header[0] == "Measure" and item.header[-2:] == (
            "Change (percentage points)",
            "Assessment",
        )
        assert all(not c.text.endswith("pp") for row in item.rows for c in row)
    mixed = build_summary_layout(january_2023).tables[1]
    assert mixed.header[-3:] == ("Change", "Relative change (%)", "Assessment")
    assert mixed.rows[-1][0].text == "Shootings solved (%)"  # the unit in the label


PANDOC = shutil.which("pandoc")


def test_c23_emoji_shortcodes_and_bare_links_print_as_written():
    hostile = ["Arrests :smile:", "see www.example.com", "http://x.org/a", "ask a@b.org"]
    escaped = [escape(text) for text in hostile]
    assert escaped == [
        "Arrests \\:smile:",  # one escaped colon is enough to stop the shortcode
        "see www\\.example.com",
        "http\\://x.org/a",
        "ask a\\@b.org",
    ]
    if PANDOC is None and os.environ.get("CI") != "true":
        pytest.skip("pandoc is not installed (CI installs it and runs this check)")
    markdown = "\n\n".join(escaped) + "\n"
    html = subprocess.run(
        [PANDOC or "pandoc", "-f", "gfm", "-t", "html", "--wrap=none"],
        input=markdown.encode(),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "<a " not in html and "emoji" not in html
    assert [re.sub(r"</?p>", "", line) for line in html.splitlines()] == hostile


def test_c24_status_and_sources_printed_in_every_human_format(write_figures):
    stated = synthetic(
        "  m: {label: M, unit: count, better: up, source: s, values: {2020/21: 4, 2021/22: 5}}\n",
        top="status: Official Statistics\nsources:\n  s: {title: A statement}\n",
    )
    figures = parse_figures(stated)
    assert figures.status == "official statistics"
    for fmt in ("markdown", "table"):
        text = render(figures, fmt)
        assert "These figures are official statistics." in text
        assert "A statement" in text
    assert NO_STATUS in render(load_figures(SHIPPED), "markdown")
    monthly = build_summary(load_figures(EXAMPLE)._replace(status=STATUSES[0]), Month(2023, 1))
    assert build_summary_layout(monthly).status == "These figures are management information."
    path = write_figures(stated.replace("Official Statistics", "National Statistics"))
    with pytest.raises(FiguresError) as caught:
        load_figures(path)
    assert str(caught.value).startswith(f"{path}:2:9: status: unknown status")
    assert "now called accredited official statistics" in str(caught.value)


def test_c25_a_files_own_caveat_replaces_the_default():
    figures = parse_figures(
        synthetic(
            "  m:\n    label: Offences\n    unit: count\n    better: down\n"
            "    caveat: Recorded crime counts offences, not victims.\n"
            "    values: {2020/21: 4, 2021/22: 5}\n",
            top="caveat: Police recorded crime is not a measure of all crime.\n",
        )
    )
    for fmt in ("markdown", "table"):
        text = " ".join(render(figures, fmt, width=200).split())
        assert "Police recorded crime is not a measure of all crime." in text
        assert "Offences: Recorded crime counts offences, not victims." in text
        assert DEFAULT_CAVEAT not in text
    shipped = render(load_figures(SHIPPED), "markdown")
    assert DEFAULT_CAVEAT in shipped and "Police recorded crime" not in shipped


def test_c25_a_charts_footer_carries_the_files_caveat():
    from gunstats.chart_specs import chart_specs
    from gunstats.charts import _footer

    figures = parse_figures(
        synthetic(
            "  m:\n    label: Offences\n    unit: count\n    better: down\n"
            "    values: {2020/21: 4, 2021/22: 5}\n",
            top="caveat: Police recorded crime is not a measure of all crime.\n",
        )
    )
    assert _footer(chart_specs(figures)).endswith(
        "Police recorded crime is not a measure of all crime."
    )
    assert _footer(chart_specs(load_figures(SHIPPED))).endswith(DEFAULT_CAVEAT)


def test_c26_descriptions_printed_as_definitions():
    markdown = render(load_figures(SHIPPED), "markdown")
    definitions = markdown.split("## Definitions\n\n")[1].split("\n\n")[0].splitlines()
    assert definitions == [
        "- Lethal firearms seized: Lethal firearms removed from the streets by Metropolitan "
        "Police officers.",
        "- Shootings: Firearm discharges. The statement gives no figure for 2020/21.",
        "- Shootings solved: Share of shootings solved. The statement gives no figure for 2020/21.",
    ]
    table = render(load_figures(SHIPPED), "table", width=200)
    key, definitions_and_sources = table.split("\nDefinitions\n")
    assert "Changes are calculated from unrounded figures." in key
    assert definitions_and_sources.startswith("Lethal firearms seized: Lethal firearms removed")


def test_every_rule_in_the_doc_names_tests_that_exist():
    """docs/conventions.md: each rule's "Test:" names real tests, ``::name`` in the file last
    named; every rule but C5 (significance, tested with its code) has a ``test_c<N>_`` here."""
    doc = (ROOT / "docs" / "conventions.md").read_text(encoding="utf-8")
    rules = re.findall(r"^### (C\d+)\. .*?\n(.*?)(?=^### |^## )", doc, re.MULTILINE | re.DOTALL)
    assert [rule for rule, _ in rules] == [f"C{n}" for n in range(1, 27)]
    sources = {}
    for rule, text in rules:
        (tests,) = re.findall(r"^Test:(.*?)(?:\n\n|\Z)", text, re.MULTILINE | re.DOTALL)
        named, current = [], None
        for path, name in re.findall(r"`(tests/\w+\.py)?(?:::(\w+))?`", tests):
            current = path or current
            if name:
                named.append((current, name))
        for path, name in named:
            source = sources.setdefault(path, (ROOT / path).read_text(encoding="utf-8"))
            assert f"def {name}(" in source, (rule, path, name)
        own = f"test_{rule.lower()}_"
        if rule != "C5":
            assert any(name.startswith(own) for _, name in named), rule
