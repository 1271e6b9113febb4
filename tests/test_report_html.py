"""index.html without a browser: static content, escaping, unique ids, nothing external, the SVG sanitiser."""

import contextlib
import datetime
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import write

from stackmap.analysis.config import Config
from stackmap.analysis.graph import Stack
from stackmap.load.inventory import load_inventory
from stackmap.report import build, files, format_html
from stackmap.report.html import asset, script_json
from stackmap.report.svg import inline

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
TODAY = datetime.date(2025, 6, 30)
EVIL = "<script>alert(1)</script>"

STACK = f"""\
systems:
  - {{id: crm, name: CRM, owner: sales, capabilities: [crm], data: [contact], roles: [system-of-record],
     annual_cost: 100000, it_reviewed: true}}
  - {{id: evil, name: "{EVIL}", owner: "a&b \\"quoted\\"", vendor: "<img src=x onerror=alert(2)>",
     capabilities: [email-marketing], data: [contact], annual_cost: 5000, description: "</textarea><b>bold</b>"}}
  - {{id: mailer, name: Mailer, owner: marketing, capabilities: [email-marketing], data: [contact],
     annual_cost: 12000, it_reviewed: true}}
  - {{id: old, name: Old, owner: marketing, lifecycle: retired}}
flows:
  - {{from: crm, to: mailer, data: [contact, consent], mechanism: api}}
  - {{from: mailer, to: crm, data: [contact], mechanism: api}}
  - {{from: evil, to: crm, data: [contact], mechanism: file}}
"""


def report_of(tmp_path, text=STACK, diagrams=False):
    write(tmp_path, {"stack.yaml": text})
    with contextlib.chdir(tmp_path):
        inventory = load_inventory([Path("stack.yaml")])
        return build(Stack(inventory), Config(), "Stack <&> map", TODAY, diagrams=diagrams)


class Page(HTMLParser):
    """Collects ids, tags and text; fails on an end tag that closes nothing open."""

    VOID = {"meta", "br", "input", "link", "img", "hr", "path", "polygon", "ellipse", "polyline", "stop"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.tags, self.text, self.stack, self.attrs = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))
        if "id" in dict(attrs):
            self.ids.append(dict(attrs)["id"])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))
        if "id" in dict(attrs):
            self.ids.append(dict(attrs)["id"])

    def handle_endtag(self, tag):
        assert tag in self.stack, f"</{tag}> closes nothing"
        while self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        self.text.append(data)


def parse(page):
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def test_static_content_is_all_there(tmp_path):
    report = report_of(tmp_path)
    page = format_html(report)
    parsed = parse(page)
    text = "".join(parsed.text)
    assert parsed.stack == []
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\" class=\"no-js\">")
    assert "<title>Stack &lt;&amp;&gt; map</title>" in page
    # a findings row per finding, with its rule and severity for the filters
    rows = re.findall(r'<tr data-rule="([^"]+)" data-severity="([^"]+)" data-status="new">', page)
    assert rows == [(f.rule, f.severity.value) for f in report.findings]
    # every system's details, retired ones included, flows in and out as links
    cards = re.findall(r'<article class="card" id="system-([a-z0-9._-]+)"', page)
    assert cards == ["crm", "evil", "mailer", "old"]
    crm = page[page.index('id="system-crm"'):page.index('id="system-evil"')]
    assert ('<dt>Flows in</dt><dd><ul class="links"><li>from <a href="#system-evil" data-system="evil">'
            "&lt;script&gt;alert(1)&lt;/script&gt;</a>: contact (file)</li>") in crm
    assert '<li>to <a href="#system-mailer" data-system="mailer">Mailer</a>: consent, contact (api)</li>' in crm
    assert "<dt>Annual cost</dt><dd>100,000</dd>" in crm
    # the capability matrix: live systems as columns, the duplicated capability marked
    matrix = page[page.index('id="capability-matrix"'):]
    matrix = matrix[:matrix.index("</table>")]
    assert re.findall(r'<th scope="col" class="sys"><span><a href="#system-([^"]+)"', matrix) == [
        "crm", "evil", "mailer"]
    assert ('<tr class="dup"><th scope="row">email-marketing <span class="tag dup-tag">duplicate</span></th>'
            '<td class="num">2</td><td></td><td class="yes"') in matrix
    # spend by owner as bars, widths relative to the largest owner
    assert '<span class="bar" style="width:100.0%"></span></span><span class="amount">100,000</span>' in page
    assert '<span class="bar" style="width:12.0%"></span></span><span class="amount">12,000</span>' in page
    assert "Headline numbers" in page and "Systems" in text
    # neighbours for the highlight, as JSON
    data = re.search(r'<script type="application/json" id="stackmap-data">(.*?)</script>', page).group(1)
    assert data == ('{"neighbours":{"crm":["evil","mailer"],"evil":["crm"],"mailer":["crm"],"old":[]}}')


def test_everything_from_the_inventory_is_escaped(tmp_path):
    page = format_html(report_of(tmp_path))
    assert EVIL not in page
    assert page.count("<script") == 3  # the class switch in <head>, the JSON data and the page's own script
    assert "<img" not in page and "<b>bold" not in page and "</textarea>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert 'data-name="&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    assert "a&amp;b &quot;quoted&quot;" in page
    parsed = parse(page)
    assert not any(key.startswith("on") for _, attrs in parsed.attrs for key in attrs)


@needs_dot
def test_inline_svgs_have_unique_ids_and_escaped_text(tmp_path):
    report = report_of(tmp_path, diagrams=True)
    page = format_html(report)
    parsed = parse(page)
    assert len(parsed.ids) == len(set(parsed.ids)), "duplicate ids"
    assert EVIL not in page
    assert page.count("<svg") == 2
    assert ('<g id="diagram-overview-system_evil" class="node" data-system="evil" tabindex="0" role="button" '
            'aria-label="&lt;script&gt;alert(1)&lt;/script&gt; (evil): show details">') in page
    assert re.search(r'<g id="diagram-customer-data-flow_evil_crm" class="edge" data-from="evil" data-to="crm">',
                     page)
    # the node's title is the full tooltip, not just the id
    overview = page[page.index('id="diagram-overview-system_crm"'):]
    assert overview.split("<title>", 1)[1].startswith("CRM (crm)\nowner: sales")


def test_nothing_is_loaded_from_anywhere(tmp_path):
    page = format_html(report_of(tmp_path))
    assert not re.search(r"\b(src|href)=\"(?!#)", page)
    assert "<link" not in page and "<iframe" not in page and "@import" not in page
    assert re.findall(r"https?://[^\s\"')]+", page) == []
    assert "default-src 'none'" in page


@needs_dot
def test_the_only_urls_with_svgs_are_xml_namespaces(tmp_path):
    page = format_html(report_of(tmp_path, diagrams=True))
    assert set(re.findall(r"https?://[^\s\"')]+", page)) <= {"http://www.w3.org/2000/svg",
                                                             "http://www.w3.org/1999/xlink"}


def test_assets_cannot_end_their_element_or_reach_the_network():
    js, css = asset("report.js"), asset("report.css")
    assert "</script" not in js.lower() and "</style" not in css.lower()
    for text in (js, css):
        assert "http" not in text and "url(" not in text and "fetch(" not in text
    assert "XMLHttpRequest" not in js and "import(" not in js


def test_script_json_cannot_close_the_script_element():
    assert script_json({"a": "</script><b>&"}) == '{"a":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'


def test_report_files_by_format(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no Graphviz: no SVG files either
    report = report_of(tmp_path, diagrams=True)
    assert list(files(report, "html")) == ["index.html"]
    assert list(files(report, "markdown")) == ["report.md"]
    assert list(files(report, "both")) == ["report.md", "index.html"]
    page = files(report, "html")["index.html"]
    assert '<p class="notice" role="note"><strong>No diagrams:</strong> Graphviz&#x27;s dot program was not ' \
           "found on PATH" in page
    assert "<svg" not in page


SVG = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- a comment -->
<svg width="100pt" height="50pt" viewBox="0 0 100 50" xmlns="http://www.w3.org/2000/svg"
 xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">
<script>alert(2)</script>
<g id="stackmap" class="graph">
<g id="system_crm" class="node" onclick="alert(3)"><title>crm</title>
<g id="a_system_crm"><a xlink:href="javascript:alert(4)" xlink:title="CRM (crm)&#10;owner: sales">
<path fill="url(#grad)" style="x" d="M0,0"/><text>CRM</text></a></g></g>
<g id="flow_crm_mailer" class="edge"><title>crm&#45;&gt;mailer</title><path d="M1,1"/></g>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
<image xlink:href="http://example.invalid/x.png"/>
<a href="#stackmap"><text>in page</text></a>
</g></svg>"""


def test_the_svg_sanitiser():
    out = inline(SVG, "d", "Overview <diagram>", {"crm": "CRM & co"})
    assert out == (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" class="diagram" role="group" '
        'aria-label="Overview &lt;diagram&gt;" id="d">\n'
        '<g id="d-stackmap" class="graph">\n'
        '<g id="d-system_crm" class="node" data-system="crm" tabindex="0" role="button" '
        'aria-label="CRM &amp; co (crm): show details"><title>CRM (crm)\nowner: sales</title>\n'
        '<g id="d-a_system_crm"><a>\n<path fill="url(#d-grad)" d="M0,0" /><text>CRM</text></a></g></g>\n'
        '<g id="d-flow_crm_mailer" class="edge" data-from="crm" data-to="mailer"><title>crm-&gt;mailer</title>'
        '<path d="M1,1" /></g>\n'
        '<a href="#d-stackmap"><text>in page</text></a>\n'
        "</g></svg>"
    )
    ET.fromstring(out)  # still well-formed XML


def test_past_80_systems_the_matrix_becomes_a_list(tmp_path):
    systems = "".join(f"  - {{id: s{i:02d}, name: S{i:02d}, owner: web, capabilities: [cms], data: [content]}}\n"
                      for i in range(81))
    page = format_html(report_of(tmp_path, "systems:\n" + systems))
    assert 'id="capability-matrix"' not in page
    assert "<p>81 systems are too many for a matrix: each capability lists its providers.</p>" in page
    row = re.search(r'<tr class="dup"><th scope="row">cms <span class="tag dup-tag">duplicate</span></th><td>(.*?)</td>',
                    page).group(1)
    assert row.count("data-system=") == 81
