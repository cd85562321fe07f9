"""Key points: one plain-English sentence per metric, written from the computed report.

Pure functions: a :class:`~gunstats.compute.MetricReport` in, a plain-text sentence out; no
I/O and no escaping (each renderer escapes for its medium). Numbers and the words around them
go through :mod:`gunstats.wording`, so a sentence never disagrees with the table beside it.

The wording follows docs/conventions.md (C1, C7, C8 to C18): figures are numerals; counts
change by per cent ("up 44 (9.2%) from 480 in 2020/21"), percentages by percentage points ("up
18 percentage points from 20% in 2019/20"); the percentages of one sentence share their
decimal places; both periods of every comparison are named, and a year with no value is said,
not skipped.

Periods are written as markers first and named last, in reading order, so that in ``gov-uk``
and ``ons`` style the first mention of a year is "the financial year ending March 2022" and
every later one "the year ending March 2022", whichever order a metric's own sentence template
puts them in.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from gunstats.compute import Comparison, Direction, MetricReport, Report
from gunstats.model import SENTENCE_FIELDS, Figures, Observation, Unit
from gunstats.periods import FinancialYear, PeriodStyle, year_of
from gunstats.variation import significance_clause
from gunstats.wording import (
    capitalise,
    common_places,
    comparison_phrase,
    financial_year_name,
    format_date,
    prose_count,
    prose_percent,
    prose_points,
    starts_with_numeral,
    with_article,
)

if TYPE_CHECKING:
    from gunstats.numbers import Exact


def table_period(period: FinancialYear, style: PeriodStyle = PeriodStyle.COMPACT) -> str:
    """A column heading: ``2021/22``, ``Year ending March 2022``."""
    return capitalise(financial_year_name(period, style.value))


def table_span(
    earlier: FinancialYear, later: FinancialYear, style: PeriodStyle = PeriodStyle.COMPACT
) -> str:
    """Both periods of a comparison in one table cell, the later first (C7):
    ``2021/22 compared with 2019/20``, ``Year ending March 2022 compared with the year ending
    March 2020``."""
    later_name = financial_year_name(later, style.value)
    return capitalise(comparison_phrase(later_name, financial_year_name(earlier, style.value)))


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
        first = period not in self.mentioned
        self.mentioned.add(period)
        text = with_article(financial_year_name(period, self.style.value, first=first))
        return capitalise(text) if sentence and match.start() == 0 else text


def name_periods(sentences: Iterable[str], style: PeriodStyle) -> tuple[str, ...]:
    """Replace period markers in reading order: a long first mention in gov-uk and ons style."""
    namer = PeriodNamer(style)
    return tuple(namer(sentence) for sentence in sentences)


def value_text(observation: Observation, unit: Unit, places: int) -> str:
    """``524``, ``9``, ``38%``, ``12.5%`` (percentages at ``places``); flags in words:
    ``524 (provisional)``."""
    if unit is Unit.PERCENT:
        text = prose_percent(observation.value, places)
    else:
        text = prose_count(observation.value)
    if observation.flags:
        text += " (" + ", ".join(flag.meaning for flag in observation.flags) + ")"
    return text


def phrase_percentages(comparison: Comparison) -> list[Exact]:
    """The percentages and percentage-point sizes a change phrase shows (C12)."""
    if comparison.unit is Unit.PERCENT:
        return [comparison.earlier.value, abs(comparison.change)]
    if comparison.percent_change is None or comparison.direction is Direction.FLAT:
        return []
    return [abs(comparison.percent_change)]


def change_phrase(comparison: Comparison, precision: int, *, places: int | None = None) -> str:
    """The change from the earlier value, naming it and its period: the one place a change
    is put into words, so that anything said about a change is said alike everywhere.

    ``up 44 (9.2%) from 480 in 2020/21``, ``down 87 (30.7%) from 283 in 2019/20``,
    ``up 18 percentage points from 20% in 2019/20``, ``up 1,234 from 0 in 2018/19``
    (no percentage from a zero base), ``unchanged from 1,234 in 2019/20``. ``places`` is the
    decimal places its sentence gives every percentage (C12); by default, the phrase's own.
    """
    if places is None:
        places = common_places(phrase_percentages(comparison), precision)
    unit = comparison.unit
    where = f"{value_text(comparison.earlier, unit, places)} in {mark(comparison.from_year)}"
    if comparison.direction is Direction.FLAT:
        return f"unchanged from {where}"
    verb = comparison.direction.value
    if unit is Unit.PERCENT:
        return f"{verb} {prose_points(comparison.change, places)} from {where}"
    amount = prose_count(abs(comparison.change))
    if comparison.percent_change is None:
        return f"{verb} {amount} from {where}"
    relative = prose_percent(abs(comparison.percent_change), places)
    return f"{verb} {amount} ({relative}) from {where}"


def tested_change_phrase(
    comparison: Comparison, precision: int, *, places: int | None = None
) -> str:
    """The change and what its test found: ``up 44 (9.2%) from 480 in 2020/21, which is not
    a statistically significant change`` (never "better" for what chance explains)."""
    return change_phrase(comparison, precision, places=places) + significance_clause(comparison)


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence_fields(
    metric_report: MetricReport,
    *,
    precision: int = 1,
    periods: Sequence[FinancialYear] = (),
    baseline: FinancialYear | None = None,
) -> dict[str, str] | None:
    """The named fields of a key point (see ``SENTENCE_FIELDS``), None with no values.

    ``periods`` are the report's years: a year among them between the metric's first and
    the report's last with no value is "not published"; years before the metric's first
    value are outside its series and not mentioned, unless one is the ``baseline`` asked for.
    Every percentage in the fields shares one number of decimal places (C12).
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
    shown: list[Exact] = [latest.value] if metric.unit is Unit.PERCENT else []
    for comparison in (year_on_year, since):
        shown += phrase_percentages(comparison) if comparison else []
    places = common_places(shown, precision)
    yoy_text = tested_change_phrase(year_on_year, precision, places=places) if year_on_year else ""
    since_text = tested_change_phrase(since, precision, places=places) if since else ""
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
        "value": value_text(latest, metric.unit, places),
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
    baseline: FinancialYear | None,
) -> str:
    """One sentence with period markers still in it (see :func:`name_periods`).

    A count with a ``noun`` reads "There were 196 shootings in 2021/22, ..." rather than
    opening with a figure (C10); a count of one reads "There was one fatal shooting" with
    the metric's ``noun_singular``, and without one falls back to the label's wording, so the
    noun always agrees with its number (C9, C11).
    """
    metric = metric_report.metric
    fields = sentence_fields(metric_report, precision=precision, periods=periods, baseline=baseline)
    if fields is None:
        if periods:
            span = f"{mark(periods[0])} to {mark(periods[-1])}"
            return f"{metric.label}: no figures published from {span}"
        return f"{metric.label}: no figures published"
    if metric.sentence:
        return metric.sentence.format(**fields)
    changes = f", {fields['changes']}" if fields["changes"] else ""
    latest = metric_report.observations[-1]
    if metric.noun and metric.unit is Unit.COUNT and (latest.value != 1 or metric.noun_singular):
        bare = prose_count(latest.value)
        flags = fields["value"][len(bare) :]  # " (provisional)" follows the noun, not the number
        if latest.value == 1:
            return f"There was one {metric.noun_singular}{flags} in {fields['period']}{changes}"
        return f"There were {bare} {metric.noun}{flags} in {fields['period']}{changes}"
    return f"{metric.label}: {fields['value']} in {fields['period']}{changes}"


def key_points(
    report: Report,
    *,
    precision: int = 1,
    style: PeriodStyle = PeriodStyle.COMPACT,
) -> tuple[str, ...]:
    """One key point per metric, in the report's order, with periods named in ``style``."""
    raw = [
        key_point(m, precision=precision, periods=report.periods, baseline=report.baseline)
        for m in report.metrics
    ]
    return name_periods(raw, style)


def sentence_warnings(figures: Figures) -> list[tuple[str, str]]:
    """(where, message) for each metric ``sentence`` that would open with a figure (C10).

    An owner's sentence is never rewritten, so ``gunstats validate`` says so instead: in the
    default style "{period}: ..." opens with "2022/23", and "{value} ..." with the value.
    """
    sample = dict.fromkeys(SENTENCE_FIELDS, "x") | {"value": "12", "period": "2022/23"}
    found = []
    for metric in figures.metrics:
        if not metric.sentence:
            continue
        fields = sample | {"label": metric.label, "noun": metric.noun or metric.label}
        if starts_with_numeral(metric.sentence.format(**fields)):
            found.append(
                (
                    f"metrics.{metric.id}.sentence",
                    "opens with a figure (such as 2022/23 or 12) in the default period style; "
                    "a sentence should not start with a numeral, so reword it, for example "
                    '"In {period}, ..." (docs/conventions.md C10)',
                )
            )
    return found


def long_date(iso: str) -> str:
    """``2024-05-10`` as GOV.UK and ONS write dates (C14): ``10 May 2024``."""
    return format_date(datetime.date.fromisoformat(iso))


def provenance(file_name: str, as_of: str | None, produced: str | None) -> str:
    """The line saying what a report was made from, and when."""
    made = (
        f"Made on {long_date(produced)} from {file_name}" if produced else f"Made from {file_name}"
    )
    if as_of:
        return f"{made}, figures as of {long_date(as_of)}."
    return f"{made}, which gives no as-of date for its figures."
