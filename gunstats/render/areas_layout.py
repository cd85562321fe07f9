"""``gunstats areas``: what the table and the Markdown show, decided once.

The terminal table (:mod:`gunstats.render.areas_table`) and the Markdown
(:mod:`gunstats.render.areas_markdown`) draw the same :class:`AreaLayout`, so the two can
never disagree on a number. Human formats round rates to one decimal place; JSON
(:mod:`~gunstats.render.areas_json`) and CSV (:mod:`~gunstats.render.areas_csv`) carry full
precision.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import NamedTuple

from gunstats.areas import WHOLE_NAME, AreaRow, AreaTable, RestComparison, Whole
from gunstats.compute import Assessment
from gunstats.model import Flag, Source
from gunstats.numbers import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    SHORTHAND_KEY,
    format_number,
    format_percent_change,
    format_signed,
    round_half_away,
)
from gunstats.periods import FinancialYear, Period
from gunstats.render.layout import (
    NO_STATUS,
    POINTS_KEY,
    Cell,
    Table,
    cite,
    measure_label,
    status_text,
)
from gunstats.significance import Significance
from gunstats.variation import confidence_percent
from gunstats.wording import DEFAULT_CAVEAT, prose_count

RATE_PLACES = 1
LOW = "[low]"
LOW_KEY = f"{LOW} a rate above zero that rounds to 0.0"
RANK_KEY = "Rank: 1 is the highest rate; areas with equal rates share a rank."
SIGNIFICANT = "Significant change?"
_WAYS = (("up", True), ("down", False))


def level(table: AreaTable) -> str:
    """``95% confidence``, in the words the report and summary use."""
    return f"{confidence_percent(table.confidence)} confidence"


class AreaLayout(NamedTuple):
    title: str
    file_name: str
    as_of: str | None
    key_points: tuple[str, ...]
    table: Table
    key: tuple[str, ...]
    sources: tuple[Source, ...]
    notes: tuple[str, ...] = ()
    caveat: str = DEFAULT_CAVEAT
    status: str = NO_STATUS


def period_text(period: Period) -> str:
    """``2008/09``, or a month as ``January 2023``."""
    return str(period) if isinstance(period, FinancialYear) else period.name()


def rate_heading(table: AreaTable) -> str:
    return "Rate (%)" if table.per is None else f"Rate per {table.per:,} people"


def rate_text(rate: Decimal | None) -> str:
    if rate is None:
        return NOT_AVAILABLE
    if rate != 0 and round_half_away(rate, RATE_PLACES) == 0:
        return LOW
    return format_number(rate, RATE_PLACES)


def value_text(table: AreaTable, value: Decimal | None, flags: tuple[Flag, ...] = ()) -> str:
    if value is None:
        return NOT_AVAILABLE
    text = format_number(value, RATE_PLACES if table.is_ratio else 0)
    return text + (" " + "".join(f"[{flag.value}]" for flag in flags) if flags else "")


def change_texts(table: AreaTable, row: AreaRow | Whole) -> list[str]:
    """The change, for a count its per cent ([z] from a zero base), and whether it is real."""
    real = NOT_AVAILABLE if row.change_test is None else _yes_no(row.change_test)
    if row.change is None:
        return [NOT_AVAILABLE] * (2 if table.is_ratio else 3)
    if table.is_ratio:  # a change in a percentage is in points; its per cent is never shown
        return [format_signed(row.change, RATE_PLACES) + " pp", real]
    return [format_signed(row.change), format_percent_change(row.percent_change, RATE_PLACES), real]


def _yes_no(test: Significance) -> str:
    return "yes" if test.significant else "no"


def _header(table: AreaTable, estimate_column: bool) -> list[tuple[str, bool]]:
    """(heading, numeric) for each column."""
    columns = [("Rank", True), ("Area", False), (measure_label(table.metric), True)]
    if not table.is_ratio:
        columns.append(("Population", True))
        if estimate_column:
            columns.append(("Population estimate", False))
    columns += [
        (rate_heading(table), True),
        (f"Change on {period_text(table.previous_period)}", True),
    ]
    if not table.is_ratio:
        columns.append(("Change (%)", True))
    return [*columns, (SIGNIFICANT, False), ("Compared with the rest", False)]


def build_area_layout(table: AreaTable) -> AreaLayout:
    figures = table.figures
    labels = sorted({r.population_period for r in table.areas if r.population_period})
    columns = _header(table, estimate_column=len(labels) > 1)
    numeric = [n for _, n in columns]

    def cells(rank: str, name: str, row: AreaRow | Whole, comparison: str) -> tuple[Cell, ...]:
        found = [rank, name, value_text(table, row.value, row.flags)]
        if not table.is_ratio:
            found.append(NOT_AVAILABLE if row.population is None else format_number(row.population))
            if len(labels) > 1:
                found.append(getattr(row, "population_period", None) or NOT_APPLICABLE)
        found += [rate_text(row.rate), *change_texts(table, row), comparison]
        judged = len(found) - 2  # the Significant change? cell, coloured as the report's are
        return tuple(
            Cell(text, row.change_assessment if i == judged else None, n)
            for i, (text, n) in enumerate(zip(found, numeric, strict=True))
        )

    rows = [cells(NOT_APPLICABLE, WHOLE_NAME, table.whole, NOT_APPLICABLE)]
    for row in table.areas:
        rank = NOT_AVAILABLE if row.rank is None else str(row.rank)
        comparison = row.compared_with_rest
        rows.append(
            cells(rank, row.name, row, NOT_AVAILABLE if comparison is None else comparison.value)
        )
    grid = Table(
        title=f"{table.metric.label} by area, {period_text(table.period)}",
        header=tuple(heading for heading, _ in columns),
        numeric=tuple(numeric),
        rows=tuple(rows),
    )
    sources = _sources(table)
    points = key_points(table)
    points[0] = cite(points[0], list(range(1, len(sources) + 1)))
    return AreaLayout(
        title=figures.title,
        file_name=os.path.basename(figures.path) or figures.path,
        as_of=figures.as_of,
        key_points=tuple(points),
        table=grid,
        key=tuple(_key(table, grid, labels)),
        sources=sources,
        notes=figures.notes,
        caveat=figures.caveat or DEFAULT_CAVEAT,
        status=status_text(figures),
    )


def _names(rows: Sequence[AreaRow]) -> str:
    names = [row.name for row in rows]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _judged(rows: Sequence[AreaRow]) -> str:
    """`` (better)`` or `` (worse)`` after changes one way: a measure has one ``better``."""
    judged = rows[0].change_assessment
    return f" ({judged.value})" if judged in (Assessment.BETTER, Assessment.WORSE) else ""


def key_points(table: AreaTable) -> list[str]:
    """The highest and lowest rates, how many areas differ from the rest, and real changes."""
    period = period_text(table.period)
    unit = "%" if table.per is None else f" per {table.per:,} people"
    ranked = table.ranked
    points = []
    if not ranked:
        why = "no area has a value" if table.per is None else "no area has a value and a population"
        points.append(f"{table.metric.label} in {period}: {why}, so there are no rates to compare")
    elif len(ranked) == 1:
        only = ranked[0]
        points.append(
            f"{table.metric.label} in {period}: only {only.name} has a rate, "
            f"{rate_text(only.rate)}{unit}"
        )
    else:
        top = [r for r in ranked if r.rank == 1]
        bottom = [r for r in ranked if r.rank == ranked[-1].rank]
        shared = " (shared)" if len(top) > 1 else ""
        points.append(
            f"{table.metric.label} in {period}: the highest rate{shared} was "
            f"{_names(top)}'s, {rate_text(top[0].rate)}{unit}, and the lowest "
            f"{_names(bottom)}'s, {rate_text(bottom[-1].rate)}"
        )
    points.append(_rest_point(table, period))
    changes = [row for row in table.areas if row.change_test is not None]
    real = [row for row in changes if row.change_test and row.change_test.significant]
    since = f"Compared with {period_text(table.previous_period)}"
    if changes and not real:
        points.append(
            f"{since}, no area had a statistically significant change "
            f"({prose_count(len(changes))} tested)"
        )
    elif changes:
        ways = [(w, [r for r in real if r.change and (r.change > 0) == up]) for w, up in _WAYS]
        named = "; ".join(f"{way} in {_names(rows)}{_judged(rows)}" for way, rows in ways if rows)
        named = f": {named}" if len(real) <= 5 else ""
        points.append(
            f"{since}, {prose_count(len(real))} of the {prose_count(len(changes))} "
            f"areas tested had a statistically significant change{named}"
        )
    missing = [row for row in table.areas if row.value is None]
    if missing:
        points.append(
            f"Not published for {period}: {_names(missing)}"
            if len(missing) <= 5
            else f"No figure for {period} for {prose_count(len(missing))} of the areas ([x])"
        )
    return points


def _rest_point(table: AreaTable, period: str) -> str:
    higher = len(table.differing(RestComparison.HIGHER))
    lower = len(table.differing(RestComparison.LOWER))
    tested = higher + lower + len(table.differing(RestComparison.NOT_DIFFERENT))
    if not tested:
        needs = "the whole's figure" + (
            " and its parts" if table.is_ratio else " and every area's population"
        )
        return f"No area could be compared with the rest: that needs {needs} for {period}"
    if not higher + lower:
        return (
            "Compared with the rest of the areas, no area's rate was significantly higher or"
            f" lower ({prose_count(tested)} tested)"
        )
    parts = [f"{prose_count(n)} {w}" for n, w in ((higher, "higher"), (lower, "lower")) if n]
    return (
        f"Compared with the rest of the areas, {prose_count(higher + lower)} of the "
        f"{prose_count(tested)} areas tested had a significantly different rate: "
        f"{' and '.join(parts)}"
    )


def _key(table: AreaTable, grid: Table, labels: list[str]) -> Iterator[str]:
    per = f"{table.per or 0:,}"
    ratio = table.metric.ratio_of
    if ratio is not None:
        yield "Rate: the ratio's percentage, worked out from the summed counts of its parts."
    elif len(labels) == 1:
        yield f"Rate: per {per} people, from the {labels[0]} population estimates."
    elif labels:
        yield (
            f"Rate: per {per} people, from each area's own estimate for the period or the "
            "latest before it (see Population estimate)."
        )
    else:
        yield f"Rate: per {per} people, where the file gives an area's population."
    yield RANK_KEY
    whole = f"{WHOLE_NAME}: the measure's own figure for the whole"
    yield whole + ("." if ratio else "; its population is the sum of the areas' populations.")
    parts = [table.figures.metric(part).label for part in ratio] if ratio else []
    test = (
        f"Fisher's exact test on the counts ({parts[0]} out of {parts[1]})"
        if ratio
        else "Poisson E-test, with the days in each period as exposure"
    )
    yield (
        f"{SIGNIFICANT}: yes where the change on {period_text(table.previous_period)} is larger "
        f"than chance would explain at {level(table)} ({test}); no means no statistically "
        "significant change."
    )
    rest = (
        "Fisher's exact test on the area's counts against the rest's"
        if ratio
        else "Poisson E-test, with population as exposure"
    )
    yield (
        "Compared with the rest: the area's rate against that of all the other areas "
        f"together (the whole less the area), at {level(table)} ({rest}); not different means no "
        "statistically significant difference. Each area is tested on its own, so about 1 in "
        "20 could differ by chance alone."
    )
    texts = [cell.text for row in grid.rows for cell in row]
    for code, meaning in SHORTHAND_KEY.items():
        if code == LOW:
            continue  # LOW_KEY below says it for a rate
        if code == NOT_AVAILABLE:
            meaning = (
                "not available (not published; for a rate, rank, test or comparison, also "
                "where the figures to work it out from are missing)"
            )
        if code == NOT_APPLICABLE:
            zero_base = any(r.change is not None and r.percent_change is None for r in table.areas)
            meaning = f"not applicable ({WHOLE_NAME} has no rank and no comparison with the rest"
            meaning += "; a change from zero has no per cent)" if zero_base else ")"
        if any(code in text for text in texts):
            yield f"{code} {meaning}"
    if any(LOW in text for text in texts):
        yield LOW_KEY
    if ratio:
        yield POINTS_KEY


def _sources(table: AreaTable) -> tuple[Source, ...]:
    metric = table.metric
    metrics = [metric]
    if metric.ratio_of is not None:
        figures = table.figures
        metrics += [figures.metric(metric.ratio_of.numerator)]
        metrics += [figures.metric(metric.ratio_of.denominator)]
    refs = []
    for item in metrics:
        refs.append(item.source)
        refs += [o.source for o in item.values if o.period == table.period]
        for series in item.areas:
            refs += [o.source for o in (*series.values, *series.months) if o.period == table.period]
    used = dict.fromkeys(ref for ref in refs if ref is not None)
    return tuple(table.figures.source(ref) for ref in used)
