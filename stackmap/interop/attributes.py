"""The attributes every graph export carries, computed in one place.

A system's attributes are its fields (capabilities resolved to their defined ids), the customer-data
categories it stores and where it is written; a flow's are its fields, identity (``key``), customer
data and location. :func:`flat` turns lists into ``a; b`` strings and drops empty values, for
formats that only hold scalars (GraphML).
"""

from __future__ import annotations

import json

from typing import Any

from ..load.inventory import Inventory
from ..load.model import Flow, System
from .columns import join_list

SYSTEM_ATTRIBUTES: tuple[str, ...] = ("name", "vendor", "owner", "description", "lifecycle", "capabilities",
                                      "data", "customer_data", "roles", "annual_cost", "it_reviewed", "tags",
                                      "file", "line")
FLOW_ATTRIBUTES: tuple[str, ...] = ("key", "id", "data", "customer_data", "mechanism", "frequency",
                                    "description", "file", "line")


def system(inventory: Inventory, s: System) -> dict[str, Any]:
    """Every attribute of a system, ``None`` for a field not given."""
    where = inventory.system_locations.get(s.id)
    return {
        "name": s.name,
        "vendor": s.vendor,
        "owner": s.owner,
        "description": s.description,
        "lifecycle": s.lifecycle,
        "capabilities": list(inventory.capabilities_of(s)),
        "data": list(s.data),
        "customer_data": inventory.customer_data(s.data),
        "roles": list(s.roles),
        "annual_cost": s.annual_cost,
        "it_reviewed": s.it_reviewed,
        "tags": list(s.tags),
        "file": where.file if where else None,
        "line": where.line if where else None,
    }


def flow(inventory: Inventory, f: Flow) -> dict[str, Any]:
    """Every attribute of a flow, ``None`` for a field not given."""
    where = inventory.flow_locations.get(f.key)
    return {
        "key": f.key,
        "id": f.id,
        "data": list(f.data),
        "customer_data": inventory.customer_data(f.data),
        "mechanism": f.mechanism,
        "frequency": f.frequency,
        "description": f.description,
        "file": where.file if where else None,
        "line": where.line if where else None,
    }


def flat(attributes: dict[str, Any]) -> dict[str, str | int | float | bool]:
    """Scalars only: lists joined with ``; `` (as a JSON array when an item holds ``;`` itself, so the
    list reads back unambiguously), ``None`` and empty lists left out."""
    out: dict[str, str | int | float | bool] = {}
    for name, value in attributes.items():
        if value is None or value == []:
            continue
        out[name] = _joined(value) if isinstance(value, list) else value
    return out


def _joined(items: list[str]) -> str:
    try:
        return join_list(items)
    except ValueError:
        return json.dumps(items, ensure_ascii=False)
