"""The join of an inventory whose files are all clean: each file's share computed once, then merged.

:func:`stackmap.load.crosscheck.join_entries` walks every entry of every file on every load. When
an editor changes one file of two hundred, the other files' shares of the join (their systems,
flows, definitions and locations) are the same as before, so each file's share is computed once,
kept with its per-file result (:attr:`FileDoc.derived`), and the join becomes a merge of
dictionaries.

The merge only handles the valid case. It checks, with set operations over whole files, exactly
what the full join checks entry by entry (ids unique across files, aliases clashing with nothing,
every category known, every flow endpoint a system, no flow to itself, flow identities unique);
when any check fails, or any file has problems or invalid entries, it returns ``None`` and the full
join runs to report every problem at its place. ``tests/test_incremental.py`` holds both to the same
inventory. Both joins end in :func:`assemble`, which puts the :class:`Inventory` in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .loader import Loaded
from .location import Ignore, Location, ignores_of
from .model import BUILTIN_APPEND_ONLY, BUILTIN_DATA_CATEGORIES, CapabilityDef, DataCategoryDef, Flow, System
from .results import FileDoc

if TYPE_CHECKING:
    from .inventory import Inventory

KEY = "join"


@dataclass
class Share:
    """What one clean file contributes to the join."""

    display: str
    systems: dict[str, System]
    system_locations: dict[str, object]
    flows: dict[str, Flow]
    flow_locations: dict[str, object]
    capabilities: dict[str, CapabilityDef]
    capability_locations: dict[str, object]
    aliases: dict[str, str]
    categories: dict[str, DataCategoryDef]
    used_categories: frozenset[str]
    endpoints: frozenset[str]
    ignores: dict[tuple[str, str], tuple[object, ...]]


def share(doc: FileDoc) -> Share | None:
    """The file's share of the join, computed once per file version; ``None`` when the file alone
    already needs the full join (an invalid entry, a duplicate inside it, a flow to itself, an
    alias defined twice)."""
    kept = doc.derived.get(KEY)
    if kept is not None and kept[0] == doc.source.display:
        return kept[1]
    found: Share | None = None
    if doc.valid is None and not doc.refs:
        display = doc.source.display
        marks = doc.marks

        def where(section: str) -> list[Location]:
            return [Location(display, line + 1, col + 1) for line, col in marks.get(section, ())]

        content = doc.content
        systems = content.systems or []
        flows = content.flows or []
        capabilities = content.capabilities or []
        categories = content.data_categories or []
        system_at, flow_at, capability_at = where("systems"), where("flows"), where("capabilities")
        by_key = {f.key: f for f in flows}
        aliases = {a: c.id for c in capabilities for a in c.aliases if a != c.id}
        clean = (
            len({s.id for s in systems}) == len(systems)
            and len(by_key) == len(flows)
            and len({c.id for c in capabilities}) == len(capabilities)
            and len({c.id for c in categories}) == len(categories)
            and len(aliases) == sum(1 for c in capabilities for a in c.aliases if a != c.id)
            and not any(f.from_ == f.to for f in flows)
        )
        if clean:
            ignores: dict[tuple[str, str], tuple[object, ...]] = {}
            if doc.ignores:
                for section, kind in (("systems", "system"), ("flows", "flow")):
                    for i, entry in enumerate(getattr(content, section) or ()):
                        got = ignores_of(doc, section, i)
                        if got:
                            ignores[(kind, entry.key if kind == "flow" else entry.id)] = got
            found = Share(
                display=display,
                systems={s.id: s for s in systems},
                system_locations={s.id: at for s, at in zip(systems, system_at)},
                flows=by_key,
                flow_locations={f.key: at for f, at in zip(flows, flow_at)},
                capabilities={c.id: c for c in capabilities},
                capability_locations={c.id: at for c, at in zip(capabilities, capability_at)},
                aliases=aliases,
                categories={c.id: c for c in categories},
                used_categories=frozenset(c for entry in (*systems, *flows) for c in entry.data),
                endpoints=frozenset(end for f in flows for end in (f.from_, f.to)),
                ignores=ignores,
            )
    doc.derived[KEY] = (doc.source.display, found)
    return found


def merge(loaded: Loaded) -> Joined | None:
    """The join when every file is clean and nothing clashes across files; ``None`` otherwise (the
    full join then reports why)."""
    if loaded.problems or any(loaded.claimed.values()):
        return None
    shares: list[Share] = []
    for doc in loaded.docs:
        found = share(doc)
        if found is None:
            return None
        shares.append(found)
    systems: dict[str, System] = {}
    system_locations: dict[str, object] = {}
    flows: dict[str, Flow] = {}
    flow_locations: dict[str, object] = {}
    capabilities: dict[str, CapabilityDef] = {}
    aliases: dict[str, str] = {}
    defined: dict[str, DataCategoryDef] = {}
    ignores: dict[tuple[str, str], tuple[object, ...]] = {}
    counts = [0, 0, 0, 0, 0]
    for s in shares:
        systems.update(s.systems)
        system_locations.update(s.system_locations)
        flows.update(s.flows)
        flow_locations.update(s.flow_locations)
        capabilities.update(s.capabilities)
        aliases.update(s.aliases)
        defined.update(s.categories)
        ignores.update(s.ignores)
        for i, n in enumerate((len(s.systems), len(s.flows), len(s.capabilities), len(s.aliases),
                               len(s.categories))):
            counts[i] += n
    if counts != [len(systems), len(flows), len(capabilities), len(aliases), len(defined)]:
        return None  # an id, a flow identity or an alias written in two files
    if not aliases.keys().isdisjoint(capabilities):
        return None
    known = BUILTIN_DATA_CATEGORIES.keys() | defined.keys()
    for s in shares:
        if not s.used_categories <= known or not s.endpoints <= systems.keys():
            return None
    return Joined(systems, flows, capabilities, aliases, defined, system_locations, flow_locations,  # type: ignore[arg-type]
                  ignores)


@dataclass
class Joined:
    """What a join found, before it is put in order: entries and locations by id."""

    systems: dict[str, System]
    flows: dict[str, Flow]
    """By flow identity."""
    capabilities: dict[str, CapabilityDef]
    aliases: dict[str, str]
    defined: dict[str, DataCategoryDef]
    """Data categories defined in the files."""
    system_locations: dict[str, Location]
    flow_locations: dict[str, Location]
    ignores: dict[tuple[str, str], tuple[Ignore, ...]]


def assemble(loaded: Loaded, joined: Joined) -> Inventory:
    """The :class:`Inventory` of a join (either kind): everything in a deterministic order,
    built-in data categories added, the append-only ones worked out."""
    from .inventory import Inventory

    defined = joined.defined
    categories = dict(BUILTIN_DATA_CATEGORIES)
    categories.update({cid: cat.customer for cid, cat in defined.items()})
    return Inventory(
        systems={sid: joined.systems[sid] for sid in sorted(joined.systems)},
        flows=[joined.flows[k] for k in sorted(joined.flows)],
        capabilities={cid: joined.capabilities[cid] for cid in sorted(joined.capabilities)},
        aliases=dict(sorted(joined.aliases.items())),
        data_categories=dict(sorted(categories.items())),
        append_only=frozenset(
            {c for c in BUILTIN_APPEND_ONLY if c not in defined or defined[c].append_only is not False}
            | {cid for cid, cat in defined.items() if cat.append_only}
        ),
        system_locations=joined.system_locations,
        flow_locations=joined.flow_locations,
        files=list(loaded.inventories),
        skipped=list(loaded.skipped),
        ignores=dict(sorted(joined.ignores.items())),
        notes=list(loaded.notes),
        docs=tuple(loaded.docs),
    )
