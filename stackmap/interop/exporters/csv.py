"""``stackmap export csv``: the inventory as spreadsheets, written into a folder.

``systems.csv`` and ``flows.csv`` always; ``capabilities.csv`` and ``data_categories.csv`` when the
inventory defines any. Columns are the inventory fields (:data:`stackmap.interop.columns.SHEETS`),
lists are ``a; b``, capabilities and data as written (aliases are not resolved), so that
``stackmap import csv`` reads the folder back into the same inventory. A cell that a spreadsheet
would run as a formula (starting with ``= + - @``, a tab or a carriage return) is written with a
leading ``'`` (:func:`stackmap.hints.spreadsheet_safe`).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ...errors import StackmapError
from ...hints import spreadsheet_safe
from ...load.inventory import Inventory
from .. import columns as col


class ExportError(StackmapError):
    """The inventory holds a value the format cannot carry."""


def _cell(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return col.format_cost(value)
    if isinstance(value, list):
        try:
            return col.join_list([str(v) for v in value])
        except ValueError:
            raise ExportError(f"{where}: the list {value!r} cannot be written to one CSV cell "
                              "(an item contains ';' or a line break, or starts or ends with a space)") from None
    return str(value)


def _sheet(kind: str, rows: list[tuple[str, dict[str, Any]]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = col.SHEETS[kind]
    writer.writerow(header)
    for where, row in rows:
        writer.writerow([spreadsheet_safe(_cell(row.get(name), f"{where}: {name}")) for name in header])
    return buffer.getvalue()


def export_files(inventory: Inventory) -> dict[str, str]:
    """File name → CSV text."""
    systems = [(str(inventory.system_locations.get(s.id, s.id)), s.model_dump()) for s in inventory.systems.values()]
    flows = [(str(inventory.flow_locations.get(f.key, f.key)), f.model_dump(by_alias=True)) for f in inventory.flows]
    files = {"systems.csv": _sheet("systems", systems), "flows.csv": _sheet("flows", flows)}
    if inventory.capabilities:
        files["capabilities.csv"] = _sheet(
            "capabilities", [(c.id, c.model_dump()) for c in inventory.capabilities.values()])
    defined = _defined_categories(inventory)
    if defined:
        files["data_categories.csv"] = _sheet("data_categories", defined)
    return files


def _defined_categories(inventory: Inventory) -> list[tuple[str, dict[str, Any]]]:
    """Data categories defined in the inventory (not the built-ins left as they are)."""
    from ...load.model import BUILTIN_DATA_CATEGORIES

    rows = []
    for cid, customer in inventory.data_categories.items():
        if BUILTIN_DATA_CATEGORIES.get(cid) is customer:
            continue
        rows.append((cid, {"id": cid, "name": None, "customer": customer}))
    return rows
