"""What a renderer is told besides the computed result: one typed record for every format.

A format ignores the fields it has no use for (CSV and JSON print at full precision, so they
read none), but a misspelt field is a TypeError where the record is made, not a setting
silently dropped.
"""

from typing import NamedTuple

from gunstats.periods import PeriodStyle


class RenderOptions(NamedTuple):
    precision: int = 1
    """Decimal places for percentages and percent changes (table, Markdown, templates)."""
    period_style: PeriodStyle = PeriodStyle.COMPACT
    """How years are written (table, Markdown, templates)."""
    produced: str | None = None
    """``YYYY-MM-DD`` for the "produced on" line (Markdown, templates)."""
    charts: tuple[tuple[str, str], ...] = ()
    """(relative link, alt text) of each chart to embed (Markdown)."""
    styled: bool = False
    """ANSI codes allowed at all (table: a terminal)."""
    color: bool = False
    """Colour on top of bold (table)."""
    width: int = 80
    """Columns to fit (table)."""
    ascii_only: bool = False
    """No box-drawing or block characters (table)."""
    csv_raw: bool = False
    """Text cells exactly as in the file, without the ``'`` that keeps a spreadsheet from
    reading ``=``, ``+``, ``-`` or ``@`` as a formula (CSV)."""


DEFAULT = RenderOptions()
