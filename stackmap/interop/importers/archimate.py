"""``stackmap import archimate``: The Open Group ArchiMate Model Exchange File Format (Archi's
"Export Model to Open Exchange File", and most other ArchiMate tools).

The XML is refused before parsing if it declares a DOCTYPE or an ENTITY: an exchange file needs
neither, and they are how XML attacks work (entity expansion, reading local files or URLs). With no
DTD there is nothing for the parser (the standard library's ``xml.etree``) to expand or fetch.

Mapping:

- ``ApplicationComponent`` elements become systems: id from the name (or an ``id`` property),
  description from the documentation; properties named like inventory fields (``Vendor``,
  ``Owner``, ``Lifecycle``/``Status``, ``Annual cost``, ``Capabilities``, ``Data``, ``Roles``,
  ``Tags``, ``IT reviewed``) fill those fields, the others are kept under ``x-archimate`` and reported.
- ``Flow``, ``Triggering`` and ``Serving`` relationships between two of them become flows from
  source to target; the name becomes the description; ``Data``, ``Mechanism`` and ``Frequency``
  properties are read; a DataObject associated with the relationship adds its data category.
- ``Access`` from a component to a ``DataObject`` adds the DataObject's data category to the
  component's data. A DataObject has a category when ``--data-map NAME=CATEGORY`` names it (by name
  or identifier) or it has a ``Data category`` property; an accessed DataObject without one is
  reported.
- Every other element and relationship is counted by type and reported.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...load.model import LIFECYCLES, MECHANISMS
from .. import columns as col
from ..draft import Draft, Entry, Ids, ImportOptions, slugify
from ..files import display, expand, read_bytes

SUFFIXES = (".xml",)
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
FLOW_TYPES = ("Flow", "Triggering", "Serving")
_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)

PROPERTY_FIELDS: dict[str, str] = {
    "id": "id", "stackmap_id": "id",
    "vendor": "vendor", "supplier": "vendor", "provider": "vendor",
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


@dataclass
class Node:
    """An element or relationship of the model."""

    ident: str
    type: str
    name: str
    documentation: str
    properties: dict[str, str]
    source: str = ""
    target: str = ""


@dataclass
class Model:
    file: str
    elements: dict[str, Node] = field(default_factory=dict)
    relationships: dict[str, Node] = field(default_factory=dict)


def read(paths: list[Path], options: ImportOptions) -> Draft:
    draft = Draft()
    ids = Ids()
    used_map: set[str] = set()
    for path in expand(paths, SUFFIXES, recursive=False):
        name = display(path)
        draft.sources.append(name)
        root = parse(read_bytes(path), name, draft)
        if root is not None:
            _map(_model(root, name), draft, ids, options.data_map, used_map)
    for key in sorted(set(options.data_map) - used_map):
        draft.note("--data-map", f"{key!r}: no DataObject has this name or identifier")
    return draft


# ---- reading ----------------------------------------------------------------------------------

def parse(data: bytes, name: str, draft: Draft) -> ET.Element | None:
    """The document's root, or ``None`` with an error; refuses DOCTYPE and ENTITY declarations."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        text = data.decode("utf-8", errors="replace")
    found = _DECLARATION.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        draft.error(f"{name}:{line}", "a DOCTYPE or ENTITY declaration: refused (an exchange file needs none, "
                    "and they are how XML entity attacks work)")
        return None
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 1
        draft.error(f"{name}:{line}", f"not well-formed XML: {exc}")
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(parent: ET.Element, local: str) -> list[ET.Element]:
    return [c for c in parent if isinstance(c.tag, str) and _local(c.tag) == local]


def _text(parent: ET.Element, local: str) -> str:
    """The first ``<local>`` child's text (the first language given), stripped."""
    for child in _children(parent, local):
        return " ".join((child.text or "").split())
    return ""


def _model(root: ET.Element, file: str) -> Model:
    model = Model(file)
    definitions: dict[str, str] = {}
    for holder in (*_children(root, "propertyDefinitions"), *_children(root, "propertydefs")):
        for d in holder:
            ident = d.get("identifier", "")
            definitions[ident] = _text(d, "name") or d.get("name", "") or ident
    for holder in _children(root, "elements"):
        for e in _children(holder, "element"):
            node = _node(e, definitions)
            model.elements[node.ident] = node
    for holder in _children(root, "relationships"):
        for r in _children(holder, "relationship"):
            node = _node(r, definitions)
            node.source, node.target = r.get("source", ""), r.get("target", "")
            if node.type == "Access":
                node.properties.setdefault("accessType", r.get("accessType", "Write"))
            model.relationships[node.ident] = node
    return model


def _node(e: ET.Element, definitions: dict[str, str]) -> Node:
    properties: dict[str, str] = {}
    for holder in _children(e, "properties"):
        for p in _children(holder, "property"):
            ref = p.get("propertyDefinitionRef") or p.get("identifierref") or ""
            key = definitions.get(ref, ref)
            value = _text(p, "value")
            if key and value:
                properties.setdefault(key, value)
    kind = e.get(XSI_TYPE, "").rsplit(":", 1)[-1]
    return Node(e.get("identifier", ""), kind, _text(e, "name"), _text(e, "documentation"), properties)


# ---- mapping ----------------------------------------------------------------------------------

def _map(model: Model, draft: Draft, ids: Ids, data_map: dict[str, str], used_map: set[str]) -> None:
    where = model.file
    components = {i: e for i, e in model.elements.items() if e.type == "ApplicationComponent"}
    lowered = {k.lower(): k for k in data_map}
    unknown_props: dict[str, int] = {}

    def category_of(obj: Node) -> str | None:
        for key in (obj.ident, obj.name.lower()):
            original = key if key in data_map else lowered.get(key)
            if original is not None:
                used_map.add(original)
                return _category(data_map[original], f"{where} {obj.ident}", draft)
        for key, value in obj.properties.items():
            if col.normalise(key) in ("data_category", "stackmap_category", "category"):
                return _category(value, f"{where} {obj.ident}", draft)
        return None

    told: set[str] = set()

    def data_of(obj_id: str, user: str) -> str | None:
        obj = model.elements[obj_id]
        category = category_of(obj)
        if category is None and obj_id not in told:
            told.add(obj_id)
            draft.note(f"{where} {obj_id}", f"DataObject {obj.name!r} ({user}) has no data category: pass "
                       f"--data-map '{obj.name}=CATEGORY' or give it a 'Data category' property")
        return category

    system_ids: dict[str, str] = {}
    entries: dict[str, Entry] = {}
    for ident, e in components.items():
        origin = f"{where} {ident}"
        wanted = slugify(e.properties.get(_prop_key(e.properties, "id"), "") or e.name or ident, "system")
        sid = ids.claim(wanted)
        if sid != wanted:
            draft.note(origin, f"{e.name!r} gets the id {sid!r}: {wanted!r} is taken")
        comments: list[str] = []
        values: dict[str, Any] = {"id": sid, "name": e.name or ident, "description": e.documentation or None}
        extras = _properties(e, values, origin, draft, comments, unknown_props, ("id", "mechanism", "frequency"))
        system_ids[ident] = sid
        entries[ident] = Entry(values, origin, comments, {"x-archimate": extras} if extras else {})
        draft.systems.append(entries[ident])

    mapped_rel: set[str] = set()
    flow_entries: dict[str, Entry] = {}
    for rid, r in model.relationships.items():
        origin = f"{where} {rid}"
        if r.type == "Access" and r.source in components and _is_data(model, r.target):
            category = data_of(r.target, f"accessed by {components[r.source].name}")
            mapped_rel.add(rid)
            if category:
                data = entries[r.source].values.setdefault("data", [])
                if category not in data:
                    data.append(category)
            continue
        if r.type not in FLOW_TYPES or r.source not in components or r.target not in components:
            continue
        if r.source == r.target:
            draft.note(origin, f"{r.type} relationship from {components[r.source].name!r} to itself: no flow")
            mapped_rel.add(rid)
            continue
        comments = [] if r.type == "Flow" else [f"from a {r.type} relationship: check that data moves"]
        values = {"from": system_ids[r.source], "to": system_ids[r.target],
                  "description": r.name or r.documentation or None}
        _properties(r, values, origin, draft, comments, unknown_props, ("id", "vendor", "owner", "lifecycle",
                                                                       "annual_cost", "capabilities", "roles",
                                                                       "tags", "it_reviewed"))
        flow_entries[rid] = Entry(values, origin, comments)
        mapped_rel.add(rid)

    for rid, r in model.relationships.items():  # a DataObject associated with a flow relationship
        ends = (r.source, r.target)
        flow = next((flow_entries[e] for e in ends if e in flow_entries), None)
        obj = next((e for e in ends if _is_data(model, e)), None)
        if flow is not None and obj is not None:
            mapped_rel.add(rid)
            category = data_of(obj, f"carried by {flow.values['from']} → {flow.values['to']}")
            if category and category not in flow.values.setdefault("data", []):
                flow.values["data"].append(category)
    for entry in flow_entries.values():
        draft.add_flow(entry)

    for name, count in sorted(unknown_props.items()):
        draft.note(where, f"property {name!r} ({count} time{'s' if count != 1 else ''}) is not a stackmap field: "
                   "kept under x-archimate, not checked")
    _report_rest(model, components, mapped_rel, draft)


def _is_data(model: Model, ident: str) -> bool:
    node = model.elements.get(ident)
    return node is not None and node.type == "DataObject"


def _prop_key(properties: dict[str, str], wanted: str) -> str:
    return next((k for k in properties if PROPERTY_FIELDS.get(col.normalise(k)) == wanted), "")


def _category(value: str, where: str, draft: Draft) -> str:
    category = slugify(value, "data")
    category = col.DATA_SYNONYMS.get(category, category)
    draft.use_category(category, where)
    return category


def _properties(node: Node, values: dict[str, Any], origin: str, draft: Draft, comments: list[str],
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
                    category = _category(item, origin, draft)
                    if category not in data:
                        data.append(category)
        except ValueError as exc:
            draft.error(origin, f"property {key!r}: {exc}")
    return extras


def _report_rest(model: Model, components: dict[str, Node], mapped: set[str], draft: Draft) -> None:
    where = model.file
    accessed = {r.target for rid, r in model.relationships.items() if rid in mapped} | \
               {e for rid, r in model.relationships.items() if rid in mapped for e in (r.source, r.target)}
    rest: dict[tuple[str, str, str], list[Node]] = {}
    for ident, e in model.elements.items():
        if ident in components or (e.type == "DataObject" and ident in accessed):
            continue
        rest.setdefault((e.type or "untyped", "element", ""), []).append(e)
    for rid, r in model.relationships.items():
        if rid not in mapped:
            suffix = " not between two ApplicationComponents" if r.type in FLOW_TYPES else ""
            rest.setdefault((r.type or "untyped", "relationship", suffix), []).append(r)
    for (kind, what, suffix), nodes in sorted(rest.items()):
        shown = ", ".join(n.name or n.ident for n in nodes[:3]) + (", ..." if len(nodes) > 3 else "")
        plural = "s" if len(nodes) != 1 else ""
        draft.note(where, f"{len(nodes)} {kind} {what}{plural}{suffix} not mapped ({shown})")
