"""One module per output format, each taking a computed :class:`~gunstats.compute.Report`.

Renderers are imported by name only when their format is asked for, so that producing
Markdown or JSON never pays for importing Rich. ``gunstats areas`` has its own modules, one
per format too (``areas_table``, ``areas_markdown``...), taking a
:class:`~gunstats.areas.AreaTable`.
"""

from __future__ import annotations

import importlib

FORMATS = ("table", "markdown", "json", "csv", "xlsx")
BINARY_FORMATS = ("xlsx",)
"""Formats written only to a file (--output), never to stdout or a terminal."""
TEXT_FORMATS = tuple(name for name in FORMATS if name not in BINARY_FORMATS)
AREA_FORMATS = TEXT_FORMATS
"""What ``gunstats areas`` writes: each has an ``areas_`` module (no spreadsheet yet)."""
EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".csv": "csv",
    ".txt": "table",
    ".xlsx": "xlsx",
}


def renderer(name: str):
    """The ``render`` function of the format's module."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    return importlib.import_module(f"gunstats.render.{name}").render


def summary_renderer(name: str):
    """The ``render_summary`` function of the format's module (``gunstats summary``)."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    return importlib.import_module(f"gunstats.render.{name}").render_summary


def areas_renderer(name: str):
    """The ``render`` function of the format's areas module (``gunstats areas``)."""
    if name not in AREA_FORMATS:
        raise ValueError(f"unknown format {name!r}")
    return importlib.import_module(f"gunstats.render.areas_{name}").render
