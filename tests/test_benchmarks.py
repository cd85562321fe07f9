"""The benchmark is fair: the pandas script it races prints the same numbers as gunstats."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from gunstats.cli import cli
from gunstats.load import load_figures

from .conftest import ROOT, SHIPPED, SYNTHETIC

pytest.importorskip("pandas", reason="pandas is in the test extra")


def pandas_rows(path) -> list[list[str]]:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "pandas_report.py"), str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.strip().splitlines()[2:]  # after the header and delimiter rows
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def gunstats_rows(path) -> list[list[str]]:
    result = CliRunner().invoke(cli, ["report", "-f", str(path), "--format", "json"])
    document = json.loads(result.stdout)
    rows = []
    for metric in sorted(document["metrics"], key=lambda m: m["label"]):
        for comparison in metric["comparisons"]:
            if comparison["kind"] == "year_on_year":
                rows.append(
                    (
                        metric["label"],
                        f"{comparison['from']} to {comparison['to']}",
                        comparison["change"],
                        comparison["percent_change"],
                    )
                )
    return rows


@pytest.mark.parametrize("figures", ["shipped", "synthetic"])
def test_pandas_script_prints_the_numbers_gunstats_computes(figures, write_figures):
    path = SHIPPED if figures == "shipped" else write_figures(SYNTHETIC.replace("0.125", "0.5"))
    theirs = pandas_rows(path)
    ours = gunstats_rows(path)
    assert len(theirs) == len(ours) > 0
    for (label, periods, change, relative), (o_label, o_periods, o_change, o_relative) in zip(
        theirs, ours, strict=True
    ):
        assert (label, periods) == (o_label, o_periods)
        assert float(change.replace(",", "").removesuffix(" pp")) == pytest.approx(o_change)
        if o_relative is None:
            assert relative in ("+inf", "inf", "nan", "+nan")  # pandas divides by zero
        else:
            assert float(relative) == pytest.approx(o_relative, abs=0.05)


def _synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("shape", ["synthetic_figures", "synthetic_months"])
def test_benchmark_data_is_valid_and_the_size_asked_for(tmp_path, shape):
    bench = _synthetic()
    path = tmp_path / "synthetic.yaml"
    getattr(bench, shape)(5_000, path)
    figures = load_figures(path)
    assert sum(len(m.values) + len(m.months) for m in figures.metrics) == 5_000
    assert "not real" in figures.title
    for metric in figures.metrics:  # a rate is of a count of the same months, never above it
        if metric.ratio_of is not None:
            top = figures.metric(metric.ratio_of.numerator).months
            bottom = figures.metric(metric.ratio_of.denominator).months
            assert [o.period for o in top] == [o.period for o in bottom]
            assert all(t.value <= b.value for t, b in zip(top, bottom, strict=True))


def test_benchmark_areas_are_valid_and_add_up_to_the_whole(tmp_path):
    path = tmp_path / "areas.yaml"
    path.write_text(_synthetic().synthetic_areas(40, 5_000), encoding="utf-8")
    figures = load_figures(path)
    assert "not real" in figures.title and len(figures.areas) == 40
    result = CliRunner().invoke(
        cli, ["areas", "-f", str(path), "--metric", "synthetic_offences", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert sum(area["value"] for area in document["areas"]) == document["whole"]["value"]
    compared = [area["compared_with_rest"] for area in document["areas"]]
    assert None not in compared and "not different" in compared
