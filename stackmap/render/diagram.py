"""A diagram as plain data, independent of the output language: nodes, merged edges, groups.

:func:`build` turns a :class:`~stackmap.render.views.View` and the findings into a
:class:`Diagram`; the Graphviz and Mermaid writers only translate it. Everything is sorted, so the
same inventory gives the same diagram whatever its file order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..analysis.findings import Finding
from ..analysis.graph import Stack
from ..load.model import Flow
from . import theme
from .views import View

GROUP_BY: tuple[str, ...] = ("owner", "capability", "part_of", "none")

_TOOLTIP_TEXT = 300
"""Longest description (characters) a tooltip quotes."""


@dataclass(frozen=True)
class Mark:
    """A finding shown on a system: its kind (a key of :data:`theme.MARKS`) and a detail."""

    kind: str
    detail: str = ""


@dataclass(frozen=True)
class Node:
    """A system (or, rolled up, a whole group of systems)."""

    id: str
    """The system id, or ``group_…`` for a rolled-up group (ids never contain ``_``)."""
    name: str
    lines: tuple[str, ...]
    """Secondary lines under the name (vendor, capabilities, counts)."""
    group: str | None
    tooltip: str
    record: bool = False
    lifecycle: str = "active"
    retired: bool = False
    context: bool = False
    focus: bool = False
    marks: tuple[Mark, ...] = ()
    """Finding marks; rolled up, one per marked system with the system id as detail."""
    systems: int = 1
    """How many systems the node stands for."""
    rolled: bool = False
    """A whole group, rolled up."""

    @property
    def tags(self) -> tuple[str, ...]:
        """The text cues: system of record, retired, then each finding kind once."""
        tags = []
        if self.record:
            tags.append(theme.RECORD_TAG if not self.rolled else f"HOLDS {theme.RECORD_TAG}")
        if self.retired:
            tags.append(theme.RETIRED_TAG)
        elif self.lifecycle in ("planned", "retiring"):
            tags.append(self.lifecycle.upper())
        for kind in theme.MARK_ORDER:
            details = sorted({m.detail for m in self.marks if m.kind == kind})
            if not details:
                continue
            tag = theme.MARKS[kind]["tag"]
            if self.rolled:  # rolled up: the details are the systems marked
                tag = f"{tag}: {len(details)}"
            elif details != [""]:
                tag = f"{tag}: {', '.join(details)}"
            tags.append(tag)
        return tuple(tags)

    @property
    def first_mark(self) -> str | None:
        kinds = {m.kind for m in self.marks}
        return next((k for k in theme.MARK_ORDER if k in kinds), None)


@dataclass(frozen=True)
class Edge:
    """Every flow from one node to another, merged into one arrow."""

    source: str
    target: str
    data: tuple[str, ...]
    """Data categories carried (sorted, each once)."""
    mechanisms: tuple[str, ...]
    customer: bool
    retired: bool
    flows: int

    @property
    def style(self) -> str:
        """Line style: the least automated among the flows' mechanisms (solid when none stated)."""
        styles = [theme.MECHANISM_STYLE.get(m, "solid") for m in self.mechanisms] or ["solid"]
        return max(styles, key=lambda s: theme.STYLE_RANK[s])

    @property
    def id(self) -> str:
        return f"flow_{self.source}_{self.target}"


@dataclass(frozen=True)
class Group:
    """A cluster of nodes: an owner, a capability, or the side-by-side providers of a capability."""

    key: str
    label: str
    side_by_side: bool = False


@dataclass(frozen=True)
class Diagram:
    """What the writers draw."""

    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    groups: tuple[Group, ...]
    rolled_up: bool = False
    notes: tuple[str, ...] = field(default=())
    """Sentences about how the diagram was simplified (written as comments and in the title)."""

    @property
    def systems(self) -> int:
        return sum(n.systems for n in self.nodes)

    @property
    def flows(self) -> int:
        return sum(e.flows for e in self.edges)


def marks_by_system(findings: list[Finding]) -> dict[str, tuple[Mark, ...]]:
    """The finding marks of each system, for the rules a diagram shows."""
    marks: dict[str, set[Mark]] = {}
    for f in findings:
        kind = theme.RULE_MARK.get(f.rule)
        if kind is None:
            continue
        for sid in f.systems:
            marks.setdefault(sid, set()).add(Mark(kind, f.capability or ""))
    return {sid: tuple(sorted(m, key=lambda m: (theme.MARK_ORDER.index(m.kind), m.detail)))
            for sid, m in marks.items()}


def group_of(stack: Stack, sid: str, group_by: str) -> tuple[str, str] | None:
    """``(key, label)`` of the group a system is drawn in, or ``None`` for no group."""
    system = stack.systems[sid]
    if group_by == "owner":
        return (f"owner:{system.owner}", system.owner) if system.owner else None
    if group_by == "part_of":
        return (f"part_of:{system.part_of}", system.part_of) if system.part_of else None
    if group_by == "capability":
        caps = stack.inventory.capabilities_of(system)
        if not caps:
            return None
        definition = stack.inventory.capabilities.get(caps[0])
        return f"capability:{caps[0]}", definition.name if definition and definition.name else caps[0]
    return None


def build(stack: Stack, view: View, findings: list[Finding], group_by: str = "owner",
          show_findings: bool = True) -> Diagram:
    """The diagram of ``view``: systems labelled and marked, parallel flows merged, groups sorted."""
    marks = marks_by_system(findings) if show_findings else {}
    notes: tuple[str, ...] = ()
    if not stack.inventory.flows and view.systems:
        # every system is isolated: one note says so instead of a tag on every box
        notes = ("no flows are recorded, so every system is isolated (isolated-system); "
                 "systems are shown by group",)
        marks = {sid: tuple(m for m in ms if m.kind != "isolated") for sid, ms in marks.items()}
    side = set(view.side_by_side)
    groups: dict[str, Group] = {}
    if side:
        groups["side"] = Group("side", view.side_by_side_label, side_by_side=True)
    nodes: list[Node] = []
    for sid in view.systems:
        if sid in side:
            key: str | None = "side"
        else:
            found = group_of(stack, sid, group_by)
            key = None
            if found is not None:
                key = found[0]
                groups.setdefault(key, Group(key, found[1]))
        nodes.append(system_node(stack, sid, key, marks.get(sid, ()), view))
    edges = merge_flows(stack, view.flows, view.customer_only)
    title = f"{view.title}: {_count(len(nodes), 'system')}, {_count(sum(e.flows for e in edges), 'flow')}"
    return Diagram(title, tuple(nodes), edges, tuple(sorted(groups.values(), key=lambda g: g.key)), notes=notes)


def system_node(stack: Stack, sid: str, group: str | None, marks: tuple[Mark, ...], view: View) -> Node:
    system = stack.systems[sid]
    caps = stack.inventory.capabilities_of(system)
    lines = [line for line in (system.vendor or "", ", ".join(caps)) if line]
    record = bool(set(stack.options.record_roles).intersection(system.roles))
    tooltip = [f"{_one_line(system.name)} ({sid})"]
    for label, value in (("vendor", system.vendor), ("owner", system.owner),
                         ("lifecycle", system.lifecycle), ("capabilities", ", ".join(caps)),
                         ("data", ", ".join(sorted(set(system.data)))), ("roles", ", ".join(system.roles))):
        if value:
            tooltip.append(f"{label}: {_one_line(value)}")
    if system.description:
        text = " ".join(system.description.split())
        tooltip.append(text if len(text) <= _TOOLTIP_TEXT else text[:_TOOLTIP_TEXT - 1] + "…")
    for m in marks:
        tooltip.append(f"finding: {theme.MARKS[m.kind]['rule']}" + (f" ({m.detail})" if m.detail else ""))
    return Node(
        id=sid,
        name=system.name,
        lines=tuple(lines),
        group=group,
        tooltip="\n".join(tooltip),
        record=record,
        lifecycle=system.lifecycle,
        retired=system.lifecycle == "retired",
        context=sid not in view.focus,
        focus=len(view.focus) == 1 and sid in view.focus and view.name.startswith("system:"),
        marks=marks,
    )


def merge_flows(stack: Stack, flows: tuple[Flow, ...] | list[Flow], customer_only: bool = False
                ) -> tuple[Edge, ...]:
    """One edge per (from, to) pair, carrying the union of the flows' data and mechanisms."""
    known = stack.inventory.data_categories
    retired = {sid for sid, s in stack.systems.items() if s.lifecycle == "retired"}
    pairs: dict[tuple[str, str], list[Flow]] = {}
    for f in flows:
        pairs.setdefault((f.from_, f.to), []).append(f)
    edges = []
    for (src, dst), group in sorted(pairs.items()):
        data = {c for f in group for c in f.data}
        customer = any(known.get(c, False) for c in data)
        if customer_only:
            data = {c for c in data if known.get(c, False)}
        edges.append(Edge(
            source=src,
            target=dst,
            data=tuple(sorted(data)),
            mechanisms=tuple(sorted({f.mechanism for f in group if f.mechanism})),
            customer=customer,
            retired=src in retired or dst in retired,
            flows=len(group),
        ))
    return tuple(edges)


def edge_lines(edge: Edge, per_line: int = 3, most: int = 6) -> list[str]:
    """An edge's label: data categories a few per line, then mechanisms and the flow count."""
    data = list(edge.data)
    more = len(data) - most if len(data) > most else 0
    shown = data[:most]
    lines = [", ".join(shown[i:i + per_line]) for i in range(0, len(shown), per_line)]
    if more:
        lines.append(f"+{more} more")
    if not lines:
        lines.append("(no data listed)")
    tail = " + ".join(edge.mechanisms)
    if edge.flows > 1:
        tail = f"{tail}, {edge.flows} flows" if tail else f"{edge.flows} flows"
    if tail:
        lines.append(f"({tail})")
    return lines


def slug(text: str) -> str:
    """``text`` as an id fragment: ``a-z``, ``0-9`` and ``-`` kept, anything else ``.hex.``
    (one-to-one, and never an ``_``, which separates the parts of an id)."""
    return "".join(ch if ch in _SLUG_SAFE else f".{ord(ch):x}." for ch in text)


_SLUG_SAFE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def _one_line(text: str) -> str:
    return _BREAKS.sub(" ", text)


_BREAKS = re.compile("[\r\n\v\f\x85\u2028\u2029]")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
