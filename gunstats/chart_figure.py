"""What every chart shares, whatever it draws: matplotlib, the page, its style and its files.

matplotlib is an optional extra, imported only here, only when a chart is drawn, with the Agg
(file-only) renderer: no display is needed. :func:`draw_figure` gives every chart (the lines
of :mod:`gunstats.charts`, the bars of :mod:`gunstats.charts_areas`) its style, footer,
metadata, SVG description and one-line errors; the XmR charts of :mod:`gunstats.charts_spc`
use its parts.

The same figures always give byte-identical SVG and PDF (and PNG): no creation dates (unless
``SOURCE_DATE_EPOCH`` asks for one), fixed SVG ids, no matplotlib version in the files, and the
font matplotlib ships with, so charts can be committed and diffed.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import stat
import sys
import textwrap
import warnings
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

from gunstats.errors import GunstatsError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FORMATS = ("png", "svg", "pdf")
CHART_FONT = "DejaVu Sans"
INSTALL_HINT = "pip install '.[charts]' in the gunstats folder (or pip install matplotlib)"
"""gunstats is installed from its clone, not the package index: 'gunstats[charts]' finds nothing."""

# Okabe-Ito blue: distinct for every common colour-vision deficiency and dark enough to read
# as near-black in greyscale, against light-grey bands for the years not published.
LINE_COLOUR = "#0072B2"
TEXT_COLOUR = "#222222"
QUIET_COLOUR = "#555555"
GAP_COLOUR = "#E4E4E4"
GRID_COLOUR = "#D0D0D0"
TITLE_CHARACTERS = 55
SUBTITLE_CHARACTERS = 88
FOOTER_CHARACTERS = 120


class ChartError(GunstatsError):
    """matplotlib could not draw a chart: one line naming the metric, never a traceback."""


class ChartsUnavailable(GunstatsError):
    """matplotlib (the ``charts`` extra) is not installed."""

    def __init__(self) -> None:
        super().__init__(
            f"charts need matplotlib, which is not installed; install it with: {INSTALL_HINT}"
        )


def matplotlib_api():
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
    matplotlib_api()


def chart_style() -> dict:
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


def chart_metadata(fmt: str, title: str, description: str) -> dict:
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
    ``<desc>``, missing glyphs (see :func:`gunstats.charts.draw`) and one-line errors naming
    ``which`` chart are handled here, once."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    matplotlib, new_figure, FigureCanvasAgg = matplotlib_api()
    import io

    title, description, footer = texts
    found: set[str] = set() if missing is None else missing
    with (
        _one_line_errors(which),
        _chart_warnings(found, which),
        matplotlib.rc_context(chart_style()),
    ):
        figure = new_figure(figsize=size, dpi=dpi, layout="constrained")
        # The object API on an Agg canvas: no pyplot, no global backend switch, no display.
        FigureCanvasAgg(figure)
        draw_on(figure)
        footer = textwrap.fill(footer, FOOTER_CHARACTERS)
        figure.supxlabel(footer, x=0.01, ha="left", fontsize=8, color=QUIET_COLOUR)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, metadata=chart_metadata(fmt, title, description))
    if missing is None:
        warn_missing_glyphs(found)
    data = buffer.getvalue()
    if fmt == "svg":
        data = with_svg_description(data, description)
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
def _chart_warnings(found: set[str], which: str) -> Iterator[None]:
    """Collect matplotlib's warnings of a missing glyph (one per character per text drawn)
    into ``found``; say any other warning once, in one line naming the chart, not as
    Python's two lines with a path into gunstats."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    said = set()
    for warning in caught:
        text = " ".join(str(warning.message).split())
        words = text.split()  # "Glyph 26538 (\N{...}) missing from font(s) DejaVu Sans."
        if len(words) > 1 and words[0] == "Glyph" and words[1].isdigit() and "missing" in text:
            found.add(chr(int(words[1])))
            continue
        if text.startswith("constrained_layout not applied"):
            text = "its titles and labels leave no room to lay it out, so they may overlap"
        if text not in said:
            said.add(text)
            _warn(f"gunstats: warning: {which} chart: {text}")


def warn_missing_glyphs(characters: set[str]) -> None:
    """One warning on stderr naming every character a chart could not draw."""
    if not characters:
        return
    listed = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted(characters))
    _warn(
        f"gunstats: warning: the chart font ({CHART_FONT}) has no glyph for {listed}; "
        "they are drawn as empty boxes"
    )


def _warn(line: str) -> None:
    from gunstats.errors import printable

    print(printable(line), file=sys.stderr)


def with_svg_description(svg: bytes, description: str) -> bytes:
    """Add ``<desc>`` after matplotlib's ``<title>`` and mark the root as an image.

    Screen readers announce an SVG's first ``<title>`` and ``<desc>``; matplotlib writes the
    title but keeps the description inside RDF metadata that they do not read.
    """
    text = svg.decode("utf-8")
    close = text.index("</title>") + len("</title>")
    text = text[:close] + f"\n <desc>{xml_escape(description)}</desc>" + text[close:]
    text = text.replace("<svg ", '<svg role="img" ', 1)
    return text.encode("utf-8")


def draw_titles(axes: Axes, title: str, subtitle: str, direction_note: str | None) -> None:
    """The title, left-aligned, with its quieter subtitle under it, each folded to fit, and
    which way is better on the right."""
    folded = textwrap.fill(subtitle, SUBTITLE_CHARACTERS)
    pad = 8 + 11 * (folded.count("\n") + 1)  # points: the subtitle sits under the title
    axes.set_title(textwrap.fill(title, TITLE_CHARACTERS), loc="left", pad=pad)
    axes.annotate(
        folded,
        (0, 1),
        xycoords="axes fraction",
        xytext=(0, 5),
        textcoords="offset points",
        fontsize=9,
        color=QUIET_COLOUR,
        va="bottom",
    )
    if direction_note:
        axes.set_title(
            direction_note, loc="right", pad=pad, fontsize=9, fontweight="bold", color=QUIET_COLOUR
        )
