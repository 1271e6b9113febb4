"""The hand-written cut-vertex and strong-component searches agree with networkx on random graphs."""

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from stackmap.analysis.connectivity import Piece, cut_vertices, strong_components

NODES = [f"n{i:02d}" for i in range(12)]
edges = st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES)), max_size=30)


def _undirected(pairs, nodes=NODES):
    adjacency = {n: set() for n in nodes}
    for a, b in pairs:
        if a != b:
            adjacency.setdefault(a, set()).add(b)
            adjacency.setdefault(b, set()).add(a)
    return {n: sorted(v) for n, v in adjacency.items()}


@settings(max_examples=300, deadline=None)
@given(edges)
def test_cut_vertices_match_networkx(pairs):
    adjacency = _undirected(pairs)
    graph = nx.Graph(adjacency)
    cuts = cut_vertices(adjacency, list_limit=len(NODES))
    assert [c.node for c in cuts] == sorted(nx.articulation_points(graph))
    for cut in cuts:
        component = nx.node_connected_component(graph, cut.node)
        rest = graph.subgraph(component - {cut.node})
        parts = sorted((sorted(p) for p in nx.connected_components(rest)), key=lambda p: (-len(p), p[0]))
        assert cut.kept == len(parts[0])
        expected = sorted((Piece(len(p), p[0], tuple(p)) for p in parts[1:]), key=lambda p: p.first)
        assert list(cut.pieces) == expected


def test_large_pieces_are_counted_not_listed():
    # a - hub - (b1..b3 in a path): cutting 'hub' keeps the path, cuts off 'a'
    adjacency = _undirected([("a", "hub"), ("hub", "b1"), ("b1", "b2"), ("b2", "b3")], nodes=())
    by_node = {c.node: c for c in cut_vertices(adjacency, list_limit=1)}
    assert sorted(by_node) == ["b1", "b2", "hub"]
    assert by_node["hub"].kept == 3 and by_node["hub"].pieces == (Piece(1, "a", ("a",)),)
    assert by_node["b1"].kept == 2 and by_node["b1"].pieces == (Piece(2, "b2", None),)
    assert by_node["b2"].kept == 3 and by_node["b2"].pieces == (Piece(1, "b3", ("b3",)),)


@settings(max_examples=300, deadline=None)
@given(edges)
def test_strong_components_match_networkx(pairs):
    successors = {}
    for a, b in pairs:
        if a != b:
            successors.setdefault(a, set()).add(b)
    graph = nx.DiGraph([(a, b) for a, bs in successors.items() for b in bs])
    expected = sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1)
    assert strong_components({k: sorted(v) for k, v in successors.items()}) == expected
