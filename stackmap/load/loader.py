"""Files → validated per-file models, every problem collected with its ``file:line:col``.

Each file is decoded (UTF-8, strictly), parsed with :mod:`stackmap.load.yamlio` and validated with the
strict models of :mod:`stackmap.load.model`. Nothing is reported until every file has been read, so one
bad file never hides another. Cross-file checks live in :mod:`stackmap.load.inventory`.
"""

from __future__ import annotations

import datetime
import difflib
import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ValidationError

from ..errors import Problem, UsageError
from ..hints import suggest
from .limits import DEFAULT_LIMITS, Limits, env_name
from .model import (
    TOP_LEVEL_KEYS,
    CapabilityDef,
    DataCategoryDef,
    Flow,
    InventoryFile,
    System,
)
from .sources import Source
from .yamlio import IGNORE_KEY, Parsed, YamlProblem, compose, locate, parse, show

SECTION_MODELS: dict[str, type[BaseModel]] = {
    "systems": System,
    "flows": Flow,
    "capabilities": CapabilityDef,
    "data_categories": DataCategoryDef,
}


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building large acyclic object graphs (it costs ~40 % of a load).

    On the way out what was built moves to the collector's permanent generation (``gc.freeze``)
    before the collector runs again: its next run would otherwise walk every object built while
    it was paused (~30 ms after each edit in the language server at 10,000 systems). Garbage among
    those objects is still freed by reference counting; the server reclaims the rare cycles with
    an occasional full collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


@dataclass
class FileDoc:
    """One valid file: its model, and what is needed to point back into it."""

    source: Source
    content: InventoryFile
    marks: dict[str, list[tuple[int, int]]]
    """0-based (line, column) of every entry of every section, by section and index."""
    valid: dict[str, list[tuple[int, Any]]] | None = None
    """For a file with invalid entries: the entries that are valid, by section (else ``None``)."""
    ignores: dict[str, dict[int, list[tuple[str, str, int, int]]]] = field(default_factory=dict)
    """Inline waivers (``x-stackmap-ignore``): section → entry index → (rule, reason, line, column)."""
    refs: list[tuple[int, str, str]] = field(default_factory=list)
    """The ``from``/``to`` of flows that failed validation (index, end, system id): checked against
    the systems all the same, so a bad mechanism does not hide a dangling reference."""
    derived: dict[str, Any] = field(default_factory=dict, repr=False)
    """What later stages compute from this file alone (its share of the join), kept with its
    :class:`FileResult` so an unchanged file is not walked again; never stored on disk."""
    _text: str | None = field(default=None, repr=False)
    _tree: Any = field(default=None, repr=False)
    _composed: bool = field(default=False, repr=False)

    @property
    def text(self) -> str:
        """The file's text (decoded on first use: a file read from the cache is not decoded)."""
        if self._text is None:
            self._text = decode(self.source)
        return self._text

    def entries(self, section: str) -> list[tuple[int, Any]]:
        """The valid entries of ``section`` with their index in the file."""
        if self.valid is not None:
            return self.valid.get(section, [])
        return list(enumerate(getattr(self.content, section) or ()))

    def mark_of(self, section: str, index: int) -> tuple[int, int]:
        """1-based (line, column) of entry ``index`` of ``section``."""
        line, col = self.marks[section][index]
        return line + 1, col + 1

    def where(self, path: tuple[object, ...], key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value (or key) at ``path``; composes the file once."""
        if not self._composed:
            self._tree = compose(self.text)
            self._composed = True
        node = locate(self._tree, path, key)
        if node is None:
            return 1, 1
        return node.start_mark.line + 1, node.start_mark.column + 1

    def problem(self, path: tuple[object, ...], message: str, key: bool = False) -> Problem:
        line, col = self.where(path, key)
        return Problem(self.source.display, line, col, message)


FileKind = Literal["error", "empty", "skipped", "inventory"]

FLOW_REFS = "flow-refs"
"""Key in :attr:`FileResult.claimed` for the references of flows that failed validation
(``index<TAB>end<TAB>system id``), so they survive the cache like the claimed ids."""


@dataclass
class FileResult:
    """What one file contributes on its own, whatever the other files say: the unit of the cache."""

    kind: FileKind
    """``error``: unreadable (problems only); ``empty``: no document; ``skipped``: not an inventory
    (a walked file, clarification 1); ``inventory``: validated (possibly with invalid entries)."""
    problems: list[tuple[int, int, str]] = field(default_factory=list)
    """1-based (line, column, message) of every problem in the file."""
    content: InventoryFile | None = None
    valid: dict[str, list[tuple[int, Any]]] | None = None
    marks: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    claimed: dict[str, list[str]] = field(default_factory=dict)
    """Ids written on invalid entries, by section."""
    ignores: dict[str, dict[int, list[tuple[str, str, int, int]]]] = field(default_factory=dict)
    """Inline waivers by section and entry index: (rule, reason, 1-based line, column)."""
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Results later stages derive from this file alone (see :attr:`FileDoc.derived`); in memory only."""


class FileCache(Protocol):
    """Where per-file results are kept between runs (see :mod:`stackmap.load.cache`)."""

    def get(self, source: Source) -> FileResult | None: ...

    def put(self, source: Source, result: FileResult) -> None: ...


@dataclass
class Loaded:
    """The result of loading every file: the valid ones, the problems, the notes."""

    docs: list[FileDoc] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    files: int = 0
    inventories: list[str] = field(default_factory=list)
    """Display paths of the files read as inventories (empty ones included, skipped ones not)."""
    claimed: dict[str, set[str]] = field(default_factory=dict)
    """Ids written on invalid entries, by section: references to them are not reported again."""
    unread: list[str] = field(default_factory=list)
    """Display paths of files that could not be read or parsed: their ids are unknown, so a
    reference to an unknown id may point into one of them."""
    notes: list[str] = field(default_factory=list)
    """What the file discovery skipped and why (links, pipes)."""
    cached: int = 0
    """Files whose result came from the cache."""


def decode(source: Source) -> str:
    """The file's text; raises :class:`YamlProblem` at the first byte that is not UTF-8."""
    data = source.data
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n")
        col = exc.start - (before.rfind(b"\n") + 1)
        raise YamlProblem(
            line, col, f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded (save the file as UTF-8)"
        ) from None


def load(
    sources: list[Source],
    limits: Limits = DEFAULT_LIMITS,
    cache: FileCache | None = None,
    stages: dict[str, float] | None = None,
) -> Loaded:
    """Parse and validate every source (or take its result from ``cache``), collecting all problems.

    ``stages``, when given, accumulates the seconds spent parsing and validating.
    """
    result = Loaded(files=len(sources))
    entries = 0
    with gc_paused():
        for source in sources:
            if source.error is not None:
                result.problems.append(Problem(source.display, 1, 1, source.error))
                result.unread.append(source.display)
                continue
            found = cache.get(source) if cache is not None else None
            if found is None:
                found = read_file(source, limits, stages)
                if cache is not None:
                    cache.put(source, found)
            else:
                result.cached += 1
            _collect(source, found, result)
            entries += sum(len(marks) for marks in found.marks.values())
            if entries > limits.max_total_entries:
                raise UsageError(f"the inventory files hold more than {limits.max_total_entries:,} entries "
                                 f"together (the limit; set {env_name('max_total_entries')} to raise it)")
    return result


def _collect(source: Source, found: FileResult, result: Loaded) -> None:
    display = source.display
    result.problems.extend(Problem(display, line, col, message) for line, col, message in found.problems)
    if found.kind == "skipped":
        result.skipped.append(display)
    elif found.kind != "error":
        result.inventories.append(display)
    else:
        result.unread.append(display)
    for section, ids in found.claimed.items():
        if section != FLOW_REFS:
            result.claimed.setdefault(section, set()).update(ids)
    if found.kind == "inventory" and found.content is not None:
        refs = [(int(i), end, value) for i, end, value in
                (ref.split("\t", 2) for ref in found.claimed.get(FLOW_REFS, ()))]
        result.docs.append(FileDoc(source, found.content, found.marks, found.valid, found.ignores, refs,
                                   found.derived))


def read_file(source: Source, limits: Limits = DEFAULT_LIMITS,
              stages: dict[str, float] | None = None) -> FileResult:
    """Parse and validate one file on its own."""
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
    start = time.perf_counter()
    try:
        return _validate(source, text, parsed, problems)
    finally:
        if stages is not None:
            stages["validate"] = stages.get("validate", 0.0) + time.perf_counter() - start


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


def _validate(source: Source, text: str, parsed: Parsed,
              problems: list[tuple[int, int, str]]) -> FileResult:
    data: dict[Any, Any] = parsed.data
    marks = _entry_marks(data, parsed.marks)
    doc = FileDoc(source, InventoryFile(), marks, _text=text)
    found = FileResult("inventory", problems, marks=marks)
    if parsed.ignores:
        found.ignores = _entry_ignores(doc, data, parsed.ignores, problems)
    try:
        found.content = InventoryFile.model_validate(data)
    except ValidationError as exc:
        bad: set[tuple[str, int]] = set()
        for error in exc.errors(include_url=False):
            p = _problem(doc, error)
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
    doc: FileDoc, data: dict[Any, Any], kept: dict[int, tuple[Any, int, int]],
    problems: list[tuple[int, int, str]],
) -> dict[str, dict[int, list[tuple[str, str, int, int]]]]:
    """The ``x-stackmap-ignore: {rule-id: reason}`` of each system and flow, each problem reported."""
    out: dict[str, dict[int, list[tuple[str, str, int, int]]]] = {}
    for section in ("systems", "flows"):
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            found = kept.get(id(item))
            if found is None:
                continue
            value, line, col = found
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


def _dotted(loc: tuple[object, ...]) -> str:
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            name = str(step)
            out += ("." if out else "") + (name if len(name) <= 60 else name[:59] + "…")
    return out


def _fields(loc: tuple[object, ...]) -> list[str]:
    """The field names (by alias) of the model that owns the last step of ``loc``."""
    model: type[BaseModel] = InventoryFile
    if len(loc) >= 3 and loc[0] in SECTION_MODELS:
        model = SECTION_MODELS[str(loc[0])]
    return [f.alias or name for name, f in model.model_fields.items()]


_YAML_READS = {bool: "a boolean", int: "a number", float: "a number", datetime.date: "a date",
               datetime.datetime: "a timestamp"}


def _problem(doc: FileDoc, error: Any) -> Problem:
    loc: tuple[object, ...] = tuple(error["loc"])
    kind: str = error["type"]
    value = error.get("input")
    where = _dotted(loc)
    if kind == "extra_forbidden":
        name = str(loc[-1]) if isinstance(loc[-1], str) else show(loc[-1])
        hint = suggest(name, _fields(loc)) if len(name) <= 60 else ""
        return doc.problem(loc, f"{where}: unknown field {show(name)}{hint}", key=True)
    if kind == "invalid_key":  # a key YAML read as a number, boolean, date or null: `yes:`, `3:`, `~:`
        path = (*loc[:-1], value)
        line, col = doc.where(path, key=True)
        node = locate(doc._tree, path, key=True)
        raw = getattr(node, "value", "")
        raw = raw if isinstance(raw, str) and 0 < len(raw) <= 60 and "\n" not in raw else ""
        reads = next((v for t, v in _YAML_READS.items() if type(value) is t), "null" if value is None else "")
        text = f"{_dotted(loc[:-1]) or 'file'}: unknown field {raw or show(value)}"
        if reads:
            text += f"; YAML reads it as {reads}" + (f": quote it if it is meant: \"{raw}\"" if raw else "")
        return Problem(doc.source.display, line, col, text)
    if kind == "missing":
        return doc.problem(loc[:-1], f"{_dotted(loc[:-1]) or 'file'}: missing required field {loc[-1]!r}")
    if kind == "string_type":
        if value is None:
            return doc.problem(loc, f"{where}: is empty; give it a value")
        reads = next((v for t, v in _YAML_READS.items() if type(value) is t), None)
        if reads is not None:
            line, col = doc.where(loc)
            raw = _raw_scalar(doc, loc)
            hint = f"; quote it: \"{raw}\"" if raw else "; quote it"
            return Problem(
                doc.source.display, line, col,
                f"{where}: expected a string, but YAML reads {raw or show(value)} as {reads}{hint}",
            )
        return doc.problem(loc, f"{where}: expected a string, got {show(value)}")
    if kind == "string_pattern_mismatch":
        return doc.problem(
            loc,
            f"{where}: {show(value)} is not a valid id: use lowercase letters, digits, '.', '_' "
            "and '-', starting with a letter or digit",
        )
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ",").split(",") if c.strip()]
        hint = suggest(value, choices) if isinstance(value, str) else ""
        return doc.problem(loc, f"{where}: {show(value)} is not one of {', '.join(choices)}{hint}")
    if kind == "bool_type":
        return doc.problem(loc, f"{where}: expected true or false, got {show(value)}")
    if kind in ("float_type", "int_type"):
        return doc.problem(loc, f"{where}: expected a number, got {show(value)}")
    if kind == "finite_number":
        return doc.problem(loc, f"{where}: expected a finite number, got {show(value)}")
    if kind == "greater_than_equal":
        return doc.problem(loc, f"{where}: must be 0 or more, got {show(value)}")
    if kind == "list_type":
        return doc.problem(loc, f"{where}: expected a list, got {show(value)}")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return doc.problem(loc, f"{where}: expected a mapping, got {show(value)}")
    if kind == "string_too_short":
        return doc.problem(loc, f"{where}: must not be empty")
    return doc.problem(loc, f"{where}: {error['msg']}")


def _raw_scalar(doc: FileDoc, loc: tuple[object, ...]) -> str:
    """The scalar as written in the file (``0123`` rather than 83), bounded."""
    if not doc._composed:
        doc.where(loc)
    node = locate(doc._tree, loc)
    raw = getattr(node, "value", None)
    if isinstance(raw, str) and len(raw) <= 60 and "\n" not in raw:
        return raw
    return ""
