"""gunstats import --areas --metric ID, a long table's area column, and --into for areas.

The tables are written by the tests themselves (CSV, XLSX through openpyxl, ODS through
pandas and odfpy); their numbers are made up and their titles say so.
"""

from __future__ import annotations

import pytest
import yaml

from gunstats.load import load_figures
from gunstats.periods import FinancialYear

from .conftest import ROOT
from .test_import import invoke, write_csv, write_ods, write_xlsx
from .test_import_errors import fails

TITLE = "Table 5: Firearm offences by police force area, illustrative (not real data)"
HEADER = [
    "Police force area",
    "Apr 2020 to Mar 2021",
    "Year ending March 2022",
    "2022-23 [p]",
    "% change",
    "Population (mid-2022)",
]
ROWS = [
    [TITLE],
    ["Made up for the gunstats tests [note 1]."],
    [],
    HEADER,
    ["North East"],
    ["Cleveland [note 2]", 1015, 28, 34, 21.4, 567900],
    ["Durham", 45, "[c]", "22", None, 611200],
    ["Northumbria", 78, 64, "51 [r]", -20.3, 1440800],
    ["North Yorkshire", 17, "..", 11, None, 830500],
    ["England and Wales", 1155, "[x]", 118, None, 3450400],
    [],
    ["Source: made up for the gunstats tests"],
]
AREAS = ["--areas", "--metric", "firearm_offences"]


def imported(tmp_path, rows=ROWS, *options, name="t.csv"):
    path = write_csv(tmp_path / name, rows)
    result = invoke("import", str(path), *AREAS, *options)
    assert result.exit_code == 0, result.output
    out = tmp_path / "out.yaml"
    out.write_text(result.stdout, encoding="utf-8")
    return load_figures(out), result


def by_year(observations):
    return {str(o.period): (str(o.value), [f.meaning for f in o.flags]) for o in observations}


@pytest.fixture
def books(tmp_path):
    pytest.importorskip("python_calamine")
    return {
        "csv": (write_csv(tmp_path / "t5.csv", ROWS), []),
        "xlsx": (write_xlsx(tmp_path / "t5.xlsx", ROWS, sheet="Table 5"), ["--sheet", "Table 5"]),
        "ods": (write_ods(tmp_path / "t5.ods", ROWS), []),
    }


def test_a_table_by_area_imports_the_same_from_csv_xlsx_and_ods(books, tmp_path, monkeypatch):
    reports = {}
    for kind, (path, options) in books.items():
        out = tmp_path / kind / "figures.yaml"
        out.parent.mkdir()
        result = invoke("import", str(path), *options, *AREAS, "-o", str(out))
        assert result.exit_code == 0, result.output
        assert "column '% change' is not a period: left out" in result.stderr
        assert "row 'North East' has no figures: left out" in result.stderr
        assert "row 'England and Wales' is the total of all areas" in result.stderr
        monkeypatch.chdir(out.parent)
        report = invoke("areas", "-f", "figures.yaml", "--format", "markdown")
        assert report.exit_code == 0, report.output
        reports[kind] = report.stdout
    assert reports["csv"] == reports["xlsx"] == reports["ods"]
    assert "| 1 | Cleveland | 34 \\[p\\] | 567,900 | 6.0 |" in reports["csv"]


def test_areas_their_names_populations_and_the_whole(tmp_path):
    figures, result = imported(tmp_path)
    assert figures.title == TITLE
    assert [(a.id, a.name) for a in figures.areas] == [
        ("cleveland", "Cleveland"),
        ("durham", "Durham"),
        ("northumbria", "Northumbria"),
        ("north_yorkshire", "North Yorkshire"),
    ]  # "England and Wales" is the whole, not a fifth area
    assert [(p.written, p.value) for p in figures.areas[0].populations] == [("2022", 567900)]
    (metric,) = figures.metrics
    assert (metric.id, metric.label, metric.unit.value) == (
        "firearm_offences",
        "Firearm offences",
        "count",
    )
    assert by_year(metric.values) == {"2020/21": ("1155", []), "2022/23": ("118", ["provisional"])}
    series = {s.area: by_year(s.values) for s in metric.areas}
    value, flags = series["northumbria"]["2022/23"]
    assert (value, sorted(flags)) == ("51", ["provisional", "revised"])
    assert "2021/22" not in series["durham"]  # [c]: left out, never zero
    assert "2021/22" not in series["north_yorkshire"]
    assert "# 2021/22: not published (line 7, column 3 held [c])" in result.stdout
    assert "# The whole (all areas together): the table's 'England and Wales' row" in result.stdout
    assert "the total's population is left out" in result.stderr


def test_without_a_total_row_the_whole_is_left_for_the_user_to_add(tmp_path):
    rows = [r for r in ROWS if not (r and r[0] == "England and Wales")]
    figures, result = imported(tmp_path, rows)
    assert figures.metrics[0].values == ()  # never made up as the sum of the areas
    assert "# values: the table has no total row. Add the whole's values" in result.stdout


@pytest.mark.parametrize("name", ["Total", "All forces", "England & Wales", "Total recorded"])
def test_every_spelling_of_a_total_is_the_whole(tmp_path, name):
    rows = [*ROWS[:9], [name, 1155, "[x]", 118]]
    figures, _ = imported(tmp_path, rows)
    assert len(figures.areas) == 4
    assert by_year(figures.metrics[0].values)["2020/21"] == ("1155", [])


def test_two_total_rows_are_an_error(tmp_path):
    rows = [*ROWS[:10], ["Total", 1155, 1, 118]]
    path = write_csv(tmp_path / "t.csv", rows)
    assert fails(tmp_path, path, *AREAS) == (
        f"{path}:11:1: 'Total' is a total too (the total of all areas is already the row "
        f"'England and Wales' on {path}:10:1): keep one total row"
    )


def test_without_a_population_column_the_file_says_what_to_add(tmp_path):
    rows = [[cell for cell in row[:5]] for row in ROWS]
    figures, result = imported(tmp_path, rows)
    assert all(area.populations == () for area in figures.areas)
    assert "# The table gives no populations: for rates per 100,000 people, add" in result.stdout


def test_a_population_heading_without_a_year_is_the_latest_year_s_said_so(tmp_path):
    rows = [[*HEADER[:5], "Population"] if row is HEADER else row for row in ROWS]
    figures, result = imported(tmp_path, rows)
    assert [(p.written, str(p.period)) for p in figures.areas[0].populations] == [
        ("2022/23", "2022/23")
    ]
    assert "'Population' names no year: taken as 2022/23's, the table's latest year" in (
        result.stdout
    )


def test_ids_are_made_unique_and_names_kept(tmp_path):
    rows = [HEADER[:3], ["St Helens", 1, 2], ["St. Helens", 3, 4], ["Ynys Môn", 5, 6],
            ["M Division", 7, 8], ["101 Ward", 9, 10], ["***", 11, 12]]  # fmt: skip
    figures, _ = imported(tmp_path, rows)
    assert [(a.id, a.name) for a in figures.areas] == [
        ("st_helens", "St Helens"),
        ("st_helens_2", "St. Helens"),
        ("ynys_mon", "Ynys Môn"),
        ("m_division", "M Division"),
        ("area_101_ward", "101 Ward"),
        ("area", "***"),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([HEADER[:3], ["Kent", "12%", 3]], ":2:1: a percentage by area cannot be imported"),
        ([["Area (%)", "2019/20", "2020/21"], ["Kent", 1, 2]], ":1:1: a percentage by area"),
        ([["Rate per 100,000"], HEADER[:3], ["Kent", 1, 2]], ":1: 'Rate per 100,000' reads as a"),
        ([HEADER[:3], ["Kent", 1, 2], ["kent", 3, 4]], ":3:1: area 'kent' is also the row on"),
        ([HEADER[:3], ["Kent", 1, "n/a"]], ":2:3: 'n/a' is not a number"),
        ([HEADER[:3], [None, 1, 2]], ":2:2: figures with no area"),
        ([HEADER[:3], ["Kent", 1.5, 2]], ":2:2: 1.5 is not a whole number"),
        ([HEADER, ["Kent", 1, 2, 3, None, "many"]], ":2:6: 'many' is not a number"),
        ([HEADER, ["Kent", 1, 2, 3, None, 0]], ":2:6: 0 is not a population"),
        ([["Area", "Jan 2023", "Feb 2023", "Population"], ["Kent", 1, 2, 5]], ":1:4: 'Populat"),
        ([HEADER[:3], ["Total", 1, 2]], ":1: the table under this header names no areas"),
    ],
)
def test_bad_tables_by_area_are_one_line_each_and_write_nothing(tmp_path, rows, message):
    path = write_csv(tmp_path / "t.csv", rows)
    error = fails(tmp_path, path, *AREAS)
    assert error.startswith(str(path)) and message in error, error
    assert "\n" not in error


def test_a_bad_cell_in_a_workbook_is_named_by_sheet_and_cell(tmp_path):
    pytest.importorskip("python_calamine")
    rows = [[TITLE], HEADER[:3], ["Kent", 1, "soon"]]
    book = write_xlsx(tmp_path / "b.xlsx", rows, sheet="Table 5", extra_sheets=())
    assert fails(tmp_path, book, *AREAS) == f"{book}:Table 5!C3: 'soon' is not a number"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--areas"], "--areas needs --metric ID"),
        (["--metric", "a"], "--metric is for --areas"),
        (["--areas", "--metric", "9lives"], "an id starts with a letter"),
    ],
)
def test_areas_and_metric_go_together(tmp_path, options, message):
    result = invoke("import", str(write_csv(tmp_path / "t.csv", ROWS)), *options)
    assert result.exit_code == 2 and message in result.stderr, result.output


def test_areas_with_a_long_table_is_an_error(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["metric", "period", "value"], ["a", "2019/20", "1"]])
    assert "this is a long table" in fails(tmp_path, path, *AREAS)


def test_areas_that_do_not_add_up_to_the_whole_are_reported(tmp_path):
    rows = [*ROWS[:9], ["England and Wales", 6622, "[x]", 5750]]
    _, result = imported(tmp_path, rows)
    assert (
        "warning: metrics.firearm_offences.values.2020/21: the 4 areas add up to 1,155, but "
        "the whole is given as 6,622" in result.stderr
    )


# -- long tables with an area column ----------------------------------------------------------

LONG = [
    ["Metric", "Area", "Period", "Value", "Population", "Flags"],
    ["Firearm offences", "Cleveland", "2021/22", "28", "567900", ""],
    ["Firearm offences", "Cleveland", "2022/23", "34", "567900", "p"],
    ["Firearm offences", "Durham", "2021/22", "[c]", "", ""],
    ["Firearm offences", "Durham", "2022/23", "22", "611200", "p"],
    ["Firearm offences", "England and Wales", "2021/22", "5,800", "", ""],
    ["Firearm offences", "", "2022/23", "5,200", "", "p"],
    ["Shootings", "Cleveland", "2022/23", "3", "", ""],
]


def test_a_long_table_s_area_column_feeds_the_areas_format(tmp_path):
    path = write_csv(tmp_path / "long.csv", LONG)
    result = invoke("import", str(path))
    assert result.exit_code == 0, result.output
    (tmp_path / "out.yaml").write_text(result.stdout, encoding="utf-8")
    figures = load_figures(tmp_path / "out.yaml")
    assert [(a.id, a.name) for a in figures.areas] == [
        ("cleveland", "Cleveland"),
        ("durham", "Durham"),
    ]
    cleveland = figures.areas[0]
    assert [(p.written, p.value) for p in cleveland.populations] == [
        ("2021/22", 567900),
        ("2022/23", 567900),
    ]
    offences, shootings = figures.metrics
    assert by_year(offences.values) == {
        "2021/22": ("5800", []),
        "2022/23": ("5200", ["provisional"]),
    }
    assert {s.area: by_year(s.values) for s in offences.areas} == {
        "cleveland": {"2021/22": ("28", []), "2022/23": ("34", ["provisional"])},
        "durham": {"2022/23": ("22", ["provisional"])},
    }
    assert shootings.values == () and [s.area for s in shootings.areas] == ["cleveland"]
    assert "area 'England and Wales' is the total of all areas" in result.stderr


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["metric", "area", "period", "value"], ["a", "Kent", "2019/20", "1"],
          ["a", "Kent", "2019/20", "2"]], ":3:3: A 2019/20 for Kent is given twice"),
        ([["metric", "area", "period", "value", "population"], ["a", "Kent", "2019-01", "1", "9"]],
         ":2:5: a population is for a year"),
        ([["metric", "area", "period", "value", "population"], ["a", "Kent", "2019/20", "1", "9"],
          ["b", "Kent", "2019/20", "1", "8"]], ":3:5: Kent's population for 2019/20 is 8 here"),
        ([["metric", "area", "period", "value", "unit"], ["a", "Kent", "2019/20", "1", "percent"]],
         ":2:1: a percentage by area cannot be imported"),
    ],
)  # fmt: skip
def test_bad_long_tables_by_area(tmp_path, rows, message):
    path = write_csv(tmp_path / "t.csv", rows)
    error = fails(tmp_path, path)
    assert message in error, error


# -- --into -----------------------------------------------------------------------------------

NEW_YEAR = [
    ["Firearm offences by force, illustrative (not real data)"],
    ["Force", "2008/09", "2009/10", "Population mid-2009"],
    ["Cleveland", 34, 30, 557000],
    ["Durham", 22, "[x]", 612000],
    ["Northumbria", 51, 49, None],
    ["North Yorkshire", 11, 9, None],
    ["Cumbria", None, 12, 494000],
]


def into(tmp_path, rows, *options):
    target = tmp_path / "areas.yaml"
    if not target.exists():
        target.write_bytes((ROOT / "examples" / "areas.yaml").read_bytes())
    path = write_csv(tmp_path / "new.csv", rows)
    return target, invoke("import", str(path), *AREAS, "--into", str(target), *options)


def test_into_adds_areas_periods_and_populations_keeping_comments(tmp_path):
    before = (ROOT / "examples" / "areas.yaml").read_text(encoding="utf-8")
    target, result = into(tmp_path, NEW_YEAR)
    assert result.exit_code == 0, result.output
    after = target.read_text(encoding="utf-8")
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert all(line in after.splitlines() for line in comments)
    assert (
        "      2008/09: 557000             # illustrative: 34 offences at 6.1 per 100,000" in after
    )
    figures = load_figures(target)
    assert [a.id for a in figures.areas][-1] == "cumbria"
    durham = next(a for a in figures.areas if a.id == "durham")
    assert [(p.written, p.value) for p in durham.populations] == [
        ("2008/09", 611000),
        ("2009", 612000),
    ]
    (metric,) = figures.metrics
    series = {s.area: by_year(s.values) for s in metric.areas}
    assert series["cleveland"] == {
        "2007/08": ("15", []),
        "2008/09": ("34", []),
        "2009/10": ("30", []),
    }
    assert series["cumbria"] == {"2009/10": ("12", [])}
    assert "2009/10" not in series["durham"]
    assert "added 1 area(s): cumbria" in result.stderr
    assert "added 4 value(s), revised 0, 4 already there" in result.stderr


def test_into_a_changed_value_is_an_error_unless_revised(tmp_path):
    rows = [NEW_YEAR[1], ["Durham", 23, 20]]
    target, result = into(tmp_path, rows)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{tmp_path / 'new.csv'}:2:2: firearm_offences Durham 2008/09 is 22 in {target} but 23 "
        "in the table (add --revise to take the table's value, flagged revised)"
    )
    assert target.read_bytes() == (ROOT / "examples" / "areas.yaml").read_bytes()
    target, result = into(tmp_path, rows, "--revise")
    assert result.exit_code == 0, result.output
    series = {s.area: s for s in load_figures(target).metrics[0].areas}
    revised = {o.period: o for o in series["durham"].values}[FinancialYear(2008)]
    assert (str(revised.value), [f.meaning for f in revised.flags]) == ("23", ["revised"])


def test_into_a_changed_population_is_an_error_unless_revised(tmp_path):
    rows = [["Force", "2008/09", "2009/10", "Population 2008"], ["Durham", 22, 20, 600000]]
    target, result = into(tmp_path, rows)
    assert result.exit_code == 1
    assert "Durham's population for 2008/09 is 611000 in" in result.stderr
    assert target.read_bytes() == (ROOT / "examples" / "areas.yaml").read_bytes()
    target, result = into(tmp_path, rows, "--revise")
    assert result.exit_code == 0, result.output
    durham = next(a for a in load_figures(target).areas if a.id == "durham")
    assert [(p.written, p.value) for p in durham.populations] == [("2008/09", 600000)]


def test_into_a_file_without_areas_adds_them_and_a_new_metric(tmp_path):
    target = tmp_path / "areas.yaml"
    target.write_text(
        "# Synthetic (not real data).\ntitle: T\nmetrics:\n  a: {label: A, unit: count, "
        "better: up, values: {2019/20: 1}}\n",
        encoding="utf-8",
    )
    target, result = into(tmp_path, ROWS)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert list(data) == ["title", "areas", "metrics"]
    figures = load_figures(target)
    assert [m.id for m in figures.metrics] == ["a", "firearm_offences"]
    assert len(figures.areas) == 4 and target.read_text().startswith("# Synthetic")


def test_an_imported_file_by_area_passes_the_schema(tmp_path):
    from .test_schema import as_json, validator

    _, result = imported(tmp_path)
    assert list(validator().iter_errors(as_json(yaml.safe_load(result.stdout)))) == []


def test_a_long_table_s_metric_named_by_one_capitalised_word(tmp_path):
    rows = [
        ["metric", "period", "value"],
        ["Shootings", "2019/20", "1"],
        ["Shootings", "2020/21", "2"],
    ]
    result = invoke("import", str(write_csv(tmp_path / "t.csv", rows)))
    assert result.exit_code == 0, result.output
    assert "  shootings:\n    label: Shootings\n" in result.stdout
