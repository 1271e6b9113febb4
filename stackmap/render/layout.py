"""Layout engines: the ones ``--engine`` names, and the graph attributes each gets.

What ``--engine auto`` draws is chosen by measuring (:mod:`stackmap.render.fitting`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .diagram import Diagram

ENGINES: tuple[str, ...] = ("auto", "dot", "sfdp", "neato")


def engine_attributes(engine: str, diagram: Diagram) -> dict[str, str]:
    """Graph attributes for ``engine``, ``layout`` included so that plain ``dot -Tsvg`` uses it."""
    if engine == "dot":
        return {"layout": "dot", "rankdir": "LR", "newrank": "true", "nodesep": "0.3", "ranksep": "0.9",
                "splines": "true", "mclimit": "0.5", "nslimit": "2", "nslimit1": "2"}
    if engine == "sfdp":
        return {"layout": "sfdp", "overlap": "prism", "splines": "false", "outputorder": "edgesfirst", "sep": "+6"}
    return {"layout": engine, "overlap": "prism", "splines": "false", "outputorder": "edgesfirst", "start": "1",
            "sep": "+6"}
