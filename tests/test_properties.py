"""Properties of generated valid inventories: no command crashes, and the rules' invariants hold.

Invariants, computed here independently of stackmap.analysis.graph:
- ``isolated-system`` names exactly the live systems with no flow to or from another live system;
- ``customer-data-silo`` (with a system of record) names exactly the live customer-data systems with
  no undirected customer-data path through live systems to a live system of record;
- findings do not depend on how entries are split over files, on file names, or on file order;
- every finding names systems and capabilities that exist; no two findings share a fingerprint;
- fingerprints do not change when a data category is added to a flow, or lists are reordered.
"""

from __future__ import annotations

import contextlib
import io
import random
import tempfile
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stackmap.cli import main
from stackmap.analysis.engine import analyse
from stackmap.analysis.graph import Stack as GraphStack
from stackmap.load.inventory import load_inventory
from stackmap.load.model import BUILTIN_DATA_CATEGORIES, LIFECYCLES, MECHANISMS

CATEGORIES = sorted(BUILTIN_DATA_CATEGORIES)
CUSTOMER = {c for c, customer in BUILTIN_DATA_CATEGORIES.items() if customer}
CAPABILITIES = ["crm", "email", "cms", "analytics"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass
class Stack:
    systems: list[dict[str, object]]
    flows: list[dict[str, object]]


@st.composite
def stacks(draw: st.DrawFn) -> Stack:
    n = draw(st.integers(1, 10))
    systems = []
    for i in range(n):
        system: dict[str, object] = {"id": f"s{i}", "name": f"System {i}"}
        system["lifecycle"] = draw(st.sampled_from(LIFECYCLES))
        system["data"] = draw(st.lists(st.sampled_from(CATEGORIES), max_size=3, unique=True))
        system["capabilities"] = draw(st.lists(st.sampled_from(CAPABILITIES), max_size=2, unique=True))
        if draw(st.integers(0, 4)) == 0:
            system["roles"] = ["system-of-record"]
        systems.append(system)
    flows: dict[str, dict[str, object]] = {}
    if n > 1:
        for _ in range(draw(st.integers(0, 2 * n))):
            a, b = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
            data = sorted(draw(st.lists(st.sampled_from(CATEGORIES), max_size=2, unique=True)))
            mech = draw(st.sampled_from(MECHANISMS))
            flows.setdefault(f"s{a}>s{b}:{mech}:{data}", {"from": f"s{a}", "to": f"s{b}", "data": data,
                                                          "mechanism": mech})
    return Stack(systems, list(flows.values()))


def write_split(root: Path, stack: Stack, seed: int) -> None:
    """Entries spread over 1-4 files, in a random order, under random names."""
    rng = random.Random(seed)
    n_files = rng.randint(1, 4)
    files: list[dict[str, list[object]]] = [{} for _ in range(n_files)]
    entries = [("systems", s) for s in stack.systems] + [("flows", f) for f in stack.flows]
    rng.shuffle(entries)
    for section, entry in entries:
        files[rng.randrange(n_files)].setdefault(section, []).append(entry)
    root.mkdir(parents=True)
    for i, content in enumerate(files):
        name = f"{rng.randrange(10**6):06d}-{i}.yaml"
        (root / name).write_text(yaml.safe_dump(content, sort_keys=rng.random() < 0.5), encoding="utf-8")


def facts(root: Path) -> list[tuple[str, str, tuple[str, ...], str]]:
    result = analyse(load_inventory([root]))
    return [(f.rule, f.message, f.systems, f.fingerprint) for f in result.findings]


def live_ids(stack: Stack) -> set[str]:
    return {str(s["id"]) for s in stack.systems if s["lifecycle"] != "retired"}


@given(stacks(), st.integers(0, 2**32))
@SETTINGS
def test_findings_do_not_depend_on_files_or_their_order(stack: Stack, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write_split(Path(tmp) / "one", stack, seed)
        write_split(Path(tmp) / "two", stack, seed + 1)
        assert facts(Path(tmp) / "one") == facts(Path(tmp) / "two")


@given(stacks(), st.integers(0, 2**32))
@SETTINGS
def test_isolated_means_no_flow_with_another_live_system(stack: Stack, seed: int) -> None:
    live = live_ids(stack)
    connected = {end for f in stack.flows if f["from"] in live and f["to"] in live for end in (f["from"], f["to"])}
    with tempfile.TemporaryDirectory() as tmp:
        write_split(Path(tmp) / "inv", stack, seed)
        # a roll-up (no flows at all) lists every isolated system in one finding
        isolated = {s for f in facts(Path(tmp) / "inv") if f[0] == "isolated-system" for s in f[2]}
    assert isolated == live - connected


@given(stacks(), st.integers(0, 2**32))
@SETTINGS
def test_a_silo_has_no_customer_data_path_to_a_system_of_record(stack: Stack, seed: int) -> None:
    live = live_ids(stack)
    records = {str(s["id"]) for s in stack.systems if s["id"] in live and s.get("roles")}
    holders = {str(s["id"]) for s in stack.systems if s["id"] in live and CUSTOMER & set(s["data"])}  # type: ignore[arg-type]
    adjacency: dict[str, set[str]] = {sid: set() for sid in live}
    for f in stack.flows:
        if f["from"] in live and f["to"] in live and CUSTOMER & set(f["data"]):  # type: ignore[arg-type]
            adjacency[str(f["from"])].add(str(f["to"]))
            adjacency[str(f["to"])].add(str(f["from"]))
    reach = set(records)
    queue = deque(records)
    while queue:
        for nxt in adjacency[queue.popleft()] - reach:
            reach.add(nxt)
            queue.append(nxt)
    with tempfile.TemporaryDirectory() as tmp:
        write_split(Path(tmp) / "inv", stack, seed)
        silos = {s for f in facts(Path(tmp) / "inv") if f[0] == "customer-data-silo" for s in f[2]}
    assert not silos & reach
    if records:
        assert silos == holders - reach


@given(stacks(), st.integers(0, 2**32), st.sampled_from(["text", "json"]))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_check_never_crashes_on_a_valid_inventory(stack: Stack, seed: int, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write_split(Path(tmp) / "inv", stack, seed)
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                main(["check", str(Path(tmp) / "inv"), "--format", fmt, "--fail-on", "error", "--no-cache"])
            except SystemExit as exc:
                code = exc.code
            else:
                code = 0
    assert code in (0, 1), out.getvalue()
    assert "internal error" not in out.getvalue()


@given(stacks(), st.integers(0, 2**32))
@SETTINGS
def test_findings_name_real_entities_and_fingerprints_are_unique(stack: Stack, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write_split(Path(tmp) / "inv", stack, seed)
        result = analyse(load_inventory([Path(tmp) / "inv"]))
    ids = {str(s["id"]) for s in stack.systems}
    assert all(set(f.systems) <= ids for f in result.findings)
    assert all(f.capability in CAPABILITIES for f in result.findings if f.capability is not None)
    fingerprints = [f.fingerprint for f in result.findings]
    assert len(fingerprints) == len(set(fingerprints))


@given(stacks(), st.integers(0, 2**32), st.data())
@SETTINGS
def test_fingerprints_survive_a_data_category_added_to_a_flow_and_reordered_lists(
        stack: Stack, seed: int, data: st.DataObject) -> None:
    if not stack.flows:
        return
    i = data.draw(st.integers(0, len(stack.flows) - 1))
    edited = Stack([dict(s, data=list(reversed(s["data"]))) for s in stack.systems],  # type: ignore[call-overload]
                   [dict(f) for f in reversed(stack.flows)])
    flow = edited.flows[len(stack.flows) - 1 - i]
    triple = (flow["from"], flow["to"], flow["mechanism"])
    if sum(1 for f in edited.flows if (f["from"], f["to"], f["mechanism"]) == triple) > 1:
        return  # data tells such flows apart (clarification 12)
    extra = data.draw(st.sampled_from(CATEGORIES))
    if extra in flow["data"]:  # type: ignore[operator]
        return
    flow["data"] = [extra, *flow["data"]]  # type: ignore[misc]
    with tempfile.TemporaryDirectory() as tmp:
        write_split(Path(tmp) / "before", stack, seed)
        write_split(Path(tmp) / "after", edited, seed + 1)
        before = GraphStack(load_inventory([Path(tmp) / "before"]))
        after = GraphStack(load_inventory([Path(tmp) / "after"]))
    ids_before = sorted(before.flow_fingerprint_ids.values())
    ids_after = sorted(after.flow_fingerprint_ids.values())
    assert ids_before == ids_after
