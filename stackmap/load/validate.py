"""One file → its :class:`FileResult`: decoded (UTF-8, strictly), parsed with
:mod:`stackmap.load.yamlio` and validated with the strict models of :mod:`stackmap.load.model`.

A file's result depends on its bytes alone (and whether it was named explicitly), never on the other
files: that is what lets :mod:`stackmap.load.cache` keep it, and a load read files in any process.
A file whose document is valid as a whole is validated in one call; one with invalid entries is
validated again entry by entry, so its valid entries still count and the ids its invalid ones claim
are known. Messages for validation errors come from :mod:`.messages`.
"""

from __future__ import annotations

import difflib
import time
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .limits import DEFAULT_LIMITS, Limits, env_name
from .messages import problem
from .model import TOP_LEVEL_KEYS, InventoryFile
from .results import FLOW_REFS, SECTION_MODELS, FileDoc, FileResult, decode
from .sources import Source
from .yaml_builder import IGNORE_KEY
from .yaml_scalars import YamlProblem, show
from .yamlio import Parsed, parse


@dataclass
class Prepared:
    """A file parsed and found to be an inventory, not yet validated: what validating it needs, with
    nothing keyed by object identity, so that it can come from another process
    (:mod:`stackmap.load.parallel`)."""

    data: dict[Any, Any]
    problems: list[tuple[int, int, str]]
    """1-based (line, column, message) of the problems found while parsing."""
    marks: dict[str, list[tuple[int, int]]]
    """0-based (line, column) of each entry of each section."""
    ignores: dict[tuple[str, int], tuple[Any, int, int]]
    """The ``x-stackmap-ignore`` value (with its 0-based line, column) of a system or flow, by
    (section, index)."""
    text: str | None = None
    """The decoded text, when in the process that parsed it (else decoded again if needed)."""


def read_file(source: Source, limits: Limits = DEFAULT_LIMITS,
              stages: dict[str, float] | None = None) -> FileResult:
    """Parse and validate one file on its own."""
    found = prepare(source, limits, stages)
    return found if isinstance(found, FileResult) else finish(source, found, stages)


def prepare(source: Source, limits: Limits = DEFAULT_LIMITS,
            stages: dict[str, float] | None = None) -> FileResult | Prepared:
    """Decode and parse one file: its result when that is already known (unreadable, empty, not an
    inventory, too many entries), else what :func:`finish` validates."""
    start = time.perf_counter()
    try:
        text = decode(source)
        parsed = parse(text, limits)
    except YamlProblem as exc:
        return FileResult("error", [(exc.line + 1, exc.column + 1, exc.message)])
    finally:
        if stages is not None:
            stages["parse"] = stages.get("parse", 0.0) + time.perf_counter() - start
    problems = [(p.line + 1, p.column + 1, p.message) for p in parsed.problems]
    data = parsed.data
    if data is None:
        return FileResult("empty", problems)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({show(data)})"
        problems.append((1, 1, f"the top level must be a mapping with {_keys_text()}, not {kind}"))
        return FileResult("error", problems)
    if not source.explicit and _not_an_inventory(data):
        return FileResult("skipped", problems)
    too_many = _too_many_entries(data, parsed.marks, limits.max_entries)
    if too_many is not None:
        return FileResult("error", [*problems, too_many])
    return Prepared(data, problems, _entry_marks(data, parsed.marks), _placed_ignores(data, parsed), text)


def finish(source: Source, prepared: Prepared, stages: dict[str, float] | None = None) -> FileResult:
    """Validate a prepared file with the strict models."""
    start = time.perf_counter()
    try:
        return _validate(source, prepared)
    finally:
        if stages is not None:
            stages["validate"] = stages.get("validate", 0.0) + time.perf_counter() - start


def _placed_ignores(data: dict[Any, Any], parsed: Parsed) -> dict[tuple[str, int], tuple[Any, int, int]]:
    """The kept ``x-stackmap-ignore`` values of the systems and flows, by (section, index)."""
    kept = parsed.ignores
    out: dict[tuple[str, int], tuple[Any, int, int]] = {}
    if not kept:
        return out
    for section in ("systems", "flows"):
        items = data.get(section)
        if isinstance(items, list):
            for index, item in enumerate(items):
                found = kept.get(id(item))
                if found is not None:
                    out[(section, index)] = found
    return out


def _too_many_entries(data: dict[Any, Any], marks: dict[int, tuple[int, int]],
                      limit: int) -> tuple[int, int, str] | None:
    """The problem, at the first entry past the limit, when a file holds more than ``limit`` entries."""
    sections = [s for key in TOP_LEVEL_KEYS if isinstance(s := data.get(key), list)]
    count = sum(len(s) for s in sections)
    if count <= limit:
        return None
    line = column = 0
    seen = 0
    for section in sections:
        if seen + len(section) > limit:
            entry = section[limit - seen]
            line, column = marks.get(id(entry), (0, 0)) if isinstance(entry, dict) else (0, 0)
            break
        seen += len(section)
    return (line + 1, column + 1, f"{count:,} entries (systems, flows, capabilities, data categories) in "
            f"one file, over the limit of {limit:,} (set {env_name('max_entries')} to raise it)")


def _keys_text() -> str:
    return ", ".join(TOP_LEVEL_KEYS[:-1]) + " or " + TOP_LEVEL_KEYS[-1]


def _not_an_inventory(data: dict[Any, Any]) -> bool:
    """A mapping with none of the inventory keys and no key close to one (clarification 1)."""
    for key in data:
        if not isinstance(key, str):
            continue
        if key in TOP_LEVEL_KEYS or difflib.get_close_matches(key, TOP_LEVEL_KEYS, n=1, cutoff=0.75):
            return False
    return True


def _validate(source: Source, prepared: Prepared) -> FileResult:
    data, problems, marks = prepared.data, prepared.problems, prepared.marks
    doc = FileDoc(source, InventoryFile(), marks, _text=prepared.text)
    found = FileResult("inventory", problems, marks=marks)
    if prepared.ignores:
        found.ignores = _entry_ignores(doc, prepared.ignores, problems)
    try:
        found.content = InventoryFile.model_validate(data)
    except ValidationError as exc:
        bad: set[tuple[str, int]] = set()
        for error in exc.errors(include_url=False):
            p = problem(doc, error)
            problems.append((p.line, p.column, p.message))
            loc = tuple(error["loc"])
            bad.add((str(loc[0]), loc[1] if len(loc) > 1 and isinstance(loc[1], int) else -1))
        found.content = InventoryFile()
        found.valid = _valid_entries(data, bad, found.claimed)
    return found


def _entry_marks(data: dict[Any, Any], marks: dict[int, tuple[int, int]]) -> dict[str, list[tuple[int, int]]]:
    """0-based (line, column) of each entry of each section (``(0, 0)`` for one that is no mapping)."""
    out: dict[str, list[tuple[int, int]]] = {}
    for section in SECTION_MODELS:
        items = data.get(section)
        if isinstance(items, list):
            out[section] = [marks.get(id(item), (0, 0)) for item in items]
    return out


def _entry_ignores(
    doc: FileDoc, kept: dict[tuple[str, int], tuple[Any, int, int]],
    problems: list[tuple[int, int, str]],
) -> dict[str, dict[int, list[tuple[str, str, int, int]]]]:
    """The ``x-stackmap-ignore: {rule-id: reason}`` of each system and flow, each problem reported
    (``kept`` is in file order: systems, then flows)."""
    out: dict[str, dict[int, list[tuple[str, str, int, int]]]] = {}
    for (section, index), (value, line, col) in kept.items():
        where = f"{section}[{index}].{IGNORE_KEY}"
        if not isinstance(value, dict) or not value:
            problems.append((line + 1, col + 1,
                             f"{where}: give each rule with its reason, e.g. "
                             f"`{IGNORE_KEY}: {{isolated-system: \"kept for audits until June\"}}`"))
            continue
        entries: list[tuple[str, str, int, int]] = []
        for rule, reason in value.items():
            path = (section, index, IGNORE_KEY, rule)
            if not isinstance(rule, str):
                problems.append((line + 1, col + 1, f"{where}: a rule id must be a string, got {show(rule)}"))
            elif not isinstance(reason, str) or not reason.strip():
                p = doc.problem(path, f"{where}.{rule}: give the reason as text")
                problems.append((p.line, p.column, p.message))
            else:
                r_line, r_col = doc.where(path, key=True)
                entries.append((rule, reason.strip(), r_line, r_col))
        if entries:
            out.setdefault(section, {})[index] = sorted(entries)
    return out


def _valid_entries(
    data: dict[Any, Any], bad: set[tuple[str, int]], claimed: dict[str, list[str]]
) -> dict[str, list[tuple[int, Any]]]:
    """Validate entry by entry the sections of a file that failed as a whole."""
    valid: dict[str, list[tuple[int, Any]]] = {}
    for section, model in SECTION_MODELS.items():
        items = data.get(section)
        if not isinstance(items, list) or (section, -1) in bad:
            continue
        keep: list[tuple[int, Any]] = []
        for i, item in enumerate(items):
            if (section, i) in bad:
                ident = item.get("id") if isinstance(item, dict) else None
                if isinstance(ident, str):
                    claimed.setdefault(section, []).append(ident)
                if section == "flows" and isinstance(item, dict):
                    for end in ("from", "to"):
                        value = item.get(end)
                        if isinstance(value, str) and "\t" not in value:
                            claimed.setdefault(FLOW_REFS, []).append(f"{i}\t{end}\t{value}")
                continue
            keep.append((i, model.model_validate(item)))
        valid[section] = keep
    return valid
