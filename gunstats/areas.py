"""Areas side by side: rates per N people, ranks, changes and a test against the rest.

Pure functions of the figures, like :mod:`gunstats.compute`: no I/O, no printing.

- A **rate** is value x N / population, exact to 60 significant digits (values and
  populations have at most 20 and 11 digits, so no rounding tie can fall on the wrong side);
  it is rounded only when a human format prints it. The population is the period's own
  estimate, else the latest earlier one, and the result says which. Without one the rate is
  ``None`` (``[x]``), never a division error.
- A **rank** is by rate, 1 the highest; equal rates share a rank (1, 2, 2, 4).
- A **change** is on the previous period (year or month): a count and a per cent, or
  percentage points for a ratio, with whether chance explains it (:mod:`gunstats.significance`:
  a Poisson E-test with the days in each period as exposure, or Fisher's exact test on a
  ratio's parts), judged as the report judges its changes (:func:`gunstats.compute.assess`:
  better or worse only when significant).
- **Compared with the rest**: the area against the rest of the whole (the whole less the
  area). A count over its population is compared with the rest's by the Poisson E-test,
  population as exposure; a ratio (``ratio_of``, no population) by Fisher's exact test on
  the area's parts against the rest's parts.
- An area with no value for the period is ``None`` (``[x]``), never zero.

The figures the table is made of (each area's figure for a period, a ratio's worked out from its
parts, and rates per N people) are :mod:`gunstats.area_figures`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import Enum
from typing import NamedTuple

from gunstats.area_figures import AreaFigure, count_figures, rate_per, ratio_figures
from gunstats.compute import Assessment, Direction, assess, percent_change
from gunstats.model import Figures, Flag, Metric
from gunstats.model_areas import Area
from gunstats.periods import FinancialYear, Period
from gunstats.significance import (
    DEFAULT_CONFIDENCE,
    POISSON_E_TEST,
    Count,
    Parts,
    Significance,
    days_in,
    significance_of,
)

DEFAULT_PER = 100_000
CONFIDENCE = DEFAULT_CONFIDENCE
"""The tests' level unless ``--confidence`` says otherwise."""
SORTS = ("rate", "value", "name", "change")
WHOLE_NAME = "All areas"


class RestComparison(str, Enum):
    """How an area's rate compares with the rest of the whole's, at the table's confidence."""

    HIGHER = "higher"
    LOWER = "lower"
    NOT_DIFFERENT = "not different"


class AreaRow(NamedTuple):
    id: str
    name: str
    value: Decimal | None
    """The area's count, or for a ratio its percentage; None where not published."""
    population: int | None
    population_period: str | None
    """Which estimate the rate uses: ``mid-2021`` or ``2021/22``."""
    rate: Decimal | None
    rank: int | None
    previous_period: Period
    previous_value: Decimal | None
    change: Decimal | None
    """In the metric's unit: a count, or percentage points for a ratio."""
    percent_change: Decimal | None
    """The relative change; None from a zero base or where either value is missing."""
    compared_with_rest: RestComparison | None
    """None where no comparison is possible (no value, population or whole)."""
    rest_test: Significance | None = None
    change_test: Significance | None = None
    """Whether the change on the previous period is more than chance; None if untestable."""
    flags: tuple[Flag, ...] = ()
    change_assessment: Assessment | None = None
    """The change judged as the report judges one; None where there is no change to judge."""


class Whole(NamedTuple):
    value: Decimal | None
    population: int | None
    """The sum of every area's population, where every area has one."""
    rate: Decimal | None
    flags: tuple[Flag, ...] = ()
    previous_value: Decimal | None = None
    change: Decimal | None = None
    percent_change: Decimal | None = None
    change_test: Significance | None = None
    change_assessment: Assessment | None = None


class AreaTable(NamedTuple):
    """One measure in one period, area by area: what every areas renderer draws."""

    figures: Figures
    metric: Metric
    period: Period
    previous_period: Period
    per: int | None
    """People per rate (100,000); None for a ratio, whose rate is a percentage."""
    whole: Whole
    areas: tuple[AreaRow, ...]
    """In the order asked for (``sort``)."""
    sort: str = "rate"
    confidence: float = CONFIDENCE
    """The level of every test in the table: of each change and of each area against the rest."""

    @property
    def is_ratio(self) -> bool:
        return self.metric.ratio_of is not None

    @property
    def ranked(self) -> tuple[AreaRow, ...]:
        """The areas with a rate, highest first."""
        return tuple(sorted((r for r in self.areas if r.rank is not None), key=_by_rate))

    def differing(self, comparison: RestComparison) -> tuple[AreaRow, ...]:
        return tuple(r for r in self.areas if r.compared_with_rest is comparison)


# -- the comparison --------------------------------------------------------------------------


def compare_areas(
    figures: Figures,
    metric: Metric,
    period: Period,
    *,
    per: int = DEFAULT_PER,
    sort: str = "rate",
    confidence: float = CONFIDENCE,
) -> AreaTable:
    """Every area of the file for ``metric`` in ``period``, ranked by rate and sorted."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    previous = period.previous() if isinstance(period, FinancialYear) else period.shift(-1)
    year = period if isinstance(period, FinancialYear) else period.financial_year
    ratio = metric.ratio_of is not None
    figure = ratio_figures(figures, metric) if ratio else count_figures(metric)
    now, before = figure(None, period), figure(None, previous)
    whole_population = None if ratio else _whole_population(figures.areas, year)
    change = _change(before.value, now.value)
    whole_test = _change_test(now, period, before, previous, confidence)
    whole = Whole(
        value=now.value,
        population=whole_population,
        rate=now.value if ratio else rate_per(now.value, whole_population, per),
        flags=now.flags,
        previous_value=before.value,
        change=change,
        percent_change=_percent(before.value, now.value),
        change_test=whole_test,
        change_assessment=_assessment(metric, change, whole_test),
    )
    rows = []
    for area in figures.areas:
        now, before = figure(area.id, period), figure(area.id, previous)
        population = None if ratio else area.population_for(year)
        people = None if population is None else population.value
        if ratio:
            test = _rest_of_parts(now.parts, figure(None, period).parts, confidence)
        else:
            test = compare_with_rest(now.value, people, whole.value, whole.population, confidence)
        change = _change(before.value, now.value)
        change_test = _change_test(now, period, before, previous, confidence)
        rows.append(
            AreaRow(
                id=area.id,
                name=area.name,
                value=now.value,
                population=people,
                population_period=None if population is None else population.label,
                rate=now.value if ratio else rate_per(now.value, people, per),
                rank=None,
                previous_period=previous,
                previous_value=before.value,
                change=change,
                percent_change=_percent(before.value, now.value),
                compared_with_rest=test[0],
                rest_test=test[1],
                change_test=change_test,
                flags=now.flags,
                change_assessment=_assessment(metric, change, change_test),
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
        confidence=confidence,
    )


def _change(earlier: Decimal | None, later: Decimal | None) -> Decimal | None:
    return None if earlier is None or later is None else later - earlier


def _percent(earlier: Decimal | None, later: Decimal | None) -> Decimal | None:
    return None if earlier is None or later is None else percent_change(earlier, later)


def _assessment(
    metric: Metric, change: Decimal | None, test: Significance | None
) -> Assessment | None:
    if change is None:
        return None
    direction = Direction.UP if change > 0 else Direction.DOWN if change < 0 else Direction.FLAT
    return assess(direction, metric.better, test)


def _change_test(
    now: AreaFigure, period: Period, before: AreaFigure, previous: Period, confidence: float
) -> Significance | None:
    """Is the change more than chance? Counts over the days of each period, or a ratio's parts."""
    if now.value is None or before.value is None:
        return None
    if now.parts is not None and before.parts is not None:
        return significance_of(Parts(*now.parts), Parts(*before.parts), confidence)
    later, earlier = Count(now.value, days_in(period)), Count(before.value, days_in(previous))
    return significance_of(later, earlier, confidence)


def _whole_population(areas: Sequence[Area], year: FinancialYear) -> int | None:
    total = 0
    for area in areas:
        population = area.population_for(year)
        if population is None:
            return None
        total += population.value
    return total or None


Tested = tuple[RestComparison | None, Significance | None]


def compare_with_rest(
    value: Decimal | None,
    population: int | None,
    whole_value: Decimal | None,
    whole_population: int | None,
    confidence: float = CONFIDENCE,
) -> Tested:
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
    from gunstats.significance import poisson_e_test

    p_value = poisson_e_test(int(value), population, int(rest_value), rest_population)
    test = Significance(POISSON_E_TEST, p_value, confidence, p_value < 1 - confidence)
    higher = value * rest_population > rest_value * population  # exact: whole numbers
    return _verdict(test, higher), test


def _rest_of_parts(
    area: tuple[Decimal, Decimal] | None,
    whole: tuple[Decimal, Decimal] | None,
    confidence: float = CONFIDENCE,
) -> Tested:
    """A ratio's area parts against the rest of the whole's parts: Fisher's exact test."""
    if area is None or whole is None:
        return None, None
    (cases, total), rest = area, (whole[0] - area[0], whole[1] - area[1])
    test = significance_of(Parts(*area), Parts(*rest), confidence)  # None for a rest below 0
    if test is None or not rest[1]:
        return None, None
    return _verdict(test, cases * rest[1] > rest[0] * total), test


def _verdict(test: Significance, higher: bool) -> RestComparison:
    if not test.significant:
        return RestComparison.NOT_DIFFERENT
    return RestComparison.HIGHER if higher else RestComparison.LOWER


def rank_by_rate(rows: Sequence[AreaRow]) -> dict[str, int]:
    """Area id -> rank, 1 for the highest rate; equal rates share the better rank."""
    ranks: dict[str, int] = {}
    previous_rate, previous_rank = None, 0
    for position, row in enumerate(sorted((r for r in rows if r.rate is not None), key=_by_rate)):
        if row.rate != previous_rate:
            previous_rate, previous_rank = row.rate, position + 1
        ranks[row.id] = previous_rank
    return ranks


def _by_rate(row: AreaRow) -> tuple[bool, Decimal, str, str]:
    return (row.rate is None, -(row.rate or Decimal(0)), row.name.casefold(), row.id)


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
