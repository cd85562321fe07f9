"""Shared fixtures. Figures written by tests are synthetic and say so in their titles."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests: 200 examples each, as in CI, with no per-example deadline (a slow CI runner
# must not turn into a flaky failure). HYPOTHESIS_PROFILE=quick for a fast local loop, or
# =thorough before a release.
_PROFILE = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=200, **_PROFILE)
settings.register_profile("quick", max_examples=25, **_PROFILE)
settings.register_profile("thorough", max_examples=2000, **_PROFILE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "figures.yaml"


@pytest.fixture
def write_figures(tmp_path):
    """Write YAML text (dedented) to a file and return its path."""

    def write(text: str, name: str = "figures.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


SYNTHETIC = """\
title: Synthetic test figures (not real data)
sources:
  test: {title: Made up for tests, publisher: gunstats tests}
metrics:
  seized:
    label: Things seized
    unit: count
    better: up
    source: test
    values: {2018/19: 0, 2019/20: 1234, 2020/21: 1234, 2021/22: 2000}
  rate:
    label: Rate solved
    unit: percent
    better: up
    source: test
    values: {2019/20: 12.5, 2020/21: 0, 2021/22: 0.125}
"""


@pytest.fixture
def synthetic(write_figures) -> Path:
    return write_figures(SYNTHETIC)


def all_commands():
    """Every gunstats command by name, each imported (the group loads them lazily)."""
    import click

    from gunstats.cli import cli

    ctx = click.Context(cli)
    return {name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}
