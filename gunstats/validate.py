"""Validate a figures file's node tree into :class:`~gunstats.model.Figures`, or list every problem.

The tree comes from :mod:`gunstats.yaml_tree` (no Python object is ever constructed from the
YAML, so tags such as ``!!python/object`` are reported, never executed); each field is read by
a reader of :mod:`gunstats.readers`, and areas and ratios by :mod:`gunstats.validate_areas` and
:mod:`gunstats.validate_ratios` (imported only by a file that has them). Every problem found is
collected, so a user fixes a file in one pass, not one run per error.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from gunstats.errors import FiguresError, listing, printable, shorten
from gunstats.model import (
    SENTENCE_FIELDS,
    Figures,
    Metric,
    Observation,
    Source,
    Unit,
)
from gunstats.periods import PeriodError, parse_financial_year, parse_month
from gunstats.readers import FieldReader, describe, given, join
from gunstats.yaml_tree import Node, ScalarNode, SequenceNode

if TYPE_CHECKING:
    from gunstats.model_areas import AreaSeries
    from gunstats.validate_areas import AreaReader
    from gunstats.validate_ratios import RatioReader

IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
"""A source, metric or area id (a long table that names its metrics so keeps them as ids)."""
_URL = r"(?i)https?://[^\s<>\"'`\\]+"
"""A source address is printed as a Markdown autolink, so it must not be able to close it."""

TOP_LEVEL_KEYS = (
    "title",
    "description",
    "as_of",
    "status",
    "caveat",
    "contact",
    "sources",
    "metrics",
    "notes",
    "areas",
)
SOURCE_KEYS = ("title", "publisher", "url", "published", "note")
METRIC_KEYS = (
    "label",
    "unit",
    "better",
    "source",
    "description",
    "caveat",
    "noun",
    "noun_singular",
    "sentence",
    "values",
    "months",
    "ratio_of",
    "areas",
)
VALUE_KEYS = ("value", "flags", "source", "note")


class Validator(FieldReader):
    """Walks the node tree once, building the model and collecting problems as it goes."""

    def __init__(self, path: str):
        super().__init__(path)
        self._periods: dict[tuple[object, str], object] = {}
        self._areas: AreaReader | None = None
        self._ratios: RatioReader | None = None

    def areas(self) -> AreaReader:  # only a file with areas imports gunstats.validate_areas
        if self._areas is None:
            from gunstats.validate_areas import AreaReader

            self._areas = AreaReader(self)
        return self._areas

    def ratios(self) -> RatioReader:  # only a file with ratios imports gunstats.validate_ratios
        if self._ratios is None:
            from gunstats.validate_ratios import RatioReader

            self._ratios = RatioReader(self)
        return self._ratios

    def figures(self, root: Node) -> Figures:
        entries = self.mapping(root, "", TOP_LEVEL_KEYS)
        if entries is None:
            raise FiguresError(self.problems)
        title = self.field(entries, "", "title", self.text) or "Gun-crime figures"
        description = self.field(entries, "", "description", self.prose)
        as_of = self.field(entries, "", "as_of", self.date)
        status = self.field(entries, "", "status", self.status)
        caveat = self.field(entries, "", "caveat", self.prose)
        contact = self.field(entries, "", "contact", self.text)
        sources = self.field(entries, "", "sources", self.sources) or ()
        source_ids = {source.id for source in sources}
        notes = self.field(entries, "", "notes", self.notes) or ()
        if given(entries, "areas"):  # before the metrics, which refer to them
            self.areas().read(entries["areas"][1])
        metrics: list[Metric] = []
        if not given(entries, "metrics"):
            self.problem(
                entries["metrics"][1] if "metrics" in entries else root,
                "metrics",
                "missing (expected a mapping of metric ids to metrics)",
            )
        else:
            metrics_node = entries["metrics"][1]
            metric_entries = self.mapping(metrics_node, "metrics")
            if metric_entries is not None and not metric_entries:
                self.problem(metrics_node, "metrics", "has no metrics (expected at least one)")
            for metric_id, (key_node, node) in (metric_entries or {}).items():
                metric = self.metric(metric_id, key_node, node, source_ids)
                if metric is not None:
                    metrics.append(metric)
            if self._ratios is not None:
                self._ratios.check_parts(list(metric_entries or {}), metrics)
        if self.problems:
            self.problems.sort(key=lambda p: (p.line or 0, p.column or 0))
            raise FiguresError(self.problems)
        return Figures(
            title=title,
            metrics=tuple(metrics),
            sources=sources,
            path=printable(self.path),  # only ever printed: it must not drive a terminal
            description=description,
            as_of=as_of,
            notes=notes,
            status=status,
            caveat=caveat,
            contact=contact,
            areas=self._areas.areas if self._areas else (),
        )

    def notes(self, node: Node, where: str = "notes") -> tuple[str, ...]:
        if not isinstance(node, SequenceNode):
            self.problem(node, "notes", f"expected a list of text, found {describe(node)}")
            return ()
        found = (
            self.text(item, f"notes[{i}]", one_line=False) for i, item in enumerate(node.value)
        )
        return tuple(note for note in found if note is not None)

    def sources(self, node: Node, where: str = "sources") -> tuple[Source, ...]:
        entries = self.mapping(node, "sources")
        sources = []
        for source_id, (key_node, value_node) in (entries or {}).items():
            where = join("sources", source_id)
            if not IDENTIFIER.fullmatch(source_id):
                self.problem(key_node, where, "a source id is letters, digits, '_' and '-'")
                continue
            fields = self.mapping(value_node, where, SOURCE_KEYS)
            if fields is None:
                continue
            if not given(fields, "title"):
                self.problem(
                    value_node, join(where, "title"), "missing (every source needs a title)"
                )
                continue
            read = functools.partial(self.field, fields, where)
            title, publisher = read("title", self.text), read("publisher", self.text)
            url, published = read("url", self.text), read("published", self.text)
            note = read("note", self.prose)
            if url and not re.fullmatch(_URL, url):
                self.problem(
                    fields["url"][1],
                    join(where, "url"),
                    "is not a web address (expected http:// or https:// and no spaces, quotes"
                    " or angle brackets)",
                )
                url = None
            if published:  # read as text first: an empty or multi-line date says so
                published = read("published", self.date)
            if title:
                sources.append(Source(source_id, title, publisher, url, published, note))
        return tuple(sources)

    def source_ref(self, node: Node, where: str, source_ids: set[str]) -> str | None:
        ref = self.text(node, where)
        if ref is not None and ref not in source_ids:
            defined = listing(sorted(source_ids)) or "none"
            self.problem(
                node,
                where,
                f"source {shorten(ref)!r} is not defined under 'sources' (defined: {defined})"
                f"{self.suggest(ref, source_ids)}",
            )
            return None
        return ref

    def metric(
        self, metric_id: str, key_node: Node, node: Node, source_ids: set[str]
    ) -> Metric | None:
        where = join("metrics", metric_id)
        if metric_id in METRIC_KEYS:  # ``values:`` one level too far out, say
            self.problem(
                key_node,
                where,
                f"'{metric_id}' is a field of a metric, not a metric id: indent it under the "
                "metric it belongs to",
            )
            return None
        if not IDENTIFIER.fullmatch(metric_id):
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
            if not given(fields, required):
                self.problem(
                    fields[required][1] if required in fields else key_node,
                    join(where, required),
                    f"missing (expected {expected})",
                )
        read = functools.partial(self.field, fields, where)
        label, unit, better = (
            read("label", self.text),
            read("unit", self.unit),
            read("better", self.better),
        )
        source = read("source", functools.partial(self.source_ref, source_ids=source_ids))
        description, noun = read("description", self.prose), read("noun", self.text)
        noun_singular, caveat = read("noun_singular", self.text), read("caveat", self.prose)
        sentence = read("sentence", self.sentence)
        values: tuple[Observation, ...] = ()
        months: tuple[Observation, ...] = ()
        # Read even without a valid unit (checked as plain numbers), so that one mistake in
        # the unit does not hide every mistake in the values.
        observations = functools.partial(self.observations, unit=unit, source_ids=source_ids)
        values = (
            read("values", functools.partial(observations, parse_period=parse_financial_year)) or ()
        )
        months = read("months", functools.partial(observations, parse_period=parse_month)) or ()
        ratio_of = None
        if given(fields, "ratio_of"):
            ratio_of = self.ratios().read(metric_id, fields, unit, join(where, "ratio_of"))
        areas: tuple[AreaSeries, ...] = ()
        if given(fields, "areas"):
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
            noun_singular=noun_singular,
            caveat=caveat,
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
                hint = self.suggest(name, SENTENCE_FIELDS) if name not in SENTENCE_FIELDS else ""
                self.problem(
                    node,
                    where,
                    f"{shown} is not a field (expected one of {fields}){hint}",
                )
                return None
        return text

    def observations(
        self,
        node: Node,
        where: str,
        unit: Unit | None,
        source_ids: set[str],
        parse_period: Callable[[str], object],
    ) -> tuple[Observation, ...]:
        entries = self.mapping(node, where, period=parse_period)
        if entries is None:
            return ()
        seen: dict[object, int] = {}
        observations = []
        for key, (key_node, value_node) in entries.items():
            value_where = join(where, key)
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
        # As plain tuples: one kind of period here, so C's tuple order is the right one.
        observations.sort(key=lambda o: tuple(o.period))
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
        unit: Unit | None,
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
            self.problem(node, join(where, "value"), "missing (expected a number)")
            return None
        value = self.number(fields["value"][1], join(where, "value"), unit)
        read = functools.partial(self.field, fields, where)
        flags = read("flags", self.flags) or ()
        source = read("source", functools.partial(self.source_ref, source_ids=source_ids))
        note = read("note", self.prose)
        if value is None:
            return None
        return Observation(period, value, flags=flags, source=source, note=note, line=line)
