"""``gunstats summary`` through CliRunner, and its renderers pinned by golden files.

Regenerate the golden files after a deliberate change of output with
``GUNSTATS_UPDATE_GOLDEN=1 pytest tests/test_summary.py`` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from gunstats.cli import cli
from gunstats.load import load_figures
from gunstats.monthly import build_summary
from gunstats.periods import Month
from gunstats.render import TEXT_FORMATS, summary_renderer

from .conftest import ROOT
from .test_render import EXTENSION, check_golden

EXAMPLE = str(ROOT / "examples" / "monthly.yaml")
FEBRUARY_2023 = "1675209600"  # 2023-02-01T00:00:00Z: --month previous is January 2023
AUGUST_2023 = "1690848000"  # 2023-08-01T00:00:00Z: the data ends in June 2023


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in (
        "GUNSTATS_FIGURES",
        "GUNSTATS_FORMAT",
        "NO_COLOR",
        "FORCE_COLOR",
        "COLUMNS",
        "SOURCE_DATE_EPOCH",
    ):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args, env=None, expect=0):
        result = CliRunner().invoke(cli, ["summary", "-f", EXAMPLE, *args], env=env)
        assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
        return result

    return invoke


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_golden_january_2023(fmt):
    summary = build_summary(load_figures(EXAMPLE), Month(2023, 1))
    text = summary_renderer(fmt)(summary)
    check_golden(f"monthly-2023-01.{EXTENSION[fmt]}", text)


def test_golden_june_2023_with_a_metric_lacking_the_month():
    summary = build_summary(load_figures(EXAMPLE), Month(2023, 6))
    check_golden("monthly-2023-06.md", summary_renderer("markdown")(summary))


def test_all_four_comparisons_per_metric_with_both_periods(run):
    document = json.loads(run("--month", "2023-01", "--format", "json").stdout)
    assert document["month"] == "2023-01" and document["latest_month"] == "2023-06"
    shootings = {m["id"]: m for m in document["metrics"]}["shootings"]
    assert [c["kind"] for c in shootings["comparisons"]] == [
        "financial_year_to_date",
        "rolling_12_months",
        "same_month_last_year",
        "previous_month",
    ]
    fytd, rolling, same_month, previous = shootings["comparisons"]
    assert fytd["description"] == (
        "April 2022 to January 2023 compared with April 2021 to January 2022"
    )
    assert (fytd["to"]["start"], fytd["to"]["end"], fytd["to"]["value"]) == (
        "2022-04",
        "2023-01",
        156,
    )
    assert (fytd["from"]["start"], fytd["from"]["end"], fytd["from"]["value"]) == (
        "2021-04",
        "2022-01",
        139,
    )
    assert (fytd["change"], fytd["direction"], fytd["assessment"]) == (
        17,
        "up",
        "no significant change",
    )
    assert fytd["significance"] == {
        "test": "poisson_e_test",
        "p_value": pytest.approx(0.3232, abs=5e-5),
        "confidence": 0.95,
        "significant": False,
    }
    assert fytd["percent_change"] == pytest.approx(1700 / 139)
    assert rolling["description"] == (
        "year ending January 2023 compared with the year ending January 2022"
    )
    assert (rolling["from"]["start"], rolling["from"]["end"]) == ("2021-02", "2022-01")
    assert (rolling["to_value"], rolling["from_value"], rolling["change"]) == (191, 159, 32)
    assert (same_month["to_value"], same_month["from_value"]) == (17, 24)
    assert (previous["to_value"], previous["from_value"]) == (17, 22)


def test_rate_change_is_in_percentage_points(run):
    document = json.loads(
        run("--month", "2023-01", "--format", "json", "-m", "shootings_solved").stdout
    )
    fytd = document["metrics"][0]["comparisons"][0]
    assert fytd["change_unit"] == "percentage points"
    assert (fytd["to"]["numerator"], fytd["to"]["denominator"]) == (50, 156)
    assert fytd["change"] == pytest.approx(5000 / 156 - 5600 / 139)
    markdown = run("--month", "2023-01", "--format", "markdown", "-m", "shootings_solved").stdout
    # A table of percentages alone names its unit in the header and has no relative change.
    windows = "April 2022 to January 2023 | April 2021 to January 2022"
    assert f"| Measure | {windows} | Change (percentage points) | Assessment |" in markdown
    assert "| 32.1 | 40.3 | -8.2 | no significant change |" in markdown
    mixed = run("--month", "2023-01", "--format", "markdown").stdout
    assert (
        "| Shootings solved (%) | 32.1 | 40.3 | -8.2 pp | \\[z\\] | no significant change |"
        in mixed
    )


def test_single_month_is_never_the_headline(run):
    markdown = run("--month", "2023-01", "--format", "markdown").stdout
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    # The months read against their own series first, then the comparisons.
    assert headings[0] == "## Normal range: XmR charts of the 24 months to January 2023"
    assert headings[1:5] == [
        "## Financial year to date: April 2022 to January 2023 compared with April 2021 to "
        "January 2022",
        "## Rolling 12 months: year ending January 2023 compared with the year ending January 2022",
        "## Same month last year: January 2023 compared with January 2022",
        "## Previous month: January 2023 compared with December 2022",
    ]  # the steadier comparisons first; one month against the last is never the headline
    assert "noisy" in markdown


def test_previous_month_from_source_date_epoch(run):
    by_epoch = run(
        "--month", "previous", "--format", "csv", env={"SOURCE_DATE_EPOCH": FEBRUARY_2023}
    )
    explicit = run("--month", "2023-01", "--format", "csv")
    assert by_epoch.stdout == explicit.stdout
    by_date = run("--month", "previous", "--date", "2023-02-28", "--format", "csv")
    assert by_date.stdout == explicit.stdout


def test_date_option_wins_over_source_date_epoch(run):
    result = run(
        "--month",
        "previous",
        "--date",
        "2023-05-01",
        "--format",
        "json",
        env={"SOURCE_DATE_EPOCH": FEBRUARY_2023},
    )
    assert json.loads(result.stdout)["month"] == "2023-04"


def test_a_month_beyond_the_data_exits_1_naming_the_latest_month(run):
    result = run("--month", "previous", env={"SOURCE_DATE_EPOCH": AUGUST_2023}, expect=1)
    assert result.stdout == ""
    assert result.stderr == (
        f"{EXAMPLE}: no figures for July 2023 (2023-07); the latest month in the file is "
        "June 2023 (2023-06) - the data has not been updated\n"
    )
    result = run("--month", "2030-01", expect=1)
    assert "latest month in the file is June 2023 (2023-06)" in result.stderr


def test_a_month_some_metrics_lack_warns_and_strict_fails(run, tmp_path):
    result = run("--format", "markdown")
    assert result.stderr == (
        "gunstats: warning: no figures for June 2023 (2023-06) for: lethal_firearms_seized; "
        "shown as [x]\n"
    )
    previous_month = result.stdout.split("## Previous month: June 2023 compared with May 2023")[1]
    assert "| Lethal firearms seized | \\[x\\] | 42 |" in previous_month
    assert run("--format", "markdown", "--quiet").stderr == ""
    output = tmp_path / "summary.md"
    output.write_text("LAST MONTH\n")
    strict = run("--strict", "--quiet", "--output", str(output), expect=1)
    assert "no figures for June 2023 (2023-06) for: lethal_firearms_seized" in strict.stderr
    assert "(an error under --strict)" in strict.stderr
    assert output.read_text() == "LAST MONTH\n"
    assert run("--strict", "-m", "shootings", "--format", "csv").stderr == ""


def test_quiet_never_silences_errors(run):
    result = run("--quiet", "--month", "2030-01", expect=1)
    assert "latest month in the file" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2023-13"], "'2023-13' is not a month"),
        (["--month", "last"], "or 'latest' or 'previous'"),
        (["--month", "previous", "--date", "2023-02-30"], "not a real date"),
        (["--metric", "shootngs"], "Did you mean 'shootings'?"),
    ],
)
def test_usage_errors_exit_2(run, args, message):
    result = run(*args, expect=2)
    assert message in result.stderr


def test_bad_source_date_epoch_is_a_usage_error(run):
    result = run("--month", "previous", env={"SOURCE_DATE_EPOCH": "yesterday"}, expect=2)
    assert "SOURCE_DATE_EPOCH" in result.stderr


def test_figures_without_months(run, write_figures):
    path = write_figures(
        "title: t (not real data)\nmetrics:\n  a: {label: A, unit: count, better: up}\n"
    )
    result = CliRunner().invoke(cli, ["summary", "-f", str(path)])
    assert result.exit_code == 1
    assert "no monthly figures" in result.stderr


def test_markdown_is_valid_gfm_with_one_table_per_comparison(run):
    markdown = run("--month", "2023-01", "--format", "markdown").stdout
    tokens = MarkdownIt("commonmark").enable(["table"]).parse(markdown)
    assert sum(t.type == "table_open" for t in tokens) == 5
    for line in markdown.splitlines():
        if line.startswith("|"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 7


def test_csv_has_a_row_per_metric_and_comparison(run):
    rows = list(csv.DictReader(io.StringIO(run("--month", "2023-01", "--format", "csv").stdout)))
    assert len(rows) == 16
    fytd = rows[4]
    assert (fytd["metric"], fytd["comparison"], fytd["value"], fytd["earlier_value"]) == (
        "shootings",
        "financial_year_to_date",
        "156",
        "139",
    )
    assert (fytd["start"], fytd["end"], fytd["earlier_start"], fytd["earlier_end"]) == (
        "2022-04",
        "2023-01",
        "2021-04",
        "2022-01",
    )


def test_output_file_is_written_and_format_follows_extension(run, tmp_path):
    target = tmp_path / "summary.json"
    result = run("--month", "2023-01", "--output", str(target))
    assert result.stdout == ""
    assert json.loads(target.read_text())["month"] == "2023-01"


def test_validate_warns_when_months_disagree_with_the_year(write_figures):
    months = ", ".join(f"2021-{m:02d}: 1" for m in range(4, 13))
    months += ", " + ", ".join(f"2022-{m:02d}: 1" for m in range(1, 4))
    path = write_figures(
        "title: t (not real data)\nmetrics:\n  a:\n    label: A\n    unit: count\n"
        f"    better: up\n    values: {{2021/22: 13}}\n    months: {{{months}}}\n"
    )
    result = CliRunner().invoke(cli, ["validate", "-f", str(path)])
    assert result.exit_code == 0
    assert result.stdout.endswith("valid: 1 metric, 13 values, 0 sources\n")
    assert result.stderr == (
        f"{path}:7: warning: metrics.a.values.2021/22: the months April 2021 to March 2022 "
        "add up to 12, but the year is given as 13\n"
    )


def test_example_validates_without_warnings():
    result = CliRunner().invoke(cli, ["validate", "-f", EXAMPLE])
    assert result.exit_code == 0 and result.stderr == ""
