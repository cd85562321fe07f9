"""Signal, not noise: tests of change and XmR charts as a user meets them on the command line.

The p-values themselves are checked against scipy in test_significance.py and the XmR rules
in test_spc.py; here the shipped figures and examples/monthly.yaml (illustrative, not real
data) go through ``gunstats report``, ``summary`` and ``chart`` in every format.
"""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from itertools import pairwise

import pytest
from click.testing import CliRunner

from gunstats import params, spc
from gunstats.cli import cli
from gunstats.model import Better
from gunstats.significance import poisson_e_test
from gunstats.variation import confidence_percent, signal_meaning, significance_key

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "monthly.yaml"


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("GUNSTATS_FIGURES", "GUNSTATS_FORMAT", "NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def invoke(*args, expect=0):
        result = CliRunner().invoke(cli, [str(a) for a in args])
        assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
        return result

    return invoke


def comparisons(document) -> dict:
    return {
        (m["id"], c["kind"], c["from"]): c for m in document["metrics"] for c in m["comparisons"]
    }


# -- the report ---------------------------------------------------------------------------------


def test_done_when_the_shipped_report(run):
    found = comparisons(json.loads(run("report", "--format", "json").stdout))
    seizures = found["lethal_firearms_seized", "year_on_year", "2020/21"]
    assert seizures["significance"]["test"] == "poisson_e_test"
    assert seizures["significance"]["p_value"] == pytest.approx(0.1651, abs=5e-5)
    assert seizures["significance"]["significant"] is False
    assert seizures["assessment"] == "no significant change"
    shootings = found["shootings", "since_baseline", "2019/20"]
    assert shootings["significance"]["significant"] is True
    assert shootings["assessment"] == "better"
    solved = found["shootings_solved", "since_baseline", "2019/20"]
    assert solved["significance"] is None
    assert solved["assessment"] == "better (not tested)"


def test_confidence_sets_the_level_everywhere(run):
    document = json.loads(run("report", "--format", "json", "--confidence", "0.99").stdout)
    up_72 = comparisons(document)["lethal_firearms_seized", "year_on_year", "2019/20"]
    assert up_72["significance"]["confidence"] == 0.99
    assert up_72["significance"]["p_value"] == pytest.approx(0.014, abs=5e-4)
    assert up_72["assessment"] == "no significant change"  # p = 0.014 is not below 0.01
    markdown = run("report", "--format", "markdown", "--confidence", "0.99").stdout
    assert "At 99% confidence a change is significant" in markdown
    assert "less than 1% of the time (p \\< 0.01)" in markdown
    rows = list(csv.DictReader(io.StringIO(run("report", "--format", "csv").stdout)))
    second = next(r for r in rows if r["previous_period"] == "2020/21")
    assert (second["p_value"][:6], second["significant"]) == ("0.1650", "false")


@pytest.mark.parametrize("command", ["report", "summary"])
@pytest.mark.parametrize("value", ["1.5", "0.5", "1", "ninety"])
def test_a_confidence_outside_the_range_is_a_usage_error(run, command, value):
    result = run(command, "-f", EXAMPLE, "--confidence", value, expect=2)
    assert "--confidence" in result.stderr
    if value != "ninety":
        assert "0.8<=x<=0.999" in result.stderr
    assert result.stdout == ""


def test_key_points_never_call_noise_better(run):
    markdown = run("report", "--format", "markdown").stdout
    assert (
        "up 44 (9.2%) from 480 in 2020/21, which is not a statistically significant change"
        in markdown
    )
    table = next(
        line for line in markdown.splitlines() if "2021/22 compared with 2020/21 | +44" in line
    )
    assert table.endswith("| no significant change |")


def test_the_table_colours_only_significant_changes(run):
    result = run("report", "--format", "table", "--color", "-m", "lethal_firearms_seized")
    lines = result.stdout.splitlines()
    up_72 = next(line for line in lines if "+72" in line)
    up_44 = next(line for line in lines if "+44" in line)
    assert "\x1b[32m" in up_72  # significant and better: green
    assert "\x1b[32m" not in up_44 and "\x1b[31m" not in up_44  # noise: no colour


def test_the_key_explains_the_test_and_the_level():
    assert confidence_percent(0.95) == "95%"
    assert confidence_percent(0.999) == "99.9%"
    assert significance_key(0.8).endswith(
        "At 80% confidence a change is significant if chance alone would give one at least "
        "as large less than 20% of the time (p < 0.2)."
    )


# -- the summary --------------------------------------------------------------------------------


def summary_json(run, *args):
    return json.loads(run("summary", "-f", EXAMPLE, "--format", "json", *args).stdout)


def test_every_monthly_metric_has_its_xmr_chart(run):
    document = summary_json(run, "--month", "2023-01")
    assert len(document["metrics"]) == 4
    for metric in document["metrics"]:
        chart = metric["spc"]
        assert chart is not None and metric["spc_note"] is None, metric["id"]
        assert (chart["start"], chart["end"]) == ("2021-02", "2023-01")
        assert chart["lower"] <= chart["centre"] <= chart["upper"]
        assert chart["status"] == "normal" and chart["signals"] == []


def test_the_chart_is_the_mean_and_limits_of_the_window(run):
    # Shootings, February 2021 to January 2023, from examples/monthly.yaml by hand.
    values = [11, 9, 16, 12, 11, 24, 0, 18, 12, 10, 12, 24, 18, 17]
    values += [13, 19, 24, 11, 13, 12, 15, 10, 22, 17]
    mean = Fraction(sum(values), len(values))
    ranges = [abs(b - a) for a, b in pairwise(values)]
    upper = mean + Fraction(266, 100) * Fraction(sum(ranges), len(ranges))
    document = summary_json(run, "--month", "2023-01", "-m", "shootings")
    chart = document["metrics"][0]["spc"]
    assert chart["centre"] == float(mean)
    assert chart["upper"] == float(upper)
    assert chart["lower"] == 0  # the limit below the mean is under zero: drawn at zero


def test_spc_months_sets_the_window(run):
    chart = summary_json(run, "--month", "2023-01", "--spc-months", "36")["metrics"][1]["spc"]
    assert (chart["start"], chart["end"]) == ("2020-02", "2023-01")


def test_too_few_months_give_no_chart_and_say_why_and_the_rest_prints(run):
    result = run(
        "summary", "-f", EXAMPLE, "--month", "2023-06", "--spc-months", "12", "--format", "json"
    )
    by_id = {m["id"]: m for m in json.loads(result.stdout)["metrics"]}
    seized = by_id["lethal_firearms_seized"]  # no June 2023: 11 of the 12 months
    assert seized["spc"] is None
    assert seized["spc_note"] == (
        "only 11 of the 12 months from July 2022 to June 2023 have a value; an XmR chart "
        "needs at least 12"
    )
    assert by_id["shootings"]["spc"]["end"] == "2023-06"
    assert len(seized["comparisons"]) == 4
    markdown = run(
        "summary", "-f", EXAMPLE, "--month", "2023-06", "--spc-months", "12", "-q"
    ).stdout
    assert "- Lethal firearms seized: no XmR chart, as only 11 of the 12 months" in markdown


@pytest.mark.parametrize("value", ["3", "11", "0", "5000"])
@pytest.mark.parametrize("command", ["summary", "chart"])
def test_spc_months_outside_the_range_is_a_usage_error(run, command, value):
    result = run(command, "-f", EXAMPLE, "--spc-months", value, expect=2)
    assert "--spc-months" in result.stderr and "12<=x<=1200" in result.stderr


def test_the_default_window_is_spcs(run):
    assert params.SPC_MONTHS_DEFAULT == spc.DEFAULT_MONTHS


def test_summary_comparisons_carry_their_tests(run):
    document = summary_json(run, "--month", "2023-01", "-m", "lethal_firearms_seized")
    previous = document["metrics"][0]["comparisons"][3]
    assert previous["kind"] == "previous_month"
    assert previous["significance"]["p_value"] == poisson_e_test(32, 31, 54, 31)
    assert previous["assessment"] == "worse"
    assert document["confidence"] == 0.95
    text = run("summary", "-f", EXAMPLE, "--month", "2023-01", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"p_value", "significant"} <= set(rows[0])
    row = next(r for r in rows if r["metric"] == "lethal_firearms_seized" and r["comparison"]
               == "previous_month")  # fmt: skip
    assert (float(row["p_value"]), row["significant"]) == (poisson_e_test(32, 31, 54, 31), "true")


SIGNALS = ROOT / "tests" / "data" / "spc-signals.yaml"


def test_the_first_sentence_says_the_normal_range_or_a_signal(run):
    normal = run("summary", "-f", EXAMPLE, "--month", "2023-01", "-m", "shootings").stdout
    point = next(line for line in normal.splitlines() if line.startswith("- Shootings"))
    assert point.index("within its normal range") < point.index("April 2022 to January 2023")
    signal = run("summary", "-f", SIGNALS, "--format", "markdown").stdout
    point = next(line for line in signal.splitlines() if line.startswith("- Shootings"))
    assert point.startswith(
        "- Shootings: 11 in March 2023, a signal of improvement: 11 months in a row below its "
        "mean of 18, on an XmR chart of the 24 months to March 2023. April 2022 to March 2023:"
    )
    assert "| Shootings | 11 | 18.0 | 6.1 | 30.0 | improvement (shift) |" in signal


def test_signals_in_the_summary_json(run):
    document = json.loads(run("summary", "-f", SIGNALS, "--format", "json").stdout)
    chart = document["metrics"][0]["spc"]
    assert chart["status"] == "signal"
    assert chart["signals"][0] == {
        "rule": "outside_limits",
        "direction": "high",
        "meaning": "concern",  # more shootings
        "months": ["2022-04"],
    }
    shift = chart["signals"][1]
    assert (shift["rule"], shift["direction"], shift["meaning"]) == ("shift", "low", "improvement")
    assert shift["months"][0] == "2022-05" and shift["months"][-1] == "2023-03"


@pytest.mark.parametrize(
    ("direction", "better", "meaning"),
    [
        ("high", Better.UP, "improvement"),
        ("low", Better.UP, "concern"),
        ("high", Better.DOWN, "concern"),
        ("low", Better.DOWN, "improvement"),
        ("high", Better.NEITHER, "neither"),
    ],
)
def test_a_signal_is_judged_by_which_way_is_better(direction, better, meaning):
    assert signal_meaning(direction, better) == meaning


def test_the_readmes_table_of_p_values_is_gunstats_output(run):
    """README "Is a change real?": each row's p-value (as rounded there) and assessment."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### The shipped figures") :].split("\n\n")[1]
    rows = [line.strip("|").split("|") for line in table.splitlines()[2:]]
    found = comparisons(json.loads(run("report", "--format", "json").stdout))
    by_name = {}
    for (metric_id, _, earlier), item in found.items():
        label = {"lethal_firearms_seized": "Lethal firearms seized", "shootings": "Shootings"}
        name = label.get(metric_id, "Shootings solved")
        by_name[f"{name}, {item['to']} compared with {earlier}"] = item
    assert len(rows) == len(by_name) == 5
    for name, _earlier, _later, _change, shown, assessment in (map(str.strip, r) for r in rows):
        item = by_name[name]
        assert assessment.startswith(item["assessment"]), name
        if shown == "[x]":
            assert item["significance"] is None, name
            continue
        places = len(shown.split(".")[1])
        assert abs(float(shown) - item["significance"]["p_value"]) <= 0.5 * 10**-places, name
