"""Two or more integrations writing the same data from the same source into the same system.

When two different routes carry one category from the same source into the same target (two
reverse-ETL tools both pushing warehouse contacts into the CRM, an iPaaS recipe next to a native
connector), both write the same records: they race, overwrite each other's fields and double the
load, and nobody knows which one is meant to own the sync. The finding names the few routes, so
the fix (switch one off) is obvious.

A route into a target that stores the category is either a flow from a pipe (a live system that
stores none of the category: an ELT, reverse-ETL or iPaaS tool) or a flow from a system that stores
it (a recipe with ``mechanism: ipaas`` is a route of its own). A pipe's sources are the owners it
receives the category from (through up to four pipes in a row); a storing system's sources are
itself and the owners that write the category into it directly (unless it is a system of record:
passing on what it was given is the master's job). Two or more routes sharing a source
make a conflict: the same records arrive twice (a chat tool creating leads in the CRM directly and
through the marketing-automation tool's sync: the classic duplicate lead). Append-only categories (``behavioral``, and those
defined with ``append_only: true``) never conflict. Systems of record are not exempt as targets:
two integrations writing into the CRM is the classic case. One finding per target, source and set
of routes, listing every category they share.

Passes (one route per source):

```yaml
systems:
  - {id: snowflake, name: Snowflake, data: [account]}
  - {id: salesforce, name: Salesforce, data: [account]}
  - {id: hightouch, name: Hightouch}
flows:
  - {from: snowflake, to: hightouch, data: [account]}
  - {from: hightouch, to: salesforce, data: [account]}
```

Fails (Hightouch and Census both push warehouse accounts into Salesforce):

```yaml
systems:
  - {id: snowflake, name: Snowflake, data: [account]}
  - {id: salesforce, name: Salesforce, data: [account]}
  - {id: hightouch, name: Hightouch}
  - {id: census, name: Census}
flows:
  - {from: snowflake, to: hightouch, data: [account]}
  - {from: hightouch, to: salesforce, data: [account], frequency: hourly}
  - {from: snowflake, to: census, data: [account]}
  - {from: census, to: salesforce, data: [account], frequency: hourly}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...load.model import Flow
from ..findings import Fact, Named, Severity, text
from ..reads import reads
from ..graph import Stack

ID = "conflicting-writers"
SEVERITY = Severity.WARNING
SUMMARY = "Two or more integrations writing the same data from the same source into the same system."
READS = reads(systems="data roles", flows="from_ to data mechanism", categories=True)

PIPE_HOPS = 4
"""How many pipes in a row are followed back to the source (bounds the work)."""


def check(stack: Stack) -> Iterator[Fact]:
    append_only = stack.inventory.append_only
    records = stack.record_set
    # (target, source, routes) -> categories
    conflicts: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
    for category, flows in sorted(stack.flows_by_category.items()):
        if category in append_only:
            continue
        storing = stack.storing.get(category, frozenset())
        found = stack.by_category(ID, category, (storing, records),
                                  lambda flows=flows, storing=storing: _conflicts(flows, storing, records))
        for conflict in found:
            conflicts.setdefault(conflict, []).append(category)
    for (target, source, routes), categories in sorted(conflicts.items()):
        systems = {target, source} | {r.split(" ")[0] for r in routes}
        shown = [r.replace(" direct", " (direct)").replace(" via ipaas", " (iPaaS recipe)") for r in routes]
        yield Fact(
            text(f"{len(routes)} integrations write {', '.join(categories)} data from {source} into ",
                 Named(target), f" ({target}): {', '.join(shown)}; they overwrite each other: keep one"),
            systems=tuple(sorted(systems)),
            data=tuple(categories),
            details={"target": target, "source": source, "routes": list(routes)},
        )


def _conflicts(flows: list[Flow], storing: frozenset[str], records: frozenset[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """The conflicts of one category: (target, source, sorted routes) where two or more routes
    write the category from one source into one target that stores it."""
    predecessors: dict[str, set[str]] = {}
    into: dict[str, list[tuple[str, str]]] = {}  # target -> (route system, mechanism)
    for f in flows:
        to = f.to
        got = predecessors.get(to)
        if got is None:
            predecessors[to] = {f.from_}
        else:
            got.add(f.from_)
        if to in storing:
            routes = into.get(to)
            if routes is None:
                into[to] = [(f.from_, f.mechanism or "")]
            else:
                routes.append((f.from_, f.mechanism or ""))
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for target, routes in into.items():
        if len(routes) < 2:
            continue
        by_source: dict[str, set[str]] = {}
        for source_system, mechanism in routes:
            if source_system in storing:
                label = f"{source_system} via ipaas" if mechanism == "ipaas" else f"{source_system} direct"
                by_source.setdefault(source_system, set()).add(label)
                if source_system in records:
                    continue  # the master passing on what it was given is its job
                for origin in predecessors.get(source_system, ()):  # one owner further up
                    if origin != target and origin in storing:
                        by_source.setdefault(origin, set()).add(source_system)
            else:
                for origin in _origins(source_system, predecessors, storing, target):
                    by_source.setdefault(origin, set()).add(source_system)
        for source, labels in by_source.items():
            if len(labels) >= 2:
                out.append((target, source, tuple(sorted(labels))))
    return out


def _origins(pipe: str, predecessors: dict[str, set[str]], storing: frozenset[str], target: str) -> set[str]:
    """The systems storing the category that feed it into ``pipe`` (through pipes)."""
    out: set[str] = set()
    frontier = [pipe]
    seen = {pipe, target}
    for _ in range(PIPE_HOPS):
        following: list[str] = []
        for node in frontier:
            for prev in predecessors.get(node, ()):
                if prev in seen:
                    continue
                seen.add(prev)
                if prev in storing:
                    out.add(prev)
                else:
                    following.append(prev)
        frontier = following
        if not frontier:
            break
    return out
