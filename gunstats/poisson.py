"""A Poisson count's outcomes as scipy's E-test sums them, in plain Python.

``scipy.stats.poisson_means_test`` sums each count's outcomes from its 1e-10 quantile to its
1 - 1e-16 quantile (``poisson.ppf``), and :func:`gunstats.etest.poisson_e_test` sums
the same outcomes. It needs each count's probabilities over that range, or the probability
of a run of outcomes at either end of it. :class:`Outcomes` gives both.

A small count (a mean below :data:`LARGE`) is tabulated: each probability from its
neighbour, out from the mode, and the sums from either end (``itertools.accumulate``). A
large one (the rest of 500,000 events against one area) has a range of over 10,000
outcomes, of which the test may need the sums at only a few dozen places; there each sum is
worked out on its own from Temme's uniform asymptotic expansion of the incomplete gamma
function (DLMF 8.12), in a few microseconds, and the table is built only if the test would
need so many sums that it is cheaper.

This module needs nothing beyond :mod:`math` and :mod:`itertools`, which the interpreter has
loaded before gunstats starts.
"""

from __future__ import annotations

import math
from itertools import accumulate, repeat
from operator import mul, truediv

# scipy sums each Poisson outcome from its 1e-10 quantile to its 1 - 1e-16 quantile.
LOWER_Q = 1e-10
UPPER_Q = 1 - 1e-16
_TAIL_Q = 1.0 - UPPER_Q  # 2**-53, the largest upper tail the range may leave out
# Where a walk into a tail stops: the terms beyond are too small to move a quantile.
_NEGLIGIBLE = 1e-24

LARGE = 500.0
"""From this mean on, tails come from Temme's expansion, accurate there to about 1e-12."""
TAIL_COST = 8
"""What one tail from Temme's expansion costs, in outcomes tabulated: the test tabulates
a large count when it needs more than ``size / TAIL_COST`` tails of it."""

# Taylor coefficients in eta of Temme's c_0(eta) ... c_3(eta) (DLMF 8.12.7 to 8.12.10),
# worked out exactly by tests/test_poisson.py, which checks these against it. For a mean
# of 500 or more, and outcomes within 9 standard deviations of it, the terms left out
# change a tail by less than 1e-15 of itself.
_TEMME = (
    (-0.3333333333333333, 0.08333333333333333, -0.014814814814814815, 0.0011574074074074073,
     0.0003527336860670194, -0.0001787551440329218, 3.919263178522438e-05,
     -2.185448510679992e-06, -1.85406221071516e-06, 8.296711340953087e-07,
     -1.7665952736826078e-07, 6.707853543401498e-09, 1.0261809784240309e-08,
     -4.382036018453353e-09, 9.14769958223679e-10, -2.5514193994946248e-11),
    (-0.001851851851851852, -0.003472222222222222, 0.0026455026455026454,
     -0.0009902263374485596, 0.00020576131687242798, -4.018775720164609e-07,
     -1.8098550334489977e-05, 7.64916091608111e-06, -1.6120900894563446e-06,
     4.647127802807434e-09, 1.378633446915721e-07, -5.752545603517705e-08),
    (0.004133597883597883, -0.0026813271604938273, 0.0007716049382716049,
     2.0093878600823047e-06, -0.0001073665322636516, 5.2923448829120125e-05,
     -1.2760635188618728e-05, 3.423578734096138e-08),
    (0.0006494341563786008, 0.00022947209362139917, -0.0004691894943952557,
     0.00026772063206283885),
)  # fmt: skip
_REVERSED_TEMME = tuple(tuple(reversed(row)) for row in _TEMME)


def tails(k: int, mu: float) -> tuple[float, float]:
    """(P(X <= k), P(X > k)) for X ~ Poisson(mu), each accurate relative to itself, for
    ``mu`` of :data:`LARGE` or more and ``k`` within about 9 standard deviations of it.

    P(X <= k) is Q(k + 1, mu), the upper regularized incomplete gamma function, and
    P(X > k) is P(k + 1, mu); Temme's expansion gives both as a normal tail plus a small
    correction, so that neither is 1 less a number close to 1.
    """
    a = k + 1
    sigma = (mu - a) / a
    # eta**2 / 2 = lambda - 1 - log(lambda), lambda = mu / a; rounding can make it -0.
    half_square = max(0.0, sigma - math.log1p(sigma))
    eta = math.copysign(math.sqrt(2.0 * half_square), sigma)
    series, power = 0.0, 1.0
    for row in _REVERSED_TEMME:
        term = 0.0
        for coefficient in row:
            term = term * eta + coefficient
        series += term * power
        power /= a
    correction = math.exp(-a * half_square) * series / math.sqrt(2.0 * math.pi * a)
    scaled = eta * math.sqrt(a / 2.0)
    return 0.5 * math.erfc(scaled) + correction, 0.5 * math.erfc(-scaled) - correction


class Outcomes:
    """Poisson(``mu``) over scipy's summation range, ``first`` to ``last``."""

    def __init__(self, mu: float) -> None:
        self.mu = mu
        self._weights: list[float] | None = None
        self._up_to: list[float] | None = None
        self._from: list[float] | None = None
        self._mass: float | None = None
        if mu < LARGE:
            self.first, self._weights = _walk(mu)
            self.last = self.first + len(self._weights) - 1
        else:
            self.first, self._below_first = _lower_bound(mu)
            self.last, self._above_last = _upper_bound(mu)
            self._mass = (1.0 - self._below_first) - self._above_last

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    @property
    def tabulated(self) -> bool:
        return self._weights is not None

    def weights(self) -> list[float]:
        """The probability of each outcome, ``first`` to ``last``."""
        if self._weights is None:
            self._weights = _run(self.mu, self.first, self.last)
        return self._weights

    @property
    def mass(self) -> float:
        """P(first <= X <= last)."""
        if self._mass is None:
            self._mass = math.fsum(self.weights())
        return self._mass

    def sums(self) -> tuple[list[float], list[float]]:
        """(up_to, down_from) of a tabulated count: ``up_to[j]`` is P(first <= X < first +
        j) and ``down_from[j]`` is P(first + j <= X <= last), each summed from its own end,
        so that a tiny tail is never the difference of two numbers near 1."""
        weights = self.weights()
        if self._up_to is None:
            self._up_to = [0.0, *accumulate(weights)]
        if self._from is None:
            self._from = [*accumulate(reversed(weights))]
            self._from.reverse()
        return self._up_to, self._from

    def at_most(self, k: int) -> float:
        """P(first <= X <= k)."""
        if k < self.first:
            return 0.0
        if k >= self.last:
            return self.mass
        if self._weights is None:
            return tails(k, self.mu)[0] - self._below_first
        return self.sums()[0][k - self.first + 1]

    def at_least(self, k: int) -> float:
        """P(k <= X <= last), summed from ``last`` down, so that a tiny tail is never the
        difference of two numbers near 1."""
        if k > self.last:
            return 0.0
        if k <= self.first:
            return self.mass
        if self._weights is None:
            return tails(k - 1, self.mu)[1] - self._above_last
        return self.sums()[1][k - self.first]


def _run(mu: float, first: int, last: int) -> list[float]:
    """The probabilities of ``first`` to ``last``, each from its neighbour, out from the
    mode: pmf(k - 1) = pmf(k) k / mu. One multiplication instead of scipy's logarithm and
    log-gamma per term; over 10,000 steps (a count of a million) it adds about 1e-12."""
    mode = min(max(int(mu), first), last)
    peak = math.exp(mode * math.log(mu) - math.lgamma(mode + 1) - mu)
    down = accumulate(map(truediv, range(mode, first, -1), repeat(mu)), mul, initial=peak)
    up = accumulate(map(truediv, repeat(mu), range(mode + 1, last + 1)), mul, initial=peak)
    weights = [*down]  # pmf(mode), pmf(mode - 1), ... pmf(first)
    weights.reverse()
    next(up)  # pmf(mode), which both runs start from
    weights.extend(up)
    return weights


def _walk(mu: float) -> tuple[int, list[float]]:
    """(first, weights) for a small mean: the walk goes out from the mode into each tail
    until the terms are far too small to move either bound, then finds the bounds from the
    sums, as scipy's ``poisson.ppf`` does."""
    mode = int(mu)
    peak = math.exp(mode * math.log(mu) - math.lgamma(mode + 1) - mu)
    bottom, top = _negligible_beyond(mu)
    below = [peak]  # pmf(mode), pmf(mode - 1), ... pmf(bottom)
    term, append = peak, below.append
    for k in range(mode, bottom, -1):
        term = term * k / mu
        append(term)
    above: list[float] = []  # pmf(mode + 1), pmf(mode + 2), ... pmf(top)
    term, append = peak, above.append
    for k in range(mode + 1, top + 1):
        term = term * mu / k
        append(term)
    below.reverse()
    terms = below + above  # pmf(bottom), pmf(bottom + 1), ...

    # ppf(1e-10): the first k whose cumulative probability reaches 1e-10.
    cumulative = 0.0
    offset = 0
    for offset, term in enumerate(terms):  # noqa: B007 - offset is used after the loop
        cumulative += term
        if cumulative >= LOWER_Q:
            break
    first = offset
    # ppf(1 - 1e-16) as scipy's ``pdtrik`` finds it: the first k whose upper tail is at
    # most 1e-16 (as a double, 2**-53); one less if the cumulative probability there,
    # rounded to a double as ``pdtr`` returns it, still reaches 1 - 1e-16.
    upper_tail = 0.0  # the sum of the terms above `offset`
    offset = len(terms) - 1
    while offset > 0 and upper_tail + terms[offset] <= _TAIL_Q:
        upper_tail += terms[offset]
        offset -= 1
    if offset > 0 and 1.0 - (upper_tail + terms[offset]) >= UPPER_Q:
        offset -= 1
    return bottom + first, terms[first : offset + 1]


def _negligible_beyond(mu: float) -> tuple[int, int]:
    """Outcomes below and above which every probability is under :data:`_NEGLIGIBLE`, from
    the Chernoff bound P(X <= mu - t) <= exp(-t^2 / 2 mu) and Bernstein's
    P(X >= mu + t) <= exp(-t^2 / 2 (mu + t / 3)): the walk's ends, found before it starts,
    so that it is a plain loop over a range."""
    tail = -math.log(_NEGLIGIBLE)
    below = math.sqrt(2 * mu * tail)
    above = tail / 3 + math.sqrt(tail * tail / 9 + 2 * tail * mu)
    return max(0, math.floor(mu - below)), math.ceil(mu + above)


# The standard normal quantiles of 1e-10 and 1 - 2**-53: where to start looking for the
# bounds of a large count, which the Cornish-Fisher correction puts within an outcome or two.
_Z_LOWER = -6.361340902404056
_Z_UPPER = 8.209536151601387


def _lower_bound(mu: float) -> tuple[int, float]:
    """(ppf(1e-10), P(X < it)) for a large mean, by the rule of :func:`_walk`."""
    k = int(mu + _Z_LOWER * math.sqrt(mu) + (_Z_LOWER**2 - 1) / 6)
    if tails(k, mu)[0] >= LOWER_Q:
        while tails(k - 1, mu)[0] >= LOWER_Q:
            k -= 1
    else:
        k += 1
        while tails(k, mu)[0] < LOWER_Q:
            k += 1
    return k, tails(k - 1, mu)[0]


def _upper_bound(mu: float) -> tuple[int, float]:
    """(ppf(1 - 1e-16), P(X > it)) for a large mean, by the rule of :func:`_walk`."""
    k = int(mu + _Z_UPPER * math.sqrt(mu) + (_Z_UPPER**2 - 1) / 6)
    if tails(k, mu)[1] <= _TAIL_Q:
        while tails(k - 1, mu)[1] <= _TAIL_Q:
            k -= 1
    else:
        k += 1
        while tails(k, mu)[1] > _TAIL_Q:
            k += 1
    # k is the first outcome whose upper tail is at most 2**-53; the one before it is the
    # bound if pdtr's cumulative probability there rounds to 1 - 1e-16 or more.
    higher = tails(k - 1, mu)[1]
    if 1.0 - higher >= UPPER_Q:
        return k - 1, higher
    return k, tails(k, mu)[1]
