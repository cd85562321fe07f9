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


MAX_SUGGESTED_LENGTH = 64
"""Words longer than this get no "did you mean": nobody mistypes a 1,000-letter id, and
comparing long strings costs the square of their length."""
MAX_SCANNED = 10_000
"""Options looked at per suggestion (a length test, then difflib's cheap upper bounds)."""
MAX_COMPARED = 500
"""Options compared in full per suggestion, after those cheap tests."""


def closest(word: str, options: Iterable[str]) -> str | None:
    """The option most like a mistyped ``word`` (difflib's ratio of at least 0.6), or None.

    The one "did you mean" of gunstats, bounded so that a file of long ids and many errors
    stays fast: long words and options are skipped, options that cannot reach the cutoff
    are dropped by difflib's cheap upper bounds before any full comparison, and at most
    :data:`MAX_SCANNED` options are looked at and :data:`MAX_COMPARED` compared.
    """
    if not word or len(word) > MAX_SUGGESTED_LENGTH:
        return None
    import difflib  # only on the way to an error message
    import itertools

    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best: tuple[float, str] | None = None
    compared = 0
    for option in itertools.islice(options, MAX_SCANNED):
        size = len(option)
        # ratio() is at most 2 * shorter / (sum of lengths): no need to compare beyond that.
        if size > MAX_SUGGESTED_LENGTH or 2 * min(size, len(word)) < 0.6 * (size + len(word)):
            continue
        matcher.set_seq1(option)
        if matcher.quick_ratio() < 0.6:
            continue
        compared += 1
        if compared > MAX_COMPARED:
            break
        score = (matcher.ratio(), option)
        if score[0] >= 0.6 and (best is None or score > best):
            best = score
    return best[1] if best else None


def listing(names: Iterable[str], limit: int = 10) -> str:
    """``a, b, c`` for a message, at most ``limit`` names (each shortened), then how many more."""
    names = list(names)
    shown = ", ".join(shorten(name) for name in names[:limit])
    return shown + (f" and {len(names) - limit:,} more" if len(names) > limit else "")


def shorten(text: str, width: int = 40) -> str:
    """Text echoed in a message, cut to ``width`` characters so a message stays one line."""
    return text if len(text) <= width else text[: width - 3] + "..."


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
        # Each key of the place cut short: a 1,000-character key must not fill every message.
        where = printable(".".join(shorten(key) for key in self.where.split(".")))
        message = printable(self.message)
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
