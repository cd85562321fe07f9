"""Properties that hold for every valid figures file, checked on generated ones (hypothesis).

The number of examples comes from the hypothesis profile in ``tests/conftest.py`` (200 by
default, as in CI). The oracles here are written independently of ``gunstats.numbers`` so a
rounding or sign bug there cannot hide behind itself.
"""

from __future__ import annotations

import datetime
import json
import math
import tempfile
from fractions import Fraction
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from gunstats.cli import cli
from gunstats.compute import Assessment, Direction, build_report
from gunstats.load import parse_figures
from gunstats.model import Better, Unit
from gunstats.numbers import round_half_away
from gunstats.periods import FinancialYear
from gunstats.render import json as json_render
from gunstats.render import markdown
from gunstats.render.options import RenderOptions
from gunstats.significance import (
    LARGEST_TESTED_COUNT,
    POISSON_E_TEST,
    Significance,
    poisson_e_test,
)

from .json_oracle import document as oracle_document
from .strategies import figures_files


def rounded_text(value, places: int, *, signed: bool = False) -> str:
    """docs/conventions.md C3 by hand: half away from zero on the exact value, commas, sign."""
    exact = Fraction(value)
    units = math.floor(abs(exact) * 10**places + Fraction(1, 2))
    digits = str(units).rjust(places + 1, "0")
    whole, fraction = (digits[:-places], digits[-places:]) if places else (digits, "")
    text = f"{int(whole):,}" + (f".{fraction}" if places else "")
    if units == 0:
        return text
    if exact < 0:
        return "-" + text
    return "+" + text if signed else text


def cell_text(value, places: int, *, signed: bool = False) -> str:
    """docs/conventions.md C20 by hand: a table cell is ``[low]`` where a value that is not
    zero would print as zero."""
    text = rounded_text(value, places, signed=signed)
    return "[low]" if value != 0 and text.strip("0.,") == "" else text


def test_the_oracle_rounds_half_away_from_zero():
    assert rounded_text(Fraction("0.125"), 2) == "0.13"
    assert rounded_text(Fraction("2.5"), 0) == "3"
    assert rounded_text(Fraction("-2.5"), 0, signed=True) == "-3"
    assert rounded_text(Fraction("-0.04"), 1, signed=True) == "0.0"
    assert rounded_text(1234567, 0) == "1,234,567"
    assert cell_text(Fraction("-0.04"), 1, signed=True) == "[low]"
    assert cell_text(0, 1) == "0.0" and cell_text(Fraction("0.05"), 1) == "0.1"


def run_cli(*args):
    return CliRunner().invoke(cli, list(args), env={"GUNSTATS_FORMAT": "", "NO_COLOR": ""})


@given(figures_files(), st.integers(0, 4))
def test_every_command_and_format_succeeds(generated, precision):
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "figures.yaml")
        Path(path).write_text(generated.text, encoding="utf-8")
        for args in (["validate"], ["metrics"]):
            result = run_cli(*args, "-f", path)
            assert result.exit_code == 0, (args, result.stderr, result.exception)
        for output_format in ("table", "markdown", "json", "csv"):
            result = run_cli(
                "report", "-f", path, "--format", output_format, "--precision", str(precision)
            )
            assert result.exit_code == 0, (output_format, result.stderr, result.exception)
            assert result.stderr == ""
            assert result.stdout


@given(figures_files())
def test_values_are_read_exactly_as_written(generated):
    figures = parse_figures(generated.text)
    assert [m.id for m in figures.metrics] == [m.id for m in generated.metrics]
    for metric, expected in zip(figures.metrics, generated.metrics, strict=True):
        assert metric.label == expected.label
        assert metric.unit.value == expected.unit and metric.better.value == expected.better
        assert {o.period: o.value for o in metric.values} == {
            FinancialYear(start): value for start, value in expected.values.items()
        }
        assert [o.period for o in metric.values] == sorted(o.period for o in metric.values)


@given(figures_files())
def test_changes_are_exact_and_agree_with_their_direction(generated):
    report = build_report(parse_figures(generated.text))
    for comparison in (c for m in report.metrics for c in m.comparisons):
        earlier, later = comparison.earlier.value, comparison.later.value
        assert comparison.change == later - earlier
        expected_direction = (
            Direction.UP
            if later > earlier
            else Direction.DOWN
            if later < earlier
            else Direction.FLAT
        )
        assert comparison.direction is expected_direction
        if earlier == 0:
            assert comparison.percent_change is None
        else:
            exact = (Fraction(later) - Fraction(earlier)) / Fraction(earlier) * 100
            computed = Fraction(comparison.percent_change)
            # 60 significant digits (see gunstats.compute): far closer than any rounding, ...
            assert abs(computed - exact) <= abs(exact) * Fraction(1, 10**58)
            # ... so it rounds exactly as the true value does, at every precision offered,
            # and its nearest double is the true value's (what JSON carries).
            for places in range(7):
                assert round_half_away(comparison.percent_change, places) == round_half_away(
                    exact, places
                )
            assert float(comparison.percent_change) == float(exact)
            assert (comparison.percent_change > 0) == (comparison.direction is Direction.UP)
        metric = next(m.metric for m in report.metrics if comparison in m.comparisons)
        tested = comparison.significance
        if metric.unit is Unit.PERCENT or max(earlier, later) > LARGEST_TESTED_COUNT:
            assert tested is None  # no parts to test a percentage on; a count too large
        else:
            # Days from 1 April to 1 April, counted by the calendar rather than by gunstats.
            days = [
                (datetime.date(o.period.start + 1, 4, 1) - datetime.date(o.period.start, 4, 1)).days
                for o in (comparison.later, comparison.earlier)
            ]
            p_value = poisson_e_test(int(later), days[0], int(earlier), days[1])
            assert tested == Significance(POISSON_E_TEST, p_value, 0.95, p_value < 0.05)
        good = (comparison.direction is Direction.UP) == (metric.better is Better.UP)
        if comparison.direction is Direction.FLAT:
            assert comparison.assessment is Assessment.NO_CHANGE
        elif tested is not None and not tested.significant:
            assert comparison.assessment is Assessment.NO_SIGNIFICANT_CHANGE
        elif metric.better is Better.NEITHER:
            assert comparison.assessment is Assessment.NEUTRAL
        elif tested is None:
            untested = Assessment.BETTER_UNTESTED if good else Assessment.WORSE_UNTESTED
            assert comparison.assessment is untested
        else:
            assert comparison.assessment is (Assessment.BETTER if good else Assessment.WORSE)


def close_to(number, exact) -> bool:
    """A JSON number is the exact value, or the nearest double to it."""
    if exact is None:
        return number is None
    exact = Fraction(exact)
    if exact.denominator == 1:
        return isinstance(number, int) and number == exact
    return number == float(exact)


@given(figures_files())
def test_json_round_trips_and_matches_the_compute_layer(generated):
    report = build_report(parse_figures(generated.text))
    text = json_render.render(report)
    document = json.loads(text)
    assert document == json.loads(json.dumps(oracle_document(report)))
    assert document["periods"] == [str(p) for p in report.periods]
    assert len(document["metrics"]) == len(report.metrics)
    for found, metric_report in zip(document["metrics"], report.metrics, strict=True):
        assert found["id"] == metric_report.metric.id
        assert found["label"] == metric_report.metric.label
        assert [v["period"] for v in found["values"]] == [
            str(o.period) for o in metric_report.observations
        ]
        for value, observation in zip(found["values"], metric_report.observations, strict=True):
            assert close_to(value["value"], observation.value)
        assert len(found["comparisons"]) == len(metric_report.comparisons)
        for item, comparison in zip(found["comparisons"], metric_report.comparisons, strict=True):
            assert item["from"] == str(comparison.from_period)
            assert item["to"] == str(comparison.to_period)
            assert close_to(item["change"], comparison.change)
            assert close_to(item["percent_change"], comparison.percent_change)
            assert item["direction"] == comparison.direction.value
            assert item["assessment"] == comparison.assessment.value
            sign = (item["change"] > 0) - (item["change"] < 0)
            assert sign == {"up": 1, "down": -1, "flat": 0}[item["direction"]]


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts (header first), as a Markdown reader sees them."""
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)
    tables, rows, row = [], None, None
    for token in tokens:
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append("".join(child.content for child in token.children))
        elif token.type == "tr_close":
            rows.append(row)
            row = None
        elif token.type == "table_close":
            tables.append(rows)
            rows = None
    return tables


def expected_value_cell(observation, unit: Unit, precision: int) -> str:
    if observation is None:
        return "[x]"
    text = cell_text(observation.value, 0 if unit is Unit.COUNT else precision)
    if observation.flags:
        text += " " + "".join(f"[{flag.value}]" for flag in observation.flags)
    return text


def expected_change_cells(comparison, precision: int, with_relative: bool) -> list[str]:
    """C1, C13: a table of percentages alone has no relative change and no "pp" in its cells;
    a table with counts too has both, and ``[z]`` for a percentage's relative change."""
    places = 0 if comparison.unit is Unit.COUNT else precision
    change = cell_text(comparison.change, places, signed=True)
    if comparison.unit is Unit.PERCENT:
        if not with_relative:
            return [change, comparison.assessment.value]
        change += "" if change == "[low]" else " pp"
        return [change, "[z]", comparison.assessment.value]
    percent = comparison.percent_change
    relative = "[z]" if percent is None else cell_text(percent, precision, signed=True)
    return [change, relative, comparison.assessment.value]


@given(figures_files(), st.integers(0, 4))
def test_markdown_tables_have_the_right_shape_and_numbers(generated, precision):
    report = build_report(parse_figures(generated.text))
    tables = markdown_tables(markdown.render(report, RenderOptions(precision=precision)))
    metrics = report.metrics

    values, *changes = tables
    assert len(values) == 1 + len(metrics)
    assert all(len(row) == 1 + len(report.periods) for row in values)
    for row, metric_report in zip(values[1:], metrics, strict=True):
        unit = metric_report.metric.unit
        assert row[0] == metric_report.metric.label + (" (%)" if unit is Unit.PERCENT else "")
        assert row[1:] == [
            expected_value_cell(metric_report.value_for(p), unit, precision) for p in report.periods
        ]

    year_on_year = []
    for metric_report in metrics:
        unit = metric_report.metric.unit
        year_on_year += [
            (c, f"{c.to_period} compared with {c.from_period}", unit)
            for c in metric_report.year_on_year
        ]
        observations = metric_report.observations
        if observations and metric_report.value_for(observations[-1].period.previous()) is None:
            latest = observations[-1].period
            year_on_year.append((None, f"{latest} compared with {latest.previous()}", unit))
    since = [(m.since_baseline, None, m.metric.unit) for m in metrics if m.since_baseline]
    expected_tables = [rows for rows in (year_on_year, since) if rows]
    assert len(changes) == len(expected_tables)
    for table, expected_rows in zip(changes, expected_tables, strict=True):
        with_relative = {unit for _, _, unit in expected_rows} != {Unit.PERCENT}
        assert len(table) == 1 + len(expected_rows)
        assert all(len(row) == (5 if with_relative else 4) for row in table)
        for row, (comparison, periods, _) in zip(table[1:], expected_rows, strict=True):
            if comparison is None:
                assert row[1:] == [periods, *["[x]"] * (3 if with_relative else 2)]
                continue
            assert row[1] == f"{comparison.to_period} compared with {comparison.from_period}"
            assert row[2:] == expected_change_cells(comparison, precision, with_relative)
            # the printed sign is the direction's, unless the change rounds to zero
            sign = {Direction.UP: "+", Direction.DOWN: "-", Direction.FLAT: "0"}
            assert row[2][0] in (sign[comparison.direction], "0") or row[2] == "[low]"
