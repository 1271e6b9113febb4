"""Fitting a diagram to a page: the layouts ``--engine auto`` tries, measured, first legible one kept.

Each attempt is laid out by Graphviz as SVG and measured (:mod:`stackmap.render.legibility`) at the
page width: every text at least 8 px, no overlapping texts, sides at most 2.5:1. The attempts, in
order (see ``docs/rendering.md`` for the measurements behind them):

1. every system, ``dot`` top to bottom, flows labelled with their data (up to :data:`DETAIL_MAX`
   systems; a stack without flows is packed instead: each group's systems in rows inside its box,
   the boxes in rows);
2. every system, flows unlabelled (the data stays in each arrow's tooltip and in the detail views);
3. a summary: one node per group (systems counted, findings counted, worst finding's colours), one
   arrow per pair of groups, labelled, then unlabelled, then the nodes in rows of a width that fits.

A summary names the detail views that complete it (``--view owner:NAME`` for each group). Text is
never made smaller to fit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from ..errors import StackmapError, ToolMissingError
from . import graphviz, packing, theme
from .diagram import Diagram, Mark
from .legibility import MIN_TEXT_PX, Legibility, measure, text_width
from .rollup import NO_GROUP, roll_up

DETAIL_MAX = 60
"""Most systems drawn one by one: past 60, no generated stack's detail drawing came close to the
bounds at 1,000 px (100 systems: 3.3 px text with ``sfdp``, 2.0 px with ``dot``), so the attempts
start at the summary, which also keeps a 2,000-system render within its time."""
_LISTED = 12
"""How many detail views a note names before it counts the rest."""
SMALLEST_FONT = 9.0
"""The smallest font size (points) in any drawing: secondary lines, tags, edge labels, legend."""


@dataclass(frozen=True)
class Attempt:
    """One way of drawing a diagram."""

    diagram: Diagram
    engine: str
    rankdir: str | None = None
    edge_labels: bool = True
    grid: graphviz.Grid | None = None

    def dot(self) -> str:
        return graphviz.to_dot(self.diagram, self.engine, rankdir=self.rankdir, edge_labels=self.edge_labels,
                               grid=self.grid)


@dataclass(frozen=True)
class Fitted:
    """The attempt kept, its DOT text, its SVG (when Graphviz ran) and how it measured."""

    attempt: Attempt
    dot: str
    svg: bytes | None
    legibility: Legibility | None
    detail_views: tuple[str, ...] = ()
    """The views that complete a summary (empty when every system is drawn)."""
    failure: StackmapError | None = None
    """Why Graphviz could not lay it out, when it could not."""


def max_width_pt(page_width: float) -> float:
    """The widest drawing (points) whose smallest text still shows at :data:`MIN_TEXT_PX`."""
    return page_width * SMALLEST_FONT / MIN_TEXT_PX


def detail_attempts(diagram: Diagram, page_width: float) -> Iterator[Attempt]:
    if diagram.systems > DETAIL_MAX:
        return
    if not diagram.edges:  # nothing to route: the groups packed in rows, their systems in rows inside
        yield Attempt(diagram, "neato", edge_labels=False, grid=grid_for(diagram, page_width, clusters=True))
        small = compact(diagram)
        yield Attempt(small, "neato", edge_labels=False, grid=grid_for(small, page_width, clusters=True))
        return
    yield Attempt(diagram, "dot", "TB")
    yield Attempt(diagram, "dot", "TB", edge_labels=False)


def summary_attempts(summary: Diagram, page_width: float) -> Iterator[Attempt]:
    if summary.edges and len(summary.edges) <= graphviz.INLINE_LABELS_MAX:
        # more arrows than this between groups: 782 drew 14,699 pt wide in 1.6 s at 2,000 systems
        yield Attempt(summary, "dot", "TB")
        yield Attempt(summary, "dot", "TB", edge_labels=False)
    yield from grid_attempts(summary, page_width)


def grid_for(diagram: Diagram, page_width: float, clusters: bool = False) -> graphviz.Grid:
    """The nodes (in their group boxes with ``clusters``), then the legend, packed in rows no wider
    than the legible width, and narrower when that keeps the drawing nearer square."""
    most = 0.93 * max_width_pt(page_width) - 2 * float(theme.GRAPH["pad"]) * 72 - 16  # widths are estimates
    sizes = {n.id: packing.Box(n.id, node_width(n.name, [*n.lines, *n.tags]),
                               node_height(1 + len(n.lines) + len(n.tags), n.record)) for n in diagram.nodes}
    boxes: list[packing.Box] = []
    if clusters:
        for index, g in enumerate(diagram.groups):
            members = [sizes.pop(n.id) for n in diagram.nodes if n.group == g.key]
            if members:
                title = packing.Box(graphviz.title_id(index), text_width(g.label, 11.0, bold=True) + 8, 18.0)
                boxes.append(packing.group(g.key, members, most, title))
    boxes += sizes.values()
    rows = graphviz.legend_rows(diagram)
    if rows:
        wide = max(text_width(cue, SMALLEST_FONT, bold=True) for cue, _, _ in rows) + max(
            text_width(meaning, SMALLEST_FONT) for _, _, meaning in rows)
        boxes.append(packing.Box(graphviz.LEGEND_ID, wide + 40, 19.0 * (len(rows) + 1) + 8))
    found = packing.centres(boxes, most)
    return graphviz.Grid(tuple((ident, x, y) for ident, (x, y) in found.items()), clusters)


def node_height(lines: int, record: bool) -> float:
    """Estimated height (points) of a node box with ``lines`` lines of text."""
    return max(36.0, 13.5 * lines + 2 * 0.08 * 72 + 6) + (14.0 if record else 0.0)


def node_width(name: str, lines: list[str]) -> float:
    """Estimated width (points) of a node box with ``name`` over ``lines``."""
    text = max([text_width(name, float(theme.NODE["fontsize"]), bold=True),
                *(text_width(line, SMALLEST_FONT, bold=True) for line in lines)])
    return text * 1.1 + 2 * 0.15 * 72 + 8  # cylinders and bold capitals run wider than estimated


def detail_views(grouped: Diagram) -> tuple[str, ...]:
    """``--view`` values that together show every system of a summary in detail: one per group
    (``owner:NAME`` or ``capability:ID``), then ``system:ID`` for each system in no group."""
    views = []
    for group in grouped.groups:
        kind, _, name = group.key.partition(":")
        if kind in ("owner", "capability") and name:
            views.append(f"{kind}:{name}")
    views += [f"system:{n.id}" for n in grouped.nodes if n.group is None and not n.rolled]
    return tuple(views)


def fit(diagram: Diagram, grouped: Callable[[], Diagram], page_width: float) -> Fitted:
    """The first legible drawing of ``diagram`` at ``page_width`` px, else the one that broke the
    fewest bounds, with a note saying which. Without Graphviz nothing can be measured: the first
    attempt is returned unmeasured."""
    tried: list[Fitted] = []
    for attempt in detail_attempts(diagram, page_width):
        done = _try(attempt, page_width)
        if done.legibility is None or done.legibility.ok():
            return done
        tried.append(done)
    base = grouped()
    why = "; ".join(tried[0].legibility.problems()) if tried and tried[0].legibility else \
        f"more than {DETAIL_MAX} systems"
    reason = (f"{diagram.systems} systems do not fit one picture {page_width:g} px wide with text of at "
              f"least {MIN_TEXT_PX:g} px ({why})")
    # a focused view (owner:, system:, capability:) keeps its own systems and rolls up the context
    focus = [n.id for n in base.nodes if not n.context] if any(n.context for n in base.nodes) else []
    keep = frozenset(focus) if len(focus) <= DETAIL_MAX else frozenset()
    views = () if keep else detail_views(base)
    summary = roll_up(base, reason, keep)
    if tried and 2 * len(summary.nodes) > len(diagram.nodes):
        # a summary that does not halve the nodes draws the same picture with less in it: the
        # systems in rows instead (grouped ones together)
        ordered = replace(diagram, nodes=tuple(sorted(diagram.nodes, key=lambda n: (n.group or "~", n.id))))
        attempts: Iterator[Attempt] = grid_attempts(ordered, page_width)
        views = ()
    else:
        attempts = summary_attempts(_with_views(summary, views), page_width)
    for attempt in attempts:
        done = _try(attempt, page_width, views)
        if done.legibility is None or done.legibility.ok():
            return done
        tried.append(done)
    best = tried[0]
    for done in tried[1:]:
        if _better(done.legibility, best.legibility):
            best = done
    if best.failure is not None:  # every attempt failed
        raise best.failure
    problems = "; ".join(best.legibility.problems()) if best.legibility else why
    noted = _noted(best.attempt.diagram, f"the drawing breaks a bound at {page_width:g} px: {problems}")
    attempt = replace(best.attempt, diagram=noted)
    return Fitted(attempt, attempt.dot(), best.svg, best.legibility, best.detail_views)


def grid_attempts(diagram: Diagram, page_width: float) -> Iterator[Attempt]:
    """The nodes in rows 15 % narrower than the legible width (the widths are estimates and arrows
    are routed around the boxes: at 2,000 systems the full width drew 1,131 pt for 1,125), then in
    rows of smaller nodes (names and findings only, the rest in tooltips)."""
    grid = grid_for(diagram, page_width * 0.85)
    yield Attempt(diagram, "neato", edge_labels=False, grid=grid)
    small = compact(diagram)
    if small != diagram:
        yield Attempt(small, "neato", edge_labels=False, grid=grid_for(small, page_width * 0.85))
    yield Attempt(diagram, "neato", edge_labels=False, grid=replace(grid, straight=True))


def compact(diagram: Diagram) -> Diagram:
    """Systems with their name and finding tags only (vendor, capabilities and the capability a
    duplicate shares stay in the tooltip); rolled-up groups unchanged."""
    nodes = tuple(n if n.rolled else replace(n, lines=(), marks=tuple(dict.fromkeys(Mark(m.kind) for m in n.marks)))
                  for n in diagram.nodes)
    return replace(diagram, nodes=nodes)


def _better(a: Legibility | None, b: Legibility | None) -> bool:
    """Whether ``a`` breaks the bounds less than ``b``: fewer bounds broken, then larger text."""
    if a is None or b is None:
        return b is None
    if a is _FAILED or b is _FAILED:
        return b is _FAILED and a is not _FAILED
    return (len(a.problems()), -a.min_text_px) < (len(b.problems()), -b.min_text_px)


def _try(attempt: Attempt, page_width: float, views: tuple[str, ...] = ()) -> Fitted:
    text = attempt.dot()
    try:
        svg = graphviz.run(text, "svg", attempt.engine)
    except ToolMissingError:
        return Fitted(attempt, text, None, None, views)
    except StackmapError as exc:  # Graphviz failed on this layout (2.43's ortho router can): try the next
        return Fitted(attempt, text, None, _FAILED, views, failure=exc)
    return Fitted(attempt, text, svg, measure(svg, page_width), views)


_FAILED = Legibility(0.0, 0.0, 0.0, 0.0, 0, 0)
"""Stands for a layout Graphviz could not make: breaks every bound, so any drawing beats it."""


def _with_views(summary: Diagram, views: tuple[str, ...]) -> Diagram:
    if not views:
        return summary
    shown = ", ".join(f"--view {v}" for v in views[:_LISTED])
    more = f" and {len(views) - _LISTED} more" if len(views) > _LISTED else ""
    return _noted(summary, f"detail views: {shown}{more}")


def _noted(diagram: Diagram, note: str) -> Diagram:
    return replace(diagram, notes=(*diagram.notes, note))


__all__ = ["DETAIL_MAX", "Attempt", "Fitted", "NO_GROUP", "detail_views", "fit", "max_width_pt"]
