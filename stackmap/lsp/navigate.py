"""Go to definition, find references, rename, and the outline (document and workspace symbols)."""

from __future__ import annotations

import re

from lsprotocol import types

from ..load.model import ID_PATTERN
from .index import Occurrence, Span
from .state import State


def _range(span: Span) -> types.Range:
    return types.Range(types.Position(span.line, span.column), types.Position(span.end_line, span.end_column))


def at(state: State, uri: str, pos: types.Position) -> tuple[str, Occurrence] | None:
    """The id under the cursor, with the file it is in."""
    display = state.display(uri)
    if display is None:
        return None
    state.loaded()
    occ = state.index(display).at(pos.line, pos.character)
    return (display, occ) if occ is not None else None


def definition(state: State, uri: str, pos: types.Position) -> list[types.Location] | None:
    found = at(state, uri, pos)
    if found is None:
        return None
    occ = found[1]
    names = [occ.name]
    if occ.kind == "capability" and not occ.definition:
        target = state.catalog().aliases.get(occ.name)
        if target is not None:  # an alias: its capability's definition as well
            names.append(target)
    out = [types.Location(state.uri(d), _range(o.span))
           for name in names for d, o in state.occurrences(occ.kind, name) if o.definition]
    return out or None


def references(state: State, uri: str, pos: types.Position, declaration: bool) -> list[types.Location] | None:
    found = at(state, uri, pos)
    if found is None:
        return None
    occ = found[1]
    return [types.Location(state.uri(d), _range(o.span))
            for d, o in state.occurrences(occ.kind, occ.name) if declaration or not o.definition]


class RenameError(ValueError):
    """A rename that would make the inventory invalid."""


def prepare_rename(state: State, uri: str, pos: types.Position) -> types.Range | None:
    found = at(state, uri, pos)
    return _range(found[1].span) if found is not None else None


def rename(state: State, uri: str, pos: types.Position, new_name: str) -> types.WorkspaceEdit | None:
    """Every occurrence of the id under the cursor, in every file, renamed in one edit."""
    found = at(state, uri, pos)
    if found is None:
        return None
    occ = found[1]
    if not re.match(ID_PATTERN, new_name):
        raise RenameError(f"{new_name!r} is not a valid id: use lowercase letters, digits, '.', '_' and '-'")
    changes: dict[str, list[types.TextEdit]] = {}
    for display, o in state.occurrences(occ.kind, occ.name):
        changes.setdefault(state.uri(display), []).append(types.TextEdit(_range(o.span), new_name))
    return types.WorkspaceEdit(changes=changes)


def document_symbols(state: State, uri: str) -> list[types.DocumentSymbol]:
    display = state.display(uri)
    if display is None:
        return []
    state.loaded()
    out: list[types.DocumentSymbol] = []
    for entry in state.index(display).entries:
        fields = entry.fields
        if entry.section == "systems":
            name, kind, detail = fields.get("id", "?"), types.SymbolKind.Class, fields.get("name")
        else:
            name = f"{fields.get('from', '?')} → {fields.get('to', '?')}"
            kind, detail = types.SymbolKind.Event, None
        span = _range(entry.span)
        out.append(types.DocumentSymbol(name=name, kind=kind, range=span, selection_range=span, detail=detail))
    return out


def workspace_symbols(state: State, query: str) -> list[types.WorkspaceSymbol]:
    """Systems and capabilities whose id or name contains ``query`` (case-insensitive)."""
    cat = state.catalog()
    q = query.lower()
    out: list[types.WorkspaceSymbol] = []
    for sid, (system, place) in sorted(cat.systems.items()):
        if q in sid or q in system.name.lower():
            out.append(types.WorkspaceSymbol(
                name=sid, kind=types.SymbolKind.Class, container_name=system.name,
                location=types.Location(state.uri(place.file), _point(place.line, place.column))))
    for cid, (cap, place) in sorted(cat.capabilities.items()):
        if q in cid or q in (cap.name or "").lower():
            out.append(types.WorkspaceSymbol(
                name=cid, kind=types.SymbolKind.Interface, container_name=cap.name,
                location=types.Location(state.uri(place.file), _point(place.line, place.column))))
    return out[:1000]


def _point(line: int, column: int) -> types.Range:
    return types.Range(types.Position(line, column), types.Position(line, column))
