"""``policykg build`` and ``policykg remove``: change the store, then write every export again: the
graph (TriG), the tables, the interactive views and the load report. What the store's files did not
change is not read again: the TriG is joined from each graph's text, and the tables and views take
the answers kept for each unchanged file (:mod:`policykg.graph.filewise`).

A build never leaves a half-written folder: it works in a staging folder inside the output folder,
starting from a checkpoint of the existing store, and only when everything is written moves the
files into place and swaps the store in by renaming. A build killed before that leaves the previous
store and exports as they were; one killed between the two renames is put right by the next run.
"""
from __future__ import annotations

import csv
import importlib
import json
import multiprocessing
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, ContextManager, Iterable, Iterator

from policykg.graph.answer_cache import AnswerCache
from policykg.graph.build import GRAPH_MODEL
from policykg.graph.corpus import (InputFolders, LoadReport, find_input_files, load_corpus, load_corpus_apart,
                                   readable_path, remove_files)
from policykg.graph.files import remove_apart, swap
from policykg.graph.identity import file_iri
from policykg.graph.inplace import moves_blocks
from policykg.graph.filewise import FileAnswers
from policykg.graph.links import file_graphs
from policykg.graph.load import corpus_load
from policykg.graph.store import STORE_DIR, TRIG_DIR, PolicyStore, StoreError, sweep_bodies, trig_spare_path
from policykg.graph.views import RESPONSIBILITY_QUERIES, VIEW_GROUPED, VIEW_QUERIES
from policykg.loaders.pipeline import MAX_FILE_BYTES
from policykg.ontology import SPARQL_PREFIXES

from .folder_lock import changing_store, writing_alone
from .tables import TABLE_QUERIES, write_renamings, write_tables
from .views import VIEWS, read_early, write_views, write_views_apart

GRAPH_FILE = "graph.trig"
READ_FROM_FILE = ".read-from.json"  # the folders builds read files from, to name a file read again as before
ANSWERS_CACHE = ".answers.sqlite"  # each file's answers to the tables' and views' queries (graph/answer_cache.py)
REPORT_CSV = "load-report.csv"
REPORT_JSON = "load-report.json"
STAGING_PREFIX = ".staging-"
RETIRED_STORE = ".store-retired"
TRASH_PREFIX = ".replaced-"  # what a build replaced, deleted by a process of its own once it is published
GRAPH_MODEL_FILE = "graph-model"  # in the store's folder: the GRAPH_MODEL its graphs were made by (none: 1)
# made in a process of their own, beside the tables and the lineage view: in a refresh at 10,000
# documents, timed in both processes, the zones view takes 0.26 to 0.29 s and its page 0.2 s (its
# graph made while the store loads: views.read_early), the responsibility view with its page 0.36 to
# 0.53 s; beside them the tables 0.39 to 0.41 s, the lineage view 0.46 to 0.64 s
VIEWS_APART = ("responsibility", "zones")
APART_FROM_FILES = 1000  # from this many files, views made apart pay for starting a process (spawned: 0.6 s of CPU)
# from this many files to read, a build loads them in a process of its own: the build's process then
# makes the exports without what the load held (at 30,000 documents it went into the views at 587 MB)
LOAD_APART_FROM_FILES = 1000
# a build that wrote at least this share of its store's files, and this many quads, compacts the store
# (PolicyStore.compact) beside its exports: a refresh of one file never pays for it
COMPACT_SHARE = 0.1
COMPACT_FROM_QUADS = 100_000


@dataclass(frozen=True)
class BuildSummary:
    documents: int
    measures: int
    responsibilities: int
    agencies: int
    citations: int
    targets: int
    triples: int
    files: int
    failures: int
    load_seconds: float  # reading files into the store, citations resolved
    exports_seconds: float  # TriG, tables, views, load report; the store compacted beside them (a large batch)


def build(paths: Iterable[Path], out: Path, progress: Callable[[str], None] = lambda name: None,
          max_file_bytes: int = MAX_FILE_BYTES, workers: int = 1,
          waiting: Callable[[], None] = lambda: None) -> tuple[BuildSummary, LoadReport]:
    """Load ``paths`` into the store in ``out`` (adding to what it holds; a file loaded again replaces
    its named graph) and refresh every export there; ``workers`` processes parse the files. From
    :data:`LOAD_APART_FROM_FILES` files on, the load runs in a process of its own
    (:func:`~policykg.graph.corpus.load_corpus_apart`), so this one makes the exports without the
    load's high-water mark. Nothing in ``out`` is read, when it lies in a folder read; files are
    named from the folders builds into ``out`` read from (:func:`input_folders`). Another build or
    removal writing ``out`` is waited for (:func:`~.folder_lock.writing_alone`), ``waiting`` called
    first."""
    paths = list(paths)
    with writing_alone(out, waiting):
        folders = input_folders(out)
        apart = sum(1 for _ in find_input_files(paths, folders)) >= LOAD_APART_FROM_FILES
        load = load_corpus_apart if apart else load_corpus
        with _early_process_for_views(out) as process, staged(out) as (store, staging):
            started = time.perf_counter()
            report = load(paths, store, progress, max_file_bytes, workers, folders)
            loaded = time.perf_counter()
            with _compacted_beside(store, _is_large_batch(report, store)):
                agencies = write_exports(store, staging, out, workers, process)
            write_load_report(report, staging)
            _write_input_folders(folders.reading(paths), staging)
            summary = _summary(store, report, agencies, loaded - started, time.perf_counter() - loaded)
    return summary, report


def input_folders(out: Path) -> InputFolders:
    """What a build into ``out`` leaves out (``out`` itself) and names its files from: the folders
    its builds read from, earliest first, as :data:`READ_FROM_FILE` lists them."""
    path = out / READ_FROM_FILE
    try:
        named_from = json.loads(path.read_text(encoding="utf-8", errors="surrogateescape"))
    except FileNotFoundError:
        return InputFolders(out)
    except ValueError:
        named_from = None
    if not (isinstance(named_from, list) and all(isinstance(folder, str) for folder in named_from)):
        raise StoreError(f"{path}: not a JSON list of folders; delete it, and files are named from the folders given")
    return InputFolders(out, tuple(Path(folder) for folder in named_from))


def _write_input_folders(folders: InputFolders, staging: Path) -> None:
    """The folders a build into ``out`` names its files from, as :func:`input_folders` reads them."""
    (staging / READ_FROM_FILE).write_text(
        json.dumps([str(folder) for folder in folders.named_from], ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8", errors="surrogateescape")  # a folder's name not UTF-8 kept as its bytes


def _is_large_batch(report: LoadReport, store: PolicyStore) -> bool:
    """Whether a load wrote enough of the store to compact it: :data:`COMPACT_SHARE` of its files
    and :data:`COMPACT_FROM_QUADS` quads.

    >>> from rdflib import URIRef; from policykg.graph.corpus import FileOutcome
    >>> store = PolicyStore.open(None)
    >>> for n in range(20): store.replace_graph(URIRef(f"urn:f{n}"), [(URIRef("urn:s"), URIRef("urn:p"), URIRef("urn:o"))])
    >>> loaded = LoadReport([FileOutcome("a.txt", "loaded", triples=60_000), FileOutcome("b.txt", "failed")])
    >>> _is_large_batch(loaded, store)  # 1 of 20 files: 5%
    False
    >>> loaded.outcomes.append(FileOutcome("c.txt", "loaded-with-warnings", triples=60_000))
    >>> _is_large_batch(loaded, store)  # 2 of 20 files, 120,000 quads
    True
    """
    return (sum(o.triples for o in report.loaded) >= COMPACT_FROM_QUADS
            and len(report.loaded) >= COMPACT_SHARE * len(file_graphs(store)))


@contextmanager
def _compacted_beside(store: PolicyStore, wanted: bool) -> Iterator[None]:
    """When ``wanted``, the store compacted in a thread while the block runs (the exports, which
    read it: RocksDB merges its files under readers), and waited for after it. At 10,000 documents,
    in turn: the build 4% longer (447 against 430 s), one document added just after it 4.0 s
    rather than 4.5 to 5.1 s (BENCHMARKS.md)."""
    if not wanted:
        yield
        return
    store.write_buffered()  # here, not in the thread: the buffer is this thread's
    with ThreadPoolExecutor(max_workers=1) as beside:
        compaction = beside.submit(store.compact)
        yield
        compaction.result()


def remove(out: Path, source_files: Iterable[str], waiting: Callable[[], None] = lambda: None) -> list[str]:
    """Remove source files from the store in ``out``, each given by its name (as in the load report)
    or by a path to it, named as a build would name it (:func:`input_folders`); refresh the
    exports. Returns those of ``source_files`` that were there. When none was, nothing is written:
    the store and the exports stay as they were (at 10,000 documents, a name mistyped cost a
    refresh of 2 s). Another build or removal writing ``out`` is waited for, ``waiting`` called
    first."""
    given = list(source_files)
    with writing_alone(out, waiting):
        stored = _stored_names(out, given)
        if not stored:
            return []
        with _early_process_for_views(out) as process, staged(out) as (store, staging):
            remove_files(store, list(stored.values()))
            write_exports(store, staging, out, views_process=process)
        return list(stored)


def _stored_names(out: Path, given: Iterable[str]) -> dict[str, str]:
    """Those of the source files ``given`` whose graph the store in ``out`` holds, each with its name
    there: itself, or where it is a path to a file, the name a build gives that file (the store
    opened to read: 0.01 s)."""
    if not (out / STORE_DIR).is_dir():
        return {}
    folders = input_folders(out)
    stored = {}
    with closing(PolicyStore.open_read_only(out / STORE_DIR)) as store:
        for file in given:
            name = readable_path(file)
            if not store.holds_graph(file_iri(name)) and Path(file).is_file():
                ((_, name),) = find_input_files([Path(file)], folders)
            if store.holds_graph(file_iri(name)):
                stored[file] = name
    return stored


def write_exports(store: PolicyStore, folder: Path, previous: Path | None = None, workers: int = 1,
                  views_process: ProcessPoolExecutor | None = None) -> int:
    """Every export of a store into ``folder``: TriG, the tables, the views; returns how many
    agencies own a measure (:func:`_agency_count`). The tables and the views
    read the store file by file, their answers kept in the cache in ``previous``, the folder of the
    exports written before (:mod:`~policykg.graph.filewise`); the files not read before are read
    first, in ``workers`` processes, and the tables copy the rows of unchanged files from the
    tables there.

    The graph is joined by another process while the tables and views are made from the kept
    answers. From :data:`APART_FROM_FILES` files on, the views in :data:`VIEWS_APART` are made in a
    process of their own too, beside the tables and the other views: Python's work on two cores
    (beside each other in threads, they took longer than in turn). That process is
    ``views_process`` when given (started before the store was loaded: :func:`_early_process_for_views`),
    else spawned here.
    """
    store.write_buffered()
    cache = AnswerCache(previous / ANSWERS_CACHE) if previous else None
    try:
        answers = FileAnswers(store, TABLE_QUERIES + VIEW_QUERIES, cache, VIEW_GROUPED)
        apart = VIEWS_APART if cache and answers.file_count >= APART_FROM_FILES else ()
        with (_process_for_views(bool(apart) and views_process is None) as started,
              ThreadPoolExecutor(max_workers=2) as beside):
            process = started or (views_process if apart else None)
            answers.prepare(workers)
            graph = beside.submit(store.dump_trig, folder / GRAPH_FILE, previous / GRAPH_FILE if previous else None)
            views = beside.submit(_write_views_in_process, process, answers, apart, folder) if process else None
            write_tables(answers, folder, previous)
            write_renamings(store, folder)
            write_views(answers, [name for name in VIEWS if name not in apart], folder)
            if views:
                answers.note_asked(views.result())
            graph.result()
        agencies = _agency_count(answers, store)
        answers.prune(also=RESPONSIBILITY_QUERIES)  # asked by the audit and a network: kept for the files that stay
        return agencies
    finally:
        if cache:
            cache.close()


def _early_process_for_views(out: Path) -> ContextManager[ProcessPoolExecutor | None]:
    """A process to make views in, started before the store is loaded, when the exports in ``out``
    were made from as many files as make views worth making apart: a copy of this one where it is
    safe (:func:`_early_start`), else a new one that imports policykg meanwhile."""
    return _process_for_views(_kept_file_count(out) >= APART_FROM_FILES, _early_start(), out / ANSWERS_CACHE)


def _early_start() -> str:
    """How the early process for views starts: ``fork`` on Linux while this process runs no other
    Python thread (a lock one held would stay held in the copy), else ``spawn``. A copy costs no
    imports (0.4 s of CPU at every refresh of 10,000 documents, on a core the loading needs). It
    reads the answers' cache alone: threads a store runs in native code, not copied, are never
    waited for there."""
    return "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"


def _kept_file_count(out: Path) -> int:
    """How many source files the exports in ``out`` were made from, as their answers cache lists
    them; 0 when there is none. Read as the file lies (``immutable``): a reader of a cache in WAL
    mode would leave its shared-memory file beside it, in a folder a build killed before it
    publishes must leave as it was."""
    try:
        with closing(sqlite3.connect(f"{(out / ANSWERS_CACHE).resolve().as_uri()}?mode=ro&immutable=1", uri=True)) as db:
            return db.execute("SELECT COUNT(*) FROM file_names").fetchone()[0]
    except (sqlite3.Error, ValueError):
        return 0


@contextmanager
def _process_for_views(wanted: bool, start: str = "spawn", cache: Path | None = None
                       ) -> Iterator[ProcessPoolExecutor | None]:
    """A process to make views in, when ``wanted``, started at once by the ``multiprocessing``
    method ``start``: spawned, it imports policykg while this one loads the store and prepares the
    answers. Given the answers' ``cache`` of the exports before, it reads what it will need of it
    meanwhile too (:func:`read_early`)."""
    if not wanted:
        yield None
        return
    process = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(start),
                                  initializer=read_early, initargs=(cache,))
    try:
        process.submit(importlib.import_module, write_views_apart.__module__)
        yield process
    finally:  # waited for: a copy exits at once (0.01 s); Python exiting beside the thread of a
        # pool shut down unwaited could find its wake-up pipe closed under it and print a traceback
        process.shutdown(cancel_futures=True)


def _write_views_in_process(process: ProcessPoolExecutor, answers: FileAnswers, names: tuple[str, ...],
                            folder: Path) -> set[str]:
    """:func:`write_views_apart` in ``process``; made here if that process dies."""
    try:
        return process.submit(write_views_apart, answers.prepared(), names, folder).result()
    except BrokenProcessPool:
        write_views(answers, names, folder)
        return answers.asked


def write_load_report(report: LoadReport, out: Path) -> None:
    """Every input file with its status and reason, as CSV (for people) and JSON (for programs)."""
    rows = [asdict(outcome) for outcome in report.outcomes]
    columns = list(rows[0]) if rows else ["path", "status", "reason"]
    with (out / REPORT_CSV).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    (out / REPORT_JSON).write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@contextmanager
def staged(out: Path) -> Iterator[tuple[PolicyStore, Path]]:
    """A writable copy of ``out``'s store and a folder for exports; published only on success. The
    copy writes its TriG bodies beside the store's own, which are never rewritten (see
    :meth:`PolicyStore.checkpoint`): they move into the copy as it is published. Then the bodies
    it replaced or removed are deleted; every body no graph has, after a build cut short or failed
    (what it wrote there)."""
    out.mkdir(parents=True, exist_ok=True)
    with changing_store(out):
        cut_short = recover(out)
    if (out / STORE_DIR).is_dir():
        _check_graph_model(out / STORE_DIR)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    bodies = None
    published = False
    try:
        if (out / STORE_DIR).is_dir():
            with changing_store(out):  # opened to write, the store lists its files anew
                existing = PolicyStore.open(out / STORE_DIR)
                existing.checkpoint(staging / STORE_DIR)
                existing.close()
            bodies = out / STORE_DIR / TRIG_DIR
        store = PolicyStore.open(staging / STORE_DIR, bodies)
        (staging / STORE_DIR / GRAPH_MODEL_FILE).write_text(f"{GRAPH_MODEL}\n", encoding="utf-8")
        yield store, staging
        store.close()  # before its folder moves: see PolicyStore.close
        with changing_store(out):
            _publish(staging, out)
        published = True
        sweep_bodies(out / STORE_DIR, None if cut_short else store.dropped_bodies())
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if bodies and not published:
            sweep_bodies(out / STORE_DIR)


def _check_graph_model(store: Path) -> None:
    """Raise :class:`StoreError` unless the graphs in the store at ``store`` were made as this
    version makes them: added to, the store would hold graphs of two kinds, and the exports would
    read the older ones wrong."""
    marker = store / GRAPH_MODEL_FILE
    model = int(marker.read_text(encoding="utf-8")) if marker.is_file() else 1
    if model != GRAPH_MODEL:
        raise StoreError(f"{store} holds graphs made by another version of policykg (graph model {model}, this "
                         f"version makes {GRAPH_MODEL}): build into a new folder, or delete this one first")


def recover(out: Path) -> bool:
    """Put right what a killed build left: staging folders, and a store swap cut in the middle; what
    a build replaced and did not get to delete is deleted again, apart. Returns whether a build
    was cut short."""
    leftovers = list(out.glob(f"{STAGING_PREFIX}*"))
    for leftover in leftovers:
        shutil.rmtree(leftover, ignore_errors=True)
    for replaced in out.glob(f"{TRASH_PREFIX}*"):
        remove_apart(replaced)
    retired = out / RETIRED_STORE
    swap_cut = retired.is_dir()
    if swap_cut:
        if (out / STORE_DIR).is_dir():
            _move_bodies(retired, out / STORE_DIR)
            shutil.rmtree(retired)
        else:
            os.rename(retired, out / STORE_DIR)
    return bool(leftovers) or swap_cut


def _publish(staging: Path, out: Path) -> None:
    """Move the staged exports and store into ``out``, each by a rename or a swap, so that a reader
    sees the old file or the new one. What they replace goes to a folder deleted apart
    (:func:`remove_apart`): a file swapped out moves there, and one renamed over keeps a hard link
    there, so that nothing is freed here. The graph.trig replaced is kept as the spare the next
    refresh edits into its own (:meth:`~policykg.graph.store.PolicyStore.dump_trig`), where the
    file system can move its blocks (:func:`~policykg.graph.inplace.moves_blocks`)."""
    replaced = Path(tempfile.mkdtemp(prefix=TRASH_PREFIX, dir=out))
    spare = trig_spare_path(out / GRAPH_FILE)
    if spare.exists():  # not edited into the new graph.trig: replaced by the graph.trig before it
        os.rename(spare, replaced / spare.name)
    kept_spare = spare if moves_blocks(out) else replaced / GRAPH_FILE
    for path in sorted(staging.iterdir()):
        if path.name != STORE_DIR:
            _put_in_place(path, out / path.name, kept_spare if path.name == GRAPH_FILE else replaced / path.name)
    if (out / STORE_DIR).is_dir():
        os.rename(out / STORE_DIR, out / RETIRED_STORE)
    os.rename(staging / STORE_DIR, out / STORE_DIR)
    if (out / RETIRED_STORE).is_dir():
        _move_bodies(out / RETIRED_STORE, out / STORE_DIR)
        os.rename(out / RETIRED_STORE, replaced / STORE_DIR)
    if any(replaced.iterdir()):
        remove_apart(replaced)
    else:  # a first build replaced nothing
        replaced.rmdir()


def _move_bodies(retired: Path, store: Path) -> None:
    """The TriG bodies a retired store shared with the store that replaced it, into that store."""
    if (retired / TRIG_DIR).is_dir() and not (store / TRIG_DIR).exists():
        os.rename(retired / TRIG_DIR, store / TRIG_DIR)


def _put_in_place(new: Path, path: Path, trash: Path) -> None:
    """``new`` at ``path``, what was there moved to ``trash``: swapped where the system can
    (:func:`swap`: no waiting for the disk), else renamed over, linked to ``trash`` first."""
    if swap(new, path):
        os.rename(new, trash)
        return
    try:
        os.link(path, trash)
    except OSError:  # no such file, or no hard links here: the rename over it frees it, as it may
        pass
    os.replace(new, path)


def _agency_count(answers: FileAnswers, store: PolicyStore) -> int:
    """How many agencies own a measure: as many as the responsibility view ranked, where the
    ranking is kept (:func:`~policykg.graph.load.corpus_load`; read once the views are made, it is
    up to date), else counted in the store (0.3 s of CPU at 10,000 documents, beside the exports:
    0.13 s of a refresh)."""
    if answers.cache:
        return len(corpus_load(answers).agencies)
    (agencies,) = next(store.rows(SPARQL_PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?r pkg:agent ?a }"))
    return int(agencies)


def _summary(store: PolicyStore, report: LoadReport, agencies: int, load_seconds: float,
             exports_seconds: float) -> BuildSummary:
    return BuildSummary(
        documents=report.total("documents"),
        measures=report.total("measures"),
        responsibilities=report.total("responsibilities"),
        agencies=agencies,
        citations=report.total("citations"),
        targets=report.total("targets"),
        triples=store.triple_count(),
        files=len(report.outcomes),
        failures=len(report.failures),
        load_seconds=load_seconds,
        exports_seconds=exports_seconds,
    )
