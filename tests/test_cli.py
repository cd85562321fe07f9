"""The command line through Click's CliRunner: stdout and stderr apart, every exit code."""

from __future__ import annotations

import json
import os
import stat

import pytest
from click.testing import CliRunner

from gunstats import __version__
from gunstats.cli import cli

from .conftest import SHIPPED, all_commands


@pytest.fixture
def run(monkeypatch, tmp_path):
    """Run gunstats in a folder holding a copy of the shipped figures.yaml, as in the clone.

    (Falling back on the shipped file from a folder without one adds a notice on stderr:
    tests/test_promises_files.py.)
    """
    monkeypatch.chdir(tmp_path)
    (tmp_path / "figures.yaml").write_bytes(SHIPPED.read_bytes())
    for name in ("GUNSTATS_FIGURES", "GUNSTATS_FORMAT", "NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args, env=None, expect=0):
        result = CliRunner().invoke(cli, list(args), env=env)
        assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
        return result

    return invoke


def test_version(run):
    assert run("--version").stdout == f"gunstats, version {__version__}\n"


def test_every_command_has_help(run):
    for name, command in all_commands().items():
        assert command.help, name
        assert "Example:" in run(name, "--help").stdout


def test_default_is_markdown_when_not_a_terminal(run):
    result = run("report")
    assert result.stdout.startswith("# Gun crime in London\n")
    assert result.stderr == ""


def test_format_from_environment(run):
    result = run("report", env={"GUNSTATS_FORMAT": "json"})
    assert json.loads(result.stdout)["title"] == "Gun crime in London"
    run("report", env={"GUNSTATS_FORMAT": "yaml"}, expect=2)


def test_json_done_when_values(run):
    document = json.loads(run("report", "--format", "json").stdout)
    by_id = {m["id"]: m for m in document["metrics"]}
    seized = by_id["lethal_firearms_seized"]["comparisons"]
    assert [(c["kind"], c["from"], c["to"], c["change"]) for c in seized] == [
        ("year_on_year", "2019/20", "2020/21", 72),
        ("year_on_year", "2020/21", "2021/22", 44),
        ("since_baseline", "2019/20", "2021/22", 116),
    ]
    assert seized[1]["percent_change"] == pytest.approx(9.1666666666)
    assert seized[0]["percent_change"] == pytest.approx(17.647058823)
    assert seized[2]["percent_change"] == pytest.approx(28.431372549)
    (shootings,) = by_id["shootings"]["comparisons"]  # no year on year across 2020/21
    assert (shootings["change"], shootings["assessment"]) == (-87, "better")
    assert shootings["percent_change"] == pytest.approx(-30.742049469)
    (solved,) = by_id["shootings_solved"]["comparisons"]
    assert (solved["change"], solved["change_unit"], solved["percent_change"]) == (
        18,
        "percentage points",
        90,
    )


def test_local_figures_file_wins_over_shipped(run, tmp_path, write_figures):
    write_figures(
        "title: Synthetic local (not real data)\nmetrics:\n  a: {label: A, unit: count,"
        " better: up, values: {2019/20: 1}}\n"
    )
    assert "Synthetic local" in run("report").stdout
    assert "Gun crime" in run("report", "-f", str(SHIPPED)).stdout
    assert "Gun crime" in run("report", env={"GUNSTATS_FIGURES": str(SHIPPED)}).stdout


def test_metric_selection_and_unknown_metric(run):
    result = run("report", "--metric", "shootings", "--format", "csv")
    assert {line.split(",")[0] for line in result.stdout.splitlines()[1:]} == {"shootings"}
    bad = run("report", "--metric", "shooting", expect=2)
    assert "Did you mean 'shootings'?" in bad.stderr
    assert bad.stdout == ""


def test_periods_and_baseline(run):
    result = run("report", "--from", "2020-21", "--format", "json")
    periods = json.loads(result.stdout)["periods"]
    assert periods == ["2020/21", "2021/22"]
    result = run("report", "--baseline", "2020 to 2021", "--format", "json")
    seized = json.loads(result.stdout)["metrics"][0]["comparisons"][-1]
    assert (seized["kind"], seized["from"], seized["change"]) == ("since_baseline", "2020/21", 44)
    assert "did you mean 2021/22?" in run("report", "--to", "2021/23", expect=2).stderr
    assert "no value for 2015/16" in run("report", "--baseline", "2015/16", expect=2).stderr
    assert "no values between" in run("report", "--from", "2030/31", expect=2).stderr
    assert "is after --to" in run("report", "--from", "2021/22", "--to", "2019/20", expect=2).stderr


def test_precision(run):
    result = run("report", "--format", "markdown", "--precision", "3")
    assert "+9.167" in result.stdout and "+18.000 pp" in result.stdout
    run("report", "--precision", "9", expect=2)


def test_unknown_option_is_a_usage_error(run):
    assert "No such option" in run("report", "--colour", expect=2).stderr


def test_bad_figures_exit_1_with_file_line_and_field(run, write_figures):
    path = write_figures(
        "metrics:\n  a:\n    label: A\n    unit: count\n    better: up\n    values: {2019/20: -3}\n"
    )
    for command in ("report", "validate", "metrics"):
        result = run(command, "-f", str(path), expect=1)
        assert result.stderr.startswith(f"{path}:6:")
        assert "metrics.a.values.2019/20: -3 is negative" in result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""


def test_missing_file(run):
    result = run("report", "-f", "missing.yaml", expect=1)
    assert result.stderr == "missing.yaml: no such file\n"


def test_debug_shows_the_exception(run):
    result = CliRunner().invoke(cli, ["--debug", "report", "-f", "missing.yaml"])
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "FiguresError"


def test_validate_and_metrics(run):
    assert run("validate").stdout.endswith(": valid: 3 metrics, 7 values, 1 source\n")
    lines = run("metrics").stdout.splitlines()
    assert lines[0].split() == ["ID", "LABEL", "UNIT", "BETTER", "SOURCE"]
    assert lines[2].split() == [
        "shootings",
        "Shootings",
        "count",
        "down",
        "met-gun-crime-statement",
    ]


@pytest.mark.parametrize(
    ("name", "start"),
    [("r.md", "# Gun"), ("r.json", "{"), ("r.csv", "metric,"), ("r.txt", "Gun crime")],
)
def test_output_format_follows_extension(run, tmp_path, name, start):
    run("report", "--output", name)
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert text.startswith(start)
    assert "\x1b" not in text


def test_output_with_unknown_extension_needs_format(run):
    assert "cannot tell the format" in run("report", "-o", "report.out", expect=2).stderr
    run("report", "-o", "report.out", "--format", "csv")


def test_failed_run_keeps_the_old_output_byte_for_byte(run, tmp_path, write_figures):
    bad = write_figures("metrics: [1]\n", "bad.yaml")
    target = tmp_path / "report.md"
    target.write_bytes(b"OLD \xe2\x9c\x93\n")
    run("report", "-f", str(bad), "-o", str(target), expect=1)
    assert target.read_bytes() == b"OLD \xe2\x9c\x93\n"
    assert sorted(os.listdir(tmp_path)) == [
        "bad.yaml",
        "figures.yaml",
        "report.md",
    ]  # no temporary left


def test_output_keeps_permissions_and_reports_missing_folder(run, tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old")
    target.chmod(0o640)
    run("report", "-o", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text().startswith("# Gun crime")
    result = run("report", "-o", str(tmp_path / "nowhere" / "r.md"), expect=1)
    assert "does not exist" in result.stderr


def test_report_never_writes_the_figures_file(run, tmp_path, write_figures):
    path = write_figures("title: Synthetic\nmetrics:\n  a: {label: A, unit: count, better: up}\n")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    for fmt in ("table", "markdown", "json", "csv"):
        run("report", "-f", str(path), "--format", fmt)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_colour_flags(run):
    forced = run("report", "--format", "table", "--color").stdout
    assert "\x1b[32m" in forced
    assert "\x1b" not in run("report", "--format", "table").stdout
    assert "\x1b[" in run("report", "--format", "table", env={"FORCE_COLOR": "1"}).stdout


# -- briefing options: --date, --period-style, --template ----------------------------------

EXAMPLE_TEMPLATE = SHIPPED.parent / "examples" / "press-release.md.j2"


def test_made_on_date_from_option_then_source_date_epoch(run):
    dated = run("report", "--date", "2024-06-01", env={"SOURCE_DATE_EPOCH": "0"}).stdout
    assert "Made on 1 June 2024 from figures.yaml" in dated
    from_epoch = run("report", env={"SOURCE_DATE_EPOCH": "1700000000"}).stdout
    assert "Made on 14 November 2023 from figures.yaml" in from_epoch


def test_made_on_defaults_to_today(run):
    import datetime

    from gunstats.prose import long_date

    text = run("report", env={"SOURCE_DATE_EPOCH": None}).stdout
    today = datetime.date.today().isoformat()
    assert f"Made on {long_date(today)} from" in text


def test_same_options_give_byte_identical_output(run):
    args = ("report", "--format", "markdown", "--period-style", "gov-uk", "--date", "2024-06-01")
    assert run(*args).stdout_bytes == run(*args).stdout_bytes
    epoch = {"SOURCE_DATE_EPOCH": "1700000000"}
    assert run("report", env=epoch).stdout_bytes == run("report", env=epoch).stdout_bytes


def test_bad_dates_are_usage_errors(run):
    result = run("report", "--date", "2024-02-30", expect=2)
    assert "'--date'" in result.stderr
    result = run("report", env={"SOURCE_DATE_EPOCH": "yesterday"}, expect=2)
    assert "SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds" in result.stderr


@pytest.mark.parametrize("style", ["gov-uk", "ons"])
def test_period_style_gov_uk_and_ons_in_markdown_and_table(run, style):
    markdown = run("report", "--period-style", style, "--date", "2024-06-01").stdout
    years = " | ".join(f"Year ending March {year}" for year in (2020, 2021, 2022))
    assert f"| Measure | {years} |" in markdown
    assert "524 in the financial year ending March 2022," in markdown
    assert "196 in the year ending March 2022," in markdown
    table = run("report", "--format", "table", "--period-style", style).stdout
    before_the_key = table.split("Trend: ")[0]
    assert "March 2020" in before_the_key and "2019/20" not in before_the_key
    run("report", "--period-style", "long", expect=2)


def test_template_renders_the_example(run):
    result = run("report", "--template", str(EXAMPLE_TEMPLATE), "--date", "2024-06-01")
    assert result.stderr == ""
    assert result.stdout.startswith("# Gun crime in London\n\nFor release on 1 June 2024.\n")
    assert "- Shootings: 196 in 2021/22, down 87 (30.7%) from 283 in 2019/20" in result.stdout


def test_template_writes_any_output_file(run, tmp_path):
    target = tmp_path / "release.html"
    run("report", "--template", str(EXAMPLE_TEMPLATE), "-o", str(target))
    assert target.read_text(encoding="utf-8").startswith("# Gun crime in London")


def test_template_with_another_format_is_a_usage_error(run):
    result = run("report", "--template", str(EXAMPLE_TEMPLATE), "--format", "json", expect=2)
    assert "--template writes the template's own text, not json" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# {{ title }\n", "t.j2:1: unexpected '}'"),
        ("ok\n\n{{ nosuch }}\n", "t.j2:3: UndefinedError: 'nosuch' is undefined"),
        (
            "{{ title.__class__.__mro__ }}\n",
            "t.j2:1: SecurityError: access to attribute '__class__' of 'str' object is unsafe.",
        ),
        ("a\n{{ 1 // 0 }}\n", "t.j2:2: ZeroDivisionError: integer division or modulo by zero"),
        ("{% for m in metrics %}{{ m.latest | change }}{% endfor %}\n", "t.j2:1: "),
    ],
)
def test_template_errors_are_one_line_with_file_and_line(run, tmp_path, text, message):
    (tmp_path / "t.j2").write_text(text, encoding="utf-8")
    result = run("report", "--template", "t.j2", expect=1)
    assert result.stdout == ""
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_missing_template_file(run):
    assert run("report", "--template", "nope.j2", expect=1).stderr == "nope.j2: no such file\n"


def test_template_without_jinja2_gives_an_install_hint(run, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "jinja2", None)
    monkeypatch.setitem(sys.modules, "jinja2.sandbox", None)
    result = run("report", "--template", str(EXAMPLE_TEMPLATE), expect=1)
    assert result.stderr == (
        "--template needs Jinja2, which is not installed: pip install '.[templates]' in the "
        "gunstats folder (or pip install Jinja2)\n"
    )


def test_a_mistyped_command_gets_a_suggestion(run):
    # The commands load lazily, so Click alone would have nothing to suggest from.
    result = run("reprot", expect=2)
    assert "No such command 'reprot'. Did you mean 'report'?" in result.stderr
    assert "Did you mean" not in run("xyzzy", expect=2).stderr
