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
from typing import BinaryIO

import yaml

from gunstats.errors import FiguresError, Problem
from gunstats.model import SHIPPED_FIGURES, Figures
from gunstats.validate import Validator
from gunstats.yaml_tree import StructureError, compose

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
"""Files larger than this are refused before parsing; ``GUNSTATS_MAX_BYTES`` changes it."""
MAX_LIMIT = 2**62
"""The largest limit that can be set: more than any disk holds, less than any size type."""
CHUNK = 1 << 20
"""Read a pipe this much at a time: memory grows with the data, not with the limit."""


def shipped_figures_path() -> str:
    """The figures that ship with gunstats (the repository's top-level ``figures.yaml``)."""
    return SHIPPED_FIGURES


def max_bytes_from_environment(environ: Mapping[str, str] | None = None) -> int:
    """``GUNSTATS_MAX_BYTES``, checked: a ValueError saying what is wrong with it.

    Empty or unset is the default, as for every gunstats variable.
    """
    environ = os.environ if environ is None else environ
    text = environ.get("GUNSTATS_MAX_BYTES", "").strip()
    if not text:
        return DEFAULT_MAX_BYTES
    # isdigit() alone lets through '²' and other digits int() cannot read.
    if not (text.isascii() and text.isdigit()):
        raise ValueError(
            f"GUNSTATS_MAX_BYTES={text[:30]!r} is not a number of bytes "
            f"(expected a whole number such as {DEFAULT_MAX_BYTES})"
        )
    if len(text) > len(str(MAX_LIMIT)) or int(text) > MAX_LIMIT:
        raise ValueError(f"GUNSTATS_MAX_BYTES={text[:30]!r} is too large (at most {MAX_LIMIT})")
    return int(text)


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
            data = _read_at_most(handle, size, max_bytes + 1)
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


def _read_at_most(handle: BinaryIO, size: int, limit: int) -> bytes:
    """Up to ``limit`` bytes: a file's size at once, a pipe's data a chunk at a time.

    ``read(limit)`` would reserve the whole limit up front (a MemoryError for a large
    ``GUNSTATS_MAX_BYTES``), whatever the file holds.
    """
    first = handle.read(min(size + 1, limit)) if size else b""
    chunks, total = [first], len(first)
    while total < limit:
        chunk = handle.read(min(CHUNK, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


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
