"""ArchiMate properties → inventory fields (``Vendor``, ``Owner``, ``Status``...), shared by
components and relationships."""

from __future__ import annotations

from typing import Any

from ...load.model import LIFECYCLES, MECHANISMS
from .. import columns as col
from ..draft import Draft, slugify
from .archimate_xml import Node

PROPERTY_FIELDS: dict[str, str] = {
    "id": "id", "stackmap_id": "id",
    "vendor": "vendor", "supplier": "vendor", "provider": "vendor", "manufacturer": "vendor",
    "owner": "owner", "owning_team": "owner", "business_owner": "owner", "team": "owner",
    "lifecycle": "lifecycle", "status": "lifecycle", "lifecycle_status": "lifecycle",
    "annual_cost": "annual_cost", "cost": "annual_cost", "yearly_cost": "annual_cost",
    "capabilities": "capabilities", "capability": "capabilities",
    "data": "data", "data_categories": "data", "data_category": "data",
    "roles": "roles", "role": "roles",
    "tags": "tags", "tag": "tags",
    "it_reviewed": "it_reviewed", "reviewed": "it_reviewed",
    "mechanism": "mechanism", "technology": "mechanism", "protocol": "mechanism",
    "frequency": "frequency", "schedule": "frequency",
}
"""Normalised property name → inventory field."""


def prop_key(properties: dict[str, str], wanted: str) -> str:
    return next((k for k in properties if PROPERTY_FIELDS.get(col.normalise(k)) == wanted), "")


def category(value: str, where: str, draft: Draft) -> str:
    category = slugify(value, "data")
    category = col.DATA_SYNONYMS.get(category, category)
    draft.use_category(category, where)
    return category


def properties(node: Node, values: dict[str, Any], origin: str, draft: Draft, comments: list[str],
                unknown: dict[str, int], skip: tuple[str, ...]) -> dict[str, str]:
    """Fill ``values`` from the node's properties; return those that are not fields."""
    extras: dict[str, str] = {}
    for key, text in node.properties.items():
        name = PROPERTY_FIELDS.get(col.normalise(key))
        if name == "id" or (name is None and key == "accessType"):
            continue
        if name is None or name in skip:
            extras[key] = text
            unknown[key] = unknown.get(key, 0) + 1
            continue
        try:
            if name in ("vendor", "owner", "frequency"):
                values[name] = text
            elif name == "lifecycle":
                value = col.choose(text, col.LIFECYCLE_SYNONYMS, "lifecycle", LIFECYCLES)
                values["lifecycle"] = None if value == "active" else value
                if col.normalise(text) != value:
                    comments.append(f"lifecycle {text!r} written as {value!r}")
            elif name == "mechanism":
                values["mechanism"] = col.choose(text, col.MECHANISM_SYNONYMS, "mechanism", MECHANISMS)
                if col.normalise(text) != values["mechanism"]:
                    comments.append(f"mechanism {text!r} written as {values['mechanism']!r}")
            elif name == "annual_cost":
                values["annual_cost"] = col.parse_cost(text)
            elif name == "it_reviewed":
                values["it_reviewed"] = col.parse_bool(text)
            elif name == "capabilities":
                values["capabilities"] = list(dict.fromkeys(slugify(c) for c in col.split_list(text)))
            elif name == "roles":
                values["roles"] = list(dict.fromkeys(col.role(r) for r in col.split_list(text)))
            elif name == "tags":
                values["tags"] = list(dict.fromkeys(col.split_list(text)))
            elif name == "data":
                data = values.setdefault("data", [])
                for item in col.split_list(text):
                    category = category(item, origin, draft)
                    if category not in data:
                        data.append(category)
        except ValueError as exc:
            extras[key] = text
            draft.note(origin, f"property {key!r}: {exc}: left out, kept under x-archimate")
    return extras


