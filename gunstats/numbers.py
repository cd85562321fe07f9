"""Turning exact values into the text a reader sees (docs/conventions.md C3, C19, C20).

Rounding is half away from zero on the exact decimal value (0.125 to two places is 0.13;
2.5 to none is 3), never Python's ``round`` (banker's rounding) and never on a binary float.
Every human-format renderer goes through these functions so that all formats agree; the words
around numbers in sentences are :mod:`gunstats.wording`'s.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal
from typing import TYPE_CHECKING

from gunstats.model import Unit

if TYPE_CHECKING:  # annotations only: a report never imports fractions
    from fractions import Fraction
    from typing import TypeAlias

    Exact: TypeAlias = int | Decimal | Fraction
    """A value as published (Decimal, int) or a monthly rate (Fraction)."""

NOT_AVAILABLE = "[x]"
"""GSS shorthand: the figure was not published."""
NOT_APPLICABLE = "[z]"
"""GSS shorthand: not applicable, such as a per cent change from zero."""
LOW = "[low]"
"""GSS shorthand (C20): not zero, but rounds to zero at the precision shown."""
LOW_RELIABILITY = "[u]"
"""GSS shorthand: low reliability, such as a share over 100%."""

SHORTHAND_KEY = {
    "[x]": "not available (the figure was not published)",
    "[z]": "not applicable",
    "[low]": "not zero, but less than half of the last decimal place shown",
    "[d]": "derived: the file gives the year only as its 12 months, added up here (a rate: "
    "worked out from the summed counts)",
    "[u]": "low reliability: a rate over 100% (its numerator larger than its denominator), "
    "or over months that include such a month; check the figures",
    "[p]": "provisional",
    "[r]": "revised",
    "[e]": "estimated",
    "[b]": "break in series",
}
"""Each code's meaning, in the order of the GSS list; a table's key explains those it uses.
Why a cell is ``[z]`` depends on the table, so the layouts say it after "not applicable"."""


def round_half_away(value: Exact, places: int) -> Decimal:
    """Round an exact value half away from zero to ``places`` decimal places.

    Takes Decimals and ints, and Fractions (monthly rates) without importing :mod:`fractions`:
    any rational with ``numerator`` and ``denominator`` is rounded in integer arithmetic.
    """
    # Places beyond the table come from a value written with many decimals (a computed rate).
    quantum = _QUANTA[places] if places < len(_QUANTA) else Decimal(1).scaleb(-places)
    if isinstance(value, Decimal):
        return value.quantize(quantum, rounding=ROUND_HALF_UP, context=_WIDE)
    if isinstance(value, int):
        return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP, context=_WIDE)
    scaled_numerator = abs(value.numerator) * 10**places
    whole = (2 * scaled_numerator + value.denominator) // (2 * value.denominator)
    result = Decimal(whole).scaleb(-places)
    return -result if value < 0 else result


_QUANTA = [Decimal(1).scaleb(-places) for places in range(10)]
_WIDE = Context(prec=200)


def format_number(value: Exact, places: int = 0) -> str:
    """``1234.5`` to ``1,234.5``; a value that rounds to zero loses its minus sign."""
    return _written(round_half_away(value, places), places)


def _written(rounded: Decimal, places: int) -> str:
    if rounded == 0:
        rounded = abs(rounded)
    return format(rounded, _GROUPED[places])


_GROUPED = [f",.{places}f" for places in range(10)]


def format_signed(value: Exact, places: int = 0) -> str:
    """``+44``, ``-87``, and ``0`` with no sign when the rounded value is zero."""
    rounded = round_half_away(value, places)  # once: a large file formats a million of these
    text = _written(rounded, places)
    return "+" + text if rounded > 0 else text


def value_places(unit: Unit, precision: int) -> int:
    """Counts are whole numbers; percentages and their changes use the chosen precision."""
    return 0 if unit is Unit.COUNT else precision


def rounds_to_zero(value: Exact, places: int) -> bool:
    """C20: a non-zero value that would print as zero at ``places`` decimal places."""
    return value != 0 and round_half_away(value, places) == 0


def number_or_low(value: Exact, places: int) -> str:
    """C20: a table cell: ``1,234.5``, ``0.0`` for a true zero, ``[low]`` for 0.04 at one place."""
    return LOW if rounds_to_zero(value, places) else format_number(value, places)


def format_value(value: Exact, unit: Unit, precision: int) -> str:
    return number_or_low(value, value_places(unit, precision))


def format_change(change: Exact, unit: Unit, precision: int, *, points: str = " pp") -> str:
    """An absolute change: a signed count, or signed percentage points for a percentage.

    ``points`` follows a percentage's change where the column header cannot name the unit
    (C13); a change that rounds to zero but is not zero is ``[low]`` (C20).
    """
    places = value_places(unit, precision)
    if rounds_to_zero(change, places):
        return LOW
    text = format_signed(change, places)
    return text + points if unit is Unit.PERCENT else text


def format_percent_change(percent: Exact | None, precision: int) -> str:
    if percent is None:
        return NOT_APPLICABLE
    return LOW if rounds_to_zero(percent, precision) else format_signed(percent, precision)


def exact_text(value: Exact) -> str:
    """A value or change for JSON and CSV, exactly: ``524``, ``37.5``, ``0.0000000000000000001``.

    Whole numbers are written as integers (``-0`` as ``0``), other Decimals with every digit
    of the exact value and no exponent, so no binary rounding comes between the file and the
    program that reads the output. A Fraction (a rate over months) with no finite decimal
    form is the nearest double.
    """
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(_WIDE), "f")
    return str(value.numerator) if value.denominator == 1 else repr(float(value))


def quotient_text(value: Exact) -> str:
    """A percent change for JSON and CSV: the exact integer when whole, else the nearest double.

    A quotient has no short exact form (60 digits), so a fractional one is written as the
    double nearest to it; a whole one is exact whatever its size (``99999999999999999999900``
    must not become ``99999999999999991611392``).
    """
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else repr(float(value))
    return str(value.numerator) if value.denominator == 1 else repr(float(value))


def to_json_number(value: Exact | None) -> int | float | None:
    """Full precision for machine formats: integers stay integers, the rest become floats."""
    if value is None:
        return None
    if not isinstance(value, (Decimal, int)):  # a Fraction
        return value.numerator if value.denominator == 1 else float(value)
    if isinstance(value, int) or value == value.to_integral_value():
        return int(value)
    return float(value)
