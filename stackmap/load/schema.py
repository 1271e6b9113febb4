"""The JSON Schema (draft 2020-12) of an inventory file, generated from :mod:`stackmap.load.model`.

Editors use it through the ``# yaml-language-server: $schema=…`` modeline to complete and check
inventory files as they are typed. The models stay the source of truth: the schema adds only what
the loader allows around them (``x-`` keys anywhere, and the ``x-stackmap-ignore`` form on systems
and flows). A committed copy lives in ``schema/inventory.schema.json``; a test keeps it current.

For editors, every field carries a description, a Markdown description and examples
(:mod:`stackmap.load.schema_docs`), and fixed choices describe each value; an optional field is
``"type": ["string", "null"]`` rather than an ``anyOf``, so a wrong value reads "is not of type"
instead of "is not valid under any of the given schemas". A cost must be finite (``maximum``).

The schema checks the data a YAML parser produced; stackmap reads YAML 1.1 (``no`` is false,
``yes`` true), while most editors and ``check-jsonschema`` read YAML 1.2 (both are strings). A plain
``no`` in a list of tags is therefore an error for stackmap and fine for a YAML 1.2 checker, and a
plain ``it_reviewed: yes`` the other way round. docs/output-formats.md says how to make an editor
read files as stackmap does (``yaml.yamlVersion: "1.1"``).
"""

from __future__ import annotations

import json
from typing import Any

from .model import InventoryFile
from .schema_docs import ENUMS, FIELDS, plain
from .yaml_builder import IGNORE_KEY

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:stackmap:schema:inventory:v1"
"""A stable identifier, not a download address: point the modeline at a copy of the file."""

MAX_NUMBER = 1.7976931348623157e308
"""The largest finite double: a ``maximum`` that rejects ``.inf``."""

IGNORE_SCHEMA: dict[str, Any] = {
    "description": "Inline waivers: rule id → the reason the finding is accepted.",
    "markdownDescription": "Inline waivers: rule id → the reason the finding is accepted, e.g. "
                           "`{isolated-system: \"kept for audit until 2026\"}`.",
    "examples": [{"isolated-system": "kept for audit until 2026"}],
    "type": "object",
    "propertyNames": {"pattern": "^[a-z]+(-[a-z]+)*$"},
    "additionalProperties": {"type": "string", "minLength": 1},
    "minProperties": 1,
}


def inventory_schema() -> dict[str, Any]:
    """The schema as a dict, keys in a stable order."""
    generated = InventoryFile.model_json_schema(by_alias=True, mode="validation")
    for name, definition in generated.get("$defs", {}).items():
        _document(definition, FIELDS.get(name, {}))
        _allow_extensions(definition)
        if name in ("System", "Flow"):
            definition["properties"][IGNORE_KEY] = IGNORE_SCHEMA
    _document(generated, FIELDS[""])
    _allow_extensions(generated)
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": "stackmap inventory file",
        "description": "One YAML file of a stackmap inventory: systems, flows, capabilities and data "
                       "categories. Keys starting with `x-` are ignored by stackmap.",
        **{k: v for k, v in generated.items() if k not in ("title", "description")},
    }


def _document(definition: dict[str, Any], docs: dict[str, tuple[str, list[Any]]]) -> None:
    """Flatten optional types and add the editor help of ``docs`` to each property."""
    for field, prop in definition.get("properties", {}).items():
        _flatten_optional(prop)
        prop.pop("title", None)
        if field in docs:
            markdown, examples = docs[field]
            prop["description"] = plain(markdown)
            prop["markdownDescription"] = markdown
            prop["examples"] = examples
        if "enum" in prop and field in ENUMS:
            described = [ENUMS[field].get(v, "Not given.") if v is not None else "Not given." for v in prop["enum"]]
            prop["markdownEnumDescriptions"] = described
            prop["enumDescriptions"] = [plain(d) for d in described]
        if prop.get("type") in ("number", ["number", "null"]):
            prop["maximum"] = MAX_NUMBER


def _flatten_optional(prop: dict[str, Any]) -> None:
    """``anyOf: [{type: T, ...}, {type: null}]`` as ``{type: [T, null], ...}``."""
    options = prop.get("anyOf")
    if not (isinstance(options, list) and len(options) == 2 and {"type": "null"} in options):
        return
    other = next(o for o in options if o != {"type": "null"})
    if not isinstance(other.get("type"), str):
        return
    del prop["anyOf"]
    prop.update({**other, "type": [other["type"], "null"]})
    if "enum" in other:
        prop["enum"] = [*other["enum"], None]


def _allow_extensions(definition: dict[str, Any]) -> None:
    if definition.get("additionalProperties") is False:
        definition["patternProperties"] = {"^x-": {}}


def schema_text() -> str:
    return json.dumps(inventory_schema(), indent=2, ensure_ascii=False) + "\n"
