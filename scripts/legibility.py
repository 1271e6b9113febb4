"""How Graphviz SVGs read on a wiki page: text size, overlapping text, aspect ratio.

    python scripts/legibility.py FILE.svg... [--width PX]   # measure files; exit 1 if one breaks a bound
    python scripts/legibility.py --suite [--width PX]       # render and measure the standard stacks

Each text element is read with Graphviz's transforms applied; its size on a page ``--width`` px
wide (default 1,000; a drawing narrower than that is shown at its own size) must be at least 8 px,
no two texts may overlap, and the drawing's sides must be within 2.5:1. ``--suite`` renders the
sample's overview and customer-data views, generated stacks of 10, 40, 100, 300 and 2,000 systems
and a 200-system stack without flows (``bench/generate.py``), and prints the table that
``docs/rendering.md`` shows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from stackmap.render.legibility import MAX_ASPECT, MIN_TEXT_PX, PAGE_WIDTH, Legibility, measure  # noqa: E402

SUITE: tuple[tuple[str, int | None, float, str], ...] = (
    ("sample, overview", None, 0.0, "overview"),
    ("sample, customer-data", None, 0.0, "customer-data"),
    ("generated, 10 systems", 10, 4.5, "overview"),
    ("generated, 40 systems", 40, 4.5, "overview"),
    ("generated, 100 systems", 100, 4.5, "overview"),
    ("generated, 300 systems", 300, 4.5, "overview"),
    ("generated, 2,000 systems", 2000, 4.5, "overview"),
    ("generated, 200 systems, no flows", 200, 0.0, "overview"),
)
"""(name, systems to generate or ``None`` for the sample inventory, flows per system, view)."""


def row(name: str, found: Legibility) -> str:
    verdict = "ok" if found.ok() else "; ".join(found.problems())
    return (f"| {name} | {found.width_pt:,.0f} × {found.height_pt:,.0f} pt | {found.min_text_px:.1f} px | "
            f"{found.overlaps} | {found.aspect:.2f}:1 | {verdict} |")


HEADER = ("| stack | drawing | smallest text | overlapping text pairs | aspect | bounds |\n"
          "|---|---|---|---|---|---|")


def suite(width: int) -> int:
    from generate import generate

    from stackmap.load.inventory import load_inventory
    from stackmap.render import RenderOptions, render

    print(f"At {width} px (bounds: text >= {MIN_TEXT_PX:g} px, no overlaps, aspect <= {MAX_ASPECT:g}:1)\n")
    print(HEADER.replace("| bounds |", "| drawn as | time | bounds |").replace("|---|---|", "|---|---|---|---|", 1))
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, systems, flows, view in SUITE:
            if systems is None:
                paths = [ROOT / "inventories"]
            else:
                folder = Path(tmp) / f"{systems}-{flows}"
                generate(systems, folder, flows_per_system=flows)
                paths = [folder]
            start = time.perf_counter()
            result = render(load_inventory(paths), "svg", RenderOptions(view=view, width=width))
            elapsed = time.perf_counter() - start
            found = measure(result.data, width)
            drawn = f"summary, {result.nodes} groups" if result.detail_views else f"{result.nodes} systems"
            cells = row(name, found).split(" | ")
            cells.insert(5, f"{drawn} ({result.engine}) | {elapsed:.2f} s")
            print(" | ".join(cells))
            failed += not found.ok()
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="SVG files written by Graphviz")
    parser.add_argument("--width", type=int, default=PAGE_WIDTH, help="page width in CSS px (default 1000)")
    parser.add_argument("--suite", action="store_true", help="render and measure the standard stacks")
    args = parser.parse_args(argv)
    if args.suite:
        return suite(args.width)
    if not args.files:
        parser.error("name SVG files or give --suite")
    print(HEADER)
    failed = 0
    for path in args.files:
        found = measure(path.read_bytes(), args.width)
        print(row(str(path), found))
        for a, b in found.examples:
            print(f"|  | overlap: {a!r} / {b!r} | | | | |")
        failed += not found.ok()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
