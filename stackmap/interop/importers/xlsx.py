"""``stackmap import xlsx``: Excel workbooks (``.xlsx``, ``.xlsm``), as inventories, SaaS-management
tools and EA tools export them.

Every sheet is a table like a CSV file (:mod:`.sheet`: recognised by its name or columns, header
found below title rows, merged header cells read from above); a sheet that is not a stackmap sheet
(a README, a pivot table) is skipped with a note. ``--sheet NAME`` reads that sheet only. Cells are
read with openpyxl in read-only mode, values only (a formula gives its last computed value), and
written as text: whole numbers without ``.0``, dates as ``2024-05-02``. Rows are numbered as in
Excel; a place is written ``tools.xlsx[Applications]:5``.

A workbook is a zip archive: one whose parts would unpack to more than :data:`MAX_UNPACKED` bytes is
refused before it is opened, and at most :data:`MAX_ROWS` rows and :data:`MAX_COLUMNS` columns of
a sheet are read.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from ..draft import Draft, ImportOptions
from ..files import display, expand, read_bytes
from .sheet import Sheet, build
from .sheet_map import read_sheets

SUFFIXES = (".xlsx", ".xlsm")
MAX_UNPACKED = 512 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 500


def read(paths: list[Path], options: ImportOptions) -> Draft:
    draft = Draft()
    sheets: list[Sheet] = []
    titles: list[str] = []
    for path in expand(paths, SUFFIXES, recursive=False, exclude=options.exclude, draft=draft):
        name = display(path)
        draft.sources.append(name)
        sheets.extend(_workbook(path, name, options.sheet, draft, titles))
    if options.sheet is not None and not draft.errors and options.sheet not in titles:
        draft.error(", ".join(draft.sources), f"--sheet {options.sheet!r}: no sheet has this name (the sheets "
                    f"are {', '.join(repr(t) for t in dict.fromkeys(titles)) or 'none'})")
    read_sheets(sheets, draft, options, ", ".join(draft.sources))
    return draft


def _workbook(path: Path, name: str, only: str | None, draft: Draft, titles: list[str]) -> list[Sheet]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    data = read_bytes(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile:
        why = "an old .xls workbook? save it as .xlsx" if data.startswith(b"\xd0\xcf\x11\xe0") else \
            "not a zip archive"
        draft.error(name, f"not an Excel .xlsx workbook ({why})")
        return []
    if unpacked > MAX_UNPACKED:
        draft.error(name, f"the workbook unpacks to {unpacked:,} bytes: more than the {MAX_UNPACKED:,} an import reads")
        return []
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError, zipfile.BadZipFile, TypeError) as exc:
        draft.error(name, f"not a readable Excel workbook: {exc}")
        return []
    out: list[Sheet] = []
    try:
        for worksheet in book.worksheets:
            title = str(worksheet.title)
            titles.append(title)
            if only is not None and title != only:
                continue
            records: list[list[str]] = []
            for row in worksheet.iter_rows(values_only=True, max_row=MAX_ROWS, max_col=MAX_COLUMNS):
                records.append([_text(v) for v in row])
            if len(records) >= MAX_ROWS:
                draft.note(f"{name}[{title}]", f"only the first {MAX_ROWS:,} rows are read")
            sheet = build(f"{name}[{title}]", title, records, draft, strict=only is not None)
            if sheet is not None:
                out.append(sheet)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, TypeError) as exc:
        draft.error(name, f"not a readable Excel workbook: {exc}")
        return []
    finally:
        book.close()
    return out


def _text(value: Any) -> str:
    """A cell's value as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)
