"""Find the table in a grid of cells and read its figures: wide as published, or long.

A **wide** table is the shape ONS and the Home Office publish: title and note rows, then a
header whose cells are periods, then one row per measure with its label in the first column.
The header is the first row with two or more period headings. Columns that are not periods
("% change", "Notes") are left out and reported; so are rows with no figures at all
(sub-headings, a source line under the table).

A **long** table has one figure per row under the headings ``metric``, ``period`` and
``value`` (and optionally ``label``, ``unit``, ``better``, ``flags``, ``area``,
``population``), in any order and case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple, NoReturn

from gunstats.importing.cells import (
    FLAG_WORDS,
    CellError,
    Missing,
    Number,
    check_value,
    parse_cell,
)
from gunstats.importing.grid import Grid, TableError, is_empty
from gunstats.importing.headings import (
    Heading,
    HeadingError,
    Period,
    clean,
    looks_like_calendar_year,
    parse_heading,
    resolve,
)

LONG_REQUIRED = ("metric", "period", "value")
LONG_OPTIONAL = ("label", "unit", "better", "flags", "area", "population")
_PERCENT = re.compile(r"%|\bper ?cent\b|\bpercentage\b|\brate\b", re.IGNORECASE)
_RATE_PER = re.compile(r"\bper\s+[\d,]+\b", re.IGNORECASE)
_FOOTNOTE = re.compile(r"\[(?:foot)?notes?[^\[\]]*\]|\[n\d+\]", re.IGNORECASE)
# On a label already cleaned (single spaces), so one optional space each: with ``\s*`` a
# run of spaces would be tried every way (tests/test_hardening_regex.py).
_UNIT_SUFFIX = re.compile(r"\s?(?:\((?:%|per ?cent|percentage)\)|,?\s?%)$", re.IGNORECASE)


class Value(NamedTuple):
    period: Period
    value: Decimal
    flags: tuple[str, ...]
    cell: str
    remarks: tuple[str, ...] = ()


class Gap(NamedTuple):
    period: Period
    shown: str
    cell: str


class Measure(NamedTuple):
    id: str
    label: str
    unit: str
    place: str
    better: str | None = None
    values: tuple[Value, ...] = ()
    gaps: tuple[Gap, ...] = ()
    areas: tuple[Measure, ...] = ()
    """By area (:mod:`~gunstats.importing.areas_table`): one per area, its id and name as
    ``id`` and ``label``; ``values`` and ``gaps`` are then the whole's."""
    whole: str | None = None
    """Where a measure by area got its whole (a total row), for a comment; None if none."""


class PopulationValue(NamedTuple):
    key: str
    """As the figures file writes it: ``2022`` (a mid-year estimate) or ``2022/23``."""
    value: int
    cell: str
    remark: str


class AreaRow(NamedTuple):
    """An area named in the table: its id (made from the name), name and populations."""

    id: str
    name: str
    place: str
    populations: tuple[PopulationValue, ...] = ()


class Table(NamedTuple):
    measures: tuple[Measure, ...]
    title: str | None
    notices: tuple[str, ...]
    layout: str
    areas: tuple[AreaRow, ...] = ()


class Problems:
    """Errors gathered over the whole table, so one run shows every bad cell."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, place: str, message: str) -> None:
        self.lines.append(f"{place}: {message}")

    def raise_any(self) -> None:
        if self.lines:
            raise TableError("\n".join(self.lines[:50]))


def read_table(grid: Grid, areas_metric: str | None = None) -> Table:
    """The measures of the table in ``grid``, whichever of the two shapes it has; with
    ``areas_metric``, a wide table's first column names areas, and it is that metric's."""
    found = _find_header(grid)
    if found is None:
        _no_table(grid)
    layout, row = found
    if layout == "long":
        if areas_metric is not None:
            raise TableError(
                f"{grid.place(row)}: this is a long table, which names its metrics in its "
                "metric column and its areas in an area column: leave out --areas and --metric"
            )
        from gunstats.importing.long_table import read_long

        return read_long(grid, row)
    if areas_metric is not None:
        from gunstats.importing.areas_table import read_wide_areas

        return read_wide_areas(grid, row, areas_metric)
    return _read_wide(grid, row)


def _find_header(grid: Grid) -> tuple[str, int] | None:
    for index, row in enumerate(grid.rows):
        names = {clean(cell).lower() for cell in row if isinstance(cell, str)}
        if all(name in names for name in LONG_REQUIRED):
            return "long", index
        periods = 0
        for cell in row:
            try:
                periods += parse_heading(cell) is not None
            except HeadingError:
                periods += 1
        if periods >= 2:
            return "wide", index
    return None


def _no_table(grid: Grid) -> NoReturn:
    filled = [i for i, row in enumerate(grid.rows) if any(not is_empty(c) for c in row)]
    if not filled:
        what = "sheet is empty" if grid.sheet is not None else "file is empty"
        where = grid.file if grid.sheet is None else f"{grid.file}:{grid.sheet}"
        raise TableError(f"{where}: {what}")
    first = filled[0]
    hint = ""
    if any(looks_like_calendar_year(c) for i in filled[:20] for c in grid.rows[i]):
        hint = "; calendar years such as 2019 are not periods gunstats keeps"
    raise TableError(
        f"{grid.place(first)}: no table found: no row has two or more period headings (such as "
        "2019/20, 2019 to 2020, Year ending March 2020 or Jan 2023) and none names the columns "
        f"metric, period and value{hint}"
    )


class WideHeader(NamedTuple):
    """A wide table's header: which columns are periods, and where the row labels are."""

    headings: dict[int, Heading]
    periods: dict[int, Period]
    columns: list[int]
    """The period columns, left to right."""
    label_column: int
    body: list[int]


def wide_header(grid: Grid, header: int, what: str = "measure") -> WideHeader:
    """The header's periods (one column each) and the column of labels left of them."""
    problems = Problems()
    heading_row = grid.rows[header]
    headings: dict[int, Heading] = {}
    for column, cell in enumerate(heading_row):
        try:
            heading = parse_heading(cell)
        except HeadingError as error:
            problems.add(grid.place(header, column), str(error))
            continue
        if heading is not None:
            headings[column] = heading
    problems.raise_any()
    columns = sorted(headings)
    periods = dict(zip(columns, resolve([headings[c] for c in columns]), strict=True))
    seen: dict[Period, int] = {}
    for column in columns:
        period = periods[column]
        if period in seen:
            problems.add(
                grid.place(header, column),
                f"period {period} is also the heading of {grid.cell_name(header, seen[period])} "
                f"({clean(str(heading_row[seen[period]]))!r}); keep one column per period",
            )
        seen.setdefault(period, column)
    problems.raise_any()
    body = list(range(header + 1, len(grid.rows)))
    label_column = _label_column(grid, header, body, columns[0])
    if label_column is None:
        raise TableError(
            f"{grid.place(header, columns[0])}: no column of labels left of the periods "
            f"(the first column must name each row's {what})"
        )
    return WideHeader(headings, periods, columns, label_column, body)


def other_columns(grid: Grid, header: int, wide: WideHeader, used: Iterable[int] = ()) -> list[str]:
    """A notice for each named column that is neither a period nor the labels: left out."""
    skip = {wide.label_column, *wide.headings, *used}
    return [
        f"{grid.place(header, column)}: column {clean(str(cell))!r} is not a period: left out"
        for column, cell in enumerate(grid.rows[header])
        if column not in skip and not is_empty(cell)
    ]


def ends_table(grid: Grid, row: int) -> bool:
    """Whether a body row is the header of a second table (which is not read)."""
    return _find_header(Grid(grid.file, [grid.rows[row]])) is not None


def _read_wide(grid: Grid, header: int) -> Table:
    wide = wide_header(grid, header)
    headings, periods, columns = wide.headings, wide.periods, wide.columns
    label_column, body = wide.label_column, wide.body
    heading_row = grid.rows[header]
    problems = Problems()
    notices = other_columns(grid, header, wide)
    header_says_percent = bool(_PERCENT.search(str(heading_row[label_column] or "")))
    measures: list[Measure] = []
    ids: set[str] = set()
    for row in body:
        if ends_table(grid, row):
            notices.append(f"{grid.place(row)}: a second table starts here: it was not read")
            break
        label_cell = grid.cell(row, label_column)
        cells = {column: grid.cell(row, column) for column in columns}
        if all(is_empty(cell) for cell in cells.values()):
            if not is_empty(label_cell):
                notices.append(
                    f"{grid.place(row, label_column)}: row {short(label_cell)!r} has no "
                    "figures: left out"
                )
            continue
        if is_empty(label_cell):
            first = next(c for c in columns if not is_empty(cells[c]))
            problems.add(
                grid.place(row, first),
                f"figures with no label (expected the measure's name in "
                f"{grid.cell_name(row, label_column)})",
            )
            continue
        label = label_text(label_cell)
        place = grid.place(row, label_column)
        unit = unit_of(label, header_says_percent, place, problems)
        measure = Measure(unique_id(label, ids), plain_label(label), unit or "count", place)
        entries = [
            read_entry(grid, row, column, periods[column], headings[column], problems)
            for column in columns
        ]
        if unit is not None:
            measures.append(finish_measure(grid, measure, entries, problems))
    problems.raise_any()
    if not measures:
        raise TableError(f"{grid.place(header)}: the table under this header has no figures")
    return Table(tuple(measures), title_above(grid, header), tuple(notices), "wide")


# A value whose cell had a per cent sign carries this remark until its measure is finished.
_PERCENT_SIGN = "%"


def read_cell(grid: Grid, row: int, column: int, problems: Problems) -> Number | Missing | None:
    """One cell's figure or not-published marker; None, with a problem, for a bad cell."""
    try:
        return parse_cell(grid.cell(row, column))
    except CellError as error:
        problems.add(grid.place(row, column), str(error))
        return None


def read_entry(
    grid: Grid, row: int, column: int, period: Period, heading: Heading, problems: Problems
) -> Value | Gap | None:
    """The figure in one cell (with its column's flags), a gap, or None for a bad cell."""
    name = grid.cell_name(row, column)
    parsed = read_cell(grid, row, column, problems)
    if parsed is None:
        return None
    if isinstance(parsed, Missing):
        return Gap(period, parsed.shown, name)
    flags = tuple(dict.fromkeys((*parsed.flags, *(FLAG_WORDS[f] for f in heading.flags))))
    remarks = (*parsed.remarks, _PERCENT_SIGN) if parsed.percent_sign else parsed.remarks
    return Value(period, parsed.value, flags, name, remarks)


def finish_measure(
    grid: Grid, measure: Measure, entries: Iterable[Value | Gap | None], problems: Problems
) -> Measure:
    """The measure with its figures, each checked against its unit.

    A row whose cells say ``38%`` is a percentage even if its label does not say so.
    """
    found = [entry for entry in entries if entry is not None]
    values = [entry for entry in found if isinstance(entry, Value)]
    unit = measure.unit
    if unit == "count" and any(_PERCENT_SIGN in v.remarks for v in values):
        unit = "percent"
    checked = []
    for value in values:
        value = value._replace(remarks=tuple(r for r in value.remarks if r != _PERCENT_SIGN))
        reason = check_value(value.value, unit)
        if reason is not None:
            problems.add(grid.locate(value.cell), reason)
        checked.append(value)
    gaps = tuple(entry for entry in found if isinstance(entry, Gap))
    return measure._replace(unit=unit, values=tuple(checked), gaps=gaps)


def _label_column(grid: Grid, header: int, body: list[int], first_period: int) -> int | None:
    """The leftmost column (left of the periods) with any text in the header or below."""
    for column in range(first_period):
        if not is_empty(grid.cell(header, column)) or any(
            not is_empty(grid.cell(row, column)) for row in body
        ):
            return column
    return None


def title_above(grid: Grid, header: int) -> str | None:
    for row in grid.rows[:header]:
        for cell in row:
            if isinstance(cell, str) and clean(cell):
                return label_text(cell)
    return None


def label_text(cell: object) -> str:
    text = clean(_FOOTNOTE.sub(" ", str(cell)))
    return text if text.isprintable() else clean("".join(c for c in text if c.isprintable()))


def plain_label(label: str) -> str:
    """``Shootings solved (%)`` -> ``Shootings solved``: reports add the unit themselves."""
    return _UNIT_SUFFIX.sub("", label) or label


def short(cell: object) -> str:
    text = clean(str(cell))
    return text if len(text) <= 40 else text[:37] + "..."


def unit_of(label: str, header_says_percent: bool, place: str, problems: Problems) -> str | None:
    if _RATE_PER.search(label):
        problems.add(
            place,
            f"{label!r} is a rate per head of population, which gunstats cannot keep (its "
            "units are count and percent): import the counts instead",
        )
        return None
    return "percent" if header_says_percent or _PERCENT.search(label) else "count"


def make_id(label: str) -> str:
    """``Shootings solved (%)`` -> ``shootings_solved``: lowercase ASCII and underscores."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("%", " ")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    text = "_".join(words)[:60].strip("_") or "metric"
    return text if text[0].isalpha() else f"m_{text}"


def unique_id(label: str, ids: set[str]) -> str:
    base = make_id(label)
    candidate, number = base, 2
    while candidate in ids:
        candidate, number = f"{base}_{number}", number + 1
    ids.add(candidate)
    return candidate
