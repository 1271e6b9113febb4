"""Regenerate the generated parts of the docs: docs/rules.md and the sample output in README.md.

Run with `make docs`. Tests fail when either is stale.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stackmap.analysis.docgen import rules_markdown  # noqa: E402

START, END = "<!-- sample-check:start -->", "<!-- sample-check:end -->"


def sample_output() -> str:
    run = subprocess.run(
        [sys.executable, "-m", "stackmap", "check", "inventories/", "--fail-on", "never"],
        cwd=ROOT, capture_output=True, text=True, env={"NO_COLOR": "1", "PATH": ""}, check=True,
    )
    return run.stdout


def main() -> None:
    (ROOT / "docs" / "rules.md").write_text(rules_markdown(), encoding="utf-8")
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    block = f"{START}\n```text\n$ stackmap check inventories/ --fail-on never\n{sample_output()}```\n{END}"
    readme.write_text(head + block + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
