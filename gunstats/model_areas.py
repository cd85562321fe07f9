"""Areas (police forces, boroughs, wards) and their populations: records the loader builds.

Kept apart from :mod:`gunstats.model` only so that the areas work (issue 12) could be merged
beside a refactor of that module; they belong there, and :class:`~gunstats.model.Figures`
and :class:`~gunstats.model.Metric` carry them in their ``areas`` fields.

A file's ``areas:`` mapping names each area and gives its population estimates; a metric's
own ``areas:`` block gives each area's values beside the metric's ``values``, which stay the
whole (the region, the force, the country).
"""

from __future__ import annotations

from gunstats.model import Observation
from gunstats.periods import FinancialYear
from gunstats.records import record


@record
class Population:
    """One population estimate, and the financial years it is the latest estimate for."""

    period: FinancialYear
    """The first financial year that uses it: the year itself, or for a mid-year estimate
    (keyed ``2021``) the financial year that 30 June falls in (``2021/22``)."""
    value: int
    written: str
    """The key as written: ``2021`` (a mid-year estimate) or a financial year."""
    line: int | None = None

    @property
    def label(self) -> str:
        """``mid-2021`` for a mid-year estimate, ``2021/22`` for a financial year's."""
        return f"mid-{self.written}" if self.written.isdigit() else str(self.period)


@record
class Area:
    id: str
    name: str
    populations: tuple[Population, ...] = ()
    """In period order, at most one per financial year."""
    line: int | None = None

    def population_for(self, period: FinancialYear) -> Population | None:
        """The period's own estimate, else the latest earlier one; None if there is none."""
        chosen = None
        for population in self.populations:
            if population.period > period:
                break
            chosen = population
        return chosen


@record
class AreaSeries:
    """One area's values of one metric, read like the metric's own."""

    area: str
    """The area's id (a key of the file's ``areas:``)."""
    values: tuple[Observation, ...] = ()
    months: tuple[Observation, ...] = ()
    line: int | None = None
