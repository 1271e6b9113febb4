"""The spend, impact and rationalize commands, run as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

from helpers import write

STACK = """
    systems:
      - {id: crm, name: CRM, owner: sales, roles: [system-of-record], data: [contact], annual_cost: 1000}
      - {id: mail, name: Mail, owner: marketing, capabilities: [email-marketing], data: [contact], annual_cost: 250}
      - {id: news, name: News, owner: marketing, capabilities: [email-marketing], data: [contact]}
    flows:
      - {from: crm, to: mail, data: [contact]}
      - {from: crm, to: news, data: [contact]}
"""


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stackmap", *args], cwd=cwd, capture_output=True, text=True,
                          check=False)


def test_spend_csv_to_a_file(tmp_path):
    write(tmp_path, {"stack.yaml": STACK})
    done = run(tmp_path, "spend", "stack.yaml", "--by", "owner", "--format", "csv", "-o", "out/spend.csv")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert (tmp_path / "out" / "spend.csv").read_text() == (
        "owner,annual_cost,share_percent,systems,systems_without_cost\n"
        "sales,1000,80.0,1,\n"
        "marketing,250,20.0,2,news\n"
    )


def test_impact_json(tmp_path):
    write(tmp_path, {"stack.yaml": STACK})
    done = run(tmp_path, "impact", "mail", "stack.yaml", "-f", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["annual_cost_saved"] == 250 and doc["capabilities_without_provider"] == []
    assert [f["flow"] for f in doc["broken_flows"]] == ["crm->mail::contact"]


def test_rationalize_markdown(tmp_path):
    write(tmp_path, {"stack.yaml": STACK})
    done = run(tmp_path, "rationalize", "stack.yaml", "--format", "markdown")
    assert done.returncode == 0, done.stderr
    assert "| 1 | email-marketing | mail, news | mail | 100 | unknown |" in done.stdout


def test_usage_errors_list_valid_values(tmp_path):
    write(tmp_path, {"stack.yaml": STACK})
    bad_format = run(tmp_path, "rationalize", "stack.yaml", "-f", "mardown")
    assert bad_format.returncode == 2
    assert bad_format.stderr == ("stackmap: unknown --format 'mardown' (did you mean 'markdown'?); "
                                 "valid values: text, json, markdown\n")
    bad_by = run(tmp_path, "spend", "stack.yaml", "--by", "owners")
    assert (bad_by.returncode, bad_by.stderr) == (
        2, "stackmap: unknown --by 'owners' (did you mean 'owner'?); valid values: owner, capability, vendor\n")
    bad_id = run(tmp_path, "impact", "mial", "stack.yaml")
    assert bad_id.returncode == 2
    assert bad_id.stderr == "stackmap: no system has the id 'mial' (did you mean 'mail'?); systems: crm, mail, news\n"


def test_invalid_inventory_exits_1_with_the_problems(tmp_path):
    write(tmp_path, {"stack.yaml": "systems:\n  - {id: a, name: A, annual_cost: -5}\n"})
    done = run(tmp_path, "spend", "stack.yaml")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("stack.yaml:2:")
