"""YAML scalars → Python values, exactly as PyYAML's ``SafeLoader`` resolves them.

YAML 1.1 rules: ``no`` is false, ``0123`` is 83. Plain scalars are resolved once per distinct text
and cached, since an inventory repeats the same few values (owners, mechanisms, categories)
thousands of times. A value its tag cannot hold (``2024-02-30``, a 5,000-digit integer) is a
:class:`YamlProblem`, not an exception. Also here: :class:`YamlProblem` itself and :func:`show`,
the bounded description of a user value that every message uses.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import ScalarEvent
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAG = "tag:yaml.org,2002:str"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
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


class _Merge:
    """The value of a plain ``<<`` key."""

    def __repr__(self) -> str:
        return "<<"

    def __reduce__(self) -> str:
        return "MERGE"  # one object: a value parsed in another process is still :data:`MERGE`


MERGE = _Merge()
MISS = object()
"""What :data:`plain_cache` gives for a text it does not hold."""
_CACHE_LIMIT = 100_000
_CACHEABLE_LENGTH = 64
plain_cache: dict[str, Any] = {}
"""Plain scalar text → its value (immutable values only: str, int, float, bool, None, dates)."""
_resolver = Resolver()
_constructor = SafeConstructor()


def problem_at(mark: Any, message: str) -> YamlProblem:
    """The problem at a libyaml mark."""
    return YamlProblem(mark.line, mark.column, message)


def _construct(tag: str, value: str, mark: Any) -> Any:
    """A scalar of an explicit or resolved (non-str) tag, with ``SafeLoader``'s semantics."""
    if tag == MERGE_TAG:
        return MERGE
    if tag == MAP_TAG:
        raise problem_at(mark, "invalid YAML: !!map on a value that is not a mapping")
    if tag == SEQ_TAG:
        raise problem_at(mark, "invalid YAML: !!seq on a value that is not a list")
    if tag in _UNSUPPORTED:
        raise problem_at(mark, f"invalid YAML: {_UNSUPPORTED[tag]} is not supported here")
    node = ScalarNode(tag, value, mark, mark)
    constructors = SafeConstructor.yaml_constructors
    construct = constructors.get(tag) or constructors[None]
    try:
        return construct(_constructor, node)
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or mark
        raise problem_at(where, f"invalid YAML: {exc.problem or exc.context}") from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, IndexError):
        # A value that its (implicit or explicit) tag cannot hold: `2024-02-30`, `!!int abc`, an empty
        # `!!int` (IndexError), an integer of more than 4,300 digits. PyYAML raises plain Python errors for these.
        kind = _KINDS.get(tag.rsplit(":", 1)[-1], f"a {tag}")
        raise problem_at(mark, f"invalid YAML: cannot read {show(value)} as {kind}") from None


def plain(value: str, mark: Any) -> Any:
    """A plain (unquoted, untagged) scalar, resolved with YAML 1.1's implicit rules; cached."""
    tag = _resolver.resolve(ScalarNode, value, (True, False))
    result = value if tag == STR_TAG else _construct(tag, value, mark)
    if len(value) <= _CACHEABLE_LENGTH:
        if len(plain_cache) >= _CACHE_LIMIT:
            plain_cache.clear()
        plain_cache[value] = result
    return result


def scalar(event: ScalarEvent) -> Any:
    """The value of any scalar event (the builder inlines the common cases)."""
    tag = event.tag
    value = event.value
    if tag is None or tag == "!":
        if tag is None and event.implicit[0]:
            cached = plain_cache.get(value, MISS)
            return plain(value, event.start_mark) if cached is MISS else cached
        return value
    if tag == STR_TAG:
        return value
    return _construct(tag, value, event.start_mark)


def collection_tag(event: Any, expected: str) -> None:
    """Refuse a tag on a mapping or list other than its own."""
    tag = event.tag
    if tag is None or tag == "!" or tag == expected:
        return
    kind = "mapping" if expected == MAP_TAG else "list"
    if tag == MAP_TAG or tag == SEQ_TAG:
        short = "!!map" if tag == MAP_TAG else "!!seq"
        what = "a mapping" if tag == MAP_TAG else "a list"
        raise problem_at(event.start_mark, f"invalid YAML: {short} on a value that is not {what}")
    if tag in _UNSUPPORTED:
        raise problem_at(event.start_mark, f"invalid YAML: {_UNSUPPORTED[tag]} is not supported here")
    if tag in SafeConstructor.yaml_constructors:
        short = "!!" + tag.rsplit(":", 1)[-1]
        raise problem_at(event.start_mark, f"invalid YAML: {short} on a {kind}")
    raise problem_at(
        event.start_mark, f"invalid YAML: could not determine a constructor for the tag {tag!r}"
    )
