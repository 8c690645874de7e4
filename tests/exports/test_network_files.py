from pathlib import Path
from typing import Callable

import networkx as nx
import pytest

from policykg.exports.network_files import write_gexf, write_graphml

AGENCY = "https://w3id.org/policykg/id/agency/a?x=1&y=2"
FORMATS: dict[str, tuple[Callable[[nx.Graph, Path], None], Callable[..., None], Callable[..., nx.Graph]]] = {
    "graphml": (write_graphml, nx.write_graphml, nx.read_graphml),
    "gexf": (write_gexf, nx.write_gexf, nx.read_gexf),
}


def _graph(directed: bool) -> nx.Graph:
    """Marks to escape, every type, a node's label, an edge's weight, a node and an edge without attributes."""
    graph = nx.DiGraph(jurisdiction="武汉市") if directed else nx.Graph(jurisdiction="武汉市")
    graph.add_node(AGENCY, label='市"科技"局 <牵头> & 配合', measures=3, load=0.25, shared=False)
    graph.add_node("m1", measures=1, heading="第一条　总则")
    graph.add_edge(AGENCY, "m1", role="lead", order=1, shared=True, weight=2)
    graph.add_edge("m2", "m1")
    return graph


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("form", sorted(FORMATS))
def test_a_network_is_read_back_as_networkx_reads_its_own_file(tmp_path: Path, form: str, directed: bool) -> None:
    ours, theirs, read = FORMATS[form]
    graph = _graph(directed)
    ours(graph, tmp_path / f"ours.{form}")
    theirs(graph, tmp_path / f"theirs.{form}")
    mine, expected = read(tmp_path / f"ours.{form}"), read(tmp_path / f"theirs.{form}")
    assert mine.is_directed() == directed and mine.graph == expected.graph
    assert list(mine.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(mine.edges(data=True)) == list(expected.edges(data=True))
    assert mine.nodes[AGENCY]["label"] == '市"科技"局 <牵头> & 配合' and mine.nodes[AGENCY]["measures"] == 3
    assert mine.edges[AGENCY, "m1"]["shared"] is True and mine.edges[AGENCY, "m1"]["role"] == "lead"


def test_graphml_keys_one_name_of_two_types_twice(tmp_path: Path) -> None:
    graph = nx.Graph(name="甲")
    graph.add_node("a", measures=3)
    graph.add_node("b", measures="三项")
    write_graphml(graph, tmp_path / "g.graphml")
    read = nx.read_graphml(tmp_path / "g.graphml")
    assert read.nodes["a"] == {"measures": 3} and read.nodes["b"] == {"measures": "三项"} and read.graph["name"] == "甲"


@pytest.mark.parametrize("form", sorted(FORMATS))
def test_what_xml_cannot_hold_is_left_out(tmp_path: Path, form: str) -> None:
    ours, _, read = FORMATS[form]
    graph = nx.Graph()
    graph.add_node("a", heading="第一条\x0b 总则\x00")
    ours(graph, tmp_path / f"g.{form}")
    assert read(tmp_path / f"g.{form}").nodes["a"]["heading"] == "第一条 总则"
