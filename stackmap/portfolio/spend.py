"""Annual spend: by owner, capability or vendor; money in overlap; marketing versus IT.

Counts the systems that are not retired (planned ones count: their contracts are signed or about to
be; retiring ones are still paid). A system without ``annual_cost`` is never counted as zero: every
total says how many systems it leaves out, and they are listed by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from ..errors import UsageError
from ..analysis.graph import Stack
from ..hints import suggest
from ..load.model import System
from ..analysis.rules.duplicate_capability import overlaps
from .tables import number

DIMENSIONS: tuple[str, ...] = ("owner", "capability", "vendor")
NONE_LABEL = {"owner": "(no owner)", "capability": "(no capability)", "vendor": "(no vendor)"}
SIDES: tuple[str, ...] = ("marketing", "it", "other", "unowned")


@dataclass(frozen=True)
class Group:
    """The systems sharing one owner, capability or vendor."""

    key: str
    annual_cost: float | None
    """Sum of the known costs; ``None`` when no system of the group has one."""
    systems: tuple[str, ...]
    """Systems with a cost, sorted."""
    without_cost: tuple[str, ...]
    """Systems without a cost, sorted."""
    share: float | None
    """Percentage of the known total (``None`` when nothing has a cost)."""

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "annual_cost": number(self.annual_cost), "share_percent": _pct(self.share),
                "systems": list(self.systems), "systems_without_cost": list(self.without_cost)}


@dataclass(frozen=True)
class Overlap:
    """Spend inside one duplicate-capability group."""

    capability: str
    systems: tuple[str, ...]
    annual_cost: float | None
    without_cost: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"capability": self.capability, "systems": list(self.systems),
                "annual_cost": number(self.annual_cost), "systems_without_cost": list(self.without_cost)}


@dataclass(frozen=True)
class Unpriced:
    """A system without a recorded cost."""

    id: str
    name: str
    owner: str | None


@dataclass(frozen=True)
class Spend:
    """The whole spend report."""

    by: str
    total: float
    """Sum of the known annual costs."""
    systems: int
    """Non-retired systems."""
    without_cost: tuple[Unpriced, ...]
    groups: tuple[Group, ...]
    """Ordered by cost (highest first; groups with no known cost last), then key."""
    overlap: tuple[Overlap, ...]
    overlap_total: float | None
    """Known spend of the systems in any duplicate-capability group, each system counted once."""
    sides: tuple[Group, ...]
    """Marketing, IT, other owners, no owner (keys as in :data:`SIDES`)."""

    @property
    def groups_overlap(self) -> bool:
        """Whether a system can sit in several groups (by capability), so groups exceed the total."""
        return self.by == "capability"

    def to_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "annual_cost": number(self.total),
            "systems": self.systems,
            "systems_with_cost": self.systems - len(self.without_cost),
            "systems_without_cost": [{"id": u.id, "name": u.name, "owner": u.owner} for u in self.without_cost],
            "groups": [g.to_json() for g in self.groups],
            "groups_overlap": self.groups_overlap,
            "money_in_overlap": {"annual_cost": number(self.overlap_total),
                                 "groups": [o.to_json() for o in self.overlap]},
            "marketing_vs_it": [s.to_json() for s in self.sides],
        }


def check_dimension(by: str) -> str:
    if by not in DIMENSIONS:
        raise UsageError(f"unknown --by {by!r}{suggest(by, DIMENSIONS)}; valid values: {', '.join(DIMENSIONS)}")
    return by


def spend(stack: Stack, by: str = "owner") -> Spend:
    """Compute the spend report over the non-retired systems of ``stack``."""
    check_dimension(by)
    systems = [stack.systems[sid] for sid in sorted(stack.live)]
    priced = [s for s in systems if s.annual_cost is not None]
    total = sum(s.annual_cost for s in priced if s.annual_cost is not None)
    keyed: dict[str, list[System]] = {}
    for system in systems:
        for key in _keys(stack, system, by):
            keyed.setdefault(key, []).append(system)
    groups = sorted((_group(k, members, total) for k, members in keyed.items()),
                    key=lambda g: (g.annual_cost is None, -(g.annual_cost or 0), g.key))
    overlap = tuple(_overlap(cap, [stack.systems[s] for s in sids]) for cap, sids in overlaps(stack))
    in_overlap = {sid for o in overlap for sid in o.systems}
    overlap_total = (sum(stack.systems[s].annual_cost or 0 for s in in_overlap) if in_overlap else None)
    sided: dict[str, list[System]] = {side: [] for side in SIDES}
    for system in systems:
        sided[side_of(system.owner, stack.options.marketing_owners, stack.options.it_owners)].append(system)
    return Spend(
        by=by,
        total=total,
        systems=len(systems),
        without_cost=tuple(Unpriced(s.id, s.name, s.owner) for s in systems if s.annual_cost is None),
        groups=tuple(groups),
        overlap=overlap,
        overlap_total=overlap_total,
        sides=tuple(_group(side, sided[side], total) for side in SIDES),
    )


def side_of(owner: str | None, marketing: tuple[str, ...], it: tuple[str, ...]) -> str:
    """``marketing``, ``it``, ``other`` or ``unowned`` for an owner name (patterns are case-insensitive)."""
    if owner is None or not owner.strip():
        return "unowned"
    name = owner.strip().lower()
    if any(fnmatchcase(name, p.lower()) for p in marketing):
        return "marketing"
    if any(fnmatchcase(name, p.lower()) for p in it):
        return "it"
    return "other"


def _keys(stack: Stack, system: System, by: str) -> list[str]:
    if by == "capability":
        return list(stack.inventory.capabilities_of(system)) or [NONE_LABEL[by]]
    value = system.owner if by == "owner" else system.vendor
    return [value.strip()] if value and value.strip() else [NONE_LABEL[by]]


def _group(key: str, members: list[System], total: float) -> Group:
    costs = [s.annual_cost for s in members if s.annual_cost is not None]
    cost = sum(costs) if costs else None
    return Group(
        key=key,
        annual_cost=cost,
        systems=tuple(sorted(s.id for s in members if s.annual_cost is not None)),
        without_cost=tuple(sorted(s.id for s in members if s.annual_cost is None)),
        share=(100 * cost / total) if cost is not None and total > 0 else None,
    )


def _overlap(capability: str, members: list[System]) -> Overlap:
    costs = [s.annual_cost for s in members if s.annual_cost is not None]
    return Overlap(capability, tuple(s.id for s in members), sum(costs) if costs else None,
                   tuple(s.id for s in members if s.annual_cost is None))


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
