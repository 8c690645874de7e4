from pathlib import Path
from typing import Iterable

import pytest
from rdflib import Dataset
from rdflib.plugins.sparql import prepareQuery

from policykg.exports.evaluate import read_gold
from policykg.graph.library import QueryLibraryError, list_queries, load_query
from policykg.graph.store import STORE_DIR, PolicyStore
from policykg.loaders.normalize import compare_key

from ..conftest import GOLD

EXPECTED = {"measures-of-agency", "agencies-of-measure", "documents-implementing", "lineage-paths",
            "zones-by-industry", "measures-without-owner", "agencies-co-owning"}


@pytest.fixture(scope="module")
def store(seeds_built: Path) -> PolicyStore:
    return PolicyStore.open_read_only(seeds_built / STORE_DIR)


def test_every_query_is_described_and_runs(store: PolicyStore) -> None:
    queries = {q.name: q for q in list_queries()}
    assert set(queries) == EXPECTED
    samples = {"agency": "市发展改革委", "document": "武政〔2018〕35号", "measure_id": "二.(七)",
               "number": "国发〔20xx〕7号", "industry": "生命健康", "jurisdiction": "武汉市"}
    for query in queries.values():
        assert query.description
        rows = list(store.select(query.text, query.bindings({p: samples[p] for p in query.params})))
        assert rows, query.name


def test_measures_of_an_agency(store: PolicyStore) -> None:
    query = load_query("measures-of-agency")
    rows = list(store.select(query.text, query.bindings({"agency": "市发展改革委"})))
    roles = {}
    for row in rows:
        roles.setdefault(str(row[3]), set()).add(str(row[2]))
    # the Wuhan agency in both its written forms, and Guiyang's, which is written the same way
    assert len(rows) == 25 + 3
    assert {str(row[1]) for row in rows} == {"武汉市", "贵阳市"}
    assert roles["开发区高质量发展实施方案4"] == {"lead"}


def test_the_jurisdiction_narrows_a_name_to_one_agency(store: PolicyStore) -> None:
    query = load_query("measures-of-agency")
    everywhere = list(store.select(query.text, query.bindings({"agency": "市发展改革委"})))
    for place, count in (("武汉市", 25), ("贵阳市", 3), ("四川省", 0)):
        rows = list(store.select(query.text, query.bindings({"agency": "市发展改革委", "jurisdiction": place})))
        assert len(rows) == count and set(rows) <= set(everywhere)
        assert {str(row[1]) for row in rows} <= {place}


def test_documents_implementing_a_national_document_under_either_year(store: PolicyStore) -> None:
    query = load_query("documents-implementing")
    for number in ("国发〔2020〕7号", "国发〔20xx〕7号"):
        titles = {str(r[1]) for r in store.select(query.text, query.bindings({"number": number}))}
        assert titles == {"开发区高质量发展实施方案1", "开发区高质量发展实施方案9"}


def test_measures_without_owner_are_those_the_gold_annotations_give_no_agency(store: PolicyStore) -> None:
    query = load_query("measures-without-owner")
    found = {(str(row[0]), compare_key(str(row[3]))) for row in store.select(query.text)}
    expected = {(file, compare_key(m["heading"])) for (file, _), document in read_gold(GOLD).items()
                for m in document["measures"] if not m["agencies"]}
    assert expected and found == expected


@pytest.mark.parametrize("hostile", ['市发改委" } UNION { ?s ?p ?o } #', "市发改委'}}; DROP ALL", "}{"])
def test_parameters_cannot_change_the_query(store: PolicyStore, hostile: str) -> None:
    query = load_query("measures-of-agency")
    assert list(store.select(query.text, query.bindings({"agency": hostile}))) == []


def test_unknown_names_and_parameters_are_explained() -> None:
    with pytest.raises(QueryLibraryError, match="did you mean measures-of-agency"):
        load_query("measures-of-agencies")
    with pytest.raises(QueryLibraryError, match=r"takes --param agency=…, \[--param jurisdiction=…\]; missing: agency$"):
        load_query("measures-of-agency").bindings({"jurisdiction": "武汉市"})
    with pytest.raises(QueryLibraryError, match="unknown: city"):
        load_query("measures-without-owner").bindings({"city": "武汉"})


def test_the_portable_text_answers_in_rdflib_as_the_store_does(store: PolicyStore, seeds_built: Path) -> None:
    for query in list_queries():
        prepareQuery(query.portable_text)  # SPARQL 1.1 that rdflib reads
    dataset = Dataset(default_union=True)
    dataset.parse(seeds_built / "graph.trig", format="trig")
    query = load_query("measures-of-agency")
    assert "LATERAL {" in query.text
    for values in ({"agency": "市发展改革委", "jurisdiction": "武汉市"}, {"agency": "市财政局"}):
        bindings = query.bindings(values)
        ours = sorted(_texts(store.select(query.text, bindings)))
        assert ours and sorted(_texts(dataset.query(query.portable_text, initBindings=bindings))) == ours


def _texts(rows: Iterable[tuple]) -> list[tuple[str, ...]]:
    return [tuple("" if value is None else str(value) for value in row) for row in rows]
