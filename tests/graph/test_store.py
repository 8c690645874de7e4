from pathlib import Path

from rdflib import Graph, Literal, URIRef

from policykg.graph.store import PolicyStore, open_rdflib_dataset


def _graph(value: str) -> Graph:
    graph = Graph()
    graph.add((URIRef("urn:doc"), URIRef("urn:title"), Literal(value)))
    return graph


def test_union_of_named_graphs_persists_and_replaces(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path)
    store.replace_graph(URIRef("urn:g1"), _graph("甲"))
    store.replace_graph(URIRef("urn:g2"), _graph("乙"))
    store.replace_graph(URIRef("urn:g1"), _graph("丙"))
    store.flush()
    del store
    reopened = PolicyStore.open(tmp_path)
    assert sorted(str(r[0]) for r in reopened.select("SELECT ?t WHERE { ?d <urn:title> ?t }")) == ["丙", "乙"]
    assert reopened.remove_graph(URIRef("urn:g2"))
    assert not reopened.remove_graph(URIRef("urn:g2"))
    assert reopened.named_graphs() == ["urn:g1"]


def test_parameters_are_bound_not_pasted(tmp_path: Path) -> None:
    store = PolicyStore.open(None)
    store.replace_graph(URIRef("urn:g"), _graph('市"}发改委'))
    rows = list(store.select("SELECT ?d ?t WHERE { ?d <urn:title> ?t }", {"t": Literal('市"}发改委')}))
    assert rows == [(URIRef("urn:doc"), Literal('市"}发改委'))]
    assert list(store.select("SELECT ?d ?t WHERE { ?d <urn:title> ?t }", {"t": Literal("市发改委")})) == []


def test_rdflib_sees_the_same_store(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path)
    store.replace_graph(URIRef("urn:g"), _graph("开发区"))
    store.flush()
    del store
    dataset = open_rdflib_dataset(tmp_path)
    rows = list(dataset.query("SELECT ?t WHERE { GRAPH ?g { ?d <urn:title> ?t } }"))
    dataset.close()
    assert [str(r[0]) for r in rows] == ["开发区"]
