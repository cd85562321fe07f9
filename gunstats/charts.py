"""Charts of the figures as PNG, SVG or PDF, for briefings and for committing next to the data.

Two halves. :func:`chart_specs` is pure and needs nothing beyond the standard library: it
decides what each chart says (title, unit, which way is better, the points with their gaps,
the alt text), so the Markdown report can describe a chart without drawing it. :func:`draw`
turns specs into image bytes with matplotlib, which is an optional extra and is imported only
here, only when a chart is drawn, with the Agg (file-only) renderer: no display is needed.

The same figures always give byte-identical SVG and PDF (and PNG): no creation dates (unless
``SOURCE_DATE_EPOCH`` asks for one), fixed SVG ids, no matplotlib version in the files, and the
font matplotlib ships with, so charts can be committed and diffed.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import stat
import sys
import textwrap
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

from gunstats.errors import GunstatsError
from gunstats.model import Better, Figures, Flag, Metric, Observation, Unit
from gunstats.numbers import format_value
from gunstats.periods import FinancialYear, Month, financial_years_between
from gunstats.wording import comparison_phrase, prose_count, prose_percent, prose_points

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = ("png", "svg", "pdf")
CHART_FONT = "DejaVu Sans"
INSTALL_HINT = "pip install 'gunstats[charts]'"

# Okabe-Ito blue: distinct for every common colour-vision deficiency and dark enough to read
# as near-black in greyscale, against light-grey bands for the years not published.
LINE_COLOUR = "#0072B2"
TEXT_COLOUR = "#222222"
QUIET_COLOUR = "#555555"
GAP_COLOUR = "#E4E4E4"
GRID_COLOUR = "#D0D0D0"
NOT_PUBLISHED = "not published"
TITLE_CHARACTERS = 55
SUBTITLE_CHARACTERS = 88
FOOTER_CHARACTERS = 120
LABEL_EVERY_POINT_UP_TO = 8
"""With this many periods or fewer every value is written on the chart; beyond, only the latest."""


class ChartError(GunstatsError):
    """matplotlib could not draw a chart: one line naming the metric, never a traceback."""


class ChartsUnavailable(GunstatsError):
    """matplotlib (the ``charts`` extra) is not installed."""

    def __init__(self) -> None:
        super().__init__(
            f"charts need matplotlib, which is not installed; install it with: {INSTALL_HINT}"
        )


@dataclass(frozen=True)
class Point:
    period: FinancialYear | Month
    value: Decimal | None
    """None where no figure was published: drawn as a gap, never as zero."""
    flags: tuple[Flag, ...] = ()
    """Provisional, revised, estimated or a break in series: written beside the value."""

    @property
    def label(self) -> str:
        if isinstance(self.period, Month):
            return self.period.name()[:3] + " " + str(self.period.year)
        return str(self.period)


@dataclass(frozen=True)
class ChartSpec:
    metric_id: str
    title: str
    unit: Unit
    better: Better
    points: tuple[Point, ...]
    monthly: bool
    source: str | None
    context: str = ""
    """The figures' title (such as "Gun crime in London"), shown under the chart's title."""
    change_note: str | None = None
    """The first value shown against the latest, both periods named (financial years only)."""
    precision: int = 1

    @property
    def period_word(self) -> str:
        return "month" if self.monthly else "financial year"

    @property
    def axis_label(self) -> str:
        if self.unit is Unit.PERCENT:
            return "Per cent"
        return f"Number per {self.period_word}"

    @property
    def direction_note(self) -> str | None:
        return {Better.UP: "Higher is better", Better.DOWN: "Lower is better"}.get(self.better)

    @property
    def latest(self) -> Point | None:
        return next((p for p in reversed(self.points) if p.value is not None), None)

    @property
    def labelled(self) -> tuple[Point, ...]:
        """Every value when there are few points; otherwise only the latest."""
        if len(self.points) <= LABEL_EVERY_POINT_UP_TO:
            return tuple(p for p in self.points if p.value is not None)
        return (self.latest,) if self.latest is not None else ()

    @property
    def gaps(self) -> tuple[Point, ...]:
        return tuple(p for p in self.points if p.value is None)

    @property
    def span(self) -> str:
        return f"{self.points[0].label} to {self.points[-1].label}"

    def value_text(self, value: Decimal | None) -> str:
        if value is None:
            return NOT_PUBLISHED
        if self.unit is Unit.PERCENT:  # "less than 0.1%" for a value that is not zero (C20)
            return prose_percent(value, self.precision)
        return format_value(value, self.unit, self.precision)

    def point_text(self, point: Point) -> str:
        """The value as labelled on the chart, with GSS shorthand: ``196 [p]``."""
        codes = "".join(f"[{flag.value}]" for flag in point.flags)
        return f"{self.value_text(point.value)} {codes}" if codes else self.value_text(point.value)

    def point_words(self, point: Point) -> str:
        """The value as read aloud: ``196 (provisional)``, or ``not published``."""
        if point.value is None:
            return NOT_PUBLISHED
        meanings = ", ".join(flag.meaning for flag in point.flags)
        text = self.value_text(point.value)
        return f"{text} ({meanings})" if meanings else text

    @property
    def alt_text(self) -> str:
        """What a reader who cannot see the chart needs: what it shows, every value, the gaps."""
        kind = "percentage" if self.unit is Unit.PERCENT else "number"
        parts = [f"Line chart of {self.title} ({kind}) by {self.period_word}, {self.span}."]
        if len(self.points) <= 12:
            listed = "; ".join(f"{p.label}: {self.point_words(p)}" for p in self.points)
            parts.append(listed + ".")
        else:
            shown = [p for p in self.points if p.value is not None]
            high = max(shown, key=lambda p: p.value or 0)  # every value shown is a number
            low = min(shown, key=lambda p: p.value or 0)
            parts.append(
                f"From {self.value_text(shown[0].value)} in {shown[0].label}; highest "
                f"{self.value_text(high.value)} in {high.label}, lowest "
                f"{self.value_text(low.value)} in {low.label}."
            )
            if self.gaps:
                count = len(self.gaps)
                plural = "" if count == 1 else "s"
                parts.append(f"{count} {self.period_word}{plural} not published.")
        latest = self.latest
        if latest is not None:
            parts.append(f"Latest: {self.point_words(latest)} in {latest.label}.")
        if self.change_note:
            parts.append(f"{self.change_note}.")
        if self.direction_note:
            parts.append(f"{self.direction_note}.")
        return " ".join(parts)


def chart_specs(
    figures: Figures,
    metric_ids: Sequence[str] | None = None,
    first: FinancialYear | None = None,
    last: FinancialYear | None = None,
    *,
    monthly: bool = False,
    precision: int = 1,
) -> list[ChartSpec]:
    """One spec per selected metric that has values in the range, all on the same periods.

    Every chart spans the same periods (the first to the last value of any chart), so that
    a year one metric lacks shows as a gap rather than silently shortening its axis.
    """
    metrics = [figures.metric(i) for i in metric_ids] if metric_ids else list(figures.metrics)
    shown: list[tuple[Metric, dict]] = []
    for metric in metrics:
        observations = _in_range(metric.months if monthly else metric.values, first, last)
        if observations:
            shown.append((metric, {o.period: o for o in observations}))
    if not shown:
        return []
    present = [period for _, by_period in shown for period in by_period]
    periods = _periods_between(min(present), max(present))
    specs = []
    for metric, by_period in shown:
        source = figures.source(metric.source) if metric.source else None
        specs.append(
            ChartSpec(
                metric_id=metric.id,
                title=metric.label,
                unit=metric.unit,
                better=metric.better,
                points=tuple(_point(p, by_period.get(p)) for p in periods),
                monthly=monthly,
                source=(source.publisher or source.title) if source else None,
                context=figures.title,
                change_note=None if monthly else _change_note(metric, by_period, precision),
                precision=precision,
            )
        )
    return specs


def _point(period, observation: Observation | None) -> Point:
    if observation is None:
        return Point(period, None)
    return Point(period, observation.value, observation.flags)


def _change_note(metric: Metric, by_period: dict, precision: int) -> str | None:
    """The first value shown against the latest, such as "Down 87 (30.7%) in 2021/22 compared
    with 2019/20" (docs/conventions.md C7); a percentage changes by percentage points, never
    by per cent (C1), and "point" agrees with its number (C11).

    Monthly charts get none: one month against another is too noisy to be a headline.
    """
    from gunstats.compute import Direction, Kind, compare

    periods = sorted(by_period)
    if len(periods) < 2:
        return None
    first, latest = periods[0], periods[-1]
    comparison = compare(Kind.SINCE_BASELINE, metric, by_period[first], by_period[latest])
    span = comparison_phrase(str(latest), str(first))
    if comparison.direction is Direction.FLAT:
        return f"No change in {span}"
    word = "Up" if comparison.direction is Direction.UP else "Down"
    if metric.unit is Unit.PERCENT:
        return f"{word} {prose_points(comparison.change, precision)} in {span}"
    size = prose_count(abs(comparison.change))
    if comparison.percent_change is None:
        return f"{word} {size} in {span}"
    # The word says which way; the bracket says how much, as in the key points: "down 87
    # (30.7%)", not "down 87 (-30.7%)".
    return f"{word} {size} ({prose_percent(abs(comparison.percent_change), precision)}) in {span}"


def _in_range(
    observations: Sequence[Observation], first: FinancialYear | None, last: FinancialYear | None
) -> list[Observation]:
    def year(period):
        return period.financial_year if isinstance(period, Month) else period

    return [
        o
        for o in observations
        if (first is None or year(o.period) >= first) and (last is None or year(o.period) <= last)
    ]


def _periods_between(first, last) -> tuple:
    if isinstance(first, Month):
        return tuple(Month.from_ordinal(i) for i in range(first.ordinal, last.ordinal + 1))
    return financial_years_between(first, last)


# ---- drawing (matplotlib from here on) ------------------------------------------------------


def _matplotlib():
    """Import matplotlib's object API on the Agg canvas, or say how to install it."""
    if "matplotlib" not in sys.modules and not os.environ.get("MPLCONFIGDIR"):
        folder = _config_folder()
        if folder:
            os.environ["MPLCONFIGDIR"] = folder
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ChartsUnavailable() from None
    return matplotlib, Figure, FigureCanvasAgg


def _config_folder() -> str | None:
    """A folder for matplotlib's font cache under the run's temporary folder, one per user.

    matplotlib otherwise uses ~/.config and ~/.cache, and under cron (or for an account whose
    home cannot be written) it makes a temporary folder and says so on stderr at every run.
    Kept from run to run, so the fonts are listed once, not every time; refused if another
    user could have planted it.
    """
    import tempfile

    if not hasattr(os, "getuid"):  # Windows: matplotlib's own folder, in the user's profile
        return None
    folder = os.path.join(tempfile.gettempdir(), f"gunstats-matplotlib-{os.getuid()}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        status = os.lstat(folder)
        mine = stat.S_ISDIR(status.st_mode) and status.st_uid == os.getuid()
        if mine and not status.st_mode & 0o022:
            return folder
    except OSError:
        pass
    import shutil

    folder = tempfile.mkdtemp(prefix="gunstats-matplotlib-")  # this run only
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def require_charts() -> None:
    """Fail early, before any work, when matplotlib is missing."""
    _matplotlib()


def _style() -> dict:
    return {
        "svg.hashsalt": "gunstats",  # fixed ids instead of random ones
        "svg.fonttype": "none",  # text stays text: searchable, diffable, read by screen readers
        "pdf.fonttype": 42,  # TrueType: text in the PDF can be selected and searched
        "font.family": CHART_FONT,  # shipped with matplotlib, so every machine draws alike
        "font.size": 10,
        "axes.edgecolor": QUIET_COLOUR,
        "axes.labelcolor": TEXT_COLOUR,
        "xtick.color": QUIET_COLOUR,
        "ytick.color": QUIET_COLOUR,
        "text.color": TEXT_COLOUR,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        # Labels, titles and publishers are the user's text: "$5m to $10m" is money, not
        # mathtext to be set in italics (or to fail on), and TeX is never run on it.
        "text.parse_math": False,
        "text.usetex": False,
    }


def _metadata(fmt: str, title: str, description: str) -> dict:
    from gunstats.dates import source_date_epoch  # the one reader; the command checked it

    date = source_date_epoch()
    if fmt == "svg":
        return {
            "Title": title,
            "Description": description,
            "Creator": "gunstats",
            "Date": date.isoformat() if date else None,
        }
    if fmt == "pdf":
        return {
            "Title": title,
            "Subject": description,
            "Creator": "gunstats",
            "Producer": "gunstats",
            "CreationDate": date,
        }
    return {"Title": title, "Description": description, "Software": "gunstats"}


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
    # _fit_x_axes runs the axis on just far enough to make room for it.
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
    subtitle = textwrap.fill(_subtitle(spec), SUBTITLE_CHARACTERS)
    pad = 8 + 11 * (subtitle.count("\n") + 1)  # points: the subtitle sits under the title
    axes.set_title(textwrap.fill(spec.title, TITLE_CHARACTERS), loc="left", pad=pad)
    axes.annotate(
        subtitle,
        (0, 1),
        xycoords="axes fraction",
        xytext=(0, 5),
        textcoords="offset points",
        fontsize=9,
        color=QUIET_COLOUR,
        va="bottom",
    )
    if spec.direction_note:
        axes.set_title(
            spec.direction_note,
            loc="right",
            pad=pad,
            fontsize=9,
            fontweight="bold",
            color=QUIET_COLOUR,
        )
    axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _fit_x_axes(figure, panels, specs: Sequence[ChartSpec]) -> None:
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
    parts.append("Police recorded crime; figures may be revised.")
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
        _fit_x_axes(figure, panels, specs)

    title = specs[0].title if len(specs) == 1 else ", ".join(s.title for s in specs)
    description = " ".join(spec.alt_text for spec in specs)
    texts = (title, description, _footer(specs))
    which = ", ".join(spec.metric_id for spec in specs)
    size = (7.0, 0.6 + 3.4 * len(specs))
    return draw_figure(size, panels, fmt, texts, which=which, dpi=dpi, missing=missing)


def draw_figure(
    size: tuple[float, float],
    draw_on: Callable[[Figure], None],
    fmt: str,
    texts: tuple[str, str, str],
    *,
    which: str,
    dpi: int = 150,
    missing: set[str] | None = None,
) -> bytes:
    """A figure of ``size`` inches drawn on by ``draw_on``, as image bytes, with ``texts``:
    its title, description (alt text) and footer. Every chart's style, metadata, footer, SVG
    ``<desc>``, missing glyphs (see :func:`draw`) and one-line errors naming ``which`` chart
    are handled here, once."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    matplotlib, new_figure, FigureCanvasAgg = _matplotlib()
    import io

    title, description, footer = texts
    found: set[str] = set() if missing is None else missing
    with _one_line_errors(which), _missing_glyphs(found), matplotlib.rc_context(_style()):
        figure = new_figure(figsize=size, dpi=dpi, layout="constrained")
        # The object API on an Agg canvas: no pyplot, no global backend switch, no display.
        FigureCanvasAgg(figure)
        draw_on(figure)
        footer = textwrap.fill(footer, FOOTER_CHARACTERS)
        figure.supxlabel(footer, x=0.01, ha="left", fontsize=8, color=QUIET_COLOUR)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, metadata=_metadata(fmt, title, description))
    if missing is None:
        warn_missing_glyphs(found)
    data = buffer.getvalue()
    if fmt == "svg":
        data = _with_svg_description(data, description)
    return data


@contextlib.contextmanager
def _one_line_errors(which: str) -> Iterator[None]:
    """matplotlib can fail on anything; the user is told which chart, in one line."""
    try:
        yield
    except Exception as error:
        reason = " ".join(f"{type(error).__name__}: {error}".split())
        raise ChartError(f"{which}: chart cannot be drawn ({reason})") from error


@contextlib.contextmanager
def _missing_glyphs(found: set[str]) -> Iterator[None]:
    """Collect matplotlib's warnings of a missing glyph (one per character per text drawn)
    into ``found``; any other warning goes on as it came."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        text = str(warning.message)  # "Glyph 26538 (\N{...}) missing from font(s) DejaVu Sans."
        words = text.split()
        if len(words) > 1 and words[0] == "Glyph" and words[1].isdigit() and "missing" in text:
            found.add(chr(int(words[1])))
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )


def warn_missing_glyphs(characters: set[str]) -> None:
    """One warning on stderr naming every character a chart could not draw."""
    if not characters:
        return
    from gunstats.errors import printable

    listed = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted(characters))
    print(
        printable(
            f"gunstats: warning: the chart font ({CHART_FONT}) has no glyph for {listed}; "
            "they are drawn as empty boxes"
        ),
        file=sys.stderr,
    )


def _with_svg_description(svg: bytes, description: str) -> bytes:
    """Add ``<desc>`` after matplotlib's ``<title>`` and mark the root as an image.

    Screen readers announce an SVG's first ``<title>`` and ``<desc>``; matplotlib writes the
    title but keeps the description inside RDF metadata that they do not read.
    """
    text = svg.decode("utf-8")
    close = text.index("</title>") + len("</title>")
    text = text[:close] + f"\n <desc>{xml_escape(description)}</desc>" + text[close:]
    text = text.replace("<svg ", '<svg role="img" ', 1)
    return text.encode("utf-8")


def chart_filename(spec: ChartSpec, fmt: str) -> str:
    suffix = "-monthly" if spec.monthly else ""
    return f"{spec.metric_id}{suffix}.{fmt}"


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
