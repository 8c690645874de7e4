import codecs
import gc
import multiprocessing
import os
import shutil
import signal
from pathlib import Path

import psutil
import pytest
from rdflib import URIRef

from policykg.graph import corpus as corpus_module
from policykg.graph import store as store_module
from policykg.graph.build import FileGraph
from policykg.graph.corpus import load_corpus, load_corpus_apart
from policykg.graph.links import Changes, CitationRecord
from policykg.graph.resolve import DocumentResolver
from policykg.graph.store import PolicyStore, StoreError
from policykg.loaders.records import SourceFile
from policykg.ontology import SPARQL_PREFIXES

from ..conftest import SEEDS

GOOD = "关于推进开发区建设的实施方案\n二、主要任务\n(一)优化布局。(责任单位:区发改局)\n"


def test_one_bad_file_never_stops_the_batch(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b_pdf.txt").write_bytes(b"%PDF-1.4 binary")
    (tmp_path / "c_empty.txt").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "d_gbk.txt").write_bytes(GOOD.replace("区发改局", "区财政局").encode("gbk"))
    (tmp_path / "e_utf16.txt").write_bytes(codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"))
    (tmp_path / "f_image.png").write_bytes(b"\x89PNG")
    report = load_corpus([tmp_path], PolicyStore.open(None))
    status = {o.path: (o.status, o.reason, o.measures) for o in report.outcomes}
    assert status["a_good.txt"][0] == "loaded" and status["a_good.txt"][2] == 1
    assert status["b_pdf.txt"][:2] == ("failed", "the PDF cannot be read (PDFSyntaxError: No /Root object! - Is "
                                                 "this really a PDF?)")
    assert status["c_empty.txt"][0] == "failed" and "no policy text" in status["c_empty.txt"][1]
    assert status["d_gbk.txt"][0] == "loaded" and status["e_utf16.txt"][0] == "loaded"
    assert status["f_image.png"][0] == "skipped"
    assert len(report.failures) == 2


def test_of_two_files_one_name_gives_the_second_fails_and_the_first_stays(tmp_path: Path) -> None:
    for year, agency in (("2019", "区发改局"), ("2020", "区财政局")):
        (tmp_path / year).mkdir()
        (tmp_path / year / "a.txt").write_text(GOOD.replace("区发改局", agency), encoding="utf-8")
    store = PolicyStore.open(None)
    report = load_corpus([tmp_path / "2019", tmp_path / "2020"], store)
    assert [(o.path, o.status) for o in report.outcomes] == [("a.txt", "loaded"), ("a.txt", "failed")]
    assert report.outcomes[1].reason == (f"{tmp_path / '2020' / 'a.txt'} has the name of {tmp_path / '2019' / 'a.txt'}, "
                                         "read before it: read the folder holding both, and each is named by its path "
                                         "there")
    assert "区发改局" in {str(label) for (label,) in store.rows("SELECT ?l WHERE { GRAPH ?g { ?a ?p ?l } }")}


def test_a_fault_met_on_one_file_is_its_outcome_and_the_rest_load(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for name, agency in (("a.txt", "区发改局"), ("b.txt", "区财政局"), ("c.txt", "区商务局")):
        (tmp_path / name).write_text(GOOD.replace("区发改局", agency), encoding="utf-8")
    read = corpus_module.read_source_file

    def fails_on_b(path: Path, *arguments: object) -> object:
        if path.name == "b.txt":
            raise IndexError("string index out of range")
        return read(path, *arguments)

    monkeypatch.setattr(corpus_module, "read_source_file", fails_on_b)
    report = load_corpus([tmp_path], PolicyStore.open(None))
    assert [(o.path, o.status) for o in report.outcomes] == [("a.txt", "loaded"), ("b.txt", "failed"),
                                                               ("c.txt", "loaded")]
    assert report.outcomes[1].reason == ("policykg failed on this file (IndexError: string index out of range); "
                                         "please report it with the file")


def test_a_graph_the_store_cannot_hold_fails_its_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "corpus").mkdir()
    for name, agency in (("a.txt", "区发改局"), ("b.txt", "区财政局"), ("c.txt", "区商务局")):
        (tmp_path / "corpus" / name).write_text(GOOD.replace("区发改局", agency), encoding="utf-8")
    build = corpus_module.build_file_graph

    def bad_iri_in_b(source: SourceFile, *arguments: object) -> FileGraph:
        built = build(source, *arguments)
        if source.path == "b.txt":
            built.triples.add(("<urn:s>", "<urn:p>", "<not an iri>"))
        return built

    monkeypatch.setattr(corpus_module, "build_file_graph", bad_iri_in_b)
    store = PolicyStore.open(tmp_path / "store")
    report = load_corpus([tmp_path / "corpus"], store)
    assert [(o.path, o.status) for o in report.outcomes] == [("a.txt", "loaded"), ("b.txt", "failed"),
                                                               ("c.txt", "loaded")]
    assert "SyntaxError" in report.outcomes[1].reason and "Invalid IRI" in report.outcomes[1].reason
    assert len(store.named_graphs()) == 2 and store.triple_count() > 0  # a.txt's and c.txt's graphs


def test_a_parsing_process_killed_mid_batch_loses_no_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for copy in range(4):
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, corpus / f"{copy}_{seed.name}")
    killed: list[int] = []

    def kill_a_parser(name: str) -> None:
        if not killed:
            killed.append(multiprocessing.active_children()[0].pid)
            os.kill(killed[0], signal.SIGKILL)

    parallel, serial = PolicyStore.open(None), PolicyStore.open(None)
    report = load_corpus([corpus], parallel, progress=kill_a_parser, workers=2)
    assert killed
    assert report == load_corpus([corpus], serial)
    assert len(report.loaded) == len(report.outcomes) == 20  # each a copy of three others, and warned so
    assert _quads(parallel) == _quads(serial)


def _quads(store: PolicyStore) -> list[str]:
    return sorted(store.dump_nquads().splitlines())


def test_a_load_apart_gives_the_store_and_the_report_of_a_load_here(tmp_path: Path) -> None:
    here = PolicyStore.open(tmp_path / "here")
    report = load_corpus([SEEDS], here)
    apart, heard = PolicyStore.open(tmp_path / "apart"), []
    report_apart = load_corpus_apart([SEEDS], apart, heard.append, workers=2)
    assert report_apart.outcomes == report.outcomes and heard == [outcome.path for outcome in report.outcomes]
    assert _quads(apart) == _quads(here) and len(_quads(here)) > 10_000
    assert apart.dropped_bodies() is None  # written by another process: a sweep reads the folder


def test_an_error_that_stops_a_load_apart_is_raised_here(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "bodies"
    not_a_folder.write_text("", encoding="utf-8")
    store = PolicyStore.open(tmp_path / "store", not_a_folder)  # where the loading process writes TriG bodies
    with pytest.raises(FileExistsError, match="bodies"):  # raised there, as it would be here
        load_corpus_apart([SEEDS], store)
    assert store.named_graphs() == []


def test_a_load_whose_process_dies_is_an_error_and_the_store_is_open_again(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path / "store")

    def kill_the_load(name: str) -> None:
        for child in psutil.Process().children():
            if "spawn_main" in " ".join(child.cmdline()) and child.is_running():
                child.kill()

    with pytest.raises(StoreError, match="the process loading the files died"):
        load_corpus_apart([SEEDS], store, kill_the_load)
    store.replace_graph(URIRef("urn:g"), [(URIRef("urn:s"), URIRef("urn:p"), URIRef("urn:o"))])
    assert "urn:g" in store.named_graphs()


def test_the_store_is_the_same_however_the_files_are_batched(monkeypatch: pytest.MonkeyPatch) -> None:
    """All seeds in one load (graphs buffered, the resolver reading only what was written before),
    the same with every graph written at once, and one file per load."""
    buffered = PolicyStore.open(None)
    load_corpus([SEEDS], buffered)
    monkeypatch.setattr(store_module, "WRITE_BATCH", 1)
    written = PolicyStore.open(None)
    load_corpus([SEEDS], written)
    one_by_one = PolicyStore.open(None)
    for path in sorted(SEEDS.iterdir()):
        load_corpus([path], one_by_one)
    assert len(_quads(buffered)) > 10_000
    assert _quads(buffered) == _quads(written) == _quads(one_by_one)


def test_relink_starts_with_the_loads_resolver_and_citations_let_go_of(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each resolver knows every document of the corpus: the load's goes before relink's reads them.
    Nor does the load hold the corpus's citations until then: relink reads them back from the store."""
    alive_at_relink: list[list[object]] = []
    relink = corpus_module.relink

    def noting_relink(store: PolicyStore, resolver: DocumentResolver, changes: Changes) -> None:
        gc.collect()
        alive_at_relink.append([o for o in gc.get_objects()
                                if isinstance(o, (DocumentResolver, CitationRecord)) and o is not resolver])
        relink(store, resolver, changes)

    monkeypatch.setattr(corpus_module, "relink", noting_relink)
    store = PolicyStore.open(None)
    report = load_corpus([SEEDS], store)
    assert report.total("documents") == 13 and alive_at_relink == [[]]
    assert report.total("citations") == 37 == len(list(store.rows(
        SPARQL_PREFIXES + "SELECT ?c ?cited WHERE { GRAPH ?links { ?c pkg:citedDocument ?cited } }")))
