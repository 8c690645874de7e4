from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
from networkx.algorithms import bipartite

from policykg.graph import analysis
from policykg.graph.analysis import audit_findings, find_documents, lineage, responsibility_centrality
from policykg.graph.store import STORE_DIR, PolicyStore
from policykg.graph.views import citation_graph, co_responsibility_graph, responsibility_graph


@pytest.fixture(scope="module")
def store(seeds_built: Path) -> PolicyStore:
    return PolicyStore.open_read_only(seeds_built / STORE_DIR)


def _document_subgraph(graph: nx.Graph, title: str) -> nx.Graph:
    measures = {n for n, d in graph.nodes(data=True) if d.get("document_title") == title}
    return graph.subgraph(measures | {a for m in measures for a in graph.neighbors(m)})


def test_agency_with_most_measures_in_the_wuhan_2018_document(store: PolicyStore) -> None:
    graph = _document_subgraph(responsibility_graph(store), "武汉市人民政府关于加快推进开发区改革和创新发展的意见")
    rows = sorted(responsibility_centrality(graph).rows, key=lambda r: -r.measures)
    assert (rows[0].name, rows[0].measures) == ("各区人民政府", 16)
    assert rows[1].measures == 10 and "市发展改革委" in graph.nodes[rows[1].agency]["names"]


def test_one_agency_across_written_forms_within_wuhan(store: PolicyStore) -> None:
    rows = responsibility_centrality(responsibility_graph(store), "武汉市").rows
    ndrc = [r for r in rows if r.name in ("市发改委", "市发展改革委")]
    assert len(ndrc) == 1 and ndrc[0].measures == 10 + 15  # 10 in the 2018 opinion, 15 in plan 1


def test_role_weighted_load_shares_each_measure() -> None:
    graph = nx.Graph()
    graph.add_node("m", kind="measure")
    graph.add_node("A", kind="agency", label="A")
    graph.add_node("B", kind="agency", label="B")
    graph.add_edge("A", "m", role="lead")
    graph.add_edge("B", "m", role="support")
    rows = {r.name: r for r in responsibility_centrality(graph).rows}
    assert rows["A"].load == 0.75 and rows["B"].load == 0.25
    assert rows["A"].lead == 1 and rows["B"].support == 1


def test_centrality_does_not_change_its_input_and_pagerank_sums_to_one(store: PolicyStore) -> None:
    graph = responsibility_graph(store)
    before = (graph.number_of_nodes(), graph.number_of_edges())
    rows = responsibility_centrality(graph).rows
    assert (graph.number_of_nodes(), graph.number_of_edges()) == before
    assert sum(r.pagerank for r in rows) == pytest.approx(1.0, abs=0.01)


def test_sampled_betweenness_is_reproducible(store: PolicyStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, "EXACT_BETWEENNESS_LIMIT", 10)
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLE", 20)
    graph = responsibility_graph(store)
    first, second = responsibility_centrality(graph), responsibility_centrality(graph)
    assert first.rows == second.rows
    assert any("sampled" in note for note in first.notes)


def test_an_empty_jurisdiction_is_a_note_not_a_crash(store: PolicyStore) -> None:
    result = responsibility_centrality(responsibility_graph(store), "不存在市")
    assert result.rows == [] and result.notes


def test_lineage_chain_of_the_wuhan_plans(store: PolicyStore) -> None:
    citations = citation_graph(store)
    (plan,) = find_documents(citations, "开发区高质量发展实施方案1")
    chain = lineage(citations, plan).chain
    assert [(s.level, s.number) for s in chain] == [
        ("national", "国发〔2020〕7号, 国发〔20xx〕7号"), ("provincial", "鄂政发〔2020〕28号"), ("municipal", "")]
    (opinion,) = find_documents(citations, "武政〔2018〕35号")
    assert [s.number for s in lineage(citations, opinion).chain] == ["国办发〔2017〕7号", "鄂政发〔2017〕50号", "武政〔2018〕35号"]


def test_descendants_of_a_national_document(store: PolicyStore) -> None:
    citations = citation_graph(store)
    (national,) = find_documents(citations, "国发〔20xx〕7号")
    titles = {s.title for s in lineage(citations, national).descendants}
    assert titles == {"开发区高质量发展实施方案1", "开发区高质量发展实施方案9"}


def test_cycles_and_self_citations_are_reported() -> None:
    graph = nx.DiGraph()
    for node in "abc":
        graph.add_node(node, titles=[node], numbers=[], title=node, level=None, loaded=True)
    graph.add_edge("a", "b", basis=True)
    graph.add_edge("b", "c", basis=True)
    graph.add_edge("c", "a", basis=False)
    graph.add_edge("b", "b", basis=False)
    result = lineage(graph, "a")
    assert any("cycle" in note for note in result.notes)
    assert {s.document for s in result.ancestors} == {"b", "c"}


def test_audit_findings(store: PolicyStore) -> None:
    findings = audit_findings(responsibility_graph(store))
    assert len(findings.unowned) == 269 - 166
    assert findings.top_leads[0]["lead_measures"] == 18
    assert all(row["owners"] >= 4 for row in findings.shared_without_lead)


def test_co_responsibility_is_the_weighted_bipartite_projection(store: PolicyStore) -> None:
    responsibility = responsibility_graph(store)
    agencies = [n for n, kind in responsibility.nodes(data="kind") if kind == "agency"]
    expected = bipartite.weighted_projected_graph(responsibility, agencies)
    co = co_responsibility_graph(responsibility)
    assert list(co.nodes) == list(expected.nodes) and co.number_of_edges() == expected.number_of_edges() > 100
    assert all(co.edges[a, b]["weight"] == weight for a, b, weight in expected.edges(data="weight"))
    assert all(co.nodes[a] == responsibility.nodes[a] for a in agencies)


def test_betweenness_by_component_equals_betweenness_of_the_whole_graph() -> None:
    graph = nx.disjoint_union_all([nx.path_graph(5), nx.star_graph(4), nx.complete_graph(3), nx.path_graph(2)])
    graph = nx.relabel_nodes(graph, {n: f"a{n}" for n in graph})
    expected = nx.betweenness_centrality(graph)
    found = analysis._betweenness(graph, notes := [])
    assert found == pytest.approx(expected) and not notes
    assert max(found.values()) > 0


def test_the_lean_view_gives_the_same_centrality_as_the_detailed_one(store: PolicyStore) -> None:
    detailed = responsibility_centrality(responsibility_graph(store)).rows
    lean = responsibility_centrality(responsibility_graph(store, details=False)).rows
    assert lean == detailed and len(lean) > 100


def test_a_ranking_without_betweenness_is_the_same_ranking(store: PolicyStore) -> None:
    graph = responsibility_graph(store, details=False)
    full = responsibility_centrality(graph).rows
    ranking = responsibility_centrality(graph, betweenness=False).rows
    assert [replace(row, betweenness=None) for row in full] == ranking
    assert any(row.betweenness for row in full)
