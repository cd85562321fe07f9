"""Records are immutable and typed; periods order within their own kind and never across."""

import pickle

import pytest

from gunstats.errors import Problem
from gunstats.model import Observation, Source
from gunstats.periods import FinancialYear, Month


def test_periods_of_one_kind_order_by_time():
    years = [FinancialYear(2021), FinancialYear(2019), FinancialYear(2020)]
    assert sorted(years) == [FinancialYear(2019), FinancialYear(2020), FinancialYear(2021)]
    assert Month(2021, 12) < Month(2022, 1) < Month(2022, 2)
    assert max(Month(2022, 3), Month(2021, 11)) == Month(2022, 3)


@pytest.mark.parametrize(
    ("left", "right"),
    [(Month(2021, 4), FinancialYear(2022)), (FinancialYear(2022), Month(2021, 4))],
)
def test_a_month_and_a_financial_year_do_not_compare(left, right):
    with pytest.raises(TypeError):
        _ = left < right
    with pytest.raises(TypeError):
        sorted([left, right])
    assert left != right


def test_periods_of_different_kinds_are_never_equal():
    assert FinancialYear(2021) != Month(2021, 4)
    assert Month(2021, 4) not in {FinancialYear(2021)}


def test_periods_are_immutable_hashable_and_picklable():
    year = FinancialYear(2021)
    with pytest.raises(AttributeError):
        year.start = 2022  # type: ignore[misc]
    assert {Month(2021, 4): "x"}[Month(2021, 4)] == "x"
    assert len({FinancialYear(2021), FinancialYear(2021), FinancialYear(2022)}) == 2
    assert pickle.loads(pickle.dumps(Month(2021, 4))) == Month(2021, 4)


def test_records_are_immutable_with_defaults_and_replace():
    observation = Observation(FinancialYear(2021), 5)  # type: ignore[arg-type]
    assert observation.flags == () and observation.source is None
    with pytest.raises(AttributeError):
        observation.value = 6  # type: ignore[misc]
    assert observation._replace(note="n").note == "n"
    assert Source(id="s", title="T")._asdict() == {
        "id": "s",
        "title": "T",
        "publisher": None,
        "url": None,
        "published": None,
        "note": None,
    }


def test_a_problem_prints_as_file_line_column():
    assert str(Problem("f.yaml", 3, 5, "metrics.m", "bad")) == "f.yaml:3:5: metrics.m: bad"
    assert str(Problem("f.yaml", None, None, "", "empty")) == "f.yaml: empty"
