"""One module per output format, each taking a computed :class:`~gunstats.compute.Report`.

Renderers are imported by name only when their format is asked for, so that producing
Markdown or JSON never pays for importing Rich. ``gunstats areas`` has its own modules, one
per format too (``areas_table``, ``areas_markdown``...), taking a
:class:`~gunstats.areas.AreaTable`.
"""

from __future__ import annotations

import importlib

FORMATS = ("table", "markdown", "json", "csv")
EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".csv": "csv",
    ".txt": "table",
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
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    return importlib.import_module(f"gunstats.render.areas_{name}").render
