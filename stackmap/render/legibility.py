"""Legibility of a Graphviz SVG shown at a page width: text size, overlapping text, aspect ratio.

A wiki shows an SVG at most as wide as its text column (about 1,000 px) and never wider than the
drawing itself (``<img>`` scales down, not up). :func:`measure` reads every ``<text>`` element with
Graphviz's transforms applied, works out the size each text is drawn at on such a page, estimates
its box from its font size, anchor and characters (Helvetica widths), and counts the pairs of text
boxes that overlap. :func:`Legibility.ok` holds the three bounds ``stackmap render`` keeps:
every text at least :data:`MIN_TEXT_PX`, no overlapping texts, aspect ratio at most
:data:`MAX_ASPECT` either way.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

MIN_TEXT_PX = 8.0
"""Smallest text, in CSS pixels on the page, that a reader reads without zooming."""
MAX_ASPECT = 2.5
"""Widest (or tallest) ratio of the drawing's sides that still sits on a page."""
PAGE_WIDTH = 1000
"""Default page width in CSS pixels: a wiki's text column."""
PX_PER_PT = 4 / 3
"""CSS pixels per point: Graphviz sizes its SVG in points."""
OVERLAP_TOLERANCE = 0.5
"""Overlaps smaller than this (in drawing units, both ways) are rounding, not collisions."""

_SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TRANSFORM = re.compile(r"(matrix|translate|scale|rotate)\s*\(([^)]*)\)")
_NARROW = frozenset("iljtfrI.,:;'!|()[] -/")
_WIDE = frozenset("mwMW@%")


@dataclass(frozen=True)
class Box:
    """A text's box in drawing units (y grows downwards), with the text and its size."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    """Font size in drawing units after transforms."""


@dataclass(frozen=True)
class Legibility:
    """How an SVG reads at a page width."""

    width_pt: float
    height_pt: float
    page_px: float
    """Width the drawing is shown at: the page width, or less when the drawing is narrower."""
    min_text_px: float
    """Smallest text as shown (``inf`` when there is no text)."""
    texts: int
    overlaps: int
    """Pairs of text boxes that overlap."""
    examples: tuple[tuple[str, str], ...] = field(default=())
    """A few overlapping pairs, for messages."""

    @property
    def aspect(self) -> float:
        """Longer side over shorter side."""
        short = min(self.width_pt, self.height_pt)
        return max(self.width_pt, self.height_pt) / short if short > 0 else math.inf

    def problems(self, min_px: float = MIN_TEXT_PX, max_aspect: float = MAX_ASPECT) -> list[str]:
        """The bounds it breaks, in words (empty when it keeps them all)."""
        out = []
        if self.min_text_px < min_px:
            out.append(f"smallest text {self.min_text_px:.1f} px at {self.page_px:.0f} px wide (< {min_px:g} px)")
        if self.overlaps:
            out.append(f"{self.overlaps} overlapping text pairs")
        if self.aspect > max_aspect:
            out.append(f"aspect ratio {self.aspect:.2f}:1 (> {max_aspect:g}:1)")
        return out

    def ok(self, min_px: float = MIN_TEXT_PX, max_aspect: float = MAX_ASPECT) -> bool:
        return not self.problems(min_px, max_aspect)


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2,
            a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def parse_transform(text: str | None) -> Matrix:
    """An SVG ``transform`` attribute as an affine matrix ``(a, b, c, d, e, f)``."""
    m = _IDENTITY
    for name, args in _TRANSFORM.findall(text or ""):
        v = [float(x) for x in _NUMBER.findall(args)]
        if name == "translate" and v:
            step: Matrix = (1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0.0)
        elif name == "scale" and v:
            step = (v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0)
        elif name == "rotate" and v:
            r = math.radians(v[0])
            step = (math.cos(r), math.sin(r), -math.sin(r), math.cos(r), 0, 0)
        elif name == "matrix" and len(v) == 6:
            step = (v[0], v[1], v[2], v[3], v[4], v[5])
        else:
            continue
        m = _multiply(m, step)
    return m


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width of ``text`` in Helvetica at ``size`` (the metrics Graphviz sizes boxes with)."""
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.28
        elif ch in _WIDE:
            em += 0.85
        elif ch.isupper():
            em += 0.67
        elif ch.isdigit():
            em += 0.556
        else:
            em += 0.52
    return em * size * (1.06 if bold else 1.0)


def _length(value: str | None) -> float | None:
    if not value:
        return None
    found = _NUMBER.match(value.strip())
    if found is None:
        return None
    return float(found.group()) * (0.75 if value.strip().endswith("px") else 1.0)


def boxes(root: ET.Element) -> list[Box]:
    """Every text element's box in drawing (viewBox) units."""
    out: list[Box] = []

    def walk(element: ET.Element, m: Matrix, size: float, weight: str) -> None:
        m = _multiply(m, parse_transform(element.get("transform")))
        size = _length(element.get("font-size")) or size
        weight = element.get("font-weight") or weight
        if element.tag == f"{_SVG}text":
            content = "".join(element.itertext())
            if content.strip():
                out.append(_box(element, m, size, weight, content))
            return
        for child in element:
            walk(child, m, size, weight)

    walk(root, _IDENTITY, 14.0, "normal")
    return out


def _box(element: ET.Element, m: Matrix, size: float, weight: str, content: str) -> Box:
    x = float(element.get("x", "0") or 0)
    y = float(element.get("y", "0") or 0)
    scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0
    px, py = m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]
    s = size * scale
    w = text_width(content, s, weight == "bold")
    anchor = element.get("text-anchor", "start")
    x0 = px - w / 2 if anchor == "middle" else px - w if anchor == "end" else px
    return Box(x0, py - 0.75 * s, x0 + w, py + 0.2 * s, content, s)


def overlapping(found: list[Box], tolerance: float = OVERLAP_TOLERANCE) -> list[tuple[Box, Box]]:
    """Pairs of boxes that overlap by more than ``tolerance`` both ways (grid-bucketed)."""
    if not found:
        return []
    cell = max(40.0, max(b.x1 - b.x0 for b in found), max(b.y1 - b.y0 for b in found))
    grid: dict[tuple[int, int], list[int]] = {}
    for i, b in enumerate(found):
        for gx in range(int(b.x0 // cell), int(b.x1 // cell) + 1):
            for gy in range(int(b.y0 // cell), int(b.y1 // cell) + 1):
                grid.setdefault((gx, gy), []).append(i)
    pairs: set[tuple[int, int]] = set()
    for members in grid.values():
        for n, i in enumerate(members):
            a = found[i]
            for j in members[n + 1:]:
                b = found[j]
                if (min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance
                        and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance):
                    pairs.add((min(i, j), max(i, j)))
    return [(found[i], found[j]) for i, j in sorted(pairs)]


def measure(svg_text: str | bytes, page_width: float = PAGE_WIDTH) -> Legibility:
    """How ``svg_text`` (Graphviz output) reads when a page shows it at most ``page_width`` px wide."""
    root = ET.fromstring(svg_text)
    view = [float(v) for v in _NUMBER.findall(root.get("viewBox", ""))]
    width_pt = _length(root.get("width")) or (view[2] if len(view) == 4 else 0.0)
    height_pt = _length(root.get("height")) or (view[3] if len(view) == 4 else 0.0)
    units_w = view[2] if len(view) == 4 and view[2] > 0 else width_pt
    shown = min(page_width, width_pt * PX_PER_PT)
    px_per_unit = shown / units_w if units_w > 0 else 0.0
    found = boxes(root)
    pairs = overlapping(found)
    smallest = min((b.size for b in found), default=math.inf) * px_per_unit
    examples = tuple((a.text, b.text) for a, b in pairs[:5])
    return Legibility(width_pt, height_pt, shown, smallest, len(found), len(pairs), examples)
