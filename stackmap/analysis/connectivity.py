"""Linear graph algorithms over plain adjacency dicts: cut vertices and strongly connected components.

Both are iterative depth-first searches (no recursion limit) in O(nodes + edges). Their results do
not depend on the order of neighbours (components and cut vertices are properties of the graph;
every list returned is sorted), so neighbours are not sorted; DFS roots are taken in sorted order.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Piece:
    """A part of the graph that a cut vertex alone connects to the rest."""

    size: int
    """Number of nodes in the piece."""
    first: str
    """The smallest node id in the piece."""
    members: tuple[str, ...] | None
    """The sorted node ids, or ``None`` when the piece is larger than the listing limit."""


@dataclass(frozen=True)
class Cut:
    """A cut vertex (articulation point): removing it splits its connected component."""

    node: str
    kept: int
    """Size of the largest remaining piece (ties: the piece with the smallest id), which stays."""
    pieces: tuple[Piece, ...]
    """The other pieces, cut off from the largest one, ordered by their smallest id."""

    @property
    def cut_off(self) -> int:
        """Number of nodes cut off."""
        return sum(p.size for p in self.pieces)


def cut_vertices(adjacency: Mapping[str, Collection[str]], list_limit: int = 10) -> list[Cut]:
    """Every cut vertex of the undirected graph ``adjacency`` (symmetric, no self-loops), sorted.

    Tarjan's low-link DFS; each DFS subtree is a contiguous run of the preorder, so the pieces a cut
    vertex separates are runs (its separated child subtrees) plus, when it is not the DFS root, the
    rest of the component. A piece is listed only when it has at most ``list_limit`` nodes, which
    keeps the whole computation linear.
    """
    order: list[str] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    least: dict[str, str] = {}
    size: dict[str, int] = {}
    parent: dict[str, str] = {}
    cuts: list[Cut] = []
    for root in sorted(adjacency):
        if root in index:
            continue
        start = len(order)
        index[root] = low[root] = start
        least[root] = root
        order.append(root)
        separated: dict[str, list[str]] = {}
        stack = [(root, iter(adjacency[root]))]
        while stack:
            v, neighbours = stack[-1]
            for w in neighbours:
                if w not in index:
                    index[w] = low[w] = len(order)
                    least[w] = w
                    order.append(w)
                    parent[w] = v
                    stack.append((w, iter(adjacency[w])))
                    break
                if w != parent.get(v):
                    low[v] = min(low[v], index[w])
            else:
                stack.pop()
                size[v] = len(order) - index[v]
                if stack:
                    u = stack[-1][0]
                    low[u] = min(low[u], low[v])
                    least[u] = min(least[u], least[v])
                    if low[v] >= index[u]:
                        separated.setdefault(u, []).append(v)
        end = len(order)
        for v, children in separated.items():
            if v == root and len(children) < 2:
                continue
            runs = sorted((index[c], index[c] + size[c]) for c in children)
            cuts.append(_cut(v, runs, start, end, order, index, least, list_limit))
    cuts.sort(key=lambda c: c.node)
    return cuts


def _cut(v: str, runs: list[tuple[int, int]], start: int, end: int, order: list[str],
         index: dict[str, int], least: dict[str, str], limit: int) -> Cut:
    pieces: list[tuple[int, str, tuple[int, int] | None]] = [
        (hi - lo, least[order[lo]], (lo, hi)) for lo, hi in runs
    ]
    rest = (end - start) - 1 - sum(size for size, _, _ in pieces)
    if rest > 0:  # v is not the root: the rest of the component, holding the root (its smallest id)
        pieces.append((rest, order[start], None))
    # the largest piece stays; on a tie the one with the smallest id (the rest, if it is tied)
    keep = min(pieces, key=lambda p: (-p[0], p[1]))
    out: list[Piece] = []
    for size, first, run in sorted((p for p in pieces if p is not keep), key=lambda p: p[1]):
        members: tuple[str, ...] | None = None
        if size <= limit:
            if run is not None:
                members = tuple(sorted(order[run[0]:run[1]]))
            else:
                members = tuple(sorted(_rest(v, runs, start, end, order, index)))
        out.append(Piece(size, first, members))
    return Cut(v, keep[0], tuple(out))


def _rest(v: str, runs: list[tuple[int, int]], start: int, end: int, order: list[str],
          index: dict[str, int]) -> list[str]:
    """The component's nodes outside ``v`` and the separated runs (walks only what it returns)."""
    skip = sorted([(index[v], index[v] + 1), *runs])
    out: list[str] = []
    pos = start
    for lo, hi in skip:
        out.extend(order[pos:lo])
        pos = max(pos, hi)
    out.extend(order[pos:end])
    return out


def strong_components(successors: Mapping[str, Collection[str]]) -> list[list[str]]:
    """Strongly connected components with two or more nodes, each sorted, ordered by first id.

    Iterative Tarjan. ``successors`` maps every node to its successors (nodes that appear only as
    successors may be missing as keys).
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    path: list[str] = []
    found: list[list[str]] = []
    for root in sorted(successors):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        path.append(root)
        on_stack.add(root)
        stack = [(root, iter(successors.get(root, ())))]
        while stack:
            v, targets = stack[-1]
            for w in targets:
                if w not in index:
                    index[w] = low[w] = len(index)
                    path.append(w)
                    on_stack.add(w)
                    stack.append((w, iter(successors.get(w, ()))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                stack.pop()
                if stack:
                    u = stack[-1][0]
                    low[u] = min(low[u], low[v])
                if low[v] == index[v]:
                    members: list[str] = []
                    while True:
                        w = path.pop()
                        on_stack.discard(w)
                        members.append(w)
                        if w == v:
                            break
                    if len(members) > 1:
                        found.append(sorted(members))
    found.sort()
    return found
