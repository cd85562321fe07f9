"""From an outcome to an exit code and at most one line on stderr, never a traceback.

Exit codes: 0 success; 1 the figures file is bad or the output could not be written;
2 usage error (Click's own, :class:`click.BadParameter` from the commands, and
:class:`~gunstats.errors.UsageProblem` found on the way); 130
interrupted (Ctrl-C); 143 terminated (SIGTERM). ``--debug`` lets gunstats' own errors through
with their traceback, for bug reports.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import io
import os
import sys
from collections.abc import Iterator
from types import FrameType
from typing import IO, Any

import click

try:  # the C module: ``signal`` itself builds enums on import, a cost paid by every run
    import _signal as signals  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Pythons without it
    import signal as signals

from gunstats.errors import GunstatsError, UsageProblem, printable

EXIT_BAD_INPUT = 1
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class Terminated(BaseException):
    """SIGTERM (a cron timeout, ``kill``): unwinds like Ctrl-C so no temporary file is left."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


class ReportedError(click.ClickException):
    """An error already worded for the user: printed as is, one problem per line."""

    exit_code = EXIT_BAD_INPUT

    def show(self, file: IO[Any] | None = None) -> None:
        lines = self.message.split("\n")
        click.echo("\n".join(printable(line) for line in lines), err=True)


@contextlib.contextmanager
def reported_errors(ctx: click.Context) -> Iterator[None]:
    """Turn gunstats' own errors into one-line messages, or tracebacks under ``--debug``."""
    try:
        yield
    except UsageProblem as error:
        raise click.BadParameter(str(error)) from None
    except GunstatsError as error:
        if ctx.find_root().params.get("debug"):
            raise
        raise ReportedError(str(error)) from error


class _ClosedOutput(io.TextIOBase):
    """Standard output when the run started without one (``>&-``): writing to it is an
    error with a message, as for a full disk, not an AttributeError on ``None``."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        if text:
            raise OSError(errno.EBADF, "standard output is closed")
        return 0

    def isatty(self) -> bool:
        return False


def _guard_standard_streams() -> None:
    """Give a closed descriptor 0, 1 or 2 /dev/null, so no file the run opens can take its
    number (the figures file as descriptor 1 would receive whatever is printed)."""
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            with contextlib.suppress(OSError):
                null = os.open(os.devnull, os.O_RDWR)
                if null != descriptor:
                    os.dup2(null, descriptor)
                    os.close(null)
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()


def run(cli: click.Group, argv: list[str] | None = None) -> None:
    """Run the command group in non-standalone mode so that we own every exit code."""
    _guard_standard_streams()
    # A run builds one large acyclic tree (a national file has 100,000s of values) and exits;
    # the cycle collector would only rescan that tree over and over while it grows.
    gc.disable()
    with contextlib.suppress(ValueError):  # only the main thread may set handlers
        signals.signal(signals.SIGTERM, _terminate)
    try:
        code = cli.main(args=argv, prog_name="gunstats", standalone_mode=False)
        code = code if isinstance(code, int) else 0
    except click.exceptions.Exit as done:
        code = done.exit_code
    except click.ClickException as error:
        error.show()
        code = error.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("gunstats: interrupted", err=True)
        code = EXIT_INTERRUPTED
    except Terminated:
        click.echo("gunstats: terminated", err=True)
        code = EXIT_TERMINATED
    except BrokenPipeError:
        code = _quiet_broken_pipe()
    except OSError as error:  # stdout on a full disk, say: every command prints through it
        click.echo(f"gunstats: cannot write the output ({error.strerror or error})", err=True)
        code = _quiet_broken_pipe()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = _quiet_broken_pipe()
    except OSError:  # output that could not be written has been reported already
        code = _quiet_broken_pipe()
    sys.exit(code)


def _quiet_broken_pipe() -> int:
    """The reader (``head``, say) went away: stop quietly, as the Python docs advise.

    Also used when stdout cannot take more (a full disk): what is still buffered is dropped
    so that Python's own flush at exit cannot print a traceback.
    """
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BAD_INPUT
