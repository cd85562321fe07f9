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
    dashes: list[tuple[int, int]] = []
    while True:
        try:
            root = _compose(text, path, len(dashes) < MAX_LONE_DASHES)
            break
        except _LoneDash as dash:  # read it as null, so every other problem is found too
            dashes.append(dash.place)
            text = text[: dash.index] + "~" + text[dash.index + 1 :]
        except FiguresError as error:  # the YAML breaks elsewhere too: say so beside the dashes
            if not dashes:
                raise
            raise FiguresError(_with_dashes(error.problems, dashes, path)) from None
    if root is None:
        raise _fail(path, "file is empty (expected a mapping with 'title' and 'metrics')")
    if not dashes:
        return Validator(path).figures(root)
    try:
        Validator(path).figures(root)
        found: tuple[Problem, ...] = ()
    except FiguresError as error:
        found = error.problems
    raise FiguresError(_with_dashes(found, dashes, path))


MAX_LONE_DASHES = 20
"""Lone ``-`` values read past (each costs a parse): beyond, the YAML error is reported."""
LONE_DASH = (
    "'-' is not a value: YAML reads a lone '-' as the start of a list (to say a figure was not "
    "published, leave its period out)"
)


class _LoneDash(Exception):
    def __init__(self, index: int, place: tuple[int, int]):
        self.index = index
        self.place = place


def _compose(text: str, path: str, dashes_allowed: bool):
    try:
        return compose(text)
    except StructureError as error:
        place = error.mark.line + 1, error.mark.column + 1
        message = f"not valid figures: {error.message}"
        raise FiguresError([Problem(path, *place, "", message)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = error.problem or error.context or "not valid YAML"
        index = mark.index if mark is not None else -1
        if mark is not None and dashes_allowed and _is_lone_dash(text, index, what):
            raise _LoneDash(index, (mark.line + 1, mark.column + 1)) from None
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = f"not valid YAML: {_yaml_hint(text, index, what)}"
        raise FiguresError([Problem(path, line, column, "", message)]) from None
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


def _is_lone_dash(text: str, index: int, problem: str) -> bool:
    """``2013/14: -``: a dash where a value belongs, which YAML takes for a list."""
    if not 0 <= index < len(text) or text[index] != "-" or "sequence entries" not in problem:
        return False
    line_start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    before = text[line_start:index].rstrip(" ")
    after = text[index + 1 : index + 200].split("\n", 1)[0].split("\r", 1)[0]
    return before.endswith(":") and (not after.strip() or after.lstrip().startswith("#"))


def _with_dashes(
    found: tuple[Problem, ...], dashes: list[tuple[int, int]], path: str
) -> list[Problem]:
    """The validator's problems, with each lone dash's own message in place of whatever the
    validator said about the null it was read as."""
    places: dict[tuple[int | None, int | None], str] = dict.fromkeys(dashes, "")
    kept = []
    for problem in found:
        if (problem.line, problem.column) in places:
            places[(problem.line, problem.column)] = problem.where
        else:
            kept.append(problem)
    kept += [Problem(path, *place, where, LONE_DASH) for place, where in places.items()]
    return sorted(kept, key=lambda p: (p.line or 0, p.column or 0))


def _yaml_hint(text: str, index: int, problem: str) -> str:
    """libyaml's words for a mistake, with the fix a newcomer needs."""
    if 0 <= index < len(text) and text[index] == "\t":
        return "a tab character: YAML indents with spaces, never tabs"
    if "sequence entries" in problem:
        return (
            f"{problem} ('- ' starts a list item here; to say a figure was not published, "
            "leave its period out)"
        )
    if any(
        words in problem
        for words in ("expected key", "mapping values are not allowed", "expected <block end>")
    ):
        return (
            f"{problem} (check the indentation: the keys of one mapping start in the same "
            "column, indented with spaces)"
        )
    if "could not find expected ':'" in problem:
        return f"{problem} (write each entry as 'key: value', with a space after the colon)"
    return problem
