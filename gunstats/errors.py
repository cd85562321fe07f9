"""Errors that a user can act on: each names the file, line, column and field at fault."""

from collections.abc import Iterable
from typing import NamedTuple


def printable(text: str) -> str:
    """Control characters as escapes (``\\x1b``), so an error message can never drive a terminal.

    A hostile key or file name is echoed back in the message that reports it; without this
    an escape sequence in it would reach the user's terminal from stderr.
    """
    if text.isprintable():
        return text
    import unicodedata  # only a message with something unusual in it pays for this

    return "".join(
        repr(c)[1:-1] if unicodedata.category(c) in ("Cc", "Zl", "Zp", "Cf") else c for c in text
    )


def closest(word: str, options: Iterable[str]) -> str | None:
    """The option most like a mistyped ``word`` (difflib's ratio of at least 0.6), or None."""
    import difflib  # only on the way to an error message

    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return match[0] if match else None


class Problem(NamedTuple):
    """One thing wrong with a figures file, printed as ``FILE:LINE:COL: where: what``."""

    path: str
    line: int | None
    column: int | None
    where: str
    message: str

    def __str__(self) -> str:
        place = printable(self.path)
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        where, message = printable(self.where), printable(self.message)
        return f"{place}: {where}: {message}" if where else f"{place}: {message}"


class GunstatsError(Exception):
    """Base for every error gunstats reports to the user without a traceback."""


class UsageProblem(GunstatsError):
    """A value on the command line that the file cannot take (a metric it lacks, a period
    that is not one): the user's mistake in the command, so a usage error (exit 2)."""


class FiguresError(GunstatsError):
    """The figures file cannot be used; carries every problem found, in file order."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class OutputError(GunstatsError):
    """An output file could not be written; any earlier file is left as it was."""


class StaleDataError(GunstatsError):
    """The month asked for is not (or not fully) in the data: say so rather than re-send old
    figures."""
