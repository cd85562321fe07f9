"""A table of one measure by area (``gunstats import --areas --metric ID``), for the areas format.

A wide table by area has the areas' names in its first column and periods across, as the
Home Office publishes figures by police force area. Each row becomes an area under the
file's ``areas:`` (its id made from its name, the name kept) and its figures the metric's
values for that area. A row that is the total of all areas ("Total", "England and Wales",
"All forces") is not an area: it is the whole, the metric's own ``values:``, which is what
the areas format compares each area with (and ``gunstats validate`` checks the areas against).
A column headed "population" gives each area's population; without one, the file says what
to add.
"""

from __future__ import annotations

from decimal import Decimal

from gunstats.importing.cells import Missing
from gunstats.importing.grid import Grid, TableError, is_empty
from gunstats.importing.headings import clean
from gunstats.importing.tables import (
    _PERCENT,
    _RATE_PER,
    AreaRow,
    Measure,
    PopulationValue,
    Problems,
    Table,
    WideHeader,
    ends_table,
    finish_measure,
    label_text,
    make_id,
    other_columns,
    read_cell,
    read_entry,
    short,
    title_above,
    wide_header,
)
from gunstats.periods import FinancialYear, Month, Period
from gunstats.validate_areas import MAX_POPULATION

TOTAL_NAMES = frozenset(
    (
        "total", "totals", "grand total", "all", "all areas", "all forces", "all police forces",
        "all force areas", "all police force areas", "england and wales", "england & wales",
        "united kingdom", "uk", "great britain", "national", "national total",
    )
)  # fmt: skip
"""Names of a row that totals every area, compared in lower case with single spaces; a name
starting or ending with "total" ("Total recorded", "England and Wales total") is one too."""


def is_total(name: str) -> bool:
    folded = " ".join(name.casefold().split())
    words = folded.split()
    return folded in TOTAL_NAMES or (bool(words) and "total" in (words[0], words[-1]))


def area_id(name: str, ids: set[str]) -> str:
    """``North Yorkshire`` -> ``north_yorkshire``, unique among ``ids`` (then added to it)."""
    # make_id falls back to "metric" and "m_..." for a name with no letters first: prefixed
    # with a word, the name's own id follows it whatever it starts with
    base = make_id(f"area {name}").removeprefix("area_")
    if not base[0].isalpha():
        base = f"area_{base}"
    candidate, number = base, 2
    while candidate in ids:
        candidate, number = f"{base}_{number}", number + 1
    ids.add(candidate)
    return candidate


def label_from_id(metric_id: str) -> str:
    return metric_id.replace("_", " ").replace("-", " ").capitalize()


def read_wide_areas(grid: Grid, header: int, metric_id: str) -> Table:
    """The measure ``metric_id`` by area from a wide table whose first column names areas."""
    wide = wide_header(grid, header, "area")
    title = title_above(grid, header)
    problems = Problems()
    population = _population_column(grid, header, wide)
    notices = other_columns(grid, header, wide, () if population is None else (population,))
    unit = _unit(grid, header, wide, title, problems)
    problems.raise_any()
    areas: list[AreaRow] = []
    series: list[Measure] = []
    names: dict[str, str] = {}
    ids: set[str] = set()
    whole: Measure | None = None
    whole_cell = ""
    for row in wide.body:
        if ends_table(grid, row):
            notices.append(f"{grid.place(row)}: a second table starts here: it was not read")
            break
        label_cell = grid.cell(row, wide.label_column)
        cells = [grid.cell(row, column) for column in wide.columns]
        place = grid.place(row, wide.label_column)
        if all(is_empty(cell) for cell in cells):
            if not is_empty(label_cell):
                notices.append(f"{place}: row {short(label_cell)!r} has no figures: left out")
            continue
        if is_empty(label_cell):
            first = next(c for c in wide.columns if not is_empty(grid.cell(row, c)))
            problems.add(
                grid.place(row, first),
                "figures with no area (expected the area's name in "
                f"{grid.cell_name(row, wide.label_column)})",
            )
            continue
        name = label_text(label_cell)
        measure = _row_measure(grid, row, wide, unit, problems)
        if is_total(name):
            if whole is not None:
                problems.add(
                    place,
                    f"{name!r} is a total too (the total of all areas is already the row "
                    f"{whole.label!r} on {whole.place}): keep one total row",
                )
            else:
                whole = measure._replace(label=name, place=place)
                whole_cell = grid.cell_name(row, wide.label_column)
                notices.append(
                    f"{place}: row {short(name)!r} is the total of all areas: imported as the "
                    "whole (the metric's own values), not as an area"
                )
                if population is not None and not is_empty(grid.cell(row, population)):
                    notices.append(
                        f"{grid.place(row, population)}: the total's population is left out: "
                        "the whole's population is the sum of its areas'"
                    )
            continue
        folded = name.casefold()
        if folded in names:
            problems.add(place, f"area {name!r} is also the row on {names[folded]}; keep one")
            continue
        names[folded] = place
        new_id = area_id(name, ids)
        populations = _populations(grid, header, row, population, wide, problems)
        areas.append(AreaRow(new_id, name, place, populations))
        series.append(measure._replace(id=new_id, label=name, place=place))
    problems.raise_any()
    if not areas:
        raise TableError(f"{grid.place(header)}: the table under this header names no areas")
    measure = Measure(
        metric_id,
        label_from_id(metric_id),
        unit,
        areas[0].place,
        values=whole.values if whole else (),
        gaps=whole.gaps if whole else (),
        areas=tuple(series),
        whole=f"the table's {whole.label!r} row ({whole_cell})" if whole else None,
    )
    return Table((measure,), title, tuple(notices), "wide", tuple(areas))


def _row_measure(grid: Grid, row: int, wide: WideHeader, unit: str, problems: Problems) -> Measure:
    entries = [
        read_entry(grid, row, column, wide.periods[column], wide.headings[column], problems)
        for column in wide.columns
    ]
    measure = finish_measure(grid, Measure("", "", unit, grid.place(row)), entries, problems)
    if measure.unit != unit:  # cells with '%': a percentage by area needs its parts
        problems.add(grid.place(row, wide.label_column), PERCENT_BY_AREA)
    return measure


PERCENT_BY_AREA = (
    "a percentage by area cannot be imported: the areas format compares percentages "
    "through their parts (ratio_of), so import the counts of each part instead"
)


def _unit(grid: Grid, header: int, wide: WideHeader, title: str | None, problems: Problems) -> str:
    """A count, unless the title or the areas' heading says otherwise (which is refused)."""
    title_row = next(
        (r for r in range(header) if any(isinstance(c, str) and clean(c) for c in grid.rows[r])), 0
    )
    for text, place in (
        (str(grid.cell(header, wide.label_column) or ""), grid.place(header, wide.label_column)),
        (title or "", grid.place(title_row)),
    ):
        if _RATE_PER.search(text):
            problems.add(
                place,
                f"{short(text)!r} reads as a rate per head of population, which the areas "
                "format works out itself from counts and populations: import the counts",
            )
        elif _PERCENT.search(text):
            problems.add(place, PERCENT_BY_AREA)
    return "count"


def _population_column(grid: Grid, header: int, wide: WideHeader) -> int | None:
    found = [
        column
        for column, cell in enumerate(grid.rows[header])
        if column not in wide.headings
        and column != wide.label_column
        and isinstance(cell, str)
        and "population" in cell.casefold()
        and not _RATE_PER.search(cell)
    ]
    return found[0] if len(found) == 1 else None


def _populations(
    grid: Grid, header: int, row: int, column: int | None, wide: WideHeader, problems: Problems
) -> tuple[PopulationValue, ...]:
    """The population in the row's population column, keyed by the year its heading names
    (``Population mid-2022``: 2022), or else the table's latest financial year."""
    if column is None:
        return ()
    heading = clean(str(grid.cell(header, column)))
    years = [w for w in _words(heading) if len(w) == 4 and w.isascii() and w.isdigit()]
    financial = [p for p in wide.periods.values() if isinstance(p, FinancialYear)]
    if len(years) == 1:
        key, how = years[0], f"the mid-{years[0]} estimate, as {heading!r} says"
    elif financial:
        key = str(max(financial))
        how = f"{heading!r} names no year: taken as {key}'s, the table's latest year; check it"
    else:
        problems.add(
            grid.place(header, column),
            f"{heading!r} names no year (expected a heading such as 'Population mid-2022')",
        )
        return ()
    value = population_value(grid, row, column, problems)
    if value is None:
        return ()
    return (PopulationValue(key, value, grid.cell_name(row, column), how),)


def population_value(grid: Grid, row: int, column: int, problems: Problems) -> int | None:
    """A whole number above 0, or None (with a problem unless the cell is not published)."""
    parsed = read_cell(grid, row, column, problems)
    if parsed is None or isinstance(parsed, Missing):
        return None
    value: Decimal = parsed.value
    if value <= 0 or value != value.to_integral_value() or value > MAX_POPULATION:
        problems.add(
            grid.place(row, column),
            f"{format(value, 'f')} is not a population (expected a whole number above 0)",
        )
        return None
    return int(value)


def _words(text: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in text).split()


def population_key(period: Period) -> str | None:
    """The population key of a long table's row: its financial year (None for a month)."""
    return None if isinstance(period, Month) else str(period)


class LongAreas:
    """The ``area`` (and ``population``) columns of a long table, read row by row: each
    area's id is made once from its name, and the same name is the same area in every
    metric. A row with no area, or with a total of all areas, is the whole's."""

    def __init__(
        self, grid: Grid, columns: dict[str, int], problems: Problems, notices: list[str]
    ) -> None:
        self.grid, self.columns, self.problems, self.notices = grid, columns, problems, notices
        self.ids: set[str] = set()
        self.by_name: dict[str, AreaRow] = {}
        self.by_id: dict[str, AreaRow] = {}
        self.populations: dict[str, dict[str, PopulationValue]] = {}
        self.totals: dict[str, str] = {}
        """The names of total rows met, each with where it was first."""

    def area_of(self, row: int, period: Period) -> str | None:
        """The id of the row's area, or None for the whole."""
        column = self.columns.get("area")
        if column is None or is_empty(self.grid.cell(row, column)):
            return None
        name = label_text(self.grid.cell(row, column))
        place = self.grid.place(row, column)
        if is_total(name):
            if name not in self.totals:
                self.totals[name] = place
                self.notices.append(
                    f"{place}: area {short(name)!r} is the total of all areas: its rows are "
                    "imported as the whole (the metric's own values), not as an area"
                )
            return None
        area = self.by_name.get(name.casefold())
        if area is None:
            area = AreaRow(area_id(name, self.ids), name, place)
            self.by_name[name.casefold()] = self.by_id[area.id] = area
        self._population(row, area, period)
        return area.id

    def _population(self, row: int, area: AreaRow, period: Period) -> None:
        column = self.columns.get("population")
        if column is None or is_empty(self.grid.cell(row, column)):
            return
        place = self.grid.place(row, column)
        key = population_key(period)
        if key is None:
            self.problems.add(
                place,
                "a population is for a year: give it on a row for a financial year, not a month",
            )
            return
        value = population_value(self.grid, row, column, self.problems)
        if value is None:
            return
        known = self.populations.setdefault(area.id, {})
        first = known.get(key)
        if first is not None and first.value != value:
            self.problems.add(
                place,
                f"{area.name}'s population for {key} is {value:,} here but {first.value:,} on "
                f"{self.grid.locate(first.cell)}; give one",
            )
        elif first is None:
            cell = self.grid.cell_name(row, column)
            known[key] = PopulationValue(key, value, cell, "from the table's population column")

    def said(self, area: str | None) -> str:
        return "" if area is None else f" for {self.by_id[area].name}"

    def finish(self, measure: Measure, entries: dict[tuple[str, str | None], list]) -> Measure:
        """The measure with its areas' figures, each checked against its unit."""
        series = []
        for area in self.by_id.values():
            found = entries.get((measure.id, area.id))
            if found is None:
                continue
            blank = Measure(area.id, area.name, measure.unit, area.place)
            series.append(finish_measure(self.grid, blank, found, self.problems))
        if not series:
            return measure
        if any(s.unit != measure.unit for s in series) or measure.unit == "percent":
            self.problems.add(measure.place, PERCENT_BY_AREA)
        totals = " or ".join(repr(name) for name in self.totals)
        whole = f"the rows with no area{f' or for {totals}' if totals else ''}"
        has_whole = bool(measure.values or measure.gaps)
        return measure._replace(areas=tuple(series), whole=whole if has_whole else None)

    def rows(self) -> tuple[AreaRow, ...]:
        return tuple(
            area._replace(populations=tuple(sorted(self.populations.get(area.id, {}).values())))
            for area in self.by_id.values()
        )
