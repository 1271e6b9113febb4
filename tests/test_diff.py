"""`stackmap diff` and `check --diff-base` on real git repositories made in tmp_path."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ci_helpers import commit_all, git, init_repo, run
from helpers import write

from stackmap.diff.compare import compare
from stackmap.diff.formats import COMMENT_LIMIT, MARKER, markdown, mermaid_label
from stackmap.analysis.engine import analyse
from stackmap.load.inventory import load_inventory

BASE = """
    systems:
      - {owner: team, it_reviewed: true, id: crm, name: CRM, roles: [system-of-record], data: [contact]}
      - {it_reviewed: true, id: mail, name: Mail, data: [contact], owner: marketing}
      - {it_reviewed: true, id: old, name: Old Tool, data: [contact]}
    flows:
      - {from: mail, to: crm, data: [contact]}
      - {from: old, to: crm, data: [contact]}
"""
HEAD = """
    systems:
      - {owner: team, it_reviewed: true, id: crm, name: CRM, roles: [system-of-record], data: [contact]}
      - {it_reviewed: true, id: mail, name: Mail, data: [contact, consent], owner: it}
      - {owner: team, it_reviewed: true, id: forms, name: "Forms | <img src=x>", data: [lead]}
      - {owner: team, it_reviewed: true, id: quiz, name: Quiz, data: [lead]}
    flows:
      - {from: mail, to: crm, data: [contact, consent]}
"""


def _repo(tmp_path):
    repo = init_repo(tmp_path / "repo")
    write(repo, {"inv/stack.yaml": BASE, "inv/.hidden.yaml": "systems: [{owner: team, it_reviewed: true, id: h, name: H}]\n",
                 "action.yml": "name: x\nruns: {using: composite, steps: []}\n"})
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, {"inv/stack.yaml": HEAD})
    commit_all(repo, "change")
    return repo


def test_diff_against_a_ref_reads_git_without_checkout(tmp_path):
    repo = _repo(tmp_path)
    done = run(["diff", "--base", "main", "inv"], repo)
    assert done.returncode == 0, done.stderr
    sha = git(repo, "rev-parse", "main").strip()[:12]
    assert done.stdout.splitlines() == [
        f"main ({sha}) → working tree: 2 systems added · 1 system removed · 1 system changed · "
        "1 flow removed · 1 flow changed · 2 new silos · 2 new isolated systems · 1 finding resolved",
        "  + system forms (Forms | <img src=x>) (inv/stack.yaml:5:5)",
        "  + system quiz (Quiz) (inv/stack.yaml:6:5)",
        "  - system old (Old Tool) (inv/stack.yaml:5:5)",
        "  ~ system mail (Mail): owner, data (inv/stack.yaml:4:5)",
        "  - flow old → crm (contact) (inv/stack.yaml:8:5)",
        "  ~ flow mail → crm (consent, contact): data (inv/stack.yaml:8:5)",
        "new findings (4):",
        "  inv/stack.yaml:5:5: error: Forms | <img src=x> (forms) stores customer data (lead) with no "
        "customer-data flow path to a system of record (crm) [customer-data-silo]",
        "  inv/stack.yaml:6:5: error: Quiz (quiz) stores customer data (lead) with no customer-data flow path "
        "to a system of record (crm) [customer-data-silo]",
        "  inv/stack.yaml:5:5: warning: Forms | <img src=x> (forms) has no flow to or from any other system "
        "[isolated-system]",
        "  inv/stack.yaml:6:5: warning: Quiz (quiz) has no flow to or from any other system [isolated-system]",
        "resolved findings (1):",
        "  inv/stack.yaml:5:5: warning: Old Tool (old) has no owner; set `owner` to the team that answers for "
        "it [unowned-system]",
    ]
    assert git(repo, "status", "--porcelain") == ""


def test_uncommitted_work_tree_changes_are_compared_too(tmp_path):
    repo = _repo(tmp_path)
    write(repo, {"inv/stack.yaml": BASE})
    done = run(["diff", "--base", "main", "inv"], repo)
    assert done.stdout.splitlines()[0].endswith("→ working tree: no changes to systems or flows")


def test_markdown_comment(tmp_path):
    repo = _repo(tmp_path)
    out = run(["diff", "--base", "main", "inv", "-f", "markdown"], repo).stdout
    lines = out.splitlines()
    assert lines[0] == MARKER
    assert lines[1] == ("### stackmap: 2 systems added · 1 system removed · 1 system changed · 1 flow removed · "
                        "1 flow changed · 2 new silos · 2 new isolated systems · 1 finding resolved")
    assert "| + | system | `forms` Forms \\| &lt;img src=x&gt; | added | `inv/stack.yaml:5` |" in lines
    assert "| − | system | `old` Old Tool | removed | `inv/stack.yaml:5` |" in lines
    assert "| ~ | system | `mail` Mail | changed: owner, data | `inv/stack.yaml:4` |" in lines
    assert "<img" not in out
    diagram = out[out.index("```mermaid"):out.index("```\n", out.index("```mermaid") + 3)]
    assert diagram.splitlines()[1:7] == [
        "flowchart LR",
        '  s0["CRM"]',
        '  s1["+ Forms #124; #60;img src=x#62;"]:::added',
        '  s2["~ Mail"]:::changed',
        '  s3["− Old Tool"]:::removed',
        '  s4["+ Quiz"]:::added',
    ]
    assert '  s2 -->|"~ consent, contact"| s0' in diagram
    assert '  s3 -.->|"− contact"| s0' in diagram
    assert "#### New findings (4)" in out
    assert "- **error** `inv/stack.yaml:6` `customer-data-silo`: Quiz (quiz) stores customer data (lead)" in out


def test_markdown_comment_stays_under_the_limit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    many = "".join(f"  - {{id: system-{i:04}, name: 'System {i} with a long name to fill the comment', "
                   f"data: [lead]}}\n" for i in range(1500))
    write(tmp_path, {"old/s.yaml": "systems:\n  - {owner: team, it_reviewed: true, id: crm, name: CRM}\n", "new/s.yaml": "systems:\n" + many})
    old = analyse(load_inventory([Path("old")]))
    new = analyse(load_inventory([Path("new")]))
    text = markdown(compare(old, new, "old", "new"))
    assert len(text) <= COMMENT_LIMIT
    assert text.startswith(MARKER + "\n### stackmap: 1500 systems added · 1 system removed · ")
    assert "*The diagram was left out to keep this comment within GitHub's size limit.*" in text
    assert "more rows: run `stackmap diff` for the full list.*" in text
    assert "more findings: run `stackmap diff` for the full list.*" in text


def test_diff_of_two_directories_as_json(tmp_path):
    write(tmp_path, {"old/s.yaml": BASE, "new/s.yaml": HEAD})
    doc = json.loads(run(["diff", "old", "new", "-f", "json"], tmp_path).stdout)
    assert doc["base"] == "old" and doc["head"] == "new"
    assert [(c["op"], c["kind"], c["id"], c["fields"]) for c in doc["changes"]] == [
        ("+", "system", "forms", []), ("+", "system", "quiz", []), ("-", "system", "old", []),
        ("~", "system", "mail", ["owner", "data"]), ("-", "flow", "old->crm::contact", []),
        ("~", "flow", "mail->crm::consent,contact", ["data"])]
    assert [f["rule"] for f in doc["introduced"]] == ["customer-data-silo", "customer-data-silo",
                                                       "isolated-system", "isolated-system"]
    back = json.loads(run(["diff", "new", "old", "-f", "json"], tmp_path).stdout)
    assert [f["rule"] for f in back["resolved"]] == [f["rule"] for f in doc["introduced"]]


def test_check_diff_base_fails_only_on_new_findings(tmp_path):
    repo = init_repo(tmp_path / "repo")
    write(repo, {"inv/stack.yaml": BASE.replace("      - {from: old, to: crm, data: [contact]}\n", "")})
    commit_all(repo, "base with a silo")
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, {"inv/stack.yaml": BASE.replace("      - {from: old, to: crm, data: [contact]}\n", "")
                 .replace("owner: marketing", "owner: it")})
    unchanged = run(["check", "inv", "--diff-base", "main"], repo)
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    # the silo, the isolated system and the unowned system were there before
    assert "3 baselined" in unchanged.stdout
    assert run(["check", "inv"], repo).returncode == 1
    write(repo, {"inv/more.yaml": "systems:\n  - {owner: team, it_reviewed: true, id: quiz, name: Quiz, data: [lead]}\n"})
    worse = run(["check", "inv", "--diff-base", "main"], repo)
    assert worse.returncode == 1
    assert "Quiz (quiz) stores customer data" in worse.stdout and "Old Tool" not in worse.stdout


def test_new_inventory_at_head_counts_everything_as_new(tmp_path):
    repo = init_repo(tmp_path / "repo")
    write(repo, {"README.txt": "x\n"})
    commit_all(repo, "empty")
    write(repo, {"inv/stack.yaml": HEAD})
    done = run(["check", "inv", "--diff-base", "HEAD"], repo)
    assert done.returncode == 1
    assert "note: no inventory at HEAD (" in done.stdout


def test_unknown_ref_says_to_fetch_history(tmp_path):
    repo = _repo(tmp_path)
    for args in (["diff", "--base", "origin/main", "inv"], ["check", "inv", "--diff-base", "origin/main"]):
        done = run(args, repo)
        assert done.returncode == 2
        assert done.stderr == (
            "stackmap: cannot resolve git ref 'origin/main': the clone may be shallow or the ref not fetched: "
            "fetch the history (`git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout on GitHub; "
            "`GIT_DEPTH: 0` on GitLab)\n")


def test_shallow_clone_is_named(tmp_path):
    repo = _repo(tmp_path)
    git(repo, "checkout", "-q", "main")
    write(repo, {"inv/x.yaml": "systems: [{owner: team, it_reviewed: true, id: x, name: X}]\n"})
    commit_all(repo, "second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    done = run(["check", "inv", "--diff-base", "HEAD~1"], clone)
    assert done.returncode == 2
    assert "cannot resolve git ref 'HEAD~1' (this clone is shallow)" in done.stderr
    assert "fetch-depth: 0" in done.stderr


def test_outside_git_is_a_usage_error(tmp_path):
    write(tmp_path, {"inv/s.yaml": BASE})
    done = run(["diff", "--base", "main", "inv"], tmp_path)
    assert done.returncode == 2 and "not inside a git work tree" in done.stderr


def test_mermaid_labels_cannot_break_out():
    # The PR comment escapes its labels like every other Mermaid diagram (stackmap.render.mermaid_text).
    assert mermaid_label('a"]-->b[x') == "a#34;#93;--#62;b#91;x"
    assert mermaid_label("line\nbreak `x` # {y}") == "line break #96;x#96; #35; #123;y#125;"


def test_a_data_category_added_to_a_flow_is_not_a_new_and_a_resolved_finding(tmp_path):
    before = """
        systems:
          - {owner: team, it_reviewed: true, id: crm, name: CRM, roles: [system-of-record], data: [contact]}
          - {owner: ads, it_reviewed: false, id: ads, name: Ads}
        flows:
          - {from: crm, to: ads, data: [contact], mechanism: api}
    """
    write(tmp_path, {"old/s.yaml": before, "new/s.yaml": before.replace("data: [contact], mech",
                                                                         "data: [contact, lead], mech")})
    doc = json.loads(run(["diff", "old", "new", "-f", "json"], tmp_path).stdout)
    assert [(c["op"], c["kind"], c["fields"]) for c in doc["changes"]] == [("~", "flow", ["data"])]
    assert doc["introduced"] == [] and doc["resolved"] == []
