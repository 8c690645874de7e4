from pathlib import Path

import pytest

from policykg.graph.analysis import responsibility_centrality
from policykg.graph.filewise import AnswerCache, FileAnswers
from policykg.graph.load import LoadTotals, corpus_load, load_totals, measure_shares, shares_text
from policykg.graph.store import STORE_DIR, PolicyStore
from policykg.graph.views import OWNERSHIPS, VIEW_QUERIES, responsibility_graph

ROLE = "https://w3id.org/policykg/ontology#"


@pytest.fixture(scope="module")
def store(seeds_built: Path) -> PolicyStore:
    return PolicyStore.open_read_only(seeds_built / STORE_DIR)


def _as_rows(totals: LoadTotals) -> list[tuple]:
    return [(a.agency, a.name, a.jurisdiction, a.measures, a.roles["lead"], a.roles["support"], a.roles["implementer"],
             a.roles["responsible"], round(a.load, 4)) for a in totals.ranking()]


def test_the_load_of_every_agency_is_the_centrality_analysis_load(store: PolicyStore) -> None:
    expected = [(r.agency, r.name, r.jurisdiction, r.measures, r.lead, r.support, r.implementer, r.responsible, r.load)
                for r in responsibility_centrality(responsibility_graph(store, details=False), betweenness=False).rows]
    totals = corpus_load(store)
    assert _as_rows(totals) == expected and len(expected) > 100
    assert totals.owned_measures == 166  # of the seeds' 269 measures, those with an owner


def test_shares_kept_file_by_file_add_up_to_the_whole_store(store: PolicyStore, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    cache = AnswerCache(tmp_path / "cache.sqlite")
    whole = _as_rows(corpus_load(store))
    assert _as_rows(corpus_load(FileAnswers(store, VIEW_QUERIES, cache))) == whole
    made: list[str] = []
    monkeypatch.setattr("policykg.graph.load.shares_text", lambda rows: made.append("") or shares_text(rows))
    assert _as_rows(corpus_load(FileAnswers(store, VIEW_QUERIES, cache))) == whole
    assert not made  # every file's shares were kept


def test_a_measure_is_shared_by_role_and_an_agency_named_twice_owns_it_once() -> None:
    assert measure_shares({"甲": "lead", "乙": "implementer", "丙": "support"}) == \
        pytest.approx({"甲": 0.5, "乙": 1 / 3, "丙": 1 / 6})
    rows = [("m1", "a", "市发改委", ROLE + "support", "武汉市"), ("m1", "a", "市发展改革委", ROLE + "lead", "武汉市"),
            ("m1", "b", "市财政局", ROLE + "responsible", ""), ("m2", "b", "市财政局", ROLE + "responsible", "")]
    totals = LoadTotals()
    totals.add_shares(shares_text(rows))
    a, b = totals.agencies["a"], totals.agencies["b"]
    assert (a.measures, a.roles["lead"], a.load, a.name, a.jurisdiction) == (1, 1, pytest.approx(0.6), "市发改委", "武汉市")
    assert (b.measures, b.load, b.name) == (2, pytest.approx(1.4), "市财政局")
    assert totals.owned_measures == 2 and [r.agency for r in totals.ranking()] == ["b", "a"]
    assert load_totals(rows).agencies["a"].names == a.names

