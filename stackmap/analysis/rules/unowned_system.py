"""A system with no owner.

A non-retired system without an ``owner`` (or with a blank one): nobody answers for its cost,
its renewal, its data or its retirement. The owner is usually a department or team
(``marketing-ops``, ``it``); ``stackmap spend`` groups costs by it.

Passes:

```yaml
systems:
  - {id: hotjar, name: Hotjar, owner: digital}
```

Fails:

```yaml
systems:
  - {id: hotjar, name: Hotjar}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Severity
from ..graph import Stack
from .duplicate_capability import format_money

ID = "unowned-system"
SEVERITY = Severity.WARNING
SUMMARY = "A system with no owner."


def check(stack: Stack) -> Iterator[Fact]:
    for sid in sorted(stack.live):
        system = stack.systems[sid]
        if system.owner is None or not system.owner.strip():
            cost = system.annual_cost
            paid = f" although it costs {format_money(cost)} a year" if cost else ""
            yield Fact(f"{system.name} ({sid}) has no owner{paid}; set `owner` to the team that answers for it",
                       systems=(sid,))
