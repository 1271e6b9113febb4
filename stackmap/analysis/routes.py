"""Flows as routes: comparing one version's flows with the next by route, and the reach along them.

Every traversal is a plain linear BFS over adjacency dicts: no subgraph views, no per-node
ancestor queries.
"""

from __future__ import annotations

import operator
from collections import deque
from collections.abc import Iterable
from itertools import compress

from ..load.model import Flow


class Routes:
    """A list of flows compared by route (``from``, ``to``, ``mechanism``), in order: equal when
    each flow is the same object or has the same route, so comparing one version's flows of a
    category with the next costs an identity check per unchanged flow."""

    __slots__ = ("flows",)

    def __init__(self, flows: list[Flow]) -> None:
        self.flows = flows

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Routes):
            return NotImplemented
        mine, theirs = self.flows, other.flows
        if mine is theirs:
            return True
        if len(mine) != len(theirs):
            return False
        differ = list(map(operator.is_not, mine, theirs))  # in C: only flows that are not the same object
        return all(a.from_ == b.from_ and a.to == b.to and a.mechanism == b.mechanism
                   for a, b in zip(compress(mine, differ), compress(theirs, differ)))

    __hash__ = None  # type: ignore[assignment]


def predecessors(flows: Iterable[Flow]) -> dict[str, list[str]]:
    pred: dict[str, list[str]] = {}
    for f in flows:
        pred.setdefault(f.to, []).append(f.from_)
    return pred


def bfs(starts: Iterable[str], adjacency: dict[str, list[str]]) -> set[str]:
    seen = set(starts)
    queue = deque(seen)
    while queue:
        for nxt in adjacency.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
