"""Where every id is written in one file: definitions and references of systems, capabilities and
data categories, and the extent of every system and flow entry.

Built from the YAML event stream (no node tree, no alias expansion), only for a file the loader
parsed without a YAML error, so its size and nesting are already within the limits. Lines and
columns are 0-based, as in the Language Server Protocol.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

Kind = Literal["system", "capability", "category"]


@dataclass(frozen=True)
class Span:
    """A range in a file: 0-based start and end (line, column)."""

    line: int
    column: int
    end_line: int
    end_column: int

    def contains(self, line: int, column: int) -> bool:
        return (self.line, self.column) <= (line, column) <= (self.end_line, self.end_column)


@dataclass(frozen=True)
class Occurrence:
    """An id written in a file."""

    kind: Kind
    name: str
    span: Span
    """The id itself, without quotes."""
    definition: bool


@dataclass(frozen=True)
class Entry:
    """A system or flow entry: for the outline."""

    section: Literal["systems", "flows"]
    index: int
    span: Span
    fields: dict[str, str]
    """Its scalar fields (id, name, from, to, owner) as written."""
    keys: tuple[str, ...]
    """Every key of the entry (to know what is missing)."""


@dataclass
class FileIndex:
    occurrences: list[Occurrence] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)

    def at(self, line: int, column: int) -> Occurrence | None:
        for occ in self.occurrences:
            if occ.span.contains(line, column):
                return occ
        return None


def _kind(path: tuple[Any, ...]) -> tuple[Kind, bool] | None:
    """What the scalar at ``path`` names, and whether it defines it."""
    n = len(path)
    if n < 3 or not isinstance(path[1], int):
        return None
    section, key = path[0], path[2]
    if n == 3:
        if key == "id":
            return {"systems": ("system", True), "capabilities": ("capability", True),
                    "data_categories": ("category", True)}.get(section)  # type: ignore[return-value]
        if section == "flows" and key in ("from", "to"):
            return "system", False
        return None
    if n == 4 and isinstance(path[3], int):
        if key == "data" and section in ("systems", "flows"):
            return "category", False
        if section == "systems" and key == "capabilities":
            return "capability", False
        if section == "capabilities" and key == "aliases":
            return "capability", True
    return None


_ENTRY_FIELDS = ("id", "name", "from", "to", "owner")


def build(text: str) -> FileIndex:
    """The index of one file's text (empty if it is not valid YAML)."""
    index = FileIndex()
    try:
        _walk(text, index)
    except yaml.YAMLError:
        pass
    return index


def _walk(text: str, index: FileIndex) -> None:
    # Each frame: [path, is_mapping, next index or pending key (None: expecting a key), start mark]
    stack: list[list[Any]] = []
    entry_fields: dict[int, dict[str, str]] = {}
    entry_keys: dict[int, list[str]] = {}
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if not stack:
            if isinstance(event, CollectionStartEvent):
                stack.append([(), isinstance(event, MappingStartEvent), None if isinstance(
                    event, MappingStartEvent) else 0, event.start_mark])
            continue
        top = stack[-1]
        path, is_map, state, _ = top
        if is_map and state is None:  # a key
            if isinstance(event, ScalarEvent):
                top[2] = event.value
                if len(path) == 2:
                    entry_keys.setdefault(len(stack), []).append(event.value)
            elif isinstance(event, MappingEndEvent):
                _close(stack, index, entry_fields, entry_keys, event)
            elif isinstance(event, CollectionStartEvent):  # a complex key: skip it as an opaque value
                top[2] = object()
                stack.append([(*path, top[2]), isinstance(event, MappingStartEvent),
                              None if isinstance(event, MappingStartEvent) else 0, event.start_mark])
            else:
                top[2] = object()
            continue
        if isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            _close(stack, index, entry_fields, entry_keys, event)
            continue
        here = (*path, state)
        if isinstance(event, ScalarEvent):
            found = _kind(here)
            if found is not None and event.value:
                quoted = 1 if event.style in ("'", '"') else 0
                start, end = event.start_mark, event.end_mark
                span = Span(start.line, start.column + quoted, end.line, end.column - quoted)
                index.occurrences.append(Occurrence(found[0], event.value, span, found[1]))
            if len(here) == 3 and here[2] in _ENTRY_FIELDS:
                entry_fields.setdefault(len(stack), {})[str(here[2])] = event.value
            _advance(top)
        elif isinstance(event, AliasEvent):
            _advance(top)
        elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            is_mapping = isinstance(event, MappingStartEvent)
            stack.append([here, is_mapping, None if is_mapping else 0, event.start_mark])
            if len(here) == 2:
                entry_fields[len(stack)] = {}
                entry_keys[len(stack)] = []


def _advance(frame: list[Any]) -> None:
    frame[2] = None if frame[1] else frame[2] + 1


def _close(stack: list[list[Any]], index: FileIndex, entry_fields: dict[int, dict[str, str]],
           entry_keys: dict[int, list[str]], event: Any) -> None:
    depth = len(stack)
    path, is_map, _, start = stack.pop()
    if len(path) == 2 and is_map and path[0] in ("systems", "flows") and isinstance(path[1], int):
        end = event.end_mark
        index.entries.append(Entry(path[0], path[1], Span(start.line, start.column, end.line, end.column),
                                   entry_fields.pop(depth, {}), tuple(entry_keys.pop(depth, []))))
    if stack:
        _advance(stack[-1])
