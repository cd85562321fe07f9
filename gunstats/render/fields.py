"""The fields of a comparison as machine formats and templates name them: one list, one home.

The JSON writer, the summary's JSON and the template context all take their field names (and
order) from :data:`COMPARISON_FIELDS` and their values from :func:`comparison_values`, so a new
field is one entry here, not three edits that can drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gunstats.model import Unit

if TYPE_CHECKING:
    from gunstats.compute import Comparison

CHANGE_UNITS = {Unit.PERCENT: "percentage points", Unit.COUNT: "count"}
"""What a change is measured in: counts change by a count, percentages by percentage points."""

CHANGE_FIELDS = ("change", "change_unit", "percent_change", "direction", "assessment")
COMPARISON_FIELDS = ("kind", "from", "to", "from_value", "to_value", *CHANGE_FIELDS)


def comparison_values(item: Comparison) -> tuple[object, ...]:
    """The values of :data:`COMPARISON_FIELDS`, in order, exact (Decimals, periods, words)."""
    return (
        item.kind.value,
        item.earlier.period,
        item.later.period,
        item.earlier.value,
        item.later.value,
        item.change,
        CHANGE_UNITS[item.unit],
        item.percent_change,
        item.direction.value,
        item.assessment.value,
    )


def comparison_fields(item: Comparison) -> dict[str, object]:
    """The comparison as a dict of :data:`COMPARISON_FIELDS`."""
    return dict(zip(COMPARISON_FIELDS, comparison_values(item), strict=True))
