from helpers import findings, summary


def test_flow_to_retired_system_one_per_flow_at_the_flow(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM}
          - {id: old, name: Old, lifecycle: retired}
        flows:
          - {from: crm, to: old, data: [contact]}
          - {from: old, to: crm, data: [lead], mechanism: batch}
    """, "flow-to-retired-system")
    assert summary(found) == [("flow-to-retired-system", ("crm", "old"))] * 2
    assert [f.location.line for f in found] == [3, 3]  # crm, the first system named
    assert sorted(f.related[0].line for f in found) == [6, 7]  # each flow, then the other system
    assert all(f.related[1].line == 4 for f in found)
    assert {f.message for f in found} == {
        "flow crm → old (contact) touches retired system old",
        "flow old → crm (batch: lead) touches retired system old",
    }


def test_flow_without_data_is_info_and_skips_retired(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: a, name: A}
          - {id: b, name: B}
          - {id: old, name: Old, lifecycle: retired}
        flows:
          - {id: sync, from: a, to: b}
          - {from: a, to: old}
    """, "flow-without-data")
    assert summary(found) == [("flow-without-data", ("a", "b"))]
    assert found[0].severity.value == "info"
    assert found[0].flow == "sync"
    assert found[0].message == "flow 'sync': a → b lists no data; add what it carries under `data`"


def test_flow_fingerprint_uses_identity_not_position(tmp_path):
    first = findings(tmp_path, """
        systems:
          - {id: a, name: A}
          - {id: b, name: B}
        flows:
          - {from: a, to: b, mechanism: api}
    """, "flow-without-data")
    second = findings(tmp_path, """
        # moved down
        systems:
          - {id: b, name: B}
          - {id: a, name: A}

        flows:
          - {mechanism: api, to: b, from: a}
    """, "flow-without-data")
    assert first[0].fingerprint == second[0].fingerprint
    assert first[0].location.line != second[0].location.line
