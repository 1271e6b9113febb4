"""Graphviz: a :class:`~stackmap.render.diagram.Diagram` as DOT text, and DOT through ``dot``.

The DOT text is written by hand: every value is a quoted string or an HTML-like label, escaped
here, so no name can break the syntax or put markup into the SVG Graphviz writes (Graphviz
escapes text again on output). Layout runs the ``dot`` executable in a subprocess.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
import shutil
import subprocess

from ..errors import StackmapError, ToolMissingError
from . import theme
from .diagram import Diagram, Edge, Node, edge_lines, slug
from .layout import engine_attributes

INSTALL_ADVICE = (
    "Graphviz's `dot` program is needed for svg, png and pdf output and was not found on PATH. "
    "Install Graphviz (Debian/Ubuntu: `sudo apt-get install graphviz`; Fedora: `sudo dnf install graphviz`; "
    "macOS: `brew install graphviz`; Windows: `winget install graphviz`), "
    "or write --format dot or --format mermaid, which need no Graphviz."
)
TIMEOUT = 600
"""Seconds a layout may take before it is stopped."""
INLINE_LABELS_MAX = 60
"""Most edges whose labels ``dot`` lays out as part of the graph; past that they are ``xlabel``s,
placed after layout: an edge label costs ``dot`` a virtual node, and 900 labelled edges took more
than two minutes where ``xlabel`` took eight seconds (see docs/rendering.md)."""
LEGEND_ID = "_legend"
"""The legend's node name (system ids never contain ``_``)."""


@dataclass(frozen=True)
class Grid:
    """Pinned node centres ``(id, x, y)`` in points (see :mod:`stackmap.render.packing`); with
    ``clusters`` the group boxes are drawn around their packed systems."""

    centres: tuple[tuple[str, float, float], ...]
    clusters: bool = False
    straight: bool = False
    """Straight arrows (under the boxes) instead of routed ones: Graphviz 2.43's router can fail."""

    def positions(self) -> dict[str, str]:
        """Each node's pinned centre as a ``pos`` value, in inches (``neato`` input)."""
        return {ident: f"{x / 72:.3f},{y / 72:.3f}!" for ident, x, y in self.centres}


def title_id(index: int) -> str:
    """The node name of group ``index``'s title in a pinned layout (system ids never contain ``_``)."""
    return f"_title_{index}"


def quote(text: str, backslash: str = "\\\\") -> str:
    """``text`` as a DOT double-quoted string: quotes escaped, ``&`` as ``&amp;`` (Graphviz decodes
    entities in labels and tooltips), backslashes written as ``backslash``
    so Graphviz's own escapes (``\\N``, ``\\G``, ``\\n`` ...) stay literal; line breaks and other
    control characters become spaces (use :func:`quote_lines` for intended line breaks)."""
    text = _plain(text).replace("&", "&amp;").replace("\\", backslash).replace('"', '\\"')
    return f'"{text}"'


def quote_lines(lines: list[str], backslash: str = "\\\\") -> str:
    """Several lines as one quoted DOT string, each line escaped and centred (``\\n``)."""
    return '"' + "\\n".join(quote(line, backslash)[1:-1] for line in lines) + '"'


TOOLTIP_BACKSLASH = "\\\\\\\\"
"""Graphviz (2.43) expands escapes in tooltips twice: a literal backslash is written four times."""


def html(text: str) -> str:
    """``text`` escaped for an HTML-like label: ``& < > "`` as entities, backslashes doubled (Graphviz
    expands ``\\N`` even there), control characters as spaces."""
    return (_plain(text).replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _plain(text: str) -> str:
    """Control and line-separator characters as spaces."""
    return _CONTROL.sub(" ", text)


def _value(key: str, value: str) -> str:
    if key == "tooltip":
        return quote_lines(value.split("\n"), TOOLTIP_BACKSLASH)
    if key in ("label", "xlabel"):
        return quote_lines(value.split("\n"))
    return quote(value)


def _attrs(attrs: dict[str, str], html_label: str | None = None) -> str:
    """An attribute list; ``tooltip`` and ``label`` values may hold line breaks (``\\n``)."""
    parts = [f"{key}={_value(key, value)}" for key, value in attrs.items()]
    if html_label is not None:
        parts.append(f"label=<{html_label}>")
    return "[" + ", ".join(parts) + "]"


def to_dot(diagram: Diagram, engine: str = "dot", legend: bool = True, *, rankdir: str | None = None,
           edge_labels: bool = True, grid: Grid | None = None) -> str:
    """The diagram as DOT text (deterministic: everything in sorted order). ``rankdir`` overrides the
    engine's direction, ``edge_labels=False`` leaves labels to the tooltips, ``grid`` pins the nodes
    (``neato``) in rows of cells, the legend below them, the flows drawn straight underneath."""
    out: list[str] = [f"// {_plain(note)}" for note in diagram.notes]
    out.append("digraph stackmap {")
    graph = {**theme.GRAPH, **engine_attributes(engine, diagram), "id": "stackmap",
             "label": diagram.title}
    if rankdir is not None and engine == "dot":
        graph["rankdir"] = rankdir
    if grid is not None:
        # arrows routed around the boxes (straight ones ran under them); measured as fast at 2,000 systems
        graph.update({"layout": "neato", "splines": "false" if grid.straight else "ortho", "outputorder": "edgesfirst",
                      "overlap": "true"})
        graph.pop("start", None)
        graph.pop("sep", None)
    out.append(f"  graph {_attrs(graph)};")
    out.append(f"  node {_attrs(theme.NODE)};")
    out.append(f"  edge {_attrs(theme.EDGE)};")
    by_group: dict[str | None, list[Node]] = {}
    for node in diagram.nodes:  # a grid without clusters keeps a group's systems together in its rows
        by_group.setdefault(node.group if grid is None or grid.clusters else None, []).append(node)
    pos = grid.positions() if grid is not None else {}
    for index, group in enumerate(diagram.groups):
        members = by_group.get(group.key, [])
        if not members:
            continue
        style = theme.SIDE_BY_SIDE_CLUSTER if group.side_by_side else theme.CLUSTER
        out.append(f"  subgraph {quote(f'cluster_{index}')} {{")
        titled = title_id(index) in pos  # pinned: the name is a node the box grows around
        label = "" if titled else group.label
        out.append(f"    graph {_attrs({**style, 'label': label, 'id': 'group_' + slug(group.key)})};")
        if titled:
            title = {"shape": "plaintext", "style": "", "margin": "0", "pos": pos[title_id(index)],
                     "fontcolor": style["fontcolor"], "id": f"title_{index}", "tooltip": group.label}
            out.append(f"    {quote(title_id(index))} {_attrs(title, f'<b>{html(group.label)}</b>')};")
        out.extend(f"    {_node(node, pos)}" for node in members)
        if group.side_by_side and len(members) > 1:
            out.append("    {rank=same; " + " ".join(f"{quote(n.id)};" for n in members) + "}")
        out.append("  }")
    out.extend(f"  {_node(node, pos)}" for node in by_group.get(None, []))
    many = len(diagram.edges) > INLINE_LABELS_MAX
    label_key = "" if many and diagram.rolled_up else "xlabel" if many and engine == "dot" else "label"
    if not edge_labels:
        label_key = ""
    names = {n.id: n.name for n in diagram.nodes}
    pairs = {(e.source, e.target): e for e in diagram.edges}
    for edge in diagram.edges:  # a two-way pair is one arrow with two heads (its labels collided)
        back = pairs.get((edge.target, edge.source))
        if back is None or edge.source < edge.target:
            out.append(f"  {_edge(edge, label_key, diagram.rolled_up, names, back)}")
    table = legend_table(diagram) if legend else ""
    if table:
        attrs = {"shape": "plaintext", "style": "", "id": "legend"}
        if LEGEND_ID in pos:
            attrs["pos"] = pos[LEGEND_ID]
        out.append(f"  {quote(LEGEND_ID)} {_attrs(attrs, table)};")
    out.append("}")
    return "\n".join(out) + "\n"


def _node(node: Node, pos: dict[str, str] | None = None) -> str:
    attrs: dict[str, str] = {"id": node.id if node.rolled else f"system_{node.id}", "tooltip": node.tooltip}
    if pos and node.id in pos:
        attrs["pos"] = pos[node.id]
    if node.record:
        attrs.update(theme.RECORD)
    if node.context:
        attrs.update(theme.CONTEXT)
    mark = node.first_mark
    if mark is not None:
        spec = theme.MARKS[mark]
        attrs.update({"style": spec["style"], "fillcolor": spec["fill"], "color": spec["color"],
                      "penwidth": spec["penwidth"]})
    if node.retired:
        attrs.update(theme.RETIRED)
    if node.focus:
        attrs.update(theme.FOCUS)
    if node.record:  # a cylinder: "rounded" or "diagonals" would turn it back into a box
        kept = [p for p in attrs.get("style", theme.NODE["style"]).split(",") if p not in ("rounded", "diagonals")]
        attrs["style"] = ",".join(kept)
    label = [f"<b>{html(node.name)}</b>"]
    label += [f'<font point-size="9" color="{theme.SECONDARY_TEXT}">{html(line)}</font>' for line in node.lines]
    label += [f'<font point-size="9"><b>{html(tag)}</b></font>' for tag in node.tags]
    return f"{quote(node.id)} {_attrs(attrs, '<br/>'.join(label))};"


def _edge(edge: Edge, label_key: str, rolled: bool, names: dict[str, str], back: Edge | None = None) -> str:
    attrs: dict[str, str] = {"id": edge.id}
    tooltip = _tooltip(edge, names)
    if back is not None:  # both directions: one arrow, the union of what they carry, each in the tooltip
        tooltip = f"{tooltip}\n{_tooltip(back, names)}"
        edge = Edge(edge.source, edge.target, tuple(sorted({*edge.data, *back.data})),
                    tuple(sorted({*edge.mechanisms, *back.mechanisms})), edge.customer or back.customer,
                    edge.retired and back.retired, edge.flows + back.flows)
        attrs["dir"] = "both"
    attrs.update(theme.CUSTOMER_EDGE if edge.customer else theme.OTHER_EDGE)
    if edge.retired:
        attrs.update(theme.RETIRED_EDGE)
    if edge.style != "solid":
        attrs["style"] = edge.style
    if rolled and edge.flows > 1:  # width grows with the number of flows merged
        attrs["penwidth"] = f"{float(attrs.get('penwidth', '1')) + min(6.0, math.log2(edge.flows)):.1f}"
    attrs["tooltip"] = tooltip
    both = ["both ways"] if back is not None else []
    if not rolled and label_key:
        attrs[label_key] = "\n".join([*edge_lines(edge), *both])
    elif label_key:  # rolled up: the count (width shows it too), details in the tooltip; none when many
        attrs[label_key] = "\n".join([f"{edge.flows} flow{'s' if edge.flows != 1 else ''}", *both])
    return f"{quote(edge.source)} -> {quote(edge.target)} {_attrs(attrs)};"


def _tooltip(edge: Edge, names: dict[str, str]) -> str:
    return f"{names[edge.source]} → {names[edge.target]}: " + " ".join(edge_lines(edge, per_line=99))


def legend_rows(diagram: Diagram) -> list[tuple[str, dict[str, str], str]]:
    """``(cue, style, meaning)`` for what the diagram shows: records, retired, marks, edge kinds."""
    rows: list[tuple[str, dict[str, str], str]] = []
    if any(n.record for n in diagram.nodes):
        rows.append((theme.RECORD_TAG, {"fill": "#FFFFFF", "color": "#000000"}, "cylinder, heavy outline"))
    kinds = {m.kind for n in diagram.nodes for m in n.marks}
    for kind in theme.MARK_ORDER:
        if kind in kinds:
            spec = theme.MARKS[kind]
            rows.append((spec["tag"], {"fill": spec["fill"], "color": spec["color"]},
                         f"{spec['legend']} ({spec['rule']})"))
    if any(n.retired for n in diagram.nodes):
        rows.append((theme.RETIRED_TAG, {"fill": theme.RETIRED["fillcolor"], "color": theme.RETIRED["color"]},
                     "retired system (dashed, grey)"))
    if any(e.customer for e in diagram.edges):
        rows.append(("heavy dark arrow", {}, "flow carrying customer data"))
    if any(not e.customer for e in diagram.edges):
        rows.append(("thin grey arrow", {}, "flow carrying no customer data"))
    for style in ("dashed", "dotted"):
        if any(e.style == style for e in diagram.edges):
            rows.append((f"{style} arrow", {}, theme.STYLE_LEGEND[style]))
    return rows


def legend_table(diagram: Diagram) -> str:
    """The legend as an HTML-like table, or an empty string when there is nothing to explain."""
    rows = legend_rows(diagram)
    if not rows:
        return ""
    cells = ['<tr><td colspan="2" align="left"><b>Legend</b></td></tr>']
    for cue, style, meaning in rows:
        colour = f' bgcolor="{style["fill"]}" color="{style["color"]}"' if style else ""
        cells.append(f'<tr><td{colour}><font point-size="9"><b>{html(cue)}</b></font></td>'
                     f'<td align="left"><font point-size="9">{html(meaning)}</font></td></tr>')
    return ('<table border="1" cellborder="1" cellspacing="0" cellpadding="4" color="#C9CED6">'
            + "".join(cells) + "</table>")


def dot_executable() -> str:
    """The path of ``dot``; raises :class:`ToolMissingError` (exit 2) with install advice."""
    found = shutil.which("dot")
    if found is None:
        raise ToolMissingError(INSTALL_ADVICE)
    return found


def run(dot_text: str, fmt: str, engine: str) -> bytes:
    """Lay out ``dot_text`` with ``engine`` and return the ``fmt`` (svg, png, pdf) bytes."""
    command = [dot_executable(), f"-K{engine}", f"-T{fmt}"]
    try:
        done = subprocess.run(command, input=dot_text.encode("utf-8"), capture_output=True,
                              timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise StackmapError(f"Graphviz ({engine}) took more than {TIMEOUT} s; try --engine sfdp or a "
                            "smaller view") from None
    except OSError as exc:
        raise ToolMissingError(f"cannot run {command[0]}: {exc.strerror}. {INSTALL_ADVICE}") from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip()[:2000]
        raise StackmapError(f"Graphviz ({engine} -T{fmt}) failed: {message or f'exit {done.returncode}'}")
    return done.stdout
