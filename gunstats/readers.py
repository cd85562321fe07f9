"""Readers for the kinds of field a figures file holds, each reporting its own problems.

Each reader takes a node of the tree (:mod:`gunstats.yaml_tree`) and the dotted place it
stands at (``metrics.shootings.unit``), returns the value or None, and records a
:class:`~gunstats.errors.Problem` with file, line and column for anything wrong, so the
validator (:mod:`gunstats.validate`) can carry on and report every problem in one pass.
It also catches what PyYAML would hide: a key written twice, YAML 1.1 surprises (``010`` as
octal, ``1:20`` as 80, ``yes`` as true), numbers in quotes, thousands separators and
percent signs. The words of its messages are :mod:`gunstats.readers_hints`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TypeVar

from gunstats.errors import Problem
from gunstats.model import Better, Flag, Unit
from gunstats.readers_hints import (
    _BLANK_LETTERS,
    _PLAIN_TAGS,
    _TAG,
    _implicit_kind,
    _not_a_number,
    _shape_hint,
    _unknown_key,
    _unwanted,
    describe,
    suggest,
)
from gunstats.yaml_tree import (
    NULL_WORDS,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    plain_text,
)

MAX_COUNT = Decimal(10) ** 12
MAX_SUGGESTIONS = 50
MAX_DIGITS = 20

_NUMBER = re.compile(r"[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")

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


def is_null(node: Node) -> bool:
    """YAML's null (``~``, ``null`` or nothing at all), by the type YAML gives the scalar.

    A quoted ``"~"`` is text; libyaml reports every plain scalar with style ``''``, never None,
    so the tag, not the style, is what tells them apart.
    """
    return (
        node.__class__ is ScalarNode
        and (not node.plain or node.value in NULL_WORDS)
        and node.tag == _TAG + "null"
    )


def given(fields: Entries, key: str) -> bool:
    """Whether a mapping gives ``key`` a value: present and not YAML null."""
    entry = fields.get(key)
    return entry is not None and not is_null(entry[1])


def join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
