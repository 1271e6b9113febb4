"""``stackmap diff`` output: text, JSON, and a Markdown pull-request comment.

The comment starts with a hidden marker (:data:`MARKER`) so a bot can find and update it in place,
then a headline, a ``+ - ~`` table, a Mermaid diagram of the changed systems and their one-hop
neighbours, and the findings introduced (with ``file:line``) and resolved. It always stays under
GitHub's comment limit: sections are cut, with a note, to fit :data:`COMMENT_LIMIT`.
"""

from __future__ import annotations

import json
from typing import Any

from .compare import Change, InventoryDiff
from ..errors import InventoryError
from ..analysis.findings import Finding
from ..hints import plural, safe_text
from ..load.inventory import Inventory
from ..formats.common import md, md_code
from ..formats.json import finding as finding_json
from ..render.mermaid_text import text as mermaid_label

MARKER = "<!-- stackmap-diff -->"
COMMENT_LIMIT = 65_536
"""GitHub's limit on a comment body, in characters."""
MAX_DIAGRAM_NODES = 120
MAX_DIAGRAM_EDGES = 400
DIFF_FORMATS: tuple[str, ...] = ("text", "json", "markdown")

NOUNS: dict[str, tuple[str, str]] = {
    "customer-data-silo": ("silo", "silos"),
    "customer-data-unsynced": ("unsynced system", "unsynced systems"),
    "duplicate-capability": ("duplicate capability", "duplicate capabilities"),
    "isolated-system": ("isolated system", "isolated systems"),
    "no-system-of-record": ("missing system of record", "missing systems of record"),
    "flow-to-retired-system": ("flow to a retired system", "flows to retired systems"),
    "flow-without-data": ("flow without data", "flows without data"),
}
"""How the headline names new findings of a rule (other rules: ``N new <rule> findings``)."""


def headline(diff: InventoryDiff) -> str:
    """``2 systems added · 1 flow removed · 1 new silo`` (or ``no changes to systems or flows``)."""
    parts: list[str] = []
    for kind in ("system", "flow"):
        for op, verb in (("+", "added"), ("-", "removed"), ("~", "changed")):
            n = diff.count(kind, op)  # type: ignore[arg-type]
            if n:
                parts.append(f"{plural(n, kind)} {verb}")
    if not parts:
        parts.append("no changes to systems or flows")
    by_rule: dict[str, int] = {}
    for f in diff.introduced:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    for rule in sorted(by_rule, key=lambda r: (min(f.severity.rank for f in diff.introduced if f.rule == r), r)):
        n = by_rule[rule]
        one, many = NOUNS.get(rule, (f"{rule} finding", f"{rule} findings"))
        parts.append(f"{n} new {one if n == 1 else many}")
    if diff.resolved:
        parts.append(f"{plural(len(diff.resolved), 'finding')} resolved")
    return " · ".join(parts)


# -- text ------------------------------------------------------------------------------------------


def text(diff: InventoryDiff) -> str:
    out = [f"{diff.base_label} → {diff.head_label}: {headline(diff)}"]
    for c in diff.changes:
        where = f" ({c.location})" if c.location else ""
        detail = f": {', '.join(c.fields)}" if c.fields else ""
        out.append(f"  {c.op} {c.kind} {_name(c)}{detail}{where}")
    for title, found in (("new findings", diff.introduced), ("resolved findings", diff.resolved)):
        if found:
            out.append(f"{title} ({len(found)}):")
            out += [f"  {f.location}: {f.severity.value}: {f.message} [{f.rule}]" for f in found]
    out += [f"note: {n}" for n in diff.notes]
    return "\n".join(safe_text(line) for line in out) + "\n"  # a value can neither forge a line nor drive a terminal


def _name(c: Change) -> str:
    return f"{c.id} ({c.label})" if c.kind == "system" else c.label


# -- json ------------------------------------------------------------------------------------------


def to_json(diff: InventoryDiff) -> str:
    doc: dict[str, Any] = {
        "version": 1,
        "base": diff.base_label,
        "head": diff.head_label,
        "headline": headline(diff),
        "changes": [
            {"op": c.op, "kind": c.kind, "id": c.id, "label": c.label, "fields": list(c.fields),
             "systems": list(c.systems),
             "location": None if c.location is None else
             {"file": c.location.file, "line": c.location.line, "column": c.location.column}}
            for c in diff.changes
        ],
        "introduced": [finding_json(f) for f in diff.introduced],
        "resolved": [finding_json(f) for f in diff.resolved],
        "notes": list(diff.notes),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# -- markdown --------------------------------------------------------------------------------------


def markdown(diff: InventoryDiff, limit: int = COMMENT_LIMIT) -> str:
    """The pull-request comment, at most ``limit`` characters."""
    head = [MARKER, f"### stackmap: {md(headline(diff))}", "",
            f"Comparing {md_code(diff.base_label)} with {md_code(diff.head_label)}.", ""]
    table = _table(diff)
    diagram = mermaid(diff)
    new_lines = [_finding_line(f) for f in diff.introduced]
    old_lines = [_finding_line(f) for f in diff.resolved]
    sections: list[tuple[list[str], list[str], str]] = []
    if table:
        sections.append((["| | Kind | Name | Change | Where |", "|:-:|---|---|---|---|"], table, "rows"))
    if new_lines:
        sections.append(([f"#### New findings ({len(new_lines)})", ""], new_lines, "findings"))
    if old_lines:
        sections.append(([f"#### Resolved findings ({len(old_lines)})", ""], old_lines, "findings"))
    notes = [f"- {md(n)}" for n in diff.notes]

    full = _join(head, sections, diagram, notes)
    if len(full) <= limit:
        return full
    # Too long: drop the diagram first, then cut each section to what fits, saying so.
    cut_note = "*The diagram was left out to keep this comment within GitHub's size limit.*"
    budget = limit - len(_join(head, [(h, [], "") for h, _, _ in sections], [cut_note], notes)) - 400
    trimmed: list[tuple[list[str], list[str], str]] = []
    for header, lines, noun in sections:
        kept: list[str] = []
        for line in lines:
            if budget - len(line) - 1 < 0:
                break
            kept.append(line)
            budget -= len(line) + 1
        if len(kept) < len(lines):
            kept.append(f"\n*…and {len(lines) - len(kept)} more {noun}: run `stackmap diff` for the full list.*")
            budget -= 80
        trimmed.append((header, kept, noun))
    return _join(head, trimmed, [cut_note], notes)


def _join(head: list[str], sections: list[tuple[list[str], list[str], str]], diagram: list[str],
          notes: list[str]) -> str:
    out = list(head)
    if sections and sections[0][2] == "rows":
        header, lines, _ = sections[0]
        out += [*header, *lines, ""]
        sections = sections[1:]
    if diagram:
        out += [*diagram, ""]
    for header, lines, _ in sections:
        out += [*header, *lines, ""]
    if notes:
        out += notes + [""]
    return "\n".join(out)


def _table(diff: InventoryDiff) -> list[str]:
    rows = []
    for c in diff.changes:
        name = f"{md_code(c.id)} {md(c.label)}" if c.kind == "system" else md(c.label)
        change = {"+": "added", "-": "removed", "~": "changed: " + ", ".join(c.fields)}[c.op]
        where = md_code(f"{c.location.file}:{c.location.line}") if c.location else ""
        op = {"+": "+", "-": "−", "~": "~"}[c.op]
        rows.append(f"| {op} | {c.kind} | {name} | {md(change)} | {where} |")
    return rows


def _finding_line(f: Finding) -> str:
    return (f"- **{f.severity.value}** {md_code(f'{f.location.file}:{f.location.line}')} "
            f"{md_code(f.rule)}: {md(f.message)}")


# -- mermaid ---------------------------------------------------------------------------------------

CLASSES = {
    "added": "fill:#dafbe1,stroke:#1a7f37,stroke-width:2px",
    "removed": "fill:#ffebe9,stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 3",
    "changed": "fill:#fff8c5,stroke:#9a6700,stroke-width:2px",
}
MARKS = {"added": "+ ", "removed": "− ", "changed": "~ ", "": ""}
EDGE_STYLES = {"added": "stroke:#1a7f37,stroke-width:2px", "removed": "stroke:#cf222e",
               "changed": "stroke:#9a6700,stroke-width:2px"}


def mermaid(diff: InventoryDiff) -> list[str]:
    """A fenced Mermaid flowchart of the changed systems and their one-hop neighbours (empty when
    nothing changed); neighbours are dropped, then the diagram, when it would be too large."""
    state: dict[str, str] = {}
    for c in diff.changes:
        if c.kind == "system":
            state[c.id] = {"+": "added", "-": "removed", "~": "changed"}[c.op]
    touched = set(state)
    for c in diff.changes:
        if c.kind == "flow":
            touched.update(c.systems)
    if not touched:
        return []
    flows = _all_flows(diff)
    nodes = set(touched)
    for _key, (a, b, _label, _style) in flows.items():
        if a in touched or b in touched:
            nodes.update((a, b))
    if len(nodes) > MAX_DIAGRAM_NODES:
        nodes = set(touched)
    if len(nodes) > MAX_DIAGRAM_NODES:
        return [f"*{plural(len(touched), 'system')} changed: too many to draw.*"]
    names = _names(diff.base, diff.head)
    ids = {sid: f"s{i}" for i, sid in enumerate(sorted(nodes))}
    out = ["```mermaid", "flowchart LR"]
    for sid in sorted(nodes):
        kind = state.get(sid, "")
        label = mermaid_label(f"{MARKS[kind]}{names.get(sid, sid)}")
        out.append(f'  {ids[sid]}["{label}"]' + (f":::{kind}" if kind else ""))
    edges = [(k, v) for k, v in sorted(flows.items()) if v[0] in nodes and v[1] in nodes]
    if len(edges) > MAX_DIAGRAM_EDGES:
        changed = [(k, v) for k, v in edges if v[3]]
        edges = changed[:MAX_DIAGRAM_EDGES]
    link_styles: list[str] = []
    for i, (_key, (a, b, label, style)) in enumerate(edges):
        arrow = "-.->" if style == "removed" else "-->"
        text = f'|"{mermaid_label(MARKS[style] + label)}"|' if label or style else ""
        out.append(f"  {ids[a]} {arrow}{text} {ids[b]}")
        if style:
            link_styles.append(f"  linkStyle {i} {EDGE_STYLES[style]}")
    out += link_styles
    out += [f"  classDef {name} {css}" for name, css in CLASSES.items()]
    out.append("```")
    return out


def _names(*inventories: Inventory | None) -> dict[str, str]:
    names: dict[str, str] = {}
    for inv in inventories:
        if inv is not None:
            names.update({sid: s.name for sid, s in inv.systems.items()})
    return names


def _all_flows(diff: InventoryDiff) -> dict[str, tuple[str, str, str, str]]:
    """Flow identity → (from, to, data label, style): the head's flows and the removed ones."""
    style = {c.id: {"+": "added", "-": "removed", "~": "changed"}[c.op] for c in diff.changes if c.kind == "flow"}
    out: dict[str, tuple[str, str, str, str]] = {}
    for f in diff.head.flows:
        out[f.key] = (f.from_, f.to, ", ".join(sorted(set(f.data))), style.get(f.key, ""))
    if diff.base is not None:
        for f in diff.base.flows:
            if style.get(f.key) == "removed":
                out[f.key] = (f.from_, f.to, ", ".join(sorted(set(f.data))), "removed")
    return out


def markdown_invalid(error: InventoryError, head_label: str) -> str:
    """The comment when the head inventory does not validate."""
    out = [MARKER, f"### stackmap: the inventory at {md_code(head_label)} is invalid", "",
           f"{plural(len(error.problems), 'problem')}; fix them to see what this change does.", ""]
    out += [f"- {md_code(f'{p.file}:{p.line}')} {md(p.message)}" for p in error.problems[:200]]
    if len(error.problems) > 200:
        out.append(f"- …and {len(error.problems) - 200} more")
    return "\n".join(out) + "\n"
