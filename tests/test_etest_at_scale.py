"""The E-test at scale against scipy: an area against the rest of a large whole, two large
counts (Temme's expansion), means either side of where tabulation stops, ties, and changes
near where the p-value becomes 0.

tests/test_significance.py checks the shipped kinds of comparison (days as exposure);
these cases are the ones ``gunstats areas`` makes, with populations as exposure, and the
ones that reach every path of gunstats/poisson.py. Every p-value must equal
``scipy.stats.poisson_means_test(...).pvalue`` within 1e-6 of itself.
"""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

import gunstats.poisson as poisson
from gunstats.poisson import LARGE, Outcomes
from gunstats.significance import poisson_e_test

stats = pytest.importorskip("scipy.stats", reason="scipy is in the test extra")

RELATIVE = 1e-6


def scipy_p(case: tuple[int, float, int, float]) -> float:
    return float(stats.poisson_means_test(*case).pvalue)


def assert_agrees(case: tuple[int, float, int, float]) -> float:
    expected = scipy_p(case)
    found = poisson_e_test(*case)
    assert found == expected or abs(found - expected) <= RELATIVE * abs(expected), (
        case,
        found,
        expected,
    )
    return expected


def _area_cases() -> list[tuple[int, int, int, int]]:
    """An area (population 4,000 to 40,000) against the rest of a whole of 5,000 to
    500,000 events (population about 11 million), with its rate from a fifth of the rest's
    to three times it, so that p runs from 1 down to 0."""
    rng = random.Random(20261205)
    cases = []
    for whole in (5_000, 50_000, 500_000):
        for _ in range(16):
            population = rng.randint(4_000, 40_000)
            rest_population = rng.randint(10_000_000, 12_000_000)
            expected = whole * population / (population + rest_population)
            factor = rng.choice([rng.uniform(0.8, 1.25), rng.uniform(0.2, 3.0)])
            area = int(expected * factor)
            case = (area, population, whole - area, rest_population)
            cases.append(case if rng.random() < 0.5 else (case[2], case[3], case[0], case[1]))
    cases += [(0, 5_000, 5_000, 11_000_000), (1, 40_000, 499_999, 11_000_000)]
    return cases


AREA_CASES = _area_cases()


@pytest.mark.parametrize("case", AREA_CASES, ids=lambda c: "k1={} n1={} k2={} n2={}".format(*c))
def test_an_area_against_the_rest_agrees_with_scipy(case):
    assert_agrees(case)


def _large_cases() -> list[tuple[int, int, int, int]]:
    """Two counts whose pooled means are both 500 or more (both from Temme's expansion
    until tabulating is cheaper), of equal and unequal sizes, some with equal exposures
    (where the observed pair's mirror image ties with it exactly)."""
    rng = random.Random(12)
    cases = []
    for _ in range(40):
        earlier = int(math.exp(rng.uniform(math.log(600), math.log(60_000))))
        days_earlier = rng.choice((365, 366, 3650))
        days_later = rng.choice((days_earlier, days_earlier, 31, 731, 7300))
        rate = earlier / days_earlier * rng.choice([rng.uniform(0.9, 1.1), rng.uniform(0.5, 2)])
        later = max(0, round(rate * days_later))
        cases.append((later, days_later, earlier, days_earlier))
    cases += [(1000, 365, 1000, 365), (2000, 730, 1000, 365), (5000, 365, 5100, 365)]
    return cases


LARGE_CASES = _large_cases()


@pytest.mark.parametrize("case", LARGE_CASES, ids=lambda c: "k1={} n1={} k2={} n2={}".format(*c))
def test_two_large_counts_agree_with_scipy(case):
    assert_agrees(case)


def test_the_large_cases_reach_every_path(monkeypatch):
    """Both counts large; the larger count's runs from Temme's tails one at a time, and
    tabulated because that was cheaper; ties of equal exposures."""
    calls = {"tails": 0, "tabulated": 0}
    at_most, run = Outcomes.at_most, poisson._run

    def counted_at_most(self, k):
        calls["tails"] += not self.tabulated and self.first < k < self.last
        return at_most(self, k)

    def counted_run(mu, first, last):
        calls["tabulated"] += 1
        return run(mu, first, last)

    monkeypatch.setattr(Outcomes, "at_most", counted_at_most)
    monkeypatch.setattr(poisson, "_run", counted_run)
    for case in LARGE_CASES:
        poisson_e_test(*case)
    assert calls["tabulated"] >= 5 and calls["tails"] >= 100, calls
    pooled = [(k1 + k2) / (n1 + n2) for k1, n1, k2, n2 in LARGE_CASES]
    both_large = [p * min(c[1], c[3]) >= LARGE for p, c in zip(pooled, LARGE_CASES, strict=True)]
    assert sum(both_large) >= 15
    assert sum(n1 == n2 for _, n1, _, n2 in LARGE_CASES) >= 10


def _switch_cases() -> list[tuple[int, int, int, int]]:
    """Pooled means just below and just above 500, where the tails stop coming from the
    table and start coming from Temme's expansion."""
    cases = []
    for total in (998, 999, 1000, 1001, 1002):
        for later in (total // 2 - 40, total // 2, total // 2 + 3, total // 2 + 70):
            cases.append((later, 365, total - later, 365))
    cases += [(480, 365, 540, 366), (521, 365, 480, 365), (499, 1, 1, 1)]
    return cases


SWITCH_CASES = _switch_cases()


@pytest.mark.parametrize("case", SWITCH_CASES, ids=lambda c: "k1={} n1={} k2={} n2={}".format(*c))
def test_means_either_side_of_the_switch_agree_with_scipy(case):
    assert_agrees(case)


def test_the_switch_cases_straddle_it():
    means = [(k1 + k2) / 2 for k1, n1, k2, n2 in SWITCH_CASES if n1 == n2]
    assert any(m < LARGE for m in means) and any(m > LARGE for m in means)
    assert any(m == LARGE for m in means)


def _edge_cases() -> list[tuple[int, int, int, int]]:
    """Changes from 4 to 16 standard deviations: p from about 1e-4 down to where scipy's
    sum has no term left and the p-value is exactly 0, with large counts."""
    rng = random.Random(99)
    cases = []
    for _ in range(60):
        k = int(math.exp(rng.uniform(math.log(500), math.log(50_000))))
        shift = rng.uniform(4, 16) * rng.choice([-1, 1]) * math.sqrt(2 * k)
        days = rng.choice((365, 366))
        cases.append((max(0, int(k + shift)), days, k, rng.choice((365, 366))))
    return cases


EDGE_CASES = _edge_cases()


def test_changes_near_where_p_becomes_0_agree_with_scipy():
    expected = [assert_agrees(case) for case in EDGE_CASES]
    assert sum(p == 0 for p in expected) >= 10
    assert sum(0 < p < 1e-12 for p in expected) >= 10
    assert sum(p > 1e-12 for p in expected) >= 10


@given(
    later=st.integers(0, 3_000),
    earlier=st.integers(0, 3_000),
    days_later=st.integers(1, 50_000),
    days_earlier=st.integers(1, 50_000),
)
def test_any_counts_and_exposures_agree_with_scipy(later, earlier, days_later, days_earlier):
    assert_agrees((later, days_later, earlier, days_earlier))


def test_a_large_count_is_not_tabulated_for_a_few_tails(monkeypatch):
    """An area against a whole of half a million: the rest's 10,000 outcomes are never
    tabulated, only the few dozen tails the test needs."""

    run = poisson._run

    def small_only(mu, first, last):
        assert last - first < 1_000, "tabulated the rest"
        return run(mu, first, last)

    case = (1000, 20_000, 499_000, 11_000_000)
    expected = scipy_p(case)
    assert Outcomes(499_000 / 11_000_000 * 11_020_000).size > 10_000
    monkeypatch.setattr(poisson, "_run", small_only)
    assert poisson_e_test(*case) == pytest.approx(expected, rel=RELATIVE)
