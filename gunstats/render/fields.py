"""The fields of a comparison as machine formats and templates name them: one list, one home.

The JSON writer, the summary's JSON and the template context all take their field names (and
order) from :data:`COMPARISON_FIELDS` and their values from :func:`comparison_values`, so a new
field is one entry here, not three edits that can drift apart.
"""

from __future__ import annotations

from gunstats.compute import Assessment, Comparison, Direction, Kind
from gunstats.model import Unit

CHANGE_UNITS = {Unit.PERCENT: "percentage points", Unit.COUNT: "count"}
"""What a change is measured in: counts change by a count, percentages by percentage points."""

CHANGE_FIELDS = ("change", "change_unit", "percent_change", "direction", "assessment")
COMPARISON_FIELDS = ("kind", "from", "to", "from_value", "to_value", *CHANGE_FIELDS)

# An enum's .value is a property lookup: a dict is several times faster, and a national
# file's JSON has a comparison for every pair of years.
_WORDS = {member: member.value for enum in (Kind, Direction, Assessment) for member in enum}


def comparison_values(item: Comparison) -> tuple[object, ...]:
    """The values of :data:`COMPARISON_FIELDS`, in order, exact (Decimals, periods, words)."""
    words = _WORDS
    return (
        words[item.kind],
        item.earlier.period,
        item.later.period,
        item.earlier.value,
        item.later.value,
        item.change,
        CHANGE_UNITS[item.unit],
        item.percent_change,
        words[item.direction],
        words[item.assessment],
    )


def comparison_fields(item: Comparison) -> dict[str, object]:
    """The comparison as a dict of :data:`COMPARISON_FIELDS`."""
    return dict(zip(COMPARISON_FIELDS, comparison_values(item), strict=True))
