from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest
from click.testing import CliRunner

from policykg.exports.analyze import centrality_table
from policykg.exports.cli import main
from policykg.exports.networks import NETWORK_QUERIES, NETWORKS, network, portable
from policykg.exports.query import open_built_answers
from policykg.graph.store import StoreError

READERS = {".graphml": nx.read_graphml, ".gexf": nx.read_gexf}
NAMESPACES = {".graphml": "http://graphml.graphdrawing.org/xmlns", ".gexf": "http://www.gexf.net/1.2draft"}


@pytest.mark.parametrize("suffix", sorted(READERS))
@pytest.mark.parametrize("name", NETWORKS)
def test_each_network_is_written_whole_and_read_back_the_same(seeds_built: Path, tmp_path: Path, name: str,
                                                              suffix: str) -> None:
    expected = portable(network(open_built_answers(seeds_built, NETWORK_QUERIES), name))
    path = tmp_path / f"{name}{suffix}"
    result = CliRunner().invoke(main, ["network", str(seeds_built), name, "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{expected.number_of_nodes()} nodes, {expected.number_of_edges()} edges -> {path}" in result.output
    assert ElementTree.parse(path).getroot().tag == f"{{{NAMESPACES[suffix]}}}{suffix[1:]}"
    read = READERS[suffix](path)
    assert read.is_directed() == expected.is_directed() and expected.number_of_edges() > 0
    assert set(read.nodes) == set(expected.nodes) and set(map(frozenset, read.edges)) == set(map(frozenset, expected.edges))
    # GEXF gives every node a label and every edge an id of its own, beside the attributes
    assert all({key: read.nodes[node].get(key) for key in data} == data for node, data in expected.nodes(data=True))
    assert all({key: read.edges[a, b].get(key) for key in data} == data for a, b, data in expected.edges(data=True))
    assert any(data for _, _, data in expected.edges(data=True)) and all(data for _, data in expected.nodes(data=True))


def test_the_co_responsibility_network_holds_what_centrality_counts(seeds_built: Path, tmp_path: Path) -> None:
    path = tmp_path / "wuhan.graphml"
    result = CliRunner().invoke(main, ["network", str(seeds_built), "co-responsibility", "--jurisdiction", "武汉市",
                                       "-o", str(path)])
    assert result.exit_code == 0, result.output
    read = nx.read_graphml(path)
    columns, rows, _ = centrality_table(open_built_answers(seeds_built), "武汉市", None)
    expected = {row[columns.index("agency")]: row for row in rows}
    assert set(read.nodes) == set(expected)
    for agency, data in read.nodes(data=True):
        row = expected[agency]
        assert (data["label"], data["jurisdiction"], data["measures"], data["lead"]) == \
            (row[columns.index("name")], row[columns.index("jurisdiction")], row[columns.index("measures")],
             row[columns.index("lead")])
        assert data["load"] == pytest.approx(row[columns.index("load")])
    assert all(weight >= 1 for _, _, weight in read.edges(data="weight"))


def test_a_file_of_another_kind_is_refused_before_any_work(seeds_built: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("policykg.exports.networks.network", lambda *arguments: pytest.fail("the network was made"))
    result = CliRunner().invoke(main, ["network", str(seeds_built), "zones", "-o", str(tmp_path / "zones.csv")])
    assert result.exit_code == 2
    assert "zones.csv: a network is written as .graphml or .gexf" in result.output
    assert not (tmp_path / "zones.csv").exists()


def test_a_co_responsibility_network_of_a_jurisdiction_mistyped_is_refused_naming_those_like_it(
        seeds_built: Path, tmp_path: Path) -> None:
    """Before, the network of 武汉 (for 武汉市) was written with no node, and the command said so alone."""
    result = CliRunner().invoke(main, ["network", str(seeds_built), "co-responsibility", "--jurisdiction", "武汉",
                                       "-o", str(tmp_path / "co.graphml")])
    assert (result.exit_code, result.output) == (2, "error: no agency owns a measure in 武汉; jurisdictions whose "
                                                    "agencies own measures: 武汉市\n")
    assert not (tmp_path / "co.graphml").exists()


def test_an_unknown_network_is_refused() -> None:
    with pytest.raises(StoreError, match="no network called 'citations'"):
        network(nx.Graph(), "citations")  # type: ignore[arg-type]
