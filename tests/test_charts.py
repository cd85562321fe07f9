"""Charts: what each says (pure specs), the images on the seed data, reproducibility, the CLI.

matplotlib is in the ``test`` extra, so these run everywhere the suite runs; the path where
it is missing is simulated by hiding it from the import system.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from gunstats.chart_specs import chart_specs
from gunstats.charts import draw
from gunstats.cli import cli
from gunstats.load import load_figures, parse_figures
from gunstats.periods import FinancialYear

from .conftest import SHIPPED

SVG = "{http://www.w3.org/2000/svg}"

MONTHLY = """\
title: Synthetic monthly figures (not real data)
metrics:
  shootings:
    label: Shootings
    unit: count
    better: down
    months: {2022-04: 20, 2022-05: 18, 2022-07: 25, 2022-08: 16}
  solved:
    label: Shootings solved
    unit: percent
    better: up
    values: {2021/22: 38}
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


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    return [" ".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


def data_line_paths(data: bytes) -> list[str]:
    """The ``d`` of each path drawn in the series colour as a line (not the markers)."""
    root = ET.fromstring(data)
    return [
        path.get("d")
        for path in root.iter(f"{SVG}path")
        if "stroke: #0072b2" in (path.get("style") or "") and "fill: none" in path.get("style")
    ]


# ---- what a chart says (no matplotlib) -------------------------------------------------------


def test_specs_keep_gaps_and_say_which_way_is_better():
    specs = {s.metric_id: s for s in chart_specs(load_figures(SHIPPED))}
    assert list(specs) == ["lethal_firearms_seized", "shootings", "shootings_solved"]
    shootings = specs["shootings"]
    assert [str(p.period) for p in shootings.points] == ["2019/20", "2020/21", "2021/22"]
    assert [p.value for p in shootings.points] == [283, None, 196]
    assert shootings.direction_note == "Lower is better"
    assert specs["lethal_firearms_seized"].direction_note == "Higher is better"
    assert shootings.alt_text == (
        "Line chart of Shootings (number) by financial year, 2019/20 to 2021/22. "
        "2019/20: 283; 2020/21: not published; 2021/22: 196. Latest: 196 in 2021/22. "
        "Down 87 (30.7%) in 2021/22 compared with 2019/20. Lower is better."
    )
    # A percentage changes by percentage points, never by per cent (docs/conventions.md C1).
    solved = specs["shootings_solved"]
    assert solved.change_note == "Up 18.0 percentage points in 2021/22 compared with 2019/20"
    assert "Latest: 38.0% in 2021/22." in solved.alt_text


def test_specs_follow_metric_and_period_selection():
    specs = chart_specs(load_figures(SHIPPED), ["shootings"], FinancialYear(2020))
    assert [(s.metric_id, [str(p.period) for p in s.points]) for s in specs] == [
        ("shootings", ["2021/22"])
    ]


def test_monthly_specs_chart_the_months_with_gaps():
    (spec,) = chart_specs(parse_figures(MONTHLY), monthly=True)
    assert [p.label for p in spec.points] == [
        "Apr 2022",
        "May 2022",
        "Jun 2022",
        "Jul 2022",
        "Aug 2022",
    ]
    assert [p.value for p in spec.points] == [20, 18, None, 25, 16]
    assert spec.axis_label == "Number per month"
    assert spec.change_note is None  # one month against another is never the headline


# ---- the images --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_specs():
    return chart_specs(load_figures(SHIPPED))


def test_png_is_a_png(seed_specs):
    data = draw(seed_specs[:1], "png")
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"IEND" in data[-12:]


def test_pdf_is_a_pdf_with_its_title(seed_specs):
    data = draw(seed_specs, "pdf")
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    assert b"/CreationDate" not in data and b"Matplotlib" not in data


def test_svg_says_what_it_shows(seed_specs):
    shootings = next(s for s in seed_specs if s.metric_id == "shootings")
    data = draw([shootings], "svg")
    root = ET.fromstring(data)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Shootings"
    assert "2020/21: not published" in root.find(f"{SVG}desc").text
    texts = svg_texts(data)
    assert "Shootings" in texts  # the title
    assert "196" in texts  # the latest value, labelled
    assert "Number per financial year" in texts and "Financial year" in texts  # axis labels
    assert {"2019/20", "2020/21", "2021/22"} <= set(texts)
    assert "0" in texts  # the count axis starts at zero
    assert "Lower is better" in texts
    assert "Gun crime in London. Down 87 (30.7%) in 2021/22 compared with 2019/20." in texts
    assert any(t.startswith("Source: Metropolitan Police Service") for t in texts)


def test_percent_axis_for_rates(seed_specs):
    solved = next(s for s in seed_specs if s.metric_id == "shootings_solved")
    texts = svg_texts(draw([solved], "svg"))
    assert "0%" in texts and "38.0%" in texts and "Per cent" in texts


def test_missing_years_are_gaps_not_joined_lines(seed_specs):
    by_id = {s.metric_id: s for s in seed_specs}
    (shootings_line,) = data_line_paths(draw([by_id["shootings"]], "svg"))
    # 2019/20 and 2021/22 are drawn as points; no segment crosses the unpublished 2020/21.
    assert "L" not in shootings_line and shootings_line.count("M") == 2
    (seized_line,) = data_line_paths(draw([by_id["lethal_firearms_seized"]], "svg"))
    assert seized_line.count("L") == 2  # three consecutive years are joined
    assert "not published" in " ".join(svg_texts(draw([by_id["shootings"]], "svg")))


def test_monthly_gap_breaks_the_line():
    (spec,) = chart_specs(parse_figures(MONTHLY), monthly=True)
    (line,) = data_line_paths(draw([spec], "svg"))
    assert line.count("M") == 2 and line.count("L") == 2  # Apr-May, then Jul-Aug


def test_one_figure_with_a_panel_per_metric(seed_specs):
    texts = svg_texts(draw(seed_specs, "svg"))
    assert {"Lethal firearms seized", "Shootings", "Shootings solved"} <= set(texts)


DRAW_SEED = """
import sys
from gunstats.chart_specs import chart_specs
from gunstats.charts import draw
from gunstats.load import load_figures
sys.stdout.buffer.write(draw(chart_specs(load_figures(sys.argv[1])), sys.argv[2]))
"""


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png"])
def test_same_data_gives_byte_identical_files(fmt):
    """Two separate processes, different hash seeds: the bytes must not differ at all."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        result = subprocess.run(
            [sys.executable, "-c", DRAW_SEED, str(SHIPPED), fmt],
            capture_output=True,
            env=env,
            check=True,
            timeout=120,
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 1000


def test_source_date_epoch_is_the_only_date(monkeypatch, seed_specs):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert b"<dc:date>" not in draw(seed_specs[:1], "svg")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1650000000")
    assert b"<dc:date>2022-04-15T05:20:00+00:00</dc:date>" in draw(seed_specs[:1], "svg")


# ---- the command ---------------------------------------------------------------------------------


def test_chart_output_dir_writes_one_file_per_metric(run, tmp_path):
    result = run("chart", "-f", str(SHIPPED), "--output-dir", "charts/")
    written = result.stdout.splitlines()
    assert [Path(p).name for p in written] == [
        "lethal_firearms_seized.png",
        "shootings.png",
        "shootings_solved.png",
    ]
    for path in written:
        assert (tmp_path / path).read_bytes().startswith(b"\x89PNG")
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("name", "magic"), [("c.svg", b"<?xml"), ("c.pdf", b"%PDF"), ("c.png", b"\x89PNG")]
)
def test_chart_output_file_format_from_extension(run, tmp_path, name, magic):
    run("chart", "--metric", "shootings", "--output", name)
    assert (tmp_path / name).read_bytes().startswith(magic)


def test_chart_format_for_a_folder(run, tmp_path):
    run("chart", "-m", "shootings", "--format", "svg", "-d", "out")
    assert (tmp_path / "out" / "shootings.svg").exists()


def test_chart_monthly(run, tmp_path, write_figures):
    path = write_figures(MONTHLY)
    result = run("chart", "-f", str(path), "--monthly", "-d", "out", "--format", "svg")
    assert result.stdout == os.path.join("out", "shootings-monthly.svg") + "\n"
    # A file without months cannot give what the command needs: bad input, not bad usage.
    shipped = run("chart", "-f", str(SHIPPED), "--monthly", "-d", "out", expect=1)
    assert shipped.stderr == f"{SHIPPED}: no monthly values (months:) to chart\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give either --output FILE or --output-dir DIR"),
        (("-o", "a.png", "-d", "x"), "give either --output FILE or --output-dir DIR"),
        (("-o", "chart.jpg"), "cannot tell the image format from 'chart.jpg'"),
        (("-o", "chart.png", "--format", "svg"), "--format svg disagrees with 'chart.png'"),
        (("-d", "x", "--metric", "shootingz"), "Did you mean 'shootings'?"),
    ],
)
def test_chart_usage_errors(run, args, message):
    result = run("chart", *args, expect=2)
    assert message in result.stderr


def test_failed_chart_keeps_the_old_file(run, tmp_path, write_figures):
    (tmp_path / "old.svg").write_bytes(b"OLD")
    bad = write_figures(
        "metrics:\n  a:\n    label: A\n    unit: count\n    better: up\n"
        "    values: {2019/20: -1}\n",
        "bad.yaml",
    )
    run("chart", "-f", str(bad), "-o", "old.svg", expect=1)
    assert (tmp_path / "old.svg").read_bytes() == b"OLD"


def hide_matplotlib(monkeypatch):
    """What a machine without the charts extra sees: ``import matplotlib`` fails."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)


def test_chart_without_matplotlib_says_how_to_install(run, monkeypatch, tmp_path):
    hide_matplotlib(monkeypatch)
    result = run("chart", "--output-dir", "charts", expect=1)
    assert result.stderr == (
        "charts need matplotlib, which is not installed; "
        "install it with: pip install '.[charts]' in the gunstats folder (or pip install "
        "matplotlib)\n"
    )
    assert result.stdout == ""
    assert not (tmp_path / "charts").exists()


def test_report_charts_without_matplotlib(run, monkeypatch, tmp_path):
    hide_matplotlib(monkeypatch)
    result = run("report", "--format", "markdown", "--charts", "charts", expect=1)
    assert "pip install '.[charts]' in the gunstats folder" in result.stderr
    assert result.stdout == ""


# ---- charts in the Markdown report ---------------------------------------------------------------


def test_report_embeds_charts_with_alt_text(run, tmp_path):
    result = run("report", "--format", "markdown", "--charts", "charts/")
    markdown = result.stdout
    images = re.findall(r"^!\[(.+)\]\(<(.+)>\)$", markdown, re.MULTILINE)
    assert [link for _, link in images] == [
        "charts/lethal_firearms_seized.png",
        "charts/shootings.png",
        "charts/shootings_solved.png",
    ]
    for alt, link in images:
        assert alt.startswith("Line chart of ")
        assert (tmp_path / link).read_bytes().startswith(b"\x89PNG")
    # After the tables, before the key: the figures first, then their picture.
    assert markdown.index("## Change since the baseline year") < markdown.index("## Charts")
    assert markdown.index("## Charts") < markdown.index("## Key")


def test_report_chart_links_are_relative_to_the_output_file(run, tmp_path):
    (tmp_path / "briefs").mkdir()
    run("report", "-o", "briefs/brief.md", "--charts", "briefs/img", "-m", "shootings")
    text = (tmp_path / "briefs" / "brief.md").read_text()
    assert "](<img/shootings.png>)" in text
    assert (tmp_path / "briefs" / "img" / "shootings.png").exists()


def test_markdown_alt_text_parses_as_one_image():
    from markdown_it import MarkdownIt

    from gunstats.render.markdown import chart_section

    lines = chart_section([("my charts/a (1).png", "Odd [alt] *text* | here")])
    html = MarkdownIt("commonmark").render("\n".join(lines))
    assert '<img src="my%20charts/a%20(1).png" alt="Odd [alt] *text* | here"' in html


def test_charts_only_in_markdown(run):
    result = run("report", "--format", "json", "--charts", "charts", expect=2)
    assert "charts are embedded only in Markdown" in result.stderr


def test_cli_import_does_not_load_matplotlib_or_rich():
    code = "import sys, gunstats.cli; print(sorted({'matplotlib', 'rich'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"


def test_change_from_a_zero_base_has_no_percentage():
    figures = parse_figures(
        "title: Synthetic (not real data)\nmetrics:\n  a:\n    label: A\n    unit: count\n"
        "    better: up\n    values: {2019/20: 0, 2020/21: 5}\n"
    )
    (spec,) = chart_specs(figures)
    assert spec.change_note == "Up 5 in 2020/21 compared with 2019/20"


def test_many_months_label_the_latest_with_its_month():
    months = ", ".join(f"2021-{m:02d}: {m}" for m in range(1, 13)) + ", 2022-02: 7"
    figures = parse_figures(
        "title: Synthetic (not real data)\nmetrics:\n  a:\n    label: A\n    unit: count\n"
        f"    better: neither\n    months: {{{months}}}\n"
    )
    (spec,) = chart_specs(figures, monthly=True)
    assert "1 months not published" not in spec.alt_text
    assert "1 month not published." in spec.alt_text
    assert "Latest: 7 in Feb 2022." in spec.alt_text
    texts = svg_texts(draw([spec], "svg"))
    assert "7" in texts and "Feb 2022" in texts  # the latest value and its month


def test_installed_command_in_a_bare_environment(tmp_path):
    """As cron runs it: no HOME, no LANG, no display; the files appear, nothing goes wrong."""
    gunstats = Path(sys.executable).parent / "gunstats"
    result = subprocess.run(
        [str(gunstats), "chart", "--output-dir", "charts", "--format", "svg"],
        cwd=tmp_path,
        env={"PATH": f"{gunstats.parent}:/usr/bin:/bin"},
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == [
        "lethal_firearms_seized.svg",
        "shootings.svg",
        "shootings_solved.svg",
    ]


def test_bytes_are_written_atomically_and_keep_permissions(tmp_path):
    from gunstats.output import write_bytes_atomically

    target = tmp_path / "chart.png"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_bytes_atomically(str(target), b"\x89PNG\r\n\x00\xff")
    assert target.read_bytes() == b"\x89PNG\r\n\x00\xff"  # no newline or encoding translation
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]  # no temporary file left


def test_flags_are_written_beside_values_and_explained():
    figures = parse_figures(
        "title: Synthetic (not real data)\nmetrics:\n  a:\n    label: A\n    unit: count\n"
        "    better: down\n    values:\n      2020/21: 10\n"
        "      2021/22: {value: 8, flags: [provisional]}\n"
    )
    (spec,) = chart_specs(figures)
    assert "Latest: 8 (provisional) in 2021/22." in spec.alt_text
    texts = svg_texts(draw([spec], "svg"))
    assert "8 [p]" in texts
    assert any("[p] provisional." in t for t in texts)


def test_long_titles_are_folded_to_stay_on_the_page():
    label = "Firearms discharges resulting in injury, recorded by the force and its partners"
    figures = parse_figures(
        "title: Synthetic (not real data)\nmetrics:\n  a:\n"
        f"    label: {label}\n    unit: count\n    better: down\n"
        "    values: {2020/21: 10, 2021/22: 8}\n"
    )
    texts = svg_texts(draw(chart_specs(figures), "svg"))
    assert "Firearms discharges resulting in injury, recorded by" in texts
    assert "the force and its partners" in texts


@pytest.mark.parametrize("epoch", ["abc", "99999999999999999999"])
def test_a_bad_source_date_epoch_is_one_usage_error_before_drawing(run, monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = run("chart", "--output", "x.svg", expect=2)
    assert f"SOURCE_DATE_EPOCH={epoch!r}" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("Error: Invalid value for SOURCE")
    assert not Path("x.svg").exists()
