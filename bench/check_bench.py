"""Benchmark a whole `stackmap check` process against the parse floor (``make bench``).

The floor is a bare Python process that parses the same files with PyYAML's ``CSafeLoader`` (default
GC, no cache). Both run as fresh processes, alternately, several times; medians are reported with the
ratio and the peak resident memory of each. Usage: ``python bench/check_bench.py [SYSTEMS ...]``
(default 10000). Results are printed as a Markdown table.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def timed(cmd: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {code}: {proc.stderr.read().decode() if proc.stderr else ''}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def inventory(systems: int) -> Path:
    out = HERE / "out" / f"inv-{systems}"
    if not (out / ".complete").exists():
        generate(systems, out)
        (out / ".complete").write_text("")
    return out


def bench(systems: int) -> str:
    path = inventory(systems)
    floor_cmd = [sys.executable, "-c", FLOOR, str(path)]
    check_cmd = [sys.executable, "-m", "stackmap", "check", str(path), "--fail-on", "never"]
    floors, checks = [], []
    for _ in range(RUNS):
        floors.append(timed(floor_cmd))
        checks.append(timed(check_cmd))
    fw = statistics.median(r[0] for r in floors)
    fc = statistics.median(r[1] for r in floors)
    cw = statistics.median(r[0] for r in checks)
    cc = statistics.median(r[1] for r in checks)
    fm = max(r[2] for r in floors)
    cm = max(r[2] for r in checks)
    files = len(list(path.glob("*.yaml")))
    return (f"| {systems:,} | {files} | {fw:.2f} s ({fc:.2f} s CPU) | {cw:.2f} s ({cc:.2f} s CPU) | "
            f"**{cw / fw:.2f}×** ({cc / fc:.2f}× CPU) | {fm} MB | {cm} MB |")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000]
    print(f"Median of {RUNS} alternating runs, each a fresh process.\n")
    print("| systems | files | parse floor | stackmap check | ratio | floor peak | check peak |")
    print("|---|---|---|---|---|---|---|")
    for size in sizes:
        print(bench(size), flush=True)


if __name__ == "__main__":
    main()
