"""Reading and checking ratios: a metric's ``ratio_of``, a percentage made of two counts.

The validator (:mod:`gunstats.validate`) hands each ``ratio_of`` over as it meets it, and
the problems go into its list the same way. The parts are checked once every metric is read
(a part may come later in the file). Only files that have ratios import this module.

```yaml
metrics:
  solved_rate:
    unit: percent
    ratio_of: {numerator: solved, denominator: recorded}   # two count metrics of this file
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gunstats.errors import shorten
from gunstats.model import Metric, Ratio, Unit
from gunstats.readers import Entries, given, join
from gunstats.yaml_tree import Node

if TYPE_CHECKING:
    from gunstats.validate import Validator

RATIO_KEYS = ("numerator", "denominator")


class RatioReader:
    """Reads the ratios of one file for a :class:`~gunstats.validate.Validator`, reporting
    through it."""

    def __init__(self, validator: Validator) -> None:
        self.v = validator
        self.parts: list[tuple[str, str, str, Node]] = []
        """(metric id, numerator|denominator, part id, node): checked once all are read."""

    def read(self, metric_id: str, fields: Entries, unit: Unit | None, where: str) -> Ratio | None:
        """``ratio_of: {numerator: ID, denominator: ID}``; the ids are checked later."""
        key_node, node = fields["ratio_of"]
        if unit is Unit.COUNT:
            self.v.problem(
                key_node, where, "only a percent metric can be a ratio (this one is unit: count)"
            )
            return None
        if given(fields, "months"):
            self.v.problem(
                fields["months"][0],
                where.rsplit(".", 1)[0] + ".months",
                "a ratio takes its monthly values from its numerator and denominator; "
                "give the months there, not here",
            )
        parts = self.v.mapping(node, where, RATIO_KEYS)
        if parts is None:
            return None
        ids = {}
        for name in RATIO_KEYS:
            if name not in parts:
                self.v.problem(
                    node, join(where, name), "missing (expected the id of a count metric)"
                )
                continue
            part_id = self.v.text(parts[name][1], join(where, name))
            if part_id is not None:
                ids[name] = part_id
                self.parts.append((metric_id, name, part_id, parts[name][1]))
        if len(ids) != 2:
            return None
        if ids["numerator"] == ids["denominator"]:
            self.v.problem(
                parts["denominator"][1],
                join(where, "denominator"),
                f"is the same metric as the numerator ({ids['numerator']!r})",
            )
            return None
        return Ratio(**ids)

    def check_parts(self, declared: list[str], metrics: list[Metric]) -> None:
        """Parts must be other metrics, and counts: a rate of rates (or a cycle) has no sum."""
        units = {metric.id: metric.unit for metric in metrics}
        ratios = {metric.id for metric in metrics if metric.ratio_of is not None}
        for metric_id, name, part_id, node in self.parts:
            where = join(join(join("metrics", metric_id), "ratio_of"), name)
            if part_id == metric_id:
                self.v.problem(node, where, f"refers to {metric_id!r} itself (a cycle)")
            elif part_id not in declared:
                self.v.problem(
                    node,
                    where,
                    f"no metric {shorten(part_id)!r} in this file"
                    f"{self.v.suggest(part_id, declared)}",
                )
            elif part_id in ratios:
                self.v.problem(
                    node,
                    where,
                    f"{part_id!r} is itself a ratio; the parts of a ratio must be count metrics "
                    "(ratios of ratios could form a cycle)",
                )
            elif part_id in units and units[part_id] is not Unit.COUNT:
                self.v.problem(
                    node,
                    where,
                    f"{part_id!r} is a {units[part_id].value} metric; the parts of a ratio must "
                    "be count metrics",
                )
