"""The Poisson E-test (Krishnamoorthy and Thomson 2004) in plain Python, with scipy's
p-value: :func:`poisson_e_test`, which :mod:`gunstats.significance` uses to test a change
and :mod:`gunstats.areas` to compare an area with the rest of the whole.

scipy's ``poisson_means_test`` sums the probability of every pair of outcomes (x, y) whose
statistic is at least as extreme as the observed one. Here, for each outcome of the count
with fewer outcomes, the other count's extreme outcomes are two runs (at the low end and at
the high end of its range), and each run's probability comes at once from
:class:`gunstats.poisson.Outcomes`: the work grows with the square root of the smaller
count, not with the product of both counts' ranges.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from gunstats.poisson import LOWER_Q, TAIL_COST, Outcomes


def check_counts(*counts: int) -> None:
    for count in counts:
        if not isinstance(count, int) or count < 0:
            raise ValueError(f"a count must be a whole number, 0 or more, not {count!r}")


def poisson_e_test(k_later: int, days_later: float, k_earlier: int, days_earlier: float) -> float:
    """Two-sided p-value of the E-test that two Poisson rates are equal.

    The same value as ``scipy.stats.poisson_means_test(k_later, days_later, k_earlier,
    days_earlier).pvalue`` (with its default ``diff=0``): the probability, when both rates
    equal the pooled rate, of a pair of counts whose standardised difference is at least
    as large as the observed one (Krishnamoorthy and Thomson 2004, equation 3.5).

    >>> round(poisson_e_test(524, 365, 480, 365), 4)
    0.1651
    """
    check_counts(k_later, k_earlier)
    n1, n2 = days_later, days_earlier
    if not (n1 > 0 and n2 > 0):
        raise ValueError(f"exposures must be greater than 0, not {n1!r} and {n2!r}")
    k1, k2 = k_later, k_earlier
    pooled = (k1 + k2) / (n1 + n2)
    if pooled <= 0:  # no events at all: nothing can be rejected (scipy returns 1)
        return 1.0
    # The arithmetic of the statistic is scipy's, operation for operation, so that a pair
    # whose statistic ties with the observed one (the observed pair itself, and its mirror
    # image when the exposures are equal) compares equal here exactly as it does there.
    observed = abs((k1 / n1 - k2 / n2) / math.sqrt(k1 / (n1**2) + k2 / (n2**2)))
    if _beyond_every_outcome(observed, n1, n1 * pooled, n2, n2 * pooled):
        return 0.0  # scipy's sum has no term: exactly 0, found without any outcome's terms
    one, two = Outcomes(n1 * pooled), Outcomes(n2 * pooled)
    if observed == 0:
        # Every pair counts except (0, 0), whose statistic is 0/0 (NaN) and never compares.
        total = one.mass * two.mass
        if one.first == 0 and two.first == 0:
            total -= one.weights()[0] * two.weights()[0]
        return total
    # Swapping the two counts, with their exposures, only flips the statistic's sign, and
    # exactly so in floating point; so the sum may run over either count's outcomes: over
    # those of the count with fewer.
    if one.size <= two.size:
        return _extreme_pairs(one, n1, two, n2, observed)
    return _extreme_pairs(two, n2, one, n1, observed)


def _extreme_pairs(
    outer: Outcomes, n_outer: float, inner: Outcomes, n_inner: float, observed: float
) -> float:
    """The probability of the pairs (x, y) whose statistic is at least ``observed`` either
    way, x an outcome of ``outer`` and y of ``inner``.

    For a fixed x the statistic falls as y rises, so the extreme y are a low run (statistic
    >= observed) and a high run (statistic <= -observed). Where each run ends is a root of
    a quadratic in y, so each x costs a few operations however many outcomes y has; the
    statistic itself decides only where a root is within rounding of a whole number (a
    tie, such as the observed pair). As the statistic rises with x, the x at which a run
    ends inside the range of y form a stretch, found by bisection: before it and after it
    the run is empty or the whole range.
    """
    sqrt = math.sqrt
    low, high = inner.first, inner.last

    def statistic(x: int, y: int) -> float:  # scipy's t_x1x2, with x first
        if not (x or y):
            return math.nan  # 0/0: never extreme
        rate_x, rate_y = x / n_outer, y / n_inner
        return (rate_x - rate_y) / sqrt(rate_x / n_outer + rate_y / n_inner)

    start, last = outer.first, outer.last
    weights = outer.weights()
    total = 0.0
    if start == 0 and low == 0:
        # x = 0: its statistic is 0/0 at y = 0, and below 0 elsewhere, falling with y.
        end = first_where(1, high, lambda y: statistic(0, y) <= -observed)
        total += weights[0] * inner.at_least(end)
        start = 1
    # The low run ends inside the range for x in [some_low, all_low) and is all of it from
    # all_low on; the high run starts inside it for x in [part_high, no_high) and is all
    # of it before part_high.
    some_low = first_where(start, last, lambda x: statistic(x, low) >= observed)
    all_low = first_where(some_low, last, lambda x: statistic(x, high) >= observed)
    part_high = first_where(start, last, lambda x: not statistic(x, low) <= -observed)
    no_high = first_where(part_high, last, lambda x: not statistic(x, high) <= -observed)
    first = outer.first
    # The x whose low run is all of the range, and those whose high run is.
    full = math.fsum(weights[all_low - first :])
    full += math.fsum(weights[start - first : part_high - first])
    if not inner.tabulated and (all_low - some_low + no_high - part_high) * TAIL_COST > inner.size:
        inner.weights()  # cheaper than working out a tail for each x
    total += full * inner.mass

    # At b = y / n_inner the statistic is +-observed where
    # (rate - b)**2 = square * (rate / n_outer + b / n_inner), rate = x / n_outer: roots
    # b_low <= rate (+observed) and b_high > rate (-observed), b_low * b_high = rate * (rate - g).
    square = observed * observed
    shift = square / n_inner
    half_shift, quarter = shift / 2, shift * shift / 4
    g = square / n_outer
    slope = shift + g
    floor = math.floor
    # Rounding moves a root by far less than this; a root nearer a whole number than this
    # may be a tie, which the statistic itself decides.
    near = 1e-6 + 1e-12 * high
    # up_to[y - low + 1] is P(low <= Y <= y) and down_from[y - low] is P(y <= Y <= high):
    # lists where the inner count is tabulated, a tail at a time where it is not.
    up_to, down_from = inner.sums() if inner.tabulated else _tails_of(inner)

    def last_of_low_run(x: int, y: int) -> int:
        y = min(max(y, low), high - 1)
        while statistic(x, y + 1) >= observed:
            y += 1
        while not statistic(x, y) >= observed:
            y -= 1
        return y

    def first_of_high_run(x: int, y: int) -> int:
        y = min(max(y, low + 1), high)
        while statistic(x, y - 1) <= -observed:
            y -= 1
        while not statistic(x, y) <= -observed:
            y += 1
        return y

    # The two loops below are the test's work: a few operations for each x.
    for x, weight in zip(range(some_low, all_low), weights[some_low - first :], strict=False):
        rate = x / n_outer
        root = rate * (rate - g) / (rate + half_shift + sqrt(quarter + rate * slope)) * n_inner
        y = floor(root)  # the last y of the low run
        if not (near < root - y < 1 - near and low <= y < high):
            y = last_of_low_run(x, y)
        total += weight * up_to[y - low + 1]
    for x, weight in zip(range(part_high, no_high), weights[part_high - first :], strict=False):
        rate = x / n_outer
        root = (rate + half_shift + sqrt(quarter + rate * slope)) * n_inner
        y = floor(root) + 1  # the first y of the high run
        if not (near < y - root < 1 - near and low < y <= high):
            y = first_of_high_run(x, y)
        total += weight * down_from[y - low]
    return total


class _Shifted:
    """``f(j + shift)`` as ``[j]``: a tail worked out on demand, indexed like a list."""

    def __init__(self, f: Callable[[int], float], shift: int) -> None:
        self.f, self.shift = f, shift

    def __getitem__(self, j: int) -> float:
        return self.f(j + self.shift)


def _tails_of(outcomes: Outcomes) -> tuple[_Shifted, _Shifted]:
    """For a count that is not tabulated, what :meth:`Outcomes.sums` gives for one that is."""
    return _Shifted(outcomes.at_most, outcomes.first - 1), _Shifted(
        outcomes.at_least, outcomes.first
    )


def _outcome_bounds(mu: float) -> tuple[int, int]:
    """Whole numbers below ``poisson.ppf(1e-10, mu)`` and above ``poisson.ppf(1 - 1e-16, mu)``:
    the range scipy sums over lies inside them.

    From the Chernoff bound P(X <= mu - t) <= exp(-t^2 / 2 mu) and Bernstein's
    P(X >= mu + t) <= exp(-t^2 / 2 (mu + t / 3)), each with a margin of a whole count.
    """
    below = math.sqrt(2 * mu * math.log(1 / LOWER_Q))
    tail = math.log(1e16)
    above = tail / 3 + math.sqrt(tail * tail / 9 + 2 * tail * mu)
    return max(0, math.floor(mu - below) - 1), math.ceil(mu + above) + 1


def _beyond_every_outcome(observed: float, n1: float, mu1: float, n2: float, mu2: float) -> bool:
    """Whether no pair of outcomes scipy sums over has a statistic as extreme as
    ``observed`` (> 0), so that the p-value is exactly 0.

    The statistic rises with x1 and falls with x2, so its extremes over the range are at
    two corners; with bounds wider than the range and a relative margin far beyond
    rounding, a True here is certain. Changes far beyond chance (common in large files)
    then cost microseconds, without finding either count's range.
    """
    low1, high1 = _outcome_bounds(mu1)
    low2, high2 = _outcome_bounds(mu2)

    def statistic(x1: int, x2: int) -> float:
        return (x1 / n1 - x2 / n2) / math.sqrt(x1 / (n1**2) + x2 / (n2**2))

    margin = observed * (1 - 1e-9)
    return statistic(high1, low2) < margin and -statistic(low1, high2) < margin


def first_where(start: int, end: int, included: Callable[[int], bool]) -> int:
    """The first y in [start, end + 1] from which ``included(y)`` holds (``included`` is
    false then true along the range)."""
    lo, hi = start, end + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if included(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo
