"""Random edit sequences with the edits ``test_incremental._edit`` does not make, each step compared
with a fresh analysis (findings, every rule's facts, the facts kept by difference): several files at
once (only the files that changed are set as buffers), systems retired and brought back, every flow
of a system or half the flows of a file removed (components split into many pieces), flows moved to
another file, removed and added again, reversed, made parallel, given or stripped of an id,
switched between customer and other data, flows into retired systems, systems removed with their
flows, systems with no flow, and undos back to earlier texts.
"""

from __future__ import annotations

import contextlib
import copy
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from stackmap.analysis.config import Config
from stackmap.analysis.engine import analyse, rule_facts
from stackmap.analysis.graph import Stack
from stackmap.load.inventory import load_inventory
from stackmap.load.workspace import Workspace

from test_incremental import _edit, _same_indexes

CUST = ["contact", "lead", "consent", "account"]
NONC = ["product", "content"]
CAPS = ["crm", "email-marketing", "cdp", "forms", "sms", "data-warehouse", "ipaas"]


def make(rng: random.Random, n: int, nfiles: int) -> dict[str, dict[str, Any]]:
    docs = {f"s{i}.yaml": {"systems": [], "flows": []} for i in range(nfiles)}
    ids = [f"sys{i:02d}" for i in range(n)]
    for sid in ids:
        s = {
            "id": sid,
            "name": sid.upper(),
            "data": rng.sample(CUST + NONC, rng.randint(0, 3)),
            "capabilities": rng.sample(CAPS, rng.randint(0, 2)),
        }
        if rng.random() < 0.15:
            s["lifecycle"] = "retired"
        if rng.random() < 0.2:
            s["roles"] = ["system-of-record"]
        s["it_reviewed"] = rng.choice([None, True, False])
        if rng.random() < 0.5:
            s["owner"] = rng.choice(["mkt", "it"])
        docs[rng.choice(list(docs))]["systems"].append(s)
    for _ in range(int(n * rng.uniform(0.5, 2))):
        a, b = rng.sample(ids, 2)
        f = {
            "from": a,
            "to": b,
            "data": rng.sample(CUST + NONC, rng.randint(1, 2)),
            "mechanism": rng.choice(["api", "batch", "ipaas"]),
        }
        if rng.random() < 0.5:
            f["id"] = f"f{rng.randrange(10**6)}"
        docs[rng.choice(list(docs))]["flows"].append(f)
    return docs


def flows_all(docs: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, f) for name, d in docs.items() for f in d.get("flows") or []]


def edit(rng: random.Random, docs: dict[str, dict[str, Any]]) -> str:
    """One random edit of ``docs`` in place; its kind."""
    systems = [(name, s) for name, d in docs.items() for s in d.get("systems") or []]
    ids = [s["id"] for _, s in systems]
    kind = rng.choice(
        [
            "retire",
            "unretire",
            "bulk-remove-at",
            "remove-half",
            "move-flow",
            "readd",
            "cust-toggle",
            "unreviewed",
            "messaging",
            "flow-retired",
            "remove-system",
            "reverse",
            "parallel",
            "flow-id",
            "star-cut",
            "base",
            "base",
            "noflows",
        ]
    )
    if kind == "base":
        return _edit(rng, docs)
    name, s = rng.choice(systems)
    fl = flows_all(docs)
    if kind == "retire":
        s["lifecycle"] = "retired"
    elif kind == "unretire":
        s.pop("lifecycle", None)
    elif kind in ("bulk-remove-at", "star-cut"):
        sid = s["id"]
        if kind == "star-cut":  # the system with most flows
            cnt = {}
            for _, f in fl:
                for e in (f["from"], f["to"]):
                    cnt[e] = cnt.get(e, 0) + 1
            if cnt:
                sid = max(cnt, key=cnt.get)
        for d in docs.values():
            if d.get("flows"):
                d["flows"] = [f for f in d["flows"] if sid not in (f["from"], f["to"])]
    elif kind == "remove-half":
        for d in docs.values():
            if d.get("flows") and rng.random() < 0.6:
                d["flows"] = [f for f in d["flows"] if rng.random() < 0.5]
    elif kind == "move-flow" and fl:
        src, f = rng.choice(fl)
        docs[src]["flows"].remove(f)
        docs.setdefault(rng.choice(list(docs)), {}).setdefault("flows", []).append(f)
    elif kind == "readd" and fl:
        src, f = rng.choice(fl)
        docs[src]["flows"].remove(f)
        docs[src]["flows"].append(copy.deepcopy(f))
    elif kind == "cust-toggle" and fl:
        _, f = rng.choice(fl)
        f["data"] = rng.sample(NONC, 1) if set(f["data"]) & set(CUST) else rng.sample(CUST, 1)
    elif kind == "unreviewed":
        s["it_reviewed"] = False
        s["data"] = [] if rng.random() < 0.7 else ["contact"]
    elif kind == "messaging":
        s["capabilities"] = ["email-marketing"]
        s["data"] = ["contact"]
    elif kind == "flow-retired":
        dead = [x["id"] for _, x in systems if x.get("lifecycle") == "retired"]
        if dead:
            a = rng.choice(dead)
            b = rng.choice([i for i in ids if i != a])
            f = {"from": a, "to": b} if rng.random() < 0.5 else {"from": b, "to": a}
            f["data"] = rng.sample(CUST + NONC, 1)
            f["id"] = f"r{rng.randrange(10**6)}"
            docs[name].setdefault("flows", []).append(f)
    elif kind == "remove-system":
        sid = s["id"]
        docs[name]["systems"].remove(s)
        for d in docs.values():
            if d.get("flows"):
                d["flows"] = [f for f in d["flows"] if sid not in (f["from"], f["to"])]
    elif kind == "reverse" and fl:
        _, f = rng.choice(fl)
        f["from"], f["to"] = f["to"], f["from"]
    elif kind == "parallel" and fl:
        src, f = rng.choice(fl)
        g = copy.deepcopy(f)
        g["id"] = f"p{rng.randrange(10**6)}"
        docs[rng.choice(list(docs))].setdefault("flows", []).append(g)
    elif kind == "flow-id" and fl:
        _, f = rng.choice(fl)
        if "id" in f and rng.random() < 0.5:
            del f["id"]
        else:
            f["id"] = f"i{rng.randrange(10**6)}"
    elif kind == "noflows":
        docs[name]["systems"].append(
            {"id": f"lone{rng.randrange(10**6)}", "name": "Lone", "data": rng.sample(CUST, 1)}
        )
    return kind


def dump(doc: dict[str, Any]) -> str:
    return yaml.safe_dump(doc, sort_keys=False)


def run(seed: int, steps: int, tmp: Path, n: int | None = None) -> dict[str, int]:
    rng = random.Random(seed)
    folder = tmp / "inv"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    docs = make(rng, n or rng.randint(6, 30), rng.randint(1, 4))
    for nm, d in docs.items():
        (folder / nm).write_text(dump(d))
    config = Config()
    stats = {"ok": 0, "invalid": 0, "by_diff": 0}
    with contextlib.chdir(tmp):
        ws = Workspace([Path("inv")])
        ws.snapshot(config)
        before = {nm: dump(d) for nm, d in docs.items()}
        for step in range(steps):
            whats = [edit(rng, docs) for _ in range(rng.choice([1, 1, 2, 3]))]
            for nm, d in docs.items():
                text = dump(d)
                if text != before.get(nm):
                    (folder / nm).write_text(text)
                    ws.set_buffer(Path("inv") / nm, text.encode())
                    before[nm] = text
            snap = ws.snapshot(config)
            try:
                fresh = analyse(load_inventory([Path("inv")]), config)
                exp = fresh.findings
            except Exception:  # an invalid inventory: the workspace must say so too
                exp = None
            if snap.result is None:
                assert exp is None, (seed, step, whats, snap.problems, snap.error)
                stats["invalid"] += 1
                continue
            assert exp is not None, (seed, step, whats)
            got = snap.result.findings
            if got != exp:
                g = {(f.rule, f.message, f.severity, f.fingerprint) for f in got}
                e = {(f.rule, f.message, f.severity, f.fingerprint) for f in exp}
                raise AssertionError(
                    f"seed {seed} step {step} {whats}\nonly incremental: {sorted(g - e)}\n"
                    f"only fresh: {sorted(e - g)}\nsame set: {g == e}"
                )
            kept = ws._analyser._kept
            stats["by_diff"] += _same_indexes(kept[3], f"seed {seed} step {step} {whats}")
            # facts of every rule vs fresh stack's facts
            ff = rule_facts(Stack(kept[3].inventory, kept[3].options), config)
            for rid, facts in kept[2].items():
                assert sorted(map(repr, facts)) == sorted(map(repr, ff[rid])), (seed, step, whats, rid)
            stats["ok"] += 1
    return stats


@pytest.mark.parametrize("seed", [352, *range(20)])
def test_random_edit_sequences_give_the_findings_of_a_fresh_analysis(tmp_path: Path, seed: int) -> None:
    stats = run(seed, 40, tmp_path)
    assert stats["ok"] > 5  # most steps leave a valid inventory
