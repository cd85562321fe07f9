"""How the readers word a problem: what a node was found to be, and what to write instead.

Owns the plain words of :mod:`gunstats.readers`' messages, as functions of a node or its text
with no state: what a node is (:func:`describe`), why a scalar is not a plain decimal number
(a thousands separator, a percent sign, YAML 1.1's octal and base-60 readings, a "not
published" mark), why text may not have a character (invisible, or moving or hiding what is
printed around it), the shape a newcomer wrote instead of ``key: value`` lines, an unknown
key, and the "; did you mean" phrase. It also owns the YAML tags and character sets both use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gunstats.errors import closest, shorten
from gunstats.yaml_tree import MappingNode, Node, ScalarNode, SequenceNode

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BLANK_LETTERS = set("\u115f\u1160\u3164\uffa0")
"""Hangul fillers: letters by category, drawn as nothing (a label of them looks empty)."""
_NOT_PUBLISHED = {
    "n/a", "na", "n.a.", "n.a", "..", "...", "-", "\u2013", "\u2014", "x", "[x]", "c", "[c]",
    "z", "[z]", "*", "?", "none", "nil", "unknown", "not published", "not available",
}  # fmt: skip
"""What publications print for a missing figure; in a figures file the period is left out."""


def _not_a_number(node: ScalarNode, text: str, expected: str) -> str:
    """Why a scalar is not a plain decimal number, with the fix where we can guess it."""
    if len(text) > 64:  # the hints below backtrack: a long value would take minutes
        if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", text):
            return f"{text[:30]!r} has too many digits (expected {expected})"
        return f"{text[:27] + '...'!r} is not a number (expected {expected})"
    tag = node.tag
    if tag == _TAG + "null":
        return f"has no value (expected {expected}; leave a period out if it was not published)"
    if tag == _TAG + "bool":
        return f"{text!r} is read by YAML as a true/false value, not a number (expected {expected})"
    if text.lower() in (".nan", ".inf", "+.inf", "-.inf", "nan", "inf", "infinity"):
        return f"{text!r} is not a finite number (expected {expected})"
    if text.lower() in _NOT_PUBLISHED:
        return (
            f"{text!r} is not a number (expected {expected}): to say a figure was not "
            "published, leave its period out"
        )
    if not text.isascii() and (digits := ascii_digits(text)) != text:
        return f"{text!r} has digits other than 0 to 9 (write {digits})"
    if re.fullmatch(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", text):
        return f"{text!r} has a thousands separator (write {text.replace(',', '')})"
    if re.fullmatch(r"[+-]?[0-9]+,[0-9]+", text):
        return f"{text!r} has a decimal comma (write {text.replace(',', '.')})"
    if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?\s*%", text):
        number = text.rstrip("%").strip()
        return f"{text!r} has a percent sign (write {number}; the unit says it is a percentage)"
    if re.fullmatch(r"[+-]?0[0-9]+", text):
        return (
            f"{text!r} has a leading zero, which YAML 1.1 reads as octal "
            f"(write {text.lstrip('+-').lstrip('0') or '0'})"
        )
    if ":" in text and re.fullmatch(r"[+-]?[0-9]+(:[0-9]+)+(\.[0-9]*)?", text):
        return f"{text!r} is read by YAML 1.1 as a base-60 number (expected {expected})"
    if "_" in text and re.fullmatch(r"[+-]?[0-9_]+(\.[0-9_]+)?", text):
        return f"{text!r} has underscores (write {text.replace('_', '')})"
    if re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+", text):
        return f"{text!r} is in exponent form (write the number in full)"
    if re.fullmatch(r"[+-]?[0-9]+\.", text) or re.fullmatch(r"[+-]?\.[0-9]+", text):
        return f"{text!r} is not a complete decimal number (expected {expected})"
    if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", text):
        return f"{text[:30]!r} has too many digits (expected {expected})"
    shown = text if len(text) <= 30 else text[:27] + "..."
    return f"{shown!r} is not a number (expected {expected})"


def _unwanted(character: str, one_line: bool) -> str | None:
    """Why ``character`` may not be in text, or None: it would be invisible, or would move,
    reorder or hide what is printed around it."""
    import unicodedata  # only unusual text gets here

    category = unicodedata.category(character)
    if character == "\n" or category in ("Zl", "Zp"):
        return "contains a line break (expected plain one-line text)"
    if character == "\t":
        return "contains a tab (use spaces)"
    if category == "Cc" or character in _BIDI_CONTROLS:
        expected = "one-line text" if one_line else "text"
        return f"contains control character U+{ord(character):04X} (expected plain {expected})"
    if category == "Cf" or character in _BLANK_LETTERS:
        name = unicodedata.name(character, "a format character")
        return (
            f"contains the invisible character U+{ord(character):04X} ({name}); "
            "retype the text without it"
        )
    return None


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit written 0 to 9 (Arabic-Indic, full-width...)."""
    import unicodedata

    return "".join(
        str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text
    )


def _shape_hint(node: Node) -> str:
    """Plain words for the two shapes a newcomer writes instead of ``key: value`` lines."""
    if isinstance(node, SequenceNode) and any(isinstance(n, MappingNode) for n in node.value):
        return " (lines starting '- '); write the 'key: value' lines without the dashes"
    if isinstance(node, ScalarNode) and re.search(r":[^\s/]", node.value[:200]):
        return "; put a space after each colon (2021/22: 3, not 2021/22:3)"
    return ""


def describe(node: Node) -> str:
    if node.tag not in _PLAIN_TAGS and node.tag not in (_TAG + "map", _TAG + "seq"):
        return f"a value tagged {node.tag} (tags are not allowed)"
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _TAG + "null":
        return "nothing"
    shown = node.value if len(node.value) <= 30 else node.value[:27] + "..."
    return f"{shown!r}"


def _implicit_kind(node: ScalarNode) -> str:
    name = node.tag.rsplit(":", 1)[-1]
    return {
        "int": "a number",
        "float": "a number",
        "bool": "a true/false value",
        "null": "nothing (null)",
        "timestamp": "a date",
    }.get(name, f"type {node.tag}")


def suggest(word: str, options: Iterable[str]) -> str:
    match = closest(word, options)
    return f"; did you mean {match!r}?" if match else ""


def _unknown_key(key: str, allowed: tuple[str, ...], suggestion: str) -> str:
    hint = suggestion[2:] if suggestion else f"expected one of: {', '.join(allowed)}"
    return f"unknown key {shorten(key)!r} ({hint})"
