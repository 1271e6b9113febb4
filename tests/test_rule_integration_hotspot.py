from helpers import findings, summary

RULE = "integration-hotspot"


def test_cut_vertices_name_what_would_be_cut_off(tmp_path):
    # web - crm - shop ; crm - mail ; mail - sms (a chain off crm) ; ads - old (retired)
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, data: [contact]}
          - {id: web, name: Website}
          - {id: shop, name: Shop}
          - {id: mail, name: Mail, data: [contact]}
          - {id: sms, name: SMS}
          - {id: erp, name: ERP}
          - {id: old, name: Old, lifecycle: retired}
        flows:
          - {from: web, to: crm, data: [lead]}
          - {from: shop, to: crm, data: [contact]}
          - {from: shop, to: erp, data: [transactional]}
          - {from: erp, to: crm, data: [account]}
          - {from: crm, to: mail, data: [contact]}
          - {from: mail, to: sms}
          - {from: sms, to: old, data: [contact]}
          - {from: web, to: old, data: [contact]}
    """, RULE)
    # mail only cuts off one leaf that creates no customer data: not an accidental hub
    assert summary(found) == [(RULE, ("crm",))]
    crm = found[0]
    assert crm.message == ("CRM (crm) is an accidental hub: without it 3 systems would be cut off "
                           "from the 2 others connected to it: mail, sms; web")
    assert crm.details == {"cut_off": 3, "kept": 2, "pieces": [
        {"size": 2, "first": "mail", "systems": ["mail", "sms"]},
        {"size": 1, "first": "web", "systems": ["web"]},
    ]}


def test_hubs_by_design_are_not_reported_and_a_stranded_customer_leaf_is(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record], data: [contact]}
          - {id: ipaas, name: iPaaS, capabilities: [ipaas]}
          - {id: a, name: A}
          - {id: b, name: B}
          - {id: mail, name: Mail, data: [contact, lead]}
          - {id: events, name: Events, data: [lead]}
          - {id: quiz, name: Quiz, data: [lead]}
        flows:
          - {from: crm, to: ipaas, data: [contact]}
          - {from: ipaas, to: a, data: [contact]}
          - {from: ipaas, to: b, data: [contact]}
          - {from: crm, to: mail, data: [contact]}
          - {from: events, to: mail, data: [lead]}
          - {from: mail, to: crm, data: [lead]}
          - {from: quiz, to: a, data: [lead]}
    """, RULE)
    # mail alone carries the event leads to the CRM; a's quiz leads never reach it anyway
    assert summary(found) == [(RULE, ("mail",))]


def test_a_cycle_has_no_hotspot(tmp_path):
    assert findings(tmp_path, """
        systems:
          - {id: a, name: A}
          - {id: b, name: B}
          - {id: c, name: C}
        flows:
          - {from: a, to: b, data: [contact]}
          - {from: b, to: c, data: [contact]}
          - {from: c, to: a, data: [contact]}
    """, RULE) == []
