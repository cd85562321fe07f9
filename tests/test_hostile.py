"""Broken and hostile figures files: a clear one-line error, exit 1, never a traceback.

Each case in ``tests/data/invalid/`` is a file and the message it must produce beside it
(``case.yaml`` and ``case.expected``): adding a case is adding two files. The files in
``tests/data/valid/`` are odd but legitimate (a byte-order mark, CR line ends, labels full of
Markdown, HTML and Rich markup) and must load, and print exactly as written.
"""

from __future__ import annotations

import contextlib
import re
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from gunstats.cli import cli
from gunstats.compute import build_report
from gunstats.load import load_figures
from gunstats.render import markdown, table
from gunstats.render.options import RenderOptions

from .conftest import all_commands

DATA = Path(__file__).resolve().parent / "data"
INVALID = sorted((DATA / "invalid").glob("*.yaml"))
VALID = sorted((DATA / "valid").glob("*.yaml"))
HANG_SECONDS = 20
"""The inputs this guards against once ran for minutes; a shared CI machine under load runs
the slowest honest case (every year gunstats accepts) in about 6 s."""
TERMINAL_CONTROLS = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
"""Everything that could move a cursor, change colours or reorder text, except ``\\n``."""


@contextlib.contextmanager
def no_hang(seconds: int = HANG_SECONDS):
    """Fail the test if the block runs longer than a user would wait: a hang, not a timing."""

    def expire(signum, frame):
        raise AssertionError(f"still running after {seconds} s: gunstats hangs on this input")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def commands_reading_figures() -> list[str]:
    """Every command that takes ``--figures``: a new command is covered without a new test."""
    return sorted(
        name
        for name, command in all_commands().items()
        if any(param.name == "figures" for param in command.params)
    )


@pytest.fixture
def run(monkeypatch):
    for name in ("GUNSTATS_FIGURES", "GUNSTATS_FORMAT", "GUNSTATS_MAX_BYTES", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args, env=None):
        with no_hang():
            return CliRunner().invoke(cli, list(args), env=env)

    return invoke


def test_the_corpus_is_large_enough():
    assert len(INVALID) >= 40
    assert all(path.with_suffix(".expected").is_file() for path in INVALID)


@pytest.mark.parametrize("case", INVALID, ids=[path.stem for path in INVALID])
def test_invalid_file_is_refused_with_its_message(case, run, monkeypatch, tmp_path):
    monkeypatch.chdir(case.parent)
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").strip()
    assert expected.startswith(case.name + ":"), "an expected message names the file"
    # What a command needs besides the figures to get as far as reading them.
    required = {"chart": ["--output-dir", str(tmp_path / "charts")], "set": ["a", "2019/20", "1"]}
    before = case.read_bytes()
    for command in commands_reading_figures():
        result = run(command, "-f", case.name, *required.get(command, []))
        assert result.exit_code == 1, (command, result.stdout, result.stderr, result.exception)
        assert isinstance(result.exception, SystemExit), result.exception
        lines = result.stderr.splitlines()
        assert any(line.startswith(expected) for line in lines), (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert not TERMINAL_CONTROLS.search(result.stderr), repr(result.stderr)
        assert result.stdout == ""
    assert not (tmp_path / "charts").exists()  # nothing written for a file that is refused
    assert case.read_bytes() == before  # gunstats set left it alone


@pytest.mark.parametrize("case", VALID, ids=[path.stem for path in VALID])
def test_odd_but_valid_file_loads(case, run, monkeypatch):
    monkeypatch.chdir(case.parent)
    result = run("validate", "-f", case.name)
    assert result.exit_code == 0, result.stderr
    for output_format in ("table", "markdown", "json", "csv"):
        result = run("report", "-f", case.name, "--format", output_format)
        assert result.exit_code == 0, (output_format, result.stderr)
        assert not TERMINAL_CONTROLS.search(result.stdout.replace("\r\n", "\n"))


def test_byte_order_mark_and_line_ends_do_not_change_the_figures():
    plain = load_figures(DATA / "valid" / "utf8_with_bom.yaml")
    for name in ("crlf_line_ends.yaml", "cr_only_line_ends.yaml"):
        other = load_figures(DATA / "valid" / name)
        assert other.metrics == plain.metrics
        assert other.title == plain.title


HOSTILE = DATA / "valid" / "hostile_labels.yaml"


def hostile_report():
    return build_report(load_figures(HOSTILE))


def cell_texts(tokens) -> list[list[str]]:
    """Each table row's cells as the reader sees them (escapes undone), in order."""
    rows, row = [], None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            assert all(child.type == "text" for child in token.children), [
                child.type for child in token.children
            ]
            row.append("".join(child.content for child in token.children))
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    return rows


def test_markup_in_labels_prints_as_written_in_markdown():
    report = hostile_report()
    text = markdown.render(report)
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)
    kinds = {token.type for token in tokens}
    assert not kinds & {"html_block", "html_inline", "code_block"}
    assert kinds >= {"table_open", "ordered_list_open"}  # the tables and the sources list
    children = [child for t in tokens if t.type == "inline" for child in t.children]
    assert not {child.type for child in children} & {
        "html_inline",
        "strong_open",
        "em_open",
        "s_open",
        "code_inline",
        "image",
    }
    links = [child.attrs["href"] for child in children if child.type == "link_open"]
    assert links == ["https://example.invalid/report?a=1&b=2"]  # the source's own address
    headings = [
        "".join(child.content for child in tokens[i + 1].children)
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]
    assert headings[0] == report.figures.title
    rows = cell_texts(tokens)
    labels = [
        m.metric.label + (" (%)" if m.metric.unit.value == "percent" else "")
        for m in report.metrics
    ]
    value_rows = rows[1 : 1 + len(labels)]
    assert [row[0] for row in value_rows] == labels
    assert all(len(row) == len(rows[0]) for row in value_rows)


def test_markup_in_labels_prints_as_written_in_the_table():
    report = hostile_report()
    text = table.render(report, RenderOptions(width=200))
    for metric_report in report.metrics:
        assert metric_report.metric.label in text
    assert "[red]Made up[/red] <b>for</b> *tests*" in text
    assert "\x1b" not in text


def test_styled_table_has_no_escape_codes_from_labels():
    """With colour on, every escape sequence comes from Rich's own styles, none from a label."""
    text = table.render(hostile_report(), RenderOptions(width=200, styled=True, color=True))
    without_styles = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert not TERMINAL_CONTROLS.search(without_styles)
    assert "[red]Rich markup[/red] and [x] and [bold blink]" in without_styles


def test_size_limit_is_configurable(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "figures.yaml").write_bytes((DATA / "valid" / "crlf_line_ends.yaml").read_bytes())
    assert run("validate", "-f", "figures.yaml").exit_code == 0
    result = run("validate", "-f", "figures.yaml", env={"GUNSTATS_MAX_BYTES": "100"})
    assert result.exit_code == 1
    assert result.stderr.startswith("figures.yaml: file is ")
    assert "over the limit of 100 (set GUNSTATS_MAX_BYTES to allow a larger file)" in result.stderr


def test_a_100_mb_file_is_refused_without_being_read(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open(tmp_path / "huge.yaml", "wb") as handle:  # sparse: no 100 MB on disk
        handle.truncate(100 * 1024 * 1024)
    result = run("validate", "-f", "huge.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "huge.yaml: file is 104,857,600 bytes, over the limit of 67,108,864 "
        "(set GUNSTATS_MAX_BYTES to allow a larger file)\n"
    )


def test_long_values_do_not_make_the_hints_slow(run, tmp_path, monkeypatch):
    """The "did you mean" hints use backtracking patterns; a long value skips them."""
    monkeypatch.chdir(tmp_path)
    for value in (
        "9" * 200_000,
        "9" * 200_000 + "x",
        "1" + "0" * 200_000 + "e",
        "9" * 200_000 + ",",
    ):
        (tmp_path / "figures.yaml").write_text(
            "title: T\nmetrics:\n  a:\n    label: A\n    unit: count\n    better: up\n"
            f"    values: {{2019/20: {value}}}\n"
        )
        result = run("validate", "-f", "figures.yaml")
        assert result.exit_code == 1
        assert "is not a number" in result.stderr or "has too many digits" in result.stderr


def test_recursion_limit_cannot_escape():
    """libyaml stops at 1,000 levels; should a deeper tree still reach Python, it is an error."""
    import sys

    from gunstats.errors import FiguresError
    from gunstats.load import parse_figures

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(120)
    try:
        with pytest.raises(FiguresError) as raised:
            parse_figures("metrics: " + "[" * 500 + "]" * 500 + "\n", "deep.yaml")
    finally:
        sys.setrecursionlimit(old)
    assert str(raised.value).startswith("deep.yaml")


def test_control_characters_in_a_file_name_are_not_echoed_raw(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate", "-f", "evil\x1b]0;pwned\x07.yaml")
    assert result.exit_code == 1
    assert result.stderr == "evil\\x1b]0;pwned\\x07.yaml: no such file\n"
