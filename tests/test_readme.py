"""Every ```console block in README.md is run, and its output must be what the README shows.

Regenerate after a deliberate change: ``GUNSTATS_UPDATE_GOLDEN=1 pytest tests/test_readme.py``.
"""

from __future__ import annotations

import os
import re
import shlex

import pytest
from click.testing import CliRunner

from gunstats.cli import cli

from .conftest import ROOT

README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ (?P<command>[^\n]*)\n(?P<output>.*?)```", re.DOTALL)


def blocks():
    return list(BLOCK.finditer(README.read_text(encoding="utf-8")))


def run(command: str) -> str:
    args = shlex.split(command)
    assert args[0] == "gunstats", command
    result = CliRunner().invoke(cli, args[1:])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.output


@pytest.fixture(autouse=True)
def in_repository(monkeypatch):
    monkeypatch.chdir(ROOT)
    for name in ("GUNSTATS_FIGURES", "GUNSTATS_FORMAT", "NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def test_readme_has_examples():
    assert len(blocks()) >= 5


def test_readme_examples_are_real_output():
    text = README.read_text(encoding="utf-8")
    if os.environ.get("GUNSTATS_UPDATE_GOLDEN"):
        text = BLOCK.sub(lambda m: f"```console\n$ {m['command']}\n{run(m['command'])}```", text)
        README.write_text(text, encoding="utf-8")
    for match in blocks():
        assert run(match["command"]) == match["output"], f"README example: {match['command']}"


def test_readme_figures_example_is_valid():
    from gunstats.load import parse_figures

    example, *more = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    figures = parse_figures(example, "README.md")
    assert [m.id for m in figures.metrics] == ["shootings", "shootings_solved"]
    for other in more:  # such as the monthly example
        parse_figures(other, "README.md")
