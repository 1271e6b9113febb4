"""Where things are in an inventory's files, and the inline waivers written there.

:class:`Location` is what every finding, problem and report points at; :class:`Ignore` is an inline
waiver (``x-stackmap-ignore``), read and checked per file by :mod:`stackmap.load.validate` and placed
here with its file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .results import FileDoc


@dataclass(frozen=True, order=True)
class Location:
    """A place in an inventory file (1-based line and column)."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Ignore:
    """An inline waiver: ``x-stackmap-ignore: {rule-id: reason}`` on a system or a flow."""

    rule: str
    reason: str
    location: Location


def ignores_of(doc: FileDoc, section: str, index: int) -> tuple[Ignore, ...]:
    """The entry's inline waivers, read and checked per file by the loader."""
    found = doc.ignores.get(section, {}).get(index, ())
    return tuple(Ignore(rule, reason, Location(doc.source.display, line, col))
                 for rule, reason, line, col in found)
