"""YAML text → Python data with the marks stackmap needs, built straight from libyaml's events.

libyaml (through PyYAML's C ``CParser``) scans and parses; :func:`parse` turns its event stream into
plain dicts, lists and scalars in one pass (:mod:`.yaml_builder`), keeping one (line, column) per
mapping and nothing else: no node tree, no second parse. When something must be reported at an
exact place (a bad value, an unknown field), :func:`locate` composes that one file again and walks
to it.

Guarantees that a plain ``yaml.safe_load`` does not give:
- a key written twice in one mapping is a problem (a key overriding one from a ``<<`` merge is not);
- alias expansion is counted while building, so an alias bomb stops within a bound
  (:attr:`Limits.max_alias_expansion`), and a recursive alias is refused (:mod:`.yaml_anchors`);
- ``x-`` keys are dropped; what they hold counts only if an alias brings it into a real field (an
  unused alias bomb or recursive alias under an ``x-`` key is harmless); the one exception is
  ``x-stackmap-ignore`` (inline waivers), whose value is kept aside in :attr:`Parsed.ignores` when
  it is small (:data:`stackmap.load.yaml_builder.MAX_IGNORE_NODES`, aliases expanded);
- nesting is bounded (:attr:`Limits.max_depth`), with the same message whatever libyaml build PyYAML
  bundles (see :func:`libyaml_nesting_bound`); building is iterative, so no input overflows a stack;
- a value its tag cannot hold (``2024-02-30``, a 5,000-digit integer) is a problem, not an exception;
- one document per file.

Scalars resolve exactly as PyYAML's ``SafeLoader`` resolves them (:mod:`.yaml_scalars`: YAML 1.1,
``no`` is false, ``0123`` is 83); plain scalars are resolved once per distinct text and cached, since
an inventory repeats the same few values (owners, mechanisms, categories) thousands of times.
"""

from __future__ import annotations

import ctypes
import functools
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.cyaml import CParser
from yaml.events import DocumentStartEvent, StreamEndEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .limits import DEFAULT_LIMITS, MAX_DEPTH_CEILING, Limits
from .yaml_builder import Builder
from .yaml_scalars import MERGE_TAG, YamlProblem


MAX_ALIAS_EXPANSION = DEFAULT_LIMITS.max_alias_expansion
"""Default bound on the nodes that aliases may bring in per file, counted with their whole subtrees."""
MAX_DEPTH = DEFAULT_LIMITS.max_depth
"""Default bound on the nesting of collections."""


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
    builder = Builder(limits)
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
