"""What one file yields on its own: :class:`FileResult` (the unit of the cache) and :class:`FileDoc`
(a valid file in a load, able to point back into its text).

:func:`stackmap.load.validate.read_file` makes a file's :class:`FileResult` (or the cache gives it
back); :func:`stackmap.load.loader.load` makes a :class:`FileDoc` of each valid one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel
from yaml.nodes import Node

from ..errors import Problem
from .model import CapabilityDef, DataCategoryDef, Flow, InventoryFile, System
from .sources import Source
from .yaml_scalars import YamlProblem
from .yamlio import compose, locate

SECTION_MODELS: dict[str, type[BaseModel]] = {
    "systems": System,
    "flows": Flow,
    "capabilities": CapabilityDef,
    "data_categories": DataCategoryDef,
}


@dataclass
class FileDoc:
    """One valid file: its model, and what is needed to point back into it."""

    source: Source
    content: InventoryFile
    marks: dict[str, list[tuple[int, int]]]
    """0-based (line, column) of every entry of every section, by section and index."""
    valid: dict[str, list[tuple[int, Any]]] | None = None
    """For a file with invalid entries: the entries that are valid, by section (else ``None``)."""
    ignores: dict[str, dict[int, list[tuple[str, str, int, int]]]] = field(default_factory=dict)
    """Inline waivers (``x-stackmap-ignore``): section → entry index → (rule, reason, line, column)."""
    refs: list[tuple[int, str, str]] = field(default_factory=list)
    """The ``from``/``to`` of flows that failed validation (index, end, system id): checked against
    the systems all the same, so a bad mechanism does not hide a dangling reference."""
    derived: dict[str, Any] = field(default_factory=dict, repr=False)
    """What later stages compute from this file alone (its share of the join), kept with its
    :class:`FileResult` so an unchanged file is not walked again; never stored on disk."""
    _text: str | None = field(default=None, repr=False)
    _tree: Any = field(default=None, repr=False)
    _composed: bool = field(default=False, repr=False)

    @property
    def text(self) -> str:
        """The file's text (decoded on first use: a file read from the cache is not decoded)."""
        if self._text is None:
            self._text = decode(self.source)
        return self._text

    def entries(self, section: str) -> list[tuple[int, Any]]:
        """The valid entries of ``section`` with their index in the file."""
        if self.valid is not None:
            return self.valid.get(section, [])
        return list(enumerate(getattr(self.content, section) or ()))

    def mark_of(self, section: str, index: int) -> tuple[int, int]:
        """1-based (line, column) of entry ``index`` of ``section``."""
        line, col = self.marks[section][index]
        return line + 1, col + 1

    def node(self, path: tuple[object, ...], key: bool = False) -> Node | None:
        """The node of the value (or key) at ``path``, or the deepest one reached; composes the file once."""
        if not self._composed:
            self._tree = compose(self.text)
            self._composed = True
        return locate(self._tree, path, key)

    def where(self, path: tuple[object, ...], key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value (or key) at ``path``; composes the file once."""
        node = self.node(path, key)
        if node is None:
            return 1, 1
        return node.start_mark.line + 1, node.start_mark.column + 1

    def problem(self, path: tuple[object, ...], message: str, key: bool = False) -> Problem:
        line, col = self.where(path, key)
        return Problem(self.source.display, line, col, message)


FileKind = Literal["error", "empty", "skipped", "inventory"]

FLOW_REFS = "flow-refs"
"""Key in :attr:`FileResult.claimed` for the references of flows that failed validation
(``index<TAB>end<TAB>system id``), so they survive the cache like the claimed ids."""


@dataclass
class FileResult:
    """What one file contributes on its own, whatever the other files say: the unit of the cache."""

    kind: FileKind
    """``error``: unreadable (problems only); ``empty``: no document; ``skipped``: not an inventory
    (a walked file, clarification 1); ``inventory``: validated (possibly with invalid entries)."""
    problems: list[tuple[int, int, str]] = field(default_factory=list)
    """1-based (line, column, message) of every problem in the file."""
    content: InventoryFile | None = None
    valid: dict[str, list[tuple[int, Any]]] | None = None
    marks: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    claimed: dict[str, list[str]] = field(default_factory=dict)
    """Ids written on invalid entries, by section."""
    ignores: dict[str, dict[int, list[tuple[str, str, int, int]]]] = field(default_factory=dict)
    """Inline waivers by section and entry index: (rule, reason, 1-based line, column)."""
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Results later stages derive from this file alone (see :attr:`FileDoc.derived`); in memory only."""


def decode(source: Source) -> str:
    """The file's text; raises :class:`YamlProblem` at the first byte that is not UTF-8."""
    data = source.data
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n")
        col = exc.start - (before.rfind(b"\n") + 1)
        raise YamlProblem(
            line, col, f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded (save the file as UTF-8)"
        ) from None
