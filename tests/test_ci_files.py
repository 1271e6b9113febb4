"""The GitHub Action, the pre-commit hook and a walk of a repository root that holds them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from ci_helpers import run
from helpers import write

ROOT = Path(__file__).parent.parent


def test_action_is_a_composite_action_with_the_documented_inputs():
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"paths", "fail-on", "baseline", "diff-base", "upload-sarif"}
    steps = action["runs"]["steps"]
    install = next(s for s in steps if s.get("name") == "Install stackmap")
    assert "version" not in action["inputs"] and "==" not in install["run"], \
        "stackmap is on no package index: the action installs its own checkout, the ref the workflow pins"
    assert '"$GITHUB_ACTION_PATH"' in install["run"]
    uses = [s.get("uses", "") for s in steps]
    assert "github/codeql-action/upload-sarif@v3" in uses
    check = next(s for s in steps if s.get("id") == "check")
    assert "--format github" in check["run"] and "GITHUB_STEP_SUMMARY" in check["run"]
    assert "${{" not in check["run"], "inputs reach scripts through env, never pasted into them"
    fetch = next(s for s in steps if s.get("name") == "Fetch history for the diff base")
    assert "--unshallow" in fetch["run"]
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"


def _information_uri_seen_by_stackmap(tmp_path: Path, env: dict[str, str]) -> str | None:
    """Run the action's check step as GitHub runs a bash step, with a stand-in ``stackmap`` that
    records ``STACKMAP_INFORMATION_URI``; ``env`` is the step's env as GitHub evaluated it."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    check = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
    assert check["env"]["ACTION_REPOSITORY"] == "${{ github.action_repository }}"
    assert check["env"]["SERVER_URL"] == "${{ github.server_url }}"
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    seen = tmp_path / "seen"
    (bin_ / "stackmap").write_text(
        f'#!/bin/sh\n[ -n "${{STACKMAP_INFORMATION_URI+x}}" ] && printf %s "$STACKMAP_INFORMATION_URI" > {seen}\n'
        "exit 0\n", encoding="utf-8")
    (bin_ / "stackmap").chmod(0o755)
    (tmp_path / "step.sh").write_text(check["run"], encoding="utf-8")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "STACKMAP_"))}
    step_env = {**base, "PATH": f"{bin_}{os.pathsep}{base['PATH']}", "RUNNER_TEMP": str(tmp_path),
                "GITHUB_OUTPUT": str(tmp_path / "output"), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
                **{k: "" for k in ("INPUT_PATHS", "INPUT_FAIL_ON", "INPUT_BASELINE", "INPUT_DIFF_BASE",
                                   "INPUT_CONFIG")},
                **env}
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(tmp_path / "step.sh")],
                          env=step_env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "exit-code=0" in (tmp_path / "output").read_text(encoding="utf-8")
    return seen.read_text(encoding="utf-8") if seen.exists() else None


def test_action_links_sarif_to_the_repository_it_was_used_from(tmp_path):
    env = {"ACTION_REPOSITORY": "acme/stackmap", "SERVER_URL": "https://ghe.example.com"}
    assert _information_uri_seen_by_stackmap(tmp_path, env) == "https://ghe.example.com/acme/stackmap"


def test_action_used_from_a_local_path_sets_no_link(tmp_path):
    """``uses: ./`` leaves github.action_repository empty: no ``https://github.com/`` link to nowhere."""
    env = {"ACTION_REPOSITORY": "", "SERVER_URL": "https://github.com"}
    assert _information_uri_seen_by_stackmap(tmp_path, env) is None


def test_action_keeps_the_link_the_workflow_sets(tmp_path):
    env = {"ACTION_REPOSITORY": "acme/stackmap", "SERVER_URL": "https://github.com",
           "STACKMAP_INFORMATION_URI": "https://tools.example.com/stackmap"}
    assert _information_uri_seen_by_stackmap(tmp_path, env) == "https://tools.example.com/stackmap"


def test_pre_commit_hook_checks_the_whole_inventory():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "stackmap-check"
    assert hook["entry"] == "stackmap check"
    assert hook["pass_filenames"] is False
    assert hook["language"] == "python"


def test_walking_a_repository_root_skips_ci_files(tmp_path):
    for name in ("action.yml", ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    write(tmp_path, {"inventories/stack.yaml": "systems:\n  - {id: crm, name: CRM}\n",
                     ".github/workflows/ci.yml": "on: push\njobs: {}\n"})
    done = run(["check", "."], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    note, summary = done.stdout.splitlines()[-2:]
    assert note == "note: skipped 1 YAML file that is not an inventory: action.yml"
    assert summary.startswith("1 system, 0 flows in 1 file: 0 errors, ")
