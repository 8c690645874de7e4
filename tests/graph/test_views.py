from pathlib import Path

import networkx as nx
import pytest

from policykg.exports.query import open_built_answers
from policykg.graph.filewise import FileAnswers
from policykg.graph.store import STORE_DIR, PolicyStore, RowSource
from policykg.graph.views import VIEW_QUERIES, owned_by, responsibility_graph


@pytest.fixture(scope="module")
def store(seeds_built: Path) -> PolicyStore:
    return PolicyStore.open_read_only(seeds_built / STORE_DIR)


@pytest.mark.parametrize("source", ["store", "answers kept by agency", "answers kept by file"])
def test_the_details_read_for_some_agencies_are_those_of_the_detailed_view(store: PolicyStore, seeds_built: Path,
                                                                          source: str) -> None:
    sources: dict[str, RowSource] = {"store": store, "answers kept by file": FileAnswers(store, VIEW_QUERIES)}
    if source == "answers kept by agency":
        sources[source] = open_built_answers(seeds_built)
        assert isinstance(sources[source], FileAnswers) and sources[source].grouped
    detailed = responsibility_graph(store)
    agencies = sorted(n for n, kind in detailed.nodes(data="kind") if kind == "agency")[::7]
    by_agency = owned_by(sources[source], agencies)
    assert all(set(detailed.neighbors(a)) == set(by_agency[a]) - {a} for a in agencies)
    owned = nx.compose_all(by_agency.values())
    expected = detailed.subgraph(set(agencies) | {m for a in agencies for m in detailed.neighbors(a)})
    assert len(agencies) > 10 and owned.number_of_edges() > 50 and set(owned) == set(expected)
    assert {n: data for n, data in owned.nodes(data=True) if data["kind"] == "measure"} == \
        {n: data for n, data in expected.nodes(data=True) if data["kind"] == "measure"}
    assert _edges(owned) == _edges(expected)


def _edges(graph: nx.Graph) -> list[tuple]:
    """Agency, measure and data of every edge (an undirected edge comes out either way round)."""
    return sorted((*sorted((u, v), key=lambda n: graph.nodes[n]["kind"]), data) for u, v, data in graph.edges(data=True))
