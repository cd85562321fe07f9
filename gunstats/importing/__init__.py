"""``gunstats import``: figures from a published table (CSV, XLSX, XLS, ODS) to a figures file.

The steps, one module each: :mod:`~gunstats.importing.grid` reads the cells (python-calamine
for workbooks, imported only there), :mod:`~gunstats.importing.tables` finds the table and
reads its measures (:mod:`~gunstats.importing.headings` the periods,
:mod:`~gunstats.importing.cells` each figure), :mod:`~gunstats.importing.emit` writes the
figures file as commented text, and :mod:`~gunstats.importing.merge` adds the figures to an
existing file instead. Whatever is written has first been read back by gunstats' own loader.
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


class Imported(NamedTuple):
    text: str | None
    """The figures file, for stdout; None when it was written to a file."""
    written: str | None = None
    notices: tuple[str, ...] = ()


def run_import(source: str, options: ImportOptions) -> Imported:
    from gunstats.importing.grid import read_grid
    from gunstats.importing.tables import read_table

    grid = read_grid(source, options.sheet)
    table = read_table(grid)
    notices = list(table.notices)
    values = sum(len(m.values) for m in table.measures)
    gaps = sum(len(m.gaps) for m in table.measures)
    notices.append(
        f"{printable(grid.origin())}: {table.layout} table: {len(table.measures)} measure(s), "
        f"{values} value(s), {gaps} not published"
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
        edit.save(document, edit.render(document), destination)
        return Imported(None, destination, tuple(notices))
    from gunstats.importing.emit import figures_text

    title = options.title or table.title or os.path.splitext(os.path.basename(source))[0]
    text = figures_text(table, grid.origin(), title, source_fields)
    _check(text, destination or "<stdout>")
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
