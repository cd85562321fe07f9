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


# -- display-ready fields for templates -------------------------------------------------------
# Beside each raw field (a Decimal of up to 60 digits, None, a list), a ``*_text`` field a
# template can print as it is: rounded as the Markdown rounds, in the chosen period style,
# and "" where there is nothing, never "None" or "['provisional']".


def text(value: object) -> str:
    """A field for printing: "" for nothing, else its text."""
    return "" if value is None else str(value)


def value_text(value, unit: Unit, precision: int) -> str:
    """``1,234``, or ``38.0%`` for a percentage: the table's rounding, with the unit."""
    from gunstats.numbers import format_value

    number = format_value(value, unit, precision)
    return f"{number}%" if unit is Unit.PERCENT else number


def observation_texts(observation, unit: Unit, precision: int, style) -> dict[str, str]:
    """The display-ready fields of a value: ``period_text``, ``value_text``, ``flags_text``
    (``provisional, revised``), ``markers`` (``[p][r]``), ``source_text``, ``note_text``."""
    from gunstats.prose import table_period

    flags = observation.flags
    return {
        "period_text": table_period(observation.period, style),
        "value_text": value_text(observation.value, unit, precision),
        "flags_text": ", ".join(flag.meaning for flag in flags),
        "markers": "".join(f"[{flag.value}]" for flag in flags),
        "source_text": text(observation.source),
        "note_text": text(observation.note),
    }


def comparison_texts(item: Comparison, precision: int, style) -> dict[str, str]:
    """The display-ready fields of a comparison: ``from_text``, ``to_text``,
    ``from_value_text``, ``to_value_text``, ``change_text`` (``+44``, ``+18.0 percentage
    points``) and ``percent_change_text`` (``+9.2%``; "" from a zero base, and for a
    percentage, whose relative change is not shown to people)."""
    from gunstats.numbers import format_change, format_signed
    from gunstats.prose import table_period

    unit = item.unit
    percent = item.percent_change
    relative = ""
    if percent is not None and unit is Unit.COUNT:
        relative = format_signed(percent, precision) + "%"
    return {
        "from_text": table_period(item.from_year, style),
        "to_text": table_period(item.to_year, style),
        "from_value_text": value_text(item.earlier.value, unit, precision),
        "to_value_text": value_text(item.later.value, unit, precision),
        "change_text": format_change(item.change, unit, precision, points=" percentage points"),
        "percent_change_text": relative,
    }
