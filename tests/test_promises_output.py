"""Issue 14, the promises about output: a filter never invents a gap, numbers are exact in
every machine format, text cannot become a formula or drive a terminal, narrow terminals keep
every measure, unit and digit. Figures written here are synthetic and say so."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

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
    assert "| Lethal firearms seized | 2020/21 to 2021/22 | +44 | +9.2 | better |" in markdown
    assert "up 44 (9.2%) on 480 in 2020/21" in markdown
    # Shootings for 2020/21 really is not in the file: that gap stays [x].
    assert "| Shootings | 2020/21 to 2021/22 | \\[x\\] | \\[x\\] | \\[x\\] |" in markdown
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
    assert "| Shootings | 2019/20 to 2021/22 | -87 | -30.7 | better |" in markdown


def test_baseline_after_to_is_a_usage_error(run):
    result = run("report", "--baseline", "2021/22", "--to", "2020/21", expect=2)
    assert "--baseline 2021/22 is after --to 2020/21" in result.stderr
    assert result.stdout == ""
