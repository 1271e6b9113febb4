"""``stackmap import backstage``: Backstage software catalog descriptors (``catalog-info.yaml``).

Files and folders (walked for ``*.yaml``/``*.yml``, hidden ones and ``--exclude`` matches skipped);
reading is in :mod:`.backstage_read` (a file that does not parse is skipped with a note).

Mapping:

- ``Component`` and ``Resource`` entities become systems: id from ``metadata.name``
  (``namespace.name`` outside the default namespace), name from ``metadata.title``, owner from
  ``spec.owner`` (a Group's name; a User is replaced by the one group they are a member of, else
  kept and reported), lifecycle from ``spec.lifecycle`` (``production`` and ``experimental`` →
  active, ``deprecated`` → retiring; the Backstage value is kept under ``x-backstage``), tags from
  ``metadata.tags`` and ``spec.type``; labels, other annotations and links under ``x-backstage``.
  Annotations ``stackmap/vendor``, ``stackmap/capabilities``, ``stackmap/data``, ``stackmap/roles``,
  ``stackmap/annual-cost`` and ``stackmap/it-reviewed`` fill the fields Backstage has no place for.
- ``Domain`` → ``System`` → ``Component`` (and ``subcomponentOf``) becomes ``part_of``:
  ``Domain title / System title / parent component``. A System with no component or resource in the
  files read becomes a system itself (reported).
- ``spec.dependsOn`` (and ``dependencyOf``) becomes a flow from the dependency to the dependent
  (data goes from what is used to what uses it); no data unless the dependency says so.
- An ``API`` becomes a flow from each component that ``providesApis`` it to each that
  ``consumesApis`` it: mechanism ``stream`` for AsyncAPI, else ``api``; data from the API's
  ``stackmap/data`` annotation; ``stackmap/direction: to-provider`` (or ``both``) turns it round.
  ``consumesApis: [component:x]`` is read as a dependency on ``x``.
- ``Group`` and ``User`` entities are read as owners. Other kinds (``Location``, ``Template``...),
  spec fields that are not mapped, references to entities not in the files read, and APIs without
  a provider or a consumer are reported, never dropped silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import columns as col
from ..draft import Draft, Entry, Ids, ImportOptions, slugify
from ..files import display, expand
from .backstage_flows import ANNOTATION, apis, dependencies
from .backstage_read import Entity, entities, extras, parse_ref, ref_kind, ref_name, strings
from .backstage_read import text as _text

SUFFIXES = (".yaml", ".yml")
SYSTEM_KINDS = ("component", "resource")
LIFECYCLES = {"production": "active", "experimental": "active", "deprecated": "retiring"}
"""Backstage's three documented lifecycles; other values go through the spreadsheet synonyms."""
READ_SPEC: dict[str, frozenset[str]] = {
    "component": frozenset({"type", "lifecycle", "owner", "system", "subcomponentOf", "dependsOn",
                            "dependencyOf", "providesApis", "consumesApis"}),
    "resource": frozenset({"type", "lifecycle", "owner", "system", "dependsOn", "dependencyOf"}),
    "system": frozenset({"owner", "domain", "type"}),
    "domain": frozenset({"owner", "subdomainOf", "type"}),
    "api": frozenset({"type", "lifecycle", "owner", "definition"}),
    "group": frozenset({"type", "profile"}),
    "user": frozenset({"memberOf", "profile"}),
}
"""The spec fields read, per kind; any other is reported."""

__all__ = ["parse_ref", "read"]


def read(paths: list[Path], options: ImportOptions) -> Draft:
    draft = Draft()
    found: dict[str, Entity] = {}
    for path in expand(paths, SUFFIXES, recursive=True, exclude=options.exclude, draft=draft):
        name = display(path)
        draft.sources.append(name)
        for entity in entities(path, name, draft):
            if entity.ref in found:
                draft.note(entity.where, f"{entity.ref} is already defined at {found[entity.ref].where}: "
                           "this one is ignored")
                continue
            found[entity.ref] = entity
    ids = _systems(found, draft)
    flows = len(draft.flows)
    dependencies(found, ids, draft)
    apis(found, ids, draft, _data)
    _report(found, draft)
    kinds: dict[str, int] = {}
    for entity in found.values():
        kinds[entity.doc["kind"]] = kinds.get(entity.doc["kind"], 0) + 1
    draft.summary.append(
        f"read {len(draft.sources)} file{'s' if len(draft.sources) != 1 else ''}, {len(found)} "
        f"entit{'y' if len(found) == 1 else 'ies'} (" + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        + f"); {len(draft.systems)} system{'s' if len(draft.systems) != 1 else ''}, "
        f"{len(draft.flows) - flows} flow{'s' if len(draft.flows) - flows != 1 else ''}")
    if not draft.systems:
        draft.empty_reason = "no Component, Resource or System entity in the files read" if not found else \
            "no Component, Resource or System entity among the entities read"
    return draft


# ---- mapping ----------------------------------------------------------------------------------

def _systems(entities: dict[str, Entity], draft: Draft) -> dict[str, str]:
    """Map the system-like entities; return entity ref → system id."""
    members: set[str] = set()
    for entity in entities.values():
        if entity.kind in SYSTEM_KINDS and _text(entity.spec.get("system")):
            members.add(parse_ref(str(entity.spec["system"]), "system", entity.namespace))
    ids = Ids()
    out: dict[str, str] = {}
    owners = _Owners(entities, draft)
    for entity in entities.values():
        if entity.kind == "system" and entity.ref not in members:
            draft.note(entity.where, f"{entity.ref}: no component or resource in the files read is part of it: "
                       "imported as a system")
        elif entity.kind not in SYSTEM_KINDS:
            annotations = entity.metadata.get("annotations")
            if entity.kind == "system" and isinstance(annotations, dict) and any(
                    isinstance(k, str) and k.startswith(ANNOTATION) for k in list(annotations)[:1000]):
                draft.note(entity.where, f"{entity.ref}: its {ANNOTATION} annotations are not read: a System with "
                           "components is their group (part_of), not a system; annotate the components")
            continue
        wanted = slugify(entity.name if entity.namespace == "default" else f"{entity.namespace}.{entity.name}",
                         "system")
        ident = ids.claim(wanted)
        if ident != wanted:
            draft.note(entity.where, f"{entity.ref} gets the id {ident!r}: {wanted!r} is taken")
        out[entity.ref] = ident
        comments: list[str] = []
        values = _values(entity, ident, draft, comments, owners)
        values["part_of"] = _part_of(entity, entities) or None
        lifecycle = _text(entity.spec.get("lifecycle"))
        kept = extras(entity, lifecycle)
        draft.systems.append(Entry(values, f"{entity.where} {entity.ref}", comments,
                                   {"x-backstage": kept} if kept else {}))
    return out


def _title(entity: Entity | None, ref: str) -> str:
    if entity is None:
        return ref_name(ref)
    return _text(entity.metadata.get("title")) or entity.metadata["name"]


def _part_of(entity: Entity, entities: dict[str, Entity]) -> str:
    """``Domain / System / parent component`` for a component or resource."""
    levels: list[str] = []
    seen: set[str] = {entity.ref}
    here = entity
    while here.kind == "component" and _text(here.spec.get("subcomponentOf")):
        ref = parse_ref(str(here.spec["subcomponentOf"]), "component", here.namespace)
        if ref in seen:
            break
        seen.add(ref)
        parent = entities.get(ref)
        levels.insert(0, _title(parent, ref))
        if parent is None:
            break
        here = parent
    system_ref = _text(here.spec.get("system")) if here.kind in SYSTEM_KINDS else None
    if not system_ref:
        return " / ".join(levels)
    ref = parse_ref(system_ref, "system", here.namespace)
    system = entities.get(ref)
    levels.insert(0, _title(system, ref))
    domain_ref = _text(system.spec.get("domain")) if system is not None else None
    while domain_ref:
        ref = parse_ref(domain_ref, "domain", system.namespace if system else "default")
        if ref in seen:
            break
        seen.add(ref)
        domain = entities.get(ref)
        levels.insert(0, _title(domain, ref))
        domain_ref = _text(domain.spec.get("subdomainOf")) if domain is not None else None
    return " / ".join(levels)


class _Owners:
    """``spec.owner`` → a group name: a Group as it is; a User by the one group they are in."""

    def __init__(self, entities: dict[str, Entity], draft: Draft) -> None:
        self.entities, self.draft = entities, draft
        self.told: set[str] = set()

    def resolve(self, raw: str, entity: Entity, comments: list[str]) -> str:
        ref = parse_ref(raw, "group", entity.namespace)
        if ref_kind(ref) == "group" and ref not in self.entities and ":" not in raw:
            as_user = parse_ref(raw, "user", entity.namespace)
            ref = as_user if as_user in self.entities else ref
        if ref_kind(ref) != "user":
            return ref_name(ref)
        user = self.entities.get(ref)
        groups = strings(user.spec.get("memberOf"), user.where, "spec.memberOf", self.draft) if user else []
        if len(groups) == 1:
            group = ref_name(parse_ref(groups[0], "group", user.namespace if user else "default"))
            comments.append(f"owner {raw!r} is a user: written as their group {group!r}")
            return group
        if ref not in self.told:
            self.told.add(ref)
            why = "not in the files read" if user is None else f"a member of {len(groups)} groups"
            self.draft.note(entity.where, f"owner {ref} is a user, not a group ({why}): kept as the owner; "
                            "write the owning team")
        return ref_name(ref)


def _values(entity: Entity, ident: str, draft: Draft, comments: list[str], owners: _Owners) -> dict[str, Any]:
    meta, spec, where = entity.metadata, entity.spec, entity.where
    values: dict[str, Any] = {"id": ident, "name": _text(meta.get("title")) or _text(meta.get("name"))}
    values["description"] = _text(meta.get("description"))
    owner = _text(spec.get("owner"))
    values["owner"] = owners.resolve(owner, entity, comments) if owner else None
    lifecycle = _text(spec.get("lifecycle"))
    if lifecycle:
        mapped = LIFECYCLES.get(lifecycle.lower()) or col.LIFECYCLE_SYNONYMS.get(col.normalise(lifecycle))
        if lifecycle.lower() == "experimental":
            comments.append("Backstage lifecycle 'experimental': running, so counted as active")
        elif mapped is None:
            draft.note(where, f"{entity.ref}: lifecycle {lifecycle!r} is not known: written as active")
            comments.append(f"Backstage lifecycle {lifecycle!r}")
        elif mapped != "active":
            values["lifecycle"] = mapped
    tags = strings(meta.get("tags"), where, "metadata.tags", draft)
    kind_type = _text(spec.get("type"))
    values["tags"] = list(dict.fromkeys([*tags, *([kind_type] if kind_type else [])]))
    _annotations(entity, values, draft)
    return values


def _report(entities: dict[str, Entity], draft: Draft) -> None:
    unmapped: dict[str, list[Entity]] = {}
    fields: dict[tuple[str, str], list[Entity]] = {}
    for entity in entities.values():
        if entity.kind not in (*SYSTEM_KINDS, "system", "domain", "api", "group", "user"):
            unmapped.setdefault(entity.kind, []).append(entity)
            continue
        for key in list(entity.spec)[:100]:
            if isinstance(key, str) and key not in READ_SPEC.get(entity.kind, ()):
                fields.setdefault((entity.doc["kind"], key), []).append(entity)
    for kind, group in sorted(unmapped.items()):
        shown = ", ".join(e.ref for e in group[:3]) + (", ..." if len(group) > 3 else "")
        noun = f"entit{'y is' if len(group) == 1 else 'ies are'}"
        draft.note(group[0].where, f"{len(group)} {group[0].doc['kind']} {noun} "
                   f"not mapped to systems or flows ({shown})")
    for (kind, key), group in sorted(fields.items()):
        shown = ", ".join(e.ref for e in group[:3]) + (", ..." if len(group) > 3 else "")
        draft.note(group[0].where, f"spec.{key} of {len(group)} {kind} entit{'y' if len(group) == 1 else 'ies'} "
                   f"is not mapped ({shown})")


def _annotations(entity: Entity, values: dict[str, Any], draft: Draft) -> None:
    annotations = entity.metadata.get("annotations")
    if not isinstance(annotations, dict):
        return
    where = entity.where
    for key, raw in annotations.items():
        if not (isinstance(key, str) and key.startswith(ANNOTATION)):
            continue
        field = key[len(ANNOTATION):].replace("-", "_")
        text = _text(raw)
        if text is None:
            continue
        try:
            if field in ("vendor",):
                values["vendor"] = text
            elif field in ("capabilities", "roles"):
                items = col.split_list(text)
                values[field] = [slugify(i) for i in items] if field == "capabilities" else [col.role(i) for i in items]
            elif field == "data":
                values["data"] = _data(text, where, draft)
            elif field == "annual_cost":
                values["annual_cost"] = col.parse_cost(text)
            elif field == "it_reviewed":
                values["it_reviewed"] = col.parse_bool(text)
            elif field == "direction":
                draft.note(where, f"{entity.ref}: annotation {key!r} applies to APIs only: ignored")
            else:
                draft.note(where, f"{entity.ref}: annotation {key!r} is not a stackmap field: ignored")
        except ValueError as exc:
            draft.note(where, f"{entity.ref}: annotation {key}: {exc}: left out (the annotation is kept under "
                       "x-backstage)")


def _data(text: str, where: str, draft: Draft) -> list[str]:
    out: list[str] = []
    for item in col.split_list(text):
        category = slugify(item, "data")
        category = col.DATA_SYNONYMS.get(category, category)
        draft.use_category(category, where)
        out.append(category)
    return list(dict.fromkeys(out))
