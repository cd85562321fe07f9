"""The financial years a figures file implies but does not give, for
:func:`gunstats.compute.with_derived_years`: years given only as their 12 months, and a rate's
(``ratio_of``) years worked out from its parts' years.

Pure functions, like :mod:`gunstats.compute`; only a file with months or rates imports this
module (and, for months, :mod:`gunstats.monthly_windows`; for rates,
:mod:`gunstats.area_figures`).
"""

from __future__ import annotations

from gunstats.model import Figures, Observation
from gunstats.periods import year_of


def years_from_months(figures: Figures) -> Figures:
    """Each metric's (and each area's count's) years given only as their 12 months, added up
    and flagged ``[d]``; a file without months as it is."""
    if not any(metric.months or any(s.months for s in metric.areas) for metric in figures.metrics):
        return figures
    from gunstats.monthly_windows import derived_years

    metrics = []
    for metric in figures.metrics:
        metric = metric._replace(values=_joined(metric.values, derived_years(figures, metric)))
        if metric.ratio_of is None and any(series.months for series in metric.areas):
            # An area's count, like the whole's: its years given only as 12 months. (An
            # area's rate is worked out from its parts' years where it is shown.)
            areas = []
            for series in metric.areas:
                own = metric._replace(values=series.values, months=series.months, areas=())
                derived = derived_years(figures, own) if series.months else ()
                areas.append(series._replace(values=_joined(series.values, derived)))
            metric = metric._replace(areas=tuple(areas))
        metrics.append(metric)
    return figures._replace(metrics=tuple(metrics))


def rates_from_parts(figures: Figures) -> Figures:
    """Each rate's (``ratio_of``) years that its parts have and it has not, worked out from
    them; a file whose rates lack no such year as it is."""
    by_id = {metric.id: metric for metric in figures.metrics}
    missing = {}  # a rate's id: its parts' years that the rate gives no value for
    for metric in figures.metrics:
        if metric.ratio_of is not None:
            given = {o.period for o in metric.values}
            top = by_id[metric.ratio_of.numerator].values
            bottom = by_id[metric.ratio_of.denominator].values
            wanted = tuple(o for o in top if o.period not in given)
            if wanted:
                missing[metric.id] = (wanted, bottom)
    if not missing:
        return figures
    from gunstats.area_figures import ratio_values

    metrics = tuple(
        m._replace(values=_joined(m.values, ratio_values(*missing[m.id]))) if m.id in missing else m
        for m in figures.metrics
    )
    return figures._replace(metrics=metrics)


def _joined(
    given: tuple[Observation, ...], more: tuple[Observation, ...]
) -> tuple[Observation, ...]:
    """Yearly values given and worked out, in period order (``given`` itself if no more)."""
    if not more:
        return given
    return tuple(sorted((*given, *more), key=lambda o: year_of(o.period).start))
