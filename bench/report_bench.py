"""Benchmark ``stackmap report`` on generated inventories (``make bench``).

For each size (default 100, 1,000 and 10,000 systems) it times a whole ``stackmap report`` process
(both formats: analysis, spend, two views as Mermaid and Graphviz SVG, report.md and index.html) and
reports the size of each file written. Graphviz must be installed. With Playwright and Chromium (the
browser tests' set-up) it also times opening ``index.html`` until its script has run.

Usage: ``python bench/report_bench.py [SYSTEMS ...]``. Prints a Markdown table.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

SIZES = (100, 1_000, 10_000)


def run(systems: int, work: Path) -> list[str]:
    inventory = work / f"inv-{systems}"
    generate(systems, inventory)
    out = work / f"out-{systems}"
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "stackmap", "report", str(inventory), "-o", str(out)],
                          capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"stackmap report failed at {systems} systems: {done.stderr}")
    size = {p.name: p.stat().st_size for p in out.iterdir()}
    kib = [f"{size.get(name, 0) / 1024:,.0f}" for name in ("index.html", "report.md", "overview.svg",
                                                           "customer-data.svg")]
    return [f"{systems:,}", f"{took:.2f}", *kib, page_load(out / "index.html", work)]


def page_load(page_file: Path, work: Path) -> str:
    """Seconds from navigation to the page's script having run, in headless Chromium; "–" without it."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    try:
        from browser import CHROMIUM, launch, playwright
    except ImportError:
        return "–"
    if not Path(CHROMIUM).is_file():
        return "–"
    with playwright() as p:
        context = launch(p, work / f"profile-{page_file.parent.name}")
        context.set_default_timeout(600_000)
        page = context.new_page()
        start = time.perf_counter()
        page.goto(page_file.as_uri())
        page.wait_for_function("document.documentElement.className === 'js'")
        took = time.perf_counter() - start
        context.close()
    return f"{took:.2f}"


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or list(SIZES)
    print("| systems | stackmap report (s) | index.html (KiB) | report.md (KiB) | overview.svg (KiB) "
          "| customer-data.svg (KiB) | page load in Chromium (s) |")
    print("|--:|--:|--:|--:|--:|--:|--:|")
    with tempfile.TemporaryDirectory(prefix="stackmap-report-bench-") as tmp:
        for systems in sizes:
            print("| " + " | ".join(run(systems, Path(tmp))) + " |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
