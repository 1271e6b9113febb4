"""A system with no owner.

A non-retired system without an ``owner`` (or with a blank one): nobody answers for its cost,
its renewal, its data or its retirement. The owner is usually a department or team
(``marketing-ops``, ``it``); ``stackmap spend`` groups costs by it.

A system that also stores customer data and has no recorded IT review is left to ``shadow-it``,
which reports the combination once, as a warning. One finding per system while owners are the rule and a missing one is the exception. When owners
were never recorded (at least five unowned systems, half or more of the live ones:
an import from a spreadsheet without that column), one stack-wide finding lists them instead.

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

from ..findings import Fact, Named, Severity, text
from ..reads import reads
from ..graph import Stack
from ...hints import plural
from .duplicate_capability import format_money
from .rollup import ROLLUP_MIN, rollup

ID = "unowned-system"
SEVERITY = Severity.WARNING
SUMMARY = "A system with no owner (one roll-up when owners were never recorded)."
READS = reads(systems="data owner it_reviewed annual_cost", categories=True)


def check(stack: Stack) -> Iterator[Fact]:
    unowned = [sid for sid in sorted(stack.live)
               if stack.systems[sid].owner is None or not stack.systems[sid].owner.strip()]  # type: ignore[union-attr]
    if len(unowned) >= ROLLUP_MIN and 2 * len(unowned) >= len(stack.live):
        yield rollup("owners-not-recorded",
                     f"{plural(len(unowned), 'system')} of {len(stack.live)} have no owner; record `owner` "
                     "for each (the team that answers for it)", unowned)
        return
    for sid in unowned:
        system = stack.systems[sid]
        if system.it_reviewed is None and stack.customer_data(sid):
            continue  # shadow-it reports no owner + no review + customer data as one finding
        cost = system.annual_cost
        paid = f" although it costs {format_money(cost)} a year" if cost else ""
        yield Fact(text(Named(sid), f" ({sid}) has no owner{paid}; set `owner` to the team that answers for it"),
                   systems=(sid,))
