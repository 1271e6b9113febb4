"""A per-file cache of parse results, kept where nothing a pull request commits can reach it.

An entry holds what one file yields on its own (:class:`stackmap.load.results.FileResult`: problems,
entry marks, validated entries). Everything that spans files (ids, references, definitions, rules)
runs again on every check.

Trust. The cache lives outside the work tree (``$STACKMAP_CACHE_DIR``, else
``$XDG_CACHE_HOME/stackmap``, else ``~/.cache/stackmap``), so a committed ``.stackmap-cache`` folder
is never read. Every entry is authenticated with a per-machine secret: ``key`` in the cache folder,
32 random bytes created ``0600`` on first use. An entry's file name is an HMAC of the file's bytes
(with the versions of stackmap, pydantic and PyYAML, a digest of the modules that read files, and the
limits), and its header carries an HMAC of its body, so an entry this machine did not write is a
miss even if someone can write into the folder. A hit is then validated like a fresh parse (strict
models, line numbers of at least 1, marks for every entry), and anything that does not hold is a miss.

Links are never followed: every folder and file is opened relative to the cache folder with
``O_NOFOLLOW``; a cache folder that is a link, is not owned by the current user, or a key file that
is not a private regular file disables the cache for the run. A cache that cannot be written is
silently not written; the cache is only an accelerator.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from .. import __version__
from .limits import DEFAULT_LIMITS, Limits
from .model import CapabilityDef, DataCategoryDef, Flow, InventoryFile, System
from .cachedir import prepare, read_entry, write_entry
from .results import SECTION_MODELS, FileResult
from .sources import Source

FORMAT = b"stackmap-cache/2"
_CODE = ("load/yamlio.py", "load/yaml_builder.py", "load/yaml_anchors.py", "load/yaml_scalars.py",
         "load/results.py", "load/validate.py", "load/messages.py", "load/loader.py", "load/model.py",
         "load/limits.py", "hints.py", "load/cache.py", "__init__.py")


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
    """Per-file results under ``root``; implements :class:`stackmap.load.loader.FileCache`."""

    def __init__(self, root: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        import pydantic
        import yaml

        self.root = root
        self.hits = 0
        self.misses = 0
        salt = "\0".join([
            FORMAT.decode(), __version__, _code_digest(), pydantic.VERSION, yaml.__version__, repr(limits),
        ])
        self._salt = hashlib.sha256(salt.encode()).digest()
        self._secret: bytes | None = None
        self._state = "new"  # new → ready | off

    def key(self, source: Source) -> str:
        """The entry name for ``source``: an HMAC under this machine's secret (needs :meth:`_open`)."""
        assert self._secret is not None
        mac = hmac.new(self._secret, self._salt, hashlib.sha256)
        mac.update(b"explicit" if source.explicit else b"walked")
        mac.update(source.data)
        return mac.hexdigest()

    def get(self, source: Source) -> FileResult | None:
        """The stored result for this exact file, or ``None`` (missing, forged, corrupt, unsafe)."""
        found = None
        if self._open():
            key = self.key(source)
            raw = read_entry(self.root, key[:2], f"{key[2:]}.json")
            if raw is not None:
                found = decode_entry(raw, key, self._secret)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, source: Source, result: FileResult) -> None:
        """Store a result; any failure to write is ignored (the cache is only an accelerator)."""
        if not self._open():
            return
        key = self.key(source)
        try:
            write_entry(self.root, key[:2], f"{key[2:]}.json", encode_entry(result, key, self._secret))
        except OSError:
            return

    def _open(self) -> bool:
        """Create or check the cache folder and its key; false when the cache is off for this run."""
        if self._state == "new":
            try:
                self._secret = prepare(self.root)
                self._state = "ready"
            except OSError:
                self._state = "off"
        return self._state == "ready"


def _mac(secret: bytes | None, body: bytes) -> bytes:
    return hmac.new(secret or b"", body, hashlib.sha256).hexdigest().encode()


def encode_entry(result: FileResult, key: str, secret: bytes | None = None) -> bytes:
    """The bytes of one entry: header line (format, key, HMAC of the body), then the JSON body."""
    valid = None
    if result.valid is not None:
        valid = _Valid.model_construct(**{k: v for k, v in result.valid.items()})
    entry = _Entry.model_construct(
        kind=result.kind, problems=result.problems, content=result.content, valid=valid,
        marks=result.marks, claimed=result.claimed,
        ignores={sec: {str(i): v for i, v in by_index.items()} for sec, by_index in result.ignores.items()},
    )
    body = entry.model_dump_json(by_alias=True, exclude_unset=True).encode("utf-8")
    return b"%s %s %s\n" % (FORMAT, key.encode(), _mac(secret, body)) + body


def decode_entry(raw: bytes, key: str, secret: bytes | None = None) -> FileResult | None:
    """The result in an entry, or ``None`` unless header, key, HMAC, schema and consistency all hold."""
    head, sep, body = raw.partition(b"\n")
    parts = head.split(b" ")
    if not sep or len(parts) != 3 or parts[0] != FORMAT or parts[1] != key.encode():
        return None
    if not hmac.compare_digest(_mac(secret, body), parts[2]):
        return None
    try:
        entry = _Entry.model_validate_json(body)
        result = _result(entry)
    except (ValidationError, ValueError, TypeError, KeyError, IndexError):
        return None
    return result if _consistent(result) else None


def _result(entry: _Entry) -> FileResult:
    valid: dict[str, list[tuple[int, Any]]] | None = None
    if entry.valid is not None:
        valid = {name: list(getattr(entry.valid, name)) for name in entry.valid.model_fields_set}
    ignores = {sec: {int(i): v for i, v in by_index.items()} for sec, by_index in entry.ignores.items()}
    return FileResult(entry.kind, entry.problems, entry.content, valid, entry.marks, entry.claimed, ignores)


def _consistent(result: FileResult) -> bool:
    """What a fresh parse guarantees: positive positions, marks for every entry, known sections."""
    if any(line < 1 or col < 1 for line, col, _ in result.problems):
        return False
    if set(result.marks) - set(SECTION_MODELS) or set(result.claimed) - set(SECTION_MODELS):
        return False
    if any(line < 0 or col < 0 for marks in result.marks.values() for line, col in marks):
        return False
    if result.kind != "inventory":
        return result.content is None and result.valid is None and not result.marks and not result.ignores
    if result.content is None:
        return False
    for section in SECTION_MODELS:
        entries = getattr(result.content, section) or []
        if entries and len(result.marks.get(section, ())) != len(entries):
            return False
        for index, _ in (result.valid or {}).get(section, []):
            if not 0 <= index < len(result.marks.get(section, ())):
                return False
    for section, by_index in result.ignores.items():
        if section not in ("systems", "flows"):
            return False
        for index, waivers in by_index.items():
            if not 0 <= index < len(result.marks.get(section, ())):
                return False
            if any(line < 1 or col < 1 for _, _, line, col in waivers):
                return False
    return True


def default_cache_dir(paths: list[Path] | None = None, environ: dict[str, str] | None = None) -> Path:
    """Where the cache lives: never inside a work tree unless ``STACKMAP_CACHE_DIR`` says so.

    ``paths`` is accepted for compatibility and ignored: the location does not depend on the inventory.
    """
    env = os.environ if environ is None else environ
    override = env.get("STACKMAP_CACHE_DIR")
    if override:
        return Path(override)
    home = env.get("HOME") or os.path.expanduser("~")
    base = env.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative value is ignored (it would follow the cwd)
        base = os.path.join(home, ".cache")
    return Path(base) / "stackmap"


def default_cache(paths: list[Path], limits: Limits = DEFAULT_LIMITS) -> Cache:
    """The cache for an inventory at ``paths`` (what ``stackmap check`` uses without ``--no-cache``)."""
    return Cache(default_cache_dir(paths), limits)
