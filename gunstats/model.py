"""The figures as plain, immutable objects: what the loader builds and everything else reads.

Values are :class:`~decimal.Decimal` exactly as written in the file, so that ``37.5`` stays
``37.5`` and no binary-float error creeps in before the final rounding.
"""

import os
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from gunstats.periods import Period

if TYPE_CHECKING:
    from gunstats.model_areas import Area, AreaSeries


class Unit(str, Enum):
    """What a value measures. Counts change by per cent; percentages by percentage points."""

    COUNT = "count"
    PERCENT = "percent"


class Better(str, Enum):
    """Which way is an improvement, so colour and wording follow meaning, not sign."""

    UP = "up"
    DOWN = "down"
    NEITHER = "neither"


class Flag(str, Enum):
    """GSS shorthand that can be attached to a single value."""

    PROVISIONAL = "p"
    REVISED = "r"
    ESTIMATED = "e"
    BREAK = "b"
    # Set by gunstats, never read from a file:
    DERIVED = "d"
    """A financial year the file gives only as its 12 months: their sum (a rate: from the
    summed parts)."""
    LOW_RELIABILITY = "u"
    """A rate over 100%, or worked out over a month that is: its numerator exceeds its
    denominator."""

    @property
    def meaning(self) -> str:
        return _FLAG_MEANINGS[self]

    @property
    def computed(self) -> bool:
        """Whether gunstats sets the flag itself (a file cannot)."""
        return self in (Flag.DERIVED, Flag.LOW_RELIABILITY)


_FLAG_MEANINGS = {
    Flag.PROVISIONAL: "provisional",
    Flag.REVISED: "revised",
    Flag.ESTIMATED: "estimated",
    Flag.BREAK: "break in series",
    Flag.DERIVED: "derived from months",
    Flag.LOW_RELIABILITY: "low reliability",
}


class Source(NamedTuple):
    id: str
    title: str
    publisher: str | None = None
    url: str | None = None
    published: str | None = None
    note: str | None = None


class Observation(NamedTuple):
    """One published value of a metric for one period."""

    period: Period
    """A :class:`FinancialYear` in ``Metric.values``, a :class:`Month` in ``Metric.months``."""
    value: Decimal
    flags: tuple[Flag, ...] = ()
    source: str | None = None
    note: str | None = None
    line: int | None = None


SENTENCE_FIELDS = {
    "label": "the metric's label",
    "noun": "the metric's noun (its label if it has none)",
    "value": "the latest value, such as 524 or 38%",
    "period": "the latest value's financial year",
    "changes": "every change and gap, such as 'up 44 (9.2%) from 480 in 2020/21' (may be empty)",
    "year_on_year": "the change on the previous year (empty if there is none)",
    "since_baseline": "the change since the baseline year (empty if there is none)",
    "not_published": "the years in the report with no value, such as '2020/21 not published'",
}
"""The named fields a metric's ``sentence`` may use, each with what it holds."""


class Ratio(NamedTuple):
    """A percentage defined as 100 * numerator / denominator, both count metrics (by id).

    Over several months the rate is worked out from the summed counts, never by averaging
    the monthly percentages (docs/conventions.md C21).
    """

    numerator: str
    denominator: str


class Metric(NamedTuple):
    id: str
    label: str
    unit: Unit
    better: Better
    source: str | None = None
    description: str | None = None
    values: tuple[Observation, ...] = ()
    """Financial-year values, in period order: as given in the file, and for a report or a
    chart also the years given only as 12 months (see ``compute.with_derived_years``)."""
    noun: str | None = None
    """What the value counts, for key points: ``lethal firearms seized``."""
    noun_singular: str | None = None
    """The noun for a count of one, ``fatal shooting``; without it a key point for a value
    of 1 falls back to the label's wording, so that the noun never disagrees with it."""
    caveat: str | None = None
    """What a reader must know about this measure's figures, printed under the report."""
    sentence: str | None = None
    """A key-point sentence with named fields (see :data:`SENTENCE_FIELDS`)."""
    months: tuple[Observation, ...] = ()
    """Calendar-month values, in period order."""
    ratio_of: Ratio | None = None
    """For a percentage: the two count metrics it is the ratio of, if declared."""
    areas: "tuple[AreaSeries, ...]" = ()
    """Each area's values; the metric's own ``values`` and ``months`` stay the whole."""


SHIPPED_FIGURES = os.path.join(os.path.dirname(__file__), "figures.yaml")
"""The example figures that ship with gunstats, read when no other file is named or found."""


class Figures(NamedTuple):
    title: str
    metrics: tuple[Metric, ...]
    sources: tuple[Source, ...] = ()
    path: str = "figures.yaml"
    """The file's name for messages and reports, never for opening: the loader writes any
    control or format character in it as an escape (``\\x1b``), so a hostile file name cannot
    drive a terminal or hide in a report."""
    description: str | None = None
    as_of: str | None = None
    notes: tuple[str, ...] = ()
    status: str | None = None
    """One of :data:`gunstats.wording.STATUSES`, or None where the file does not say."""
    caveat: str | None = None
    """The file's own caveat, in place of :data:`gunstats.wording.DEFAULT_CAVEAT`."""
    contact: str | None = None
    """Who answers questions about the figures (a name, an email): on the xlsx cover sheet."""
    areas: "tuple[Area, ...]" = ()
    """The areas named under ``areas:``, in file order."""

    @property
    def file_name(self) -> str:
        """How a report names what it was made from: the shipped example is said to be one."""
        if self.path == SHIPPED_FIGURES:
            return "the example figures file shipped with gunstats"
        return os.path.basename(self.path) or self.path

    def metric(self, metric_id: str) -> Metric:
        for metric in self.metrics:
            if metric.id == metric_id:
                return metric
        raise KeyError(metric_id)

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)
