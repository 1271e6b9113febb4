"""Customer data created in a system that never reaches the customer master.

A system that only receives customer data (a BI tool, a forecasting tool, an ad platform fed an
audience) has nothing to sync back: the master already has it. What matters is customer data a
system *creates or captures*: a customer-data category it stores that no live flow brings it (a
form tool's leads, a learning platform's learners), or, for a messaging tool (``messaging_capabilities``),
the ``consent`` it stores, since it records its own opt-outs. Such data must have a *directed* path
of flows carrying *that category* into a system of record; a path carrying some other category does
not help (an analytics tag carrying behaviour does not bring the contacts along). Append-only
categories (``behavioral`` by default: events) are left out: they belong in analytics, not in the
master.

Applies to live systems that are not systems of record and not silos (``customer-data-silo``
reports those); silent when there is no system of record. One finding per system, naming the
categories that never arrive.

Passes (the form tool's leads reach the CRM; the BI tool only receives):

```yaml
systems:
  - {id: salesforce, name: Salesforce, roles: [system-of-record], data: [contact, lead]}
  - {id: typeform, name: Typeform, data: [lead]}
  - {id: tableau, name: Tableau, data: [contact]}
flows:
  - {from: typeform, to: salesforce, data: [lead]}
  - {from: salesforce, to: tableau, data: [contact]}
```

Fails (the learning platform's contacts never reach the CRM; only events do):

```yaml
systems:
  - {id: salesforce, name: Salesforce, roles: [system-of-record], data: [contact]}
  - {id: academy, name: Learning platform, data: [contact, behavioral]}
flows:
  - {from: academy, to: salesforce, data: [behavioral]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Named, Severity, text
from ..reads import reads
from ..graph import Stack

ID = "customer-data-unsynced"
SEVERITY = Severity.WARNING
SUMMARY = "Customer data a system creates that has no directed path of that category into a system of record."
READS = reads(systems="data roles capabilities", flows="from_ to data", capabilities=True, categories=True)


def check(stack: Stack) -> Iterator[Fact]:
    if not stack.records:
        return
    silos = set(stack.silos)
    records = stack.record_set
    messaging = stack.with_capability(stack.options.messaging_capabilities)
    for sid in stack.customer_systems:
        if sid in silos or sid in records:
            continue
        missing = tuple(c for c in stack.created(sid, messaging) if sid not in stack.reaching_record_with(c))
        if missing:
            yield stack.each((ID, sid), lambda: (missing, stack.records), lambda: _fact(stack, sid, missing))


def _fact(stack: Stack, sid: str, missing: tuple[str, ...]) -> Fact:
    return Fact(
        text(Named(sid), f" ({sid}) captures customer data ({', '.join(missing)}) that no flow carries "
             f"into a system of record ({', '.join(stack.records)})"),
        systems=(sid,),
        data=missing,
    )
