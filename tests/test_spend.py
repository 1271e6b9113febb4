import csv
import io
import json

from helpers import inventory

from stackmap.errors import UsageError
from stackmap.analysis.graph import Stack
from stackmap.analysis.options import Options
from stackmap.portfolio.spend import side_of, spend
from stackmap.portfolio.spend_format import FORMATS

STACK = """
    systems:
      - {id: marketo, name: Marketo, owner: marketing-ops, vendor: Adobe, capabilities: [email-marketing, landing-pages], annual_cost: 100000}
      - {id: mailchimp, name: Mailchimp, owner: events, vendor: Intuit, capabilities: [email-marketing], annual_cost: 9600.5}
      - {id: braze, name: Braze, owner: marketing, vendor: Braze, capabilities: [email-marketing], lifecycle: planned}
      - {id: workato, name: Workato, owner: IT, vendor: Workato, capabilities: [ipaas], annual_cost: 50000}
      - {id: slack, name: Slack, owner: it, vendor: Salesforce, capabilities: [messaging]}
      - {id: crm, name: CRM, vendor: Salesforce, annual_cost: 40000, lifecycle: retiring}
      - {id: old, name: Old, owner: marketing, vendor: Adobe, annual_cost: 99999, lifecycle: retired}
"""


def test_spend_by_owner_exact(tmp_path):
    report = spend(Stack(inventory(tmp_path, STACK)), "owner")
    assert report.total == 199600.5
    assert report.systems == 6
    assert [u.id for u in report.without_cost] == ["braze", "slack"]
    assert [(g.key, g.annual_cost, g.systems, g.without_cost) for g in report.groups] == [
        ("marketing-ops", 100000, ("marketo",), ()),
        ("IT", 50000, ("workato",), ()),
        ("(no owner)", 40000, ("crm",), ()),
        ("events", 9600.5, ("mailchimp",), ()),
        ("it", None, (), ("slack",)),
        ("marketing", None, (), ("braze",)),
    ]
    assert round(report.groups[0].share or 0, 3) == 50.100
    # email-marketing: marketo, mailchimp, braze (planned counts; unknown cost listed)
    assert [(o.capability, o.systems, o.annual_cost, o.without_cost) for o in report.overlap] == [
        ("email-marketing", ("braze", "mailchimp", "marketo"), 109600.5, ("braze",)),
    ]
    assert report.overlap_total == 109600.5
    assert [(s.key, s.annual_cost, s.systems, s.without_cost) for s in report.sides] == [
        ("marketing", 100000, ("marketo",), ("braze",)),
        ("it", 50000, ("workato",), ("slack",)),
        ("other", 9600.5, ("mailchimp",), ()),
        ("unowned", 40000, ("crm",), ()),
    ]


def test_spend_by_capability_and_vendor(tmp_path):
    stack = Stack(inventory(tmp_path, STACK))
    by_cap = {g.key: g.annual_cost for g in spend(stack, "capability").groups}
    assert by_cap == {"email-marketing": 109600.5, "landing-pages": 100000, "ipaas": 50000,
                      "(no capability)": 40000, "messaging": None}
    by_vendor = [(g.key, g.annual_cost) for g in spend(stack, "vendor").groups]
    assert by_vendor == [("Adobe", 100000), ("Workato", 50000), ("Salesforce", 40000), ("Intuit", 9600.5),
                         ("Braze", None)]


def test_owner_patterns_are_configurable():
    assert side_of("Performance-Marketing", ("*-marketing",), ("it",)) == "marketing"
    assert side_of("digital", ("marketing",), ("it",)) == "other"
    assert side_of("digital", ("marketing", "digital"), ("it",)) == "marketing"
    assert side_of(" ", ("marketing",), ("it",)) == "unowned"


def test_marketing_and_it_from_options(tmp_path):
    options = Options(marketing_owners=("events",), it_owners=("marketing*",))
    sides = {s.key: s.annual_cost for s in spend(Stack(inventory(tmp_path, STACK), options)).sides}
    assert sides == {"marketing": 9600.5, "it": 100000, "other": 50000, "unowned": 40000}


def test_unknown_dimension_is_a_usage_error(tmp_path):
    try:
        spend(Stack(inventory(tmp_path, STACK)), "vendors")
    except UsageError as exc:
        assert str(exc) == "unknown --by 'vendors' (did you mean 'vendor'?); valid values: owner, capability, vendor"
    else:
        raise AssertionError("expected a UsageError")


def test_formats(tmp_path):
    report = spend(Stack(inventory(tmp_path, STACK)), "owner")
    doc = json.loads(FORMATS["json"](report))
    assert doc["annual_cost"] == 199600.5 and doc["systems_with_cost"] == 4
    assert doc["groups"][-1] == {"key": "marketing", "annual_cost": None, "share_percent": None,
                                 "systems": [], "systems_without_cost": ["braze"]}
    assert doc["money_in_overlap"]["annual_cost"] == 109600.5
    rows = list(csv.reader(io.StringIO(FORMATS["csv"](report))))
    assert rows[0] == ["owner", "annual_cost", "share_percent", "systems", "systems_without_cost"]
    assert rows[1] == ["marketing-ops", "100000", "50.1", "1", ""]
    assert rows[-1] == ["marketing", "", "", "1", "braze"]
    text = FORMATS["text"](report)
    assert text.splitlines()[0] == ("Annual spend: 199,600.50 across 4 systems with a recorded cost; "
                                    "2 systems without a cost (not counted as zero)")
    assert "  braze (Braze; marketing)" in text
    markdown = FORMATS["markdown"](report)
    assert "| marketing-ops | 100,000 | 50.1 % | 1 |  |" in markdown
    assert "| email-marketing | 109,600.50 | braze, mailchimp, marketo | braze |" in markdown
