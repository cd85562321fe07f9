"""The importer's pieces: period headings in every published spelling, and single cells."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from gunstats.importing.cells import CellError, Missing, Number, parse_cell
from gunstats.importing.grid import column_letters, sniff_delimiter
from gunstats.importing.headings import HeadingError, parse_heading, resolve
from gunstats.importing.tables import label_text, make_id, plain_label
from gunstats.periods import FinancialYear, Month


@pytest.mark.parametrize(
    "text",
    [
        "2019/20",
        "2019-20",
        "2019 to 2020",
        "2019/2020",
        "2019 - 2020",
        "Apr 2019 to Mar 2020",
        "April 2019 to March 2020",
        "April 2019 \u2013 March 2020",
        "Year ending March 2020",
        "year ending Mar 2020",
        "Financial year ending March 2020",
        "YE Mar 2020",
        "YE Mar. 2020",
        "  2019/20 [note 3] ",
        "2019/20\n[note 3]",
    ],
)
def test_every_spelling_of_a_financial_year(text):
    assert parse_heading(text).period == FinancialYear(2019)


@pytest.mark.parametrize(
    ("cell", "month"),
    [
        ("Jan 2023", Month(2023, 1)),
        ("January 2023", Month(2023, 1)),
        ("Sept 2023", Month(2023, 9)),
        ("2023 JAN", Month(2023, 1)),
        ("2023-01", Month(2023, 1)),
        (datetime.date(2023, 1, 1), Month(2023, 1)),
        (datetime.datetime(2023, 2, 28, 0, 0), Month(2023, 2)),
    ],
)
def test_every_spelling_of_a_month(cell, month):
    assert parse_heading(cell).period == month


@pytest.mark.parametrize(
    "cell", ["Measure", "% change", "2019", 2019.0, 2019, "", None, "Notes", "Total 2019/20"]
)
def test_what_is_not_a_period(cell):
    assert parse_heading(cell) is None


@pytest.mark.parametrize(
    "text",
    [
        "2019/21",
        "2019 to 2021",
        "Jan 2019 to Dec 2019",
        "Year ending June 2020",
        "Apr 2019 to Mar 2021",
        "Jan 1800",
    ],
)
def test_periods_gunstats_cannot_keep_are_errors(text):
    with pytest.raises(HeadingError):
        parse_heading(text)


def test_a_column_flag_in_the_heading():
    assert parse_heading("2022/23 [p]").flags == ("p",)


def test_2011_12_is_a_month_only_beside_months():
    ambiguous = parse_heading("2011-12")
    assert resolve([ambiguous, parse_heading("2010/11")]) == [
        FinancialYear(2011),
        FinancialYear(2010),
    ]
    assert resolve([ambiguous, parse_heading("Nov 2011")]) == [Month(2011, 12), Month(2011, 11)]


@pytest.mark.parametrize(
    ("cell", "value", "flags"),
    [
        (408, "408", ()),
        (408.0, "408", ()),
        (20.1, "20.1", ()),
        (0.1 + 0.2, "0.3", ()),
        ("1,234", "1234", ()),
        ("1 234", "1234", ()),
        ("1\u00a0234", "1234", ()),
        ("  12.5 ", "12.5", ()),
        ("123 [note 4]", "123", ()),
        ("123[Note 4]", "123", ()),
        ("5,750 [p]", "5750", ("provisional",)),
        ("[r] 10", "10", ("revised",)),
        ("7 [e] [p]", "7", ("estimated", "provisional")),
        ("38%", "38", ()),
    ],
)
def test_numbers(cell, value, flags):
    parsed = parse_cell(cell)
    assert isinstance(parsed, Number)
    assert (parsed.value, parsed.flags) == (Decimal(value), flags)


@pytest.mark.parametrize(
    "cell",
    [
        "[x]",
        "[X]",
        "[c]",
        "[z]",
        "[low]",
        "..",
        ":",
        "-",
        "x",
        "",
        "  ",
        None,
        "\u2013",
        "[x] [note 2]",
    ],
)
def test_not_published(cell):
    assert isinstance(parse_cell(cell), Missing)


def test_low_reliability_is_kept_as_a_remark():
    assert parse_cell("12 [u]").remarks == ("[u] low reliability",)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("n/a", "'n/a' is not a number"),
        ("12,5", "'12,5' is not a number"),
        ("1.234,5", "'1.234,5' is not a number"),
        ("12 [q]", "[q] is not shorthand gunstats knows"),
        ("12 [x]", "'12 [x]' has both a number and [x]"),
        (True, "TRUE is a true/false value, not a number"),
        (datetime.date(2023, 1, 1), "2023-01-01 is a date or time, not a number"),
    ],
)
def test_cells_that_are_errors(cell, message):
    with pytest.raises(CellError, match="^" + __import__("re").escape(message)):
        parse_cell(cell)


@pytest.mark.parametrize(
    ("label", "wanted"),
    [
        ("Shootings solved (%)", "shootings_solved"),
        ("Firearms offences [note 2]", "firearms_offences_note_2"),
        ("Armes à feu", "armes_a_feu"),
        ("2019 figures", "m_2019_figures"),
        ("%", "metric"),
    ],
)
def test_ids_from_labels(label, wanted):
    assert make_id(label) == wanted


def test_column_letters():
    assert [column_letters(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_title_rows_with_commas_do_not_fool_the_delimiter():
    text = "Table 3: offences, England and Wales\nMeasure;2019/20;2020/21\nA;1;2\nB;3;4\n"
    assert sniff_delimiter(text) == ";"


def test_a_label_with_control_characters_keeps_single_spaces():
    """Dropping unprintable characters must not leave runs of spaces in the label (which the
    unit-suffix pattern reads one space at a time)."""
    label = label_text("Rate \x01 \x01 solved \x1b (%) [note 2]")
    assert label == "Rate solved (%)"
    assert plain_label(label) == "Rate solved"
    assert plain_label("Shootings solved, %") == "Shootings solved"
