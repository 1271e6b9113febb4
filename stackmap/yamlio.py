"""YAML text → Python data with the marks stackmap needs, using libyaml (``CSafeLoader``) only.

The fast path keeps one (line, column) per mapping, recorded while constructing, and nothing else:
no second parse, no node tree kept. When something must be reported at an exact place (a bad value,
a duplicate key, an unknown field), :func:`locate` composes that one file again and walks to it.

Guarantees that a plain ``yaml.safe_load`` does not give:
- a key written twice in one mapping is a problem (a key overriding one from a ``<<`` merge is not);
- alias expansion is counted while constructing, so an alias bomb stops within a bound, and a
  recursive alias is refused;
- ``x-`` keys are dropped without constructing their values (they hold anchors; a bomb may sit there),
  except ``x-stackmap-ignore``, whose value is kept aside in :attr:`Parsed.ignores` when it is small;
- nesting is bounded (:data:`MAX_DEPTH`) before libyaml's recursive composer could crash the process;
- a value its tag cannot hold (``2024-02-30``, a 5,000-digit integer) is a problem, not an exception;
- one document per file.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import MappingEndEvent, MappingStartEvent, SequenceEndEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MERGE_TAG = "tag:yaml.org,2002:merge"
MAX_ALIAS_EXPANSION = 1_000_000
"""Nodes that aliases may bring in per file, counted with their whole subtrees."""
IGNORE_KEY = "x-stackmap-ignore"
"""The one ``x-`` key whose value is kept: inline waivers on a system or flow."""
MAX_IGNORE_NODES = 200
"""Nodes (aliases expanded) an ``x-stackmap-ignore`` value may have."""
MAX_DEPTH = 1_000
"""Deepest nesting of collections accepted: libyaml's composer recurses in C and would overflow the
stack (a crash, not an exception) at some tens of thousands of levels."""
_KINDS = {"int": "an integer", "float": "a number", "bool": "a boolean", "timestamp": "a date"}


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
    """``id(mapping)`` → 0-based (line, column) of every mapping constructed."""
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


class _Constructor(yaml.CSafeLoader):  # type: ignore[misc]
    """``CSafeLoader`` with marks, duplicate-key detection, ``x-`` skipping and an alias budget."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.marks: dict[int, tuple[int, int]] = {}
        self.problems: list[YamlProblem] = []
        self.ignores: dict[int, tuple[Any, int, int]] = {}
        self.expanded = 0
        self._sizes: dict[int, int] = {}

    # Same as BaseConstructor.construct_object, plus the alias budget on reuse of a built node.
    def construct_object(self, node: Node, deep: bool = False) -> Any:
        constructed = self.constructed_objects
        if node in constructed:
            self._count_alias(node)
            return constructed[node]
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            # A value that its (implicit or explicit) tag cannot hold: `2024-02-30`, `!!int abc`,
            # an integer of more than 4,300 digits. PyYAML raises plain Python errors for these.
            mark = node.start_mark
            kind = _KINDS.get(str(node.tag).rsplit(":", 1)[-1], f"a {node.tag}")
            value = show(node.value) if isinstance(node, ScalarNode) else "this value"
            message = f"invalid YAML: cannot read {value} as {kind}"
            raise YamlProblem(mark.line, mark.column, message) from None

    def _count_alias(self, node: Node) -> None:
        if isinstance(node, ScalarNode):
            self.expanded += 1
        else:
            self.expanded += self._size(node)
        if self.expanded > MAX_ALIAS_EXPANSION:
            mark = node.start_mark
            raise YamlProblem(
                mark.line,
                mark.column,
                f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes (an alias bomb?)",
            )

    def _size(self, root: Node) -> int:
        """Nodes in the fully expanded subtree of ``root``, memoised; refuses recursion."""
        sizes = self._sizes
        if id(root) in sizes:
            return sizes[id(root)]
        on_path: set[int] = set()
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            key = id(node)
            if done:
                on_path.discard(key)
                total = 1
                for child in _children(node):
                    total += sizes[id(child)]
                    if total > MAX_ALIAS_EXPANSION:
                        break
                sizes[key] = total
                continue
            if key in sizes:
                continue
            if key in on_path:
                mark = node.start_mark
                raise YamlProblem(mark.line, mark.column, "recursive alias: a node contains itself")
            on_path.add(key)
            stack.append((node, True))
            for child in _children(node):
                if id(child) not in sizes:
                    if id(child) in on_path:
                        mark = child.start_mark
                        raise YamlProblem(
                            mark.line, mark.column, "recursive alias: a node contains itself"
                        )
                    stack.append((child, False))
        return sizes[id(root)]

    def construct_yaml_map(self, node: MappingNode) -> Any:
        mark = node.start_mark
        if not isinstance(node, MappingNode):  # `!!map [a]`
            raise YamlProblem(mark.line, mark.column, "invalid YAML: !!map on a value that is not a mapping")
        data: dict[Any, Any] = {}
        self.marks[id(data)] = (mark.line, mark.column)
        yield data
        literal: dict[Any, Any] = {}
        merged: dict[Any, Any] | None = None
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                merged = self._merge(value_node, merged)
                continue
            key = self.construct_object(key_node)
            if not isinstance(key, Hashable):
                m = key_node.start_mark
                self.problems.append(YamlProblem(m.line, m.column, "a mapping key must be a plain value"))
                continue
            if key in literal:
                m = key_node.start_mark
                self.problems.append(YamlProblem(m.line, m.column, f"duplicate key {show(key)}"))
                continue
            if isinstance(key, str) and key.startswith("x-"):
                literal[key] = None
                if key == IGNORE_KEY:
                    self._keep_ignore(data, value_node)
                continue
            literal[key] = self.construct_object(value_node)
        if merged:
            data.update(merged)
        for key, value in literal.items():
            if not (isinstance(key, str) and key.startswith("x-")):
                data[key] = value

    def _keep_ignore(self, data: dict[Any, Any], value_node: Node) -> None:
        """Keep a small ``x-stackmap-ignore`` value; refuse a large one before constructing it."""
        m = value_node.start_mark
        if self._size(value_node) > MAX_IGNORE_NODES:
            self.problems.append(YamlProblem(
                m.line, m.column, f"{IGNORE_KEY}: too large (more than {MAX_IGNORE_NODES} nodes)"))
            return
        self.ignores[id(data)] = (self.construct_object(value_node), m.line, m.column)

    def _merge(self, value_node: Node, merged: dict[Any, Any] | None) -> dict[Any, Any]:
        """Collect ``<<`` sources at node level (their dicts may not be filled yet)."""
        merged = {} if merged is None else merged
        if isinstance(value_node, MappingNode):
            sources = [value_node]
        elif isinstance(value_node, SequenceNode) and all(
            isinstance(n, MappingNode) for n in value_node.value
        ):
            sources = list(value_node.value)
        else:
            m = value_node.start_mark
            raise YamlProblem(m.line, m.column, "a merge key (<<) takes a mapping or a list of mappings")
        for source in sources:
            self._count_alias(source)
            for key, value in self._flat_pairs(source):
                merged.setdefault(key, value)
        return merged

    def _flat_pairs(self, node: MappingNode) -> list[tuple[Any, Any]]:
        """(key, value) pairs of a merge source, its own keys first, then its own merges."""
        own: list[tuple[Any, Any]] = []
        inherited: list[tuple[Any, Any]] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                subs = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                for sub in subs:
                    if isinstance(sub, MappingNode):
                        inherited.extend(self._flat_pairs(sub))
                continue
            key = self.construct_object(key_node)
            if not isinstance(key, Hashable) or (isinstance(key, str) and key.startswith("x-")):
                continue
            own.append((key, self.construct_object(value_node)))
        return own + inherited


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        out: list[Node] = []
        for key_node, value_node in node.value:
            out.append(key_node)
            out.append(value_node)
        return out
    return []


_Constructor.add_constructor("tag:yaml.org,2002:map", _Constructor.construct_yaml_map)


def parse(text: str) -> Parsed:
    """Parse one YAML document; raise :class:`YamlProblem` for what stops parsing."""
    loader = _Constructor(text)
    try:
        try:
            _check_depth(text)
            data = loader.get_single_data()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            message = exc.problem or exc.context or "invalid YAML"
            if exc.context == "expected a single document in the stream":
                message = "a second YAML document in one file (only one is allowed)"
            line, col = (mark.line, mark.column) if mark is not None else (0, 0)
            raise YamlProblem(line, col, f"invalid YAML: {message}") from None
        except yaml.reader.ReaderError as exc:
            # A control character: libyaml gives a byte offset and a two-line message; make it a place.
            before = text.encode("utf-8")[: exc.position].decode("utf-8", "ignore")
            line, col = before.count("\n"), len(before) - (before.rfind("\n") + 1)
            char = exc.character if isinstance(exc.character, int) else ord(exc.character)
            message = f"invalid YAML: unacceptable character #x{char:04x}: {exc.reason}"
            raise YamlProblem(line, col, message) from None
        except yaml.YAMLError as exc:
            raise YamlProblem(0, 0, f"invalid YAML: {exc}") from None
        except RecursionError:
            raise YamlProblem(0, 0, "invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()
    return Parsed(data, loader.marks, loader.problems, loader.ignores)


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` before libyaml's composer recurses into it.

    Cheap for ordinary files: nesting needs a bracket per flow level, and at most two block levels
    fit in each column of the longest line; only a text whose bound exceeds the limit is scanned.
    """
    if len(text) <= MAX_DEPTH:
        return
    bound = text.count("[") + text.count("{")
    if bound <= MAX_DEPTH:
        bound += 2 * max(map(len, text.split("\n"))) + 2
        if bound <= MAX_DEPTH:
            return
    depth = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        kind = type(event)
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise YamlProblem(mark.line, mark.column, f"nested more than {MAX_DEPTH:,} levels deep")
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            depth -= 1


def compose(text: str) -> Node | None:
    """The node tree of a document that :func:`parse` accepted (used only to locate problems)."""
    return yaml.compose(text, Loader=yaml.CSafeLoader)  # type: ignore[no-any-return]


def _lookup(node: MappingNode, key: object) -> tuple[Node, Node] | None:
    """The (key node, value node) for ``key`` in a mapping, following merges like the constructor."""
    merges: list[Node] = []
    for key_node, value_node in node.value:
        if key_node.tag == MERGE_TAG:
            merges.append(value_node)
            continue
        if isinstance(key_node, ScalarNode) and _scalar_key(key_node) == key:
            return key_node, value_node
    for merge in merges:
        sources = merge.value if isinstance(merge, SequenceNode) else [merge]
        for source in sources:
            if isinstance(source, MappingNode):
                found = _lookup(source, key)
                if found is not None:
                    return found
    return None


def _scalar_key(node: ScalarNode) -> object:
    if node.tag == "tag:yaml.org,2002:str":
        return node.value
    try:
        return yaml.safe_load(node.value) if node.style is None else node.value
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
