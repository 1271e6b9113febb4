"""What a change does to the architecture: systems and flows added, removed and changed, and the
findings it introduces and resolves (compared by fingerprint, after waivers).

Flows are matched by identity (their ``id``, else from, to, mechanism and data). A flow without an
``id`` whose data or mechanism changes gets a new identity; when exactly one flow between the same
two systems disappears and one appears, they are reported as one changed flow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..analysis.engine import Result
from ..analysis.findings import Finding, Status
from ..load.inventory import Inventory, Location
from ..load.model import describe_flow
from ..load.model import Flow, System

Op = Literal["+", "-", "~"]
OPS: tuple[Op, ...] = ("+", "-", "~")


@dataclass(frozen=True)
class Change:
    """One system or flow added (``+``), removed (``-``) or changed (``~``)."""

    op: Op
    kind: Literal["system", "flow"]
    id: str
    """System id, or flow identity."""
    label: str
    """System name, or a short description of the flow."""
    fields: tuple[str, ...] = ()
    """For a change: the fields that differ, in the model's order."""
    location: Location | None = None
    """Where it is written now (where it was, for a removal)."""
    systems: tuple[str, ...] = ()
    """The system, or the flow's two ends."""


@dataclass
class InventoryDiff:
    """The difference between a base and a head inventory."""

    changes: list[Change]
    introduced: list[Finding]
    resolved: list[Finding]
    base: Inventory | None
    head: Inventory
    base_label: str
    head_label: str
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, op: Op) -> int:
        return sum(1 for c in self.changes if c.kind == kind and c.op == op)


def _fields(before: Any, after: Any) -> tuple[str, ...]:
    a = before.model_dump(by_alias=True)
    b = after.model_dump(by_alias=True)
    return tuple(k for k in b if a.get(k) != b.get(k))


def compare(base: Result | None, head: Result, base_label: str, head_label: str) -> InventoryDiff:
    """Compare two analysed inventories (``base`` is ``None`` when there was no valid inventory)."""
    old_inv = base.inventory if base is not None else None
    new_inv = head.inventory
    old_systems: dict[str, System] = old_inv.systems if old_inv else {}
    changes: list[Change] = []
    for sid in sorted(set(old_systems) | set(new_inv.systems)):
        before, after = old_systems.get(sid), new_inv.systems.get(sid)
        if before is None and after is not None:
            changes.append(Change("+", "system", sid, after.name, (), new_inv.system_locations.get(sid), (sid,)))
        elif after is None and before is not None and old_inv is not None:
            changes.append(Change("-", "system", sid, before.name, (), old_inv.system_locations.get(sid), (sid,)))
        elif before is not None and after is not None and before != after:
            changes.append(Change("~", "system", sid, after.name, _fields(before, after),
                                  new_inv.system_locations.get(sid), (sid,)))
    changes += _flow_changes(old_inv, new_inv)
    changes.sort(key=lambda c: (c.kind != "system", OPS.index(c.op), c.id))

    old_fps = {f.fingerprint for f in base.findings} if base is not None else set()
    old_new = {f.fingerprint for f in base.findings if f.status is Status.NEW} if base is not None else set()
    new_fps = {f.fingerprint for f in head.findings}
    introduced = [f for f in head.findings if f.status is Status.NEW and f.fingerprint not in old_fps]
    resolved = [f for f in base.findings if f.fingerprint in old_new and f.fingerprint not in new_fps] \
        if base is not None else []
    return InventoryDiff(changes, introduced, resolved, old_inv, new_inv, base_label, head_label)


def _flow_changes(old_inv: Inventory | None, new_inv: Inventory) -> list[Change]:
    old_flows: dict[str, Flow] = {f.key: f for f in old_inv.flows} if old_inv else {}
    new_flows: dict[str, Flow] = {f.key: f for f in new_inv.flows}
    removed = [k for k in sorted(old_flows) if k not in new_flows]
    added = [k for k in sorted(new_flows) if k not in old_flows]
    out: list[Change] = []
    # Pair one removed and one added flow between the same two systems: an edited flow.
    by_pair_old: dict[tuple[str, str], list[str]] = {}
    by_pair_new: dict[tuple[str, str], list[str]] = {}
    for k in removed:
        by_pair_old.setdefault((old_flows[k].from_, old_flows[k].to), []).append(k)
    for k in added:
        by_pair_new.setdefault((new_flows[k].from_, new_flows[k].to), []).append(k)
    paired_old: set[str] = set()
    paired_new: set[str] = set()
    for pair, olds in by_pair_old.items():
        news = by_pair_new.get(pair, [])
        if len(olds) == 1 and len(news) == 1:
            before, after = old_flows[olds[0]], new_flows[news[0]]
            paired_old.add(olds[0])
            paired_new.add(news[0])
            out.append(Change("~", "flow", after.key, describe_flow(after), _fields(before, after),
                              new_inv.flow_locations.get(after.key), (after.from_, after.to)))
    for k in added:
        if k not in paired_new:
            f = new_flows[k]
            out.append(Change("+", "flow", k, describe_flow(f), (), new_inv.flow_locations.get(k), (f.from_, f.to)))
    for k in removed:
        if k not in paired_old and old_inv is not None:
            f = old_flows[k]
            out.append(Change("-", "flow", k, describe_flow(f), (), old_inv.flow_locations.get(k), (f.from_, f.to)))
    for k in sorted(set(old_flows) & set(new_flows)):
        if old_flows[k] != new_flows[k]:
            f = new_flows[k]
            out.append(Change("~", "flow", k, describe_flow(f), _fields(old_flows[k], f),
                              new_inv.flow_locations.get(k), (f.from_, f.to)))
    return out
