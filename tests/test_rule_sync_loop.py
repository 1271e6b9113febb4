from helpers import findings, summary

RULE = "sync-loop"


def test_one_finding_per_loop_listing_its_categories(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: crm, name: CRM}
          - {id: map, name: MAP}
          - {id: dwh, name: Warehouse}
          - {id: rev, name: Reverse ETL}
          - {id: old, name: Old, lifecycle: retired}
        flows:
          - {from: crm, to: map, data: [contact, lead]}
          - {from: map, to: crm, data: [contact, lead, behavioral]}
          - {from: crm, to: dwh, data: [account]}
          - {from: dwh, to: rev, data: [account]}
          - {from: rev, to: crm, data: [account]}
          - {from: map, to: old, data: [behavioral]}
          - {from: old, to: map, data: [behavioral]}
    """, RULE)
    assert summary(found) == [(RULE, ("crm", "dwh", "rev")), (RULE, ("crm", "map"))]
    assert [f.data for f in found] == [("account",), ("contact", "lead")]
    assert found[1].message == "crm, map write contact, lead data to each other in a loop: decide which system owns it"
