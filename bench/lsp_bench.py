"""The editing loop at scale (``make bench``): the language server in process, and re-checks.

1. Language server, in process (no JSON-RPC): the first load, then a one-line edit in one file
   (a new edit each time, in a different file) until the diagnostics of the whole workspace are
   ready, median of ``BENCH_EDITS`` (default 20); completion of a ``to:`` value; peak memory.
2. Whole process, each ``BENCH_RUNS`` times (default 3), medians: the bare parse floor (PyYAML
   ``CSafeLoader``, default GC), ``stackmap check --no-cache`` in text and in JSON, and
   ``stackmap check`` with a warm cache after one file changed.

Usage: ``python bench/lsp_bench.py [SYSTEMS]`` (default 10000). Prints Markdown for docs/performance.md.
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from userenv import compiled_env  # noqa: E402

EDITS = int(os.environ.get("BENCH_EDITS", "20"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def in_process(root: Path) -> list[str]:
    from lsprotocol import types

    from stackmap.lsp import complete, diagnostics
    from stackmap.lsp.state import State

    os.chdir(root)
    start = time.perf_counter()
    state = State(root)
    snap = state.snapshot()
    diagnostics.collect(state, snap)
    first = time.perf_counter() - start
    state.catalog()
    findings = len(snap.result.findings) if snap.result else 0
    files = sorted((root / "inv").glob("*.yaml"))
    timings: dict[str, list[float]] = {}
    waits: list[float] = []
    ran: dict[str, list[int]] = {}
    for kind, edit in EDITS_BY_KIND.items():
        for i in range(EDITS):
            path = files[(i * 7 + len(timings)) % len(files)]
            text = edit(path.read_text(encoding="utf-8"), i)
            start = time.perf_counter()
            state.edit(path.as_uri(), text)
            snap, longest = _stepped(state)
            diagnostics.collect(state, snap)
            timings.setdefault(kind, []).append(time.perf_counter() - start)
            waits.append(longest)
            ran.setdefault(kind, []).append(len(state.workspace.rules_ran))
            state.catalog()  # what the server does once the diagnostics are out
            state.edit(path.as_uri(), path.read_text(encoding="utf-8"))  # back to the saved text
            diagnostics.collect(state, state.snapshot())
            state.catalog()
    flows = files[0]
    lines = flows.read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines) if text.strip().startswith("to: "))
    column = lines[line].index("to: ") + 4
    completions: list[float] = []
    count = 0
    for _ in range(EDITS):
        start = time.perf_counter()
        found = complete.completion(state, flows.as_uri(), types.Position(line, column))
        completions.append(time.perf_counter() - start)
        count = len(found.items)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    every = [t for kind in timings.values() for t in kind]
    out = [
        "| measure | value |", "|---|---|",
        f"| first load and diagnostics ({findings:,} findings) | {first:.2f} s |",
    ]
    for kind, found in timings.items():
        out.append(f"| diagnostics after a one-line edit: {kind}, median of {EDITS} (min–max; rules run again) | "
                   f"{statistics.median(found) * 1000:.0f} ms ({min(found) * 1000:.0f}–{max(found) * 1000:.0f}; "
                   f"{statistics.median(ran[kind]):.0f} of 15) |")
    out += [
        f"| all {len(every)} edits above, median | {statistics.median(every) * 1000:.0f} ms |",
        f"| longest step of an edit's analysis (a request waits at most this long), median (max) | "
        f"{statistics.median(waits) * 1000:.0f} ms ({max(waits) * 1000:.0f}) |",
        f"| completion of a `to:` value ({count:,} items), median of {EDITS} | "
        f"{statistics.median(completions) * 1000:.1f} ms |",
        f"| peak memory of the server process | {rss:.0f} MB |",
    ]
    return out


def _stepped(state: Any) -> tuple[Any, float]:
    """The snapshot, computed a step at a time as the server does, and its longest step."""
    steps = state.snapshot_steps()
    longest = 0.0
    while True:
        start = time.perf_counter()
        try:
            next(steps)
        except StopIteration as done:
            return done.value, max(longest, time.perf_counter() - start)
        longest = max(longest, time.perf_counter() - start)


def _retarget(text: str, i: int) -> str:
    """The first flow's ``to`` pointed at another existing system."""
    head, mark, tail = text.partition("\nflows:\n")
    found = re.search(r"from: sys-(\d{5})\n    to: sys-(\d{5})", tail)
    assert found is not None
    start, end = int(found.group(1)), int(found.group(2))
    other = next(n for n in range(end + 1 + i, end + 100) if n % 10_000 != start) % 10_000
    return head + mark + tail[:found.start(2)] + f"{other:05d}" + tail[found.end(2):]


def _in_section(text: str, section: str, old: str, new: str) -> str:
    """``text`` with the first ``old`` after the ``section:`` line replaced by ``new``."""
    head, mark, tail = text.partition(f"\n{section}:\n")
    return head + mark + tail.replace(old, new, 1)


EDITS_BY_KIND: dict[str, Callable[[str, int], str]] = {
    "a system's name": lambda text, i: text.replace("    name: ", f"    name: Edited {i} ", 1),
    "a system's owner": lambda text, i: text.replace("    owner: ", f"    owner: team-{i}-", 1),
    "a system's `it_reviewed`": lambda text, i: _in_section(text, "systems", "it_reviewed: ", "it_reviewed: null #"),
    "a system's data": lambda text, i: text.replace("    data: [", "    data: [financial, ", 1),
    "a flow's data": lambda text, i: _in_section(text, "flows", "    data: [", "    data: [product, "),
    "a flow's target": lambda text, i: _retarget(text, i),
}
"""One-line edits of each kind, each applied to the saved text of a file (then undone)."""


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    env = compiled_env()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def processes(root: Path) -> list[str]:
    check = [sys.executable, "-m", "stackmap", "check", "inv", "--fail-on", "never"]
    env_cache = root / "cache"
    os.environ["STACKMAP_CACHE_DIR"] = str(env_cache)
    files = sorted((root / "inv").glob("*.yaml"))
    rows: dict[str, list[tuple[float, float]]] = {}
    subprocess.run(check, cwd=root, stdout=subprocess.DEVNULL, check=False)  # fill the cache
    for run in range(RUNS):
        rows.setdefault("floor", []).append(timed([sys.executable, "-c", FLOOR, "inv"], root))
        rows.setdefault("text", []).append(timed([*check, "--no-cache"], root))
        rows.setdefault("json", []).append(timed([*check, "--no-cache", "--format", "json"], root))
        path = files[(run * 11) % len(files)]
        path.write_text(path.read_text(encoding="utf-8").replace("    name: ", f"    name: Run {run} ", 1),
                        encoding="utf-8")
        rows.setdefault("warm", []).append(timed(check, root))
    floor = statistics.median(t for t, _ in rows["floor"])
    cold = statistics.median(t for t, _ in rows["text"])
    out = ["| run | median | vs floor | vs cold check | peak memory |", "|---|---|---|---|---|"]
    labels = {"floor": "bare parse (floor)", "text": "`check --no-cache` (text)",
              "json": "`check --no-cache --format json`", "warm": "`check`, warm cache, one file changed"}
    for key, label in labels.items():
        median = statistics.median(t for t, _ in rows[key])
        peak = max(m for _, m in rows[key])
        out.append(f"| {label} | {median:.2f} s | {median / floor:.2f}× | {median / cold:.0%} | {peak:.0f} MB |")
    return out


def main() -> None:
    systems = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate(systems, root / "inv")
        print(f"### {systems:,} systems: whole processes ({RUNS} runs each)\n")
        print("\n".join(processes(root)) + "\n")
        print(f"### {systems:,} systems: the language server in process\n")
        print("\n".join(in_process(root)))


if __name__ == "__main__":
    main()
