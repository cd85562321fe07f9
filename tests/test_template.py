"""--template: the context and filters a press office's own layout can rely on."""

from __future__ import annotations

import datetime

import pytest

from gunstats.compute import build_report
from gunstats.dates import DateError, reference_date
from gunstats.load import load_figures
from gunstats.periods import PeriodStyle
from gunstats.render.options import RenderOptions
from gunstats.render.template import TemplateError, render

from .conftest import SHIPPED


def render_text(tmp_path, text, confidence=0.95, **options):
    path = tmp_path / "t.j2"
    path.write_text(text, encoding="utf-8")
    report = build_report(load_figures(SHIPPED), confidence=confidence)
    return render(report, str(path), RenderOptions(**options))


def test_filters(tmp_path):
    text = (
        "{% set s = metrics[0] %}"
        "{{ 1234.5 | number }} {{ 1234.5 | number(1) }} {{ s.latest.value | signed }}"
        " {{ s.year_on_year.percent_change | percent }} {{ 37.55 | percent(1) }}"
        " {{ s.year_on_year.change | signed }} {{ s.latest | value }}"
        " [{{ s.latest.period | period }}] {{ produced | date }} {{ '*a* | b' | md }}"
    )
    assert render_text(tmp_path, text, produced="2024-06-01") == (
        "1,235 1,234.5 +524 9.2% 37.6% +44 524 [2021/22] 1 June 2024 \\*a\\* \\| b"
    )


def test_change_and_period_filters_follow_the_period_style(tmp_path):
    text = (
        "{% set s = metrics[1] %}{{ s.latest.period | period }}; {{ s.latest.period | period }};"
        " {{ s.since_baseline | change }}; {{ metrics[2].since_baseline | change }}"
    )
    assert render_text(tmp_path, text, period_style=PeriodStyle.GOV_UK) == (
        "the financial year ending March 2022; the year ending March 2022;"
        " down 87 (30.7%) from 283 in the financial year ending March 2020, which is a"
        " statistically significant change; up 18 percentage points from 20% in the year ending"
        " March 2020, which cannot be tested for statistical significance without the counts"
        " behind the percentages"
    )


def test_context_carries_metrics_comparisons_and_sources(tmp_path):
    text = (
        "{% for m in metrics %}{{ m.id }}={{ m.unit }}/{{ m.year_on_year is none }}/"
        "{{ m.sources | join(',') }} {% endfor %}{{ sources[0].number }}. {{ sources[0].title }}"
        "|{{ periods | length }}|{{ key | length }}|{{ caveat[:20] }}|{{ status }}"
        "|{{ status_sentence[:29] }}|{{ definitions[1].label }}: {{ definitions[1].text }}"
    )
    assert render_text(tmp_path, text) == (
        "lethal_firearms_seized=count/False/1 shootings=count/True/1 "
        "shootings_solved=percent/True/1 1. Statement on tackling gun crime in London, "
        "financial years 2019/20 to 2021/22|3|7|Figures recorded by |None"
        "|The figures file does not say|Shootings: Firearm discharges. The statement gives no "
        "figure for 2020/21."
    )


def test_a_template_sees_each_test_of_change_and_the_confidence_level(tmp_path):
    text = (
        "{{ confidence }}{% for m in metrics %} {{ m.id }}:"
        "{% for c in m.all_year_on_year + [m.since_baseline] %}"
        "{% if c.significance %}{{ c.significance.test }}/{{ '%.4f' % c.significance.p_value }}"
        "/{{ c.significance.significant }}/{{ c.assessment }}"
        "{% else %}untested/{{ c.assessment }}{% endif %};{% endfor %}{% endfor %}"
    )
    assert render_text(tmp_path, text, confidence=0.99) == (
        "0.99 lethal_firearms_seized:poisson_e_test/0.0140/False/no significant change;"
        "poisson_e_test/0.1651/False/no significant change;"
        "poisson_e_test/0.0001/True/better; shootings:poisson_e_test/0.0001/True/better;"
        " shootings_solved:untested/better (not tested);"
    )


def test_the_sandbox_refuses_python_internals(tmp_path):
    with pytest.raises(TemplateError, match=r"t.j2:1: SecurityError"):
        render_text(tmp_path, "{{ metrics[0].latest.observation.__class__ }}")


def test_produced_on_order():
    today = datetime.date(2026, 1, 2)
    explicit = datetime.date(2024, 6, 1)
    assert reference_date(explicit, {"SOURCE_DATE_EPOCH": "0"}, today) == explicit
    assert reference_date(None, {"SOURCE_DATE_EPOCH": "86400"}, today) == datetime.date(1970, 1, 2)
    assert reference_date(None, {"SOURCE_DATE_EPOCH": ""}, today) == today
    assert reference_date(None, {}, today) == today
    with pytest.raises(DateError, match="not a whole number"):
        reference_date(None, {"SOURCE_DATE_EPOCH": "-5"}, today)
    with pytest.raises(DateError, match="out of range"):
        reference_date(None, {"SOURCE_DATE_EPOCH": "9" * 30}, today)
