"""Same inventory, files and entries in another order: byte-identical reports in every format."""

import contextlib
from pathlib import Path

from helpers import write

from stackmap.analysis.graph import Stack
from stackmap.load.inventory import load_inventory
from stackmap.portfolio import impact_format, rationalize_format, spend_format
from stackmap.portfolio.impact import impact
from stackmap.portfolio.rationalize import rationalize
from stackmap.portfolio.spend import spend

ONE = """
systems:
  - {id: zed, name: Zed, owner: b, capabilities: [cms], annual_cost: 3}
  - {id: crm, name: CRM, owner: a, capabilities: [crm], data: [contact], roles: [system-of-record]}
flows:
  - {from: zed, to: crm, data: [content]}
"""
TWO = """
systems:
  - {id: web, name: Web, owner: b, capabilities: [cms], annual_cost: 2}
  - {id: app, name: App, owner: a, capabilities: [cms], data: [contact], annual_cost: 1}
flows:
  - {from: app, to: crm, data: [contact]}
  - {from: web, to: zed, data: [content]}
"""


def _outputs(folder: Path) -> list[str]:
    with contextlib.chdir(folder):
        stack = Stack(load_inventory([Path(".")]))
    out = [fmt(spend(stack, by)) for by in ("owner", "capability", "vendor") for fmt in spend_format.FORMATS.values()]
    out += [fmt(impact(stack, "crm")) for fmt in impact_format.FORMATS.values()]
    out += [fmt(rationalize(stack)) for fmt in rationalize_format.FORMATS.values()]
    return out


def test_reports_do_not_depend_on_file_order(tmp_path):
    first = write(tmp_path / "first", {"a.yaml": ONE, "b.yaml": TWO})
    second = write(tmp_path / "second", {"b.yaml": ONE, "a.yaml": TWO})
    assert _outputs(first) == _outputs(second)
