"""A content-addressed cache of per-file results, so a re-check parses only the files that changed.

An entry holds what one file yields on its own (:class:`stackmap.loader.FileResult`: problems, entry
marks, validated entries). Its key is a SHA-256 of the file's bytes, whether it was named explicitly,
the limits, and the versions of stackmap (with a digest of the modules that read files), pydantic and
PyYAML: any change there is a miss, never a stale hit. Everything that spans files (ids, references,
definitions, rules) runs again on every check.

Entries are JSON, never pickles: a header line ``stackmap-cache/1 <key> <sha256 of the body>`` and
the body, read back through strict pydantic models, so a corrupt, truncated or foreign entry is
ignored (and rewritten), and a well-formed one can only ever yield values the models accept. The
cache is trusted like the working tree it sits in: do not restore one from a source you would not
let edit the inventory.

Location: ``$STACKMAP_CACHE_DIR`` if set; else ``.stackmap-cache/`` at the root of the git work
tree holding the inventory; else the user cache directory (``$XDG_CACHE_HOME/stackmap`` or
``~/.cache/stackmap``). A cache that cannot be written is silently not written.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from .. import __version__
from ..errors import StackmapError
from .limits import DEFAULT_LIMITS, Limits
from .loader import FileResult
from .model import CapabilityDef, DataCategoryDef, Flow, InventoryFile, System
from ..output import write_atomic
from .sources import Source, git_root

FORMAT = b"stackmap-cache/1"
CACHE_DIR_NAME = ".stackmap-cache"
_CODE = ("load/yamlio.py", "load/loader.py", "load/model.py", "load/limits.py", "hints.py", "load/cache.py", "__init__.py")


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class _Valid(_Strict):
    systems: list[tuple[int, System]] = []
    flows: list[tuple[int, Flow]] = []
    capabilities: list[tuple[int, CapabilityDef]] = []
    data_categories: list[tuple[int, DataCategoryDef]] = []


class _Entry(_Strict):
    kind: Literal["error", "empty", "skipped", "inventory"]
    problems: list[tuple[int, int, str]]
    content: InventoryFile | None
    valid: _Valid | None
    marks: dict[str, list[tuple[int, int]]]
    claimed: dict[str, list[str]]
    ignores: dict[str, dict[str, list[tuple[str, str, int, int]]]] = {}
    """Inline waivers by section and entry index (as text: JSON keys are strings)."""


def _code_digest() -> str:
    """A digest of the modules whose behaviour decides a file's result (catches edits in place)."""
    digest = hashlib.sha256()
    here = Path(__file__).parent.parent
    for name in _CODE:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.hexdigest()


class Cache:
    """Per-file results under ``root``; implements :class:`stackmap.loader.FileCache`."""

    def __init__(self, root: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        import pydantic
        import yaml

        self.root = root
        self.hits = 0
        self.misses = 0
        salt = "\0".join([
            FORMAT.decode(), __version__, _code_digest(), pydantic.VERSION, yaml.__version__,
            repr(limits),
        ])
        self._salt = hashlib.sha256(salt.encode()).digest()
        self._ready = False

    def key(self, source: Source) -> str:
        digest = hashlib.sha256(self._salt)
        digest.update(b"explicit" if source.explicit else b"walked")
        digest.update(source.data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key[2:]}.json"

    def get(self, source: Source) -> FileResult | None:
        """The stored result for this exact file, or ``None`` (missing, corrupt, foreign)."""
        key = self.key(source)
        try:
            raw = self._path(key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        found = decode_entry(raw, key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, source: Source, result: FileResult) -> None:
        """Store a result; any failure to write is ignored (the cache is only an accelerator)."""
        key = self.key(source)
        try:
            self._prepare()
            write_atomic(self._path(key), encode_entry(result, key))
        except (OSError, StackmapError):
            return

    def _prepare(self) -> None:
        """Create the cache folder, marked so that git and backup tools leave it alone."""
        if self._ready:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        ignore = self.root / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Created by stackmap: a cache, safe to delete.\n*\n", encoding="utf-8")
        tag = self.root / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n"
                           "# This file marks a cache folder created by stackmap.\n", encoding="utf-8")
        self._ready = True


def encode_entry(result: FileResult, key: str) -> bytes:
    """The bytes of one entry: header line, then the JSON body."""
    valid = None
    if result.valid is not None:
        valid = _Valid.model_construct(**{k: v for k, v in result.valid.items()})
    entry = _Entry.model_construct(
        kind=result.kind, problems=result.problems, content=result.content, valid=valid,
        marks=result.marks, claimed=result.claimed,
        ignores={sec: {str(i): v for i, v in by_index.items()} for sec, by_index in result.ignores.items()},
    )
    body = entry.model_dump_json(by_alias=True, exclude_unset=True).encode("utf-8")
    header = b"%s %s %s\n" % (FORMAT, key.encode(), hashlib.sha256(body).hexdigest().encode())
    return header + body


def decode_entry(raw: bytes, key: str) -> FileResult | None:
    """The result in an entry, or ``None`` unless header, key, checksum and schema all hold."""
    head, sep, body = raw.partition(b"\n")
    parts = head.split(b" ")
    if not sep or len(parts) != 3 or parts[0] != FORMAT or parts[1] != key.encode():
        return None
    if hashlib.sha256(body).hexdigest().encode() != parts[2]:
        return None
    try:
        entry = _Entry.model_validate_json(body)
    except (ValidationError, ValueError):
        return None
    valid: dict[str, list[tuple[int, Any]]] | None = None
    if entry.valid is not None:
        valid = {name: list(getattr(entry.valid, name)) for name in entry.valid.model_fields_set}
    try:
        ignores = {sec: {int(i): v for i, v in by_index.items()} for sec, by_index in entry.ignores.items()}
    except ValueError:
        return None
    return FileResult(entry.kind, entry.problems, entry.content, valid, entry.marks, entry.claimed, ignores)


def default_cache_dir(paths: list[Path], environ: dict[str, str] | None = None) -> Path:
    """Where the cache lives for an inventory at ``paths`` (see the module docstring)."""
    env = os.environ if environ is None else environ
    override = env.get("STACKMAP_CACHE_DIR")
    if override:
        return Path(override)
    if paths:
        root = git_root(Path(os.path.abspath(paths[0])))
        if root is not None:
            return root / CACHE_DIR_NAME
    home = env.get("HOME") or os.path.expanduser("~")
    base = env.get("XDG_CACHE_HOME") or os.path.join(home, ".cache")
    return Path(base) / "stackmap"


def default_cache(paths: list[Path], limits: Limits = DEFAULT_LIMITS) -> Cache:
    """The cache for an inventory at ``paths`` (what ``stackmap check`` uses without ``--no-cache``)."""
    return Cache(default_cache_dir(paths), limits)
