"""Packing boxes in rows for pinned layouts: systems (or groups) left to right, wrapping at a width.

Graphviz's layered and force-directed layouts grow wide or tall with the number of systems; a
summary or a stack without flows reads best as a compact grid. Sizes are estimated from the text
(:func:`stackmap.render.legibility.text_width`), so the rows leave a margin; the drawing is measured
afterwards anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

GAP = 22.0
"""Points between two boxes in a row (rows are 1.6 times further apart, for arrows to pass)."""
CLUSTER_PAD = 12.0
"""Points between a group's box and its systems."""
CLUSTER_LABEL = 30.0
"""Points reserved at the top of a group's box for its name."""


@dataclass(frozen=True)
class Box:
    id: str
    width: float
    height: float
    members: tuple[tuple[str, float, float], ...] = ()
    """A group's systems, each ``(id, x, y)``: their centres from the group box's top-left corner."""


def rows(boxes: list[Box], row_width: float) -> tuple[list[tuple[Box, float, float]], float, float]:
    """Each box with its top-left corner (x right, y down), and the total width and height."""
    placed: list[tuple[Box, float, float]] = []
    x = y = row = width = 0.0
    for box in boxes:
        if x > 0 and x + box.width > row_width:
            x, y, row = 0.0, y + row + 1.6 * GAP, 0.0
        placed.append((box, x, y))
        width = max(width, x + box.width)
        x, row = x + box.width + GAP, max(row, box.height)
    return placed, width, y + row


def row_width_for(boxes: list[Box], most: float) -> float:
    """A row width that keeps the packed boxes near square, never wider than ``most`` nor narrower
    than the widest box."""
    area = sum((b.width + GAP) * (b.height + 1.6 * GAP) for b in boxes)
    widest = max((b.width for b in boxes), default=72.0)
    return min(max(most, widest), max(widest, (1.4 * area) ** 0.5))


def group(key: str, members: list[Box], most: float, title: Box | None = None) -> Box:
    """A group's box: its systems packed inside, and its ``title`` (a box drawn as its name) above them."""
    placed, width, height = rows(members, row_width_for(members, most - 2 * CLUSTER_PAD))
    inner = [(b.id, CLUSTER_PAD + x + b.width / 2, CLUSTER_LABEL + y + b.height / 2) for b, x, y in placed]
    if title is not None:
        width = max(width, title.width)
        inner.append((title.id, CLUSTER_PAD + title.width / 2, CLUSTER_PAD / 2 + title.height / 2))
    return Box(key, width + 2 * CLUSTER_PAD, height + CLUSTER_LABEL + CLUSTER_PAD, tuple(inner))


def centres(boxes: list[Box], most: float) -> dict[str, tuple[float, float]]:
    """The centre of every box and of every group member, in points with y up (Graphviz's way)."""
    placed, _, _ = rows(boxes, row_width_for(boxes, most))
    out: dict[str, tuple[float, float]] = {}
    for box, x, y in placed:
        if box.members:
            for ident, mx, my in box.members:
                out[ident] = (x + mx, -(y + my))
        else:
            out[box.id] = (x + box.width / 2, -(y + box.height / 2))
    return out
