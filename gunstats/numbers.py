"""Turning exact values into the text a reader sees, following the GSS conventions.

Rounding is half away from zero on the exact decimal value (0.125 to two places is 0.13;
2.5 to none is 3), never Python's ``round`` (banker's rounding) and never on a binary float.
Every human-format renderer goes through these functions so that all formats agree.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

from gunstats.model import Unit

Exact = int | Decimal

NOT_AVAILABLE = "[x]"
"""GSS shorthand: the figure was not published."""
NOT_APPLICABLE = "[z]"
"""GSS shorthand: not applicable, such as a percent change from zero."""

SHORTHAND_KEY = {
    "[x]": "not available (the figure was not published)",
    "[z]": "not applicable (no percent change from a zero base)",
    "[p]": "provisional",
    "[r]": "revised",
    "[e]": "estimated",
    "[b]": "break in series",
}


def round_half_away(value: Exact, places: int) -> Decimal:
    """Round an exact value half away from zero to ``places`` decimal places."""
    return Decimal(value).quantize(_QUANTA[places], rounding=ROUND_HALF_UP, context=_WIDE)


_QUANTA = [Decimal(1).scaleb(-places) for places in range(10)]
_WIDE = Context(prec=200)


def format_number(value: Exact, places: int = 0) -> str:
    """``1234.5`` to ``1,234.5``; a value that rounds to zero loses its minus sign."""
    rounded = round_half_away(value, places)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:,.{places}f}"


def format_signed(value: Exact, places: int = 0) -> str:
    """``+44``, ``-87``, and ``0`` with no sign when the rounded value is zero."""
    text = format_number(value, places)
    if round_half_away(value, places) > 0:
        return "+" + text
    return text


def value_places(unit: Unit, precision: int) -> int:
    """Counts are whole numbers; percentages and their changes use the chosen precision."""
    return 0 if unit is Unit.COUNT else precision


def format_value(value: Exact, unit: Unit, precision: int) -> str:
    return format_number(value, value_places(unit, precision))


def format_change(change: Exact, unit: Unit, precision: int, *, points: str = " pp") -> str:
    """An absolute change: a signed count, or signed percentage points for a percentage."""
    text = format_signed(change, value_places(unit, precision))
    return text + points if unit is Unit.PERCENT else text


def format_percent_change(percent: Decimal | None, precision: int) -> str:
    return NOT_APPLICABLE if percent is None else format_signed(percent, precision)


def to_json_number(value: Exact | None) -> int | float | None:
    """Full precision for machine formats: integers stay integers, the rest become floats."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)
