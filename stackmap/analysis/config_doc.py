"""A configuration file as read, and its problems: each at its ``file:line:col``, with did-you-mean.

:class:`ConfigDoc` reads one file (``.stackmap.yaml`` or ``.stackmap-waivers.yaml``) under the size
limit and collects every problem before raising one :class:`ConfigError` that lists them all. The
shape checks here (:func:`only_keys`, :func:`string_list`, :func:`one_of`) are the strictness both
files share: an unknown key or value is an error naming the valid choices and the nearest of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..hints import safe_text, suggest
from ..load.inventory import Location
from ..load.sources import display_path, read_regular


class ConfigDoc:
    """A parsed configuration file that reports problems at their ``file:line:col``."""

    def __init__(self, display: str, text: str, data: dict[str, Any]) -> None:
        self.display = display
        self.text = text
        self.data = data
        self.problems: list[str] = []
        self._tree: Any = None

    @classmethod
    def read(cls, path: Path) -> ConfigDoc:
        from ..load.yaml_scalars import YamlProblem
        from ..load.yamlio import parse

        from ..load.limits import Limits, env_name

        display = display_path(path)
        limit = Limits.from_env().max_config_bytes
        try:
            data, size = read_regular(path, limit)
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or safe_text(str(exc))
            raise ConfigError(f"{display}: cannot read: {reason}") from None
        if len(data) > limit:
            raise ConfigError(f"{display}: file too large: {size:,} bytes, over the limit of {limit:,} "
                              f"(set {env_name('max_config_bytes')} to raise it)")
        if text.startswith("\ufeff"):
            text = text[1:]
        try:
            parsed = parse(text)
        except YamlProblem as exc:
            raise ConfigError(f"{display}:{exc.line + 1}:{exc.column + 1}: {exc.message}") from None
        if parsed.problems:
            first = parsed.problems[0]
            raise ConfigError(f"{display}:{first.line + 1}:{first.column + 1}: {first.message}")
        data = parsed.data if parsed.data is not None else {}
        if not isinstance(data, dict):
            raise ConfigError(f"{display}:1:1: the configuration must be a mapping")
        return cls(display, text, data)

    def where(self, path: tuple[object, ...], key: bool = False) -> Location:
        from ..load.yamlio import compose, locate

        if self._tree is None:
            self._tree = compose(self.text)
        node = locate(self._tree, path, key)
        if node is None:
            return Location(self.display, 1, 1)
        return Location(self.display, node.start_mark.line + 1, node.start_mark.column + 1)

    def problem(self, path: tuple[object, ...], message: str, key: bool = False) -> None:
        self.problems.append(f"{self.where(path, key)}: {message}")

    def raise_problems(self) -> None:
        if self.problems:
            raise ConfigError("invalid configuration:\n  " + "\n  ".join(self.problems))


def is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def dotted(path: tuple[object, ...]) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")


def only_keys(doc: ConfigDoc, data: object, path: tuple[object, ...], allowed: tuple[str, ...]) -> bool:
    """Report every key of ``data`` not in ``allowed``; false when ``data`` is not a mapping."""
    if not isinstance(data, dict):
        doc.problem(path, f"{dotted(path) or 'file'}: expected a mapping")
        return False
    for key in data:
        if key not in allowed:
            where = dotted((*path, key)) if isinstance(key, str) else dotted(path) or "file"
            doc.problem((*path, key), f"{where}: unknown key {key!r}{suggest(str(key), allowed)}; "
                                      f"valid keys: {', '.join(allowed)}", key=True)
    return True


def string_list(doc: ConfigDoc, value: object, path: tuple[object, ...]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(is_text(v) for v in value):
        doc.problem(path, f"{dotted(path)}: expected a list of strings (quote values YAML reads "
                          "as numbers or booleans)")
        return ()
    return tuple(value)


def one_of(doc: ConfigDoc, value: object, path: tuple[object, ...], choices: tuple[str, ...],
           what: str) -> str | None:
    if isinstance(value, str) and value in choices:
        return value
    shown = repr(value) if isinstance(value, str) else str(value).lower()
    hint = suggest(value, choices) if isinstance(value, str) else ""
    doc.problem(path, f"{dotted(path)}: {shown} is not a {what}{hint}; choose one of {', '.join(choices)}")
    return None
