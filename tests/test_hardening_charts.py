"""Charts drawn from hostile or awkward figures: text as written, whole sets, quiet stderr,
readable axes. (Issue 14: items 14, 24 and 31.)"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from gunstats import charts
from gunstats.charts import chart_specs, draw
from gunstats.cli import cli
from gunstats.load import parse_figures

from .conftest import ROOT
from .test_charts import svg_texts

DOLLARS = """\
title: Costs in $ and $ (illustrative, not real data)
sources:
  s: {title: Made up for tests, publisher: "Bureau of $ and cents$"}
metrics:
  money:
    label: Seizures worth $5m to $10m
    unit: count
    better: up
    source: s
    values: {2020/21: 3, 2021/22: 4}
  tex:
    label: Cost $\\nosuch$ here
    unit: count
    better: up
    source: s
    values: {2020/21: 5, 2021/22: 6}
"""


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("GUNSTATS_FIGURES", "GUNSTATS_FORMAT", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args, expect=0):
        result = CliRunner().invoke(cli, list(args))
        assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
        return result

    return invoke


# ---- item 14: a dollar sign is a dollar sign ---------------------------------------------------


def test_dollar_signs_in_every_chart_text_are_drawn_as_written():
    money, tex = chart_specs(parse_figures(DOLLARS))
    assert money.title == "Seizures worth $5m to $10m"
    texts = svg_texts(draw([money], "svg"))
    assert "Seizures worth $5m to $10m" in texts  # one text, not glyphs set as mathtext
    assert any(t.startswith("Costs in $ and $ (illustrative") for t in texts)
    assert any(t.startswith("Source: Bureau of $ and cents$.") for t in texts)
    # A TeX command is text too: drawn, not run (it used to be a ParseFatalException).
    assert "Cost $\\nosuch$ here" in svg_texts(draw([tex], "svg"))
    assert draw([tex], "png").startswith(b"\x89PNG")


def test_chart_command_with_dollars_succeeds(run, tmp_path):
    (tmp_path / "f.yaml").write_text(DOLLARS, encoding="utf-8")
    run("chart", "-f", "f.yaml", "--output-dir", "charts", "--format", "svg")
    assert "Cost $\\nosuch$ here" in svg_texts((tmp_path / "charts" / "tex.svg").read_bytes())


def fail_on(monkeypatch, metric_id: str) -> None:
    """Make drawing one metric's chart fail, as a matplotlib error on its text would."""
    draw_axes = charts._draw_axes

    def failing(axes, spec):
        if spec.metric_id == metric_id:
            raise ValueError("simulated failure drawing " + metric_id)
        draw_axes(axes, spec)

    monkeypatch.setattr(charts, "_draw_axes", failing)


THREE = """\
title: Three synthetic measures (illustrative, not real data)
metrics:
  first: {label: First, unit: count, better: up, values: {2020/21: 1, 2021/22: VALUE}}
  second: {label: Second, unit: count, better: up, values: {2020/21: 1, 2021/22: VALUE}}
  third: {label: Third, unit: count, better: up, values: {2020/21: 1, 2021/22: VALUE}}
"""


def test_report_charts_are_all_written_or_none(run, tmp_path, monkeypatch):
    figures = tmp_path / "f.yaml"
    args = ("report", "-f", "f.yaml", "--format", "markdown", "--charts", "charts", "-o", "b.md")
    figures.write_text(THREE.replace("VALUE", "2"), encoding="utf-8")
    run(*args)
    last_month = {p.name: p.read_bytes() for p in (tmp_path / "charts").iterdir()}
    assert sorted(last_month) == ["first.png", "second.png", "third.png"]
    figures.write_text(THREE.replace("VALUE", "7"), encoding="utf-8")
    with monkeypatch.context() as patch:
        fail_on(patch, "second")
        result = run(*args, expect=1)
    assert result.stderr.count("\n") == 1 and "second" in result.stderr, result.stderr
    now = {p.name: p.read_bytes() for p in (tmp_path / "charts").iterdir()}
    assert now == last_month  # last month's set, whole: no new first chart beside old ones
    run(*args)  # and without the failure every chart is new
    assert all(p.read_bytes() != last_month[p.name] for p in (tmp_path / "charts").iterdir())


def test_a_failed_chart_makes_no_folder_and_says_which(run, tmp_path, monkeypatch):
    fail_on(monkeypatch, "shootings_solved")
    result = run("chart", "--output-dir", "new", expect=1)
    assert not (tmp_path / "new").exists()
    assert result.stderr.startswith("shootings_solved: chart cannot be drawn"), result.stderr
    assert result.stderr.count("\n") == 1


# ---- item 24: a quiet stderr under cron, one warning for a missing glyph -----------------------

GLYPHS = """\
title: Synthetic figures (illustrative, not real data) \U0001f52b
metrics:
  a: {label: "Shootings \u67aa\u51fb", unit: count, better: down, values: {2020/21: 3, 2021/22: 4}}
  b: {label: "Seizures \u67aa", unit: count, better: up, values: {2020/21: 5, 2021/22: 6}}
"""


def run_installed(tmp_path, *args, **environment):
    """The installed command in what cron gives a job: a bare environment, here with a home
    that cannot be written (as for a system account) and its own temporary folder."""
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env = {
        "PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin",
        "HOME": "/proc/nonexistent",  # unwritable even for root
        "TMPDIR": str(tmp_path / "tmp"),
        **environment,
    }
    return subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "gunstats"), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_no_matplotlib_cache_notice_under_cron(tmp_path):
    result = run_installed(tmp_path, "chart", "-f", str(ROOT / "figures.yaml"), "-o", "x.png")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == "x.png\n"
    # matplotlib's cache lives under the run's temporary folder, kept for the next run
    cache = tmp_path / "tmp" / f"gunstats-matplotlib-{os.getuid()}"
    assert any(name.startswith("fontlist") for name in os.listdir(cache))


def test_a_missing_glyph_is_one_gunstats_warning(tmp_path):
    (tmp_path / "f.yaml").write_text(GLYPHS, encoding="utf-8")
    result = run_installed(tmp_path, "chart", "-f", "f.yaml", "--output-dir", "charts")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr  # one for the run, not one per glyph per chart
    assert lines[0].startswith("gunstats: warning: ")
    for character in ("\u67aa", "\u51fb", "\U0001f52b"):
        assert f"{character!r} (U+{ord(character):04X})" in lines[0]
    assert sorted(os.listdir(tmp_path / "charts")) == ["a.png", "b.png"]


def test_the_users_own_matplotlib_folder_is_left_alone(tmp_path):
    mine = tmp_path / "mine"
    result = run_installed(
        tmp_path, "chart", "-f", str(ROOT / "figures.yaml"), "-o", "x.svg", MPLCONFIGDIR=str(mine)
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert any(name.startswith("fontlist") for name in os.listdir(mine))
    assert not (tmp_path / "tmp" / f"gunstats-matplotlib-{os.getuid()}").exists()
