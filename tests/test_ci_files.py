"""The GitHub Action, the pre-commit hook and a walk of a repository root that holds them."""

import shutil
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
