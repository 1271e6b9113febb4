"""Import/export timings on a generated inventory: python bench/interop_bench.py [SYSTEMS...]

Generates SYSTEMS systems (50 a file, ~4.5 flows each), loads it, times every exporter, then the
csv import of the csv export (which also loads what it wrote). Prints seconds and output sizes.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from stackmap.interop import EXPORTERS, exporter
from stackmap.interop.importing import run
from stackmap.load.inventory import load_inventory
from stackmap.load.loader import gc_paused

CATEGORIES = ["contact", "account", "lead", "behavioral", "content", "ad-performance"]


def generate(folder: Path, systems: int) -> None:
    rng = random.Random(7)
    for start in range(0, systems, 50):
        lines = ["systems:"]
        for i in range(start, min(start + 50, systems)):
            data = ", ".join(rng.sample(CATEGORIES, 2))
            lines.append(f"  - {{id: s{i}, name: System {i}, owner: team-{i % 40}, capabilities: [c{i % 300}], "
                         f"data: [{data}], annual_cost: {1000 + i}, tags: [t{i % 7}]}}")
        lines.append("flows:")
        for i in range(start, min(start + 50, systems)):
            for j in rng.sample(range(systems), 5)[:4 + (i % 2)]:
                if j != i:
                    lines.append(f"  - {{from: s{i}, to: s{j}, data: [{rng.choice(CATEGORIES)}], mechanism: api, "
                                 f"id: f{i}-{j}}}")
        (folder / f"part-{start // 50:04d}.yaml").write_text("\n".join(lines) + "\n")


def main(sizes: list[int]) -> None:
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "inv").mkdir()
            generate(root / "inv", size)
            inventory = load_inventory([root / "inv"])
            print(f"{len(inventory.systems)} systems, {len(inventory.flows)} flows")
            for fmt in EXPORTERS:
                module = exporter(fmt)
                started = time.perf_counter()
                with gc_paused():  # as the export command does
                    output = module.export_files(inventory) if fmt == "csv" else module.export(inventory)
                if fmt == "csv":
                    files = output
                    (root / "csv").mkdir()
                    for name, text in files.items():
                        (root / "csv" / name).write_text(text)
                    size_out = sum(len(t) for t in files.values())
                else:
                    size_out = len(output)
                print(f"  export {fmt:<12} {time.perf_counter() - started:6.2f} s  {size_out / 1e6:6.1f} MB")
            started = time.perf_counter()
            result = run("csv", [root / "csv"])
            print(f"  import csv (+ load) {time.perf_counter() - started:6.2f} s  {len(result.text) / 1e6:6.1f} MB, "
                  f"{result.systems} systems, {result.flows} flows")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
