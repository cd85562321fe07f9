"""Tests of change: the p-values agree with scipy's, case by generated case.

scipy is a test dependency only; gunstats computes the same p-values in plain Python. Each
generated case is a test of its own, so a failure names the counts that broke it.
"""

from __future__ import annotations

import calendar
import math
import random
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from gunstats.periods import FinancialYear, Month
from gunstats.significance import (
    FISHER_EXACT,
    POISSON_E_TEST,
    Count,
    Parts,
    Significance,
    days_in,
    days_in_window,
    fisher_exact_two_sided,
    poisson_e_test,
    significance_of,
)
from tests.test_startup import heavy_in, modules_after

np = pytest.importorskip("numpy", reason="numpy comes with scipy, in the test extra")
stats = pytest.importorskip("scipy.stats", reason="scipy is in the test extra")
special = pytest.importorskip("scipy.special", reason="scipy is in the test extra")

RELATIVE = 1e-6


def test_the_tests_import_nothing_heavy(tmp_path):
    """Every report runs them: they must not cost start-up time (scipy is for tests only)."""
    loaded = modules_after("import gunstats.significance", tmp_path)
    assert not {"scipy", "numpy", "fractions"} & loaded
    assert heavy_in(loaded, tmp_path) == set()


def agrees(ours: float, theirs: float) -> bool:
    return ours == theirs or abs(ours - theirs) <= RELATIVE * abs(theirs)


# --------------------------------------------------------------------------- days


def test_a_financial_year_has_the_days_from_1_april_to_31_march():
    for start in range(1900, 2200):
        expected = (date(start + 1, 4, 1) - date(start, 4, 1)).days
        assert days_in(FinancialYear(start)) == expected, start
        assert days_in_window(FinancialYear(start).months()) == expected, start


def test_every_month_has_its_calendar_days():
    for year in range(1900, 2200):
        for month in range(1, 13):
            assert days_in(Month(year, month)) == calendar.monthrange(year, month)[1]


def test_the_shipped_years_days():
    # 2019/20 holds 29 February 2020; 2020/21 and 2021/22 have no 29 February.
    assert [days_in(FinancialYear(y)) for y in (2019, 2020, 2021)] == [366, 365, 365]


def test_days_of_something_else_is_an_error():
    with pytest.raises(TypeError):
        days_in("2021/22")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the seed


def shipped(value: int, start: int) -> Count:
    return Count(Decimal(value), days_in(FinancialYear(start)))


def test_seizures_up_44_is_not_a_significant_change():
    result = significance_of(shipped(524, 2021), shipped(480, 2020))
    assert result == Significance(POISSON_E_TEST, pytest.approx(0.1651, abs=5e-5), 0.95, False)


def test_seizures_408_to_480_is_a_significant_change():
    result = significance_of(shipped(480, 2020), shipped(408, 2019))
    assert result.p_value == pytest.approx(0.0140, abs=5e-5)
    assert result.significant
    # ...at 95% and 98% confidence, but not at 99%
    assert significance_of(shipped(480, 2020), shipped(408, 2019), 0.98).significant
    assert not significance_of(shipped(480, 2020), shipped(408, 2019), 0.99).significant


def test_shootings_283_to_196_is_a_significant_change():
    result = significance_of(shipped(196, 2021), shipped(283, 2019))
    assert result.p_value == pytest.approx(0.0000768, rel=1e-3)
    assert result.significant


def test_a_percentage_without_its_parts_is_not_tested():
    assert significance_of(None, None) is None
    assert significance_of(Parts(38, 100), None) is None


# --------------------------------------------------------------------------- the API


def test_equal_counts_are_tested_and_not_significant():
    result = significance_of(Count(480, 365), Count(480, 365))
    assert result.p_value == pytest.approx(1, abs=1e-9)
    assert not result.significant


def test_equal_rates_are_tested_and_not_significant():
    result = significance_of(Parts(20, 100), Parts(20, 100), confidence=0.8)
    assert result == Significance(FISHER_EXACT, 1.0, 0.8, False)


def test_a_rate_is_compared_as_two_proportions():
    result = significance_of(Parts(Decimal(38), Decimal(100)), Parts(20, 100))
    expected = stats.fisher_exact([[38, 62], [20, 80]]).pvalue
    assert result.test == FISHER_EXACT
    assert agrees(result.p_value, expected)
    assert result.significant


@pytest.mark.parametrize(
    ("later", "earlier"),
    [
        (Count(Decimal("12.5"), 365), Count(10, 365)),  # not a whole number of events
        (Count(10, 365), Count(Fraction(1, 3), 365)),
        (Count(-1, 365), Count(10, 365)),
        (Parts(120, 100), Parts(20, 100)),  # more cases than the whole
        (Parts(20, 100), Parts(Decimal("2.5"), 100)),
    ],
)
def test_values_no_test_can_take_are_untested(later, earlier):
    assert significance_of(later, earlier) is None


def test_a_count_is_not_compared_with_a_rate():
    with pytest.raises(TypeError):
        significance_of(Count(10, 365), Parts(10, 100))


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.95])
def test_confidence_must_be_a_probability(confidence):
    with pytest.raises(ValueError, match="between 0 and 1"):
        significance_of(Count(10, 365), Count(20, 365), confidence)


@pytest.mark.parametrize("bad", [(-1, 365, 3, 365), (1.5, 365, 3, 365), (1, 0, 3, 365)])
def test_the_e_test_refuses_impossible_input(bad):
    with pytest.raises(ValueError):
        poisson_e_test(*bad)


def test_fisher_refuses_negative_counts():
    with pytest.raises(ValueError):
        fisher_exact_two_sided(1, -2, 3, 4)


# --------------------------------------------------------------------------- E-test vs scipy

_DAYS = (365, 366, 28, 29, 30, 31, 1, 7, 731)


def _e_test_cases() -> list[tuple[int, int, int, int]]:
    rng = random.Random(20240410)
    cases = [
        (0, 365, 0, 365),
        (0, 365, 1, 365),
        (1, 365, 0, 366),
        (1, 28, 1, 31),
        (0, 1, 50, 1),
        (3, 28, 0, 31),
        (2757, 31, 2216, 31),  # p about 1e-14: the summation bounds must be scipy's
        (1000, 365, 0, 365),  # p is 0: every extreme pair lies beyond scipy's bounds
    ]
    scales = (3, 60, 600, 5000)
    while len(cases) < 230:
        earlier = rng.randint(0, rng.choice(scales))
        ratio = rng.uniform(0.6, 1.6) if rng.random() < 0.8 else rng.uniform(0, 4)
        later = int(earlier * ratio) if earlier else rng.randint(0, 12)
        cases.append((later, rng.choice(_DAYS), earlier, rng.choice(_DAYS)))
    # Counts of a million, against a count over a short time, so that scipy's double sum
    # (a matrix of every pair of outcomes) still fits in memory.
    for _ in range(12):
        big, days = rng.randint(900_000, 1_100_000), rng.choice((3650, 3653))
        small = int(big / days * rng.uniform(0.85, 1.15))
        case = (big, days, small, 1) if rng.random() < 0.5 else (small, 1, big, days)
        cases.append(case)
    return cases


E_TEST_CASES = _e_test_cases()


@pytest.mark.parametrize("case", E_TEST_CASES, ids=lambda c: "k1={} n1={} k2={} n2={}".format(*c))
def test_the_e_test_agrees_with_scipy(case):
    assert agrees(poisson_e_test(*case), stats.poisson_means_test(*case).pvalue)


def test_the_generated_cases_cover_both_tails_and_all_sizes():
    """The cross-check is only as good as its cases: both directions of change, every
    order of size from 0 to a million, unequal exposures, and p-values from tiny to 1."""
    assert sum(k1 > k2 for k1, _, k2, _ in E_TEST_CASES) >= 80
    assert sum(k1 < k2 for k1, _, k2, _ in E_TEST_CASES) >= 80
    largest = [max(k1, k2) for k1, _, k2, _ in E_TEST_CASES]
    for low, high in ((0, 1), (2, 99), (1000, 9999), (900_000, 1_100_000)):
        assert any(low <= k <= high for k in largest), (low, high)
    assert sum(n1 != n2 for _, n1, _, n2 in E_TEST_CASES) >= 150
    p_values = [poisson_e_test(*case) for case in E_TEST_CASES]
    assert sum(p < 0.001 for p in p_values) >= 20
    assert sum(0.05 < p < 1 for p in p_values) >= 40


def _scipy_e_test_in_blocks(k1, n1, k2, n2, rows=400):
    """scipy's poisson_means_test (scipy/stats/_hypotests.py), line for line, but summing
    the matrix of outcome pairs a block of rows at a time: for two counts of a million
    scipy's own matrix would take gigabytes."""
    lam = (k1 + k2) / (n1 + n2)
    observed = (k1 / n1 - k2 / n2) / np.sqrt(k1 / (n1**2) + k2 / (n2**2))
    lb1, ub1 = stats.poisson.ppf([1e-10, 1 - 1e-16], n1 * lam)
    lb2, ub2 = stats.poisson.ppf([1e-10, 1 - 1e-16], n2 * lam)
    x2 = np.arange(lb2, ub2 + 1)[:, None]
    pmf2, rate2 = stats.poisson.pmf(x2, n2 * lam), x2 / n2
    total = 0.0
    for start in np.arange(lb1, ub1 + 1, rows):
        x1 = np.arange(start, min(start + rows, ub1 + 1))
        rate1 = x1 / n1
        with np.errstate(invalid="ignore", divide="ignore"):
            t = (rate1 - rate2) / np.sqrt(rate1 / n1 + rate2 / n2)
        total += np.sum((stats.poisson.pmf(x1, n1 * lam) * pmf2)[np.abs(t) >= np.abs(observed)])
    return total


@pytest.mark.parametrize("case", [(524, 365, 480, 365), (3000, 365, 2900, 366), (0, 31, 3, 28)])
def test_the_block_sum_is_scipys_sum(case):
    assert _scipy_e_test_in_blocks(*case) == pytest.approx(
        stats.poisson_means_test(*case).pvalue, rel=1e-12
    )


def test_two_counts_of_a_million():
    case = (1_000_000, 365, 996_000, 366)
    assert agrees(poisson_e_test(*case), _scipy_e_test_in_blocks(*case))


# --------------------------------------------------------------------------- Fisher vs scipy


def _fisher_cases() -> list[tuple[int, int, int, int]]:
    rng = random.Random(20240411)
    cases = [
        (0, 0, 0, 0),
        (0, 5, 0, 7),  # an empty column: p is 1
        (1, 0, 0, 1),
        (0, 1, 1, 0),
        (38, 62, 20, 80),
        (20, 80, 38, 62),
        (5, 5, 5, 5),
        (3, 7, 7, 3),  # tables of equal probability on either side
        (1000, 0, 0, 1000),  # p underflows to 0
        (400_000, 600_000, 401_000, 599_000),
    ]

    def count() -> int:
        size = rng.choice((3, 60, 3000, 1_000_000))
        return rng.randint(0, size)

    while len(cases) < 260:
        a, b = count(), count()
        shape = rng.random()
        if shape < 0.3:  # the same rate at another size
            c, d = 2 * a + rng.randint(-2, 2), 2 * b + rng.randint(-2, 2)
        elif shape < 0.5:  # mirror images: ties by symmetry
            c, d = b, a
        elif shape < 0.75:
            c, d = a + rng.randint(-20, 20), b + rng.randint(-20, 20)
        else:
            c, d = count(), count()
        cases.append((a, b, max(c, 0), max(d, 0)))
    return cases


FISHER_CASES = _fisher_cases()


def _exact_ratio(table: tuple[int, int, int, int], y: int) -> Fraction:
    """P(first cell = y) / P(first cell = a), exactly."""
    a, b, c, d = table
    n1, n2, n = a + b, c + d, a + c
    if sorted((y, n1 - y, n - y, n2 - n + y)) == sorted(table):
        return Fraction(1)  # the same four factorials: equally likely by symmetry
    if y > a:  # the product of P(x + 1) / P(x) for x from a to y - 1
        steps = range(a, y)
        top = math.prod((n1 - x) * (n - x) for x in steps)
        bottom = math.prod((x + 1) * (n2 - n + x + 1) for x in steps)
    else:  # the product of P(x - 1) / P(x) for x from a down to y + 1
        steps = range(a, y, -1)
        top = math.prod(x * (n2 - n + x) for x in steps)
        bottom = math.prod((n1 - x + 1) * (n - x + 1) for x in steps)
    return Fraction(top, bottom)


def _fisher_by_definition(table: tuple[int, int, int, int]) -> tuple[float, bool]:
    """(p, near_tie): the two-sided p-value as scipy defines it (the probability of the
    tables no likelier than the observed one, within a relative 1e-14), from scipy's
    probabilities, with every comparison that is closer than 1e-8 decided exactly.
    ``near_tie`` says whether some table's probability is within 1e-9 of the observed
    one's: closer than scipy's own rounding of probabilities for counts in the millions."""
    a, b, c, d = table
    n1, n2, n = a + b, c + d, a + c
    if 0 in (n1, n2, n, b + d):
        return 1.0, False
    low, high = max(0, n - n2), min(n1, n)
    spread = math.sqrt(n * n1 * n2 * (n1 + n2 - n) / ((n1 + n2) ** 2 * (n1 + n2 - 1 or 1)))
    centre = n * n1 / (n1 + n2)
    # Beyond 45 standard deviations a probability is below 1e-400, and beyond the observed
    # table its tail falls at least as fast as a geometric series.
    first = max(low, min(a - 2000, int(centre - 45 * spread) - 10))
    last = min(high, max(a + 2000, int(centre + 45 * spread) + 10))
    ys = np.arange(first, last + 1)
    # scipy's log-gamma, not hypergeom.pmf, which takes a second per 10,000 tables this large
    log_choose = special.gammaln(n1 + 1) + special.gammaln(n2 + 1) - special.gammaln(n1 + n2 + 1)
    probabilities = np.exp(
        log_choose
        + special.gammaln(n + 1)
        + special.gammaln(n1 + n2 - n + 1)
        - special.gammaln(ys + 1)
        - special.gammaln(n1 - ys + 1)
        - special.gammaln(n - ys + 1)
        - special.gammaln(n2 - n + ys + 1)
    )
    observed = probabilities[a - first]
    if observed == 0:
        return 0.0, False
    relative = probabilities / observed - 1
    included = relative <= 1e-14
    near_tie = False
    for index in np.flatnonzero(np.abs(relative) < 1e-8):
        y = int(ys[index])
        exact = _exact_ratio(table, y)
        included[index] = exact <= 1 + Fraction(1e-14)
        near_tie |= y != a and abs(exact - 1) < Fraction(1, 10**9)
    return min(math.fsum(probabilities[included]), 1.0), near_tie


@pytest.mark.parametrize("case", FISHER_CASES, ids=lambda c: "{},{},{},{}".format(*c))
def test_fisher_agrees_with_scipy(case):
    ours = fisher_exact_two_sided(*case)
    by_definition, near_tie = _fisher_by_definition(case)
    assert agrees(ours, by_definition)
    theirs = stats.fisher_exact([[case[0], case[1]], [case[2], case[3]]]).pvalue
    # scipy's probabilities for counts in the millions are correct to about 1e-10, not
    # to its tie tolerance of 1e-14: where two tables' probabilities are equal, or within
    # 1e-9, scipy's rounding decides whether the other counts as extreme. gunstats
    # decides those exactly, and agrees with scipy everywhere else.
    assert agrees(ours, theirs) or near_tie


def test_scipys_rounding_decides_only_a_few_cases():
    disagreements = [
        case
        for case in FISHER_CASES
        if not agrees(
            fisher_exact_two_sided(*case),
            stats.fisher_exact([[case[0], case[1]], [case[2], case[3]]]).pvalue,
        )
    ]
    assert len(disagreements) <= len(FISHER_CASES) // 20, disagreements


def test_an_exact_tie_scipy_misses_is_a_p_value_of_1():
    # 1,377 of 998,613 against 2,756 of 1,997,227: this table and the next (1,378) are
    # equally likely, exactly (997,236 x 2,756 = 1,378 x 1,994,472), so the observed
    # table is a likeliest table and p is 1. scipy's probabilities differ by 1.2e-10.
    table = (1377, 997_236, 2756, 1_994_471)
    assert _exact_ratio(table, 1378) == 1
    assert fisher_exact_two_sided(*table) == 1.0


def test_the_generated_fisher_cases_cover_all_sizes_and_p_values():
    assert any(max(case) <= 1 for case in FISHER_CASES)
    assert sum(max(case) >= 500_000 for case in FISHER_CASES) >= 60
    p_values = [fisher_exact_two_sided(*case) for case in FISHER_CASES]
    assert sum(p < 0.001 for p in p_values) >= 40
    assert sum(0.05 < p < 1 for p in p_values) >= 40


# --------------------------------------------------------------------------- far beyond chance


def _far_cases() -> list[tuple[int, int, int, int]]:
    """Second counts 5 to 14 standard deviations from the first: around where scipy's sum
    becomes empty and the p-value exactly 0, which gunstats finds without the sum."""
    rng = random.Random(20261129)
    cases = []
    for _ in range(300):
        k1 = rng.choice([rng.randint(0, 20), rng.randint(0, 300), rng.randint(0, 5000)])
        k2 = max(0, int(k1 + rng.uniform(5, 14) * rng.choice([-1, 1]) * (k1 + 1) ** 0.5))
        cases.append((k1, rng.choice(_DAYS[:6]), k2, rng.choice(_DAYS[:6])))
    return cases


FAR_CASES = _far_cases()


def test_changes_far_beyond_chance_agree_with_scipy():
    zero, tiny = 0, 0
    for case in FAR_CASES:
        expected = stats.poisson_means_test(*case).pvalue
        found = poisson_e_test(*case)
        assert agrees(found, expected), case
        zero += expected == 0
        tiny += 0 < expected < 1e-6
    assert zero >= 30 and tiny >= 30  # both sides of where the sum becomes empty


def test_a_change_beyond_every_outcome_is_0_without_the_sum(monkeypatch):
    import gunstats.etest as etest

    def no_walk(mu):
        raise AssertionError("walked the terms")

    monkeypatch.setattr(etest, "Outcomes", no_walk)
    assert poisson_e_test(5000, 365, 1000, 365) == 0.0
    assert poisson_e_test(1_000_000, 365, 900_000, 366) == 0.0
    with pytest.raises(AssertionError, match="walked"):
        poisson_e_test(524, 365, 480, 365)  # within reach of chance: the sum is needed


def test_the_chernoff_and_bernstein_bounds_hold_scipys_range():
    from gunstats.etest import _outcome_bounds

    rng = random.Random(3)
    means = [1e-9, 0.01, 1.0, 7.5, 499.9, 500.0, 1e6, 3e6]
    means += [math.exp(rng.uniform(math.log(1e-6), math.log(3e6))) for _ in range(200)]
    for mu in means:
        low, high = _outcome_bounds(mu)
        first, last = stats.poisson.ppf([1e-10, 1 - 1e-16], mu)
        assert low < first or low == first == 0, mu
        assert last < high, mu
