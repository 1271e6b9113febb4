"""YAML text → Python data with the marks stackmap needs, built straight from libyaml's events.

libyaml (through PyYAML's C ``CParser``) scans and parses; this module turns its event stream into
plain dicts, lists and scalars in one pass, keeping one (line, column) per mapping and nothing else:
no node tree, no second parse. When something must be reported at an exact place (a bad value, an
unknown field), :func:`locate` composes that one file again and walks to it.

Guarantees that a plain ``yaml.safe_load`` does not give:
- a key written twice in one mapping is a problem (a key overriding one from a ``<<`` merge is not);
- alias expansion is counted while building, so an alias bomb stops within a bound
  (:attr:`Limits.max_alias_expansion`), and a recursive alias is refused;
- ``x-`` keys are dropped; what they hold counts only if an alias brings it into a real field (an
  unused alias bomb or recursive alias under an ``x-`` key is harmless); the one exception is
  ``x-stackmap-ignore`` (inline waivers), whose value is kept aside in :attr:`Parsed.ignores` when
  it is small (:data:`MAX_IGNORE_NODES`, aliases expanded);
- nesting is bounded (:attr:`Limits.max_depth`), with the same message whatever libyaml build PyYAML
  bundles (see :func:`libyaml_nesting_bound`); building is iterative, so no input overflows a stack;
- a value its tag cannot hold (``2024-02-30``, a 5,000-digit integer) is a problem, not an exception;
- one document per file.

Scalars resolve exactly as PyYAML's ``SafeLoader`` resolves them (YAML 1.1: ``no`` is false,
``0123`` is 83); plain scalars are resolved once per distinct text and cached, since an inventory
repeats the same few values (owners, mechanisms, categories) thousands of times.
"""

from __future__ import annotations

import ctypes
import functools
import re
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.cyaml import CParser
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from .limits import DEFAULT_LIMITS, MAX_DEPTH_CEILING, Limits

MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAG = "tag:yaml.org,2002:str"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAX_ALIAS_EXPANSION = DEFAULT_LIMITS.max_alias_expansion
"""Default bound on the nodes that aliases may bring in per file, counted with their whole subtrees."""
MAX_DEPTH = DEFAULT_LIMITS.max_depth
"""Default bound on the nesting of collections."""
_KINDS = {"int": "an integer", "float": "a number", "bool": "a boolean", "timestamp": "a date",
          "null": "null", "binary": "binary data"}
_UNSUPPORTED = {"tag:yaml.org,2002:set": "!!set", "tag:yaml.org,2002:omap": "!!omap",
                "tag:yaml.org,2002:pairs": "!!pairs"}


class YamlProblem(Exception):
    """A problem at a 0-based (line, column) of the text being parsed."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


@dataclass
class Parsed:
    """One parsed document."""

    data: Any
    """The constructed document (``None`` for an empty file)."""
    marks: dict[int, tuple[int, int]]
    """``id(mapping)`` → 0-based (line, column) of every mapping built."""
    problems: list[YamlProblem]
    """Problems that did not stop construction (duplicate keys, unhashable keys)."""
    ignores: dict[int, tuple[Any, int, int]] = field(default_factory=dict)
    """``id(mapping)`` → (value of its ``x-stackmap-ignore``, 0-based line, column of the value)."""


def show(value: object, limit: int = 60) -> str:
    """A short, bounded description of a user value for a message; never walks a container."""
    if isinstance(value, str):
        text = value if len(value) <= limit else value[: limit - 1] + "…"
        return repr(text)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = repr(value)
        return text if len(text) <= limit else text[: limit - 1] + "…"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


# --- Scalars ------------------------------------------------------------------------------------

class _Merge:
    """The value of a plain ``<<`` key."""

    def __repr__(self) -> str:
        return "<<"


MERGE = _Merge()
_MISS = object()
_CACHE_LIMIT = 100_000
_CACHEABLE_LENGTH = 64
_plain_cache: dict[str, Any] = {}
"""Plain scalar text → its value (immutable values only: str, int, float, bool, None, dates)."""
_resolver = Resolver()
_constructor = SafeConstructor()


def _problem_at(mark: Any, message: str) -> YamlProblem:
    return YamlProblem(mark.line, mark.column, message)


def _construct(tag: str, value: str, mark: Any) -> Any:
    """A scalar of an explicit or resolved (non-str) tag, with ``SafeLoader``'s semantics."""
    if tag == MERGE_TAG:
        return MERGE
    if tag == MAP_TAG:
        raise _problem_at(mark, "invalid YAML: !!map on a value that is not a mapping")
    if tag == SEQ_TAG:
        raise _problem_at(mark, "invalid YAML: !!seq on a value that is not a list")
    if tag in _UNSUPPORTED:
        raise _problem_at(mark, f"invalid YAML: {_UNSUPPORTED[tag]} is not supported here")
    node = ScalarNode(tag, value, mark, mark)
    constructors = SafeConstructor.yaml_constructors
    construct = constructors.get(tag) or constructors[None]
    try:
        return construct(_constructor, node)
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or mark
        raise _problem_at(where, f"invalid YAML: {exc.problem or exc.context}") from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, IndexError):
        # A value that its (implicit or explicit) tag cannot hold: `2024-02-30`, `!!int abc`, an empty
        # `!!int` (IndexError), an integer of more than 4,300 digits. PyYAML raises plain Python errors for these.
        kind = _KINDS.get(tag.rsplit(":", 1)[-1], f"a {tag}")
        raise _problem_at(mark, f"invalid YAML: cannot read {show(value)} as {kind}") from None


def _plain(value: str, mark: Any) -> Any:
    """A plain (unquoted, untagged) scalar, resolved with YAML 1.1's implicit rules; cached."""
    tag = _resolver.resolve(ScalarNode, value, (True, False))
    result = value if tag == STR_TAG else _construct(tag, value, mark)
    if len(value) <= _CACHEABLE_LENGTH:
        if len(_plain_cache) >= _CACHE_LIMIT:
            _plain_cache.clear()
        _plain_cache[value] = result
    return result


def _scalar(event: ScalarEvent) -> Any:
    """The value of any scalar event (the builder inlines the common cases)."""
    tag = event.tag
    value = event.value
    if tag is None or tag == "!":
        if tag is None and event.implicit[0]:
            cached = _plain_cache.get(value, _MISS)
            return _plain(value, event.start_mark) if cached is _MISS else cached
        return value
    if tag == STR_TAG:
        return value
    return _construct(tag, value, event.start_mark)


def _collection_tag(event: Any, expected: str) -> None:
    """Refuse a tag on a mapping or list other than its own."""
    tag = event.tag
    if tag is None or tag == "!" or tag == expected:
        return
    kind = "mapping" if expected == MAP_TAG else "list"
    if tag == MAP_TAG or tag == SEQ_TAG:
        short = "!!map" if tag == MAP_TAG else "!!seq"
        what = "a mapping" if tag == MAP_TAG else "a list"
        raise _problem_at(event.start_mark, f"invalid YAML: {short} on a value that is not {what}")
    if tag in _UNSUPPORTED:
        raise _problem_at(event.start_mark, f"invalid YAML: {_UNSUPPORTED[tag]} is not supported here")
    if tag in SafeConstructor.yaml_constructors:
        short = "!!" + tag.rsplit(":", 1)[-1]
        raise _problem_at(event.start_mark, f"invalid YAML: {short} on a {kind}")
    raise _problem_at(
        event.start_mark, f"invalid YAML: could not determine a constructor for the tag {tag!r}"
    )


# --- The builder ----------------------------------------------------------------------------------

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


class _Anchor:
    """An anchored value: what aliases to it bring in, and what building it first would report."""

    __slots__ = ("value", "size", "line", "column", "open", "realized", "poisoned", "refs",
                 "deferred", "fatal")

    def __init__(self, value: Any, line: int, column: int) -> None:
        self.value = value
        self.size = 1
        """Nodes in the fully expanded value (capped just past the budget)."""
        self.line = line
        self.column = column
        self.open = False
        """Still being built: an alias to it now is recursive."""
        self.realized = False
        """Built in a real field (not under an ``x-`` key), or brought into one by an alias."""
        self.poisoned: _Anchor | None = None
        """The anchor of a recursive alias inside the value (it contains itself)."""
        self.refs: list[_Anchor] = []
        """Anchors that building this value in a real field would build or reuse, in order."""
        self.deferred: list[YamlProblem] = []
        """Problems to report if the value is ever brought into a real field."""
        self.fatal: YamlProblem | None = None


class _Frame:
    """A mapping or list being built, and the context it is built in."""

    __slots__ = ("container", "is_map", "key", "line", "column", "real", "hidden", "owner",
                 "anchor", "start", "xkeys", "merges", "merge_seen", "waivers")

    def __init__(self, container: Any, is_map: bool, line: int, column: int, real: bool,
                 hidden: bool, owner: _Anchor | None) -> None:
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
        self.anchor: _Anchor | None = None
        self.start = 0
        self.xkeys: set[str] | None = None
        self.merges: list[dict[Any, Any]] | None = None
        self.merge_seen = False
        self.waivers = False
        """The ``x-stackmap-ignore`` mapping of a real entry: its duplicate keys are reported."""


class _Builder:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.marks: dict[int, tuple[int, int]] = {}
        self.problems: list[YamlProblem] = []
        self.ignores: dict[int, tuple[Any, int, int]] = {}
        self.anchors: dict[str, _Anchor] = {}
        self.expanded = 0
        self.result: Any = None

    # Problems found while building: reported at once in a real field, remembered on the anchored
    # value they belong to otherwise (reported if an alias ever brings it in), else dropped.
    def _report(self, problem: YamlProblem, real: bool, hidden: bool, owner: _Anchor | None) -> None:
        if real:
            self.problems.append(problem)
        elif not hidden and owner is not None:
            owner.deferred.append(problem)

    def _fail(self, problem: YamlProblem, real: bool, hidden: bool, owner: _Anchor | None) -> None:
        if real:
            raise problem
        if not hidden and owner is not None and owner.fatal is None:
            owner.fatal = problem

    def _count(self, anchor: _Anchor) -> None:
        self.expanded += anchor.size
        if self.expanded > self.limits.max_alias_expansion:
            raise YamlProblem(
                anchor.line, anchor.column,
                f"aliases expand to more than {self.limits.max_alias_expansion:,} nodes (an alias bomb?)",
            )

    def _realize(self, root: _Anchor) -> None:
        """Bring an anchored value built under an ``x-`` key into a real field: report what building
        it there would have reported, and count the aliases it reuses. Breadth first, in the order
        PyYAML's constructor builds (and so reports), and iteratively."""
        self._enter(root)
        queue = deque([root])
        while queue:
            for ref in queue.popleft().refs:
                if ref.realized:
                    self._count(ref)
                else:
                    self._enter(ref)
                    queue.append(ref)

    def _enter(self, anchor: _Anchor) -> None:
        if anchor.poisoned is not None:
            cycle = anchor.poisoned
            raise YamlProblem(cycle.line, cycle.column, "recursive alias: a node contains itself")
        if anchor.fatal is not None:
            raise anchor.fatal
        self.problems.extend(anchor.deferred)
        anchor.realized = True

    def _anchor(self, name: str, value: Any, mark: Any, hidden: bool, owner: _Anchor | None) -> _Anchor:
        first = self.anchors.get(name)
        if first is not None:
            raise _problem_at(mark, f"invalid YAML: the anchor &{name} is defined twice "
                                    f"(first at line {first.line + 1})")
        anchor = _Anchor(value, mark.line, mark.column)
        self.anchors[name] = anchor
        if not hidden and owner is not None:
            owner.refs.append(anchor)
        return anchor

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
        cache = _plain_cache
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
                        v = cache.get(ev.value, _MISS)
                        if v is _MISS:
                            try:
                                v = _plain(ev.value, ev.start_mark)
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
                        v = _scalar(ev)
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
                    raise _problem_at(mark, f"nested more than {max_depth:,} levels deep")
                is_map = cls is MappingStartEvent
                real, hidden, owner = self._context(f, key)
                if ev.tag is not None:
                    try:
                        _collection_tag(ev, MAP_TAG if is_map else SEQ_TAG)
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
                    raise _problem_at(mark, "invalid YAML: found undefined alias")
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
                raise _problem_at(ev.start_mark, f"invalid YAML: unexpected {cls.__name__}")

    def _keep_ignore(self, owner: dict[Any, Any], value: Any, line: int, column: int) -> None:
        """Keep a small ``x-stackmap-ignore`` value for the entry ``owner``; refuse a large one."""
        if _bounded_size(value, MAX_IGNORE_NODES) > MAX_IGNORE_NODES:
            self.problems.append(YamlProblem(
                line, column, f"{IGNORE_KEY}: too large (more than {MAX_IGNORE_NODES} nodes)"))
            return
        self.ignores[id(owner)] = (value, line, column)

    @staticmethod
    def _context(f: _Frame | None, key: Any) -> tuple[bool, bool, _Anchor | None]:
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


LIBYAML_NESTING_MESSAGE = "exceeded maximum nesting depth"
"""What libyaml 0.2.6 and later (bundled from PyYAML 6.0.4) say past their own nesting bound."""
LIBYAML_DEFAULT_NESTING = 1_000
"""That bound unless changed (libyaml's ``yaml_set_max_nest_level``)."""


def _libyaml_nesting_functions() -> tuple[Any, Any] | None:
    """libyaml's get/set functions for its nesting bound, from the extension PyYAML built it into;
    ``None`` for a libyaml without one (0.2.5 and older, bundled up to PyYAML 6.0.3)."""
    try:
        from yaml import _yaml

        library = ctypes.CDLL(_yaml.__file__)
        getter, setter = library.yaml_get_max_nest_level, library.yaml_set_max_nest_level
    except (ImportError, OSError, AttributeError):
        return None
    getter.restype, getter.argtypes = ctypes.c_int, []
    setter.restype, setter.argtypes = None, [ctypes.c_int]
    return getter, setter


@functools.cache
def libyaml_nesting_bound() -> int | None:
    """libyaml's own nesting bound after raising it above :data:`MAX_DEPTH_CEILING`, so that
    :attr:`Limits.max_depth` is the bound that applies, with its message; ``None`` when the libyaml
    in use has no bound. Called once per process; the bound is process-wide in libyaml."""
    functions = _libyaml_nesting_functions()
    if functions is None:
        return None
    getter, setter = functions
    if getter() <= MAX_DEPTH_CEILING:
        setter(MAX_DEPTH_CEILING + 1)
    return int(getter())


def _nesting_problem(mark: yaml.Mark | None, limits: Limits) -> YamlProblem:
    """libyaml stopped at its own nesting bound: the same problem as ours, naming the bound that held."""
    bound = libyaml_nesting_bound() or LIBYAML_DEFAULT_NESTING
    line, col = (mark.line, mark.column) if mark is not None else (0, 0)
    if bound >= limits.max_depth:
        return YamlProblem(line, col, f"nested more than {limits.max_depth:,} levels deep")
    return YamlProblem(line, col, f"nested more than {bound:,} levels deep (the bound of the libyaml in use)")


def parse(text: str, limits: Limits = DEFAULT_LIMITS) -> Parsed:
    """Parse one YAML document; raise :class:`YamlProblem` for what stops parsing."""
    libyaml_nesting_bound()
    parser = CParser(text)
    builder = _Builder(limits)
    try:
        get = parser.get_event
        get()  # stream start
        event = get()
        data = None
        if type(event) is DocumentStartEvent:
            data = builder.build(get)
            get()  # document end
            event = get()
            if type(event) is not StreamEndEvent:
                mark = event.start_mark
                raise YamlProblem(mark.line, mark.column,
                                  "invalid YAML: a second YAML document in one file (only one is allowed)")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.problem == LIBYAML_NESTING_MESSAGE:
            raise _nesting_problem(mark, limits) from None
        message = exc.problem or exc.context or "invalid YAML"
        line, col = (mark.line, mark.column) if mark is not None else (0, 0)
        raise YamlProblem(line, col, f"invalid YAML: {message}") from None
    except yaml.reader.ReaderError as exc:
        # A control character: libyaml gives a byte offset and a two-line message; make it a place.
        before = text.encode("utf-8")[: exc.position].decode("utf-8", "ignore")
        line, col = position(before)
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlProblem(line, col, f"invalid YAML: unacceptable character #x{char:04x}: {exc.reason}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, 0, f"invalid YAML: {exc}") from None
    finally:
        parser.dispose()
    return Parsed(data, builder.marks, builder.problems, builder.ignores)


_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What YAML (and libyaml) counts as a line break: CR LF, a lone CR or LF, NEL, LS and PS."""


def position(before: str) -> tuple[int, int]:
    """0-based (line, column) of the character after ``before``, counting lines as YAML does (so a
    file with lone-CR line endings gets real line numbers)."""
    line = start = 0
    for match in _LINE_BREAK.finditer(before):
        line, start = line + 1, match.end()
    return line, len(before) - start


def compose(text: str) -> Node | None:
    """The node tree of a document that :func:`parse` accepted (used only to locate problems)."""
    libyaml_nesting_bound()
    return yaml.compose(text, Loader=yaml.CSafeLoader)  # type: ignore[no-any-return]


def _lookup(node: MappingNode, key: object) -> tuple[Node, Node] | None:
    """The (key node, value node) for ``key`` in a mapping, following merges like the constructor.

    Depth first, own keys before merged ones, merges in order; iterative and visiting each mapping
    once, so a chain of thousands of ``<<`` merges costs neither recursion nor repeated work.
    """
    stack: list[Node] = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if not isinstance(current, MappingNode) or id(current) in seen:
            continue
        seen.add(id(current))
        merges: list[Node] = []
        for key_node, value_node in current.value:
            if key_node.tag == MERGE_TAG:
                merges.append(value_node)
                continue
            if isinstance(key_node, ScalarNode) and _scalar_key(key_node) == key:
                return key_node, value_node
        sources = [source for merge in merges
                   for source in (merge.value if isinstance(merge, SequenceNode) else [merge])]
        stack.extend(reversed(sources))
    return None


def _scalar_key(node: ScalarNode) -> object:
    if node.tag == "tag:yaml.org,2002:str":
        return node.value
    try:
        return yaml.safe_load(node.value) if not node.style else node.value  # plain: "" from libyaml
    except yaml.YAMLError:
        return node.value


def locate(root: Node | None, path: tuple[object, ...], key: bool = False) -> Node | None:
    """The node at ``path`` (mapping keys and list indexes); its key node when ``key`` is true.

    Returns the deepest node reached when the path goes further than the document does.
    """
    node = root
    if node is None:
        return None
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, MappingNode):
            found = _lookup(node, step)
            if found is None:
                return node
            if last and key:
                return found[0]
            node = found[1]
        elif isinstance(node, SequenceNode) and isinstance(step, int):
            if not 0 <= step < len(node.value):
                return node
            node = node.value[step]
        else:
            return node
    return node
