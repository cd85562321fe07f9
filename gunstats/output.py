"""Writing an output file so that it is replaced whole or not at all.

A cron job that fails half-way must leave last month's report exactly as it was, and a reader
must never open a half-written file. So the text goes to a temporary file in the same
folder (same file system, so the rename is atomic), is flushed to disk, takes the old file's
permissions, and only then replaces it with :func:`os.replace`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile

from gunstats.errors import OutputError


def write_atomically(path: str, text: str) -> None:
    """Write UTF-8 text (newlines as given) so that ``path`` is replaced whole or not at all."""
    _replace_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: str, data: bytes) -> None:
    """The same guarantee for binary files such as PNG, SVG or PDF charts."""
    _replace_atomically(path, data)


def make_folder(directory: str) -> None:
    """``directory`` and any missing parents, or an :class:`OutputError` saying why not."""
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{directory}: cannot make folder ({error.strerror or error})") from None


def _replace_atomically(path: str, data: bytes) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    try:
        existing = os.stat(path).st_mode
    except FileNotFoundError:
        existing = None
    except OSError as error:
        raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
    if existing is not None and stat.S_ISDIR(existing):
        raise OutputError(f"{path}: is a directory")
    if existing is not None and not stat.S_ISREG(existing):
        # Renaming over /dev/stdout or a named pipe would replace the device, not write to it.
        raise OutputError(f"{path}: is not a regular file (leave out --output to write to stdout)")
    existing_mode = None if existing is None else stat.S_IMODE(existing)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp"
        )
    except FileNotFoundError:
        raise OutputError(f"{path}: cannot write (folder {folder} does not exist)") from None
    except OSError as error:
        raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, existing_mode if existing_mode is not None else _default_mode())
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
        raise


def _default_mode() -> int:
    """What a plain ``open(path, "w")`` would give: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
