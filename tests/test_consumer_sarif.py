"""SARIF as Microsoft's SARIF multitool validates it: the SARIF 2.1.0 schema it ships and its rules for
SARIF producers and for GitHub Advanced Security ingestion (``--rule-kind "Sarif;Ghas"``), with no error
and no warning, on the sample, the generated and the hostile stacks, an invalid inventory and a run
with suppressed findings. Each run has ``STACKMAP_INFORMATION_URI`` set, as the GitHub Action sets it,
so ``informationUri`` is there.

The multitool (``@microsoft/sarif-multitool`` from npm, a self-contained .NET build for Linux) is
installed by ``make node-tools``; without it these tests skip, except with CI=true.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import CONSUMERS, ROOT, require, stacks

from stackmap.formats.home_page import ENV

HOME = "https://github.com/acme/stackmap"
MULTITOOL = CONSUMERS / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"


def multitool_findings(path: Path, tmp: Path) -> list[str]:
    """The multitool's errors and warnings about the SARIF file at ``path``, as ``RULE: message``."""
    require("Microsoft's SARIF multitool", os.access(MULTITOOL, os.X_OK), "make node-tools")
    out = tmp / "validation.sarif"
    env = {**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1", "DOTNET_CLI_TELEMETRY_OPTOUT": "1"}
    done = subprocess.run([str(MULTITOOL), "validate", str(path), "--output", str(out), "--rule-kind", "Sarif;Ghas",
                           "--level", "Error;Warning"],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert out.is_file(), done.stdout + done.stderr
    log = json.loads(out.read_text(encoding="utf-8-sig"))
    notifications = [n["message"]["text"] for run in log["runs"] for inv in run.get("invocations", [])
                     for n in inv.get("toolExecutionNotifications", []) if n.get("level") == "error"]
    assert notifications == []
    return [f"{r['ruleId']}: {r['message'].get('text') or r['message'].get('arguments')}"
            for run in log["runs"] for r in run.get("results", [])]


def sarif(args: list[str], tmp: Path, name: str) -> Path:
    path = tmp / f"{name}.sarif"
    done = subprocess.run([sys.executable, "-m", "stackmap", "check", *args, "--format", "sarif", "--fail-on",
                           "never"], cwd=ROOT, capture_output=True, text=True, check=False,
                          env={**os.environ, ENV: HOME})
    assert done.returncode in (0, 1), done.stderr
    assert json.loads(done.stdout)["runs"][0]["tool"]["driver"]["informationUri"] == HOME
    path.write_text(done.stdout, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("sarif")
    folders = stacks(tmp)
    bad = tmp / "bad"
    bad.mkdir()
    (bad / "stack.yaml").write_text("systems:\n  - id: CRM\n    name: [x]\n    tags: [no]\n", encoding="utf-8")
    out = {label: sarif([str(folder)], tmp, label) for label, folder in folders.items()}
    out["invalid"] = sarif([str(bad)], tmp, "invalid")
    out["suppressed"] = sarif([str(folders["sample"]), "--show-suppressed"], tmp, "suppressed")
    return out


@pytest.mark.parametrize("log", ["sample", "generated", "hostile", "invalid", "suppressed"])
def test_multitool_finds_no_error_or_warning(logs, log, tmp_path):
    found = multitool_findings(logs[log], tmp_path)
    assert found == []


def test_multitool_catches_what_was_missing(logs, tmp_path):
    """The check can fail: without informationUri and with a result lacking its location, it warns."""
    doc = json.loads(logs["sample"].read_text(encoding="utf-8"))
    doc["runs"][0]["tool"]["driver"].pop("informationUri", None)
    del doc["runs"][0]["results"][0]["locations"]
    broken = tmp_path / "broken.sarif"
    broken.write_text(json.dumps(doc), encoding="utf-8")
    rules = {f.split(":")[0] for f in multitool_findings(broken, tmp_path)}
    assert "SARIF2005" in rules and len(rules) >= 2


def test_results_carry_what_github_uses(logs):
    doc = json.loads(logs["hostile"].read_text(encoding="utf-8"))
    results = doc["runs"][0]["results"]
    assert results
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert len(set(hashes)) == len(hashes)
    for r in results:
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["endLine"] == region["startLine"] and region["endColumn"] == region["startColumn"] + 1
        assert r["partialFingerprints"]["primaryLocationLineHash"] == r["partialFingerprints"]["stackmapFingerprint/v1"] + ":1"
