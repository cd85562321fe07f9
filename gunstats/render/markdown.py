"""GitHub-flavoured Markdown for briefings: plain strings, never Rich's Markdown box.

Tables follow GFM's pipe-table rules (STATISTICS.md rule 14): a header and delimiter row
with the same number of cells, ``---:`` for numeric columns, no line breaks in a cell, and
every character that Markdown or HTML would act on escaped, so a label such as
``**urgent** | <script>`` prints as written and cannot break the table or the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gunstats.compute import Report
from gunstats.model import Source
from gunstats.render.layout import Table, build_layout

_INLINE = re.compile(r"([\\`*_\[\]<>|~&$])")
_BLOCK_START = re.compile(r"^(\d*)([#>+=.)-])")


def escape(text: str) -> str:
    """Backslash-escape what Markdown or HTML would act on, so any text prints as written.

    Line breaks fold to spaces (a cell must stay on one line), inline markup characters are
    escaped everywhere, and a leading ``#``, ``>``, ``-`` or ``1.`` cannot open a block.
    """
    folded = _INLINE.sub(r"\\\1", " ".join(text.split()))
    return _BLOCK_START.sub(_escape_block_start, folded)


def _escape_block_start(match: re.Match[str]) -> str:
    digits, mark = match.groups()
    if digits and mark not in ".)":
        return match.group(0)
    return f"{digits}\\{mark}"


def escape_cell(text: str) -> str:
    """Numbers and shorthand stay readable; everything else is escaped."""
    if re.fullmatch(r"[0-9,.+\- ]*(\[[a-z]\])*( ?\[[a-z]\])*( pp)?", text):
        return text.replace("[", "\\[").replace("]", "\\]") if "[" in text else text
    return escape(text)


def table(table: Table) -> list[str]:
    lines = [
        "| " + " | ".join(escape(h) for h in table.header) + " |",
        "|" + "|".join("---:" if numeric else ":---" for numeric in table.numeric) + "|",
    ]
    for row in table.rows:
        lines.append("| " + " | ".join(escape_cell(cell.text) for cell in row) + " |")
    return lines


def source_line(source: Source) -> str:
    parts = [escape(source.title)]
    parts += [escape(part) for part in (source.publisher, source.published) if part]
    if source.url:
        parts.append(f"<{source.url}>")
    return ", ".join(parts)


def chart_section(charts: Sequence[tuple[str, str]]) -> list[str]:
    """A "Charts" section embedding each (relative link, alt text) pair as an image.

    The alt text is what a screen reader reads and what pandoc puts in a Word document's
    alternative-text field; the link goes in angle brackets so spaces or brackets in a
    folder name cannot end it early.
    """
    if not charts:
        return []
    lines = ["## Charts", ""]
    for link, alt in charts:
        target = link.replace("<", "%3C").replace(">", "%3E")
        lines += [f"![{escape(alt)}](<{target}>)", ""]
    return lines


def render(report: Report, *, precision: int = 1, charts: Sequence[tuple[str, str]] = ()) -> str:
    layout = build_layout(report, precision)
    lines = [f"# {escape(layout.title)}", ""]
    if layout.as_of:
        lines += [f"Figures as of {layout.as_of}.", ""]
    for item in layout.tables:
        lines += [f"## {escape(item.title)}", "", *table(item), ""]
    lines += chart_section(charts)
    if layout.key:
        lines += ["## Key", ""]
        lines += [f"- {escape(entry)}" for entry in layout.key]
        lines.append("")
    if layout.sources:
        lines += ["## Sources", ""]
        lines += [f"{n}. {source_line(source)}" for n, source in enumerate(layout.sources, 1)]
        lines.append("")
    lines += [escape(layout.caveat), ""]
    return "\n".join(lines)
