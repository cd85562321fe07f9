"""``gunstats import --into FILE`` for a table by area: areas and their figures merged in.

An area of the table is the file's area of the same name (in any case), else a new area
under the file's ``areas:``, with an id made from its name that no area of the file has. A
population the file lacks is added; one that differs is an error, or with ``--revise`` takes
the table's (a population has no flags to mark it). Each area's figures then merge as the
whole's do (:func:`~gunstats.importing.merge.merge_series`).
"""

from __future__ import annotations

from typing import Any

from gunstats.edit import Document
from gunstats.importing.emit import area_lines
from gunstats.importing.merge import Merging, merge_series
from gunstats.importing.tables import AreaRow, Measure, PopulationValue
from gunstats.model import Metric
from gunstats.model_areas import Area
from gunstats.periods import FinancialYear, parse_financial_year


def merge_areas(
    document: Document, areas: tuple[AreaRow, ...], counts: Merging
) -> tuple[dict[str, str], list[str]]:
    """Add the table's areas that the file lacks, and their populations; return each table
    area's id in the file, and what was done."""
    data = document.data
    by_name = {" ".join(a.name.split()).casefold(): a for a in document.figures.areas}
    if "areas" not in data or data["areas"] is None:
        from ruamel.yaml.comments import CommentedMap

        position = list(data).index("metrics") if "metrics" in data else len(data)
        data.insert(position, "areas", CommentedMap())
    node = data["areas"]
    ids: dict[str, str] = {}
    added: list[str] = []
    populations = 0
    for area in areas:
        known = by_name.get(" ".join(area.name.split()).casefold())
        if known is None:
            new_id = _free_id(node, area.id)
            _add_area(node, area._replace(id=new_id))
            ids[area.id] = new_id
            added.append(new_id)
            continue
        ids[area.id] = known.id
        for population in area.populations:
            populations += _merge_population(node[known.id], known, population, counts)
    done = [f"added {len(added)} area(s): {', '.join(added)}"] if added else []
    if populations:
        done.append(f"added or revised {populations} population(s)")
    return ids, done


def merge_area_series(
    node: Any, measure: Measure, metric: Metric, extra_source: str | None, counts: Merging
) -> None:
    """Each area's figures into the metric's ``areas:`` block (made where missing)."""
    from ruamel.yaml.comments import CommentedMap

    if "areas" not in node or node["areas"] is None:
        node["areas"] = CommentedMap()
    for area in measure.areas:
        if not area.values:
            continue  # nothing published: nothing to add
        if area.id not in node["areas"] or node["areas"][area.id] is None:
            node["areas"][area.id] = CommentedMap()
        what = f"{metric.id} {area.label}"
        merge_series(node["areas"][area.id], area, metric, what, extra_source, counts)


def _merge_population(node: Any, known: Area, population: PopulationValue, counts: Merging) -> int:
    """Add or (with --revise) change one population; 1 if the file changed, else 0."""
    from ruamel.yaml.comments import CommentedMap

    period = _period(population.key)
    existing = next((p for p in known.populations if p.period == period), None)
    if existing is not None and existing.value == population.value:
        return 0
    if existing is not None and not counts.revise:
        counts.problems.append(
            f"{counts.place_of(population.cell)}: {known.name}'s population for {period} is "
            f"{existing.value} in {counts.path} but {population.value} in the table (add "
            "--revise to take the table's)"
        )
        return 0
    if "population" not in node or node["population"] is None:
        node["population"] = CommentedMap()
    section = node["population"]
    if existing is not None:
        key = next(k for k in section if str(k) == existing.written)
        section[key] = population.value
    else:
        key = int(population.key) if population.key.isdigit() else population.key
        section[key] = population.value
    return 1


def _period(key: str) -> FinancialYear:
    """The financial year a population counts from, as the loader reads its key."""
    if key.isdigit():
        return parse_financial_year(f"{key}/{(int(key) + 1) % 100:02d}")
    return parse_financial_year(key)


def _add_area(node: Any, area: AreaRow) -> None:
    """Add the area as the importer writes it (comments included), read by ruamel."""
    from ruamel.yaml import YAML

    text = "\n".join(["areas:", *area_lines(area)]) + "\n"
    node[area.id] = YAML().load(text)["areas"][area.id]


def _free_id(node: Any, wanted: str) -> str:
    candidate, number = wanted, 2
    while candidate in node:
        candidate, number = f"{wanted}_{number}", number + 1
    return candidate
