"""The report's capability rows and duplicate-capability groups.

:func:`build_capabilities` gives the rows of the capability matrix (which systems that are not
retired provide each capability, and whether ``duplicate-capability`` reports it);
:func:`build_duplicates` gives each duplicate group with its owners and combined cost. Plain frozen
data, sorted; nothing here escapes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.graph import Stack
from ..analysis.rules.duplicate_capability import overlaps
from ..portfolio.spend import Spend


@dataclass(frozen=True)
class Capability:
    """One row of the capability matrix."""

    id: str
    name: str
    providers: tuple[str, ...]
    """Non-retired systems providing it, sorted."""
    duplicate: bool
    """Reported by ``duplicate-capability`` (exclusive, two or more active or planned providers)."""


@dataclass(frozen=True)
class Duplicate:
    """A duplicate-capability group with its owners and combined cost."""

    capability: str
    systems: tuple[str, ...]
    owners: tuple[str, ...]
    annual_cost: float | None
    without_cost: tuple[str, ...]


def build_capabilities(stack: Stack) -> tuple[Capability, ...]:
    inventory = stack.inventory
    duplicated = {cap for cap, _ in overlaps(stack)}
    providers: dict[str, list[str]] = {}
    for sid in sorted(stack.live):
        for cap in inventory.capabilities_of(stack.systems[sid]):
            providers.setdefault(cap, []).append(sid)
    rows = []
    for cap in sorted(providers):
        definition = inventory.capabilities.get(cap)
        name = definition.name if definition is not None and definition.name else cap
        rows.append(Capability(cap, name, tuple(providers[cap]), cap in duplicated))
    return tuple(rows)


def build_duplicates(stack: Stack, report_spend: Spend) -> tuple[Duplicate, ...]:
    """The duplicate-capability groups of ``report_spend`` (its overlap), with the groups' owners."""
    return tuple(
        Duplicate(o.capability, o.systems,
                  tuple(sorted({stack.systems[s].owner for s in o.systems if stack.systems[s].owner})),
                  o.annual_cost, o.without_cost)
        for o in report_spend.overlap)
