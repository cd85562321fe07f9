"""A Poisson count's outcomes (gunstats/poisson.py) against scipy, and Temme's coefficients
against their exact series.

scipy's ``poisson.ppf`` decides the range the E-test sums over, and ``pdtr``/``pdtrc``
(the regularized incomplete gamma functions, an implementation independent of gunstats')
give each tail; every generated mean and outcome below is checked against them.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal, getcontext
from fractions import Fraction

import pytest

from gunstats.poisson import _TEMME, LARGE, LOWER_Q, UPPER_Q, Outcomes, tails

np = pytest.importorskip("numpy", reason="numpy comes with scipy, in the test extra")
stats = pytest.importorskip("scipy.stats", reason="scipy is in the test extra")
special = pytest.importorskip("scipy.special", reason="scipy is in the test extra")

# --------------------------------------------------------------------------- Temme's series

_DEGREE = 22  # lambda - 1 as a series in eta to this power: enough for every tabulated row

Series = list[Fraction]  # coefficients of eta**0, eta**1, ...


def _times(a: Series, b: Series) -> Series:
    product = [Fraction(0)] * _DEGREE
    for i, x in enumerate(a):
        if x:
            for j in range(_DEGREE - i):
                product[i + j] += x * b[j]
    return product


def _compose(outer: Series, inner: Series) -> Series:
    """outer(inner(eta)), inner without a constant term."""
    total, power = [Fraction(0)] * _DEGREE, [Fraction(1)] + [Fraction(0)] * (_DEGREE - 1)
    for coefficient in outer:
        total = [t + coefficient * p for t, p in zip(total, power, strict=True)]
        power = _times(power, inner)
    return total


def _square_root(a: Series) -> Series:
    """The series r with r * r = a and r[0] = 1 (a[0] must be 1)."""
    root = [Fraction(1)] + [Fraction(0)] * (_DEGREE - 1)
    for n in range(1, _DEGREE):
        root[n] = (a[n] - sum(root[i] * root[n - i] for i in range(1, n))) / 2
    return root


def _lambda_minus_1() -> Series:
    """mu = lambda - 1 as a series in eta, where eta**2 / 2 = mu - log(1 + mu) (DLMF 8.12.5).

    eta = mu * h(mu) with h(mu) = sqrt(2 (mu - log(1 + mu)) / mu**2); reverted by fixed
    point, mu = eta / h(mu), one more correct coefficient per round."""
    inside = [Fraction(2 * (-1) ** j, j + 2) for j in range(_DEGREE)]  # 2 (mu - log(1+mu)) / mu^2
    inverse_h = [Fraction(1)] + [Fraction(0)] * (_DEGREE - 1)
    h = _square_root(inside)
    # 1 / h as a series in mu, term by term.
    for n in range(1, _DEGREE):
        inverse_h[n] = -sum(h[i] * inverse_h[n - i] for i in range(1, n + 1))
    mu = [Fraction(0), Fraction(1)] + [Fraction(0)] * (_DEGREE - 2)
    for _ in range(_DEGREE):
        mu = [Fraction(0), *_compose(inverse_h, mu)[: _DEGREE - 1]]
    return mu


# The coefficients of Stirling's series for Gamma*(a) (DLMF 5.11.3-5.11.4), g_1 to g_3.
_STIRLING = (Fraction(1, 12), Fraction(1, 288), Fraction(-139, 51840))


def _temme_exact() -> list[Series]:
    """c_0(eta) ... c_3(eta) as exact Taylor series: c_0 = 1/mu - 1/eta and
    c_k = (1/eta) c_(k-1)' + (-1)^k g_k / mu (DLMF 8.12.8-8.12.9)."""
    mu = _lambda_minus_1()
    # 1 / mu = (1 / eta) / (mu / eta): a Laurent series, kept as eta * (1 / mu).
    over = [mu[n + 1] for n in range(_DEGREE - 1)]  # mu / eta
    eta_over_mu = [Fraction(1)] + [Fraction(0)] * (len(over) - 1)
    for n in range(1, len(over)):
        eta_over_mu[n] = -sum(over[i] * eta_over_mu[n - i] for i in range(1, n + 1))
    # c_0 = (eta/mu - 1) / eta
    c = [eta_over_mu[n + 1] for n in range(len(eta_over_mu) - 1)]
    rows = [c]
    for k, g in enumerate(_STIRLING, 1):
        previous = rows[-1]
        # (1/eta) c' has the term previous[1] / eta, which (-1)^k g_k / mu must cancel.
        assert previous[1] + (-1) ** k * g * eta_over_mu[0] == 0, k
        rows.append(
            [
                (n + 2) * previous[n + 2] + (-1) ** k * g * eta_over_mu[n + 1]
                for n in range(len(previous) - 2)
            ]
        )
    return rows


def test_temmes_coefficients_are_the_exact_series():
    exact = _temme_exact()
    assert exact[0][:4] == [Fraction(-1, 3), Fraction(1, 12), Fraction(-2, 135), Fraction(1, 864)]
    assert exact[1][0] == Fraction(-1, 540)  # DLMF 8.12.10's check values
    for row, (ours, theirs) in enumerate(zip(_TEMME, exact, strict=True)):
        assert len(theirs) >= len(ours)
        for n, value in enumerate(ours):
            assert value == pytest.approx(float(theirs[n]), rel=1e-15, abs=1e-30), (row, n)


# --------------------------------------------------------------------------- tails


def _large_means() -> list[float]:
    rng = random.Random(20261205)
    means = [LARGE, LARGE + 1e-9, 500.5, 777.7, 1000.0, 4999.5, 10_000.3, 123_456.7, 1e6, 2.5e6]
    means += [math.exp(rng.uniform(math.log(LARGE), math.log(3e6))) for _ in range(40)]
    return means


LARGE_MEANS = _large_means()


def _exact_tail(k: int, mu: float, upper: bool) -> float:
    """P(X > k) (``upper``) or P(X <= k) to 40 digits, term by term in :mod:`decimal`, with
    log k! from Stirling's series (exact to far beyond a double for k of 300 or more)."""
    getcontext().prec = 50
    m, j = Decimal(mu), Decimal(k + 1 if upper else k)
    log_factorial = (
        j * j.ln() - j + (2 * _PI * j).ln() / 2 + 1 / (12 * j) - 1 / (360 * j**3)
        + 1 / (1260 * j**5)
    )  # fmt: skip
    term, total = (-m + j * m.ln() - log_factorial).exp(), Decimal(0)
    while term > total * Decimal("1e-40"):
        total += term
        term = term * m / (j + 1) if upper else term * j / m
        j += 1 if upper else -1
    return float(total)


_PI = Decimal("3.14159265358979323846264338327950288419716939937510")


def test_the_exact_tail_is_exact():
    assert _exact_tail(500, 500.0, upper=False) == pytest.approx(
        special.pdtr(500, 500.0), rel=1e-14
    )
    assert _exact_tail(600, 500.0, upper=True) == pytest.approx(
        special.pdtrc(600, 500.0), rel=1e-13
    )


@pytest.mark.parametrize("mu", LARGE_MEANS)
def test_both_tails_agree_with_scipy_or_the_exact_sum_to_1e_12(mu):
    """Across scipy's summation range and a little beyond, each tail relative to itself.

    scipy's ``pdtrc`` is itself off by up to 1e-5 of a tail in places (1e-5 at mu = 10**6,
    k = 1,004,600); where it disagrees, the tail summed in 40-digit arithmetic decides."""
    sd = math.sqrt(mu)
    ks = sorted({max(0, int(mu + z * sd)) for z in np.linspace(-7.0, 9.0, 161)})
    below, above = special.pdtr(ks, mu), special.pdtrc(ks, mu)
    for k, cdf, sf in zip(ks, below, above, strict=True):
        for ours, theirs, upper in zip(tails(k, mu), (cdf, sf), (False, True), strict=True):
            if ours != pytest.approx(theirs, rel=1e-12):
                assert ours == pytest.approx(_exact_tail(k, mu, upper), rel=1e-12), (k, upper)


def test_scipys_own_tail_is_off_where_the_exact_sum_says():
    exact = _exact_tail(1_004_600, 1e6, upper=True)
    assert tails(1_004_600, 1e6)[1] == pytest.approx(exact, rel=1e-12)
    assert special.pdtrc(1_004_600, 1e6) != pytest.approx(exact, rel=1e-6)


# --------------------------------------------------------------------------- the range


def _all_means() -> list[float]:
    rng = random.Random(51)
    means = [1e-9, 1e-4, 0.01, 0.1, 0.5, 1.0, 2.0, 3.7, 10.0, 49.5, 100.0, 250.25]
    means += [LARGE - 1e-9, LARGE - 0.5, 499.0, LARGE, LARGE + 1e-9, 500.5, 501.0]
    means += [math.exp(rng.uniform(math.log(1e-6), math.log(3e6))) for _ in range(300)]
    # Where a bound is about to move by one: the mean just below and above such a place.
    for low, high in ((5.0, 6.0), (700.0, 701.0), (20_000.0, 20_001.0)):
        grid = np.linspace(low, high, 2001)
        first = stats.poisson.ppf(LOWER_Q, grid)
        for i in np.nonzero(np.diff(first))[0][:3]:
            means += [float(grid[i]), float(grid[i + 1])]
        last = stats.poisson.ppf(UPPER_Q, grid)
        for i in np.nonzero(np.diff(last))[0][:3]:
            means += [float(grid[i]), float(grid[i + 1])]
    return means


ALL_MEANS = _all_means()


def test_the_range_is_scipys_for_every_mean():
    ppf = stats.poisson.ppf
    for mu in ALL_MEANS:
        outcomes = Outcomes(mu)
        assert (outcomes.first, outcomes.last) == (ppf(LOWER_Q, mu), ppf(UPPER_Q, mu)), mu
        assert outcomes.tabulated == (mu < LARGE)


def test_the_means_include_both_sides_of_the_switch_and_of_moving_bounds():
    assert sum(LARGE - 1 < mu < LARGE for mu in ALL_MEANS) >= 2
    assert sum(LARGE <= mu < LARGE + 1 for mu in ALL_MEANS) >= 1
    assert sum(mu > 1e5 for mu in ALL_MEANS) >= 30 and sum(mu < 1 for mu in ALL_MEANS) >= 30
    assert len(ALL_MEANS) >= 320


def _sum_cases() -> list[float]:
    rng = random.Random(7)
    return [0.3, 4.0, 60.0, LARGE - 0.25, LARGE, 2000.0, 75_000.5] + [
        math.exp(rng.uniform(0, math.log(2e6))) for _ in range(13)
    ]


@pytest.mark.parametrize("mu", _sum_cases())
def test_run_sums_agree_with_scipy(mu):
    """P(first <= X <= k) and P(k <= X <= last), from tails or from the table, are scipy's
    (pdtr and pdtrc) to within 1e-10 of themselves; the table's weights are its pmf."""
    outcomes = Outcomes(mu)
    first, last = outcomes.first, outcomes.last
    ks = {first - 1, first, first + 1, last - 1, last, last + 1, int(mu)}
    ks |= {int(k) for k in np.linspace(first, last, 60)}
    below_first = special.pdtr(first - 1, mu) if first else 0.0
    above_last = special.pdtrc(last, mu)
    mass = 1 - below_first - above_last
    for tabulate in (False, True):
        if tabulate:
            weights = outcomes.weights()
            expected = stats.poisson.pmf(np.arange(first, last + 1), mu)
            assert np.allclose(weights, expected, rtol=1e-9, atol=0)
        for k in sorted(ks):
            if k < first or k > last:
                at_most, at_least = (0.0, mass) if k < first else (mass, 0.0)
            else:
                at_most = min(special.pdtr(k, mu) - below_first, mass)
                at_least = mass if k == first else special.pdtrc(k - 1, mu) - above_last
            assert outcomes.at_most(k) == pytest.approx(at_most, rel=1e-10, abs=1e-300), k
            assert outcomes.at_least(k) == pytest.approx(at_least, rel=1e-10, abs=1e-300), k
        assert outcomes.mass == pytest.approx(mass, rel=1e-12)
