"""Line charts of the figures as PNG, SVG or PDF, for briefings and for committing next to the
data: a metric's financial years, or its months.

:mod:`gunstats.chart_specs` decides what each chart says; :func:`draw` draws those specs on
the page every chart shares (:mod:`gunstats.chart_figure`: matplotlib, imported only when a
chart is drawn, the style, the footer, the metadata that keeps files byte-identical).
:mod:`gunstats.chart_axes` fits the x-axis labels to the drawing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gunstats.chart_axes import fit_x_axes
from gunstats.chart_figure import (
    GAP_COLOUR,
    GRID_COLOUR,
    LINE_COLOUR,
    QUIET_COLOUR,
    TEXT_COLOUR,
    draw_figure,
    draw_titles,
    warn_missing_glyphs,
)
from gunstats.chart_specs import LABEL_EVERY_POINT_UP_TO, NOT_PUBLISHED, ChartSpec, chart_filename
from gunstats.model import Flag, Unit

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _draw_axes(axes, spec: ChartSpec) -> None:
    import math

    from matplotlib.ticker import MaxNLocator, PercentFormatter

    positions = list(range(len(spec.points)))
    values = [float(p.value) if p.value is not None else math.nan for p in spec.points]
    # NaN breaks the line: a missing year is a gap, never a line drawn across it.
    axes.plot(
        positions,
        values,
        color=LINE_COLOUR,
        linewidth=2.2,
        marker="o",
        markersize=6,
        solid_capstyle="round",
        zorder=3,
    )
    top = max((v for v in values if not math.isnan(v)), default=0.0)
    upper = top * 1.22 if top > 0 else 1.0
    axes.set_ylim(0, upper)  # counts and rates alike start at zero, so a fall is not inflated
    few = len(positions) <= LABEL_EVERY_POINT_UP_TO
    # Many points: the latest value is written to the right of its point, clear of the line;
    # fit_x_axes runs the axis on just far enough to make room for it.
    axes.set_xlim(-0.5, len(positions) - 0.5)
    if spec.unit is Unit.PERCENT:
        axes.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    else:
        axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axes.yaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
    labelled = spec.labelled
    for position, point in zip(positions, spec.points, strict=True):
        if point.value is None:
            axes.axvspan(position - 0.5, position + 0.5, color=GAP_COLOUR, zorder=0, lw=0)
            if len(positions) <= 12:
                axes.text(
                    position,
                    upper * 0.04,
                    "not\npublished",
                    ha="center",
                    va="bottom",
                    fontsize=8.5,
                    color=QUIET_COLOUR,
                    style="italic",
                )
        elif point in labelled:
            latest = point is spec.latest
            axes.annotate(
                spec.point_text(point) + ("" if few else f"\n{point.label}"),
                (position, float(point.value)),
                xytext=(0, 8) if few else (7, 0),
                textcoords="offset points",
                ha="center" if few else "left",
                va="bottom" if few else "center",
                fontsize=10 if latest else 9,
                fontweight="bold" if latest else "normal",
                color=TEXT_COLOUR,
                # A white backing keeps the number legible where the line runs behind it.
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
                zorder=4,
            )
    axes.set_xlabel(spec.period_word.capitalize())
    axes.set_ylabel(spec.axis_label)
    # matplotlib does not wrap titles: long labels are folded here so they stay on the page,
    # with room on the right of the title for which way is better.
    draw_titles(axes, spec.title, _subtitle(spec), spec.direction_note)
    axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _subtitle(spec: ChartSpec) -> str:
    if spec.change_note:  # it names both periods already
        return f"{spec.context}. {spec.change_note}." if spec.context else f"{spec.change_note}."
    return f"{spec.context}, {spec.span}" if spec.context else spec.span


def _footer(specs: Sequence[ChartSpec]) -> str:
    sources = []
    for spec in specs:
        if spec.source and spec.source not in sources:
            sources.append(spec.source)
    parts = [f"Source: {'; '.join(sources)}." if sources else "Source: not stated."]
    if any(spec.gaps for spec in specs):
        parts.append(f"Shaded: {NOT_PUBLISHED}.")
    flags = {flag for spec in specs for point in spec.labelled for flag in point.flags}
    parts += [f"[{flag.value}] {flag.meaning}." for flag in Flag if flag in flags]
    parts.append(specs[0].caveat)  # one figures file: one caveat
    return " ".join(parts)


def draw(
    specs: Sequence[ChartSpec], fmt: str, *, dpi: int = 150, missing: set[str] | None = None
) -> bytes:
    """One image: a single chart, or one panel per spec stacked in a column.

    Characters the font has no glyph for (drawn as boxes) are added to ``missing``, for the
    caller to warn about once; without it, the warning is given here.
    """
    if not specs:
        raise ValueError("nothing to draw")

    def panels(figure: Figure) -> None:
        panels = figure.subplots(len(specs), 1, squeeze=False)[:, 0]
        for axes, spec in zip(panels, specs, strict=True):
            _draw_axes(axes, spec)
        fit_x_axes(figure, panels, specs)

    title = specs[0].title if len(specs) == 1 else ", ".join(s.title for s in specs)
    description = " ".join(spec.alt_text for spec in specs)
    texts = (title, description, _footer(specs))
    which = ", ".join(spec.metric_id for spec in specs)
    size = (7.0, 0.6 + 3.4 * len(specs))
    return draw_figure(size, panels, fmt, texts, which=which, dpi=dpi, missing=missing)


def write_chart_files(specs: Sequence[ChartSpec], directory: str, fmt: str) -> list[str]:
    """One file per chart in ``directory`` (made if missing), each replaced atomically."""
    from gunstats.output import make_folder, write_bytes_atomically

    # Every chart is drawn before any is written, so a chart that cannot be drawn leaves the
    # folder as it was, not half last month's charts and half this month's.
    missing: set[str] = set()
    images = [(chart_filename(spec, fmt), draw([spec], fmt, missing=missing)) for spec in specs]
    warn_missing_glyphs(missing)
    make_folder(directory)
    paths = []
    for name, data in images:
        path = os.path.join(directory, name)
        write_bytes_atomically(path, data)
        paths.append(path)
    return paths
