"""Fitting a diagram to a page: the layouts ``--engine auto`` tries, measured, first legible one kept.

Each attempt is laid out by Graphviz as SVG and measured (:mod:`stackmap.render.legibility`) at the
page width: every text at least 8 px, no overlapping texts, sides at most 2.5:1. The attempts, in
order (see ``docs/rendering.md`` for the measurements behind them):

1. every system, ``dot`` top to bottom, flows labelled with their data (up to :data:`DETAIL_MAX`
   systems; a stack without flows is packed instead, its groups side by side by ``osage``);
2. every system, flows unlabelled (the data stays in each arrow's tooltip and in the detail views);
3. a summary: one node per group (systems counted, findings counted, worst finding's colours), one
   arrow per pair of groups, labelled, then unlabelled, then the nodes in rows of a width that fits.

A summary names the detail views that complete it (``--view owner:NAME`` for each group). Text is
never made smaller to fit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from ..errors import ToolMissingError
from . import graphviz, theme
from .diagram import Diagram
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


def max_width_pt(page_width: float) -> float:
    """The widest drawing (points) whose smallest text still shows at :data:`MIN_TEXT_PX`."""
    return page_width * SMALLEST_FONT / MIN_TEXT_PX


def detail_attempts(diagram: Diagram) -> Iterator[Attempt]:
    if diagram.systems > DETAIL_MAX:
        return
    if not diagram.edges:
        yield Attempt(diagram, "osage")
        return
    yield Attempt(diagram, "dot", "TB")
    yield Attempt(diagram, "dot", "TB", edge_labels=False)


def summary_attempts(summary: Diagram, page_width: float) -> Iterator[Attempt]:
    if summary.edges and len(summary.edges) <= graphviz.INLINE_LABELS_MAX:
        # more arrows than this between groups: 782 drew 14,699 pt wide in 1.6 s at 2,000 systems
        yield Attempt(summary, "dot", "TB")
        yield Attempt(summary, "dot", "TB", edge_labels=False)
    yield Attempt(summary, "neato", edge_labels=False, grid=grid_for(summary, page_width))


def grid_for(diagram: Diagram, page_width: float) -> graphviz.Grid:
    """Cells as big as the biggest node, as many to a row as the legible width holds, fewer when
    that keeps the sides nearer 1:1 (never past :data:`~stackmap.render.legibility.MAX_ASPECT`)."""
    width = max((node_width(n.name, [*n.lines, *n.tags]) for n in diagram.nodes), default=72.0) + 0.3 * 72
    lines = max((1 + len(n.lines) + len(n.tags) for n in diagram.nodes), default=1)
    height = 14.0 * lines + 2 * 0.08 * 72 + 16 + 0.5 * 72
    count = max(1, len(diagram.nodes))
    usable = max_width_pt(page_width) - 2 * float(theme.GRAPH["pad"]) * 72 - 16
    most = max(1, min(count, int(usable // width)))
    best = most
    for columns in range(most, 0, -1):  # the widest that is not flatter than 1.5:1
        rows = -(-count // columns)
        if columns * width <= 1.5 * rows * height:
            break
        best = columns - 1 if columns > 1 else 1
    return graphviz.Grid(max(1, best), width, height)


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
    """The first legible drawing of ``diagram`` at ``page_width`` px, else the last summary tried.
    Without Graphviz nothing can be measured: the first attempt is returned unmeasured."""
    best: Fitted | None = None
    for attempt in detail_attempts(diagram):
        done = _try(attempt, page_width)
        if done.legibility is None or done.legibility.ok():
            return done
        if best is None or _better(done.legibility, best.legibility):
            best = done
    base = grouped()
    why = "; ".join(best.legibility.problems()) if best and best.legibility else f"more than {DETAIL_MAX} systems"
    reason = (f"{diagram.systems} systems do not fit one picture {page_width:g} px wide with text of at "
              f"least {MIN_TEXT_PX:g} px ({why})")
    # a focused view (owner:, system:, capability:) keeps its own systems and rolls up the context
    keep = frozenset(n.id for n in base.nodes if not n.context) if any(n.context for n in base.nodes) else frozenset()
    views = () if keep else detail_views(base)
    summary = roll_up(base, reason, keep)
    if best is not None and 2 * len(summary.nodes) > len(diagram.nodes):
        # a summary that does not halve the nodes draws the same picture with less in it: the
        # systems in rows instead (grouped ones together), else the detail that broke the fewest bounds
        ordered = replace(diagram, nodes=tuple(sorted(diagram.nodes, key=lambda n: (n.group or "~", n.id))))
        rows = _try(Attempt(ordered, "neato", edge_labels=False, grid=grid_for(ordered, page_width)), page_width)
        if rows.legibility is None or rows.legibility.ok():
            return rows
        if _better(rows.legibility, best.legibility):
            best = rows
        problems = "; ".join(best.legibility.problems()) if best.legibility else why
        noted = _noted(best.attempt.diagram, f"the drawing breaks a bound at {page_width:g} px: {problems}")
        attempt = replace(best.attempt, diagram=noted)
        return Fitted(attempt, attempt.dot(), best.svg, best.legibility)
    summary = _with_views(summary, views)
    last: Fitted | None = None
    for attempt in summary_attempts(summary, page_width):
        last = _try(attempt, page_width, views)
        if last.legibility is None or last.legibility.ok():
            return last
    assert last is not None
    problems = last.legibility.problems() if last.legibility else []
    noted = _noted(last.attempt.diagram, f"the summary still breaks a bound: {'; '.join(problems)}")
    attempt = replace(last.attempt, diagram=noted)
    return Fitted(attempt, attempt.dot(), last.svg, last.legibility, views)


def _better(a: Legibility | None, b: Legibility | None) -> bool:
    """Whether ``a`` breaks the bounds less than ``b``: fewer bounds broken, then larger text."""
    if a is None or b is None:
        return b is None
    return (len(a.problems()), -a.min_text_px) < (len(b.problems()), -b.min_text_px)


def _try(attempt: Attempt, page_width: float, views: tuple[str, ...] = ()) -> Fitted:
    text = attempt.dot()
    try:
        svg = graphviz.run(text, "svg", attempt.engine)
    except ToolMissingError:
        return Fitted(attempt, text, None, None, views)
    return Fitted(attempt, text, svg, measure(svg, page_width), views)


def _with_views(summary: Diagram, views: tuple[str, ...]) -> Diagram:
    if not views:
        return summary
    shown = ", ".join(f"--view {v}" for v in views[:_LISTED])
    more = f" and {len(views) - _LISTED} more" if len(views) > _LISTED else ""
    return _noted(summary, f"detail views: {shown}{more}")


def _noted(diagram: Diagram, note: str) -> Diagram:
    return replace(diagram, notes=(*diagram.notes, note))


__all__ = ["DETAIL_MAX", "Attempt", "Fitted", "NO_GROUP", "detail_views", "fit", "max_width_pt"]
