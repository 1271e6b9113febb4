"""The Cypher export executed on a real graph database, twice, and linted by Neo4j's own linter.

The database is FalkorDB's embedded build (``falkordblite`` from PyPI, in ``.venv-graphdb``, which
``make graphdb``/``make test`` creates with Python 3.12): each script is run statement by statement
(tests/consumers/run_cypher.py), then run again, and the graph must be the same after both runs
(idempotent) and hold exactly the inventory: every system with its attributes (hostile names byte
for byte), every flow, capability and data category. Neo4j's linter
(``@neo4j-cypher/language-support``, through tests/consumers/lint-cypher.mjs) must report nothing,
for the portable script and for the one with Neo4j 5's constraints. Without the database or Node.js
these tests skip, except with CI=true.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hostile import CONSUMERS, ROOT, require, stacks

from stackmap.interop import attributes
from stackmap.interop.exporters import cypher
from stackmap.load.inventory import Inventory, load_inventory

GRAPHDB_PYTHON = ROOT / ".venv-graphdb" / "bin" / "python"
RUN = CONSUMERS / "run_cypher.py"
LINT = CONSUMERS / "lint-cypher.mjs"


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Inventory, Path]]:
    tmp = tmp_path_factory.mktemp("cypher")
    out = {}
    for label, folder in stacks(tmp).items():
        with contextlib.chdir(folder.parent):
            inventory = load_inventory([Path(folder.name)])
        path = tmp / f"{label}.cypher"
        path.write_text(cypher.export(inventory), encoding="utf-8")
        out[label] = (inventory, path)
    return out


def execute(tmp: Path, *files: Path) -> list[dict]:
    """The graph after each file, run in order into one fresh database."""
    require("the embedded graph database", GRAPHDB_PYTHON.is_file(), "make graphdb (needs Python 3.12)")
    done = subprocess.run([str(GRAPHDB_PYTHON), str(RUN), str(tmp / "db"), *map(str, files)],
                          capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return json.loads(done.stdout)


def lint(*files: Path) -> list[dict]:
    require("Neo4j's Cypher linter", shutil.which("node") is not None and
            (CONSUMERS / "node_modules" / "@neo4j-cypher" / "language-support").is_dir(), "make node-tools")
    done = subprocess.run(["node", str(LINT), *map(str, files)], cwd=CONSUMERS, capture_output=True, text=True,
                          check=False, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    return [d for f in json.loads(done.stdout) for d in f["diagnostics"]]


def _expected(inventory: Inventory) -> tuple[dict[str, dict], list[list]]:
    systems = {sid: cypher._props({"id": sid, **attributes.system(inventory, s)})
               for sid, s in inventory.systems.items()}
    flows = sorted([f.from_, f.to, cypher._props(attributes.flow(inventory, f))] for f in inventory.flows)
    return systems, flows


@pytest.mark.parametrize("stack", ["sample", "generated", "hostile"])
def test_runs_on_a_graph_database_twice_with_the_same_graph(scripts, stack, tmp_path):
    inventory, path = scripts[stack]
    first, second = execute(tmp_path, path, path)
    assert first == second
    systems, flows = _expected(inventory)
    got_systems = {props["id"]: props for labels, props in first["nodes"] if labels == ["System"]}
    assert got_systems == systems
    got_flows = sorted([a, b, props] for t, a, b, props in first["relationships"] if t == "FLOWS_TO")
    assert got_flows == flows
    kinds = sorted({labels[0] for labels, _props in first["nodes"]})
    assert kinds == sorted({"System", "DataCategory"} | ({"Capability"} if any(
        inventory.capabilities_of(s) for s in inventory.systems.values()) else set()))
    provides = sum(len(inventory.capabilities_of(s)) for s in inventory.systems.values())
    assert sum(1 for t, *_rest in first["relationships"] if t == "PROVIDES") == provides


def test_a_changed_inventory_updates_in_place(scripts, tmp_path):
    inventory, path = scripts["hostile"]
    edited = tmp_path / "edited.cypher"
    edited.write_text(path.read_text(encoding="utf-8").replace("{vendor: ", "{vendor_was: ").replace(", vendor: ", ", vendor_was: "), encoding="utf-8")
    before, after = execute(tmp_path, path, edited)
    assert len(before["nodes"]) == len(after["nodes"]) and len(before["relationships"]) == len(after["relationships"])
    assert all("vendor" not in props for labels, props in after["nodes"] if labels == ["System"])


def test_neo4js_linter_reports_nothing(scripts, tmp_path):
    """The sample's script, and the hostile stack's with the constraints (the linter takes about a
    second per kilobyte of literal rows, so the 300-system script is left to the database test)."""
    strict = tmp_path / "constraints.cypher"
    inventory, _path = scripts["hostile"]
    strict.write_text(cypher.export(inventory, constraints=True), encoding="utf-8")
    assert lint(scripts["sample"][1], strict) == []


def test_the_checks_can_fail(tmp_path):
    """What the export used to write: Neo4j-5-only constraints, which FalkorDB rejects, and
    comma-joined MATCH patterns, a cartesian product Neo4j's linter warns about."""
    old = tmp_path / "old.cypher"
    old.write_text("CREATE CONSTRAINT stackmap_system_id IF NOT EXISTS FOR (n:System) REQUIRE n.id IS UNIQUE;\n",
                   encoding="utf-8")
    require("the embedded graph database", GRAPHDB_PYTHON.is_file(), "make graphdb (needs Python 3.12)")
    done = subprocess.run([str(GRAPHDB_PYTHON), str(RUN), str(tmp_path / "db"), str(old)],
                          capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 1 and "CREATE CONSTRAINT" in done.stdout
    product = tmp_path / "product.cypher"
    product.write_text("MATCH (a:System {id: 'x'}), (b:System {id: 'y'})\nMERGE (a)-[:FLOWS_TO]->(b);\n",
                       encoding="utf-8")
    assert [d["severity"] for d in lint(product)] == ["warning"]
