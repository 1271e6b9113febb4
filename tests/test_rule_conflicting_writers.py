from helpers import findings, summary

RULE = "conflicting-writers"


def test_two_pipes_from_one_source_into_one_target(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: dwh, name: Warehouse, data: [account, contact, behavioral]}
          - {id: crm, name: CRM, roles: [system-of-record], data: [account, contact, behavioral]}
          - {id: hightouch, name: Hightouch}
          - {id: census, name: Census}
        flows:
          - {from: dwh, to: hightouch, data: [account, contact, behavioral]}
          - {from: hightouch, to: crm, data: [account, contact, behavioral], frequency: hourly}
          - {from: dwh, to: census, data: [account, behavioral]}
          - {from: census, to: crm, data: [account, behavioral], frequency: hourly}
    """, RULE)
    assert summary(found) == [(RULE, ("census", "crm", "dwh", "hightouch"))]
    assert found[0].data == ("account",)  # behavioral is append-only; contact has one route
    assert found[0].message == ("2 integrations write account data from dwh into CRM (crm): census, hightouch; "
                                "they overwrite each other: keep one")


def test_recipe_next_to_a_native_connector_and_distinct_sources_pass(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: forms, name: Forms, data: [lead]}
          - {id: webinar, name: Webinar, data: [lead]}
          - {id: crm, name: CRM, data: [lead]}
        flows:
          - {from: forms, to: crm, data: [lead], mechanism: api}
          - {from: forms, to: crm, data: [lead], mechanism: ipaas}
          - {from: webinar, to: crm, data: [lead], mechanism: api}
    """, RULE)
    assert summary(found) == [(RULE, ("crm", "forms"))]
    assert "forms (direct), forms (iPaaS recipe)" in found[0].message
