"""``gunstats import``: figures from a published table (CSV, XLSX, XLS, ODS) to a figures file.

The steps, one module each: :mod:`~gunstats.importing.grid` reads the cells (python-calamine
for workbooks, imported only there), :mod:`~gunstats.importing.tables` finds the table and
reads its measures (:mod:`~gunstats.importing.headings` the periods,
:mod:`~gunstats.importing.cells` each figure; :mod:`~gunstats.importing.areas_table` a
measure by area), :mod:`~gunstats.importing.emit` writes the figures file as commented text,
and :mod:`~gunstats.importing.merge` (with :mod:`~gunstats.importing.merge_areas`) adds the
figures to an existing file instead. Whatever is written has first been read back by
gunstats' own loader.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from gunstats.errors import FiguresError, printable
from gunstats.importing.grid import TableError


class ImportOptions(NamedTuple):
    sheet: str | None = None
    title: str | None = None
    source_title: str | None = None
    source_url: str | None = None
    publisher: str | None = None
    output: str | None = None
    force: bool = False
    into: str | None = None
    revise: bool = False
    areas_metric: str | None = None
    """``--areas --metric ID``: a wide table's first column names areas of this metric."""


class Imported(NamedTuple):
    text: str | None
    """The figures file, for stdout; None when it was written to a file."""
    written: str | None = None
    notices: tuple[str, ...] = ()


def run_import(source: str, options: ImportOptions) -> Imported:
    from gunstats.importing.grid import read_grid
    from gunstats.importing.tables import read_table

    grid = read_grid(source, options.sheet)
    table = read_table(grid, options.areas_metric)
    notices = list(table.notices)
    series = [s for m in table.measures for s in (m, *m.areas)]
    values = sum(len(s.values) for s in series)
    gaps = sum(len(s.gaps) for s in series)
    areas = f"{len(table.areas)} area(s), " if table.areas else ""
    notices.append(
        f"{printable(grid.origin())}: {table.layout} table: {len(table.measures)} measure(s), "
        f"{areas}{values} value(s), {gaps} not published"
    )
    source_fields = _source(options)
    destination = options.output or options.into
    same_file = bool(options.into) and os.path.realpath(destination or "") == os.path.realpath(
        options.into or ""
    )
    if destination and not options.force and not same_file and os.path.lexists(destination):
        raise TableError(
            f"{printable(destination)}: already exists (add --force to replace it, or "
            "--into to add the figures to it)"
        )
    if options.into:
        from gunstats import edit
        from gunstats.importing.merge import merge

        document = edit.open_document(options.into)
        notices += merge(document, table, grid.locate, source_fields, options.revise)
        text = edit.render(document)
        edit.save(document, text, destination)
        if table.areas:
            notices += _area_warnings(text.lstrip("\ufeff"), options.into)
        return Imported(None, destination, tuple(notices))
    from gunstats.importing.emit import figures_text

    title = options.title or table.title or os.path.splitext(os.path.basename(source))[0]
    text = figures_text(table, grid.origin(), title, source_fields)
    _check(text, destination or "<stdout>")
    if table.areas:
        notices += _area_warnings(text, destination or "<stdout>")
    if destination:
        from gunstats.output import write_atomically

        write_atomically(destination, text)
        return Imported(None, destination, tuple(notices))
    return Imported(text, None, tuple(notices))


def _source(options: ImportOptions) -> dict[str, str] | None:
    if not options.source_title:
        return None
    fields = {"title": options.source_title}
    if options.publisher:
        fields["publisher"] = options.publisher
    if options.source_url:
        fields["url"] = options.source_url
    return fields


def _check(text: str, name: str) -> None:
    """Never hand over a file that ``gunstats validate`` would refuse."""
    from gunstats.load import parse_figures

    try:
        parse_figures(text, name)
    except FiguresError as error:
        raise TableError(
            f"{name}: the imported figures do not validate, so nothing was written:\n{error}"
        ) from None


def _area_warnings(text: str, name: str) -> list[str]:
    """What ``gunstats validate`` would warn of: areas that do not add up to the whole (an
    area missing from the table, or a sub-total such as a region read as an area)."""
    from gunstats.load import parse_figures
    from gunstats.validate_areas import area_warnings

    return [str(notice) for notice in area_warnings(parse_figures(text, name))]
