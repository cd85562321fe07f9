"""``gunstats import --into FILE``: add a table's figures to a figures file a person keeps.

New metrics and new periods are added; a figure the file already has must agree with the
table, or, with ``--revise``, takes the table's value and is flagged revised (``[r]``), since
a published figure that changes is a revision a reader must be told about. The file keeps
its comments, key order and layout (:mod:`gunstats.edit`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gunstats.edit import (
    Document,
    entry_flags,
    entry_value,
    find_key,
    insert_in_order,
    make_entry,
    section_name,
)
from gunstats.importing.cells import check_value
from gunstats.importing.emit import measure_lines, source_id
from gunstats.importing.grid import TableError
from gunstats.importing.tables import Measure, Table


def merge(
    document: Document,
    table: Table,
    place_of: Callable[[str], str],
    source: dict[str, str] | None,
    revise: bool,
) -> list[str]:
    """Change ``document.data`` in place; return what was done, one line per kind of change.

    ``place_of(cell)`` turns a cell name into the location printed in an error.
    """
    data = document.data
    sid = _add_source(data, source) if source else None
    by_label = {m.label.casefold(): m.id for m in document.figures.metrics}
    known = {m.id: m for m in document.figures.metrics}
    problems: list[str] = []
    added_metrics: list[str] = []
    added, revised, same = 0, 0, 0
    for measure in table.measures:
        metric_id = measure.id if measure.id in known else by_label.get(measure.label.casefold())
        if metric_id is None:
            added_metrics.append(_add_metric(data, measure, sid))
            continue
        metric = known[metric_id]
        node = data["metrics"][metric_id]
        for value in measure.values:
            reason = check_value(value.value, metric.unit.value)
            if reason is not None:
                problems.append(
                    f"{place_of(value.cell)}: {reason} ({metric_id} is a {metric.unit.value})"
                )
                continue
            name = section_name(value.period)
            if name not in node or node[name] is None:
                from ruamel.yaml.comments import CommentedMap

                node[name] = CommentedMap()
            section = node[name]
            key = find_key(section, value.period)
            extra_source = sid if sid and sid != metric.source else None
            if key is None:
                insert_in_order(
                    section, value.period, make_entry(value.value, list(value.flags), extra_source)
                )
                added += 1
                continue
            old = section[key]
            if entry_value(old) == value.value:
                same += 1
                continue
            if not revise:
                problems.append(
                    f"{place_of(value.cell)}: {metric_id} {value.period} is "
                    f"{format(entry_value(old), 'f')} in {document.path} but "
                    f"{format(value.value, 'f')} in the table (add --revise to take the table's "
                    "value, flagged revised)"
                )
                continue
            flags = [f for f in entry_flags(old) if f != "provisional"]
            flags = list(dict.fromkeys([*flags, *value.flags, "revised"]))
            section[key] = make_entry(value.value, flags, extra_source, old=old)
            revised += 1
    if problems:
        raise TableError("\n".join(problems[:50]))
    done = []
    if added_metrics:
        done.append(f"added {len(added_metrics)} metric(s): {', '.join(added_metrics)}")
    done.append(f"added {added} value(s), revised {revised}, {same} already there")
    return done


def _add_source(data: Any, source: dict[str, str]) -> str:
    from ruamel.yaml.comments import CommentedMap

    sid = source_id(source["title"])
    if "sources" not in data or data["sources"] is None:
        position = list(data).index("metrics") if "metrics" in data else len(data)
        data.insert(position, "sources", CommentedMap())
    sources = data["sources"]
    for existing, fields in sources.items():
        if str(fields.get("title", "")).casefold() == source["title"].casefold():
            return str(existing)
    base, number = sid, 2
    while sid in sources:
        sid, number = f"{base}-{number}", number + 1
    entry = CommentedMap()
    for key in ("title", "publisher", "url"):
        if source.get(key):
            entry[key] = source[key]
    sources[sid] = entry
    return sid


def _add_metric(data: Any, measure: Measure, sid: str | None) -> str:
    """Add the new metric as the importer writes it (comments included), read by ruamel;
    return its id (the measure's, made unique in the file)."""
    from ruamel.yaml import YAML

    measure = measure._replace(id=_free_id(data["metrics"], measure.id))
    text = "\n".join(["metrics:", *measure_lines(measure, sid)]) + "\n"
    fragment = YAML().load(text)["metrics"]
    data["metrics"][measure.id] = fragment[measure.id]
    return measure.id


def _free_id(metrics: Any, wanted: str) -> str:
    candidate, number = wanted, 2
    while candidate in metrics:
        candidate, number = f"{wanted}_{number}", number + 1
    return candidate
