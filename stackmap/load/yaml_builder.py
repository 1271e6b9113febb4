"""libyaml's events → plain dicts, lists and scalars, in one pass, with the marks stackmap needs.

:class:`Builder` keeps one (line, column) per mapping and nothing else (no node tree), and on the
way: reports a key written twice in one mapping (a key overriding one from a ``<<`` merge is not a
duplicate); drops ``x-`` keys, keeping aside the small value of ``x-stackmap-ignore`` (inline waivers,
:data:`MAX_IGNORE_NODES` nodes at most, aliases expanded); bounds nesting
(:attr:`Limits.max_depth`); and counts what aliases bring in (:mod:`.yaml_anchors`). Building is
iterative, so no input overflows a stack. The common cases (a plain scalar as a new key, a value
for a string key, a list item) are inlined in :meth:`Builder.build`.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from .limits import Limits
from .yaml_anchors import Anchor, Anchors
from .yaml_scalars import (
    MAP_TAG,
    MERGE,
    MISS,
    SEQ_TAG,
    YamlProblem,
    collection_tag,
    plain,
    plain_cache,
    problem_at,
    scalar,
    show,
)

_NOKEY = object()
"""A mapping frame's pending key when the next scalar is a key."""
_SKIP = object()
"""The pending key when the next value is dropped: under an ``x-`` key, a duplicate or bad key."""
_MERGE_KEY = object()
"""The pending key after a ``<<`` key."""
_IGNORE = object()
"""The pending key after ``x-stackmap-ignore``: the value is dropped like any ``x-`` value, but kept
aside for the inline waivers."""
IGNORE_KEY = "x-stackmap-ignore"
"""The one ``x-`` key whose value is kept: inline waivers on a system or flow."""
MAX_IGNORE_NODES = 200
"""Nodes (aliases expanded) an ``x-stackmap-ignore`` value may have."""


class _Frame:
    """A mapping or list being built, and the context it is built in."""

    __slots__ = ("container", "is_map", "key", "line", "column", "real", "hidden", "owner",
                 "anchor", "start", "xkeys", "merges", "merge_seen", "waivers")

    def __init__(self, container: Any, is_map: bool, line: int, column: int, real: bool,
                 hidden: bool, owner: Anchor | None) -> None:
        self.container = container
        self.is_map = is_map
        self.key: Any = _NOKEY
        self.line = line
        self.column = column
        self.real = real
        """Not under an ``x-`` key: problems are reported (or raised) at once."""
        self.hidden = hidden
        """Under an ``x-`` key below :attr:`owner`: nothing here counts, even through an alias."""
        self.owner = owner
        """The innermost anchored value this frame is part of."""
        self.anchor: Anchor | None = None
        self.start = 0
        self.xkeys: set[str] | None = None
        self.merges: list[dict[Any, Any]] | None = None
        self.merge_seen = False
        self.waivers = False
        """The ``x-stackmap-ignore`` mapping of a real entry: its duplicate keys are reported."""


class Builder(Anchors):
    """Builds one document from its events (see the module docstring)."""

    def __init__(self, limits: Limits) -> None:
        super().__init__(limits)
        self.marks: dict[int, tuple[int, int]] = {}
        self.ignores: dict[int, tuple[Any, int, int]] = {}
        self.result: Any = None

    def _place(self, f: _Frame | None, key: Any, value: Any, line: int, column: int) -> Any:
        """Put a finished value where it belongs; return the frame's new pending key."""
        if f is None:
            self.result = value
            return key
        if not f.is_map:
            f.container.append(value)
            return key
        if key is _NOKEY:  # `value` is a key
            if value is MERGE:
                if f.merge_seen:  # two literal `<<` keys: a duplicate like any other (PyYAML keeps the last)
                    self._report(YamlProblem(line, column, "duplicate key '<<'"), f.real, f.hidden, f.owner)
                    return _SKIP
                f.merge_seen = True
                return _MERGE_KEY
            if type(value) is str and value.startswith("x-"):
                if f.xkeys is None:
                    f.xkeys = set()
                if value in f.xkeys:
                    self._report(YamlProblem(line, column, f"duplicate key {show(value)}"),
                                 f.real, f.hidden, f.owner)
                f.xkeys.add(value)
                return _IGNORE if value == IGNORE_KEY and f.real else _SKIP
            if not isinstance(value, Hashable) or isinstance(value, (dict, list)):
                self._report(YamlProblem(line, column, "a mapping key must be a plain value"),
                             f.real, f.hidden, f.owner)
                return _SKIP
            if value in f.container:
                self._report(YamlProblem(line, column, f"duplicate key {show(value)}"),
                             f.real or f.waivers, f.hidden, f.owner)
                return _SKIP
            return value
        if key is _SKIP:
            return _NOKEY
        if key is _IGNORE:
            self._keep_ignore(f.container, value, line, column)
            return _NOKEY
        if key is _MERGE_KEY:
            if type(value) is dict:
                sources = [value]
            elif type(value) is list and all(type(s) is dict for s in value):
                sources = value
            else:
                problem = YamlProblem(line, column, "a merge key (<<) takes a mapping or a list of mappings")
                self._fail(problem, f.real, f.hidden, f.owner)
                return _NOKEY
            if f.merges is None:
                f.merges = []
            f.merges.extend(sources)
            return _NOKEY
        f.container[key] = value
        return _NOKEY

    def build(self, get: Any) -> Any:
        """Build the value of one document from its events (the document start already read)."""
        marks = self.marks
        cache = plain_cache
        max_depth = self.limits.max_depth
        cap = self.limits.max_alias_expansion + 1
        stack: list[_Frame] = []
        f: _Frame | None = None
        container: Any = None
        is_map = False
        key: Any = _NOKEY
        total = 0
        while True:
            ev = get()
            cls = type(ev)
            if cls is ScalarEvent:
                total += 1
                if ev.anchor is None and ev.tag is None:
                    if ev.implicit[0]:
                        v = cache.get(ev.value, MISS)
                        if v is MISS:
                            try:
                                v = plain(ev.value, ev.start_mark)
                            except YamlProblem as problem:
                                v = None
                                self._fail(problem, *self._context(f, key))
                    else:
                        v = ev.value
                    # The common cases, inline: a new string key, a value for a string key, an item.
                    if is_map:
                        if key is _NOKEY:
                            if type(v) is str and v not in container and not v.startswith("x-"):
                                key = v
                                continue
                        elif type(key) is str:
                            container[key] = v
                            key = _NOKEY
                            continue
                    elif f is not None:
                        container.append(v)
                        continue
                else:
                    real, hidden, owner = self._context(f, key)
                    try:
                        v = scalar(ev)
                    except YamlProblem as problem:
                        v = None
                        self._fail(problem, real, hidden, owner)
                    if ev.anchor is not None:
                        anchor = self._anchor(ev.anchor, v, ev.start_mark, hidden, owner)
                        anchor.realized = real
                mark = ev.start_mark
                key = self._place(f, key, v, mark.line, mark.column)
                if f is None:
                    return self.result
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                total += 1
                mark = ev.start_mark
                if len(stack) + (f is not None) >= max_depth:
                    raise problem_at(mark, f"nested more than {max_depth:,} levels deep")
                is_map = cls is MappingStartEvent
                real, hidden, owner = self._context(f, key)
                if ev.tag is not None:
                    try:
                        collection_tag(ev, MAP_TAG if is_map else SEQ_TAG)
                    except YamlProblem as problem:
                        self._fail(problem, real, hidden, owner)
                if f is not None:
                    f.key = key
                    stack.append(f)
                container = {} if is_map else []
                if is_map:
                    marks[id(container)] = (mark.line, mark.column)
                waivers = is_map and key is _IGNORE
                f = _Frame(container, is_map, mark.line, mark.column, real, hidden, owner)
                f.waivers = waivers
                key = _NOKEY
                if ev.anchor is not None:
                    anchor = self._anchor(ev.anchor, container, mark, hidden, owner)
                    anchor.open = True
                    f.anchor = f.owner = anchor
                    f.hidden = False
                    f.start = total - 1
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                done = f
                assert done is not None
                value = done.container
                if done.merges:
                    for source in done.merges:
                        for k, item in source.items():
                            if k not in value:
                                value[k] = item
                if done.anchor is not None:
                    anchor = done.anchor
                    anchor.size = min(total - done.start, cap)
                    anchor.open = False
                    for ref in anchor.refs:
                        if ref.open or ref is anchor:
                            anchor.poisoned = ref
                        elif ref.poisoned is not None:
                            anchor.poisoned = ref.poisoned
                    anchor.realized = done.real
                if stack:
                    f = stack.pop()
                    container, is_map, key = f.container, f.is_map, f.key
                else:
                    f, container, is_map, key = None, None, False, _NOKEY
                key = self._place(f, key, value, done.line, done.column)
                if f is None:
                    return self.result
            elif cls is AliasEvent:
                mark = ev.start_mark
                anchor = self.anchors.get(ev.anchor)  # type: ignore[arg-type]
                if anchor is None:
                    raise problem_at(mark, "invalid YAML: found undefined alias")
                real, hidden, owner = self._context(f, key)
                if anchor.open:
                    if real:
                        raise YamlProblem(anchor.line, anchor.column,
                                          "recursive alias: a node contains itself")
                    if not hidden and owner is not None:
                        owner.refs.append(anchor)
                else:
                    total += anchor.size
                    if real:
                        if key is _MERGE_KEY:  # merging copies the whole value in
                            self._count(anchor)
                        if anchor.realized:
                            self._count(anchor)
                        else:
                            self._realize(anchor)
                    elif not hidden and owner is not None:
                        owner.refs.append(anchor)
                key = self._place(f, key, anchor.value, mark.line, mark.column)
                if f is None:
                    return self.result
            else:  # pragma: no cover - libyaml emits nothing else inside a document
                raise problem_at(ev.start_mark, f"invalid YAML: unexpected {cls.__name__}")

    def _keep_ignore(self, owner: dict[Any, Any], value: Any, line: int, column: int) -> None:
        """Keep a small ``x-stackmap-ignore`` value for the entry ``owner``; refuse a large one."""
        if _bounded_size(value, MAX_IGNORE_NODES) > MAX_IGNORE_NODES:
            self.problems.append(YamlProblem(
                line, column, f"{IGNORE_KEY}: too large (more than {MAX_IGNORE_NODES} nodes)"))
            return
        self.ignores[id(owner)] = (value, line, column)

    @staticmethod
    def _context(f: _Frame | None, key: Any) -> tuple[bool, bool, Anchor | None]:
        """(real, hidden, owner) of the next value built in frame ``f``."""
        if f is None:
            return True, False, None
        skip = key is _SKIP or key is _IGNORE
        return f.real and not skip, f.hidden or skip, f.owner


def _bounded_size(value: Any, limit: int) -> int:
    """Nodes in ``value`` with shared parts counted each time they appear, counting stops past ``limit``."""
    count = 0
    pending = [value]
    while pending and count <= limit:
        item = pending.pop()
        count += 1
        if type(item) is dict:
            pending.extend(item.keys())
            pending.extend(item.values())
        elif type(item) is list:
            pending.extend(item)
    return count
