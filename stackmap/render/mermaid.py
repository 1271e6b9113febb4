"""Mermaid: a :class:`~stackmap.render.diagram.Diagram` as a ``flowchart``, within GitHub's limits.

Every label is a quoted string whose special characters are written as Mermaid entity codes
(``#60;`` for ``<``), so a name can neither end the label nor become markup. Node ids are built
from system ids with every character outside ``a-z0-9`` encoded, so they never collide with
Mermaid keywords or with each other. GitHub renders at most 500 edges and 50,000 characters:
past that the diagram is rolled up by group, then simplified further, and the output says so in a
``%%`` comment.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

from . import theme
from .diagram import Diagram, Edge, Node, edge_lines
from .graphviz import legend_rows
from .mermaid_text import comment, encode as _encode, node_id, text
from .rollup import roll_up

MAX_EDGES = 500
"""GitHub's Mermaid ``maxEdges``."""
MAX_TEXT = 50_000
"""GitHub's Mermaid ``maxTextSize`` (characters)."""

def _label(lines: list[str], bold_first: bool = False) -> str:
    parts = [text(line) for line in lines]
    if bold_first and parts:
        parts[0] = f"<b>{parts[0]}</b>"
    return '"' + "<br/>".join(parts) + '"'


def _node(node: Node) -> str:
    label = _label([node.name, *node.lines, *node.tags], bold_first=True)
    if node.rolled:
        return f"{node_id(node.id)}[[{label}]]"
    if node.record:
        return f"{node_id(node.id)}[({label})]"
    return f"{node_id(node.id)}[{label}]"


def _arrow(edge: Edge) -> str:
    if edge.style != "solid":
        return "-.->"
    return "==>" if edge.customer else "-->"


def _node_class(node: Node) -> str | None:
    if node.retired:
        return "retired"
    return node.first_mark or ("record" if node.record else "context" if node.context else None)


def to_mermaid(diagram: Diagram, edge_labels: bool = True, legend: bool = True) -> str:
    """The diagram as a Mermaid flowchart (deterministic: everything in sorted order)."""
    out = ["---", f"title: {json.dumps(diagram.title)}", "---"]
    out += [f"%% {comment(note)}" for note in diagram.notes]
    out.append("flowchart TB")  # top to bottom: measured narrower than left to right (docs/rendering.md)
    by_group: dict[str | None, list[Node]] = {}
    for node in diagram.nodes:
        by_group.setdefault(node.group, []).append(node)
    for group in diagram.groups:
        members = by_group.get(group.key, [])
        if not members:
            continue
        out.append(f"  subgraph g_{_encode(group.key)}[{_label([group.label])}]")
        if group.side_by_side:
            out.append("    direction TB")
        out.extend(f"    {_node(node)}" for node in members)
        out.append("  end")
    out.extend(f"  {_node(node)}" for node in by_group.get(None, []))
    for edge in diagram.edges:
        label = f"|{_label(edge_lines(edge))}|" if edge_labels else ""
        out.append(f"  {node_id(edge.source)} {_arrow(edge)}{label} {node_id(edge.target)}")
    classes: set[str] = set()
    if legend:
        out += _legend(diagram, classes)
    used: dict[str, list[str]] = {}
    for node in diagram.nodes:
        cls = _node_class(node)
        if cls is not None:
            used.setdefault(cls, []).append(node_id(node.id))
    out += [f"  classDef {cls} {theme.MERMAID_CLASSES[cls]}" for cls in sorted(classes.union(used))]
    out += [f"  class {','.join(used[cls])} {cls}" for cls in sorted(used)]
    for node in diagram.nodes:
        if node.focus:
            out.append(f"  style {node_id(node.id)} {theme.MERMAID_CLASSES['focus']}")
    links: dict[str, list[str]] = {}
    for i, edge in enumerate(diagram.edges):
        style = theme.MERMAID_CUSTOMER_LINK if edge.customer else theme.MERMAID_OTHER_LINK
        if edge.style != "solid":
            style += f",stroke-dasharray:{theme.MERMAID_DASHES[edge.style]}"
        links.setdefault(style, []).append(str(i))
    out += [f"  linkStyle {','.join(indices)} {style}" for style, indices in sorted(links.items())]
    return "\n".join(out) + "\n"


def _legend(diagram: Diagram, classes: set[str]) -> list[str]:
    rows = legend_rows(diagram)
    if not rows:
        return []
    out = ['  subgraph legend["Legend"]', "    direction TB"]
    arrows: list[str] = []
    for cue, style, meaning in rows:
        if not style:
            arrows.append(f"{cue.replace('heavy dark', 'thick').replace('thin grey', 'thin')}: {meaning}")
            continue
        cls = next((k for k, m in theme.MARKS.items() if m["tag"] == cue),
                   "record" if cue == theme.RECORD_TAG else "retired")
        classes.add(cls)
        out.append(f"    legend_{cls}[{_label([cue, meaning], bold_first=True)}]:::{cls}")
    if arrows:
        classes.add("legend")
        out.append(f"    legend_arrows[{_label(arrows)}]:::legend")
    out.append("  end")
    return out


def fits(source: str, diagram: Diagram) -> bool:
    """Whether GitHub renders it: at most :data:`MAX_EDGES` edges and :data:`MAX_TEXT` characters."""
    return len(diagram.edges) <= MAX_EDGES and len(source) <= MAX_TEXT


def render(diagram: Diagram, grouped: Callable[[], Diagram] | None = None, edge_labels: bool = True
           ) -> tuple[str, Diagram]:
    """Mermaid text for ``diagram`` that GitHub renders, and the diagram it draws: rolled up by group
    when too big (``grouped`` gives the diagram to roll up when ``diagram`` has no groups), then
    without edge labels, then without the edges carrying the fewest flows; each step said in a
    ``%%`` comment."""
    too_many = len(diagram.edges) > MAX_EDGES  # then the text need not be built to know it does not fit
    source = "" if too_many else to_mermaid(diagram, edge_labels=edge_labels)
    if not too_many and fits(source, diagram):
        return source, diagram
    if not diagram.rolled_up:
        base = diagram if diagram.groups or grouped is None else grouped()
        size = f"{len(diagram.edges)} edges" + ("" if too_many else f" and {len(source):,} characters")
        reason = (f"{size} exceed GitHub's Mermaid limits of {MAX_EDGES} edges and {MAX_TEXT:,} "
                  "characters")
        diagram = roll_up(base, reason)
        source = to_mermaid(diagram)
        if fits(source, diagram):
            return source, diagram
    diagram = _noted(diagram, "edge labels left out to stay within GitHub's Mermaid limits")
    source = to_mermaid(diagram, edge_labels=False)
    if fits(source, diagram):
        return source, diagram
    edges = sorted(diagram.edges, key=lambda e: (-e.flows, e.source, e.target))
    keep = min(len(edges), MAX_EDGES)
    while True:
        kept = tuple(sorted(edges[:keep], key=lambda e: (e.source, e.target)))
        note = f"{len(edges) - keep} edges carrying the fewest flows left out" if keep else "every edge left out"
        trimmed = replace(diagram, edges=kept, notes=(*diagram.notes, note))
        source = to_mermaid(trimmed, edge_labels=False)
        if fits(source, trimmed) or keep == 0:
            return source, trimmed
        keep = keep * 9 // 10


def _noted(diagram: Diagram, note: str) -> Diagram:
    return replace(diagram, notes=(*diagram.notes, note))
