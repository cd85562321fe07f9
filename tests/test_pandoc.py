"""The Markdown as its real consumers read it: pandoc's GFM reader, to Word and to HTML.

These tests skip only where pandoc is not installed AND this is not CI: in CI (CI=true,
as set by .ci/run, which installs pandoc) a missing pandoc is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile

import pytest

from gunstats.compute import build_report
from gunstats.load import load_figures
from gunstats.periods import PeriodStyle
from gunstats.render.markdown import render
from gunstats.render.options import RenderOptions
from gunstats.render.template import render as render_template

from .conftest import ROOT, SHIPPED

BRIEFING = ROOT / "tests" / "data" / "briefing.yaml"
PRESS_RELEASE = ROOT / "examples" / "press-release.md.j2"
PANDOC = shutil.which("pandoc")

pytestmark = pytest.mark.skipif(
    PANDOC is None and os.environ.get("CI") != "true",
    reason="pandoc is not installed (CI installs it and runs these tests)",
)


def documents():
    for path in (SHIPPED, BRIEFING):
        report = build_report(load_figures(path))
        for style in ("compact", "gov-uk"):
            options = RenderOptions(period_style=PeriodStyle(style), produced="2026-11-28")
            yield render(report, options)
        yield render_template(report, str(PRESS_RELEASE), RenderOptions(produced="2026-11-28"))


def pandoc(markdown: str, *args: str) -> subprocess.CompletedProcess:
    assert PANDOC, "pandoc must be installed in CI (.ci/run installs it)"
    return subprocess.run(
        [PANDOC, "--fail-if-warnings", "--wrap=none", "-f", "gfm", *args],
        input=markdown.encode("utf-8"),
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("index", range(6))
def test_html_without_warnings_with_lists_tables_and_links(index):
    markdown = list(documents())[index]
    result = pandoc(markdown, "-t", "html")
    assert result.returncode == 0 and result.stderr == b"", result.stderr.decode()
    html = result.stdout.decode("utf-8")
    assert "<h1" in html and "<ul>" in html and "<ol" in html
    assert "<input" not in html  # [x] is not a task-list checkbox
    if "| ---" in markdown or "|:---" in markdown:
        assert html.count("<table>") == 3
    if "https://example.org" in markdown:
        assert '<a href="https://example.org/statement?year=2024&amp;part=1"' in html


@pytest.mark.parametrize("index", range(6))
def test_docx_without_warnings(index, tmp_path):
    markdown = list(documents())[index]
    target = tmp_path / "brief.docx"
    result = pandoc(markdown, "-t", "docx", "-o", str(target))
    assert result.returncode == 0 and result.stderr == b"", result.stderr.decode()
    with zipfile.ZipFile(target) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "percentage point" in body
    if "|:---" in markdown:
        assert body.count("<w:tbl>") == 3


def test_the_monthly_summary_converts_without_warnings():
    from gunstats.monthly import build_summary
    from gunstats.periods import Month
    from gunstats.render.markdown import render_summary

    figures = load_figures(ROOT / "examples" / "monthly.yaml")
    markdown = render_summary(build_summary(figures, Month(2023, 1)))
    result = pandoc(markdown, "-t", "html")
    assert result.returncode == 0 and result.stderr == b"", result.stderr.decode()
    html = result.stdout.decode("utf-8")
    assert html.count("<table>") == 5 and "Year ending January 2023" in html  # XmR first
