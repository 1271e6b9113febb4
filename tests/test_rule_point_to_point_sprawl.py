from helpers import findings

from stackmap.analysis.options import Options

RULE = "point-to-point-sprawl"
STACK = """
    systems:
      - {id: crm, name: CRM}
      - {id: sfdc, name: Salesforce, roles: [system-of-record]}
      - {id: web, name: Website}
      - {id: mail, name: Mail}
      - {id: chat, name: Chat}
      - {id: hub, name: Workato, capabilities: [ipaas]}
      - {id: erp, name: ERP}
      - {id: old, name: Old, lifecycle: retired}
    flows:
      - {from: web, to: crm, data: [lead], mechanism: api}
      - {from: crm, to: web, data: [content]}
      - {from: crm, to: mail, data: [contact]}
      - {from: chat, to: crm, data: [lead], mechanism: webhook}
      - {from: chat, to: mail, data: [contact], mechanism: manual}
      - {from: erp, to: crm, data: [account], mechanism: ipaas}
      - {from: hub, to: mail, data: [contact]}
      - {from: old, to: crm, data: [contact]}
      - {from: web, to: sfdc, data: [lead], mechanism: api}
      - {from: sfdc, to: mail, data: [contact], mechanism: api}
      - {from: sfdc, to: chat, data: [contact], mechanism: api}
"""


def test_below_both_thresholds_is_silent(tmp_path):
    # direct pairs: crm-web, crm-mail, chat-crm = 3 for 7 live systems (0.43); crm has 3; the links of
    # the system of record (vendor connectors) do not count
    assert findings(tmp_path, STACK, RULE) == []


def test_ratio_and_busiest_system_as_thresholds(tmp_path):
    by_degree = findings(tmp_path, STACK, RULE, Options(sprawl_connections=3))
    by_ratio = findings(tmp_path, STACK, RULE, Options(sprawl_ratio=0.4))
    assert len(by_degree) == len(by_ratio) == 1
    f = by_degree[0]
    assert f.systems == () and f.location.line == 1
    assert f.message == (
        "3 custom point-to-point integrations between 7 systems (0.43 per system; vendor connectors to the "
        "system of record and links through hubs not counted); most: crm (3), chat (1), mail (1), web (1); "
        "routing these through an integration hub would cut the links to build and maintain"
    )
    assert f.details["ratio"] == 0.4286 and f.details["direct_integrations"] == 3
    assert by_ratio[0].fingerprint == f.fingerprint


def test_hub_capabilities_are_configurable(tmp_path):
    found = findings(tmp_path, STACK, RULE, Options(hub_capabilities=(), sprawl_ratio=0.5))
    assert found[0].details["direct_integrations"] == 4  # hub-mail now counts
