"""A long table: one figure per row, under the headings ``metric``, ``period`` and ``value``.

Optional columns ``label``, ``unit``, ``better`` and ``flags`` (and ``area``, refused: the
importer does not yet write a metric's ``areas:`` block) may come in any order, with headings
in any case. A metric named by an id (``shootings_solved``) keeps it; one named by a label
gets an id made from it.
"""

from __future__ import annotations

import re

from gunstats.importing.cells import FLAG_NAMES
from gunstats.importing.grid import Grid, TableError, is_empty
from gunstats.importing.headings import Heading, HeadingError, Period, clean, parse_heading, resolve
from gunstats.importing.tables import (
    LONG_OPTIONAL,
    LONG_REQUIRED,
    Gap,
    Measure,
    Problems,
    Table,
    Value,
    finish_measure,
    label_text,
    make_id,
    plain_label,
    read_entry,
    short,
    title_above,
    unique_id,
    unit_of,
)
from gunstats.validate import IDENTIFIER

_UNIT_WORDS = {
    "count": "count",
    "number": "count",
    "percent": "percent",
    "%": "percent",
    "per cent": "percent",
    "percentage": "percent",
}
_BETTER_WORDS = {"up": "up", "down": "down", "neither": "neither"}


def read_long(grid: Grid, header: int) -> Table:
    problems = Problems()
    notices: list[str] = []
    columns: dict[str, int] = {}
    for column, cell in enumerate(grid.rows[header]):
        name = clean(str(cell)).lower() if isinstance(cell, str) else ""
        if name in LONG_REQUIRED + LONG_OPTIONAL:
            if name in columns:
                problems.add(
                    grid.place(header, column),
                    f"column {name!r} is also {grid.cell_name(header, columns[name])}",
                )
            columns[name] = column
        elif not is_empty(cell):
            notices.append(
                f"{grid.place(header, column)}: column {short(cell)!r} is not one gunstats "
                f"reads ({', '.join(LONG_REQUIRED + LONG_OPTIONAL[:-1])}): left out"
            )
    problems.raise_any()
    rows = [
        r for r in range(header + 1, len(grid.rows)) if any(not is_empty(c) for c in grid.rows[r])
    ]
    headings: list[tuple[int, Heading]] = []
    for row in rows:
        if "area" in columns and not is_empty(grid.cell(row, columns["area"])):
            problems.add(
                grid.place(row, columns["area"]),
                "gunstats import does not read figures by area yet: give them under the "
                "metric's areas: in the figures file (see 'Areas' in the README)",
            )
        cell = grid.cell(row, columns["period"])
        try:
            heading = parse_heading(cell)
        except HeadingError as error:
            problems.add(grid.place(row, columns["period"]), str(error))
            continue
        if heading is None:
            problems.add(
                grid.place(row, columns["period"]),
                f"{short(cell)!r} is not a period (expected a form such as 2019/20, 2019 to "
                "2020, Year ending March 2020, Jan 2023 or 2023-01)",
            )
            continue
        headings.append((row, heading))
    problems.raise_any()
    periods = dict(zip([r for r, _ in headings], resolve([h for _, h in headings]), strict=True))
    measures: dict[str, Measure] = {}
    entries: dict[str, list[Value | Gap | None]] = {}
    ids: set[str] = set()
    seen: dict[tuple[str, Period], int] = {}
    for row, heading in headings:
        measure = _long_measure(grid, row, columns, measures, ids, problems)
        if measure is None:
            continue
        period = periods[row]
        if (measure.id, period) in seen:
            problems.add(
                grid.place(row, columns["period"]),
                f"{measure.label} {period} is given twice (first on "
                f"{grid.place(seen[measure.id, period])}); keep one",
            )
            continue
        seen[measure.id, period] = row
        entry = read_entry(grid, row, columns["value"], period, heading, problems)
        if isinstance(entry, Value) and "flags" in columns:
            extra = _long_flags(grid, row, columns["flags"], problems)
            entry = entry._replace(flags=tuple(dict.fromkeys((*entry.flags, *extra))))
        entries.setdefault(measure.id, []).append(entry)
    finished = tuple(
        finish_measure(grid, measure, entries.get(measure.id, ()), problems)
        for measure in measures.values()
    )
    problems.raise_any()
    if not finished:
        raise TableError(f"{grid.place(header)}: the table under this header has no figures")
    return Table(finished, title_above(grid, header), tuple(notices), "long")


def _long_measure(
    grid: Grid,
    row: int,
    columns: dict[str, int],
    measures: dict[str, Measure],
    ids: set[str],
    problems: Problems,
) -> Measure | None:
    place = grid.place(row, columns["metric"])
    metric = clean(str(grid.cell(row, columns["metric"]) or ""))
    if not metric:
        problems.add(place, "no metric (expected its id or label)")
        return None
    label = label_text(grid.cell(row, columns["label"])) if "label" in columns else ""
    if IDENTIFIER.fullmatch(metric):
        key, label = metric, label or metric.replace("_", " ").replace("-", " ").capitalize()
    else:
        key, label = make_id(metric), label or label_text(metric)
    unit = _long_choice(grid, row, columns.get("unit"), _UNIT_WORDS, problems)
    better = _long_choice(grid, row, columns.get("better"), _BETTER_WORDS, problems)
    if unit is None and not ("unit" in columns and not is_empty(grid.cell(row, columns["unit"]))):
        unit = unit_of(label, False, place, problems)
    if unit is None:
        return None
    measure = measures.get(key)
    if measure is None:
        measure = measures[key] = Measure(
            unique_id(key, ids), plain_label(label), unit, place, better
        )
        if measure.id != key and IDENTIFIER.fullmatch(metric):
            problems.add(place, f"metric id {metric!r} is used for two metrics")
        return measure
    for name, mine, first in (
        ("label", label, measure.label),
        ("unit", unit, measure.unit),
        ("better", better, measure.better),
    ):
        if name in columns and (plain_label(str(mine)) if name == "label" else mine) != first:
            problems.add(
                grid.place(row, columns[name]),
                f"{name} {mine!r} differs from {first!r} given for {metric!r} on {measure.place}",
            )
    return measure


def _long_choice(
    grid: Grid, row: int, column: int | None, words: dict[str, str], problems: Problems
) -> str | None:
    if column is None or is_empty(grid.cell(row, column)):
        return None
    text = clean(str(grid.cell(row, column))).lower()
    if text not in words:
        problems.add(
            grid.place(row, column),
            f"{text!r} is not one of: {' | '.join(dict.fromkeys(words.values()))}",
        )
        return None
    return words[text]


def _long_flags(grid: Grid, row: int, column: int, problems: Problems) -> tuple[str, ...]:
    cell = grid.cell(row, column)
    if is_empty(cell):
        return ()
    flags: list[str] = []
    for word in re.split(r"[\s,;]+", clean(str(cell)).lower()):
        if not word:
            continue
        name = FLAG_NAMES.get(word.strip("[]"))
        if name is None:
            problems.add(
                grid.place(row, column),
                f"{word!r} is not a flag (expected p, r, e, b or provisional, revised, "
                "estimated, break)",
            )
        else:
            flags.append(name)
    return tuple(flags)
