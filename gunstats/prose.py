"""Key points: one plain-English sentence per metric, written from the computed report.

Pure functions: a :class:`~gunstats.compute.MetricReport` in, a plain-text sentence out; no
I/O and no escaping (each renderer escapes for its medium). Numbers go through
:mod:`gunstats.numbers`, so a sentence never disagrees with the table beside it.

The wording follows STATISTICS.md: counts change by per cent ("up 44 (9.2%) on 480 in
2020/21"), percentages by percentage points ("up 18 percentage points from 20% in 2019/20"),
both periods of every comparison are named, and a year with no value is said, not skipped.

Periods are written as markers first and named last, in reading order, so that in GOV.UK
style the first mention of a year is "the financial year ending March 2022" and every later
one "2021 to 2022", whichever order a metric's own sentence template puts them in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import Enum

from gunstats.compute import Comparison, Direction, MetricReport, Report
from gunstats.model import Observation, Unit
from gunstats.numbers import (
    format_prose_count,
    format_prose_magnitude,
    format_prose_percent,
)
from gunstats.periods import FinancialYear, Month, year_of
from gunstats.variation import significance_clause


class PeriodStyle(str, Enum):
    COMPACT = "compact"
    """``2021/22`` everywhere, as the police write it."""
    GOV_UK = "gov-uk"
    """``2021 to 2022``; in prose "the financial year ending March 2022" at first mention."""


def table_period(period: FinancialYear, style: PeriodStyle = PeriodStyle.COMPACT) -> str:
    return period.gov_uk() if style is PeriodStyle.GOV_UK else str(period)


def table_span(
    earlier: FinancialYear, later: FinancialYear, style: PeriodStyle = PeriodStyle.COMPACT
) -> str:
    """Both periods of a comparison in one table cell."""
    if style is PeriodStyle.GOV_UK:
        # "2019 to 2020 to 2020 to 2021" would be unreadable.
        return f"{later.gov_uk()} compared with {earlier.gov_uk()}"
    return f"{earlier} to {later}"


# Figures files cannot hold control characters (the loader refuses them), so NUL-delimited
# markers can never clash with a user's own text.
_MARKER = re.compile("\x00([0-9]+)\x00")


def mark(period: FinancialYear) -> str:
    return f"\x00{period.start}\x00"


class PeriodNamer:
    """Names period markers in reading order, remembering which years were mentioned.

    One namer serves one document, so a year is written in full only at its first mention.
    """

    def __init__(self, style: PeriodStyle = PeriodStyle.COMPACT) -> None:
        self.style = PeriodStyle(style)
        self.mentioned: set[FinancialYear] = set()

    def __call__(self, text: str, *, sentence: bool = True) -> str:
        """Name the markers in ``text``; a ``sentence`` starting with one gets a capital."""
        return _MARKER.sub(lambda match: self._name(match, sentence), text)

    def _name(self, match: re.Match[str], sentence: bool) -> str:
        period = FinancialYear(int(match.group(1)))
        if self.style is PeriodStyle.COMPACT:
            return str(period)
        if period in self.mentioned:
            return period.gov_uk()
        self.mentioned.add(period)
        text = period.ending()
        return text[0].upper() + text[1:] if sentence and match.start() == 0 else text


def name_periods(sentences: Iterable[str], style: PeriodStyle) -> tuple[str, ...]:
    """Replace period markers in reading order: a long first mention in GOV.UK style."""
    namer = PeriodNamer(style)
    return tuple(namer(sentence) for sentence in sentences)


def value_text(observation: Observation, unit: Unit, precision: int, *, words: bool = True) -> str:
    """``524``, ``nine``, ``38%``, ``12.5%``; flags in words: ``524 (provisional)``."""
    if unit is Unit.PERCENT:
        text = format_prose_percent(observation.value, precision)
    else:
        text = format_prose_count(observation.value, words=words)
    if observation.flags:
        text += " (" + ", ".join(flag.meaning for flag in observation.flags) + ")"
    return text


def change_phrase(comparison: Comparison, precision: int, *, words: bool = True) -> str:
    """The change from the earlier value, naming it and its period.

    ``up 44 (9.2%) on 480 in 2020/21``, ``down 87 (30.7%) from 283 in 2019/20``,
    ``up 18 percentage points from 20% in 2019/20``, ``up 1,234 from zero in 2018/19``
    (no percentage from a zero base), ``unchanged from 1,234 in 2019/20``.
    """
    unit = comparison.unit
    earlier = comparison.earlier
    where = f"{value_text(earlier, unit, precision, words=words)} in {mark(comparison.from_year)}"
    if comparison.direction is Direction.FLAT:
        return f"unchanged from {where}"
    verb = comparison.direction.value
    size = abs(comparison.change)
    if unit is Unit.PERCENT:
        points = format_prose_magnitude(size, precision)
        noun = "percentage point" if points == "1" else "percentage points"
        return f"{verb} {points} {noun} from {where}"
    amount = format_prose_count(size, words=words)
    if comparison.percent_change is None:
        return f"{verb} {amount} from {where}"
    relative = format_prose_percent(abs(comparison.percent_change), precision)
    preposition = "on" if comparison.direction is Direction.UP else "from"
    return f"{verb} {amount} ({relative}) {preposition} {where}"


def tested_change_phrase(comparison: Comparison, precision: int, *, words: bool = True) -> str:
    """The change and what its test found: ``up 44 (9.2%) on 480 in 2020/21, which is not a
    statistically significant change`` (never "better" for what chance explains)."""
    return change_phrase(comparison, precision, words=words) + significance_clause(comparison)


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence_fields(
    metric_report: MetricReport,
    *,
    precision: int = 1,
    periods: Sequence[FinancialYear] = (),
    words: bool = True,
    baseline: FinancialYear | None = None,
) -> dict[str, str] | None:
    """The named fields of a key point (see ``SENTENCE_FIELDS``), None with no values.

    ``periods`` are the report's years: a year among them between the metric's first and
    the report's last with no value is "not published"; years before the metric's first
    value are outside its series and not mentioned, unless one is the ``baseline`` asked for.
    """
    metric = metric_report.metric
    observations = metric_report.observations
    if not observations:
        return None
    latest = observations[-1]
    latest_year = year_of(latest.period)
    previous = latest_year.previous()
    year_on_year = next(
        (c for c in metric_report.year_on_year if c.to_period == latest.period), None
    )
    since = metric_report.since_baseline
    if since is not None and year_on_year is not None and since.from_period == previous:
        since = None  # the same comparison twice says nothing new
    published = {o.period for o in observations}
    start = year_of(observations[0].period)
    gaps = [
        p
        for p in periods
        if (p >= start or (p == baseline and p < latest_year)) and p not in published
    ]
    yoy_text = tested_change_phrase(year_on_year, precision, words=words) if year_on_year else ""
    since_text = tested_change_phrase(since, precision, words=words) if since else ""
    gap_text = (_and([mark(p) for p in gaps]) + " not published") if gaps else ""
    # After "..., which is a statistically significant change" a bare "and" would join on
    # to the clause, not to the first change.
    joiner = ", and " if year_on_year and significance_clause(year_on_year) else " and "
    changes = joiner.join(text for text in (yoy_text, since_text) if text)
    if gap_text:
        changes = f"{changes}, with {gap_text}" if changes else f"with {gap_text}"
    return {
        "label": metric.label,
        "noun": metric.noun or metric.label,
        "value": value_text(latest, metric.unit, precision, words=words),
        "period": mark(latest_year),
        "changes": changes,
        "year_on_year": yoy_text,
        "since_baseline": since_text,
        "not_published": gap_text,
    }


def key_point(
    metric_report: MetricReport,
    *,
    precision: int,
    periods: Sequence[FinancialYear],
    words: bool,
    baseline: FinancialYear | None,
) -> str:
    """One sentence with period markers still in it (see :func:`name_periods`)."""
    metric = metric_report.metric
    fields = sentence_fields(
        metric_report, precision=precision, periods=periods, words=words, baseline=baseline
    )
    if fields is None:
        if periods:
            span = f"{mark(periods[0])} to {mark(periods[-1])}"
            return f"{metric.label}: no figures published for {span}"
        return f"{metric.label}: no figures published"
    if metric.sentence:
        return metric.sentence.format(**fields)
    changes = f", {fields['changes']}" if fields["changes"] else ""
    if metric.noun:
        latest = metric_report.observations[-1]
        bare = value_text(latest._replace(flags=()), metric.unit, precision, words=words)
        flags = fields["value"][len(bare) :]  # " (provisional)" follows the noun, not the number
        return f"{bare} {metric.noun}{flags} in {fields['period']}{changes}"
    return f"{metric.label}: {fields['value']} in {fields['period']}{changes}"


def key_points(
    report: Report,
    *,
    precision: int = 1,
    style: PeriodStyle = PeriodStyle.COMPACT,
    words: bool = True,
) -> tuple[str, ...]:
    """One key point per metric, in the report's order, with periods named in ``style``."""
    raw = [
        key_point(
            m, precision=precision, periods=report.periods, words=words, baseline=report.baseline
        )
        for m in report.metrics
    ]
    return name_periods(raw, style)


def long_date(iso: str) -> str:
    """``2024-05-10`` as GOV.UK writes dates: ``10 May 2024``."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {Month(year, month).name()}"


def provenance(file_name: str, as_of: str | None, produced: str | None) -> str:
    """The line saying what a report was made from, and when."""
    made = (
        f"Made on {long_date(produced)} from {file_name}" if produced else f"Made from {file_name}"
    )
    if as_of:
        return f"{made}, figures as of {long_date(as_of)}."
    return f"{made}, which gives no as-of date for its figures."
