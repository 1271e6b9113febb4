"""Helpers for the import/export tests: run an importer into a folder and load what it wrote."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

from stackmap.interop.draft import ImportOptions
from stackmap.interop.importing import Imported, run
from stackmap.load.inventory import Inventory, load_inventory

FIXTURES = Path(__file__).parent / "fixtures" / "interop"


def imported(fmt: str, paths: list[Path], tmp: Path, options: ImportOptions | None = None) -> tuple[Imported, Inventory]:
    """Import ``paths``, write the text to ``tmp/FORMAT.yaml`` and load it with the inventory loader."""
    result = run(fmt, paths, options)
    tmp.mkdir(parents=True, exist_ok=True)
    target = tmp / f"{fmt}.yaml"
    target.write_text(result.text, encoding="utf-8")
    with contextlib.chdir(tmp):
        return result, load_inventory([Path(target.name)])


def stackmap(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stackmap", *args], cwd=cwd, capture_output=True, text=True)
