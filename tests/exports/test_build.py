import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import ContextManager, Iterable

import pytest
from pyshacl import validate
from rdflib import Dataset, Graph

from policykg.exports import build as build_module
from policykg.exports.analyze import AUDIT_QUERIES, orphans_table
from policykg.exports.build import ANSWERS_CACHE, GRAPH_MODEL_FILE, READ_FROM_FILE, TRASH_PREFIX, build, remove
from policykg.exports.folder_lock import STORE_LOCK_FILE, holds_lock, writing_alone
from policykg.exports.query import open_built_answers
from policykg.exports.tables import TABLES
from policykg.exports.views import VIEWS
from policykg.graph.answer_cache import AnswerCache
from policykg.graph.build import GRAPH_MODEL
from policykg.graph import corpus as corpus_module
from policykg.graph import filewise
from policykg.graph import store as store_module
from policykg.graph.store import STORE_DIR, TRIG_DIR, PolicyStore, RowSource, StoreError
from policykg.loaders.script import opencc_converter
from policykg.ontology import read_ontology, read_shapes

from ..conftest import SEEDS, edits_in_place


def _rows(folder: Path, table: str) -> list[dict]:
    with (folder / f"{table}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_tables_have_the_contract_columns_and_a_bom(seeds_built: Path) -> None:
    for table, (columns, _) in TABLES.items():
        raw = (seeds_built / f"{table}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), table
        assert tuple(_rows(seeds_built, table)[0]) == columns


def test_char_offsets_point_at_the_agency_in_the_original_file(seeds_built: Path) -> None:
    for row in _rows(seeds_built, "responsibilities"):
        if row["source_file"].startswith("002"):
            continue  # traditional script: the offsets point at the traditional original
        original = (SEEDS / row["source_file"]).read_text(encoding="utf-8")
        assert original[int(row["char_start"]):int(row["char_end"])].startswith(row["as_written"])


def test_zone_offsets_point_at_a_name_of_the_zone_in_the_original_file(seeds_built: Path) -> None:
    """Where each document first names a zone: the name it writes or an alias, once the original is
    read in simplified script as the document was."""
    rows = _rows(seeds_built, "zones")
    for row in rows:
        original = (SEEDS / row["source_file"]).read_text(encoding="utf-8")
        read = opencc_converter("tw2sp").convert(original[int(row["char_start"]):int(row["char_end"])])
        assert read in [row["zone_name"], *row["aliases"].split(";")], row
    assert len(rows) > 80 and any(row["source_file"].startswith("002") for row in rows)


def test_graph_file_parses_in_a_second_rdf_parser_and_passes_the_shapes(seeds_built: Path) -> None:
    dataset = Dataset()
    dataset.parse(seeds_built / "graph.trig", format="trig")
    assert len(list(dataset.graphs())) >= 5
    union = Graph()
    for s, p, o, _ in dataset.quads():
        union.add((s, p, o))
    assert len(union) > 10000
    conforms, _, text = validate(union, shacl_graph=read_shapes(), ont_graph=read_ontology(), inference="none")
    assert conforms, text  # offsets as built (xsd:nonNegativeInteger), not as Oxigraph keeps them (xsd:integer)


def test_load_report_lists_every_file(seeds_built: Path) -> None:
    report = json.loads((seeds_built / "load-report.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in report] == sorted(p.name for p in SEEDS.iterdir())
    assert {r["status"] for r in report} == {"loaded"}


def test_building_twice_gives_byte_identical_exports(tmp_path: Path, seeds_built: Path) -> None:
    build([SEEDS], tmp_path / "again")
    build([SEEDS], tmp_path / "again")  # into an existing store: loading twice changes nothing
    for name in [f"{t}.csv" for t in TABLES] + ["load-report.csv"]:
        assert (tmp_path / "again" / name).read_bytes() == (seeds_built / name).read_bytes(), name
    assert (tmp_path / "again" / "graph.trig").read_bytes() == (seeds_built / "graph.trig").read_bytes()


def test_cited_document_merges_across_placeholder_years(seeds_built: Path) -> None:
    rows = [r for r in _rows(seeds_built, "citations") if "国家高新技术产业开发区高质量发展" in r["cited_title"]]
    assert {r["cited_doc_number"] for r in rows} == {"国发〔2020〕7号", "国发〔20xx〕7号"}
    assert len({r["cited_id"] for r in rows}) == 1
    fujian = [r for r in _rows(seeds_built, "citations") if r["cited_title"] == "福建省人民政府关于促进开发区高质量发展的指导意见"]
    assert {r["cited_doc_number"] for r in fujian} == {"闽政文〔20xx〕15号", "闽政〔20xx〕15号"}
    assert len({r["cited_id"] for r in fujian}) == 1


def test_separate_processes_with_different_hash_seeds_build_the_same_exports(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        subprocess.run([sys.executable, "-m", "policykg.exports.cli", "build", str(SEEDS), "--out", str(out)],
                       check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.append({name: (out / f"{name}.csv").read_bytes() for name in TABLES})
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("views_apart", [None, "fork", "spawn"], ids=["here", "apart, forked", "apart, spawned"])
def test_a_build_refreshing_one_changed_file_writes_what_a_fresh_build_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, views_apart: str | None) -> None:
    name = "000_7de621c7132f9bb7.txt"
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    out = tmp_path / "out"
    with monkeypatch.context() as apart:
        if views_apart:  # some views made in a process of their own, as from 1,000 files
            apart.setattr(build_module, "APART_FROM_FILES", 1)
        if views_apart == "spawn":  # as where a copy of the process is not safe
            apart.setattr(build_module, "_early_start", lambda: "spawn")
        made_here, started, threads = _views_made_here(apart), [], set(threading.enumerate())
        _record_processes(apart, started)
        build([corpus], out)
        changed = corpus / name
        changed.write_text(changed.read_text(encoding="utf-8").replace("准确把握功能定位", "准确把握功能"),
                           encoding="utf-8")
        assert not _left_running(threads)
        build([changed], out)
        assert not _left_running(threads)
    assert made_here == [[view for view in VIEWS if view not in build_module.VIEWS_APART] if views_apart
                         else list(VIEWS)] * 2
    # the first build knows the corpus's size once the files are loaded; the refresh, before
    assert started == [("process", "none"), ("process", "spawn"), ("process", views_apart), ("process", "none")] \
        if views_apart else [("process", "none")] * 4
    build([corpus], tmp_path / "fresh")
    exports = [f"{t}.csv" for t in TABLES] + ["graph.trig"] + [f"{view}.html" for view in VIEWS]
    for export in exports:
        assert (out / export).read_bytes() == (tmp_path / "fresh" / export).read_bytes(), export
    assert AnswerCache(out / ANSWERS_CACHE).keys() == AnswerCache(tmp_path / "fresh" / ANSWERS_CACHE).keys()
    assert _kept_totals(out) == _kept_totals(tmp_path / "fresh") and _kept_totals(out)


def test_the_answers_an_audit_asked_stay_kept_for_the_files_a_refresh_leaves(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    out = tmp_path / "out"
    build([corpus], out)
    orphans_table(open_built_answers(out, AUDIT_QUERIES, grouped=()))  # answers two queries a build does not
    changed = corpus / "000_7de621c7132f9bb7.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("准确把握功能定位", "准确把握功能"), encoding="utf-8")
    build([changed], out)
    answered: list[int] = []
    answer_batch = filewise.answer_batch
    monkeypatch.setattr(filewise, "answer_batch", lambda files, queries: answered.append(len(files))
                        or answer_batch(files, queries))
    again = orphans_table(open_built_answers(out, AUDIT_QUERIES, grouped=()))
    assert answered == [1]  # the changed file alone
    build([corpus], tmp_path / "fresh")
    assert again == orphans_table(open_built_answers(tmp_path / "fresh", AUDIT_QUERIES, grouped=())) and again[1]


def test_a_large_batch_compacts_the_store_beside_the_exports_and_a_refresh_of_one_file_does_not(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeds_built: Path) -> None:
    monkeypatch.setattr(build_module, "COMPACT_FROM_QUADS", 1)  # the seeds are a small batch
    monkeypatch.setattr(build_module, "COMPACT_SHARE", 0.5)  # one file of five is not
    compacted: list[tuple[Path, bool]] = []
    compact = PolicyStore.compact

    def recording(store: PolicyStore) -> None:
        compacted.append((store.path, threading.current_thread() is threading.main_thread()))
        compact(store)

    monkeypatch.setattr(PolicyStore, "compact", recording)
    out = tmp_path / "out"
    build([SEEDS], out)
    ((staged_store, in_main_thread),) = compacted
    assert staged_store.parent.name.startswith(".staging-") and not in_main_thread
    build([SEEDS / "000_7de621c7132f9bb7.txt"], out)
    assert len(compacted) == 1
    for export in [f"{t}.csv" for t in TABLES] + ["graph.trig"] + [f"{view}.html" for view in VIEWS]:
        assert (out / export).read_bytes() == (seeds_built / export).read_bytes(), export
    compacted_quads, fresh_quads = (sorted(PolicyStore.open_read_only(folder / STORE_DIR).dump_nquads().splitlines())
                                    for folder in (out, seeds_built))
    assert compacted_quads == fresh_quads


def test_a_store_of_graphs_made_otherwise_is_not_added_to(tmp_path: Path) -> None:
    """A store built by a policykg that made its graphs another way (no graph-model file: the
    first) is refused with the reason, before anything is written; a store of this version's is
    added to."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS / "001_90d5fc22205fdc35.txt", corpus)
    out = tmp_path / "out"
    build([corpus], out)
    assert (out / STORE_DIR / GRAPH_MODEL_FILE).read_text(encoding="utf-8") == f"{GRAPH_MODEL}\n"
    build([corpus], out)
    (out / STORE_DIR / GRAPH_MODEL_FILE).unlink()
    before = _times_but_of_what_is_deleted_apart(out)
    for change in (lambda: build([corpus], out), lambda: remove(out, ["001_90d5fc22205fdc35.txt"])):
        with pytest.raises(StoreError, match=rf"{out / STORE_DIR} holds graphs made by another version of policykg "
                                             rf"\(graph model 1, this version makes {GRAPH_MODEL}\)"):
            change()
    assert _times_but_of_what_is_deleted_apart(out) == before


def _times_but_of_what_is_deleted_apart(out: Path) -> dict[Path, int]:
    """When each path in ``out`` was last written, but what the build before replaced, which a
    process of its own may still be deleting."""
    return {path: path.stat().st_mtime_ns for top in out.iterdir() if not top.name.startswith(TRASH_PREFIX)
            for path in (top, *top.rglob("*"))}


@pytest.mark.parametrize("swapping", [True, False], ids=["swapped", "renamed over"])
def test_what_a_refresh_replaces_is_deleted_apart_and_what_one_left_by_the_next(tmp_path: Path, swapping: bool,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    if not swapping:  # as where the system cannot swap two files
        monkeypatch.setattr(build_module, "swap", lambda new, path: False)
    out = tmp_path / "out"
    build([SEEDS], out)
    published = sorted(path.name for path in out.iterdir() if path.name != ".graph.trig-spare")
    replaced_graph = os.stat(out / "graph.trig").st_ino
    left = out / f"{TRASH_PREFIX}cut-short" / "store"  # a deletion killed before it was done
    left.mkdir(parents=True)
    (left / "000001.sst").write_bytes(b"x")
    build([SEEDS / "000_7de621c7132f9bb7.txt"], out)
    assert os.stat(out / "graph.trig").st_ino != replaced_graph
    assert os.stat(out / ".graph.trig-spare").st_ino == replaced_graph  # kept, to be edited into the next
    assert not any(out.glob(f"{build_module.STAGING_PREFIX}*"))
    deadline = time.monotonic() + 60
    while list(out.glob(f"{TRASH_PREFIX}*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(path.name for path in out.iterdir()) == sorted([*published, ".graph.trig-spare"])


def test_a_refresh_edits_the_graph_trig_before_the_last_in_place_into_its_own(tmp_path: Path,
                                                                              seeds_built: Path) -> None:
    if not edits_in_place(tmp_path):
        pytest.skip("this file system cannot move a file's blocks (fallocate's insert and collapse ranges)")
    out = tmp_path / "out"
    build([SEEDS], out)
    assert remove(out, ["000_7de621c7132f9bb7.txt"]) == ["000_7de621c7132f9bb7.txt"]
    spare = os.stat(out / ".graph.trig-spare").st_ino  # the build's graph.trig
    build([SEEDS / "000_7de621c7132f9bb7.txt"], out)
    assert os.stat(out / "graph.trig").st_ino == spare
    assert (out / "graph.trig").read_bytes() == (seeds_built / "graph.trig").read_bytes()
    removed = (out / ".graph.trig-spare").read_bytes()  # the graph without the file
    with (out / ".graph.trig-spare").open("rb") as reader:  # held open: not edited under its reader
        assert remove(out, ["004_aa0a9f9876963823.txt"]) == ["004_aa0a9f9876963823.txt"]
        assert reader.read() == removed
    assert os.stat(out / "graph.trig").st_ino != spare
    build([SEEDS / "004_aa0a9f9876963823.txt"], out)
    assert (out / "graph.trig").read_bytes() == (seeds_built / "graph.trig").read_bytes()


def test_a_first_build_keeps_a_copy_of_its_graph_trig_for_the_first_refresh_to_edit(tmp_path: Path,
                                                                                   seeds_built: Path) -> None:
    """Without it, the first refresh after a build joined every graph anew: on 10,000 documents, 2.9 s
    for an addition that then takes 1.4 s."""
    if not edits_in_place(tmp_path):
        pytest.skip("this file system cannot move a file's blocks (fallocate's insert and collapse ranges)")
    out = tmp_path / "out"
    build([SEEDS], out)
    assert (out / ".graph.trig-spare").read_bytes() == (out / "graph.trig").read_bytes()
    copy = os.stat(out / ".graph.trig-spare").st_ino
    assert remove(out, ["000_7de621c7132f9bb7.txt"]) == ["000_7de621c7132f9bb7.txt"]
    assert os.stat(out / "graph.trig").st_ino == copy  # the copy, edited in place
    build([SEEDS / "000_7de621c7132f9bb7.txt"], out)
    assert (out / "graph.trig").read_bytes() == (seeds_built / "graph.trig").read_bytes()


def test_a_first_build_that_cannot_copy_its_graph_trig_goes_on_without_a_spare(tmp_path: Path, seeds_built: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    copy = shutil.copyfile

    def disk_full_at_the_spare(source: Path, target: Path) -> object:
        if not str(target).endswith("-spare"):
            return copy(source, target)
        Path(target).write_bytes(b"cut short")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", disk_full_at_the_spare)
    out = tmp_path / "out"
    build([SEEDS], out)
    assert not (out / ".graph.trig-spare").exists()
    assert (out / "graph.trig").read_bytes() == (seeds_built / "graph.trig").read_bytes()
    assert remove(out, ["000_7de621c7132f9bb7.txt"]) == ["000_7de621c7132f9bb7.txt"]  # joined, as before


def test_where_blocks_cannot_move_no_spare_graph_trig_is_kept(tmp_path: Path, seeds_built: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "moves_blocks", lambda folder: False)  # as on tmpfs or btrfs
    monkeypatch.setattr(store_module, "moves_blocks", lambda folder: False)
    out = tmp_path / "out"
    build([SEEDS], out)
    assert remove(out, ["000_7de621c7132f9bb7.txt"]) == ["000_7de621c7132f9bb7.txt"]
    assert not (out / ".graph.trig-spare").exists()
    build([SEEDS / "000_7de621c7132f9bb7.txt"], out)
    assert not (out / ".graph.trig-spare").exists()
    assert (out / "graph.trig").read_bytes() == (seeds_built / "graph.trig").read_bytes()


def test_the_store_is_closed_before_its_folder_moves_into_place(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """RocksDB does not follow a folder renamed under an open store: its background work fails."""
    out = tmp_path / "out"
    build([SEEDS], out)
    opened_at_publish: list[int] = []
    publish = build_module._publish

    def opening_first(staging: Path, out: Path) -> None:
        store = PolicyStore.open(staging / STORE_DIR)  # refused by the lock were the build's store open
        opened_at_publish.append(len(store.named_graphs()))
        store.close()
        publish(staging, out)

    monkeypatch.setattr(build_module, "_publish", opening_first)
    build([SEEDS / "000_7de621c7132f9bb7.txt"], out)
    assert remove(out, ["000_7de621c7132f9bb7.txt"]) == ["000_7de621c7132f9bb7.txt"]
    assert opened_at_publish[0] == opened_at_publish[1] + 3  # its graph, its links, the renamings (of its agencies)


def test_removing_files_the_store_does_not_hold_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([SEEDS], out)
    before = {path.name: path.stat().st_ino for path in out.iterdir()}
    assert remove(out, ["missing.txt", "000_7de621c7132f9bb7.txt/else.txt"]) == []
    assert {path.name: path.stat().st_ino for path in out.iterdir()} == before  # nothing swapped in
    assert remove(out, ["missing.txt", "000_7de621c7132f9bb7.txt"]) == ["000_7de621c7132f9bb7.txt"]
    assert (out / "graph.trig").stat().st_ino != before["graph.trig"]


def test_a_build_into_a_folder_inside_what_it_reads_never_reads_its_own_output(tmp_path: Path,
                                                                              seeds_built: Path) -> None:
    """Its views are HTML, which a build reads: read as policy, they added documents of their own
    (and its staging store's files, failures)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    for _ in range(2):  # the second time, the folder holds the first's views, tables and store
        build([corpus], corpus / "out")
        report = json.loads((corpus / "out" / "load-report.json").read_text(encoding="utf-8"))
        assert [outcome["path"] for outcome in report] == sorted(path.name for path in SEEDS.iterdir())
        assert (corpus / "out" / "documents.csv").read_bytes() == (seeds_built / "documents.csv").read_bytes()


def test_a_changed_file_given_alone_replaces_the_graph_it_had_when_its_folder_was_read(tmp_path: Path) -> None:
    """The file keeps the name its folder gave it (``hubei/…``): read under its own name, it was a
    second file with the same documents, and every table held them twice."""
    name = "000_7de621c7132f9bb7.txt"
    corpus, out, fresh = tmp_path / "corpus", tmp_path / "out", tmp_path / "fresh"
    shutil.copytree(SEEDS, corpus / "hubei")
    build([corpus], out)
    changed = corpus / "hubei" / name
    changed.write_text(changed.read_text(encoding="utf-8").replace("准确把握功能定位", "准确把握功能"), encoding="utf-8")
    build([changed], out)
    assert [row["path"] for row in json.loads((out / "load-report.json").read_text(encoding="utf-8"))] == [
        f"hubei/{name}"]
    build([corpus], fresh)
    for table in TABLES:
        assert (out / f"{table}.csv").read_bytes() == (fresh / f"{table}.csv").read_bytes(), table
    assert json.loads((out / READ_FROM_FILE).read_text(encoding="utf-8")) == [str(corpus.resolve())]


def test_a_folder_named_in_gbk_is_noted_as_read_from_and_names_its_files_read_again(tmp_path: Path) -> None:
    """The folders a build reads from are noted by their bytes: a name in GBK (not UTF-8) once
    stopped the build as it noted them."""
    corpus, out = Path(os.fsdecode(bytes(tmp_path) + "/广东".encode("gbk"))), tmp_path / "out"
    try:
        corpus.mkdir()
    except OSError:
        pytest.skip("the file system takes only UTF-8 names")
    shutil.copy(SEEDS / "000_7de621c7132f9bb7.txt", corpus / "a.txt")
    build([corpus], out)
    build([corpus / "a.txt"], out)
    assert [row["source_file"] for row in _rows(out, "documents")] == ["a.txt"]


def test_a_list_of_folders_read_from_that_cannot_be_read_is_named_and_nothing_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([SEEDS / "000_7de621c7132f9bb7.txt"], out)
    (out / READ_FROM_FILE).write_text('{"folders": 1}', encoding="utf-8")
    before = _times_but_of_what_is_deleted_apart(out)
    with pytest.raises(StoreError, match=rf"{out / READ_FROM_FILE}: not a JSON list of folders; delete it"):
        build([SEEDS], out)
    assert _times_but_of_what_is_deleted_apart(out) == before


def test_a_build_and_a_removal_at_once_in_one_folder_both_keep_their_change(tmp_path: Path) -> None:
    """As users run them, from the command line. The folder's lock is held here first, so that
    both start while another writes: each is told, waits, and writes after the other (before the
    lock, the second swept away the first's staging folder, or published over what it added)."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(SEEDS, corpus, ignore=shutil.ignore_patterns("000_*"))
    build([corpus], out)
    commands = {"build": ["build", str(SEEDS / "000_7de621c7132f9bb7.txt"), "--out", str(out)],
                "remove": ["remove", str(out), "001_90d5fc22205fdc35.txt"]}
    told = {name: tmp_path / f"{name}.err" for name in commands}
    with writing_alone(out):
        running = []
        for name, command in commands.items():
            with told[name].open("w") as stderr:
                running.append(subprocess.Popen([sys.executable, "-m", "policykg.exports.cli", *command],
                                                stdout=subprocess.DEVNULL, stderr=stderr))
        deadline = time.monotonic() + 60
        while not all("waiting: another build or remove is writing" in path.read_text() for path in told.values()):
            assert time.monotonic() < deadline, [path.read_text() for path in told.values()]
            time.sleep(0.05)
    assert [process.wait(120) for process in running] == [0, 0], [path.read_text() for path in told.values()]
    assert {row["source_file"] for row in _rows(out, "documents")} == (
        {path.name for path in SEEDS.iterdir()} - {"001_90d5fc22205fdc35.txt"})
    assert not any(out.glob(f"{build_module.STAGING_PREFIX}*"))


def test_a_file_is_removed_by_a_path_to_it_as_by_its_name(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(SEEDS, corpus / "hubei")
    build([corpus], out)
    given = [str(corpus / "hubei" / "000_7de621c7132f9bb7.txt"), "hubei/001_90d5fc22205fdc35.txt",
             str(corpus / "hubei" / "missing.txt")]
    assert remove(out, given) == given[:2]
    assert {row["source_file"] for row in _rows(out, "documents")} == {
        f"hubei/{path.name}" for path in SEEDS.iterdir()} - {"hubei/000_7de621c7132f9bb7.txt",
                                                           "hubei/001_90d5fc22205fdc35.txt"}
    assert remove(tmp_path / "empty", ["a.txt"]) == [] and not (tmp_path / "empty" / STORE_DIR).exists()


def test_a_refresh_changes_the_published_store_only_under_the_store_lock(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Where readers opening the store wait (:func:`~policykg.exports.folder_lock.opening_store`):
    its copy opens it to write, and the publish moves it. Unlocked, a query in a loop beside
    refreshes failed once in some twenty ("Corruption: ... No such file")."""
    out = tmp_path / "out"
    build([SEEDS], out)
    locked: list[tuple[str, bool]] = []
    for owner, name in ((PolicyStore, "checkpoint"), (build_module, "_publish"), (build_module, "recover")):
        def noted(*arguments, _function=getattr(owner, name), _name=name):
            locked.append((_name, holds_lock(out, STORE_LOCK_FILE)))
            return _function(*arguments)
        monkeypatch.setattr(owner, name, noted)
    remove(out, ["000_7de621c7132f9bb7.txt"])
    assert locked == [("recover", True), ("checkpoint", True), ("_publish", True)]


def test_a_build_cut_short_between_the_store_swaps_is_put_right_by_the_next(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build([SEEDS], out)
    with monkeypatch.context() as cut:
        cut.setattr(build_module, "_move_bodies", _cut_short)
        with pytest.raises(KeyboardInterrupt):
            build([SEEDS / "000_7de621c7132f9bb7.txt"], out)
    assert (out / build_module.RETIRED_STORE / TRIG_DIR).is_dir() and not (out / STORE_DIR / TRIG_DIR).exists()
    build([SEEDS / "004_aa0a9f9876963823.txt"], out)  # the new store gets the bodies it shared with the old
    build([SEEDS], tmp_path / "fresh")
    assert (out / "graph.trig").read_bytes() == (tmp_path / "fresh" / "graph.trig").read_bytes()
    assert not (out / build_module.RETIRED_STORE).exists()
    store = PolicyStore.open(out / STORE_DIR)
    assert sorted(path.name for path in (out / STORE_DIR / TRIG_DIR).iterdir()) == sorted(  # no body left over
        f"{store.trig_digest(graph)}.trig" for graph in store.named_graphs())


def _cut_short(*arguments: object) -> None:
    raise KeyboardInterrupt


def test_views_whose_process_dies_are_made_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               seeds_built: Path) -> None:
    monkeypatch.setattr(build_module, "APART_FROM_FILES", 1)
    monkeypatch.setattr(build_module, "write_views_apart", _dies)
    made_here = _views_made_here(monkeypatch)
    build([SEEDS], tmp_path / "out")
    assert sorted(map(sorted, made_here)) == sorted([sorted(build_module.VIEWS_APART),
                                                     sorted(set(VIEWS) - set(build_module.VIEWS_APART))])
    for view in VIEWS:
        assert (tmp_path / "out" / f"{view}.html").read_bytes() == (seeds_built / f"{view}.html").read_bytes(), view
    build([SEEDS], tmp_path / "fresh")  # not the shared build: the analyses' tests keep sums of their own in it
    assert _kept_totals(tmp_path / "out") == _kept_totals(tmp_path / "fresh")


def _views_made_here(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The names of the views each call makes in the build's own process, as the build goes."""
    calls: list[list[str]] = []
    write_views = build_module.write_views

    def recording(source: RowSource, names: Iterable[str], folder: Path) -> None:
        calls.append(list(names))
        write_views(source, calls[-1], folder)

    monkeypatch.setattr(build_module, "write_views", recording)
    return calls


def _record_processes(monkeypatch: pytest.MonkeyPatch, events: list[tuple[str, ...]]) -> None:
    """Each process for views a build asks for, in ``events`` as it goes: ``("process", how it is
    started)``, ``("process", "none")`` where none is wanted."""
    process_for_views = build_module._process_for_views

    def recording(wanted: bool, start: str = "spawn", cache: Path | None = None
                  ) -> ContextManager[ProcessPoolExecutor | None]:
        events.append(("process", start if wanted else "none"))
        return process_for_views(wanted, start, cache)

    monkeypatch.setattr(build_module, "_process_for_views", recording)


def _left_running(before: set[threading.Thread]) -> set[threading.Thread]:
    """The threads started since ``before`` (the threads then) and still running: none once a build
    returns, its views process shut down and waited for (Python exiting beside the thread of a pool
    shut down unwaited may find its wake-up pipe closed under it, and print a traceback)."""
    return set(threading.enumerate()) - before


def test_the_early_process_for_views_is_a_copy_while_no_other_thread_runs() -> None:
    assert build_module._early_start() == ("fork" if sys.platform == "linux" else "spawn")
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert build_module._early_start() == "spawn"
    finally:
        release.set()
        other.join()


def _dies(*arguments: object) -> set[str]:
    """In place of the views' process: killed, as by the system when memory runs out."""
    os._exit(9)


def _kept_totals(out: Path) -> list[tuple]:
    with sqlite3.connect(out / ANSWERS_CACHE) as db:
        return sorted(db.execute("SELECT name, key, count FROM total_counts"))


def test_a_refresh_of_many_files_starts_the_views_process_before_it_loads(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "APART_FROM_FILES", 1)
    events: list[tuple[str, ...]] = []
    _record_processes(monkeypatch, events)
    load = build_module.load_corpus
    monkeypatch.setattr(build_module, "load_corpus", lambda *args: events.append(("load",)) or load(*args))
    out, threads = tmp_path / "out", set(threading.enumerate())
    build([SEEDS], out)  # nothing kept yet: the exports start their own
    assert events == [("process", "none"), ("load",), ("process", "spawn")]
    events.clear()
    assert not _left_running(threads)
    build([SEEDS / "000_7de621c7132f9bb7.txt"], out)
    assert not _left_running(threads)
    assert events == [("process", "fork" if sys.platform == "linux" else "spawn"), ("load",), ("process", "none")]
    listed = sorted(path.name for path in out.iterdir())
    assert build_module._kept_file_count(out) == 5 and build_module._kept_file_count(tmp_path / "none") == 0
    assert sorted(path.name for path in out.iterdir()) == listed and not (tmp_path / "none").exists()


def test_agencies_counted_from_the_kept_ranking_are_those_the_store_counts(tmp_path: Path, seeds_built: Path) -> None:
    summary, _ = build([SEEDS], tmp_path / "out")  # the responsibility view's ranking, kept in the cache
    store = PolicyStore.open_read_only(seeds_built / STORE_DIR)
    (tmp_path / "uncached").mkdir()
    assert build_module.write_exports(store, tmp_path / "uncached") == summary.agencies > 0  # counted in the store
    exports = {f"{table}.csv" for table in TABLES} | {"graph.trig"} | {f"{view}.html" for view in VIEWS}
    assert exports <= {p.name for p in (tmp_path / "uncached").iterdir()}


def _bodies_left(out: Path) -> tuple[list[str], list[str]]:
    """The body files in a built store's folder, and those its graphs have."""
    store = PolicyStore.open_read_only(out / STORE_DIR)
    return (sorted(path.name for path in (out / STORE_DIR / TRIG_DIR).iterdir()),
            sorted(f"{store.trig_digest(graph)}.trig" for graph in store.named_graphs()))


def test_a_build_of_many_files_loads_them_apart_and_writes_what_a_load_here_writes(
        tmp_path: Path, seeds_built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "LOAD_APART_FROM_FILES", 2)
    loads_apart: list[list[Path]] = []
    monkeypatch.setattr(build_module, "load_corpus_apart",
                        lambda paths, *rest: loads_apart.append(paths) or corpus_module.load_corpus_apart(paths, *rest))
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(SEEDS, corpus)
    build([corpus], out)
    exports = [f"{t}.csv" for t in TABLES] + ["graph.trig"] + [f"{view}.html" for view in VIEWS]
    assert all((out / export).read_bytes() == (seeds_built / export).read_bytes() for export in exports)
    changed = corpus / "000_7de621c7132f9bb7.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("准确把握功能定位", "准确把握功能"), encoding="utf-8")
    build([changed, corpus / "001_90d5fc22205fdc35.txt"], out)
    build([corpus / "002_3963f5b69747dc62.txt"], out)  # one file: loaded here
    assert loads_apart == [[corpus], [changed, corpus / "001_90d5fc22205fdc35.txt"]]
    left, had = _bodies_left(out)
    assert left == had  # the body the changed file replaced is gone, though another process replaced it


def test_a_refresh_deletes_the_bodies_it_replaced_and_a_build_cut_short_every_body_no_graph_has(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(SEEDS, corpus)
    build([corpus], out)
    changed = corpus / "000_7de621c7132f9bb7.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("准确把握功能定位", "准确把握功能"), encoding="utf-8")
    build([changed], out)
    remove(out, ["004_aa0a9f9876963823.txt"])
    left, had = _bodies_left(out)
    assert left == had
    orphan = out / STORE_DIR / TRIG_DIR / f"{'0' * 64}.trig"  # as a build killed before it published leaves
    orphan.write_text("# sha256 0 quads 0\n", encoding="utf-8")
    build([changed], out)
    assert orphan.exists()  # a refresh deletes what it replaced alone: it does not read the folder
    (out / f"{build_module.STAGING_PREFIX}killed").mkdir()
    build([changed], out)
    assert not orphan.exists()
    with monkeypatch.context() as failing:
        failing.setattr(build_module, "write_exports", _cut_short)
        with pytest.raises(KeyboardInterrupt):
            build([corpus / "004_aa0a9f9876963823.txt"], out)  # its bodies written, then no publishing
    left, had = _bodies_left(out)
    assert left == had and len(had) == 9  # the four files left, their links and the renamings
