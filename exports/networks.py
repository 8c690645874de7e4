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

import re
from pathlib import Path
from typing import Callable, Iterator, Mapping

import networkx as nx

from policykg.graph.load import ROLE_WEIGHTS, AgencyLoad, co_responsibility_graph
from policykg.graph.store import RowSource, StoreError
from policykg.graph.views import (RESPONSIBILITY_QUERIES, VIEW_QUERIES, citation_graph, responsibility_graph,
                                  zone_industry_graph)

from .catalog import NETWORKS

NETWORK_QUERIES = (*VIEW_QUERIES, *RESPONSIBILITY_QUERIES)  # what the networks read
LIST_SEPARATOR = "；"
GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}  # as NetworkX names them
GRAPHML_HEADER = """<?xml version='1.0' encoding='utf-8'?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
"""
# what XML text and attribute values cannot hold as written; characters XML 1.0 has no place for, left out
XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
                            | {chr(c): None for c in range(32) if chr(c) not in "\t\n\r"})
NOT_XML_AS_WRITTEN = re.compile("[" + "".join(map(re.escape, map(chr, XML_ESCAPES))) + "]")


def network(source: RowSource, name: str, jurisdiction: str | None = None) -> nx.Graph:
    """One of :data:`NETWORKS`; ``co-responsibility`` of one ``jurisdiction``'s agencies alone if given."""
    if name == "responsibility":
        return responsibility_graph(source)
    if name == "co-responsibility":
        return _with_loads_written_out(co_responsibility_graph(source, jurisdiction))
    if name == "lineage":
        return citation_graph(source)
    if name == "zones":
        return zone_industry_graph(source)
    raise StoreError(f"no network called {name!r}: one of {', '.join(NETWORKS)}")


def write_graphml(graph: nx.Graph, path: Path) -> None:
    """``graph`` as GraphML, written line by line as it is read, its attributes' keys named and typed
    as NetworkX's own writer does, so that ``nx.read_graphml`` reads the same graph back. That writer
    makes an element of each node, edge and value: the responsibility network of 10,000 documents
    (607,602 nodes and edges, 4.3 million values) took it 13.2 s, against 3.5 s written so.

    >>> import tempfile; path = Path(tempfile.mkdtemp()) / "g.graphml"
    >>> graph = nx.DiGraph(); graph.add_edge("市科技局", "m1", role="lead", order=1); graph.add_node("m1", shared=True)
    >>> write_graphml(graph, path); read = nx.read_graphml(path)
    >>> dict(read.nodes["m1"]), dict(read.edges["市科技局", "m1"])
    ({'shared': True}, {'role': 'lead', 'order': 1})
    """
    items = (("graph", [graph.graph]), ("node", (data for _, data in graph.nodes(data=True))),
             ("edge", (data for _, _, data in graph.edges(data=True))))
    found = dict.fromkeys((scope, name, _graphml_type(value)) for scope, datas in items for data in datas
                          for name, value in data.items())
    keys = {key: f"d{number}" for number, key in enumerate(found)}
    with path.open("w", encoding="utf-8") as out:
        out.write(GRAPHML_HEADER)
        for (scope, name, kind), key in keys.items():
            out.write(f'  <key id="{key}" for="{scope}" attr.name="{_xml(name)}" attr.type="{kind}" />\n')
        out.write(f'  <graph edgedefault="{"directed" if graph.is_directed() else "undirected"}">\n')
        out.writelines(f"    {element}\n" for element in _data_elements(keys, "graph", graph.graph))
        for node, data in graph.nodes(data=True):
            out.write(f'    <node id="{_xml(str(node))}">{"".join(_data_elements(keys, "node", data))}</node>\n')
        for a, b, data in graph.edges(data=True):
            out.write(f'    <edge source="{_xml(str(a))}" target="{_xml(str(b))}">'
                      f'{"".join(_data_elements(keys, "edge", data))}</edge>\n')
        out.write("  </graph>\n</graphml>\n")


def _data_elements(keys: Mapping[tuple[str, str, str], str], scope: str, data: Mapping[str, object]) -> Iterator[str]:
    """The ``<data>`` element of each of a node's, an edge's or the graph's attributes."""
    for name, value in data.items():
        kind = _graphml_type(value)
        text = str(value).lower() if kind == "boolean" else _xml(str(value))
        yield f'<data key="{keys[scope, name, kind]}">{text}</data>'


def _graphml_type(value: object) -> str:
    """GraphML's name of the type of a value :func:`portable_attributes` gives.

    >>> from rdflib import Literal
    >>> _graphml_type(True), _graphml_type(3), _graphml_type(Literal("园区"))
    ('boolean', 'long', 'string')
    """
    return GRAPHML_TYPES.get(type(value)) or next(name for kind, name in GRAPHML_TYPES.items() if isinstance(value, kind))


def _xml(text: str) -> str:
    """``text`` as XML text or an attribute's value.

    >>> _xml('R&D <"园区">\x0b')
    'R&amp;D &lt;&quot;园区&quot;&gt;'
    """
    return text.translate(XML_ESCAPES) if NOT_XML_AS_WRITTEN.search(text) else text


WRITERS: dict[str, Callable[[nx.Graph, Path], None]] = {".graphml": write_graphml, ".gexf": nx.write_gexf}


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
