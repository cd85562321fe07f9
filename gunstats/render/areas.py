"""``gunstats areas``: the layout the table and Markdown share, and the Markdown itself.

The terminal table (:mod:`gunstats.render.areas_table`) draws the same :class:`AreaLayout`
as the Markdown, so the two can never disagree on a number. Human formats round rates to
one decimal place; JSON (:mod:`~gunstats.render.areas_json`) and CSV
(:mod:`~gunstats.render.areas_csv`) carry full precision.
"""

from __future__ import annotations

import os

from gunstats.areas import WHOLE_NAME, AreaTable, RestComparison
from gunstats.model import Flag, Source, Unit
from gunstats.numbers import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    SHORTHAND_KEY,
    format_number,
    format_percent_change,
    format_prose_count,
    format_signed,
    round_half_away,
)
from gunstats.periods import FinancialYear
from gunstats.records import record
from gunstats.render.layout import CAVEAT, Cell, Table, cite

RATE_PLACES = 1
LOW = "[low]"
LOW_KEY = f"{LOW} a rate above zero that rounds to 0.0"
RANK_KEY = "Rank: 1 is the highest rate; areas with equal rates share a rank."
POINTS_KEY = "pp: percentage points (the change in a percentage)"
WHOLE_KEY = (
    f"{WHOLE_NAME}: the measure's own figure for the whole; its population is the sum of "
    "the areas' populations."
)


@record
class AreaLayout:
    title: str
    file_name: str
    as_of: str | None
    key_points: tuple[str, ...]
    table: Table
    key: tuple[str, ...]
    sources: tuple[Source, ...]
    caveat: str = CAVEAT


def period_text(period) -> str:
    """``2008/09``, or a month as ``January 2023``."""
    return str(period) if isinstance(period, FinancialYear) else period.name()


def measure(table: AreaTable) -> str:
    metric = table.metric
    return f"{metric.label} (%)" if metric.unit is Unit.PERCENT else metric.label


def rate_heading(table: AreaTable) -> str:
    return "Rate (%)" if table.per is None else f"Rate per {table.per:,} people"


def rate_text(rate) -> str:
    if rate is None:
        return NOT_AVAILABLE
    if rate != 0 and round_half_away(rate, RATE_PLACES) == 0:
        return LOW
    return format_number(rate, RATE_PLACES)


def _with_flags(text: str, flags: tuple[Flag, ...]) -> str:
    return text + (" " + "".join(f"[{flag.value}]" for flag in flags) if flags else "")


def value_text(table: AreaTable, value, flags=()) -> str:
    if value is None:
        return NOT_AVAILABLE
    places = RATE_PLACES if table.is_ratio else 0
    return _with_flags(format_number(value, places), flags)


def change_texts(table: AreaTable, change, percent) -> list[str]:
    """The change, and for a count its per cent ([z] from a zero base)."""
    if change is None:
        return [NOT_AVAILABLE] if table.is_ratio else [NOT_AVAILABLE, NOT_AVAILABLE]
    if table.is_ratio:  # a change in a percentage is in points; its per cent is never shown
        return [format_signed(change, RATE_PLACES) + " pp"]
    return [format_signed(change), format_percent_change(percent, RATE_PLACES)]


def build_area_layout(table: AreaTable) -> AreaLayout:
    figures = table.figures
    ratio = table.is_ratio
    labels = sorted({r.population_period for r in table.areas if r.population_period})
    estimate_column = len(labels) > 1
    header = ["Rank", "Area", measure(table)]
    numeric = [True, False, True]
    if not ratio:
        header.append("Population")
        numeric.append(True)
        if estimate_column:
            header.append("Population estimate")
            numeric.append(False)
    header.append(rate_heading(table))
    header.append(f"Change on {period_text(table.previous_period)}")
    numeric += [True, True]
    if not ratio:
        header.append("Change (%)")
        numeric.append(True)
    header.append("Compared with the rest")
    numeric.append(False)

    def cells(rank: str, name: str, row, comparison: str) -> tuple[Cell, ...]:
        found = [rank, name, value_text(table, row.value, row.flags)]
        if not ratio:
            found.append(NOT_AVAILABLE if row.population is None else format_number(row.population))
            if estimate_column:
                found.append(getattr(row, "population_period", None) or NOT_APPLICABLE)
        found.append(rate_text(row.rate))
        found += change_texts(table, row.change, row.percent_change)
        found.append(comparison)
        return tuple(Cell(text, numeric=n) for text, n in zip(found, numeric, strict=True))

    whole = table.whole
    rows = [cells(NOT_APPLICABLE, WHOLE_NAME, whole, NOT_APPLICABLE)]
    for row in table.areas:
        rank = NOT_AVAILABLE if row.rank is None else str(row.rank)
        comparison = (
            NOT_AVAILABLE if row.compared_with_rest is None else row.compared_with_rest.value
        )
        rows.append(cells(rank, row.name, row, comparison))
    grid = Table(
        title=f"{table.metric.label} by area, {period_text(table.period)}",
        header=tuple(header),
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
    )


def _names(rows) -> str:
    names = [row.name for row in rows]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def key_points(table: AreaTable) -> list[str]:
    """The highest and lowest rates, and how many areas differ from the rest."""
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
    if table.per is None:
        points.append(
            "Rates of a ratio are not tested against the rest of the areas: that needs "
            "Fisher's exact test, which gunstats does not have yet"
        )
    else:
        higher = len(table.differing(RestComparison.HIGHER))
        lower = len(table.differing(RestComparison.LOWER))
        same = len(table.differing(RestComparison.NOT_DIFFERENT))
        tested = higher + lower + same
        if tested and not higher + lower:
            points.append(
                "Compared with the rest of the areas, no area's rate was significantly higher or"
                f" lower ({format_prose_count(tested)} tested)"
            )
        elif tested:
            parts = [
                f"{format_prose_count(n)} {word}"
                for n, word in ((higher, "higher"), (lower, "lower"))
                if n
            ]
            points.append(
                f"Compared with the rest of the areas, {format_prose_count(higher + lower)} of "
                f"the {format_prose_count(tested)} areas tested had a significantly different "
                f"rate: {' and '.join(parts)}"
            )
        else:
            points.append(
                "No area could be compared with the rest: that needs the whole's figure and "
                f"every area's population for {period}"
            )
    missing = [row for row in table.areas if row.value is None]
    if missing:
        count = len(missing)
        points.append(
            f"Not published for {period}: {_names(missing)}"
            if count <= 5
            else f"No figure for {period} for {format_prose_count(count)} of the areas ([x])"
        )
    return points


def _key(table: AreaTable, grid: Table, labels: list[str]):
    per = f"{table.per or 0:,}"
    if table.per is None:
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
    yield WHOLE_KEY
    if table.per is not None:
        yield (
            "Compared with the rest: the area's rate against that of all the other areas "
            "together (the whole less the area), by the Poisson E-test at the 5% level; not "
            "different means no statistically significant difference. Each area is tested on "
            "its own, so about 1 in 20 could differ by chance alone."
        )
    else:
        yield "not tested: a ratio's rate is not tested against the rest."
    texts = [cell.text for row in grid.rows for cell in row]
    for code, meaning in SHORTHAND_KEY.items():
        if code == NOT_AVAILABLE:
            meaning = (
                "not available (not published; for a rate, rank or comparison, also where "
                "there is no population to work it out from)"
            )
        if code == NOT_APPLICABLE:
            zero_base = any(r.change is not None and r.percent_change is None for r in table.areas)
            meaning = f"not applicable ({WHOLE_NAME} has no rank and no comparison with the rest"
            meaning += "; a change from zero has no per cent)" if zero_base else ")"
        if any(code in text for text in texts):
            yield f"{code} {meaning}"
    if any(LOW in text for text in texts):
        yield LOW_KEY
    if table.is_ratio:
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


# -- Markdown ---------------------------------------------------------------------------------


def render_markdown(table: AreaTable) -> str:
    from gunstats.prose import provenance
    from gunstats.render.markdown import escape, sources_section
    from gunstats.render.markdown import table as pipe_table

    layout = build_area_layout(table)
    lines = [f"# {escape(layout.title)}", ""]
    lines += [escape(provenance(layout.file_name, layout.as_of, None)), ""]
    lines += [f"- {escape(point)}" for point in layout.key_points]
    lines += ["", f"## {escape(layout.table.title)}", "", *pipe_table(layout.table), ""]
    lines += ["## Key", "", *(f"- {escape(entry)}" for entry in layout.key), ""]
    lines += sources_section(layout.sources)
    lines += ["## Notes", ""]
    for note in table.figures.notes:
        lines += [escape(note), ""]
    lines += [escape(layout.caveat), ""]
    return "\n".join(lines)
