from helpers import findings, summary

RULE = "isolated-system"


def test_system_without_flows_is_isolated(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM}
          - {id: web, name: Web}
          - {id: canva, name: Canva}
        flows:
          - {from: web, to: crm, data: [lead]}
    """, RULE)
    assert summary(found) == [(RULE, ("canva",))]
    assert found[0].message == "Canva (canva) has no flow to or from any other system"
    assert found[0].severity.value == "warning"
    assert (found[0].location.file, found[0].location.line) == ("stack.yaml", 5)


def test_flow_only_to_retired_system_leaves_system_isolated(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM}
          - {id: old, name: Old, lifecycle: retired}
        flows:
          - {from: crm, to: old, data: [contact]}
    """, RULE)
    assert summary(found) == [(RULE, ("crm",))]


def test_retired_system_is_never_reported(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: old, name: Old, lifecycle: retired}
    """, RULE)
    assert found == []


def test_planned_and_retiring_systems_count_as_partners(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: a, name: A, lifecycle: planned}
          - {id: b, name: B, lifecycle: retiring}
          - {id: c, name: C, lifecycle: planned}
        flows:
          - {from: a, to: b}
    """, RULE)
    assert summary(found) == [(RULE, ("c",))]


def test_flow_without_data_still_connects(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: a, name: A}
          - {id: b, name: B}
        flows:
          - {from: a, to: b}
    """, RULE)
    assert found == []
