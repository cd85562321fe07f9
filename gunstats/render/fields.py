"""The fields of a comparison as machine formats and templates name them: one list, one home.

The JSON writer, the summary's JSON and the template context all take their field names (and
order) from :data:`COMPARISON_FIELDS` and their values from :func:`comparison_values`, so a new
field is one entry here, not three edits that can drift apart.
"""

from __future__ import annotations

from gunstats.compute import Assessment, Comparison, Direction, Kind
from gunstats.model import Unit
from gunstats.significance import Significance

CHANGE_UNITS = {Unit.PERCENT: "percentage points", Unit.COUNT: "count"}
"""What a change is measured in: counts change by a count, percentages by percentage points."""

CHANGE_FIELDS = (
    "change",
    "change_unit",
    "percent_change",
    "direction",
    "assessment",
    "significance",
)
COMPARISON_FIELDS = ("kind", "from", "to", "from_value", "to_value", *CHANGE_FIELDS)

# An enum's .value is a property lookup: a dict is several times faster, and a national
# file's JSON has a comparison for every pair of years.
_WORDS = {member: member.value for enum in (Kind, Direction, Assessment) for member in enum}


def comparison_values(item: Comparison) -> tuple[object, ...]:
    """The values of :data:`COMPARISON_FIELDS`, in order, exact (Decimals, periods, words;
    the :class:`~gunstats.significance.Significance` record, or None where untested)."""
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
        item.significance,
    )


def comparison_fields(item: Comparison) -> dict[str, object]:
    """The comparison as a dict of :data:`COMPARISON_FIELDS`; ``significance`` is a dict of
    ``test``, ``p_value``, ``confidence`` and ``significant``, or None where untested."""
    fields = dict(zip(COMPARISON_FIELDS, comparison_values(item), strict=True))
    fields["significance"] = significance_fields(item.significance)
    return fields


def significance_fields(significance: Significance | None) -> dict[str, object] | None:
    return None if significance is None else significance._asdict()
