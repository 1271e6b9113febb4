"""The effective configuration: which rules run, at which severity, with which options.

``.stackmap.yaml`` is found by searching upward from the inventory (or the current directory) to
the git work tree root, or named with ``--config``. ``.stackmap-waivers.yaml`` is found the same way.
Both are strict: an unknown key, rule or option is an error naming the valid choices. The shipped,
commented default is ``stackmap/analysis/default-config.yaml`` (``stackmap config --default``).
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .findings import Severity
from .graph import Options
from ..hints import safe_text, suggest
from ..load.inventory import Location
from ..load.sources import display_path, git_root, inside, read_regular
from .waivers import WAIVER_FIELDS, Waiver

FAIL_LEVELS: tuple[str, ...] = ("error", "warning", "info", "never")
CONFIG_NAME = ".stackmap.yaml"
WAIVERS_NAME = ".stackmap-waivers.yaml"
DEFAULT_BASELINE = ".stackmap-baseline.json"
TOP_KEYS: tuple[str, ...] = ("paths", "exclude", "fail_on", "baseline", "rules", "options", "waivers")
RULE_KEYS: tuple[str, ...] = ("enabled", "severity")
SEVERITIES: tuple[str, ...] = tuple(s.value for s in Severity)
DEFAULT_CONFIG = Path(__file__).parent / "default-config.yaml"


@dataclass
class RuleSetting:
    """One rule's configured state."""

    enabled: bool = True
    severity: Severity | None = None
    """``None`` keeps the rule's default severity."""


@dataclass
class Config:
    """Everything a check run needs besides the inventory."""

    rules: dict[str, RuleSetting] = field(default_factory=dict)
    options: Options = field(default_factory=Options)
    fail_on: str = "error"
    exclude: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    """Default inventory paths, relative to :attr:`base`."""
    baseline: str | None = None
    """Default baseline file, relative to :attr:`base`."""
    waivers: tuple[Waiver, ...] = ()
    base: Path | None = None
    """The folder of the configuration file (``None`` for the built-in defaults)."""
    sources: tuple[str, ...] = ()
    """Display paths of the files this configuration was read from."""

    def setting(self, rule_id: str) -> RuleSetting:
        return self.rules.get(rule_id) or RuleSetting()

    def inventory_paths(self) -> list[Path]:
        """The configured default inventory paths."""
        return [(self.base or Path(".")) / p for p in self.paths]

    def baseline_path(self) -> Path | None:
        return None if self.baseline is None else (self.base or Path(".")) / self.baseline


def search_folders(start: Path) -> list[Path]:
    """The folders a configuration file is looked for in: ``start``'s folder and those above it,
    up to the git work tree root (or ``/``), nearest first."""
    here = start.absolute()
    here = here if here.is_dir() else here.parent
    root = git_root(here)
    folders = []
    for folder in (here, *here.parents):
        folders.append(folder)
        if root is not None and folder == root:
            break
    return folders


def find_upward(name: str, start: Path) -> Path | None:
    """``name`` in one of the :func:`search_folders` of ``start``, the nearest."""
    return next((folder / name for folder in search_folders(start) if (folder / name).is_file()), None)


def load_config(explicit: Path | None, start: Path) -> Config:
    """The configuration named by ``--config`` or found from ``start``, with waivers from both files."""
    if explicit is not None and not explicit.is_file():
        raise ConfigError(f"{explicit}: no such configuration file")
    path = explicit or find_upward(CONFIG_NAME, start)
    config = Config() if path is None else parse_config(path)
    waivers_path = find_upward(WAIVERS_NAME, path.parent if path is not None else start)
    if waivers_path is not None:
        doc = _Doc.read(waivers_path)
        _only(doc, doc.data, (), ("waivers",))
        extra = _waivers(doc, doc.data.get("waivers"), ("waivers",))
        doc.raise_problems()
        config.waivers = tuple(sorted((*config.waivers, *extra), key=_waiver_key))
        config.sources = (*config.sources, doc.display)
    return config


def parse_config(path: Path) -> Config:
    """Read and validate one configuration file; a :class:`ConfigError` lists every problem."""
    doc = _Doc.read(path)
    data = doc.data
    _only(doc, data, (), TOP_KEYS)
    config = Config(base=path.parent, sources=(doc.display,))
    root = git_root(path.absolute().parent) or Path.cwd()
    if "paths" in data:
        config.paths = _strings(doc, data["paths"], ("paths",))
        for i, entry in enumerate(config.paths):
            _inside(doc, entry, path.parent, root, ("paths", i) if isinstance(data["paths"], list) else ("paths",))
    if "exclude" in data:
        config.exclude = _strings(doc, data["exclude"], ("exclude",))
    if "fail_on" in data:
        config.fail_on = _choice(doc, data["fail_on"], ("fail_on",), FAIL_LEVELS, "fail level") or "error"
    if "baseline" in data:
        value = data["baseline"]
        if value is not None and not _is_text(value):
            doc.problem(("baseline",), "baseline: expected a file path")
        config.baseline = value or None
        if _is_text(value):
            _inside(doc, value, path.parent, root, ("baseline",))
    config.rules = _rules(doc, data.get("rules"))
    config.options = _options(doc, data.get("options"))
    config.waivers = tuple(sorted(_waivers(doc, data.get("waivers"), ("waivers",)), key=_waiver_key))
    doc.raise_problems()
    return config


def _inside(doc: _Doc, value: str, base: Path, root: Path, where: tuple[object, ...]) -> None:
    """A path from a configuration file may not leave the work tree (name it on the command line)."""
    if not inside(base / value, root):
        shown = safe_text(value if len(value) <= 80 else value[:79] + "…")
        doc.problem(where, f"{_dotted(where)}: {shown!r} is outside the work tree; a path from a "
                           "configuration file must stay inside it (name it on the command line instead)")


def effective(config: Config) -> dict[str, Any]:
    """The effective configuration as plain data (what ``stackmap config`` prints)."""
    from .rules import RULES

    return {
        "paths": list(config.paths),
        "exclude": list(config.exclude),
        "fail_on": config.fail_on,
        "baseline": config.baseline,
        "rules": {
            rid: {"enabled": config.setting(rid).enabled,
                  "severity": (config.setting(rid).severity or rule.SEVERITY).value}
            for rid, rule in RULES.items()
        },
        "options": {f.name: _plain(getattr(config.options, f.name)) for f in dataclasses.fields(Options)},
        "waivers": [
            {"rule": w.rule, "target": w.target, "reason": w.reason, "expires": w.expires.isoformat()}
            for w in config.waivers
        ],
    }


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _waiver_key(w: Waiver) -> tuple[str, str, datetime.date, str]:
    return (w.rule, w.target, w.expires, str(w.location))


class _Doc:
    """A parsed configuration file that reports problems at their ``file:line:col``."""

    def __init__(self, display: str, text: str, data: dict[str, Any]) -> None:
        self.display = display
        self.text = text
        self.data = data
        self.problems: list[str] = []
        self._tree: Any = None

    @classmethod
    def read(cls, path: Path) -> _Doc:
        from ..load.yamlio import YamlProblem, parse

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


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _dotted(path: tuple[object, ...]) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")


def _only(doc: _Doc, data: object, path: tuple[object, ...], allowed: tuple[str, ...]) -> bool:
    """Report every key of ``data`` not in ``allowed``; false when ``data`` is not a mapping."""
    if not isinstance(data, dict):
        doc.problem(path, f"{_dotted(path) or 'file'}: expected a mapping")
        return False
    for key in data:
        if key not in allowed:
            where = _dotted((*path, key)) if isinstance(key, str) else _dotted(path) or "file"
            doc.problem((*path, key), f"{where}: unknown key {key!r}{suggest(str(key), allowed)}; "
                                      f"valid keys: {', '.join(allowed)}", key=True)
    return True


def _strings(doc: _Doc, value: object, path: tuple[object, ...]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(_is_text(v) for v in value):
        doc.problem(path, f"{_dotted(path)}: expected a list of strings (quote values YAML reads "
                          "as numbers or booleans)")
        return ()
    return tuple(value)


def _choice(doc: _Doc, value: object, path: tuple[object, ...], choices: tuple[str, ...],
            what: str) -> str | None:
    if isinstance(value, str) and value in choices:
        return value
    shown = repr(value) if isinstance(value, str) else str(value).lower()
    hint = suggest(value, choices) if isinstance(value, str) else ""
    doc.problem(path, f"{_dotted(path)}: {shown} is not a {what}{hint}; choose one of {', '.join(choices)}")
    return None


def _rules(doc: _Doc, value: object) -> dict[str, RuleSetting]:
    """``rules: {rule-id: {enabled, severity}}``; ``rule-id: off`` and ``rule-id: warning`` are short forms."""
    from .rules import RULES

    if value is None:
        return {}
    if not _only(doc, value, ("rules",), tuple(RULES)):
        return {}
    assert isinstance(value, dict)
    settings: dict[str, RuleSetting] = {}
    for rule_id, raw in value.items():
        if rule_id not in RULES:
            continue
        path = ("rules", rule_id)
        setting = RuleSetting()
        if isinstance(raw, bool) or raw == "off":
            setting.enabled = raw is True
        elif isinstance(raw, str):
            choice = _choice(doc, raw, path, (*SEVERITIES, "off"), "severity")
            setting.severity = Severity(choice) if choice in SEVERITIES else None
        elif isinstance(raw, dict):
            _only(doc, raw, path, RULE_KEYS)
            if "enabled" in raw:
                if isinstance(raw["enabled"], bool):
                    setting.enabled = raw["enabled"]
                else:
                    doc.problem((*path, "enabled"), f"{_dotted((*path, 'enabled'))}: expected true or false")
            if "severity" in raw:
                choice = _choice(doc, raw["severity"], (*path, "severity"), SEVERITIES, "severity")
                setting.severity = Severity(choice) if choice else None
        else:
            doc.problem(path, f"rules.{rule_id}: expected a severity, off, or a mapping with "
                              f"{' and '.join(RULE_KEYS)}")
            continue
        settings[rule_id] = setting
    return settings


def _options(doc: _Doc, value: object) -> Options:
    """``options:``: every field of :class:`stackmap.graph.Options`, lists of strings."""
    if value is None:
        return Options()
    names = tuple(f.name for f in dataclasses.fields(Options))
    if not _only(doc, value, ("options",), names):
        return Options()
    assert isinstance(value, dict)
    given: dict[str, Any] = {}
    for name in names:
        if name in value:
            default = getattr(Options(), name)
            if isinstance(default, tuple):
                given[name] = _strings(doc, value[name], ("options", name))
            elif isinstance(default, bool):
                if isinstance(value[name], bool):
                    given[name] = value[name]
                else:
                    doc.problem(("options", name), f"options.{name}: expected true or false")
            elif isinstance(default, (int, float)):
                number = value[name]
                kind = int if isinstance(default, int) else (int, float)
                if (isinstance(number, kind) and not isinstance(number, bool) and number >= 0
                        and math.isfinite(number)):
                    given[name] = number
                else:
                    doc.problem(("options", name), f"options.{name}: expected "
                                f"{'a whole number' if kind is int else 'a finite number'} of 0 or more")
            else:
                given[name] = value[name]
    return Options(**given)


def _waivers(doc: _Doc, value: object, path: tuple[object, ...]) -> list[Waiver]:
    from .rules import RULES

    if value is None:
        return []
    if not isinstance(value, list):
        doc.problem(path, f"{_dotted(path)}: expected a list of waivers")
        return []
    out: list[Waiver] = []
    for i, raw in enumerate(value):
        here = (*path, i)
        if not _only(doc, raw, here, WAIVER_FIELDS):
            continue
        assert isinstance(raw, dict)
        ok = True
        for name in WAIVER_FIELDS:
            if name not in raw:
                doc.problem(here, f"{_dotted(here)}: missing required field {name!r}")
                ok = False
        for name in ("rule", "target", "reason"):
            if name in raw and not _is_text(raw[name]):
                doc.problem((*here, name), f"{_dotted((*here, name))}: expected text")
                ok = False
        rule = raw.get("rule")
        if isinstance(rule, str) and rule not in RULES:
            doc.problem((*here, "rule"), f"{_dotted((*here, 'rule'))}: unknown rule {rule!r}"
                                         f"{suggest(rule, RULES)}; valid rules: {', '.join(RULES)}")
            ok = False
        expires = _date(raw.get("expires"))
        if "expires" in raw and expires is None:
            doc.problem((*here, "expires"), f"{_dotted((*here, 'expires'))}: expected a date like 2025-06-30")
            ok = False
        if ok and expires is not None:
            out.append(Waiver(rule=str(rule), target=str(raw["target"]), reason=str(raw["reason"]).strip(),
                              expires=expires, location=doc.where(here)))
    return out


def _date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None
