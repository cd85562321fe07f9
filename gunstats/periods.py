"""Reporting periods: financial years (April to March) and calendar months.

Police figures are published per financial year, written ``2021/22`` by the police,
``2021-22`` in Scottish and some English publications and ``2021 to 2022`` on GOV.UK. All three
mean the same year, so they are normalised here, once, as the file is read; everything after
the loader only sees :class:`FinancialYear` and :class:`Month` objects.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple, cast

EARLIEST_YEAR = 1900
LATEST_YEAR = 2199

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Patterns, not compiled objects: the ``re`` module compiles and caches one on first use, so
# a file written in the usual ``2021/22`` form (read without them, below) never pays for them.
# Digits 0 to 9 only: ``\d`` would also take Arabic-Indic or full-width digits, which no
# publication uses for a period and which read differently in every other tool.
_SHORT_FORM = r"([0-9]{4})\s*([/-])\s*([0-9]{2})"
_LONG_FORM = r"([0-9]{4})\s*(/|-|to)\s*([0-9]{4})"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_YEAR_ENDING = (
    r"(?i)(?:the\s+)?(?:financial\s+)?(?:year\s+ending|y/?e|fye)\s+([a-z]+)\.?\s+([0-9]{4})"
)
_NAMED_MONTH = r"(?i)([a-z]+)\.?[\s,-]*([0-9]{4})|([0-9]{4})[\s,-]*([a-z]+)\.?"


def _four_two(text: str, separators: str) -> tuple[int, int] | None:
    """``2021/22`` or ``2022-04`` read without a regular expression: the common case."""
    if (
        len(text) == 7
        and text[4] in separators
        and text[:4].isascii()
        and text[:4].isdigit()
        and text[5:].isascii()
        and text[5:].isdigit()
    ):
        return int(text[:4]), int(text[5:])
    return None


_YEAR_TEXT: dict[int, str] = {}


class PeriodError(ValueError):
    """A period that cannot be read; the message says what form was expected."""


class _SameKind(tuple[int, ...]):
    """Ordering between two periods of one kind only: a month against a financial year is a
    TypeError, not the meaningless order of two tuples.

    Periods are named tuples underneath (immutable, hashable, equal and hashed in C), which
    Python builds in a fraction of the start-up time two frozen dataclasses take.
    """

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        return tuple.__lt__(self, _kin(self, other))

    def __le__(self, other: object) -> bool:
        return tuple.__le__(self, _kin(self, other))

    def __gt__(self, other: object) -> bool:
        return tuple.__gt__(self, _kin(self, other))

    def __ge__(self, other: object) -> bool:
        return tuple.__ge__(self, _kin(self, other))


def _kin(period: _SameKind, other: object) -> tuple[int, ...]:
    if type(other) is not type(period):
        raise TypeError(
            f"a {type(period).__name__} and a {type(other).__name__} cannot be ordered "
            "(different kinds of period)"
        )
    return cast(tuple[int, ...], other)


class _FinancialYearFields(NamedTuple):
    start: int


class _MonthFields(NamedTuple):
    year: int
    month: int


class FinancialYear(_SameKind, _FinancialYearFields):
    """The financial year from April of ``start`` to March of ``start + 1``."""

    __slots__ = ()

    def __str__(self) -> str:
        # Written hundreds of thousands of times for a national file: made once per year.
        text = _YEAR_TEXT.get(self.start)
        if text is None:
            text = _YEAR_TEXT[self.start] = f"{self.start}/{(self.start + 1) % 100:02d}"
        return text

    @property
    def end(self) -> int:
        return self.start + 1

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start - 1)

    def months(self) -> tuple[Month, ...]:
        """April to March, in order."""
        return tuple(Month(self.start, m) for m in range(4, 13)) + tuple(
            Month(self.end, m) for m in range(1, 4)
        )


class Month(_SameKind, _MonthFields):
    """A calendar month, written ``2022-04``."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def name(self) -> str:
        """``April 2022``."""
        return f"{_MONTH_NAMES[self.month - 1]} {self.year}"

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.year if self.month >= 4 else self.year - 1)

    @property
    def ordinal(self) -> int:
        """Months since year 0, so that month arithmetic is integer arithmetic."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_ordinal(cls, ordinal: int) -> Month:
        return cls(ordinal // 12, ordinal % 12 + 1)

    def shift(self, months: int) -> Month:
        return Month.from_ordinal(self.ordinal + months)


Period = FinancialYear | Month
"""What an observation is for: one of two kinds that never compare with each other."""


def year_of(period: Period) -> FinancialYear:
    """A financial year's own period, checked: the report path reads only ``values:``."""
    if not isinstance(period, FinancialYear):
        raise TypeError(f"expected a financial year, found the month {period}")
    return period


def month_of(period: Period) -> Month:
    """A month's own period, checked: the monthly summary reads only ``months:``."""
    if not isinstance(period, Month):
        raise TypeError(f"expected a month, found the financial year {period}")
    return period


def _check_year(year: int, text: str) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise PeriodError(
            f"{text!r} is outside the years gunstats accepts "
            f"(expected {EARLIEST_YEAR} to {LATEST_YEAR})"
        )


def parse_financial_year(text: str) -> FinancialYear:
    """Read ``2021/22``, ``2021-22``, ``2021 to 2022`` (or ``2021/2022``) as one year.

    >>> str(parse_financial_year("2021 to 2022"))
    '2021/22'
    """
    cleaned = text.strip()
    short = _four_two(cleaned, "/-")
    if short is None and (match := re.fullmatch(_SHORT_FORM, cleaned)):
        short = int(match.group(1)), int(match.group(3))
    long = None if short else re.fullmatch(_LONG_FORM, cleaned)
    if short:
        start, second = short
        _check_year(start, text)
        if second != (start + 1) % 100:
            month = " (a month goes under months:)" if 1 <= second <= 12 else ""
            raise PeriodError(
                f"{text!r} is not a financial year: the second year must follow the first "
                f"(did you mean {FinancialYear(start)}?){month}"
            )
        return FinancialYear(start)
    if long:
        start, end = int(long.group(1)), int(long.group(3))
        _check_year(start, text)
        if end != start + 1:
            raise PeriodError(
                f"{text!r} is not a financial year: the second year must follow the first "
                f"(did you mean {start} to {start + 1}?)"
            )
        return FinancialYear(start)
    raise PeriodError(_financial_year_hint(text, cleaned))


def parse_month(text: str) -> Month:
    """Read a calendar month written ``2022-04``."""
    parts = _four_two(text.strip(), "-")
    if parts is None:
        raise PeriodError(_month_hint(text, text.strip()))
    year, month = parts
    _check_year(year, text)
    if not 1 <= month <= 12:
        raise PeriodError(f"{text!r} is not a month: {month:02d} is not 01 to 12")
    return Month(year, month)


def _financial_year_hint(text: str, cleaned: str) -> str:
    """Why ``text`` is not a financial year, with the form that was probably meant."""
    expected = "expected a form such as 2021/22, 2021-22 or 2021 to 2022"
    if len(cleaned) > 40:
        return f"{text[:37] + '...'!r} is not a financial year ({expected})"
    fixed = _retyped(cleaned)
    if fixed != cleaned:
        try:
            meant = parse_financial_year(fixed)
        except PeriodError:
            return f"{text!r} is not a financial year ({expected}; it {_what_changed(cleaned)})"
        return f"{text!r} {_what_changed(cleaned)} (write {meant})"
    if re.fullmatch(r"[0-9]{4}", cleaned) and EARLIEST_YEAR <= int(cleaned) <= LATEST_YEAR:
        calendar = FinancialYear(int(cleaned))
        return (
            f"{text!r} is a calendar year, not a financial year (did you mean {calendar}, "
            f"April {calendar.start} to March {calendar.end}?)"
        )
    ending = re.fullmatch(_YEAR_ENDING, cleaned)
    if ending and ending.group(1).lower() in ("mar", "march"):
        start = int(ending.group(2)) - 1
        if EARLIEST_YEAR <= start <= LATEST_YEAR:
            return (
                f"{text!r} is written {FinancialYear(start)} (April {start} to March {start + 1})"
            )
    if ending:
        return f"{text!r} is not a financial year: they run from April to March ({expected})"
    if _month_number(cleaned) is not None or re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", cleaned):
        return f"{text!r} is not a financial year ({expected}; a month goes under months:)"
    return f"{text!r} is not a financial year ({expected})"


def _month_hint(text: str, cleaned: str) -> str:
    """Why ``text`` is not a month written ``2022-04``, with the form that was meant."""
    expected = "expected a form such as 2022-04"
    if len(cleaned) > 40:
        return f"{text[:37] + '...'!r} is not a month ({expected})"
    fixed = _retyped(cleaned)
    if fixed != cleaned:
        try:
            meant = parse_month(fixed)
        except PeriodError:
            return f"{text!r} is not a month ({expected}; it {_what_changed(cleaned)})"
        return f"{text!r} {_what_changed(cleaned)} (write {meant})"
    found = _month_number(cleaned)
    if found is not None and EARLIEST_YEAR <= found[0] <= LATEST_YEAR:
        return f"{text!r} is not a month in the form 2022-04 (write {Month(*found)})"
    try:
        year = parse_financial_year(cleaned)
    except PeriodError:
        return f"{text!r} is not a month ({expected})"
    return (
        f"{text!r} is a financial year, not a month (financial years go under values:; "
        f"months are written {Month(year.start, 4)})"
    )


def _retyped(text: str) -> str:
    """``text`` with dashes made hyphens and digits made 0 to 9: what a keyboard types."""
    if text.isascii():
        return text
    import unicodedata

    text = "".join("-" if c in _DASHES else c for c in text)
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _what_changed(text: str) -> str:
    if any(c in _DASHES for c in text):
        dash = next(c for c in text if c in _DASHES)
        return f"has a dash {dash!r} (U+{ord(dash):04X}) where a hyphen or slash belongs"
    return "has digits other than 0 to 9"


def _month_number(text: str) -> tuple[int, int] | None:
    """(year, month) from ``Jan 2023``, ``April 2023``, ``2023-2``, ``2023/01``, ``01/2023``
    or ``2023-01-15``, or None."""
    if match := re.fullmatch(r"([0-9]{4})[-/. ]([0-9]{1,2})(?:[-/. ][0-9]{1,2})?", text):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := re.fullmatch(r"([0-9]{1,2})[-/. ]([0-9]{4})", text):
        month, year = int(match.group(1)), int(match.group(2))
    elif match := re.fullmatch(_NAMED_MONTH, text):
        name = (match.group(1) or match.group(4)).lower()
        year = int(match.group(2) or match.group(3))
        names = [m.lower() for m in _MONTH_NAMES]
        if len(name) < 3 or not any(m.startswith(name) for m in names):
            return None
        month = next(i for i, m in enumerate(names, 1) if m.startswith(name))
    else:
        return None
    return (year, month) if 1 <= month <= 12 else None


def financial_years_between(first: FinancialYear, last: FinancialYear) -> tuple[FinancialYear, ...]:
    """Every financial year from ``first`` to ``last`` inclusive."""
    return tuple(FinancialYear(y) for y in range(first.start, last.start + 1))


class PeriodStyle(str, Enum):
    """How a financial year is written (C15): one vocabulary per document."""

    COMPACT = "compact"
    """``2021/22`` everywhere, as the police write it."""
    GOV_UK = "gov-uk"
    """"year ending March 2022" everywhere; in prose "the financial year ending March 2022"
    at first mention. GOV.UK's style guide sends statistics to Style.ONS, so this is ``ons``."""
    ONS = "ons"
    """The same words as ``gov-uk``, under the name of the guidance they follow."""
