"""The limits a user's template runs within, so that no template can hang or exhaust a machine.

A template is code. Jinja2's sandbox stops it reaching Python internals, but not from asking
for ``"x" * 3000000000``, loops writing gigabytes, nested loops that never end, or
``{% include ".ssh/id_rsa" %}``. So on top of the sandbox:

- Run time: a template stops after :data:`SECONDS` (plus a little per value in the report);
  a timer signal interrupts loops that write nothing, and every operator, call and output
  chunk checks the clock too.
- Size: the output, and any one string, list or range a template makes, is at most
  :data:`CHARACTERS` (plus a little per value). Operators and calls that would make more are
  refused before the work is done (``*``, ``+``, ``**``, widths in ``%`` and ``format``, and
  widths given to ``center``, ``indent``, ``ljust`` and the like); anything else is checked as
  soon as it is made, and an address-space limit (Linux) turns a runaway allocation into an
  error rather than swapping.
- Compilation: blocks nested more than :data:`NESTING` deep and brackets more than
  :data:`BRACKETS` deep are refused with their line, before Python's own compiler limits
  (or the parser's recursion) turn them into tracebacks.
- Files: a template may include files from its own folder (and below) and from the shipped
  examples, never a hidden file (a name starting with a dot) and never through a symbolic
  link that leads out of the folder (:mod:`gunstats.render.sandbox_files`).

The timer signal and the address-space limit are set around a run by
:mod:`gunstats.render.sandbox_process`; this module owns the budget and the environment that
checks it.

Each breach raises :class:`LimitError` (or a ``TemplateSyntaxError`` with the line), which
:mod:`gunstats.render.template` prints as one line, ``TEMPLATE:LINE: what went wrong``.
"""

from __future__ import annotations

import functools
import re
import time
from typing import Any, NoReturn

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

SECONDS = 2.0
SECONDS_PER_VALUE = 0.0001
"""A report of 100,000 values gets 10 s more: a real template spends microseconds a value."""
CHARACTERS = 1 << 20
CHARACTERS_PER_VALUE = 1024
INTEGER_BITS = 14_000
"""About 4,200 digits: under the 4,300 that Python will turn into text."""
NESTING = 16
"""Python refuses 20 nested loops and 100 levels of indentation; each block costs up to 3."""
BRACKETS = 20
"""Each level of brackets costs the parser a dozen Python frames."""
_OPENING = {"for", "if", "macro", "call", "filter", "with", "block", "autoescape", "trans"}
_TOO_MANY_DIGITS = f"would make a number of more than {INTEGER_BITS * 3 // 10:,} digits"
_FORMAT_WIDTH = re.compile(r"(?:%[-+# ]*|[:.<>^=])[0-9]{7,}")
"""A width or precision of a million or more in a ``%`` or ``format`` string."""
_WIDTHS = {"center", "indent", "ljust", "rjust", "zfill", "expandtabs"}
"""Filters and string methods whose number arguments say how wide to make the text."""


class LimitError(Exception):
    """A template went over one of its limits; the message says which, in one line."""


class Budget:
    """How much a template may make and how long it may run, given the report's size."""

    def __init__(self, values: int) -> None:
        self.size = CHARACTERS + CHARACTERS_PER_VALUE * values
        self.seconds = SECONDS + SECONDS_PER_VALUE * values
        self.deadline = float("inf")
        self.exceeded: LimitError | None = None
        self.raised_at = float("-inf")

    def fail(self, message: str) -> NoReturn:
        raise LimitError(message)

    def out_of_time(self) -> NoReturn:
        # Kept: the timer signal can strike inside code (in Jinja2 or a filter) that catches
        # and carries on, and the run must still end as too slow.
        self.exceeded = LimitError(
            f"took longer than {self.seconds:.0f} seconds (a loop that never ends?)"
        )
        self.raised_at = time.monotonic()
        raise self.exceeded

    def stop(self) -> None:
        """The template has finished or failed: no more time limit while that is reported."""
        self.deadline = float("inf")

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            self.out_of_time()

    def check_length(self, length: int, what: str = "characters") -> None:
        if length > self.size:
            self.fail(f"would make {length:,} {what} (the limit is {self.size:,})")

    def check(self, value: Any) -> Any:
        """``value``, if it is within the size limits."""
        if isinstance(value, str):
            self.check_length(len(value))
        elif isinstance(value, (list, tuple, dict, set, frozenset)):
            self.check_length(len(value), "items")
        elif isinstance(value, int) and value.bit_length() > INTEGER_BITS:
            self.fail(_TOO_MANY_DIGITS)
        return value

    def check_arguments(self, arguments, widths: bool = False) -> None:
        for value in arguments:
            if widths and _whole(value) and abs(value) > self.size:
                self.fail(f"a width of {value:,} is too large (the limit is {self.size:,})")
            self.check(value)

    def check_format(self, text: Any) -> None:
        if isinstance(text, str) and _FORMAT_WIDTH.search(text):
            self.fail("a format asks for a width or precision of a million or more")


class LimitedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja2's sandbox, with the budget checked by every operator, call and filter."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, budget: Budget, **options: Any) -> None:
        super().__init__(**options)
        self.budget = budget
        self.globals["range"] = self.limited_range
        self.globals["namespace"] = _limited_namespace(budget)
        self.globals.pop("lipsum", None)  # paragraphs of filler text: an amplifier, no use here

    def limit_filters(self) -> None:
        """Wrap every filter (call after adding gunstats' own) so its arguments and result
        are checked."""
        for name, function in list(self.filters.items()):
            self.filters[name] = _limited_filter(function, self.budget, name)

    def limited_range(self, *args: int) -> range:
        self.budget.check_time()
        steps = range(*args)
        try:
            length = len(steps)
        except OverflowError:
            length = self.budget.size + 1
        self.budget.check_length(length, "steps in a range")
        return steps

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        budget = self.budget
        budget.check_time()
        sized = (str, list, tuple)
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, sized) and isinstance(times, int):
                    budget.check_length(len(seq) * max(times, 0))
            bits = left.bit_length() + right.bit_length() if _whole(left) and _whole(right) else 0
            if bits > INTEGER_BITS + 1:
                budget.fail(_TOO_MANY_DIGITS)
        elif operator == "**" and _whole(left) and _whole(right) and right > 0 and abs(left) > 1:
            if (abs(left).bit_length() - 1) * right > INTEGER_BITS:
                budget.fail(_TOO_MANY_DIGITS)
        elif operator == "+" and isinstance(left, sized) and isinstance(right, sized):
            what = "characters" if isinstance(left, str) else "items"
            budget.check_length(len(left) + len(right), what)
        elif operator == "%":
            budget.check_format(left)
        return budget.check(super().call_binop(context, operator, left, right))

    def call(self, context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        budget = self.budget
        budget.check_time()
        name = getattr(obj, "__name__", "")
        text_method = isinstance(getattr(obj, "__self__", None), str)
        budget.check_arguments((*args, *kwargs.values()), widths=text_method and name in _WIDTHS)
        wrapped = getattr(getattr(obj, "__wrapped__", None), "__self__", None)
        if name in ("format", "format_map") and isinstance(wrapped, str):
            budget.check_format(wrapped)  # str.format, which the sandbox hands out wrapped
        return budget.check(super().call(context, obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.budget.check_time()
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]  # ``m.values`` is the metric's values, not ``dict.values``
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.budget.check_time()
        return super().getitem(obj, argument)

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        """Compile, turning every failure into a ``TemplateSyntaxError`` with its line.

        Jinja2 reports mistakes in a template with their line, but a template too deep or
        too big for Python's own compiler (or for the recursion limit) raises Python's
        errors instead; those are caught here, named by the line where they happened.
        """
        try:
            if isinstance(source, str):
                _check_nesting(self, source, name, filename)
            return super().compile(source, name, filename, raw, defer_init)
        except jinja2.TemplateSyntaxError:
            raise
        except Exception as error:  # RecursionError, SyntaxError, MemoryError, ValueError
            kind = "is too large" if isinstance(error, MemoryError) else "is too deeply nested"
            if isinstance(error, ValueError):  # a number literal of thousands of digits
                kind = "has a number too long"
            raise jinja2.TemplateSyntaxError(
                f"cannot be compiled: it {kind} ({type(error).__name__})",
                _failing_line(error) or 1,
                name,
                filename,
            ) from None


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _limited_filter(function, budget: Budget, name: str):
    # Filters marked to receive the context or environment get it before the value.
    skip = 2 if hasattr(function, "jinja_pass_arg") else 1

    @functools.wraps(function)
    def limited(*args: Any, **kwargs: Any) -> Any:
        budget.check_time()
        budget.check_arguments((*args[skip:], *kwargs.values()), widths=name in _WIDTHS)
        if name == "format" and len(args) >= skip:
            budget.check_format(args[skip - 1])
        return budget.check(function(*args, **kwargs))

    return limited


def _limited_namespace(budget: Budget) -> type:
    class LimitedNamespace(Namespace):
        """``namespace()``, whose attributes are the one way a loop can carry a value on."""

        def __setitem__(self, name: str, value: Any) -> None:
            budget.check_time()
            super().__setitem__(name, budget.check(value))

    return LimitedNamespace


def _check_nesting(environment, source: str, name, filename) -> None:
    blocks = 0
    brackets = 0
    tag_start = False
    for line, kind, value in environment.lex(source, name, filename):
        if kind == "block_begin":
            tag_start = True
            continue
        if tag_start and kind == "name":
            if value in _OPENING:
                blocks += 1
                if blocks > NESTING:
                    raise jinja2.TemplateSyntaxError(
                        f"blocks nested more than {NESTING} deep", line, name, filename
                    )
            elif value.startswith("end") and value[3:] in _OPENING:
                blocks = max(0, blocks - 1)
        if kind != "whitespace":
            tag_start = False
        if kind == "operator" and value in ("(", "[", "{"):
            brackets += 1
            if brackets > BRACKETS:
                raise jinja2.TemplateSyntaxError(
                    f"brackets nested more than {BRACKETS} deep", line, name, filename
                )
        elif kind == "operator" and value in (")", "]", "}"):
            brackets = max(0, brackets - 1)


def _failing_line(error: BaseException) -> int | None:
    """The template line where compiling failed, read from the compiler's own frames."""
    from jinja2.nodes import Node
    from jinja2.parser import Parser

    frames = []
    traceback = error.__traceback__
    while traceback is not None:
        frames.append(traceback.tb_frame)
        traceback = traceback.tb_next
    for frame in reversed(frames):  # innermost first
        names = frame.f_locals
        if isinstance(error, SyntaxError) and frame.f_code.co_name == "_compile":
            return _template_line(names.get("source", ""), error.lineno or 0)
        if isinstance(names.get("node"), Node) and names["node"].lineno:
            return names["node"].lineno
        if isinstance(names.get("self"), Parser):
            return names["self"].stream.current.lineno
        if frame.f_code.co_name in ("tokeniter", "wrap") and isinstance(names.get("lineno"), int):
            return names["lineno"]
    return None


def _template_line(code: str, code_line: int) -> int | None:
    """Map a line of Jinja2's generated Python to the template line it came from."""
    marker = "debug_info = '"
    start = code.rfind(marker)
    if start < 0:
        return None
    pairs = code[start + len(marker) : code.index("'", start + len(marker))].split("&")
    best = None
    for pair in filter(None, pairs):
        template_line, generated = (int(n) for n in pair.split("="))
        if generated <= code_line:
            best = template_line
    return best
