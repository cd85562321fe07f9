"""``gunstats chart --areas``: the areas' rates as a sorted horizontal bar chart.

Like :mod:`gunstats.charts`, two halves: :func:`area_chart_spec` decides what the chart says
(pure, standard library only), :func:`draw_area_chart` draws it with matplotlib through the
same set-up (style, metadata, Agg canvas, reproducible files) as every other chart.

Highest rate at the top; the whole's rate is a dashed reference line; each bar is labelled
with its rate (one decimal place) and, where the test says so, "higher" or "lower" than
the rest. Areas without a rate are named under the chart, never drawn as zero.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, NamedTuple

from gunstats.areas import WHOLE_NAME, AreaTable, RestComparison
from gunstats.render.areas_layout import level, period_text, rate_text
from gunstats.wording import DEFAULT_CAVEAT

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_BARS = 80
"""Beyond this (500 wards, say) the 40 highest and 40 lowest rates are drawn, and the chart
says how many were left out: a bar chart of every ward would be taller than any page."""


class Bar(NamedTuple):
    name: str
    rate: float
    text: str
    """The rate as labelled: ``6.1``, with ``higher`` or ``lower`` where the test says."""


class AreaChartSpec(NamedTuple):
    metric_id: str
    title: str
    subtitle: str
    axis_label: str
    bars: tuple[Bar, ...]
    """Highest rate first."""
    whole: float | None
    whole_text: str | None
    left_out: int
    """Areas with a rate not drawn (over :data:`MAX_BARS`)."""
    without_rate: tuple[str, ...]
    footer: str
    alt_text: str


def area_chart_spec(table: AreaTable) -> AreaChartSpec:
    ranked = table.ranked
    shown = (
        ranked if len(ranked) <= MAX_BARS else ranked[: MAX_BARS // 2] + ranked[-MAX_BARS // 2 :]
    )
    bars = []
    for row in shown:  # ranked: every one has a rate
        assert row.rate is not None
        differs = row.compared_with_rest in (RestComparison.HIGHER, RestComparison.LOWER)
        label = f" ({row.compared_with_rest.value})" if row.compared_with_rest and differs else ""
        bars.append(Bar(row.name, float(row.rate), rate_text(row.rate) + label))
    period = period_text(table.period)
    unit = "percentage" if table.per is None else f"rate per {table.per:,} people"
    whole_rate = table.whole.rate
    whole_text = None if whole_rate is None else f"{WHOLE_NAME}: {rate_text(whole_rate)}"
    without = tuple(row.name for row in table.areas if row.rate is None)
    left_out = len(ranked) - len(shown)
    source = table.figures.source(table.metric.source) if table.metric.source else None
    footer = [f"Source: {source.publisher or source.title}." if source else "Source: not stated."]
    test = "Fisher's exact test" if table.is_ratio else "Poisson E-test"
    footer.append(
        "Labelled higher or lower: significantly different from the rest of the areas "
        f"({test}, {level(table)})."
    )
    if left_out:
        footer.append(f"{left_out:,} areas between the 40 highest and 40 lowest not shown.")
    if without:
        footer.append(f"No rate (not published or no population): {', '.join(without)}.")
    footer.append(table.figures.caveat or DEFAULT_CAVEAT)
    title = f"{table.metric.label}: {unit}, by area, {period}"
    listed = bars if len(bars) <= 12 else bars[:5] + bars[-5:]
    alt = [
        f"Horizontal bar chart of {table.metric.label} ({unit}) by area, {period}, highest first."
    ]
    alt.append("; ".join(f"{bar.name}: {bar.text}" for bar in listed) + ".")
    if len(listed) < len(bars) or left_out:
        alt.append(f"The five highest and five lowest of {len(ranked):,} areas are listed.")
    if whole_text:
        alt.append(f"{whole_text}.")
    if without:
        alt.append(f"No rate for {len(without):,} areas.")
    return AreaChartSpec(
        metric_id=table.metric.id,
        title=title,
        subtitle=table.figures.title,
        axis_label="Per cent" if table.per is None else f"Rate per {table.per:,} people",
        bars=tuple(bars),
        whole=None if whole_rate is None else float(whole_rate),
        whole_text=whole_text,
        left_out=left_out,
        without_rate=without,
        footer=" ".join(footer),
        alt_text=" ".join(alt),
    )


def area_chart_filename(spec: AreaChartSpec, fmt: str) -> str:
    return f"{spec.metric_id}-areas.{fmt}"


def draw_area_chart(spec: AreaChartSpec, fmt: str, *, dpi: int = 150) -> bytes:
    """The chart as PNG, SVG or PDF bytes (matplotlib imported by :mod:`gunstats.chart_figure`)."""
    from gunstats.chart_figure import (
        GRID_COLOUR,
        LINE_COLOUR,
        QUIET_COLOUR,
        TEXT_COLOUR,
        draw_figure,
    )

    count = max(1, len(spec.bars))

    def bars(figure: Figure) -> None:
        axes = figure.subplots()
        positions = list(range(count - 1, -1, -1))[: len(spec.bars)]  # highest at the top
        rates = [bar.rate for bar in spec.bars]
        axes.barh(positions, rates, color=LINE_COLOUR, height=0.7, zorder=3)
        axes.set_yticks(positions, [textwrap.shorten(b.name, 32) for b in spec.bars])
        top = max([*rates, spec.whole or 0.0, 0.0])
        axes.set_xlim(0, top * 1.3 if top > 0 else 1.0)
        for position, bar in zip(positions, spec.bars, strict=True):
            axes.annotate(
                bar.text,
                (bar.rate, position),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8.5,
                color=TEXT_COLOUR,
                # A white backing keeps the label legible where the reference line crosses it.
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
                zorder=5,
            )
        if spec.whole is not None:  # where the short bars leave room: bottom right
            axes.axvline(
                spec.whole,
                color=QUIET_COLOUR,
                linestyle="--",
                linewidth=1.2,
                zorder=4,
                label=spec.whole_text,
            )
            axes.legend(loc="lower right", frameon=False, fontsize=9)
        axes.set_ylim(-0.7, count - 0.3)
        axes.set_xlabel(spec.axis_label)
        # A figure title, from the left edge: long area names push the axes to the right.
        figure.suptitle(
            textwrap.fill(spec.title, 70), x=0.01, ha="left", fontsize=12, fontweight="bold"
        )
        axes.grid(axis="x", color=GRID_COLOUR, linewidth=0.8)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)

    texts = (spec.title, spec.alt_text, f"{spec.subtitle}. {spec.footer}")
    size = (7.0, 1.9 + 0.26 * count)
    return draw_figure(size, bars, fmt, texts, which=f"{spec.metric_id} by area", dpi=dpi)
