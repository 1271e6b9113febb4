"""The shipped sample exhibits every rule (``no-system-of-record`` in examples/, which has no record)."""

from pathlib import Path

from stackmap.analysis.engine import analyse
from stackmap.load.inventory import load_inventory
from stackmap.analysis.rules import RULES

ROOT = Path(__file__).parent.parent


def test_every_rule_fires_on_the_sample():
    fired = {f.rule for f in analyse(load_inventory([ROOT / "inventories"])).findings}
    fired |= {f.rule for f in analyse(load_inventory([ROOT / "examples" / "no-system-of-record"])).findings}
    assert sorted(set(RULES) - fired) == []


def test_sample_governance_findings():
    found = analyse(load_inventory([ROOT / "inventories"])).findings
    by_rule: dict[str, list[tuple[str, ...]]] = {}
    for f in found:
        by_rule.setdefault(f.rule, []).append(f.systems)
    assert by_rule["unowned-system"] == [("zoominfo",)]
    assert by_rule["consent-not-propagated"] == [("mailchimp",)]
    assert by_rule["sync-loop"] == [
        ("braze", "segment"),
        ("fivetran", "hightouch", "salesforce", "snowflake"),
        ("fivetran", "hightouch", "salesforce", "snowflake", "workato", "zendesk"),
        ("marketo", "salesforce"),
    ]
    assert len(by_rule["point-to-point-sprawl"]) == 1
    assert ("salesforce",) in by_rule["integration-hotspot"]
