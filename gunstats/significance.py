"""Is a change real? Tests of change between two periods, in plain Python.

Counts are treated as Poisson counts whose exposure is the number of days in each period,
and compared with the two-sided E-test of Krishnamoorthy and Thomson (2004). A rate whose
parts are known (a ``ratio_of`` percentage) is compared as two proportions with Fisher's
exact test. A percentage without its parts cannot be tested, and :func:`significance_of`
says so by returning ``None``: it never guesses.

Both tests give the same p-value as scipy (``scipy.stats.poisson_means_test`` and
``scipy.stats.fisher_exact``, two-sided), which the tests check over many generated cases.
scipy is a test dependency only: start-up matters, so this module needs nothing beyond
:mod:`math`, which the interpreter has loaded before gunstats starts.

Each p-value is a sum over the outcomes at least as extreme as the one observed. Summing
term by term over every pair of outcomes (as scipy does, with arrays) would be a double
loop of 15,000 x 15,000 steps for counts of a million, so the E-test (in
:mod:`gunstats.etest`) takes, for each outcome of one count, the probability of a run of
the other's outcomes at once, and Fisher's test below sums each tail outward from where it
starts, stopping where the terms no longer change the sum.
"""

import math
from collections.abc import Callable, Iterable
from typing import NamedTuple

from gunstats.etest import check_counts, first_where, poisson_e_test
from gunstats.periods import FinancialYear, Month

POISSON_E_TEST = "poisson_e_test"
FISHER_EXACT = "fisher_exact"

DEFAULT_CONFIDENCE = 0.95
LARGEST_TESTED_COUNT = 1_000_000
"""Counts above this are not tested. The E-test's work grows with the square root of the
count (a count of a thousand million would take seconds, a million million minutes), and
beyond a million scipy itself cannot hold the sum to check gunstats against it."""

# --------------------------------------------------------------------------- days


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_leap(year: int) -> bool:
    # calendar.isleap, without importing calendar (which imports datetime and locale).
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in(period: FinancialYear | Month) -> int:
    """The days in a financial year (1 April to 31 March: 365 or 366) or a calendar month.

    >>> days_in(FinancialYear(2019)), days_in(FinancialYear(2020)), days_in(Month(2024, 2))
    (366, 365, 29)
    """
    if isinstance(period, FinancialYear):
        # The only February in a financial year is in its second calendar year.
        return 366 if _is_leap(period.start + 1) else 365
    if isinstance(period, Month):
        if period.month == 2 and _is_leap(period.year):
            return 29
        return _DAYS_IN_MONTH[period.month - 1]
    raise TypeError(f"not a financial year or a month: {period!r}")


def days_in_window(months: Iterable[Month]) -> int:
    """The days in a window of months: the sum of each month's days."""
    return sum(days_in(month) for month in months)


# --------------------------------------------------------------------------- records


class Count(NamedTuple):
    """A count of events over ``days`` days (the exposure of the Poisson test)."""

    value: object
    """An int, or a Decimal or Fraction as read; a count that is not whole cannot be tested."""
    days: int


class Parts(NamedTuple):
    """A rate with its parts: ``numerator`` cases out of ``denominator``."""

    numerator: object
    denominator: object


class Significance(NamedTuple):
    """The outcome of a test of change, with the fields the JSON output carries."""

    test: str
    """:data:`POISSON_E_TEST` or :data:`FISHER_EXACT`."""
    p_value: float
    confidence: float
    """The confidence level asked for, such as 0.95."""
    significant: bool
    """Whether ``p_value`` is below 1 - ``confidence``."""


def significance_of(
    later: Count | Parts | None,
    earlier: Count | Parts | None,
    confidence: float = DEFAULT_CONFIDENCE,
) -> Significance | None:
    """Test whether ``later`` differs from ``earlier`` more than chance would explain.

    Two :class:`Count` values are compared with :func:`poisson_e_test`, two :class:`Parts`
    with :func:`fisher_exact_two_sided`. ``None`` (a percentage without its parts) or a
    value no test can take (a count that is not a whole number or is over
    :data:`LARGEST_TESTED_COUNT`, more cases than the denominator) gives ``None``:
    untestable. Equal values are still tested; their p-value is 1, or within 1e-9 of it,
    and the caller calls that "no change".
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    if later is None or earlier is None:
        return None
    if isinstance(later, Count) and isinstance(earlier, Count):
        k_later, k_earlier = _whole(later.value), _whole(earlier.value)
        if k_later is None or k_earlier is None:
            return None
        if max(k_later, k_earlier) > LARGEST_TESTED_COUNT:
            return None
        p_value = poisson_e_test(k_later, later.days, k_earlier, earlier.days)
        test = POISSON_E_TEST
    elif isinstance(later, Parts) and isinstance(earlier, Parts):
        table = _table_row(later) + _table_row(earlier)
        if None in table:
            return None
        p_value = fisher_exact_two_sided(*table)  # type: ignore[arg-type]
        test = FISHER_EXACT
    else:
        raise TypeError("compare a count with a count, or a rate's parts with its parts")
    return Significance(test, p_value, confidence, p_value < 1 - confidence)


def _whole(value: object) -> int | None:
    """The value as a non-negative int, or None if it is not a whole number."""
    try:
        whole = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return None
    return whole if whole == value and whole >= 0 else None


def _table_row(parts: Parts) -> tuple[int | None, int | None]:
    cases, total = _whole(parts.numerator), _whole(parts.denominator)
    if cases is None or total is None or cases > total:
        return None, None
    return cases, total - cases


# --------------------------------------------------------------------------- Fisher


_GAMMA = 1 + 1e-14  # scipy's relative tolerance: a table "as extreme" may be this much likelier
_TIE = 1e-14


def fisher_exact_two_sided(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test on the table [[a, b], [c, d]].

    The same value as ``scipy.stats.fisher_exact([[a, b], [c, d]]).pvalue``: the
    probability, given the table's margins, of a table no likelier than the observed one
    (within scipy's relative tolerance of 1e-14, so that tables of equal probability count
    as equally extreme however rounding falls). Probabilities are worked out with
    :func:`math.lgamma`, so counts in the millions take milliseconds; where the logarithms
    cannot tell two tables' probabilities apart, exact integer arithmetic decides.

    >>> round(fisher_exact_two_sided(38, 62, 20, 80), 4)
    0.0078
    """
    check_counts(a, b, c, d)
    n1, n2, n = a + b, c + d, a + c
    if n1 == 0 or n2 == 0 or n == 0 or b + d == 0:
        return 1.0
    return _Hypergeometric(n1, n2, n).two_sided(a)


class _Hypergeometric:
    """The number x in the first row of a 2 x 2 table with row sums n1, n2 and first
    column sum n (scipy's ``hypergeom(n1 + n2, n1, n)``)."""

    def __init__(self, n1: int, n2: int, n: int) -> None:
        self.n1, self.n2, self.n = n1, n2, n
        self.low, self.high = max(0, n - n2), min(n1, n)
        lgamma = math.lgamma
        self.log_constant = (
            lgamma(n1 + 1) + lgamma(n2 + 1) + lgamma(n + 1) + lgamma(n1 + n2 - n + 1)
        ) - lgamma(n1 + n2 + 1)
        # How far apart two log-probabilities may be through lgamma's rounding alone.
        self.slack = 1e-14 * (abs(self.log_constant) + 2 * lgamma(n1 + n2 + 1)) + 1e-13

    def _factorials(self, x: int) -> list[int]:
        """The four numbers whose factorials divide the probability of x, sorted: tables
        whose probabilities are equal by symmetry then give bit-identical logarithms."""
        return sorted((x, self.n1 - x, self.n - x, self.n2 - self.n + x))

    def log_weight(self, x: int) -> float:
        lgamma = math.lgamma
        s = self._factorials(x)
        return -(lgamma(s[0] + 1) + lgamma(s[1] + 1) + lgamma(s[2] + 1) + lgamma(s[3] + 1))

    def pmf(self, x: int) -> float:
        if not self.low <= x <= self.high:
            return 0.0
        return math.exp(self.log_constant + self.log_weight(x))

    def ratio_at_most(self, x: int, y: int, bound: float) -> bool:
        """pmf(x) / pmf(y) <= bound, exactly (x and y in the support)."""
        gap = self.log_weight(x) - self.log_weight(y)
        margin = math.log(bound)
        if abs(gap - margin) > self.slack:
            return gap < margin
        numerator, denominator = 1, 1  # pmf(x)/pmf(y) = numerator/denominator
        for fx, fy in zip(self._factorials(x), self._factorials(y), strict=True):
            # the ratio carries fy!/fx!
            if fy > fx:
                numerator *= math.prod(range(fx + 1, fy + 1))
            elif fx > fy:
                denominator *= math.prod(range(fy + 1, fx + 1))
        top, bottom = bound.as_integer_ratio()
        return numerator * bottom <= top * denominator

    def tail_sum(self, start: int, step: int) -> float:
        """pmf(start) + pmf(start + step) + ... to the end of the support, for a start on
        the far side of the mode from which the terms only fall."""
        if not self.low <= start <= self.high:
            return 0.0
        n1, n2, n = self.n1, self.n2, self.n
        term = self.pmf(start)
        total = 0.0
        x = start
        while term > 0.0:
            total += term
            if term < total * 1e-17:
                break
            if step > 0:  # pmf(x + 1) / pmf(x)
                if x == self.high:
                    break
                term *= (n1 - x) * (n - x) / ((x + 1) * (n2 - n + x + 1))
            else:  # pmf(x - 1) / pmf(x)
                if x == self.low:
                    break
                term *= x * (n2 - n + x) / ((n1 - x + 1) * (n - x + 1))
            x += step
        return total

    def two_sided(self, x: int) -> float:
        # The mode as scipy computes it: a float quotient, truncated.
        mode = int(float((self.n + 1) * (self.n1 + 1)) / float(self.n1 + self.n2 + 2))
        if self.ratio_at_most(mode, x, 1 / (1 - _TIE)):
            return 1.0  # the observed table is (within 1e-14) the likeliest
        if x < mode:
            # Tables above the mode no likelier than x: a falling run from the far end.
            first = first_where(mode, self.high, lambda y: self.ratio_at_most(y, x, _GAMMA))
            p_value = self.tail_sum(x, -1) + self.tail_sum(first, +1)
        else:
            last = _last_where(self.low, mode, lambda y: self.ratio_at_most(y, x, _GAMMA))
            p_value = self.tail_sum(x, +1) + self.tail_sum(last, -1)
        return min(p_value, 1.0)


def _last_where(start: int, end: int, included: Callable[[int], bool]) -> int:
    """The last y in [start - 1, end] up to which ``included(y)`` holds (``included`` is
    true then false along the range)."""
    lo, hi = start - 1, end
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if included(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo
