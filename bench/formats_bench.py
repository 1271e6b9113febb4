"""Time the CI-facing steps on a generated inventory (``make bench``): the policy step, every
report format, and a diff with its Markdown comment. In-process, after one load and analysis."""

from __future__ import annotations

import datetime
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from check_bench import inventory  # noqa: E402

from stackmap.analysis.config import Config  # noqa: E402
from stackmap.diff.compare import compare  # noqa: E402
from stackmap.diff.formats import markdown  # noqa: E402
from stackmap.analysis.engine import Accepted, analyse, apply_policy, evaluate  # noqa: E402
from stackmap.analysis.graph import Stack  # noqa: E402
from stackmap.load.inventory import load_inventory  # noqa: E402
from stackmap.formats import REPORTERS, ReportContext  # noqa: E402


def timed(label: str, fn) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn()
    size = f"{len(out):,} chars" if isinstance(out, str) else ""
    print(f"| {label} | {time.perf_counter() - start:.3f} s | {size} |", flush=True)


def main() -> None:
    systems = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    inv = load_inventory([inventory(systems)])
    config = Config()
    findings = evaluate(Stack(inv), config)
    half = (Accepted(frozenset(f.fingerprint for f in findings[::2]), "half"),)
    result = analyse(inv, config)
    print(f"{systems:,} systems, {len(findings):,} findings\n")
    print("| step | time | output |\n|---|---|---|")
    timed("policy, half the findings baselined",
          lambda: apply_policy(findings, inv, config, half, datetime.date.today()))
    for name in REPORTERS:
        timed(f"format {name}", lambda name=name: REPORTERS[name].format_result(result, ReportContext()))
    timed("diff against itself + PR comment", lambda: markdown(compare(result, result, "a", "b")))


if __name__ == "__main__":
    main()
