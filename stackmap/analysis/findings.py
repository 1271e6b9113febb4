"""Findings: what a rule states (:class:`Fact`) and what the engine reports (:class:`Finding`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..load.inventory import Location


class Severity(str, Enum):
    """How much a finding matters; ``--fail-on`` compares against it."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for error (most severe), 1 for warning, 2 for info."""
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Status(str, Enum):
    """What the policy step decided about a finding; only ``new`` findings can fail a run."""

    NEW = "new"
    WAIVED = "waived"
    """Accepted by a waiver in the configuration or an inline ``x-stackmap-ignore``."""
    BASELINED = "baselined"
    """Already present in the baseline file, or at the ``--diff-base`` commit."""


@dataclass(frozen=True)
class Fact:
    """What a rule yields: a statement about entities of the inventory, without policy."""

    message: str
    """One sentence a reader can act on."""
    systems: tuple[str, ...] = ()
    """The systems concerned (the engine sorts them); empty for a stack-wide fact."""
    capability: str | None = None
    """The capability concerned (``duplicate-capability``)."""
    flow: str | None = None
    """The identity (:attr:`stackmap.model.Flow.key`) of the flow concerned."""
    data: tuple[str, ...] = ()
    """Data categories concerned (e.g. the stranded customer data of a silo)."""
    details: dict[str, Any] = field(default_factory=dict)
    """Rule-specific facts for machine-readable outputs (JSON-serialisable)."""
    severity: Severity | None = None
    """A severity the rule suggests for this fact instead of its default (``shadow-it`` states an
    unknown review status as info); the engine uses it only when the configuration does not set
    the rule's severity."""


@dataclass(frozen=True)
class Finding:
    """A reported finding: a fact stamped by the engine with rule, severity, location, fingerprint."""

    rule: str
    """The public rule id, e.g. ``customer-data-silo``."""
    severity: Severity
    """The configured severity."""
    message: str
    systems: tuple[str, ...]
    """Sorted system ids."""
    location: Location
    """Primary location: the first system named, in sorted order, else (a stack-wide finding) line 1
    of the first inventory file that defines a system."""
    related: tuple[Location, ...]
    """For a flow finding the flow's own location first; then the other systems named."""
    fingerprint: str
    """Stable identity from the rule id and entity ids, never from lines or files."""
    capability: str | None = None
    flow: str | None = None
    data: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    status: Status = Status.NEW
    """Set by the policy step (:func:`stackmap.engine.apply_policy`); rules never set it."""
    justification: str | None = None
    """Why a waived finding is accepted (the waiver's or the inline ignore's reason)."""

    @property
    def sort_key(self) -> tuple[Any, ...]:
        """Severity, rule, then entities: independent of files and lines, so reordering is stable."""
        return (self.severity.rank, self.rule, self.capability or "", self.systems, self.flow or "",
                self.fingerprint)


def subject(rule: str, fact: Fact) -> str:
    """The entity identity a fingerprint is built from."""
    if fact.flow is not None:
        return f"{rule}|flow|{fact.flow}"
    if fact.capability is not None:
        return f"{rule}|capability|{fact.capability}|{','.join(sorted(fact.systems))}"
    return f"{rule}|systems|{','.join(sorted(fact.systems))}"


def fingerprint(rule: str, fact: Fact) -> str:
    """A short, stable hash of :func:`subject`."""
    return hashlib.sha256(subject(rule, fact).encode("utf-8")).hexdigest()[:24]
