"""A system that exchanges no data with any other system in the stack.

A system that is not retired and has no flow to or from another non-retired system is either
missing from the map (its flows were never written down) or a tool nobody integrated: data typed
into it stays there. Flows to retired systems do not count: a system whose only integration goes
to something being switched off is isolated. ``planned`` and ``retiring`` systems count like
active ones.

Passes:

```yaml
systems:
  - {id: hubspot, name: HubSpot}
  - {id: slack, name: Slack}
flows:
  - {from: hubspot, to: slack, data: [lead]}
```

Fails (``slack`` is isolated; ``hubspot`` too):

```yaml
systems:
  - {id: hubspot, name: HubSpot}
  - {id: slack, name: Slack}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Severity
from ..graph import Stack

ID = "isolated-system"
SEVERITY = Severity.WARNING
SUMMARY = "A system with no flow to or from any other non-retired system."


def check(stack: Stack) -> Iterator[Fact]:
    degree = stack.live_degree
    for sid in sorted(stack.live):
        if degree[sid] == 0:
            name = stack.systems[sid].name
            yield Fact(f"{name} ({sid}) has no flow to or from any other system", systems=(sid,))
