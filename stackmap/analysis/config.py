"""The effective configuration: which rules run, at which severity, with which options.

This module owns the model (:class:`Config`, :class:`RuleSetting`), the names of the files it comes
from and its plain-data view (:func:`effective`). Finding and reading ``.stackmap.yaml`` and
``.stackmap-waivers.yaml`` is :mod:`stackmap.analysis.config_file`; checking their sections is
:mod:`stackmap.analysis.config_sections`, on the located problems of :mod:`stackmap.analysis.config_doc`.
The shipped, commented default is ``stackmap/analysis/default-config.yaml`` (``stackmap config --default``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import Severity
from .options import Options
from .waivers import Waiver

FAIL_LEVELS: tuple[str, ...] = ("error", "warning", "info", "never")
CONFIG_NAME = ".stackmap.yaml"
WAIVERS_NAME = ".stackmap-waivers.yaml"
DEFAULT_BASELINE = ".stackmap-baseline.json"
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
