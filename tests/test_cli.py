"""CLI tests through the real command: ``python -m stackmap`` in a subprocess, in a temporary directory.

They pin the exit codes (0 clean, 1 findings at or above ``--fail-on`` or an invalid inventory, 2 usage
errors), the text and JSON outputs, colour handling, ``stackmap rules``, ``--version``, that no input
ever produces a traceback, and that fingerprints depend on entities only, never on files or lines.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import pytest

import stackmap
from stackmap.analysis.rules import RULES

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*m")

STACK = """
systems:
  - id: crm
    name: Salesforce
    owner: sales
    it_reviewed: true
    capabilities: [crm]
    data: [contact, account]
    roles: [system-of-record]
    annual_cost: 120000
  - id: hubspot
    name: HubSpot
    owner: marketing
    it_reviewed: true
    capabilities: [crm, email]
    data: [contact]
    annual_cost: 30000
  - id: mailchimp
    name: Mailchimp
    owner: marketing
    it_reviewed: true
    data: [contact, consent]
  - id: typeform
    name: Typeform
    owner: marketing
    it_reviewed: true
    data: [lead]
  - id: wiki
    name: Confluence
    owner: it
    it_reviewed: true
  - id: old-crm
    name: Siebel
    owner: sales
    it_reviewed: true
    lifecycle: retired
    data: [contact]
flows:
  - from: hubspot
    to: crm
    data: [contact]
  - from: crm
    to: hubspot
    mechanism: api
  - from: crm
    to: mailchimp
    data: [contact]
  - from: old-crm
    to: crm
    mechanism: batch
    data: [contact, account]
"""
"""One finding of every core kind but ``no-system-of-record``: a silo, an unsynced system, a duplicate
capability, a flow to a retired system, two isolated systems and a flow without data. Every system has
an owner and an IT review, so ``unowned-system`` and ``shadow-it`` stay quiet; the one governance
finding is ``integration-hotspot`` on crm, the only link between hubspot and mailchimp."""

STACK_TEXT = """\
Errors (1)
  stack.yaml:22:5: Typeform (typeform) stores customer data (lead) with no customer-data flow path to a \
system of record (crm) [customer-data-silo]

Warnings (5)
  stack.yaml:17:5: Mailchimp (mailchimp) captures customer data (consent) that no flow carries into a \
system of record (crm) [customer-data-unsynced]
  stack.yaml:2:5: capability 'crm' is provided by 2 systems: crm (sales), hubspot (marketing); combined \
annual cost 150,000; owners differ (marketing, sales) [duplicate-capability]
  stack.yaml:31:5: Siebel (old-crm) is retired but still has 1 flow: old-crm → crm (batch: account, \
contact): remove the flows or switch the integrations off [flow-to-retired-system]
  stack.yaml:22:5: Typeform (typeform) has no flow to or from any other system [isolated-system]
  stack.yaml:27:5: Confluence (wiki) has no flow to or from any other system [isolated-system]

Info (1)
  stack.yaml:41:5: flow crm → hubspot (api) lists no data; add what it carries under `data` \
[flow-without-data]

"""

CLEAN = """
systems:
  - id: crm
    name: Salesforce
    data: [contact]
    roles: [system-of-record]
    owner: sales
    it_reviewed: true
  - id: hubspot
    name: HubSpot
    data: [contact]
    owner: marketing
    it_reviewed: true
flows:
  - from: hubspot
    to: crm
    data: [contact]
"""

WARNING_ONLY = """
systems:
  - id: wiki
    name: Confluence
    owner: it
    it_reviewed: true
"""

INFO_ONLY = """
systems:
  - id: crm
    name: Salesforce
    owner: sales
    it_reviewed: true
  - id: hubspot
    name: HubSpot
    owner: marketing
    it_reviewed: true
flows:
  - from: hubspot
    to: crm
"""

INVALID = """
systems:
  - id: crm
    name: Salesforce
    capabilites: [crm]
flows:
  - from: crm
    to: hubspt
"""


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def environment(**extra: str) -> dict[str, str]:
    """The test's environment without colour or debug settings, with this checkout importable."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "STACKMAP_DEBUG", "FORCE_COLOR")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def run(cwd: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stackmap", *args],
        cwd=cwd, env=environment(**extra), capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


def run_json(cwd: Path, *args: str) -> tuple[int, dict[str, Any]]:
    proc = run(cwd, "check", "--format", "json", *args)
    assert proc.stderr == ""
    return proc.returncode, json.loads(proc.stdout)


# --- Exit codes -------------------------------------------------------------------------------------


def test_clean_inventory_exits_0_with_only_the_summary(tmp_path: Path) -> None:
    write(tmp_path, "clean.yaml", CLEAN)
    proc = run(tmp_path, "check", "clean.yaml")
    assert (proc.returncode, proc.stdout, proc.stderr) == (
        0, "2 systems, 1 flow in 1 file: 0 errors, 0 warnings, 0 info\n", "")


@pytest.mark.parametrize(
    ("inventory", "options", "code", "summary"),
    [
        (WARNING_ONLY, [], 0, "1 system, 0 flows in 1 file: 0 errors, 1 warning, 0 info"),
        (WARNING_ONLY, ["--fail-on", "error"], 0, "1 system, 0 flows in 1 file: 0 errors, 1 warning, 0 info"),
        (WARNING_ONLY, ["--fail-on", "warning"], 1,
         "1 system, 0 flows in 1 file: 0 errors, 1 warning, 0 info (fails at --fail-on warning)"),
        (WARNING_ONLY, ["--fail-on", "info"], 1,
         "1 system, 0 flows in 1 file: 0 errors, 1 warning, 0 info (fails at --fail-on info)"),
        (INFO_ONLY, ["--fail-on", "warning"], 0, "2 systems, 1 flow in 1 file: 0 errors, 0 warnings, 1 info"),
        (INFO_ONLY, ["--fail-on", "info"], 1,
         "2 systems, 1 flow in 1 file: 0 errors, 0 warnings, 1 info (fails at --fail-on info)"),
        (STACK, [], 1,
         "6 systems, 4 flows in 1 file: 1 error, 5 warnings, 1 info (fails at --fail-on error)"),
        (STACK, ["--fail-on", "never"], 0, "6 systems, 4 flows in 1 file: 1 error, 5 warnings, 1 info"),
    ],
    ids=["warning-default", "warning-error", "warning-warning", "warning-info", "info-warning", "info-info",
         "error-default", "error-never"],
)
def test_exit_code_follows_fail_on(
    tmp_path: Path, inventory: str, options: list[str], code: int, summary: str
) -> None:
    write(tmp_path, "stack.yaml", inventory)
    proc = run(tmp_path, "check", "stack.yaml", *options)
    assert proc.returncode == code
    assert proc.stdout.splitlines()[-1] == summary
    assert proc.stderr == ""


def test_invalid_inventory_exits_1_even_with_fail_on_never(tmp_path: Path) -> None:
    write(tmp_path, "stack.yaml", INVALID)
    for options in ([], ["--fail-on", "never"]):
        proc = run(tmp_path, "check", "stack.yaml", *options)
        assert proc.returncode == 1
        assert proc.stdout == (
            "stack.yaml:4:5: systems[0].capabilites: unknown field 'capabilites' (did you mean "
            "'capabilities'?)\n"
            "stack.yaml:7:9: flows[0].to: no system has the id 'hubspt'\n"
            "invalid inventory: 2 problems in 1 file\n"
        )
        assert proc.stderr == ""


@pytest.mark.parametrize(
    ("args", "stderr_line"),
    [
        (["check", "nope.yaml"], "stackmap: nope.yaml: no such file or directory"),
        (["check", "empty"], "stackmap: no YAML files found in empty"),
        (["check", "clean.yaml", "missing-too.yaml"],
         "stackmap: missing-too.yaml: no such file or directory"),
        (["check", "--fail-on", "sometimes", "clean.yaml"],
         "Error: Invalid value for '--fail-on': 'sometimes' is not a valid fail level; choose one of error, "
         "warning, info, never"),
        (["check", "--format", "xml", "clean.yaml"],
         "Error: Invalid value for '--format' / '-f': 'xml' is not a valid format; choose one of text, json, "
         "sarif, github, gitlab, junit, markdown"),
        (["check"], "stackmap: no inventory path given: pass PATH... or set `paths` in .stackmap.yaml"),
        (["chekc", "clean.yaml"], "Error: No such command 'chekc'. Did you mean 'check'?"),
    ],
    ids=["missing-path", "empty-directory", "one-missing-path", "bad-fail-on", "bad-format", "no-path",
         "unknown-command"],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], stderr_line: str) -> None:
    write(tmp_path, "clean.yaml", CLEAN)
    (tmp_path / "empty").mkdir()
    proc = run(tmp_path, *args)
    assert proc.returncode == 2
    assert stderr_line in proc.stderr.splitlines()
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr


# --- Text output ------------------------------------------------------------------------------------


def test_text_output_groups_findings_by_severity_with_locations(tmp_path: Path) -> None:
    write(tmp_path, "stack.yaml", STACK)
    proc = run(tmp_path, "check", "stack.yaml")
    assert proc.returncode == 1
    assert proc.stdout == STACK_TEXT + (
        "6 systems, 4 flows in 1 file: 1 error, 5 warnings, 1 info (fails at --fail-on error)\n")
    assert proc.stderr == ""


def test_text_output_notes_skipped_files_and_counts_inventory_files(tmp_path: Path) -> None:
    write(tmp_path, "inv/clean.yaml", CLEAN)
    write(tmp_path, "inv/empty.yaml", "")
    write(tmp_path, "inv/mkdocs.yml", "site_name: Our stack\n")
    write(tmp_path, "inv/.github/workflows/ci.yml", "on: push\njobs: {}\n")
    write(tmp_path, "inv/action.yml", "name: Check\nruns: {using: composite}\n")
    proc = run(tmp_path, "check", "inv")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == (
        "note: skipped 2 YAML files that are not inventories: inv/action.yml, inv/mkdocs.yml\n"
        "2 systems, 1 flow in 2 files: 0 errors, 0 warnings, 0 info\n"
    )


def test_paths_are_shown_relative_to_the_git_work_tree(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "stack/team/a.yaml", WARNING_ONLY)
    proc = run(tmp_path / "stack" / "team", "check", ".")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[:2] == [
        "Warnings (1)",
        "  stack/team/a.yaml:2:5: Confluence (wiki) has no flow to or from any other system "
        "[isolated-system]",
    ]
    code, doc = run_json(tmp_path / "stack", "team/a.yaml")
    assert code == 0
    assert doc["findings"][0]["location"] == {"file": "stack/team/a.yaml", "line": 2, "column": 5}


def test_paths_are_shown_relative_to_the_current_directory_outside_git(tmp_path: Path) -> None:
    write(tmp_path, "work/stack/a.yaml", WARNING_ONLY)
    proc = run(tmp_path / "work", "check", "stack")
    assert proc.stdout.splitlines()[1] == (
        "  stack/a.yaml:2:5: Confluence (wiki) has no flow to or from any other system [isolated-system]")


# --- Colour -----------------------------------------------------------------------------------------


def test_no_ansi_escapes_when_stdout_is_not_a_terminal(tmp_path: Path) -> None:
    write(tmp_path, "stack.yaml", STACK)
    write(tmp_path, "bad.yaml", INVALID)
    for args in (["check", "stack.yaml"], ["check", "bad.yaml"], ["rules"]):
        proc = run(tmp_path, *args)
        assert "\x1b" not in proc.stdout + proc.stderr


def run_in_terminal(cwd: Path, *args: str, **extra: str) -> tuple[int, str]:
    """Run with stdout on a pseudo-terminal; return the exit code and the output (newlines normalised)."""
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "stackmap", *args],
            cwd=cwd, env=environment(**extra), stdout=slave, stderr=subprocess.PIPE, timeout=120,
        )
    finally:
        os.close(slave)
    chunks: list[bytes] = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the terminal has no writer any more
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.stderr == b""
    return proc.returncode, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_colour_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    write(tmp_path, "stack.yaml", STACK)
    plain = run(tmp_path, "check", "stack.yaml").stdout

    code, coloured = run_in_terminal(tmp_path, "check", "stack.yaml")
    assert code == 1
    assert coloured.startswith("\x1b[1;31mErrors (1)\x1b[0m\n  \x1b[2mstack.yaml:22:5\x1b[0m: Typeform")
    assert "\x1b[1;33mWarnings (5)\x1b[0m" in coloured
    assert ANSI.sub("", coloured) == plain

    code, no_color = run_in_terminal(tmp_path, "check", "stack.yaml", NO_COLOR="1")
    assert code == 1
    assert no_color == plain

    code, empty_no_color = run_in_terminal(tmp_path, "check", "stack.yaml", NO_COLOR="")
    assert empty_no_color == plain


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_invalid_inventory_on_a_terminal(tmp_path: Path) -> None:
    write(tmp_path, "bad.yaml", INVALID)
    code, coloured = run_in_terminal(tmp_path, "check", "bad.yaml")
    assert code == 1
    assert coloured.splitlines()[-1] == "\x1b[1;31minvalid inventory: 2 problems in 1 file\x1b[0m"
    code, plain = run_in_terminal(tmp_path, "check", "bad.yaml", NO_COLOR="1")
    assert plain.splitlines()[-1] == "invalid inventory: 2 problems in 1 file"


# --- JSON output ------------------------------------------------------------------------------------


def test_json_output_structure(tmp_path: Path) -> None:
    write(tmp_path, "stack.yaml", STACK)
    code, doc = run_json(tmp_path, "stack.yaml")
    assert code == 1
    fingerprints = [f.pop("fingerprint") for f in doc["findings"]]
    assert all(re.fullmatch(r"[0-9a-f]{24}", fp) for fp in fingerprints)
    assert len(set(fingerprints)) == len(fingerprints) == 7

    def loc(line: int) -> dict[str, Any]:
        return {"file": "stack.yaml", "line": line, "column": 5}

    assert doc == {
        "version": 1,
        "valid": True,
        "inventory": {"files": 1, "systems": 6, "flows": 4, "skipped": []},
        "findings": [
            {
                "rule": "customer-data-silo", "severity": "error",
                "message": "Typeform (typeform) stores customer data (lead) with no customer-data flow path "
                           "to a system of record (crm)",
                "systems": ["typeform"], "location": loc(22), "related": [],
                "status": "new", "justification": None,
                "capability": None, "flow": None, "data": ["lead"], "details": {},
            },
            {
                "rule": "customer-data-unsynced", "severity": "warning",
                "message": "Mailchimp (mailchimp) captures customer data (consent) that no flow carries "
                           "into a system of record (crm)",
                "systems": ["mailchimp"], "location": loc(17), "related": [],
                "status": "new", "justification": None,
                "capability": None, "flow": None, "data": ["consent"], "details": {},
            },
            {
                "rule": "duplicate-capability", "severity": "warning",
                "message": "capability 'crm' is provided by 2 systems: crm (sales), hubspot (marketing); "
                           "combined annual cost 150,000; owners differ (marketing, sales)",
                "systems": ["crm", "hubspot"], "location": loc(2), "related": [loc(10)],
                "status": "new", "justification": None,
                "capability": "crm", "flow": None, "data": [],
                "details": {"owners": ["marketing", "sales"], "owners_differ": True,
                            "combined_annual_cost": 150000, "systems_without_cost": 0},
            },
            {
                "rule": "flow-to-retired-system", "severity": "warning",
                "message": "Siebel (old-crm) is retired but still has 1 flow: old-crm → crm (batch: account, "
                           "contact): remove the flows or switch the integrations off",
                "systems": ["old-crm"], "location": loc(31), "related": [loc(47)],
                "status": "new", "justification": None,
                "capability": None, "flow": None, "data": [],
                "details": {"flows": 1, "live_partners": ["crm"], "customer_data_in": []},
            },
            {
                "rule": "isolated-system", "severity": "warning",
                "message": "Typeform (typeform) has no flow to or from any other system",
                "systems": ["typeform"], "location": loc(22), "related": [],
                "status": "new", "justification": None,
                "capability": None, "flow": None, "data": [], "details": {},
            },
            {
                "rule": "isolated-system", "severity": "warning",
                "message": "Confluence (wiki) has no flow to or from any other system",
                "systems": ["wiki"], "location": loc(27), "related": [],
                "status": "new", "justification": None,
                "capability": None, "flow": None, "data": [], "details": {},
            },
            {
                "rule": "flow-without-data", "severity": "info",
                "message": "flow crm → hubspot (api) lists no data; add what it carries under `data`",
                "systems": ["crm", "hubspot"], "location": loc(41), "related": [loc(2), loc(10)],
                "status": "new", "justification": None,
                "capability": None, "flow": "crm->hubspot:api:", "data": [], "details": {},
            },
        ],
        "errors": [],
        "notes": [],
        "summary": {"error": 1, "warning": 5, "info": 1, "total": 7, "new": 7, "waived": 0, "baselined": 0,
                    "fail_on": "error", "failed": True},
    }


def test_json_summary_follows_fail_on(tmp_path: Path) -> None:
    write(tmp_path, "stack.yaml", WARNING_ONLY)
    code, doc = run_json(tmp_path, "stack.yaml", "--fail-on", "warning")
    assert code == 1
    assert doc["summary"] == {"error": 0, "warning": 1, "info": 0, "total": 1, "new": 1, "waived": 0, "baselined": 0,
                    "fail_on": "warning",
                              "failed": True}
    code, doc = run_json(tmp_path, "stack.yaml")
    assert code == 0
    assert doc["summary"] == {"error": 0, "warning": 1, "info": 0, "total": 1, "new": 1, "waived": 0, "baselined": 0,
                    "fail_on": "error",
                              "failed": False}


def test_json_for_a_clean_inventory_with_skipped_files(tmp_path: Path) -> None:
    write(tmp_path, "inv/clean.yaml", CLEAN)
    write(tmp_path, "inv/docs/mkdocs.yml", "site_name: Our stack\n")
    code, doc = run_json(tmp_path, "inv")
    assert code == 0
    assert doc == {
        "version": 1,
        "valid": True,
        "inventory": {"files": 1, "systems": 2, "flows": 1, "skipped": ["inv/docs/mkdocs.yml"]},
        "findings": [],
        "errors": [],
        "notes": [],
        "summary": {"error": 0, "warning": 0, "info": 0, "total": 0, "new": 0, "waived": 0, "baselined": 0,
                    "fail_on": "error", "failed": False},
    }


def test_json_for_an_invalid_inventory(tmp_path: Path) -> None:
    write(tmp_path, "inv/a.yaml", INVALID)
    write(tmp_path, "inv/b.yaml", b"systems:\n  - id: caf\xe9\n")
    write(tmp_path, "inv/c.yaml", CLEAN.replace("id: hubspot", "id: crm"))
    code, doc = run_json(tmp_path, "inv", "--fail-on", "never")
    assert code == 1
    assert doc == {
        "version": 1,
        "valid": False,
        "inventory": {"files": 3},
        "findings": [],
        "errors": [
            {"file": "inv/a.yaml", "line": 4, "column": 5,
             "message": "systems[0].capabilites: unknown field 'capabilites' (did you mean 'capabilities'?)"},
            {"file": "inv/a.yaml", "line": 7, "column": 9,
             "message": "flows[0].to: no system has the id 'hubspt' (it may be defined in inv/b.yaml, which "
                        "could not be read)"},
            {"file": "inv/b.yaml", "line": 2, "column": 12,
             "message": "not UTF-8: byte 0xe9 cannot be decoded (save the file as UTF-8)"},
            {"file": "inv/c.yaml", "line": 2, "column": 9,
             "message": "duplicate system id 'crm': another entry, one with problems of its own, has it too"},
            {"file": "inv/c.yaml", "line": 8, "column": 9,
             "message": "duplicate system id 'crm': first defined at inv/c.yaml:2:5"},
            {"file": "inv/c.yaml", "line": 14, "column": 11,
             "message": "flows[0].from: no system has the id 'hubspot' (it may be defined in inv/b.yaml, "
                        "which could not be read)"},
        ],
        "summary": {"errors": 6, "fail_on": "never", "failed": True},
    }


def test_json_is_utf8_and_keeps_non_ascii_names(tmp_path: Path) -> None:
    write(tmp_path, "stack.yaml", "systems:\n  - id: cafe\n    name: Café Zürich\n")
    code, doc = run_json(tmp_path, "stack.yaml")
    assert code == 0
    assert doc["findings"][0]["message"] == "Café Zürich (cafe) has no flow to or from any other system"


# --- Fingerprints -----------------------------------------------------------------------------------

SPLIT_CRM = """
# CRM team: the customer master and what feeds it.
systems:
  - id: old-crm
    name: Siebel
    lifecycle: retired
    data: [contact]
    it_reviewed: true
    owner: sales

  - id: crm
    name: Salesforce
    owner: sales
    it_reviewed: true
    capabilities: [crm]
    data: [contact, account]
    roles: [system-of-record]
    annual_cost: 120000
flows:
  - from: old-crm
    to: crm
    mechanism: batch
    data: [account, contact]
"""

SPLIT_MARKETING = """
# Marketing team.
systems:
  - id: wiki
    name: Confluence
    it_reviewed: true
    owner: it
  - id: typeform
    name: Typeform
    data: [lead]
    owner: marketing
    it_reviewed: true
  - id: mailchimp
    name: Mailchimp
    data: [consent, contact]
    owner: marketing
    it_reviewed: true
  - id: hubspot
    name: HubSpot
    owner: marketing
    it_reviewed: true
    capabilities: [email, crm]
    data: [contact]
    annual_cost: 30000
"""

SPLIT_FLOWS = """
# Integrations, owned by IT.
flows:
  - from: crm
    to: mailchimp
    data: [contact]
  - mechanism: api
    from: crm
    to: hubspot
  - from: hubspot
    to: crm
    data: [contact]
"""


def findings_of(cwd: Path, *paths: str) -> list[dict[str, Any]]:
    code, doc = run_json(cwd, *paths)
    assert code == 1
    return doc["findings"]


def identities(findings: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(f["rule"], f["fingerprint"], tuple(f["systems"]), f["capability"], f["flow"]) for f in findings]


def test_fingerprints_survive_splitting_renaming_and_reordering_files(tmp_path: Path) -> None:
    write(tmp_path, "one/stack.yaml", STACK)
    write(tmp_path, "split/crm.yaml", SPLIT_CRM)
    write(tmp_path, "split/marketing.yaml", SPLIT_MARKETING)
    write(tmp_path, "split/flows.yaml", SPLIT_FLOWS)
    write(tmp_path, "renamed/teams/zz-sales.yml", SPLIT_CRM)
    write(tmp_path, "renamed/teams/aa-growth.yaml", SPLIT_MARKETING)
    write(tmp_path, "renamed/integrations.yaml", SPLIT_FLOWS)

    one = findings_of(tmp_path, "one")
    split = findings_of(tmp_path, "split")
    renamed = findings_of(tmp_path, "renamed")
    reversed_args = findings_of(
        tmp_path, "renamed/integrations.yaml", "renamed/teams/zz-sales.yml", "renamed/teams/aa-growth.yaml")

    assert len(one) == 7
    assert identities(split) == identities(one)
    assert identities(renamed) == identities(one)
    assert identities(reversed_args) == identities(one)
    # The layouts really differ: only the locations change.
    assert [f["location"] for f in split] != [f["location"] for f in one]
    assert [f["location"]["file"] for f in renamed] == [
        "renamed/teams/aa-growth.yaml", "renamed/teams/aa-growth.yaml", "renamed/teams/zz-sales.yml",
        "renamed/teams/zz-sales.yml", "renamed/teams/aa-growth.yaml", "renamed/teams/aa-growth.yaml",
        "renamed/integrations.yaml",  # a flow finding points at the flow
    ]


def test_fingerprints_ignore_unrelated_edits_but_follow_entities(tmp_path: Path) -> None:
    write(tmp_path, "before/stack.yaml", STACK)
    edited = STACK.replace("systems:\n", "# A comment that moves every line.\n\nsystems:\n", 1)
    edited = edited.replace("name: Confluence", "name: Confluence Wiki\n    vendor: Atlassian")
    write(tmp_path, "after/stack.yaml", edited)
    write(tmp_path, "renamed-system/stack.yaml", STACK.replace("id: wiki", "id: confluence"))

    before = findings_of(tmp_path, "before")
    after = findings_of(tmp_path, "after")
    assert identities(after) == identities(before)
    assert [f["location"]["line"] for f in after] != [f["location"]["line"] for f in before]

    # Renaming a system changes exactly the fingerprint of the finding about it.
    renamed = findings_of(tmp_path, "renamed-system")
    assert {f["fingerprint"] for f in renamed} ^ {f["fingerprint"] for f in before} == {
        next(f["fingerprint"] for f in before if f["systems"] == ["wiki"]),
        next(f["fingerprint"] for f in renamed if f["systems"] == ["confluence"]),
    }


def test_a_third_provider_of_a_capability_is_a_new_finding(tmp_path: Path) -> None:
    write(tmp_path, "two/stack.yaml", STACK)
    third = STACK.replace("  - id: wiki\n    name: Confluence\n",
                          "  - id: wiki\n    name: Confluence\n    capabilities: [crm]\n")
    write(tmp_path, "three/stack.yaml", third)
    [two] = [f for f in findings_of(tmp_path, "two") if f["rule"] == "duplicate-capability"]
    [three] = [f for f in findings_of(tmp_path, "three") if f["rule"] == "duplicate-capability"]
    assert (two["systems"], three["systems"]) == (["crm", "hubspot"], ["crm", "hubspot", "wiki"])
    assert two["fingerprint"] != three["fingerprint"]


# --- rules and --version ----------------------------------------------------------------------------


def test_rules_lists_every_rule_with_severity_and_summary(tmp_path: Path) -> None:
    proc = run(tmp_path, "rules")
    assert (proc.returncode, proc.stderr) == (0, "")
    rows = [re.fullmatch(r"(\S+)\s+(error|warning|info)\s+(\S.*)", line) for line in proc.stdout.splitlines()]
    assert all(rows), proc.stdout
    assert [m.groups() for m in rows if m] == [
        (rule.ID, rule.SEVERITY.value, rule.SUMMARY) for rule in RULES.values()
    ]
    assert [m.group(1) for m in rows if m] == [
        "customer-data-silo", "customer-data-unsynced", "duplicate-capability", "flow-to-retired-system",
        "flow-without-data", "isolated-system", "no-system-of-record", "shadow-it",
        "customer-data-to-unreviewed", "consent-not-propagated", "unowned-system", "integration-hotspot",
        "sync-loop", "point-to-point-sprawl", "conflicting-writers",
    ]


def test_rules_as_json(tmp_path: Path) -> None:
    proc = run(tmp_path, "rules", "--format", "json")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert json.loads(proc.stdout) == [
        {"id": rule_id, "severity": rule.SEVERITY.value, "summary": rule.SUMMARY}
        for rule_id, rule in RULES.items()
    ]


def test_version(tmp_path: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert stackmap.__version__ == version
    proc = run(tmp_path, "--version")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"stackmap {version}\n", "")


def test_no_arguments_shows_help(tmp_path: Path) -> None:
    proc = run(tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Usage: stackmap [OPTIONS] COMMAND [ARGS]...")
    assert "  check " in proc.stderr and "  rules " in proc.stderr
    assert "Traceback" not in proc.stderr


# --- Never a traceback ------------------------------------------------------------------------------


def _bomb() -> str:
    lines = ['x-l0: &l0 "lol"'] + [f"x-l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\nsystems:\n  - id: a\n    name: A\n    tags: *l9\n"


BAD_INPUTS: dict[str, tuple[str | bytes, str]] = {
    "malformed": ("systems: [\n", "bad.yaml:2:1: invalid YAML: did not find expected node content"),
    "top-level-list": ("- a\n", "bad.yaml:1:1: the top level must be a mapping with systems, flows, "
                                "capabilities or data_categories, not a list"),
    "second-document": ("systems: []\n---\nflows: []\n",
                        "bad.yaml:2:1: invalid YAML: a second YAML document in one file "
                        "(only one is allowed)"),
    "not-utf8": (b"systems:\n  - id: \xff\xfe\n", "bad.yaml:2:9: not UTF-8: byte 0xff cannot be decoded "
                                                    "(save the file as UTF-8)"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
               "bad.yaml:1:1: not UTF-8: byte 0x89 cannot be decoded (save the file as UTF-8)"),
    "nul-character": ("systems: [\x00]\n", "bad.yaml:1:11: invalid YAML: unacceptable character #x0000: "
                                            "control characters are not allowed"),
    "alias-bomb": (_bomb(), "bad.yaml:9:7: aliases expand to more than 1,000,000 nodes (an alias bomb?)"),
    "recursive-alias": ("systems: &s\n  - id: a\n    name: A\n    tags: *s\n",
                        "bad.yaml:1:10: recursive alias: a node contains itself"),
    "undefined-alias": ("systems: *nowhere\n", "bad.yaml:1:10: invalid YAML: found undefined alias"),
    "deep-nesting": ("systems: " + "[" * 100_000 + "]" * 100_000 + "\n",
                     "bad.yaml:1:1009: nested more than 1,000 levels deep"),
    "huge-integer": ("systems:\n  - id: a\n    name: A\n    annual_cost: 1" + "0" * 5000 + "\n",
                     "bad.yaml:4:18: invalid YAML: cannot read '1" + "0" * 58 + "…' as an integer"),
    "impossible-date": ("systems:\n  - id: a\n    name: 2024-02-30\n",
                        "bad.yaml:3:11: invalid YAML: cannot read '2024-02-30' as a date"),
    "bad-explicit-tag": ("systems:\n  - id: a\n    name: !!bool maybe\n",
                         "bad.yaml:3:11: invalid YAML: cannot read 'maybe' as a boolean"),
    "map-tag-on-a-list": ("systems: !!map [a]\n",
                          "bad.yaml:1:10: invalid YAML: !!map on a value that is not a mapping"),
    "python-tag": ("systems: !!python/object/apply:os.system [id]\n",
                   "bad.yaml:1:10: invalid YAML: could not determine a constructor for the tag "
                   "'tag:yaml.org,2002:python/object/apply:os.system'"),
    "local-tag": ("systems: !custom [a]\n",
                  "bad.yaml:1:10: invalid YAML: could not determine a constructor for the tag '!custom'"),
    "null-key": ("null: x\n",
                 'bad.yaml:1:1: file: unknown field null; YAML reads it as null: quote it if it is meant: "null"'),
    "list-key": ("? [a]\n: x\n", "bad.yaml:1:3: a mapping key must be a plain value"),
    "merge-of-scalar": ("systems:\n  - <<: 1\n",
                        "bad.yaml:2:9: a merge key (<<) takes a mapping or a list of mappings"),
    "long-value": ("systems:\n  - id: a\n    name: A\n    annual_cost: '" + "9" * 100_000 + "'\n",
                   "bad.yaml:4:18: systems[0].annual_cost: expected a number, got '" + "9" * 59 + "…'"),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_never_gives_a_traceback(tmp_path: Path, name: str) -> None:
    content, first_problem = BAD_INPUTS[name]
    write(tmp_path, "bad.yaml", content)
    proc = run(tmp_path, "check", "bad.yaml")
    assert "Traceback" not in proc.stderr
    assert (proc.returncode, proc.stderr) == (1, "")
    lines = proc.stdout.splitlines()
    assert lines[0] == first_problem
    assert re.fullmatch(r"invalid inventory: \d+ problems? in 1 file", lines[-1])


def test_bad_inputs_together_in_json(tmp_path: Path) -> None:
    """Every bad input at once (one process): each file's first error, in the JSON location shape."""
    names = [f"inv/{i:02d}.yaml" for i in range(len(BAD_INPUTS))]
    for name, (content, _) in zip(names, BAD_INPUTS.values()):
        write(tmp_path, name, content)
    code, doc = run_json(tmp_path, *names)  # named explicitly: `null: x` would be skipped by a walk
    assert (code, doc["valid"], doc["findings"]) == (1, False, [])
    assert doc["inventory"] == {"files": len(BAD_INPUTS)}
    first: dict[str, str] = {}
    for e in doc["errors"]:
        assert sorted(e) == ["column", "file", "line", "message"]
        first.setdefault(e["file"], f"bad.yaml:{e['line']}:{e['column']}: {e['message']}")
    assert first == {f"inv/{i:02d}.yaml": problem for i, (_, problem) in enumerate(BAD_INPUTS.values())}


def test_odd_paths_never_give_a_traceback(tmp_path: Path) -> None:
    write(tmp_path, "inv/a.yaml", CLEAN)
    (tmp_path / "inv" / "folder.yaml").mkdir()  # a directory named like a YAML file is walked, not read
    (tmp_path / "inv" / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    proc = run(tmp_path, "check", "inv")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == ("note: skipped inv/dangling.yaml: a broken or looping symbolic link\n"
                           "2 systems, 1 flow in 1 file: 0 errors, 0 warnings, 0 info\n")

    os.mkfifo(tmp_path / "pipe.yaml")
    proc = run(tmp_path, "check", "pipe.yaml")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "stackmap: pipe.yaml: not a regular file or directory\n"
