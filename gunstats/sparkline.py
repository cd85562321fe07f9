"""A series of values as one line of text: a bar per period, a blank where none was published.

Bars rise from zero, not from the series' lowest value, so that "283 then 196" looks like a
fall of a third rather than a fall to nothing: the same honesty rule as a bar chart. The
arithmetic is exact (Fractions) and rounding is half up, so the same values always give the
same line. Pure: no I/O, no terminal detection; the caller says whether Unicode is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

UNICODE_LEVELS = "▁▂▃▄▅▆▇█"
ASCII_LEVELS = "_.-'"
"""Four heights that read bottom to top in any monospaced font: ``_`` ``.`` ``-`` ``'``."""
GAP = " "
"""A period with no value: a literal gap, never a low bar (0 is a true zero and gets a bar)."""


def sparkline(values: Sequence[Decimal | int | None], *, ascii_only: bool = False) -> str:
    """One character per value, scaled from zero to the largest value; None is a gap.

    >>> sparkline([283, None, 196])
    '█ ▆'
    """
    levels = ASCII_LEVELS if ascii_only else UNICODE_LEVELS
    top = max((Fraction(v) for v in values if v is not None), default=Fraction(0))
    steps = len(levels) - 1
    characters = []
    for value in values:
        if value is None:
            characters.append(GAP)
        elif top == 0:
            characters.append(levels[0])
        else:
            scaled = Fraction(value) / top * steps
            characters.append(
                levels[(scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)]
            )
    return "".join(characters)
