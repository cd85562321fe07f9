"""TEMPORARY minimal copy for the areas branch (issue 12): replace with branch ``stats``'s module.

Branch ``stats`` writes the real ``gunstats/significance.py`` (issue on significance tests).
This file exists only so that ``gunstats areas`` can compare each area with the rest of the
whole before that lands; it has the one function the areas code calls, with the same
signature. When merging, take the ``stats`` branch's file whole and delete this one; the
areas tests (tests/test_areas.py) check the result against scipy either way.

The test is Krishnamoorthy and Thomson's E-test (J. Stat. Plan. Inference 119, 2004) for two
Poisson rates, two-sided, as scipy.stats.poisson_means_test computes it: the probability,
under the pooled rate, of a pivot statistic at least as extreme as the one observed.
"""

from __future__ import annotations

import math
import operator
from itertools import accumulate


def poisson_e_test(k_later: int, days_later: float, k_earlier: int, days_earlier: float) -> float:
    """Two-sided p-value that two Poisson counts have the same rate per unit of exposure.

    Equal to ``scipy.stats.poisson_means_test(k_later, days_later, k_earlier,
    days_earlier).pvalue`` to within 1e-9. Exposure is days for two periods, or people for
    two areas.
    """
    k1, n1, k2, n2 = k_later, float(days_later), k_earlier, float(days_earlier)
    pooled = (k1 + k2) / (n1 + n2)
    if pooled <= 0:
        return 1.0
    observed = abs((k1 / n1 - k2 / n2) / math.sqrt(k1 / (n1**2) + k2 / (n2**2)))
    low1, p1 = _pmf(n1 * pooled)
    low2, p2 = _pmf(n2 * pooled)
    high2 = low2 + len(p2) - 1
    below = [0.0, *accumulate(p2)]  # below[i]: the mass of the first i values of x2
    total2 = below[-1]

    def pivot(x1: int, x2: int) -> float:
        # Written as scipy writes it, so that ties at the observed value fall the same way.
        rate1, rate2 = x1 / n1, x2 / n2
        variance = rate1 / n1 + rate2 / n2
        return (rate1 - rate2) / math.sqrt(variance) if variance > 0 else math.nan

    p_value = 0.0
    for offset, mass1 in enumerate(p1):
        x1 = low1 + offset
        if observed == 0:  # every pair counts, bar 0 and 0 (no statistic at all)
            p_value += mass1 * (total2 - (p2[0] if x1 == 0 and low2 == 0 else 0.0))
            continue
        # For a given x1 the pivot falls as x2 rises, so the extreme pairs are two tails:
        # x2 up to `upper` (pivot >= observed) and from `lower` (pivot <= -observed).
        upper, lower = _roots(x1 / n1, x1 / n1 / n1, n2, observed)
        upper = _last(lambda x2, x1=x1: pivot(x1, x2) >= observed, upper, low2, high2)
        lower = _first(lambda x2, x1=x1: pivot(x1, x2) <= -observed, lower, low2, high2)
        mass2 = below[upper - low2 + 1] + (total2 - below[lower - low2])
        p_value += mass1 * mass2
    return min(1.0, p_value)


def _pmf(mean: float) -> tuple[int, list[float]]:
    """The Poisson probabilities from mean - 8 sd to mean + 9 sd (the rest is under 1e-15)."""
    spread = math.sqrt(mean)
    low = max(0, math.floor(mean - 8 * spread - 5))
    high = math.ceil(mean + 9 * spread + 15)
    mode = min(max(math.floor(mean), low), high)
    at_mode = math.exp(mode * math.log(mean) - mean - math.lgamma(mode + 1))
    # Each probability from its neighbour: p(x - 1) = p(x) x / mean, p(x + 1) = p(x) mean / (x + 1).
    down = accumulate((x / mean for x in range(mode, low, -1)), operator.mul, initial=at_mode)
    up = accumulate((mean / x for x in range(mode + 1, high + 1)), operator.mul, initial=at_mode)
    below = list(down)
    below.reverse()
    return low, below + list(up)[1:]


def _roots(rate1: float, variance1: float, n2: float, t: float) -> tuple[int, int]:
    """Where the pivot crosses +t and -t, as x2 estimates from the quadratic it squares to."""
    b = 2 * rate1 + t * t / n2
    c = rate1 * rate1 - t * t * variance1
    root = math.sqrt(max(0.0, b * b - 4 * c))
    return math.floor((b - root) / 2 * n2), math.ceil((b + root) / 2 * n2)


def _last(holds, guess: int, low: int, high: int) -> int:
    """The largest x in [low, high] where ``holds`` (true up to a point), else low - 1."""
    x = min(max(guess, low - 1), high)
    while x < high and holds(x + 1):
        x += 1
    while x >= low and not holds(x):
        x -= 1
    return x


def _first(holds, guess: int, low: int, high: int) -> int:
    """The smallest x in [low, high] where ``holds`` (true from a point on), else high + 1."""
    x = max(min(guess, high + 1), low)
    while x > low and holds(x - 1):
        x -= 1
    while x <= high and not holds(x):
        x += 1
    return x
