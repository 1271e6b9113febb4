from helpers import findings, summary

from stackmap.analysis.config import Config, RuleSetting
from stackmap.analysis.engine import analyse
from stackmap.analysis.findings import Severity

RULE = "shadow-it"
STACK = """
    systems:
      - {id: mailchimp, name: Mailchimp, owner: events, data: [contact, content], it_reviewed: false}
      - {id: canva, name: Canva, data: [content], it_reviewed: false}
      - {id: typeform, name: Typeform, data: [lead]}
      - {id: figma, name: Figma}
      - {id: lead-forms, name: Lead forms, owner: marketing, data: [lead]}
      - {id: crm, name: CRM, data: [contact], it_reviewed: true}
      - {id: old, name: Old, data: [contact], it_reviewed: false, lifecycle: retired}
      - {id: next, name: Next, data: [contact], it_reviewed: false, lifecycle: planned}
"""


def test_severity_from_the_combination_and_one_rollup_for_unknown_statuses(tmp_path):
    found = findings(tmp_path, STACK, RULE)
    assert [(f.systems, f.severity) for f in found] == [
        (("mailchimp",), Severity.WARNING),
        (("next",), Severity.WARNING),
        (("typeform",), Severity.WARNING),  # customer data, no owner, no review
        (("figma", "lead-forms"), Severity.INFO),  # one roll-up, not one per system
    ]
    assert found[0].message == (
        "Mailchimp (mailchimp, owned by events) stores customer data (contact) but has not been reviewed by IT"
    )
    assert found[0].data == ("contact",)
    assert found[2].message == (
        "Typeform (typeform) stores customer data (lead) with no owner and no recorded IT review: nobody "
        "answers for it; set `owner` and have IT review it"
    )
    assert found[3].message == ("2 systems of 7 have no recorded IT review status (1 of them store customer "
                                "data); set `it_reviewed`: figma, lead-forms")
    assert found[3].location.line == 1  # a stack-wide roll-up


def test_rollup_keeps_its_fingerprint_when_its_list_changes(tmp_path):
    one = findings(tmp_path, "systems: [{id: a, name: A}]", RULE)
    two = findings(tmp_path, "systems: [{id: a, name: A}, {id: b, name: B}]", RULE)
    assert one[0].fingerprint == two[0].fingerprint and one[0].systems != two[0].systems


def test_configured_severity_overrides_the_hint(tmp_path):
    from helpers import inventory

    config = Config(rules={RULE: RuleSetting(severity=Severity.ERROR)})
    found = [f for f in analyse(inventory(tmp_path, STACK), config).findings if f.rule == RULE]
    assert {f.severity for f in found} == {Severity.ERROR}
    assert len(found) == 4  # three warnings and the roll-up


def test_fingerprint_is_stable_across_severities(tmp_path):
    unknown = findings(tmp_path, "systems: [{id: a, name: A, data: [contact]}]", RULE)
    known = findings(tmp_path, "systems: [{id: a, name: A, data: [contact], it_reviewed: false}]", RULE)
    assert summary(unknown) == summary(known) == [(RULE, ("a",))]
    assert unknown[0].fingerprint == known[0].fingerprint
