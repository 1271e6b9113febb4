"""Every output format of `stackmap check`: required structure, escaping, invalid inventories."""

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from ci_helpers import run
from helpers import write

from stackmap.formats import REPORTERS
from stackmap.formats.github import annotation, escape_data, escape_property
from stackmap.analysis.rules import RULES

STACK = """
    systems:
      - {owner: team, it_reviewed: true, id: crm, name: CRM, roles: [system-of-record], data: [contact]}
      - {owner: team, it_reviewed: true, id: mail, name: "Mail, 100% <b>fun</b>", data: [contact], capabilities: [email]}
      - {owner: team, it_reviewed: true, id: news, name: "News\\u0001: a\\nb", data: [contact], capabilities: [email]}
    flows:
      - {from: mail, to: crm, data: [contact]}
"""
INVALID = """
    systems:
      - {owner: team, it_reviewed: true, id: crm, name: CRM}
    flows:
      - {from: crm, to: nowhere, data: [contact]}
"""


@pytest.fixture()
def stack(tmp_path):
    write(tmp_path, {"inv/stack.yaml": STACK, "bad/stack.yaml": INVALID})
    return tmp_path


def _check(cwd, *args, env=None):
    return run(["check", *args], cwd, env)


def test_format_choices_come_from_the_registry(stack):
    assert list(REPORTERS) == ["text", "json", "sarif", "github", "gitlab", "junit", "markdown"]
    done = _check(stack, "inv", "-f", "sarf")
    assert done.returncode == 2
    assert "'sarf' is not a valid format (did you mean 'sarif'?); choose one of text, json, sarif, github, " \
           "gitlab, junit, markdown" in done.stderr
    assert "text, json, sarif, github, gitlab, junit, markdown" in " ".join(run(["check", "--help"], stack).stdout.split())


def test_sarif_has_what_code_scanning_needs(stack):
    done = _check(stack, "inv", "-f", "sarif")
    assert done.returncode == 1
    doc = json.loads(done.stdout)
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = doc["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "stackmap" and driver["version"]
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted([*RULES, "expired-waiver", "invalid-inventory"])
    silo = driver["rules"][ids.index("customer-data-silo")]
    assert silo["name"] == "CustomerDataSilo"
    assert silo["shortDescription"]["text"] == RULES["customer-data-silo"].SUMMARY
    assert silo["fullDescription"]["text"] and silo["help"]["text"].startswith("Customer data stored")
    assert silo["defaultConfiguration"] == {"level": "error"}
    results = run_["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("customer-data-silo", "error"), ("duplicate-capability", "warning"), ("isolated-system", "warning")]
    for r in results:
        assert ids[r["ruleIndex"]] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "inv/stack.yaml"
        assert loc["region"]["startLine"] >= 1
        assert len(r["partialFingerprints"]["stackmapFingerprint/v1"]) == 24
        assert r["message"]["text"]
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 5, "startColumn": 5, "endLine": 5, "endColumn": 6}
    assert results[1]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 5


def test_sarif_leaves_out_waived_findings_unless_asked(stack):
    write(stack, {".stackmap.yaml": "waivers:\n  - {rule: isolated-system, target: news, reason: ok, "
                                    "expires: 2099-01-01}\n"})
    plain = json.loads(_check(stack, "inv", "-f", "sarif").stdout)["runs"][0]["results"]
    assert "isolated-system" not in [r["ruleId"] for r in plain]
    shown = json.loads(_check(stack, "inv", "-f", "sarif", "--show-suppressed").stdout)["runs"][0]["results"]
    waived = [r for r in shown if r["ruleId"] == "isolated-system"]
    assert waived[0]["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "ok"}]


def test_invalid_inventory_is_a_finding_in_every_format(stack):
    for fmt in REPORTERS:
        done = _check(stack, "bad", "-f", fmt)
        assert done.returncode == 1, fmt
        assert "nowhere" in done.stdout, fmt
    sarif = json.loads(_check(stack, "bad", "-f", "sarif").stdout)["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in sarif] == [("invalid-inventory", "error")]
    assert sarif[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    github = _check(stack, "bad", "-f", "github").stdout.splitlines()
    assert github[0] == ("::error file=bad/stack.yaml,line=5,col=21,title=stackmap invalid-inventory::"
                         "flows[0].to: no system has the id 'nowhere'")
    gitlab = json.loads(_check(stack, "bad", "-f", "gitlab").stdout)
    assert gitlab[0]["check_name"] == "invalid-inventory" and gitlab[0]["location"]["lines"]["begin"] == 5
    junit = ET.fromstring(_check(stack, "bad", "-f", "junit").stdout)
    assert junit.find("testsuite/testcase").get("name") == "invalid-inventory"
    assert junit.find("testsuite/testcase/failure").get("message") == "flows[0].to: no system has the id 'nowhere'"


def test_github_escaping():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_annotations_escape_user_text(stack):
    lines = _check(stack, "inv", "-f", "github").stdout.splitlines()
    assert lines[0] == ("::error file=inv/stack.yaml,line=5,col=5,title=stackmap customer-data-silo::"
                        "News\\x01: a%0Ab (news) stores customer data (contact) with no customer-data flow path "
                        "to a system of record (crm)")
    assert lines[1].startswith("::warning file=inv/stack.yaml,line=4,col=5,title=stackmap duplicate-capability::"
                               "capability 'email' is provided by 2 systems: mail (team), news (team)")
    assert lines[1].endswith("%0AAlso at: inv/stack.yaml:5:5")
    assert lines[-1] == "stackmap: 3 systems, 1 flow: 1 error, 2 warnings, 0 info; fails at fail-on error"
    assert all(line.count("::") == 2 for line in lines if line.startswith("::"))


def test_github_is_chosen_under_actions_and_writes_the_step_summary(stack):
    summary = stack / "summary.md"
    done = _check(stack, "inv", env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert done.stdout.startswith("::error file=inv/stack.yaml,")
    assert summary.read_text().startswith("## stackmap check\n\n**1 error · 2 warnings · 0 info** ")


def test_github_notes_the_annotation_limit(tmp_path):
    systems = "".join(f"  - {{id: s{i:02}, name: S{i}, owner: team, data: [contact], it_reviewed: false}}\n"
                      for i in range(12))
    write(tmp_path, {"stack.yaml": "systems:\n" + systems})
    lines = _check(tmp_path, "stack.yaml", "-f", "github").stdout.splitlines()
    # 12 shadow-it, and one roll-up each of isolated-system and no-system-of-record
    assert len([x for x in lines if x.startswith("::warning")]) == 14
    assert lines[-1].startswith("stackmap: GitHub shows at most 10 annotations of each level per step")


def test_gitlab_code_quality(stack):
    issues = json.loads(_check(stack, "inv", "-f", "gitlab").stdout)
    assert [(i["check_name"], i["severity"]) for i in issues] == [
        ("customer-data-silo", "major"), ("duplicate-capability", "minor"), ("isolated-system", "minor")]
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["location"]["path"] == "inv/stack.yaml"
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({i["fingerprint"] for i in issues}) == 3


def test_junit_is_well_formed_with_one_case_per_rule(stack):
    done = _check(stack, "inv", "-f", "junit", "--fail-on", "warning")
    root = ET.fromstring(done.stdout.encode())
    suite = root.find("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert list(cases) == sorted(RULES)
    assert suite.get("tests") == str(len(RULES)) and suite.get("failures") == "3"
    assert [f.get("type") for f in cases["duplicate-capability"].findall("failure")] == ["warning"]
    assert "\x01" not in done.stdout and "News\ufffd: a" in done.stdout
    assert cases["customer-data-unsynced"].find("failure") is None
    below = ET.fromstring(_check(stack, "inv", "-f", "junit").stdout.encode())
    case = [c for c in below.iter("testcase") if c.get("name") == "isolated-system"][0]
    assert case.find("failure") is None
    assert case.find("system-out").text.startswith("warning: inv/stack.yaml:5:5: News")


def test_markdown_summary_and_escaping(stack):
    out = _check(stack, "inv", "-f", "markdown").stdout
    assert out.startswith("## stackmap check\n\n**1 error · 2 warnings · 0 info** (0 waived, 0 baselined): "
                          "fails at fail-on `error`. 3 systems, 1 flow in 1 file.\n")
    assert "| `customer-data-silo` | 1 | 0 | 0 | 0 |" in out
    assert "| `inv/stack.yaml:4` | `duplicate-capability` | capability 'email' is provided by 2 systems" in out
    assert "<b>" not in out


def test_several_outputs_in_one_run(stack):
    done = _check(stack, "inv", "-o", "sarif=out/r.sarif", "--output", "junit=out/r.xml", "-o", "json=r.json")
    assert done.returncode == 1
    assert done.stdout.startswith("Errors (1)")
    assert json.loads((stack / "out/r.sarif").read_text())["version"] == "2.1.0"
    ET.fromstring((stack / "out/r.xml").read_bytes())
    assert json.loads((stack / "r.json").read_text())["summary"]["error"] == 1
    bad = _check(stack, "inv", "-o", "sarif")
    assert bad.returncode == 2 and "expected FORMAT=PATH" in bad.stderr
    assert "unknown format 'xml'" in _check(stack, "inv", "-o", "xml=a").stderr


def test_json_carries_status_and_notes(stack):
    doc = json.loads(_check(stack, "inv", "-f", "json").stdout)
    assert {f["status"] for f in doc["findings"]} == {"new"}
    assert doc["summary"]["new"] == 3 and doc["summary"]["waived"] == 0 and doc["notes"] == []


def test_annotation_of_a_finding_with_newline_in_a_property():
    from stackmap.analysis.findings import Finding, Severity
    from stackmap.load.inventory import Location

    f = Finding("isolated-system", Severity.INFO, "m", ("a",), Location("dir,x/a:b.yaml", 3, 1), (), "fp")
    assert annotation(f) == "::notice file=dir%2Cx/a%3Ab.yaml,line=3,col=1,title=stackmap isolated-system::m"


def test_text_lists_systems_with_several_findings_together(tmp_path):
    write(tmp_path, {"stack.yaml": """
        systems:
          - {id: crm, name: CRM, owner: sales, it_reviewed: true, roles: [system-of-record], data: [contact],
             capabilities: [email-marketing]}
          - {id: mail, name: Mail, owner: events, it_reviewed: false, data: [contact], capabilities: [email-marketing]}
        flows:
          - {from: crm, to: mail, data: [contact]}
    """})
    out = _check(tmp_path, "stack.yaml").stdout
    block = out.split("By system (3 or more findings)\n", 1)[1].split("\n\n", 1)[0]
    assert block == "  mail: 3 findings (consent-not-propagated, duplicate-capability, shadow-it)"


@pytest.mark.parametrize(("text", "plain", "github"), [
    ("Zoë → CRM", "Zoë → CRM", "Zoë → CRM"),
    ("tab\tkept", "tab\tkept", "tab\tkept"),
    ("a\nb\rc", "a\\nb\\x0dc", "a%0Ab%0Dc"),
    ("évil\x1b[31m", "évil\\x1b[31m", "évil\\x1b[31m"),
    ("Zoë \u202egnp.exe", "Zoë \\u202egnp.exe", "Zoë \\u202egnp.exe"),
    ("\x85 next line, \u2066isolate", "\\x85 next line, \\u2066isolate", "\\x85 next line, \\u2066isolate"),
])
def test_user_text_is_escaped_only_where_it_must_be(text: str, plain: str, github: str) -> None:
    from stackmap.formats.text import clean

    assert clean(text) == plain
    assert escape_data(text) == github
