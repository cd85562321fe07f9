"""Fuzzing the loader: whatever the bytes, the only outcomes are figures or a FiguresError.

Hypothesis drives four kinds of input: raw bytes (through the file reader), arbitrary text,
text made of the characters YAML gives meaning to, and mutations of the shipped
``figures.yaml`` (byte flips, deleted, duplicated and swapped lines, inserted YAML tokens),
which get past the parser far more often than random text does. Whatever loads is also
computed and rendered in every format. A run is bounded (2,000 examples per kind in CI,
about ten seconds in all); ``HYPOTHESIS_PROFILE=thorough`` fuzzes ten times longer.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from gunstats.compute import build_report
from gunstats.errors import FiguresError
from gunstats.load import load_figures, parse_figures
from gunstats.render import TEXT_FORMATS, renderer

from .conftest import SHIPPED
from .test_hostile import TERMINAL_CONTROLS, no_hang

SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")
SHIPPED_LINES = SHIPPED_TEXT.splitlines(keepends=True)
EXAMPLES = settings().max_examples
FUZZ = settings(max_examples=10 * EXAMPLES)

YAML_ALPHABET = st.sampled_from(
    [
        *"-:{}[],&*!|>'\"%@#?~.\n\n\n    \t",
        *("0", "1", "9", "a", "z", "é", "\r", "\x1b", "\ufeff", "\u2028"),
        *("2019/20", "metrics", "label", "unit", "count", "percent", "better", "up", "values"),
        *("&a ", "*a", "!!str ", "!!python/object ", "<<: ", "--- ", "...", "yes", ".nan"),
    ]
)

SCALARS = ["0", "010", "1:20", "1,234", "38%", "12.5", "-1", "1e3", "~", "yes", ".inf"]
SCALARS += ["''", "[]", "{}", "&x 5", "*x", "!!int 5", "9" * 40, "2019/20", "|\n  x"]


def outcome(path: str, text: str | None = None, data: bytes | None = None):
    """Load (text or bytes), then compute and render what loaded; return the figures or error."""
    with no_hang():
        try:
            if data is not None:
                with tempfile.TemporaryDirectory() as folder:
                    file = Path(folder) / path
                    file.write_bytes(data)
                    figures = load_figures(file)
            else:
                figures = parse_figures(text, path)
        except FiguresError as error:
            check_message(error, path)
            return error
        report = build_report(figures)
        for output_format in TEXT_FORMATS:
            assert renderer(output_format)(report)
        return figures


def check_message(error: FiguresError, path: str) -> None:
    message = str(error)
    assert message and error.problems
    for line in message.split("\n"):
        assert path in line, line
        assert not TERMINAL_CONTROLS.search(line), repr(line)


@FUZZ
@given(st.binary(max_size=3000))
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfe\x00\x00")
@example(b"\x00")
def test_any_bytes(data):
    outcome("fuzz.yaml", data=data)


@FUZZ
@given(st.text(max_size=2000))
def test_any_text(text):
    outcome("fuzz.yaml", text=text)


@FUZZ
@given(st.lists(YAML_ALPHABET, max_size=300).map("".join))
def test_yaml_shaped_text(text):
    outcome("fuzz.yaml", text=text)


@st.composite
def mutated_shipped_file(draw) -> str:
    lines = list(SHIPPED_LINES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "delete", "duplicate", "swap", "insert", "retype"]))
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        if kind == "flip" and line:
            at = draw(st.integers(0, len(line) - 1))
            code = (ord(line[at]) ^ (1 << draw(st.integers(0, 6)))) or 1
            lines[index] = line[:at] + chr(code) + line[at + 1 :]
        elif kind == "delete":
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, line)
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], line
        elif kind == "insert" and line:
            at = draw(st.integers(0, len(line)))
            token = draw(YAML_ALPHABET)
            lines[index] = line[:at] + token + line[at:]
        elif kind == "retype" and ": " in line:  # a value replaced by another YAML scalar
            head = line.split(": ", 1)[0]
            lines[index] = f"{head}: {draw(st.sampled_from(SCALARS))}\n"
        if not lines:
            lines = ["\n"]
    return "".join(lines)


@FUZZ
@given(mutated_shipped_file())
def test_mutations_of_the_shipped_file(text):
    outcome("figures.yaml", text=text)


def test_mutations_reach_the_renderers():
    """The mutation fuzzer is only useful if some mutants load: check that some do."""
    loaded = 0
    for number in range(40):
        lines = list(SHIPPED_LINES)
        del lines[number % len(lines)]  # deleting one line often leaves a valid file
        if not isinstance(outcome("figures.yaml", text="".join(lines)), FiguresError):
            loaded += 1
    assert loaded >= 5
