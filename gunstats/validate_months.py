"""``gunstats validate``'s warnings about monthly figures: valid, but probably not what was meant.

Owns :class:`Notice`, the one record of such a warning (area warnings use it too), and
:func:`consistency_warnings`: gaps in a monthly series, a ratio's numerator over its
denominator in any period, and financial years whose months disagree with the year given
(a count's months must add up to it; a rate recomputed from its parts' months must round to it).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

from gunstats.errors import printable
from gunstats.model import Figures, Metric, Unit
from gunstats.monthly_windows import Span, aggregate, month_values, sum_months
from gunstats.numbers import format_number, round_half_away
from gunstats.periods import Month, month_of, year_of


class Notice(NamedTuple):
    """A warning about a figures file that is valid but probably not what was meant."""

    path: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        place = self.path if self.line is None else f"{self.path}:{self.line}"
        return printable(f"{place}: warning: {self.where}: {self.message}")


def consistency_warnings(figures: Figures) -> tuple[Notice, ...]:
    """Gaps in monthly series, and financial years whose months disagree with the year given.

    A count's complete April-to-March months must add up to its yearly value; a ratio's
    yearly percentage must match the one recomputed from its parts' months, once rounded to
    the decimal places the year was written with (a published 38 matches 37.7).
    """
    notices: list[Notice] = []
    for metric in figures.metrics:
        notices += _gaps(figures, metric)
        notices += _rates_over_100(figures, metric)
        for year in metric.values:
            where = f"metrics.{metric.id}.values.{year.period}"
            months = year_of(year.period).months()
            span = f"{months[0].name()} to {months[-1].name()}"
            if metric.ratio_of is not None:
                whole = aggregate(figures, metric, Span(months[0], months[-1]))
                if whole.value is None:
                    continue
                exponent = year.value.as_tuple().exponent
                assert isinstance(exponent, int)  # a loaded value is always finite
                places = max(0, -exponent)
                if round_half_away(whole.value, places) != year.value:
                    notices.append(
                        Notice(
                            figures.path,
                            year.line,
                            where,
                            f"recomputed from the months of {metric.ratio_of.numerator} and "
                            f"{metric.ratio_of.denominator}, {span} is "
                            f"{format_number(whole.value, places + 1)}%, but the year is given as "
                            f"{year.value}",
                        )
                    )
            elif metric.unit is Unit.COUNT:
                total, missing = sum_months(month_values(metric), months)
                if not missing and total != year.value:
                    notices.append(
                        Notice(
                            figures.path,
                            year.line,
                            where,
                            f"the months {span} add up to {format_number(total)}, but the year is "
                            f"given as {format_number(year.value)}",
                        )
                    )
    notices.sort(key=lambda n: n.line or 0)
    return tuple(notices)


def _rates_over_100(figures: Figures, metric: Metric) -> list[Notice]:
    """One warning per period (month or year, the whole's or an area's) in which a ratio's
    numerator is larger than its denominator."""
    ratio = metric.ratio_of
    if ratio is None:
        return []
    top, bottom = figures.metric(ratio.numerator), figures.metric(ratio.denominator)
    pairs = [("", top.values, bottom.values), ("", top.months, bottom.months)]
    names = {area.id: area.name for area in figures.areas}
    below = {series.area: series for series in bottom.areas}
    for series in top.areas:
        other = below.get(series.area)
        if other is not None:
            where = f"for {printable(names.get(series.area, series.area))} "
            pairs += [(where, series.values, other.values), (where, series.months, other.months)]
    notices = []
    for where, numerators, denominators in pairs:
        given = {o.period: o.value for o in denominators}
        for observation in numerators:
            denominator = given.get(observation.period)
            if denominator is None or observation.value <= denominator:
                continue
            period = observation.period
            when = f"{month_of(period).name()} ({period})" if isinstance(period, Month) else period
            rate = format_number(Fraction(observation.value) / Fraction(denominator) * 100, 1)
            notices.append(
                Notice(
                    figures.path,
                    observation.line,
                    f"metrics.{metric.id}.ratio_of",
                    f"{where}in {when} {ratio.numerator} is {format_number(observation.value)}, "
                    f"more than {ratio.denominator} ({format_number(denominator)}): a rate of "
                    f"{rate}%, over 100%; it is shown flagged [u] (low reliability)",
                )
            )
    return notices


def _gaps(figures: Figures, metric: Metric) -> list[Notice]:
    """Months missing between a metric's first and last month: shown as [x], never as zero."""
    if len(metric.months) < 2:
        return []
    present = {o.period for o in metric.months}
    first, last = month_of(metric.months[0].period), month_of(metric.months[-1].period)
    missing = [m for m in Span(first, last).months() if m not in present]
    if not missing:
        return []
    after = next(o for o in metric.months if month_of(o.period) > missing[0])
    listed = ", ".join(_runs(missing))
    return [
        Notice(
            figures.path,
            after.line,
            f"metrics.{metric.id}.months",
            f"no value for {listed} (between {first} and {last}); "
            "shown as [x] (not available), never as zero",
        )
    ]


def _runs(months: Sequence[Month]) -> list[str]:
    """``2022-03``, ``2022-05 to 2022-12``: consecutive months as one run."""
    runs: list[list[Month]] = []
    for month in months:
        if runs and runs[-1][-1].ordinal + 1 == month.ordinal:
            runs[-1].append(month)
        else:
            runs.append([month])
    return [str(r[0]) if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in runs]
