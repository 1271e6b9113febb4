"""Two or more systems provide the same capability.

A capability (after resolving aliases of defined capabilities) provided by two or more systems
whose lifecycle is ``active`` or ``planned``. ``retiring`` systems are left out (the overlap is
already being resolved), and so are ``retired`` ones. A capability defined with
``exclusive: false`` (or listed as non-exclusive in the configuration) is never reported: several
ad platforms or social tools are normal. The finding names every system, their owners and their
combined ``annual_cost``, and says when the owners differ: marketing and IT buying the same thing
twice is the classic case.

Passes:

```yaml
capabilities:
  - {id: paid-social, exclusive: false}
systems:
  - {id: meta-ads, name: Meta Ads, capabilities: [paid-social]}
  - {id: linkedin-ads, name: LinkedIn Ads, capabilities: [paid-social]}
```

Fails (``email`` is an alias of ``email-marketing``: both systems provide it):

```yaml
capabilities:
  - {id: email-marketing, aliases: [email]}
systems:
  - {id: mailchimp, name: Mailchimp, owner: marketing, capabilities: [email], annual_cost: 12000}
  - {id: braze, name: Braze, owner: it, capabilities: [email-marketing], annual_cost: 90000}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Severity
from ..reads import reads
from ..graph import Stack

ID = "duplicate-capability"
SEVERITY = Severity.WARNING
SUMMARY = "A capability provided by two or more active or planned systems."
READS = reads(systems="capabilities owner annual_cost", capabilities=True)

COUNTED = ("active", "planned")


def overlaps(stack: Stack) -> list[tuple[str, list[str]]]:
    """The duplicate-capability groups: (capability, sorted system ids), ordered by capability."""
    inventory = stack.inventory
    aliases = stack.inventory.aliases
    non_exclusive = {aliases.get(c, c) for c in stack.options.non_exclusive}
    providers: dict[str, list[str]] = {}
    for sid, system in inventory.systems.items():
        if system.lifecycle not in COUNTED:
            continue
        for cap in inventory.capabilities_of(system):
            providers.setdefault(cap, []).append(sid)
    groups: list[tuple[str, list[str]]] = []
    for cap in sorted(providers):
        sids = sorted(providers[cap])
        definition = inventory.capabilities.get(cap)
        if len(sids) < 2 or cap in non_exclusive or (definition is not None and not definition.exclusive):
            continue
        groups.append((cap, sids))
    return groups


def check(stack: Stack) -> Iterator[Fact]:
    inventory = stack.inventory
    for cap, sids in overlaps(stack):
        systems = [inventory.systems[s] for s in sids]
        owners = sorted({s.owner for s in systems if s.owner})
        costs = [s.annual_cost for s in systems if s.annual_cost is not None]
        combined = sum(costs) if costs else None
        unknown = len(systems) - len(costs)
        listed = ", ".join(f"{s.id} ({s.owner or 'no owner'})" for s in systems)
        text = f"capability {cap!r} is provided by {len(sids)} systems: {listed}"
        if combined is not None:
            text += f"; combined annual cost {format_money(combined)}"
            if unknown:
                text += f" ({unknown} without a cost)"
        owners_differ = len(owners) > 1
        if owners_differ:
            text += f"; owners differ ({', '.join(owners)})"
        yield Fact(
            text,
            systems=tuple(sids),
            capability=cap,
            details={
                "owners": owners,
                "owners_differ": owners_differ,
                "combined_annual_cost": combined,
                "systems_without_cost": unknown,
            },
        )


def format_money(amount: float) -> str:
    """``145000`` → ``145,000``; keeps cents only when there are any."""
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
