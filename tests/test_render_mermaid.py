"""Mermaid output: structure, escaping, GitHub's limits, and byte-identical output whatever the file order."""

import contextlib
import json
import re
from pathlib import Path

from helpers import inventory, write

from stackmap.load.inventory import load_inventory
from stackmap.render import RenderOptions, render
from stackmap.render.mermaid import MAX_EDGES, MAX_TEXT, node_id, text

STACK = """
    systems:
      - {id: crm, name: CRM, vendor: Acme, owner: sales, roles: [system-of-record], data: [contact]}
      - {id: mailer, name: Mailer, owner: marketing, data: [contact, lead]}  # captures leads
      - {id: web.site, name: Web site, owner: marketing}
    flows:
      - {from: crm, to: mailer, data: [contact], mechanism: api}
      - {from: crm, to: mailer, data: [consent], mechanism: file}
      - {from: web.site, to: mailer, data: [content]}
"""


def mermaid(inv, **options):
    result = render(inv, "mermaid", RenderOptions(**options))
    assert isinstance(result.data, str)
    return result.data


def test_flowchart_structure(tmp_path):
    out = mermaid(inventory(tmp_path, STACK)).splitlines()
    assert out[:5] == ["---", 'title: "Overview: 3 systems, 3 flows"', "---", "flowchart TB",
                       '  subgraph g_owner_3a_marketing["marketing"]']
    assert '    n_web_2e_site["<b>Web site</b>"]' in out
    assert '    n_crm[("<b>CRM</b><br/>Acme<br/>SYSTEM OF RECORD")]' in out
    assert '  n_crm -.->|"consent, contact<br/>(api + file, 2 flows)"| n_mailer' in out
    assert '  n_web_2e_site -->|"content"| n_mailer' in out
    assert "  class n_mailer unsynced" in out
    assert "  linkStyle 0 stroke:#1A1A1A,stroke-width:2.5px,stroke-dasharray:6 4" in out
    assert "  linkStyle 1 stroke:#9A9A9A,stroke-width:1px" in out


def test_node_ids_are_one_to_one_and_keyword_free():
    assert node_id("a-b") != node_id("a.b") != node_id("a_b")
    assert node_id("end") == "n_end"
    assert re.fullmatch(r"n_[a-z0-9_]+", node_id("x.y-z_w"))


HOSTILE = 'Evil "q" <script>alert(1)</script> & {b} | [x] #35; %% `t` \\ end\nline 😀 é'


def decode(label):
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label)


def test_hostile_names_cannot_leave_their_label(tmp_path):
    stack = f"""
        systems:
          - {{id: evil, name: {json.dumps(HOSTILE, ensure_ascii=False)}, owner: {json.dumps('a"]; end')}}}
          - {{id: crm, name: CRM}}
        flows:
          - {{from: evil, to: crm, data: [contact]}}
    """
    out = mermaid(inventory(tmp_path, stack))
    node = next(line for line in out.splitlines() if line.strip().startswith("n_evil["))
    match = re.fullmatch(r'\s+n_evil\["(.*)"\]', node)
    assert match is not None
    label = match.group(1).replace("<b>", "").replace("</b>", "").split("<br/>")
    assert not any(set(part) & set('"<>[]{}|`\\%\n') for part in label)
    assert decode(label[0]) == HOSTILE.replace("\n", " ")
    assert '  subgraph g_owner_3a_a_22__5d__3b__20_end["a#34;#93;#59; end"]' in out


def test_text_escapes_specials_and_keeps_unicode():
    assert text('a"b<c>') == "a#34;b#60;c#62;"
    assert text("é 😀 (x)") == "é 😀 (x)"
    assert text("a\nb\u2028c") == "a b c"


def big_stack(systems):
    lines = ["systems:"]
    lines += [f"  - {{id: s{i}, name: System {i}, owner: team{i // 10}, data: [contact]}}" for i in range(systems)]
    lines.append("flows:")
    lines += [f"  - {{from: s{i}, to: s{(i + k) % systems}, data: [contact]}}"
              for i in range(systems) for k in (1, 2, 3)]
    return "\n".join(lines) + "\n"


def test_beyond_githubs_limits_the_diagram_is_rolled_up_with_a_comment(tmp_path):
    out = mermaid(inventory(tmp_path, big_stack(200)), engine="sfdp")  # every system asked for
    assert len(out) <= MAX_TEXT
    assert out.count(" ==>") + out.count(" -->") + out.count(" -.->") <= MAX_EDGES
    comments = [line for line in out.splitlines() if line.startswith("%%")]
    assert comments == [
        "%% rolled up (600 edges exceed GitHub's Mermaid limits of 500 edges and "
        "50,000 characters): 200 systems in 20 groups, 600 flows in 20 edges"
    ]
    assert '  n_group_5f_owner_2e_3a_2e_team0[["<b>team0</b><br/>10 systems<br/>24 flows inside"]]' in out


def test_within_the_limits_nothing_is_rolled_up(tmp_path):
    out = mermaid(inventory(tmp_path, big_stack(100)), engine="sfdp")
    assert "%%" not in out
    assert out.count("n_s0[") == 1


def test_auto_draws_the_same_summary_as_the_svg(tmp_path):
    inv = inventory(tmp_path, big_stack(100))
    out = mermaid(inv)
    comments = [line for line in out.splitlines() if line.startswith("%%")]
    assert comments[0] == ("%% rolled up (100 systems do not fit one picture 1000 px wide with text of at least 8 px "
                           "(more than 60 systems)): 100 systems in 10 groups, 300 flows in 10 edges")
    assert comments[1].startswith("%% detail views: --view owner:team0, --view owner:team1,")
    assert render(inv, "dot", RenderOptions()).nodes == render(inv, "mermaid", RenderOptions()).nodes == 10


def test_output_is_identical_whatever_the_file_order(tmp_path):
    first = """
        systems:
          - {id: crm, name: CRM, owner: sales, roles: [system-of-record], data: [contact]}
          - {id: b, name: B, owner: web, data: [lead]}
        flows:
          - {from: b, to: crm, data: [lead], mechanism: api}
          - {from: b, to: crm, data: [contact], mechanism: batch}
    """
    second = """
        flows:
          - {from: crm, to: a, data: [contact]}
        systems:
          - {id: a, name: A, owner: sales, data: [contact]}
          - {id: z, name: Z}
    """
    outputs = set()
    for name, (one, two) in {"x": (first, second), "y": (second, first)}.items():
        root = write(tmp_path / name, {"1.yaml": one, "2.yaml": two})
        with contextlib.chdir(root):
            inv = load_inventory([Path(".")])
        outputs.add((mermaid(inv), render(inv, "dot").data, mermaid(inv, view="customer-data"),
                     render(inv, "dot", RenderOptions(view="owner:sales")).data))
    assert len(outputs) == 1
