"""Systems that write the same data category to each other in a cycle.

For each data category, the flows between non-retired systems that carry it form a directed
graph; every strongly connected part of two or more systems is a loop: each of them writes that
data into the others and receives it back, so several systems claim to own it (contacts edited in
the CRM and in the marketing tool, each overwriting the other). One finding per set of systems,
listing every category that loops among exactly those systems. Decide which system owns each
category and make the other direction read-only, or document the merge rules.

Passes (contacts go one way, engagement comes back):

```yaml
systems:
  - {id: salesforce, name: Salesforce}
  - {id: marketo, name: Marketo}
flows:
  - {from: salesforce, to: marketo, data: [contact]}
  - {from: marketo, to: salesforce, data: [behavioral]}
```

Fails (both write contacts to each other):

```yaml
systems:
  - {id: salesforce, name: Salesforce}
  - {id: marketo, name: Marketo}
flows:
  - {from: salesforce, to: marketo, data: [contact]}
  - {from: marketo, to: salesforce, data: [contact, behavioral]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..connectivity import strong_components
from ..findings import Fact, Severity
from ..graph import Stack

ID = "sync-loop"
SEVERITY = Severity.INFO
SUMMARY = "Two or more systems writing the same data category to each other in a cycle."


def check(stack: Stack) -> Iterator[Fact]:
    by_category: dict[str, dict[str, set[str]]] = {}
    for flow in stack.live_flows:
        for category in set(flow.data):
            by_category.setdefault(category, {}).setdefault(flow.from_, set()).add(flow.to)
    loops: dict[tuple[str, ...], list[str]] = {}
    for category in sorted(by_category):
        for component in strong_components(by_category[category]):
            loops.setdefault(tuple(component), []).append(category)
    for members, categories in sorted(loops.items()):
        yield Fact(
            f"{', '.join(members)} write {', '.join(categories)} data to each other in a loop: "
            "decide which system owns it",
            systems=members,
            data=tuple(categories),
        )
