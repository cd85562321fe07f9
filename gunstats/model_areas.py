"""The records of a file's areas (``areas:``, and each metric's values by area).

Apart from :mod:`gunstats.model` so that a file without areas, which is most of them, is
read and reported without creating these classes (each record class costs start-up time).
"""

from typing import NamedTuple

from gunstats.model import Observation
from gunstats.periods import FinancialYear


class Population(NamedTuple):
    """One population estimate of an area, and the financial years it is the latest for."""

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


class Area(NamedTuple):
    """A police force, borough or ward named under the file's ``areas:``."""

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


class AreaSeries(NamedTuple):
    """One area's values of one metric, read like the metric's own."""

    area: str
    """The area's id (a key of the file's ``areas:``)."""
    values: tuple[Observation, ...] = ()
    months: tuple[Observation, ...] = ()
    line: int | None = None
