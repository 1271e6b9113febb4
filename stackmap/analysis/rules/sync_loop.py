"""Systems that overwrite each other's copy of a data category in a loop, with no master among them.

Two-way syncs are how stacks are built: the CRM and the marketing-automation tool sync both ways
through the vendor's connector, and the warehouse loads from everything and sends scores back. Those
are not conflicts: the system of record wins. A conflict is a loop of *owners* (systems that store
the category) none of which is the master: each overwrites the others and nobody decides.

For each category that is not append-only (``behavioral`` and categories defined with
``append_only: true`` are events, only ever added, so they cannot conflict): the owners are the live
systems that store it, leaving out systems of record (the master; a loop through one is the
standard design) and analytical copies (``replica_capabilities``: by default ``data-warehouse``,
``data-lake``, ``business-intelligence``). Systems that only pass the category on (pipes: ELT and
reverse-ETL tools, iPaaS recipes, which store none of it) are looked through: a path owner → pipe →
owner is one write. Every strongly connected set of two or more owners is a loop. One finding per
set of owners, listing every category that loops among exactly them.

Passes (the CRM is the master; behavioral events only append):

```yaml
systems:
  - {id: salesforce, name: Salesforce, roles: [system-of-record], data: [contact]}
  - {id: marketo, name: Marketo, data: [contact, behavioral]}
  - {id: segment, name: Segment, data: [behavioral]}
flows:
  - {from: salesforce, to: marketo, data: [contact]}
  - {from: marketo, to: salesforce, data: [contact]}
  - {from: marketo, to: segment, data: [behavioral]}
  - {from: segment, to: marketo, data: [behavioral]}
```

Fails (two tools that both keep contacts write them to each other, one through an iPaaS):

```yaml
systems:
  - {id: mailchimp, name: Mailchimp, data: [contact]}
  - {id: eventbrite, name: Eventbrite, data: [contact]}
  - {id: zapier, name: Zapier}
flows:
  - {from: mailchimp, to: eventbrite, data: [contact]}
  - {from: eventbrite, to: zapier, data: [contact]}
  - {from: zapier, to: mailchimp, data: [contact]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..connectivity import strong_components
from ...load.model import Flow
from ..findings import Fact, Severity
from ..reads import reads
from ..graph import Stack

ID = "sync-loop"
SEVERITY = Severity.WARNING
SUMMARY = "Systems that write the same (not append-only) data to each other in a loop with no system of record in it."
READS = reads(systems="data roles capabilities", flows="from_ to data", capabilities=True, categories=True)

PIPE_HOPS = 4
"""How many pipes in a row a write is followed through (bounds the work on huge inventories)."""


def check(stack: Stack) -> Iterator[Fact]:
    replicas = stack.with_capability(stack.options.replica_capabilities)
    excluded = stack.record_set | replicas
    append_only = stack.inventory.append_only
    loops: dict[tuple[str, ...], list[str]] = {}
    for category, flows in sorted(stack.flows_by_category.items()):
        if category in append_only:
            continue
        storing = stack.storing.get(category, frozenset())
        found = stack.by_category(ID, category, (storing, excluded),
                                  lambda flows=flows, storing=storing: _loops(flows, storing, excluded))
        for members in found:
            loops.setdefault(members, []).append(category)
    for members, categories in sorted(loops.items()):
        yield Fact(
            f"{', '.join(members)} all keep {', '.join(categories)} data and write it to each other in a "
            "loop with no system of record among them: each can overwrite the others; make one the "
            "master and the other direction read-only",
            systems=members,
            data=tuple(categories),
        )


def _loops(flows: list[Flow], storing: frozenset[str], excluded: frozenset[str]) -> list[tuple[str, ...]]:
    """The loops of one category: its owners (``storing`` it, not ``excluded``) that write it to
    each other, directly or through pipes, as sorted strongly connected components."""
    successors: dict[str, set[str]] = {}
    for f in flows:
        got = successors.get(f.from_)
        if got is None:
            successors[f.from_] = {f.to}
        else:
            got.add(f.to)
    owners = {s for s in successors if s not in excluded and s in storing}
    writes = {owner: _written(owner, successors, owners, excluded, storing) for owner in owners}
    return [tuple(component) for component in strong_components(writes)]


def _written(start: str, successors: dict[str, set[str]], owners: set[str], excluded: frozenset[str],
             storing: frozenset[str]) -> set[str]:
    """The owners ``start`` writes the category into, directly or through pipes."""
    direct = successors.get(start, ())
    out = owners.intersection(direct)
    pipes = [n for n in direct if n not in owners and n not in excluded and n not in storing]
    if not pipes:
        return out
    seen = {start, *direct}
    frontier = pipes
    for _ in range(PIPE_HOPS):
        following: list[str] = []
        for node in frontier:
            for nxt in successors.get(node, ()):
                if nxt in seen:
                    continue
                seen.add(nxt)
                if nxt in owners:
                    out.add(nxt)
                elif nxt not in excluded and nxt not in storing:
                    following.append(nxt)  # a pipe: look through it
        frontier = following
        if not frontier:
            break
    out.discard(start)
    return out
