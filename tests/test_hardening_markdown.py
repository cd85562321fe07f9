"""Text that pandoc's GFM reader would turn into links or emoji prints as written (issue 14,
item 22): bare web addresses, ``www.`` names, e-mail addresses and ``:emoji:`` codes in
labels, titles, publishers and notes. Checked with pandoc itself, the tool users convert
the Markdown with, and with markdown-it as CommonMark."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess

import pytest
from markdown_it import MarkdownIt

from gunstats.compute import build_report
from gunstats.load import parse_figures
from gunstats.render import markdown
from gunstats.render.markdown import escape
from gunstats.render.options import RenderOptions

PANDOC = shutil.which("pandoc")

LIVE = """\
title: "Figures from https://example.net/data and www.example.net :smile: (illustrative)"
notes:
  - "Ask press@example.net, see http://example.net/notes or ftp://example.net/x :gun: :+1:"
  - "Times such as 10:30, mailto:press@example.net and WWW.example.net stay text too."
sources:
  s:
    title: "Made up for tests at www.example.net"
    publisher: "Bureau (@bureau) :police_officer:"
    url: https://example.org/the-one-link
metrics:
  a:
    label: "Shootings per https://example.net :boom:"
    unit: count
    better: down
    source: s
    values: {2020/21: 3, 2021/22: 4}
"""

WRITTEN = [
    "https://example.net/data",
    "www.example.net",
    ":smile:",
    "press@example.net",
    "http://example.net/notes",
    "ftp://example.net/x",
    ":gun:",
    ":+1:",
    "10:30",
    "mailto:press@example.net",
    "WWW.example.net",
    "(@bureau) :police_officer:",
    "Shootings per https://example.net :boom:",
]


def report_markdown() -> str:
    return markdown.render(build_report(parse_figures(LIVE)), RenderOptions(produced="2026-01-01"))


@pytest.mark.skipif(
    PANDOC is None and os.environ.get("CI") != "true", reason="pandoc is not installed"
)
def test_pandoc_makes_no_links_or_emoji_from_text():
    assert PANDOC, "pandoc must be installed in CI"
    result = subprocess.run(
        [PANDOC, "--fail-if-warnings", "--wrap=none", "-f", "gfm", "-t", "html"],
        input=report_markdown().encode("utf-8"),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    page = result.stdout.decode("utf-8")
    links = re.findall(r'<a href="([^"]*)"', page)
    assert links == ["https://example.org/the-one-link"]  # the source's own address only
    assert 'class="emoji"' not in page
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    for written in WRITTEN:
        assert written in text, written


def test_commonmark_reads_the_same_text():
    tokens = MarkdownIt("commonmark").enable("table").parse(report_markdown())
    children = [child for t in tokens if t.type == "inline" for child in t.children]
    text = "".join(child.content for child in children if child.type == "text")
    for written in WRITTEN:
        assert written in text, written


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Note: plain", "Note: plain"),  # a colon before a space is left alone
        ("see https://x.org", "see https\\://x.org"),
        ("www.x.org", "www\\.x.org"),
        ("a@b.org", "a\\@b.org"),
        (":smile:", "\\:smile:"),
    ],
)
def test_escape_is_as_light_as_it_can_be(text, escaped):
    assert escape(text) == escaped
