"""Write imported measures as a figures file, as text, with comments a person can act on.

Written by hand rather than by a YAML library because the comments are the point: where each
figure came from, which periods were not published and what the cell held, and which
``better:`` still needs a decision. The text is then checked by gunstats' own loader.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from gunstats.importing.tables import Gap, Measure, Table, Value
from gunstats.periods import Month

_PLAIN = re.compile(r"[^\W\d_](?:[\w ,()/.'&%+\-\u2013\u2014\u00a3\u20ac$]*[\w).%'\u00a3\u20ac$])?")
_RESERVED = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}


def scalar(text: str) -> str:
    """Text as a YAML scalar: plain where that reads back the same, else double-quoted."""
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def number(value: Decimal) -> str:
    return format(value, "f")


def source_id(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())[:4]
    text = "-".join(words)[:40].strip("-") or "source"
    return text if text[0].isalpha() else f"s-{text}"


def figures_text(
    table: Table,
    origin: str,
    title: str,
    source: dict[str, str] | None,
) -> str:
    """The figures file for ``table``; ``source`` is ``{title, publisher, url}`` if given."""
    lines = [
        f"# Imported by gunstats from {_comment(origin)}.",
        "# Check the labels and units, and set each 'better:' to up or down where a rise is",
        "# good or bad: gunstats cannot tell that from a table.",
        f"title: {scalar(title)}",
    ]
    sid = None
    if source:
        sid = source_id(source["title"])
        lines += ["sources:", f"  {sid}:"]
        lines += [
            f"    {key}: {scalar(source[key])}"
            for key in ("title", "publisher", "url")
            if source.get(key)
        ]
    lines.append("metrics:")
    for measure in table.measures:
        lines += measure_lines(measure, sid)
    return "\n".join(lines) + "\n"


def measure_lines(measure: Measure, sid: str | None, indent: str = "  ") -> list[str]:
    inner = indent + "  "
    lines = [
        f"{indent}{measure.id}:",
        f"{inner}label: {scalar(measure.label)}",
        f"{inner}unit: {measure.unit}",
    ]
    if measure.better:
        lines.append(f"{inner}better: {measure.better}")
    else:
        lines.append(f"{inner}better: neither  # set to up or down: which way is an improvement?")
    if sid:
        lines.append(f"{inner}source: {sid}")
    for key, monthly in (("values", False), ("months", True)):
        values = [v for v in measure.values if isinstance(v.period, Month) == monthly]
        gaps = [g for g in measure.gaps if isinstance(g.period, Month) == monthly]
        entries: list[Value | Gap] = sorted([*values, *gaps], key=lambda e: e.period)
        if not entries:
            continue
        if values:
            lines.append(f"{inner}{key}:")
            lines += [_entry(entry, inner + "  ") for entry in entries]
        else:  # a key with only comments under it would be empty, which the loader refuses
            lines.append(f"{inner}# {key}: none published")
            lines += [_entry(entry, inner + "  ") for entry in entries]
    return lines


def _entry(entry: Value | Gap, indent: str) -> str:
    if isinstance(entry, Gap):
        held = "was empty" if entry.shown == "empty" else f"held {entry.shown}"
        return f"{indent}# {entry.period}: not published ({entry.cell} {_comment(held)})"
    text = number(entry.value)
    if entry.flags:
        text = f"{{value: {text}, flags: [{', '.join(entry.flags)}]}}"
    line = f"{indent}{entry.period}: {text}"
    if entry.remarks:
        line += f"  # {entry.cell}: {_comment('; '.join(entry.remarks))}"
    return line


def _comment(text: str) -> str:
    """Text safe inside a comment: one line, nothing the terminal would act on."""
    return "".join(c if c.isprintable() else "?" for c in " ".join(text.split()))
