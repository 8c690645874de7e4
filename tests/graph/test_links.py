"""Citations meet the documents they name whatever the order files arrive in, and let go of them
when those documents are removed."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

from policykg.graph import corpus as corpus_module
from policykg.graph import links as links_module
from policykg.graph import store as store_module
from policykg.graph.corpus import RETIRE_AFTER_FILES, load_corpus, remove_files
from policykg.graph.identity import document_iri, file_iri
from policykg.graph.links import RENAMINGS_GRAPH, CitationRecord, SetAside, file_graphs, links_graph_iri
from policykg.graph.store import PolicyStore
from policykg.ontology import SPARQL_PREFIXES

CITING = ("嘉兴市人民政府关于推进开发区高质量发展的实施意见\n嘉政发〔2021〕3号\n"
          "为贯彻落实《浙江省人民政府关于开发区整合提升的意见》(浙政发〔20xx〕20号)精神,提出如下意见:\n"
          "二、主要任务\n(一)优化布局。(责任单位:市发改委)\n")
CITED = ("浙江省人民政府关于整合提升全省各类开发区(园区)的指导意见\n浙政发〔2020〕20号\n"
         "二、主要任务\n(一)整合提升。(责任单位:省发展改革委)\n")


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _cited(store: PolicyStore) -> set[str]:
    rows = store.select(SPARQL_PREFIXES + "SELECT ?cited WHERE { ?doc eli:based_on ?cited }")
    return {str(cited) for (cited,) in rows}


def _cited_document(store: PolicyStore) -> str:
    (doc,) = next(store.select(SPARQL_PREFIXES + """SELECT ?doc WHERE {
        GRAPH ?g { ?doc pkg:part ?part ; eli:id_local ?number } FILTER (STRSTARTS(?number, "浙")) }"""))
    return str(doc)


def test_a_document_loaded_later_meets_the_citations_made_before(tmp_path: Path) -> None:
    citing, cited = _write(tmp_path / "a", "a.txt", CITING), _write(tmp_path / "b", "b.txt", CITED)
    one_by_one = PolicyStore.open(None)
    load_corpus([citing], one_by_one)
    assert _cited(one_by_one) == {str(document_iri("浙江省人民政府关于开发区整合提升的意见"))}
    load_corpus([cited], one_by_one)
    together = PolicyStore.open(None)
    load_corpus([citing, cited], together)
    assert _cited(one_by_one) == _cited(together) == {_cited_document(together)}



def test_only_files_loaded_before_are_looked_for_citing_the_added_documents(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build loads every file it links: looking for older ones citing its documents by 文号
    found none, and took some 3 s at 10,000 documents."""
    looked: list[int] = []
    graphs_citing_by_number = links_module._graphs_citing_by_number

    def noting(store: PolicyStore, resolver: Any, added: set[Any]) -> set[Any]:
        looked.append(len(added))
        return graphs_citing_by_number(store, resolver, added)

    monkeypatch.setattr(links_module, "_graphs_citing_by_number", noting)
    store = PolicyStore.open(None)
    load_corpus([_write(tmp_path / "a", "a.txt", CITING)], store)
    assert looked == []
    load_corpus([_write(tmp_path / "b", "b.txt", CITED)], store)
    assert looked == [1] and _cited(store) == {_cited_document(store)}

def test_removing_a_cited_document_leaves_its_citations_pointing_at_the_title(tmp_path: Path) -> None:
    store = PolicyStore.open(None)
    load_corpus([_write(tmp_path, "a.txt", CITING), _write(tmp_path, "b.txt", CITED)], store)
    assert remove_files(store, ["b.txt", "missing.txt"]) == ["b.txt"]
    assert _cited(store) == {str(document_iri("浙江省人民政府关于开发区整合提升的意见"))}
    assert str(links_graph_iri(file_iri("b.txt"))) not in store.named_graphs()


def test_a_file_read_again_with_another_number_lets_go_of_its_citations(tmp_path: Path) -> None:
    store = PolicyStore.open(None)
    load_corpus([_write(tmp_path, "a.txt", CITING), _write(tmp_path, "b.txt", CITED)], store)
    load_corpus([_write(tmp_path, "b.txt", CITED.replace("〕20号", "〕21号"))], store)
    assert _cited(store) == {str(document_iri("浙江省人民政府关于开发区整合提升的意见"))}


@pytest.mark.parametrize("retire_after", [RETIRE_AFTER_FILES, 1])  # 1: a fresh process for each file
def test_parsing_in_two_processes_gives_the_same_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       retire_after: int) -> None:
    monkeypatch.setattr(corpus_module, "RETIRE_AFTER_FILES", retire_after)
    corpus = tmp_path / "corpus"
    for n in range(20):  # more than a message's 8 files: processes retire between messages
        _write(corpus, f"{n}.txt", CITING.replace("〔2021〕3号", f"〔2021〕{n + 3}号") if n % 2 else CITED)
    serial, parallel = PolicyStore.open(None), PolicyStore.open(None)
    serial_report = load_corpus([corpus], serial)
    parallel_report = load_corpus([corpus], parallel, workers=2)
    assert serial_report == parallel_report
    assert serial.named_graphs() == parallel.named_graphs()
    for name in serial.named_graphs():
        assert sorted(serial.dump_graph(name).splitlines()) == sorted(parallel.dump_graph(name).splitlines())


def _quads(store: PolicyStore) -> dict[str, list[bytes]]:
    return {name: sorted(store.dump_graph(name).splitlines()) for name in store.named_graphs()}


def test_links_made_a_few_files_at_a_time_are_those_made_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    citing, cited = tmp_path / "citing", tmp_path / "cited"
    for n in range(5):
        _write(citing, f"{n}.txt", CITING.replace("〔2021〕3号", f"〔2021〕{n + 3}号"))
        _write(cited, f"c{n}.txt", CITED.replace("〕20号", f"〕{20 + n}号"))
    at_once = PolicyStore.open(None)
    load_corpus([citing, cited], at_once)
    monkeypatch.setattr("policykg.graph.links.RELINK_CHUNK", 2)
    in_chunks = PolicyStore.open(None)
    load_corpus([citing], in_chunks)
    load_corpus([cited], in_chunks)  # the citing files' links graphs are made again, two files at a time
    together_in_chunks = PolicyStore.open(None)
    load_corpus([citing, cited], together_in_chunks)  # from the citations the files set aside, two at a time
    assert len(_cited(in_chunks)) == 1
    assert _quads(in_chunks) == _quads(together_in_chunks) == _quads(at_once)


def test_citations_set_aside_come_back_in_order_a_chunk_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("policykg.graph.links.RELINK_CHUNK", 2)
    files = [(URIRef(f"urn:file:{n}"), tuple(CitationRecord(URIRef(f"urn:file:{n}"), URIRef(f"urn:doc:{n}"),
                                                            URIRef(f"urn:doc:{n}/citation/{c}"), f"意见{c}", None, c == 1)
                                             for c in range(n)))
             for n in range(5)]
    aside = SetAside()
    for graph, records in files:
        aside.add(graph, records)
    chunks = list(aside.chunks())
    assert [len(chunk) for chunk in chunks] == [2, 2, 1] and [file for chunk in chunks for file in chunk] == files
    assert list(aside.chunks()) == []  # let go of once read back



def test_links_graphs_go_to_the_store_a_chunk_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Buffered together, a first build's links graphs (many and small) went to one bulk load, which
    held the load's peak 90 MB higher at 10,000 documents."""
    for n in range(5):
        _write(tmp_path, f"{n}.txt", CITING.replace("〔2021〕3号", f"〔2021〕{n + 3}号"))
    monkeypatch.setattr("policykg.graph.links.RELINK_CHUNK", 2)
    relinking, graphs_loaded = [], []
    relink, bulk_load = corpus_module.relink, store_module.bulk_load

    def noting_relink(*arguments: Any) -> None:
        relinking.append(True)
        relink(*arguments)

    def noting_bulk_load(store: Any, texts: list[str], format: Any) -> None:
        if relinking:
            graphs_loaded.append(len(texts) - 1)  # the prefixes, then a body a graph
        bulk_load(store, texts, format)

    monkeypatch.setattr(corpus_module, "relink", noting_relink)
    monkeypatch.setattr(store_module, "bulk_load", noting_bulk_load)
    store = PolicyStore.open(None)
    load_corpus([tmp_path], store)
    assert graphs_loaded == [2, 2, 1] and len(_cited(store)) == 1

# a Jiaxing plan of 2017 gives a measure to 市国土局; one of 2021 to 市自然资源规划局, its successor
BEFORE_REFORM = ("嘉兴市人民政府关于加快开发区建设的意见\n嘉政发〔2017〕8号\n"
                 "二、主要任务\n(一)保障用地。(责任单位:市国土局、市发改委)\n")
AFTER_REFORM = ("嘉兴市人民政府关于推进开发区用地集约的意见\n嘉政发〔2021〕9号\n"
                "二、主要任务\n(一)盘活存量。(责任单位:市自然资源规划局)\n")
ELSEWHERE = AFTER_REFORM.replace("嘉兴市", "湖州市").replace("嘉政发", "湖政发")


def _renamings(store: PolicyStore) -> set[tuple[str, str, str]]:
    """Each renaming: the graph stating it, the original agency's name and the resulting one's."""
    rows = store.rows(SPARQL_PREFIXES + """SELECT ?g ?before ?after WHERE {
        GRAPH ?g { ?event a org:ChangeEvent ; org:originalOrganization ?a ; org:resultingOrganization ?b .
                   ?a org:changedBy ?event . ?b org:resultedFrom ?event }
        ?a skos:altLabel ?before . ?b skos:altLabel ?after }""")
    return set(rows)


RENAMED = {(str(RENAMINGS_GRAPH), "市国土局", "市自然资源规划局")}


def test_an_agency_meets_its_renamed_self_whatever_the_order_files_arrive_in(tmp_path: Path) -> None:
    before, after = _write(tmp_path / "a", "a.txt", BEFORE_REFORM), _write(tmp_path / "b", "b.txt", AFTER_REFORM)
    together, one_by_one, other_way = PolicyStore.open(None), PolicyStore.open(None), PolicyStore.open(None)
    load_corpus([before, after], together)
    for store, order in ((one_by_one, [before, after]), (other_way, [after, before])):
        for path in order:
            load_corpus([path], store)
    assert _renamings(together) == _renamings(one_by_one) == _renamings(other_way) == RENAMED
    assert str(RENAMINGS_GRAPH) not in file_graphs(together)


def test_agencies_of_another_place_are_not_renamed_into_each_other(tmp_path: Path) -> None:
    store = PolicyStore.open(None)
    load_corpus([_write(tmp_path, "a.txt", BEFORE_REFORM), _write(tmp_path, "c.txt", ELSEWHERE)], store)
    assert _renamings(store) == set()


def test_a_renaming_goes_when_the_corpus_no_longer_names_one_of_its_agencies(tmp_path: Path) -> None:
    store = PolicyStore.open(None)
    load_corpus([_write(tmp_path, "a.txt", BEFORE_REFORM), _write(tmp_path, "b.txt", AFTER_REFORM),
                 _write(tmp_path, "b2.txt", AFTER_REFORM.replace("〕9号", "〕10号"))], store)
    assert _renamings(store) == RENAMED
    remove_files(store, ["b.txt"])  # b2.txt still names the successor
    assert _renamings(store) == RENAMED
    load_corpus([_write(tmp_path, "b2.txt", AFTER_REFORM.replace("市自然资源规划局", "市发改委"))], store)
    assert _renamings(store) == set() and str(RENAMINGS_GRAPH) not in store.named_graphs()
    load_corpus([_write(tmp_path, "b.txt", AFTER_REFORM)], store)
    assert _renamings(store) == RENAMED
    remove_files(store, ["a.txt"])
    assert _renamings(store) == set()
