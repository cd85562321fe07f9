"""A YAML node tree built straight from libyaml's events, for the loader to validate.

PyYAML's own ``compose`` spends most of its time in Python, running every scalar through the
implicit-type resolver's regular expressions. The loader reads numbers and periods itself and
needs a scalar's YAML type only for keys and for error messages, so here each scalar resolves
its tag lazily, with a fast path for the shapes a figures file is made of (periods, ids,
plain numbers). That makes reading a large file several times faster than ``yaml.load``.

The tree's node classes mirror PyYAML's (``MappingNode``, ``SequenceNode``, ``ScalarNode``
with ``tag``, ``value`` and ``style``), carrying their line and column directly. Three things
PyYAML would accept are refused here, each with the line it is on:

- anchors and aliases (``&name``/``*name``), which a figures file has no use for and which
  make "billion laughs" bombs possible;
- nesting deeper than :data:`MAX_DEPTH`, far beyond any figures file, so that no input can
  exhaust the stack;
- a second document in the same file.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml: slower, same behaviour.
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 64

_TAG = "tag:yaml.org,2002:"
STR, MAP, SEQ = (_TAG + name for name in ("str", "map", "seq"))

# Plain text of this shape is a string under YAML 1.1 without asking the resolver: ids, labels,
# units, periods. Anything else is asked of PyYAML's own resolver, whose patterns were compiled
# when yaml was imported; the loader reads numbers itself, never asking YAML for their tag.
_PLAIN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9_ -]*|[0-9]{4}(?:/[0-9]{2}|-[0-9]{2}| to [0-9]{4})")
_RESOLVED_WORDS = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}
NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))
"""The plain scalars YAML 1.1 reads as null (PyYAML's resolver): a check for null can pass
over every other plain scalar without working out its tag."""

_resolver: yaml.resolver.Resolver | None = None


class StructureError(Exception):
    """Valid YAML that a figures file may not contain; carries the mark of the offender."""

    def __init__(self, message: str, mark: yaml.Mark):
        super().__init__(message)
        self.message = message
        self.mark = mark


class Node:
    """A node of the tree: its YAML tag, its value and where it starts (0-based, as in libyaml).

    Slotted and without PyYAML's two ``Mark`` objects per node, so a 100,000-value file's tree
    takes a third of the memory PyYAML's would.
    """

    __slots__ = ("column", "line", "style", "tag", "value")

    def __init__(self, tag: str, value, line: int, column: int, style=None):
        self.tag = tag
        self.value = value
        self.line = line
        self.column = column
        self.style = style


class MappingNode(Node):
    """``value`` is a list of (key node, value node) pairs, in file order, duplicates kept."""

    __slots__ = ()


class SequenceNode(Node):
    __slots__ = ()


class ScalarNode(Node):
    """``value`` is the text as written; the YAML tag is worked out only when asked for."""

    __slots__ = ("plain",)

    def __init__(self, event: Any):  # a ScalarEvent; ``tag`` is resolved lazily, see below
        mark = event.start_mark
        explicit = event.tag
        self.value = event.value
        self.line = mark.line
        self.column = mark.column
        self.style = event.style
        self.plain = explicit is None and event.implicit[0]
        """Plain style and no explicit tag: YAML decides its type from the text."""
        if explicit is not None:
            self.tag = STR if explicit == "!" else explicit

    def __getattr__(self, name: str):
        # Only reached while ``tag`` is unset: a plain or implicit scalar, resolved once.
        if name != "tag":
            raise AttributeError(name)
        self.tag = _resolve(self.value, self.plain)
        return self.tag


def _resolve(value: str, plain: bool) -> str:
    if not plain:  # quoted, or a block scalar: always text
        return STR
    if plain_text(value):  # labels, ids, units, periods: the common case first
        return STR
    global _resolver
    if _resolver is None:
        _resolver = yaml.resolver.Resolver()
    return _resolver.resolve(yaml.ScalarNode, value, (True, False))


def plain_text(value: str) -> bool:
    """True for plain text that YAML 1.1 reads as a string: ids, labels, periods (fast path)."""
    return _PLAIN_TEXT.fullmatch(value) is not None and value.lower() not in _RESOLVED_WORDS


def _collection_tag(event, default: str) -> str:
    return event.tag if event.tag not in (None, "!") else default


def compose(text: str) -> Node | None:
    """The single document's node tree, or None for an empty stream.

    Raises :class:`yaml.MarkedYAMLError` for text that is not YAML and
    :class:`StructureError` for the constructs refused above.
    """
    loader = _Loader(text)
    root: Node | None = None
    stack: list[Node] = []
    pending_keys: list[Node | None] = []
    documents = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if type(parent) is SequenceNode:
            parent.value.append(node)
        elif pending_keys[-1] is None:
            pending_keys[-1] = node
        else:
            parent.value.append((pending_keys[-1], node))
            pending_keys[-1] = None

    def refuse_anchor(event) -> None:
        if event.anchor is not None:
            raise StructureError(
                f"anchors and aliases (&{event.anchor}) are not supported; write the value out",
                event.start_mark,
            )

    try:
        while True:
            # Any: the class tests below stand in for isinstance, which a checker cannot follow.
            event: Any = loader.get_event()
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is not None:
                    refuse_anchor(event)
                attach(ScalarNode(event))
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                refuse_anchor(event)
                if len(stack) >= MAX_DEPTH:
                    raise StructureError(
                        f"nested more than {MAX_DEPTH} levels deep", event.start_mark
                    )
                mark = event.start_mark
                node: Node
                if kind is MappingStartEvent:
                    node = MappingNode(_collection_tag(event, MAP), [], mark.line, mark.column)
                else:
                    node = SequenceNode(_collection_tag(event, SEQ), [], mark.line, mark.column)
                attach(node)
                stack.append(node)
                pending_keys.append(None)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
                pending_keys.pop()
            elif kind is AliasEvent:
                raise StructureError(
                    f"anchors and aliases (*{event.anchor}) are not supported; write the value out",
                    event.start_mark,
                )
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise StructureError(
                        "the file holds more than one YAML document (remove the second '---')",
                        event.start_mark,
                    )
            elif kind is StreamEndEvent:
                return root
    finally:
        loader.dispose()
