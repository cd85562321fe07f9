"""Read a figures file into :class:`~gunstats.model.Figures`, or say exactly what is wrong.

The file is parsed by libyaml only as far as its *node tree* (:mod:`gunstats.yaml_tree`): no
Python object is ever constructed from it, so tags such as ``!!python/object`` are reported,
never executed, and every node still carries its line and column. Validating the tree
ourselves also catches what PyYAML would hide:

- a key written twice (PyYAML keeps the last one and silently loses data);
- YAML 1.1 surprises: ``010`` read as octal 8, ``1:20`` read as 80, ``yes`` read as true;
- numbers in quotes, thousands separators (``1,234``) and percent signs (``38%``).

Every problem found is collected, so a user fixes a file in one pass, not one run per error.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable
from decimal import Decimal

import yaml

from gunstats.errors import FiguresError, Problem
from gunstats.model import (
    SENTENCE_FIELDS,
    Better,
    Figures,
    Flag,
    Metric,
    Observation,
    Ratio,
    Source,
    Unit,
)
from gunstats.periods import PeriodError, parse_financial_year, parse_month
from gunstats.yaml_tree import (
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    StructureError,
    compose,
    plain_text,
)

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
"""Files larger than this are refused before parsing; ``GUNSTATS_MAX_BYTES`` changes it."""

MAX_COUNT = Decimal(10) ** 12
MAX_DIGITS = 20

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_NUMBER = re.compile(r"[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_URL = r"(?i)https?://[^\s<>\"'`\\]+"
"""A source address is printed as a Markdown autolink, so it must not be able to close it."""
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

TOP_LEVEL_KEYS = ("title", "description", "as_of", "sources", "metrics", "notes", "areas")
SOURCE_KEYS = ("title", "publisher", "url", "published", "note")
METRIC_KEYS = (
    "label",
    "unit",
    "better",
    "source",
    "description",
    "noun",
    "sentence",
    "values",
    "months",
    "ratio_of",
    "areas",
)
RATIO_KEYS = ("numerator", "denominator")
VALUE_KEYS = ("value", "flags", "source", "note")

_FLAG_WORDS = {flag.meaning: flag for flag in Flag} | {flag.value: flag for flag in Flag}
_FLAG_WORDS["break"] = Flag.BREAK


def shipped_figures_path() -> str:
    """The figures that ship with gunstats (the repository's top-level ``figures.yaml``)."""
    return os.path.join(os.path.dirname(__file__), "figures.yaml")


def max_bytes_from_environment(environ: dict[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    text = environ.get("GUNSTATS_MAX_BYTES", "").strip()
    return int(text) if text.isdigit() else DEFAULT_MAX_BYTES


def load_figures(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Figures:
    """Read and validate a figures file; raise :class:`FiguresError` listing every problem."""
    display = os.fspath(path)
    text = read_text(display, DEFAULT_MAX_BYTES if max_bytes is None else max_bytes)
    return parse_figures(text, display)


def read_text(path: str, max_bytes: int) -> str:
    """The file's text as UTF-8 (a byte-order mark is allowed), or a one-line error."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise _fail(
                    path,
                    f"file is {size:,} bytes, over the limit of {max_bytes:,} "
                    "(set GUNSTATS_MAX_BYTES to allow a larger file)",
                )
            data = handle.read(max_bytes + 1)
    except FiguresError:
        raise
    except FileNotFoundError:
        raise _fail(path, "no such file") from None
    except IsADirectoryError:
        raise _fail(path, "is a directory, not a figures file") from None
    except PermissionError:
        raise _fail(path, "permission denied") from None
    except OSError as error:
        raise _fail(path, f"cannot be read ({error.strerror or error})") from None
    if len(data) > max_bytes:  # the file grew while it was read
        raise _fail(path, f"file is over the limit of {max_bytes:,} bytes")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _fail(path, "file is UTF-16 text (save it as UTF-8)")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise FiguresError([Problem(path, line, None, "", "file holds binary data (a NUL byte)")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FiguresError(
            [
                Problem(
                    path,
                    line,
                    None,
                    "",
                    f"not UTF-8 text (byte 0x{data[error.start]:02x}; save the file as UTF-8)",
                )
            ]
        ) from None


def _fail(path: str, message: str) -> FiguresError:
    return FiguresError([Problem(path, None, None, "", message)])


def parse_figures(text: str, path: str = "figures.yaml") -> Figures:
    """Validate YAML text already in memory; ``path`` is only used in messages."""
    try:
        root = compose(text)
    except StructureError as error:
        line, column = error.mark.line + 1, error.mark.column + 1
        message = f"not valid figures: {error.message}"
        raise FiguresError([Problem(path, line, column, "", message)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = error.problem or error.context or "not valid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise FiguresError([Problem(path, line, column, "", f"not valid YAML: {what}")]) from None
    except yaml.reader.ReaderError as error:  # a raw control character, say: no mark, a position
        line = text.count("\n", 0, error.position) + 1
        what = f"U+{error.character:04X}" if isinstance(error.character, int) else "a character"
        message = f"not valid YAML: contains control character {what}, which YAML does not allow"
        raise FiguresError([Problem(path, line, None, "", message)]) from None
    except yaml.YAMLError as error:
        raise _fail(path, f"not valid YAML: {' '.join(str(error).split())}") from None
    except RecursionError:
        raise _fail(path, "not valid figures: the YAML is nested too deeply") from None
    except UnicodeError:  # a lone surrogate, only possible in text that did not come from a file
        raise _fail(path, "not valid text (it holds a lone surrogate code point)") from None
    if root is None:
        raise _fail(path, "file is empty (expected a mapping with 'title' and 'metrics')")
    return _Validator(path).figures(root)


class _Validator:
    """Walks the node tree once, building the model and collecting problems as it goes."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self._periods: dict[str, object] = {}
        self._ratio_parts: list[tuple[str, str, str, Node]] = []
        """(metric id, numerator|denominator, part id, node): checked once all are read."""
        self._areas = None
        """Issue 12: the AreaReader (gunstats.load_areas), made only for a file with areas."""

    def areas(self):
        if self._areas is None:
            from gunstats.load_areas import AreaReader

            self._areas = AreaReader(self)
        return self._areas

    # -- reporting ---------------------------------------------------------------------------

    def problem(self, node: Node | None, where: str, message: str) -> None:
        if node is None:
            self.problems.append(Problem(self.path, None, None, where, message))
        else:
            self.problems.append(Problem(self.path, node.line + 1, node.column + 1, where, message))

    # -- shapes ------------------------------------------------------------------------------

    def mapping(
        self, node: Node, where: str, allowed: tuple[str, ...] | None = None
    ) -> dict[str, tuple[Node, Node]] | None:
        """The mapping's entries by key text, reporting duplicates and unknown keys."""
        if not isinstance(node, MappingNode):
            self.problem(node, where, f"expected a mapping, found {_describe(node)}")
            return None
        if node.tag != _TAG + "map":
            self.problem(node, where, f"tag {node.tag} is not allowed")
            return None
        entries: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node, where)
            if key is None:
                continue
            if key in entries:
                first = entries[key][0].line + 1
                self.problem(
                    key_node,
                    _join(where, key),
                    f"duplicate key (first at line {first}); YAML would silently keep only the"
                    " last one",
                )
                continue
            if allowed is not None and key not in allowed:
                self.problem(key_node, _join(where, key), _unknown_key(key, allowed))
                continue
            entries[key] = (key_node, value_node)
        return entries

    def key(self, node: Node, where: str) -> str | None:
        if node.__class__ is ScalarNode and node.plain and plain_text(node.value):
            return node.value
        if not isinstance(node, ScalarNode):
            self.problem(node, where, f"a key must be plain text, found {_describe(node)}")
            return None
        if node.tag == _TAG + "merge":
            self.problem(node, where, "merge keys (<<) are not supported; write the keys out")
            return None
        if node.tag != _TAG + "str":
            kind = _implicit_kind(node)
            self.problem(
                node,
                _join(where, node.value),
                f"key {node.value!r} is read by YAML as {kind}, not text (put it in quotes)",
            )
            return None
        return node.value

    def text(self, node: Node, where: str, *, one_line: bool = True) -> str | None:
        if not isinstance(node, ScalarNode):
            self.problem(node, where, f"expected text, found {_describe(node)}")
            return None
        if node.tag not in _PLAIN_TAGS:
            self.problem(node, where, f"tag {node.tag} is not allowed")
            return None
        if node.tag == _TAG + "null" and node.style is None:
            self.problem(node, where, "is empty (expected text)")
            return None
        value = node.value.strip() if one_line else node.value.strip("\n")
        # isprintable() is False for every control, format and line-separator character, so
        # only text with something unusual in it is looked at character by character.
        for character in () if value.isprintable() else value:
            if (character == "\n" and not one_line) or character == "\t":
                continue
            import unicodedata  # only unusual text gets here

            category = unicodedata.category(character)
            if category in ("Cc", "Zl", "Zp") or character in _BIDI_CONTROLS:
                what = (
                    "a line break"
                    if character == "\n" or category in ("Zl", "Zp")
                    else f"control character U+{ord(character):04X}"
                )
                self.problem(node, where, f"contains {what} (expected plain one-line text)")
                return None
        if not value:
            self.problem(node, where, "is empty (expected text)")
            return None
        return value

    def choice(self, node: Node, where: str, options: type[Unit] | type[Better]):
        text = self.text(node, where)
        if text is None:
            return None
        try:
            return options(text)
        except ValueError:
            names = " | ".join(option.value for option in options)
            self.problem(
                node, where, f"{text!r} is not one of: {names}{_suggest(text, names.split(' | '))}"
            )
            return None

    # -- the document --------------------------------------------------------------------------

    def figures(self, root: Node) -> Figures:
        entries = self.mapping(root, "", TOP_LEVEL_KEYS)
        if entries is None:
            raise FiguresError(self.problems)
        title = "Gun-crime figures"
        if "title" in entries:
            title = self.text(entries["title"][1], "title") or title
        description = self.optional_text(entries, "description", "description")
        as_of = None
        if "as_of" in entries:
            as_of = self.date(entries["as_of"][1], "as_of")
        sources = self.sources(entries["sources"][1]) if "sources" in entries else ()
        source_ids = {source.id for source in sources}
        notes: tuple[str, ...] = ()
        if "notes" in entries:
            notes = self.notes(entries["notes"][1])
        if "areas" in entries:  # issue 12: before the metrics, which refer to them
            self.areas().read(entries["areas"][1])
        metrics: list[Metric] = []
        if "metrics" not in entries:
            self.problem(root, "metrics", "missing (expected a mapping of metric ids to metrics)")
        else:
            metrics_node = entries["metrics"][1]
            metric_entries = self.mapping(metrics_node, "metrics")
            if metric_entries is not None and not metric_entries:
                self.problem(metrics_node, "metrics", "has no metrics (expected at least one)")
            for metric_id, (key_node, node) in (metric_entries or {}).items():
                metric = self.metric(metric_id, key_node, node, source_ids)
                if metric is not None:
                    metrics.append(metric)
            self.check_ratio_parts(list(metric_entries or {}), metrics)
        if self.problems:
            self.problems.sort(key=lambda p: (p.line or 0, p.column or 0))
            raise FiguresError(self.problems)
        return Figures(
            title=title,
            metrics=tuple(metrics),
            sources=sources,
            path=self.path,
            description=description,
            as_of=as_of,
            notes=notes,
            areas=self._areas.areas if self._areas else (),
        )

    def optional_text(self, entries, key: str, where: str, *, one_line: bool = False):
        if key not in entries:
            return None
        return self.text(entries[key][1], where, one_line=one_line)

    def date(self, node: Node, where: str) -> str | None:
        text = self.text(node, where)
        if text is None:
            return None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.problem(node, where, f"{text!r} is not a date (expected YYYY-MM-DD)")
            return None
        import datetime

        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            self.problem(node, where, f"{text!r} is not a real date (expected YYYY-MM-DD)")
            return None
        return text

    def notes(self, node: Node) -> tuple[str, ...]:
        if not isinstance(node, SequenceNode):
            self.problem(node, "notes", f"expected a list of text, found {_describe(node)}")
            return ()
        found = (
            self.text(item, f"notes[{i}]", one_line=False) for i, item in enumerate(node.value)
        )
        return tuple(note for note in found if note is not None)

    def sources(self, node: Node) -> tuple[Source, ...]:
        entries = self.mapping(node, "sources")
        sources = []
        for source_id, (key_node, value_node) in (entries or {}).items():
            where = _join("sources", source_id)
            if not _IDENTIFIER.fullmatch(source_id):
                self.problem(key_node, where, "a source id is letters, digits, '_' and '-'")
                continue
            fields = self.mapping(value_node, where, SOURCE_KEYS)
            if fields is None:
                continue
            if "title" not in fields:
                self.problem(
                    value_node, _join(where, "title"), "missing (every source needs a title)"
                )
                continue
            values = {}
            for key in SOURCE_KEYS:
                if key in fields:
                    one_line = key != "note"
                    values[key] = self.text(fields[key][1], _join(where, key), one_line=one_line)
            if values.get("url") and not re.fullmatch(_URL, values["url"]):
                self.problem(
                    fields["url"][1],
                    _join(where, "url"),
                    "is not a web address (expected http:// or https:// and no spaces, quotes"
                    " or angle brackets)",
                )
                values["url"] = None
            if "published" in fields and values.get("published"):
                values["published"] = self.date(fields["published"][1], _join(where, "published"))
            if values.get("title"):
                sources.append(Source(id=source_id, **values))
        return tuple(sources)

    def source_ref(self, node: Node, where: str, source_ids: set[str]) -> str | None:
        ref = self.text(node, where)
        if ref is not None and ref not in source_ids:
            defined = ", ".join(sorted(source_ids)) or "none"
            self.problem(
                node,
                where,
                f"source {ref!r} is not defined under 'sources' (defined: {defined})"
                f"{_suggest(ref, source_ids)}",
            )
            return None
        return ref

    def metric(
        self, metric_id: str, key_node: Node, node: Node, source_ids: set[str]
    ) -> Metric | None:
        where = _join("metrics", metric_id)
        if not _IDENTIFIER.fullmatch(metric_id):
            self.problem(
                key_node,
                where,
                "a metric id starts with a letter and has only letters, digits, '_' and '-'",
            )
            return None
        fields = self.mapping(node, where, METRIC_KEYS)
        if fields is None:
            return None
        before = len(self.problems)
        for required, expected in (
            ("label", "text"),
            ("unit", "count | percent"),
            ("better", "up | down | neither"),
        ):
            if required not in fields:
                self.problem(key_node, _join(where, required), f"missing (expected {expected})")
        label = self.text(fields["label"][1], _join(where, "label")) if "label" in fields else None
        unit = (
            self.choice(fields["unit"][1], _join(where, "unit"), Unit) if "unit" in fields else None
        )
        better = (
            self.choice(fields["better"][1], _join(where, "better"), Better)
            if "better" in fields
            else None
        )
        source = None
        if "source" in fields:
            source = self.source_ref(fields["source"][1], _join(where, "source"), source_ids)
        description = self.optional_text(fields, "description", _join(where, "description"))
        noun = self.optional_text(fields, "noun", _join(where, "noun"), one_line=True)
        sentence = None
        if "sentence" in fields:
            sentence = self.sentence(fields["sentence"][1], _join(where, "sentence"))
        values: tuple[Observation, ...] = ()
        months: tuple[Observation, ...] = ()
        if unit is not None:
            if "values" in fields:
                values = self.observations(
                    fields["values"][1],
                    _join(where, "values"),
                    unit,
                    source_ids,
                    parse_financial_year,
                )
            if "months" in fields:
                months = self.observations(
                    fields["months"][1], _join(where, "months"), unit, source_ids, parse_month
                )
        ratio_of = None
        if "ratio_of" in fields:
            ratio_of = self.ratio_of(metric_id, fields, unit, _join(where, "ratio_of"))
        areas = ()  # issue 12
        if "areas" in fields:
            areas = self.areas().metric_areas(metric_id, fields, unit, source_ids)
        if len(self.problems) > before or label is None or unit is None or better is None:
            return None
        return Metric(
            id=metric_id,
            label=label,
            unit=unit,
            better=better,
            source=source,
            description=description,
            values=values,
            months=months,
            noun=noun,
            sentence=sentence,
            ratio_of=ratio_of,
            areas=areas,
        )

    def sentence(self, node: Node, where: str) -> str | None:
        """A key-point template: text with ``{field}`` names and nothing that runs code."""
        text = self.text(node, where)
        if text is None:
            return None
        try:
            import string  # only files with sentence templates pay for it

            parts = list(string.Formatter().parse(text))
        except ValueError as error:
            self.problem(node, where, f"{error} (write {{{{ and }}}} for literal braces)")
            return None
        fields = ", ".join("{" + name + "}" for name in SENTENCE_FIELDS)
        for _literal, name, spec, conversion in parts:
            if name is None:
                continue
            if not name:
                self.problem(node, where, f"a field needs a name (expected one of {fields})")
                return None
            if spec or conversion or name not in SENTENCE_FIELDS:
                shown = "{" + name + ("!" + conversion if conversion else "")
                shown += (":" + spec if spec else "") + "}"
                hint = _suggest(name, SENTENCE_FIELDS) if name not in SENTENCE_FIELDS else ""
                self.problem(
                    node,
                    where,
                    f"{shown} is not a field (expected one of {fields}){hint}",
                )
                return None
        return text

    def ratio_of(self, metric_id: str, fields, unit: Unit | None, where: str) -> Ratio | None:
        """``ratio_of: {numerator: ID, denominator: ID}``; the ids are checked later."""
        key_node, node = fields["ratio_of"]
        if unit is Unit.COUNT:
            self.problem(
                key_node, where, "only a percent metric can be a ratio (this one is unit: count)"
            )
            return None
        if "months" in fields:
            self.problem(
                fields["months"][0],
                where.rsplit(".", 1)[0] + ".months",
                "a ratio takes its monthly values from its numerator and denominator; "
                "give the months there, not here",
            )
        parts = self.mapping(node, where, RATIO_KEYS)
        if parts is None:
            return None
        ids = {}
        for name in RATIO_KEYS:
            if name not in parts:
                self.problem(
                    node, _join(where, name), "missing (expected the id of a count metric)"
                )
                continue
            part_id = self.text(parts[name][1], _join(where, name))
            if part_id is not None:
                ids[name] = part_id
                self._ratio_parts.append((metric_id, name, part_id, parts[name][1]))
        if len(ids) != 2:
            return None
        if ids["numerator"] == ids["denominator"]:
            self.problem(
                parts["denominator"][1],
                _join(where, "denominator"),
                f"is the same metric as the numerator ({ids['numerator']!r})",
            )
            return None
        return Ratio(**ids)

    def check_ratio_parts(self, declared: list[str], metrics: list[Metric]) -> None:
        """Parts must be other metrics, and counts: a rate of rates (or a cycle) has no sum."""
        units = {metric.id: metric.unit for metric in metrics}
        ratios = {metric.id for metric in metrics if metric.ratio_of is not None}
        for metric_id, name, part_id, node in self._ratio_parts:
            where = _join(_join(_join("metrics", metric_id), "ratio_of"), name)
            if part_id == metric_id:
                self.problem(node, where, f"refers to {metric_id!r} itself (a cycle)")
            elif part_id not in declared:
                self.problem(
                    node,
                    where,
                    f"no metric {part_id!r} in this file{_suggest(part_id, declared)}",
                )
            elif part_id in ratios:
                self.problem(
                    node,
                    where,
                    f"{part_id!r} is itself a ratio; the parts of a ratio must be count metrics "
                    "(ratios of ratios could form a cycle)",
                )
            elif part_id in units and units[part_id] is not Unit.COUNT:
                self.problem(
                    node,
                    where,
                    f"{part_id!r} is a {units[part_id].value} metric; the parts of a ratio must "
                    "be count metrics",
                )

    def observations(
        self,
        node: Node,
        where: str,
        unit: Unit,
        source_ids: set[str],
        parse_period: Callable[[str], object],
    ) -> tuple[Observation, ...]:
        entries = self.mapping(node, where)
        if entries is None:
            return ()
        seen: dict[object, int] = {}
        observations = []
        for key, (key_node, value_node) in entries.items():
            value_where = _join(where, key)
            period = self.period(key, key_node, value_where, parse_period)
            if period is None:
                continue
            line = key_node.line + 1
            if period in seen:
                self.problem(
                    key_node,
                    value_where,
                    f"period {period} is given twice (first at line {seen[period]}); keep one",
                )
                continue
            seen[period] = line
            observation = self.observation(value_node, value_where, period, unit, source_ids, line)
            if observation is not None:
                observations.append(observation)
        observations.sort(key=lambda o: o.period)
        return tuple(observations)

    def period(self, key: str, node: Node, where: str, parse_period):
        cache_key = (parse_period, key)
        period = self._periods.get(cache_key)
        if period is None:
            try:
                period = parse_period(key)
            except PeriodError as error:
                self.problem(node, where, str(error))
                return None
            self._periods[cache_key] = period
        return period

    def observation(
        self,
        node: Node,
        where: str,
        period,
        unit: Unit,
        source_ids: set[str],
        line: int,
    ) -> Observation | None:
        if isinstance(node, ScalarNode):
            value = self.number(node, where, unit)
            # Positional, in field order: the fast way to make the record, once per value.
            return None if value is None else Observation(period, value, (), None, None, line)
        fields = self.mapping(node, where, VALUE_KEYS)
        if fields is None:
            return None
        if "value" not in fields:
            self.problem(node, _join(where, "value"), "missing (expected a number)")
            return None
        value = self.number(fields["value"][1], _join(where, "value"), unit)
        flags: tuple[Flag, ...] = ()
        if "flags" in fields:
            flags = self.flags(fields["flags"][1], _join(where, "flags"))
        source = None
        if "source" in fields:
            source = self.source_ref(fields["source"][1], _join(where, "source"), source_ids)
        note = self.optional_text(fields, "note", _join(where, "note"))
        if value is None:
            return None
        return Observation(period, value, flags=flags, source=source, note=note, line=line)

    def flags(self, node: Node, where: str) -> tuple[Flag, ...]:
        items = node.value if isinstance(node, SequenceNode) else [node]
        flags: list[Flag] = []
        for item in items:
            text = self.text(item, where)
            if text is None:
                continue
            flag = _FLAG_WORDS.get(text.lower().strip("[]"))
            if flag is None:
                self.problem(
                    item,
                    where,
                    f"{text!r} is not a flag (expected p, r, e, b or provisional, revised, "
                    "estimated, break)",
                )
            elif flag not in flags:
                flags.append(flag)
        return tuple(sorted(flags, key=list(Flag).index))

    def number(self, node: Node, where: str, unit: Unit) -> Decimal | None:
        text = node.value
        # The common case, kept short: a plain decimal number (YAML reads it as int/float).
        if (
            node.__class__ is ScalarNode
            and node.plain
            and len(text) <= MAX_DIGITS + 1
            and _NUMBER.fullmatch(text)
        ):
            value = Decimal(text)
            if unit is Unit.COUNT:
                if 0 <= value <= MAX_COUNT and value == value.to_integral_value():
                    return value.to_integral_value()
            elif 0 <= value <= 100:
                return value
        return self._number_problem(node, where, unit)

    def _number_problem(self, node: Node, where: str, unit: Unit) -> Decimal | None:
        """Every way a value can fail to be a number, each with its own message."""
        expected = (
            "a whole number of 0 or more" if unit is Unit.COUNT else "a percentage from 0 to 100"
        )
        if not isinstance(node, ScalarNode):
            self.problem(node, where, f"expected {expected}, found {_describe(node)}")
            return None
        text = node.value
        if node.style in ("'", '"'):
            self.problem(node, where, f"{text!r} is quoted text, not a number (remove the quotes)")
            return None
        if node.tag not in _PLAIN_TAGS:
            self.problem(node, where, f"tag {node.tag} is not allowed (expected {expected})")
            return None
        if node.style in ("|", ">"):
            self.problem(node, where, f"a block of text is not a number (expected {expected})")
            return None
        stripped = text.strip()
        if node.tag == _TAG + "str" and _NUMBER.fullmatch(stripped):
            self.problem(node, where, f"{stripped!r} is tagged as text, not a number")
            return None
        if not _NUMBER.fullmatch(stripped) or len(stripped) > MAX_DIGITS + 2:
            self.problem(node, where, _not_a_number(node, stripped, expected))
            return None
        value = Decimal(stripped)
        if value < 0:
            self.problem(node, where, f"{stripped} is negative (expected {expected})")
            return None
        if unit is Unit.COUNT:
            if value != value.to_integral_value():
                self.problem(node, where, f"{stripped} is not a whole number (expected {expected})")
                return None
            if value > MAX_COUNT:
                self.problem(
                    node,
                    where,
                    f"{stripped} is implausibly large for a count (expected at most {MAX_COUNT:,})",
                )
                return None
            return value.to_integral_value()
        if value > 100:
            self.problem(node, where, f"{stripped} is over 100 (expected {expected})")
            return None
        return value


def _not_a_number(node: ScalarNode, text: str, expected: str) -> str:
    """Why a scalar is not a plain decimal number, with the fix where we can guess it."""
    if len(text) > 64:  # the hints below backtrack: a long value would take minutes
        if re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
            return f"{text[:30]!r} has too many digits (expected {expected})"
        return f"{text[:27] + '...'!r} is not a number (expected {expected})"
    tag = node.tag
    if tag == _TAG + "null":
        return f"has no value (expected {expected}; leave a period out if it was not published)"
    if tag == _TAG + "bool":
        return f"{text!r} is read by YAML as a true/false value, not a number (expected {expected})"
    if text.lower() in (".nan", ".inf", "+.inf", "-.inf", "nan", "inf", "infinity"):
        return f"{text!r} is not a finite number (expected {expected})"
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        return f"{text!r} has a thousands separator (write {text.replace(',', '')})"
    if re.fullmatch(r"[+-]?\d+(\.\d+)?\s*%", text):
        number = text.rstrip("%").strip()
        return f"{text!r} has a percent sign (write {number}; the unit says it is a percentage)"
    if re.fullmatch(r"[+-]?0\d+", text):
        return (
            f"{text!r} has a leading zero, which YAML 1.1 reads as octal "
            f"(write {text.lstrip('+-').lstrip('0') or '0'})"
        )
    if ":" in text and re.fullmatch(r"[+-]?\d+(:\d+)+(\.\d*)?", text):
        return f"{text!r} is read by YAML 1.1 as a base-60 number (expected {expected})"
    if "_" in text and re.fullmatch(r"[+-]?[\d_]+(\.[\d_]+)?", text):
        return f"{text!r} has underscores (write {text.replace('_', '')})"
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+", text):
        return f"{text!r} is in exponent form (write the number in full)"
    if re.fullmatch(r"[+-]?\d+\.", text) or re.fullmatch(r"[+-]?\.\d+", text):
        return f"{text!r} is not a complete decimal number (expected {expected})"
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
        return f"{text[:30]!r} has too many digits (expected {expected})"
    shown = text if len(text) <= 30 else text[:27] + "..."
    return f"{shown!r} is not a number (expected {expected})"


def _describe(node: Node) -> str:
    if node.tag not in _PLAIN_TAGS and node.tag not in (_TAG + "map", _TAG + "seq"):
        return f"a value tagged {node.tag} (tags are not allowed)"
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _TAG + "null":
        return "nothing"
    shown = node.value if len(node.value) <= 30 else node.value[:27] + "..."
    return f"{shown!r}"


def _implicit_kind(node: ScalarNode) -> str:
    name = node.tag.rsplit(":", 1)[-1]
    return {
        "int": "a number",
        "float": "a number",
        "bool": "a true/false value",
        "null": "nothing (null)",
        "timestamp": "a date",
    }.get(name, f"type {node.tag}")


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _suggest(word: str, options) -> str:
    import difflib  # only on the way to an error message

    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def _unknown_key(key: str, allowed: tuple[str, ...]) -> str:
    import difflib

    match = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"did you mean {match[0]!r}?" if match else f"expected one of: {', '.join(allowed)}"
    return f"unknown key {key!r} ({hint})"
