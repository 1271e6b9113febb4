from helpers import findings, summary

RULE = "customer-data-unsynced"


def test_receiving_only_consumers_are_not_unsynced(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record], data: [contact, account]}
          - {id: bi, name: BI tool, data: [contact, account]}
          - {id: forecast, name: Forecasting, data: [account]}
        flows:
          - {from: crm, to: bi, data: [contact, account]}
          - {from: bi, to: forecast, data: [account]}
    """, RULE)
    assert found == []


def test_created_category_without_a_path_of_that_category(tmp_path):
    # the learning platform's contacts never reach the CRM: only events do, and events don't count
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record], data: [contact]}
          - {id: ga, name: Analytics, data: [behavioral]}
          - {id: academy, name: Academy, data: [contact, behavioral]}
        flows:
          - {from: academy, to: ga, data: [behavioral]}
          - {from: ga, to: crm, data: [behavioral, contact]}
    """, RULE)
    assert summary(found) == [(RULE, ("academy",))]
    assert found[0].data == ("contact",)
    assert found[0].message == ("Academy (academy) captures customer data (contact) that no flow carries into "
                                "a system of record (crm)")


def test_path_of_the_same_category_through_intermediaries_syncs(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record]}
          - {id: hub, name: Hub}
          - {id: forms, name: Forms, data: [lead]}
        flows:
          - {from: forms, to: hub, data: [lead]}
          - {from: hub, to: crm, data: [lead]}
    """, RULE)
    assert found == []


def test_messaging_tool_owns_its_opt_outs(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record], data: [contact, consent]}
          - {id: mail, name: Mail, capabilities: [email-marketing], data: [contact, consent]}
        flows:
          - {from: crm, to: mail, data: [contact, consent]}
          - {from: mail, to: crm, data: [content]}
    """, RULE)
    assert summary(found) == [(RULE, ("mail",))]
    assert found[0].data == ("consent",)


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
          - {id: forms, name: Forms, data: [lead]}
        flows:
          - {from: crm, to: forms, data: [contact]}
          - {from: forms, to: old, data: [lead]}
          - {from: old, to: crm, data: [lead]}
    """, RULE)
    assert summary(found) == [(RULE, ("forms",))]
