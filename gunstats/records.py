"""Immutable, typed records: tuples with named fields, like :class:`typing.NamedTuple`.

Why not ``typing.NamedTuple``: it writes and compiles Python source for every class it makes
(and compiles each field's annotation too). gunstats defines fifteen record classes and
seven enums on every run, and callgrind put the record classes alone at a quarter of all
the work gunstats adds to Python's start-up. :func:`record` makes the same kind of class,
a tuple subclass with ``__slots__ = ()``, read-only named fields, defaults, ``_replace`` and
``_asdict``, from plain Python: no source is generated, and creating a class costs about a
twentieth as much.
"""

from __future__ import annotations

import inspect
from typing import Any, ClassVar

try:  # the C field accessor namedtuple itself uses: a third faster than a property
    from collections import _tuplegetter as _field  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Pythons without it
    from operator import itemgetter

    def _field(index: int, doc: str | None):
        return property(itemgetter(index), doc=doc)


_HIDDEN = {"__dict__", "__weakref__", "__annotations__", "__module__", "__qualname__"}


class RecordBase(tuple):
    """What every record shares; each record class sets ``_fields`` and ``_field_defaults``."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _field_defaults: ClassVar[dict[str, Any]] = {}

    def __new__(cls, *args: Any, **kwargs: Any):
        if kwargs or len(args) != len(cls._fields):
            args = cls._arrange(args, kwargs)
        return tuple.__new__(cls, args)

    @classmethod
    def _arrange(cls, args: tuple, kwargs: dict[str, Any]) -> tuple:
        """Positional, keyword and default values in field order, or the TypeError Python
        gives a function called with the wrong arguments."""
        fields = cls._fields
        if len(args) > len(fields):
            raise TypeError(f"{cls.__name__}() takes {len(fields)} arguments, got {len(args)}")
        for name in fields[: len(args)]:
            if name in kwargs:
                raise TypeError(f"{cls.__name__}() got multiple values for {name!r}")
        values = list(args)
        for name in fields[len(args) :]:
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in cls._field_defaults:
                values.append(cls._field_defaults[name])
            else:
                raise TypeError(f"{cls.__name__}() missing argument {name!r}")
        unknown = set(kwargs) - set(fields)
        if unknown:
            raise TypeError(f"{cls.__name__}() got unexpected arguments {sorted(unknown)}")
        return tuple(values)

    def __repr__(self) -> str:
        inner = ", ".join(
            f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True)
        )
        return f"{type(self).__name__}({inner})"

    def __getnewargs__(self) -> tuple:
        return tuple(self)

    def _replace(self, **changes: Any):
        return type(self)(**{**self._asdict(), **changes})

    def _asdict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self, strict=True))


def record(cls: type) -> type:
    """Turn a class of annotated fields (with defaults, methods and docstring) into a record.

    >>> @record
    ... class Point:
    ...     x: int
    ...     y: int = 0
    ...     def norm(self) -> int:
    ...         return abs(self.x) + abs(self.y)
    >>> Point(3).norm(), Point(1, 2) == Point(x=1, y=2), Point(1)._replace(y=5)
    (3, True, Point(x=1, y=5))
    """
    annotations = inspect.get_annotations(cls)  # the strings as written, not evaluated
    fields = tuple(annotations)
    body = {name: value for name, value in cls.__dict__.items() if name not in _HIDDEN}
    defaults = {}
    for index, name in enumerate(fields):
        if name in body:
            defaults[name] = body[name]
        elif defaults:
            raise TypeError(f"{cls.__name__}: field {name!r} without a default follows one with")
        body[name] = _field(index, f"Field {index}: {name}")
    body.update(
        __slots__=(),
        __annotations__=annotations,
        __match_args__=fields,
        _fields=fields,
        _field_defaults=defaults,
    )
    made = type(cls.__name__, (RecordBase,), body)
    made.__qualname__ = cls.__qualname__
    made.__module__ = cls.__module__
    return made
