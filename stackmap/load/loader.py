"""Files → validated per-file models, every problem collected with its ``file:line:col``.

Each file is read on its own (:func:`stackmap.load.validate.read_file`: decoded, parsed, validated),
or its result taken from a cache; nothing is reported until every file has been read, so one bad
file never hides another. Cross-file checks live in :mod:`stackmap.load.inventory`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from ..errors import Problem, UsageError
from .limits import DEFAULT_LIMITS, Limits, env_name
from .results import FLOW_REFS, FileDoc, FileResult
from .sources import Source
from .parallel import Helper, start
from .validate import Prepared, finish, read_file



@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building large acyclic object graphs (it costs ~40 % of a load).

    On the way out what was built moves to the collector's permanent generation (``gc.freeze``)
    before the collector runs again: its next run would otherwise walk every object built while
    it was paused (~30 ms after each edit in the language server at 10,000 systems). Garbage among
    those objects is still freed by reference counting; the servers reclaim the rare cycles with an
    occasional full collection (:class:`Cycles`)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


class FileCache(Protocol):
    """Where per-file results are kept between runs (see :mod:`stackmap.load.cache`)."""

    def get(self, source: Source) -> FileResult | None: ...

    def put(self, source: Source, result: FileResult) -> None: ...


class Cycles:
    """The cyclic garbage a long-running server keeps: each analysis moves what it built out of the
    collector's sight (:func:`gc_paused`); garbage among it is freed by reference counting, except
    cycles (measured: 15 objects in 160 analyses of a 10,000-system workspace). Call
    :meth:`analysed` after each analysis: every ``every`` analyses it looks at the frozen heap (a walk
    of it, ~9 ms per million objects), and once that has grown by half since the last full collection
    it runs one (~0.5 s at 10,000 systems), so what cycles there are cannot pile up."""

    def __init__(self, every: int = 50) -> None:
        self.every = every
        self.analyses = 0
        self.frozen = 0
        """The size of the frozen heap after the last full collection."""

    def analysed(self) -> bool:
        """Count an analysis; whether a full collection ran."""
        self.analyses += 1
        if self.analyses % self.every or gc.get_freeze_count() <= self.frozen * 1.5 + 10_000:
            return False
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.frozen = gc.get_freeze_count()
        return True


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


def load(
    sources: list[Source],
    limits: Limits = DEFAULT_LIMITS,
    cache: FileCache | None = None,
    stages: dict[str, float] | None = None,
    workers: int = 1,
    min_parallel_bytes: int | None = None,
) -> Loaded:
    """Parse and validate every source (or take its result from ``cache``), collecting all problems.

    ``stages``, when given, accumulates the seconds spent parsing and validating (in this process).
    ``workers=2`` lets the load fork one helper that parses the last files while this process reads
    the first ones (:mod:`.parallel`), when the first file read is not in the cache and at least
    ``min_parallel_bytes`` (default :data:`.parallel.MIN_BYTES`) are left; a later cache hit stops
    the helper. The result is the same either way, and so are the calls to ``cache``, made in
    source order. Only one-shot commands may ask for it (it forks; never a server).
    """
    result = Loaded(files=len(sources))
    entries = 0
    helper: Helper | None = None
    first = True
    with gc_paused():
        try:
            for index, source in enumerate(sources):
                if source.error is not None:
                    result.problems.append(Problem(source.display, 1, 1, source.error))
                    result.unread.append(source.display)
                    continue
                found = cache.get(source) if cache is not None else None
                if found is None:
                    if first and workers > 1:  # a cold start: parse the rest on two cores
                        helper = start(sources, index + 1, limits, workers, min_parallel_bytes)
                    sent = helper.take(index) if helper is not None else None
                    if sent is None:
                        found = read_file(source, limits, stages)
                    elif isinstance(sent, Prepared):
                        found = finish(source, sent, stages)
                    else:
                        found = sent
                    if cache is not None:
                        cache.put(source, found)
                else:
                    result.cached += 1
                    if helper is not None:  # the cache is warm after all: parse the rest here
                        helper.close()
                        helper = None
                first = False
                _collect(source, found, result)
                entries += sum(len(marks) for marks in found.marks.values())
                if entries > limits.max_total_entries:
                    raise UsageError(f"the inventory files hold more than {limits.max_total_entries:,} "
                                     f"entries together (the limit; set {env_name('max_total_entries')} "
                                     "to raise it)")
        finally:
            if helper is not None:
                helper.close()
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
