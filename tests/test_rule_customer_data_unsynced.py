from helpers import findings, summary

RULE = "customer-data-unsynced"


def test_receiving_only_system_is_unsynced(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record], data: [contact]}
          - {id: mail, name: Mail, data: [contact, consent]}
        flows:
          - {from: crm, to: mail, data: [contact]}
    """, RULE)
    assert summary(found) == [(RULE, ("mail",))]
    assert found[0].message == (
        "Mail (mail) stores customer data (consent, contact) but no customer-data flow leads from it into "
        "a system of record (crm)"
    )


def test_directed_path_through_intermediaries_syncs(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record]}
          - {id: hub, name: Hub}
          - {id: mail, name: Mail, data: [contact]}
        flows:
          - {from: crm, to: mail, data: [contact]}
          - {from: mail, to: hub, data: [consent]}
          - {from: hub, to: crm, data: [consent]}
    """, RULE)
    assert found == []


def test_non_customer_flow_back_does_not_sync(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record]}
          - {id: mail, name: Mail, data: [contact]}
        flows:
          - {from: crm, to: mail, data: [contact]}
          - {from: mail, to: crm, data: [content]}
    """, RULE)
    assert summary(found) == [(RULE, ("mail",))]


def test_silos_and_stacks_without_record_are_left_to_other_rules(tmp_path):
    assert findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record]}
          - {id: silo, name: Silo, data: [contact]}
    """, RULE) == []
    assert findings(tmp_path, """
        systems:
          - {id: a, name: A, data: [contact]}
          - {id: b, name: B, data: [contact]}
        flows:
          - {from: a, to: b, data: [contact]}
    """, RULE) == []


def test_path_through_retired_system_does_not_count(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record]}
          - {id: old, name: Old, lifecycle: retired}
          - {id: mail, name: Mail, data: [contact]}
        flows:
          - {from: crm, to: mail, data: [contact]}
          - {from: mail, to: old, data: [contact]}
          - {from: old, to: crm, data: [contact]}
    """, RULE)
    assert summary(found) == [(RULE, ("mail",))]
