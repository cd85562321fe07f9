"""The JSON Schema (draft 2020-12) of the figures file, shipped beside the code.

Editors that read YAML through a JSON Schema (VS Code's YAML extension and others built on
yaml-language-server) use it for completion and to underline mistakes as a file is typed.
It describes the shape; ``gunstats validate`` remains the full check (see the schema's own
description for what only the loader can see).
"""

from __future__ import annotations

import os

SCHEMA_FILE = "figures.schema.json"


def schema_path() -> str:
    return os.path.join(os.path.dirname(__file__), SCHEMA_FILE)


def schema_text() -> str:
    with open(schema_path(), encoding="utf-8") as handle:
        return handle.read()
