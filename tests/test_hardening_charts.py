"""Charts drawn from hostile or awkward figures: text as written, whole sets, quiet stderr,
readable axes. (Issue 14: items 14, 24 and 31.)"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from gunstats import charts
from gunstats.chart_specs import chart_specs
from gunstats.charts import draw
from gunstats.cli import cli
from gunstats.load import parse_figures

from .conftest import ROOT
from .test_charts import svg_texts

DOLLARS = """\
title: Costs in $ and $ (illustrative, not real data)
sources:
  s: {title: Made up for tests, publisher: "Bureau of $ and cents$"}
metrics:
  money:
    label: Seizures worth $5m to $10m
    unit: count
    better: up
    source: s
    values: {2020/21: 3, 2021/22: 4}
  tex:
    label: Cost $\\nosuch$ here
    unit: count
    better: up
    source: s
    values: {2020/21: 5, 2021/22: 6}
"""


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("GUNSTATS_FIGURES", "GUNSTATS_FORMAT", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args, expect=0):
        result = CliRunner().invoke(cli, list(args))
        assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
        return result

    return invoke


# ---- item 14: a dollar sign is a dollar sign ---------------------------------------------------


def test_dollar_signs_in_every_chart_text_are_drawn_as_written():
    money, tex = chart_specs(parse_figures(DOLLARS))
    assert money.title == "Seizures worth $5m to $10m"
    texts = svg_texts(draw([money], "svg"))
    assert "Seizures worth $5m to $10m" in texts  # one text, not glyphs set as mathtext
    assert any(t.startswith("Costs in $ and $ (illustrative") for t in texts)
    assert any(t.startswith("Source: Bureau of $ and cents$.") for t in texts)
    # A TeX command is text too: drawn, not run (it used to be a ParseFatalException).
    assert "Cost $\\nosuch$ here" in svg_texts(draw([tex], "svg"))
    assert draw([tex], "png").startswith(b"\x89PNG")


def test_chart_command_with_dollars_succeeds(run, tmp_path):
    (tmp_path / "f.yaml").write_text(DOLLARS, encoding="utf-8")
    run("chart", "-f", "f.yaml", "--output-dir", "charts", "--format", "svg")
    assert "Cost $\\nosuch$ here" in svg_texts((tmp_path / "charts" / "tex.svg").read_bytes())


def fail_on(monkeypatch, metric_id: str) -> None:
    """Make drawing one metric's chart fail, as a matplotlib error on its text would."""
    draw_axes = charts._draw_axes

    def failing(axes, spec):
        if spec.metric_id == metric_id:
            raise ValueError("simulated failure drawing " + metric_id)
        draw_axes(axes, spec)

    monkeypatch.setattr(charts, "_draw_axes", failing)


THREE = """\
title: Three synthetic measures (illustrative, not real data)
metrics:
  first: {label: First, unit: count, better: up, values: {2020/21: 1, 2021/22: VALUE}}
  second: {label: Second, unit: count, better: up, values: {2020/21: 1, 2021/22: VALUE}}
  third: {label: Third, unit: count, better: up, values: {2020/21: 1, 2021/22: VALUE}}
"""


def test_report_charts_are_all_written_or_none(run, tmp_path, monkeypatch):
    figures = tmp_path / "f.yaml"
    args = ("report", "-f", "f.yaml", "--format", "markdown", "--charts", "charts", "-o", "b.md")
    figures.write_text(THREE.replace("VALUE", "2"), encoding="utf-8")
    run(*args)
    last_month = {p.name: p.read_bytes() for p in (tmp_path / "charts").iterdir()}
    assert sorted(last_month) == ["first.png", "second.png", "third.png"]
    figures.write_text(THREE.replace("VALUE", "7"), encoding="utf-8")
    with monkeypatch.context() as patch:
        fail_on(patch, "second")
        result = run(*args, expect=1)
    assert result.stderr.count("\n") == 1 and "second" in result.stderr, result.stderr
    now = {p.name: p.read_bytes() for p in (tmp_path / "charts").iterdir()}
    assert now == last_month  # last month's set, whole: no new first chart beside old ones
    run(*args)  # and without the failure every chart is new
    assert all(p.read_bytes() != last_month[p.name] for p in (tmp_path / "charts").iterdir())


def test_a_failed_chart_makes_no_folder_and_says_which(run, tmp_path, monkeypatch):
    fail_on(monkeypatch, "shootings_solved")
    result = run("chart", "--output-dir", "new", expect=1)
    assert not (tmp_path / "new").exists()
    # One line (captured stderr gets no notice about the shipped figures; a terminal would).
    (error,) = result.stderr.splitlines()
    assert error.startswith("shootings_solved: chart cannot be drawn"), result.stderr


# ---- item 24: a quiet stderr under cron, one warning for a missing glyph -----------------------

GLYPHS = """\
title: Synthetic figures (illustrative, not real data) \U0001f52b
metrics:
  a: {label: "Shootings \u67aa\u51fb", unit: count, better: down, values: {2020/21: 3, 2021/22: 4}}
  b: {label: "Seizures \u67aa", unit: count, better: up, values: {2020/21: 5, 2021/22: 6}}
"""


def run_installed(tmp_path, *args, **environment):
    """The installed command in what cron gives a job: a bare environment, here with a home
    that cannot be written (as for a system account) and its own temporary folder."""
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env = {
        "PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin",
        "HOME": "/proc/nonexistent",  # unwritable even for root
        "TMPDIR": str(tmp_path / "tmp"),
        **environment,
    }
    return subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "gunstats"), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_no_matplotlib_cache_notice_under_cron(tmp_path):
    result = run_installed(tmp_path, "chart", "-f", str(ROOT / "figures.yaml"), "-o", "x.png")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == "x.png\n"
    # matplotlib's cache lives under the run's temporary folder, kept for the next run
    cache = tmp_path / "tmp" / f"gunstats-matplotlib-{os.getuid()}"
    assert any(name.startswith("fontlist") for name in os.listdir(cache))


LONG_LABEL = """\
title: Synthetic figures (illustrative, not real data)
metrics:
  a: {label: "LABEL", unit: count, better: down, values: {2019/20: 1, 2020/21: 2}}
""".replace("LABEL", "word " * 600)


def test_a_chart_that_cannot_be_laid_out_is_one_gunstats_warning(tmp_path):
    """matplotlib's warning (twice per drawing, with a path into gunstats) becomes one line
    in gunstats' words, naming the chart; the chart is still written."""
    (tmp_path / "f.yaml").write_text(LONG_LABEL, encoding="utf-8")
    result = run_installed(tmp_path, "chart", "-f", "f.yaml", "-o", "x.svg")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "gunstats: warning: a chart: its titles and labels leave no room to lay it out, "
        "so they may overlap"
    ]
    assert (tmp_path / "x.svg").stat().st_size > 0


def test_a_missing_glyph_is_one_gunstats_warning(tmp_path):
    (tmp_path / "f.yaml").write_text(GLYPHS, encoding="utf-8")
    result = run_installed(tmp_path, "chart", "-f", "f.yaml", "--output-dir", "charts")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr  # one for the run, not one per glyph per chart
    assert lines[0].startswith("gunstats: warning: ")
    for character in ("\u67aa", "\u51fb", "\U0001f52b"):
        assert f"{character!r} (U+{ord(character):04X})" in lines[0]
    assert sorted(os.listdir(tmp_path / "charts")) == ["a.png", "b.png"]


def test_the_users_own_matplotlib_folder_is_left_alone(tmp_path):
    mine = tmp_path / "mine"
    result = run_installed(
        tmp_path, "chart", "-f", str(ROOT / "figures.yaml"), "-o", "x.svg", MPLCONFIGDIR=str(mine)
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert any(name.startswith("fontlist") for name in os.listdir(mine))
    assert not (tmp_path / "tmp" / f"gunstats-matplotlib-{os.getuid()}").exists()


# ---- item 31: x-axis labels that never overlap, and no empty band -------------------------------


def series(count: int, monthly: bool):
    """A synthetic series of ``count`` months (from April 2001) or financial years."""
    if monthly:
        periods = [f"{2001 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}" for i in range(count)]
        key = "months"
    else:
        periods = [f"{1950 + i}/{(1951 + i) % 100:02d}" for i in range(count)]
        key = "values"
    values = ", ".join(f"{p}: {(i * 7) % 23 + 3}" for i, p in enumerate(periods))
    figures = parse_figures(
        "title: Synthetic (illustrative, not real data)\nmetrics:\n  a:\n    label: A\n"
        f"    unit: count\n    better: down\n    {key}: {{{values}}}\n"
    )
    return chart_specs(figures, monthly=monthly)


def drawn_figure(monkeypatch, specs):
    """Draw as ``gunstats chart`` does, keeping the figure to measure what was drawn."""
    from matplotlib.figure import Figure

    kept = []
    save = Figure.savefig

    def keep(figure, *args, **kwargs):
        kept.append(figure)
        return save(figure, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep)
    draw(specs, "png")
    return kept[0]


def tick_label_boxes(axes, renderer):
    low, high = axes.get_xlim()
    labelled = zip(axes.xaxis.get_majorticklocs(), axes.xaxis.get_ticklabels(), strict=True)
    boxes = [
        (label.get_text(), label.get_window_extent(renderer))
        for location, label in labelled
        if low <= location <= high and label.get_visible() and label.get_text()
    ]
    return sorted(boxes, key=lambda box: box[1].x0)


LENGTHS = [("months", n) for n in (1, 2, 5, 9, 12, 13, 24, 39, 61, 100, 163, 240, 480)] + [
    ("years", n) for n in (1, 3, 9, 12, 16, 25, 60)
]


@pytest.mark.parametrize(("kind", "count"), LENGTHS, ids=[f"{n}-{k}" for k, n in LENGTHS])
def test_x_axis_labels_never_overlap(monkeypatch, kind, count):
    specs = series(count, monthly=kind == "months")
    figure = drawn_figure(monkeypatch, specs)
    renderer = figure.canvas.get_renderer()
    (axes,) = figure.axes
    boxes = tick_label_boxes(axes, renderer)
    texts = [text for text, _ in boxes]
    assert len(boxes) >= min(count, 2), texts  # a period to read the line against
    gap = 2 * figure.dpi / 72  # two points between neighbours
    for (left, a), (right, b) in itertools.pairwise(boxes):
        assert b.x0 >= a.x1 + gap, f"{left!r} and {right!r} overlap in {texts}"
    page = figure.bbox
    assert all(page.x0 <= box.x0 and box.x1 <= page.x1 for _, box in boxes), texts
    # Labels are in time order and name real periods of the series.
    shown = [p.label for p in specs[0].points] + [str(p.period) for p in specs[0].points]
    years = {str(p.period.year) for p in specs[0].points} if kind == "months" else set()
    assert all(text in shown or text in years for text in texts), texts


@pytest.mark.parametrize("count", [9, 39, 120, 480])
def test_no_empty_band_right_of_the_latest_value(monkeypatch, count):
    specs = series(count, monthly=True)
    figure = drawn_figure(monkeypatch, specs)
    renderer = figure.canvas.get_renderer()
    (axes,) = figure.axes
    plot = axes.get_window_extent(renderer)
    written = f"{specs[0].point_text(specs[0].latest)}\n{specs[0].latest.label}"
    latest = [text for text in axes.texts if text.get_text() == written]
    edge = latest[0].get_window_extent(renderer)
    assert edge.x1 <= plot.x1  # the latest value's label is inside the plot
    assert plot.x1 - edge.x1 < 0.03 * plot.width, (edge.x1, plot.x1)  # and ends near its edge


def test_the_example_monthly_chart_is_readable(monkeypatch):
    from gunstats.load import load_figures

    specs = chart_specs(
        load_figures(ROOT / "examples" / "monthly.yaml"), ["shootings"], monthly=True
    )
    figure = drawn_figure(monkeypatch, specs)
    boxes = tick_label_boxes(figure.axes[0], figure.canvas.get_renderer())
    assert all(b.x0 > a.x1 for (_, a), (_, b) in itertools.pairwise(boxes))
    assert len(boxes) >= 4


def test_every_panel_of_a_monthly_figure_fits(monkeypatch):
    """One image of every metric: the first lacks its last month, so its latest value's label
    starts a month earlier than the others'; each must end inside its own panel."""
    from gunstats.load import load_figures

    specs = chart_specs(load_figures(ROOT / "examples" / "monthly.yaml"), monthly=True)
    assert specs[0].latest.label != specs[0].points[-1].label  # the case this test is for
    figure = drawn_figure(monkeypatch, specs)
    renderer = figure.canvas.get_renderer()
    for axes, spec in zip(figure.axes, specs, strict=True):
        boxes = tick_label_boxes(axes, renderer)
        assert all(b.x0 > a.x1 for (_, a), (_, b) in itertools.pairwise(boxes))
        plot = axes.get_window_extent(renderer)
        written = f"{spec.point_text(spec.latest)}\n{spec.latest.label}"
        (latest,) = [t for t in axes.texts if t.get_text() == written]
        assert latest.get_window_extent(renderer).x1 <= plot.x1
