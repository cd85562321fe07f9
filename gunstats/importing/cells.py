"""One cell of a published table: a number (with its GSS flags), "not published", or an error.

The shorthand follows the GSS guidance on symbols in tables: ``[x]`` not available, ``[c]``
confidential, ``[z]`` not applicable, ``[low]`` rounds to zero, and older spellings (``..``,
``:``, ``-``, ``x``). Any of them, or an empty cell, means the figure was not published, so
the period is left out (never written as zero). ``[p]``, ``[r]``, ``[e]`` and ``[b]`` beside a
number are flags; ``[note 4]`` is a footnote marker and the number stands.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import NamedTuple

from gunstats.importing.headings import clean
from gunstats.readers import MAX_COUNT

NOT_PUBLISHED = {
    "[x]": "not available",
    "[c]": "confidential",
    "[z]": "not applicable",
    "[low]": "rounds to zero",
    "..": "not available",
    ":": "not available",
    "-": "not available",
    "\u2013": "not available",
    "\u2014": "not available",
    "x": "not available",
    "": "empty",
}
FLAG_WORDS = {"p": "provisional", "r": "revised", "e": "estimated", "b": "break"}
"""GSS flag letters and the words gunstats writes for them."""
FLAG_NAMES = {**FLAG_WORDS, **{word: word for word in FLAG_WORDS.values()}}
"""A flag as a user or a table may give it (letter or word) to the word written."""
# A bracket ends at the next bracket of either kind, so a cell of many "[" is read in
# linear time (tests/test_hardening_regex.py).
_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_NOTE = re.compile(r"(?:foot)?notes?\s*\S*|n\d+")
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.\d+)?")


class CellError(ValueError):
    """The cell holds something that is neither a number nor a not-published marker."""


class Number(NamedTuple):
    value: Decimal
    flags: tuple[str, ...] = ()
    """Flag words: provisional, revised, estimated, break."""
    percent_sign: bool = False
    remarks: tuple[str, ...] = ()
    """Shorthand gunstats has no flag for (``[u]``), kept as a comment in the file."""


class Missing(NamedTuple):
    shown: str
    """What the cell held (``[x]``), or ``empty``."""


def parse_cell(cell: object) -> Number | Missing:
    if cell is None:
        return Missing("empty")
    if isinstance(cell, bool):
        raise CellError(f"{'TRUE' if cell else 'FALSE'} is a true/false value, not a number")
    if isinstance(cell, int):
        return Number(Decimal(cell))
    if isinstance(cell, float):
        if cell != cell or cell in (float("inf"), float("-inf")):
            raise CellError("is not a finite number")
        # A spreadsheet keeps 15 significant digits; more would be binary noise (0.1 + 0.2).
        return Number(Decimal(format(cell, ".15g")))
    if isinstance(cell, datetime.date | datetime.time | datetime.timedelta):
        raise CellError(f"{cell} is a date or time, not a number")
    if not isinstance(cell, str):
        raise CellError(f"{cell!r} is not a number")
    return parse_text(cell)


def parse_text(raw: str) -> Number | Missing:
    text = clean(raw)
    if text.lower() in NOT_PUBLISHED:
        return Missing(text or "empty")
    flags: list[str] = []
    remarks: list[str] = []
    markers: list[str] = []
    for inside in _BRACKET.findall(text):
        word = inside.strip().lower()
        if word in FLAG_WORDS:
            if FLAG_WORDS[word] not in flags:
                flags.append(FLAG_WORDS[word])
        elif word == "u":
            remarks.append("[u] low reliability")
        elif f"[{word}]" in NOT_PUBLISHED:
            markers.append(f"[{word}]")
        elif not _NOTE.fullmatch(word):
            raise CellError(
                f"[{inside}] is not shorthand gunstats knows (expected [x], [c], [z], [low], "
                "[p], [r], [e], [b], [u] or a footnote such as [note 4])"
            )
    rest = clean(_BRACKET.sub(" ", text))
    if markers:
        if rest:
            raise CellError(f"{text!r} has both a number and {markers[0]}")
        return Missing(markers[0])
    percent_sign = rest.endswith("%")
    number = rest.rstrip("%").strip() if percent_sign else rest
    if not _NUMBER.fullmatch(number):
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise CellError(f"{shown!r} is not a number")
    value = Decimal(number.replace(",", "").replace(" ", ""))
    return Number(value, tuple(flags), percent_sign, tuple(remarks))


def check_value(value: Decimal, unit: str, what: str = "row") -> str | None:
    """Why a value cannot be a figure of this unit, or None when it can."""
    shown = format(value, "f")
    if value < 0:
        return f"{shown} is negative (a {unit} is 0 or more)"
    if unit == "count":
        if value != value.to_integral_value():
            return (
                f"{shown} is not a whole number, and this {what} is a count (say % or per cent in "
                "its label if it is a percentage)"
            )
        if value > MAX_COUNT:
            return f"{shown} is implausibly large for a count"
    elif value > 100:
        return f"{shown} is over 100, and this {what} is a percentage"
    return None
