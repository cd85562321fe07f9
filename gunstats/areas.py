"""Areas side by side: rates per N people, ranks, changes and a test against the rest.

Pure functions of the figures, like :mod:`gunstats.compute`: no I/O, no printing.

- A **rate** is value x N / population, exact to 60 significant digits (values and
  populations have at most 20 and 11 digits, so no rounding tie can fall on the wrong side);
  it is rounded only when a human format prints it. The population is the period's own
  estimate, else the latest earlier one, and the result says which. Without one the rate is
  ``None`` (``[x]``), never a division error.
- A **rank** is by rate, 1 the highest; equal rates share a rank (1, 2, 2, 4).
- A **change** is on the previous period (year or month): a count and a per cent, or
  percentage points for a ratio.
- **Compared with the rest**: the area's count against the rest of the whole's (the whole
  minus the area) over the rest's population, with the Poisson E-test and population as the
  exposure. A ratio (``ratio_of``) is the ratio of its summed parts and has no population;
  its test would be Fisher's exact test, which gunstats does not have, so it is "not
  tested".
- An area with no value for the period is ``None`` (``[x]``), never zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Context, Decimal
from enum import Enum

from gunstats.compute import percent_change
from gunstats.model import Figures, Flag, Metric, Observation, Unit
from gunstats.model_areas import Area, AreaSeries
from gunstats.periods import FinancialYear, Month
from gunstats.records import record

DEFAULT_PER = 100_000
SIGNIFICANCE_LEVEL = 0.05
SORTS = ("rate", "value", "name", "change")
WHOLE_NAME = "All areas"

_EXACT = Context(prec=60)
_HUNDRED = Decimal(100)


class RestComparison(str, Enum):
    """How an area's rate compares with the rest of the whole's, at the 5% level."""

    HIGHER = "higher"
    LOWER = "lower"
    NOT_DIFFERENT = "not different"
    NOT_TESTED = "not tested"
    """A rate with no test gunstats can do (a ratio of parts): said, never guessed."""


@record
class AreaRow:
    id: str
    name: str
    value: Decimal | None
    """The area's count, or for a ratio its percentage; None where not published."""
    population: int | None
    population_period: str | None
    """Which estimate the rate uses: ``mid-2021`` or ``2021/22``."""
    rate: Decimal | None
    rank: int | None
    previous_period: FinancialYear | Month
    previous_value: Decimal | None
    change: Decimal | None
    """In the metric's unit: a count, or percentage points for a ratio."""
    percent_change: Decimal | None
    """The relative change; None from a zero base or where either value is missing."""
    compared_with_rest: RestComparison | None
    """None where no comparison is possible (no value, population or whole)."""
    p_value: float | None = None
    flags: tuple[Flag, ...] = ()


@record
class Whole:
    value: Decimal | None
    population: int | None
    """The sum of every area's population, where every area has one."""
    rate: Decimal | None
    flags: tuple[Flag, ...] = ()
    previous_value: Decimal | None = None
    change: Decimal | None = None
    percent_change: Decimal | None = None


@record
class AreaTable:
    """One measure in one period, area by area: what every areas renderer draws."""

    figures: Figures
    metric: Metric
    period: FinancialYear | Month
    previous_period: FinancialYear | Month
    per: int | None
    """People per rate (100,000); None for a ratio, whose rate is a percentage."""
    whole: Whole
    areas: tuple[AreaRow, ...]
    """In the order asked for (``sort``)."""
    sort: str = "rate"

    @property
    def is_ratio(self) -> bool:
        return self.metric.ratio_of is not None

    @property
    def ranked(self) -> tuple[AreaRow, ...]:
        """The areas with a rate, highest first."""
        return tuple(sorted((r for r in self.areas if r.rank is not None), key=_by_rate))

    def differing(self, comparison: RestComparison) -> tuple[AreaRow, ...]:
        return tuple(r for r in self.areas if r.compared_with_rest is comparison)


# -- which metrics and periods have areas ----------------------------------------------------


def metrics_with_areas(figures: Figures) -> tuple[Metric, ...]:
    """Count metrics with area values, and ratios whose numerator and denominator have them."""
    return tuple(m for m in figures.metrics if _parts(figures, m) is not None)


def area_periods(figures: Figures, metric: Metric) -> tuple[FinancialYear | Month, ...]:
    """Every period in which some area has a value of ``metric``: years first, then months."""
    parts = _parts(figures, metric) or ()
    years: set[FinancialYear] = set()
    months: set[Month] = set()
    for part in parts:
        for series in part.areas:
            years.update(o.period for o in series.values)
            months.update(o.period for o in series.months)
    if len(parts) == 2:  # a ratio has a value where both of its parts have one
        years &= _periods_of(parts[1], "values")
        months &= _periods_of(parts[1], "months")
    return (*sorted(years), *sorted(months))


def default_period(figures: Figures, metric: Metric) -> FinancialYear | Month | None:
    """The latest financial year with area values, else the latest month."""
    periods = area_periods(figures, metric)
    years = [p for p in periods if isinstance(p, FinancialYear)]
    chosen = years or periods
    return chosen[-1] if chosen else None


def _periods_of(metric: Metric, kind: str) -> set:
    return {o.period for series in metric.areas for o in getattr(series, kind)}


def _parts(figures: Figures, metric: Metric) -> tuple[Metric, ...] | None:
    """The count metrics a metric's area values come from: itself, or a ratio's two parts."""
    if metric.ratio_of is None:
        return (metric,) if metric.unit is Unit.COUNT and metric.areas else None
    parts = (figures.metric(metric.ratio_of.numerator), figures.metric(metric.ratio_of.denominator))
    return parts if all(part.areas for part in parts) else None


# -- the comparison --------------------------------------------------------------------------


def compare_areas(
    figures: Figures,
    metric: Metric,
    period: FinancialYear | Month,
    *,
    per: int = DEFAULT_PER,
    sort: str = "rate",
) -> AreaTable:
    """Every area of the file for ``metric`` in ``period``, ranked by rate and sorted."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    previous = period.previous() if isinstance(period, FinancialYear) else period.shift(-1)
    year = period if isinstance(period, FinancialYear) else period.financial_year
    ratio = metric.ratio_of is not None
    figure = _ratio_figures(figures, metric) if ratio else _count_figures(metric)
    whole_population = _whole_population(figures.areas, year)
    whole_value, whole_flags = figure(None, period)
    whole_earlier, _ = figure(None, previous)
    whole_change = _change(whole_earlier, whole_value)
    whole = Whole(
        value=whole_value,
        population=None if ratio else whole_population,
        rate=whole_value if ratio else _rate(whole_value, whole_population, per),
        flags=whole_flags,
        previous_value=whole_earlier,
        change=whole_change,
        percent_change=None if whole_change is None else percent_change(whole_earlier, whole_value),
    )
    rows = []
    for area in figures.areas:
        value, flags = figure(area.id, period)
        earlier, _ = figure(area.id, previous)
        population = None if ratio else area.population_for(year)
        people = population.value if population is not None else None
        rate = value if ratio else _rate(value, people, per)
        change = _change(earlier, value)
        relative = None if change is None else percent_change(earlier, value)
        if ratio:
            comparison, p_value = (RestComparison.NOT_TESTED if value is not None else None), None
        else:
            comparison, p_value = compare_with_rest(value, people, whole.value, whole.population)
        rows.append(
            AreaRow(
                area.id,
                area.name,
                value,
                people,
                population.label if population is not None else None,
                rate,
                None,
                previous,
                earlier,
                change,
                relative,
                comparison,
                p_value,
                flags,
            )
        )
    ranks = rank_by_rate(rows)
    rows = [row._replace(rank=ranks.get(row.id)) for row in rows]
    return AreaTable(
        figures=figures,
        metric=metric,
        period=period,
        previous_period=previous,
        per=None if ratio else per,
        whole=whole,
        areas=tuple(sort_rows(rows, sort)),
        sort=sort,
    )


def _change(earlier: Decimal | None, later: Decimal | None) -> Decimal | None:
    return None if earlier is None or later is None else later - earlier


def _rate(value: Decimal | None, population: int | None, per: int) -> Decimal | None:
    if value is None or not population:
        return None
    return _EXACT.divide(_EXACT.multiply(value, per), population)


def _whole_population(areas: Sequence[Area], year: FinancialYear) -> int | None:
    total = 0
    for area in areas:
        population = area.population_for(year)
        if population is None:
            return None
        total += population.value
    return total or None


def _lookup(observations: Sequence[Observation]) -> dict:
    return {o.period: o for o in observations}


def _series_lookups(metric: Metric) -> dict:
    """(area id or None for the whole) -> period -> observation, years and months alike."""
    lookups: dict[str | None, dict] = {None: {**_lookup(metric.values), **_lookup(metric.months)}}
    for series in metric.areas:
        lookups[series.area] = {**_lookup(series.values), **_lookup(series.months)}
    return lookups


def _count_figures(metric: Metric):
    lookups = _series_lookups(metric)

    def figure(area_id: str | None, period) -> tuple[Decimal | None, tuple[Flag, ...]]:
        observation = lookups.get(area_id, {}).get(period)
        return (None, ()) if observation is None else (observation.value, observation.flags)

    return figure


def _ratio_figures(figures: Figures, metric: Metric):
    """100 x numerator / denominator, both from the parts: the ratio of the summed counts."""
    ratio = metric.ratio_of
    assert ratio is not None
    numerators = _count_figures(figures.metric(ratio.numerator))
    denominators = _count_figures(figures.metric(ratio.denominator))

    def figure(area_id: str | None, period) -> tuple[Decimal | None, tuple[Flag, ...]]:
        numerator, flags = numerators(area_id, period)
        denominator, more = denominators(area_id, period)
        if numerator is None or not denominator:
            return None, ()
        merged = tuple(f for f in Flag if f in flags or f in more)
        return _EXACT.divide(_EXACT.multiply(numerator, _HUNDRED), denominator), merged

    return figure


def compare_with_rest(
    value: Decimal | None,
    population: int | None,
    whole_value: Decimal | None,
    whole_population: int | None,
) -> tuple[RestComparison | None, float | None]:
    """The area's count over its population against the rest of the whole's: the E-test.

    None where the test cannot be made: a missing value or population, or a rest with no
    people or a negative count (the areas say more than the whole).
    """
    if value is None or not population or whole_value is None or not whole_population:
        return None, None
    rest_value = whole_value - value
    rest_population = whole_population - population
    if rest_value < 0 or rest_population <= 0:
        return None, None
    p_value = _e_test(int(value), population, int(rest_value), rest_population)
    if p_value >= SIGNIFICANCE_LEVEL:
        return RestComparison.NOT_DIFFERENT, p_value
    higher = value * rest_population > rest_value * population  # exact: whole numbers
    return (RestComparison.HIGHER if higher else RestComparison.LOWER), p_value


def _e_test(count: int, people: int, rest_count: int, rest_people: int) -> float:
    """The one place the significance module is called (its signature: counts and exposures)."""
    from gunstats.significance import poisson_e_test

    return poisson_e_test(count, people, rest_count, rest_people)


def rank_by_rate(rows: Sequence[AreaRow]) -> dict[str, int]:
    """Area id -> rank, 1 for the highest rate; equal rates share the better rank."""
    ranks: dict[str, int] = {}
    previous_rate, previous_rank = None, 0
    for position, row in enumerate(sorted((r for r in rows if r.rate is not None), key=_by_rate)):
        if row.rate != previous_rate:
            previous_rate, previous_rank = row.rate, position + 1
        ranks[row.id] = previous_rank
    return ranks


def _by_rate(row: AreaRow):
    return (row.rate is None, -(row.rate or 0), row.name.casefold(), row.id)


def sort_rows(rows: Sequence[AreaRow], sort: str) -> list[AreaRow]:
    """By rate, value or change (highest first, missing last), or by name."""
    if sort == "name":
        return sorted(rows, key=lambda r: (r.name.casefold(), r.id))
    if sort == "rate":
        return sorted(rows, key=_by_rate)
    field = "value" if sort == "value" else "change"
    return sorted(
        rows,
        key=lambda r: (getattr(r, field) is None, -(getattr(r, field) or 0), r.name.casefold()),
    )


# -- one area's own report -------------------------------------------------------------------


def figures_for_area(figures: Figures, area_id: str) -> Figures:
    """The figures as if the file were about one area: each metric's values are the area's.

    Every report, summary and chart then works on it unchanged. Metrics without a value for
    the area are left out; a ratio keeps its published area values if it has them, else its
    yearly values are worked out from its parts (its months always are, by the summary).
    """
    area = next(a for a in figures.areas if a.id == area_id)
    own = {m.id: _own_series(m, area_id) for m in figures.metrics}
    metrics = []
    for metric in figures.metrics:
        series = own[metric.id]
        if metric.ratio_of is None:
            if series.values or series.months:
                metrics.append(
                    metric._replace(values=series.values, months=series.months, areas=())
                )
            continue
        parts = (own[metric.ratio_of.numerator], own[metric.ratio_of.denominator])
        if not all(part.values or part.months for part in parts):
            if series.values:  # published area percentages without parts: shown as given
                metrics.append(metric._replace(values=series.values, months=(), areas=()))
            continue
        values = series.values or _derived_ratio(*parts)
        metrics.append(metric._replace(values=values, months=(), areas=()))
    order = {m.id: i for i, m in enumerate(figures.metrics)}
    metrics.sort(key=lambda m: order[m.id])
    return figures._replace(title=f"{figures.title}: {area.name}", metrics=tuple(metrics), areas=())


def _own_series(metric: Metric, area_id: str) -> AreaSeries:
    return next((s for s in metric.areas if s.area == area_id), AreaSeries(area_id))


def _derived_ratio(numerator: AreaSeries, denominator: AreaSeries) -> tuple[Observation, ...]:
    below = _lookup(denominator.values)
    derived = []
    for top in numerator.values:
        bottom = below.get(top.period)
        if bottom is not None and bottom.value:
            value = _EXACT.divide(_EXACT.multiply(top.value, _HUNDRED), bottom.value)
            flags = tuple(f for f in Flag if f in top.flags or f in bottom.flags)
            derived.append(Observation(top.period, value, flags))
    return tuple(derived)
