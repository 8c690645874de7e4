from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from networkx.algorithms import bipartite

from policykg.graph.analysis import responsibility_centrality
from policykg.graph.answer_cache import AnswerCache
from policykg.graph.corpus import load_corpus
from policykg.graph.filewise import FileAnswers
from policykg.graph.load import (LOAD_UNIT, LoadRanking, LoadTotals, co_ownership_counts, co_responsibility_graph,
                                 corpus_load, jurisdictions_like, load_counts, measure_shares)
from policykg.graph.store import STORE_DIR, PolicyStore, RowSource
from policykg.graph.views import VIEW_QUERIES, responsibility_graph

from ..conftest import SEEDS, load_changed_seed

ROLE = "https://w3id.org/policykg/ontology#"


@pytest.fixture(scope="module")
def store(seeds_built: Path) -> PolicyStore:
    return PolicyStore.open_read_only(seeds_built / STORE_DIR)


def _as_rows(ranking: LoadRanking) -> list[tuple]:
    return [(a.agency, a.name, a.jurisdiction, a.measures, a.roles["lead"], a.roles["support"], a.roles["implementer"],
             a.roles["responsible"], round(a.load, 4)) for a in ranking.agencies[:len(ranking.agencies)]]


def test_the_load_of_every_agency_is_the_centrality_analysis_load(store: PolicyStore) -> None:
    expected = [(r.agency, r.name, r.jurisdiction, r.measures, r.lead, r.support, r.implementer, r.responsible, r.load)
                for r in responsibility_centrality(co_responsibility_graph(store), betweenness=False).rows]
    totals = corpus_load(store)
    assert _as_rows(totals) == expected and len(expected) > 100
    assert totals.owned_measures == 166  # of the seeds' 269 measures, those with an owner


def test_counts_summed_file_by_file_are_those_of_the_whole_store(store: PolicyStore, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cache = AnswerCache(tmp_path / "cache.sqlite")
    whole = _as_rows(corpus_load(store))
    assert _as_rows(corpus_load(FileAnswers(store, VIEW_QUERIES, cache))) == whole
    counted: list[int] = []
    monkeypatch.setattr("policykg.graph.load.load_counts", lambda rows: counted.append(1) or load_counts(rows))
    assert _as_rows(corpus_load(FileAnswers(store, VIEW_QUERIES, cache))) == whole
    assert not counted  # the sum was kept


def test_a_changed_file_patches_the_kept_sum_into_the_sum_made_anew(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    store = PolicyStore.open(tmp_path / "store")
    load_corpus([SEEDS], store)
    cache = AnswerCache(tmp_path / "cache.sqlite")
    before = _as_rows(corpus_load(FileAnswers(store, VIEW_QUERIES, cache)))
    load_changed_seed(store, tmp_path, "市发展改革委", "市科技局")
    counted: list[int] = []
    monkeypatch.setattr("policykg.graph.load.load_counts", lambda rows: counted.append(1) or load_counts(rows))
    after = _as_rows(corpus_load(FileAnswers(store, VIEW_QUERIES, cache)))
    assert len(counted) == 2  # the changed file's old counts taken off, its new ones added
    assert after == _as_rows(corpus_load(store)) != before


def test_a_measure_is_shared_by_role_and_an_agency_named_twice_owns_it_once() -> None:
    shares = measure_shares({"甲": "lead", "乙": "implementer", "丙": "support"})
    assert shares == {"甲": LOAD_UNIT // 2, "乙": LOAD_UNIT // 3, "丙": LOAD_UNIT // 6}  # whole parts, exactly
    rows = [("m1", "a", "市发改委", ROLE + "support", "武汉市"), ("m1", "a", "市发展改革委", ROLE + "lead", "武汉市"),
            ("m1", "b", "市财政局", ROLE + "responsible", ""), ("m2", "b", "市财政局", ROLE + "responsible", "")]
    totals = LoadTotals.from_counts(load_counts(rows))
    a, b = totals.agencies["a"], totals.agencies["b"]
    # 市发改委 and 市发展改革委 are each written once: the fuller form names the agency
    assert (a.measures, a.roles["lead"], a.load, a.name, a.jurisdiction) == (1, 1, pytest.approx(0.6), "市发展改革委", "武汉市")
    assert (b.measures, b.load, b.name, b.jurisdiction) == (2, pytest.approx(1.4), "市财政局", "")
    assert totals.owned_measures == 2 and [r.agency for r in totals.ranking()] == ["b", "a"]


def test_loads_summed_in_any_order_or_taken_off_again_are_the_same() -> None:
    files = [[("m1", "a", "甲", ROLE + "lead", "p"), ("m1", "b", "乙", ROLE + "support", "p"),
              ("m1", "c", "丙", ROLE + "implementer", "p")],
             [("m2", "a", "甲", ROLE + "support", "p"), ("m2", "c", "丙", ROLE + "lead", "p")],
             [("m3", "b", "乙", ROLE + "responsible", "p"), ("m3", "c", "丙", ROLE + "support", "p")]]
    forward, backward = Counter(), Counter()
    for rows in files:
        forward.update(load_counts(rows))
    for rows in reversed(files):
        backward.update(load_counts(rows))
    assert forward == backward
    forward.subtract(load_counts(files[1]))
    assert +forward == load_counts(files[0]) + load_counts(files[2])
    loads = {a.agency: a.load for a in LoadTotals.from_counts(+forward).agencies.values()}
    assert loads == pytest.approx({"a": 0.5, "b": 1 / 6 + 2 / 3, "c": 1 / 3 + 1 / 3})


def _co_graph(source: RowSource, jurisdiction: str | None = None) -> tuple[list, list]:
    """A co-responsibility graph as plain values: its agencies with their loads, its weighted edges (the
    counts of places are left out: they count files, and a store is summed as one)."""
    co = co_responsibility_graph(source, jurisdiction)
    return ([(agency, load.shares, load.roles, load.names, load.jurisdiction) for agency, load in co.nodes(data="load")],
            sorted(tuple(sorted((a, b))) + (weight,) for a, b, weight in co.edges(data="weight")))


def test_the_co_responsibility_graph_is_the_weighted_projection_of_the_responsibility_graph(
        store: PolicyStore) -> None:
    responsibility = responsibility_graph(store)
    agencies = [n for n, kind in responsibility.nodes(data="kind") if kind == "agency"]
    expected = bipartite.weighted_projected_graph(responsibility, agencies)
    co = co_responsibility_graph(store)
    assert set(co.nodes) == set(expected.nodes) and co.number_of_edges() == expected.number_of_edges() > 100
    assert all(co.edges[a, b]["weight"] == weight for a, b, weight in expected.edges(data="weight"))
    assert all(co.nodes[a]["load"].name == responsibility.nodes[a]["label"] for a in agencies)


@pytest.mark.parametrize("jurisdiction", [None, "武汉市"])
def test_the_co_responsibility_graph_summed_file_by_file_is_the_store_s(
        store: PolicyStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jurisdiction: str | None) -> None:
    cache = AnswerCache(tmp_path / "cache.sqlite")
    whole = _co_graph(store, jurisdiction)
    assert _co_graph(FileAnswers(store, VIEW_QUERIES, cache), jurisdiction) == whole and whole[1]
    counted: list[int] = []
    monkeypatch.setattr("policykg.graph.load.co_ownership_counts",
                        lambda rows, place: counted.append(1) or co_ownership_counts(rows, place))
    assert _co_graph(FileAnswers(store, VIEW_QUERIES, cache), jurisdiction) == whole
    assert not counted  # the sum was kept


@pytest.mark.parametrize("jurisdiction, named", [("武汉", "武汉市"), ("火星市", "凉州区, 嘉兴市, 武汉市")])
def test_the_jurisdictions_like_one_no_agency_of_owns_a_measure_are_named(store: PolicyStore, jurisdiction: str,
                                                                          named: str) -> None:
    assert not co_responsibility_graph(store, jurisdiction)
    assert jurisdictions_like(store, jurisdiction).startswith(f"jurisdictions whose agencies own measures: {named}")


def test_a_changed_file_patches_the_kept_co_responsibility_counts(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path / "store")
    load_corpus([SEEDS], store)
    cache = AnswerCache(tmp_path / "cache.sqlite")
    before = _co_graph(FileAnswers(store, VIEW_QUERIES, cache))
    load_changed_seed(store, tmp_path, "市发展改革委", "市科技局")
    after = _co_graph(FileAnswers(store, VIEW_QUERIES, cache))
    assert after == _co_graph(store) != before


def test_the_co_responsibility_graph_holds_no_measure(store: PolicyStore) -> None:
    co = co_responsibility_graph(store)
    assert isinstance(co, nx.Graph) and not any(node.count("/measure/") for node in co)
    assert len(co) == len(corpus_load(store).agencies)
