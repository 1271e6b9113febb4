"""The shipped sample exhibits every rule, and gives exactly the findings the README shows."""

import os
import subprocess
import sys
from pathlib import Path

from stackmap.analysis.engine import analyse
from stackmap.load.inventory import load_inventory
from stackmap.analysis.rules import RULES

ROOT = Path(__file__).parent.parent


def _check(*paths: str) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "stackmap", "check", *paths, "--fail-on", "never"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_readme_shows_the_real_output():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- sample-check:start -->")[1].split("<!-- sample-check:end -->")[0]
    shown = block.split("$ stackmap check inventories/ --fail-on never\n", 1)[1].rsplit("```", 1)[0]
    assert shown == _check("inventories/"), "README sample output is stale: run `make docs`"


def test_sample_exhibits_every_rule_but_no_system_of_record():
    result = analyse(load_inventory([ROOT / "inventories"]))
    fired = {f.rule for f in result.findings}
    assert fired == set(RULES) - {"no-system-of-record", "point-to-point-sprawl", "integration-hotspot"}
    assert 30 <= len(result.inventory.systems) <= 40


def test_example_without_record_exhibits_no_system_of_record():
    result = analyse(load_inventory([ROOT / "examples" / "no-system-of-record"]))
    assert [f.rule for f in result.findings if f.rule == "no-system-of-record"] == ["no-system-of-record"]


def test_example_of_sprawl_exhibits_point_to_point_sprawl():
    result = analyse(load_inventory([ROOT / "examples" / "point-to-point-sprawl"]))
    assert [f.rule for f in result.findings] == ["integration-hotspot", "point-to-point-sprawl"]
