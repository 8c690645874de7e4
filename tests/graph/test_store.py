from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from policykg.graph import resolve
from policykg.graph.store import (BODIES_INDEX, STORE_DIR, DrainedTexts, PolicyStore, StoredDocuments, StoreError,
                                  open_rdflib_dataset)
from policykg.graph.trig import TrigBodies
from policykg.ontology import PKG


def _graph(value: str, subject: str = "urn:doc") -> Graph:
    graph = Graph()
    graph.add((URIRef(subject), URIRef("urn:title"), Literal(value)))
    return graph


def test_union_of_named_graphs_persists_and_replaces(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path)
    store.replace_graph(URIRef("urn:g1"), _graph("甲"))
    store.replace_graph(URIRef("urn:g2"), _graph("乙"))
    store.replace_graph(URIRef("urn:g1"), _graph("丙"))
    store.close()
    reopened = PolicyStore.open(tmp_path)
    assert sorted(str(r[0]) for r in reopened.select("SELECT ?t WHERE { ?d <urn:title> ?t }")) == ["丙", "乙"]
    assert reopened.remove_graph(URIRef("urn:g2"))
    assert not reopened.remove_graph(URIRef("urn:g2"))
    assert reopened.named_graphs() == ["urn:g1"]


def test_buffered_texts_reach_the_store_whole_whatever_the_reads_split_and_are_let_go_of() -> None:
    texts = ['<urn:a> <urn:p> "国家级经济技术开发区" <urn:g> .\n', "", '<urn:b> <urn:p> "高新区" <urn:g> .\n']
    expected = "".join(texts).encode()
    stream = DrainedTexts(texts)
    pieces = list(iter(lambda: stream.read(5), b""))  # five bytes at a time: most characters split
    assert b"".join(pieces) == expected and len(pieces) > len(texts) and texts == []


def test_a_batch_written_in_one_bulk_load_holds_every_graph() -> None:
    store = PolicyStore.open(None)
    for n in range(600):  # 117 KB of TriG: more than the stream buffers at once (64 KB)
        store.replace_graph(URIRef(f"urn:g{n}"), _graph("国家级经济技术开发区" * 5, f"urn:doc{n}"))
    assert len(store.named_graphs()) == 600
    assert {str(row[0]) for row in store.select("SELECT ?t WHERE { ?d <urn:title> ?t }")} == {"国家级经济技术开发区" * 5}


@pytest.mark.parametrize("kept_bodies", [True, False])
def test_n_quads_with_a_bad_iri_are_refused_and_nothing_is_written(tmp_path: Path, kept_bodies: bool) -> None:
    # checked as it comes (in making its body, where bodies are kept), not in the batch it would fail
    store = PolicyStore.open(tmp_path / "store" if kept_bodies else None)
    store.replace_graph_nquads(URIRef("urn:g"), '<urn:s> <urn:p> "甲" <urn:g> .\n')
    with pytest.raises(SyntaxError):
        store.replace_graph_nquads(URIRef("urn:h"), '<urn:s> <urn:p> <not an iri> <urn:h> .\n')
    assert store.named_graphs() == ["urn:g"] and store.triple_count() == 1


def test_a_closed_store_writes_what_it_buffered_and_says_it_is_closed(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path)
    store.replace_graph(URIRef("urn:g1"), _graph("甲"))  # buffered, not yet written
    store.close()
    store.close()  # a second close does nothing
    with pytest.raises(StoreError, match="closed"):
        list(store.select("SELECT * WHERE { ?s ?p ?o }"))
    assert PolicyStore.open(tmp_path).named_graphs() == ["urn:g1"]  # the lock is free, the graph there


def test_a_store_opened_to_read_closes_without_writing(tmp_path: Path) -> None:
    writer = PolicyStore.open(tmp_path)
    writer.replace_graph(URIRef("urn:g1"), _graph("甲"))
    writer.close()
    reader = PolicyStore.open_read_only(tmp_path)
    assert reader.holds_graph(URIRef("urn:g1"))
    reader.close()  # Oxigraph refuses to flush a store opened to read
    with pytest.raises(StoreError, match="closed"):
        reader.holds_graph(URIRef("urn:g1"))


def test_a_store_whose_files_are_damaged_is_an_error_naming_it(tmp_path: Path) -> None:
    writer = PolicyStore.open(tmp_path)
    for n in range(3):
        writer.replace_graph(URIRef(f"urn:g{n}"), _graph(f"甲{n}", f"urn:doc{n}"))
    writer.close()
    damaged = sorted(tmp_path.glob("*.sst"))[0]
    damaged.write_bytes(damaged.read_bytes()[:100])  # cut short, as by a disk filled or a copy stopped
    for opening in (PolicyStore.open_read_only, PolicyStore.open):
        with pytest.raises(StoreError, match=rf"{tmp_path}: cannot open the store: Corruption: .*{damaged.name}"):
            opening(tmp_path)


def test_a_compacted_store_writes_what_it_buffered_and_keeps_every_quad(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path)
    for n in range(3):
        store.replace_graph(URIRef(f"urn:g{n}"), _graph(f"甲{n}", f"urn:doc{n}"))
        store.write_buffered()  # each a bulk load of its own: files for the compaction to merge
    store.replace_graph(URIRef("urn:g0"), _graph("乙"))  # buffered, not yet written
    store.compact()
    expected = ['<urn:doc1> <urn:title> "甲1" <urn:g1> .', '<urn:doc2> <urn:title> "甲2" <urn:g2> .',
                '<urn:doc> <urn:title> "乙" <urn:g0> .']
    seen_by_a_reader = PolicyStore.open_read_only(tmp_path).dump_nquads().splitlines()  # the writer still open
    assert sorted(seen_by_a_reader) == sorted(expected)
    store.close()
    assert sorted(PolicyStore.open(tmp_path).dump_nquads().splitlines()) == sorted(expected)


def test_rows_are_read_from_a_select_and_another_form_is_refused() -> None:
    store = PolicyStore.open(None)
    store.replace_graph(URIRef("urn:g1"), _graph("甲"))
    assert list(store.rows("SELECT ?t WHERE { ?d <urn:title> ?t }")) == [("甲",)]
    for query in ("ASK { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"):
        with pytest.raises(StoreError, match="a SELECT query is needed"):
            list(store.rows(query))
        with pytest.raises(StoreError, match="a SELECT query is needed"):
            list(store.select(query))


def test_a_query_knows_the_ontologys_prefixes_unless_it_declares_its_own() -> None:
    store = PolicyStore.open(None)
    store.replace_graph(URIRef("urn:g1"), [(URIRef("urn:m"), RDF.type, PKG.Measure)])
    assert list(store.rows("SELECT ?m ?type WHERE { ?m a pkg:Measure ; rdf:type ?type }")) == [("urn:m", str(PKG.Measure))]
    assert list(store.rows("PREFIX pkg: <urn:other#> SELECT ?m WHERE { ?m a pkg:Measure }")) == []
    with pytest.raises(StoreError, match="invalid SPARQL"):
        list(store.rows("SELECT ?m WHERE { ?m a nowhere:Measure }"))


def test_the_named_graphs_listed_once_follow_every_write(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path)
    store.replace_graph(URIRef("urn:g1"), _graph("甲"))
    assert store.named_graphs() == ["urn:g1"]  # listed now, then kept
    store.replace_graph(URIRef("urn:g3"), _graph("乙"))
    store.replace_graph(URIRef("urn:g2"), _graph("丙"))
    store.replace_graph(URIRef("urn:g3"), Graph())  # emptied: no longer a graph
    store.remove_graph(URIRef("urn:g1"))
    assert store.named_graphs() == ["urn:g2"]
    store.close()
    assert PolicyStore.open(tmp_path).named_graphs() == ["urn:g2"]


def test_subjects_stated_are_those_some_named_graph_states_buffered_or_written() -> None:
    store = PolicyStore.open(None)
    a, b, c, kind = (URIRef(f"urn:{name}") for name in ("a", "b", "c", "kind"))
    store.replace_graph(URIRef("urn:g1"), [(a, RDF.type, kind), (c, RDF.type, URIRef("urn:other"))])
    assert store.subjects_stated([a, b, c], RDF.type, kind) == {a}
    store.replace_graph_nquads(URIRef("urn:g2"), f"<{b}> <{RDF.type}> <{kind}> <urn:g2> .\n")  # buffered
    assert store.subjects_stated([a, b, c], RDF.type, kind) == {a, b}
    store.remove_graph(URIRef("urn:g1"))
    assert store.subjects_stated([a, b, c], RDF.type, kind) == {b}


def test_a_flush_after_no_change_keeps_the_index_without_listing_the_graphs(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    store = PolicyStore.open(tmp_path)
    store.replace_graph(URIRef("urn:g1"), _graph("甲"))
    store.flush()
    index = tmp_path / BODIES_INDEX
    kept = index.read_text(encoding="utf-8")
    del store
    listed = []
    monkeypatch.setattr(PolicyStore, "named_graphs", lambda self: listed.append(1) or ["urn:g1", "urn:g2"])
    reopened = PolicyStore.open(tmp_path)
    reopened.flush()
    assert listed == [] and index.read_text(encoding="utf-8") == kept
    reopened.replace_graph(URIRef("urn:g2"), _graph("乙"))
    reopened.flush()
    assert listed == [1] and index.read_text(encoding="utf-8").splitlines() == [
        TrigBodies.EVERY_GRAPH.strip(), *(f"urn:{g}\t{reopened.trig_digest(f'urn:{g}')}\t1" for g in ("g1", "g2"))]


def test_parameters_are_bound_not_pasted(tmp_path: Path) -> None:
    store = PolicyStore.open(None)
    store.replace_graph(URIRef("urn:g"), _graph('市"}发改委'))
    rows = list(store.select("SELECT ?d ?t WHERE { ?d <urn:title> ?t }", {"t": Literal('市"}发改委')}))
    assert rows == [(URIRef("urn:doc"), Literal('市"}发改委'))]
    assert list(store.select("SELECT ?d ?t WHERE { ?d <urn:title> ?t }", {"t": Literal("市发改委")})) == []


def test_rdflib_sees_the_same_store(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path)
    store.replace_graph(URIRef("urn:g"), _graph("开发区"))
    store.close()
    dataset = open_rdflib_dataset(tmp_path)
    rows = list(dataset.query("SELECT ?t WHERE { GRAPH ?g { ?d <urn:title> ?t } }"))
    dataset.close()
    assert [str(r[0]) for r in rows] == ["开发区"]


def test_the_resolver_looks_up_what_it_is_asked_and_decides_as_one_reading_everything(seeds_built: Path) -> None:
    store = PolicyStore.open_read_only(seeds_built / STORE_DIR)
    everything = resolve.DocumentResolver()
    for document in StoredDocuments(store).every():
        everything.remember_keys(document.iri, document.owner, document.keys)
    asked = []

    class Counting(StoredDocuments):
        def find(self, kind: str, key: str) -> list[resolve.StoredDocument]:
            asked.append(kind)
            return super().find(kind, key)

    lazy = resolve.DocumentResolver(Counting(store))
    citations = [("国务院关于促进国家高新技术产业开发区高质量发展的若干意见", "国发〔20xx〕7号"),
                 ("湖北省人民政府关于加快推进开发区高质量发展的若干意见", None), ("不存在的文件", "某发〔2020〕1号")]
    for title, number in citations:
        assert lazy.resolve(title, number) == everything.resolve(title, number)
    for document in StoredDocuments(store).every():
        title = next(store.rows(f"SELECT ?t WHERE {{ <{document.iri}> <http://purl.org/dc/terms/title> ?t }}"))[0]
        assert lazy.loaded_iri(title, document.owner, None) == document.iri
    assert 0 < len(asked) < 40
