from pathlib import Path
from typing import Iterator

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.exports.query import open_built_answers
from policykg.graph.filewise import FileAnswers
from policykg.graph.store import STORE_DIR, PolicyStore, RowSource
from policykg.graph.views import (VIEW_QUERIES, ZONES, TopNode, ZoneGraphTop, ZoneIndustryGraph, owned_by,
                                  responsibility_graph, zone_industry_graph)


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


def test_the_zone_graph_file_by_file_is_the_graph_of_every_row_at_once(store: PolicyStore) -> None:
    answers = FileAnswers(store, VIEW_QUERIES)
    at_once = zone_industry_graph(store)
    assert at_once.number_of_edges() > 50 and {"zone", "industry", "document"} <= set(dict(at_once.nodes(data="kind")).values())
    assert nx.utils.graphs_equal(ZoneIndustryGraph(answers.by_file(ZONES)).graph, at_once)


def test_a_zone_called_by_its_kind_alone_is_shown_with_its_jurisdiction(store: PolicyStore) -> None:
    labels = {label for _, label in zone_industry_graph(store).nodes(data="label")}
    assert {"市开发区（连云港市）", "经开区（贵阳市）", "贵州乌当经开区"} <= labels
    assert "经开区" not in labels


# rows of ZONES from a few names, so that files share zones, industries and documents, and disagree on labels
_ZONE_ROW = st.tuples(st.sampled_from(["z1", "z2", "z3"]), st.sampled_from(["东湖高新区", "东湖区"]),
                      st.sampled_from(["d1", "d2"]), st.sampled_from(["甲", "乙"]), st.sampled_from(["", "i1", "i2"]),
                      st.sampled_from(["光电子", "生物医药"])).map(lambda row: row if row[4] else (*row[:4], "", ""))
_FILES = st.dictionaries(st.sampled_from(["f1", "f2", "f3", "f4"]), st.lists(_ZONE_ROW, max_size=4), max_size=4)


@settings(max_examples=300, deadline=None)
@given(_FILES, st.lists(_FILES, min_size=1, max_size=4))
def test_a_zone_graph_that_follows_files_is_the_graph_made_of_them_at_once(
        first: dict[str, list[tuple[str, ...]]], then: list[dict[str, list[tuple[str, ...]]]]) -> None:
    def once(files: dict[str, list[tuple[str, ...]]]) -> Iterator[tuple[str, Iterator[tuple[str, ...]]]]:
        """Each file's rows to be read once, as a cache's come: they are counted, not kept."""
        return ((name, iter(rows)) for name, rows in files.items())

    kept, held = ZoneIndustryGraph(once(first)), first
    for files in then:  # a file of the same name with other rows: one gone, one new, as digests are
        gone = {name for name in held if held[name] != files.get(name)}
        kept.follow(gone, dict(once({name: rows for name, rows in files.items() if name in gone or name not in held})))
        held = files
        made = ZoneIndustryGraph(files.items()).graph
        assert kept.files.keys() == files.keys()
        assert nx.utils.graphs_equal(kept.graph, made)
        assert dict(kept.graph.nodes(data=True)) == dict(made.nodes(data=True))


def _top_of(graph: nx.Graph, count: int, titles: int) -> ZoneGraphTop:
    """What :meth:`ZoneIndustryGraph.top` gives, read from the whole graph as NetworkX holds it."""
    def naming(node: str) -> set[str]:
        kind = graph.nodes[node]["kind"]
        if kind == "document":
            return {graph.nodes[node]["label"]}
        if kind == "zone":
            return {graph.nodes[d]["label"] for d in graph[node] if graph.nodes[d]["kind"] == "document"}
        return set().union(*(naming(zone) for zone in graph[node]))

    shown = sorted(graph, key=lambda node: (-graph.degree(node), node))[:count]
    nodes = [TopNode(node, graph.nodes[node]["kind"], graph.nodes[node]["label"], graph.degree(node),
                     sorted(naming(node))[:titles], len(naming(node))) for node in shown]
    edges = sorted((min(a, b), max(a, b), relation) for a, b, relation in graph.subgraph(shown).edges(data="relation"))
    return ZoneGraphTop(nodes, edges, len(graph))


@settings(max_examples=200, deadline=None)
@given(_FILES, _FILES, st.integers(min_value=0, max_value=8), st.integers(min_value=0, max_value=3))
def test_the_top_of_a_zone_graph_is_read_from_its_counts_as_from_the_whole_graph(
        first: dict[str, list[tuple[str, ...]]], then: dict[str, list[tuple[str, ...]]], count: int, titles: int) -> None:
    kept = ZoneIndustryGraph(first.items())
    kept.follow(set(first), then)
    assert kept.top(count, titles) == _top_of(kept.graph, count, titles)


def test_the_top_of_the_seeds_zone_graph_names_its_zones_documents(store: PolicyStore) -> None:
    top = ZoneIndustryGraph.of(store).top(40, titles=3)
    assert top == _top_of(zone_industry_graph(store), 40, 3) and len(top.nodes) == 40 < top.of
    assert {node.kind for node in top.nodes} == {"zone", "industry", "document"}
    assert all(node.documents >= len(node.titles) > 0 and node.degree > 0 for node in top.nodes)
