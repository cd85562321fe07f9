"""gunstats set and gunstats import --into: one figure changed, every comment kept.

The files here are synthetic (their titles say so).
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import stat

import pytest

from gunstats.load import load_figures

from .conftest import ROOT
from .test_import import invoke, write_csv

COMMENTED = """\
# Illustrative monthly figures (not real data): every line of this comment must survive.
title: Example force (illustrative, not real data)   # the title
sources:
  illustrative: {title: Made up for tests, publisher: gunstats tests}
metrics:
  # Shootings come first because the briefing leads with them.
  shootings:
    label: Shootings
    unit: count
    better: down
    source: illustrative
    values:
      2021-22: 140    # spelled with a dash, as the force writes it
      2022/23: 150
    months:
      # 2023/24
      2023-04: 14
      2023-05: {value: 12, flags: [provisional], note: Checked by the analyst.}   # keep
  solved:
    label: Shootings solved
    unit: percent
    better: up
    values:
      2022/23: 31.5  # a percentage
# The end.
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"
    ]


@pytest.fixture
def figures(tmp_path):
    path = tmp_path / "figures.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    return path


def set_(*args):
    return invoke("set", *map(str, args))


def test_set_changes_one_value_and_keeps_every_comment(figures):
    result = set_("shootings", "2023-04", "15", "-f", figures)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{figures}: shootings 2023-04: 15 (was 14)\n"
    after = figures.read_text(encoding="utf-8")
    assert changed_lines(COMMENTED, after) == ["-       2023-04: 14", "+       2023-04: 15"]


def test_set_adds_the_next_month_in_order(figures):
    result = set_("shootings", "2023-06", "9", "-f", figures, "--flag", "provisional")
    assert result.exit_code == 0, result.output
    after = figures.read_text(encoding="utf-8")
    assert changed_lines(COMMENTED, after) == ["+       2023-06: {value: 9, flags: [provisional]}"]
    assert after.index("2023-05:") < after.index("2023-06:") < after.index("  solved:")
    month = load_figures(figures).metric("shootings").months[-1]
    assert (str(month.period), int(month.value), month.flags[0].meaning) == (
        "2023-06",
        9,
        "provisional",
    )


def test_set_finds_a_year_in_the_file_s_own_spelling(figures):
    result = set_("shootings", "2021/22", "141", "-f", figures)
    assert result.exit_code == 0, result.output
    assert changed_lines(COMMENTED, figures.read_text(encoding="utf-8")) == [
        "-       2021-22: 140    # spelled with a dash, as the force writes it",
        "+       2021-22: 141    # spelled with a dash, as the force writes it",
    ]


def test_set_on_a_long_form_keeps_its_note_and_says_which_flags_went(figures):
    result = set_("shootings", "May 2023", "13", "-f", figures)
    assert result.exit_code == 0, result.output
    assert "no longer flagged provisional" in result.stderr
    after = figures.read_text(encoding="utf-8")
    assert re.search(
        r"\n      2023-05: {value: 13, note: Checked by the analyst.} +# keep\n", after
    )


def test_set_a_percentage_with_decimals(figures):
    result = set_("solved", "2023/24", "33.25", "-f", figures)
    assert result.exit_code == 0, result.output
    assert changed_lines(COMMENTED, figures.read_text(encoding="utf-8")) == [
        "+       2023/24: 33.25"
    ]


def test_set_refuses_a_value_the_file_could_not_hold(figures):
    result = set_("shootings", "2023-06", "12.5", "-f", figures)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"{figures}: not changed: shootings 2023-06: 12.5 is not a whole"
    )
    assert figures.read_text(encoding="utf-8") == COMMENTED


def test_set_refuses_an_edit_the_loader_would_reject(figures, tmp_path):
    # A ratio takes its months from its parts: a month of its own would make the file invalid.
    text = COMMENTED.replace(
        "    values:\n      2022/23: 31.5  # a percentage",
        "    ratio_of: {numerator: shootings, denominator: shootings2}\n"
        "    values:\n      2022/23: 31.5",
    )
    text = text.replace(
        "# The end.", "  shootings2: {label: B, unit: count, better: up}\n# The end."
    )
    figures.write_text(text, encoding="utf-8")
    load_figures(figures)
    result = set_("solved", "2023-06", "30", "-f", figures)
    assert result.exit_code == 1
    assert f"{figures}: not changed: the edit would make it invalid:" in result.stderr
    assert "a ratio takes its monthly values from its numerator and denominator" in result.stderr
    assert figures.read_text(encoding="utf-8") == text


def test_set_refuses_a_file_that_is_invalid_before(figures):
    figures.write_text(COMMENTED.replace("better: down", "better: lower"), encoding="utf-8")
    before = figures.read_text(encoding="utf-8")
    result = set_("shootings", "2023-06", "9", "-f", figures)
    assert result.exit_code == 1
    assert "metrics.shootings.better: 'lower' is not one of: up | down | neither" in result.stderr
    assert figures.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("shooting", "2023-06", "9"), "no metric 'shooting'"),
        (("shootings", "June", "9"), "'June' is not a period"),
        (("shootings", "2023-06", "[x]"), "to record that a figure was not published"),
    ],
)
def test_set_usage_errors(figures, args, message):
    result = set_(*args, "-f", figures)
    assert result.exit_code == 2
    assert message in result.stderr
    assert figures.read_text(encoding="utf-8") == COMMENTED


def test_set_writes_through_a_symlink_and_keeps_permissions(figures, tmp_path):
    os.chmod(figures, 0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(figures)
    result = set_("shootings", "2023-04", "15", "-f", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert "2023-04: 15" in figures.read_text(encoding="utf-8")
    assert stat.S_IMODE(figures.stat().st_mode) == 0o640


def test_set_keeps_crlf_line_ends_and_a_byte_order_mark(figures):
    figures.write_bytes(b"\xef\xbb\xbf" + COMMENTED.replace("\n", "\r\n").encode())
    result = set_("shootings", "2023-04", "15", "-f", figures)
    assert result.exit_code == 0, result.output
    data = figures.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == data.count(b"\n")
    assert b"2023-04: 15\r\n" in data


@pytest.mark.parametrize(
    "name", ["figures.yaml", "examples/monthly.yaml", "tests/data/valid/hostile_labels.yaml"]
)
def test_set_changes_only_its_line_in_the_project_s_own_files(tmp_path, name):
    path = tmp_path / "copy.yaml"
    shutil.copy(ROOT / name, path)
    before = path.read_text(encoding="utf-8")
    metric = load_figures(path).metrics[0]
    period = str(metric.values[-1].period)
    result = set_(metric.id, period, "1", "-f", path)
    assert result.exit_code == 0, result.output
    assert len(changed_lines(before, path.read_text(encoding="utf-8"))) == 2


def test_set_without_a_figures_file_will_not_touch_the_shipped_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GUNSTATS_FIGURES", raising=False)
    result = set_("shootings", "2023/24", "1")
    assert result.exit_code == 2
    assert "give the one to change with -f FILE" in result.stderr


# --- import --into ---------------------------------------------------------------------------


def table(tmp_path, rows):
    return write_csv(tmp_path / "latest.csv", rows)


def test_into_adds_new_periods_and_metrics_and_keeps_comments(figures, tmp_path):
    rows = [
        ["Illustrative update (not real data)"],
        ["Measure", "2021/22", "2022/23", "2023/24"],
        ["Shootings", "140", "150", "160"],
        ["Knife crime", "[x]", "5", "6"],
    ]
    result = invoke(
        "import",
        str(table(tmp_path, rows)),
        "--into",
        str(figures),
        "--source-title",
        "Made up for tests",
    )
    assert result.exit_code == 0, result.output
    assert "added 1 metric(s): knife_crime" in result.stderr
    assert "added 1 value(s), revised 0, 2 already there" in result.stderr
    after = figures.read_text(encoding="utf-8")
    removed = [line for line in changed_lines(COMMENTED, after) if line.startswith("-")]
    assert removed == []  # every line of the file is still there, comments included
    figures_after = load_figures(figures)
    assert int(figures_after.metric("shootings").values[-1].value) == 160
    knife = figures_after.metric("knife_crime")
    assert (knife.better.value, knife.source) == ("neither", "illustrative")
    assert "# 2021/22: not published (line 4, column 2 held [x])" in after


def test_into_refuses_a_changed_figure_without_revise(figures, tmp_path):
    rows = [["Measure", "2021/22", "2022/23"], ["Shootings", "140", "151"]]
    source = table(tmp_path, rows)
    result = invoke("import", str(source), "--into", str(figures))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        f"{source}:2:3: shootings 2022/23 is 150 in {figures} but 151 in the table (add --revise "
        "to take the table's value, flagged revised)"
    )
    assert figures.read_text(encoding="utf-8") == COMMENTED


def test_into_with_revise_flags_the_value_revised(figures, tmp_path):
    rows = [["Measure", "2021/22", "2022/23"], ["Shootings", "140", "151"]]
    result = invoke("import", str(table(tmp_path, rows)), "--into", str(figures), "--revise")
    assert result.exit_code == 0, result.output
    assert changed_lines(COMMENTED, figures.read_text(encoding="utf-8")) == [
        "-       2022/23: 150",
        "+       2022/23: {value: 151, flags: [revised]}",
    ]


def test_into_matches_metrics_by_label_too(figures, tmp_path):
    rows = [["Measure", "2022/23", "2023/24"], ["Shootings solved (%)", "31.5", "30"]]
    result = invoke("import", str(table(tmp_path, rows)), "--into", str(figures))
    assert result.exit_code == 0, result.output
    assert [str(v.value) for v in load_figures(figures).metric("solved").values] == ["31.5", "30"]


def test_the_readme_s_monthly_cron_step_works_as_written(tmp_path, monkeypatch):
    """Each `gunstats set` line of "Running it from cron", run on a copy of the example."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cron = readme[readme.index("## Running it from cron") :]
    lines = re.findall(r"^\.venv/bin/gunstats (set .*)$", cron, re.MULTILINE)
    assert len(lines) == 2
    shutil.copy(ROOT / "examples" / "monthly.yaml", tmp_path / "monthly.yaml")
    monkeypatch.chdir(tmp_path)
    before = (tmp_path / "monthly.yaml").read_text(encoding="utf-8")
    for line in lines:
        result = invoke(*line.split())
        assert result.exit_code == 0, f"{line}: {result.output}"
    after = (tmp_path / "monthly.yaml").read_text(encoding="utf-8")
    added = changed_lines(before, after)
    assert all(line.startswith("+") for line in added) and len(added) == 2  # comments all kept
    figures = load_figures(tmp_path / "monthly.yaml")
    for metric_id, value in [("shootings", 15), ("lethal_firearms_seized", 41)]:
        month = figures.metric(metric_id).months[-1]
        assert (str(month.period), month.value) == ("2023-07", value)
        assert [flag.value for flag in month.flags] == ["p"]
