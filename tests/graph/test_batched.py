import shutil
from pathlib import Path

import pytest

from policykg.exports.tables import TABLE_QUERIES
from policykg.graph.batched import answer_batch, batched_query
from policykg.graph.corpus import load_corpus
from policykg.graph.filewise import FileAnswers
from policykg.graph.store import PolicyStore
from policykg.graph.trig import HEADER
from policykg.graph.views import RESPONSIBILITY_QUERIES, VIEW_QUERIES
from policykg.ontology import SPARQL_PREFIXES

from ..conftest import SEEDS

LIBRARY_QUERIES = TABLE_QUERIES + VIEW_QUERIES + RESPONSIBILITY_QUERIES  # what builds and analyses answer file by file


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """Each file's graph and the TriG bodies of its graphs: the seeds, and a copy of one under another
    name (the same documents in two files, which name the same agencies, places and cited documents)."""
    corpus = tmp_path_factory.mktemp("corpus")
    for seed in SEEDS.iterdir():
        shutil.copy(seed, corpus / seed.name)
    shutil.copy(SEEDS / "000_7de621c7132f9bb7.txt", corpus / "copy.txt")
    store = PolicyStore.open(tmp_path_factory.mktemp("store"))
    load_corpus([corpus], store)
    answers = FileAnswers(store, LIBRARY_QUERIES)
    return [(graph, answers._bodies(graph)) for _, graph, _ in answers._listed()]


def _alone(bodies: str, query: str) -> list[tuple[str, ...]]:
    return sorted(PolicyStore.from_trig(HEADER + bodies).rows(query))


def test_every_query_answered_file_by_file_is_asked_once_for_a_batch() -> None:
    assert all(batched_query(query) for query in LIBRARY_QUERIES)


@pytest.mark.parametrize("query", LIBRARY_QUERIES, ids=range(len(LIBRARY_QUERIES)))
def test_a_batch_gives_each_file_what_its_graphs_alone_give(files: list[tuple[str, str]], query: str) -> None:
    answers = answer_batch(files, [query])
    assert [answer[query] for answer in answers] == [_alone(bodies, query) for _, bodies in files]
    assert any(answer[query] for answer in answers)


def test_a_query_of_another_form_is_asked_of_each_file_alone(files: list[tuple[str, str]],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    union = SPARQL_PREFIXES + """SELECT DISTINCT ?citing ?cited WHERE {
        ?c pkg:citingDocument ?citing ; pkg:citedDocument ?cited }"""  # over the union of graphs
    assert batched_query(union) is None
    expected = [_alone(bodies, union) for _, bodies in files]
    stores: list[str] = []
    from_trig = PolicyStore.from_trig.__func__
    monkeypatch.setattr(PolicyStore, "from_trig", classmethod(lambda cls, text: stores.append(text) or from_trig(cls, text)))
    answers = answer_batch(files, [union, TABLE_QUERIES[0]])
    assert [answer[union] for answer in answers] == expected and any(expected)
    assert len(stores) == 1 + len(files)  # the batch's, then each file's alone
    stores.clear()
    assert answer_batch(files[:1], [union])[0][union] == expected[0]
    assert len(stores) == 1  # a batch of one file is that file's graphs alone


@pytest.mark.parametrize("query", [
    "SELECT ?t WHERE { GRAPH ?g { ?d <urn:p> ?t } } ORDER BY ?t",
    "SELECT ?t WHERE { GRAPH ?g { ?d <urn:p> ?t } } LIMIT 3",
    "SELECT ?t WHERE { GRAPH <urn:g> { ?d <urn:p> ?t } }",
    "SELECT ?t WHERE { GRAPH ?g { ?d <urn:p> ?t } OPTIONAL { ?d <urn:q> ?u } }",
    "SELECT ?t WHERE { GRAPH ?g { { SELECT ?t WHERE { ?d <urn:p> ?t } } } }",
    "ASK { GRAPH ?g { ?d <urn:p> ?t } }",
    "SELECT * WHERE { GRAPH ?g { ?d <urn:p> ?t } }",
    "SELECT (COUNT(?t) AS ?n) WHERE { GRAPH ?g { ?d <urn:p> ?t } }",
    "SELECT ?t WHERE { GRAPH ?g { { SELECT * WHERE { ?d <urn:p> ?t } } } }",
])
def test_queries_whose_rows_a_file_could_not_be_told_from_are_not_batched(query: str) -> None:
    assert batched_query(query) is None


def test_a_batched_query_holds_every_graph_to_the_first_ones_file_and_groups_by_it() -> None:
    query = ("SELECT ?n (COUNT(?c) AS ?k) WHERE { GRAPH ?g { ?c <urn:p> ?n } GRAPH ?links { ?c <urn:q> ?x } } "
             "GROUP BY ?n")
    assert batched_query(query) == (
        'SELECT ?policykg_file ?n (COUNT(?c) AS ?k) WHERE { GRAPH ?g { ?c <urn:p> ?n } GRAPH ?links { ?c <urn:q> ?x } '
        'BIND (REPLACE(STR(?g), "/links$", "") AS ?policykg_file) '
        'FILTER (REPLACE(STR(?links), "/links$", "") = ?policykg_file) } GROUP BY ?policykg_file ?n')
