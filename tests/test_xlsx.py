"""--format xlsx: GSS-style workbooks written with gptables, read back with openpyxl.

Each test opens the file a user would get and checks what the guidance on releasing
statistics in spreadsheets asks: cover, contents and notes sheets, one sheet per table,
numbers as numeric cells equal to the computed values, shorthand as text in its own cells,
no merged or blank cells, units in the headers.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gunstats.cli import cli
from gunstats.compute import build_report
from gunstats.load import load_figures
from gunstats.monthly import build_summary
from gunstats.numbers import to_json_number
from gunstats.periods import Month

from .conftest import ROOT, SHIPPED

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("gptables")

MONTHLY = ROOT / "examples" / "monthly.yaml"
VALID = sorted((ROOT / "tests" / "data" / "valid").glob("*.yaml"))
REPORT_SHEETS = [
    "Cover",
    "Contents",
    "Notes",
    "Figures_by_year",
    "Change_on_previous_year",
    "Change_since_baseline",
]
SUMMARY_SHEETS = [
    "Cover",
    "Contents",
    "Notes",
    "Normal_range",
    "Financial_year_to_date",
    "Rolling_12_months",
    "Same_month_last_year",
    "Previous_month",
]

FLAGGED = """\
title: Synthetic flagged figures (not real data)
sources:
  test: {title: Made up for tests, publisher: gunstats tests, url: "https://example.org/x"}
metrics:
  seized:
    label: Things seized
    unit: count
    better: up
    source: test
    description: Things taken away, counted when booked in.
    values:
      2019/20: 1234
      2020/21: {value: 1300, flags: [revised]}
      2021/22: {value: 1500, flags: [provisional, estimated]}
  rate:
    label: Rate solved
    unit: percent
    better: up
    source: test
    values: {2019/20: 0, 2020/21: 12.5, 2021/22: 0.125}
"""


def run(*args: str, env: dict | None = None):
    result = CliRunner().invoke(cli, list(args), env=env)
    return result


def write(path: Path, figures: Path, *extra: str, command: str = "report") -> None:
    result = run(command, "-f", str(figures), "-o", str(path), "--date", "2024-05-01", *extra)
    assert result.exit_code == 0, result.output
    assert path.read_bytes()[:2] == b"PK"  # a zip, as every xlsx is


def stored(value) -> float:
    """What an xlsx cell holds for an exact value: a double written to 16 significant digits."""
    return float(f"{float(to_json_number(value)):.16g}")


def table_rows(sheet) -> tuple[list[str], list[list]]:
    """The header and body of the sheet's one Excel table (gptables marks each table up)."""
    (_, ref), *others = sheet.tables.items()
    assert not others, f"{sheet.title}: more than one table"
    cells = [[cell for cell in row] for row in sheet[ref]]
    return [c.value for c in cells[0]], cells[1:]


def by_measure(rows) -> dict[str, list]:
    """Rows keyed by the measure's label without its note marker."""
    return {re.sub(r" \[note \d+\]$", "", row[0].value): row for row in rows}


def notes_of(book) -> dict[int, str]:
    header, rows = table_rows(book["Notes"])
    assert header == ["Note number", "Note text"]
    return {row[0].value: row[1].value for row in rows}


@pytest.fixture
def report_book(tmp_path):
    path = tmp_path / "r.xlsx"
    write(path, SHIPPED, "--format", "xlsx")
    return openpyxl.load_workbook(path)


@pytest.fixture
def flagged(write_figures):
    return write_figures(FLAGGED)


def test_a_report_has_cover_contents_notes_and_a_sheet_per_table(report_book):
    assert report_book.sheetnames == REPORT_SHEETS
    _, contents = table_rows(report_book["Contents"])
    assert [row[0].value for row in contents] == REPORT_SHEETS[3:]
    assert [row[1].value for row in contents] == [
        "Figures by financial year",
        "Change on the previous year",
        "Change since the baseline year",
    ]
    # The contents link to the sheets, so a screen-reader user can move between them.
    assert contents[0][0].hyperlink.location == "'Figures_by_year'!A1"


def test_the_cover_gives_title_date_caveat_and_sources(report_book):
    text = [row[0] for row in report_book["Cover"].iter_rows(values_only=True) if row[0]]
    assert text[0] == "Gun crime in London"
    made = "Made on 1 May 2024 from figures.yaml, which gives no as-of date for its figures."
    assert made in text
    assert (
        "The figures file does not say whether these figures are management information"
        " or official statistics." in text
    )  # C24: an unstated status is said to be unstated
    assert any(line.startswith("Figures recorded by the police reflect") for line in text)
    assert any(
        line.startswith("Source 1: Statement on tackling gun crime in London") for line in text
    )
    assert report_book.properties.title == "Gun crime in London"
    assert report_book.properties.created.date().isoformat() == "2024-05-01"


def test_figures_are_numbers_equal_to_the_computed_values(report_book):
    computed = build_report(load_figures(str(SHIPPED)))
    header, rows = table_rows(report_book["Figures_by_year"])
    assert header == ["Measure", "Unit", *(str(p) for p in computed.periods)]
    rows = by_measure(rows)
    checked = 0
    for metric_report in computed.metrics:
        metric = metric_report.metric
        row = rows[metric.label + (" (%)" if metric.unit.value == "percent" else "")]
        assert row[1].value == metric.unit.value
        for cell, period in zip(row[2:], computed.periods, strict=True):
            observation = metric_report.value_for(period)
            if observation is None:
                assert (cell.value, cell.data_type) == ("[x]", "s")
            else:
                assert cell.data_type == "n"
                assert cell.value == stored(observation.value)
                checked += 1
    assert checked == 7  # every value in the shipped file


def test_changes_are_numbers_equal_to_the_computed_comparisons(report_book):
    computed = build_report(load_figures(str(SHIPPED)))
    header, rows = table_rows(report_book["Change_since_baseline"])
    assert header == [
        "Measure",
        "Financial year",
        "Baseline year",
        "Change",
        "Change unit",
        "Relative change\n(%)",
        "Assessment",
    ]
    rows = by_measure(rows)
    for metric_report in computed.metrics:
        comparison = metric_report.since_baseline
        row = rows[metric_report.metric.label.replace("Shootings solved", "Shootings solved (%)")]
        assert [row[1].value, row[2].value] == [
            str(comparison.to_period),
            str(comparison.from_period),
        ]
        assert row[3].data_type == "n"
        assert row[3].value == stored(comparison.change)
        if metric_report.metric.unit.value == "percent":  # C1: points, never a per cent change
            assert (row[5].value, row[5].data_type) == ("[z]", "s")
        else:
            assert (row[5].value, row[5].data_type) == (stored(comparison.percent_change), "n")
        assert row[6].value == comparison.assessment.value
    # Percentages change by percentage points, and the unit says so beside the number.
    assert rows["Shootings solved (%)"][4].value == "percentage points"
    assert rows["Shootings"][4].value == "count"


def test_a_missing_change_is_shorthand_text_in_every_number_cell(report_book):
    _, rows = table_rows(report_book["Change_on_previous_year"])
    shootings = [row for row in rows if row[0].value.startswith("Shootings [note")]
    assert len(shootings) == 1  # 2020/21 is not published: the latest change is missing
    cells = shootings[0]
    assert [c.value for c in cells[1:]] == ["2021/22", "2020/21", "[x]", "count", "[x]", "[x]"]
    assert all(c.data_type == "s" for c in cells)


def test_no_merged_cells_and_no_blank_cell_inside_a_table(tmp_path, flagged):
    for figures, command, extra in [
        (SHIPPED, "report", ()),
        (flagged, "report", ()),
        (MONTHLY, "summary", ("--quiet",)),
    ]:
        path = tmp_path / f"{command}-{Path(figures).stem}.xlsx"
        write(path, figures, *extra, command=command)
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            assert not sheet.merged_cells.ranges, sheet.title
            for _, ref in sheet.tables.items():
                for row in sheet[ref]:
                    for cell in row:
                        assert cell.value not in (None, ""), f"{sheet.title}!{cell.coordinate}"


def test_headers_carry_units_or_a_unit_column_where_rows_differ(report_book):
    for name in REPORT_SHEETS[4:]:
        header, _ = table_rows(report_book[name])
        assert "Relative change\n(%)" in header and "Change unit" in header
    header, rows = table_rows(report_book["Figures_by_year"])
    assert header[1] == "Unit"
    assert {row[1].value for row in rows} == {"count", "percent"}
    # Numbers are shown as the other formats round them: thousands, one decimal for percent.
    rows = by_measure(rows)
    assert rows["Shootings"][2].number_format == "#,##0"
    assert rows["Shootings solved (%)"][2].number_format == "#,##0.0"


def test_shorthand_that_qualifies_a_number_gets_a_column_of_its_own(tmp_path, flagged):
    path = tmp_path / "flags.xlsx"
    write(path, flagged)
    book = openpyxl.load_workbook(path)
    header, rows = table_rows(book["Figures_by_year"])
    assert header == [
        "Measure",
        "Unit",
        "2019/20",
        "2020/21",
        "2020/21 shorthand",
        "2021/22",
        "2021/22 shorthand",
    ]
    seized, rate = by_measure(rows)["Things seized"], by_measure(rows)["Rate solved (%)"]
    assert [(c.value, c.data_type) for c in seized[3:]] == [
        (1300, "n"),
        ("[r]", "s"),
        (1500, "n"),
        ("[p] [e]", "s"),
    ]
    assert [c.value for c in rate[2:]] == [0, 12.5, "none", 0.125, "none"]
    legend = [row[0] for row in book["Figures_by_year"].iter_rows(values_only=True)][:6]
    assert "[p] provisional" in legend and "[r] revised" in legend
    # A change from a zero base has no percentage: [z], as the other formats show it.
    _, changes = table_rows(book["Change_on_previous_year"])
    first_rate = next(row for row in changes if row[0].value.startswith("Rate solved"))
    assert (first_rate[5].value, first_rate[5].data_type) == ("[z]", "s")


def test_the_notes_sheet_has_definitions_cited_beside_the_measure_and_the_key(tmp_path, flagged):
    path = tmp_path / "notes.xlsx"
    write(path, flagged)
    book = openpyxl.load_workbook(path)
    notes = notes_of(book)
    _, rows = table_rows(book["Figures_by_year"])
    label = rows[0][0].value
    number = int(re.fullmatch(r"Things seized \[note (\d+)\]", label).group(1))
    assert notes[number] == "Things seized: Things taken away, counted when booked in."
    texts = list(notes.values())
    for entry in ("[z] not applicable", "[p] provisional", "[r] revised", "[e] estimated"):
        assert any(text.startswith(entry) for text in texts), entry
    assert any(text.startswith("Numbers are stored unrounded") for text in texts)
    # Rate solved has no description, so it cites no note.
    assert rows[1][0].value == "Rate solved (%)"


def test_the_cover_links_a_source_with_a_plain_address(tmp_path, flagged):
    path = tmp_path / "link.xlsx"
    write(path, flagged)
    cover = openpyxl.load_workbook(path)["Cover"]
    cell = next(c for (c,) in cover.iter_rows() if str(c.value).startswith("Source 1"))
    assert cell.value == "Source 1: Made up for tests, gunstats tests"
    assert cell.hyperlink.target == "https://example.org/x"


def test_the_summary_of_the_monthly_example(tmp_path):
    path = tmp_path / "s.xlsx"
    write(path, MONTHLY, "--month", "2023-06", "--quiet", command="summary")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SUMMARY_SHEETS
    summary = build_summary(load_figures(str(MONTHLY)), Month(2023, 6))
    for position, name in enumerate(SUMMARY_SHEETS[4:]):
        header, rows = table_rows(book[name])
        first = summary.metrics[0].comparisons[position]
        assert header[2:4] == [first.label(first.current), first.label(first.earlier)]
        rows = by_measure(rows)
        for metric_summary in summary.metrics:
            metric, item = metric_summary.metric, metric_summary.comparisons[position]
            row = rows[metric.label + (" (%)" if metric.unit.value == "percent" else "")]
            for cell, side in zip(row[2:4], (item.current, item.earlier), strict=True):
                if side.value is None:
                    assert (cell.value, cell.data_type) == ("[x]", "s")
                else:
                    assert (cell.value, cell.data_type) == (stored(side.value), "n")
            if item.comparison is not None:
                assert row[4].value == stored(item.comparison.change)
                relative = item.comparison.percent_change
                percent = metric.unit.value == "percent"  # C1: no per cent change of a percentage
                assert row[6].value == ("[z]" if percent else stored(relative))
            else:
                assert [row[4].value, row[6].value, row[7].value] == ["[x]"] * 3
    # Lethal firearms seized has no June 2023 figure: [x] in all four tables.
    assert by_measure(table_rows(book["Previous_month"])[1])["Lethal firearms seized"][2].value == (
        "[x]"
    )
    notes = list(notes_of(book).values())
    assert any(text.startswith("A financial year to date or rolling 12 months") for text in notes)


def test_the_normal_range_sheet_holds_each_chart_s_mean_and_limits(tmp_path):
    from gunstats.spc import ProcessChart

    path = tmp_path / "s.xlsx"
    write(path, MONTHLY, "--month", "2023-06", "--quiet", command="summary")
    header, rows = table_rows(openpyxl.load_workbook(path)["Normal_range"])
    assert header == ["Measure", "Unit", "June 2023", "Mean", "Lower limit", "Upper limit",
                      "Status"]  # fmt: skip
    summary = build_summary(load_figures(str(MONTHLY)), Month(2023, 6))
    rows = by_measure(rows)
    charts = 0
    for metric_summary in summary.metrics:
        metric, chart = metric_summary.metric, metric_summary.spc
        row = rows[metric.label + (" (%)" if metric.unit.value == "percent" else "")]
        month = metric_summary.month.value
        assert row[2].value == ("[x]" if month is None else stored(month))
        if isinstance(chart, ProcessChart):
            charts += 1
            limits = [chart.centre, chart.lower, chart.upper]
            assert [c.value for c in row[3:6]] == [stored(v) for v in limits]
            assert {c.data_type for c in row[3:6]} == {"n"}
            assert row[3].number_format == "#,##0.0"
        assert isinstance(row[6].value, str) and row[6].value
    assert charts >= 1


def test_the_same_figures_and_date_give_the_same_bytes(tmp_path, flagged):
    first, second, later = tmp_path / "1.xlsx", tmp_path / "2.xlsx", tmp_path / "3.xlsx"
    write(first, flagged)
    write(second, flagged)
    assert first.read_bytes() == second.read_bytes()
    result = run("report", "-f", str(flagged), "-o", str(later), env={"SOURCE_DATE_EPOCH": "0"})
    assert result.exit_code == 0, result.output
    assert later.read_bytes() != first.read_bytes()
    assert openpyxl.load_workbook(later).properties.created.year == 1970


def test_the_extension_chooses_xlsx(tmp_path):
    path = tmp_path / "r.xlsx"
    result = run("report", "-f", str(SHIPPED), "-o", str(path))
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(path).sheetnames == REPORT_SHEETS


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["report", "--format", "xlsx"], {}),
        (["report", "--format", "xlsx", "-o", "-"], {}),
        (["report"], {"GUNSTATS_FORMAT": "xlsx"}),
        (["summary", "-f", str(MONTHLY), "--format", "xlsx"], {}),
    ],
)
def test_xlsx_is_never_written_to_standard_output(args, env):
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 2, result.output
    assert "xlsx is a binary format and is never written to standard output" in result.stderr
    assert "give --output FILE.xlsx" in result.stderr
    assert result.stdout == ""


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="no /dev/stdout")
def test_xlsx_is_never_written_to_a_device_or_a_terminal():
    for device in ("/dev/stdout", "/dev/null"):
        result = run("report", "--format", "xlsx", "-o", device)
        assert result.exit_code == 2, result.output
        assert "is not a regular file; xlsx is written only to a file" in result.stderr


def test_an_unwritable_output_leaves_nothing(tmp_path):
    missing = tmp_path / "no-such-folder" / "r.xlsx"
    result = run("report", "-o", str(missing))
    assert result.exit_code == 1
    assert "folder" in result.stderr and "does not exist" in result.stderr
    assert not missing.parent.exists()
    folder = tmp_path / "a-folder.xlsx"
    folder.mkdir()
    result = run("report", "-o", str(folder))
    assert result.exit_code == 1
    assert list(folder.iterdir()) == [] and list(tmp_path.iterdir()) == [folder]


def test_a_failed_spreadsheet_leaves_the_old_file_as_it_was(tmp_path, write_figures):
    symbols = write_figures(
        FLAGGED.replace("label: Rate solved", 'label: "%%%"'), name="symbols.yaml"
    )
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"last month's workbook")
    result = run("report", "-f", str(symbols), "-o", str(path))
    assert result.exit_code == 1
    assert "the label of metric 'rate' ('%%%') has no letter or digit" in result.stderr
    assert "Traceback" not in result.output
    assert path.read_bytes() == b"last month's workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.xlsx", "symbols.yaml"]


def test_text_that_gptables_would_act_on_is_written_as_text(tmp_path, write_figures):
    hostile = write_figures(
        FLAGGED.replace("label: Things seized", 'label: "=1+1 $$ref$$ [a](http://b)"')
        .replace("Synthetic flagged figures", "Synthetic $$x$$ [t](http://u) figures")
        .replace("https://example.org/x", "https://example.org/[a](b)"),
        name="hostile.yaml",
    )
    path = tmp_path / "hostile.xlsx"
    write(path, hostile)
    book = openpyxl.load_workbook(path)
    _, rows = table_rows(book["Figures_by_year"])
    label = rows[0][0]
    assert label.data_type == "s" and label.hyperlink is None
    assert label.value.replace("\u2060", "").startswith("=1+1 $$ref$$ [a](http://b) [note ")
    cover = [c for (c,) in book["Cover"].iter_rows() if c.value]
    assert cover[0].value.replace("\u2060", "") == (
        "Synthetic $$x$$ [t](http://u) figures (not real data)"
    )
    # An address gptables would misread is written out as text, not made a link.
    assert all(c.hyperlink is None for c in cover)
    source = "Source 1: Made up for tests: https://example.org/[a](b), gunstats tests"
    assert source in [str(c.value).replace("\u2060", "") for c in cover]


@pytest.mark.parametrize("case", VALID, ids=[path.stem for path in VALID])
def test_odd_but_valid_files_make_a_workbook_with_their_labels_as_written(case, tmp_path):
    path = tmp_path / "odd.xlsx"
    write(path, case)
    figures = load_figures(str(case))
    _, rows = table_rows(openpyxl.load_workbook(path)["Figures_by_year"])
    labels = [re.sub(r" \[note \d+\]$", "", row[0].value).replace("\u2060", "") for row in rows]
    assert labels == [
        m.label + (" (%)" if m.unit.value == "percent" else "") for m in figures.metrics
    ]


def test_the_cover_gives_status_notes_caveats_then_sources():
    from gunstats.render.workbook import cover_text

    status, caveats = "These figures are official statistics.", ["A caveat.", "Shootings: its own."]
    cover = cover_text("T", [], status, ["A note."], caveats, (), contact="stats@example.org")
    assert cover["about"] == [
        "These figures are official statistics.",
        "A note.",
        "A caveat.",
        "Shootings: its own.",
        "Sources: the figures file names none.",
    ]
    assert cover["contact"] == ["stats@example.org"]
    assert cover_text("T", [], "S.", (), (), ())["contact"] is None


def test_a_stated_status_and_a_measure_s_caveat_reach_the_cover(tmp_path):
    figures = tmp_path / "f.yaml"
    figures.write_text(
        SHIPPED.read_text(encoding="utf-8")
        .replace("metrics:", "status: official statistics in development\nmetrics:", 1)
        .replace(
            "    label: Shootings\n", "    label: Shootings\n    caveat: Counted by victim.\n", 1
        ),
        encoding="utf-8",
    )
    path = tmp_path / "s.xlsx"
    write(path, figures)
    text = [row[0] for row in openpyxl.load_workbook(path)["Cover"].iter_rows(values_only=True)]
    assert "These figures are official statistics in development." in text
    assert "Shootings: Counted by victim." in text


def test_a_refusal_by_gptables_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    import gptables

    def refuse(*args, **kwargs):
        raise ValueError("\n            Empty or null row found in table.\n   ")

    monkeypatch.setattr(gptables, "GPTable", refuse)
    path = tmp_path / "r.xlsx"
    result = run("report", "-o", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        "cannot write the spreadsheet: gptables refused it: Empty or null row found in table.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_the_notes_leave_out_the_pp_entry_the_spreadsheet_has_no_use_for(report_book):
    notes = list(notes_of(report_book).values())
    assert not any(text.startswith("pp:") for text in notes)
    assert any(text.startswith("Assessment says first whether") for text in notes)


def test_without_gptables_the_message_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "gptables", None)  # import gptables now fails
    path = tmp_path / "r.xlsx"
    result = run("report", "-o", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "xlsx output needs gptables, which is not installed; install it with: "
        "pip install '.[spreadsheets]' in the gunstats folder (or pip install gptables)"
    )
    assert not path.exists()


def test_python_calamine_reads_the_workbook(tmp_path):
    calamine = pytest.importorskip("python_calamine")
    path = tmp_path / "r.xlsx"
    write(path, SHIPPED)
    book = calamine.CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == REPORT_SHEETS
    rows = book.get_sheet_by_name("Figures_by_year").to_python()
    shootings = next(row for row in rows if str(row[0]).startswith("Shootings [note"))
    assert shootings[1:] == ["count", 283, "[x]", 196]


def test_the_readme_spreadsheet_commands_work(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Spreadsheets", 1)[1].split("\n##", 1)[0]
    commands = re.findall(r"^gunstats .*$", section.split("```sh", 1)[1].split("```")[0], re.M)
    assert commands
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "monthly.yaml").write_bytes(MONTHLY.read_bytes())
    for command in commands:
        args = shlex.split(command.split("#")[0])
        result = CliRunner().invoke(cli, args[1:])
        assert result.exit_code == 0, f"{command}: {result.output}"
        written = tmp_path / args[args.index("--output") + 1]
        assert openpyxl.load_workbook(written).sheetnames[:3] == ["Cover", "Contents", "Notes"]


AREAS = ROOT / "examples" / "areas.yaml"


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (("-o", "a.xlsx"), {}, "'a.xlsx' asks for xlsx, which this command lacks"),
        (("--format", "xlsx", "-o", "a.xlsx"), {}, "'xlsx' is not one of"),
        ((), {"GUNSTATS_FORMAT": "xlsx"}, "GUNSTATS_FORMAT='xlsx' is not one of table"),
    ],
)
def test_gunstats_areas_has_no_spreadsheet_and_says_so(tmp_path, monkeypatch, args, env, message):
    monkeypatch.chdir(tmp_path)
    result = run("areas", "-f", str(AREAS), "--metric", "firearm_offences", *args, env=env)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert list(tmp_path.iterdir()) == []


def test_one_area_s_report_is_a_workbook_titled_with_the_area(tmp_path):
    path = tmp_path / "cleveland.xlsx"
    write(path, AREAS, "--area", "cleveland")
    book = openpyxl.load_workbook(path)
    assert book["Cover"]["A1"].value.endswith(": Cleveland")
    _, rows = table_rows(book["Figures_by_year"])
    assert [cell.value for cell in by_measure(rows)["Firearm offences"][1:]] == ["count", 15, 34]
