"""Customer data in a system IT has not reviewed; review statuses nobody recorded.

Marketing buys software on a credit card; customer data then sits where nobody checked security,
contracts or data-processing terms. Severity comes from the combination:

- a live system with ``it_reviewed: false`` that stores customer data is a warning;
- a live system that stores customer data, has no ``owner`` and no recorded review
  (``it_reviewed`` unset) is a warning too: nobody answers for it and nobody checked it (the
  unowned tool that records customer calls);
- every other live system without ``it_reviewed`` is a gap in the inventory, not a finding of its
  own: they are rolled up into one stack-wide info finding that lists them (``record the review
  status``), so an inventory that never recorded reviews gets one line, not one per tool.

A system with ``it_reviewed: false`` that stores no customer data is not reported.

Passes:

```yaml
systems:
  - {id: salesforce, name: Salesforce, data: [contact], it_reviewed: true}
  - {id: canva, name: Canva, data: [content], it_reviewed: false}
```

Fails (``mailchimp`` and ``gong`` are warnings; ``typeform`` is listed in one info roll-up):

```yaml
systems:
  - {id: mailchimp, name: Mailchimp, data: [contact], it_reviewed: false}
  - {id: gong, name: Gong, data: [contact]}
  - {id: typeform, name: Typeform, data: [lead], owner: marketing}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Named, Severity, text
from ..reads import reads
from ..graph import Stack
from ...hints import plural
from .rollup import rollup

ID = "shadow-it"
SEVERITY = Severity.WARNING
SUMMARY = "Customer data in a system IT has not reviewed, or unowned and unreviewed (warning); unknown review statuses (one info)."
READS = reads(systems="data owner it_reviewed", categories=True)

UNKNOWN = "review-status-unknown"


def _unowned(owner: str | None) -> bool:
    return owner is None or not owner.strip()


def check(stack: Stack) -> Iterator[Fact]:
    unknown: list[str] = []
    for sid in sorted(stack.live):
        system = stack.systems[sid]
        data = stack.customer_data(sid)
        if data and (system.it_reviewed is False or (system.it_reviewed is None and _unowned(system.owner))):
            yield stack.each((ID, sid), lambda: (system.owner, system.it_reviewed, data),
                             lambda: _fact(sid, system.owner, system.it_reviewed, data))
        elif system.it_reviewed is None:
            unknown.append(sid)
    if unknown:
        customer = sum(1 for sid in unknown if stack.customer_data(sid))
        yield rollup(
            UNKNOWN,
            f"{plural(len(unknown), 'system')} of {len(stack.live)} {'has' if len(unknown) == 1 else 'have'} "
            f"no recorded IT review status ({customer} of them store customer data); set `it_reviewed`",
            unknown,
            severity=Severity.INFO,
            customer_data_systems=customer,
        )


def _fact(sid: str, owner: str | None, reviewed: bool | None, data: list[str]) -> Fact:
    if reviewed is False:
        said = f", owned by {owner}" if not _unowned(owner) else ""
        return Fact(
            text(Named(sid), f" ({sid}{said}) stores customer data ({', '.join(data)}) but has not "
                 "been reviewed by IT"),
            systems=(sid,),
            data=tuple(data),
            details={"it_reviewed": False},
        )
    return Fact(
        text(Named(sid), f" ({sid}) stores customer data ({', '.join(data)}) with no owner and no "
             "recorded IT review: nobody answers for it; set `owner` and have IT review it"),
        systems=(sid,),
        data=tuple(data),
        details={"it_reviewed": None, "owner": None},
    )
