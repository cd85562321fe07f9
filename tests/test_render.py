"""Renderers: golden files for every format, and the Markdown checked by a real parser.

Golden files live in tests/golden/. After a deliberate change of output, regenerate them
with ``GUNSTATS_UPDATE_GOLDEN=1 pytest tests/test_render.py`` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from gunstats.compute import build_report
from gunstats.load import load_figures, parse_figures
from gunstats.periods import PeriodStyle
from gunstats.render import TEXT_FORMATS, renderer
from gunstats.render.options import RenderOptions

from .conftest import ROOT, SHIPPED, SYNTHETIC
from .json_oracle import document

GOLDEN = Path(__file__).parent / "golden"
EXTENSION = {"table": "txt", "markdown": "md", "json": "json", "csv": "csv"}
BRIEFING = Path(__file__).parent / "data" / "briefing.yaml"
PRESS_RELEASE = ROOT / "examples" / "press-release.md.j2"
PRODUCED = "2026-11-28"
"""A fixed "made on" date: golden files must not change with the day they are run."""


def render(figures, fmt, **options):
    if fmt == "markdown":
        options.setdefault("produced", PRODUCED)
    return renderer(fmt)(build_report(figures), RenderOptions(**options))


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GUNSTATS_UPDATE_GOLDEN"):
        with open(path, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
    with open(path, encoding="utf-8", newline="") as stream:
        assert text == stream.read(), f"differs from {path}"


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_seed_golden(fmt):
    check_golden(f"seed.{EXTENSION[fmt]}", render(load_figures(SHIPPED), fmt))


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_synthetic_golden(fmt):
    check_golden(f"synthetic.{EXTENSION[fmt]}", render(parse_figures(SYNTHETIC), fmt))


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_briefing_golden(fmt):
    check_golden(f"briefing.{EXTENSION[fmt]}", render(load_figures(BRIEFING), fmt))


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_seed_gov_uk_golden(fmt):
    text = render(load_figures(SHIPPED), fmt, period_style=PeriodStyle.GOV_UK)
    check_golden(f"seed-gov-uk.{EXTENSION[fmt]}", text)


def render_template(path, figures_path=SHIPPED, **options):
    from gunstats.render.template import render as render_with

    options.setdefault("produced", PRODUCED)
    return render_with(
        build_report(load_figures(figures_path)), str(path), RenderOptions(**options)
    )


def test_press_release_example_golden():
    check_golden("press-release.md", render_template(PRESS_RELEASE))


def test_press_release_example_gov_uk_golden():
    text = render_template(PRESS_RELEASE, BRIEFING, period_style=PeriodStyle.GOV_UK)
    check_golden("press-release-briefing-gov-uk.md", text)


def test_markdown_opens_with_title_provenance_and_the_three_key_points():
    lines = render(load_figures(SHIPPED), "markdown").splitlines()
    assert lines[:8] == [
        "# Gun crime in London",
        "",
        "Made on 28 November 2026 from figures.yaml, which gives no as-of date for its figures.",
        "",
        "- Lethal firearms seized: 524 in 2021/22, up 44 (9.2%) from 480 in 2020/21, which is "
        "not a statistically significant change, and up 116 (28.4%) from 408 in 2019/20, which "
        "is a statistically significant change (source 1)",
        "- Shootings: 196 in 2021/22, down 87 (30.7%) from 283 in 2019/20, which is a "
        "statistically significant change, with 2020/21 not published (source 1)",
        "- Shootings solved: 38% in 2021/22, up 18 percentage points from 20% in 2019/20, which "
        "cannot be tested for statistical significance without the counts behind the "
        "percentages, with 2020/21 not published (source 1)",
        "",
    ]


def test_markdown_sources_status_and_caveat_follow_the_tables():
    markdown = render(load_figures(SHIPPED), "markdown")
    last_table = markdown.rindex("\n| ")
    sources = markdown.index("## Sources")
    status = markdown.index("The figures file does not say whether these figures are")
    caveat = markdown.index("Figures recorded by the police reflect how events are recorded")
    assert last_table < sources < status < caveat
    assert "1. Statement on tackling gun crime in London" in markdown


def test_same_inputs_give_the_same_bytes():
    for figures in (load_figures(SHIPPED), load_figures(BRIEFING)):
        for style in ("compact", "gov-uk"):
            first = render(figures, "markdown", period_style=PeriodStyle(style))
            assert first == render(figures, "markdown", period_style=PeriodStyle(style))
    assert render_template(PRESS_RELEASE) == render_template(PRESS_RELEASE)


def test_table_with_colour_colours_by_assessment_and_keeps_words():
    text = render(load_figures(SHIPPED), "table", styled=True, color=True)
    assert "\x1b[32m" in text  # better is green, including shootings going down
    assert "better" in text
    plain = render(load_figures(SHIPPED), "table", styled=True, color=False)
    assert "\x1b[32m" not in plain and "\x1b[1m" in plain  # NO_COLOR keeps bold
    assert "\x1b" not in render(load_figures(SHIPPED), "table")


def test_table_fits_80_columns_and_ascii_fallback():
    text = render(load_figures(SHIPPED), "table", width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    ascii_text = render(load_figures(SHIPPED), "table", ascii_only=True)
    ascii_text.encode("ascii")
    assert "Lethal firearms seized" in ascii_text


HOSTILE = """\
title: "Synthetic | *hostile* <b>labels</b>"
metrics:
  a:
    label: "[x] estimate | **bold** <script>alert(1)</script> [red]red[/red]"
    unit: count
    better: neither
    values: {2019/20: 1, 2020/21: 2}
"""


def test_hostile_labels_print_literally_in_the_table():
    text = render(parse_figures(HOSTILE), "table", width=200)
    assert "[x] estimate | **bold** <script>alert(1)</script> [red]red[/red]" in text


def gfm() -> MarkdownIt:
    """CommonMark with GFM's tables and strikethrough, as pandoc's gfm reader has them."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def cells(table_token_stream):
    """Rows of cell texts from markdown-it tokens of one table."""
    rows, row = [], None
    for token in table_token_stream:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    return rows


def parse_tables(markdown: str):
    tokens = gfm().parse(markdown)
    tables, current = [], None
    for token in tokens:
        if token.type == "table_open":
            current = []
        elif token.type == "table_close":
            tables.append(cells(current))
            current = None
        elif current is not None:
            current.append(token)
    html = gfm().render(markdown)
    return tables, html


def test_markdown_forms_the_tables_it_means():
    markdown = render(load_figures(SHIPPED), "markdown")
    tables, html = parse_tables(markdown)
    # GFM (and pandoc) read "- [x] ..." as a ticked task-list box: the key must escape it.
    assert not re.search(r"^- \[[ xX]\]", markdown, re.MULTILINE)
    assert len(tables) == 3
    values, year_on_year, since = tables
    assert values[0] == ["Measure", "2019/20", "2020/21", "2021/22"]
    assert len(values) == 4 and all(len(row) == 4 for row in values)
    solved = ["Shootings solved (%)", "2021/22 compared with 2019/20", "+18.0 pp", "\\[z\\]"]
    assert [*solved, "better (not tested)"] in since
    seized = ["Lethal firearms seized", "2021/22 compared with 2020/21", "+44", "+9.2"]
    assert [*seized, "no significant change"] in year_on_year
    assert all(len(row) == 5 for row in year_on_year + since)
    assert 'style="text-align:right"' in html
    assert "<input" not in html  # "[x]" must not become a task-list checkbox


def test_markdown_key_points_sources_and_links_are_real_gfm():
    markdown = render(load_figures(BRIEFING), "markdown")
    tokens = gfm().parse(markdown)
    types = [token.type for token in tokens]
    assert types[:3] == ["heading_open", "inline", "heading_close"]
    bullets = [
        t.content
        for i, t in enumerate(tokens)
        if t.type == "inline" and tokens[i - 2].type == "list_item_open"
    ]
    assert bullets[0].startswith("There were 12 firearms seized (provisional) in 2022/23")
    assert types.count("ordered_list_open") == 1 and types.count("table_open") == 3
    html = gfm().render(markdown)
    assert '<a href="https://example.org/statement?year=2024&amp;part=1">' in html
    assert "<li>Arrests | *charged*: 20 in 2021/22" in html  # escaped, not emphasised


def test_markdown_escapes_hostile_labels():
    markdown = render(parse_figures(HOSTILE), "markdown")
    tables, html = parse_tables(markdown)
    assert all(len(row) == 3 for row in tables[0])  # the | in the label did not add a cell
    assert "<script>" not in html and "<b>" not in html and "<strong>" not in html
    assert "[x] estimate | **bold** &lt;script&gt;" in html
    assert "<li>[x] estimate | **bold** &lt;script&gt;" in html  # the key point too
    assert "<input" not in html


def test_json_shape():
    document = json.loads(render(load_figures(SHIPPED), "json"))
    assert document["title"] == "Gun crime in London"
    metric = document["metrics"][0]
    assert set(metric) == {"id", "label", "unit", "better", "source", "values", "comparisons"}
    assert metric["values"][0] == {"period": "2019/20", "value": 408}
    assert set(metric["comparisons"][0]) == {
        "kind", "from", "to", "from_value", "to_value", "change", "change_unit",
        "percent_change", "direction", "assessment", "significance",
    }  # fmt: skip
    assert set(metric["comparisons"][0]["significance"]) == {
        "test", "p_value", "confidence", "significant",
    }  # fmt: skip


def test_json_zero_base_is_null():
    document = json.loads(render(parse_figures(SYNTHETIC), "json"))
    first = document["metrics"][0]["comparisons"][0]
    assert (first["from_value"], first["change"], first["percent_change"]) == (0, 1234, None)


def test_csv_is_rfc4180_with_header():
    text = render(parse_figures(HOSTILE), "csv")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:6] == ["metric", "label", "unit", "better", "period", "value"]
    assert rows[1][1] == "[x] estimate | **bold** <script>alert(1)</script> [red]red[/red]"
    assert len({len(row) for row in rows}) == 1


@pytest.mark.parametrize("figures_text", [SYNTHETIC, HOSTILE])
def test_json_text_is_the_document(figures_text):
    from gunstats.render import json as json_renderer

    report = build_report(parse_figures(figures_text))
    assert json.loads(json_renderer.render(report)) == json.loads(json.dumps(document(report)))


def test_json_with_flags_notes_and_sources_is_the_document(write_figures):
    from gunstats.render import json as json_renderer

    path = write_figures(
        'title: "Synthetic \\"quoted\\" \\\\ title (not real data)"\n'
        "sources:\n  s: {title: 'A \"source\"', url: 'https://example.org/a?b=1&c=2'}\n"
        "metrics:\n  m:\n    label: M\n    unit: percent\n    better: up\n    source: s\n"
        "    values:\n      2019/20: {value: 12.25, flags: [p, e], source: s, note: 'a \"note\"'}\n"
        "      2020/21: 0\n      2021/22: 0.5\n"
    )
    report = build_report(load_figures(path))
    assert json.loads(json_renderer.render(report)) == json.loads(json.dumps(document(report)))


def test_many_years_at_80_columns_keep_labels_and_latest_years_and_say_so():
    lines = ["title: Synthetic (not real data)", "metrics:"]
    for number in range(3):
        lines += [f"  m{number}:", f"    label: Synthetic measure number {number}"]
        lines += ["    unit: count", "    better: up", "    values:"]
        lines += [f"      {y}/{(y + 1) % 100:02d}: {1000 * number + y}" for y in range(2010, 2022)]
    text = render(parse_figures("\n".join(lines) + "\n"), "table", width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "Synthetic measure number 2" in text  # labels are not squeezed out
    assert "2021/22" in text and "4,021" in text  # the latest year is always there
    values_table = text.split("Figures by financial year")[1].split("Change on")[0]
    assert "2010/11" not in values_table  # the earliest do not fit
    assert "Only the latest" in text and "of 12 years fit this width" in text
    wide = render(parse_figures("\n".join(lines) + "\n"), "table", width=200)
    assert "2010/11" in wide and "Only the latest" not in wide


def test_json_strings_are_escaped_exactly_as_the_json_module_does():
    from gunstats.render.json import _text

    samples = [
        "".join(chr(code) for code in range(40)),
        'quote " backslash \\ slash / unicode é 中 \u2028 \U0001f600',
        "",
    ]
    for sample in samples:
        assert _text(sample) == json.dumps(sample, ensure_ascii=False)
        assert json.loads(_text(sample)) == sample


def test_wrap_words_matches_textwrap_for_plain_text():
    import textwrap

    from gunstats.render.table_fit import wrap_words

    text = (
        "Lethal firearms seized: 524 in 2021/22, up 44 (9.2%) on 480 in 2020/21 and up "
        "116 (28.4%) on 408 in 2019/20 (source 1) supercalifragilisticexpialidocious end"
    )
    for width in (10, 20, 33, 80):
        expected = textwrap.wrap(
            text, width, initial_indent="- ", subsequent_indent="  ", break_long_words=False,
            break_on_hyphens=False,
        )  # fmt: skip
        assert wrap_words(text, width, first="- ", rest="  ") == expected
    assert wrap_words("Relative change (%)", 10) == ["Relative", "change (%)"]
    assert wrap_words("", 10) == []
