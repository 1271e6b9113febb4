"""The effective configuration: which rules run, at which severity, with which options."""

from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Severity
from .graph import Options

FAIL_LEVELS: tuple[str, ...] = ("error", "warning", "info", "never")


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

    def setting(self, rule_id: str) -> RuleSetting:
        return self.rules.get(rule_id) or RuleSetting()
