from helpers import findings, summary

RULE = "sync-loop"


def test_loops_through_the_master_or_a_warehouse_are_the_design(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record], data: [contact, lead, account]}
          - {id: map, name: MAP, data: [contact, lead, behavioral]}
          - {id: dwh, name: Warehouse, capabilities: [data-warehouse], data: [account, contact]}
          - {id: rev, name: Reverse ETL}
          - {id: events, name: Events, data: [behavioral]}
        flows:
          - {from: crm, to: map, data: [contact, lead]}
          - {from: map, to: crm, data: [contact, lead, behavioral]}
          - {from: crm, to: dwh, data: [account]}
          - {from: map, to: dwh, data: [contact]}
          - {from: dwh, to: rev, data: [account, contact]}
          - {from: rev, to: crm, data: [account]}
          - {from: rev, to: map, data: [contact]}
          - {from: map, to: events, data: [behavioral]}
          - {from: events, to: map, data: [behavioral]}
    """, RULE)
    assert found == []


def test_one_finding_per_loop_of_owners_looking_through_pipes(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record], data: [contact]}
          - {id: mail, name: Mail, data: [contact, lead]}
          - {id: events, name: Events, data: [contact, lead]}
          - {id: zap, name: Zapier}
          - {id: old, name: Old, data: [contact], lifecycle: retired}
        flows:
          - {from: mail, to: events, data: [contact, lead]}
          - {from: events, to: zap, data: [contact, lead]}
          - {from: zap, to: mail, data: [contact, lead]}
          - {from: crm, to: mail, data: [contact]}
          - {from: mail, to: old, data: [contact]}
          - {from: old, to: crm, data: [contact]}
    """, RULE)
    assert summary(found) == [(RULE, ("events", "mail"))]
    assert found[0].data == ("contact", "lead")
    assert found[0].message == (
        "events, mail all keep contact, lead data and write it to each other in a loop with no system of "
        "record among them: each can overwrite the others; make one the master and the other direction "
        "read-only"
    )


def test_defined_append_only_category_never_loops(tmp_path):
    text = """
        data_categories:
          - {id: page-view, append_only: true}
        systems:
          - {id: a, name: A, data: [page-view]}
          - {id: b, name: B, data: [page-view]}
        flows:
          - {from: a, to: b, data: [page-view]}
          - {from: b, to: a, data: [page-view]}
    """
    assert findings(tmp_path, text, RULE) == []
    assert len(findings(tmp_path, text.replace("append_only: true", "append_only: false"), RULE)) == 1
