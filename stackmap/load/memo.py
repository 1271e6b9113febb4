"""The workspace's memory of per-file results: one result per file version, in front of the cache on disk.

Every result is keyed by a digest of the exact bytes it came from (and whether the file was named
explicitly), so a stale answer is impossible. A file's new result shares the entry objects of its
previous version wherever an entry is unchanged, so that what the editing loop keeps between
versions compares them by identity.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .loader import FileCache
from .model import entry_values
from .results import SECTION_MODELS, FileResult
from .sources import Source


class Memo:
    """A :class:`FileCache` in memory, one result per file (its latest bytes), in front of an
    optional cache on disk."""

    def __init__(self, disk: FileCache | None) -> None:
        self.disk = disk
        self.kept: dict[str, dict[bytes, FileResult]] = {}
        self.parsed = 0
        """Files parsed (not found in memory or on disk) since the workspace was created."""
        self._digests: dict[int, tuple[Source, bytes]] = {}

    def key(self, source: Source) -> bytes:
        """The digest of a source's bytes (and whether it was named explicitly), computed once per
        source object: a file that did not change keeps its object between loads."""
        kept = self._digests.get(id(source))
        if kept is not None and kept[0] is source:
            return kept[1]
        hasher = hashlib.sha256(b"explicit" if source.explicit else b"walked")
        hasher.update(source.data)
        digest = hasher.digest()
        self._digests[id(source)] = (source, digest)
        return digest

    def get(self, source: Source) -> FileResult | None:
        key = self.key(source)
        found = self.kept.get(source.display, {}).get(key)
        if found is None and self.disk is not None:
            found = self.disk.get(source)
            if found is not None:
                self._keep(source.display, key, found)
        return found

    def put(self, source: Source, result: FileResult) -> None:
        self.parsed += 1
        versions = self.kept.get(source.display)
        if versions:
            share_entries(next(reversed(versions.values())), result)
        self._keep(source.display, self.key(source), result)
        if self.disk is not None:
            self.disk.put(source, result)

    def _keep(self, display: str, key: bytes, result: FileResult) -> None:
        """Keep the two latest versions of a file: its buffer and its saved text."""
        versions = self.kept.setdefault(display, {})
        versions.pop(key, None)
        versions[key] = result
        while len(versions) > 2:
            del versions[next(iter(versions))]

    def latest(self, source: Source) -> FileResult | None:
        return self.kept.get(source.display, {}).get(self.key(source))

    def forget(self, keep: set[str], sources: list[Source]) -> None:
        """Drop what belongs to files no longer read, and the digests of sources no longer current."""
        for display in [d for d in self.kept if d not in keep]:
            del self.kept[display]
        current = {id(s) for s in sources}
        self._digests = {i: kept for i, kept in self._digests.items() if i in current}


def share_entries(before: FileResult, after: FileResult) -> None:
    """Give a file's new result the entry objects of its previous version wherever an entry is
    unchanged (models are immutable), so that what is kept between versions compares them by
    identity: after a one-line edit, one entry of the file is new, not all of them."""
    old, new = before.content, after.content
    if old is None or new is None or before.valid is not None or after.valid is not None:
        return
    for section in SECTION_MODELS:
        was, now = getattr(old, section), getattr(new, section)
        if not was or not now:
            continue
        by_value: dict[tuple[Any, ...], list[Any]] = {}
        for entry in reversed(was):
            by_value.setdefault(entry_values(entry), []).append(entry)
        for i, entry in enumerate(now):
            candidates = by_value.get(entry_values(entry))
            if candidates:  # each old object once: two equal entries stay two objects
                now[i] = candidates.pop()
