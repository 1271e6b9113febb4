import json

import pytest
from helpers import inventory

from stackmap.errors import UsageError
from stackmap.analysis.graph import Stack
from stackmap.portfolio.impact import impact
from stackmap.portfolio.impact_format import FORMATS

STACK = """
    systems:
      - {id: crm, name: CRM, roles: [system-of-record], data: [contact], capabilities: [crm]}
      - {id: hub, name: Hub, capabilities: [ipaas], annual_cost: 58000, owner: it}
      - {id: desk, name: Desk, data: [contact, support-case], capabilities: [support]}
      - {id: chat, name: Chat, data: [contact], capabilities: [support]}
      - {id: wiki, name: Wiki, capabilities: [docs]}
      - {id: web, name: Website, capabilities: [cms]}
      - {id: blog, name: Blog, capabilities: [cms], lifecycle: retiring}
      - {id: old, name: Old, capabilities: [ipaas], lifecycle: retired}
    flows:
      - {from: desk, to: hub, data: [contact]}
      - {from: hub, to: crm, data: [contact]}
      - {from: crm, to: hub, data: [contact]}
      - {from: hub, to: wiki, data: [content]}
      - {from: chat, to: desk, data: [contact]}
      - {from: crm, to: chat, data: [contact]}
      - {from: web, to: blog, data: [content]}
      - {from: hub, to: old, data: [contact]}
"""


def test_retiring_the_hub(tmp_path):
    report = impact(Stack(inventory(tmp_path, STACK)), "hub")
    assert [f.description for f in report.flows] == [
        "crm → hub (contact)", "desk → hub (contact)", "hub → crm (contact)", "hub → wiki (content)",
    ]
    assert [(f.direction, f.other) for f in report.flows] == [("in", "crm"), ("in", "desk"), ("out", "crm"),
                                                              ("out", "wiki")]
    assert report.isolated == ("wiki",)
    assert report.silos == ()  # desk still reaches crm's group through chat (undirected)
    assert report.unsynced == ("chat", "desk")  # but their customer data no longer flows into crm
    assert [(o.capability, o.retiring) for o in report.orphaned] == [("ipaas", ())]
    assert report.saving == 58000
    assert not report.system_of_record and not report.last_record


def test_retiring_a_provider_leaves_only_a_retiring_one(tmp_path):
    report = impact(Stack(inventory(tmp_path, STACK)), "web")
    assert [(o.capability, o.retiring) for o in report.orphaned] == [("cms", ("blog",))]
    assert report.isolated == ("blog",)
    assert report.saving is None
    assert FORMATS["text"](report).splitlines()[-1] == "Annual cost saved: unknown (no annual_cost recorded)"


def test_retiring_the_only_system_of_record(tmp_path):
    report = impact(Stack(inventory(tmp_path, STACK)), "crm")
    assert report.last_record
    assert report.silos == ()
    assert report.unsynced == ("chat", "desk")
    assert [o.capability for o in report.orphaned] == ["crm"]


def test_unknown_and_retired_systems_are_usage_errors(tmp_path):
    stack = Stack(inventory(tmp_path, STACK))
    with pytest.raises(UsageError, match=r"no system has the id 'hubb' \(did you mean 'hub'\?\); systems: blog, "):
        impact(stack, "hubb")
    with pytest.raises(UsageError, match="'old' is already retired"):
        impact(stack, "old")


def test_json_and_markdown(tmp_path):
    report = impact(Stack(inventory(tmp_path, STACK)), "hub")
    doc = json.loads(FORMATS["json"](report))
    assert doc["report"] == "impact" and doc["annual_cost_saved"] == 58000
    assert doc["become_isolated"] == ["wiki"] and doc["lose_path_to_system_of_record"] == ["chat", "desk"]
    assert doc["capabilities_without_provider"] == [{"capability": "ipaas", "only_retiring_providers": []}]
    markdown = FORMATS["markdown"](report)
    assert markdown.startswith("# Retiring Hub (hub; owned by it; active)\n")
    assert "## Systems left with no flow at all (1)\n\n- wiki\n" in markdown
