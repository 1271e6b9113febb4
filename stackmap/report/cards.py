"""Each system's details in the report (its card): what it is, who owns it, its flows and findings.

:func:`build_cards` gives every system, retired ones included, sorted by id, with its flows seen
from its end (:class:`Link`) and the findings that name it. Plain frozen data; nothing here escapes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..analysis.findings import Finding
from ..analysis.graph import Stack
from ..load.model import Flow


@dataclass(frozen=True)
class Link:
    """A flow seen from one of its ends."""

    other: str
    """The system at the other end."""
    data: tuple[str, ...]
    mechanism: str | None


@dataclass(frozen=True)
class Card:
    """Everything about one system a reader may ask for."""

    id: str
    name: str
    vendor: str | None
    owner: str | None
    lifecycle: str
    description: str | None
    capabilities: tuple[str, ...]
    data: tuple[str, ...]
    customer_data: tuple[str, ...]
    roles: tuple[str, ...]
    annual_cost: float | None
    it_reviewed: bool | None
    location: str
    """``file:line`` where the system is written."""
    flows_in: tuple[Link, ...]
    flows_out: tuple[Link, ...]
    findings: tuple[Finding, ...]
    """Findings naming the system, in report order."""

    @property
    def neighbours(self) -> tuple[str, ...]:
        return tuple(sorted({link.other for link in (*self.flows_in, *self.flows_out)}))


def build_cards(stack: Stack, findings: tuple[Finding, ...]) -> tuple[Card, ...]:
    inventory = stack.inventory
    incoming: dict[str, list[Flow]] = {}
    outgoing: dict[str, list[Flow]] = {}
    for flow in inventory.flows:
        outgoing.setdefault(flow.from_, []).append(flow)
        incoming.setdefault(flow.to, []).append(flow)
    by_system: dict[str, list[Finding]] = {}
    for finding in findings:
        for sid in finding.systems:
            by_system.setdefault(sid, []).append(finding)
    cards = []
    for sid in sorted(stack.systems):
        system = stack.systems[sid]
        where = inventory.system_locations.get(sid)
        cards.append(Card(
            id=sid,
            name=system.name,
            vendor=system.vendor,
            owner=system.owner,
            lifecycle=system.lifecycle,
            description=system.description,
            capabilities=inventory.capabilities_of(system),
            data=tuple(sorted(set(system.data))),
            customer_data=tuple(stack.customer_data(sid)),
            roles=tuple(system.roles),
            annual_cost=system.annual_cost,
            it_reviewed=system.it_reviewed,
            location=f"{where.file}:{where.line}" if where else "",
            flows_in=_links(incoming.get(sid, []), lambda f: f.from_),
            flows_out=_links(outgoing.get(sid, []), lambda f: f.to),
            findings=tuple(by_system.get(sid, ())),
        ))
    return tuple(cards)


def _links(flows: list[Flow], other: Callable[[Flow], str]) -> tuple[Link, ...]:
    links = [Link(other(f), tuple(sorted(set(f.data))), f.mechanism) for f in flows]
    return tuple(sorted(links, key=lambda link: (link.other, link.mechanism or "", link.data)))
