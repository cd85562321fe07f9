"""Change a figures file in place, keeping its comments, key order and layout.

``gunstats set`` (the monthly step before cron) and ``gunstats import --into`` edit a file a
person wrote and annotated, so it is read and written with ruamel.yaml's round trip rather
than rebuilt. The file must pass gunstats' own checks before the edit, and the edited text
must pass them again before it replaces the file (atomically, through a symlink to its
target), so an edit can never leave a file that ``gunstats validate`` rejects.

ruamel.yaml is imported only here, and only when a file is edited.
"""

from __future__ import annotations

import codecs
import difflib
import io
import os
from decimal import Decimal
from typing import Any, NamedTuple

from gunstats.errors import FiguresError, GunstatsError, UsageProblem, closest, printable
from gunstats.importing.cells import FLAG_NAMES
from gunstats.model import Figures, Metric
from gunstats.periods import (
    Month,
    Period,
    PeriodError,
    parse_financial_year,
    parse_month,
)

# (mapping indent, sequence indent, sequence dash offset): the layouts people write, tried in
# turn until one gives the file back unchanged.
_LAYOUTS = ((2, 2, 0), (2, 4, 2), (4, 4, 0), (4, 6, 2), (4, 4, 2), (3, 3, 0))


class EditError(GunstatsError):
    """The file cannot be changed as asked; it is left as it was."""


class EditUsageError(EditError, UsageProblem):
    """A metric or period named on the command line is not in the file (exit 2)."""


class Document(NamedTuple):
    """A figures file loaded for editing (``data`` is ruamel.yaml's tree, changed in place)."""

    path: str
    target: str
    """Where the text really lives: a symlink is written through, not replaced."""
    data: Any
    yaml: Any
    newline: str
    bom: bool
    figures: Figures
    original: str
    """The file's text, line ends as ``\n``."""
    base: str
    """ruamel.yaml's text of the file before any edit: where it differs from ``original``,
    ruamel would have changed the layout, and the file's own lines are kept instead."""


def open_document(path: str) -> Document:
    from gunstats.load import load_figures

    figures = load_figures(path)  # refuses an invalid file, with the loader's own messages
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise EditError(f"{printable(path)}: cannot be read ({error.strerror or error})") from None
    bom = raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\r" if "\r" in text else "\n"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    yaml, data, base = _round_trip(text)
    return Document(path, os.path.realpath(path), data, yaml, newline, bom, figures, text, base)


def _round_trip(text: str) -> tuple[Any, Any, str]:
    """The ruamel.yaml loader whose output of the unchanged file differs from it least."""
    from ruamel.yaml import YAML

    best = None
    for mapping, sequence, offset in _LAYOUTS:
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 4096  # never re-wrap a long line
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        yaml.representer.add_representer(Decimal, _represent_decimal)
        data = yaml.load(text)
        out = _dump(yaml, data)
        if out == text:
            return yaml, data, out
        changed = sum(
            1
            for line in difflib.ndiff(text.splitlines(), out.splitlines())
            if line.startswith(("+", "-"))
        )
        if best is None or changed < best[0]:
            best = (changed, yaml, yaml.load(text), out)
    assert best is not None
    return best[1], best[2], best[3]


def _represent_decimal(representer: Any, value: Decimal) -> Any:
    if value == value.to_integral_value():
        return representer.represent_int(int(value))
    return representer.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


def _dump(yaml: Any, data: Any) -> str:
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def render(document: Document) -> str:
    text = _dump(document.yaml, document.data)
    if document.base != document.original:
        text = _keep_own_lines(document.original, document.base, text)
    if document.newline != "\n":
        text = text.replace("\n", document.newline)
    return ("\ufeff" if document.bom else "") + text


def _keep_own_lines(original: str, base: str, edited: str) -> str:
    """``edited`` with the file's own text wherever ruamel.yaml only re-spelled it.

    A three-way merge by lines: the edit is the difference between ruamel's text of the
    file before and after it, applied to the file as written, so a ``\u200b`` escape or an
    odd indent elsewhere stays as it was. The result must read as the same data as
    ``edited``, else ``edited`` is used as it is.
    """
    import yaml as pyyaml

    own, before, after = (t.splitlines(keepends=True) for t in (original, base, edited))
    # Blocks of ``before`` (start, end) with the lines of the file they stand for.
    blocks: dict[int, tuple[int, list[str]]] = {}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, own, before, False).get_opcodes():
        if tag == "equal":
            blocks.update({j1 + k: (j1 + k + 1, [own[i1 + k]]) for k in range(i2 - i1)})
        elif j2 > j1:
            blocks[j1] = (j2, own[i1:i2])
    merged: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, False).get_opcodes():
        if tag != "equal":
            merged += after[j1:j2]
            continue
        k = i1
        while k < i2:
            end, lines = blocks.get(k, (k + 1, [before[k]]))
            if end <= i2:  # the whole block is untouched by the edit: the file's own lines
                merged += lines
                k = end
            else:
                merged.append(before[k])
                k += 1
    text = "".join(merged)
    try:
        if pyyaml.safe_load(text) == pyyaml.safe_load(edited):
            return text
    except pyyaml.YAMLError:
        pass
    return edited


def save(document: Document, text: str, destination: str | None = None) -> None:
    """Check the edited text with gunstats' own loader, then replace the file atomically."""
    from gunstats.load import parse_figures
    from gunstats.output import write_atomically

    try:
        parse_figures(text.lstrip("\ufeff"), document.path)
    except FiguresError as error:
        raise EditError(
            f"{printable(document.path)}: not changed: the edit would make it invalid:\n{error}"
        ) from None
    write_atomically(destination or document.target, text)


def period_of(text: str, metric: Metric | None = None) -> Period:
    """A period from the command line, in any spelling the importer reads.

    ``2011-12`` could be the financial year or December 2011: the metric's own keys decide
    (a metric with months and no years means a month), else it is the financial year, as a
    police table writes it.
    """
    from gunstats.importing.headings import HeadingError, parse_heading

    try:
        heading = parse_heading(text)
    except HeadingError as error:
        raise EditUsageError(str(error)) from None
    if heading is None:
        raise EditUsageError(
            f"{text!r} is not a period (expected a financial year such as 2023/24 or a month "
            "such as 2024-01)"
        )
    if (
        heading.month is not None
        and metric is not None
        and (
            heading.month in {o.period for o in metric.months}
            or (metric.months and not metric.values)
        )
    ):
        return heading.month
    return heading.period


def section_name(period: Period) -> str:
    return "months" if isinstance(period, Month) else "values"


def find_key(section: Any, period: Period) -> Any | None:
    """The key under which ``section`` holds ``period``, in whatever spelling the file uses."""
    parse = parse_month if isinstance(period, Month) else parse_financial_year
    for key in section:
        try:
            if parse(str(key)) == period:
                return key
        except PeriodError:
            continue
    return None


def insert_in_order(section: Any, period: Period, value: Any) -> None:
    """Add ``period`` before the first later period, so the file stays in time order."""
    parse = parse_month if isinstance(period, Month) else parse_financial_year
    position = len(section)
    for index, key in enumerate(section):
        try:
            if parse(str(key)) > period:
                position = index
                break
        except PeriodError:
            continue
    section.insert(position, str(period), value)


def entry_value(entry: Any) -> Decimal:
    raw = entry.get("value") if hasattr(entry, "get") else entry
    return Decimal(str(raw))


def entry_flags(entry: Any) -> list[str]:
    if not hasattr(entry, "get"):
        return []
    flags = entry.get("flags") or []
    flags = [flags] if isinstance(flags, str) else list(flags)
    return [FLAG_NAMES.get(str(f).lower().strip("[]"), str(f)) for f in flags]


def make_entry(value: Decimal, flags: list[str], source: str | None = None, old: Any = None) -> Any:
    """A plain number, or ``{value: 12, flags: [provisional]}`` when there is more to say.

    A long form already in the file keeps its other keys (``note``, ``source``).
    """
    from ruamel.yaml.comments import CommentedMap

    if hasattr(old, "get"):
        old["value"] = value
        if flags:
            old["flags"] = _flow_list(flags)
        elif "flags" in old:
            del old["flags"]
        if source:
            old["source"] = source
        return old
    if not flags and not source:
        return value
    entry = CommentedMap()
    entry["value"] = value
    if flags:
        entry["flags"] = _flow_list(flags)
    if source:
        entry["source"] = source
    entry.fa.set_flow_style()
    return entry


def _flow_list(items: list[str]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def metric_of(document: Document, metric_id: str) -> Metric:
    known = [m.id for m in document.figures.metrics]
    if metric_id not in known:
        match = closest(metric_id, known)
        hint = f"did you mean {match!r}?" if match else f"known: {', '.join(known)}"
        raise EditUsageError(f"no metric {metric_id!r} in {printable(document.path)} ({hint})")
    return document.figures.metric(metric_id)


class Change(NamedTuple):
    metric: str
    period: Period
    value: Decimal
    old: Decimal | None
    dropped_flags: tuple[str, ...]

    def __str__(self) -> str:
        what = f"{self.metric} {self.period}: {format(self.value, 'f')}"
        if self.old is None:
            return f"{what} (added)"
        if self.old == self.value:
            return f"{what} (unchanged value)"
        return f"{what} (was {format(self.old, 'f')})"


def set_figure(
    path: str, metric_id: str, period_text: str, value_text: str, flags: tuple[str, ...] = ()
) -> Change:
    """Set one figure and say what changed."""
    from gunstats.importing.cells import CellError, Missing, check_value, parse_text

    document = open_document(path)
    metric = metric_of(document, metric_id)
    period = period_of(period_text, metric)
    try:
        parsed = parse_text(value_text)
    except CellError as error:
        raise EditUsageError(f"VALUE {error}") from None
    if isinstance(parsed, Missing):
        raise EditUsageError(
            f"VALUE {value_text!r} is not a number (to record that a figure was not published, "
            "leave the period out)"
        )
    reason = check_value(parsed.value, metric.unit.value, "metric")
    if reason is not None:
        raise EditError(f"{printable(path)}: not changed: {metric_id} {period}: {reason}")
    words = list(dict.fromkeys([*parsed.flags, *(FLAG_NAMES[f.lower()] for f in flags)]))
    node = document.data["metrics"][metric_id]
    name = section_name(period)
    if name not in node or node[name] is None:
        from ruamel.yaml.comments import CommentedMap

        node[name] = CommentedMap()
    section = node[name]
    key = find_key(section, period)
    old = section[key] if key is not None else None
    old_flags = entry_flags(old)
    old_value = None if old is None else entry_value(old)
    if key is None:
        insert_in_order(section, period, make_entry(parsed.value, words))
    else:
        section[key] = make_entry(parsed.value, words, old=old)
    save(document, render(document))
    dropped = tuple(f for f in old_flags if f not in words)
    return Change(metric_id, period, parsed.value, old_value, dropped)
