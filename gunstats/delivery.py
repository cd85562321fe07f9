"""Where a command's text goes: which format, then stdout or an --output file.

The format is chosen once, from ``--format``, the output file's extension, ``GUNSTATS_FORMAT``
or whether stdout is a terminal (in that order). Text for stdout is written as UTF-8 whatever
the locale; text for a file is replaced atomically (see :mod:`gunstats.output`). A binary
format (xlsx) goes only to a regular file, never to stdout.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import click

from gunstats.errors import OutputError
from gunstats.render import BINARY_FORMATS, EXTENSIONS, FORMATS
from gunstats.terminal import FILE_ENVIRONMENT, OutputEnvironment

if TYPE_CHECKING:
    from gunstats.render.options import RenderOptions


def choose_format(
    explicit: str | None,
    output: str | None,
    environ: Mapping[str, str],
    is_terminal: bool,
    formats: Sequence[str] = FORMATS,
) -> str:
    """--format, else the --output file's extension, else $GUNSTATS_FORMAT, else by terminal.

    ``formats`` are those the command writes (``gunstats areas`` has no xlsx). A binary
    format is a usage error unless ``output`` is a regular file (see
    :func:`require_file_output`).
    """
    chosen = _format(explicit, output, environ, is_terminal, formats)
    require_file_output(chosen, output)
    return chosen


def _format(
    explicit: str | None,
    output: str | None,
    environ: Mapping[str, str],
    is_terminal: bool,
    formats: Sequence[str],
) -> str:
    if explicit:
        return explicit
    if output:
        extensions = [extension for extension, name in EXTENSIONS.items() if name in formats]
        extension = os.path.splitext(output)[1].lower()
        if extension in extensions:
            return EXTENSIONS[extension]
        if extension in EXTENSIONS:
            problem = f"{output!r} asks for {EXTENSIONS[extension]}, which this command lacks"
        else:
            problem = f"cannot tell the format from {output!r}"
        raise click.UsageError(f"{problem}: use --format, or a file ending {', '.join(extensions)}")
    from_environment = environ.get("GUNSTATS_FORMAT", "").strip().lower()
    if from_environment:
        if from_environment not in formats:
            raise click.UsageError(
                f"GUNSTATS_FORMAT={from_environment!r} is not one of {', '.join(formats)}"
            )
        return from_environment
    return "table" if is_terminal else "markdown"


def require_file_output(chosen: str, output: str | None) -> None:
    """A binary format goes to a file: a usage error for stdout, a terminal, a pipe or a device."""
    if chosen not in BINARY_FORMATS:
        return
    if output in (None, "-"):
        raise click.UsageError(
            f"{chosen} is a binary format and is never written to standard output: "
            f"give --output FILE.{chosen}"
        )
    import stat

    try:
        mode: int | None = os.stat(output).st_mode
    except OSError:  # a new file, or one output.py will report on
        mode = None
    device = os.path.abspath(output).startswith("/dev/")  # /dev/stdout, /dev/tty, /dev/fd/1
    if device or (mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)):
        raise click.BadParameter(
            f"{output!r} is not a regular file; {chosen} is written only to a file.",
            param_hint="'--output'",
        )


def refuse_inputs(
    outputs: Iterable[tuple[str, str]], inputs: Iterable[tuple[str, str | None]]
) -> None:
    """A usage error for any output (``("'--output'", path)``) that is one of the run's inputs
    (``("the figures file", path)``), compared by inode: a report never overwrites its data."""
    outputs = list(outputs)
    if not outputs:  # stdout: nothing to compare, and no need to load the file writer
        return
    from gunstats.output import inputs_named

    inputs = list(inputs)
    for option, path in outputs:
        what = inputs_named(path, inputs)
        if what is not None:
            raise click.BadParameter(
                f"{path!r} is {what}: writing there would overwrite it; choose another file.",
                param_hint=option,
            )


def drawn_for(output: str | None, environment: OutputEnvironment) -> RenderOptions:
    """The render options of what the output is drawn for: the terminal, or a plain file
    under --output. A command adds its own with ``_replace``."""
    from gunstats.render.options import RenderOptions  # only commands that render load it

    drawn = FILE_ENVIRONMENT if output else environment
    return RenderOptions(
        styled=drawn.styled, color=drawn.color, width=drawn.width, ascii_only=drawn.ascii_only
    )


def deliver(text: str | bytes, output: str | None) -> None:
    """To the --output file, atomically, or (text only: see :func:`require_file_output`) to
    stdout."""
    if output:
        from gunstats.output import write_atomically, write_bytes_atomically

        if isinstance(text, bytes):
            write_bytes_atomically(output, text)
        else:
            write_atomically(output, text)
    else:
        assert isinstance(text, str), "a binary format reached stdout"
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


def warn(message: str, quiet: bool) -> None:
    """A warning on stderr unless ``--quiet``; errors never go through here."""
    if not quiet:
        click.echo(f"gunstats: warning: {message}", err=True)
