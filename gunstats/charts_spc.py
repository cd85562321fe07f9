"""XmR (SPC) charts of monthly figures: ``gunstats chart --monthly --spc``.

Like :mod:`gunstats.charts`, two halves. :func:`spc_specs` is pure: for each metric, its XmR
chart (:mod:`gunstats.spc`) over the latest months and the alt text that says what the chart
shows. :func:`draw_spc` draws them with matplotlib, through the same style, metadata and
atomic writing as every other chart, so SPC charts are byte-identical from the same figures.

What the chart shows, as NHS England's "Making Data Count" draws it: every month's value as
a point on a grey line, the mean as a solid line, the process limits as dashed lines, and the
months that are part of a signal marked in one of two colour-blind-safe colours (Okabe-Ito):
blue for an improvement, orange for a concern, and purple where the measure has no better
direction. The marks differ in shape too (a circle, a square, a diamond), so the chart reads
in greyscale and without colour vision.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass

from gunstats.chart_figure import (
    FORMATS,
    TEXT_COLOUR,
    draw_figure,
    draw_titles,
)
from gunstats.chart_specs import direction_note
from gunstats.errors import GunstatsError
from gunstats.model import Better, Figures, Metric, Unit
from gunstats.monthly import process_chart
from gunstats.monthly_windows import has_months, months_present
from gunstats.numbers import format_number, format_value
from gunstats.periods import Month
from gunstats.spc import NoProcessChart, ProcessChart
from gunstats.variation import (
    CONCERN,
    IMPROVEMENT,
    NEITHER,
    month_meaning,
    signal_meaning,
    spc_status,
)
from gunstats.wording import DEFAULT_CAVEAT

COMMON_COLOUR = "#8C8C8C"  # the usual variation: grey, as in Making Data Count
LIMIT_COLOUR = "#555555"
MEANINGS = {
    # (colour, marker, legend): Okabe-Ito blue and orange, and reddish purple for "neither".
    IMPROVEMENT: ("#0072B2", "o", "Signal: improvement"),
    CONCERN: ("#E69F00", "s", "Signal: concern"),
    NEITHER: ("#CC79A7", "D", "Signal (neither better nor worse)"),
}
RULE_WORDS = {
    "outside_limits": "outside the limits",
    "shift": "a shift",
    "trend": "a trend",
    "two_of_three": "2 of 3 near a limit",
}


class NoSpcChart(GunstatsError):
    """No selected metric has enough monthly values for an XmR chart."""


@dataclass(frozen=True)
class SpcChartSpec:
    metric_id: str
    title: str
    unit: Unit
    better: Better
    chart: ProcessChart | NoProcessChart
    source: str | None
    context: str = ""
    precision: int = 1
    caveat: str = DEFAULT_CAVEAT

    @property
    def drawable(self) -> bool:
        return isinstance(self.chart, ProcessChart)

    def number(self, value) -> str:
        text = format_number(value, self.precision)
        return f"{text}%" if self.unit is Unit.PERCENT else text

    def point_meaning(self, month: Month) -> str | None:
        """How the month's signals read for this measure, or None if it is in none."""
        assert isinstance(self.chart, ProcessChart)
        return month_meaning(self.chart, month, self.better)

    @property
    def subtitle(self) -> str:
        chart = self.chart
        span = f"{chart.start.name()} to {chart.end.name()}"
        return f"{self.context}. XmR chart, {span}." if self.context else f"XmR chart, {span}."

    @property
    def alt_text(self) -> str:
        """What the chart shows, for a reader who cannot see it."""
        chart = self.chart
        span = f"{chart.start.name()} to {chart.end.name()}"
        if not isinstance(chart, ProcessChart):
            return f"No XmR chart of {self.title} for {span}: {chart.reason}."
        parts = [
            f"XmR (statistical process control) chart of {self.title} by month, {span}.",
            f"Mean {self.number(chart.centre)}; process limits {self.number(chart.lower)} "
            f"to {self.number(chart.upper)}.",
        ]
        gaps = sum(value is None for _, value in chart.points)
        if gaps:
            parts.append(f"{gaps} month{'' if gaps == 1 else 's'} with no value.")
        if chart.signals:
            listed = []
            for signal in chart.signals:
                meaning = signal_meaning(signal.direction, self.better)
                months = signal.months
                when = (
                    months[0].name()
                    if len(months) == 1
                    else f"{months[0].name()} to {months[-1].name()}"
                )
                word = "signal" if meaning == NEITHER else meaning
                listed.append(f"{RULE_WORDS[signal.rule]} {signal.direction} ({word}), {when}")
            parts.append("Signals: " + "; ".join(listed) + ".")
        else:
            parts.append("No signals: every month is within the usual variation.")
        latest = chart.points[-1][1]
        if latest is None:
            parts.append(f"No value for {chart.end.name()}.")
        else:
            status = spc_status(self.better, self.unit, chart, self.precision)
            value = format_value(latest, self.unit, self.precision)
            value += "%" if self.unit is Unit.PERCENT else ""
            parts.append(f"{chart.end.name()}: {value}, {status}.")
        direction = direction_note(self.better)
        if direction:
            parts.append(f"{direction}.")
        return " ".join(parts)


def spc_specs(
    figures: Figures,
    metric_ids: Sequence[str] | None,
    months: int,
    *,
    precision: int = 1,
) -> list[SpcChartSpec]:
    """One spec per selected monthly metric, each over the ``months`` months ending with the
    latest month in the file (so every chart spans the same months)."""
    present = months_present(figures)
    if not present:
        return []
    end = present[-1]
    metrics: list[Metric] = (
        [figures.metric(i) for i in metric_ids] if metric_ids else list(figures.metrics)
    )
    specs = []
    for metric in metrics:
        if not has_months(metric):
            continue
        source = figures.source(metric.source) if metric.source else None
        specs.append(
            SpcChartSpec(
                metric_id=metric.id,
                title=metric.label,
                unit=metric.unit,
                better=metric.better,
                chart=process_chart(figures, metric, end, months),
                source=(source.publisher or source.title) if source else None,
                context=figures.title,
                caveat=figures.caveat or DEFAULT_CAVEAT,
                precision=precision,
            )
        )
    return specs


# ---- drawing (matplotlib from here on) ------------------------------------------------------


def _draw_axes(axes, spec: SpcChartSpec) -> None:
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    chart = spec.chart
    assert isinstance(chart, ProcessChart)
    positions = list(range(len(chart.points)))
    values = [math.nan if v is None else float(v) for _, v in chart.points]
    # NaN breaks the line: a missing month is a gap, never a line drawn across it.
    axes.plot(positions, values, color=COMMON_COLOUR, linewidth=1.6, zorder=2)
    axes.plot(positions, values, "o", color=COMMON_COLOUR, markersize=4, zorder=3)
    right = len(positions) - 0.5
    for value, style, label in (
        (chart.centre, "-", "Mean"),
        (chart.upper, "--", "Upper limit"),
        (chart.lower, "--", "Lower limit"),
    ):
        # The lines span the months; their labels sit to the right, clear of the points.
        axes.hlines(float(value), -0.5, right, colors=LIMIT_COLOUR, linestyles=style, lw=1.1)
        axes.annotate(
            f"{label}\n{spec.number(value)}",
            (right, float(value)),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color=TEXT_COLOUR,
            linespacing=1.1,
        )
    shown: set[str] = set()
    for position, (month, point) in zip(positions, chart.points, strict=True):
        meaning = spec.point_meaning(month) if point is not None else None
        if point is None or meaning is None:
            continue
        colour, marker, legend = MEANINGS[meaning]
        axes.plot(
            [position],
            [float(point)],
            marker=marker,
            color=colour,
            markeredgecolor=TEXT_COLOUR,
            markeredgewidth=0.6,
            markersize=8,
            linestyle="none",
            zorder=4,
            label=None if meaning in shown else legend,
        )
        shown.add(meaning)
    if shown:
        axes.legend(loc="upper left", fontsize=8, frameon=False, ncols=len(shown))
    present = [v for v in values if not math.isnan(v)]
    top = max([*present, float(chart.upper)])
    axes.set_ylim(0, top * 1.18 if top > 0 else 1.0)
    axes.set_xlim(-0.5, len(positions) - 0.5 + max(3.0, len(positions) * 0.16))
    if spec.unit is Unit.PERCENT:
        axes.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    else:
        axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axes.yaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
    step = max(1, math.ceil(len(positions) / 12))
    labels = [f"{m.name()[:3]}\n{m.year}" for m, _ in chart.points]
    axes.set_xticks(positions[::step], labels[::step])
    axes.set_xlabel("Month")
    axes.set_ylabel("Per cent" if spec.unit is Unit.PERCENT else "Number per month")
    draw_titles(axes, spec.title, spec.subtitle, direction_note(spec.better))
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _footer(specs: Sequence[SpcChartSpec]) -> str:
    sources = list(dict.fromkeys(spec.source for spec in specs if spec.source))
    parts = [f"Source: {'; '.join(sources)}." if sources else "Source: not stated."]
    parts.append(
        "Limits: the mean plus and minus 2.66 times the average change from month to month. "
        "Signals: a month outside the limits, 7 in a row on one side of the mean, 7 each "
        "higher (or lower) than the last, or 2 of 3 near a limit."
    )
    parts.append(specs[0].caveat)  # one figures file: one caveat
    return " ".join(parts)


def draw_spc(specs: Sequence[SpcChartSpec], fmt: str, *, dpi: int = 150) -> bytes:
    """One image: a single XmR chart, or one panel per spec stacked in a column."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    drawable = [spec for spec in specs if spec.drawable]
    if not drawable:
        raise ValueError("nothing to draw")

    def panels(figure) -> None:
        axes = figure.subplots(len(drawable), 1, squeeze=False)[:, 0]
        for panel, spec in zip(axes, drawable, strict=True):
            _draw_axes(panel, spec)

    title = ", ".join(f"{spec.title} (XmR chart)" for spec in drawable)
    description = " ".join(spec.alt_text for spec in drawable)
    size = (7.5, 0.6 + 3.6 * len(drawable))
    texts = (title, description, _footer(drawable))
    which = ", ".join(f"{spec.metric_id} (XmR)" for spec in drawable)
    return draw_figure(size, panels, fmt, texts, which=which, dpi=dpi)


def spc_filename(spec: SpcChartSpec, fmt: str) -> str:
    return f"{spec.metric_id}-spc.{fmt}"


def write_spc_files(specs: Sequence[SpcChartSpec], directory: str, fmt: str) -> list[str]:
    """One file per drawable chart in ``directory`` (made if missing), each replaced
    atomically."""
    from gunstats.errors import OutputError
    from gunstats.output import write_bytes_atomically

    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{directory}: cannot make folder ({error.strerror or error})") from None
    paths = []
    for spec in specs:
        if not spec.drawable:
            continue
        path = os.path.join(directory, spc_filename(spec, fmt))
        write_bytes_atomically(path, draw_spc([spec], fmt))
        paths.append(path)
    return paths
