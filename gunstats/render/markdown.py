"""GitHub-flavoured Markdown for briefings: plain strings, never Rich's Markdown box.

Tables follow GFM's pipe-table rules (docs/conventions.md C23): a header and delimiter row
with the same number of cells, ``---:`` for numeric columns, no line breaks in a cell, and
every character that Markdown or HTML would act on escaped, so a label such as
``**urgent** | <script>``, an emoji shortcode (``:smile:``) or a bare address
(``www.example.com``) prints as written and cannot break the table or the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gunstats.compute import Report
from gunstats.model import Source
from gunstats.prose import long_date, provenance
from gunstats.render.layout import Table, build_layout
from gunstats.render.options import DEFAULT, RenderOptions

if TYPE_CHECKING:
    from gunstats.monthly import Summary

_INLINE = re.compile(r"([\\`*_\[\]<>|~&$@])")
# What pandoc's GFM reader (and GitHub) would make live from plain text: a colon that is not
# followed by a space ("https://", "mailto:", ":smile:") and a "www." name; "@" is above.
_LIVE = re.compile(r"(:)(?=\S)|((?i:www)\.)")
_BLOCK_START = re.compile(r"^(\d*)([#>+=.)-])")
# A number with its shorthand: ``1,234``, ``196 [p]``, ``12 [p][r]``, ``[low]``, ``+18.0 pp``.
# Each ``[c]`` can be matched one way only, so a long label of ``[x][x]...`` fails in linear time
# (two overlapping groups here once took minutes: tests/test_hardening_regex.py).
_SHORTHAND = re.compile(r"[0-9,.+\- ]*(?: ?\[[a-z]+\])*(?: pp)?")


def escape(text: str) -> str:
    """Backslash-escape what Markdown or HTML would act on, so any text prints as written.

    Line breaks fold to spaces (a cell must stay on one line), inline markup characters are
    escaped everywhere, and a leading ``#``, ``>``, ``-`` or ``1.`` cannot open a block. Web
    and e-mail addresses and ``:emoji:`` codes stay text: GFM readers would link them.
    """
    folded = _LIVE.sub(_escape_live, _INLINE.sub(r"\\\1", " ".join(text.split())))
    return _BLOCK_START.sub(_escape_block_start, folded)


def _escape_live(match: re.Match[str]) -> str:
    colon, www = match.groups()
    return "\\:" if colon else www[:-1] + "\\."


def _escape_block_start(match: re.Match[str]) -> str:
    digits, mark = match.groups()
    if digits and mark not in ".)":
        return match.group(0)
    return f"{digits}\\{mark}"


def escape_cell(text: str) -> str:
    """Numbers and shorthand stay readable; everything else is escaped."""
    if _SHORTHAND.fullmatch(text):
        return text.replace("[", "\\[").replace("]", "\\]") if "[" in text else text
    return escape(text)


def table(table: Table) -> list[str]:
    lines = [
        "| " + " | ".join(escape(h) for h in table.header) + " |",
        "|" + "|".join("---:" if numeric else ":---" for numeric in table.numeric) + "|",
    ]
    # A national file repeats each label, period and assessment down thousands of rows:
    # each distinct text is escaped once, and a plain number (nothing to escape) not at all.
    escaped: dict[str, str] = {}
    for row in table.rows:
        cells = []
        for cell in row:
            text = cell.text
            found = escaped.get(text)
            if found is None:
                found = escaped[text] = text if not text.strip(_PLAIN_NUMBER) else escape_cell(text)
            cells.append(found)
        lines.append("| " + " | ".join(cells) + " |")
    return lines


_PLAIN_NUMBER = "0123456789,.+- "
"""Characters of a number as gunstats writes it, none of which Markdown acts on there."""


# What GFM (and pandoc's gfm reader) take as an autolink between < and >; anything else in a
# URL field is printed as escaped text rather than trusted to form a link.
_AUTOLINK = r"[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>\x00-\x1f]*"  # compiled on first use


def link(url: str) -> str:
    return f"<{url}>" if re.fullmatch(_AUTOLINK, url) else escape(url)


def sources_section(sources) -> list[str]:
    """A numbered list, so that key points can cite "source 1"."""
    if not sources:
        return []
    lines = ["## Sources", ""]
    lines += [f"{n}. {source_line(source)}" for n, source in enumerate(sources, 1)]
    return [*lines, ""]


def source_line(source: Source) -> str:
    """Title, publisher, date of publication and link, as far as the file gives them."""
    parts = [escape(source.title)]
    if source.publisher:
        parts.append(escape(source.publisher))
    if source.published:
        parts.append(f"published {long_date(source.published)}")
    if source.url:
        parts.append(link(source.url))
    return ", ".join(parts)


def definitions_section(definitions: Sequence[tuple[str, str]]) -> list[str]:
    """C26: each measure's definition, as the figures file gives it."""
    if not definitions:
        return []
    lines = ["## Definitions", ""]
    lines += [f"- {escape(label)}: {escape(text)}" for label, text in definitions]
    return [*lines, ""]


def note_paragraphs(
    status: str | None,
    notes: Sequence[str],
    caveat: str,
    measure_caveats: Sequence[tuple[str, str]] = (),
) -> list[str]:
    """The status (C24), the file's notes, then the caveats (C25), one paragraph each."""
    paragraphs = [*([status] if status else []), *notes, caveat]
    paragraphs += [f"{label}: {text}" for label, text in measure_caveats]
    return [line for paragraph in paragraphs for line in (escape(paragraph), "")]


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


def render(report: Report, options: RenderOptions = DEFAULT) -> str:
    """The briefing: title, provenance, key points, tables, then key, sources and notes.

    ``produced`` (``YYYY-MM-DD``) is the only thing not taken from the figures and options,
    so the same inputs always give the same bytes.
    """
    layout = build_layout(report, options.precision, options.period_style)
    lines = [f"# {escape(layout.title)}", ""]
    lines += [escape(provenance(layout.file_name, layout.as_of, options.produced)), ""]
    if layout.key_points:
        lines += [f"- {escape(point)}" for point in layout.key_points]
        lines.append("")
    for item in layout.tables:
        lines += [f"## {escape(item.title)}", "", *table(item), ""]
    lines += chart_section(options.charts)
    lines += closing_sections(
        layout.key,
        layout.sources,
        layout.notes,
        layout.caveat,
        status=layout.status,
        definitions=layout.definitions,
        measure_caveats=layout.measure_caveats,
    )
    return "\n".join(lines)


def closing_sections(
    key: Sequence[str],
    sources: Sequence[Source],
    notes: Sequence[str],
    caveat: str,
    *,
    status: str | None = None,
    definitions: Sequence[tuple[str, str]] = (),
    measure_caveats: Sequence[tuple[str, str]] = (),
) -> list[str]:
    """The key, the definitions, the numbered sources, then the notes: the figures' status,
    the file's notes and the caveats."""
    lines: list[str] = []
    if key:
        lines += ["## Key", "", *(f"- {escape(entry)}" for entry in key), ""]
    lines += definitions_section(definitions)
    lines += sources_section(sources)
    return [*lines, "## Notes", "", *note_paragraphs(status, notes, caveat, measure_caveats)]


def render_summary(summary: Summary, options: RenderOptions = DEFAULT) -> str:
    """The monthly summary (:class:`~gunstats.monthly.Summary`) as Markdown."""
    from gunstats.render.summary_layout import build_summary_layout

    layout = build_summary_layout(summary, options.precision)
    lines = [f"# {escape(layout.title)}", ""]
    for sentence in layout.intro:
        lines += [escape(sentence), ""]
    if layout.points:
        lines += [f"- {escape(point)}" for point in layout.points]
        lines.append("")
    for item in layout.tables:
        lines += [f"## {escape(item.title)}", "", *table(item), ""]
    lines += ["## Key", ""]
    lines += [f"- {escape(entry)}" for entry in layout.key]
    lines.append("")
    lines += definitions_section(layout.definitions)
    lines += sources_section(layout.sources)
    lines += note_paragraphs(layout.status, (), layout.caveat, layout.measure_caveats)
    return "\n".join(lines)
