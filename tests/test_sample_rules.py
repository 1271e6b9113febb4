"""The shipped sample exhibits every rule (``no-system-of-record`` in examples/, which has no record)."""

from pathlib import Path

from stackmap.analysis.engine import analyse
from stackmap.load.inventory import load_inventory
from stackmap.analysis.rules import RULES

ROOT = Path(__file__).parent.parent


def test_every_rule_fires_on_the_sample():
    fired = {f.rule for f in analyse(load_inventory([ROOT / "inventories"])).findings}
    for example in ("no-system-of-record", "point-to-point-sprawl"):
        fired |= {f.rule for f in analyse(load_inventory([ROOT / "examples" / example])).findings}
    assert sorted(set(RULES) - fired) == []


def test_sample_governance_findings():
    found = analyse(load_inventory([ROOT / "inventories"])).findings
    by_rule: dict[str, list[tuple[str, ...]]] = {}
    for f in found:
        by_rule.setdefault(f.rule, []).append(f.systems)
    assert by_rule["unowned-system"] == [("canva",)]  # zoominfo's is part of its shadow-it warning
    assert by_rule["consent-not-propagated"] == [("mailchimp",)]
    # the CRM's two-way syncs and the warehouse round trip are the design; braze and segment are not
    assert by_rule["sync-loop"] == [("braze", "segment")]
    assert by_rule["conflicting-writers"] == [("census", "hightouch", "salesforce", "snowflake")]
    assert by_rule["flow-to-retired-system"] == [("pardot",)]
    assert "point-to-point-sprawl" not in by_rule  # CRM connectors, tags and warehouse loads
    assert "integration-hotspot" not in by_rule  # hubs by design, and leaves, are not reported
    assert len(found) <= 30
