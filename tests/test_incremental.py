"""The editing loop's analysis: what it reuses after an edit is exactly what a fresh analysis gives.

Three guarantees, each tested on real inventories (the sample, the examples, the two real stacks
in ``tests/fixtures/stacks`` and a generated 300-system stack):

1. A rule's ``READS`` names every field it reads: changing any other field of every entry leaves
   its facts unchanged; the same for every fact a :class:`Stack` hands on (``versions.KEPT``).
2. After any sequence of edits (names, owners, data, flows added, removed and redirected, systems
   added and retired, lines moved), the :class:`Analyser` gives byte for byte the findings of a
   fresh ``analyse`` of the same files.
3. The merge of clean files gives the same inventory as the entry-by-entry join.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from stackmap.analysis.config import Config
from stackmap.analysis.engine import analyse
from stackmap.analysis.graph import Stack
from stackmap.analysis.versions import KEPT
from stackmap.analysis.incremental import Analyser
from stackmap.analysis.reads import fields, reads
from stackmap.analysis.rules import RULES
from stackmap.load.crosscheck import join_entries
from stackmap.load.inventory import Inventory, join, load_inventory
from stackmap.load.limits import DEFAULT_LIMITS
from stackmap.load.loader import load
from stackmap.load.sources import read_sources
from stackmap.load.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

REAL = [ROOT / "inventories", ROOT / "examples" / "no-system-of-record", ROOT / "examples" / "point-to-point-sprawl",
        ROOT / "tests" / "fixtures" / "stacks" / "gitlab-marketing" / "stack.yaml",
        ROOT / "tests" / "fixtures" / "stacks" / "composable-cdp-retail" / "stack.yaml"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated") / "inv"
    generate(300, folder)
    return folder


def inventories(generated: Path) -> list[Inventory]:
    out = []
    for path in [*REAL, generated]:
        with contextlib.chdir(path.parent if path.is_file() else path):
            out.append(load_inventory([Path(path.name) if path.is_file() else Path(".")]))
    return out


# --- 1. what rules and stack facts read --------------------------------------------------------------

def _other(section: str, name: str, value: Any, i: int) -> Any:
    """A different, valid value for field ``name`` of entry ``i``."""
    if name in ("name", "description", "vendor", "frequency"):
        return f"changed {i}"
    if name == "owner":
        return None if value else f"team-{i % 3}"
    if name == "part_of":
        return None if value else "group"
    if name == "tags":
        return [] if value else ["changed"]
    if name == "annual_cost":
        return None if value is not None else 1000.0 * (i + 1)
    if name == "it_reviewed":
        return {None: True, True: False, False: None}[value]
    if name == "roles":
        return [] if value else ["system-of-record"]
    if name == "capabilities":
        return [] if value else ["crm", "email-marketing"]
    if name == "data":
        return ["financial"] if value else ["contact", "consent"]
    if name == "mechanism":
        return "ipaas" if value != "ipaas" else "manual"
    if name == "id":
        return f"changed-flow-{i}"
    raise AssertionError(f"no other value for {section}.{name}")


def _mutated(inventory: Inventory, section: str, name: str) -> Inventory:
    from dataclasses import replace

    if section == "systems":
        systems = {sid: s.model_copy(update={name: _other(section, name, getattr(s, name), i)})
                   for i, (sid, s) in enumerate(inventory.systems.items())}
        return replace(inventory, systems=systems, docs=())
    if name in ("from_", "to"):  # another system: the other end of the next flow
        ends = [(f.to if name == "from_" else f.from_) for f in inventory.flows[1:] + inventory.flows[:1]]
        flows = [f.model_copy(update={name: end}) if end not in (f.from_, f.to) else f.model_copy()
                 for f, end in zip(inventory.flows, ends)]
    else:
        flows = [f.model_copy(update={name: _other(section, name, getattr(f, name), i)})
                 for i, f in enumerate(inventory.flows)]
    locations = dict(zip((f.key for f in flows), (inventory.flow_locations[f.key] for f in inventory.flows)))
    return replace(inventory, flows=flows, flow_locations=locations, docs=())


UNREAD = [(section, name) for section in ("systems", "flows") for name in fields(section)
          if f"{section}.{name}" not in reads()]


@pytest.mark.parametrize("rule_id", list(RULES))
def test_a_rule_reads_no_field_it_does_not_declare(generated: Path, rule_id: str) -> None:
    rule = RULES[rule_id]
    declared = rule.READS  # type: ignore[attr-defined]
    checked = 0
    for inventory in inventories(generated):
        facts = list(rule.check(Stack(inventory)))
        for section, name in UNREAD:
            if f"{section}.{name}" in declared:
                continue
            changed = list(rule.check(Stack(_mutated(inventory, section, name))))
            assert changed == facts, f"{rule_id} reads {section}.{name} but does not declare it"
            checked += 1
    assert checked > 20


def test_every_fact_a_stack_hands_on_reads_no_undeclared_field(generated: Path) -> None:
    checked = 0
    for inventory in inventories(generated):
        base = Stack(inventory)
        for rule in RULES.values():
            list(rule.check(base))  # fill the lazy caches (per category, per capability set)
        for section, name in UNREAD:
            other = Stack(_mutated(inventory, section, name))
            for rule in RULES.values():
                list(rule.check(other))
            for fact, needs in KEPT.items():
                if f"{section}.{name}" in needs or fact not in base.__dict__:
                    continue
                mine, theirs = base.__dict__[fact], other.__dict__.get(fact, getattr(other, fact, None))
                if fact == "_keyed":  # kept under keys of what else it reads: same key, same value
                    mine = {slot: v for slot, (key, v) in mine.items() if theirs.get(slot, (None,))[0] == key}
                    theirs = {slot: theirs[slot][1] for slot in mine}
                elif fact in ("_with_capability", "_cuts"):  # filled on demand
                    mine = {k: v for k, v in mine.items() if k in theirs}
                    theirs = {k: theirs[k] for k in mine}
                assert theirs == mine, f"Stack.{fact} reads {section}.{name} but does not declare it"
                checked += 1
    assert checked > 100


def test_reads_refuses_a_field_that_does_not_exist() -> None:
    with pytest.raises(ValueError, match="systems have no field 'owners'"):
        reads(systems="owners")


# --- 2. edit after edit, the same findings as a fresh analysis ---------------------------------------

def _edit(rng: random.Random, docs: dict[str, dict[str, Any]]) -> str:
    """Apply one random edit to the parsed files; return what it did."""
    systems = [(name, s) for name, doc in docs.items() for s in doc.get("systems") or []]
    ids = [s["id"] for _, s in systems]
    with_flows = [name for name, doc in docs.items() if doc.get("flows")]
    kind = rng.choice(["name", "owner", "review", "cost", "data", "roles", "lifecycle", "capability",
                       "flow-data", "flow-to", "flow-mechanism", "add-flow", "remove-flow", "add-system",
                       "move-lines", "description", "category", "capability-definition"])
    name, system = rng.choice(systems)
    if kind == "name":
        system["name"] = f"{system['name']} (edited)"
    elif kind == "description":
        system["description"] = f"edited {rng.random()}"
    elif kind == "owner":
        system["owner"] = rng.choice([None, "marketing", "it", "sales-ops"])
    elif kind == "review":
        system["it_reviewed"] = rng.choice([None, True, False])
    elif kind == "cost":
        system["annual_cost"] = rng.choice([None, 0, 1200, 99000.5])
    elif kind == "data":
        system["data"] = rng.sample(["contact", "lead", "consent", "behavioral", "account", "product"], rng.randint(0, 3))
    elif kind == "roles":
        system["roles"] = [] if system.get("roles") else ["system-of-record"]
    elif kind == "lifecycle":
        system["lifecycle"] = rng.choice(["active", "planned", "retiring", "retired"])
    elif kind == "capability":
        system["capabilities"] = rng.sample(["crm", "email-marketing", "cdp", "forms", "ipaas", "data-warehouse"],
                                            rng.randint(0, 2))
    elif kind == "add-system":
        docs[name]["systems"].append({"id": f"added-{rng.randrange(10**9)}", "name": "Added",
                                      "data": ["contact"], "owner": "marketing"})
    elif kind == "category":  # redefine a built-in category: customer data or not, append-only or not
        defs = docs[name].setdefault("data_categories", [])
        found = next((d for d in defs if d["id"] in ("product", "behavioral")), None)
        if found is None:
            defs.append({"id": rng.choice(["product", "behavioral"]), "customer": rng.choice([True, False])})
        else:
            found["customer"] = not found.get("customer", True)
            found["append_only"] = rng.choice([True, False])
    elif kind == "capability-definition":
        defs = docs[name].setdefault("capabilities", [])
        found = next((d for d in defs if d["id"] == "email-marketing"), None)
        if found is None and not any(d["id"] == "email-marketing" for doc in docs.values()
                                     for d in doc.get("capabilities") or []):
            defs.append({"id": "email-marketing", "exclusive": False, "aliases": ["esp-tool"]})
        elif found is not None:
            found["exclusive"] = not found.get("exclusive", True)
    elif kind == "move-lines":
        docs[name]["systems"].insert(0, docs[name]["systems"].pop())
    elif with_flows:
        flows = docs[rng.choice(with_flows)]["flows"]
        flow = rng.choice(flows)
        if kind == "flow-data":
            flow["data"] = rng.sample(["contact", "lead", "consent", "behavioral", "product"], rng.randint(0, 3))
        elif kind == "flow-to":
            flow["to"] = rng.choice([i for i in ids if i != flow["from"]])
        elif kind == "flow-mechanism":
            flow["mechanism"] = rng.choice(["api", "ipaas", "manual", "batch"])
        elif kind == "add-flow":
            a, b = rng.sample(ids, 2)
            flows.append({"from": a, "to": b, "data": ["contact"], "id": f"flow-{rng.randrange(10**9)}"})
        elif kind == "remove-flow":
            flows.remove(flow)
    return f"{kind} in {name}"


def _fresh(folder: Path, config: Config) -> list[Any]:
    try:
        return analyse(load_inventory([folder], config.exclude), config).findings
    except Exception as exc:  # an edit may make the inventory invalid: both sides must agree
        return [type(exc).__name__, str(exc)]


@pytest.mark.parametrize("source", ["sample", "generated"])
def test_edit_after_edit_the_findings_of_a_fresh_analysis(tmp_path: Path, generated: Path, source: str) -> None:
    folder = tmp_path / "inv"
    shutil.copytree(ROOT / "inventories" if source == "sample" else generated, folder)
    rng = random.Random(7 if source == "sample" else 11)
    config = Config()
    with contextlib.chdir(tmp_path):
        workspace = Workspace([Path("inv")])
        docs = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yaml"))}
        reused = updated = 0
        for step in range(60):
            what = _edit(rng, docs)
            for name, doc in docs.items():
                text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
                (folder / name).write_text(text, encoding="utf-8")
                workspace.set_buffer(Path("inv") / name, text.encode("utf-8"))
            snap = workspace.snapshot(config)
            expected = _fresh(Path("inv"), config)
            got = snap.result.findings if snap.result is not None else ["InventoryError", str(snap.problems)]
            if snap.result is not None:
                assert got == expected, f"step {step}: {what}"
                reused += len(RULES) - len(workspace.rules_ran)
                kept = workspace._analyser._kept  # type: ignore[union-attr]
                assert kept is not None
                updated += _same_indexes(kept[3], f"step {step}: {what}")
                for rule in workspace.rules_ran:  # what a rule keeps per subject is for subjects it has
                    slots = sum(1 for slot in kept[3]._keyed if slot[0] == rule)
                    assert slots <= len(kept[2][rule]) + len(kept[3].flows_by_category), f"step {step}: {rule}"
            else:
                assert isinstance(expected[0], str), f"step {step}: {what}: only the workspace refused it"
    assert reused > 20  # the test must exercise reuse, not only fresh runs
    assert updated > 10  # ...and the facts updated by difference


BY_DIFFERENCE = ("flows_at", "received", "live_neighbours", "live_degree", "flows_by_category",
                 "customer_components")
"""The stack facts an edit of flows updates from the flows it removed and added
(:func:`stackmap.analysis.versions.carry_by_difference`); their lists are in no particular order."""


def _same_indexes(stack: Stack, what: str) -> int:
    """Every fact of ``stack`` kept by difference equals the one a fresh stack computes (lists of
    flows compared as sets of flow identities); how many were checked."""
    fresh = Stack(stack.inventory, stack.options)
    checked = 0
    for name in BY_DIFFERENCE:
        if name not in stack.__dict__:
            continue
        mine, theirs = stack.__dict__[name], getattr(fresh, name)
        if name in ("flows_at", "flows_by_category"):
            mine = {k: sorted(f.key for f in v) for k, v in mine.items()}
            theirs = {k: sorted(f.key for f in v) for k, v in theirs.items()}
        assert mine == theirs, f"{what}: {name}"
        checked += 1
    return checked


def test_a_rename_runs_no_rule_and_changes_its_findings(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "inventories", tmp_path / "inv")
    with contextlib.chdir(tmp_path):
        workspace = Workspace([Path("inv")])
        before = workspace.snapshot(Config()).result
        assert before is not None
        target = next(f for f in before.findings if f.rule == "isolated-system" or f.rule == "shadow-it")
        sid = target.systems[0]
        path = Path(target.location.file)
        text = path.read_text(encoding="utf-8")
        old = before.inventory.systems[sid].name
        edited = text.replace(f"name: {old}", "name: Brand New Name", 1)
        path.write_text(edited, encoding="utf-8")  # saved, for the fresh analysis below
        workspace.set_buffer(path, edited.encode("utf-8"))
        after = workspace.snapshot(Config()).result
        assert after is not None
        assert workspace.rules_ran == []
        renamed = next(f for f in after.findings if f.fingerprint == target.fingerprint)
        assert renamed.message == target.message.replace(old, "Brand New Name", 1)
        assert after.findings == analyse(load_inventory([Path("inv")])).findings


def test_an_analyser_keeps_nothing_for_an_inventory_built_in_memory(generated: Path) -> None:
    analyser = Analyser()
    inventory = inventories(generated)[0]
    from dataclasses import replace

    memory = replace(inventory, docs=())
    analyser.analyse(memory)
    analyser.analyse(memory)
    assert analyser.ran == list(RULES)


SYSTEMS = "".join(f"  - {{id: {s}, name: {s.upper()}, data: [contact]}}\n" for s in "hpqrstuvw")
STAR = {  # h is a hub joined to p, q and r; s-t-u a chain; v and w alone
    "hub": "flows:\n" + "".join(f"  - {{from: h, to: {s}, data: [contact]}}\n" for s in "pqr"),
    "chain": "flows:\n  - {from: s, to: t, data: [contact]}\n  - {from: t, to: u, data: [contact]}\n",
}


@pytest.mark.parametrize("edit", [
    {"hub": "flows: []\n"},  # the hub loses every flow: four components out of one
    {"hub": "flows:\n  - {from: h, to: p, data: [contact]}\n"},  # two of three spokes go
    {"chain": "flows:\n  - {from: s, to: t, data: [contact]}\n  - {from: v, to: w, data: [contact]}\n"},
    {"chain": "flows:\n  - {from: s, to: v, data: [contact]}\n  - {from: t, to: u, data: [contact]}\n"},
    {"hub": "flows:\n  - {from: h, to: s, data: [contact]}\n  - {from: q, to: r, data: [contact]}\n"},
    {"hub": "flows:\n  - {from: h, to: p, data: [product]}\n", "chain": "flows: []\n"},  # not customer data
])
def test_components_updated_by_difference_are_the_fresh_ones(tmp_path: Path, edit: dict[str, str]) -> None:
    """Splits, merges and both at once, when the flows of a file change: the customer-data
    components kept by difference equal a fresh stack's."""
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "systems.yaml").write_text("systems:\n" + SYSTEMS, encoding="utf-8")
    for name, text in STAR.items():
        (tmp_path / "inv" / f"{name}.yaml").write_text(text, encoding="utf-8")
    with contextlib.chdir(tmp_path):
        workspace = Workspace([Path("inv")])
        workspace.snapshot(Config())
        for name, text in edit.items():
            workspace.set_buffer(Path("inv") / f"{name}.yaml", text.encode("utf-8"))
        assert workspace.snapshot(Config()).result is not None
    kept = workspace._analyser._kept  # type: ignore[union-attr]
    assert kept is not None and "customer_components" in kept[3].__dict__
    assert _same_indexes(kept[3], str(edit)) == len(BY_DIFFERENCE)


# --- 3. the merge of clean files is the join ---------------------------------------------------------

def test_the_merge_of_clean_files_is_the_entry_by_entry_join(generated: Path) -> None:
    for path in [*REAL, generated]:
        sources = read_sources([path], (), DEFAULT_LIMITS, [])
        merged, joined = join(load(sources)), join_entries(load(sources))
        assert merged == joined
        assert merged.first_location == joined.first_location and merged.ignores == joined.ignores


def test_a_clash_across_files_falls_back_to_the_join_that_reports_it(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("systems:\n  - {id: crm, name: CRM}\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("systems:\n  - {id: crm, name: CRM again}\n"
                                     "flows:\n  - {from: crm, to: nowhere, data: [contact]}\n", encoding="utf-8")
    from stackmap.errors import InventoryError

    with contextlib.chdir(tmp_path), pytest.raises(InventoryError) as caught:
        join(load(read_sources([Path(".")], (), DEFAULT_LIMITS, [])))
    messages = [p.message for p in caught.value.problems]
    assert any("duplicate system id 'crm'" in m for m in messages)
    assert any("no system has the id 'nowhere'" in m for m in messages)


def test_a_flow_added_on_the_route_of_another_changes_that_ones_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "a.yaml").write_text(
        "systems:\n"
        "  - {id: crm, name: CRM, data: [contact, lead], it_reviewed: true, owner: sales}\n"
        "  - {id: esp, name: Email, it_reviewed: false, owner: marketing}\n"
        "flows:\n"
        "  - {from: crm, to: esp, mechanism: api, data: [contact]}\n", encoding="utf-8")
    (tmp_path / "inv" / "b.yaml").write_text("systems:\n  - {id: bi, name: BI, owner: data, it_reviewed: true}\n",
                                             encoding="utf-8")
    with contextlib.chdir(tmp_path):
        workspace = Workspace([Path("inv")])
        before = workspace.snapshot(Config()).result
        assert before is not None
        edited = ("systems:\n  - {id: bi, name: BI, owner: data, it_reviewed: true}\n"
                  "flows:\n  - {from: crm, to: esp, mechanism: api, data: [lead]}\n")
        Path("inv/b.yaml").write_text(edited, encoding="utf-8")
        workspace.set_buffer(Path("inv/b.yaml"), edited.encode("utf-8"))
        after = workspace.snapshot(Config()).result
        assert after is not None
        fresh = analyse(load_inventory([Path("inv")])).findings
        assert after.findings == fresh
        unreviewed = [f.fingerprint for f in fresh if f.rule == "customer-data-to-unreviewed"]
        assert len(unreviewed) == 2 and not set(unreviewed) & {f.fingerprint for f in before.findings}


def test_a_pasted_copy_of_an_entry_is_reported_as_a_fresh_load_reports_it(tmp_path: Path) -> None:
    head = "systems:\n  - {id: a, name: A, owner: x, it_reviewed: true}\ncapabilities:\n"
    once = head + "  - {id: crm, aliases: [esp]}\n  - {id: esp}\n"
    twice = once + "  - {id: crm, aliases: [esp]}\n"
    (tmp_path / "inv").mkdir()
    with contextlib.chdir(tmp_path):
        workspace = Workspace([Path("inv")])
        for text in (once, twice):
            Path("inv/a.yaml").write_text(text, encoding="utf-8")
            workspace.set_buffer(Path("inv/a.yaml"), text.encode("utf-8"))
            from stackmap.errors import InventoryError

            with pytest.raises(InventoryError) as fresh:
                load_inventory([Path("inv")])
            assert workspace.snapshot(Config()).problems == fresh.value.problems


def test_what_a_rule_keeps_per_subject_does_not_outlive_the_subject(tmp_path: Path) -> None:
    """A flow edited again and again is a new subject each time (its identity holds its data):
    what the rule kept for the old ones is dropped once the rule has run without them."""
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "systems.yaml").write_text(
        "systems:\n  - {id: crm, name: CRM, data: [contact]}\n"
        "  - {id: tool, name: Tool, it_reviewed: false}\n", encoding="utf-8")
    with contextlib.chdir(tmp_path):
        workspace = Workspace([Path("inv")])
        for data in ("contact", "contact, lead", "lead", "contact, behavioral", "contact"):
            text = f"flows:\n  - {{from: crm, to: tool, data: [{data}]}}\n"
            workspace.set_buffer(Path("inv") / "flows.yaml", text.encode("utf-8"))
            assert workspace.snapshot(Config()).result is not None
    assert "customer-data-to-unreviewed" in workspace.rules_ran
    stack = workspace._analyser._kept[3]  # type: ignore[union-attr]
    assert [slot for slot in stack._keyed if slot[0] == "customer-data-to-unreviewed"] == [
        ("customer-data-to-unreviewed", "crm->tool::contact")]
