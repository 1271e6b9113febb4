"""Analysing successive versions of one inventory: what an edit did not change is not computed again.

The language server and the preview analyse the inventory after every edit. :class:`Analyser`
keeps, between runs:

- **each rule's facts**, reused while no field the rule reads has changed. A rule declares the
  fields it reads (``READS``, see :mod:`stackmap.analysis.reads`); names and descriptions are read
  by none (rules write names as :class:`~stackmap.analysis.findings.Named` parts). What changed is
  found by comparing every field of every entry with the previous version, file by file: each
  file's fields are gathered once per version of the file and kept with its per-file result, an
  unchanged file costs one comparison, and the comparison is of the values themselves, never of a
  hash, so a stale answer is impossible. Other analysis options or rules turned on or off make
  every rule run again;
- **each stamped finding**, keyed by the fact it came from and everything stamping reads besides
  it (severity, the locations and names of the systems and flows it names), so an edit that moves
  lines or renames a system re-stamps only the findings it touches.

Policy (waivers, baseline, inline ignores) runs again every time: it is cheap and reads the
configuration. One-shot commands call :func:`stackmap.analysis.engine.analyse`, which keeps nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Generator
from typing import Any, TypeVar

from ..load.inventory import Inventory, Location
from ..load.results import SECTION_MODELS, FileDoc
from ..load.model import Flow, entry_values
from .config import Config
from .engine import Accepted, Result, Stamper, apply_policy, rule_facts, stamp, stamp_all
from .findings import Fact, Finding, Severity, named
from .graph import Stack
from .versions import carry_by_difference, carry_over
from .reads import fields
from .rules import RULES

KEY = "structure"
T = TypeVar("T")


def structure(inventory: Inventory) -> dict[str, tuple[Any, ...]] | None:
    """Every field of every entry, file by file (display path → sections → entries → fields in
    model order); ``None`` for an inventory built in memory (nothing is reused for it)."""
    if not inventory.docs:
        return None
    return {doc.source.display: _doc_structure(doc) for doc in inventory.docs}


def _doc_structure(doc: FileDoc) -> tuple[Any, ...]:
    kept = doc.derived.get(KEY)
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    found = tuple(tuple(entry_values(entry) for _, entry in doc.entries(section)) for section in SECTION_MODELS)
    doc.derived[KEY] = found
    return found


def changed_fields(before: dict[str, tuple[Any, ...]], after: dict[str, tuple[Any, ...]]) -> set[str]:
    """The ``section.field`` names whose value differs somewhere between two structures. An entry
    added, removed or moved changes every field of its section."""
    changed: set[str] = set()
    for display in before.keys() | after.keys():
        old, new = before.get(display), after.get(display)
        if old is new:
            continue
        for i, section in enumerate(SECTION_MODELS):
            a = old[i] if old is not None else ()
            b = new[i] if new is not None else ()
            if a == b:
                continue
            names = fields(section)
            if len(a) != len(b):
                changed.update(f"{section}.{name}" for name in names)
                continue
            pairs = [(x, y) for x, y in zip(a, b) if x != y]
            changed.update(f"{section}.{name}" for j, name in enumerate(names)
                           if any(x[j] != y[j] for x, y in pairs))
    return changed


Stamped = tuple[str, Fact, tuple[Any, ...], Finding, frozenset[str]]
"""A stamped finding with what it was stamped from: rule id, fact, :func:`_stamp_inputs`, and the
ids of the systems and flows whose entries those inputs come from."""


class Analyser:
    """Analyses one inventory edit after edit; see the module docstring."""

    def __init__(self) -> None:
        self._kept: tuple[dict[str, tuple[Any, ...]], tuple[Any, ...], dict[str, list[Fact]], Stack] | None = None
        self._stamped: dict[int, Stamped] = {}
        self.ran: list[str] = []
        """The rules the last analysis ran (the others reused their facts): for tests and benchmarks."""

    def analyse(self, inventory: Inventory, config: Config | None = None, accepted: tuple[Accepted, ...] = (),
                today: datetime.date | None = None) -> Result:
        """Like :func:`stackmap.analysis.engine.analyse`, reusing what has not changed."""
        return exhaust(self.steps(inventory, config, accepted, today))

    def steps(self, inventory: Inventory, config: Config | None = None, accepted: tuple[Accepted, ...] = (),
              today: datetime.date | None = None) -> Generator[None, None, Result]:
        """:meth:`analyse` a step at a time: it yields after each rule that runs and after stamping,
        so a caller with other work (the language server's requests) can do it in between. What is
        kept for the next run is replaced only by complete results, so a caller may drop the
        generator at any step."""
        config = config or Config()
        stack = Stack(inventory, config.options, keeps=True)
        enabled = tuple(rid for rid in RULES if config.setting(rid).enabled)
        shape = structure(inventory)
        settings = (config.options, enabled)
        kept = self._kept
        facts: dict[str, list[Fact]] = {}
        touched: frozenset[str] | None = None
        if shape is not None and kept is not None and kept[1] == settings:
            changed = changed_fields(kept[0], shape)
            carry_over(kept[3], stack, changed)
            found = _changes(kept[3].inventory, inventory, kept[0], shape)
            if found is not None:
                carry_by_difference(kept[3], stack, found[1], found[2], changed)
                # stack-wide findings point at line 1 of the first file: if that moved, check them all
                touched = found[0] if kept[3].inventory.first_location == inventory.first_location else None
            for rid in enabled:
                reads = getattr(RULES[rid], "READS", None)
                if reads is not None and changed.isdisjoint(reads):
                    facts[rid] = kept[2][rid]
        ran = [rid for rid in enabled if rid not in facts]
        fresh: dict[str, list[Fact]] = {}
        for rid in ran:
            fresh.update(rule_facts(stack, config, (rid,)))
            yield
        self.ran = ran
        stack.forget_unused(set(ran))
        facts = {rid: facts[rid] if rid in facts else fresh[rid] for rid in enabled}
        self._kept = (shape, settings, facts, stack) if shape is not None else None
        findings = stamp_all(facts, config, inventory, stack.flow_fingerprint_ids,
                             self._stamper(bool(ran), touched))
        yield
        findings, notes = apply_policy(findings, inventory, config, accepted, today or datetime.date.today())
        return Result(inventory, findings, notes, enabled)

    def _stamper(self, new_facts: bool, touched: frozenset[str] | None) -> Stamper:
        """A :data:`Stamper` that reuses a finding stamped from the same fact (or, for a rule that
        ran again, an equal one) with the same inputs, and keeps what it stamps for the next run.
        A fact that names no system or flow written in a changed file (``touched``) has the same
        inputs as before, so they are not even gathered."""
        before = self._stamped
        by_value: dict[tuple[Any, ...], list[Stamped]] = {}
        if new_facts:
            for entry in before.values():
                by_value.setdefault(_identity(entry[0], entry[1]), []).append(entry)
        stamped: dict[int, Stamped] = {}
        self._stamped = stamped if self._kept is not None else {}

        def stamper(rule_id: str, severity: Severity, fact: Fact, inventory: Inventory, flow_ids: Any) -> Finding:
            entry = before.get(id(fact))
            if entry is None or entry[1] is not fact:  # a rule that ran again: an equal fact, if any
                entry = next((e for e in by_value.get(_identity(rule_id, fact), ()) if e[1] == fact), None)
            if (entry is not None and touched is not None and entry[2][1] is severity
                    and entry[4].isdisjoint(touched)):
                stamped[id(fact)] = (rule_id, fact, entry[2], entry[3], entry[4])
                return entry[3]
            inputs = _stamp_inputs(rule_id, severity, fact, inventory, flow_ids)
            finding = entry[3] if entry is not None and entry[2] == inputs else \
                stamp(rule_id, severity, fact, inventory, flow_ids)
            stamped[id(fact)] = (rule_id, fact, inputs, finding, _names_of(fact))
            return finding

        return stamper


def exhaust(steps: Generator[None, None, T]) -> T:
    """Run a generator of steps to its end; its return value."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


def _names_of(fact: Fact) -> frozenset[str]:
    """The ids of the systems and flows whose entries (locations, names) stamping ``fact`` reads; a
    stack-wide fact also reads line 1 of the first file, which :meth:`Analyser.steps` watches."""
    return frozenset((*fact.systems, *named(fact.message), *fact.flows, *((fact.flow,) if fact.flow else ())))


def _changes(before: Inventory, after: Inventory, was: dict[str, Any],
             now: dict[str, Any]) -> tuple[frozenset[str], list[Flow], list[Flow]] | None:
    """What the files that changed between two versions hold (a file changed when its per-file
    result did): the ids of their systems and flows and of the systems their flows join (a flow
    added on the route of another changes that one's fingerprint), and their flows that are gone
    and new (by object: a file read again keeps the objects of its unchanged entries); ``None``
    when a file's share of the join is missing."""
    from ..load.merge import KEY

    files = {d for d in was.keys() | now.keys() if was.get(d) is not now.get(d)}
    ids: set[str] = set()
    sides: list[dict[int, Flow]] = []
    for inventory in (before, after):
        flows: dict[int, Flow] = {}
        for doc in inventory.docs:
            if doc.source.display not in files:
                continue
            kept = doc.derived.get(KEY)
            if kept is None or kept[1] is None:
                return None
            share = kept[1]
            ids.update(share.systems)
            ids.update(share.flows)
            ids.update(share.endpoints)
            flows.update((id(f), f) for f in share.flows.values())
        sides.append(flows)
    old, new = sides
    return frozenset(ids), [f for i, f in old.items() if i not in new], [f for i, f in new.items() if i not in old]


def _identity(rule_id: str, fact: Fact) -> tuple[Any, ...]:
    return (rule_id, fact.systems, fact.flow, fact.capability, fact.key)


def _stamp_inputs(rule_id: str, severity: Severity, fact: Fact, inventory: Inventory,
                  flow_ids: Any) -> tuple[Any, ...]:
    """Everything :func:`stamp` reads besides the fact itself: severity, locations, names, and the
    fingerprint identity of the flow it is about (another flow on the same route changes it)."""
    where = inventory.system_locations
    flows = inventory.flow_locations
    systems = inventory.systems
    first: Location | None = inventory.first_location if fact.key is not None or not fact.systems else None
    return (
        rule_id, severity, first,
        flows.get(fact.flow) if fact.flow is not None else None,
        flow_ids.get(fact.flow) if fact.flow is not None else None,
        tuple(where.get(s) for s in fact.systems),
        tuple(flows.get(k) for k in fact.flows),
        tuple(systems[s].name for s in named(fact.message)),
    )
