"""Moving stacks in and out of stackmap: importers write inventory YAML, exporters write other tools' formats.

Both registries map a format name to the module that implements it; modules are imported only
when used, so listing the choices (for ``--help`` and error messages) stays cheap.

An importer module provides ``read(sources, options) -> Draft`` (see :mod:`.draft`); an exporter
module provides ``export(inventory) -> str`` (or, for ``csv``, ``export_files(inventory)`` returning
``{file name: text}``).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import StackmapError, UsageError
from ..hints import suggest

IMPORTERS: dict[str, str] = {
    "archimate": "stackmap.interop.importers.archimate",
    "backstage": "stackmap.interop.importers.backstage",
    "csv": "stackmap.interop.importers.csv",
    "xlsx": "stackmap.interop.importers.xlsx",
}
"""Import format → module."""

EXPORTERS: dict[str, str] = {
    "csv": "stackmap.interop.exporters.csv",
    "cypher": "stackmap.interop.exporters.cypher",
    "graphml": "stackmap.interop.exporters.graphml",
    "json": "stackmap.interop.exporters.json",
    "structurizr": "stackmap.interop.exporters.structurizr",
}
"""Export format → module."""


class InputError(StackmapError):
    """The input of an import has problems (bad rows, unreadable files): carries all of them."""

    exit_code = 1

    def __init__(self, problems: list[str], notes: list[str] | None = None) -> None:
        self.problems = problems
        self.notes = notes or []
        """What the importer noted on the way (why files or entries were skipped)."""
        n = len(problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the input")


def _pick(kind: str, name: str, registry: dict[str, str]) -> ModuleType:
    if name not in registry:
        raise UsageError(f"unknown {kind} format {name!r}{suggest(name, registry)}; "
                         f"choose one of {', '.join(registry)}")
    return importlib.import_module(registry[name])


def importer(name: str) -> ModuleType:
    """The importer module for ``name``; a :class:`UsageError` listing the choices otherwise."""
    return _pick("import", name, IMPORTERS)


def exporter(name: str) -> ModuleType:
    """The exporter module for ``name``; a :class:`UsageError` listing the choices otherwise."""
    return _pick("export", name, EXPORTERS)
