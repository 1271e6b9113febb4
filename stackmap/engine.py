"""Run the rules and apply policy in one place: enablement, severity, location, fingerprint, order."""

from __future__ import annotations

from dataclasses import dataclass

from .config import Config
from .findings import Fact, Finding, Severity, fingerprint
from .graph import Stack
from .inventory import Inventory, Location
from .rules import RULES


@dataclass
class Result:
    """An analysed inventory."""

    inventory: Inventory
    findings: list[Finding]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


def evaluate(stack: Stack, config: Config | None = None) -> list[Finding]:
    """Every enabled rule's findings, stamped and sorted deterministically."""
    config = config or Config()
    findings: list[Finding] = []
    for rule_id, rule in RULES.items():
        setting = config.setting(rule_id)
        if not setting.enabled:
            continue
        for fact in rule.check(stack):
            severity = setting.severity or fact.severity or rule.SEVERITY
            findings.append(stamp(rule_id, severity, fact, stack.inventory))
    findings.sort(key=lambda f: f.sort_key)
    return findings


def stamp(rule_id: str, severity: Severity, fact: Fact, inventory: Inventory) -> Finding:
    """Turn a rule's fact into a finding with its location and fingerprint."""
    systems = tuple(sorted(set(fact.systems)))
    related: tuple[Location, ...] = ()
    if fact.flow is not None and fact.flow in inventory.flow_locations:
        location = inventory.flow_locations[fact.flow]
        related = tuple(inventory.system_locations[s] for s in systems if s in inventory.system_locations)
    elif systems:
        location = inventory.system_locations[systems[0]]
        related = tuple(inventory.system_locations[s] for s in systems[1:])
    else:
        location = inventory.first_location
    return Finding(
        rule=rule_id,
        severity=severity,
        message=fact.message,
        systems=systems,
        location=location,
        related=related,
        fingerprint=fingerprint(rule_id, fact),
        capability=fact.capability,
        flow=fact.flow,
        data=tuple(fact.data),
        details=dict(fact.details),
    )


def fails(findings: list[Finding], fail_on: str) -> bool:
    """Whether any finding is at or above the fail level (``never`` never fails)."""
    if fail_on == "never":
        return False
    limit = Severity(fail_on).rank
    return any(f.severity.rank <= limit for f in findings)


def analyse(inventory: Inventory, config: Config | None = None) -> Result:
    """Build the graph, run the rules, return the result."""
    config = config or Config()
    stack = Stack(inventory, config.options)
    return Result(inventory, evaluate(stack, config))
