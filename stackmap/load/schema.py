"""The JSON Schema (draft 2020-12) of an inventory file, generated from :mod:`stackmap.load.model`.

Editors use it through the ``# yaml-language-server: $schema=…`` modeline to complete and check
inventory files as they are typed. The models stay the source of truth: the schema adds only what
the loader allows around them (``x-`` keys anywhere, and the ``x-stackmap-ignore`` form on systems
and flows). A committed copy lives in ``schema/inventory.schema.json``; a test keeps it current.
"""

from __future__ import annotations

import json
from typing import Any

from .model import InventoryFile
from .yamlio import IGNORE_KEY

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:stackmap:schema:inventory:v1"
"""A stable identifier, not a download address: point the modeline at a copy of the file."""

IGNORE_SCHEMA: dict[str, Any] = {
    "description": "Inline waivers: rule id → the reason the finding is accepted.",
    "type": "object",
    "propertyNames": {"pattern": "^[a-z]+(-[a-z]+)*$"},
    "additionalProperties": {"type": "string", "minLength": 1},
    "minProperties": 1,
}


def inventory_schema() -> dict[str, Any]:
    """The schema as a dict, keys in a stable order."""
    generated = InventoryFile.model_json_schema(by_alias=True, mode="validation")
    for name, definition in generated.get("$defs", {}).items():
        _allow_extensions(definition)
        if name in ("System", "Flow"):
            definition["properties"][IGNORE_KEY] = IGNORE_SCHEMA
    _allow_extensions(generated)
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": "stackmap inventory file",
        "description": "One YAML file of a stackmap inventory: systems, flows, capabilities and data "
                       "categories. Keys starting with `x-` are ignored by stackmap.",
        **{k: v for k, v in generated.items() if k not in ("title", "description")},
    }


def _allow_extensions(definition: dict[str, Any]) -> None:
    if definition.get("additionalProperties") is False:
        definition["patternProperties"] = {"^x-": {}}


def schema_text() -> str:
    return json.dumps(inventory_schema(), indent=2, ensure_ascii=False) + "\n"
