"""``gunstats chart --monthly --spc``: XmR charts, what they say, and the command line."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from gunstats.charts_spc import MEANINGS, draw_spc, spc_specs
from gunstats.cli import cli
from gunstats.load import load_figures
from gunstats.variation import CONCERN, IMPROVEMENT

from .conftest import ROOT, SHIPPED

EXAMPLE = ROOT / "examples" / "monthly.yaml"
SIGNALS = ROOT / "tests" / "data" / "spc-signals.yaml"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("GUNSTATS_FIGURES", "GUNSTATS_FORMAT", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args, expect=0):
        result = CliRunner().invoke(cli, [str(a) for a in args])
        assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
        return result

    return invoke


def test_one_chart_per_monthly_metric_over_the_latest_months():
    specs = spc_specs(load_figures(EXAMPLE), None, 24)
    assert [s.metric_id for s in specs] == [
        "lethal_firearms_seized",
        "shootings",
        "shootings_solved_count",
        "shootings_solved",
    ]
    for spec in specs:
        assert spec.drawable
        assert (str(spec.chart.start), str(spec.chart.end)) == ("2021-07", "2023-06")


def test_alt_text_says_what_the_chart_shows():
    (spec,) = spc_specs(load_figures(SIGNALS), None, 24)
    assert spec.alt_text == (
        "XmR (statistical process control) chart of Shootings by month, April 2021 to March "
        "2023. Mean 18.0; process limits 6.1 to 30.0. Signals: outside the limits high "
        "(concern), April 2022; a shift low (improvement), May 2022 to March 2023. March 2023: "
        "11, a signal of improvement: 11 months in a row below its mean of 18. Lower is "
        "better."
    )
    (normal, *_) = spc_specs(load_figures(EXAMPLE), ["shootings"], 24)
    assert "No signals: every month is within the usual variation." in normal.alt_text


def test_signal_points_are_marked_in_two_colours_and_shapes():
    (spec,) = spc_specs(load_figures(SIGNALS), None, 24)
    svg = draw_spc([spec], "svg").decode("utf-8")
    improvement, concern = MEANINGS[IMPROVEMENT][0].lower(), MEANINGS[CONCERN][0].lower()
    assert improvement != concern
    assert f"fill: {improvement}" in svg and f"fill: {concern}" in svg
    texts = [" ".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "Signal: concern" in texts and "Signal: improvement" in texts
    assert any(text.startswith("Upper limit") for text in texts)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}desc").text == spec.alt_text


def test_a_normal_chart_has_no_signal_colours():
    specs = spc_specs(load_figures(EXAMPLE), ["shootings"], 24)
    svg = draw_spc(specs, "svg").decode("utf-8")
    for colour, _, legend in MEANINGS.values():
        assert f"fill: {colour.lower()}" not in svg
        assert legend not in svg


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_the_same_figures_give_the_same_bytes(fmt):
    specs = spc_specs(load_figures(SIGNALS), None, 24)
    assert draw_spc(specs, fmt) == draw_spc(specs, fmt)


def test_chart_monthly_spc_writes_one_file_per_metric(run, tmp_path):
    result = run("chart", "-f", EXAMPLE, "--monthly", "--spc", "-d", "out")
    names = ["lethal_firearms_seized", "shootings", "shootings_solved_count", "shootings_solved"]
    assert result.stdout.splitlines() == [os.path.join("out", f"{n}-spc.png") for n in names]
    assert (tmp_path / "out" / "shootings-spc.png").read_bytes().startswith(b"\x89PNG")


def test_one_image_with_a_panel_per_metric(run, tmp_path):
    run("chart", "-f", EXAMPLE, "--monthly", "--spc", "-o", "all.svg")
    desc = ET.parse(tmp_path / "all.svg").getroot().find(f"{SVG}desc").text
    assert desc.count("XmR (statistical process control) chart of") == 4


def test_a_metric_with_too_few_months_is_a_warning_and_the_rest_are_drawn(run, tmp_path):
    result = run("chart", "-f", EXAMPLE, "--monthly", "--spc", "--spc-months", "12", "-d", "out")
    assert "lethal_firearms_seized: no XmR chart, as only 11 of the 12 months" in result.stderr
    assert len(result.stdout.splitlines()) == 3
    assert not (tmp_path / "out" / "lethal_firearms_seized-spc.png").exists()


def test_no_metric_with_enough_months_is_an_error(run, tmp_path, write_figures):
    few = write_figures(
        "title: Synthetic (not real data)\nmetrics:\n  a:\n    label: A\n    unit: count\n"
        "    better: up\n    months: {2023-01: 3, 2023-02: 4, 2023-03: 5}\n"
    )
    result = run("chart", "-f", few, "--monthly", "--spc", "-d", "out", expect=1)
    assert "a: no XmR chart, as only 3 of the 24 months" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--spc", "-d", "out"), "--spc charts monthly values: add --monthly"),
        (("--monthly", "--spc", "--from", "2021/22", "-d", "out"), "do not apply to --spc"),
        (("--monthly", "--spc-months", "12", "-d", "out"), "--spc-months sets the months"),
    ],
)
def test_spc_usage_errors(run, args, message):
    result = run("chart", "-f", EXAMPLE, *args, expect=2)
    assert message in result.stderr


def test_figures_without_months_have_no_spc_chart(run):
    result = run("chart", "-f", SHIPPED, "--monthly", "--spc", "-d", "out", expect=2)
    assert "no monthly values" in result.stderr


def test_an_xmr_chart_that_cannot_be_drawn_is_a_one_line_error(run, monkeypatch):
    """XmR charts are drawn through the same figure as every other chart: matplotlib failing
    on one is a one-line error naming the chart, exit 1, and no file."""
    import gunstats.charts_spc as charts_spc

    def failing(axes, spec):
        raise ValueError("simulated failure drawing " + spec.metric_id)

    monkeypatch.setattr(charts_spc, "_draw_axes", failing)
    result = run("chart", "-f", EXAMPLE, "--monthly", "--spc", "-o", "x.svg", expect=1)
    (error,) = result.stderr.splitlines()
    assert error.startswith("lethal_firearms_seized (XmR), "), error
    assert "chart cannot be drawn (ValueError: simulated failure" in error
    assert not os.path.exists("x.svg")
