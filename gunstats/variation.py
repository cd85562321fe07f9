"""Words for variation: whether a change is real, and whether a month is within its normal range.

Plain text, no escaping, like :mod:`gunstats.prose`. A change is said to be statistically
significant or not before anything calls it better or worse (docs/conventions.md, C5), and a
month is read against its own series on an XmR chart before it is compared with any other
month (C6). The words for the tests live here, once, for the key points, the summary and
the keys of every human format.

The report path imports this module, so it needs nothing heavy: the XmR chart's types are
imported only for annotations, and its words are used only by the summary.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from gunstats.compute import Assessment, Comparison, Direction, Kind
from gunstats.model import Better, Observation, Unit
from gunstats.numbers import format_number
from gunstats.wording import common_places, prose_count, prose_percent, prose_points

if TYPE_CHECKING:
    from gunstats.monthly import MetricSummary, WindowComparison
    from gunstats.periods import Month
    from gunstats.spc import NoProcessChart, ProcessChart, Signal

SIGNIFICANT = "a statistically significant change"
NOT_SIGNIFICANT = "not a statistically significant change"
UNTESTED_PERCENT = (
    "which cannot be tested for statistical significance without the counts behind the percentages"
)
UNTESTED_COUNT = "which is not tested for statistical significance (a count is over a million)"

UNTESTED_ASSESSMENTS = (Assessment.BETTER_UNTESTED, Assessment.WORSE_UNTESTED)

ASSESSMENT_KEY = (
    "Assessment says first whether a change is statistically significant (larger than "
    "chance alone would often give), and only then whether it is better or worse for that "
    "measure (for some measures a fall is the improvement): 'no significant change' is "
    "within what chance alone would give; 'neutral' is a significant change in a measure "
    "where neither way is better."
)
UNTESTED_KEY = (
    "'better (not tested)' and 'worse (not tested)': the change could not be tested, because "
    "a percentage is given without the counts it is made of (or a count is over a million); "
    "the word says only which way it moved for that measure."
)


def significance_clause(comparison: Comparison) -> str:
    """``, which is not a statistically significant change``: what the test found, to follow
    the words of a change (nothing for an unchanged value)."""
    if comparison.direction is Direction.FLAT:
        return ""
    tested = comparison.significance
    if tested is None:
        return ", " + (UNTESTED_PERCENT if comparison.unit is Unit.PERCENT else UNTESTED_COUNT)
    return f", which is {SIGNIFICANT if tested.significant else NOT_SIGNIFICANT}"


def _decimal(confidence: float) -> Decimal:
    # The level as typed (0.95), not its binary double (0.9499999999999999555910790149937).
    return Decimal(repr(confidence))


def confidence_percent(confidence: float) -> str:
    """``95%``, ``99.9%``."""
    return f"{(_decimal(confidence) * 100).normalize():f}%"


def significance_key(confidence: float) -> str:
    """What the tests are and what the confidence level means, in two plain sentences."""
    level = _decimal(confidence)
    chance = ((1 - level) * 100).normalize()
    threshold = (1 - level).normalize()
    return (
        "Changes are tested for statistical significance: counts as Poisson counts, allowing "
        "for the days in each period, and a rate by Fisher's exact test on the counts it is "
        f"made of. At {confidence_percent(confidence)} confidence a change is significant if "
        f"chance alone would give one at least as large less than {chance:f}% of the time "
        f"(p < {threshold:f})."
    )


def assessment_keys(assessments: Iterable[Assessment], confidence: float) -> list[str]:
    """The key entries for a report or summary showing these assessments."""
    shown = set(assessments)
    if not shown:
        return []
    keys = [ASSESSMENT_KEY, significance_key(confidence)]
    if shown & set(UNTESTED_ASSESSMENTS):
        keys.append(UNTESTED_KEY)
    return keys


# -- the XmR chart of a month -----------------------------------------------------------------

IMPROVEMENT = "improvement"
CONCERN = "concern"
NEITHER = "neither"

SPC_KEY = (
    "Normal range: each measure's XmR chart (statistical process control) over the months "
    "named: its mean, and process limits 2.66 times the average change from one month to "
    "the next either side of the mean (not below 0, nor above 100 for a percentage). A "
    "signal says the process has changed: a month outside the limits, 7 months in a row "
    "on one side of the mean, 7 months each higher (or each lower) than the one before, or "
    "2 of 3 months close to a limit. It is an improvement or a concern by which way is "
    "better for the measure."
)


def signal_meaning(direction: str, better: Better) -> str:
    """``improvement``, ``concern`` or ``neither``: a high or low signal judged by ``better``."""
    if better is Better.NEITHER:
        return NEITHER
    return IMPROVEMENT if (direction == "high") == (better is Better.UP) else CONCERN


def _number(value, precision: int) -> str:
    """Rounded to ``precision`` and no further digits than it needs (C12): ``38``, ``9.2``."""
    return format_number(value, common_places([abs(value)], precision))


def _rule_words(signal: Signal, chart: ProcessChart, unit: Unit, precision: int) -> str:
    from gunstats.spc import OUTSIDE_LIMITS, SHIFT, TREND

    high = signal.direction == "high"
    side = "upper" if high else "lower"
    limit = _limit_text(chart.upper if high else chart.lower, unit, precision)
    if signal.rule == OUTSIDE_LIMITS:
        return f"{'above' if high else 'below'} its {side} process limit of {limit}"
    months = len(signal.months)
    if signal.rule == SHIFT:
        mean = _limit_text(chart.centre, unit, precision)
        return f"{months} months in a row {'above' if high else 'below'} its mean of {mean}"
    if signal.rule == TREND:
        return f"{months} months in a row each {'higher' if high else 'lower'} than the one before"
    return f"2 of 3 months in a row close to its {side} process limit of {limit}"


def _limit_text(value, unit: Unit, precision: int) -> str:
    text = _number(value, precision)
    return f"{text}%" if unit is Unit.PERCENT else text


def month_meaning(chart: ProcessChart, month: Month, better: Better) -> str | None:
    """How the signals a month is part of read for the measure: ``improvement``,
    ``concern``, ``neither`` (also where they disagree), or None where it is in none."""
    meanings = {signal_meaning(s.direction, better) for s in chart.signals_at(month)}
    if not meanings:
        return None
    return meanings.pop() if len(meanings) == 1 else NEITHER


def spc_status(better: Better, unit: Unit, chart: ProcessChart, precision: int = 1) -> str:
    """``within its normal range`` or ``a signal of concern: above its upper process limit
    of 34.6``: the chart's last month read against its own series."""
    meaning = month_meaning(chart, chart.end, better)
    if meaning is None:
        return "within its normal range"
    kind = "a signal" if meaning == NEITHER else f"a signal of {meaning}"
    signals = chart.signals_at(chart.end)
    rules = " and ".join(_rule_words(s, chart, unit, precision) for s in signals)
    return f"{kind}: {rules}"


def spc_cell(better: Better, chart: ProcessChart | NoProcessChart) -> tuple[str, str | None]:
    """The status of the chart's last month in a table cell, and its meaning (for colour):
    ``normal``, ``concern (shift)``, ``signal (trend)``; ``[x]`` with no value or no chart."""
    from gunstats.spc import NORMAL, SIGNAL, ProcessChart

    if not isinstance(chart, ProcessChart) or chart.latest_status not in (NORMAL, SIGNAL):
        return "[x]", None
    meaning = month_meaning(chart, chart.end, better)
    if meaning is None:
        return "normal", None
    rules = ", ".join(dict.fromkeys(s.rule.replace("_", " ") for s in chart.signals_at(chart.end)))
    return f"{'signal' if meaning == NEITHER else meaning} ({rules})", meaning


def spc_window(chart: ProcessChart | NoProcessChart) -> str:
    """``24 months to January 2023``."""
    months = chart.end.ordinal - chart.start.ordinal + 1
    return f"{months} months to {chart.end.name()}"


# -- the summary's sentence for each metric ---------------------------------------------------

# A single month against another is noisy: the sentence gives a window, never one month.
_HEADLINE_KINDS = (Kind.FINANCIAL_YEAR_TO_DATE, Kind.ROLLING_12_MONTHS)


def window_change_phrase(item: WindowComparison, unit: Unit, precision: int) -> str:
    """``up 17 (12.2%) from 139 in April to January 2022, which is not a statistically
    significant change``: a summary comparison in words, both windows named."""
    from gunstats.prose import value_text

    comparison = item.comparison
    assert comparison is not None  # the caller checks that both sides have a value
    earlier = comparison.earlier._replace(flags=item.earlier.flags)
    where = f"{value_text(earlier, unit, precision)} in {item.label(item.earlier)}"
    clause = significance_clause(comparison)
    if comparison.direction is Direction.FLAT:
        return f"unchanged from {where}"
    from gunstats.prose import phrase_percentages

    places = common_places(phrase_percentages(comparison), precision)
    verb = comparison.direction.value
    size = abs(comparison.change)
    if unit is Unit.PERCENT:
        return f"{verb} {prose_points(size, places)} from {where}{clause}"
    amount = prose_count(size)
    if comparison.percent_change is None:
        return f"{verb} {amount} from {where}{clause}"
    relative = prose_percent(abs(comparison.percent_change), places)
    # C18: "from" for a rise and a fall alike.
    return f"{verb} {amount} ({relative}) from {where}{clause}"


def summary_point(metric_summary: MetricSummary, month: Month, precision: int = 1) -> str:
    """The month read against its own series first, then its longest comparison:
    ``Shootings: 17 in January 2023, within its normal range on an XmR chart of the 24
    months to January 2023. April to January 2023: 156, up 17 (12.2%) from 139 in April to
    January 2022, which is not a statistically significant change.``"""
    from gunstats.prose import value_text
    from gunstats.spc import ProcessChart

    metric = metric_summary.metric
    unit = metric.unit
    own = metric_summary.month
    chart = metric_summary.spc
    if own.value is None:
        first = f"{metric.label}: no figure for {month.name()}."  # the intro says why
    else:
        own_value = Observation(month, own.value, own.flags)  # type: ignore[arg-type]
        value = value_text(own_value, unit, precision)
        first = f"{metric.label}: {value} in {month.name()}"
        if isinstance(chart, ProcessChart):
            status = spc_status(metric.better, unit, chart, precision)
            first += f", {status}, on an XmR chart of the {spc_window(chart)}."
        elif chart is not None:
            first += f"; no XmR chart, as {chart.reason}."
        else:
            first += "."
    headline = next((c for c in metric_summary.comparisons if c.comparison is not None), None)
    if headline is None or headline.kind not in _HEADLINE_KINDS:
        return first
    current = headline.current
    latest = Observation(month, current.value, current.flags)  # type: ignore[arg-type]
    value = value_text(latest, unit, precision)
    change = window_change_phrase(headline, unit, precision)
    return f"{first} {headline.label(current)}: {value}, {change}."
