"""Waivers, inline ignores and baselines: accepted findings never fail a run; new ones do."""

import datetime
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from ci_helpers import run
from helpers import write

from stackmap.analysis.config_file import parse_config
from stackmap.analysis.engine import Accepted, analyse, fails
from stackmap.errors import InventoryError
from stackmap.analysis.findings import Status
from stackmap.load.inventory import load_inventory

STACK = """
    systems:
      - {owner: team, it_reviewed: true, id: crm, name: CRM, roles: [system-of-record], data: [contact]}
      - {owner: team, it_reviewed: true, id: mail, name: Mail, data: [contact], capabilities: [email]}
      - {owner: team, it_reviewed: true, id: news, name: News, data: [contact], capabilities: [email]}
    flows:
      - {from: mail, to: crm, data: [contact]}
"""
WAIVER = """
    waivers:
      - rule: customer-data-silo
        target: news
        reason: Newsletter tool is being retired.
        expires: 2025-03-31
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def _analyse(tmp_path, config_text, today):
    write(tmp_path, {"stack.yaml": STACK, "c.yaml": config_text})
    return analyse(load_inventory([Path("stack.yaml")]), parse_config(Path("c.yaml")), today=today)


def _status(result):
    return [(f.rule, f.systems, f.status.value) for f in result.findings]


def test_waiver_in_force_waives_and_does_not_fail(tmp_path):
    result = _analyse(tmp_path, WAIVER, datetime.date(2025, 1, 1))
    assert _status(result) == [
        ("customer-data-silo", ("news",), "waived"),
        ("duplicate-capability", ("mail", "news"), "new"),
        ("isolated-system", ("news",), "new"),
    ]
    assert result.findings[0].justification == "Newsletter tool is being retired."
    assert not fails(result.findings, "error")
    assert result.notes == []


def test_waiver_expiring_within_30_days_is_noted(tmp_path):
    result = _analyse(tmp_path, WAIVER, datetime.date(2025, 3, 2))
    assert result.findings[0].status is Status.WAIVED
    assert result.notes == ["waiver of customer-data-silo for 'news' (c.yaml:3:5) expires on 2025-03-31 "
                            "(in 29 days): renew it or fix the finding"]
    assert _analyse(tmp_path, WAIVER, datetime.date(2025, 3, 1)).notes == []


def test_waiver_applies_on_its_last_day_and_expires_the_day_after(tmp_path):
    assert _analyse(tmp_path, WAIVER, datetime.date(2025, 3, 31)).findings[0].status is Status.WAIVED
    result = _analyse(tmp_path, WAIVER, datetime.date(2025, 4, 1))
    assert _status(result) == [
        ("customer-data-silo", ("news",), "new"),
        ("expired-waiver", ("news",), "new"),
        ("duplicate-capability", ("mail", "news"), "new"),
        ("isolated-system", ("news",), "new"),
    ]
    expired = result.findings[1]
    assert expired.severity.value == "error"
    assert (expired.location.file, expired.location.line) == ("c.yaml", 3)
    assert expired.message.startswith("the waiver of customer-data-silo for 'news' expired on 2025-03-31 "
                                      "(reason: Newsletter tool is being retired.); reported again: ")
    assert fails(result.findings, "error")


def test_waiver_matching_nothing_is_noted(tmp_path):
    text = WAIVER.replace("target: news", "target: nothing-here")
    assert _analyse(tmp_path, text, datetime.date(2025, 1, 1)).notes == [
        "waiver of customer-data-silo for 'nothing-here' (c.yaml:3:5) matches no finding: remove it"
    ]


def test_waiver_targets_a_capability(tmp_path):
    text = WAIVER.replace("customer-data-silo", "duplicate-capability").replace("target: news", "target: email")
    result = _analyse(tmp_path, text, datetime.date(2025, 1, 1))
    assert ("duplicate-capability", ("mail", "news"), "waived") in _status(result)


@pytest.mark.parametrize("waiver, message", [
    ("{rule: customer-data-silo, target: news, expires: 2025-01-01}", "waivers[0]: missing required field 'reason'"),
    ("{rule: customer-data-silo, target: news, reason: x}", "waivers[0]: missing required field 'expires'"),
    ("{rule: silo, target: news, reason: x, expires: 2025-01-01}", "waivers[0].rule: unknown rule 'silo'"),
    ("{rule: customer-data-silo, target: news, reason: x, expires: soon}",
     "waivers[0].expires: expected a date like 2025-06-30"),
    ("{rule: customer-data-silo, target: news, reason: '', expires: 2025-01-01}", "waivers[0].reason: expected text"),
])
def test_waiver_fields_are_required(tmp_path, waiver, message):
    write(tmp_path, {"c.yaml": f"waivers:\n  - {waiver}\n"})
    with pytest.raises(Exception) as err:
        parse_config(tmp_path / "c.yaml")
    assert message in str(err.value)


def test_waivers_file_is_read_beside_the_configuration(tmp_path):
    write(tmp_path, {"stack.yaml": STACK, ".stackmap-waivers.yaml": WAIVER})
    done = run(["check", "stack.yaml", "-f", "json"], tmp_path, {"STACKMAP_TODAY": "2025-01-01"})
    doc = json.loads(done.stdout)
    assert [(f["rule"], f["status"]) for f in doc["findings"]] == [
        ("customer-data-silo", "waived"), ("duplicate-capability", "new"), ("isolated-system", "new")]
    assert done.returncode == 0
    expired = run(["check", "stack.yaml"], tmp_path, {"STACKMAP_TODAY": "2025-04-01"})
    assert expired.returncode == 1
    assert ".stackmap-waivers.yaml:3:5: the waiver of customer-data-silo for 'news' expired" in expired.stdout


INLINE = """
    systems:
      - {owner: team, it_reviewed: true, id: crm, name: CRM, roles: [system-of-record], data: [contact]}
      - id: archive
        name: Archive
        owner: records
        it_reviewed: true
        x-stackmap-ignore:
          isolated-system: Read-only archive, nothing flows in or out.
      - {owner: team, it_reviewed: true, id: a, name: A}
      - {owner: team, it_reviewed: true, id: b, name: B}
    flows:
      - id: sync
        from: a
        to: b
        x-stackmap-ignore: {flow-without-data: "Carries only a heartbeat."}
"""


def test_inline_ignore_on_a_system_and_a_flow(tmp_path):
    write(tmp_path, {"stack.yaml": INLINE})
    result = analyse(load_inventory([Path("stack.yaml")]))
    assert _status(result) == [
        ("isolated-system", ("archive",), "waived"),
        ("isolated-system", ("crm",), "new"),
        ("flow-without-data", ("a", "b"), "waived"),
    ]
    assert result.findings[0].justification == "Read-only archive, nothing flows in or out."
    assert result.findings[2].justification == "Carries only a heartbeat."


@pytest.mark.parametrize("value, message", [
    ("[isolated-system]", "stack.yaml:4:24: systems[1].x-stackmap-ignore: give each rule with its reason"),
    ("{isolated-system: ''}", "stack.yaml:4:42: systems[1].x-stackmap-ignore.isolated-system: give the reason as text"),
])
def test_inline_ignore_needs_a_reason(tmp_path, value, message):
    write(tmp_path, {"stack.yaml": f"systems:\n  - {{owner: team, it_reviewed: true, id: crm, name: CRM}}\n  - id: x\n    x-stackmap-ignore: {value}\n    name: X\n"})
    with pytest.raises(InventoryError) as err:
        load_inventory([Path("stack.yaml")])
    assert [str(p) for p in err.value.problems] == [message + (
        ", e.g. `x-stackmap-ignore: {isolated-system: \"kept for audits until June\"}`" if "[" in value else "")]


def test_inline_ignore_of_an_unknown_rule_is_an_inventory_problem(tmp_path):
    write(tmp_path, {"stack.yaml": "systems:\n  - id: x\n    name: X\n    x-stackmap-ignore: {isolated-sytem: why}\n"})
    inventory = load_inventory([Path("stack.yaml")])
    with pytest.raises(InventoryError) as err:
        analyse(inventory)
    assert str(err.value.problems[0]).startswith(
        "stack.yaml:4:25: x-stackmap-ignore: unknown rule 'isolated-sytem' (did you mean 'isolated-system'?)")


def test_inline_ignore_value_is_bounded(tmp_path):
    big = "{" + ", ".join(f"r{i}: why" for i in range(150)) + "}"
    write(tmp_path, {"stack.yaml": f"systems:\n  - id: x\n    name: X\n    x-stackmap-ignore: {big}\n"})
    with pytest.raises(InventoryError) as err:
        load_inventory([Path("stack.yaml")])
    assert str(err.value.problems[0]) == "stack.yaml:4:24: x-stackmap-ignore: too large (more than 200 nodes)"


def test_other_x_keys_are_still_dropped_and_bombs_stay_bounded(tmp_path):
    bomb = "x-bomb: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"x-b{i}: &a{i} [*{'a' if i == 0 else f'a{i - 1}'}, *{'a' if i == 0 else f'a{i - 1}'}]\n" for i in range(30))
    write(tmp_path, {"stack.yaml": bomb + "systems:\n  - id: x\n    name: X\n    x-stackmap-ignore: *a29\n"})
    with pytest.raises(InventoryError) as err:
        load_inventory([Path("stack.yaml")])
    assert "x-stackmap-ignore: too large" in str(err.value.problems[0])


def test_baseline_life_cycle(tmp_path):
    write(tmp_path, {"inv/stack.yaml": STACK})
    created = run(["baseline", "create", "inv"], tmp_path)
    assert created.returncode == 0, created.stderr
    assert created.stdout == "wrote .stackmap-baseline.json: 3 findings accepted\n"
    doc = json.loads((tmp_path / ".stackmap-baseline.json").read_text())
    assert [(e["rule"], e["subject"]) for e in doc["findings"]] == [
        ("customer-data-silo", "news"), ("duplicate-capability", "capability email: mail, news"),
        ("isolated-system", "news")]
    assert run(["baseline", "create", "inv"], tmp_path).returncode == 2  # exists: update instead

    assert run(["check", "inv", "--baseline", ".stackmap-baseline.json"], tmp_path).returncode == 0

    # A new problem fails; the accepted ones do not.
    write(tmp_path, {"inv/more.yaml": "systems:\n  - {owner: team, it_reviewed: true, id: forms, name: Forms, data: [lead]}\n"})
    done = run(["check", "inv", "--baseline", ".stackmap-baseline.json"], tmp_path)
    assert done.returncode == 1
    assert "customer-data-silo" in done.stdout and "Forms (forms)" in done.stdout
    assert "News (news)" not in done.stdout
    assert done.stdout.endswith("1 error, 1 warning, 0 info; 3 baselined (fails at --fail-on error)\n")

    refused = run(["baseline", "update", "inv"], tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.startswith("2 findings not in .stackmap-baseline.json; fix them, waive them, or "
                                     "accept them with --accept-new:\n")
    accepted = run(["baseline", "update", "inv", "--accept-new"], tmp_path)
    assert accepted.stdout == "updated .stackmap-baseline.json: 5 findings accepted, 2 added, 0 dropped\n"

    # Fixing a finding leaves a stale entry: reported, and dropped by update.
    (tmp_path / "inv/more.yaml").unlink()
    stale = run(["check", "inv", "--baseline", ".stackmap-baseline.json"], tmp_path)
    assert stale.returncode == 0
    assert ("note: 2 entries of .stackmap-baseline.json match no finding any more; run `stackmap baseline "
            "update` to drop them") in stale.stdout
    dropped = run(["baseline", "update", "inv"], tmp_path)
    assert dropped.stdout == "updated .stackmap-baseline.json: 3 findings accepted, 0 added, 2 dropped\n"
    assert json.loads((tmp_path / ".stackmap-baseline.json").read_text()) == doc


def test_baseline_fingerprints_ignore_line_moves(tmp_path):
    write(tmp_path, {"stack.yaml": STACK})
    first = analyse(load_inventory([Path("stack.yaml")]))
    write(tmp_path, {"stack.yaml": "# moved\n\n" + STACK})
    moved = load_inventory([Path("stack.yaml")])
    again = analyse(moved, accepted=(Accepted(frozenset(f.fingerprint for f in first.findings), "b"),))
    assert {f.status for f in again.findings} == {Status.BASELINED}


def test_missing_or_broken_baseline_is_a_usage_error(tmp_path):
    write(tmp_path, {"stack.yaml": STACK, "bad.json": "{\"findings\": 3}"})
    missing = run(["check", "stack.yaml", "--baseline", "nope.json"], tmp_path)
    assert missing.returncode == 2
    assert "nope.json: no such baseline file (create it with `stackmap baseline create`)" in missing.stderr
    assert "not a version 1 baseline file" in run(["check", "stack.yaml", "--baseline", "bad.json"], tmp_path).stderr
