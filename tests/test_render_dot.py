"""Graphviz output: the DOT text's structure, findings overlay, roll-up, escaping and the SVG."""

import json
import shutil
import xml.etree.ElementTree as ET

import pytest
from helpers import inventory

from stackmap.render import RenderOptions, render
from stackmap.render.graphviz import html, quote

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")

STACK = """
    systems:
      - {id: crm, name: CRM, vendor: Acme, owner: sales, roles: [system-of-record], data: [contact]}
      - {id: mailer, name: Mailer, owner: marketing, capabilities: [email], data: [contact, lead]}
      - {id: blaster, name: Blaster, owner: marketing, capabilities: [email]}
      - {id: forms, name: Forms, owner: web, data: [lead]}
      - {id: old, name: Old, owner: sales, lifecycle: retired}
    flows:
      - {from: crm, to: mailer, data: [contact], mechanism: api}
      - {from: crm, to: mailer, data: [consent], mechanism: file}
      - {from: mailer, to: blaster, data: [content], mechanism: manual}
      - {from: crm, to: old, data: [contact]}
"""


def dot(tmp_path, text=STACK, **options):
    result = render(inventory(tmp_path, text), "dot", RenderOptions(**options))
    assert isinstance(result.data, str)
    return result.data


def line_of(text, start):
    found = [line.strip() for line in text.splitlines() if line.strip().startswith(start)]
    assert len(found) == 1, found
    return found[0]


def test_systems_are_clustered_by_owner_and_flows_merged_per_pair(tmp_path):
    text = dot(tmp_path)
    assert text.count("subgraph ") == 3  # marketing, sales, web: retired "old" is hidden
    assert 'label="marketing", id="group_owner.3a.marketing"' in text
    assert '"old"' not in text
    edge = line_of(text, '"crm" -> "mailer"')
    assert 'label="consent, contact\\n(api + file, 2 flows)"' in edge
    assert 'style="dashed"' in edge  # the least automated of api and file
    assert 'penwidth="2.2"' in edge  # carries customer data
    other = line_of(text, '"mailer" -> "blaster"')
    assert 'style="dotted"' in other and 'penwidth="1"' in other


def test_system_of_record_is_a_cylinder_with_a_text_cue(tmp_path):
    node = line_of(dot(tmp_path), '"crm" [')
    assert 'shape="cylinder"' in node
    assert "<b>SYSTEM OF RECORD</b>" in node
    assert 'id="system_crm"' in node
    assert 'tooltip="CRM (crm)\\nvendor: Acme\\nowner: sales\\nlifecycle: active\\ndata: contact\\nroles: ' \
           'system-of-record"' in node


def test_findings_are_marked_by_colour_border_and_text_with_a_legend(tmp_path):
    text = dot(tmp_path)
    forms = line_of(text, '"forms" [')
    assert 'fillcolor="#FAD9C6", color="#D55E00", penwidth="3"' in forms
    assert "<b>SILO</b>" in forms and "ISOLATED" in forms
    mailer = line_of(text, '"mailer" [')
    assert "<b>UNSYNCED</b>" in mailer and "<b>DUPLICATE: email</b>" in mailer
    assert 'style="rounded,filled,dashed"' in mailer  # the first mark sets colour and border
    blaster = line_of(text, '"blaster" [')
    assert 'style="filled,diagonals"' in blaster and "<b>DUPLICATE: email</b>" in blaster
    legend = line_of(text, '"_legend" [')
    for cue in ("SYSTEM OF RECORD", "SILO", "UNSYNCED", "DUPLICATE", "ISOLATED", "dashed arrow", "dotted arrow"):
        assert f"<b>{cue}</b>" in legend
    assert "RETIRED" not in legend  # only what the diagram shows


def test_no_findings_leaves_marks_out(tmp_path):
    text = dot(tmp_path, findings=False)
    assert "SILO" not in text and "DUPLICATE" not in text and "#FAD9C6" not in text


def test_retired_systems_are_greyed_when_included(tmp_path):
    node = line_of(dot(tmp_path, include_retired=True), '"old" [')
    assert 'style="rounded,filled,dashed"' in node and "<b>RETIRED</b>" in node


def test_capability_view_ranks_providers_side_by_side(tmp_path):
    text = dot(tmp_path, view="capability:email")
    assert '{rank=same; "blaster"; "mailer";}' in text


def test_rolled_up_overview_counts_systems_and_flows(tmp_path):
    systems = "".join(f"  - {{id: s{i}, name: S{i}, owner: {'ab'[i % 2]}}}\n" for i in range(6))
    text = "systems:\n" + systems + """flows:
  - {from: s0, to: s1, data: [contact]}
  - {from: s2, to: s3, data: [content]}
  - {from: s0, to: s2, data: [content]}
  - {from: s1, to: s3, data: [lead]}
"""
    from stackmap.render import diagram_for
    from stackmap.render.rollup import roll_up
    rolled = roll_up(diagram_for(inventory(tmp_path, text), RenderOptions()), "test")
    assert [(n.id, n.lines) for n in rolled.nodes] == [
        ("group_owner.3a.a", ("3 systems", "1 flow inside")),
        ("group_owner.3a.b", ("3 systems", "1 flow inside")),
    ]
    assert [(e.source, e.target, e.flows, e.data, e.customer) for e in rolled.edges] == [
        ("group_owner.3a.a", "group_owner.3a.b", 2, ("contact", "content"), True),
    ]
    assert rolled.notes == ("rolled up (test): 6 systems in 2 groups, 4 flows in 1 edges",)


def test_auto_rolls_up_past_the_detail_threshold(tmp_path, monkeypatch):
    from stackmap.render import fitting
    monkeypatch.setattr(fitting, "DETAIL_MAX", 3)
    result = render(inventory(tmp_path, STACK), "dot", RenderOptions())
    assert result.nodes == 3 and result.systems == 4
    assert result.data.startswith("// rolled up (4 systems do not fit one picture 1000 px wide with text of at "
                                  "least 8 px (more than 3 systems)): 4 systems in 3 groups")
    assert result.detail_views == ("owner:marketing", "owner:sales", "owner:web")


HOSTILE = 'Evil "q" <script>alert(1)</script> & {b} | p \\N \\ back\nslash 😀 é'
"""A name with quotes, markup, braces, a pipe, Graphviz's \\N escape, a backslash, a newline, emoji."""
HOSTILE_TEXT = HOSTILE.replace("\n", " ")
"""What a reader must see: the name, its newline as a space."""
HOSTILE_OWNER = "Ops <b>&amp;</b> \\G"
HOSTILE_STACK = f"""
    systems:
      - id: evil
        name: {json.dumps(HOSTILE, ensure_ascii=False)}
        owner: {json.dumps(HOSTILE_OWNER)}
        vendor: {json.dumps("}]]> -->")}
        data: [contact]
      - {{id: crm, name: CRM, roles: [system-of-record], data: [contact]}}
    flows:
      - {{from: evil, to: crm, data: [contact]}}
"""


def test_quoting_helpers():
    assert quote('a "b" \\N\nc & d') == '"a \\"b\\" \\\\N c &amp; d"'
    assert html('<b>&"\\') == "&lt;b&gt;&amp;&quot;\\\\"


def test_hostile_names_stay_inside_their_dot_strings(tmp_path):
    node = line_of(dot(tmp_path, HOSTILE_STACK), '"evil" [')
    tooltip, label = node.split(", label=<")
    assert tooltip.startswith('"evil" [id="system_evil", tooltip="Evil \\"q\\" <script>')  # a quoted string
    assert ("<b>Evil &quot;q&quot; &lt;script&gt;alert(1)&lt;/script&gt; &amp; {b} | p \\\\N \\\\ back slash "
            "😀 é</b>") in label
    assert "<script>" not in label


@needs_dot
def test_hostile_names_reach_the_svg_as_text_not_markup(tmp_path):
    result = render(inventory(tmp_path, HOSTILE_STACK), "svg", RenderOptions(engine="dot"))  # owner boxes drawn
    root = ET.fromstring(result.data)
    assert not [e for e in root.iter() if e.tag.removeprefix(SVG) in ("script", "foreignObject")]
    group = next(e for e in root.iter(f"{SVG}g") if e.get("id") == "system_evil")
    texts = [t.text for t in group.iter(f"{SVG}text")]
    assert texts[0] == HOSTILE_TEXT
    assert texts[1] == "}]]> -->"
    link = next(group.iter(f"{SVG}a"))
    assert link.get(f"{XLINK}title").splitlines()[0] == f"{HOSTILE_TEXT} (evil)"
    cluster = next(e for e in root.iter(f"{SVG}g") if e.get("class") == "cluster")
    assert [t.text for t in cluster.iter(f"{SVG}text")] == [HOSTILE_OWNER]


@needs_dot
def test_svg_has_ids_tooltips_and_the_legend(tmp_path):
    result = render(inventory(tmp_path, STACK), "svg", RenderOptions())
    root = ET.fromstring(result.data)
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    assert {"system_crm", "system_mailer", "system_blaster", "system_forms", "flow_crm_mailer",
            "flow_mailer_blaster", "legend"} <= ids
    titles = [a.get(f"{XLINK}title") for a in root.iter(f"{SVG}a")]
    assert "CRM (crm)\nvendor: Acme\nowner: sales\nlifecycle: active\ndata: contact\nroles: system-of-record" \
        in titles


@needs_dot
def test_svg_is_identical_from_run_to_run(tmp_path):
    inv = inventory(tmp_path, STACK)
    assert render(inv, "svg").data == render(inv, "svg").data


def test_rolled_up_diagrams_with_many_edges_drop_edge_labels(tmp_path):
    from stackmap.render import diagram_for
    from stackmap.render.graphviz import to_dot
    from stackmap.render.rollup import roll_up
    systems = "".join(f"  - {{id: s{i}, name: S{i}, owner: t{i}}}\n" for i in range(12))
    flows = "".join(f"  - {{from: s{i}, to: s{j}, data: [content]}}\n" for i in range(12) for j in range(12) if i != j)
    rolled = roll_up(diagram_for(inventory(tmp_path, f"systems:\n{systems}flows:\n{flows}"), RenderOptions()), "t")
    assert len(rolled.edges) == 132
    text = to_dot(rolled, "sfdp")
    edge = line_of(text, '"group_owner.3a.t0" -> "group_owner.3a.t1"')
    assert "label=" not in edge and 'tooltip="t0 → t1: content\\nt1 → t0: content"' in edge


def test_two_way_flows_are_one_arrow_with_two_heads_and_one_label(tmp_path):
    text = dot(tmp_path, """
        systems:
          - {id: shop, name: Shopify, owner: ecommerce, data: [contact]}
          - {id: yotpo, name: Yotpo, owner: ecommerce, data: [contact]}
        flows:
          - {from: shop, to: yotpo, data: [contact, transactional], mechanism: api}
          - {from: yotpo, to: shop, data: [contact], mechanism: webhook}
    """)
    assert '"yotpo" -> "shop"' not in text
    edge = line_of(text, '"shop" -> "yotpo"')
    assert 'dir="both"' in edge
    assert 'tooltip="Shopify → Yotpo: contact, transactional (api)\\nYotpo → Shopify: contact (webhook)"' in edge
    assert 'label="contact, transactional\\n(api + webhook, 2 flows)\\nboth ways"' in edge
