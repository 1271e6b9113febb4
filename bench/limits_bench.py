"""What the worst inputs cost per megabyte at the default limits (for docs/security.md).

Each shape is a hostile inventory of about ``BENCH_MB`` megabytes (default 1) in one file, checked by
a fresh ``stackmap check --no-cache`` process; the table gives wall seconds and peak resident memory,
and both per megabyte of input. Shapes:

- ``tiny-systems``: the most entries per byte (``- {id: sNNNNN, name: S}``), each a model, a graph node
  and a subject of every rule;
- ``dangling-flows``: systems plus as many flows naming unknown ids (a problem, a location and a
  did-you-mean each);
- ``dense-flows``: flows between few systems (the rules' path work);
- ``aliases``: a block repeated by aliases up to the expansion limit;
- ``deep``: nesting at the depth limit, repeated;
- ``long-names``: a few systems with very long names (messages cut them).

Usage: ``python bench/limits_bench.py [SHAPE ...]``; ``BENCH_MB`` sets the size.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

MB = 1_000_000


def tiny_systems(size: int) -> str:
    out, i, total = ["systems:"], 0, 9
    while total < size:
        line = f"- {{id: s{i:06d}, name: S}}"
        out.append(line)
        total += len(line) + 1
        i += 1
    return "\n".join(out) + "\n"


def dangling_flows(size: int) -> str:
    n = size // 90
    systems = [f"- {{id: s{i:06d}, name: S}}" for i in range(n)]
    flows = [f"- {{from: s{i:06d}, to: t{i:06d}, data: [contact]}}" for i in range(n)]
    return "systems:\n" + "\n".join(systems) + "\nflows:\n" + "\n".join(flows) + "\n"


def dense_flows(size: int) -> str:
    k = 200
    systems = [f"- {{id: s{i:03d}, name: S, data: [contact]}}" for i in range(k)]
    flows, total, i = [], 0, 0
    while total < size:
        line = f"- {{id: f{i:07d}, from: s{i % k:03d}, to: s{(i * 7 + 1) % k:03d}, data: [contact]}}"
        flows.append(line)
        total += len(line) + 1
        i += 1
    return "systems:\n" + "\n".join(systems) + "\nflows:\n" + "\n".join(flows) + "\n"


def aliases(size: int) -> str:
    block = "x-a: &a [" + ", ".join(["v"] * 1000) + "]\n"
    refs = ["x-r:"]
    total = len(block)
    while total < size and len(refs) < 990:
        refs.append("  - *a")
        total += 7
    return block + "\n".join(refs) + "\nsystems:\n- {id: s, name: S}\n"


def deep(size: int) -> str:
    out, total, i = [], 0, 0
    while total < size:
        out.append(f"x-d{i}: " + "[" * 999 + "]" * 999)
        total += len(out[-1]) + 1
        i += 1
    return "\n".join(out) + "\nsystems:\n- {id: s, name: S}\n"


def long_names(size: int) -> str:
    per = size // 10
    return "systems:\n" + "".join(f"- {{id: s{i}, name: {'n' * per}}}\n" for i in range(10)) + \
        "flows:\n" + "".join(f"- {{from: s{i}, to: nowhere, data: [contact]}}\n" for i in range(10))


SHAPES: dict[str, Callable[[int], str]] = {
    "tiny-systems": tiny_systems, "dangling-flows": dangling_flows, "dense-flows": dense_flows,
    "aliases": aliases, "deep": deep, "long-names": long_names,
}


def measure(text: str) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inv.yaml"
        path.write_text(text, encoding="utf-8")
        code = ("import resource, runpy, sys; sys.argv = ['stackmap', 'check', '--no-cache', '--fail-on', 'never', "
                f"{str(path)!r}]\ntry:\n    runpy.run_module('stackmap', run_name='__main__')\nexcept SystemExit:\n    pass\n"
                "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp,
                              env={**os.environ, "NO_COLOR": "1"}, timeout=3600)
        seconds = time.perf_counter() - start
        peak_kb = int(done.stderr.strip().splitlines()[-1])
        return seconds, peak_kb / 1024, len(done.stdout)


def main() -> None:
    size = int(float(os.environ.get("BENCH_MB", "1")) * MB)
    names = sys.argv[1:] or list(SHAPES)
    print(f"| shape ({size / MB:g} MB) | bytes | seconds | peak MB | s per MB | MB of memory per MB | output bytes |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        text = SHAPES[name](size)
        seconds, peak, out = measure(text)
        mb = len(text.encode()) / MB
        print(f"| {name} | {len(text.encode()):,} | {seconds:.2f} | {peak:.0f} | {seconds / mb:.2f} | "
              f"{peak / mb:.0f} | {out:,} |", flush=True)


if __name__ == "__main__":
    main()
