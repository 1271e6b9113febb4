"""Findings: what a rule states (:class:`Fact`) and what the engine reports (:class:`Finding`)."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..load.inventory import Location
from ..load.model import Flow


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
class Named:
    """A system's name inside a rule's message, written in when the engine stamps the finding.

    Rules read no names: a rule says ``text(Named("crm"), " (crm) has no owner")``, so renaming a
    system changes the message of its findings without any rule running again (the editing loop
    reuses the rules' facts while nothing they read has changed)."""

    system: str


Message = tuple["str | Named", ...]
"""A message with systems' names left to fill in: text and :class:`Named` parts, in order."""


def text(*parts: str | Named) -> Message:
    """A message of text and :class:`Named` parts."""
    return parts


def render(message: str | Message, names: Mapping[str, Any]) -> str:
    """The message with every :class:`Named` part replaced by that system's ``name``."""
    if isinstance(message, str):
        return message
    return "".join(p if isinstance(p, str) else names[p.system].name for p in message)


def named(message: str | Message) -> tuple[str, ...]:
    """The systems whose names ``message`` shows."""
    return () if isinstance(message, str) else tuple(p.system for p in message if isinstance(p, Named))


@dataclass(frozen=True)
class Fact:
    """What a rule yields: a statement about entities of the inventory, without policy."""

    message: str | Message
    """One sentence a reader can act on (systems' names as :class:`Named` parts)."""
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
    flows: tuple[str, ...] = ()
    """Other flows concerned (identities), given as related locations (the live flows of a retired
    system)."""
    key: str | None = None
    """The identity of a stack-wide roll-up (e.g. ``unknown-review``): its fingerprint is built
    from the rule id and this key, so the finding keeps its identity while its list changes."""


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
    """Primary location: for a finding about a flow, that flow's own entry; else the first system
    named, in sorted order; else (a stack-wide finding) line 1 of the first inventory file that
    defines a system."""
    related: tuple[Location, ...]
    """For a flow finding the systems it joins; else the other systems named, then the flows
    concerned."""
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


def subject(rule: str, fact: Fact, flow_ids: Mapping[str, str] | None = None) -> str:
    """The entity identity a fingerprint is built from. ``flow_ids`` maps a flow's identity
    (:attr:`Flow.key`) to its fingerprint identity (:func:`flow_fingerprint_ids`)."""
    if fact.key is not None:
        return f"{rule}|rollup|{fact.key}"
    if fact.flow is not None:
        return f"{rule}|flow|{(flow_ids or {}).get(fact.flow, fact.flow)}"
    if fact.capability is not None:
        return f"{rule}|capability|{fact.capability}|{','.join(sorted(fact.systems))}"
    return f"{rule}|systems|{','.join(sorted(fact.systems))}"


def fingerprint(rule: str, fact: Fact, flow_ids: Mapping[str, str] | None = None) -> str:
    """A short, stable hash of :func:`subject`."""
    return hashlib.sha256(subject(rule, fact, flow_ids).encode("utf-8")).hexdigest()[:24]


class FlowFingerprintIds(Mapping[str, str]):
    """Flow identity → fingerprint identity: the flow's ``id``, else ``from->to:mechanism``, with its
    sorted data added only when two flows without an ``id`` share that triple. Adding a data
    category to a flow, or reordering anything, leaves a flow's fingerprint identity unchanged.
    Computed on lookup: only flows with findings need one."""

    def __init__(self, flows: Iterable[Flow]) -> None:
        self._flows = {f.key: f for f in flows}
        self._counts: Counter[tuple[str, str, str | None]] | None = None
        """Flows without an ``id`` by (from, to, mechanism), counted on first lookup."""

    def _shared_triples(self) -> Counter[tuple[str, str, str | None]]:
        if self._counts is None:
            self._counts = Counter((f.from_, f.to, f.mechanism) for f in self._flows.values() if f.id is None)
        return self._counts

    def updated(self, removed: Iterable[Flow], added: Iterable[Flow]) -> FlowFingerprintIds:
        """The fingerprint identities once ``removed`` flows are gone and ``added`` ones are in:
        the work of the flows that changed, not of all of them."""
        removed, added = list(removed), list(added)
        new = FlowFingerprintIds(())
        new._flows = dict(self._flows)
        for f in removed:
            del new._flows[f.key]
        new._flows.update((f.key, f) for f in added)
        if self._counts is not None:
            new._counts = self._counts.copy()
            new._counts.subtract((f.from_, f.to, f.mechanism) for f in removed if f.id is None)
            new._counts.update((f.from_, f.to, f.mechanism) for f in added if f.id is None)
        return new

    def __getitem__(self, key: str) -> str:
        f = self._flows[key]
        if f.id is not None:
            return f"id:{f.id}"
        triple = f"{f.from_}->{f.to}:{f.mechanism or ''}"
        if self._shared_triples()[(f.from_, f.to, f.mechanism)] >= 2:
            return f"{triple}:{','.join(sorted(set(f.data)))}"
        return triple

    def __iter__(self) -> Iterator[str]:
        return iter(self._flows)

    def __len__(self) -> int:
        return len(self._flows)


def flow_fingerprint_ids(flows: Iterable[Flow]) -> FlowFingerprintIds:
    """The fingerprint identities of ``flows`` (see :class:`FlowFingerprintIds`)."""
    return FlowFingerprintIds(flows)
