import json

from helpers import inventory

from stackmap.analysis.graph import Stack
from stackmap.portfolio.rationalize import rationalize
from stackmap.portfolio.rationalize_format import FORMATS

STACK = """
    systems:
      - {id: crm, name: CRM}
      - {id: marketo, name: Marketo, owner: mops, capabilities: [email-marketing, automation], data: [contact, consent, lead], annual_cost: 100000}
      - {id: mailchimp, name: Mailchimp, owner: events, capabilities: [email-marketing], data: [contact], annual_cost: 9600}
      - {id: hotjar, name: Hotjar, owner: digital, capabilities: [surveys, recording], data: [behavioral], annual_cost: 4800}
      - {id: typeform, name: Typeform, owner: digital, capabilities: [surveys], data: [lead, behavioral]}
      - {id: qualtrics, name: Qualtrics, owner: digital, capabilities: [surveys, forms], lifecycle: planned, annual_cost: 30000}
      - {id: gone, name: Gone, capabilities: [email-marketing], lifecycle: retiring, annual_cost: 5}
    flows:
      - {from: crm, to: marketo, data: [contact]}
      - {from: marketo, to: crm, data: [lead]}
      - {from: crm, to: mailchimp, data: [contact]}
      - {from: mailchimp, to: crm, data: [contact], mechanism: manual}
      - {from: crm, to: typeform, data: [content]}
"""


def test_ranked_groups_with_evidence_and_saving(tmp_path):
    report = rationalize(Stack(inventory(tmp_path, STACK)))
    summary = [(s.capabilities, s.systems, s.keeper.id, s.score, s.saving, s.without_cost) for s in report.suggestions]
    assert summary == [
        # marketo (2 automated flows) covers all of mailchimp: 40 + 30 + 0 (owners differ) + 15 (active)
        (("email-marketing",), ("mailchimp", "marketo"), "marketo", 85, 9600, ()),
        # typeform (1 flow) keeps; hotjar: 1 of 2 capabilities, all data; qualtrics: 1 of 2, no data (covered);
        # capabilities 40 * (0.5 + 0.5) / 2 = 20, data 30, one owner 15, a planned member 0
        (("surveys",), ("hotjar", "qualtrics", "typeform"), "typeform", 65, 34800, ()),
    ]
    surveys = report.suggestions[1]
    assert [(e.name, e.points) for e in surveys.evidence] == [("capabilities", 20.0), ("data", 30.0),
                                                              ("owner", 15), ("lifecycle", 0)]
    assert surveys.evidence[0].reason == ("typeform provides 1 of hotjar's 2 capabilities (not recording); "
                                          "typeform provides 1 of qualtrics's 2 capabilities (not forms)")
    assert surveys.evidence[3].reason == "qualtrics is planned: possibly a replacement already on its way"
    assert report.total_saving == 44400
    assert report.suggestions[0].explanation() == (
        "Consolidate mailchimp onto marketo (2 automated flows, the best-connected). Evidence: marketo already "
        "provides all of mailchimp's capabilities; marketo already stores all of mailchimp's data; owners differ "
        "(events, mops): the teams must agree first; all are active. Potential saving 9,600 a year."
    )


def test_groups_with_the_same_systems_merge(tmp_path):
    report = rationalize(Stack(inventory(tmp_path, """
        systems:
          - {id: a, name: A, owner: x, capabilities: [cms, dam], annual_cost: 10}
          - {id: b, name: B, owner: x, capabilities: [cms, dam]}
    """)))
    [only] = report.suggestions
    assert only.capabilities == ("cms", "dam") and only.keeper.id == "a"
    assert only.saving is None and only.without_cost == ("b",)
    assert only.score == 100
    assert only.explanation().endswith("No cost is recorded for the systems it would retire.")


def test_formats(tmp_path):
    report = rationalize(Stack(inventory(tmp_path, STACK)))
    doc = json.loads(FORMATS["json"](report))
    assert [s["score"] for s in doc["suggestions"]] == [85, 65]
    assert doc["total_annual_saving"] == 44400
    assert doc["suggestions"][0]["keeper"]["connections"] == 2
    text = FORMATS["text"](report)
    assert text.splitlines()[0] == ("2 consolidation candidates, strongest evidence first; potential annual "
                                    "saving 44,400 (each retired system counted once)")
    assert "1. email-marketing: mailchimp, marketo — score 85/100, saving 9,600 a year" in text
    assert "| 2 | surveys | hotjar, qualtrics, typeform | typeform | 65 | 34,800 |" in FORMATS["markdown"](report)
