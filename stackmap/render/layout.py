"""Layout engines: what ``--engine auto`` picks, and the graph attributes each engine gets.

Thresholds come from measurements on generated inventories (see ``docs/rendering.md`` and
``bench/render_bench.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .diagram import Diagram

ENGINES: tuple[str, ...] = ("auto", "dot", "sfdp", "neato")

DOT_MAX = 60
"""Most systems ``auto`` lays out with ``dot`` (layered, clusters drawn). On generated stacks ``dot``
drew 40 systems 4,200 pt wide and 100 systems 14,000 pt wide; ``sfdp`` drew 100 in 2,700 pt."""
DETAIL_MAX = 300
"""Most systems ``auto`` draws one by one (with ``sfdp`` past :data:`DOT_MAX`); beyond, the diagram
is rolled up by group: ``sfdp`` drew 300 systems 4,600 pt wide, 500 systems 6,300 pt."""
ROLLED_DOT_MAX_EDGES = 60
"""A rolled-up diagram is laid out by ``dot`` up to this many edges, by ``sfdp`` beyond."""


def choose(systems: int) -> tuple[str, bool]:
    """``(engine, roll_up)`` for ``--engine auto``, from the number of systems a diagram shows."""
    if systems > DETAIL_MAX:
        return "dot", True
    return ("dot" if systems <= DOT_MAX else "sfdp"), False


def choose_rolled(edges: int) -> str:
    """The engine for a rolled-up diagram with ``edges`` edges."""
    return "dot" if edges <= ROLLED_DOT_MAX_EDGES else "sfdp"


def engine_attributes(engine: str, diagram: Diagram) -> dict[str, str]:
    """Graph attributes for ``engine``, ``layout`` included so that plain ``dot -Tsvg`` uses it."""
    if engine == "dot":
        return {"layout": "dot", "rankdir": "LR", "newrank": "true", "nodesep": "0.3", "ranksep": "0.9",
                "splines": "true", "mclimit": "0.5", "nslimit": "2", "nslimit1": "2"}
    if engine == "osage":  # groups packed side by side in rows, for a stack without flows
        return {"layout": "osage", "pack": "12", "packmode": "array_u", "sortv": "1"}
    if engine == "sfdp":
        return {"layout": "sfdp", "overlap": "prism", "splines": "false", "outputorder": "edgesfirst", "sep": "+6"}
    return {"layout": engine, "overlap": "prism", "splines": "false", "outputorder": "edgesfirst", "start": "1",
            "sep": "+6"}
