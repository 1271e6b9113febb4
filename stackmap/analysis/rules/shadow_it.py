"""A system IT has not reviewed that stores customer data, or whose review status is unknown.

Marketing buys software on a credit card; customer data then sits where nobody checked security,
contracts or data-processing terms. A non-retired system with ``it_reviewed: false`` that stores
customer data is a warning. A non-retired system without ``it_reviewed`` at all is reported as
info (whatever it stores): the inventory does not say, so record the review status. A system with
``it_reviewed: false`` that stores no customer data is not reported.

One rule id with two severities: the info findings carry a severity hint that the engine honours
unless the configuration sets this rule's severity, in which case every finding gets that one.

Passes:

```yaml
systems:
  - {id: salesforce, name: Salesforce, data: [contact], it_reviewed: true}
  - {id: canva, name: Canva, data: [content], it_reviewed: false}
```

Fails (``mailchimp`` is a warning, ``typeform`` info):

```yaml
systems:
  - {id: mailchimp, name: Mailchimp, data: [contact], it_reviewed: false}
  - {id: typeform, name: Typeform, data: [lead]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Severity
from ..graph import Stack

ID = "shadow-it"
SEVERITY = Severity.WARNING
SUMMARY = "Customer data in a system IT has not reviewed (warning), or a review status not recorded (info)."


def check(stack: Stack) -> Iterator[Fact]:
    for sid in sorted(stack.live):
        system = stack.systems[sid]
        data = stack.customer_data(sid)
        owner = f", owned by {system.owner}" if system.owner else ""
        if system.it_reviewed is False and data:
            yield Fact(
                f"{system.name} ({sid}{owner}) stores customer data ({', '.join(data)}) but has not been "
                "reviewed by IT",
                systems=(sid,),
                data=tuple(data),
                details={"it_reviewed": False},
            )
        elif system.it_reviewed is None:
            stores = f" and stores customer data ({', '.join(data)})" if data else ""
            yield Fact(
                f"{system.name} ({sid}{owner}) has no recorded IT review status{stores}; "
                "set `it_reviewed`",
                systems=(sid,),
                data=tuple(data),
                details={"it_reviewed": None},
                severity=Severity.INFO,
            )
