"""Writing an output file so that it is replaced whole or not at all.

A cron job that fails half-way must leave last month's report exactly as it was, and a reader
must never open a half-written file. So the text goes to a temporary file in the same
folder (same file system, so the rename is atomic), is flushed to disk, takes the old file's
permissions, and only then replaces it with :func:`os.replace`.

Three more things keep a write where it was meant to go:

- ``--output`` through a symbolic link writes through it: the link is resolved first and the
  temporary file made beside its target, so ``latest.md -> 2023-06.md`` updates the month's
  report and keeps the link. Only a regular file is ever replaced, after resolving: a device
  (``/dev/stdout`` run as root) or a pipe is refused, never renamed over.
- An output that is one of the run's inputs (the figures file, a template) is refused, by
  inode, so neither a typo nor a hard link can overwrite the data a report was made from.
- A run killed outright (SIGKILL, a power cut) cannot remove its temporary file; the next
  write into that folder removes such leftovers: gunstats' own naming pattern, owned by this
  user, last written a minute or more before this run began, and not locked by a writer.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from collections.abc import Callable, Iterable

from gunstats.errors import OutputError

_STARTED = time.time()
"""Before this run wrote anything: a temporary file older than this is not this run's."""
STALE_AFTER = 60.0
"""Seconds before the run began that a leftover must be older than. Between making its
temporary file and locking it a busy run can be paused; no run is paused for a minute."""

_TEMPORARY = re.compile(r"\..+\.gunstats-[a-z0-9_]{8}\.tmp")
"""``.report.md.gunstats-k3j9x0ab.tmp``: what :func:`tempfile.mkstemp` makes for us below."""


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


def same_file(first: str, second: str) -> bool:
    """Whether two paths name one file: the same inode if both exist, else the same place."""
    try:
        one, other = os.stat(first), os.stat(second)
    except (OSError, ValueError):
        try:
            return os.path.realpath(first) == os.path.realpath(second)
        except (OSError, ValueError):
            return False
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def inputs_named(output: str, inputs: Iterable[tuple[str, str | None]]) -> str | None:
    """The description of the first input (``("the figures file", path)``) that ``output``
    would overwrite, or None."""
    for what, path in inputs:
        if path and same_file(output, path):
            return what
    return None


def resolve(path: str) -> str:
    """The file a write to ``path`` must replace: links followed, only a regular file.

    A link whose target is missing resolves to that target (a write creates it, as ``>``
    would). A link that resolves to something other than the file it points at, such as
    ``/dev/stdout`` opened on a pipe (``/proc/self/fd/1 -> pipe:[123]``), is refused.
    """
    try:
        status = os.stat(path)
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise OutputError(f"{path}: is a directory")
    if status is not None and not stat.S_ISREG(status.st_mode):
        # Renaming over /dev/stdout or a named pipe would replace the device, not write to it.
        raise OutputError(f"{path}: is not a regular file (leave out --output to write to stdout)")
    target = os.path.realpath(path)
    # Only a name that goes through a link can resolve to something other than what it
    # names; without one, comparing the two would only race with another run's rename
    # (two cron jobs writing the same report).
    if status is not None and target != os.path.abspath(path):
        try:
            resolved = os.stat(target)
        except OSError:
            resolved = None
        if resolved is None or (resolved.st_dev, resolved.st_ino) != (
            status.st_dev,
            status.st_ino,
        ):
            raise OutputError(
                f"{path}: is not a regular file that can be replaced "
                "(leave out --output to write to stdout)"
            )
    return target


def _replace_atomically(path: str, data: bytes) -> None:
    target = resolve(path)
    folder = os.path.dirname(target)
    try:
        existing_mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        existing_mode = None
    hold = _lock()  # before the file exists, so that it is locked as soon as it is made
    try:
        import tempfile  # only when writing: it imports shutil, which reading never needs

        handle, temporary = tempfile.mkstemp(
            dir=folder, prefix=f".{os.path.basename(target)}.gunstats-", suffix=".tmp"
        )
    except FileNotFoundError:
        raise OutputError(f"{path}: cannot write (folder {folder} does not exist)") from None
    except OSError as error:
        raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
    try:
        hold(handle)
        _remove_stale_temporaries(folder, keep=temporary)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            os.chmod(temporary, existing_mode if existing_mode is not None else _default_mode())
            os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
        raise


def _lock() -> Callable[[int], None]:
    """What marks a temporary file as being written, so no other run takes it for stale."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the age test alone decides
        return lambda handle: None

    def hold(handle: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)

    return hold


def _remove_stale_temporaries(folder: str, keep: str) -> None:
    """Remove what killed runs left in ``folder``: ours by name, by owner, by age, by lock."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    user = os.geteuid() if hasattr(os, "geteuid") else None
    for entry in entries:
        if not _TEMPORARY.fullmatch(entry.name) or entry.path == keep:
            continue
        try:
            status = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if (
            not stat.S_ISREG(status.st_mode)
            or (user is not None and status.st_uid != user)
            or status.st_mtime >= _STARTED - STALE_AFTER
            or _being_written(entry.path)
        ):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


def _being_written(path: str) -> bool:
    """True if a live run holds the file's lock (see :func:`_hold`)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return False
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return True  # cannot look: leave it alone
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(handle)  # closing releases the lock just taken
    return False


def _default_mode() -> int:
    """What a plain ``open(path, "w")`` would give: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
