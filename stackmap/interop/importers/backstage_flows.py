"""Backstage relations → flows: ``dependsOn``/``dependencyOf``, and APIs from providers to consumers."""

from __future__ import annotations

from typing import Callable

from ..draft import Draft, Entry
from .backstage_read import Entity, parse_ref, ref_kind, strings
from .backstage_read import text as _text

ANNOTATION = "stackmap/"
DIRECTIONS = ("to-consumer", "to-provider", "both")
"""Values of the ``stackmap/direction`` annotation of an API: where its data goes."""


def dependencies(entities: dict[str, Entity], ids: dict[str, str], draft: Draft) -> None:
    for entity in entities.values():
        if entity.ref not in ids:
            continue
        spec = entity.spec
        for field, forward in (("dependsOn", True), ("dependencyOf", False)):
            for raw in strings(spec.get(field), entity.where, f"spec.{field}", draft):
                ref = parse_ref(raw, "component", entity.namespace)
                other = ids.get(ref)
                if other is None:
                    why = "is not in the files read"
                    if ref_kind(ref) == "system" and ref in entities:
                        why = "is a System (its components carry it as part_of; name the component)"
                    elif ref in entities:
                        why = f"is a {entities[ref].doc['kind']}, not a component or resource"
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


def apis(entities: dict[str, Entity], ids: dict[str, str], draft: Draft,
         read_data: Callable[[str, str, Draft], list[str]]) -> None:
    """``read_data(text, where, draft)`` reads an API's ``stackmap/data`` annotation."""
    providers: dict[str, list[str]] = {}
    consumers: dict[str, list[str]] = {}
    for entity in entities.values():
        if entity.ref not in ids:
            continue
        for field, table in (("providesApis", providers), ("consumesApis", consumers)):
            for raw in strings(entity.spec.get(field), entity.where, f"spec.{field}", draft):
                ref = parse_ref(raw, "api", entity.namespace)
                if ref_kind(ref) != "api" and ref in ids and field == "consumesApis":
                    if ids[ref] != ids[entity.ref]:
                        draft.add_flow(Entry(
                            {"from": ids[ref], "to": ids[entity.ref], "mechanism": "api",
                             "description": f"{ids[entity.ref]} consumes {ids[ref]}"},
                            f"{entity.where} {entity.ref} spec.consumesApis",
                            [f"consumesApis names the {ref_kind(ref)} {raw!r}, not an API: read as a dependency "
                             "on it; add the data it carries"]))
                    continue
                if ref not in entities or entities[ref].kind != "api":
                    why = "is not in the files read" if ref not in entities else \
                        f"is a {entities[ref].doc['kind']}, not an API"
                    draft.note(entity.where, f"{entity.ref}: {field} {raw!r} {why}: no flow")
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
            data = read_data(str(annotations[f"{ANNOTATION}data"]), entity.where, draft)
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
