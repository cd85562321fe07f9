"""Readers for the kinds of field a figures file holds, each reporting its own problems.

Each reader takes a node of the tree (:mod:`gunstats.yaml_tree`) and the dotted place it
stands at (``metrics.shootings.unit``), returns the value or None, and records a
:class:`~gunstats.errors.Problem` with file, line and column for anything wrong, so the
validator (:mod:`gunstats.validate`) can carry on and report every problem in one pass.
It also catches what PyYAML would hide: a key written twice, YAML 1.1 surprises (``010`` as
octal, ``1:20`` as 80, ``yes`` as true), numbers in quotes, thousands separators and
percent signs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TypeVar

from gunstats.errors import Problem, closest, shorten
from gunstats.model import Better, Flag, Unit
from gunstats.yaml_tree import MappingNode, Node, ScalarNode, SequenceNode, plain_text

MAX_COUNT = Decimal(10) ** 12
MAX_SUGGESTIONS = 50
MAX_DIGITS = 20

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_NUMBER = re.compile(r"[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BLANK_LETTERS = set("\u115f\u1160\u3164\uffa0")
"""Hangul fillers: letters by category, drawn as nothing (a label of them looks empty)."""
_NOT_PUBLISHED = {
    "n/a", "na", "n.a.", "n.a", "..", "...", "-", "\u2013", "\u2014", "x", "[x]", "c", "[c]",
    "z", "[z]", "*", "?", "none", "nil", "unknown", "not published", "not available",
}  # fmt: skip
"""What publications print for a missing figure; in a figures file the period is left out."""

_FLAG_WORDS = {f.meaning: f for f in Flag if not f.computed} | {
    f.value: f for f in Flag if not f.computed
}
_FLAG_WORDS["break"] = Flag.BREAK

Choice = TypeVar("Choice", Unit, Better)
T = TypeVar("T")
Entries = dict[str, tuple[Node, Node]]
"""A mapping's entries by key text: (key node, value node)."""


class FieldReader:
    """The readers, sharing the file's path and the list of problems found so far."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.suggestions_left = MAX_SUGGESTIONS

    def suggest(self, word: str, options: Iterable[str]) -> str:
        """``; did you mean 'x'?`` for the first :data:`MAX_SUGGESTIONS` problems of a file
        (as a compiler stops hinting after many errors), so a file of errors stays fast."""
        if self.suggestions_left <= 0:
            return ""
        self.suggestions_left -= 1
        return suggest(word, options)

    # -- reporting ---------------------------------------------------------------------------

    def problem(self, node: Node | None, where: str, message: str) -> None:
        if node is None:
            self.problems.append(Problem(self.path, None, None, where, message))
        else:
            self.problems.append(Problem(self.path, node.line + 1, node.column + 1, where, message))

    # -- shapes ------------------------------------------------------------------------------

    def mapping(
        self,
        node: Node,
        where: str,
        allowed: tuple[str, ...] | None = None,
        period: Callable[[str], object] | None = None,
    ) -> dict[str, tuple[Node, Node]] | None:
        """The mapping's entries by key text, reporting duplicates and unknown keys.

        Keys that are periods (``period`` parses one) are taken as text even where YAML
        would read them as a number or a date, and a key that is no period says why.
        """
        pairs = self.pairs(node, where)
        if pairs is None:
            return None
        entries: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in pairs:
            key = self.key(key_node, where, period)
            if key is None:
                continue
            if key in entries:
                first = entries[key][0].line + 1
                self.problem(
                    key_node,
                    join(where, key),
                    f"duplicate key (first at line {first}); YAML would silently keep only the"
                    " last one",
                )
                continue
            if allowed is not None and key not in allowed:
                hint = self.suggest(key, allowed)
                self.problem(key_node, join(where, key), _unknown_key(key, allowed, hint))
                continue
            entries[key] = (key_node, value_node)
        return entries

    def pairs(
        self, node: Node, where: str, expected: str = "a mapping"
    ) -> list[tuple[Node, Node]] | None:
        """A mapping's (key node, value node) pairs as written, its keys not yet read."""
        if not isinstance(node, MappingNode):
            found = describe(node) + _shape_hint(node)
            self.problem(node, where, f"expected {expected}, found {found}")
            return None
        if node.tag != _TAG + "map":
            self.problem(node, where, f"tag {node.tag} is not allowed")
            return None
        return node.value

    def key(
        self, node: Node, where: str, period: Callable[[str], object] | None = None
    ) -> str | None:
        if node.__class__ is ScalarNode and node.plain and plain_text(node.value):
            return node.value
        if not isinstance(node, ScalarNode):
            self.problem(node, where, f"a key must be plain text, found {describe(node)}")
            return None
        if node.tag == _TAG + "merge":
            self.problem(node, where, "merge keys (<<) are not supported; write the keys out")
            return None
        if node.tag != _TAG + "str" and period is not None and node.plain:
            from gunstats.periods import PeriodError

            try:  # 2019 or 2022-04-01: say what period was meant, not "put it in quotes"
                period(node.value)
            except PeriodError as error:
                self.problem(node, join(where, node.value), str(error))
                return None
            return node.value
        if node.tag != _TAG + "str":
            kind = _implicit_kind(node)
            self.problem(
                node,
                join(where, node.value),
                f"key {node.value!r} is read by YAML as {kind}, not text (put it in quotes)",
            )
            return None
        return node.value

    def text(self, node: Node, where: str, *, one_line: bool = True) -> str | None:
        if not isinstance(node, ScalarNode):
            self.problem(node, where, f"expected text, found {describe(node)}")
            return None
        if node.tag not in _PLAIN_TAGS:
            self.problem(node, where, f"tag {node.tag} is not allowed")
            return None
        if is_null(node):
            self.problem(node, where, "is empty (expected text)")
            return None
        value = node.value.strip() if one_line else node.value.strip("\n")
        # isprintable() is False for every control, format and line-separator character (and
        # the Hangul fillers are checked apart), so only text with something unusual in it is
        # looked at character by character.
        unusual = not value.isprintable() or (not value.isascii() and _BLANK_LETTERS & set(value))
        for character in value if unusual else ():
            if character == "\n" and not one_line:
                continue
            problem = _unwanted(character, one_line)
            if problem:
                self.problem(node, where, problem)
                return None
        if not value:
            self.problem(node, where, "is empty (expected text)")
            return None
        return value

    def field(
        self, fields: Entries, where: str, key: str, read: Callable[[Node, str], T | None]
    ) -> T | None:
        """The entry ``key`` of a mapping, read by ``read``; None if the mapping lacks it or
        gives it as YAML null (``~``, ``null`` or nothing): null means "not given"."""
        if not given(fields, key):
            return None
        return read(fields[key][1], join(where, key))

    def prose(self, node: Node, where: str) -> str | None:
        """Text that may run over several lines: a description or a note."""
        return self.text(node, where, one_line=False)

    def unit(self, node: Node, where: str) -> Unit | None:
        return self.choice(node, where, Unit)

    def better(self, node: Node, where: str) -> Better | None:
        return self.choice(node, where, Better)

    def choice(self, node: Node, where: str, options: type[Choice]) -> Choice | None:
        text = self.text(node, where)
        if text is None:
            return None
        try:
            return options(text)
        except ValueError:
            names = " | ".join(option.value for option in options)
            self.problem(
                node,
                where,
                f"{text!r} is not one of: {names}{self.suggest(text, names.split(' | '))}",
            )
            return None

    # -- the document --------------------------------------------------------------------------

    def status(self, node: Node, where: str) -> str | None:
        """What the figures are, in the regulator's words (docs/conventions.md C24).

        Read without regard to capitals or spacing ("Official Statistics" as OSR writes it);
        the old name "National Statistics" is refused with its new one.
        """
        from gunstats.wording import STATUSES, status_sentence

        text = self.text(node, where)
        if text is None:
            return None
        status = " ".join(text.lower().split())
        if status in STATUSES:
            return status
        try:
            status_sentence(text)
        except ValueError as error:
            hint = "" if "now called" in str(error) else suggest(status, STATUSES)
            self.problem(node, where, f"{error}{hint}")
        return None

    def date(self, node: Node, where: str) -> str | None:
        text = self.text(node, where)
        if text is None:
            return None
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            self.problem(node, where, f"{text!r} is not a date (expected YYYY-MM-DD)")
            return None
        import datetime

        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            self.problem(node, where, f"{text!r} is not a real date (expected YYYY-MM-DD)")
            return None
        return text

    def flags(self, node: Node, where: str) -> tuple[Flag, ...]:
        items = node.value if isinstance(node, SequenceNode) else [node]
        flags: list[Flag] = []
        for item in items:
            text = self.text(item, where)
            if text is None:
                continue
            flag = _FLAG_WORDS.get(text.lower().strip("[]"))
            if flag is None:
                self.problem(
                    item,
                    where,
                    f"{text!r} is not a flag (expected p, r, e, b or provisional, revised, "
                    "estimated, break)",
                )
            elif flag not in flags:
                flags.append(flag)
        return tuple(sorted(flags, key=list(Flag).index))

    def number(self, node: Node, where: str, unit: Unit | None) -> Decimal | None:
        """A value in ``unit``; with no (valid) unit, only what every value must be."""
        text = node.value
        # The common case, kept short: a plain decimal number (YAML reads it as int/float).
        if (
            node.__class__ is ScalarNode
            and node.plain
            and len(text) <= MAX_DIGITS + 1
            and _NUMBER.fullmatch(text)
        ):
            value = Decimal(text)
            if text[0] == "-" and value == 0:
                value = value.copy_abs()  # "-0" is a zero like any other, not a negative zero
            if unit is Unit.COUNT:
                if 0 <= value <= MAX_COUNT and value == value.to_integral_value():
                    return value.to_integral_value()
            elif 0 <= value <= (100 if unit is Unit.PERCENT else MAX_COUNT):
                return value
        return self._number_problem(node, where, unit)

    def _number_problem(self, node: Node, where: str, unit: Unit | None) -> Decimal | None:
        """Every way a value can fail to be a number, each with its own message."""
        expected = (
            "a whole number of 0 or more"
            if unit is Unit.COUNT
            else "a percentage from 0 to 100"
            if unit is Unit.PERCENT
            else "a number of 0 or more"
        )
        read = self.decimal(node, where, expected)
        if read is None:
            return None
        value, stripped = read
        if value < 0:
            self.problem(node, where, f"{stripped} is negative (expected {expected})")
            return None
        if unit is Unit.COUNT:
            if value != value.to_integral_value():
                self.problem(node, where, f"{stripped} is not a whole number (expected {expected})")
                return None
            if value > MAX_COUNT:
                self.problem(
                    node,
                    where,
                    f"{stripped} is implausibly large for a count (expected at most {MAX_COUNT:,})",
                )
                return None
            return value.to_integral_value()
        if unit is Unit.PERCENT and value > 100:
            self.problem(node, where, f"{stripped} is over 100 (expected {expected})")
            return None
        return value

    def decimal(self, node: Node, where: str, expected: str) -> tuple[Decimal, str] | None:
        """A plain decimal number of any sign or size and its text, or why it is not one.

        The field's own reader then checks the range (``expected`` says what it takes).
        """
        if not isinstance(node, ScalarNode):
            self.problem(node, where, f"expected {expected}, found {describe(node)}")
            return None
        text = node.value
        if node.style in ("'", '"'):
            self.problem(node, where, f"{text!r} is quoted text, not a number (remove the quotes)")
            return None
        if node.tag not in _PLAIN_TAGS:
            self.problem(node, where, f"tag {node.tag} is not allowed (expected {expected})")
            return None
        if node.style in ("|", ">"):
            self.problem(node, where, f"a block of text is not a number (expected {expected})")
            return None
        stripped = text.strip()
        if node.tag == _TAG + "str" and _NUMBER.fullmatch(stripped):
            self.problem(node, where, f"{stripped!r} is tagged as text, not a number")
            return None
        if not _NUMBER.fullmatch(stripped) or len(stripped) > MAX_DIGITS + 2:
            self.problem(node, where, _not_a_number(node, stripped, expected))
            return None
        value = Decimal(stripped)
        if value == 0:
            value = value.copy_abs()  # "-0" is a zero, not a negative number
        return value, stripped


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


def is_null(node: Node) -> bool:
    """YAML's null (``~``, ``null`` or nothing at all), by the type YAML gives the scalar.

    A quoted ``"~"`` is text; libyaml reports every plain scalar with style ``''``, never None,
    so the tag, not the style, is what tells them apart.
    """
    return node.__class__ is ScalarNode and node.tag == _TAG + "null"


def given(fields: Entries, key: str) -> bool:
    """Whether a mapping gives ``key`` a value: present and not YAML null."""
    entry = fields.get(key)
    return entry is not None and not is_null(entry[1])


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


def join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def suggest(word: str, options: Iterable[str]) -> str:
    match = closest(word, options)
    return f"; did you mean {match!r}?" if match else ""


def _unknown_key(key: str, allowed: tuple[str, ...], suggestion: str) -> str:
    hint = suggestion[2:] if suggestion else f"expected one of: {', '.join(allowed)}"
    return f"unknown key {shorten(key)!r} ({hint})"
