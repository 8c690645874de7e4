"""The NetworkX views of a built folder as GraphML or GEXF files, whole, for Gephi, Cytoscape,
igraph or NetworkX itself.

- ``responsibility``: agencies and the measures they own (bipartite); an edge's role and order
- ``co-responsibility``: agencies linked by the measures they own together, ``weight`` how many;
  each agency's measures by role and role-weighted load
- ``lineage``: documents, loaded or only cited, → the documents they cite; ``basis`` when implemented
- ``zones``: zones, the industries they focus on, and the documents naming them

Nodes are the graph's IRIs. Attributes are written as both formats hold them: text, whole numbers,
decimals and true/false; a list is joined with ``；``, and what is unknown is left out.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping

import networkx as nx

from policykg.graph.load import ROLE_WEIGHTS, AgencyLoad, co_responsibility_graph, jurisdictions_like
from policykg.graph.store import RowSource, StoreError
from policykg.graph.views import (RESPONSIBILITY_QUERIES, VIEW_QUERIES, citation_graph, responsibility_graph,
                                  zone_industry_graph)

from .catalog import NETWORKS
from .network_files import write_gexf, write_graphml

NETWORK_QUERIES = (*VIEW_QUERIES, *RESPONSIBILITY_QUERIES)  # what the networks read
LIST_SEPARATOR = "；"
WRITERS: dict[str, Callable[[nx.Graph, Path], None]] = {".graphml": write_graphml, ".gexf": write_gexf}


def network(source: RowSource, name: str, jurisdiction: str | None = None) -> nx.Graph:
    """One of :data:`NETWORKS`; ``co-responsibility`` of one ``jurisdiction``'s agencies alone if given."""
    if name == "responsibility":
        return responsibility_graph(source)
    if name == "co-responsibility":
        graph = co_responsibility_graph(source, jurisdiction)
        if jurisdiction is not None and not graph:
            raise StoreError(f"no agency owns a measure in {jurisdiction}; {jurisdictions_like(source, jurisdiction)}")
        return _with_loads_written_out(graph)
    if name == "lineage":
        return citation_graph(source)
    if name == "zones":
        return zone_industry_graph(source)
    raise StoreError(f"no network called {name!r}: one of {', '.join(NETWORKS)}")


def writer_for(path: Path) -> Callable[[nx.Graph, Path], None]:
    """How a network is written to ``path``: GraphML or GEXF, by its suffix."""
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise StoreError(f"{path.name}: a network is written as .graphml or .gexf")
    return writer


def write_network(graph: nx.Graph, path: Path) -> None:
    """The graph as GraphML or GEXF, by the file's suffix, nodes and edges in order."""
    writer_for(path)(portable(graph), path)


def portable(graph: nx.Graph) -> nx.Graph:
    """A copy of the graph whose attributes GraphML and GEXF can hold (:func:`portable_attributes`),
    its nodes and edges in order: the same file whatever order the graph was made in.

    >>> graph = nx.DiGraph(jurisdiction=None)
    >>> graph.add_edge("a", "b", basis=True); graph.add_node("a", titles=["甲", "乙"], level=None)
    >>> copy = portable(graph); copy.graph, dict(copy.nodes["a"]), copy.edges["a", "b"]
    ({}, {'titles': '甲；乙'}, {'basis': True})
    """
    copy = graph.__class__()
    copy.graph.update(portable_attributes(graph.graph))
    copy.add_nodes_from((node, portable_attributes(graph.nodes[node])) for node in sorted(graph.nodes))
    edges = ((a, b) if graph.is_directed() or a <= b else (b, a) for a, b in graph.edges)
    copy.add_edges_from((a, b, portable_attributes(graph.edges[a, b])) for a, b in sorted(edges))
    return copy


def portable_attributes(data: Mapping[str, object]) -> dict[str, str | int | float | bool]:
    """Attributes as text, whole numbers, decimals or true/false: lists joined, unknowns left out.

    >>> portable_attributes({"names": ("市发改委", "市发展改革委"), "order": 2, "place": None, "load": 0.5})
    {'names': '市发改委；市发展改革委', 'order': 2, 'load': 0.5}
    """
    portable: dict[str, str | int | float | bool] = {}
    for key, value in data.items():
        if isinstance(value, (str, int, float, bool)):
            portable[key] = value
        elif isinstance(value, (list, tuple, set, frozenset)):
            items = sorted(value) if isinstance(value, (set, frozenset)) else value
            portable[key] = LIST_SEPARATOR.join(map(str, items))
        elif value is not None:
            portable[key] = str(value)
    return portable


def _with_loads_written_out(graph: nx.Graph) -> nx.Graph:
    """Each agency's :class:`AgencyLoad` as attributes of its own: label, jurisdiction, measures by
    role, load and main role."""
    for _, data in graph.nodes(data=True):
        load: AgencyLoad = data.pop("load")
        data.update(label=load.name, names=sorted(load.names), jurisdiction=load.jurisdiction, measures=load.measures,
                    load=round(load.load, 4), main_role=load.main_role,
                    **{role: load.roles[role] for role in ROLE_WEIGHTS})
    return graph
