import contextlib
import io
import json
import sys
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).parent))
from interop_helpers import FIXTURES

from stackmap.analysis.graph import build_graph
from stackmap.interop.exporters import cypher, graphml, structurizr
from stackmap.interop.exporters import json as json_export
from stackmap.load.inventory import Inventory, load_inventory

STACK = FIXTURES / "stack"


def load(folder: Path = STACK) -> Inventory:
    with contextlib.chdir(folder.parent):
        return load_inventory([Path(folder.name)])


def test_graphml_read_back_equals_the_model_graph():
    inv = load()
    model = build_graph(inv)
    back = nx.read_graphml(io.BytesIO(graphml.export(inv).encode("utf-8")), force_multigraph=True)
    assert isinstance(back, nx.MultiDiGraph)
    assert list(back.nodes) == list(model.nodes)
    by_key = {attrs["key"]: (u, v) for u, v, attrs in back.edges(data=True)}
    assert sorted((u, v, k) for k, (u, v) in by_key.items()) == sorted(model.edges(keys=True))
    for sid, attrs in back.nodes(data=True):
        s = model.nodes[sid]["system"]
        expected = {"label": s.name, "name": s.name, "lifecycle": s.lifecycle,
                    "capabilities": "; ".join(inv.capabilities_of(s)), "file": inv.system_locations[sid].file,
                    "line": inv.system_locations[sid].line}
        for field in ("vendor", "owner", "description", "annual_cost", "it_reviewed"):
            if getattr(s, field) is not None:
                expected[field] = getattr(s, field)
        for field in ("data", "roles", "tags"):
            if getattr(s, field):
                expected[field] = "; ".join(getattr(s, field))
        if inv.customer_data(s.data):
            expected["customer_data"] = "; ".join(inv.customer_data(s.data))
        if not expected["capabilities"]:
            del expected["capabilities"]
        assert attrs == expected, sid
    for u, v, key, attrs in back.edges(keys=True, data=True):
        f = model.edges[u, v, attrs["key"]]["flow"]
        assert key == graphml.edge_id(f, set())
        assert attrs["data"] == "; ".join(f.data)
        assert attrs.get("mechanism") == f.mechanism
        assert attrs.get("flow_id") == f.id
        assert attrs.get("frequency") == f.frequency
        assert attrs.get("description") == f.description


def test_graphml_attribute_values_exactly():
    back = nx.read_graphml(io.BytesIO(graphml.export(load()).encode("utf-8")), force_multigraph=True)
    assert back.nodes["salesforce"] == {
        "label": "Salesforce Sales Cloud", "name": "Salesforce Sales Cloud", "vendor": "Salesforce",
        "owner": "sales-ops", "description": 'Customer master, "golden" record', "lifecycle": "active",
        "capabilities": "crm", "data": "contact; account; lead", "customer_data": "account; contact; lead",
        "roles": "system-of-record", "annual_cost": 186000.5, "it_reviewed": True, "tags": "tier-1; gdpr",
        "file": "tests/fixtures/interop/stack/core.yaml", "line": 11,
    }
    assert back.nodes["marketo"]["capabilities"] == "email-marketing; marketing-automation"
    assert back.edges["marketo", "salesforce", "mql-handover"] == {
        "label": "lead", "key": "mql-handover", "flow_id": "mql-handover", "data": "lead", "customer_data": "lead",
        "mechanism": "api", "file": "tests/fixtures/interop/stack/core.yaml", "line": 30,
    }


def test_exports_do_not_depend_on_file_order():
    forward = load_inventory([STACK / "core.yaml", STACK / "edge.yaml"])
    backward = load_inventory([STACK / "edge.yaml", STACK / "core.yaml"])
    for module in (cypher, graphml, json_export, structurizr):
        assert module.export(forward) == module.export(backward), module.__name__


def test_json_node_link_has_attributes_and_findings():
    doc = json.loads(json_export.export(load()))
    g = nx.node_link_graph(doc, edges="links")
    assert sorted(g.nodes) == ["canva", "marketo", "pardot", "salesforce", "web.shop"]
    assert doc["directed"] is True and doc["multigraph"] is True
    sf = g.nodes["salesforce"]
    assert sf["data"] == ["contact", "account", "lead"] and sf["vendor"] == "Salesforce"
    assert sf["roles"] == ["system-of-record"] and sf["annual_cost"] == 186000.5
    assert g.nodes["canva"]["findings"] == ["isolated-system", "shadow-it", "unowned-system"]
    assert g.nodes["web.shop"]["it_reviewed"] is None
    # one flow-to-retired-system finding per retired system: on its node, not on each edge
    assert g.nodes["pardot"]["findings"] == ["flow-to-retired-system"]
    assert [(f["rule"], f["systems"]) for f in doc["findings"]] == [
        ("consent-not-propagated", ["marketo"]), ("customer-data-unsynced", ["web.shop"]),
        ("flow-to-retired-system", ["pardot"]), ("isolated-system", ["canva"]), ("shadow-it", ["marketo"]),
        ("shadow-it", ["web.shop"]), ("unowned-system", ["canva"]), ("shadow-it", ["canva"]),
    ]  # marketo and web.shop: no owner, no review, customer data: one shadow-it warning each
    assert doc["graph"]["data_categories"]["loyalty-points"] is True
    assert doc["graph"]["capabilities"] == [
        {"id": "email-marketing", "name": "Email marketing", "aliases": ["email"], "exclusive": True}]


def test_cypher_script_is_idempotent_and_batched():
    inv = load()
    script = cypher.export(inv, batch=2)
    statements = [s.strip() for s in script.split(";\n") if s.strip() and not s.strip().startswith("//")]
    assert script.count("CREATE CONSTRAINT") == 3
    assert "CREATE (" not in script and script.count("IF NOT EXISTS") == 3
    system_batches = [s for s in script.split(";\n") if "MERGE (n:System {id: row.id})" in s]
    assert len(system_batches) == 3  # 5 systems, 2 per batch
    assert script.count("MERGE (a)-[f:FLOWS_TO {`key`: row.flow}]->(b)") == 3  # 5 flows
    assert 'flow: "mql-handover"' in script
    assert '{annual_cost: 186000.5, capabilities: ["crm"]' in script
    assert 'description: "Customer master, \\"golden\\" record"' in script
    assert statements[-1].endswith("SET f = row.props")
    assert cypher.export(inv) == cypher.export(load())


def test_cypher_literals():
    assert cypher.literal('a"b\\c\nd\u2028') == '"a\\"b\\\\c\\nd\\u2028"'
    assert cypher.literal({"key": 1, "to": [True, None], "x y": 1.5}) == '{`key`: 1, `to`: [true, null], `x y`: 1.5}'


def test_structurizr_workspace():
    dsl = structurizr.export(load())
    assert dsl.startswith('workspace "Marketing technology stack"')
    assert '        salesforce = softwareSystem "Salesforce Sales Cloud" "Customer master, \\"golden\\" record" {' in dsl
    assert '            tags "stackmap" "active" "Customer data" "System of record" "tier-1" "gdpr"' in dsl
    assert '        web_shop = softwareSystem "Web shop" "" {' in dsl
    # two systems named Marketo: Structurizr needs unique names
    assert 'canva = softwareSystem "Marketo (canva)"' in dsl and 'marketo = softwareSystem "Marketo (marketo)"' in dsl
    assert '        marketo -> salesforce "lead" "api" {' in dsl
    assert '        marketo -> salesforce "Activity sync" "batch" {' in dsl
    assert '        web_shop -> salesforce "transactional" "" {' in dsl
    assert dsl.count("{") == dsl.count("}")
    assert "systemLandscape" in dsl and 'element "retired"' in dsl


def write_stack(root: Path, text: str) -> Inventory:
    (root / "inv").mkdir()
    (root / "inv" / "a.yaml").write_text(text, encoding="utf-8")
    with contextlib.chdir(root):
        return load_inventory([Path("inv")])


def test_a_tag_holding_a_semicolon_exports_as_an_unambiguous_list(tmp_path):
    inv = write_stack(tmp_path, 'systems:\n  - {id: a, name: A, tags: ["x;y", "a b"]}\n  - {id: b, name: B}\n'
                                "flows:\n  - {from: a, to: b, data: [contact]}\n")
    back = nx.read_graphml(io.BytesIO(graphml.export(inv).encode("utf-8")), force_multigraph=True)
    assert json.loads(back.nodes["a"]["tags"]) == ["x;y", "a b"]
    nodes = {n["id"]: n for n in json.loads(json_export.export(inv))["nodes"]}
    assert nodes["a"]["tags"] == ["x;y", "a b"]


def test_structurizr_writes_control_and_bidi_characters_as_visible_escapes(tmp_path):
    inv = write_stack(tmp_path, 'systems:\n  - {id: a, name: "A\\e[2J\\u202eX", vendor: "V\\a"}\n  - {id: b, name: B}\n')
    dsl = structurizr.export(inv)
    assert "\x1b" not in dsl and "\u202e" not in dsl and "\x07" not in dsl
    assert 'softwareSystem "A\\x1b[2J\\u202eX"' in dsl
