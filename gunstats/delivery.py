"""Where a command's text goes: which format, then stdout or an --output file.

The format is chosen once, from ``--format``, the output file's extension, ``GUNSTATS_FORMAT``
or whether stdout is a terminal (in that order). Text for stdout is written as UTF-8 whatever
the locale; text for a file is replaced atomically (see :mod:`gunstats.output`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping

import click

from gunstats.errors import OutputError
from gunstats.render import EXTENSIONS, FORMATS
from gunstats.terminal import FILE_ENVIRONMENT, OutputEnvironment


def choose_format(
    explicit: str | None, output: str | None, environ: Mapping[str, str], is_terminal: bool
) -> str:
    """--format, else the --output file's extension, else $GUNSTATS_FORMAT, else by terminal."""
    if explicit:
        return explicit
    if output:
        extension = os.path.splitext(output)[1].lower()
        if extension in EXTENSIONS:
            return EXTENSIONS[extension]
        raise click.UsageError(
            f"cannot tell the format from {output!r}: use --format, or a file ending "
            f"{', '.join(EXTENSIONS)}"
        )
    from_environment = environ.get("GUNSTATS_FORMAT", "").strip().lower()
    if from_environment:
        if from_environment not in FORMATS:
            raise click.UsageError(
                f"GUNSTATS_FORMAT={from_environment!r} is not one of {', '.join(FORMATS)}"
            )
        return from_environment
    return "table" if is_terminal else "markdown"


def refuse_inputs(
    outputs: Iterable[tuple[str, str]], inputs: Iterable[tuple[str, str | None]]
) -> None:
    """A usage error for any output (``("'--output'", path)``) that is one of the run's inputs
    (``("the figures file", path)``), compared by inode: a report never overwrites its data."""
    from gunstats.output import inputs_named

    inputs = list(inputs)
    for option, path in outputs:
        what = inputs_named(path, inputs)
        if what is not None:
            raise click.BadParameter(
                f"{path!r} is {what}: writing there would overwrite it; choose another file.",
                param_hint=option,
            )


def target(output: str | None, environment: OutputEnvironment) -> OutputEnvironment:
    """What the table is drawn for: the terminal, or a plain file under --output."""
    return FILE_ENVIRONMENT if output else environment


def deliver(text: str, output: str | None) -> None:
    """To the --output file, atomically, or to stdout."""
    if output:
        from gunstats.output import write_atomically

        write_atomically(output, text)
    else:
        emit(text)


def emit(text: str) -> None:
    """Write the report to stdout as UTF-8 whatever the locale (pandoc and files expect it)."""
    try:
        _write_stdout(text)
    except BrokenPipeError:
        raise
    except OSError as error:  # a full disk behind `> report.md`, say: a message, not a traceback
        raise OutputError(
            f"cannot write the report to standard output ({error.strerror or error})"
        ) from None


def _write_stdout(text: str) -> None:
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
    else:
        stream.flush()
        remaining = memoryview(text.encode("utf-8"))
        while remaining:  # a buffered write can stop short when the reader goes away
            written = buffer.write(remaining)
            if not written:
                raise BrokenPipeError("stdout accepted no more output")
            remaining = remaining[written:]
    stream.flush()
