"""Immutable, typed records: what :class:`typing.NamedTuple` makes, at half the start-up cost.

``typing.NamedTuple`` turns every field's annotation into a checked type when the class is
created, compiling each one (all annotations are strings here, under ``from __future__
import annotations``). gunstats defines fifteen record classes on every run, and that checking
was a measurable part of its start-up, so :func:`record` builds the same kind of class
straight from :func:`collections.namedtuple`, leaving annotations to type checkers.
"""

from __future__ import annotations

import inspect
from collections import namedtuple

_HIDDEN = {"__dict__", "__weakref__", "__annotations__", "__module__", "__qualname__"}


def record(cls: type) -> type:
    """Turn a class of annotated fields (with defaults, methods and docstring) into a tuple.

    >>> @record
    ... class Point:
    ...     x: int
    ...     y: int = 0
    ...     def norm(self) -> int:
    ...         return abs(self.x) + abs(self.y)
    >>> Point(3).norm(), Point(1, 2) == Point(x=1, y=2)
    (3, True)
    """
    annotations = inspect.get_annotations(cls)  # the strings as written, not evaluated
    fields = list(annotations)
    defaults = [cls.__dict__[name] for name in fields if name in cls.__dict__]
    base = namedtuple(cls.__name__, fields, defaults=defaults, module=cls.__module__)
    body = {
        name: value
        for name, value in cls.__dict__.items()
        if name not in _HIDDEN and name not in fields
    }
    body["__slots__"] = ()
    body["__annotations__"] = annotations
    made = type(cls.__name__, (base,), body)
    made.__qualname__ = cls.__qualname__
    return made
