"""``stackmap import archimate``: ArchiMate models, in the Open Group Model Exchange File Format
(3.x and 2.1: Archi's "Export Model to Open Exchange File", and most other ArchiMate tools) or in
Archi's own ``.archimate`` files. Reading is in :mod:`.archimate_xml`, the chains in
:mod:`.archimate_derive`.

Mapping:

- ``ApplicationComponent`` elements become systems: name from ``<name>``/``<label>`` (in the
  language ``--lang`` picks), id from the name (or an ``id`` property), description from the
  documentation; properties named like inventory fields (``Vendor``, ``Owner``,
  ``Lifecycle``/``Status``, ``Annual cost``, ``Capabilities``, ``Data``, ``Roles``, ``Tags``,
  ``IT reviewed``) fill those fields, the others are kept under ``x-archimate`` and reported.
- ``part_of``: the component or ``Grouping`` that composes or aggregates it, else the folder it is
  filed in (below the standard top folders).
- Flows: ``Flow``, ``Triggering`` and ``Serving`` (``UsedBy``) relationships between two
  components; and **derived** ones through the application services, functions, processes,
  interactions, events, interfaces and collaborations the components own (each commented with its
  chain). ``Data``, ``Mechanism`` and ``Frequency`` properties of the relationship are read; a
  DataObject associated with it adds its data category.
- ``Access`` to a ``DataObject`` (by a component or something it owns) adds the object's data
  category to the component, and each writer → reader pair becomes a flow carrying it. A DataObject
  has a category when ``--data-map NAME=CATEGORY`` names it (by name or identifier) or it has a
  ``Data category`` property; one without is reported.
- Everything else is counted by type and reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import columns as col
from ..draft import Draft, Entry, Ids, ImportOptions, slugify
from ..files import display, expand, read_bytes
from . import archimate_derive as derive
from .archimate_fields import category, prop_key, properties
from .archimate_xml import Model, Node, NotArchiMate, parse

SUFFIXES = (".xml", ".archimate")

def read(paths: list[Path], options: ImportOptions) -> Draft:
    draft = Draft()
    ids = Ids()
    used_map: set[str] = set()
    objects: set[str] = set()
    named = {p.resolve() for p in paths if p.is_file()}
    for path in expand(paths, SUFFIXES, recursive=False):
        name = display(path)
        draft.sources.append(name)
        try:
            model = parse(read_bytes(path), name, options.lang)
        except NotArchiMate as exc:
            if path.resolve() in named:
                draft.error(f"{name}:{exc.line}", str(exc))
            else:  # found in a folder next to the model: say so, and go on
                draft.note(f"{name}:{exc.line}", f"{exc}: skipped")
            continue
        _Mapper(model, draft, ids, options.data_map, used_map).run()
        objects.update(e.name or e.ident for e in model.elements.values() if e.type == "DataObject")
        if len(model.languages) > 1 and not options.lang:
            draft.note(name, f"names are given in {', '.join(sorted(model.languages))}: read in the first "
                       "given; choose one with --lang")
        elif options.lang and model.languages and options.lang.lower() not in {
                x.split("-")[0] for x in model.languages} | model.languages:
            draft.note(name, f"--lang {options.lang}: no name is given in it (the model has "
                       f"{', '.join(sorted(model.languages))}): read in the first given")
    for key in sorted(set(options.data_map) - used_map):
        names = sorted(objects)
        shown = ", ".join(repr(n) for n in names[:8]) + (", ..." if len(names) > 8 else "")
        draft.note("--data-map", f"{key!r}: no DataObject has this name or identifier (names and identifiers "
                   f"are compared ignoring case; the DataObjects read are {shown or 'none'})")
    if not draft.systems:
        draft.empty_reason = "no ApplicationComponent element in the model (stackmap maps application " \
                             "components to systems)"
    return draft


class _Mapper:
    def __init__(self, model: Model, draft: Draft, ids: Ids, data_map: dict[str, str], used_map: set[str]) -> None:
        self.model, self.draft, self.ids = model, draft, ids
        self.data_map, self.used_map = data_map, used_map
        self.lowered = {k.lower(): k for k in data_map}
        self.where = model.file
        self.unknown_props: dict[str, int] = {}
        self.told: set[str] = set()
        self.system_ids: dict[str, str] = {}
        self.entries: dict[str, Entry] = {}
        self.used: set[str] = set()
        """Relationships and elements that went into the inventory."""

    def run(self) -> None:
        model, draft = self.model, self.draft
        components = {i: e for i, e in model.elements.items() if e.type == derive.COMPONENT}
        for ident, e in components.items():
            self._system(ident, e)
        self._part_of(components)
        relationships = derive.through_junctions(model)
        owned = derive.owners(model, relationships)
        direct = derived = data_flows = 0
        flows: list[tuple[derive.Link, Entry]] = []
        for link in derive.links(model, relationships, owned):
            entry = self._flow(link)
            if entry is not None:
                flows.append((link, entry))
                direct += not link.chain
                derived += bool(link.chain)
        self._associated_data(flows)
        for _, entry in flows:
            draft.add_flow(entry)
        data_flows = self._access(relationships, owned)
        for name, count in sorted(self.unknown_props.items()):
            draft.note(self.where, f"property {name!r} ({count} time{'s' if count != 1 else ''}) is not a stackmap "
                       "field: kept under x-archimate, not checked")
        skipped = self._report_rest(relationships, owned)
        draft.summary.append(
            f"{self.where}: {model.format}; {len(components)} application component"
            f"{'s' if len(components) != 1 else ''} → systems; flows: {direct} direct, {derived} derived through "
            f"services/functions/interfaces, {data_flows} from data-object access; {skipped} relationships "
            "not mapped (listed below)")

    # ---- systems --------------------------------------------------------------------------------

    def _system(self, ident: str, e: Node) -> None:
        origin = f"{self.where} {ident}"
        name = e.name
        if not name:
            name = f"Application component {ident}"
            self.draft.note(origin, f"an ApplicationComponent without a name: named {name!r}")
        wanted = slugify(e.properties.get(prop_key(e.properties, "id"), "") or name, "system")
        sid = self.ids.claim(wanted)
        if sid != wanted:
            self.draft.note(origin, f"{name!r} gets the id {sid!r}: {wanted!r} is taken")
        comments: list[str] = []
        values: dict[str, Any] = {"id": sid, "name": name, "description": e.documentation or None}
        extras = properties(e, values, origin, self.draft, comments, self.unknown_props,
                             ("id", "mechanism", "frequency"))
        self.system_ids[ident] = sid
        self.entries[ident] = Entry(values, origin, comments, {"x-archimate": extras} if extras else {})
        self.draft.systems.append(self.entries[ident])

    def _part_of(self, components: dict[str, Node]) -> None:
        parents: dict[str, Node] = {}
        for r in self.model.relationships.values():
            parent, child = self.model.elements.get(r.source), self.model.elements.get(r.target)
            if r.type in ("Composition", "Aggregation") and parent is not None and child is not None \
                    and child.type in (derive.COMPONENT, "Grouping") and parent.type in (derive.COMPONENT, "Grouping"):
                parents.setdefault(child.ident, parent)
                self.used.add(r.ident)
        for child_id, parent_id in self.model.nested.items():  # drawn inside it in a view, no relationship
            parent, child = self.model.elements.get(parent_id), self.model.elements.get(child_id)
            if parent is not None and child is not None and child.type in (derive.COMPONENT, "Grouping") \
                    and parent.type in (derive.COMPONENT, "Grouping"):
                parents.setdefault(child_id, parent)

        self.used.update(p.ident for p in parents.values())

        def path(ident: str, seen: tuple[str, ...]) -> list[str]:
            parent = parents.get(ident)
            if parent is None or parent.ident in seen:
                folder = self.model.elements[ident].folder if ident in self.model.elements else ""
                return [folder] if folder and seen else []
            return [*path(parent.ident, (*seen, ident)), parent.name or parent.ident]

        for ident in components:
            levels = path(ident, ())
            if not levels and components[ident].folder:
                levels = [components[ident].folder]
            if levels:
                self.entries[ident].values["part_of"] = " / ".join(levels)

    # ---- flows ----------------------------------------------------------------------------------

    def _flow(self, link: derive.Link) -> Entry | None:
        r = link.relationship
        origin = f"{self.where} {r.ident}"
        self.used.add(r.ident)
        comments = [f"derived: {link.chain}"] if link.chain else (
            [] if r.type == "Flow" else [f"from a {r.type} relationship: check that data moves"])
        values: dict[str, Any] = {"from": self.system_ids[link.source], "to": self.system_ids[link.target],
                                  "description": r.name or r.documentation or None}
        properties(r, values, origin, self.draft, comments, self.unknown_props,
                    ("id", "vendor", "owner", "lifecycle", "annual_cost", "capabilities", "roles", "tags",
                     "it_reviewed"))
        return Entry(values, origin, comments)

    def _associated_data(self, flows: list[tuple[derive.Link, Entry]]) -> None:
        by_relationship: dict[str, list[Entry]] = {}
        for link, entry in flows:
            by_relationship.setdefault(link.relationship.ident, []).append(entry)
        for r in self.model.relationships.values():
            ends = (r.source, r.target)
            entries = next((by_relationship[e] for e in ends if e in by_relationship), None)
            obj = next((e for e in ends if self._is_data(e)), None)
            if entries is None or obj is None:
                continue
            self.used.add(r.ident)
            self.used.add(obj)
            for flow in entries:
                category = self._data_of(obj, f"carried by {flow.values['from']} → {flow.values['to']}")
                if category and category not in flow.values.setdefault("data", []):
                    flow.values["data"].append(category)

    def _access(self, relationships: list[Node], owned: dict[str, dict[str, str]]) -> int:
        made = 0
        for r in relationships:
            if r.type == "Access" and r.source in owned and self._is_data(r.target):
                self.used.add(r.ident)
        for obj_id, (writers, readers, others) in sorted(derive.access(self.model, relationships, owned).items()):
            obj = self.model.elements[obj_id]
            self.used.add(obj_id)
            users = sorted({*writers, *readers, *others}, key=lambda c: self.system_ids[c])
            category = self._data_of(obj_id, "accessed by " + ", ".join(
                str(self.entries[c].values["name"]) for c in users[:3]) + (", ..." if len(users) > 3 else ""))
            if category:
                for component in users:
                    data = self.entries[component].values.setdefault("data", [])
                    if category not in data:
                        data.append(category)
            if len(users) > 1 and not any(w != r for w in writers for r in readers):
                self.draft.note(f"{self.where} {obj_id}", f"DataObject {obj.name or obj_id!r} is used by "
                                f"{len(users)} components but none reads what another writes: no flow (set the "
                                "access type of its readers to Read)")
            for writer, w_chain in writers.items():
                for reader, r_chain in readers.items():
                    if writer == reader or made >= derive.MAX_CHAINS:
                        continue
                    made += 1
                    self.draft.add_flow(Entry(
                        {"from": self.system_ids[writer], "to": self.system_ids[reader],
                         "data": [category] if category else [],
                         "description": f"{obj.name or obj_id} (data object)"},
                        f"{self.where} {obj_id}",
                        [f"derived: {w_chain} writes {derive.label(obj)} (DataObject); {r_chain} reads it"]
                        + ([] if category else [f"no data category for {derive.label(obj)}: add one with --data-map"]),
                    ))
        return made

    def _is_data(self, ident: str) -> bool:
        node = self.model.elements.get(ident)
        return node is not None and node.type == "DataObject"

    def _category_of(self, obj: Node) -> str | None:
        for key in (obj.ident, obj.name.lower()):
            original = key if key in self.data_map else self.lowered.get(key)
            if original is not None:
                self.used_map.add(original)
                return category(self.data_map[original], f"{self.where} {obj.ident}", self.draft)
        for key, value in obj.properties.items():
            if col.normalise(key) in ("data_category", "stackmap_category", "category"):
                return category(value, f"{self.where} {obj.ident}", self.draft)
        return None

    def _data_of(self, obj_id: str, user: str) -> str | None:
        obj = self.model.elements[obj_id]
        category = self._category_of(obj)
        if category is None and obj_id not in self.told:
            self.told.add(obj_id)
            self.draft.note(f"{self.where} {obj_id}", f"DataObject {obj.name!r} ({user}) has no data category: "
                            f"pass --data-map '{obj.name}=CATEGORY' or give it a 'Data category' property")
        return category

    # ---- the rest -------------------------------------------------------------------------------

    def _report_rest(self, relationships: list[Node], owned: dict[str, dict[str, str]]) -> int:
        model = self.model
        for r in relationships:  # what carried an ownership chain was used too
            if r.type in derive.OWNING and r.target in owned and r.source in owned:
                self.used.add(r.ident)
                for part in r.ident.split("+"):
                    self.used.add(part)
        for r in relationships:
            if "+" in r.ident and r.ident in self.used:
                self.used.update(r.ident.split("+"))
        connected = {e for rid in self.used if rid in model.relationships
                     for e in (model.relationships[rid].source, model.relationships[rid].target)}
        rest: dict[tuple[str, str, str], list[Node]] = {}
        for ident, e in model.elements.items():
            if e.type == derive.COMPONENT or ident in self.used or (ident in connected and e.type != "Junction") \
                    or e.type == "Junction":
                continue
            rest.setdefault((e.type or "untyped", "element", ""), []).append(e)
        skipped = 0
        for rid, r in model.relationships.items():
            if rid in self.used:
                continue
            skipped += 1
            why = ""
            if r.type in derive.CONNECTING:
                why = " not between application components or what they own"
            elif r.type == "Access":
                why = " not to a DataObject from an application component or what it owns"
            rest.setdefault((r.type or "untyped", "relationship", why), []).append(r)
        for (kind, what, why), nodes in sorted(rest.items()):
            shown = ", ".join(n.name or n.ident for n in nodes[:3]) + (", ..." if len(nodes) > 3 else "")
            plural = "s" if len(nodes) != 1 else ""
            self.draft.note(self.where, f"{len(nodes)} {kind} {what}{plural}{why} not mapped ({shown})")
        return skipped
