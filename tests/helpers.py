"""Shared test helpers: write inline YAML inventories and run the engine on them."""

from __future__ import annotations

import contextlib
import textwrap
from pathlib import Path

from stackmap.analysis.config import Config
from stackmap.analysis.engine import analyse
from stackmap.analysis.findings import Finding
from stackmap.analysis.options import Options
from stackmap.load.inventory import Inventory, load_inventory


def write(tmp: Path, files: dict[str, str]) -> Path:
    """Write ``{relative name: yaml}`` under ``tmp``; return ``tmp``."""
    for name, text in files.items():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp


def inventory(tmp: Path, text: str) -> Inventory:
    write(tmp, {"stack.yaml": text})
    with contextlib.chdir(tmp):
        return load_inventory([Path("stack.yaml")])


def findings(tmp: Path, text: str, rule: str | None = None, options: Options | None = None) -> list[Finding]:
    """Findings for one inline inventory, optionally only those of ``rule``."""
    result = analyse(inventory(tmp, text), Config(options=options or Options()))
    return [f for f in result.findings if rule is None or f.rule == rule]


def summary(found: list[Finding]) -> list[tuple[str, tuple[str, ...]]]:
    """(rule, systems) pairs: a compact, exact picture of a list of findings."""
    return [(f.rule, f.systems) for f in found]
