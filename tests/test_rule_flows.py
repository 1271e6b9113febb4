from helpers import findings, summary


def test_flow_to_retired_system_one_per_retired_system_listing_its_flows(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM}
          - {id: old, name: Old, lifecycle: retired}
          - {id: older, name: Older, lifecycle: retired}
        flows:
          - {from: crm, to: old, data: [contact]}
          - {from: old, to: crm, data: [lead], mechanism: batch}
          - {from: older, to: crm, data: [content]}
          - {from: older, to: old, data: [contact]}
    """, "flow-to-retired-system")
    assert summary(found) == [("flow-to-retired-system", ("old",)), ("flow-to-retired-system", ("older",))]
    old, older = found
    assert (old.severity.value, older.severity.value) == ("error", "warning")  # contacts flow into old
    assert old.location.line == 4 and older.location.line == 5
    assert sorted(r.line for r in old.related) == [7, 8]  # its live flows, not the retired-to-retired one
    assert old.message == ("Old (old) is retired but still has 2 flows: crm → old (contact); "
                           "old → crm (batch: lead); customer data (contact) still flows into it: "
                           "remove the flows or switch the integrations off")
    assert older.message == ("Older (older) is retired but still has 1 flow: older → crm (content): "
                             "remove the flows or switch the integrations off")


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


def test_flow_finding_at_the_flow_keeps_its_fingerprint_when_data_is_added(tmp_path):
    first = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, it_reviewed: true}
          - {id: ads, name: Ads, it_reviewed: false}
        flows:
          - {from: crm, to: ads, data: [contact], mechanism: api}
    """, "customer-data-to-unreviewed")
    second = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM, it_reviewed: true}
          - {id: ads, name: Ads, it_reviewed: false}
        flows:
          - {from: crm, to: ads, data: [lead, contact], mechanism: api}
    """, "customer-data-to-unreviewed")
    assert first[0].fingerprint == second[0].fingerprint
    assert first[0].location.line == 6 and [r.line for r in first[0].related] == [4, 3]  # ads, crm


def test_flows_without_data_roll_up_when_most_lack_it(tmp_path):
    flows = "".join(f"  - {{from: s{i}, to: s{i + 1}}}\n" for i in range(5))
    systems = "".join(f"  - {{id: s{i}, name: S{i}}}\n" for i in range(6))
    found = findings(tmp_path, "systems:\n" + systems + "flows:\n" + flows, "flow-without-data")
    assert [(f.systems, f.flow, f.location.line) for f in found] == [
        (("s0", "s1", "s2", "s3", "s4", "s5"), None, 1)]
    assert found[0].message == ("5 flows of 5 list no data, so the customer-data rules cannot see what they "
                                "carry; add `data` to each. Systems concerned: s0, s1, s2, s3, s4, s5")
