"""GraphML as its readers take it: networkx and igraph read every export back with no warning, every
node and edge id is an ``xs:NMTOKEN`` and libxml2's ``xmllint`` finds the file well-formed.

No package ships the GraphML XSD, so the rule it states for what stackmap writes is tested directly:
``node/@id`` and ``edge/@id`` are ``xs:NMTOKEN`` (GraphML Primer §2.3, XML Schema Part 2 §3.3.4,
the ``Nmtoken`` production of XML 1.0 §2.3).
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from hostile import NAMES, require, stacks

from stackmap.interop.exporters import graphml
from stackmap.load.inventory import Inventory, load_inventory

_START = (":A-Z_a-z\xc0-\xd6\xd8-\xf6\xf8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d\u2070-\u218f"
          "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
NMTOKEN = re.compile(f"[{_START}\\-.0-9\xb7\u0300-\u036f\u203f-\u2040]+")
"""XML 1.0 (fifth edition) §2.3: ``Nmtoken ::= (NameChar)+``."""
NS = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Inventory, str]]:
    out = {}
    for label, folder in stacks(tmp_path_factory.mktemp("graphml")).items():
        with contextlib.chdir(folder.parent):
            inventory = load_inventory([Path(folder.name)])
        out[label] = (inventory, graphml.export(inventory))
    return out


@pytest.mark.parametrize("stack", ["sample", "generated", "hostile"])
def test_every_id_is_an_nmtoken(exports, stack):
    root = ET.fromstring(exports[stack][1].encode("utf-8"))
    ids = [e.get("id") for e in root.iter() if e.tag in (f"{NS}node", f"{NS}edge")]
    assert len(ids) == len(exports[stack][0].systems) + len(exports[stack][0].flows)
    assert [i for i in ids if not NMTOKEN.fullmatch(i or "")] == []
    edges = [e.get("id") for e in root.iter(f"{NS}edge")]
    assert len(set(edges)) == len(edges)


@pytest.mark.parametrize("stack", ["sample", "generated", "hostile"])
def test_networkx_reads_it_back_without_warnings(exports, stack):
    inventory, text = exports[stack]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
    assert {sid: back.nodes[sid]["name"] for sid in back.nodes} == {sid: s.name for sid, s in inventory.systems.items()}
    assert sorted(a["key"] for _u, _v, a in back.edges(data=True)) == sorted(f.key for f in inventory.flows)


def test_hostile_names_come_back_exactly_carriage_returns_included(exports):
    back = nx.read_graphml(io.BytesIO(exports["hostile"][1].encode("utf-8")), force_multigraph=True)
    assert {sid: back.nodes[sid]["label"] for sid in back.nodes} == NAMES
    assert back.nodes["crlf"]["name"] == "Line one\r\nLine two"


@pytest.mark.parametrize("stack", ["sample", "generated", "hostile"])
def test_igraph_reads_it_back_without_warnings(exports, stack, tmp_path):
    igraph = pytest.importorskip("igraph")
    inventory, text = exports[stack]
    path = tmp_path / "stack.graphml"
    path.write_text(text, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g = igraph.Graph.Read_GraphML(str(path))
    assert [str(w.message) for w in caught] == []
    assert g.is_directed()
    assert sorted(g.vs["id"]) == sorted(inventory.systems)
    assert sorted(g.vs["name"]) == sorted(s.name for s in inventory.systems.values())
    assert g.ecount() == len(inventory.flows)
    assert sorted(g.es["key"]) == sorted(f.key for f in inventory.flows)


@pytest.mark.parametrize("stack", ["sample", "hostile"])
def test_xmllint_finds_it_well_formed(exports, stack, tmp_path):
    require("xmllint", shutil.which("xmllint") is not None, "make consumer-tools, or apt-get install libxml2-utils")
    path = tmp_path / "stack.graphml"
    path.write_text(exports[stack][1], encoding="utf-8")
    done = subprocess.run(["xmllint", "--noout", str(path)], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
