"""Read a figures file into :class:`~gunstats.model.Figures`, or say exactly what is wrong.

This module reads the file: its size (refused over a limit before parsing), its encoding
(UTF-8, a byte-order mark allowed) and its YAML, parsed by libyaml only as far as a node tree
(:mod:`gunstats.yaml_tree`) whose every node keeps its line and column. Each of those failures
is one ``FILE:LINE:COL: message`` line. The tree is then validated by :mod:`gunstats.validate`.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Mapping

import yaml

from gunstats.errors import FiguresError, Problem
from gunstats.model import Figures
from gunstats.validate import Validator
from gunstats.yaml_tree import StructureError, compose

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
"""Files larger than this are refused before parsing; ``GUNSTATS_MAX_BYTES`` changes it."""


def shipped_figures_path() -> str:
    """The figures that ship with gunstats (the repository's top-level ``figures.yaml``)."""
    return os.path.join(os.path.dirname(__file__), "figures.yaml")


def max_bytes_from_environment(environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    text = environ.get("GUNSTATS_MAX_BYTES", "").strip()
    return int(text) if text.isdigit() else DEFAULT_MAX_BYTES


def load_figures(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Figures:
    """Read and validate a figures file; raise :class:`FiguresError` listing every problem."""
    display = os.fspath(path)
    text = read_text(display, DEFAULT_MAX_BYTES if max_bytes is None else max_bytes)
    return parse_figures(text, display)


def read_text(path: str, max_bytes: int) -> str:
    """The file's text as UTF-8 (a byte-order mark is allowed), or a one-line error."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise _fail(
                    path,
                    f"file is {size:,} bytes, over the limit of {max_bytes:,} "
                    "(set GUNSTATS_MAX_BYTES to allow a larger file)",
                )
            data = handle.read(max_bytes + 1)
    except FiguresError:
        raise
    except FileNotFoundError:
        raise _fail(path, "no such file") from None
    except IsADirectoryError:
        raise _fail(path, "is a directory, not a figures file") from None
    except PermissionError:
        raise _fail(path, "permission denied") from None
    except OSError as error:
        raise _fail(path, f"cannot be read ({error.strerror or error})") from None
    if len(data) > max_bytes:  # the file grew while it was read
        raise _fail(path, f"file is over the limit of {max_bytes:,} bytes")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _fail(path, "file is UTF-16 text (save it as UTF-8)")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise FiguresError([Problem(path, line, None, "", "file holds binary data (a NUL byte)")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FiguresError(
            [
                Problem(
                    path,
                    line,
                    None,
                    "",
                    f"not UTF-8 text (byte 0x{data[error.start]:02x}; save the file as UTF-8)",
                )
            ]
        ) from None


def _fail(path: str, message: str) -> FiguresError:
    return FiguresError([Problem(path, None, None, "", message)])


def parse_figures(text: str, path: str = "figures.yaml") -> Figures:
    """Validate YAML text already in memory; ``path`` is only used in messages."""
    try:
        root = compose(text)
    except StructureError as error:
        place = error.mark.line + 1, error.mark.column + 1
        message = f"not valid figures: {error.message}"
        raise FiguresError([Problem(path, *place, "", message)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = error.problem or error.context or "not valid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise FiguresError([Problem(path, line, column, "", f"not valid YAML: {what}")]) from None
    except yaml.reader.ReaderError as error:  # a raw control character, say: no mark, a position
        line = text.count("\n", 0, error.position) + 1
        what = f"U+{error.character:04X}" if isinstance(error.character, int) else "a character"
        message = f"not valid YAML: contains control character {what}, which YAML does not allow"
        raise FiguresError([Problem(path, line, None, "", message)]) from None
    except yaml.YAMLError as error:
        raise _fail(path, f"not valid YAML: {' '.join(str(error).split())}") from None
    except RecursionError:
        raise _fail(path, "not valid figures: the YAML is nested too deeply") from None
    except UnicodeError:  # a lone surrogate, only possible in text that did not come from a file
        raise _fail(path, "not valid text (it holds a lone surrogate code point)") from None
    if root is None:
        raise _fail(path, "file is empty (expected a mapping with 'title' and 'metrics')")
    return Validator(path).figures(root)
