"""Citations meet the documents they name whatever the order files arrive in, and let go of them
when those documents are removed."""
from __future__ import annotations

from pathlib import Path

from policykg.graph.corpus import load_corpus, remove_files
from policykg.graph.identity import document_iri, file_iri
from policykg.graph.links import links_graph_iri
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


def test_parsing_in_two_processes_gives_the_same_store(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for n in range(6):
        _write(corpus, f"{n}.txt", CITING.replace("〔2021〕3号", f"〔2021〕{n + 3}号") if n % 2 else CITED)
    serial, parallel = PolicyStore.open(None), PolicyStore.open(None)
    serial_report = load_corpus([corpus], serial)
    parallel_report = load_corpus([corpus], parallel, workers=2)
    assert serial_report == parallel_report
    assert serial.named_graphs() == parallel.named_graphs()
    for name in serial.named_graphs():
        assert sorted(serial.graph_ntriples(name).splitlines()) == sorted(parallel.graph_ntriples(name).splitlines())
