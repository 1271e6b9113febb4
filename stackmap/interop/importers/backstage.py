"""``stackmap import backstage``: Backstage software catalog descriptors (``catalog-info.yaml``).

Files and folders (walked for ``*.yaml``/``*.yml``, hidden ones skipped), each with any number of
YAML documents, read with PyYAML's ``CSafeLoader`` (no arbitrary objects), a bound on documents per
file and on list lengths; values are only ever read field by field, never walked whole.

Mapping:

- ``Component``, ``System`` and ``Resource`` entities become systems: id from ``metadata.name``
  (``namespace.name`` outside the default namespace), name from ``metadata.title``, owner from
  ``spec.owner`` (the group's name), lifecycle from ``spec.lifecycle`` (``production`` → active,
  ``experimental`` → planned, ``deprecated`` → retiring), tags from ``metadata.tags`` and
  ``spec.type``. Annotations ``stackmap/vendor``, ``stackmap/capabilities``, ``stackmap/data``,
  ``stackmap/roles``, ``stackmap/annual-cost`` and ``stackmap/it-reviewed`` fill the fields
  Backstage has no place for.
- ``spec.dependsOn`` (and ``dependencyOf``) becomes a flow from the dependency to the dependent
  (data goes from what is used to what uses it); no data unless the dependency says so.
- An ``API`` becomes a flow from each component that ``providesApis`` it to each that
  ``consumesApis`` it: mechanism ``stream`` for AsyncAPI, else ``api``; data from the API's
  ``stackmap/data`` annotation. An API that consumers write into (a leads intake API) says so with
  ``stackmap/direction: to-provider`` (or ``both``).
- ``Group`` entities are read as owners. Other kinds (``User``, ``Domain``, ``Location``,
  ``Template``...), references to entities not in the files read, APIs without a provider or a
  consumer, and documents that are not Backstage entities are reported, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ...load.yamlio import show
from .. import columns as col
from ..draft import Draft, Entry, Ids, ImportOptions, slugify
from ..files import display, expand, read_bytes

SUFFIXES = (".yaml", ".yml")
MAX_DOCUMENTS = 10_000
"""Documents read per file."""
MAX_ITEMS = 10_000
"""Entries read per list (tags, dependsOn, providesApis...)."""

SYSTEM_KINDS = ("component", "system", "resource")
LIFECYCLES = {"production": "active", "experimental": "planned", "deprecated": "retiring"}
ANNOTATION = "stackmap/"
DIRECTIONS = ("to-consumer", "to-provider", "both")
"""Values of the ``stackmap/direction`` annotation of an API: where its data goes."""


@dataclass
class Entity:
    kind: str
    namespace: str
    name: str
    doc: dict[str, Any]
    where: str

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.namespace}/{self.name}"

    @property
    def metadata(self) -> dict[str, Any]:
        return self.doc["metadata"]

    @property
    def spec(self) -> dict[str, Any]:
        spec = self.doc.get("spec")
        return spec if isinstance(spec, dict) else {}


def read(paths: list[Path], options: ImportOptions) -> Draft:
    draft = Draft()
    entities: dict[str, Entity] = {}
    for path in expand(paths, SUFFIXES, recursive=True):
        name = display(path)
        draft.sources.append(name)
        for entity in _entities(path, name, draft):
            if entity.ref in entities:
                draft.note(entity.where, f"{entity.ref} is already defined at {entities[entity.ref].where}: "
                           "this one is ignored")
                continue
            entities[entity.ref] = entity
    ids = _systems(entities, draft)
    _dependencies(entities, ids, draft)
    _apis(entities, ids, draft)
    unmapped: dict[str, list[Entity]] = {}
    for entity in entities.values():
        if entity.kind not in (*SYSTEM_KINDS, "api", "group"):
            unmapped.setdefault(entity.kind, []).append(entity)
    for kind, group in sorted(unmapped.items()):
        shown = ", ".join(e.ref for e in group[:3]) + (", ..." if len(group) > 3 else "")
        draft.note(group[0].where, f"{len(group)} {group[0].doc['kind']} entit{'y is' if len(group) == 1 else 'ies are'} "
                   f"not mapped to systems or flows ({shown})")
    return draft


# ---- reading ----------------------------------------------------------------------------------

def _entities(path: Path, name: str, draft: Draft) -> list[Entity]:
    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        draft.error(name, "not UTF-8")
        return []
    out: list[Entity] = []
    loader = yaml.CSafeLoader(text)
    skipped = 0
    try:
        count = 0
        while loader.check_node():
            node = loader.get_node()
            count += 1
            if count > MAX_DOCUMENTS:
                draft.error(name, f"more than {MAX_DOCUMENTS:,} documents in one file")
                break
            where = f"{name}:{node.start_mark.line + 1}"
            doc = loader.construct_document(node)
            entity = _entity(doc, where, draft)
            if entity is None:
                skipped += doc is not None
            else:
                out.append(entity)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        draft.error(f"{name}:{line}", f"invalid YAML: {exc.problem or exc.context}")
    except yaml.YAMLError as exc:
        draft.error(name, f"invalid YAML: {exc}")
    except RecursionError:
        draft.error(name, "invalid YAML: nested too deeply")
    finally:
        loader.dispose()
    if skipped:
        draft.note(name, f"{skipped} YAML document{'s are' if skipped != 1 else ' is'} not a Backstage "
                   "entity (no backstage.io apiVersion): skipped")
    return out


def _entity(doc: Any, where: str, draft: Draft) -> Entity | None:
    if not isinstance(doc, dict):
        return None
    api = doc.get("apiVersion")
    if not (isinstance(api, str) and api.startswith("backstage.io/")):
        return None
    kind, metadata = doc.get("kind"), doc.get("metadata")
    if not isinstance(kind, str) or not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str):
        draft.note(where, "a Backstage entity without kind or metadata.name: skipped")
        return None
    namespace = metadata.get("namespace")
    namespace = namespace.lower() if isinstance(namespace, str) and namespace else "default"
    return Entity(kind.lower(), namespace, metadata["name"].lower(), doc, where)


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        text = str(value).strip()
        return text or None
    return None


def _strings(value: Any, where: str, what: str, draft: Draft) -> list[str]:
    """A list of strings (a single string is a list of one); other items reported."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if items is None:
        draft.note(where, f"{what}: expected a list, got {show(value)}: ignored")
        return []
    if len(items) > MAX_ITEMS:
        draft.note(where, f"{what}: only the first {MAX_ITEMS:,} of {len(items):,} entries are read")
        items = items[:MAX_ITEMS]
    out: list[str] = []
    for item in items:
        text = _text(item)
        if text is None:
            draft.note(where, f"{what}: {show(item)} is not a name: ignored")
        else:
            out.append(text)
    return out


def parse_ref(ref: str, default_kind: str, namespace: str = "default") -> str:
    """``[kind:][namespace/]name`` → ``kind:namespace/name``, lowercased (Backstage refs ignore case)."""
    kind, sep, rest = ref.partition(":")
    if not sep:
        kind, rest = default_kind, ref
    ns, sep, name = rest.partition("/")
    if not sep:
        ns, name = namespace, rest
    return f"{kind.strip().lower()}:{ns.strip().lower()}/{name.strip().lower()}"


# ---- mapping ----------------------------------------------------------------------------------

def _systems(entities: dict[str, Entity], draft: Draft) -> dict[str, str]:
    """Map the system-like entities; return entity ref → system id."""
    ids = Ids()
    out: dict[str, str] = {}
    for entity in entities.values():
        if entity.kind not in SYSTEM_KINDS:
            continue
        wanted = slugify(entity.name if entity.namespace == "default" else f"{entity.namespace}.{entity.name}",
                         "system")
        ident = ids.claim(wanted)
        if ident != wanted:
            draft.note(entity.where, f"{entity.ref} gets the id {ident!r}: {wanted!r} is taken")
        out[entity.ref] = ident
        comments: list[str] = []
        values = _values(entity, ident, draft, comments)
        draft.systems.append(Entry(values, f"{entity.where} {entity.ref}", comments))
    return out


def _values(entity: Entity, ident: str, draft: Draft, comments: list[str]) -> dict[str, Any]:
    meta, spec, where = entity.metadata, entity.spec, entity.where
    values: dict[str, Any] = {"id": ident, "name": _text(meta.get("title")) or _text(meta.get("name"))}
    values["description"] = _text(meta.get("description"))
    owner = _text(spec.get("owner"))
    values["owner"] = parse_ref(owner, "group", entity.namespace).split("/", 1)[1] if owner else None
    lifecycle = _text(spec.get("lifecycle"))
    if lifecycle:
        mapped = LIFECYCLES.get(lifecycle.lower()) or col.LIFECYCLE_SYNONYMS.get(col.normalise(lifecycle))
        if mapped is None:
            draft.note(where, f"{entity.ref}: lifecycle {lifecycle!r} is not known: written as active")
            comments.append(f"Backstage lifecycle {lifecycle!r}")
        elif mapped != "active":
            values["lifecycle"] = mapped
    tags = _strings(meta.get("tags"), where, "metadata.tags", draft)
    kind_type = _text(spec.get("type"))
    values["tags"] = list(dict.fromkeys([*tags, *([kind_type] if kind_type else [])]))
    for part in ("system", "domain"):
        if _text(spec.get(part)):
            comments.append(f"part of {part} {spec[part]}")
    _annotations(entity, values, draft)
    return values


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
            draft.error(where, f"{entity.ref}: annotation {key}: {exc}")


def _data(text: str, where: str, draft: Draft) -> list[str]:
    out: list[str] = []
    for item in col.split_list(text):
        category = slugify(item, "data")
        category = col.DATA_SYNONYMS.get(category, category)
        draft.use_category(category, where)
        out.append(category)
    return list(dict.fromkeys(out))


def _dependencies(entities: dict[str, Entity], ids: dict[str, str], draft: Draft) -> None:
    for entity in entities.values():
        if entity.ref not in ids:
            continue
        spec = entity.spec
        for field, forward in (("dependsOn", True), ("dependencyOf", False)):
            for raw in _strings(spec.get(field), entity.where, f"spec.{field}", draft):
                ref = parse_ref(raw, "component", entity.namespace)
                other = ids.get(ref)
                if other is None:
                    why = "is not a component, system or resource" if ref in entities else "is not in the files read"
                    draft.note(entity.where, f"{entity.ref}: {field} {raw!r} {why}: no flow")
                    continue
                source, target = (other, ids[entity.ref]) if forward else (ids[entity.ref], other)
                if source == target:
                    continue
                draft.add_flow(Entry(
                    {"from": source, "to": target, "description": f"{target} depends on {source}"},
                    f"{entity.where} {entity.ref} spec.{field}",
                    ["direction: from the dependency to the dependent; add the data it carries"],
                ))


def _apis(entities: dict[str, Entity], ids: dict[str, str], draft: Draft) -> None:
    providers: dict[str, list[str]] = {}
    consumers: dict[str, list[str]] = {}
    for entity in entities.values():
        if entity.ref not in ids:
            continue
        for field, table in (("providesApis", providers), ("consumesApis", consumers)):
            for raw in _strings(entity.spec.get(field), entity.where, f"spec.{field}", draft):
                ref = parse_ref(raw, "api", entity.namespace)
                if ref not in entities:
                    draft.note(entity.where, f"{entity.ref}: {field} {raw!r} is not in the files read: no flow")
                    continue
                table.setdefault(ref, []).append(ids[entity.ref])
    for entity in entities.values():
        if entity.kind != "api":
            continue
        made, provided, consumed = 0, providers.get(entity.ref, []), consumers.get(entity.ref, [])
        api_type = (_text(entity.spec.get("type")) or "").lower()
        data: list[str] = []
        annotations = entity.metadata.get("annotations")
        if isinstance(annotations, dict) and _text(annotations.get(f"{ANNOTATION}data")):
            data = _data(str(annotations[f"{ANNOTATION}data"]), entity.where, draft)
        title = _text(entity.metadata.get("title")) or entity.name
        direction = "to-consumer"
        if isinstance(annotations, dict) and _text(annotations.get(f"{ANNOTATION}direction")):
            direction = str(annotations[f"{ANNOTATION}direction"]).strip().lower()
            if direction not in DIRECTIONS:
                draft.error(entity.where, f"{entity.ref}: annotation {ANNOTATION}direction: {direction!r} is not "
                            f"one of {', '.join(DIRECTIONS)}")
                continue
        pairs = [(p, c) for p in provided for c in consumed]
        comment = f"direction: {direction} (set the API's {ANNOTATION}direction annotation to change it)"
        if direction != "to-consumer":
            pairs = [(c, p) for p, c in pairs] + (pairs if direction == "both" else [])
        for source, target in pairs:
            if source == target:
                continue
            made += 1
            draft.add_flow(Entry(
                {"from": source, "to": target, "data": data,
                 "mechanism": "stream" if api_type == "asyncapi" else "api",
                 "description": f"{title} API"},
                f"{entity.where} {entity.ref}",
                [comment] + ([] if data else ["the API names no data: add a stackmap/data annotation to it"]),
            ))
        if not made:
            missing = "provider" if not provided else "consumer" if not consumed else "other system"
            draft.note(entity.where, f"{entity.ref}: no {missing} in the files read: no flow")
