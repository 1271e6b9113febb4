from helpers import findings, summary

RULE = "unowned-system"


def test_missing_or_blank_owner(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: a, name: A, owner: it}
          - {id: b, name: B, annual_cost: 18000}
          - {id: c, name: C, owner: "  "}
          - {id: d, name: D, lifecycle: retired}
          - {id: e, name: E, lifecycle: planned}
    """, RULE)
    assert summary(found) == [(RULE, ("b",)), (RULE, ("c",)), (RULE, ("e",))]
    assert found[0].message == "B (b) has no owner although it costs 18,000 a year; set `owner` to the team that answers for it"
    assert found[1].message == "C (c) has no owner; set `owner` to the team that answers for it"
