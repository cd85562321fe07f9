"""What a template may read: the file named, then includes from its folder and the shipped examples.

Owns :class:`FolderLoader`, Jinja2's loader for ``--template``: the named template is the
user's to choose, link or not, but an include is looked for only in the template's own folder
(and below) and in the shipped examples, never as a hidden file (a name starting with a dot),
never through a symbolic link that leads out of the folder, never from anything but a regular
file, and never larger than :data:`TEMPLATE_BYTES`; a refusal is :class:`IncludeRefused`.
"""

from __future__ import annotations

import os
import stat

import jinja2
from jinja2.loaders import split_template_path

import gunstats

TEMPLATE_BYTES = 1 << 20


class IncludeRefused(jinja2.TemplateError):
    """An include names a file a template may not read."""


class FolderLoader(jinja2.BaseLoader):
    """The named template, then includes from its folder and the shipped examples only."""

    def __init__(self, template_path: str) -> None:
        self.given = template_path
        self.path = os.path.abspath(template_path)
        self.name = os.path.basename(self.path)
        self.folders = [os.path.realpath(os.path.dirname(self.path)), *shipped_examples()]
        self.loaded: dict[str, str] = {}
        """Each file read, by its path, with the name it was asked for by."""

    def get_source(self, environment, template: str):
        # The file the user named is theirs to choose, link or not; includes are looked for.
        path = self.path if template == self.name else self._find(template)
        source = _read(path, template)
        self.loaded[path] = template
        return source, path, lambda: True

    def shown(self, path: str) -> str:
        """A file read, as the user would write it: the named template as named, an include
        beside it, a shipped example in full."""
        if path == self.path:
            return self.given
        if path.startswith(self.folders[0] + os.sep):
            return os.path.join(os.path.dirname(self.given), self.loaded[path])
        return path

    def _find(self, template: str) -> str:
        pieces = split_template_path(template)  # refuses "..", and separators inside a piece
        if any(piece.startswith(".") for piece in pieces):
            raise IncludeRefused(f"cannot include {template!r}: it names a hidden file")
        for folder in self.folders:
            candidate = os.path.join(folder, *pieces)
            if not os.path.lexists(candidate):
                continue
            resolved = os.path.realpath(candidate)
            if os.path.commonpath([resolved, folder]) != folder:
                raise IncludeRefused(
                    f"cannot include {template!r}: a link leads outside the template's folder"
                )
            inside = os.path.relpath(resolved, folder).split(os.sep)
            if any(piece.startswith(".") for piece in inside):
                raise IncludeRefused(f"cannot include {template!r}: it leads to a hidden file")
            return resolved
        raise jinja2.TemplateNotFound(template)


def shipped_examples() -> list[str]:
    """The examples shipped with gunstats: package data, or the source checkout's folder."""
    package = os.path.dirname(os.path.abspath(gunstats.__file__))
    checkout = os.path.dirname(package)
    folders = [os.path.join(package, "examples")]
    if os.path.isfile(os.path.join(checkout, "setup.cfg")):  # not some other site-packages/examples
        folders.append(os.path.join(checkout, "examples"))
    return [os.path.realpath(folder) for folder in folders if os.path.isdir(folder)]


def _read(path: str, template: str) -> str:
    try:
        # Non-blocking, so a named pipe swapped in cannot make the open wait for a writer.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise jinja2.TemplateNotFound(template) from None
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise IncludeRefused(f"cannot read {template!r}: it is not a regular file")
        data = stream.read(TEMPLATE_BYTES + 1)
    if len(data) > TEMPLATE_BYTES:
        raise IncludeRefused(
            f"cannot read {template!r}: it is larger than {TEMPLATE_BYTES:,} bytes"
        )
    return data.decode("utf-8")
