"""Every Mermaid diagram stackmap emits, rendered by mermaid.js in headless Chromium for the oldest
and the newest Mermaid major that GitHub and GitLab render with (10 and 11), as they configure it
(``securityLevel: "strict"``, GitHub's ``maxEdges`` and ``maxTextSize``).

The diagrams: each view of ``stackmap render`` (overview, customer-data, system, capability and
owner), those of the Markdown report, and the PR comment of ``stackmap diff``; for the sample, a
generated 300-system stack and the hostile-name stack (tests/hostile.py). Each must render without
error, draw every node its source declares, and show each system's name exactly as written (line
breaks as one space, as a browser shows them) as the first line of its node.

mermaid.min.js comes from npm, pinned in tests/consumers/package-lock.json (``make node-tools``);
Chromium from Debian (``make chromium``). Without them these tests skip, except with CI=true.
"""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from browser import launch, playwright, require_browser
from hostile import CONSUMERS, NAMES, ROOT, display, require, stacks

MAJORS = (10, 11)
"""GitLab renders with Mermaid 10, GitHub with 11: the oldest and the newest major in use."""
FENCE = re.compile(r"^```mermaid\n(.*?)^```", re.S | re.M)
DECLARED = re.compile(r"^\s+(n_[a-z0-9_]+|s\d+)(?:\[|\(|:::)", re.M)
NODE_LABEL = re.compile(r'^\s+(n_[a-z0-9_]+|s\d+|legend_[a-z]+)[\[(]{1,2}"([^"]*)"', re.M)
EDGE_LABEL = re.compile(r'\|"([^"]*)"\|')
CLUSTER_LABEL = re.compile(r'^\s+subgraph [a-z0-9_]+\["([^"]*)"\]', re.M)
ENTITIES = {"quot": '"', "lt": "<", "gt": ">", "amp": "&", "nbsp": "\xa0"}

RENDER_JS = """async (sources) => {
  mermaid.initialize({startOnLoad: false, securityLevel: "strict", maxEdges: 500, maxTextSize: 50000});
  const out = [];
  for (let i = 0; i < sources.length; i++) {
    try {
      const {svg} = await mermaid.render("d" + i, sources[i]);
      const div = document.createElement("div");
      div.innerHTML = svg;
      document.body.appendChild(div);
      const nodes = [...div.querySelectorAll("g.node")].map(n => {
        const label = n.querySelector("foreignObject div") || n.querySelector("text");
        const m = /flowchart-(.+)-\\d+$/.exec(n.id);
        return [m ? m[1] : n.id, label ? label.innerText : null];
      });
      const text = g => { const d = g.querySelector("foreignObject div"); return d ? d.innerText : g.textContent; };
      const edges = [...div.querySelectorAll("g.edgeLabel")].map(text).filter(t => t.trim());
      const clusters = [...div.querySelectorAll("g.cluster-label")].map(text);
      const errors = div.querySelectorAll(".error-icon, .error-text").length;
      div.remove();
      out.push({ok: errors === 0, nodes, edges, clusters, error: errors ? "error diagram" : null});
    } catch (e) {
      out.push({ok: false, nodes: [], edges: [], clusters: [], error: String((e && e.message) || e)});
    }
  }
  return out;
}"""


def _stackmap(*args: str, cwd: Path = ROOT) -> str:
    done = subprocess.run([sys.executable, "-m", "stackmap", *args], cwd=cwd, capture_output=True, text=True,
                          check=False, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def _names(folder: Path) -> dict[str, str]:
    names = {}
    for path in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names.update({s["id"]: s["name"] for s in doc.get("systems") or []})
    return names


def _views(folder: Path, names: dict[str, str]) -> list[str]:
    first = sorted(names)[:2]
    doc = next(yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yaml")))
    system = next(s for s in doc["systems"] if s.get("capabilities"))
    views = ["overview", "customer-data", *(f"system:{sid}" for sid in first), f"capability:{system['capabilities'][0]}"]
    if system.get("owner"):
        views.append(f"owner:{system['owner']}")
    return views


def _sources(label: str, folder: Path, tmp: Path) -> list[tuple[str, str]]:
    """(what, Mermaid source) for every diagram stackmap emits for the stack in ``folder``."""
    names = _names(folder)
    jobs = [(f"{label} render {v}", ["render", str(folder), "-o", "-", "-f", "mermaid", "--view", v])
            for v in _views(folder, names)]
    # The default overview of a stack too large for a legible page is a summary by owner; an explicit
    # engine draws every system, so every system's name is rendered in one diagram too.
    jobs.append((f"{label} render overview, every system",
                 ["render", str(folder), "-o", "-", "-f", "mermaid", "--engine", "dot"]))
    report = tmp / f"report-{label}"
    jobs.append((f"{label} report", ["report", str(folder), "-o", str(report), "--format", "markdown"]))
    base = tmp / f"base-{label}"
    base.mkdir()
    docs = [yaml.safe_load(p.read_text(encoding="utf-8")) or {} for p in sorted(folder.glob("*.yaml"))]
    dropped = set(sorted(names)[-4:])
    (base / "stack.yaml").write_text(yaml.safe_dump({
        "systems": [s for d in docs for s in d.get("systems") or [] if s["id"] not in dropped],
        "flows": [f for d in docs for f in d.get("flows") or [] if not {f["from"], f["to"]} & dropped],
        "capabilities": [c for d in docs for c in d.get("capabilities") or []],
        "data_categories": [c for d in docs for c in d.get("data_categories") or []],
    }), encoding="utf-8")
    jobs.append((f"{label} diff", ["diff", str(base), str(folder), "--format", "markdown"]))
    with ThreadPoolExecutor(2) as pool:
        outputs = list(pool.map(lambda job: _stackmap(*job[1]), jobs))
    sources: list[tuple[str, str]] = []
    for (what, args), out in zip(jobs, outputs, strict=True):
        if args[0] == "render":
            sources.append((what, out))
        else:
            text = (report / "report.md").read_text(encoding="utf-8") if args[0] == "report" else out
            blocks = FENCE.findall(text)
            assert blocks, what
            sources += [(f"{what} #{i}", b) for i, b in enumerate(blocks, start=1)]
    return sources


@pytest.fixture(scope="module")
def diagrams(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, dict[str, str]]]:
    require_browser()
    tmp = tmp_path_factory.mktemp("mermaid")
    out = []
    for label, folder in stacks(tmp).items():
        names = _names(folder)
        out += [(what, source, names) for what, source in _sources(label, folder, tmp)]
    return out


def _render(sources: list[str], major: int, profile: Path) -> list[dict]:
    script = CONSUMERS / "node_modules" / f"mermaid{major}" / "dist" / "mermaid.min.js"
    require(f"mermaid {major}", script.is_file(), "make node-tools")
    page_file = profile.parent / f"mermaid{major}.html"
    page_file.write_text(f'<!doctype html><meta charset="utf-8"><script src="{script.as_uri()}"></script><body>',
                         encoding="utf-8")
    with playwright() as p:
        context = launch(p, profile)
        try:
            page = context.new_page()
            page.goto(page_file.as_uri())
            page.set_default_timeout(120_000)
            return page.evaluate(RENDER_JS, sources)
        finally:
            context.close()


def _decode(node: str) -> str:
    return re.sub(r"_([0-9a-f]+)_", lambda m: chr(int(m.group(1), 16)), node[2:])


def written(label: str) -> list[str]:
    """The lines a quoted Mermaid label in our source means: ``<br/>`` a line break, ``<b>`` no text,
    ``#60;`` and ``#lt;`` the character; each line with runs of white space as one space."""
    text = label.replace("<br/>", "\n").replace("<b>", "").replace("</b>", "")
    text = re.sub(r"#(\d+|[a-z]+);", lambda m: chr(int(m.group(1))) if m.group(1).isdigit()
                  else ENTITIES[m.group(1)], text)
    return [display(line) for line in text.split("\n")]


def shown(text: str | None) -> list[str]:
    return [display(line) for line in (text or "").split("\n")]


def problems(what: str, source: str, result: dict, names: dict[str, str]) -> list[str]:
    """What is wrong with one rendered diagram: an error, a node not drawn, a label not shown as
    written in the source (node, edge and subgraph labels), a name not as written in the inventory."""
    if not result["ok"]:
        return [f"{what}: {result['error']}"]
    drawn = dict(result["nodes"])
    out = [f"{what}: node {n} not drawn" for n in DECLARED.findall(source) if n not in drawn]
    for node, label in NODE_LABEL.findall(source):
        if node in drawn and shown(drawn[node]) != written(label):
            out.append(f"{what}: node {node} shows {shown(drawn[node])!r}, not {written(label)!r}")
    for kind, labels, regex in (("edge", result["edges"], EDGE_LABEL), ("subgraph", result["clusters"], CLUSTER_LABEL)):
        got, want = sorted(shown(t) for t in labels), sorted(written(t) for t in regex.findall(source))
        if got != want:
            out.append(f"{what}: {kind} labels {[g for g in got if g not in want][:3]!r} shown, "
                       f"not {[w for w in want if w not in got][:3]!r}")
    known = {display(n) for n in names.values()}
    for node, label in drawn.items():
        first = (label or "").split("\n")[0]
        if node.startswith("n_") and _decode(node) in names:
            if first != display(names[_decode(node)]):
                out.append(f"{what}: {_decode(node)} shown as {first!r}, not {display(names[_decode(node)])!r}")
        elif re.fullmatch(r"s\d+", node) and first[2:] not in known and first not in known:
            out.append(f"{what}: {node} shown as {first!r}, which is no system's name")
    return out


@pytest.mark.parametrize("major", MAJORS)
def test_every_diagram_renders_with_every_name_as_written(diagrams, major, tmp_path):
    results = _render([source for _what, source, _names in diagrams], major, tmp_path / "profile")
    found = [p for (what, source, names), result in zip(diagrams, results, strict=True)
             for p in problems(what, source, result, names) if " diff #" not in what]
    assert found == []
    hostile = next(r for (what, _s, _n), r in zip(diagrams, results, strict=True)
                   if what == "hostile render overview, every system")
    assert sorted(label.split("\n")[0] for node, label in hostile["nodes"] if node.startswith("n_")) == \
        sorted(display(n) for n in NAMES.values())


@pytest.mark.parametrize("major", MAJORS)
def test_the_pr_comment_diagram_renders_with_every_name_as_written(diagrams, major, tmp_path):
    chosen = [d for d in diagrams if " diff #" in d[0]]
    results = _render([source for _what, source, _names in chosen], major, tmp_path / "profile")
    found = [p for (what, source, names), result in zip(chosen, results, strict=True)
             for p in problems(what, source, result, names)]
    assert found == []


def test_the_check_can_fail(tmp_path):
    """The old escaping (``:`` kept) lost the ``;`` of an entity on lines that mention ``style``."""
    require_browser()
    old = 'flowchart LR\n  n_style["<b>style end fill:#35;f00</b>"]\n'
    (result,) = _render([old], MAJORS[-1], tmp_path / "profile")
    assert problems("old", old, result, {"style": "style end fill:#f00"}) == [
        "old: node n_style shows ['style end fill:#35f00'], not ['style end fill:#f00']",
        "old: style shown as 'style end fill:#35f00', not 'style end fill:#f00'"]
