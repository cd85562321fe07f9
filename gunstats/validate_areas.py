"""Reading and checking areas: the file's ``areas:`` mapping and each metric's ``areas:`` block.

The validator (:mod:`gunstats.validate`) hands these nodes over as it meets them, and the
problems go into its list the same way: every one with its line, a near match where a name
is misspelt, all of them in one pass. Only files that have areas import this module.

```yaml
areas:
  cleveland:
    name: Cleveland
    population: {2008: 557000}        # a mid-2008 estimate, used from 2008/09 on
metrics:
  firearm_offences:
    values: {2008/09: 107}             # the whole
    areas:
      cleveland: {values: {2008/09: 34}}
```

:func:`area_warnings` is the check ``gunstats validate`` adds for areas: where every area
has a value for a period, their sum should be the whole's value.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from gunstats.errors import shorten
from gunstats.model import Figures, Observation, Unit
from gunstats.model_areas import Area, AreaSeries, Population
from gunstats.periods import FinancialYear, PeriodError, parse_financial_year, parse_month
from gunstats.readers import Entries, given, join
from gunstats.readers_hints import describe
from gunstats.validate import IDENTIFIER
from gunstats.yaml_tree import Node, ScalarNode

if TYPE_CHECKING:
    from gunstats.validate import Validator
    from gunstats.validate_months import Notice

AREA_KEYS = ("name", "population")
SERIES_KEYS = ("values", "months")
MAX_POPULATION = 10**10
"""More people than live on Earth: a population this large is a typing error."""
_EXPECTED = "a population: a whole number above 0"


class AreaReader:
    """Reads the areas of one file for a :class:`~gunstats.validate.Validator`, reporting
    through it."""

    def __init__(self, validator: Validator) -> None:
        self.v = validator
        self.areas: tuple[Area, ...] = ()
        self.declared: set[str] | None = None
        """Every id under ``areas:``, even one with a problem (so it is not also "unknown");
        None while the file has no ``areas:`` mapping."""

    # -- the file's areas: mapping -----------------------------------------------------------

    def read(self, node: Node) -> None:
        entries = self.v.mapping(node, "areas")
        self.declared = set(entries or {})
        if entries is not None and not entries:
            self.v.problem(node, "areas", "has no areas (expected at least one, or no 'areas:')")
        areas: list[Area] = []
        names: dict[str, Area] = {}
        for area_id, (key_node, value_node) in (entries or {}).items():
            area = self.area(area_id, key_node, value_node)
            if area is None:
                continue
            folded = " ".join(area.name.split()).casefold()
            if folded in names:
                first = names[folded]
                self.v.problem(
                    key_node,
                    join(join("areas", area_id), "name"),
                    f"{area.name!r} is the name of area {first.id!r} too ({first.name!r}, line "
                    f"{first.line}); two areas cannot share a name",
                )
                continue
            names[folded] = area
            areas.append(area)
        self.areas = tuple(areas)

    def area(self, area_id: str, key_node: Node, node: Node) -> Area | None:
        where = join("areas", area_id)
        if not IDENTIFIER.fullmatch(area_id):
            self.v.problem(
                key_node,
                where,
                "an area id starts with a letter and has only letters, digits, '_' and '-'",
            )
            return None
        fields = self.v.mapping(node, where, AREA_KEYS)
        if fields is None:
            return None
        if not given(fields, "name"):  # null is "not given": never an area dropped in silence
            self.v.problem(
                fields["name"][1] if "name" in fields else key_node,
                join(where, "name"),
                "missing (every area needs a name)",
            )
        name = self.v.field(fields, where, "name", self.v.text)
        populations = self.v.field(fields, where, "population", self.populations) or ()
        if name is None:
            return None
        return Area(area_id, name, populations, key_node.line + 1)

    def populations(self, node: Node, where: str) -> tuple[Population, ...]:
        """``{2021: 1434300, 2022/23: 1438600}``: mid-year estimates or financial years'."""
        pairs = self.v.pairs(node, where, "a mapping of years to populations")
        seen: dict[FinancialYear, Population] = {}
        for key_node, value_node in pairs or ():
            period, written = self.population_period(key_node, where)
            if period is None or written is None:
                continue
            key_where = join(where, written)
            if period in seen:
                first = seen[period]
                how = f"as {first.written}"
                if first.written.isdigit() or written.isdigit():
                    mid = first.written if first.written.isdigit() else written
                    how += f"; the mid-{mid} estimate counts from {period}"
                self.v.problem(
                    key_node,
                    key_where,
                    f"a population for {period} is given twice (first at line {first.line} "
                    f"{how}); keep one",
                )
                continue
            value = self.population(value_node, key_where)
            if value is not None:
                seen[period] = Population(period, value, written, key_node.line + 1)
        return tuple(sorted(seen.values(), key=lambda p: p.period))

    def population_period(self, node: Node, where: str) -> tuple[FinancialYear | None, str | None]:
        """The financial year a population key counts from, and the key as written."""
        if not isinstance(node, ScalarNode):
            self.v.problem(node, where, f"a key must be a year, found {describe(node)}")
            return None, None
        text = node.value.strip()
        calendar_year = len(text) == 4 and text.isascii() and text.isdigit()
        try:
            if calendar_year:  # the mid-year (30 June) estimate, in that financial year
                return parse_financial_year(f"{text}/{(int(text) + 1) % 100:02d}"), text
            return parse_financial_year(text), text
        except PeriodError as error:
            hint = (
                "" if calendar_year else "; or a calendar year such as 2021 for a mid-year estimate"
            )
            self.v.problem(node, join(where, text), f"{error}{hint}")
            return None, None

    def population(self, node: Node, where: str) -> int | None:
        """A whole number above 0, read as a number by the one reader of numbers."""
        read = self.v.decimal(node, where, _EXPECTED)
        if read is None:
            return None
        value, text = read
        if value < 0:
            self.v.problem(node, where, f"{text} is negative (expected {_EXPECTED})")
        elif value == 0:
            self.v.problem(
                node,
                where,
                f"0 is not a population (expected {_EXPECTED}; leave the year out if there is"
                " no estimate)",
            )
        elif value != value.to_integral_value():
            self.v.problem(node, where, f"{text} is not a whole number (expected {_EXPECTED})")
        elif value > MAX_POPULATION:
            self.v.problem(
                node, where, f"{text} is implausibly large for a population (expected {_EXPECTED})"
            )
        else:
            return int(value)
        return None

    # -- a metric's areas: block -------------------------------------------------------------

    def metric_areas(
        self, metric_id: str, fields: Entries, unit: Unit | None, source_ids: set[str]
    ) -> tuple[AreaSeries, ...]:
        key_node, node = fields["areas"]
        where = join(join("metrics", metric_id), "areas")
        if unit is Unit.PERCENT and not given(fields, "ratio_of"):
            self.v.problem(
                key_node,
                where,
                "a percentage cannot be compared across areas without its parts: declare "
                "ratio_of (numerator and denominator count metrics) and give each area's "
                "counts there",
            )
            return ()
        entries = self.v.mapping(node, where)
        series = []
        for area_id, (area_key, area_node) in (entries or {}).items():
            area_where = join(where, area_id)
            if self.declared is None or area_id not in self.declared:
                self.v.problem(area_key, area_where, self._unknown(area_id))
                continue
            block = self.v.mapping(area_node, area_where, SERIES_KEYS)
            if block is None or unit is None:
                continue
            if "months" in block and given(fields, "ratio_of"):
                self.v.problem(
                    block["months"][0],
                    join(area_where, "months"),
                    "a ratio takes its monthly values from its numerator and denominator; "
                    "give the area's months there, not here",
                )
                continue
            read: dict[str, tuple[Observation, ...]] = {"values": (), "months": ()}
            for kind, parse_period in (("values", parse_financial_year), ("months", parse_month)):
                if kind in block:
                    read[kind] = self.v.observations(
                        block[kind][1], join(area_where, kind), unit, source_ids, parse_period
                    )
            series.append(AreaSeries(area_id, read["values"], read["months"], area_key.line + 1))
        return tuple(series)

    def _unknown(self, area_id: str) -> str:
        if not self.declared:
            return (
                f"no area {shorten(area_id)!r}: the file has no 'areas:' mapping naming its areas"
            )
        hint = self.v.suggest(area_id, sorted(self.declared))
        return f"no area {shorten(area_id)!r} under 'areas'{hint}"


# -- validate's warnings ---------------------------------------------------------------------


def area_warnings(figures: Figures) -> tuple[Notice, ...]:
    """Periods where every area has a count and they do not add up to the whole's value.

    Valid, but probably not what was meant: an area left out of the file, a typing error,
    or areas that overlap. Ratios are left out: their parts are counts and are checked.
    """
    if not figures.areas:
        return ()
    from gunstats.validate_months import Notice

    notices = []
    names = [area.id for area in figures.areas]
    for metric in figures.metrics:
        if metric.unit is not Unit.COUNT or not metric.areas:
            continue
        by_area = {series.area: series for series in metric.areas}
        if any(area_id not in by_area for area_id in names):
            continue
        for kind, whole in (("values", metric.values), ("months", metric.months)):
            parts = [{o.period: o.value for o in getattr(by_area[a], kind)} for a in names]
            for observation in whole:
                period = observation.period
                if any(period not in values for values in parts):
                    continue
                total = sum((values[period] for values in parts), Decimal(0))
                if total != observation.value:
                    notices.append(
                        Notice(
                            figures.path,
                            observation.line,
                            f"metrics.{metric.id}.{kind}.{period}",
                            f"the {len(names):,} areas add up to {total:,}, but the whole is "
                            f"given as {observation.value:,} (an area missing, or areas that "
                            "overlap?)",
                        )
                    )
    notices.sort(key=lambda n: n.line or 0)
    return tuple(notices)
