"""Files → validated per-file models, every problem collected with its ``file:line:col``.

Each file is decoded (UTF-8, strictly), parsed with :mod:`stackmap.yamlio` and validated with the
strict models of :mod:`stackmap.model`. Nothing is reported until every file has been read, so one
bad file never hides another. Cross-file checks live in :mod:`stackmap.inventory`.
"""

from __future__ import annotations

import datetime
import difflib
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .hints import suggest
from .model import (
    TOP_LEVEL_KEYS,
    CapabilityDef,
    DataCategoryDef,
    Flow,
    InventoryFile,
    System,
)
from .sources import Source
from .yamlio import Parsed, YamlProblem, compose, locate, parse, show

SECTION_MODELS: dict[str, type[BaseModel]] = {
    "systems": System,
    "flows": Flow,
    "capabilities": CapabilityDef,
    "data_categories": DataCategoryDef,
}


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building large acyclic object graphs (it costs ~40 % of a load)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class FileDoc:
    """One valid file: its model, and what is needed to point back into it."""

    source: Source
    text: str
    content: InventoryFile
    raw: dict[str, Any]
    marks: dict[int, tuple[int, int]]
    valid: dict[str, list[tuple[int, Any]]] | None = None
    """For a file with invalid entries: the entries that are valid, by section (else ``None``)."""
    ignores: dict[int, tuple[Any, int, int]] = field(default_factory=dict)
    """``x-stackmap-ignore`` values by ``id`` of the raw entry (see :attr:`stackmap.yamlio.Parsed.ignores`)."""
    _tree: Any = field(default=None, repr=False)
    _composed: bool = field(default=False, repr=False)

    def entries(self, section: str) -> list[tuple[int, Any]]:
        """The valid entries of ``section`` with their index in the file."""
        if self.valid is not None:
            return self.valid.get(section, [])
        return list(enumerate(getattr(self.content, section) or ()))

    def mark_of(self, section: str, index: int) -> tuple[int, int]:
        """1-based (line, column) of entry ``index`` of ``section``."""
        item = self.raw[section][index]
        line, col = self.marks.get(id(item), (0, 0))
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


def load(sources: list[Source]) -> Loaded:
    """Parse and validate every source, collecting all problems."""
    result = Loaded(files=len(sources))
    with gc_paused():
        for source in sources:
            _load_one(source, result)
    return result


def _load_one(source: Source, result: Loaded) -> None:
    display = source.display
    try:
        text = decode(source)
        parsed = parse(text)
    except YamlProblem as exc:
        result.problems.append(Problem(display, exc.line + 1, exc.column + 1, exc.message))
        return
    for p in parsed.problems:
        result.problems.append(Problem(display, p.line + 1, p.column + 1, p.message))
    data = parsed.data
    if data is None:
        result.inventories.append(display)
        return
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({show(data)})"
        result.problems.append(
            Problem(display, 1, 1, f"the top level must be a mapping with {_keys_text()}, not {kind}")
        )
        return
    if not source.explicit and _not_an_inventory(data):
        result.skipped.append(display)
        return
    result.inventories.append(display)
    _validate(source, text, parsed, result)


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


def _validate(source: Source, text: str, parsed: Parsed, result: Loaded) -> None:
    doc = FileDoc(source, text, InventoryFile(), parsed.data, parsed.marks, ignores=parsed.ignores)
    try:
        doc.content = InventoryFile.model_validate(parsed.data)
    except ValidationError as exc:
        bad: set[tuple[str, int]] = set()
        for error in exc.errors(include_url=False):
            result.problems.append(_problem(doc, error))
            loc = tuple(error["loc"])
            bad.add((str(loc[0]), loc[1] if len(loc) > 1 and isinstance(loc[1], int) else -1))
        doc.valid = _valid_entries(parsed.data, bad, result.claimed)
    result.docs.append(doc)


def _valid_entries(
    data: dict[Any, Any], bad: set[tuple[str, int]], claimed: dict[str, set[str]]
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
                    claimed.setdefault(section, set()).add(ident)
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
            out += ("." if out else "") + str(step)
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
        hint = suggest(name, _fields(loc))
        return doc.problem(loc, f"{where}: unknown field {name!r}{hint}", key=True)
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
