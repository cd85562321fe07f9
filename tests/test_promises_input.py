"""What a figures file may hold, and what a newcomer is told (issue 14, items 7, 15, 19, 23,
28 and 30). The one-line messages themselves are pinned by the corpus in
``tests/data/invalid``; these tests cover what one line per file cannot: several problems in
one file, values that load, and time and size bounds.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from gunstats.cli import cli
from gunstats.errors import FiguresError, closest
from gunstats.load import parse_figures
from gunstats.model import Flag

from .conftest import SHIPPED

HEAD = "title: Synthetic (not real data)\nmetrics:\n  a:\n"
METRIC = "    label: A\n    unit: count\n    better: up\n"


def problems(text: str) -> list[str]:
    with pytest.raises(FiguresError) as raised:
        parse_figures(text, "f.yaml")
    return [str(problem) for problem in raised.value.problems]


# -- item 15: YAML null means "not given" ----------------------------------------------------


@pytest.mark.parametrize("null", ["~", "null", "Null", "NULL", "", "!!null ''"])
def test_null_optional_fields_are_not_given(null):
    figures = parse_figures(
        f"title: {null}\ndescription: {null}\nas_of: {null}\nnotes: {null}\n"
        f"sources:\n  s: {{title: S, publisher: {null}, url: {null}, note: {null}}}\n"
        f"metrics:\n  a:\n{METRIC}    source: {null}\n    description: {null}\n"
        f"    noun: {null}\n    sentence: {null}\n    ratio_of: {null}\n    months: {null}\n"
        f"    values:\n      2019/20: {{value: 3, flags: {null}, note: {null}, source: {null}}}\n",
        "f.yaml",
    )
    assert figures.title == "Gun-crime figures"  # the default, not the text "~" or "null"
    assert (figures.description, figures.as_of, figures.notes) == (None, None, ())
    (source,) = figures.sources
    assert (source.publisher, source.url, source.note) == (None, None, None)
    (metric,) = figures.metrics
    assert (metric.source, metric.description, metric.noun, metric.sentence) == (None,) * 4
    assert (metric.ratio_of, metric.months) == (None, ())
    (value,) = metric.values
    assert (value.flags, value.note, value.source) == ((), None, None)


def test_quoted_null_words_are_text():
    figures = parse_figures(
        "title: '~'\nmetrics:\n  a:\n    label: 'null'\n    unit: count\n    better: up\n"
        "    values:\n      2019/20: {value: 1, flags: ['p'], note: \"~\"}\n",
        "f.yaml",
    )
    assert figures.title == "~"
    assert figures.metrics[0].label == "null"
    assert figures.metrics[0].values[0].note == "~"
    assert figures.metrics[0].values[0].flags == (Flag.PROVISIONAL,)


@pytest.mark.parametrize(
    ("field", "expected"),
    [("label", "text"), ("unit", "count | percent"), ("better", "up | down | neither")],
)
def test_a_required_field_given_as_null_is_missing(field, expected):
    fields = {"label": "A", "unit": "count", "better": "up", field: "~"}
    text = HEAD + "".join(f"    {k}: {v}\n" for k, v in fields.items())
    assert f"metrics.a.{field}: missing (expected {expected})" in "\n".join(problems(text))


# -- item 19: digits 0 to 9 only -------------------------------------------------------------


def test_non_ascii_digits_are_refused_on_the_command_line_too():
    result = CliRunner().invoke(
        cli, ["report", "-f", str(SHIPPED), "--from", "\u0662\u0660\u0661\u0669/\u0662\u0660"]
    )
    assert result.exit_code == 2
    assert "has digits other than 0 to 9 (write 2019/20)" in result.stderr


def test_a_date_with_non_ascii_digits_is_refused():
    text = "title: T\nas_of: \uff12\uff10\uff12\uff13-01-01\nmetrics:\n  a:\n" + METRIC
    text += "    values: {2019/20: 1}\n"
    assert "is not a date (expected YYYY-MM-DD)" in problems(text)[0]
    result = CliRunner().invoke(
        cli, ["report", "-f", str(SHIPPED), "--date", "\u0662\u0660\u0662\u0663-01-01"]
    )
    assert result.exit_code == 2


# -- item 23: nothing invisible --------------------------------------------------------------


@pytest.mark.parametrize(
    "character",
    ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\u061c", "\u206a",
     "\u206f", "\u00ad", "\U000e0001", "\U000e007f", "\ufeff", "\u3164", "\t"],
)  # fmt: skip
@pytest.mark.parametrize("field", ["title", "label", "note", "description"])
def test_invisible_characters_and_tabs_are_refused_with_their_line(character, field):
    escaped = "\\t" if character == "\t" else f"\\U{ord(character):08X}"
    text = {
        "title": f'title: "x{escaped}y"\nmetrics:\n  a:\n{METRIC}    values: {{2019/20: 1}}\n',
        "label": f'{HEAD}    label: "x{escaped}y"\n    unit: count\n    better: up\n'
        "    values: {2019/20: 1}\n",
        "note": f'{HEAD}{METRIC}    values:\n      2019/20: {{value: 1, note: "x{escaped}y"}}\n',
        "description": f'{HEAD}{METRIC}    description: "x{escaped}y"\n'
        "    values: {2019/20: 1}\n",
    }[field]
    (found,) = problems(text)
    assert re.match(r"f\.yaml:\d+:\d+: ", found), found
    assert f"U+{ord(character):04X}" in found or "a tab" in found


def test_visible_non_ascii_text_is_kept():
    label = "Ünïcödé — non-breaking\u00a0space, 中文, עברית, emoji 🙂"
    figures = parse_figures(
        f'{HEAD}    label: "{label}"\n    unit: count\n    better: up\n', "f.yaml"
    )
    assert figures.metrics[0].label == label


# -- item 7: "did you mean" is bounded -------------------------------------------------------


def test_many_long_undefined_ids_are_bounded_work_and_short_messages(tmp_path, monkeypatch):
    import random

    rng = random.Random(14)
    ids = ["".join(rng.choice("abcdefghij") for _ in range(1000)) for _ in range(60)]
    lines = ["title: Synthetic (not real data)", "sources:"]
    lines += [f"  s{i}:\n    title: S" for i in ids]
    lines.append("metrics:")
    for n, i in enumerate(ids):
        lines.append(f"  m{n}:\n{METRIC}    source: x{i[::-1]}\n    values: {{2019/20: 1}}")
    (tmp_path / "many.yaml").write_text("\n".join(lines) + "\n")
    # The work, not a timing: an error compares its id with at most MAX_COMPARED candidates,
    # none longer than MAX_SUGGESTED_LENGTH (every id against every other, 1,000 letters
    # each, took minutes).
    import difflib

    from gunstats.errors import MAX_COMPARED, MAX_SUGGESTED_LENGTH

    compared: list[int] = []
    ratio = difflib.SequenceMatcher.ratio

    def counted(self):
        compared.append(len(self.a))
        return ratio(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counted)
    result = CliRunner().invoke(cli, ["validate", "-f", str(tmp_path / "many.yaml")])
    assert len(compared) <= 60 * MAX_COMPARED
    assert all(size <= MAX_SUGGESTED_LENGTH for size in compared)
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 60
    assert len(result.stderr) < 100_000  # was 3.6 MB: every error listed every id in full
    assert "and 50 more)" in result.stderr


def test_the_suggestion_still_finds_a_near_miss_among_many():
    options = [f"metric_{n:05d}" for n in range(5000)] + ["shootings"]
    assert closest("shooting", options) == "shootings"
    assert closest("x" * 65, ["x" * 65]) is None  # too long to be a typo worth comparing
    assert closest("abc", ["abd", "abx"]) == closest("abc", ["abx", "abd"])  # order-free


# -- item 28: a newcomer's mistakes, each reported, none hiding another ----------------------


def test_a_lone_dash_does_not_hide_the_other_problems():
    found = problems(
        HEAD + METRIC + "    values:\n      2013/14: -\n      2014/15: -3\n    colour: blue\n"
    )
    assert len(found) == 3, found
    assert "2013/14: '-' is not a value: YAML reads a lone '-' as the start of a list" in found[0]
    assert "2014/15: -3 is negative" in found[1]
    assert "unknown key 'colour'" in found[2]


def test_an_invalid_unit_does_not_stop_the_values_being_checked():
    found = problems(
        HEAD + "    label: A\n    unit: counts\n    better: up\n    values:\n"
        "      2019/20: -1\n      2020/21: x\n      2021/23: 1\n"
    )
    assert len(found) == 4, found
    assert "'counts' is not one of: count | percent; did you mean 'count'?" in found[0]
    assert "-1 is negative" in found[1]
    assert "'x' is not a number" in found[2]
    assert "the second year must follow the first" in found[3]


def test_values_one_level_out_is_one_problem_not_four():
    (found,) = problems(HEAD + METRIC + "  values:\n    2019/20: 1\n")
    assert "'values' is a field of a metric, not a metric id" in found


def test_an_unquoted_calendar_year_says_which_financial_year_not_put_it_in_quotes():
    (found,) = problems(HEAD + METRIC + "    values:\n      2016: 1\n")
    assert "put it in quotes" not in found
    assert "did you mean 2016/17, April 2016 to March 2017?" in found


# -- item 30: the shipped file names nothing that exists only in development -----------------


def test_shipped_texts_name_no_development_path():
    text = SHIPPED.read_text(encoding="utf-8")
    without_comments = "\n".join(line.split(" #")[0] for line in text.splitlines())
    assert not re.search(r"[\w.-]+/[\w.-]+\.(txt|md|yaml|csv|pdf)\b", without_comments)
    assert "shared/" not in text and "seed" not in text


def test_many_long_undefined_area_ids_are_fast_and_the_messages_short(tmp_path):
    import random

    rng = random.Random(14)
    ids = ["".join(rng.choice("abcdefghij") for _ in range(1000)) for _ in range(60)]
    lines = ["title: Synthetic (not real data)", "areas:"]
    lines += [f"  a{i}: {{name: N{n}}}" for n, i in enumerate(ids)]
    lines += ["metrics:", f"  m:\n{METRIC}    values: {{2019/20: 1}}", "    areas:"]
    lines += [f"      x{i[::-1]}: {{values: {{2019/20: 1}}}}" for i in ids]
    (tmp_path / "many.yaml").write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(cli, ["validate", "-f", str(tmp_path / "many.yaml")])
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 60
    assert len(result.stderr) < 20_000  # each line names the id cut short, never in full
    assert max(map(len, result.stderr.splitlines())) < 300
