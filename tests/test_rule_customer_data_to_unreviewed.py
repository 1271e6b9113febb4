from helpers import findings, summary

RULE = "customer-data-to-unreviewed"


def test_one_finding_per_customer_flow_into_an_unreviewed_system(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, it_reviewed: true}
          - {id: mail, name: Mail tool, it_reviewed: false}
          - {id: forms, name: Forms}
          - {id: old, name: Old, lifecycle: retired, it_reviewed: true}
        flows:
          - {from: crm, to: mail, data: [contact, content], mechanism: batch}
          - {from: crm, to: mail, data: [product], mechanism: api}
          - {from: crm, to: forms, data: [contact]}
          - {from: mail, to: crm, data: [consent]}
          - {from: old, to: mail, data: [contact]}
    """, RULE)
    assert summary(found) == [(RULE, ("crm", "mail"))]
    f = found[0]
    assert f.message == ("flow crm → mail (batch: contact, content) carries customer data (contact) into "
                         "Mail tool (mail), which IT has not reviewed")
    assert f.data == ("contact",)
    assert f.location.line == 8  # the flow's own entry (the text starts with a blank line)
    assert [r.line for r in f.related] == [3, 4]  # then the systems it joins


def test_target_that_declares_customer_data_is_left_to_shadow_it(tmp_path):
    assert findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, it_reviewed: true}
          - {id: mail, name: Mail tool, it_reviewed: false, data: [contact]}
        flows:
          - {from: crm, to: mail, data: [contact]}
    """, RULE) == []


def test_custom_customer_category_counts(tmp_path):
    found = findings(tmp_path, """
        data_categories:
          - {id: loyalty-points, customer: true}
        systems:
          - {id: shop, name: Shop}
          - {id: app, name: App, it_reviewed: false}
        flows:
          - {from: shop, to: app, data: [loyalty-points]}
    """, RULE)
    assert [f.data for f in found] == [("loyalty-points",)]
