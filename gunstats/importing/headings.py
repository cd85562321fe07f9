"""Column headings as periods, in every spelling ONS, the Home Office and the police publish.

``2019/20``, ``2019-20``, ``2019 to 2020``, ``Apr 2019 to Mar 2020``, ``April 2019 to March
2020``, ``Year ending March 2020`` and ``YE Mar 2020`` are all the financial year gunstats
writes ``2019/20``; ``Jan 2023``, ``January 2023``, ``2023 JAN``, ``2023-01`` and a date cell
are the month ``2023-01``. A heading that looks like a period gunstats cannot keep (a year
ending June, a calendar year written ``Jan 2019 to Dec 2019``) is an error, not a column to
skip silently: leaving it out would lose figures without saying so.
"""

from __future__ import annotations

import datetime
import re
from typing import NamedTuple

from gunstats.periods import (
    FinancialYear,
    Month,
    Period,
    PeriodError,
    parse_financial_year,
    parse_month,
)

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# A month is ``([a-z]+)\.?`` (``Mar`` or ``Mar.``). Written out in full, not built from
# parts, so that tests/test_hardening_regex.py can read and review each pattern.
_SPAN = re.compile(r"([a-z]+)\.?\s+(\d{4})\s*(?:to|-)\s*([a-z]+)\.?\s+(\d{4})")
_ENDING = re.compile(r"(?:(?:financial\s+)?year\s+ending|f?ye)\s+([a-z]+)\.?\s+(\d{4})")
_MONTH_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{4})")
_YEAR_MONTH = re.compile(r"(\d{4})\s+([a-z]+)\.?")
_SHORT = re.compile(r"([0-9]{4})\s*([/-])\s*([0-9]{2})")  # as periods.py reads them
_LONG = re.compile(r"([0-9]{4})\s*(/|-|to)\s*([0-9]{4})")
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
_FLAG_LETTERS = ("p", "r", "e", "b")


class HeadingError(ValueError):
    """The heading names a period, but not one gunstats can keep."""


class Heading(NamedTuple):
    """A period heading; ``month`` is set too when ``2011-12`` could be either reading."""

    period: Period
    flags: tuple[str, ...] = ()
    month: Month | None = None


def clean(text: str) -> str:
    """One-line text: every run of spaces (no-break and thin ones too) as one space."""
    return " ".join(text.split())


def parse_heading(cell: object) -> Heading | None:
    """The period a heading names, None if it names none, or :class:`HeadingError`.

    Flags in brackets (``2022/23 [p]``) apply to the whole column; footnote markers
    (``[note 3]``) are dropped.
    """
    if isinstance(cell, datetime.datetime | datetime.date):
        return Heading(Month(cell.year, cell.month))
    if not isinstance(cell, str):
        return None  # a number such as 2019 is a calendar year or a value, never a period
    flags: list[str] = []
    for inside in _BRACKETS.findall(cell):
        word = inside.strip().lower()
        if word in _FLAG_LETTERS:
            flags.append(word)
    text = clean(_BRACKETS.sub(" ", cell)).lower().replace("\u2013", "-").replace("\u2014", "-")
    heading = _period(text)
    if heading is None:
        return None
    return Heading(heading.period, tuple(flags), heading.month)


def _period(text: str) -> Heading | None:
    if match := _SHORT.fullmatch(text):
        start, second = int(match[1]), int(match[3])
        month = _maybe_month(start, second) if match[2] == "-" else None
        if second == (start + 1) % 100:
            return Heading(_year(start, text), month=month)
        if month is not None:
            return Heading(month)
        raise HeadingError(
            f"{text!r} is not a financial year: the second year must follow the first"
        )
    if match := _LONG.fullmatch(text):
        start, end = int(match[1]), int(match[3])
        if end != start + 1:
            raise HeadingError(
                f"{text!r} is not a financial year: the second year must follow the first"
            )
        return Heading(_year(start, text))
    if match := _SPAN.fullmatch(text):
        first, start, last, end = (
            _month_number(match[1], text),
            int(match[2]),
            _month_number(match[3], text),
            int(match[4]),
        )
        if (first, last) != (4, 3) or end != start + 1:
            raise HeadingError(
                f"{text!r} is not a financial year (April to March); gunstats keeps "
                "financial years and months"
            )
        return Heading(_year(start, text))
    if match := _ENDING.fullmatch(text):
        number, end = _month_number(match[1], text), int(match[2])
        if number != 3:
            raise HeadingError(
                f"{text!r} is a year ending {match[1]}, not a financial year (year ending "
                "March); gunstats keeps financial years and months"
            )
        return Heading(_year(end - 1, text))
    for pattern, month_group, year_group in ((_MONTH_YEAR, 1, 2), (_YEAR_MONTH, 2, 1)):
        if (match := pattern.fullmatch(text)) and match[month_group] in MONTHS:
            return Heading(_month(int(match[year_group]), MONTHS[match[month_group]], text))
    return None


def _maybe_month(year: int, number: int) -> Month | None:
    if 1 <= number <= 12:
        try:
            return parse_month(f"{year:04d}-{number:02d}")
        except PeriodError:
            return None
    return None


def _month_number(name: str, text: str) -> int:
    if name not in MONTHS:
        raise HeadingError(f"{text!r}: {name!r} is not a month")
    return MONTHS[name]


def _year(start: int, text: str) -> FinancialYear:
    try:
        return parse_financial_year(f"{start} to {start + 1}")
    except PeriodError as error:
        raise HeadingError(f"{text!r}: {error}") from None


def _month(year: int, number: int, text: str) -> Month:
    try:
        return parse_month(f"{year:04d}-{number:02d}")
    except PeriodError as error:
        raise HeadingError(f"{text!r}: {error}") from None


def resolve(headings: list[Heading]) -> list[Period]:
    """Periods of one row or column: ``2011-12`` is December 2011 beside other months,
    otherwise the financial year 2011/12 (as the police write it)."""
    months = any(isinstance(h.period, Month) and h.month is None for h in headings)
    return [h.month if months and h.month is not None else h.period for h in headings]


def looks_like_calendar_year(cell: object) -> bool:
    """``2019`` as a heading: worth a hint when no period headings are found."""
    text = str(cell).strip()
    if isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    return bool(re.fullmatch(r"(19|20|21)\d\d", text))
