"""``stackmap import csv``: spreadsheets (Excel, Google Sheets, Numbers) saved as CSV.

Give the sheets as files or a folder: ``systems.csv`` and ``flows.csv`` (optionally
``capabilities.csv`` and ``data_categories.csv``, as ``stackmap export csv`` writes them). A sheet
is recognised by its file name, else by its columns (``from`` and ``to``: flows). Headers are
matched loosely (``System``, ``Tool`` or ``Application`` for ``name``; ``Source``/``Target`` for
``from``/``to``; see :mod:`stackmap.interop.columns`), found below title rows, and when two columns
mean one field the stronger is used (:mod:`.sheet`). Comma, semicolon and tab separated files,
UTF-8 (with or without BOM), UTF-16 and Windows-1252 are read. Rows are numbered as in the
spreadsheet. The cells are mapped by :mod:`.sheet_map`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ...hints import spreadsheet_text
from ..draft import Draft, ImportOptions
from ..files import display, expand, read_bytes
from .sheet import Sheet, build
from .sheet_map import read_sheets

SUFFIXES = (".csv", ".tsv")


def read(paths: list[Path], options: ImportOptions) -> Draft:
    draft = Draft()
    sheets: list[Sheet] = []
    for path in expand(paths, SUFFIXES, recursive=False, exclude=options.exclude, draft=draft):
        draft.sources.append(display(path))
        sheet = _sheet(path, draft)
        if sheet is not None:
            sheets.append(sheet)
    read_sheets(sheets, draft, options, ", ".join(draft.sources))
    return draft


def _utf16(data: bytes) -> str | None:
    """The UTF-16 codec of a file without a byte-order mark, judged by where its zero bytes are."""
    head = data[:200]
    if len(head) < 4 or b"\x00" not in head:
        return None
    if head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        return "utf-16-le"
    if head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
        return "utf-16-be"
    return None


def _decode(data: bytes, name: str, draft: Draft) -> str | None:
    codec = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16(data)
    if codec is not None:
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            why = "an odd number of bytes" if len(data) % 2 else \
                f"a broken character (a lone surrogate) at byte {exc.start}"
            draft.error(name, f"not valid UTF-16 ({why}): save the sheet again, as CSV UTF-8")
            return None
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


def _sheet(path: Path, draft: Draft) -> Sheet | None:
    name = display(path)
    text = _decode(read_bytes(path), name, draft)
    if text is None:
        return None
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
        # A cell that `export csv` (or a careful spreadsheet) protected from running as a formula.
        records = [[spreadsheet_text(cell) for cell in record] for record in reader]
    except csv.Error as exc:
        draft.error(name, f"not a readable CSV file: {exc}")
        return None
    return build(name, path.stem, records, draft, strict=True)
