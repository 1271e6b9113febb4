"""Layout engines: what ``--engine auto`` picks, and the graph attributes each engine gets.

Thresholds come from measurements on generated inventories (see ``docs/rendering.md`` and
``bench/render_bench.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .diagram import Diagram

ENGINES: tuple[str, ...] = ("auto", "dot", "sfdp", "neato")

DOT_MAX_GROUPED = 300
"""Most systems ``auto`` gives ``dot`` when they are drawn in groups (clusters)."""
DOT_MAX_FLAT = 60
"""Most systems ``auto`` gives ``dot`` when they are not grouped (flat ``dot`` slows down sharply
past about a hundred densely connected nodes)."""
DETAIL_MAX = 500
"""Most systems ``auto`` draws one by one; beyond, the diagram is rolled up by group."""


def choose(systems: int, grouped: bool) -> tuple[str, bool]:
    """``(engine, roll_up)`` for ``--engine auto``, from the number of systems a diagram shows."""
    if systems > DETAIL_MAX:
        return "dot", True
    if systems <= (DOT_MAX_GROUPED if grouped else DOT_MAX_FLAT):
        return "dot", False
    return "sfdp", False


def engine_attributes(engine: str, diagram: Diagram) -> dict[str, str]:
    """Graph attributes for ``engine``, ``layout`` included so that plain ``dot -Tsvg`` uses it."""
    if engine == "dot":
        return {"layout": "dot", "rankdir": "LR", "newrank": "true", "nodesep": "0.3", "ranksep": "0.9",
                "splines": "true", "mclimit": "0.5", "nslimit": "2", "nslimit1": "2"}
    if engine == "sfdp":
        return {"layout": "sfdp", "overlap": "prism", "splines": "false", "outputorder": "edgesfirst", "sep": "+6"}
    return {"layout": engine, "overlap": "prism", "splines": "false", "outputorder": "edgesfirst", "start": "1",
            "sep": "+6"}
