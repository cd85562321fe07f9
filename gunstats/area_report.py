"""One area's figures as if they were a file of their own: ``report --area``, ``summary --area``.

Pure, like :mod:`gunstats.compute`: every report, summary and chart then works on the result
unchanged, titled with the area's name.
"""

from __future__ import annotations

from gunstats.area_figures import ratio_values
from gunstats.model import Figures, Metric
from gunstats.model_areas import AreaSeries


def figures_for_area(figures: Figures, area_id: str) -> Figures:
    """The figures with each metric's values replaced by the area's.

    Metrics without a value for the area are left out; a ratio keeps its published area
    values if it has them, else its yearly values are worked out from its parts (its months
    always are, by the summary).
    """
    area = next(a for a in figures.areas if a.id == area_id)
    own = {m.id: _own_series(m, area_id) for m in figures.metrics}
    metrics: list[Metric] = []
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
        values = series.values or ratio_values(parts[0].values, parts[1].values)
        metrics.append(metric._replace(values=values, months=(), areas=()))
    return figures._replace(title=f"{figures.title}: {area.name}", metrics=tuple(metrics), areas=())


def _own_series(metric: Metric, area_id: str) -> AreaSeries:
    return next((s for s in metric.areas if s.area == area_id), AreaSeries(area_id))
