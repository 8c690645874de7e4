from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

import networkx as nx
import pytest

from policykg.graph import analysis
from policykg.graph.analysis import audit_findings, find_documents, lineage, responsibility_centrality
from policykg.graph.filewise import FileAnswers
from policykg.graph.load import co_responsibility_graph
from policykg.graph.sparql_text import Bindings
from policykg.graph.store import STORE_DIR, PolicyStore, RowSource
from policykg.graph.views import (OWNERSHIPS, RESPONSIBILITY_QUERIES, citation_graph, responsibility_graph,
                                  responsibility_graphs)

ROLE = "https://w3id.org/policykg/ontology#"


@pytest.fixture(scope="module")
def store(seeds_built: Path) -> PolicyStore:
    return PolicyStore.open_read_only(seeds_built / STORE_DIR)


@dataclass
class OneDocument:
    """The rows of a store about the measures of one document (their IRIs start with the document's)."""

    store: RowSource
    document: str

    def rows(self, query: str, bindings: Bindings | None = None) -> Iterable[tuple[str, ...]]:
        return [row for row in self.store.rows(query, bindings) if row[0].startswith(f"{self.document}/measure/")]


@dataclass
class Ownerships:
    """A source of ownership rows alone."""

    owned: list[tuple[str, ...]]

    def rows(self, query: str, bindings: Bindings | None = None) -> Iterable[tuple[str, ...]]:
        assert query == OWNERSHIPS
        return self.owned


def test_agency_with_most_measures_in_the_wuhan_2018_document(store: PolicyStore) -> None:
    (document,) = find_documents(citation_graph(store), "武汉市人民政府关于加快推进开发区改革和创新发展的意见")
    co = co_responsibility_graph(OneDocument(store, document))
    rows = sorted(responsibility_centrality(co).rows, key=lambda r: -r.measures)
    assert (rows[0].name, rows[0].measures) == ("各区人民政府", 16)
    assert rows[1].measures == 10 and "市发展改革委" in co.nodes[rows[1].agency]["load"].names


def test_one_agency_across_written_forms_within_wuhan(store: PolicyStore) -> None:
    rows = responsibility_centrality(co_responsibility_graph(store, "武汉市")).rows
    ndrc = [r for r in rows if r.name in ("市发改委", "市发展改革委")]
    assert len(ndrc) == 1 and ndrc[0].measures == 10 + 15  # 10 in the 2018 opinion, 15 in plan 1
    assert {r.jurisdiction for r in rows} == {"武汉市"}


def test_role_weighted_load_shares_each_measure() -> None:
    co = co_responsibility_graph(Ownerships([("m", "A", "A", ROLE + "lead", ""), ("m", "B", "B", ROLE + "support", "")]))
    rows = {r.name: r for r in responsibility_centrality(co).rows}
    assert rows["A"].load == 0.75 and rows["B"].load == 0.25
    assert rows["A"].lead == 1 and rows["B"].support == 1
    assert rows["A"].degree == rows["B"].degree == 1.0


def test_within_a_jurisdiction_a_measure_is_shared_among_its_agencies_alone() -> None:
    owned = [("m", "A", "A", ROLE + "lead", "甲市"), ("m", "B", "B", ROLE + "support", "乙市"),
             ("m", "C", "C", ROLE + "support", "甲市")]
    rows = {r.name: r for r in responsibility_centrality(co_responsibility_graph(Ownerships(owned), "甲市")).rows}
    assert set(rows) == {"A", "C"} and rows["A"].load == 0.75 and rows["C"].load == 0.25


def test_centrality_does_not_change_its_input_and_pagerank_sums_to_one(store: PolicyStore) -> None:
    co = co_responsibility_graph(store)
    before = (sorted(co.nodes), sorted(co.edges(data="weight")))
    rows = responsibility_centrality(co).rows
    assert (sorted(co.nodes), sorted(co.edges(data="weight"))) == before
    assert sum(r.pagerank for r in rows) == pytest.approx(1.0, abs=0.01)


def test_sampled_betweenness_is_reproducible(store: PolicyStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, "EXACT_BETWEENNESS_LIMIT", 10)
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLE", 20)
    first, second = (responsibility_centrality(co_responsibility_graph(store)) for _ in range(2))
    assert first.rows == second.rows
    assert any("sampled" in note for note in first.notes)


def test_an_empty_jurisdiction_is_a_note_not_a_crash(store: PolicyStore) -> None:
    result = responsibility_centrality(co_responsibility_graph(store, "不存在市"))
    assert result.rows == [] and result.notes == ["no agency owns a measure in 不存在市"]


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
    findings = audit_findings([responsibility_graph(store)], co_responsibility_graph(store))
    assert len(findings.unowned) == 269 - 166
    assert findings.top_leads[0]["lead_measures"] == 18
    assert findings.shared_without_lead and all(row["owners"] >= 4 for row in findings.shared_without_lead)


def test_audit_findings_read_file_by_file_are_those_of_the_whole_store(store: PolicyStore) -> None:
    answers = FileAnswers(store, [*RESPONSIBILITY_QUERIES, OWNERSHIPS])
    by_file = list(responsibility_graphs(answers))
    assert len(by_file) == 5 and max(len(graph) for graph in by_file) < len(responsibility_graph(store))
    assert audit_findings(by_file, co_responsibility_graph(answers)) == \
        audit_findings(responsibility_graphs(store), co_responsibility_graph(store))


def test_betweenness_by_component_equals_betweenness_of_the_whole_graph() -> None:
    graph = nx.disjoint_union_all([nx.path_graph(5), nx.star_graph(4), nx.complete_graph(3), nx.path_graph(2)])
    graph = nx.relabel_nodes(graph, {n: f"a{n}" for n in graph})
    expected = nx.betweenness_centrality(graph)
    found = analysis._betweenness(graph, notes := [])
    assert found == pytest.approx(expected) and not notes
    assert max(found.values()) > 0


def test_a_ranking_without_betweenness_is_the_same_ranking(store: PolicyStore) -> None:
    co = co_responsibility_graph(store)
    full = responsibility_centrality(co).rows
    ranking = responsibility_centrality(co, betweenness=False).rows
    assert [replace(row, betweenness=None) for row in full] == ranking
    assert any(row.betweenness for row in full)
