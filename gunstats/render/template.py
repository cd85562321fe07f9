"""A report through the user's own Jinja2 template, so a press office keeps its own layout.

The template runs in Jinja2's sandbox: it can read the report and call the filters below, but
not reach Python internals, and :mod:`gunstats.render.sandbox` bounds its run time, its
output, what it may make and which files it may include. Undefined names are
errors, not silent blanks. Any problem (the file, its syntax, or an error while rendering)
becomes one line, ``TEMPLATE:LINE: what went wrong``, and exit 1.

Jinja2 is an optional dependency (the ``templates`` extra) imported only here.
"""

from __future__ import annotations

import traceback
from decimal import Decimal
from typing import Any

from gunstats.compute import Comparison, MetricReport, Report
from gunstats.errors import GunstatsError
from gunstats.model import Observation, Unit
from gunstats.numbers import format_number, format_signed
from gunstats.periods import PeriodStyle
from gunstats.prose import (
    PeriodNamer,
    long_date,
    mark,
    table_period,
    tested_change_phrase,
    value_text,
)
from gunstats.render.fields import comparison_fields, comparison_texts, observation_texts, text
from gunstats.render.layout import build_layout
from gunstats.render.markdown import escape
from gunstats.render.options import DEFAULT, RenderOptions
from gunstats.wording import capitalise, common_places, prose_percent

INSTALL_HINT = "pip install '.[templates]' in the gunstats folder (or pip install Jinja2)"


class TemplateError(GunstatsError):
    """The template cannot be read, compiled or rendered; one line naming file and line."""


def render(report: Report, template_path: str, options: RenderOptions = DEFAULT) -> str:
    try:
        import jinja2

        from gunstats.render import sandbox, sandbox_files, sandbox_process
    except ImportError:
        raise TemplateError(
            f"--template needs Jinja2, which is not installed: {INSTALL_HINT}"
        ) from None
    precision, style = options.precision, options.period_style
    budget = sandbox.Budget(values=sum(len(m.observations) for m in report.metrics))
    loader = sandbox_files.FolderLoader(template_path)
    environment = sandbox.LimitedEnvironment(
        budget,
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    namer = PeriodNamer(style)
    environment.filters.update(_filters(precision, style, namer))
    environment.limit_filters()
    context = template_context(report, precision=precision, style=style, produced=options.produced)
    try:
        with sandbox_process.limits(budget):
            template = _compile(environment, loader, template_path)
            text = _generate(template, context, budget, loader)
    except sandbox.LimitError as error:  # between two steps of the template: no line to name
        raise TemplateError(f"{template_path}: {error}") from None
    if budget.exceeded is not None:  # the timer struck in code that swallowed the error
        raise TemplateError(f"{template_path}: {budget.exceeded}")
    return text


def _compile(environment, loader, template_path: str):
    import jinja2

    from gunstats.render.sandbox_files import IncludeRefused

    try:
        return environment.get_template(loader.name)
    except jinja2.TemplateNotFound:
        raise TemplateError(f"{template_path}: no such file") from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"{template_path}:{error.lineno}: {_one_line(error.message)}") from None
    except IncludeRefused as error:
        raise TemplateError(f"{template_path}: {_one_line(error.message)}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise TemplateError(f"{template_path}: cannot be read ({_one_line(error)})") from None


def _generate(template, context: dict[str, Any], budget, loader) -> str:
    """The template's text, piece by piece, so that its size and time are checked as it runs.

    A piece over the size limit is thrown back into the template, so that the error names
    the line that wrote it.
    """
    import jinja2

    from gunstats.render.sandbox import LimitError
    from gunstats.render.sandbox_files import IncludeRefused

    pieces: list[str] = []
    size = 0
    stream = template.generate(context)
    try:
        for piece in stream:
            size += len(piece)
            pieces.append(piece)
            if size > budget.size:
                stream.throw(LimitError(f"the output is over {budget.size:,} characters"))
            budget.check_time()
    except Exception as error:  # a template can fail in any way; the user needs file:line
        budget.stop()
        place = _template_place(error, loader)
        if isinstance(error, jinja2.TemplateSyntaxError) and error.filename in loader.loaded:
            place = f"{loader.shown(error.filename)}:{error.lineno}"  # in an included file
        if isinstance(error, (LimitError, IncludeRefused, jinja2.TemplateSyntaxError)):
            what = _one_line(getattr(error, "message", error))
        elif isinstance(error, MemoryError):
            what = "used more memory than a template may"
        else:
            detail = error.message if isinstance(error, jinja2.TemplateError) else error
            what = f"{type(error).__name__}: {_one_line(detail)}"
        raise TemplateError(f"{place}: {what}") from None
    finally:
        stream.close()
    return "".join(pieces)


def _one_line(message: object) -> str:
    return " ".join(str(message or "").split())


def _template_place(error: BaseException, loader) -> str:
    """``FILE:LINE`` of the innermost template frame: Jinja2 maps its frames to template
    lines, and an error in an included template names that template, not the outer one."""
    place = loader.given
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename in loader.loaded:
            place = f"{loader.shown(frame.filename)}:{frame.lineno}"
    return place


def _filters(precision: int, style: PeriodStyle, namer: PeriodNamer) -> dict[str, Any]:
    def number(value, places: int = 0) -> str:
        return format_number(_exact(value), places)

    def percent(value, places: int | None = None) -> str:
        """``9.2%``, ``38%``: at most ``--precision`` places, as many as the value needs; or
        exactly ``places``, so that the percentages of one sentence can share them (C12)."""
        exact = _exact(value)
        if places is None:
            places = common_places([exact], precision)
        return prose_percent(exact, places)

    def signed(value, places: int = 0) -> str:
        return format_signed(_exact(value), places)

    def change(comparison: dict) -> str:
        return namer(tested_change_phrase(comparison["comparison"], precision), sentence=False)

    def period(value) -> str:
        """``2021/22``, or in gov-uk and ons style "the financial year ending March 2022" at
        first mention and "the year ending March 2022" after."""
        return namer(mark(value), sentence=False)

    def value(observation: dict) -> str:
        """``524``, ``38%``: a percentage at the places it needs, at most ``--precision``."""
        item = observation["observation"]
        unit = Unit(observation["unit"])
        places = common_places([item.value] if unit is Unit.PERCENT else [], precision)
        return value_text(item, unit, places)

    return {
        "number": number,
        "percent": percent,
        "signed": signed,
        "change": change,
        "period": period,
        "value": value,
        "date": long_date,
        "sentence": capitalise,
        "md": escape,
    }


def _exact(value):
    if isinstance(value, float):  # a float from a template literal: use its written form
        return Decimal(repr(value))
    return value


def template_context(
    report: Report,
    *,
    precision: int = 1,
    style: PeriodStyle = PeriodStyle.COMPACT,
    produced: str | None = None,
) -> dict[str, Any]:
    """What a template sees: plain dicts and lists of the report, nothing with I/O."""
    layout = build_layout(report, precision, style)
    numbers = {source.id: n for n, source in enumerate(layout.sources, 1)}
    metrics = [
        _metric(m, point, numbers, precision, style)
        for m, point in zip(report.metrics, layout.key_points, strict=True)
    ]
    latest_period = report.periods[-1] if report.periods else None
    return {
        "title": layout.title,
        "as_of": layout.as_of,
        "as_of_text": long_date(layout.as_of) if layout.as_of else "",
        "produced": produced,
        "produced_text": long_date(produced) if produced else "",
        "file_name": layout.file_name,
        "period_style": style.value,
        "confidence": report.confidence,
        "periods": list(report.periods),
        "periods_text": ", ".join(table_period(p, style) for p in report.periods),
        "latest_period": latest_period,
        "latest_period_text": table_period(latest_period, style) if latest_period else "",
        "metrics": metrics,
        "key_points": list(layout.key_points),
        "key": list(layout.key),
        "sources": [
            {
                "number": numbers[source.id],
                "id": source.id,
                "title": source.title,
                "publisher": source.publisher,
                "published": source.published,
                "url": source.url,
                "note": source.note,
                "publisher_text": text(source.publisher),
                "published_text": long_date(source.published) if source.published else "",
                "url_text": text(source.url),
                "note_text": text(source.note),
            }
            for source in layout.sources
        ],
        "notes": list(layout.notes),
        "status": report.figures.status,
        "status_sentence": layout.status,
        "definitions": [{"label": label, "text": text} for label, text in layout.definitions],
        "caveat": layout.caveat,
    }


def _observation(
    observation: Observation, unit: Unit, precision: int, style: PeriodStyle
) -> dict[str, Any]:
    return {
        **observation_texts(observation, unit, precision, style),
        "period": observation.period,
        "value": observation.value,
        "unit": unit.value,
        "flags": [flag.meaning for flag in observation.flags],
        "source": observation.source,
        "note": observation.note,
        "observation": observation,
    }


def _comparison(
    comparison: Comparison | None, precision: int, style: PeriodStyle
) -> dict[str, Any] | None:
    if comparison is None:
        return None
    fields = comparison_fields(comparison)
    if comparison.unit is Unit.PERCENT:
        # A percentage changes by percentage points only (docs/conventions.md C1): a template
        # offered its relative change would invite "solved rate up 90%". JSON keeps it as data.
        fields["percent_change"] = None
    return {**fields, **comparison_texts(comparison, precision, style), "comparison": comparison}


def _metric(
    m: MetricReport, key_point: str, numbers: dict[str, int], precision: int, style: PeriodStyle
) -> dict[str, Any]:
    metric = m.metric
    latest = m.observations[-1] if m.observations else None
    previous = (
        next((c for c in m.year_on_year if c.to_period == latest.period), None) if latest else None
    )
    refs = dict.fromkeys(r for r in [metric.source, *(o.source for o in m.observations)] if r)
    sources = sorted(numbers[ref] for ref in refs)
    return {
        "id": metric.id,
        "label": metric.label,
        "noun": metric.noun or metric.label,
        "unit": metric.unit.value,
        "better": metric.better.value,
        "description": metric.description,
        "description_text": text(metric.description),
        "caveat": metric.caveat,
        "values": [_observation(o, metric.unit, precision, style) for o in m.observations],
        "latest": _observation(latest, metric.unit, precision, style) if latest else None,
        "year_on_year": _comparison(previous, precision, style),
        "all_year_on_year": [_comparison(c, precision, style) for c in m.year_on_year],
        "since_baseline": _comparison(m.since_baseline, precision, style),
        "key_point": key_point,
        "sources": sources,
        "sources_text": ", ".join(str(n) for n in sources),
    }
