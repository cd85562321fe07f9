import pytest

from gunstats.periods import FinancialYear, Month, PeriodError, parse_financial_year, parse_month


@pytest.mark.parametrize("text", ["2021/22", "2021-22", "2021 to 2022", "2021/2022", " 2021/22 "])
def test_every_written_form_is_the_same_financial_year(text):
    assert parse_financial_year(text) == FinancialYear(2021)
    assert str(parse_financial_year(text)) == "2021/22"


def test_century_boundary():
    assert str(FinancialYear(1999)) == "1999/00"
    assert parse_financial_year("1999/00") == FinancialYear(1999)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("2021/23", "did you mean 2021/22?"),
        ("2021 to 2023", "did you mean 2021 to 2022?"),
        ("2021", r"is a calendar year, not a financial year \(did you mean 2021/22, April 2021"),
        ("21/22", "expected a form such as 2021/22"),
        ("1066/67", "outside the years"),
    ],
)
def test_ill_formed_years_suggest_the_right_form(text, hint):
    with pytest.raises(PeriodError, match=hint.replace("?", r"\?")):
        parse_financial_year(text)


def test_months():
    assert parse_month("2022-04") == Month(2022, 4)
    assert Month(2022, 3).financial_year == FinancialYear(2021)
    assert Month(2022, 4).financial_year == FinancialYear(2022)
    assert Month(2023, 1).shift(-1) == Month(2022, 12)
    assert FinancialYear(2022).months()[0] == Month(2022, 4)
    assert FinancialYear(2022).months()[-1] == Month(2023, 3)
    with pytest.raises(PeriodError, match="13 is not 01 to 12"):
        parse_month("2022-13")
