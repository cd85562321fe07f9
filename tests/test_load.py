"""Validation: every problem is reported as FILE:LINE:COL: where: what (expected)."""

from decimal import Decimal

import pytest
import yaml

from gunstats.errors import FiguresError
from gunstats.load import load_figures, parse_figures
from gunstats.model import Better, Flag, Unit
from gunstats.periods import FinancialYear, Month
from gunstats.readers import is_null
from gunstats.yaml_tree import compose

from .conftest import SHIPPED

HEAD = """\
title: Synthetic (not real data)
sources:
  s1: {title: A source}
metrics:
  a:
    label: A
    unit: count
    better: up
    values:
"""


def problems(text: str) -> list[str]:
    with pytest.raises(FiguresError) as caught:
        parse_figures(text, "f.yaml")
    return [str(p) for p in caught.value.problems]


def value_problem(value: str, unit: str = "count") -> str:
    text = HEAD.replace("unit: count", f"unit: {unit}") + f"      2019/20: {value}\n"
    (found,) = problems(text)
    return found


def test_shipped_figures_are_the_seed_figures():
    figures = load_figures(SHIPPED)
    values = {m.id: {str(o.period): o.value for o in m.values} for m in figures.metrics}
    assert values == {
        "lethal_firearms_seized": {"2019/20": 408, "2020/21": 480, "2021/22": 524},
        "shootings": {"2019/20": 283, "2021/22": 196},
        "shootings_solved": {"2019/20": 20, "2021/22": 38},
    }
    assert all(m.source for m in figures.metrics)
    assert figures.metric("shootings_solved").unit is Unit.PERCENT
    assert figures.metric("shootings").better is Better.DOWN


def test_period_forms_are_normalised_and_sorted():
    figures = parse_figures(
        HEAD + "      2021 to 2022: 3\n      2019-20: 1\n      2020/21: 2\n", "f.yaml"
    )
    periods = [o.period for o in figures.metrics[0].values]
    assert periods == [FinancialYear(2019), FinancialYear(2020), FinancialYear(2021)]


def test_value_with_flags_source_and_note():
    figures = parse_figures(
        HEAD + "      2019/20: {value: 5, flags: [provisional, r], source: s1, note: hi}\n",
        "f.yaml",
    )
    observation = figures.metrics[0].values[0]
    assert observation.value == Decimal(5)
    assert observation.flags == (Flag.PROVISIONAL, Flag.REVISED)
    assert observation.source == "s1"


def test_months_are_read_beside_years():
    figures = parse_figures(HEAD + "      2019/20: 1\n    months:\n      2022-04: 3\n", "f.yaml")
    assert figures.metrics[0].months[0].period == Month(2022, 4)


@pytest.mark.parametrize(
    ("value", "unit", "message"),
    [
        ("-3", "count", "f.yaml:10:16: metrics.a.values.2019/20: -3 is negative"),
        ("12.5", "count", "12.5 is not a whole number (expected a whole number of 0 or more)"),
        ("1,234", "count", "'1,234' has a thousands separator (write 1234)"),
        ("38%", "percent", "'38%' has a percent sign (write 38"),
        ("101", "percent", "101 is over 100 (expected a percentage from 0 to 100)"),
        (".nan", "count", "'.nan' is not a finite number"),
        (".inf", "count", "'.inf' is not a finite number"),
        ("~", "count", "has no value"),
        ("", "count", "has no value"),
        ("yes", "count", "'yes' is read by YAML as a true/false value"),
        ("true", "count", "'true' is read by YAML as a true/false value"),
        ("010", "count", "'010' has a leading zero, which YAML 1.1 reads as octal (write 10)"),
        ("1:20", "count", "'1:20' is read by YAML 1.1 as a base-60 number"),
        ("1e3", "count", "'1e3' is in exponent form"),
        ("'524'", "count", "'524' is quoted text, not a number (remove the quotes)"),
        ("lots", "count", "'lots' is not a number"),
        ("[1, 2]", "count", "expected a mapping, found a list"),
        ("99999999999999999999", "count", "implausibly large for a count"),
        ("!!python/object/apply:os.system [ls]", "count", "tags are not allowed"),
        ("!!str 5", "count", "'5' is tagged as text, not a number"),
        ("!!binary aGk=", "count", "tag tag:yaml.org,2002:binary is not allowed"),
    ],
)
def test_bad_values(value, unit, message):
    assert message in value_problem(value, unit)


def test_percent_may_have_decimals():
    figures = parse_figures(HEAD.replace("unit: count", "unit: percent") + "      2019/20: 37.5\n")
    assert figures.metrics[0].values[0].value == Decimal("37.5")


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("", "f.yaml: file is empty"),
        ("# only a comment\n", "f.yaml: file is empty"),
        ("[1, 2]\n", "f.yaml:1:1: expected a mapping, found a list"),
        ("a: [\n", "f.yaml:2:1: not valid YAML"),
        ("title: x\n", "f.yaml:1:1: metrics: missing"),
        ("title: x\nmetrcs: {}\nmetrics: {}\n", "unknown key 'metrcs' (did you mean 'metrics'?)"),
        ("title: x\nmetrics: {}\n", "metrics: has no metrics"),
        ("title: x\ntitle: y\nmetrics: {}\n", "f.yaml:2:1: title: duplicate key (first at line 1)"),
        ("title: [x]\nmetrics: {}\n", "title: expected text, found a list"),
        ('title: "a\\x1b[31mb"\nmetrics: {}\n', "contains control character U+001B"),
        ("as_of: 2022-02-30\nmetrics: {}\n", "'2022-02-30' is not a real date"),
        ("<<: {a: 1}\nmetrics: {}\n", "merge keys (<<) are not supported"),
        ("--- {}\n--- {}\n", "f.yaml:2:1: not valid figures: the file holds more than one"),
        ("a: &x 1\nb: *x\n", "f.yaml:1:4: not valid figures: anchors and aliases (&x)"),
        ("a: " + "[" * 100 + "]" * 100 + "\n", "f.yaml:1:67: not valid figures: nested more than"),
    ],
)
def test_bad_documents(yaml_text, message):
    found = problems(yaml_text)
    assert any(message in p for p in found), found


def test_metric_problems_name_their_fields():
    text = (
        "sources:\n  s1: {title: S}\nmetrics:\n  a:\n    unit: counts\n    better: upwards\n"
        "    source: s2\n    colour: red\n  9bad: {label: x, unit: count, better: up}\n"
    )
    found = problems(text)
    assert found == [
        "f.yaml:4:3: metrics.a.label: missing (expected text)",
        "f.yaml:5:11: metrics.a.unit: 'counts' is not one of: count | percent;"
        " did you mean 'count'?",
        "f.yaml:6:13: metrics.a.better: 'upwards' is not one of: up | down | neither",
        "f.yaml:7:13: metrics.a.source: source 's2' is not defined under 'sources' (defined: s1)",
        "f.yaml:8:5: metrics.a.colour: unknown key 'colour' (expected one of: label, unit, better,"
        " source, description, caveat, noun, noun_singular, sentence, values, months, ratio_of,"
        " areas)",
        "f.yaml:9:3: metrics.9bad: a metric id starts with a letter and has only letters, digits,"
        " '_' and '-'",
    ]


def test_the_same_period_twice_names_both_lines():
    found = problems(HEAD + "      2019/20: 1\n      2019-20: 2\n")
    assert found == [
        "f.yaml:11:7: metrics.a.values.2019-20: period 2019/20 is given twice (first at line 10);"
        " keep one"
    ]


def test_impossible_period_suggests_the_right_one():
    (found,) = problems(HEAD + "      2021/23: 1\n")
    assert "f.yaml:10:7: metrics.a.values.2021/23:" in found
    assert "did you mean 2021/22?" in found


def test_every_problem_is_reported_not_only_the_first():
    found = problems(HEAD + "      2019/20: -1\n      2020/21: x\n      2021/22: 1.5\n")
    assert [p.split(":")[1] for p in found] == ["10", "11", "12"]


def test_files(tmp_path):
    with pytest.raises(FiguresError, match=r"missing\.yaml: no such file"):
        load_figures(tmp_path / "missing.yaml")
    with pytest.raises(FiguresError, match="is a directory"):
        load_figures(tmp_path)
    big = tmp_path / "big.yaml"
    big.write_text("title: x\n" * 20)
    with pytest.raises(FiguresError, match="over the limit of 100 "):
        load_figures(big, max_bytes=100)
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + SHIPPED.read_bytes())
    assert load_figures(bom).title == "Gun crime in London"
    utf16 = tmp_path / "utf16.yaml"
    utf16.write_text("title: x\n", encoding="utf-16")
    with pytest.raises(FiguresError, match="UTF-16"):
        load_figures(utf16)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"title: x\nmetrics:\n  a: {label: caf\xe9}\n")
    with pytest.raises(FiguresError, match=r"latin.yaml:3: not UTF-8 text \(byte 0xe9"):
        load_figures(latin)


def wording(extra: str) -> str:
    return HEAD.replace("    values:\n", extra + "    values:\n") + "      2019/20: 1\n"


def test_noun_and_sentence_are_read():
    figures = parse_figures(
        wording('    noun: things seized\n    sentence: "{value} {noun} in {period}, {changes}"\n')
    )
    metric = figures.metrics[0]
    assert metric.noun == "things seized"
    assert metric.sentence == "{value} {noun} in {period}, {changes}"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '    sentence: "{value} in {perod}"\n',
            "f.yaml:9:15: metrics.a.sentence: {perod} is not a field (expected one of {label}, "
            "{noun}, {value}, {period}, {changes}, {year_on_year}, {since_baseline}, "
            "{not_published}); did you mean 'period'?",
        ),
        ('    sentence: "{} rose"\n', "f.yaml:9:15: metrics.a.sentence: a field needs a name"),
        ('    sentence: "{value:>10}"\n', "{value:>10} is not a field"),
        ('    sentence: "{value!r}"\n', "{value!r} is not a field"),
        ('    sentence: "{label.__class__}"\n', "{label.__class__} is not a field"),
        ('    sentence: "{value[0]}"\n', "{value[0]} is not a field"),
        (
            '    sentence: "{value} {"\n',
            "f.yaml:9:15: metrics.a.sentence: Single '{' encountered in format string "
            "(write {{ and }} for literal braces)",
        ),
        ("    noun: [a, b]\n", "f.yaml:9:11: metrics.a.noun: expected text, found a list"),
        ('    noun: "two\\nlines"\n', "metrics.a.noun: contains a line break"),
        ("    nouns: x\n", "unknown key 'nouns' (did you mean 'noun'?)"),
    ],
)
def test_bad_wording_is_reported_with_its_line(extra, message):
    found = problems(wording(extra))
    assert any(message in p for p in found), found


@pytest.mark.parametrize(
    "scalar",
    ["", "~", "null", "Null", "NULL", "nULL", "'~'", '"null"', "!!null x", "!!str null",
     "!!null ''", "nul", "None", "0", "12", "1.5", "no", "~x", "null "],
)  # fmt: skip
def test_a_value_is_null_exactly_where_yaml_reads_null(scalar):
    """is_null passes over most plain scalars without resolving their tag (the shortcut
    yaml_tree.NULL_WORDS allows); it must still agree with YAML on every scalar."""
    node = compose(f"key: {scalar}\n").value[0][1]
    assert is_null(node) == (yaml.safe_load(f"key: {scalar}\n")["key"] is None)
