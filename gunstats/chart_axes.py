"""The x-axis of a chart fitted as drawn: as many period labels as fit without two touching,
and the axis ended just past the latest value's label. matplotlib is imported by the caller,
:mod:`gunstats.charts`; this module only measures what it drew.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from gunstats.chart_specs import LABEL_EVERY_POINT_UP_TO, ChartSpec
from gunstats.periods import FinancialYear, Month


def fit_x_axes(figure, panels, specs: Sequence[ChartSpec]) -> None:
    """Label as many periods as fit without two labels touching, and end the axis just past
    the latest value's label, with no empty band beyond it.

    Measured as drawn, since the room depends on the font, the labels and the layout: the
    first of :func:`_tick_choices` whose labels stand apart wins. Every panel shows the same
    periods at the same width, so one choice serves them all.
    """
    renderer = figure.canvas.get_renderer()
    gap = 4 * figure.dpi / 72  # points to pixels: about a space between two labels
    many = len(specs[0].points) > LABEL_EVERY_POINT_UP_TO  # the latest value labelled beside
    choices = list(_tick_choices(specs[0]))
    index = 0
    while True:
        for axes in panels:
            axes.set_xticks(*choices[index])
        figure.draw_without_rendering()
        pairs = zip(panels, specs, strict=True)
        moved = [_make_room(axes, renderer, spec) for axes, spec in pairs] if many else []
        if any(moved):  # (a list, not a generator: every panel is fitted)
            figure.draw_without_rendering()
        touching = any(_labels_touch(axes, renderer, gap) for axes in panels)
        if not touching or index == len(choices) - 1:
            return
        # Sparser: as sparse as the labels measured against this layout need, and at least
        # one step, as the layout can move them closer than the estimate.
        index = max(index + 1, _first_that_fits(choices, panels[0], renderer, gap))


def _first_that_fits(choices, axes, renderer, gap: float) -> int:
    """The first choice whose labels, measured in the tick font, fit the axis as laid out."""
    import matplotlib
    from matplotlib.font_manager import FontProperties

    font = FontProperties(size=matplotlib.rcParams["xtick.labelsize"])
    low, high = axes.get_xlim()
    scale = axes.get_window_extent(renderer).width / (high - low)  # pixels per period
    widths: dict[str, float] = {}
    for index, (positions, labels) in enumerate(choices):
        for label in labels:
            if label not in widths:
                widths[label] = renderer.get_text_width_height_descent(label, font, False)[0]
        ticks = list(zip(positions, (widths[label] for label in labels), strict=True))
        if all(
            (right - left) * scale >= (a + b) / 2 + gap
            for (left, a), (right, b) in itertools.pairwise(ticks)
        ):
            return index
    return len(choices) - 1


def _tick_choices(spec: ChartSpec) -> Iterator[tuple[list[int], list[str]]]:
    """Ticks from every period to fewer and fewer: months, then every 2, 3 (quarters) and 6,
    then years (each January, labelled ``2021``), then every 2, 5, 10... years."""
    months = [p.period for p in spec.points if isinstance(p.period, Month)]
    years = [p.period.start for p in spec.points if isinstance(p.period, FinancialYear)]
    for step in (1, 2, 3, 6) if months else ():
        chosen = [i for i, month in enumerate(months) if (month.month - 1) % step == 0]
        yield chosen, [spec.points[i].label for i in chosen]
    for every in (1, 2, 5, 10, 20, 50, 100):
        if months:
            chosen = [i for i, m in enumerate(months) if m.month == 1 and m.year % every == 0]
            labels = [str(months[i].year) for i in chosen]
        else:
            chosen = [i for i, start in enumerate(years) if start % every == 0]
            labels = [spec.points[i].label for i in chosen]
        if chosen or every == 100:
            yield chosen, labels


def _labels_touch(axes, renderer, gap: float) -> bool:
    boxes = sorted(
        (label.get_window_extent(renderer) for label in axes.xaxis.get_ticklabels()),
        key=lambda box: box.x0,
    )
    return any(right.x0 < left.x1 + gap for left, right in itertools.pairwise(boxes))


def _make_room(axes, renderer, spec: ChartSpec) -> bool:
    """End the axis just past the latest value's label; True if the axis moved."""
    latest = spec.latest
    if latest is None or latest.value is None:
        return False
    where = (spec.points.index(latest), float(latest.value))
    label = next((t for t in axes.texts if getattr(t, "xy", None) == where), None)
    if label is None:
        return False
    plot = axes.get_window_extent(renderer)
    low, high = axes.get_xlim()
    position = where[0]  # the latest value's period: the last, or one before a gap
    reach = label.get_window_extent(renderer).x1 - axes.transData.transform((position, 0))[0]
    pad = 4 * axes.figure.dpi / 72
    # The point sits (position - low) / span of the way along the plot, and its label, which
    # reaches ``reach`` pixels beyond it, must end ``pad`` inside the plot's right edge.
    span = (position - low) * plot.width / max(plot.width - reach - pad, 1.0)
    target = low + max(span, len(spec.points))
    if abs(target - high) < 0.01:
        return False
    axes.set_xlim(low, target)
    return True
