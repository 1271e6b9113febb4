"""A messaging system with contact data that never receives consent.

A non-retired system with a messaging capability (by default ``email-marketing``,
``marketing-automation``, ``mobile-engagement``, ``sms``, ``push-notifications``; configurable,
aliases resolve) that stores ``contact`` data but receives no flow carrying ``consent`` from any
non-retired system. Opt-outs recorded elsewhere (the CRM, the shop, a preference centre) never
reach it, so it can message people who opted out. Consent it collects itself does not help with
opt-outs made elsewhere, so storing ``consent`` does not silence the rule; a flow bringing it in does.

Passes:

```yaml
systems:
  - {id: salesforce, name: Salesforce, data: [contact, consent]}
  - {id: mailchimp, name: Mailchimp, capabilities: [email-marketing], data: [contact]}
flows:
  - {from: salesforce, to: mailchimp, data: [contact, consent]}
```

Fails (contacts arrive, consent does not):

```yaml
systems:
  - {id: salesforce, name: Salesforce, data: [contact, consent]}
  - {id: mailchimp, name: Mailchimp, capabilities: [email-marketing], data: [contact]}
flows:
  - {from: salesforce, to: mailchimp, data: [contact]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Named, Severity, text
from ..reads import reads
from ..graph import Stack

ID = "consent-not-propagated"
SEVERITY = Severity.WARNING
SUMMARY = "A messaging system that stores contacts but receives no consent data from anywhere."
READS = reads(systems="data capabilities", flows="from_ to data", capabilities=True)

CONTACT = "contact"
CONSENT = "consent"


def check(stack: Stack) -> Iterator[Fact]:
    inventory = stack.inventory
    messaging = {inventory.aliases.get(c, c) for c in stack.options.messaging_capabilities}
    received = stack.received
    for sid in sorted(stack.with_capability(messaging)):
        system = stack.systems[sid]
        sends = sorted(messaging.intersection(inventory.capabilities_of(system)))
        if CONTACT not in system.data or CONSENT in received.get(sid, ()):
            continue
        yield stack.each((ID, sid), lambda: tuple(sends), lambda: _fact(sid, sends))


def _fact(sid: str, sends: list[str]) -> Fact:
    return Fact(
        text(Named(sid), f" ({sid}) sends messages ({', '.join(sends)}) to contacts it stores but no "
             "flow brings it consent data: it can message people who opted out elsewhere"),
        systems=(sid,),
        data=(CONTACT,),
        details={"messaging_capabilities": sends},
    )
