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
      - {id: crm, name: CRM, data: [contact], it_reviewed: true}
      - {id: old, name: Old, data: [contact], it_reviewed: false, lifecycle: retired}
      - {id: next, name: Next, data: [contact], it_reviewed: false, lifecycle: planned}
"""


def test_unreviewed_customer_data_is_a_warning_unknown_status_info(tmp_path):
    found = findings(tmp_path, STACK, RULE)
    assert [(f.systems, f.severity) for f in found] == [
        (("mailchimp",), Severity.WARNING),
        (("next",), Severity.WARNING),
        (("figma",), Severity.INFO),
        (("typeform",), Severity.INFO),
    ]
    assert found[0].message == (
        "Mailchimp (mailchimp, owned by events) stores customer data (contact) but has not been reviewed by IT"
    )
    assert found[0].data == ("contact",)
    assert found[3].message == (
        "Typeform (typeform) has no recorded IT review status and stores customer data (lead); set `it_reviewed`"
    )
    assert found[2].message == "Figma (figma) has no recorded IT review status; set `it_reviewed`"


def test_configured_severity_overrides_the_hint(tmp_path):
    from helpers import inventory

    config = Config(rules={RULE: RuleSetting(severity=Severity.ERROR)})
    found = [f for f in analyse(inventory(tmp_path, STACK), config).findings if f.rule == RULE]
    assert {f.severity for f in found} == {Severity.ERROR}
    assert len(found) == 4


def test_fingerprint_is_stable_across_severities(tmp_path):
    unknown = findings(tmp_path, "systems: [{id: a, name: A, data: [contact]}]", RULE)
    known = findings(tmp_path, "systems: [{id: a, name: A, data: [contact], it_reviewed: false}]", RULE)
    assert summary(unknown) == summary(known) == [(RULE, ("a",))]
    assert unknown[0].fingerprint == known[0].fingerprint
