"""``gunstats areas`` as Markdown: key points, the pipe table, the key, sources and notes."""

from __future__ import annotations

from gunstats.areas import AreaTable
from gunstats.prose import provenance
from gunstats.render.areas_layout import build_area_layout
from gunstats.render.markdown import closing_sections, escape, table
from gunstats.render.options import DEFAULT, RenderOptions


def render(areas: AreaTable, options: RenderOptions = DEFAULT) -> str:
    layout = build_area_layout(areas)
    lines = [f"# {escape(layout.title)}", ""]
    lines += [escape(provenance(layout.file_name, layout.as_of, options.produced)), ""]
    lines += [f"- {escape(point)}" for point in layout.key_points]
    lines += ["", f"## {escape(layout.table.title)}", "", *table(layout.table), ""]
    lines += closing_sections(
        layout.key, layout.sources, layout.notes, layout.caveat, status=layout.status
    )
    return "\n".join(lines)
