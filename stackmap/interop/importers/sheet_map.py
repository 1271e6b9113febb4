"""Sheets → draft entries: data categories, capabilities, systems and flows, row by row.

Shared by the ``csv`` and ``xlsx`` importers. Bad cells (an unknown lifecycle, a cost that is not a
number, a flow to a system not in the sheet) are errors naming ``file:row``. A value in a data
column that is not a data category (built in, defined in a data categories sheet, a common word for
one, or mapped with ``--data-map VALUE=CATEGORY``) is never made into one: the cell is kept under
``x-csv`` and the values are listed in one note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...hints import suggest
from ...load.model import LIFECYCLES, MECHANISMS
from .. import columns as col
from ..draft import Draft, Entry, Ids, ImportOptions, slugify
from .sheet import EXTRAS, Row, Sheet
from .sheet_data import Data, Loose


def read_sheets(sheets: list[Sheet], draft: Draft, options: ImportOptions, where: str) -> None:
    """Map every sheet into ``draft`` unless reading them already failed; ``where`` names the input when
    there is no systems sheet. A systems sheet with no rows is the draft's empty reason."""
    if draft.errors:
        return
    kinds = {kind: [s for s in sheets if s.kind == kind] for kind in col.SHEETS}
    if not kinds["systems"]:
        draft.error(where, "no systems sheet (a file or sheet named systems, or with a name column)")
        return
    categories = _data_categories(kinds["data_categories"], draft)
    data = Data(categories, options.data_map)
    loose = Loose()
    _capabilities(kinds["capabilities"], draft)
    lookup = _systems(kinds["systems"], draft, data, loose)
    _flows(kinds["flows"], draft, lookup, data, loose)
    data.report(draft)
    loose.report(draft)
    counts = ", ".join(f"{len(kinds[k])} {k.replace('_', ' ')}" for k in col.SHEETS if kinds[k])
    rows = sum(len(s.rows) for s in kinds["systems"])
    draft.summary.append(f"read {len(sheets)} sheet{'s' if len(sheets) != 1 else ''} ({counts}); {len(draft.systems)} "
                         f"of {rows} system rows and {len(draft.flows)} flows mapped; {len(data.unknown)} data "
                         "values that are not categories kept under x-csv")
    if not draft.systems and not draft.errors:
        draft.empty_reason = "the systems sheet has no rows"


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
    return {EXTRAS: dict(row.extras)} if row.extras else {}


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


def _systems(sheets: list[Sheet], draft: Draft, data: Data, loose: Loose) -> Lookup:
    """Read every systems row; return the lookup for the flows."""
    rows = [(f"{sheet.name}:{row.number}", row) for sheet in sheets for row in sheet.rows]
    sheet_of = {id(row): sheet for sheet in sheets for row in sheet.rows}
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
            draft.note(where, "a row without a name" + (f" (id {raw!r})" if raw else "") + ": skipped")
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
        sheet = sheet_of[id(row)]
        values = _system_values(ident, row, where, comments, loose, sheet)
        values["data"] = data.read(cells.get("data", ""), where, draft, row, sheet.header("data"))
        draft.systems.append(Entry(values, where, comments, _extras(row)))
        lookup.add(ident, (ident, raw, raw.lower(), name, name.lower()))
    return lookup


def _choose(cell: str, synonyms: dict[str, str], what: str, valid: tuple[str, ...],
            comments: list[str]) -> str:
    value = col.choose(cell, synonyms, what, valid)
    if col.normalise(cell) != value:
        comments.append(f"{what} {cell!r} written as {value!r}")
    return value


def _system_values(ident: str, row: Row, where: str, comments: list[str], loose: Loose,
                   sheet: Sheet) -> dict[str, Any]:
    cells = row.cells
    values: dict[str, Any] = {"id": ident, "name": cells["name"]}
    for name in ("vendor", "owner", "description", "part_of"):
        values[name] = cells.get(name) or None
    values["capabilities"] = _unique(slugify(c) for c in col.split_list(cells.get("capabilities", "")))
    values["roles"] = _unique(col.role(r) for r in col.split_list(cells.get("roles", "")))
    values["tags"] = _unique(col.split_list(cells.get("tags", "")))
    if cells.get("lifecycle"):
        try:
            lifecycle = _choose(cells["lifecycle"], col.LIFECYCLE_SYNONYMS, "lifecycle", LIFECYCLES, comments)
            values["lifecycle"] = None if lifecycle == "active" else lifecycle
        except ValueError:
            loose.add("lifecycle", cells["lifecycle"], sheet.header("lifecycle"), row, where,
                      f"a lifecycle ({', '.join(LIFECYCLES)}; written as active)")
    if cells.get("annual_cost"):
        try:
            values["annual_cost"] = col.parse_cost(cells["annual_cost"])
        except ValueError:
            loose.add("annual_cost", cells["annual_cost"], sheet.header("annual_cost"), row, where, "a number")
    if cells.get("it_reviewed"):
        try:
            values["it_reviewed"] = col.parse_bool(cells["it_reviewed"])
        except ValueError:
            loose.add("it_reviewed", cells["it_reviewed"], sheet.header("it_reviewed"), row, where,
                      "yes or no (true/false, yes/no, 1/0)")
    return values


def _unique(items: Any) -> list[str]:
    return list(dict.fromkeys(items))


def _flows(sheets: list[Sheet], draft: Draft, systems: Lookup, data: Data, loose: Loose) -> None:
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
                    draft.note(where, f"a flow row without a {end!r} system: skipped")
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
                    draft.note(where, f"{end}: no system {value!r} in the systems sheet"
                               f"{suggest(slugify(value), known)}: flow skipped")
            values: dict[str, Any] = {"from": ends.get("from"), "to": ends.get("to")}
            ok = len(ends) == 2
            if ok and ends["from"] == ends["to"]:
                draft.note(where, f"a flow from {ends['from']!r} to itself: skipped")
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
            values["data"] = data.read(cells.get("data", ""), where, draft, row, sheet.header("data"))
            try:
                if cells.get("mechanism"):
                    values["mechanism"] = _choose(cells["mechanism"], col.MECHANISM_SYNONYMS,
                                                  "mechanism", MECHANISMS, comments)
            except ValueError:
                loose.add("mechanism", cells["mechanism"], sheet.header("mechanism"), row, where,
                          f"a mechanism ({', '.join(MECHANISMS)})")
            values["frequency"] = cells.get("frequency") or None
            values["description"] = cells.get("description") or None
            if ok:
                draft.add_flow(Entry(values, where, comments, _extras(row)))
