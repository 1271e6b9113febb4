from helpers import findings, summary

from stackmap.analysis.options import Options

RULE = "customer-data-silo"


def test_system_linked_only_by_non_customer_flows_is_a_silo(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record], data: [contact]}
          - {id: forms, name: Forms, data: [lead, content]}
          - {id: web, name: Web, data: [content]}
        flows:
          - {from: forms, to: crm, data: [content]}
          - {from: web, to: crm, data: [content]}
    """, RULE)
    assert summary(found) == [(RULE, ("forms",))]
    assert found[0].severity.value == "error"
    assert found[0].data == ("lead",)
    assert found[0].message == (
        "Forms (forms) stores customer data (lead) with no customer-data flow path to a system of record (crm)"
    )


def test_direction_does_not_matter_and_paths_may_be_long(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record]}
          - {id: a, name: A, data: [contact]}
          - {id: b, name: B}
          - {id: c, name: C, data: [behavioral]}
        flows:
          - {from: crm, to: b, data: [contact]}
          - {from: a, to: b, data: [contact]}
          - {from: c, to: a, data: [behavioral]}
    """, RULE)
    assert found == []


def test_retired_systems_neither_silos_nor_bridges_nor_records(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record], data: [contact]}
          - {id: bridge, name: Bridge, lifecycle: retired}
          - {id: app, name: App, data: [contact]}
          - {id: gone, name: Gone, data: [contact], lifecycle: retired}
          - {id: old-crm, name: Old CRM, roles: [system-of-record], lifecycle: retired}
          - {id: shop, name: Shop, data: [transactional]}
        flows:
          - {from: crm, to: bridge, data: [contact]}
          - {from: bridge, to: app, data: [contact]}
          - {from: shop, to: old-crm, data: [transactional]}
    """, RULE)
    assert summary(found) == [(RULE, ("app",)), (RULE, ("shop",))]


def test_planned_system_creating_a_silo_is_reported(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, roles: [system-of-record]}
          - {id: new-tool, name: New, data: [contact], lifecycle: planned}
    """, RULE)
    assert summary(found) == [(RULE, ("new-tool",))]


def test_redefined_builtin_category_changes_the_verdict(tmp_path):
    found = findings(tmp_path, """
        data_categories:
          - {id: behavioral, customer: false}
        systems:
          - {id: crm, name: CRM, roles: [system-of-record]}
          - {id: ga, name: GA, data: [behavioral]}
    """, RULE)
    assert found == []


def test_custom_category_is_customer_data_by_default(tmp_path):
    found = findings(tmp_path, """
        data_categories:
          - {id: loyalty-points}
        systems:
          - {id: crm, name: CRM, roles: [system-of-record]}
          - {id: loyalty, name: Loyalty, data: [loyalty-points]}
    """, RULE)
    assert summary(found) == [(RULE, ("loyalty",))]


def test_without_record_every_component_but_the_largest_is_reported(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: a, name: A, data: [contact]}
          - {id: b, name: B, data: [contact]}
          - {id: c, name: C, data: [contact]}
          - {id: d, name: D, data: [contact]}
          - {id: e, name: E, data: [contact]}
        flows:
          - {from: c, to: d, data: [contact]}
          - {from: d, to: e, data: [contact]}
          - {from: a, to: b, data: [contact]}
    """, RULE)
    assert summary(found) == [(RULE, ("a",)), (RULE, ("b",))]


def test_without_record_ties_go_to_the_smallest_id(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: zeta, name: Z, data: [contact]}
          - {id: yak, name: Y, data: [contact]}
          - {id: beta, name: B, data: [contact]}
          - {id: alpha, name: A, data: [contact]}
        flows:
          - {from: zeta, to: yak, data: [contact]}
          - {from: beta, to: alpha, data: [contact]}
    """, RULE)
    assert summary(found) == [(RULE, ("yak",)), (RULE, ("zeta",))]


def test_configured_record_roles(tmp_path):
    text = """
        systems:
          - {id: cdp, name: CDP, roles: [customer-master], data: [contact]}
          - {id: app, name: App, data: [contact]}
        flows:
          - {from: app, to: cdp, data: [contact]}
    """
    assert findings(tmp_path, text, RULE, Options(record_roles=("customer-master",))) == []
    assert findings(tmp_path, text, "no-system-of-record")  # default roles: none is a record
