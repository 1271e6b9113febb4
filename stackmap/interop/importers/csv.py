"""``stackmap import csv``: spreadsheets (Excel, Google Sheets, Numbers) saved as CSV.

Give the sheets as files or a folder: ``systems.csv`` and ``flows.csv`` (optionally
``capabilities.csv`` and ``data_categories.csv``, as ``stackmap export csv`` writes them). A sheet
is recognised by its file name, else by its columns (``from`` and ``to``: flows). Headers are
matched loosely (``System``, ``Tool`` or ``Application`` for ``name``; ``Source``/``Target`` for
``from``/``to``; see :mod:`stackmap.interop.columns`). Comma, semicolon and tab separated files,
UTF-8 (with or without BOM), UTF-16 and Windows-1252 are read. Rows are numbered as in the
spreadsheet (the header is row 1).

Bad cells (an unknown lifecycle, a cost that is not a number, a flow to a system not in the sheet)
are errors naming ``file:row``; columns stackmap does not know are kept under ``x-csv`` and reported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...hints import suggest
from ...load.model import LIFECYCLES, MECHANISMS
from .. import columns as col
from ..draft import Draft, Entry, Ids, ImportOptions, is_id, slugify
from ..files import display, expand, read_bytes

SUFFIXES = (".csv", ".tsv")


@dataclass
class Row:
    number: int
    cells: dict[str, str]
    extras: dict[str, str]


@dataclass
class Sheet:
    name: str
    kind: str
    rows: list[Row] = field(default_factory=list)


def read(paths: list[Path], options: ImportOptions) -> Draft:
    draft = Draft()
    sheets: list[Sheet] = []
    for path in expand(paths, SUFFIXES, recursive=False):
        draft.sources.append(display(path))
        sheet = _sheet(path, draft)
        if sheet is not None:
            sheets.append(sheet)
    kinds = {kind: [s for s in sheets if s.kind == kind] for kind in col.SHEETS}
    if not kinds["systems"]:
        draft.error(", ".join(draft.sources), "no systems sheet (a file named systems.csv, or with a "
                    "name column)")
        return draft
    categories = _data_categories(kinds["data_categories"], draft)
    _capabilities(kinds["capabilities"], draft)
    lookup = _systems(kinds["systems"], draft, categories)
    _flows(kinds["flows"], draft, lookup, categories)
    return draft


# ---- reading a sheet ---------------------------------------------------------------------------

def _decode(data: bytes, name: str, draft: Draft) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        draft.note(name, "not UTF-8: read as Windows-1252 (check accented letters)")
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts.values())
    return next(d for d in (",", ";", "\t") if counts[d] == best) if best else ","


def _kind(path: Path, headers: list[str]) -> str | None:
    stem = col.normalise(path.stem)
    if stem in col.SHEET_NAMES:
        return col.SHEET_NAMES[stem]
    flows = {col.column_for("flows", h) for h in headers}
    if {"from", "to"} <= flows:
        return "flows"
    normalised = {col.normalise(h) for h in headers}
    if normalised & {"customer", "customer_data", "is_customer_data"}:
        return "data_categories"
    if normalised & {"aliases", "exclusive"}:
        return "capabilities"
    systems = {col.column_for("systems", h) for h in headers}
    if systems & {"id", "name"}:
        return "systems"
    return None


def _sheet(path: Path, draft: Draft) -> Sheet | None:
    name = display(path)
    text = _decode(read_bytes(path), name, draft)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True))
    except csv.Error as exc:
        draft.error(name, f"not a readable CSV file: {exc}")
        return None
    if not records:
        draft.error(f"{name}:1", "empty file: expected a header row")
        return None
    headers = records[0]
    kind = _kind(path, headers)
    if kind is None:
        draft.error(f"{name}:1", "not a stackmap sheet: name the file systems.csv or flows.csv, or give "
                    "it a name column (systems) or from and to columns (flows)")
        return None
    mapped: dict[int, str] = {}
    seen: dict[str, str] = {}
    for i, header in enumerate(headers):
        column = col.column_for(kind, header)
        if column is None:
            if header.strip() and any(len(r) > i and r[i].strip() for r in records[1:]):
                draft.note(f"{name}:1", f"column {header.strip()!r} is not a stackmap field"
                           f"{suggest(col.normalise(header), col.SHEETS[kind])}: kept under x-csv, not checked")
            continue
        if column in seen:
            draft.error(f"{name}:1", f"columns {seen[column]!r} and {header.strip()!r} both mean {column!r}")
            continue
        seen[column] = header.strip()
        mapped[i] = column
    sheet = Sheet(name, kind)
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells: dict[str, str] = {}
        extras: dict[str, str] = {}
        for i, cell in enumerate(record):
            if i in mapped:
                cells[mapped[i]] = cell.strip()
            elif cell.strip():
                header = headers[i].strip() if i < len(headers) and headers[i].strip() else f"column {i + 1}"
                extras[header] = cell.strip()
        sheet.rows.append(Row(number, cells, extras))
    return sheet


# ---- definitions ------------------------------------------------------------------------------

def _data_categories(sheets: list[Sheet], draft: Draft) -> set[str]:
    defined: dict[str, str] = {}
    for sheet in sheets:
        for row in sheet.rows:
            where = f"{sheet.name}:{row.number}"
            ident = _ident(row, where, draft, "data category")
            if ident is None:
                continue
            if ident in defined:
                draft.error(where, f"data category {ident!r} is already defined at {defined[ident]}")
                continue
            values: dict[str, Any] = {"id": ident, "name": row.cells.get("name") or None}
            if row.cells.get("customer"):
                try:
                    values["customer"] = col.parse_bool(row.cells["customer"])
                except ValueError as exc:
                    draft.error(where, f"customer: {exc}")
                    continue
            defined[ident] = where
            draft.data_categories.append(Entry(values, where, extras=_extras(row)))
    return set(defined)


def _capabilities(sheets: list[Sheet], draft: Draft) -> None:
    defined: dict[str, str] = {}
    for sheet in sheets:
        for row in sheet.rows:
            where = f"{sheet.name}:{row.number}"
            ident = _ident(row, where, draft, "capability")
            if ident is None:
                continue
            if ident in defined:
                draft.error(where, f"capability {ident!r} is already defined at {defined[ident]}")
                continue
            values: dict[str, Any] = {"id": ident, "name": row.cells.get("name") or None,
                                      "aliases": [slugify(a) for a in col.split_list(row.cells.get("aliases", ""))]}
            if row.cells.get("exclusive"):
                try:
                    values["exclusive"] = col.parse_bool(row.cells["exclusive"])
                except ValueError as exc:
                    draft.error(where, f"exclusive: {exc}")
                    continue
            defined[ident] = where
            draft.capabilities.append(Entry(values, where, extras=_extras(row)))


def _ident(row: Row, where: str, draft: Draft, what: str) -> str | None:
    raw = row.cells.get("id") or row.cells.get("name") or ""
    if not raw:
        draft.error(where, f"a {what} needs an id")
        return None
    ident = slugify(raw)
    if ident != raw:
        draft.note(where, f"{what} {raw!r} written as {ident!r}")
    return ident


def _extras(row: Row) -> dict[str, dict[str, str]]:
    return {"x-csv": dict(row.extras)} if row.extras else {}


# ---- systems and flows ------------------------------------------------------------------------

@dataclass
class Lookup:
    """What a flow may write in ``from``/``to`` (an id, a name, any case) → the system id."""

    ids: dict[str, str] = field(default_factory=dict)
    shared: dict[str, list[str]] = field(default_factory=dict)
    """Names that several systems have → their ids."""
    rejected: set[str] = field(default_factory=set)
    """Ids and names of rows with errors: flows to them are not reported again."""

    def add(self, ident: str, keys: tuple[str, ...]) -> None:
        for key in dict.fromkeys(k for k in keys if k):
            if key in self.ids and self.ids[key] != ident:
                self.shared.setdefault(key, [self.ids[key]]).append(ident)
            self.ids.setdefault(key, ident)

    def find(self, value: str) -> tuple[str | None, str]:
        """(system id or ``None``, the key that matched)."""
        for key in (value, value.lower(), slugify(value)):
            if key in self.ids:
                return self.ids[key], key
        return None, value


def _systems(sheets: list[Sheet], draft: Draft, categories: set[str]) -> Lookup:
    """Read every systems row; return the lookup for the flows."""
    rows = [(f"{sheet.name}:{row.number}", row) for sheet in sheets for row in sheet.rows]
    ids = Ids()
    explicit: dict[str, str] = {}
    for where, row in rows:  # written ids first, so a derived id never takes one
        raw = row.cells.get("id", "")
        if raw:
            ident = slugify(raw, "system")
            if ident in explicit:
                draft.error(where, f"system id {ident!r} is already used at {explicit[ident]}")
                continue
            explicit[ident] = where
            ids.claim(ident)
    lookup = Lookup()
    for where, row in rows:
        cells = row.cells
        name = cells.get("name", "")
        raw = cells.get("id", "")
        if not name:
            draft.error(where, "a system needs a name" + (f" (id {raw!r})" if raw else ""))
            lookup.rejected.update((raw, raw.lower(), slugify(raw)) if raw else ())
            continue
        if raw:
            ident = slugify(raw, "system")
            if explicit.get(ident) != where:
                continue
            if ident != raw:
                draft.note(where, f"id {raw!r} is not a valid id: written as {ident!r}")
        else:
            wanted = slugify(name, "system")
            ident = ids.claim(wanted)
            if ident != wanted:
                draft.note(where, f"{name!r} gets the id {ident!r}: {wanted!r} is taken")
        comments: list[str] = []
        values = _system_values(ident, cells, where, draft, categories, comments)
        if values is None:
            lookup.rejected.update((raw, raw.lower(), name, name.lower(), ident))
            continue
        draft.systems.append(Entry(values, where, comments, _extras(row)))
        lookup.add(ident, (ident, raw, raw.lower(), name, name.lower()))
    return lookup


def _choose(cell: str, synonyms: dict[str, str], what: str, valid: tuple[str, ...],
            comments: list[str]) -> str:
    value = col.choose(cell, synonyms, what, valid)
    if col.normalise(cell) != value:
        comments.append(f"{what} {cell!r} written as {value!r}")
    return value


def _system_values(ident: str, cells: dict[str, str], where: str, draft: Draft,
                   categories: set[str], comments: list[str]) -> dict[str, Any] | None:
    values: dict[str, Any] = {"id": ident, "name": cells["name"]}
    for name in ("vendor", "owner", "description"):
        values[name] = cells.get(name) or None
    values["capabilities"] = _unique(slugify(c) for c in col.split_list(cells.get("capabilities", "")))
    values["data"] = _data(cells.get("data", ""), where, draft, categories)
    values["roles"] = _unique(col.role(r) for r in col.split_list(cells.get("roles", "")))
    values["tags"] = _unique(col.split_list(cells.get("tags", "")))
    ok = True
    try:
        if cells.get("lifecycle"):
            lifecycle = _choose(cells["lifecycle"], col.LIFECYCLE_SYNONYMS, "lifecycle", LIFECYCLES, comments)
            values["lifecycle"] = None if lifecycle == "active" else lifecycle
    except ValueError as exc:
        draft.error(where, f"lifecycle: {exc}")
        ok = False
    try:
        if cells.get("annual_cost"):
            values["annual_cost"] = col.parse_cost(cells["annual_cost"])
    except ValueError as exc:
        draft.error(where, f"annual_cost: {exc}")
        ok = False
    try:
        if cells.get("it_reviewed"):
            values["it_reviewed"] = col.parse_bool(cells["it_reviewed"])
    except ValueError as exc:
        draft.error(where, f"it_reviewed: {exc}")
        ok = False
    return values if ok else None


def _data(cell: str, where: str, draft: Draft, categories: set[str]) -> list[str]:
    out: list[str] = []
    for item in col.split_list(cell):
        category = slugify(item, "data")
        if category not in categories:
            category = col.DATA_SYNONYMS.get(category, category)
        draft.use_category(category, where)
        out.append(category)
    return _unique(out)


def _unique(items: Any) -> list[str]:
    return list(dict.fromkeys(items))


def _flows(sheets: list[Sheet], draft: Draft, systems: Lookup, categories: set[str]) -> None:
    known = sorted(set(systems.ids.values()))
    ids: dict[str, str] = {}
    told: set[str] = set()
    for sheet in sheets:
        for row in sheet.rows:
            where = f"{sheet.name}:{row.number}"
            cells = row.cells
            ends: dict[str, str] = {}
            comments: list[str] = []
            for end in ("from", "to"):
                value = cells.get(end, "")
                found, key = systems.find(value)
                if not value:
                    draft.error(where, f"a flow needs a {end!r} system")
                elif found is not None:
                    ends[end] = found
                    if key in systems.shared:
                        comments.append(f"{end}: {value!r} names {', '.join(systems.shared[key])}: "
                                        f"{found!r} chosen")
                        if key not in told:
                            told.add(key)
                            draft.note(where, f"{value!r} names several systems "
                                       f"({', '.join(systems.shared[key])}): flows use {found!r}; write ids")
                elif not {value, value.lower(), slugify(value)} & systems.rejected:
                    draft.error(where, f"{end}: no system {value!r} in the systems sheet"
                                f"{suggest(slugify(value), known)}")
            values: dict[str, Any] = {"from": ends.get("from"), "to": ends.get("to")}
            ok = len(ends) == 2
            if ok and ends["from"] == ends["to"]:
                draft.error(where, f"a flow from {ends['from']!r} to itself")
                ok = False
            raw = cells.get("id", "")
            if raw:
                ident = slugify(raw, "flow")
                if ident != raw:
                    draft.note(where, f"flow id {raw!r} is not a valid id: written as {ident!r}")
                if ident in ids:
                    draft.error(where, f"flow id {ident!r} is already used at {ids[ident]}")
                    ok = False
                ids.setdefault(ident, where)
                values["id"] = ident
            values["data"] = _data(cells.get("data", ""), where, draft, categories)
            try:
                if cells.get("mechanism"):
                    values["mechanism"] = _choose(cells["mechanism"], col.MECHANISM_SYNONYMS,
                                                  "mechanism", MECHANISMS, comments)
            except ValueError as exc:
                draft.error(where, f"mechanism: {exc}")
                ok = False
            values["frequency"] = cells.get("frequency") or None
            values["description"] = cells.get("description") or None
            if ok:
                draft.add_flow(Entry(values, where, comments, _extras(row)))
