"""``stackmap export cypher``: a Neo4j script that loads the map into a shared graph database.

Run it with ``cypher-shell -f stack.cypher`` (or paste it into Neo4j Browser). It is idempotent:
``MERGE`` on the ids, so running it again, or after the inventory changed, updates in place instead
of duplicating. Entities are sent in batches of rows (``UNWIND [...] AS row``), one statement per
batch, so a large inventory is a few hundred statements rather than one per entity.

The statements are portable openCypher (Neo4j 4 and 5, FalkorDB, Memgraph): the uniqueness
constraints that make ``MERGE`` fast on Neo4j use syntax only Neo4j 5 has (``CREATE CONSTRAINT …
IF NOT EXISTS FOR … REQUIRE``), so they are written as comments at the top, to run once by hand, or
as statements with ``constraints=True``.

The graph::

    (:System {id, name, vendor, owner, lifecycle, capabilities, data, customer_data, ...})
    (:System)-[:FLOWS_TO {key, id, data, customer_data, mechanism, frequency, description}]->(:System)
    (:System)-[:PROVIDES]->(:Capability {id, name, exclusive})
    (:System)-[:STORES]->(:DataCategory {id, name, customer})

A system's properties are replaced on every run (``SET s = row``), so a field removed from the
inventory disappears from the node. Entities removed from the inventory are not deleted: see
``docs/interop.md`` for the statements that prune them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Any

from ...load.inventory import Inventory
from .. import attributes

BATCH = 500
"""Rows per ``UNWIND`` statement."""

CONSTRAINTS: tuple[str, ...] = (
    "CREATE CONSTRAINT stackmap_system_id IF NOT EXISTS FOR (n:System) REQUIRE n.id IS UNIQUE;",
    "CREATE CONSTRAINT stackmap_capability_id IF NOT EXISTS FOR (n:Capability) REQUIRE n.id IS UNIQUE;",
    "CREATE CONSTRAINT stackmap_data_category_id IF NOT EXISTS FOR (n:DataCategory) REQUIRE n.id IS UNIQUE;",
)


_RESERVED = frozenset({"key", "from", "to", "all", "any", "as", "by", "case", "end", "for", "in", "is",
                       "match", "merge", "node", "not", "null", "of", "on", "or", "set", "true", "false",
                       "unique", "where", "with"})


@cache
def name(key: str) -> str:
    """A map key or property name, backquoted when it is a keyword or not a plain name."""
    plain = key.isidentifier() and key.isascii() and key.lower() not in _RESERVED
    return key if plain else "`" + key.replace("`", "``") + "`"


def literal(value: Any) -> str:
    """A Cypher literal: strings double-quoted with escapes, lists, maps with sorted keys."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        # JSON string escapes (\\, \", \n, \uXXXX) are Cypher string escapes too.
        return json.dumps(value, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{name(k)}: {literal(v)}" for k, v in sorted(value.items())) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _batches(rows: list[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _unwind(rows: list[dict[str, Any]], body: str, size: int) -> list[str]:
    out: list[str] = []
    for batch in _batches(rows, size):
        items = ",\n".join(f"  {literal(r)}" for r in batch)
        out.append(f"UNWIND [\n{items}\n] AS row\n{body};")
    return out


def _props(values: dict[str, Any]) -> dict[str, Any]:
    """Neo4j stores no nulls: unset fields are left out (lists stay, even empty)."""
    return {k: v for k, v in values.items() if v is not None}


def export(inventory: Inventory, batch: int = BATCH, constraints: bool = False) -> str:
    """The script; with ``constraints``, Neo4j 5's uniqueness constraints as statements, else as comments."""
    systems = [_props({"id": sid, **attributes.system(inventory, s)}) for sid, s in inventory.systems.items()]
    flows = []
    for f in inventory.flows:
        attrs = attributes.flow(inventory, f)
        flows.append({"source": f.from_, "target": f.to, "flow": f.key, "props": _props(attrs)})
    capabilities = sorted({c for s in inventory.systems.values() for c in inventory.capabilities_of(s)}
                          | set(inventory.capabilities))
    cap_rows = []
    for cid in capabilities:
        cap = inventory.capabilities.get(cid)
        cap_rows.append(_props({"id": cid, "name": cap.name if cap else None,
                                "exclusive": cap.exclusive if cap else True}))
    category_rows = [{"id": cid, "customer": customer} for cid, customer in inventory.data_categories.items()]
    provides = [{"system": sid, "capability": c} for sid, s in inventory.systems.items()
                for c in inventory.capabilities_of(s)]
    stores = [{"system": sid, "category": c} for sid, s in inventory.systems.items() for c in sorted(set(s.data))]

    out = [
        "// A stackmap export: load with `cypher-shell -f FILE`. Safe to run again (MERGE on ids).",
        f"// {len(systems)} systems, {len(flows)} flows, {len(cap_rows)} capabilities, "
        f"{len(category_rows)} data categories.",
        "",
        *(CONSTRAINTS if constraints else
          ("// Neo4j 5: uniqueness constraints make MERGE fast on large maps. Run these once first (other",
           "// engines have their own syntax for indexes; the statements below run without them):",
           *(f"//   {c}" for c in CONSTRAINTS))),
        "",
        "// Systems: properties replaced on every run.",
        *_unwind(systems, "MERGE (n:System {id: row.id})\nSET n = row", batch),
        "",
        "// Capabilities and data categories.",
        *_unwind(cap_rows, "MERGE (n:Capability {id: row.id})\nSET n = row", batch),
        *_unwind(category_rows, "MERGE (n:DataCategory {id: row.id})\nSET n = row", batch),
        "",
        "// What each system provides and stores.",
        *_unwind(provides, "MATCH (s:System {id: row.system})\nMATCH (c:Capability {id: row.capability})\n"
                           "MERGE (s)-[:PROVIDES]->(c)", batch),
        *_unwind(stores, "MATCH (s:System {id: row.system})\nMATCH (d:DataCategory {id: row.category})\n"
                         "MERGE (s)-[:STORES]->(d)", batch),
        "",
        "// Flows, identified by their key (the flow id, else from->to:mechanism:data).",
        *_unwind(flows, "MATCH (a:System {id: row.source})\nMATCH (b:System {id: row.target})\n"
                        "MERGE (a)-[f:FLOWS_TO {`key`: row.flow}]->(b)\nSET f = row.props", batch),
    ]
    return "\n".join(out) + "\n"
