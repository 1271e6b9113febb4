"""Benchmark rendering on generated inventories (``make bench-render``).

For each size (default 40, 100, 200, 300, 500 and 2,000 systems) and each layout (``dot`` with owner
clusters, flat ``dot``, ``sfdp``, ``neato``, the rolled-up view, and what ``--engine auto``
picks), it times the Python side (load, analyse, DOT text) and the Graphviz layout to SVG, and
reports what bears on legibility: the drawing's size in points and the font size of an 11 pt
label when the whole drawing is fitted to a 1920 × 1080 screen. A layout that takes longer than
the time limit (``BENCH_LIMIT`` seconds, default 120) is stopped and reported as such.

Usage: ``python bench/render_bench.py [SYSTEMS ...]``. Prints a Markdown table.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from stackmap.load.inventory import load_inventory  # noqa: E402
from stackmap.render import RenderOptions, render  # noqa: E402
from stackmap.render.legibility import PAGE_WIDTH, measure  # noqa: E402

LIMIT = float(os.environ.get("BENCH_LIMIT", "60"))
SCREEN = (1920, 1080)
LAYOUTS: dict[str, RenderOptions] = {
    "dot, owner clusters": RenderOptions(engine="dot"),
    "dot, flat": RenderOptions(engine="dot", group_by="none"),
    "sfdp": RenderOptions(engine="sfdp"),
    "neato": RenderOptions(engine="neato"),
    "auto": RenderOptions(engine="auto"),
}


def inventory(systems: int) -> Path:
    out = HERE / "out" / f"render-{systems}"
    if not (out / ".complete").exists():
        generate(systems, out, seed=1)
        (out / ".complete").write_text("")
    return out


def layout(dot_text: str, engine: str) -> tuple[float | None, bytes]:
    start = time.perf_counter()
    try:
        done = subprocess.run(["dot", f"-K{engine}", "-Tsvg"], input=dot_text.encode(), capture_output=True,
                              timeout=LIMIT, check=True)
    except subprocess.TimeoutExpired:
        return None, b""
    return time.perf_counter() - start, done.stdout


def legibility(svg: bytes) -> str:
    match = re.search(rb'<svg width="(\d+)pt" height="(\d+)pt"', svg)
    if not match:
        return "– | – | –"
    width, height = int(match.group(1)), int(match.group(2))
    scale = min(SCREEN[0] / width, SCREEN[1] / height, 1.0)
    page = measure(svg, PAGE_WIDTH)
    column = f"{page.min_text_px:.1f} px, {page.overlaps} overlaps{'' if page.ok() else ' ✗'}"
    return f"{width:,} × {height:,} | {11 * scale * 96 / 72:.1f} px | {column}"


def bench(systems: int) -> list[str]:
    path = inventory(systems)
    start = time.perf_counter()
    inv = load_inventory([path])
    loaded = time.perf_counter() - start
    rows = []
    for name, options in LAYOUTS.items():
        start = time.perf_counter()
        if options.engine == "auto":  # every attempt laid out and measured: the whole render, timed as one
            result = render(inv, "svg", options)
            python, seconds = time.perf_counter() - start, 0.0
            assert isinstance(result.data, str)
            svg = result.data.encode()
        else:
            result = render(inv, "dot", options)
            python = time.perf_counter() - start
            assert isinstance(result.data, str) and result.engine is not None
            seconds, svg = layout(result.data, result.engine)
        took = f"{seconds:.2f} s" if seconds is not None else f"> {LIMIT:.0f} s (stopped)"
        total = f"{loaded + python + seconds:.2f} s" if seconds is not None else "–"
        what = f"{name} → {result.engine}{', rolled up' if result.notes else ''}" if name == "auto" else name
        nodes = f"{result.nodes} groups" if result.notes else str(result.nodes)
        if options.engine == "auto":
            took = "(in the render)"
        rows.append(f"| {systems:,} | {what} | {nodes} | {loaded:.2f} s | {python:.2f} s | {took} | {total} | "
                    f"{len(svg) / 1e6:.1f} MB | {legibility(svg)} |")
        print(rows[-1], flush=True)
    rolled = render(inv, "mermaid", RenderOptions())
    text = rolled.data
    assert isinstance(text, str)
    print(f"| {systems:,} | mermaid | {'rolled up' if rolled.notes else 'full'} | {loaded:.2f} s | – | – | – | "
          f"{len(text) / 1e3:.1f} k chars | – | – | – |", flush=True)
    return rows


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [40, 100, 200, 300, 500, 2000]
    print(f"Layout time limit {LIMIT:.0f} s; legibility = drawing size (pt), an 11 pt label's size "
          f"when the drawing is fitted to a {SCREEN[0]} × {SCREEN[1]} screen, and at a {PAGE_WIDTH} px page "
          "(smallest text, overlapping text pairs; ✗ = a bound broken, see docs/rendering.md). For auto, "
          "'analyse + DOT' is the whole render to SVG, every attempt laid out and measured.\n")
    print("| systems | layout | nodes | load | analyse + DOT | Graphviz → SVG | total | SVG | drawing (pt) "
          "| 11 pt label at fit | at 1,000 px |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        bench(size)


if __name__ == "__main__":
    main()
