from helpers import findings, summary

from stackmap.analysis.options import Options

RULE = "consent-not-propagated"
STACK = """
    capabilities:
      - {id: email-marketing, aliases: [email]}
    systems:
      - {id: crm, name: CRM, data: [contact, consent]}
      - {id: mail, name: Mail, capabilities: [email], data: [contact, consent]}
      - {id: push, name: Push, capabilities: [mobile-engagement], data: [contact]}
      - {id: sms, name: SMS tool, capabilities: [sms], data: [lead]}
      - {id: informed, name: Informed, capabilities: [marketing-automation], data: [contact]}
      - {id: old, name: Old, data: [consent], lifecycle: retired}
      - {id: fax, name: Fax, capabilities: [fax-blast], data: [contact]}
    flows:
      - {from: crm, to: mail, data: [contact]}
      - {from: crm, to: informed, data: [contact, consent]}
      - {from: old, to: push, data: [consent]}
"""


def test_messaging_systems_with_contacts_and_no_incoming_consent(tmp_path):
    found = findings(tmp_path, STACK, RULE)
    assert summary(found) == [(RULE, ("mail",)), (RULE, ("push",))]
    assert found[0].message == (
        "Mail (mail) sends messages (email-marketing) to contacts it stores but no flow brings it consent "
        "data: it can message people who opted out elsewhere"
    )
    assert found[0].details == {"messaging_capabilities": ["email-marketing"]}


def test_messaging_capabilities_are_configurable_and_resolve_aliases(tmp_path):
    found = findings(tmp_path, STACK, RULE, Options(messaging_capabilities=("email", "fax-blast")))
    assert summary(found) == [(RULE, ("fax",)), (RULE, ("mail",))]
