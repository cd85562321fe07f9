"""Charts drawn from hostile or awkward figures: text as written, whole sets, quiet stderr,
readable axes. (Issue 14: items 14, 24 and 31.)"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gunstats import charts
from gunstats.charts import chart_specs, draw
from gunstats.cli import cli
from gunstats.load import parse_figures

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
