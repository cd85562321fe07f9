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
loop of 15,000 x 15,000 steps for counts of a million, so the E-test below walks the same
terms with two pointers (see :func:`poisson_e_test`) and Fisher's test sums each tail
outward from where it starts, stopping where the terms no longer change the sum.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import accumulate
from typing import NamedTuple

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


def _check_counts(*counts: int) -> None:
    for count in counts:
        if not isinstance(count, int) or count < 0:
            raise ValueError(f"a count must be a whole number, 0 or more, not {count!r}")


# --------------------------------------------------------------------------- E-test

# scipy sums each Poisson outcome from its 1e-10 quantile to its 1 - 1e-16 quantile.
_LOWER_Q = 1e-10
_UPPER_Q = 1 - 1e-16
# Where a walk into a tail stops: the terms beyond are too small to move a quantile.
_NEGLIGIBLE = 1e-24


def _poisson_terms(mu: float) -> tuple[int, list[float]]:
    """(first, pmf): the Poisson(mu) probabilities from scipy's summation bound
    ``poisson.ppf(1e-10, mu)`` to ``poisson.ppf(1 - 1e-16, mu)``, starting at ``first``.

    The walk goes out from the mode into each tail until the terms are far too small to
    move either bound, each term from its neighbour (pmf(k - 1) = pmf(k) k / mu): one
    multiplication instead of scipy's logarithm and log-gamma per term, and the rounding
    error it adds over 10,000 steps (a count of a million) is about 1e-12.
    """
    mode = int(mu)
    peak = math.exp(mode * math.log(mu) - math.lgamma(mode + 1) - mu)
    below = [peak]  # pmf(mode), pmf(mode - 1), ... down to where they vanish
    term, k = peak, mode
    while k > 0 and not (term < _NEGLIGIBLE and k < mu):
        term = term * k / mu
        below.append(term)
        k -= 1
    bottom = k
    above = []  # pmf(mode + 1), pmf(mode + 2), ...
    term, k = peak, mode
    while not (term < _NEGLIGIBLE and k > mu):
        k += 1
        term = term * mu / k
        above.append(term)
    below.reverse()
    terms = below + above  # pmf(bottom), pmf(bottom + 1), ...

    # ppf(1e-10): the first k whose cumulative probability reaches 1e-10.
    cumulative = 0.0
    offset = 0
    for offset, term in enumerate(terms):  # noqa: B007 - offset is used after the loop
        cumulative += term
        if cumulative >= _LOWER_Q:
            break
    first = offset
    # ppf(1 - 1e-16) as scipy's ``pdtrik`` finds it: the first k whose upper tail is at
    # most 1e-16 (as a double, 2**-53); one less if the cumulative probability there,
    # rounded to a double as ``pdtr`` returns it, still reaches 1 - 1e-16.
    tail_q = 1.0 - _UPPER_Q
    upper_tail = 0.0  # the sum of the terms above `offset`
    offset = len(terms) - 1
    while offset > 0 and upper_tail + terms[offset] <= tail_q:
        upper_tail += terms[offset]
        offset -= 1
    if offset > 0 and 1.0 - (upper_tail + terms[offset]) >= _UPPER_Q:
        offset -= 1
    return bottom + first, terms[first : offset + 1]


def poisson_e_test(k_later: int, days_later: float, k_earlier: int, days_earlier: float) -> float:
    """Two-sided p-value of the E-test that two Poisson rates are equal.

    The same value as ``scipy.stats.poisson_means_test(k_later, days_later, k_earlier,
    days_earlier).pvalue`` (with its default ``diff=0``): the probability, when both rates
    equal the pooled rate, of a pair of counts whose standardised difference is at least
    as large as the observed one (Krishnamoorthy and Thomson 2004, equation 3.5).

    >>> round(poisson_e_test(524, 365, 480, 365), 4)
    0.1651
    """
    _check_counts(k_later, k_earlier)
    n1, n2 = days_later, days_earlier
    if not (n1 > 0 and n2 > 0):
        raise ValueError(f"exposures must be greater than 0, not {n1!r} and {n2!r}")
    k1, k2 = k_later, k_earlier
    pooled = (k1 + k2) / (n1 + n2)
    if pooled <= 0:  # no events at all: nothing can be rejected (scipy returns 1)
        return 1.0
    # The arithmetic below is scipy's, operation for operation, so that a pair whose
    # statistic ties with the observed one (the observed pair itself, and its mirror image
    # when the exposures are equal) compares equal here exactly as it does there.
    observed = abs((k1 / n1 - k2 / n2) / math.sqrt(k1 / (n1**2) + k2 / (n2**2)))
    if _beyond_every_outcome(observed, n1, n1 * pooled, n2, n2 * pooled):
        return 0.0  # scipy's sum has no term: exactly 0, found without walking the terms
    first1, pmf1 = _poisson_terms(n1 * pooled)
    first2, pmf2 = _poisson_terms(n2 * pooled)
    if observed == 0:
        # Every pair counts except (0, 0), whose statistic is 0/0 (NaN) and never compares.
        total = math.fsum(pmf1) * math.fsum(pmf2)
        if first1 == 0 and first2 == 0:
            total -= pmf1[0] * pmf2[0]
        return total

    # For a fixed x1 the statistic falls strictly as x2 rises, and it rises with x1. So the
    # extreme x2 for each x1 are a low run, x2 < first2 + high (statistic >= observed), and
    # a high run, x2 >= first2 + low (statistic <= -observed), and both boundaries only
    # move up as x1 rises: two pointers visit each x2 once, not once per x1. Each run's
    # probability is summed from its own end, so that a tiny tail is never the difference
    # of two numbers close to 1.
    size2 = len(pmf2)
    rate2 = [x2 / n2 for x2 in range(first2, first2 + size2)]  # scipy's lmbd_x2
    spread2 = [r / n2 for r in rate2]  # its share of var_x1x2
    from_bottom = [0.0, *accumulate(pmf2)]  # from_bottom[j]: pmf2[0] + ... + pmf2[j - 1]
    from_top = [*reversed([*accumulate(reversed(pmf2))]), 0.0]  # from_top[j]: pmf2[j] + ...
    sqrt = math.sqrt
    high = 0
    # (x1, x2) = (0, 0) has the statistic 0/0 (NaN), which is never extreme: skip it.
    low = 1 if first1 == 0 and first2 == 0 else 0
    below = -observed
    p_value = 0.0
    for x1, weight in enumerate(pmf1, first1):
        rate1 = x1 / n1
        spread1 = rate1 / n1
        if x1:  # with x1 = 0 every statistic is -sqrt(x2) <= 0 < observed
            while (
                high < size2 and (rate1 - rate2[high]) / sqrt(spread1 + spread2[high]) >= observed
            ):
                high += 1
        while low < size2 and (rate1 - rate2[low]) / sqrt(spread1 + spread2[low]) > below:
            low += 1
        p_value += weight * (from_bottom[high] + from_top[low])
    return p_value


def _outcome_bounds(mu: float) -> tuple[int, int]:
    """Whole numbers below ``poisson.ppf(1e-10, mu)`` and above ``poisson.ppf(1 - 1e-16, mu)``:
    the range scipy sums over lies inside them.

    From the Chernoff bound P(X <= mu - t) <= exp(-t^2 / 2 mu) and Bernstein's
    P(X >= mu + t) <= exp(-t^2 / 2 (mu + t / 3)), each with a margin of a whole count.
    """
    below = math.sqrt(2 * mu * math.log(1 / _LOWER_Q))
    tail = math.log(1e16)
    above = tail / 3 + math.sqrt(tail * tail / 9 + 2 * tail * mu)
    return max(0, math.floor(mu - below) - 1), math.ceil(mu + above) + 1


def _beyond_every_outcome(observed: float, n1: float, mu1: float, n2: float, mu2: float) -> bool:
    """Whether no pair of outcomes scipy sums over has a statistic as extreme as
    ``observed`` (> 0), so that the p-value is exactly 0.

    The statistic rises with x1 and falls with x2, so its extremes over the range are at
    two corners; with bounds wider than the range and a relative margin far beyond
    rounding, a True here is certain. Changes far beyond chance (common in large files)
    then cost microseconds instead of a walk over thousands of terms.
    """
    low1, high1 = _outcome_bounds(mu1)
    low2, high2 = _outcome_bounds(mu2)

    def statistic(x1: int, x2: int) -> float:
        return (x1 / n1 - x2 / n2) / math.sqrt(x1 / (n1**2) + x2 / (n2**2))

    margin = observed * (1 - 1e-9)
    return statistic(high1, low2) < margin and -statistic(low1, high2) < margin


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
    _check_counts(a, b, c, d)
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
            first = self._first_where(mode, self.high, lambda y: self.ratio_at_most(y, x, _GAMMA))
            p_value = self.tail_sum(x, -1) + self.tail_sum(first, +1)
        else:
            last = self._last_where(self.low, mode, lambda y: self.ratio_at_most(y, x, _GAMMA))
            p_value = self.tail_sum(x, +1) + self.tail_sum(last, -1)
        return min(p_value, 1.0)

    @staticmethod
    def _first_where(start: int, end: int, included) -> int:
        """The first y in [start, end + 1] from which ``included(y)`` holds (``included``
        is false then true along the range)."""
        lo, hi = start, end + 1
        while lo < hi:
            mid = (lo + hi) // 2
            if included(mid):
                hi = mid
            else:
                lo = mid + 1
        return lo

    @staticmethod
    def _last_where(start: int, end: int, included) -> int:
        """The last y in [start - 1, end] up to which ``included(y)`` holds (``included``
        is true then false along the range)."""
        lo, hi = start - 1, end
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if included(mid):
                lo = mid
            else:
                hi = mid - 1
        return lo
