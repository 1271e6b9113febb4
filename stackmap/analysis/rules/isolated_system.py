"""A system that exchanges no data with any other system in the stack.

A system that is not retired and has no flow to or from another non-retired system is either
missing from the map (its flows were never written down) or a tool nobody integrated: data typed
into it stays there. Flows to retired systems do not count: a system whose only integration goes
to something being switched off is isolated. ``planned`` and ``retiring`` systems count like
active ones.

When the inventory has no flow between live systems at all (a list of tools imported from a
spreadsheet), every system is isolated for the same reason: from five systems on, one stack-wide
finding lists them all instead of one per system.

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

from ..findings import Fact, Named, Severity, text
from ..reads import reads
from ..graph import Stack
from .rollup import ROLLUP_MIN, rollup

ID = "isolated-system"
SEVERITY = Severity.WARNING
SUMMARY = "A system with no flow to or from any other non-retired system."
READS = reads(flows="from_ to")


def check(stack: Stack) -> Iterator[Fact]:
    degree = stack.live_degree
    if not stack.live_flows and len(stack.live) >= ROLLUP_MIN:
        yield rollup("no-flows", f"the inventory has no flows between its {len(stack.live)} systems, so "
                     "every one is isolated; write down how data moves between them", sorted(stack.live))
        return
    for sid in sorted(stack.live):
        if degree[sid] == 0:
            yield Fact(text(Named(sid), f" ({sid}) has no flow to or from any other system"), systems=(sid,))
