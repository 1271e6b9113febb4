"""The benchmark suite (``make bench``): prints Markdown tables for docs/performance.md.

1. Floor vs whole check. The floor is a bare Python process that parses the same files with PyYAML's
   ``CSafeLoader`` (default GC, no cache); the check is ``stackmap check --no-cache`` in text and in
   JSON (parsing on two cores when it has enough to parse), and in text with ``STACKMAP_WORKERS=1``
   (one core). All run as fresh processes, alternately, ``BENCH_RUNS`` times (default 3), stackmap
   compiled to bytecode first (``bench/userenv.py``); medians of wall and CPU time (the CPU time of
   a check includes its helper process) are reported with the ratios and each one's peak resident
   memory.
2. Stages of one check (bench/stages.py, in a fresh process): parse with marks, validate, join,
   graph facts, each rule.
3. Re-check with the cache after editing one file (a new edit each run, so that file really is
   parsed again), against a cold check.
4. Cold start of ``stackmap --version``, ``--help`` and ``check`` on the sample, and the import time
   of each heavy dependency (``python -X importtime``).

Usage: ``python bench/check_bench.py [SYSTEMS ...]`` (default 1000 10000 50000); set
``BENCH_SECTIONS`` to a subset of ``floor,stages,cache,start`` to run fewer sections.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from userenv import compiled_env  # noqa: E402

ENV = compiled_env()
FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SECTIONS = set(os.environ.get("BENCH_SECTIONS", "floor,stages,cache,start").split(","))
HEAVY = ("typer", "click", "pydantic", "pydantic_core", "yaml", "networkx", "graphviz", "stackmap")


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds with the processes it waited for, peak RSS in MB) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or ENV, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {code}: {proc.stderr.read().decode() if proc.stderr else ''}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def inventory(systems: int) -> Path:
    out = HERE / "out" / f"inv-{systems}"
    if not (out / ".complete").exists():
        # In a child process: this one must stay small, since a child it starts counts the parent's
        # memory in its peak until it execs.
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(systems), str(out)], check=True)
        (out / ".complete").write_text("")
    return out


def check_cmd(path: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "stackmap", "check", str(path), "--fail-on", "never", *extra]


def floor_row(systems: int) -> str:
    path = inventory(systems)
    floor_cmd = [sys.executable, "-c", FLOOR, str(path)]
    one_core = {**ENV, "STACKMAP_WORKERS": "1"}
    runs: dict[str, list[tuple[float, float, int]]] = {"floor": [], "text": [], "json": [], "one": []}
    for _ in range(RUNS):
        runs["floor"].append(timed(floor_cmd))
        runs["text"].append(timed(check_cmd(path, "--no-cache")))
        runs["json"].append(timed(check_cmd(path, "--no-cache", "--format", "json")))
        runs["one"].append(timed(check_cmd(path, "--no-cache"), one_core))
    wall = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
    cpu = {k: statistics.median(r[1] for r in v) for k, v in runs.items()}
    peak = {k: max(r[2] for r in v) for k, v in runs.items()}
    files = len(list(path.glob("*.yaml")))

    def cell(key: str) -> str:
        return (f"{wall[key]:.2f} s ({cpu[key]:.2f} s CPU), **{wall[key] / wall['floor']:.2f}×** "
                f"({cpu[key] / cpu['floor']:.2f}× CPU)")

    return (f"| {systems:,} | {files} | {wall['floor']:.2f} s ({cpu['floor']:.2f} s CPU) | {cell('text')} | "
            f"{cell('json')} | {cell('one')} | {peak['floor']} MB | {peak['text']} MB |")


def stages(sizes: list[int]) -> list[str]:
    runs = {n: json.loads(subprocess.run([sys.executable, str(HERE / "stages.py"), str(inventory(n))],
                                         capture_output=True, text=True, check=True, cwd=ROOT, env=ENV).stdout)
            for n in sizes}
    names = list(next(iter(runs.values()))["stages"])
    lines = ["| stage | " + " | ".join(f"{n:,} systems" for n in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(f"{runs[n]['stages'][name]:.3f} s" for n in sizes) + " |")
    lines.append("| **total** | " + " | ".join(f"**{runs[n]['total']:.2f} s**" for n in sizes) + " |")
    lines.append("| peak memory | " + " | ".join(f"{runs[n]['peak_mb']} MB" for n in sizes) + " |")
    lines.append("| (networkx graph, not built by `check`) | "
                 + " | ".join(f"{runs[n]['networkx_graph']:.2f} s" for n in sizes) + " |")
    return lines


def recheck(systems: int) -> list[str]:
    """A cold check, then checks after editing one file: in a new process each time (the cache
    warm), and answered by the daemon (``stackmap daemon``). Edits alternate between a comment
    appended to the file and a system's owner changed (a finding's text changes)."""
    src = inventory(systems)
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory(prefix="smb-") as runtime:
        path = Path(tmp) / "inv"
        shutil.copytree(src, path)
        env = {**ENV, "STACKMAP_CACHE_DIR": str(Path(tmp) / "cache")}
        daemon = {**env, "STACKMAP_DAEMON": "", "STACKMAP_RUNTIME_DIR": runtime}
        files = sorted(path.glob("*.yaml"))
        edited = files[len(files) // 2]
        original = edited.read_text(encoding="utf-8")

        def edit(i: int) -> None:
            text = original + f"# edit {i} {time.time()}\n" if i % 2 else \
                original.replace("owner: ", f"owner: edit-{i}-", 1)
            edited.write_text(text, encoding="utf-8")

        timed(check_cmd(path), env)  # fills the cache
        subprocess.run([sys.executable, "-m", "stackmap", "daemon", "start", "--idle", "30"], env=daemon,
                       check=True, stdout=subprocess.DEVNULL)
        try:
            timed(check_cmd(path), daemon)  # the daemon's first, cold load
            cold, warm, unchanged, answered, answered_same = [], [], [], [], []
            for i in range(RUNS):
                cold.append(timed(check_cmd(path, "--no-cache"), env))
                edit(2 * i)
                warm.append(timed(check_cmd(path), env))
                unchanged.append(timed(check_cmd(path), env))
                edit(2 * i + 1)
                answered.append(timed(check_cmd(path), daemon))
                answered_same.append(timed(check_cmd(path), daemon))
                edit(2 * i + 2)
                answered.append(timed(check_cmd(path), daemon))
            status = subprocess.run([sys.executable, "-m", "stackmap", "daemon", "status"], env=daemon,
                                    check=True, capture_output=True, text=True).stdout
        finally:
            subprocess.run([sys.executable, "-m", "stackmap", "daemon", "stop"], env=daemon,
                           stdout=subprocess.DEVNULL)
            edited.write_text(original, encoding="utf-8")
        peak = re.search(r"peak memory: (\d+) MB", status)
        c = statistics.median(r[0] for r in cold)
        w = statistics.median(r[0] for r in warm)
        u = statistics.median(r[0] for r in unchanged)
        d = statistics.median(r[0] for r in answered)
        ds = statistics.median(r[0] for r in answered_same)
        return [
            "| systems | cold check (`--no-cache`) | re-check, 1 of "
            f"{len(files)} files edited | re-check, nothing edited | edited / cold |",
            "|---|---|---|---|---|",
            f"| {systems:,} | {c:.2f} s | {w:.2f} s | {u:.2f} s | **{w / c:.0%}** |",
            f"| {systems:,}, answered by the daemon | {c:.2f} s | {d:.2f} s | {ds:.2f} s | **{d / c:.0%}** |",
            "",
            f"The daemon's peak memory: {peak.group(1) if peak else '?'} MB "
            f"({2 * RUNS} edited re-checks, medians; the client process: {max(r[2] for r in answered)} MB).",
        ]


def cold_start() -> list[str]:
    sample = ROOT / "inventories"
    cmds = {
        "`stackmap --version`": [sys.executable, "-m", "stackmap", "--version"],
        "`stackmap --help`": [sys.executable, "-m", "stackmap", "--help"],
        "`stackmap check inventories/ --no-cache`": check_cmd(sample, "--no-cache"),
        "`python -c pass` (the interpreter alone)": [sys.executable, "-c", "pass"],
    }
    lines = ["| command | median wall | peak memory |", "|---|---|---|"]
    for label, cmd in cmds.items():
        runs = [timed(cmd) for _ in range(max(RUNS, 7))]
        lines.append(f"| {label} | {statistics.median(r[0] for r in runs) * 1000:.0f} ms | "
                     f"{max(r[2] for r in runs)} MB |")
    lines += ["", "Import time of each heavy dependency (`python -X importtime`, cumulative, "
                  "median of 5 runs; a dash: not imported):", "",
              "| dependency | `--help` | `check inventories/` |", "|---|---|---|"]
    per_cmd = [_importtimes(cmds["`stackmap --help`"]), _importtimes(cmds["`stackmap check inventories/ --no-cache`"])]
    for dep in HEAVY:
        cells = [f"{t[dep] * 1000:.0f} ms" if dep in t else "–" for t in per_cmd]
        lines.append(f"| `{dep}` | {cells[0]} | {cells[1]} |")
    return lines


def _importtimes(cmd: list[str]) -> dict[str, float]:
    samples: dict[str, list[float]] = {}
    for _ in range(5):
        proc = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], capture_output=True, text=True,
                              cwd=ROOT, env=ENV)
        found: dict[str, float] = {}
        for line in proc.stderr.splitlines():
            m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
            if m and m.group(3) in HEAVY:
                found[m.group(3)] = max(found.get(m.group(3), 0.0), int(m.group(1)) / 1e6)
        for dep, t in found.items():
            samples.setdefault(dep, []).append(t)
    return {dep: statistics.median(ts) for dep, ts in samples.items()}


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 50_000]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} at the start; medians of {RUNS} alternating runs, each a fresh "
          "process.\n")
    if "floor" in SECTIONS:
        print("### Floor and whole check\n")
        print("| systems | files | parse floor | `check --no-cache` (text) | `check --no-cache --format json` | "
              "text, one core (`STACKMAP_WORKERS=1`) | floor peak | check peak |")
        print("|---|---|---|---|---|---|---|---|")
        for size in sizes:
            print(floor_row(size), flush=True)
        print()
    if "stages" in SECTIONS:
        print("### Stages of one check\n")
        print("\n".join(stages(sizes)) + "\n", flush=True)
    if "cache" in SECTIONS:
        print("### Re-check with the cache\n")
        print("\n".join(recheck(10_000 if 10_000 in sizes else sizes[0])) + "\n", flush=True)
    if "start" in SECTIONS:
        print("### Cold start\n")
        print("\n".join(cold_start()) + "\n", flush=True)


if __name__ == "__main__":
    main()
