"""Where output goes and what it can take, decided once per run from an injectable environment.

Pretty on a terminal, plain when piped, forced either way by flag or environment: the
``httpie`` approach. Nothing here runs at import time, so tests pass their own environment.
"""

import os
from collections.abc import Mapping
from typing import NamedTuple, TextIO


class OutputEnvironment(NamedTuple):
    is_terminal: bool
    styled: bool
    """ANSI codes allowed at all."""
    color: bool
    """Colour on top of bold; off under NO_COLOR."""
    width: int
    ascii_only: bool


def at_terminal(stream: TextIO | None) -> bool:
    """Whether ``stream`` is a terminal (False for no stream, or a closed one)."""
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


def detect(
    stream: TextIO, environ: Mapping[str, str] | None = None, color_flag: bool | None = None
) -> OutputEnvironment:
    """Read the terminal, ``NO_COLOR``, ``FORCE_COLOR``, ``TERM`` and ``COLUMNS`` once."""
    environ = os.environ if environ is None else environ
    is_terminal = at_terminal(stream)
    dumb = environ.get("TERM", "") == "dumb"
    if color_flag is not None:
        styled = color_flag
    elif environ.get("FORCE_COLOR"):
        styled = True
    else:
        styled = is_terminal and not dumb
    color = styled and not environ.get("NO_COLOR") if color_flag is None else color_flag
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    ascii_only = bool(encoding) and not encoding.startswith("utf")
    return OutputEnvironment(
        is_terminal=is_terminal,
        styled=styled,
        color=color,
        width=_width(environ, stream if is_terminal else None),
        ascii_only=ascii_only,
    )


def _width(environ: Mapping[str, str], terminal: TextIO | None) -> int:
    columns = environ.get("COLUMNS", "").strip()
    # isdigit() alone accepts '²' and other digits that int() cannot read; a width past any
    # screen is treated as unset.
    if (
        columns.isascii()
        and columns.isdigit()
        and len(columns) <= 6
        and 40 <= int(columns) <= MAX_WIDTH
    ):
        return int(columns)
    if terminal is not None:
        try:
            return max(40, os.get_terminal_size(terminal.fileno()).columns)
        except (AttributeError, OSError, ValueError):
            return 80
    return 80


MAX_WIDTH = 10_000


FILE_ENVIRONMENT = OutputEnvironment(
    is_terminal=False, styled=False, color=False, width=80, ascii_only=False
)
"""What a report written with ``--output`` gets: never colour codes, always 80 columns."""
