"""Waivers: accepted findings, each with a rule, a target, a reason and an expiry date.

A waiver is written in the configuration (``waivers:``) or in ``.stackmap-waivers.yaml``::

    waivers:
      - rule: duplicate-capability
        target: email-marketing      # a system id, a capability id, a flow id, or "*"
        reason: Mailchimp contract ends in June; events move to Marketo.
        expires: 2025-06-30

It matches a finding of its rule that names the target: one of the finding's systems, its
capability, or its flow (``*`` matches every finding of the rule). Matching and the expiry policy
are applied in :func:`stackmap.engine.apply_policy`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..load.inventory import Location

WAIVER_FIELDS: tuple[str, ...] = ("rule", "target", "reason", "expires")
EXPIRY_NOTICE_DAYS = 30
"""A waiver that expires within this many days is noted in the output."""


@dataclass(frozen=True)
class Waiver:
    """One accepted finding (or family of findings)."""

    rule: str
    target: str
    reason: str
    expires: datetime.date
    """The last day the waiver applies."""
    location: Location
    """Where the waiver is written (expired-waiver errors point here)."""

    def matches(self, rule: str, subjects: set[str]) -> bool:
        """Whether the waiver covers a finding of ``rule`` about ``subjects``."""
        return rule == self.rule and (self.target == "*" or self.target in subjects)

    def expired(self, today: datetime.date) -> bool:
        return today > self.expires

    def expires_soon(self, today: datetime.date) -> bool:
        return not self.expired(today) and (self.expires - today).days < EXPIRY_NOTICE_DAYS

    def describe(self) -> str:
        return f"waiver of {self.rule} for {self.target!r} ({self.location})"
