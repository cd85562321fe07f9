"""Areas side by side (issue 12): rates, ranks, changes, the test against the rest, output.

Every figures file here is synthetic and says so in its title; examples/areas.yaml holds the
real counts (with illustrative populations, as the file says).
"""

from __future__ import annotations

import csv
import io
import json
import random
import warnings
from decimal import Decimal

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from gunstats import significance
from gunstats.area_figures import area_periods, default_period, metrics_with_areas
from gunstats.area_report import figures_for_area
from gunstats.areas import RestComparison, compare_areas, compare_with_rest, rank_by_rate
from gunstats.cli import cli
from gunstats.load import load_figures, parse_figures
from gunstats.periods import FinancialYear, Month
from gunstats.render import areas_csv, areas_json, areas_table
from gunstats.render.areas_markdown import render as render_markdown
from gunstats.render.options import RenderOptions
from gunstats.validate_areas import area_warnings

from .conftest import ROOT
from .test_properties import markdown_tables

EXAMPLE = ROOT / "examples" / "areas.yaml"

THREE = """\
title: Synthetic areas (not real data)
areas:
  north: {name: North, population: {2020: 100000, 2022/23: 200000}}
  south: {name: South, population: {2020: 200000}}
  west: {name: West, population: {2020: 400000}}
metrics:
  shootings:
    label: Shootings
    unit: count
    better: down
    values: {2021/22: 100, 2022/23: 90}
    areas:
      north: {values: {2021/22: 10, 2022/23: 20}}
      south: {values: {2021/22: 30, 2022/23: 20}}
      west: {values: {2021/22: 60, 2022/23: 50}}
"""


def figures(text: str = THREE):
    return parse_figures(text, "synthetic.yaml")


LATEST = FinancialYear(2022)


def render_table(table, width: int = 80) -> str:
    return areas_table.render(table, RenderOptions(width=width))


def table_for(text: str = THREE, period=LATEST, **options):
    data = figures(text)
    return compare_areas(data, data.metrics[0], period, **options)


def row(table, area_id: str):
    return next(r for r in table.areas if r.id == area_id)


# -- rates, populations, ranks ---------------------------------------------------------------


def test_rate_is_value_per_100000_people_exactly():
    table = table_for()
    assert row(table, "north").rate == Decimal(10)  # 20 in 200,000 (its 2022/23 estimate)
    assert row(table, "south").rate == Decimal(10)
    assert row(table, "west").rate == Decimal("12.5")
    assert table.whole.population == 800_000
    assert table.whole.rate == Decimal("11.25")


def test_the_periods_own_population_or_else_the_latest_earlier_one_and_it_says_which():
    later = table_for()
    assert (row(later, "north").population, row(later, "north").population_period) == (
        200_000,
        "2022/23",
    )
    assert row(later, "south").population_period == "mid-2020"
    earlier = table_for(period=FinancialYear(2021))
    assert (row(earlier, "north").population, row(earlier, "north").population_period) == (
        100_000,
        "mid-2020",
    )


def test_a_mid_year_estimate_is_not_used_for_the_financial_year_before_it():
    text = THREE.replace("{2020: 100000, 2022/23: 200000}", "{2022: 100000}")
    north = row(table_for(text, period=FinancialYear(2021)), "north")
    assert north.population is None and north.rate is None


def test_ties_share_a_rank_and_the_next_rank_skips():
    table = table_for()  # north and south both 10 per 100,000; west 12.5
    assert {r.id: r.rank for r in table.areas} == {"west": 1, "north": 2, "south": 2}
    assert [r.id for r in table.areas] == ["west", "north", "south"]  # ties by name


def test_rank_by_rate_is_competition_ranking_with_missing_rates_unranked():
    rows = [
        row(table_for(), "west")._replace(id=name, rate=rate)
        for name, rate in [
            *(("a", Decimal(5)), ("b", Decimal(7)), ("c", Decimal(5)), ("d", None)),
            *(("e", Decimal("4.99")), ("f", Decimal(7))),
        ]
    ]
    assert rank_by_rate(rows) == {"b": 1, "f": 1, "a": 3, "c": 3, "e": 5}


def test_a_missing_population_gives_no_rate_and_no_division_error():
    text = THREE.replace("  west: {name: West, population: {2020: 400000}}", "  west: {name: West}")
    table = table_for(text)
    west = row(table, "west")
    assert (west.value, west.rate, west.rank, west.compared_with_rest) == (50, None, None, None)
    assert table.whole.population is None and table.whole.rate is None  # not every area has one
    assert row(table, "north").rate == 10  # the others still have rates and ranks
    assert {r.id: r.rank for r in table.areas} == {"north": 1, "south": 1, "west": None}
    document = areas_json.document(table)
    whole = {key: document["whole"][key] for key in WHOLE_FIELDS}
    assert whole == {"value": 90, "population": None, "rate": None}
    assert next(a for a in document["areas"] if a["id"] == "west")["rate"] is None
    cells = markdown_rows(render_markdown(table))
    assert cells["West"][cells["header"].index("Rate per 100,000 people")] == "[x]"


def test_an_area_missing_from_a_period_is_not_available_never_zero():
    text = THREE.replace(
        "west: {values: {2021/22: 60, 2022/23: 50}}", "west: {values: {2021/22: 60}}"
    )
    table = table_for(text)
    west = row(table, "west")
    assert west.value is None and west.rate is None and west.rank is None
    assert west.change is None and west.compared_with_rest is None
    markdown = markdown_rows(render_markdown(table))
    header = markdown["header"]
    assert markdown["West"][header.index("Shootings")] == "[x]"
    assert markdown["West"][header.index("Change on 2021/22")] == "[x]"
    entry = next(a for a in areas_json.document(table)["areas"] if a["id"] == "west")
    assert entry["value"] is None and entry["change"] is None and entry["rank"] is None
    csv_row = next(line for line in areas_csv.render(table).splitlines() if ",west," in line)
    assert ",0," not in csv_row
    # And the earlier year, where West has its value, does have it.
    assert row(table_for(text, period=FinancialYear(2021)), "west").value == 60


def test_change_on_the_previous_period_count_and_per_cent():
    north = row(table_for(), "north")
    assert (north.previous_period, north.previous_value) == (FinancialYear(2021), 10)
    assert (north.change, north.percent_change) == (10, 100)
    south = row(table_for(), "south")
    assert south.change == -10 and south.percent_change.quantize(Decimal("0.001")) == Decimal(
        "-33.333"
    )


def test_a_change_from_zero_has_no_per_cent():
    text = THREE.replace("north: {values: {2021/22: 10,", "north: {values: {2021/22: 0,")
    north = row(table_for(text), "north")
    assert north.change == 20 and north.percent_change is None
    cells = markdown_rows(render_markdown(table_for(text)))
    assert cells["North"][cells["header"].index("Change (%)")] == "[z]"


def test_sorting_by_value_name_and_change():
    assert [r.id for r in table_for(sort="value").areas] == ["west", "north", "south"]
    assert [r.id for r in table_for(sort="name").areas] == ["north", "south", "west"]
    # North +10; South and West both -10, so by name between them.
    assert [r.id for r in table_for(sort="change").areas] == ["north", "south", "west"]
    text = THREE.replace("west: {values: {2021/22: 60,", "west: {values: {2021/22: 45,")
    assert [r.id for r in table_for(text, sort="change").areas] == ["north", "west", "south"]


def test_per_changes_the_rate_and_the_heading():
    table = table_for(per=1000)
    assert row(table, "west").rate == Decimal("0.125")
    assert "Rate per 1,000 people" in render_markdown(table)


def test_human_formats_round_rates_half_away_from_zero_to_one_place():
    text = THREE.replace("{2020: 400000}", "{2020: 80000000}")  # west: 50 in 80m = 0.0625
    text = text.replace("2022/23: 200000", "2022/23: 160000000")  # north: 20 in 160m = 0.0125
    table = table_for(text)
    assert row(table, "west").rate == Decimal("0.0625")
    cells = markdown_rows(render_markdown(table))
    rate = cells["header"].index("Rate per 100,000 people")
    assert cells["West"][rate] == "0.1"  # 0.0625 to one place, half away from zero
    assert cells["North"][rate] == "[low]"  # above zero, rounds to 0.0: never shown as zero


# -- the test against the rest ---------------------------------------------------------------


def scipy_p(k1, n1, k2, n2) -> float:
    from scipy.stats import poisson_means_test

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(poisson_means_test(k1, n1, k2, n2).pvalue)


def test_comparison_with_the_rest_is_the_e_test_of_area_against_whole_less_area():
    chooser = random.Random(12)
    for _ in range(300):
        people = chooser.randint(1_000, 2_000_000)
        rest_people = chooser.randint(1_000, 20_000_000)
        value = chooser.randint(0, 200)
        rest = chooser.randint(0, 2000)
        found, p_value = compare_with_rest(
            Decimal(value), people, Decimal(value + rest), people + rest_people
        )
        expected = scipy_p(value, people, rest, rest_people)
        assert p_value.p_value == pytest.approx(expected, abs=1e-8)
        if expected > 0.0501:
            assert found is RestComparison.NOT_DIFFERENT
        elif expected < 0.0499:
            higher = value / people > rest / rest_people
            assert found is (RestComparison.HIGHER if higher else RestComparison.LOWER)


def test_no_comparison_without_the_whole_or_with_areas_that_exceed_it():
    assert compare_with_rest(Decimal(5), 1000, None, 5000) == (None, None)
    assert compare_with_rest(Decimal(5), 1000, Decimal(4), 5000) == (None, None)  # rest < 0
    assert compare_with_rest(Decimal(5), 5000, Decimal(9), 5000) == (None, None)  # no rest


def test_the_example_cleveland_is_higher_and_north_yorkshire_lower():
    data = load_figures(EXAMPLE)
    table = compare_areas(data, data.metric("firearm_offences"), FinancialYear(2008))
    found = {r.id: r.compared_with_rest for r in table.areas}
    assert found == {
        "cleveland": RestComparison.HIGHER,
        "durham": RestComparison.NOT_DIFFERENT,
        "northumbria": RestComparison.NOT_DIFFERENT,
        "north_yorkshire": RestComparison.LOWER,
    }
    # The illustrative populations reproduce the rates the source published.
    published = {
        "cleveland": "6.1",
        "durham": "3.6",
        "northumbria": "3.6",
        "north_yorkshire": "1.4",
    }
    cells = markdown_rows(render_markdown(table))
    rate = cells["header"].index("Rate per 100,000 people")
    names = {r.id: r.name for r in table.areas}
    assert {key: cells[names[key]][rate] for key in published} == published


# -- ratios ----------------------------------------------------------------------------------

RATIO = """\
title: Synthetic ratio by area (not real data)
areas:
  north: {name: North, population: {2021: 100000}}
  south: {name: South, population: {2021: 100000}}
metrics:
  solved:
    label: Shootings solved (number)
    unit: count
    better: up
    values: {2020/21: 10, 2021/22: 30}
    areas:
      north: {values: {2020/21: 2, 2021/22: 3}}
      south: {values: {2020/21: 8, 2021/22: 27}}
  shootings:
    label: Shootings
    unit: count
    better: down
    values: {2020/21: 50, 2021/22: 60}
    areas:
      north: {values: {2020/21: 20, 2021/22: 20}}
      south: {values: {2020/21: 30, 2021/22: 40}}
  solved_rate:
    label: Shootings solved
    unit: percent
    better: up
    ratio_of: {numerator: solved, denominator: shootings}
    values: {2020/21: 20, 2021/22: 50}
"""


def scipy_fisher(cases: int, total: int, other_cases: int, other_total: int) -> float:
    from scipy.stats import fisher_exact

    table = [[cases, total - cases], [other_cases, other_total - other_cases]]
    return float(fisher_exact(table).pvalue)


def ratio_table(text: str = RATIO):
    data = figures(text)
    return compare_areas(data, data.metric("solved_rate"), FinancialYear(2021))


def test_a_ratio_is_the_ratio_of_its_parts_with_no_population():
    data = figures(RATIO)
    assert data.metric("solved_rate") in metrics_with_areas(data)
    table = ratio_table()
    assert table.per is None and table.whole.population is None
    assert table.whole.rate == 50  # 30 / 60, from the parts, not the published 50 itself
    assert row(table, "north").rate == 15 and row(table, "south").rate == Decimal("67.5")
    assert row(table, "north").population is None
    assert row(table, "north").change == Decimal(5)  # 10% to 15%: percentage points
    document = areas_json.document(table)
    assert document["per"] is None
    assert all(a["population"] is None for a in document["areas"])
    assert "+5.0 pp" in render_markdown(table)


def test_a_ratio_is_compared_with_the_rest_and_over_time_by_fisher_exact_test_on_its_parts():
    table = ratio_table()
    north, south = row(table, "north"), row(table, "south")
    # North: 3 solved of 20 against the rest's 27 of 40 (the whole less North).
    assert north.rest_test.test == significance.FISHER_EXACT
    assert north.rest_test.p_value == pytest.approx(scipy_fisher(3, 20, 27, 40), rel=1e-9)
    assert south.rest_test.p_value == pytest.approx(scipy_fisher(27, 40, 3, 20), rel=1e-9)
    assert north.rest_test.p_value < 0.05
    assert (north.compared_with_rest, south.compared_with_rest) == (
        RestComparison.LOWER,
        RestComparison.HIGHER,
    )
    entry = next(a for a in areas_json.document(table)["areas"] if a["id"] == "north")
    assert entry["compared_with_rest"] == "lower"
    assert entry["rest_significance"]["test"] == "fisher_exact"
    assert "Fisher's exact test on the area's counts against the rest's" in render_markdown(table)
    # And each change: South solved 8 of 30 in 2020/21, 27 of 40 in 2021/22.
    assert south.change_test.test == significance.FISHER_EXACT
    assert south.change_test.p_value == pytest.approx(scipy_fisher(27, 40, 8, 30), rel=1e-9)
    assert south.change_test.significant and not north.change_test.significant
    assert table.whole.change_test.p_value == pytest.approx(scipy_fisher(30, 60, 10, 50), rel=1e-9)


def test_a_rest_with_more_cases_than_the_whole_is_not_compared():
    table = ratio_table(RATIO.replace("{2020/21: 10, 2021/22: 30}", "{2020/21: 10, 2021/22: 2}"))
    assert row(table, "south").compared_with_rest is None  # 27 of the whole's 2: no rest
    assert row(table, "south").rest_test is None


# -- the change on the previous period ---------------------------------------------------------


def test_a_counts_change_is_the_e_test_over_the_days_of_each_year():
    # The monthly file's counts as two financial years, the first with 29 February 2020.
    text = MONTHLY.replace("months:", "values:").replace("2023-01", "2019/20")
    north = row(table_for(text.replace("2023-02", "2020/21"), period=FinancialYear(2020)), "north")
    assert (north.previous_value, north.value) == (4, 2)
    # 2019/20 has 366 days; 2020/21 has 365.
    assert north.change_test.test == significance.POISSON_E_TEST
    assert north.change_test.p_value == pytest.approx(scipy_p(2, 365, 4, 366), abs=1e-9)
    assert north.change_test.confidence == 0.95
    assert north.change_test.significant is (north.change_test.p_value < 0.05)


def test_no_change_test_where_either_year_is_missing():
    text = THREE.replace(
        "west: {values: {2021/22: 60, 2022/23: 50}}", "west: {values: {2022/23: 50}}"
    )
    west = row(table_for(text), "west")
    assert west.change is None and west.change_test is None
    cells = markdown_rows(render_markdown(table_for(text)))
    assert cells["West"][cells["header"].index("Significant change?")] == "[x]"
    entry = next(a for a in areas_json.document(table_for(text))["areas"] if a["id"] == "west")
    assert entry["change_significance"] is None


def test_human_formats_say_whether_each_change_is_significant():
    table = table_for()
    cells = markdown_rows(render_markdown(table))
    column = cells["header"].index("Significant change?")
    for area in table.areas:
        assert cells[area.name][column] == ("yes" if area.change_test.significant else "no")
    assert cells["All areas"][column] == ("yes" if table.whole.change_test.significant else "no")
    # North doubled, 10 to 20, but that is within chance (p = 0.069): no, and said so.
    assert cells["North"][column] == "no"
    assert (
        "- Compared with 2021/22, no area had a statistically significant change (3 tested)"
        in render_markdown(table)
    )
    key = "Significant change?: yes where the change on 2021/22 is larger than chance"
    assert key in render_markdown(table)


def test_the_key_point_names_the_areas_whose_change_is_real_and_which_way():
    data = load_figures(EXAMPLE)
    table = compare_areas(data, data.metric("firearm_offences"), FinancialYear(2008))
    text = render_markdown(table)
    assert (
        "- Compared with 2007/08, 3 of the 4 areas tested had a statistically significant"
        " change: up in Cleveland (worse); down in Durham and Northumbria (better)" in text
    )


# -- validation ------------------------------------------------------------------------------


def test_areas_are_read_with_their_populations():
    data = figures()
    assert [a.id for a in data.areas] == ["north", "south", "west"]
    north = data.areas[0]
    assert [(p.period, p.value, p.label) for p in north.populations] == [
        (FinancialYear(2020), 100_000, "mid-2020"),
        (FinancialYear(2022), 200_000, "2022/23"),
    ]
    assert [s.area for s in data.metrics[0].areas] == ["north", "south", "west"]


def test_a_file_without_areas_loads_as_before():
    data = load_figures(ROOT / "figures.yaml")
    assert data.areas == () and all(m.areas == () for m in data.metrics)


def test_areas_that_add_up_give_no_warning():
    assert area_warnings(figures()) == ()


def test_areas_that_do_not_add_up_are_a_warning_for_validate(write_figures):
    path = write_figures(
        THREE.replace("values: {2021/22: 100, 2022/23: 90}", "values: {2021/22: 100, 2022/23: 95}")
    )
    notices = area_warnings(load_figures(path))
    assert [(n.where, n.line) for n in notices] == [("metrics.shootings.values.2022/23", 11)]
    result = CliRunner().invoke(cli, ["validate", "-f", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        "warning: metrics.shootings.values.2022/23: the 3 areas add up to 90, but the whole is"
        " given as 95" in result.stderr
    )


def test_no_warning_where_an_area_has_no_value_for_the_period():
    text = THREE.replace(
        "west: {values: {2021/22: 60, 2022/23: 50}}", "west: {values: {2021/22: 60}}"
    )
    text = text.replace("2022/23: 90}", "2022/23: 1000}")
    assert area_warnings(figures(text)) == ()


# -- output ----------------------------------------------------------------------------------


def markdown_rows(text: str) -> dict[str, list[str]]:
    """The areas table as the reader sees it: the header, and each row by area name."""
    [rows] = markdown_tables(text)
    return {"header": rows[0], **{cells[1]: cells for cells in rows[1:]}}


def test_markdown_is_a_valid_pipe_table_with_the_whole_first():
    text = render_markdown(table_for())
    cells = markdown_rows(text)
    header = cells["header"]
    assert header[:3] == ["Rank", "Area", "Shootings"]
    assert list(cells)[1:] == ["All areas", "West", "North", "South"]
    assert all(len(values) == len(header) for values in cells.values())
    assert cells["All areas"][0] == "[z]" and cells["West"][0] == "1"


def test_markdown_key_point_names_highest_and_lowest_and_counts_differences():
    text = render_markdown(table_for())
    assert (
        "- Shootings in 2022/23: the highest rate was West's, 12.5 per 100,000 people, and the"
        " lowest North and South's, 10.0" in text
    )
    assert "the rest of the areas, no area's rate was significantly higher or lower (3" in text
    forces = table_for(many_areas(FORCES))
    higher = len(forces.differing(RestComparison.HIGHER))
    lower = len(forces.differing(RestComparison.LOWER))
    assert higher and lower  # the synthetic forces differ both ways
    assert (
        f"- Compared with the rest of the areas, {higher + lower} of the 43 areas tested had a "
        f"significantly different rate: {higher} higher and {lower} lower"
    ) in render_markdown(forces)


JSON_CONTRACT = ["title", "metric", "period", "per", "whole", "areas"]
TESTS = ["change_assessment", "change_significance", "rest_significance"]
WHOLE_FIELDS = ["value", "population", "rate"]
WHOLE_CHANGE = ["previous_value", "change", "percent_change", "change_assessment"]
AREA_FIELDS = [
    "id",
    "name",
    "value",
    "population",
    "population_period",
    "rate",
    "rank",
    "previous_period",
    "previous_value",
    "change",
    "percent_change",
    "compared_with_rest",
]


def test_json_follows_the_contract():
    table = table_for()
    data = json.loads(areas_json.render(table))
    assert data == areas_json.document(table)
    assert list(data) == JSON_CONTRACT
    assert data["metric"] == {
        "id": "shootings",
        "label": "Shootings",
        "unit": "count",
        "better": "down",
    }
    assert (data["period"], data["per"]) == ("2022/23", 100000)
    # The contract's fields in its order, then the whole's own change and its test.
    assert list(data["whole"]) == [*WHOLE_FIELDS, *WHOLE_CHANGE, "change_significance"]
    whole = {key: data["whole"][key] for key in WHOLE_FIELDS}
    assert whole == {"value": 90, "population": 800000, "rate": 11.25}
    # 100 shootings in 2021/22 (365 days) to 90 in 2022/23 (365 days): noise, by the E-test.
    assert data["whole"]["change_significance"]["p_value"] == pytest.approx(
        scipy_p(90, 365, 100, 365), rel=1e-6
    )
    assert (data["whole"]["change"], data["whole"]["change_assessment"]) == (
        -10,
        "no significant change",
    )
    # The contract's fields in its order, then each area's tests (extra fields are allowed).
    assert [list(area) for area in data["areas"]] == [[*AREA_FIELDS, *TESTS]] * 3
    west = {key: value for key, value in data["areas"][0].items() if key not in TESTS}
    assert west == {
        "id": "west",
        "name": "West",
        "value": 50,
        "population": 400000,
        "population_period": "mid-2020",
        "rate": 12.5,
        "rank": 1,
        "previous_period": "2021/22",
        "previous_value": 60,
        "change": -10,
        "percent_change": pytest.approx(-16.666666666666668),
        "compared_with_rest": west["compared_with_rest"],
    }
    tested = data["areas"][0]
    assert tested["change_significance"]["p_value"] == pytest.approx(
        scipy_p(50, 365, 60, 365), rel=1e-6
    )
    assert tested["change_assessment"] == (  # 60 -> 50, and fewer is better
        "better" if tested["change_significance"]["significant"] else "no significant change"
    )
    assert west["compared_with_rest"] in ("higher", "lower", "not different")


def test_json_rates_are_full_precision():
    data = load_figures(EXAMPLE)
    table = compare_areas(data, data.metric("firearm_offences"), FinancialYear(2008))
    cleveland = next(a for a in areas_json.document(table)["areas"] if a["id"] == "cleveland")
    assert cleveland["rate"] == 34 * 100000 / 557000


def test_csv_has_the_whole_first_then_every_area():
    lines = areas_csv.render(table_for()).splitlines()
    assert lines[0].startswith("row,metric,period,per,area,name,value,population")
    assert lines[1].startswith("whole,shootings,2022/23,100000,,All areas,90,800000,,11.25")
    assert [line.split(",")[4] for line in lines[2:]] == ["west", "north", "south"]


FORCES = [
    *("Avon and Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "Cleveland"),
    *("Cumbria", "Derbyshire", "Devon and Cornwall", "Dorset", "Durham", "Essex"),
    *("Gloucestershire", "Greater Manchester", "Hampshire and Isle of Wight", "Hertfordshire"),
    *("Humberside", "Kent", "Lancashire", "Leicestershire", "Lincolnshire", "London, City of"),
    *("Merseyside", "Metropolitan Police", "Norfolk", "North Yorkshire", "Northamptonshire"),
    *("Northumbria", "Nottinghamshire", "South Yorkshire", "Staffordshire", "Suffolk"),
    *("Surrey", "Sussex", "Thames Valley", "Warwickshire", "West Mercia", "West Midlands"),
    *("West Yorkshire", "Wiltshire", "Dyfed-Powys", "Gwent", "North Wales", "South Wales"),
]


def many_areas(
    names: list[str], seed: int = 3, people: tuple[int, int] = (7_000, 9_000_000), most: int = 2000
) -> str:
    """A synthetic file with an area per name: made-up counts and populations."""
    chooser = random.Random(seed)
    lines = ["title: Synthetic areas (made-up numbers, not real data)", "areas:"]
    counts = []
    for index, name in enumerate(names):
        population = chooser.randint(*people)
        lines.append(f'  a{index}: {{name: "{name}", population: {{2021: {population}}}}}')
        counts.append((chooser.randint(0, most), chooser.randint(0, most)))
    lines += ["metrics:", "  offences:", "    label: Firearm offences", "    unit: count"]
    lines += ["    better: down"]
    earlier, later = (sum(c[i] for c in counts) for i in (0, 1))
    lines.append(f"    values: {{2021/22: {earlier}, 2022/23: {later}}}")
    lines.append("    areas:")
    for index, (earlier, later) in enumerate(counts):
        lines.append(f"      a{index}: {{values: {{2021/22: {earlier}, 2022/23: {later}}}}}")
    return "\n".join(lines) + "\n"


def test_43_forces_read_well_at_80_columns():
    table = table_for(many_areas(FORCES))
    text = render_table(table, width=80)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    start = next(i for i, line in enumerate(lines) if line.startswith("Rank"))
    body = lines[start + 2 :]
    # Each area's rank, rate and value are on its first line, with its name beginning there.
    for area in table.areas:
        first = next(
            line
            for line in body
            if line.split()[:1] == [str(area.rank)] and area.name.split()[0] in line
        )
        assert f"{area.value:,}" in first
        assert f"{area.rate.quantize(Decimal('0.1'), rounding='ROUND_HALF_UP'):,}" in first
    # Names wrap at spaces, never mid-word: every word of every name is on a line whole.
    words = {word for line in body for word in line.split()}
    assert {word for name in FORCES for word in name.split()} <= words


def test_a_narrow_table_says_which_columns_it_left_out():
    text = render_table(table_for(many_areas(FORCES)), width=80)
    assert "'Population' and 'Change (%)' are left out at this width" in text
    wide = render_table(table_for(many_areas(FORCES)), width=140)
    assert "left out" not in wide and "Population" in wide


@pytest.mark.parametrize("width", range(40, 141, 3))
@pytest.mark.parametrize("source", ["example", "forces"])
def test_no_width_cuts_a_word_or_loses_a_figure(width, source):
    """Issue 14 item 32: at 60 columns the example drew ``Clevel`` / ``and`` and
    ``Northu`` / ``mbria``, 69 cells wide. Too narrow for a name's longest word, the areas
    are written one block each; every word of every cell and heading stays whole."""
    from gunstats.render.areas_layout import build_area_layout

    if source == "example":
        data = load_figures(EXAMPLE)
        table = compare_areas(data, data.metrics[0], FinancialYear(2008))
    else:
        table = table_for(many_areas(FORCES))
    text = render_table(table, width=width)
    layout = build_area_layout(table).table
    tokens = {token.removesuffix(":") for token in text.split()}
    dropped = "left out at this width" in text
    for position, heading in enumerate(layout.header):
        if dropped and heading in ("Population", "Change (%)"):
            continue  # left out whole, and the note says so
        words = [w for row in layout.rows for w in row[position].text.split()]
        if heading == "Area" and "\n- Rank: " in text:  # blocks: the name heads its block
            heading = ""
        missing = [w for w in words + heading.split() if w not in tokens]
        assert not missing, (heading, missing, text)
    assert all(cell_len(line) <= width for line in text.splitlines() if "://" not in line)


def test_a_terminal_too_narrow_for_the_names_gets_a_block_per_area():
    data = load_figures(EXAMPLE)
    text = render_table(compare_areas(data, data.metrics[0], FinancialYear(2008)), width=60)
    assert "Clevel\n" not in text and "Northu" not in text.replace("Northumbria", "")
    assert (
        "Cleveland\n- Rank: 1\n  Firearm offences: 34\n  Population: 557,000\n"
        "  Rate per 100,000 people: 6.1\n  Change on 2007/08: +19\n  Change (%): +126.7\n"
        "  Significant change?: yes\n  Compared with the rest: higher\n"
    ) in text
    assert "left out at this width" not in text  # a block has room for every column


def test_500_areas_draw_as_one_line_each_with_two_tests_per_area(monkeypatch):
    names = [f"Ward {i:03d}" for i in range(500)]
    calls = []
    real = significance.poisson_e_test
    monkeypatch.setattr(significance, "poisson_e_test", lambda *a: calls.append(a) or real(*a))
    table = table_for(many_areas(names, people=(5_000, 20_000), most=30))  # wards
    # Each area's change and its comparison with the rest, and the whole's change: the work
    # grows with the areas, no faster.
    assert len(calls) == 2 * 500 + 1

    import rich.table

    def no_rich_table(*args, **kwargs):
        raise AssertionError("a Rich table measures and wraps every cell: too slow per row")

    monkeypatch.setattr(rich.table.Table, "__init__", no_rich_table)
    lines = render_table(table, width=80).splitlines()
    lines = lines[next(i for i, line in enumerate(lines) if line.startswith("\u2500")) :]
    assert (
        sum(1 for line in lines if line.strip().startswith(tuple("0123456789")) and "Ward" in line)
        == 500
    )


def test_the_table_escapes_nothing_and_keeps_markup_as_written():
    text = THREE.replace("name: North,", 'name: "[red]North[/red]",')
    assert "[red]North[/red]" in render_table(table_for(text))


# -- one area's own report --------------------------------------------------------------------


def test_figures_for_an_area_are_its_series_under_its_name():
    data = figures_for_area(figures(), "north")
    assert data.title == "Synthetic areas (not real data): North"
    assert [(o.period, o.value) for o in data.metrics[0].values] == [
        (FinancialYear(2021), 10),
        (FinancialYear(2022), 20),
    ]


def test_a_ratio_for_an_area_is_worked_out_from_its_parts():
    data = figures_for_area(figures(RATIO), "north")
    # 2 of 20 shootings solved in 2020/21, 3 of 20 in 2021/22.
    assert [o.value for o in data.metric("solved_rate").values] == [10, 15]


MONTHLY = """\
title: Synthetic monthly areas (not real data)
areas:
  north: {name: North}
  south: {name: South}
metrics:
  shootings:
    label: Shootings
    unit: count
    better: down
    months: {2023-01: 9, 2023-02: 7}
    areas:
      north: {months: {2023-01: 4, 2023-02: 2}}
      south: {months: {2023-01: 5, 2023-02: 5}}
"""


def test_monthly_area_values_compare_by_month():
    data = figures(MONTHLY)
    metric = data.metrics[0]
    assert area_periods(data, metric) == (Month(2023, 1), Month(2023, 2))
    assert default_period(data, metric) == Month(2023, 2)
    north = row(compare_areas(data, metric, Month(2023, 2)), "north")
    assert (north.value, north.previous_value, north.change, north.rate) == (2, 4, -2, None)
    # A month's change is tested over its own days: 28 in February 2023, 31 in January.
    assert north.change_test.p_value == pytest.approx(scipy_p(2, 28, 4, 31), abs=1e-9)


# -- the command line ------------------------------------------------------------------------


@pytest.fixture
def run(monkeypatch):
    for name in ("GUNSTATS_FIGURES", "GUNSTATS_FORMAT", "NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args):
        return CliRunner().invoke(cli, [str(a) for a in args])

    return invoke


def test_areas_command_prints_markdown_in_a_pipe(run):
    result = run("areas", "-f", EXAMPLE)
    assert result.exit_code == 0, result.stderr
    assert "| 1 | Cleveland | 34 | 557,000 | 6.1 | +19 | +126.7 | yes | higher |" in result.stdout


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "csv"])
def test_areas_command_every_format(run, fmt):
    result = run("areas", "-f", EXAMPLE, "--metric", "firearm_offences", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert "Cleveland" in result.stdout


def test_areas_command_period_per_and_sort(run):
    result = run(
        "areas",
        "-f",
        EXAMPLE,
        "--period",
        "2008-09",
        "--per",
        "1000",
        "--sort",
        "name",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["per"] == 1000 and data["period"] == "2008/09"
    assert [a["name"] for a in data["areas"]] == [
        "Cleveland",
        "Durham",
        "North Yorkshire",
        "Northumbria",
    ]


def test_areas_command_earlier_year_without_populations(run):
    result = run("areas", "-f", EXAMPLE, "--period", "2007/08", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert {a["rate"] for a in json.loads(result.stdout)["areas"]} == {None}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--metric", "firearms"], "no metric 'firearms'"),
        (["--period", "2001/02"], "no area values for 2001/02"),
        (["--period", "2001-13"], "is not a financial year"),
        (["--per", "0"], "--per"),
        (["--sort", "size"], "--sort"),
    ],
)
def test_areas_command_usage_errors(run, args, message):
    result = run("areas", "-f", EXAMPLE, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_areas_command_needs_a_metric_with_areas(run, write_figures):
    # A file without areas cannot give what the command needs: bad input (issue 14, item 28).
    for command in (["areas"], ["chart", "--areas", "-o", "a.png"], ["report", "--area", "x"]):
        result = run(*command, "-f", ROOT / "figures.yaml")
        assert result.exit_code == 1, command
        assert result.stderr.startswith(f"{ROOT / 'figures.yaml'}: no area"), command
    path = write_figures(RATIO)
    result = run("areas", "-f", path)
    assert result.exit_code == 2
    assert "solved, shootings, solved_rate" in result.stderr


def test_report_for_one_area(run):
    result = run("report", "-f", EXAMPLE, "--area", "north_yorkshire", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == "Firearm offences in four northern police force areas: North Yorkshire"
    assert data["metrics"][0]["values"] == [
        {"period": "2007/08", "value": 17},
        {"period": "2008/09", "value": 11},
    ]


def test_report_for_an_unknown_area_is_a_usage_error_with_the_near_match(run):
    result = run("report", "-f", EXAMPLE, "--area", "northumbra")
    assert result.exit_code == 2
    assert (
        "no area 'northumbra'" in result.stderr and "Did you mean 'northumbria'?" in result.stderr
    )


def test_summary_for_one_area(run, write_figures):
    path = write_figures(MONTHLY)
    result = run("summary", "-f", path, "--area", "south", "--month", "2023-02", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    previous = next(line for line in result.stdout.splitlines() if "previous_month" in line)
    assert ",5,2023-01,2023-01,5,0," in previous


def test_chart_of_the_areas(run, tmp_path):
    pytest.importorskip("matplotlib")
    result = run("chart", "-f", EXAMPLE, "--areas", "--output-dir", tmp_path, "--format", "svg")
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "firearm_offences-areas.svg"
    assert result.stdout.strip() == str(path)
    svg = path.read_text(encoding="utf-8")
    assert "<desc>Horizontal bar chart of Firearm offences" in svg
    assert "Cleveland: 6.1 (higher)" in svg and "All areas: 3.5" in svg
    again = tmp_path / "again.svg"
    assert run("chart", "-f", EXAMPLE, "--areas", "--output", again).exit_code == 0
    assert again.read_bytes() == path.read_bytes()  # reproducible, like every chart


def test_the_example_is_valid_and_its_areas_add_up(run):
    result = run("validate", "-f", EXAMPLE)
    assert result.exit_code == 0 and result.stderr == ""
    # The whole's 2 values and each of the 4 areas' 2.
    assert result.stdout.endswith("valid: 1 metric, 10 values, 1 source, 4 areas\n")


def test_areas_json_carries_each_areas_tests(run):
    result = run("areas", "-f", EXAMPLE, "--format", "json")
    assert result.exit_code == 0, result.stderr
    cleveland = json.loads(result.stdout)["areas"][0]
    assert list(cleveland) == [*AREA_FIELDS, *TESTS]
    change = cleveland["change_significance"]
    assert list(change) == ["test", "p_value", "confidence", "significant"]
    # 15 offences in 2007/08 (366 days: it holds 29 February 2008), 34 in 2008/09 (365).
    assert change["p_value"] == pytest.approx(scipy_p(34, 365, 15, 366), abs=1e-9)
    assert (change["test"], change["significant"]) == ("poisson_e_test", True)
    assert cleveland["change_assessment"] == "worse"  # up 15 -> 34, and fewer is better
    rest = cleveland["rest_significance"]
    assert rest["p_value"] == pytest.approx(scipy_p(34, 557_000, 118 - 34, 3_371_000 - 557_000))


def test_areas_csv_carries_each_test(run):
    result = run("areas", "-f", EXAMPLE, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    import csv

    rows = list(csv.DictReader(result.stdout.splitlines()))
    whole, cleveland = rows[0], rows[1]
    assert (whole["row"], whole["change"]) == ("whole", "-37")
    assert whole["change_test"] == "poisson_e_test"
    assert whole["compared_with_rest"] == "" and whole["rest_p_value"] == ""
    assert (cleveland["change_significant"], cleveland["rest_significant"]) == ("true", "true")
    assert float(cleveland["rest_p_value"]) == pytest.approx(
        scipy_p(34, 557_000, 118 - 34, 3_371_000 - 557_000)
    )


def test_areas_to_a_file_takes_its_format_from_the_extension(run, tmp_path):
    target = tmp_path / "areas.json"
    result = run("areas", "-f", EXAMPLE, "--output", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["period"] == "2008/09"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2008/09"], "--period goes with --areas only."),
        (["--per", "1000"], "--per goes with --areas only."),
        (["--period", "2008/09", "--per", "10"], "--period and --per go with --areas only."),
        (
            ["--areas", "--from", "2008/09"],
            "--areas charts one period, chosen with --period; --from is for the other charts.",
        ),
        (
            ["--areas", "--to", "2008/09", "--monthly"],
            "--to and --monthly are for the other charts.",
        ),
    ],
)
def test_chart_options_of_the_other_kind_are_usage_errors(run, tmp_path, args, message):
    result = run("chart", "-f", EXAMPLE, *args, "--output", tmp_path / "chart.svg")
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not (tmp_path / "chart.svg").exists()


def test_chart_of_the_areas_for_a_ratio_labels_fisher(run, tmp_path, write_figures):
    pytest.importorskip("matplotlib")
    path = write_figures(RATIO)
    target = tmp_path / "rate.svg"
    result = run("chart", "-f", path, "--areas", "--metric", "solved_rate", "--output", target)
    assert result.exit_code == 0, result.stderr
    svg = target.read_text(encoding="utf-8")
    assert "North: 15.0 (lower)" in svg and "Fisher" in svg


def test_chart_formats_are_the_ones_charts_draw():
    from gunstats.chart_figure import FORMATS
    from gunstats.cli_chart import CHART_FORMATS

    assert CHART_FORMATS == FORMATS


# -- the change on the previous period, judged as the report judges one (issue 10) ------------


def test_each_change_is_judged_better_worse_or_noise_by_its_test():
    data = load_figures(EXAMPLE)
    table = compare_areas(data, data.metric("firearm_offences"), FinancialYear(2008))
    judged = {r.id: (r.change_test.significant, r.change_assessment.value) for r in table.areas}
    # Fewer offences is better: a significant rise is worse, a significant fall better, and
    # North Yorkshire's fall of 6 (17 to 11) is noise, never "better".
    assert judged == {
        "cleveland": (True, "worse"),
        "durham": (True, "better"),
        "northumbria": (True, "better"),
        "north_yorkshire": (False, "no significant change"),
    }
    assert table.whole.change_assessment.value == "better"


def test_confidence_sets_every_test_of_the_areas_table(run):
    result = run("areas", "-f", EXAMPLE, "--confidence", "0.999", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    whole = data["whole"]  # p = 0.027: significant at 95%, not at 99.9%
    assert whole["change_significance"]["confidence"] == 0.999
    assert (whole["change_significance"]["significant"], whole["change_assessment"]) == (
        False,
        "no significant change",
    )
    cleveland = data["areas"][0]  # p = 0.0059 and 0.0089: not significant at 99.9% either
    assert cleveland["change_assessment"] == "no significant change"
    assert cleveland["compared_with_rest"] == "not different"
    assert cleveland["rest_significance"]["confidence"] == 0.999
    markdown = run("areas", "-f", EXAMPLE, "--confidence", "0.999").stdout
    assert "at 99.9% confidence" in markdown and "95% confidence" not in markdown
    assert "no area had a statistically significant change (4 tested)" in markdown


@pytest.mark.parametrize("level", ["1.5", "0.5"])
def test_confidence_out_of_range_is_a_usage_error(run, level):
    result = run("areas", "-f", EXAMPLE, "--confidence", level)
    assert result.exit_code == 2
    assert "0.8<=x<=0.999" in result.stderr


def test_the_table_colours_only_significant_changes(run):
    result = run("areas", "-f", EXAMPLE, "--format", "table", "--color")
    assert result.exit_code == 0, result.stderr
    lines = {
        line.split("\x1b")[0].split()[1]: line
        for line in result.stdout.splitlines()
        if line.strip()[:1].isdigit()
    }
    green, red = "\x1b[32m", "\x1b[31m"
    assert red in lines["Cleveland"] and green not in lines["Cleveland"]
    assert green in lines["Durham"] and red not in lines["Durham"]
    assert green not in lines["North"] and red not in lines["North"]  # no significant change
    plain = run("areas", "-f", EXAMPLE, "--format", "table", "--no-color").stdout
    assert "\x1b[" not in plain


def test_an_areas_year_given_only_as_12_months_is_derived_and_flagged(tmp_path):
    # Issue 14 item 26, for areas: a year given only as months is added up, flagged [d].
    def months(first: int) -> str:
        year = [f"2022-{m:02d}: {first + m}" for m in range(4, 13)]
        year += [f"2023-{m:02d}: {first + m}" for m in range(1, 4)]
        return "{" + ", ".join(year) + "}"

    text = (
        "title: Synthetic areas (not real data)\nareas:\n"
        "  a: {name: Area A, population: {2022/23: 100000}}\n"
        "  b: {name: Area B, population: {2022/23: 200000}}\n"
        "metrics:\n  m:\n    label: M\n    unit: count\n    better: down\n"
        f"    months: {months(20)}\n    areas:\n"
        f"      a: {{months: {months(2)}}}\n      b: {{months: {months(8)}}}\n"
    )
    (tmp_path / "f.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["areas", "-f", str(tmp_path / "f.yaml"), "--period", "2022/23", "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["whole"]["value"] == sum(20 + m for m in range(1, 13))
    assert {a["id"]: a["value"] for a in document["areas"]} == {
        "a": sum(2 + m for m in range(1, 13)),
        "b": sum(8 + m for m in range(1, 13)),
    }
    assert all(a["flags"] == ["derived from months"] for a in document["areas"])


RATE_FROM_PARTS = """\
title: Synthetic (not real data)
metrics:
  shootings: {label: Shootings, unit: count, better: down, values: {2021/22: 30, 2022/23: 40}}
  solved: {label: Solved, unit: count, better: up, values: {2021/22: 6, 2022/23: 12, 2023/24: 5}}
  solved_rate:
    label: Share solved
    unit: percent
    better: up
    ratio_of: {numerator: solved, denominator: shootings}
    values: {2022/23: 31}
"""


def test_a_rate_is_worked_out_from_its_parts_years_where_the_file_gives_none():
    from gunstats.compute import with_derived_years

    data = with_derived_years(parse_figures(RATE_FROM_PARTS, "f.yaml"))
    rate = data.metric("solved_rate")
    # 2021/22 from its parts (6 of 30); 2022/23 as given (never replaced); 2023/24 has no
    # denominator, so no rate.
    assert [(str(o.period), o.value) for o in rate.values] == [
        ("2021/22", Decimal(20)),
        ("2022/23", Decimal(31)),
    ]


def test_the_report_shows_and_tests_a_rate_worked_out_from_its_parts(tmp_path):
    text = RATE_FROM_PARTS.replace("    values: {2022/23: 31}\n", "")
    (tmp_path / "f.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", "-f", str(tmp_path / "f.yaml"), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["metric"] == "solved_rate"]
    assert [(r["period"], r["value"]) for r in rows] == [
        ("2021/22", "20"),
        ("2022/23", "30"),
        ("2023/24", ""),  # a year of the report without a denominator: not available
    ]
    later = rows[1]
    assert later["change"] == "10" and later["change_unit"] == "percentage points"
    assert later["assessment"] == "no significant change"  # Fisher's test: 6/30 vs 12/40
    assert 0.05 < float(later["p_value"]) < 1
