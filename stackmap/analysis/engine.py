"""Run the rules and apply policy in one place: enablement, severity, location, fingerprint, order,
then the status of each finding (inline ignores, waivers, baseline, diff base) and what fails a run.

Rules state facts; nothing outside this module decides whether a finding counts.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace

from .config import Config
from ..errors import InventoryError, Problem
from .findings import Fact, Finding, Severity, Status, fingerprint, render
from .graph import Stack
from ..hints import cut, plural, suggest
from ..load.inventory import Inventory, Location
from .rules import RULES
from .waivers import Waiver


@dataclass(frozen=True)
class PolicyRule:
    """A finding the policy step itself reports (not a rule over the graph)."""

    ID: str
    SEVERITY: Severity
    SUMMARY: str
    __doc__: str


INVALID_INVENTORY = PolicyRule(
    "invalid-inventory", Severity.ERROR, "The inventory cannot be read or does not validate.",
    "The inventory is invalid.\n\nEvery problem that stops an inventory from loading (YAML syntax, an "
    "unknown field, a duplicate id, a flow to an unknown system, a value YAML reads as another type) "
    "is reported at its file:line, all at once. No other rule runs until the inventory is valid.",
)
EXPIRED_WAIVER = PolicyRule(
    "expired-waiver", Severity.ERROR, "A waiver has expired and its finding is reported again.",
    "A waiver has expired.\n\nA waiver applies up to and including its `expires` date. After that the "
    "finding it covered counts again and this error points at the waiver: fix the finding, or renew "
    "the waiver with a new date and reason.",
)
POLICY_RULES: dict[str, PolicyRule] = {r.ID: r for r in (EXPIRED_WAIVER, INVALID_INVENTORY)}


MAX_MESSAGE = 4_000
"""Longest finding message, in characters: a name of megabytes must not be printed whole in every
finding (the systems a finding names are in its ``systems`` all the same)."""


@dataclass
class Result:
    """An analysed inventory: every finding with its status, and notes for the reader."""

    inventory: Inventory
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)
    rules: tuple[str, ...] = tuple(RULES)
    """The rules that ran, in registry order."""

    @property
    def new(self) -> list[Finding]:
        """The findings that count: not waived, not baselined."""
        return [f for f in self.findings if f.status is Status.NEW]

    def count(self, severity: Severity) -> int:
        """New findings at ``severity``."""
        return sum(1 for f in self.findings if f.severity is severity and f.status is Status.NEW)

    def count_status(self, status: Status) -> int:
        return sum(1 for f in self.findings if f.status is status)


@dataclass(frozen=True)
class Accepted:
    """Findings accepted by fingerprint: a baseline file, or the findings at a diff base."""

    fingerprints: frozenset[str]
    label: str
    """Where they come from, for notes (``.stackmap-baseline.json``, ``origin/main``)."""
    stale_hint: str = ""
    """Appended to the note about entries that match no finding (empty: no note)."""


def rule_facts(stack: Stack, config: Config, only: Collection[str] | None = None) -> dict[str, list[Fact]]:
    """Every enabled rule's facts (or those of the rules in ``only``), by rule id in registry order."""
    return {rule_id: list(rule.check(stack)) for rule_id, rule in RULES.items()
            if (rule_id in only if only is not None else config.setting(rule_id).enabled)}


def evaluate(stack: Stack, config: Config | None = None) -> list[Finding]:
    """Every enabled rule's findings, stamped and sorted deterministically."""
    config = config or Config()
    return stamp_all(rule_facts(stack, config), config, stack.inventory, stack.flow_fingerprint_ids)


Stamper = Callable[[str, Severity, Fact, Inventory, Mapping[str, str]], Finding]


def stamp_all(facts: dict[str, list[Fact]], config: Config, inventory: Inventory,
              flow_ids: Mapping[str, str], stamper: Stamper | None = None) -> list[Finding]:
    """The findings of ``facts`` with their configured severity, sorted deterministically."""
    stamper = stamper or stamp
    findings: list[Finding] = []
    for rule_id, found in facts.items():
        configured = config.setting(rule_id).severity
        default = RULES[rule_id].SEVERITY
        for fact in found:
            findings.append(stamper(rule_id, configured or fact.severity or default, fact, inventory, flow_ids))
    findings.sort(key=lambda f: f.sort_key)
    return findings


def stamp(rule_id: str, severity: Severity, fact: Fact, inventory: Inventory,
          flow_ids: Mapping[str, str] | None = None) -> Finding:
    """Turn a rule's fact into a finding with its location and fingerprint.

    A finding about a flow points at the flow's own entry, with its systems as related locations
    (clarification 13); any other finding at the first system named in sorted order, with the
    other systems and then the flows it concerns as related locations; a stack-wide one at line 1
    of the first inventory file, which is also where a roll-up points (its systems are listed in
    its message, not as hundreds of related locations)."""
    systems = tuple(sorted(set(fact.systems)))
    where = inventory.system_locations
    if fact.flow is not None and fact.flow in inventory.flow_locations:
        location = inventory.flow_locations[fact.flow]
        related = tuple(where[s] for s in systems if s in where)
    elif systems and fact.key is None:
        location = where[systems[0]]
        related = tuple(where[s] for s in systems[1:])
    else:
        location = inventory.first_location
        related = ()
    related += tuple(inventory.flow_locations[k] for k in fact.flows if k in inventory.flow_locations)
    return Finding(
        rule=rule_id,
        severity=severity,
        message=cut(render(fact.message, inventory.systems), MAX_MESSAGE),
        systems=systems,
        location=location,
        related=related,
        fingerprint=fingerprint(rule_id, fact, flow_ids),
        capability=fact.capability,
        flow=fact.flow,
        data=tuple(fact.data),
        details=dict(fact.details),
    )


def fails(findings: list[Finding], fail_on: str) -> bool:
    """Whether any new finding is at or above the fail level (``never`` never fails)."""
    if fail_on == "never":
        return False
    limit = Severity(fail_on).rank
    return any(f.severity.rank <= limit for f in findings if f.status is Status.NEW)


def analyse(
    inventory: Inventory,
    config: Config | None = None,
    accepted: tuple[Accepted, ...] = (),
    today: datetime.date | None = None,
) -> Result:
    """Build the graph, run the rules, apply policy; raises :class:`InventoryError` for a bad inline
    ignore. ``today`` is the clock for waiver expiry (injected by tests)."""
    config = config or Config()
    stack = Stack(inventory, config.options)
    findings = evaluate(stack, config)
    findings, notes = apply_policy(findings, inventory, config, accepted, today or datetime.date.today())
    rules = tuple(rid for rid in RULES if config.setting(rid).enabled)
    return Result(inventory, findings, notes, rules)


def apply_policy(
    findings: list[Finding],
    inventory: Inventory,
    config: Config,
    accepted: tuple[Accepted, ...],
    today: datetime.date,
) -> tuple[list[Finding], list[str]]:
    """Give every finding its status, add expired-waiver errors, and collect notes.

    Order: an inline ``x-stackmap-ignore`` or a waiver in force makes a finding ``waived``; else a
    fingerprint in an :class:`Accepted` set makes it ``baselined``; else it stays ``new``.
    """
    _check_ignores(inventory)
    notes: list[str] = []
    used: set[Waiver] = set()
    expired_hits: dict[Waiver, list[Finding]] = {}
    matched: dict[str, set[str]] = {a.label: set() for a in accepted}
    out: list[Finding] = []
    for finding in findings:
        subjects = {*finding.systems, *(x for x in (finding.capability, finding.flow) if x)}
        ignore = _inline(inventory, finding)
        if ignore is not None:
            out.append(replace(finding, status=Status.WAIVED, justification=ignore))
            continue
        waiver = None
        for w in config.waivers:
            if w.matches(finding.rule, subjects):
                if w.expired(today):
                    expired_hits.setdefault(w, []).append(finding)
                elif waiver is None:
                    waiver = w
        if waiver is not None:
            used.add(waiver)
            out.append(replace(finding, status=Status.WAIVED, justification=waiver.reason))
            continue
        status = Status.NEW
        for acc in accepted:
            if finding.fingerprint in acc.fingerprints:
                matched[acc.label].add(finding.fingerprint)
                status = Status.BASELINED
                break
        out.append(replace(finding, status=status) if status is not Status.NEW else finding)
    for waiver in config.waivers:
        if waiver.expired(today):
            if waiver in expired_hits:
                out.append(_expired(waiver, expired_hits[waiver]))
            else:
                notes.append(f"{waiver.describe()} expired on {waiver.expires} and matches no finding: "
                             "remove it")
        elif waiver not in used:
            notes.append(f"{waiver.describe()} matches no finding: remove it")
        elif waiver.expires_soon(today):
            days = (waiver.expires - today).days
            notes.append(f"{waiver.describe()} expires on {waiver.expires} "
                         f"(in {plural(days, 'day')}): renew it or fix the finding")
    for acc in accepted:
        stale = len(acc.fingerprints - matched[acc.label])
        if stale and acc.stale_hint:
            notes.append(f"{plural(stale, 'entry', 'entries')} of {acc.label} "
                         f"{'matches' if stale == 1 else 'match'} no finding any more{acc.stale_hint}")
    out.sort(key=lambda f: f.sort_key)
    return out, notes


def _inline(inventory: Inventory, finding: Finding) -> str | None:
    """The reason of an ``x-stackmap-ignore`` covering the finding, if any."""
    if not inventory.ignores:
        return None
    keys = [("flow", finding.flow)] if finding.flow is not None else []
    keys += [("system", s) for s in finding.systems]
    for key in keys:
        for ignore in inventory.ignores.get(key, ()):  # type: ignore[arg-type]
            if ignore.rule == finding.rule:
                return ignore.reason
    return None


def _check_ignores(inventory: Inventory) -> None:
    """Every inline ignore must name a rule: a typo would otherwise silently ignore nothing."""
    problems = [
        Problem(ig.location.file, ig.location.line, ig.location.column,
                f"x-stackmap-ignore: unknown rule {ig.rule!r}{suggest(ig.rule, RULES)}; "
                f"valid rules: {', '.join(RULES)}")
        for ignores in inventory.ignores.values() for ig in ignores if ig.rule not in RULES
    ]
    if problems:
        raise InventoryError(problems, files=len(inventory.files))


def _expired(waiver: Waiver, covered: list[Finding]) -> Finding:
    what = "; ".join(sorted({f.message for f in covered}))
    return Finding(
        rule=EXPIRED_WAIVER.ID,
        severity=EXPIRED_WAIVER.SEVERITY,
        message=(f"the waiver of {waiver.rule} for {waiver.target!r} expired on {waiver.expires} "
                 f"(reason: {waiver.reason}); reported again: {what}"),
        systems=tuple(sorted({s for f in covered for s in f.systems})),
        location=waiver.location,
        related=tuple(sorted({f.location for f in covered})),
        fingerprint=_hash(f"{EXPIRED_WAIVER.ID}|{waiver.rule}|{waiver.target}|{waiver.expires}"),
        details={"rule": waiver.rule, "target": waiver.target, "expires": waiver.expires.isoformat()},
    )


def problem_findings(error: InventoryError) -> list[Finding]:
    """The problems of an invalid inventory as findings of ``invalid-inventory``, in file order."""
    return [
        Finding(
            rule=INVALID_INVENTORY.ID,
            severity=INVALID_INVENTORY.SEVERITY,
            message=p.message,
            systems=(),
            location=Location(p.file, p.line, p.column),
            related=(),
            fingerprint=_hash(f"{INVALID_INVENTORY.ID}|{p.file}|{p.line}|{p.column}|{p.message}"),
        )
        for p in error.problems
    ]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
