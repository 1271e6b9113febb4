"""Consolidation candidates: duplicate-capability groups ranked by evidence of real overlap.

The groups are those of ``duplicate-capability`` (active and planned systems sharing an exclusive
capability); groups with the same systems are merged, listing every capability they share. Each
group is consolidated onto its best-connected member, the *keeper*: the most automated flows
(mechanism other than ``manual``) with non-retired systems; ties go to the member with more
capabilities (the broader tool), then to the smallest id. The evidence, out of 100 points:

- capabilities (40): how much of each other member's capabilities the keeper already provides;
- data (30): how much of each other member's data categories the keeper already stores (a member
  that lists no data counts as covered);
- owner (15): every member has the same owner (one team paying twice for one job);
- lifecycle (15): every member is active (a planned member may be a replacement on its way in).

Coverage is averaged over the members other than the keeper. The potential saving is the known
annual cost of the other members; those without a cost are named, never counted as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..analysis.graph import Stack
from ..hints import plural
from ..analysis.rules.duplicate_capability import overlaps
from .tables import money, number

WEIGHTS: dict[str, int] = {"capabilities": 40, "data": 30, "owner": 15, "lifecycle": 15}


@dataclass(frozen=True)
class Evidence:
    name: str
    points: float
    weight: int
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "points": round(self.points, 1), "of": self.weight, "reason": self.reason}


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    owner: str | None
    lifecycle: str
    annual_cost: float | None
    connections: int
    """Automated (not ``manual``) flows with other non-retired systems."""
    capabilities: int
    """Number of capabilities (aliases resolved)."""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "owner": self.owner, "lifecycle": self.lifecycle,
                "annual_cost": number(self.annual_cost), "connections": self.connections,
                "capabilities": self.capabilities}


@dataclass(frozen=True)
class Suggestion:
    capabilities: tuple[str, ...]
    """The duplicated capabilities these systems share."""
    keeper: Member
    others: tuple[Member, ...]
    evidence: tuple[Evidence, ...]
    saving: float | None
    without_cost: tuple[str, ...]
    """Other members with no recorded cost (the saving leaves them out)."""
    why_keeper: str
    """Why this member is the keeper."""

    @property
    def score(self) -> int:
        return round(sum(e.points for e in self.evidence))

    @property
    def systems(self) -> tuple[str, ...]:
        return tuple(sorted([self.keeper.id, *(m.id for m in self.others)]))

    def explanation(self) -> str:
        """One paragraph: what to do, why this keeper, what the evidence says, what it saves."""
        others = ", ".join(m.id for m in self.others)
        text = (f"Consolidate {others} onto {self.keeper.id} ({self.why_keeper}). Evidence: "
                + "; ".join(e.reason for e in self.evidence) + ".")
        if self.saving is not None:
            text += f" Potential saving {money(self.saving)} a year"
            text += f" (not counting {', '.join(self.without_cost)}: no cost recorded)." if self.without_cost else "."
        else:
            text += " No cost is recorded for the systems it would retire."
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "capabilities": list(self.capabilities),
            "systems": list(self.systems),
            "keeper": self.keeper.to_json(),
            "consolidate": [m.to_json() for m in self.others],
            "why_keeper": self.why_keeper,
            "score": self.score,
            "evidence": [e.to_json() for e in self.evidence],
            "annual_saving": number(self.saving),
            "systems_without_cost": list(self.without_cost),
            "explanation": self.explanation(),
        }


@dataclass(frozen=True)
class Rationalization:
    suggestions: tuple[Suggestion, ...]
    """Highest score first, then highest saving, then capabilities."""

    @property
    def total_saving(self) -> float | None:
        """Known cost of every system some suggestion would retire, each counted once. An upper
        bound: a system kept by one suggestion may be retired by another."""
        costs: dict[str, float] = {}
        for s in self.suggestions:
            for m in s.others:
                if m.annual_cost is not None:
                    costs[m.id] = m.annual_cost
        return sum(costs.values()) if costs else None

    def to_json(self) -> dict[str, Any]:
        return {"suggestions": [s.to_json() for s in self.suggestions],
                "total_annual_saving": number(self.total_saving), "weights": dict(WEIGHTS)}


def rationalize(stack: Stack) -> Rationalization:
    merged: dict[tuple[str, ...], list[str]] = {}
    for cap, sids in overlaps(stack):
        merged.setdefault(tuple(sids), []).append(cap)
    connections: dict[str, int] = {}
    for flow in stack.live_flows:
        if flow.mechanism != "manual":
            connections[flow.from_] = connections.get(flow.from_, 0) + 1
            connections[flow.to] = connections.get(flow.to, 0) + 1
    suggestions = [_suggest(stack, sids, caps, connections) for sids, caps in merged.items()]
    suggestions.sort(key=lambda s: (-s.score, s.saving is None, -(s.saving or 0), s.capabilities, s.systems))
    return Rationalization(tuple(suggestions))


def _member(stack: Stack, sid: str, connections: dict[str, int]) -> Member:
    s = stack.systems[sid]
    return Member(sid, s.name, s.owner, s.lifecycle, s.annual_cost, connections.get(sid, 0),
                  len(stack.inventory.capabilities_of(s)))


def _suggest(stack: Stack, sids: tuple[str, ...], caps: list[str], connections: dict[str, int]) -> Suggestion:
    inventory = stack.inventory
    members = [_member(stack, sid, connections) for sid in sids]
    keeper = min(members, key=lambda m: (-m.connections, -m.capabilities, m.id))
    flows = plural(keeper.connections, "automated flow")
    if any(m.connections != keeper.connections for m in members):
        why = f"{flows}, the best-connected"
    elif any(m.capabilities != keeper.capabilities for m in members):
        why = f"{flows} like the others, and the most capabilities"
    else:
        why = (f"{flows} and {plural(keeper.capabilities, 'capability', 'capabilities')} like the others; "
               "first by id")
    others = [m for m in members if m is not keeper]
    keeper_caps = set(inventory.capabilities_of(stack.systems[keeper.id]))
    keeper_data = set(stack.systems[keeper.id].data)

    cap_shares: list[float] = []
    cap_notes: list[str] = []
    data_shares: list[float] = []
    data_notes: list[str] = []
    for m in others:
        mine = list(inventory.capabilities_of(stack.systems[m.id]))
        missing = [c for c in mine if c not in keeper_caps]
        cap_shares.append((len(mine) - len(missing)) / len(mine))
        cap_notes.append(f"{keeper.id} already provides all of {m.id}'s capabilities" if not missing else
                         f"{keeper.id} provides {len(mine) - len(missing)} of {m.id}'s {len(mine)} capabilities "
                         f"(not {', '.join(missing)})")
        data = sorted(set(stack.systems[m.id].data))
        lacking = [c for c in data if c not in keeper_data]
        data_shares.append((len(data) - len(lacking)) / len(data) if data else 1.0)
        data_notes.append(f"{m.id} lists no data" if not data else
                          f"{keeper.id} already stores all of {m.id}'s data" if not lacking else
                          f"{keeper.id} stores {len(data) - len(lacking)} of {m.id}'s {len(data)} data "
                          f"categories (not {', '.join(lacking)})")

    owners = {m.owner for m in members}
    same_owner = len(owners) == 1 and None not in owners
    known_owners = sorted(o for o in owners if o)
    planned = [m.id for m in members if m.lifecycle != "active"]
    evidence = (
        Evidence("capabilities", WEIGHTS["capabilities"] * _mean(cap_shares), WEIGHTS["capabilities"],
                 "; ".join(cap_notes)),
        Evidence("data", WEIGHTS["data"] * _mean(data_shares), WEIGHTS["data"],
                 "; ".join(data_notes)),
        Evidence("owner", WEIGHTS["owner"] if same_owner else 0, WEIGHTS["owner"],
                 f"one owner ({known_owners[0]}) pays for all of them" if same_owner else
                 f"owners differ ({', '.join(known_owners) or 'none recorded'}"
                 f"{', some none' if None in owners and known_owners else ''}): the teams must agree first"),
        Evidence("lifecycle", 0 if planned else WEIGHTS["lifecycle"], WEIGHTS["lifecycle"],
                 f"{', '.join(planned)} {'is' if len(planned) == 1 else 'are'} planned: possibly a replacement "
                 "already on its way" if planned else "all are active"),
    )
    costs = [m.annual_cost for m in others if m.annual_cost is not None]
    return Suggestion(
        capabilities=tuple(caps),
        keeper=keeper,
        others=tuple(others),
        evidence=evidence,
        saving=sum(costs) if costs else None,
        without_cost=tuple(m.id for m in others if m.annual_cost is None),
        why_keeper=why,
    )


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
