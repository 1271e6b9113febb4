"""Time the governance rules and the portfolio reports on generated inventories (1k and 10k systems).

Run with ``make bench`` or ``python bench/governance_bench.py [SIZES...]``. Prints the median of
three runs per step; the inventory is parsed once per size (parsing is measured elsewhere).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from stackmap.analysis.graph import Stack, build_graph
from stackmap.load.inventory import load_inventory
from stackmap.portfolio.impact import impact
from stackmap.portfolio.rationalize import rationalize
from stackmap.portfolio.spend import spend
from stackmap.analysis.rules import RULES

GOVERNANCE = ("shadow-it", "customer-data-to-unreviewed", "consent-not-propagated", "unowned-system",
              "integration-hotspot", "sync-loop", "point-to-point-sprawl", "conflicting-writers")
CAPABILITIES = ["crm", "email-marketing", "cms", "cdp", "ipaas", "web-analytics", "support", "sms", "forms",
                *(f"cap-{i}" for i in range(60))]
DATA = ["contact", "account", "lead", "behavioral", "consent", "content", "product", "transactional"]
OWNERS = ["marketing", "it", "digital", "sales-ops", "data", None]


def generate(folder: Path, systems: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    per_file = 50
    ids = [f"sys-{i:05d}" for i in range(systems)]
    for start in range(0, systems, per_file):
        lines = ["systems:"]
        for sid in ids[start:start + per_file]:
            owner = rng.choice(OWNERS)
            caps = rng.sample(CAPABILITIES, rng.randint(1, 2))
            data = rng.sample(DATA, rng.randint(0, 3))
            reviewed = rng.choice(["true", "false", None])
            entry = f"  - {{id: {sid}, name: System {sid}, capabilities: [{', '.join(caps)}], data: [{', '.join(data)}]"
            if owner:
                entry += f", owner: {owner}"
            if reviewed:
                entry += f", it_reviewed: {reviewed}"
            if rng.random() < 0.8:
                entry += f", annual_cost: {rng.randint(1, 200) * 500}"
            if sid == ids[0]:
                entry += ", roles: [system-of-record]"
            lines.append(entry + "}")
        lines.append("flows:")
        seen: set[tuple[str, str]] = set()
        for sid in ids[start:start + per_file]:
            for _ in range(rng.choice([3, 4, 5, 6])):
                other = rng.choice(ids)
                if other == sid or (sid, other) in seen:
                    continue
                seen.add((sid, other))
                data = rng.sample(DATA, rng.randint(1, 3))
                lines.append(f"  - {{from: {sid}, to: {other}, data: [{', '.join(data)}]}}")
        (folder / f"part-{start // per_file:04d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def median(step: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        step()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main(sizes: list[int]) -> None:
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp), size)
            inventory = load_inventory([Path(tmp)])
        graph = build_graph(inventory)
        fresh = lambda: Stack(inventory, graph=graph)  # noqa: E731 - each step gets cold cached properties
        print(f"{size:,} systems, {len(inventory.flows):,} flows")
        print(f"  {'(stack, shared derived facts)':<30} "
              f"{median(lambda: (fresh().live_flows, fresh().customer_flows)):7.3f} s")
        total = 0.0
        for rule_id in GOVERNANCE:
            seconds = median(lambda r=RULES[rule_id]: list(r.check(fresh())))
            total += seconds
            print(f"  {rule_id:<30} {seconds:7.3f} s")
        print(f"  {'(the seven rules)':<30} {total:7.3f} s")
        for name, step in (("spend --by owner", lambda: spend(fresh(), "owner")),
                           ("spend --by capability", lambda: spend(fresh(), "capability")),
                           ("impact sys-00000", lambda: impact(fresh(), "sys-00000")),
                           ("rationalize", lambda: rationalize(fresh()))):
            print(f"  {name:<30} {median(step):7.3f} s")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
