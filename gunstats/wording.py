"""The words around the numbers: one home for each presentation rule in docs/conventions.md.

Small, pure helpers that the prose, table and template code call, so that a rule such as
"1 percentage point, 2 percentage points" is decided once. Each helper names the rule it
implements (C1, C2, ...), and each rule in docs/conventions.md gives its public source and the
test that pins it. Rounding is :func:`gunstats.numbers.round_half_away` (half away from zero on
the exact value); nothing here rounds a binary float or depends on the locale.

Period names take a style, ``compact`` (the police's ``2021/22``), ``gov-uk`` or ``ons``; the
last two both write "year ending March 2022", so a document keeps one vocabulary. Names carry
no article: :func:`with_article` adds the "the" that "year ending ..." needs in running text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from gunstats.numbers import LOW as LOW
from gunstats.numbers import SHORTHAND_KEY, format_number, round_half_away
from gunstats.numbers import number_or_low as number_or_low
from gunstats.numbers import rounds_to_zero as rounds_to_zero
from gunstats.periods import FinancialYear, Month

if TYPE_CHECKING:
    from gunstats.numbers import Exact

# -- numbers in sentences (C8 to C13) ----------------------------------------------------------


def prose_count(value: Exact) -> str:
    """C8: a count as a numeral with thousands separators, whatever its size: ``9``, ``1,234``."""
    return format_number(value, 0)


def plural(number: Exact | str, singular: str, plural_form: str) -> str:
    """C11: the noun that agrees with ``number`` as it is shown.

    Singular for one only, written ``1``, ``1.0``, ``one`` or ``-1`` (the sign is said by
    "up" or "down"); plural for everything else, zero and ``0.1`` included. Pass the number as
    printed, so that 0.96 shown as ``1.0`` takes "percentage point".
    """
    if isinstance(number, str):
        text = number.strip().replace(",", "")
        return singular if text.lower() == "one" or abs(Decimal(text)) == 1 else plural_form
    return singular if abs(number) == 1 else plural_form


def counted(value: int | Decimal, singular: str, plural_form: str) -> str:
    """C9, C11: a count of things with its noun: ``one shooting``, ``2 shootings``.

    GOV.UK writes "one" rather than "1" for a single thing; every other count is a numeral.
    """
    number = "one" if value == 1 else prose_count(value)
    return f"{number} {plural(value, singular, plural_form)}"


def common_places(values: Iterable[Exact], places: int) -> int:
    """C12: the decimal places (at most ``places``) at which all ``values`` can be shown alike.

    Percentages in one sentence share their decimal places: ``38%`` and ``20%``, but ``14.0%``
    beside ``9.2%``. A value that would round to zero (shown as "less than 0.1%") needs all
    ``places``.
    """
    needed = 0
    for value in values:
        if rounds_to_zero(value, places):
            return places
        exponent = round_half_away(value, places).normalize().as_tuple().exponent
        needed = max(needed, -int(exponent))
    return min(needed, places)


def prose_percent(value: Exact, places: int) -> str:
    """C12, C13, C20: ``9.2%`` at exactly ``places``; ``less than 0.1%`` rather than ``0.0%``."""
    return _magnitude(value, places) + "%"


def prose_points(size: Exact, places: int) -> str:
    """C1, C11, C13: the size of a change in a percentage, in words.

    ``18 percentage points``, ``1 percentage point``, ``0.7 percentage points``,
    ``less than 1 percentage point``. The sign is the caller's "up" or "down".
    """
    number = _magnitude(-size if size < 0 else size, places)
    noun = plural(number.removeprefix("less than "), "percentage point", "percentage points")
    return f"{number} {noun}"


def _magnitude(value: Exact, places: int) -> str:
    if rounds_to_zero(value, places):
        return "less than " + format_number(Decimal(1).scaleb(-places), places)
    return format_number(value, places)


def starts_with_numeral(sentence: str) -> bool:
    """C10: whether a sentence would open with a figure, so that the caller can reword it.

    Opening quotes, brackets, a sign or a currency symbol do not hide the figure behind them.
    """
    text = sentence.lstrip().lstrip(_OPENERS).lstrip()
    return text[:1] in tuple("0123456789")


_OPENERS = "\"'\u201c\u2018([+-\u2212\u00a3\u20ac$"  # quotes, brackets, signs, currencies


def capitalise(sentence: str) -> str:
    """The first letter in capitals and nothing else changed: "one shooting" opens "One ..."."""
    return sentence[:1].upper() + sentence[1:]


UNROUNDED_NOTE = "Changes are calculated from unrounded figures."
"""C2: said wherever changes are shown beside rounded figures."""

# -- shorthand (C19, C20) ----------------------------------------------------------------------

LOW_KEY = f"{LOW} {SHORTHAND_KEY[LOW]}"
"""C20: the key's entry for ``[low]``. ``LOW``, ``rounds_to_zero`` and ``number_or_low`` live
in :mod:`gunstats.numbers`, with all rounding, and are imported here for the rules' sake."""


# -- dates and periods (C7, C14 to C16) --------------------------------------------------------

STYLES = ("compact", "gov-uk", "ons")
"""``compact`` writes ``2021/22``; ``gov-uk`` and ``ons`` write "year ending March 2022"."""


def format_date(day: datetime.date) -> str:
    """C14: ``10 July 2023``: no leading zero, no ordinal, no comma, no locale."""
    return f"{day.day} {Month(day.year, day.month).name()}"


def financial_year_name(year: FinancialYear, style: str = "compact", *, first: bool = False) -> str:
    """C15: ``2021/22`` (compact) or ``year ending March 2022`` (gov-uk, ons).

    ``first`` names the kind of year at its first mention in a section, as Style.ONS asks for
    non-calendar years: ``financial year ending March 2022``. Compact style ignores it.
    """
    if _style(style) == "compact":
        return str(year)
    return f"{'financial ' if first else ''}year ending March {year.end}"


def month_window_name(first: Month, last: Month) -> str:
    """C16: ``January 2023``, ``April to June 2022``, ``April 2022 to January 2023``.

    The same in every style: the year follows each month when the window crosses a year end,
    and only the last month when it does not.
    """
    if last.ordinal < first.ordinal:
        raise ValueError(f"a window cannot end ({last}) before it starts ({first})")
    if first == last:
        return last.name()
    if first.year == last.year:
        return f"{first.name().split()[0]} to {last.name()}"
    return f"{first.name()} to {last.name()}"


def rolling_year_name(last: Month) -> str:
    """C16: the 12 months ending with ``last``: ``year ending January 2023``."""
    return f"year ending {last.name()}"


def with_article(name: str) -> str:
    """C15, C16: "the year ending March 2022" in running text; ``2021/22`` and months take none."""
    if name.startswith(("year ending", "financial year ending")):
        return "the " + name
    return name


def comparison_phrase(later: str, earlier: str) -> str:
    """C7: both periods of a comparison, later first: ``2021/22 compared with 2020/21``.

    Takes period names as written by the functions above, so that one comparison reads
    ``year ending January 2023 compared with the year ending January 2022``.
    """
    return f"{later} compared with {with_article(earlier)}"


def _style(style: object) -> str:
    name = getattr(style, "value", style)  # gunstats.periods.PeriodStyle is a str Enum
    if name not in STYLES:
        raise ValueError(f"unknown period style {style!r} (expected compact, gov-uk or ons)")
    return str(name)


# -- status, caveat, neutral words (C17, C24, C25) ---------------------------------------------

STATUSES = (
    "management information",
    "official statistics in development",
    "official statistics",
    "accredited official statistics",
)
"""C24: what figures can be, in the words of the Office for Statistics Regulation."""


def status_sentence(status: str) -> str:
    """C24: ``These figures are management information.``; an unknown status is an error."""
    if status not in STATUSES:
        hint = ""
        if status.strip().lower() == "national statistics":
            hint = "; National Statistics are now called accredited official statistics"
        raise ValueError(f"unknown status {status!r} (expected {', '.join(STATUSES)}){hint}")
    return f"These figures are {status}."


DEFAULT_CAVEAT = (
    "Figures recorded by the police reflect how events are recorded as well as how many "
    "happen, and recent figures may be revised."
)
"""C25: true of any police figures, whatever they count and whoever published them."""

JUDGING_WORDS = frozenset(
    {
        "alarming",
        "dramatic",
        "dramatically",
        "huge",
        "overwhelming",
        "plummeted",
        "shocking",
        "skyrocketed",
        "slumped",
        "soared",
        "staggering",
        "surged",
        "vast",
        "worrying",
    }
)
"""C17: words that judge a change rather than describe it; gunstats never writes them."""


_PUNCTUATION = ".,;:()!?\"'\u201c\u201d\u2018\u2019"


def judging_words(text: str) -> tuple[str, ...]:
    """C17: the judging words in ``text``, in order, so that a test can say which crept in."""
    words = (word.strip(_PUNCTUATION).lower() for word in text.split())
    return tuple(word for word in words if word in JUDGING_WORDS)
