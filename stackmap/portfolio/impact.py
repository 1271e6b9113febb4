"""What retiring one system would do: broken flows, isolated systems, lost customer-data paths,
capabilities left without a provider, and the annual cost saved.

Computed by comparing the stack as it is with the same stack where the system is ``retired``, so
every effect follows the rules' own semantics (retired systems are out of every analysis).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..errors import UsageError
from ..analysis.graph import Stack
from ..hints import suggest
from ..load.model import describe_flow
from .tables import number

PROVIDERS = ("active", "planned")
"""Lifecycles that count as a remaining provider of a capability (a retiring one is on its way out)."""


@dataclass(frozen=True)
class BrokenFlow:
    key: str
    description: str
    direction: str
    """``out`` (from the system) or ``in`` (into it)."""
    other: str
    """The system at the other end."""
    data: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"flow": self.key, "description": self.description, "direction": self.direction,
                "other": self.other, "data": list(self.data)}


@dataclass(frozen=True)
class Orphan:
    """A capability left with no active or planned provider."""

    capability: str
    retiring: tuple[str, ...]
    """Retiring systems that still provide it, for now."""

    def to_json(self) -> dict[str, Any]:
        return {"capability": self.capability, "only_retiring_providers": list(self.retiring)}


@dataclass(frozen=True)
class Impact:
    system: str
    name: str
    owner: str | None
    lifecycle: str
    system_of_record: bool
    last_record: bool
    """It is the only system of record: afterwards there is none (``no-system-of-record``), and
    every customer-data system that had a link to it is counted under :attr:`unsynced`."""
    flows: tuple[BrokenFlow, ...]
    isolated: tuple[str, ...]
    """Systems that have flows today and none (to a non-retired system) afterwards."""
    silos: tuple[str, ...]
    """Customer-data systems that would have no customer-data link to a system of record at all."""
    unsynced: tuple[str, ...]
    """Customer-data systems that would lose their directed customer-data path into a system of
    record (and are not already counted as new silos)."""
    orphaned: tuple[Orphan, ...]
    saving: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "system": self.system, "name": self.name, "owner": self.owner, "lifecycle": self.lifecycle,
            "system_of_record": self.system_of_record,
            "last_system_of_record": self.last_record,
            "broken_flows": [f.to_json() for f in self.flows],
            "become_isolated": list(self.isolated),
            "become_silos": list(self.silos),
            "lose_path_to_system_of_record": list(self.unsynced),
            "capabilities_without_provider": [o.to_json() for o in self.orphaned],
            "annual_cost_saved": number(self.saving),
        }


def check_system(stack: Stack, system_id: str) -> None:
    """A :class:`UsageError` unless ``system_id`` names a system that is not retired."""
    if system_id not in stack.systems:
        ids = sorted(stack.live)
        shown = ", ".join(ids[:20]) + (f", … ({len(ids)} in all)" if len(ids) > 20 else "")
        raise UsageError(f"no system has the id {system_id!r}{suggest(system_id, ids)}; systems: {shown}")
    if system_id not in stack.live:
        raise UsageError(f"system {system_id!r} is already retired; "
                         "flows still touching it are reported by flow-to-retired-system")


def impact(stack: Stack, system_id: str) -> Impact:
    """The effects of retiring ``system_id``."""
    check_system(stack, system_id)
    inventory = stack.inventory
    target = stack.systems[system_id]
    systems = dict(inventory.systems)
    systems[system_id] = target.model_copy(update={"lifecycle": "retired"})
    # The derived facts compared here come from the inventory, not the graph: share it, do not rebuild.
    after = Stack(replace(inventory, systems=systems, docs=()), stack.options, graph=stack.graph)

    flows = tuple(
        BrokenFlow(f.key, describe_flow(f), "out" if f.from_ == system_id else "in",
                   f.to if f.from_ == system_id else f.from_, tuple(sorted(set(f.data))))
        for f in stack.live_flows if system_id in (f.from_, f.to)
    )
    before_degree, after_degree = stack.live_degree, after.live_degree
    isolated = tuple(sorted(s for s in after.live if before_degree[s] > 0 and after_degree[s] == 0))
    last_record = bool(stack.records) and not after.records
    if last_record:  # no record left: silos would be judged against another yardstick; say it plainly
        silos: tuple[str, ...] = ()
        unsynced = tuple(s for s in stack.customer_systems if s != system_id and s not in set(stack.silos))
    else:
        silos = tuple(sorted(set(after.silos) - set(stack.silos)))
        lost = (stack.reaching_record - after.reaching_record) - {system_id} - set(silos)
        unsynced = tuple(sorted(s for s in lost if s in after.live and stack.customer_data(s)))

    orphaned: list[Orphan] = []
    for cap in inventory.capabilities_of(target):
        others = [sid for sid in sorted(after.live) if cap in inventory.capabilities_of(stack.systems[sid])]
        if not any(stack.systems[sid].lifecycle in PROVIDERS for sid in others):
            orphaned.append(Orphan(cap, tuple(others)))
    return Impact(
        system=system_id,
        name=target.name,
        owner=target.owner,
        lifecycle=target.lifecycle,
        system_of_record=system_id in stack.records,
        last_record=last_record,
        flows=flows,
        isolated=isolated,
        silos=silos,
        unsynced=unsynced,
        orphaned=tuple(sorted(orphaned, key=lambda o: o.capability)),
        saving=target.annual_cost,
    )
