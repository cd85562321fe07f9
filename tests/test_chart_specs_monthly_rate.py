"""A rate charted by month is worked out from its parts' months, never averaged."""

from __future__ import annotations

from decimal import Decimal

from gunstats.chart_specs import chart_specs
from gunstats.load import load_figures

from .conftest import ROOT


def test_a_monthly_chart_of_a_rate_without_months_uses_its_parts():
    figures = load_figures(str(ROOT / "examples" / "monthly.yaml"))
    rate = figures.metric("shootings_solved")
    assert rate.ratio_of is not None and not rate.months  # the case this covers
    top = {o.period: o.value for o in figures.metric(rate.ratio_of.numerator).months}
    bottom = {o.period: o.value for o in figures.metric(rate.ratio_of.denominator).months}
    (spec,) = chart_specs(figures, ["shootings_solved"], monthly=True)
    drawn = {p.period: p.value for p in spec.points if p.value is not None}
    expected = {m: 100 * top[m] / bottom[m] for m in top if bottom.get(m)}
    assert drawn.keys() == expected.keys() and len(drawn) >= 12
    for month, value in drawn.items():
        assert abs(Decimal(value) - expected[month]) < Decimal("1e-20"), month
