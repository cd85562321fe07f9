"""Issue 14, the promises about output: a filter never invents a gap, numbers are exact in
every machine format, text cannot become a formula or drive a terminal, narrow terminals keep
every measure, unit and digit. Figures written here are synthetic and say so."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from gunstats.cli import cli


@pytest.fixture
def run(monkeypatch, tmp_path):
    """Run gunstats in an empty folder, so the shipped figures are the default."""
    monkeypatch.chdir(tmp_path)
    for name in ("GUNSTATS_FIGURES", "GUNSTATS_FORMAT", "NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args, env=None, expect=0):
        result = CliRunner().invoke(cli, list(args), env=env)
        assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
        return result

    return invoke


def _comparisons(document, metric_id):
    metric = next(m for m in document["metrics"] if m["id"] == metric_id)
    return [(c["kind"], c["from"], c["to"], c["change"]) for c in metric["comparisons"]]


# -- item 16: a filter must not turn data into "not published" ------------------------------


def test_from_keeps_the_change_on_a_previous_year_that_is_in_the_file(run):
    markdown = run("report", "--from", "2021/22", "--format", "markdown").stdout
    # 480 for 2020/21 is in the file: the change is +44, not [x] "not published".
    seized = "| Lethal firearms seized | 2021/22 compared with 2020/21 | +44 | +9.2 |"
    assert f"{seized} no significant change |" in markdown
    assert "up 44 (9.2%) from 480 in 2020/21" in markdown
    # Shootings for 2020/21 really is not in the file: that gap stays [x].
    assert "| Shootings | 2021/22 compared with 2020/21 | \\[x\\] | \\[x\\] | \\[x\\] |" in markdown
    document = json.loads(run("report", "--from", "2021/22", "--format", "json").stdout)
    assert document["periods"] == ["2021/22"]
    assert _comparisons(document, "lethal_firearms_seized") == [
        ("year_on_year", "2020/21", "2021/22", 44)
    ]
    rows = list(
        csv.DictReader(io.StringIO(run("report", "--from", "2021/22", "--format", "csv").stdout))
    )
    seized = next(r for r in rows if r["metric"] == "lethal_firearms_seized")
    assert (seized["previous_period"], seized["change"]) == ("2020/21", "44")


def test_a_baseline_before_from_is_compared_not_missing(run):
    args = ("report", "--from", "2021/22", "--baseline", "2019/20", "--format", "json")
    document = json.loads(run(*args).stdout)
    assert ("since_baseline", "2019/20", "2021/22", -87) in _comparisons(document, "shootings")
    markdown = run(*args[:-1], "markdown").stdout
    assert "| Shootings | 2021/22 compared with 2019/20 | -87 | -30.7 | better |" in markdown


def test_baseline_after_to_is_a_usage_error(run):
    result = run("report", "--baseline", "2021/22", "--to", "2020/21", expect=2)
    assert "--baseline 2021/22 is after --to 2020/21" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ("--baseline", "2021/22"),  # the latest year in the file: the table silently vanished
        ("--baseline", "2020/21", "--to", "2020/21"),
        ("--baseline", "2019/20", "--metric", "shootings", "--to", "2019/20"),
    ],
)
def test_a_baseline_with_nothing_after_it_is_a_usage_error(run, args):
    result = run("report", *args, "--format", "markdown", expect=2)
    assert "is not before" in result.stderr and "the latest year shown" in result.stderr
    assert result.stdout == ""


# -- item 17: a ratio_of rate above 100% --------------------------------------------------

OVER_100 = """\
title: Synthetic rates over 100% (not real data)
metrics:
  solved_count:
    label: Solved (number)
    unit: count
    better: up
    months:
      2023-01: 3
      2023-02: 12
      2023-03: 4
      2023-04: 9
  shootings:
    label: Shootings
    unit: count
    better: down
    months: {2023-01: 10, 2023-02: 5, 2023-03: 8, 2023-04: 6}
  solved:
    label: Solved
    unit: percent
    better: up
    ratio_of: {numerator: solved_count, denominator: shootings}
"""


def test_a_rate_over_100_is_warned_about_once_per_month(run, write_figures):
    path = write_figures(OVER_100)
    result = run("validate", "-f", str(path))
    warnings = [line for line in result.stderr.splitlines() if "over 100%" in line]
    assert warnings == [
        f"{path}:9: warning: metrics.solved.ratio_of: in February 2023 (2023-02) solved_count "
        "is 12, more than shootings (5): a rate of 240.0%, over 100%; it is shown flagged [u] "
        "(low reliability)",
        f"{path}:11: warning: metrics.solved.ratio_of: in April 2023 (2023-04) solved_count "
        "is 9, more than shootings (6): a rate of 150.0%, over 100%; it is shown flagged [u] "
        "(low reliability)",
    ]
    assert result.stdout.endswith("valid: 3 metrics, 8 values, 0 sources\n")


def test_a_rate_over_100_is_shown_with_a_flag(run, write_figures):
    path = str(write_figures(OVER_100))
    args = ("summary", "-f", path, "--month", "2023-04", "--metric", "solved")
    markdown = run(*args, "--format", "markdown").stdout
    # April alone is 150% and flagged; March, 4 of 8, is not.
    # A table of percentages alone: "Change (percentage points)" in the header, not "pp".
    assert "| Solved (%) | 150.0 \\[u\\] | 50.0 | +100.0 | better (not tested) |" in markdown
    assert "- \\[u\\] low reliability: a rate over 100%" in markdown
    table = run(*args, "--format", "table", env={"COLUMNS": "120"}).stdout
    assert "150.0 [u]" in table and "[u] low reliability" in table
    document = json.loads(run(*args, "--format", "json").stdout)
    month = document["metrics"][0]["comparisons"][-1]
    assert month["to"]["flags"] == ["low reliability"]
    assert month["to"]["over_100_months"] == ["2023-04"]
    assert "flags" not in month["from"]  # March: 4 of 8 is 50%
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout)))
    previous = next(r for r in rows if r["comparison"] == "previous_month")
    assert (previous["flags"], previous["earlier_flags"]) == ("low reliability", "")


OVER_100_AREAS = """\
title: Synthetic area rates over 100% (not real data)
areas:
  north: {name: North}
  south: {name: South}
metrics:
  solved_count:
    label: Solved (number)
    unit: count
    better: up
    values: {2021/22: 30, 2022/23: 12}
    areas:
      north: {values: {2021/22: 20, 2022/23: 10}}
      south: {values: {2021/22: 10, 2022/23: 2}}
  shootings:
    label: Shootings
    unit: count
    better: down
    values: {2021/22: 40, 2022/23: 20}
    areas:
      north: {values: {2021/22: 35, 2022/23: 5}}
      south: {values: {2021/22: 5, 2022/23: 15}}
  solved:
    label: Solved
    unit: percent
    better: up
    ratio_of: {numerator: solved_count, denominator: shootings}
"""


def test_an_area_rate_over_100_is_warned_about_and_flagged_in_every_format(run, write_figures):
    """North's 10 solved of 5 shootings drew 200.0 with no warning and no flag."""
    path = str(write_figures(OVER_100_AREAS))
    warnings = [
        line for line in run("validate", "-f", path).stderr.splitlines() if "over 100%" in line
    ]
    assert warnings == [
        f"{path}:12: warning: metrics.solved.ratio_of: for North in 2022/23 solved_count is "
        "10, more than shootings (5): a rate of 200.0%, over 100%; it is shown flagged [u] "
        "(low reliability)",
        f"{path}:13: warning: metrics.solved.ratio_of: for South in 2021/22 solved_count is "
        "10, more than shootings (5): a rate of 200.0%, over 100%; it is shown flagged [u] "
        "(low reliability)",
    ]
    args = ("areas", "-f", path, "--metric", "solved", "--format")
    markdown = run(*args, "markdown").stdout
    assert "| 1 | North | 200.0 \\[u\\] |" in markdown and "| 2 | South | 13.3 |" in markdown
    assert "- \\[u\\] low reliability: a rate over 100%" in markdown
    assert "200.0 [u]" in run(*args, "table", env={"COLUMNS": "120"}).stdout
    document = json.loads(run(*args, "json").stdout)
    flags = {a["id"]: a.get("flags") for a in document["areas"]}
    assert flags == {"north": ["low reliability"], "south": None}
    rows = {r["name"]: r["flags"] for r in csv.DictReader(io.StringIO(run(*args, "csv").stdout))}
    assert rows == {"All areas": "", "North": "low reliability", "South": ""}
    report = run("report", "-f", path, "--area", "north", "--format", "markdown").stdout
    assert "| Solved (%) | 57.1 | 200.0 \\[u\\] |" in report


# -- item 18: JSON exact from the Decimal, as CSV is; -0 is a count of 0 -----------------

HUGE = """\
title: Synthetic extremes (not real data)
metrics:
  rate:
    label: Rate
    unit: percent
    better: up
    values: {2019/20: 0.0000000000000000001, 2020/21: 100, 2021/22: 12.345678901234567891}
  seized:
    label: Seized
    unit: count
    better: up
    values: {2019/20: 5, 2020/21: -0, 2021/22: 999999999999}
"""


def _csv_rows(text):
    return {(r["metric"], r["period"]): r for r in csv.DictReader(io.StringIO(text))}


def test_json_numbers_are_exact_and_agree_with_the_csv(run, write_figures):
    from decimal import Decimal

    path = str(write_figures(HUGE))
    text = run("report", "-f", path, "--format", "json").stdout
    document = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    rate = next(m for m in document["metrics"] if m["id"] == "rate")
    assert [v["value"] for v in rate["values"]] == [
        Decimal("0.0000000000000000001"),
        Decimal("100"),
        Decimal("12.345678901234567891"),
    ]
    first = rate["comparisons"][0]
    # 100 / 1e-19 x 100 - 100: a whole quotient, exact, not the double 99999999999999991611392
    assert first["percent_change"] == Decimal("99999999999999999999900")
    assert first["change"] == Decimal("99.9999999999999999999")
    assert '"percent_change": 99999999999999999999900,' in text
    rows = _csv_rows(run("report", "-f", path, "--format", "csv").stdout)
    row = rows[("rate", "2020/21")]
    assert (row["change"], row["percent_change"]) == (
        "99.9999999999999999999",
        "99999999999999999999900",
    )
    assert rows[("rate", "2021/22")]["value"] == "12.345678901234567891"
    # Every number agrees between the two formats, exactly.
    for metric in document["metrics"]:
        for value in metric["values"]:
            assert Decimal(rows[(metric["id"], value["period"])]["value"]) == value["value"]
        for c in metric["comparisons"]:
            if c["kind"] == "year_on_year":
                row = rows[(metric["id"], c["to"])]
                assert Decimal(row["change"]) == c["change"]
                percent = row["percent_change"]
                assert (Decimal(percent) if percent else None) == c["percent_change"]


def test_minus_zero_is_a_count_of_zero_everywhere(run, write_figures):
    path = str(write_figures(HUGE))
    text = run("report", "-f", path, "--format", "json", "--metric", "seized").stdout
    assert '{"period": "2020/21", "value": 0}' in text
    assert "-0" not in text
    rows = _csv_rows(run("report", "-f", path, "--format", "csv").stdout)
    assert rows[("seized", "2020/21")]["value"] == "0"
    markdown = run("report", "-f", path, "--format", "markdown", "--metric", "seized").stdout
    assert "| Seized | 5 | 0 | 999,999,999,999 |" in markdown


# -- item 20: CSV formula injection (OWASP) ------------------------------------------------

FORMULAS = """\
title: Synthetic formula labels (not real data)
sources:
  s: {title: Made up for tests, publisher: "@gunstats tests"}
metrics:
  a:
    label: '=HYPERLINK("https://example.org/?"&A1, "click")'
    unit: count
    better: down
    source: s
    values: {2019/20: 283, 2020/21: 196}
  b:
    label: "+1 shootings"
    unit: count
    better: up
    values: {2019/20: 5}
  c:
    label: "-2 seized"
    unit: count
    better: up
    values: {2019/20: 5}
  d:
    label: "@SUM(A1:A9)"
    unit: count
    better: up
    values: {2019/20: 5}
  f:
    label: "solved;=1+1"
    unit: count
    better: up
    values: {2019/20: 5}
"""


def test_csv_text_cells_cannot_become_formulas(run, write_figures):
    path = str(write_figures(FORMULAS))
    text = run("report", "-f", path, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    labels = {r["metric"]: r["label"] for r in rows}
    assert labels == {
        "a": '\'=HYPERLINK("https://example.org/?"&A1, "click")',
        "b": "'+1 shootings",
        "c": "'-2 seized",
        "d": "'@SUM(A1:A9)",
        "f": "solved;'=1+1",
    }
    # A spreadsheet reading ';' as the separator splits at it: the '=' after it is text too.
    assert ',"solved;\'=1+1",' in text
    # Numbers are never altered: -87 is a number, not text.
    first = next(r for r in rows if r["metric"] == "a" and r["period"] == "2020/21")
    assert (first["change"], first["percent_change"]) == ("-87", "-30.742049469964666")
    assert "'-87" not in text


def test_csv_raw_writes_text_as_in_the_file(run, write_figures):
    path = str(write_figures(FORMULAS))
    text = run("report", "-f", path, "--format", "csv", "--csv-raw").stdout
    labels = {r["metric"]: r["label"] for r in csv.DictReader(io.StringIO(text))}
    assert labels["b"] == "+1 shootings" and labels["d"] == "@SUM(A1:A9)"
    result = run("report", "-f", path, "--format", "markdown", "--csv-raw", expect=2)
    assert "--csv-raw changes only CSV, not markdown" in result.stderr


def test_summary_csv_text_cells_cannot_become_formulas(run, write_figures):
    path = str(
        write_figures(
            "title: Synthetic (not real data)\n"
            "sources:\n  s: {title: Made up}\n"
            "metrics:\n  m:\n    label: '=1+1'\n    unit: count\n    better: up\n"
            "    source: s\n    months: {2023-01: 4, 2023-02: 5}\n"
        )
    )
    args = ("summary", "-f", path, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(run(*args).stdout)))
    assert {r["label"] for r in rows} == {"'=1+1"}
    rows = list(csv.DictReader(io.StringIO(run(*args, "--csv-raw").stdout)))
    assert {r["label"] for r in rows} == {"=1+1"}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_prefixed(start):
    from gunstats.render.csv import text_cell

    cell = text_cell(start + "x")
    assert next(csv.reader(io.StringIO(cell + "\r\n"), strict=True)) == ["'" + start + "x"]
    assert next(csv.reader(io.StringIO(text_cell(start + "x", raw=True) + "\r\n"))) == [start + "x"]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_no_text_cell_reads_as_a_formula_in_either_locale(text):
    from gunstats.render.csv import FORMULA_START, text_cell

    line = f"count,{text_cell(text)},-87\r\n"
    read = next(csv.reader(io.StringIO(line, newline="")))
    assert read[0] == "count" and read[2] == "-87" and len(read) == 3
    if ";" not in text:
        assert read[1] == ("'" + text if text.startswith(FORMULA_START) else text)
    # Nothing is changed but apostrophes added: at the start, and after a ';'.
    assert read[1].replace("'", "") == text.replace("'", "")
    assert read[1].count("'") - text.count("'") <= 1 + text.count(";")
    # Read as a ';'-separated file, as spreadsheets in many locales do: only our own
    # number cell may start with '-'.
    for cell in next(csv.reader(io.StringIO(line, newline=""), delimiter=";")):
        assert not cell.startswith(FORMULA_START) or cell.startswith("-87"), (line, cell)


def test_a_semicolon_cannot_start_a_formula_cell():
    from gunstats.render.csv import text_cell

    assert text_cell("solved;=1+1") == '"solved;\'=1+1"'
    assert text_cell('a;"@x') == '"a;\'""@x"'
    assert text_cell("a; -b") == '"a; -b"'  # a space first: not a formula
    assert text_cell("solved;=1+1", raw=True) == '"solved;=1+1"'


# -- item 21: control characters from file names never reach the terminal or the report ----

HOSTILE_NAMES = {  # the name, and how messages show it
    "esc": ("evil\x1b[31mred.yaml", r"evil\x1b[31mred.yaml"),
    "bel": ("evil\x07.yaml", r"evil\x07.yaml"),
    "osc": ("evil\x1b]0;pwned\x07.yaml", r"evil\x1b]0;pwned\x07.yaml"),
    "rlo": ("evil\u202egpj.yaml", r"evil\u202egpj.yaml"),
}


def _clean(text: str) -> bool:
    import unicodedata

    return not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text if c != "\n")


@pytest.fixture(params=sorted(HOSTILE_NAMES))
def hostile_path(request, tmp_path):
    from .conftest import ROOT

    name, shown = HOSTILE_NAMES[request.param]
    # A gap in a monthly series, so that validate also warns about the file.
    text = (ROOT / "examples" / "monthly.yaml").read_text(encoding="utf-8")
    (tmp_path / name).write_text(text.replace("      2021-03: 45\n", "", 1), encoding="utf-8")
    return str(tmp_path / name), f"{tmp_path}/{shown}"


def test_file_names_are_neutralised_everywhere_they_are_printed(run, hostile_path):
    hostile_path, shown = hostile_path
    validated = run("validate", "-f", hostile_path)
    assert "valid: 4 metrics" in validated.stdout and "warning:" in validated.stderr
    bad_metric = run("report", "-f", hostile_path, "--metric", "nope", expect=2)
    stale = run("summary", "-f", hostile_path, "--month", "2030-01", expect=1)
    markdown = run("report", "-f", hostile_path, "--format", "markdown", "--date", "2024-01-02")
    summary = run("summary", "-f", hostile_path, "--format", "markdown")
    for output in (validated, bad_metric, stale, markdown, summary):
        assert _clean(output.stdout) and _clean(output.stderr), output
    assert validated.stdout == f"{shown}: valid: 4 metrics, 121 values, 1 source\n"
    assert validated.stderr.startswith(f"{shown}:36: warning: ")
    assert f"no metric 'nope' in {shown}." in bad_metric.stderr
    assert stale.stderr.startswith(f"{shown}: no figures for January 2030")
    made = next(line for line in markdown.stdout.splitlines() if line.startswith("Made on"))
    # The escape, itself escaped for Markdown so that it prints as written.
    name = shown.rsplit("/", 1)[-1]
    assert name.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]") in made


def test_template_file_name_is_neutralised(run, hostile_path, tmp_path):
    hostile_path, shown = hostile_path
    pytest.importorskip("jinja2")
    template = tmp_path / "t.md.j2"
    template.write_text("{{ file_name }}\n", encoding="utf-8")
    result = run("report", "-f", hostile_path, "--template", str(template))
    assert result.stdout == shown.rsplit("/", 1)[-1] + "\n"


def test_chart_paths_are_printed_neutralised(run, tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "chart\x1b]0;pwned\x07.svg"
    result = run("chart", "--metric", "shootings", "--output", str(target))
    assert target.exists()
    assert result.stdout == f"{tmp_path}/chart\\x1b]0;pwned\\x07.svg\n"


# -- item 26: a financial year given only as its 12 months is their sum, flagged derived ----


def test_monthly_example_report_has_its_years(run):
    from .conftest import ROOT

    example = str(ROOT / "examples" / "monthly.yaml")
    markdown = run("report", "-f", example, "--format", "markdown").stdout
    assert "no figures published" not in markdown
    # 2020/21 has all 12 months of every metric and no yearly value: summed, flagged [d].
    assert "| Lethal firearms seized | 500 \\[d\\] | 511 | 476 |" in markdown
    assert "| Shootings solved (number) | 64 \\[d\\] | 70 \\[d\\] | 61 \\[d\\] |" in markdown
    # A rate is worked out from the summed parts (64 of 199), never an average of months.
    assert "| Shootings solved (%) | 32.2 \\[d\\] | 40.2 | 32.4 |" in markdown
    assert "- \\[d\\] derived: the file gives the year only as its 12 months" in markdown
    assert "64 (derived from months) in 2020/21" in markdown
    document = json.loads(run("report", "-f", example, "--format", "json").stdout)
    solved = next(m for m in document["metrics"] if m["id"] == "shootings_solved")
    assert solved["values"][0] == {
        "period": "2020/21",
        "value": float(64 / 199 * 100),
        "flags": ["derived from months"],
    }
    assert "2023/24" not in document["periods"]  # April to June only: never a partial sum
    rows = _csv_rows(run("report", "-f", example, "--format", "csv").stdout)
    assert rows[("lethal_firearms_seized", "2020/21")]["flags"] == "derived from months"
    assert rows[("lethal_firearms_seized", "2021/22")]["flags"] == ""  # as given, 511
    # The derived year is a baseline like any other.
    since = run("report", "-f", example, "--baseline", "2020/21", "--format", "json").stdout
    assert '"kind": "since_baseline", "from": "2020/21"' in since


DERIVABLE = """\
title: Synthetic months (not real data)
metrics:
  count:
    label: Count
    unit: count
    better: up
    months: {%s}
  top:
    label: Top
    unit: count
    better: up
    months: {%s}
  rate:
    label: Rate
    unit: percent
    better: up
    ratio_of: {numerator: top, denominator: count}
  share:
    label: Share
    unit: percent
    better: up
    months: {%s}
"""


def _year(values, year=2021):
    months = [f"{year}-{m:02d}" for m in range(4, 13)] + [f"{year + 1}-{m:02d}" for m in (1, 2, 3)]
    return ", ".join(f"{month}: {value}" for month, value in zip(months, values, strict=True))


def test_derived_years_rules(write_figures):
    from decimal import Decimal
    from fractions import Fraction

    from gunstats.compute import with_derived_years
    from gunstats.load import load_figures
    from gunstats.model import Flag
    from gunstats.periods import FinancialYear

    counts = [10] * 12
    tops = [3] * 11 + ["{value: 12, flags: [provisional]}"]  # March: 12 of 10, over 100%
    text = DERIVABLE % (_year(counts), _year(tops), _year([50] * 12))
    figures = with_derived_years(load_figures(write_figures(text)))
    by_id = {m.id: m for m in figures.metrics}
    (count,) = by_id["count"].values
    assert (count.period, count.value, count.flags) == (FinancialYear(2021), 120, (Flag.DERIVED,))
    assert isinstance(count.value, Decimal)
    (rate,) = by_id["rate"].values
    assert rate.value == Fraction(3 * 11 + 12, 120) * 100
    assert rate.flags == (Flag.PROVISIONAL, Flag.DERIVED, Flag.LOW_RELIABILITY)
    assert by_id["share"].values == ()  # a percentage without parts is never averaged


def test_derived_years_never_replace_a_given_year_nor_fill_a_partial_one(write_figures):
    from gunstats.compute import with_derived_years
    from gunstats.load import load_figures

    text = DERIVABLE % (_year([10] * 12), _year([0] * 12), _year([5] * 12))
    text = text.replace(
        "    months: {2021-04: 10,", "    values: {2021/22: 119}\n    months: {2021-04: 10,", 1
    )
    text += "  partial:\n    label: P\n    unit: count\n    better: up\n    months: {2021-04: 1}\n"
    figures = with_derived_years(load_figures(write_figures(text)))
    by_id = {m.id: m for m in figures.metrics}
    assert [(str(o.period), o.value, o.flags) for o in by_id["count"].values] == [
        ("2021/22", 119, ())
    ]
    assert by_id["partial"].values == ()
    assert [o.value for o in by_id["rate"].values] == [0]  # 0 of 120: a true zero


def test_a_file_cannot_flag_a_value_derived(run, write_figures):
    path = write_figures(
        "title: Synthetic (not real data)\nmetrics:\n  m:\n    label: M\n    unit: count\n"
        "    better: up\n    values:\n      2021/22: {value: 5, flags: [derived from months]}\n"
    )
    result = run("validate", "-f", str(path), expect=1)
    assert "is not a flag" in result.stderr


# -- item 27: the CSV keeps a row for a period not published, and says the change's unit ---


def test_csv_keeps_missing_periods_marked_and_names_the_change_unit(run):
    rows = list(csv.DictReader(io.StringIO(run("report", "--format", "csv").stdout)))
    shootings = [r for r in rows if r["metric"] == "shootings"]
    assert [(r["period"], r["value"], r["marker"]) for r in shootings] == [
        ("2019/20", "283", ""),
        ("2020/21", "", "[x]"),
        ("2021/22", "196", ""),
    ]
    gap = shootings[1]
    assert gap["change"] == gap["percent_change"] == gap["previous_period"] == ""
    units = {r["metric"]: r["change_unit"] for r in rows}
    assert units == {
        "lethal_firearms_seized": "count",
        "shootings": "count",
        "shootings_solved": "percentage points",
    }
    # Every metric has a row for every period of the report, as the table has a cell.
    assert len(rows) == 3 * 3
    from .conftest import ROOT

    example = str(ROOT / "examples" / "monthly.yaml")
    summary = run("summary", "-f", example, "--format", "csv", "-m", "shootings_solved")
    assert {r["change_unit"] for r in csv.DictReader(io.StringIO(summary.stdout))} == {
        "percentage points"
    }


# -- item 29: templates get display-ready fields beside the raw ones -----------------------

FLAGGED = """\
title: Synthetic flagged figures (not real data)
sources:
  s: {title: Made up for tests}
metrics:
  seized:
    label: Seized
    unit: count
    better: up
    source: s
    values:
      2020/21: 480
      2021/22: {value: 524, flags: [provisional, revised]}
  solved:
    label: Solved
    unit: percent
    better: up
    values: {2020/21: 20, 2021/22: 38.25}
"""


def test_templates_get_display_ready_fields(run, write_figures, tmp_path):
    pytest.importorskip("jinja2")
    figures = str(write_figures(FLAGGED))
    template = tmp_path / "t.md.j2"
    template.write_text(
        "{% set s = metrics[0] %}{% set r = metrics[1] %}"
        "[{{ as_of_text }}][{{ produced_text }}][{{ periods_text }}][{{ latest_period_text }}]\n"
        "[{{ s.latest.value_text }}][{{ s.latest.flags_text }}][{{ s.latest.markers }}]"
        "[{{ s.latest.note_text }}][{{ s.description_text }}][{{ s.sources_text }}]\n"
        "[{{ s.year_on_year.change_text }}][{{ s.year_on_year.percent_change_text }}]"
        "[{{ s.year_on_year.from_text }} to {{ s.year_on_year.to_text }}]"
        "[{{ s.year_on_year.from_value_text }}][{{ s.year_on_year.to_value_text }}]\n"
        "[{{ r.latest.value_text }}][{{ r.year_on_year.change_text }}]"
        "[{{ r.year_on_year.percent_change_text }}]\n"
        "[{{ sources[0].publisher_text }}][{{ sources[0].published_text }}]\n",
        encoding="utf-8",
    )
    result = run("report", "-f", figures, "--template", str(template), "--date", "2024-05-10")
    assert result.stdout == (
        "[][10 May 2024][2020/21, 2021/22][2021/22]\n"
        "[524][provisional, revised][[p][r]][][][1]\n"
        "[+44][+9.2%][2020/21 to 2021/22][480][524]\n"
        "[38.3%][+18.3 percentage points][]\n"
        "[][]\n"
    )
    for line in result.stdout.splitlines():
        assert "None" not in line and "['" not in line and "Decimal" not in line
    gov_uk = run(
        "report", "-f", figures, "--template", str(template), "--period-style", "gov-uk"
    ).stdout
    assert "[Year ending March 2021, Year ending March 2022][Year ending March 2022]" in gov_uk


def test_raw_fields_stay_beside_the_display_ones(run, write_figures, tmp_path):
    pytest.importorskip("jinja2")
    template = tmp_path / "raw.j2"
    template.write_text(
        "{{ metrics[0].year_on_year.percent_change }}|{{ metrics[0].latest.flags | length }}"
        "|{{ as_of is none }}\n",
        encoding="utf-8",
    )
    result = run("report", "-f", str(write_figures(FLAGGED)), "--template", str(template))
    # The raw percent change is the exact 60-digit quotient: for computing, not for printing.
    assert result.stdout == "9." + "1" + "6" * 57 + "7|2|True\n"


# -- item 33: summary messages say what happened, once ---------------------------------------


def _example_without(tmp_path, *lines):
    from .conftest import ROOT

    text = (ROOT / "examples" / "monthly.yaml").read_text(encoding="utf-8")
    for line in lines:
        assert line in text
        text = text.replace(line, "", 1)
    path = tmp_path / "monthly.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_past_gap_is_not_yet_to_come(run, tmp_path):
    path = _example_without(tmp_path, "      2023-01: 17\n")  # shootings, January 2023
    result = run("summary", "-f", path, "--month", "2023-01", "--format", "markdown")
    assert "yet" not in result.stdout
    assert (
        "No figures for January 2023 for: Shootings, Shootings solved (%); later months are "
        "published, so this is a gap in the series."
    ) in result.stdout
    # June 2023 for seizures really is still to come.
    latest = run("summary", "-f", path, "--format", "markdown").stdout
    assert "No figures for June 2023 yet for: Lethal firearms seized." in latest


def test_a_month_before_the_file_says_where_it_starts(run):
    from .conftest import ROOT

    example = str(ROOT / "examples" / "monthly.yaml")
    result = run("summary", "-f", example, "--month", "2019-01", expect=1)
    assert result.stderr == (
        f"{example}: no figures for January 2019 (2019-01); the file starts in April 2020 "
        "(2020-04)\n"
    )


def test_a_month_no_metric_has_inside_the_file_is_a_gap_not_stale_data(run, tmp_path):
    path = _example_without(
        tmp_path, "      2023-01: 32\n", "      2023-01: 17\n", "      2023-01: 8\n"
    )
    result = run("summary", "-f", path, "--month", "2023-01", expect=1)
    assert "has not been updated" not in result.stderr
    assert "the file's months run from April 2020 (2020-04) to June 2023 (2023-06)" in result.stderr


def test_the_latest_month_is_named_once(run):
    from .conftest import ROOT

    example = str(ROOT / "examples" / "monthly.yaml")
    markdown = run("summary", "-f", example, "--format", "markdown").stdout
    assert "Summary for June 2023, the latest month in the data.\n" in markdown
    assert "The latest month in the data is June 2023" not in markdown
    earlier = run("summary", "-f", example, "--month", "2023-01", "--format", "markdown").stdout
    assert "Summary for January 2023. The latest month in the data is June 2023." in earlier


def test_a_metric_that_starts_later_is_not_missing_a_month(run, write_figures):
    path = write_figures(
        "title: Synthetic (not real data)\nmetrics:\n"
        "  old: {label: Old, unit: count, better: up, months: {2023-01: 4, 2023-02: 5}}\n"
        "  new: {label: New, unit: count, better: up, months: {2023-02: 1}}\n"
    )
    args = ("summary", "-f", str(path), "--month", "2023-01", "--format", "markdown")
    result = run(*args)
    assert "No figures for January 2023 for: New; their figures start after this month." in (
        result.stdout
    )
    assert "yet" not in result.stdout


# -- item 32: narrow terminals never drop a measure, a unit or a digit ----------------------


def _seed_report():
    from gunstats.compute import build_report
    from gunstats.load import load_figures

    from .conftest import SHIPPED

    return build_report(load_figures(SHIPPED))


def _example_summary():
    from gunstats.load import load_figures
    from gunstats.monthly import build_summary
    from gunstats.periods import Month

    from .conftest import ROOT

    return build_summary(load_figures(ROOT / "examples" / "monthly.yaml"), Month(2023, 6))


def _unbroken(text: str, tables, skip_values_table: bool) -> None:
    """Every word of every cell and heading is whole in ``text``: nothing cut or dropped."""
    tokens = {token.rstrip(":") for token in text.split()}
    for table in tables:
        if skip_values_table and table.series:
            continue  # the values table drops whole years, and says so
        words = [w for row in table.rows for cell in row for w in cell.text.split()]
        words += [w for heading in table.header[1:] for w in heading.split()]
        missing = [w for w in words if w not in tokens]
        assert not missing, (missing, text)
        for row in table.rows:
            for cell in row[1:]:
                if cell.numeric:  # a value keeps its unit on its own line: "+18.0 pp"
                    assert cell.text in text


@pytest.mark.parametrize("width", range(40, 131, 3))
def test_narrow_report_tables_keep_every_measure_unit_and_digit(width):
    from gunstats.render.layout import build_layout
    from gunstats.render.options import RenderOptions
    from gunstats.render.table import render

    report = _seed_report()
    text = render(report, RenderOptions(width=width))
    _unbroken(text, build_layout(report).tables, skip_values_table=True)
    assert all(len(line) <= width for line in text.splitlines() if "http" not in line)


@pytest.mark.parametrize("width", range(40, 131, 3))
def test_narrow_summary_tables_keep_every_measure_unit_and_digit(width):
    from gunstats.render.options import RenderOptions
    from gunstats.render.summary_layout import build_summary_layout
    from gunstats.render.table import render_summary

    summary = _example_summary()
    text = render_summary(summary, RenderOptions(width=width))
    _unbroken(text, build_summary_layout(summary).tables, skip_values_table=False)
    assert all(len(line) <= width for line in text.splitlines())


def test_change_tables_at_40_columns_are_stacked_blocks(run):
    text = run("report", "--format", "table", env={"COLUMNS": "40"}).stdout
    since = text.split("Change since the baseline year")[1]
    assert (
        "Shootings solved (%)\n- Periods: 2021/22 compared with 2019/20\n  Change: +18.0 pp\n"
        "  Relative change (%): [z]\n  Assessment: better (not tested)\n"
    ) in since
    assert "Chan\n" not in text and "2021/2\n" not in text


@pytest.mark.parametrize("columns", ["50", "60"])
def test_summary_at_50_and_60_columns_never_breaks_a_word(run, columns):
    from .conftest import ROOT

    example = str(ROOT / "examples" / "monthly.yaml")
    text = run("summary", "-f", example, "--format", "table", env={"COLUMNS": columns}).stdout
    assert "Measu\n" not in text and "Firea" not in text
    assert "Shootings solved (number)\n- April to June 2023: 25\n" in text
    # A block in each of the 4 comparison tables (and the XmR table's too where it is stacked).
    assert text.count("Lethal firearms seized\n") in (4, 5)


def test_wide_tables_are_drawn_as_tables(run):
    text = run("report", "--format", "table", env={"COLUMNS": "100"}).stdout
    assert "- Periods:" not in text
    assert "Shootings solved (%)     2021/22 compared with 2019/20   +18.0 pp" in text


def test_areas_csv_names_cannot_become_formulas(run, tmp_path):
    from .conftest import ROOT

    text = (ROOT / "examples" / "areas.yaml").read_text(encoding="utf-8")
    assert "    name: Cleveland\n" in text
    path = tmp_path / "areas.yaml"
    path.write_text(text.replace("    name: Cleveland\n", '    name: "=HYPERLINK(1)"\n'))
    args = ("areas", "-f", str(path), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(run(*args).stdout)))
    assert "'=HYPERLINK(1)" in {r["name"] for r in rows}
    assert any(r["change"].startswith("-") for r in rows)  # numbers untouched
    raw = list(csv.DictReader(io.StringIO(run(*args, "--csv-raw").stdout)))
    assert "=HYPERLINK(1)" in {r["name"] for r in raw}


SERIES_FLAGGED = "title: Synthetic (not real data)\nmetrics:\n" + "".join(
    f"  m{number}:\n    label: Lethal firearms seized by officers {number}\n"
    "    unit: count\n    better: down\n    values:\n"
    + "".join(
        f"      {y}/{(y + 1) % 100:02d}: {{value: {1000 + y}, flags: [provisional]}}\n"
        for y in range(2010, 2022)
    )
    for number in range(2)
)


@pytest.mark.parametrize("ascii_only", [False, True])
@pytest.mark.parametrize("width", range(28, 131, 2))
def test_the_values_table_never_cuts_a_value_or_a_year(width, ascii_only):
    """The values table drops whole years, never part of one: ``3,021 [p]`` was drawn as
    ``3,021 [`` and ``2021/22`` as ``2021/`` once Rich squeezed its columns of numbers."""
    from gunstats.compute import build_report
    from gunstats.load import parse_figures
    from gunstats.render.layout import build_layout
    from gunstats.render.options import RenderOptions
    from gunstats.render.table import render
    from gunstats.sparkline import sparkline

    report = build_report(parse_figures(SERIES_FLAGGED))
    text = render(report, RenderOptions(width=width, ascii_only=ascii_only))
    values, after = build_layout(report).tables[:2]
    assert values.series and text.count(values.title) == 1
    section = text.split(values.title, 1)[1].split(after.title, 1)[0]
    words = {w for row in values.rows for cell in row for w in cell.text.split()}
    words |= {w for heading in ("Trend", *values.header) for w in heading.split()}
    words |= {w for v in values.series for w in sparkline(v, ascii_only=ascii_only).split()}
    tokens = [t.removesuffix(":") for t in section.split()]  # stacked: "2021/22: 3,021 [p]"
    cut = [t for t in tokens if t not in words and set(t) - set("─-=+| ")]
    assert not cut, (cut, section)
    assert all(len(line) <= width for line in text.splitlines())
