"""Time each stage of a check in one fresh process: ``python bench/stages.py INVENTORY``.

Prints one JSON object: seconds per stage (read, parse with marks, validate, join, graph facts, each
rule, findings), the networkx graph build (which ``check`` does not need), the total and the peak
RSS. The stages run as ``stackmap check --no-cache`` runs them on one core (``STACKMAP_WORKERS=1``; GC
paused like the CLI); with two cores, a large check parses its last files in a helper process
meanwhile (``stackmap/load/parallel.py``; ``bench/check_bench.py`` times both).
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from pathlib import Path

START = time.perf_counter()


def main() -> None:
    gc.disable()  # as `stackmap check` does
    from stackmap.analysis.config import Config
    from stackmap.analysis.engine import stamp
    from stackmap.analysis.graph import Stack, build_graph
    from stackmap.load.inventory import join
    from stackmap.load.loader import load
    from stackmap.analysis.rules import RULES
    from stackmap.load.sources import read_sources

    stages: dict[str, float] = {"imports": time.perf_counter() - START}
    path = Path(sys.argv[1])

    t = time.perf_counter()
    sources = read_sources([path])
    stages["read files"] = time.perf_counter() - t

    per_file: dict[str, float] = {}
    t = time.perf_counter()
    loaded = load(sources, stages=per_file)
    load_total = time.perf_counter() - t
    stages["parse with marks"] = per_file.get("parse", 0.0)
    stages["validate"] = per_file.get("validate", 0.0)
    stages["other per-file work"] = load_total - stages["parse with marks"] - stages["validate"]

    t = time.perf_counter()
    inventory = join(loaded)
    stages["join (cross-file checks)"] = time.perf_counter() - t

    config = Config()
    stack = Stack(inventory, config.options)
    t = time.perf_counter()
    for name in ("live", "live_flows", "customer_flows", "customer_systems", "records",
                 "customer_components", "main_component", "silos", "reaching_record", "live_degree"):
        getattr(stack, name)
    stages["graph facts (adjacency, BFS)"] = time.perf_counter() - t

    findings = 0
    for rule_id, rule in RULES.items():
        t = time.perf_counter()
        facts = list(rule.check(stack))
        found = [stamp(rule_id, rule.SEVERITY, fact, inventory) for fact in facts]
        findings += len(found)
        stages[f"rule {rule_id}"] = time.perf_counter() - t

    total = time.perf_counter() - START
    t = time.perf_counter()
    build_graph(inventory)
    networkx = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"stages": stages, "total": total, "networkx_graph": networkx, "peak_mb": peak,
                      "findings": findings, "systems": len(inventory.systems), "flows": len(inventory.flows)}))


if __name__ == "__main__":
    main()
