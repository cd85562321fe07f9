"""Shared fixtures. Figures written by tests are synthetic and say so in their titles."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

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
