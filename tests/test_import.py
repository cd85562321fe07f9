"""gunstats import: published tables (CSV, XLSX, ODS) to figures files.

The fixture is an ONS-style wide table written by the tests themselves in all three formats:
title and note rows, a header in several period spellings, [x] and [c] cells, footnote and
flag markers, a "% change" column and a source line under the table. Its numbers are made
up and the title says so.
"""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from gunstats.cli import cli
from gunstats.load import load_figures
from gunstats.periods import FinancialYear, Month

TITLE = "Table 3: Firearms offences, illustrative (not real data)"
HEADER = [
    "Measure",
    "Apr 2019 to Mar 2020",
    "Year ending March 2021",
    "2021/22",
    "2022-23 [p]",
    "% change 2021/22 to 2022/23",
]
# Cells as a spreadsheet holds them: numbers as numbers, shorthand as text.
BODY = [
    ["Firearms offences [note 2]", 6622, 5807, "[x]", 5750, -1.2],
    ["Offences with injury", 1834, "[c]", "1540 [r]", 1489, -3.3],
    ["Offences solved (%)", 20.1, 22.4, "..", 25, None],
]
ROWS = [
    [TITLE],
    ["This worksheet contains one table. Some cells refer to notes [note 1]."],
    [],
    HEADER,
    *BODY,
    [],
    ["Source: made up for the gunstats tests"],
]


def as_csv_cell(cell):
    """How a CSV export writes a cell: thousands separators and all."""
    if cell is None:
        return ""
    if isinstance(cell, int):
        return f"{cell:,}"
    return str(cell)


def write_csv(path, rows=ROWS, **options):
    with open(path, "w", newline="", encoding=options.pop("encoding", "utf-8")) as handle:
        writer = csv.writer(handle, **options)
        for row in rows:
            writer.writerow([as_csv_cell(c) for c in row])
    return path


def write_xlsx(path, rows=ROWS, sheet="Table 3", extra_sheets=("Cover", "Notes")):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.title = extra_sheets[0] if extra_sheets else sheet
    for name in extra_sheets[1:]:
        workbook.create_sheet(name)
    table = workbook.create_sheet(sheet) if extra_sheets else workbook.active
    for row in rows:
        table.append(list(row) if row else [None])
    workbook.save(path)
    return path


def write_ods(path, rows=ROWS):
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("odf")
    width = max(len(r) for r in rows)
    frame = pandas.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], dtype=object)
    with pandas.ExcelWriter(path, engine="odf") as writer:
        frame.to_excel(writer, sheet_name="Table 3", header=False, index=False)
    return path


def invoke(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.fixture
def books(tmp_path):
    pytest.importorskip("python_calamine")
    return {
        "csv": (write_csv(tmp_path / "table-3.csv"), []),
        "xlsx": (write_xlsx(tmp_path / "table-3.xlsx"), ["--sheet", "Table 3"]),
        "ods": (write_ods(tmp_path / "table-3.ods"), []),
    }


def test_the_same_table_imports_to_the_same_report_from_csv_xlsx_and_ods(
    books, tmp_path, monkeypatch
):
    reports = {}
    for kind, (path, options) in books.items():
        out = tmp_path / kind / "figures.yaml"
        out.parent.mkdir()
        result = invoke("import", str(path), *options, "-o", str(out))
        assert result.exit_code == 0, result.output
        assert "'% change 2021/22 to 2022/23' is not a period: left out" in result.stderr
        assert "'Source: made up for the gunstats tests' has no figures: left out" in result.stderr
        monkeypatch.chdir(out.parent)
        report = invoke(
            "report", "-f", "figures.yaml", "--format", "markdown", "--date", "2026-01-01"
        )
        assert report.exit_code == 0, report.output
        reports[kind] = report.stdout
    assert reports["csv"] == reports["xlsx"] == reports["ods"]
    assert "| Firearms offences | 6,622 | 5,807 | \\[x\\] | 5,750 \\[p\\] |" in reports["csv"]


def test_an_import_reads_every_figure_flag_and_gap(books, tmp_path):
    path, options = books["xlsx"]
    result = invoke("import", str(path), *options)
    assert result.exit_code == 0, result.output
    (tmp_path / "out.yaml").write_text(result.stdout, encoding="utf-8")
    figures = load_figures(tmp_path / "out.yaml")
    assert figures.title == TITLE
    offences, injury, solved = figures.metrics
    assert (offences.id, offences.label, offences.unit.value) == (
        "firearms_offences",
        "Firearms offences",
        "count",
    )
    assert [(str(o.period), str(o.value)) for o in offences.values] == [
        ("2019/20", "6622"),
        ("2020/21", "5807"),
        ("2022/23", "5750"),
    ]
    assert [f.meaning for f in offences.values[-1].flags] == ["provisional"]
    injury_by_year = {o.period: o for o in injury.values}
    assert [f.meaning for f in injury_by_year[FinancialYear(2021)].flags] == ["revised"]
    assert FinancialYear(2020) not in injury_by_year  # [c]: left out, never zero
    assert (solved.id, solved.label, solved.unit.value) == (
        "offences_solved",
        "Offences solved",
        "percent",
    )
    assert str({o.period: o.value for o in solved.values}[FinancialYear(2019)]) == "20.1"
    assert all(m.better.value == "neither" for m in figures.metrics)
    assert "# 2021/22: not published (D5 held [x])" in result.stdout
    assert "# 2020/21: not published (C6 held [c])" in result.stdout
    assert "better: neither  # set to up or down" in result.stdout


def test_source_options_become_the_figures_source(tmp_path):
    path = write_csv(tmp_path / "t.csv")
    result = invoke(
        "import",
        str(path),
        "--source-title",
        "Made-up table 3",
        "--publisher",
        "gunstats tests",
        "--source-url",
        "https://example.org/t3",
    )
    assert result.exit_code == 0, result.output
    (tmp_path / "out.yaml").write_text(result.stdout, encoding="utf-8")
    figures = load_figures(tmp_path / "out.yaml")
    (source,) = figures.sources
    assert (source.title, source.publisher, source.url) == (
        "Made-up table 3",
        "gunstats tests",
        "https://example.org/t3",
    )
    assert {m.source for m in figures.metrics} == {source.id}


def test_source_details_without_a_title_are_a_usage_error(tmp_path):
    result = invoke("import", str(write_csv(tmp_path / "t.csv")), "--publisher", "ONS")
    assert result.exit_code == 2
    assert "add --source-title" in result.stderr


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8", ","),
        ("utf-8-sig", ","),
        ("cp1252", ","),
        ("utf-8", ";"),
        ("utf-8", "\t"),
        ("utf-16", "\t"),
    ],
)
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    rows = [["Measure", "2019/20", "2020/21"], ["Café seizures \u2013 £ worth", "1", "2"]]
    path = write_csv(tmp_path / "t.csv", rows, encoding=encoding, delimiter=delimiter)
    result = invoke("import", str(path))
    assert result.exit_code == 0, result.output
    assert "label: Café seizures \u2013 £ worth" in result.stdout
    assert "cafe_seizures_worth:" in result.stdout


def test_a_long_table_in_any_column_order_and_case(tmp_path):
    rows = [
        ["Illustrative long table (not real data)"],
        ["VALUE", "Period", "Metric", "Flags", "Unit", "Better", "Comment"],
        ["14", "2023-01", "shootings", "", "count", "down", "ignored"],
        ["[x]", "2023-02", "shootings", "", "count", "down", ""],
        ["12", "Mar 2023", "shootings", "p", "count", "down", ""],
        ["38.5", "2022/23", "Shootings solved", "", "percent", "up", ""],
    ]
    result = invoke("import", str(write_csv(tmp_path / "long.csv", rows)))
    assert result.exit_code == 0, result.output
    assert "column 'Comment' is not one gunstats reads" in result.stderr
    (tmp_path / "out.yaml").write_text(result.stdout, encoding="utf-8")
    shootings, solved = load_figures(tmp_path / "out.yaml").metrics
    assert shootings.better.value == "down"
    assert [(str(o.period), int(o.value)) for o in shootings.months] == [
        ("2023-01", 14),
        ("2023-03", 12),
    ]
    assert shootings.months[-1].flags[0].meaning == "provisional"
    assert (solved.id, solved.unit.value, str(solved.values[0].value)) == (
        "shootings_solved",
        "percent",
        "38.5",
    )


def test_months_in_every_spelling(tmp_path):
    rows = [
        ["Measure", "Jan 2023", "February 2023", "2023 MAR", "2023-04", "2011-12"],
        ["Shootings", "1", "2", "3", "4", "5"],
    ]
    result = invoke("import", str(write_csv(tmp_path / "m.csv", rows)))
    assert result.exit_code == 0, result.output
    (tmp_path / "out.yaml").write_text(result.stdout, encoding="utf-8")
    (metric,) = load_figures(tmp_path / "out.yaml").metrics
    # Beside months, 2011-12 is December 2011, not the financial year 2011/12.
    assert [o.period for o in metric.months] == [
        Month(2011, 12),
        Month(2023, 1),
        Month(2023, 2),
        Month(2023, 3),
        Month(2023, 4),
    ]


def test_output_is_never_overwritten_without_force(tmp_path):
    path = write_csv(tmp_path / "t.csv")
    out = tmp_path / "figures.yaml"
    out.write_text("keep me\n", encoding="utf-8")
    result = invoke("import", str(path), "-o", str(out))
    assert result.exit_code == 1
    assert "already exists (add --force to replace it" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me\n"
    result = invoke("import", str(path), "-o", str(out), "--force")
    assert result.exit_code == 0, result.output
    load_figures(out)


def test_a_workbook_without_calamine_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "python_calamine", None)
    (tmp_path / "t.xlsx").write_bytes(b"not read")
    result = invoke("import", str(tmp_path / "t.xlsx"))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "needs the spreadsheets extra: pip install '.[spreadsheets]' in the gunstats folder "
        "(or pip install python-calamine)"
    )


def test_schema_is_printed_as_shipped():
    from gunstats.schema import schema_path

    result = invoke("schema")
    assert result.exit_code == 0
    with open(schema_path(), encoding="utf-8") as handle:
        assert json.loads(result.stdout) == json.load(handle)
