"""Reading Backstage catalog files: entities, entity references, and the values kept as extras.

Each file may hold any number of YAML documents, read with PyYAML's ``CSafeLoader`` (no arbitrary
objects), with a bound on documents per file and on list lengths; values are only ever read field
by field, never walked whole (an alias bomb under a key that is not read costs nothing).

A file is never fatal: one that is not UTF-8 or not valid YAML (a Helm ``templates/`` file, a
scaffolder skeleton), a document that is not a Backstage entity, and an entity whose name is a
template placeholder (``${{ values.name }}``, ``{{ .Values.name }}``) are skipped with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ...load.yaml_scalars import show
from ..draft import Draft
from ..files import read_bytes

MAX_DOCUMENTS = 10_000
"""Documents read per file."""
MAX_ITEMS = 10_000
"""Entries read per list or mapping (tags, dependsOn, providesApis, labels...)."""
MAX_TEXT = 2_000
"""Characters kept of one label, annotation or link."""
TEMPLATE_MARKS = ("${{", "{{")


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


def entities(path: Path, name: str, draft: Draft) -> list[Entity]:
    """The entities of one file; every problem with it is a note, never an error."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        draft.note(name, "not UTF-8: skipped")
        return []
    out: list[Entity] = []
    loader = yaml.CSafeLoader(text)
    skipped = templates = 0
    where = name
    try:
        count = 0
        while loader.check_node():
            node = loader.get_node()
            count += 1
            if count > MAX_DOCUMENTS:
                draft.note(name, f"more than {MAX_DOCUMENTS:,} documents: the rest of the file is skipped")
                break
            where = f"{name}:{node.start_mark.line + 1}"
            doc = loader.construct_document(node)
            if _is_template(doc):
                templates += 1
                continue
            entity = _entity(doc, where, draft)
            if entity is None:
                skipped += doc is not None
            else:
                out.append(entity)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        _unreadable(draft, f"{name}:{line}", f"{exc.problem or exc.context}", len(out))
    except yaml.YAMLError as exc:
        _unreadable(draft, name, str(exc), len(out))
    except (ValueError, OverflowError) as exc:  # a tag its value cannot be: `!!int forty`, `!!float 1e`
        _unreadable(draft, where, f"a value its tag does not allow: {show(str(exc))}", len(out))
    except RecursionError:
        _unreadable(draft, name, "nested too deeply", len(out))
    finally:
        loader.dispose()
    if templates:
        draft.note(name, f"{templates} YAML document{'s are templates' if templates != 1 else ' is a template'} "
                   "(a scaffolder skeleton or Helm chart: '${{' or '{{' in its kind or name): skipped")
    if skipped:
        draft.note(name, f"{skipped} YAML document{'s are' if skipped != 1 else ' is'} not a Backstage "
                   "entity (no backstage.io apiVersion): skipped")
    return out


def _unreadable(draft: Draft, where: str, problem: str, read: int) -> None:
    kept = f"the {read} entit{'y' if read == 1 else 'ies'} before it are kept" if read else "nothing read from it"
    draft.note(where, f"not valid YAML ({problem}): the rest of the file is skipped ({kept}); a Helm template "
               "or scaffolder skeleton can be left out with --exclude")


def _is_template(doc: Any) -> bool:
    if not isinstance(doc, dict):
        return False
    metadata = doc.get("metadata")
    values = [doc.get("apiVersion"), doc.get("kind"), metadata.get("name") if isinstance(metadata, dict) else None]
    return any(isinstance(v, str) and any(m in v for m in TEMPLATE_MARKS) for v in values)


def _entity(doc: Any, where: str, draft: Draft) -> Entity | None:
    if not isinstance(doc, dict):
        return None
    api = doc.get("apiVersion")
    if not (isinstance(api, str) and (api.startswith("backstage.io/") or ".backstage.io/" in api)):
        return None
    kind, metadata = doc.get("kind"), doc.get("metadata")
    if not isinstance(kind, str) or not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str):
        draft.note(where, "a Backstage entity without kind or metadata.name: skipped")
        return None
    namespace = metadata.get("namespace")
    namespace = namespace.lower() if isinstance(namespace, str) and namespace else "default"
    return Entity(kind.lower(), namespace, metadata["name"].lower(), doc, where)


def text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        out = str(value).strip()
        return out or None
    return None


def strings(value: Any, where: str, what: str, draft: Draft) -> list[str]:
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
        found = text(item)
        if found is None:
            draft.note(where, f"{what}: {show(item)} is not a name: ignored")
        else:
            out.append(found)
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


def ref_kind(ref: str) -> str:
    return ref.split(":", 1)[0]


def ref_name(ref: str) -> str:
    return ref.split("/", 1)[1]


def extras(entity: Entity, lifecycle: str | None) -> dict[str, str]:
    """Labels, annotations (other than ``stackmap/``), links and a lifecycle that is not
    ``production``, flattened to ``label/KEY``, ``annotation/KEY``, ``link/TITLE``, ``lifecycle``."""
    out: dict[str, str] = {}
    meta = entity.metadata
    for prefix, holder in (("label", meta.get("labels")), ("annotation", meta.get("annotations"))):
        if not isinstance(holder, dict):
            continue
        for i, (key, value) in enumerate(holder.items()):
            if i >= MAX_ITEMS:
                break
            if not isinstance(key, str):
                continue
            found = text(value)
            if found is not None:
                out[f"{prefix}/{key[:200]}"] = found[:MAX_TEXT]
    links = meta.get("links")
    if isinstance(links, list):
        for i, link in enumerate(links[:MAX_ITEMS]):
            if isinstance(link, dict) and text(link.get("url")):
                title = text(link.get("title")) or text(link.get("type")) or str(i + 1)
                out[f"link/{title[:200]}"] = str(text(link.get("url")))[:MAX_TEXT]
    if lifecycle and lifecycle.lower() != "production":
        out["lifecycle"] = lifecycle[:MAX_TEXT]
    return out
