"""Bad input to gunstats import: one clear line per problem, with its place, exit 1, and
nothing written. The tables are synthetic."""

from __future__ import annotations

import pytest

from .test_import import invoke, write_csv, write_xlsx

HEADER = ["Measure", "2019/20", "2020/21", "2021/22"]


def fails(tmp_path, source, *options):
    out = tmp_path / "out.yaml"
    result = invoke("import", str(source), *options, "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not out.exists(), "nothing may be written on an error"
    assert result.stdout == ""
    return result.stderr.strip()


@pytest.fixture
def calamine():
    return pytest.importorskip("python_calamine")


def test_a_value_that_is_text_is_named_by_sheet_and_cell(tmp_path, calamine):
    rows = [["Illustrative (not real data)"], HEADER, ["Shootings", 283, "n/a", 196]]
    book = write_xlsx(tmp_path / "book.xlsx", rows, sheet="Table 3", extra_sheets=())
    assert fails(tmp_path, book) == f"{book}:Table 3!C3: 'n/a' is not a number"


def test_a_value_that_is_text_in_csv_is_named_by_line_and_column(tmp_path):
    rows = [["Illustrative (not real data)"], [], HEADER, ["Shootings", "283", "12 apples", "196"]]
    path = write_csv(tmp_path / "t.csv", rows)
    assert fails(tmp_path, path) == f"{path}:4:3: '12 apples' is not a number"


def test_every_bad_cell_is_reported_at_once(tmp_path):
    rows = [HEADER, ["Shootings", "283", "?", "196"], ["Seizures", "x1", "2", "3"]]
    message = fails(tmp_path, write_csv(tmp_path / "t.csv", rows))
    assert message.splitlines() == [
        f"{tmp_path / 't.csv'}:2:3: '?' is not a number",
        f"{tmp_path / 't.csv'}:3:2: 'x1' is not a number",
    ]


def test_a_sheet_that_does_not_exist_lists_the_sheets(tmp_path, calamine):
    book = write_xlsx(tmp_path / "book.xlsx", [HEADER], sheet="Table 3")
    assert fails(tmp_path, book, "--sheet", "Table 9") == (
        f"{book}: no sheet 'Table 9' (the sheets are 'Cover', 'Notes', 'Table 3'; or give a "
        "number from 1 to 3)"
    )


def test_a_sheet_by_number(tmp_path, calamine):
    book = write_xlsx(tmp_path / "book.xlsx", [HEADER, ["Shootings", 1, 2, 3]], sheet="Table 3")
    result = invoke("import", str(book), "--sheet", "3")
    assert result.exit_code == 0, result.output
    assert "2021/22: 3" in result.stdout


def test_an_empty_sheet(tmp_path, calamine):
    book = write_xlsx(tmp_path / "book.xlsx", [], sheet="Table 3", extra_sheets=())
    assert fails(tmp_path, book) == f"{book}:Table 3: sheet is empty"


def test_an_empty_csv(tmp_path):
    (tmp_path / "t.csv").write_text("", encoding="utf-8")
    assert fails(tmp_path, tmp_path / "t.csv") == f"{tmp_path / 't.csv'}: file is empty"


def test_a_header_with_no_periods(tmp_path):
    rows = [["Measure", "2019", "2020"], ["Shootings", "283", "196"]]
    path = write_csv(tmp_path / "t.csv", rows)
    message = fails(tmp_path, path)
    assert message.startswith(f"{path}:1: no table found: no row has two or more period headings")
    assert message.endswith("calendar years such as 2019 are not periods gunstats keeps")


def test_a_file_that_is_not_a_table(tmp_path):
    (tmp_path / "notes.csv").write_text("Dear colleague,\nthe figures follow.\n", encoding="utf-8")
    message = fails(tmp_path, tmp_path / "notes.csv")
    assert "no table found" in message


def test_binary_data_named_csv(tmp_path):
    (tmp_path / "t.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert "not a text table (it holds binary data)" in fails(tmp_path, tmp_path / "t.csv")


def test_two_columns_for_the_same_period(tmp_path):
    rows = [["Measure", "2019/20", "2019 to 2020"], ["Shootings", "283", "283"]]
    path = write_csv(tmp_path / "t.csv", rows)
    assert fails(tmp_path, path) == (
        f"{path}:1:3: period 2019/20 is also the heading of line 1, column 2 ('2019/20'); keep "
        "one column per period"
    )


def test_a_period_gunstats_cannot_keep(tmp_path, calamine):
    rows = [["Measure", "Year ending March 2020", "Year ending June 2020"], ["A", 1, 2]]
    book = write_xlsx(tmp_path / "book.xlsx", rows, sheet="T", extra_sheets=())
    assert fails(tmp_path, book) == (
        f"{book}:T!C1: 'year ending june 2020' is a year ending june, not a financial year (year "
        "ending March); gunstats keeps financial years and months"
    )


def test_a_fraction_in_a_count_row(tmp_path):
    path = write_csv(tmp_path / "t.csv", [HEADER, ["Shootings", "283", "12.5", "196"]])
    assert fails(tmp_path, path) == (
        f"{path}:2:3: 12.5 is not a whole number, and this row is a count (say % or per cent in "
        "its label if it is a percentage)"
    )


def test_a_rate_per_head_is_refused(tmp_path):
    path = write_csv(tmp_path / "t.csv", [HEADER, ["Rate per 100,000 population", "1", "2", "3"]])
    assert "is a rate per head of population" in fails(tmp_path, path)


def test_a_corrupt_workbook(tmp_path, calamine):
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04" + b"junk" * 100)
    assert fails(tmp_path, tmp_path / "book.xlsx").startswith(
        f"{tmp_path / 'book.xlsx'}: not a readable workbook ("
    )


def test_a_password_protected_workbook(tmp_path, calamine):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = write_xlsx(tmp_path / "plain.xlsx", [HEADER, ["A", 1, 2, 3]])
    with open(plain, "rb") as source, open(tmp_path / "locked.xlsx", "wb") as locked:
        ooxml.OOXMLFile(source).encrypt("secret", locked)
    assert fails(tmp_path, tmp_path / "locked.xlsx") == (
        f"{tmp_path / 'locked.xlsx'}: the workbook is protected with a password (save an "
        "unprotected copy to import)"
    )


def test_a_missing_source_file(tmp_path):
    assert fails(tmp_path, tmp_path / "nowhere.csv") == f"{tmp_path / 'nowhere.csv'}: no such file"


def test_a_long_table_with_the_same_figure_twice(tmp_path):
    rows = [
        ["metric", "period", "value"],
        ["shootings", "2019/20", "1"],
        ["shootings", "2019-20", "2"],
    ]
    path = write_csv(tmp_path / "t.csv", rows)
    assert fails(tmp_path, path) == (
        f"{path}:3:2: Shootings 2019/20 is given twice (first on {path}:2); keep one"
    )


def test_a_long_table_with_a_bad_unit_and_flag(tmp_path):
    rows = [
        ["metric", "period", "value", "unit", "flags"],
        ["a", "2019/20", "1", "kg", ""],
        ["b", "2019/20", "1", "count", "maybe"],
    ]
    path = write_csv(tmp_path / "t.csv", rows)
    assert fails(tmp_path, path).splitlines() == [
        f"{path}:2:4: 'kg' is not one of: count | percent",
        f"{path}:3:5: 'maybe' is not a flag (expected p, r, e, b or provisional, revised, "
        "estimated, break)",
    ]


def test_a_long_table_by_area_is_refused_not_read_as_the_whole(tmp_path):
    rows = [["metric", "period", "value", "area"], ["a", "2019/20", "1", "Kent"]]
    path = write_csv(tmp_path / "t.csv", rows)
    assert "does not read figures by area yet" in fails(tmp_path, path)


def test_a_table_that_starts_in_column_b_keeps_the_sheet_s_cell_names(tmp_path, calamine):
    rows = [[], [None, "Illustrative (not real data)"], [None, None, "2019/20", "2020/21"],
            [None, "Shootings", 283, "soon"]]  # fmt: skip
    book = write_xlsx(tmp_path / "book.xlsx", rows, sheet="Table 3", extra_sheets=())
    assert fails(tmp_path, book) == f"{book}:Table 3!D4: 'soon' is not a number"
