"""One table (a CSV file or a workbook sheet) → a :class:`Sheet`: its kind, header row and cells.

Shared by the ``csv`` and ``xlsx`` importers. The header row is the first of the top rows that
names the most stackmap columns, so title rows above it (``Marketing tools 2024``) are skipped. A
header cell left empty under a merged cell takes the column name written above it. When two
columns mean one field, the stronger one is used (:func:`..columns.priority`: a team beats a
person, ``Description`` beats ``Notes``; equal ones: the first), and the other is kept under
``x-csv`` with a note: never a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...hints import suggest
from .. import columns as col
from ..draft import Draft

HEADER_SCAN = 20
"""Rows searched for the header."""
EXTRAS = "x-csv"
TOTALS = frozenset({"total", "totals", "grand_total", "subtotal", "sum", "gesamt", "summe", "totaal"})
"""A row whose first filled cell is one of these is a spreadsheet total, not an entry."""


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
    headers: dict[str, str] = field(default_factory=dict)
    """Column → the header it was read from (cells that do not fit are kept under it)."""

    def header(self, column: str) -> str:
        return self.headers.get(column, column)


def kind_of(stem: str, headers: list[str]) -> str | None:
    """The sheet kind from its file or sheet name, else from its columns."""
    normal = col.normalise(stem)
    if normal in col.SHEET_NAMES:
        return col.SHEET_NAMES[normal]
    flows = {col.column_for("flows", h) for h in headers}
    if {"from", "to"} <= flows:
        return "flows"
    normalised = {col.normalise(h) for h in headers}
    systems = {col.column_for("systems", h) for h in headers}
    if normalised & {"customer", "customer_data", "is_customer_data"} and not systems & {
            "vendor", "owner", "lifecycle", "annual_cost"}:
        return "data_categories"
    if normalised & {"aliases", "exclusive"}:
        return "capabilities"
    if systems & {"id", "name"}:
        return "systems"
    return None


def _score(record: list[str]) -> int:
    return max(len({col.column_for(kind, h) for h in record if h.strip()} - {None}) for kind in col.SHEETS)


def header_row(records: list[list[str]]) -> int:
    """The index of the header row among the first :data:`HEADER_SCAN` rows (0 when none names a column)."""
    best, at = 0, 0
    for i, record in enumerate(records[:HEADER_SCAN]):
        score = _score(record)
        if score > best:
            best, at = score, i
    return at


def build(name: str, stem: str, records: list[list[str]], draft: Draft, strict: bool) -> Sheet | None:
    """The sheet, or ``None`` (an error when ``strict``, else a note) if it is not a stackmap sheet."""
    records = [r for r in records]
    if not any(any(c.strip() for c in r) for r in records):
        if strict:
            draft.error(f"{name}:1", "empty file: expected a header row")
        else:
            draft.note(name, "empty: skipped")
        return None
    at = header_row(records)
    headers = [h.strip() for h in records[at]]
    for i, header in enumerate(headers):  # under a merged cell: the name written above
        if not header:
            for above in reversed(records[:at]):
                if i < len(above) and above[i].strip() and any(
                        col.column_for(k, above[i]) for k in col.SHEETS):
                    headers[i] = above[i].strip()
                    break
    where = f"{name}:{at + 1}"
    if at:
        draft.note(where, f"the header is row {at + 1}: the {at} row{'s' if at != 1 else ''} above it "
                   f"{'are' if at != 1 else 'is'} skipped")
    kind = kind_of(stem, headers)
    if kind is None:
        message = "not a stackmap sheet: name it systems or flows, or give it a name column (systems) or " \
                  "from and to columns (flows)"
        if strict:
            draft.error(where, message)
        else:
            draft.note(where, f"{message}: skipped")
        return None
    body = records[at + 1:]
    chosen: dict[str, int] = {}
    for i, header in enumerate(headers):
        column = col.column_for(kind, header)
        if column is None:
            continue
        if column not in chosen or col.priority(kind, header) < col.priority(kind, headers[chosen[column]]):
            chosen[column] = i
    mapped = {i: column for column, i in chosen.items()}
    if kind == "systems" and "owner" in chosen and col.priority(kind, headers[chosen["owner"]]) == 3:
        draft.note(where, f"owner is read from {headers[chosen['owner']]!r}, a column of people: stackmap's owner "
                   "is the owning team; add a team column or edit the owners")
    for i, header in enumerate(headers):
        column = col.column_for(kind, header)
        used = any(len(r) > i and r[i].strip() for r in body)
        if column is not None and i not in mapped and used:
            winner = headers[chosen[column]]
            why = " (a team beats a person)" if column == "owner" and col.priority(kind, header) == 3 else ""
            draft.note(where, f"columns {winner!r} and {header!r} both mean {column!r}: {winner!r} is used"
                       f"{why}, {header!r} is kept under {EXTRAS}")
        elif column is None and header and used:
            draft.note(where, f"column {header!r} is not a stackmap field"
                       f"{suggest(col.normalise(header), col.SHEETS[kind])}: kept under {EXTRAS}, not checked")
    sheet = Sheet(name, kind, headers={column: headers[i] for column, i in chosen.items()})
    for number, record in enumerate(body, start=at + 2):
        if not any(cell.strip() for cell in record):
            continue
        first = next((c.strip() for c in record if c.strip()), "")
        if col.normalise(first) in TOTALS:
            draft.note(f"{name}:{number}", f"a {first!r} row: skipped")
            continue
        cells: dict[str, str] = {}
        extras: dict[str, str] = {}
        for i, cell in enumerate(record):
            if i in mapped:
                cells[mapped[i]] = cell.strip()
            elif cell.strip():
                header = headers[i] if i < len(headers) and headers[i] else f"column {i + 1}"
                extras.setdefault(header, cell.strip())
        sheet.rows.append(Row(number, cells, extras))
    return sheet
