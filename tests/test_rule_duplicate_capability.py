from helpers import findings, summary

from stackmap.analysis.options import Options

RULE = "duplicate-capability"


def test_two_providers_with_alias_resolution_and_cost(tmp_path):
    found = findings(tmp_path, """
        capabilities:
          - {id: email-marketing, aliases: [email]}
        systems:
          - {id: mailchimp, name: Mailchimp, owner: events, capabilities: [email], annual_cost: 9600}
          - {id: marketo, name: Marketo, owner: marketing, capabilities: [email-marketing], annual_cost: 145000}
    """, RULE)
    assert summary(found) == [(RULE, ("mailchimp", "marketo"))]
    f = found[0]
    assert f.capability == "email-marketing"
    assert f.message == (
        "capability 'email-marketing' is provided by 2 systems: mailchimp (events), marketo (marketing); "
        "combined annual cost 154,600; owners differ (events, marketing)"
    )
    assert f.details == {"owners": ["events", "marketing"], "owners_differ": True,
                         "combined_annual_cost": 154600.0, "systems_without_cost": 0}


def test_same_owner_and_unknown_cost(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: a, name: A, owner: it, capabilities: [cms], annual_cost: 100}
          - {id: b, name: B, owner: it, capabilities: [cms]}
          - {id: c, name: C, capabilities: [cms]}
    """, RULE)
    assert found[0].message == (
        "capability 'cms' is provided by 3 systems: a (it), b (it), c (no owner); "
        "combined annual cost 100 (2 without a cost)"
    )
    assert found[0].details["owners_differ"] is False


def test_retiring_and_retired_are_left_out_planned_counts(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: a, name: A, capabilities: [cms]}
          - {id: b, name: B, capabilities: [cms], lifecycle: retiring}
          - {id: c, name: C, capabilities: [cms], lifecycle: retired}
          - {id: d, name: D, capabilities: [crm]}
          - {id: e, name: E, capabilities: [crm], lifecycle: planned}
    """, RULE)
    assert summary(found) == [(RULE, ("d", "e"))]


def test_non_exclusive_capability_is_not_reported(tmp_path):
    text = """
        capabilities:
          - {id: paid-social, exclusive: false}
        systems:
          - {id: meta, name: Meta, capabilities: [paid-social, seo]}
          - {id: linkedin, name: LinkedIn, capabilities: [paid-social, seo]}
    """
    assert summary(findings(tmp_path, text, RULE)) == [(RULE, ("linkedin", "meta"))]
    assert findings(tmp_path, text, RULE, Options(non_exclusive=("seo",))) == []


def test_capability_and_its_alias_on_one_system_count_once(tmp_path):
    found = findings(tmp_path, """
        capabilities:
          - {id: email-marketing, aliases: [email]}
        systems:
          - {id: a, name: A, capabilities: [email, email-marketing]}
    """, RULE)
    assert found == []


def test_fingerprint_changes_when_a_third_provider_joins(tmp_path):
    two = findings(tmp_path, """
        systems:
          - {id: a, name: A, capabilities: [cms]}
          - {id: b, name: B, capabilities: [cms]}
    """, RULE)
    three = findings(tmp_path, """
        systems:
          - {id: a, name: A, capabilities: [cms]}
          - {id: b, name: B, capabilities: [cms]}
          - {id: c, name: C, capabilities: [cms]}
    """, RULE)
    assert two[0].fingerprint != three[0].fingerprint
