"""How policykg scales, measured on synthetic corpora beside rdflib's in-memory store.

    python -m policykg.exports.benchmark --sizes 100,1000,10000 --work bench [--baseline-max 1000]

For each size N a corpus of N documents is generated (:mod:`policykg.loaders.synthetic`), then every
measurement runs in a process of its own, so that its peak memory is its own:

- ``build``: ``policykg build`` end to end (store, then every export), with the time of each part;
  documents/s, MB of source/s, triples/s, peak memory, store size on disk;
- ``queries``: each library query ``--repeats`` times on the store: median and p95 latency (a query
  with optional parameters twice: without them and with them);
- ``traces``: each of ``policykg trace``'s look-ups (an agency's measures and targets, a measure's
  owners, a zone's mentions) ``--repeats`` times, for the values the library queries take;
- ``analyses``: responsibility centrality and one document's lineage, views included;
- ``update``: one document added, replaced and removed in the store, then added and removed as
  ``policykg build`` and ``policykg remove`` do, the exports refreshed (the largest and middle N);
- ``refresh``: the same addition and removal by the ``policykg`` command, as users run it (Python
  started and policykg imported each time, from its modules compiled as an install compiles them),
  ``--refresh-runs`` times in turn, then ``--cold-runs`` times with the store's and the exports' files
  out of the page cache first (as on a store not read lately): wall and CPU seconds and the MB read
  from storage, beside the full build of that corpus it spares;
- ``rdflib`` (N ≤ ``--baseline-max``): the same parsed graphs into rdflib's in-memory ``Dataset``
  and the auditor queries on it (the others take minutes each there from 1,000 documents);
- ``workers`` (N = the middle size): loading with 1 and with 2 parsing processes, and whether the
  two stores hold the same quads.

Apart, ``python -m policykg.exports.benchmark store-writes OUT`` times the store's bulk writes alone:
the quads of a built store loaded again into fresh stores, in loads of each ``--batches`` count of
quads (:data:`~policykg.graph.store.WRITE_BATCH` is policykg's), the sizes in turn, and the SST
files each store is left in. ``python -m policykg.exports.benchmark stages CORPUS`` times each stage
of a load alone on a corpus's first files (parsing, the graphs, N-Quads, TriG bodies, the store's
writes): the CPU a core spends per MB of source, which bounds the MB/s a machine's cores can load.

The results go to ``WORK/results.json`` (after each measurement) and a Markdown report to standard
output, led by each target's verdict (:mod:`.scale_targets`); ``python -m policykg.exports.benchmark
report --work WORK`` prints it again.
"""
from __future__ import annotations

import compileall
import hashlib
import importlib.util
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from functools import partial
from importlib.metadata import version
from itertools import chain, islice
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple

import click
import pyoxigraph as ox

from policykg.graph.analysis import Lineage, find_documents, lineage, responsibility_centrality
from policykg.graph.build import build_file_graph
from policykg.graph.corpus import find_input_files, load_corpus, remove_files
from policykg.graph.library import list_queries, load_query
from policykg.graph.links import build_links, citation_records
from policykg.graph.load import co_responsibility_graph
from policykg.graph.resolve import DocumentResolver
from policykg.graph.store import STORE_DIR, TRIG_DIR, WRITE_BATCH, PolicyStore, bulk_load
from policykg.graph.trig import trig_body
from policykg.graph.views import citation_graph
from policykg.loaders.errors import LoadError
from policykg.loaders.pipeline import read_source_file
from policykg.loaders.records import SourceFile
from policykg.loaders.synthetic import TRUTH_FILE, CorpusPlan, write_corpus

from .analyze import AUDIT_QUERIES, orphans_table
from .build import ANSWERS_CACHE, build, remove
from .page_cache import evict
from .process_memory import TreeMemoryPeak
from .query import open_built_answers
from .scale_targets import is_auditor_sample, targets_table, times_faster
from .trace import trace_agency, trace_measure, trace_targets, trace_zone

PACKAGES = ("policykg.loaders", "policykg.ontology", "policykg.graph", "policykg.exports")  # what pip installs
# before each command of the refresh phase: what the one before left to the system (its detached
# deletion of what it replaced, the disk's writeback) is done, as between a user's commands
COMMAND_PAUSE_S = 3.0
BLOCK_BYTES = 512  # the unit of a process's reads from storage in its resource usage (ru_inblock)
RDFLIB_CAP_S = 300.0  # rdflib's measures-of-agency took 8 s on 100 documents; a run past this is stopped


def corpus_files(corpus: Path) -> list[tuple[Path, str]]:
    """``(path, name)`` of a generated corpus's source files, in name order, its truth file aside."""
    return [(path, name) for path, name in find_input_files([corpus]) if path.name != TRUTH_FILE]


def corpus_size(corpus: Path) -> tuple[int, float]:
    """Files and megabytes of source in a generated corpus (its truth file aside)."""
    files = [path for path, _ in corpus_files(corpus)]
    return len(files), sum(p.stat().st_size for p in files) / 1e6


def query_parameters(corpus: Path) -> dict[str, dict[str, str]]:
    """Parameters for the library's queries, taken from what the corpus holds (its last document, and
    the first zone of the last document naming one, told which industries to focus on). The truth
    file is read from its end, as far as they are found: read whole, that of 100,000 documents (449
    MB) took a query's process to 3.4 GB."""
    documents = (document for line in _lines_from_the_end(corpus / TRUTH_FILE)
                 for document in reversed(json.loads(line)["documents"]))
    document = next(documents)
    zone = next(d for d in chain([document], documents) if d["zones"])["zones"][0]
    industry = zone["industries"][0]
    owned = next(m for m in document["measures"] if m["owners"])
    basis = next(c for c in document["citations"] if c["basis"])
    agency = next(o["name"] for m in document["measures"] for o in m["owners"] if not o["name"].startswith("各"))
    return {
        # one department, named as in every province (or city) alike; its jurisdiction: the document's
        "measures-of-agency": {"agency": agency, "jurisdiction": document["jurisdiction"]},
        "measures-without-owner": {"jurisdiction": document["jurisdiction"]},
        "agencies-of-measure": {"document": document["title"], "measure_id": owned["measure_id"]},
        "documents-implementing": {"number": basis["doc_number"]},
        "lineage-paths": {"document": document["title"]},
        "zones-by-industry": {"industry": industry},
        "zone-mentions": {"zone": zone["name"]},
        "targets": {"jurisdiction": document["jurisdiction"]},
        "targets-of-agency": {"agency": agency, "jurisdiction": document["jurisdiction"]},
    }


def _lines_from_the_end(path: Path, block: int = 1 << 20) -> Iterator[bytes]:
    r"""The lines of ``path`` that hold something, the last first, read a block at a time from its end.

    >>> import tempfile; folder = Path(tempfile.mkdtemp()); _ = (folder / "t").write_bytes(b"ab\ncdef\n\ng\n")
    >>> list(_lines_from_the_end(folder / "t", block=3))
    [b'g', b'cdef', b'ab']
    >>> import shutil; shutil.rmtree(folder)
    """
    with path.open("rb") as handle:
        end = handle.seek(0, os.SEEK_END)
        cut = b""  # the end of a line whose start lies in the block before
        while end > 0:
            start = max(0, end - block)
            handle.seek(start)
            lines = (handle.read(end - start) + cut).split(b"\n")
            cut = lines.pop(0) if start else b""  # its start is in the block before
            yield from (line for line in reversed(lines) if line)
            end = start


def query_samples(corpus: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """What the ``queries`` phase runs, by label: each library query with its required parameters,
    and one with optional parameters once more with them (``measures-of-agency with jurisdiction``)."""
    parameters = query_parameters(corpus)
    samples = {}
    for query in list_queries():
        given = parameters.get(query.name, {})
        samples[query.name] = (query.name, {k: v for k, v in given.items() if k not in query.optional})
        if query.optional:
            samples[f"{query.name} with {', '.join(query.optional)}"] = (query.name, given)
    return samples


def trace_samples(corpus: Path) -> dict[str, tuple[str, ...]]:
    """What the ``traces`` phase runs, by label: each ``policykg trace`` command with the values the
    library queries take (:func:`query_parameters`): the agency of measures-of-agency, the measure of
    agencies-of-measure, the zone of zone-mentions."""
    parameters = query_parameters(corpus)
    agency, measure = parameters["measures-of-agency"]["agency"], parameters["agencies-of-measure"]
    return {"trace agency": ("agency", agency), "trace targets": ("targets", agency),
            "trace measure": ("measure", measure["document"], measure["measure_id"]),
            "trace zone": ("zone", parameters["zone-mentions"]["zone"])}


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


class QueryTimeout(Exception):
    """A baseline query ran past its cap."""


def _latencies(run: Callable[[], list], repeats: int, budget_s: float = 30.0,
               cap_s: float | None = None) -> dict[str, float]:
    """Rows, median and p95 over ``repeats`` runs, or fewer (one at least) once they take ``budget_s``.

    With ``cap_s``, a first run still going after that many seconds is stopped (by an alarm signal:
    for queries evaluated in Python, as rdflib's are) and the result says so: ``capped_s``, no runs.
    """
    times: list[float] = []
    if cap_s is not None:
        try:
            with _alarm(cap_s):
                elapsed, rows = _timed(run)
        except QueryTimeout:
            return {"rows": 0, "runs": 0, "capped_s": cap_s}
        times.append(elapsed * 1000)
    while len(times) < repeats and sum(times) < budget_s * 1000:
        elapsed, rows = _timed(run)
        times.append(elapsed * 1000)
    times.sort()
    return {"rows": len(rows), "runs": len(times), "median_ms": statistics.median(times),
            "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))]}


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def stop(signum: int, frame: object) -> None:
        raise QueryTimeout()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _size_mb(path: Path) -> float:
    """A file's size, or the size of every file under a folder (the SQLite cache with its WAL)."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6
    return sum(p.stat().st_size for p in path.parent.glob(f"{path.name}*") if p.is_file()) / 1e6


# --- the measurements; each runs in its own process (see ``phase``)

def _cpu_seconds(*whose: int) -> float:
    """User and system CPU seconds of ``resource.RUSAGE_SELF`` (this process, its threads included)
    or ``RUSAGE_CHILDREN`` (the processes it started that have ended and been waited for), summed."""
    return sum(map(_cpu_of, map(resource.getrusage, whose)))


def _cpu_of(usage: resource.struct_rusage) -> float:
    """User and system CPU seconds of one resource usage."""
    return usage.ru_utime + usage.ru_stime


def measure_build(corpus: Path, out: Path, workers: int) -> dict[str, Any]:
    """``policykg build`` end to end; ``cpu_s`` counts the parsing processes and the exports' too."""
    shutil.rmtree(out, ignore_errors=True)
    cpu_before = _cpu_seconds(resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    summary, _ = build([corpus], out, workers=workers)
    return {"load_s": summary.load_seconds, "exports_s": summary.exports_seconds,
            "wall_s": summary.load_seconds + summary.exports_seconds, "triples": summary.triples,
            "cpu_s": _cpu_seconds(resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) - cpu_before,
            "documents": summary.documents, "failed": summary.failures,
            "store_mb": _size_mb(out / STORE_DIR), "bodies_mb": _size_mb(out / STORE_DIR / TRIG_DIR),
            "cache_mb": _size_mb(out / ANSWERS_CACHE), "peak_mb": _peak_mb()}


def measure_queries(out: Path, corpus: Path, repeats: int, only: str | None = None) -> dict[str, Any]:
    """The latencies of every sample of :func:`query_samples`, or of the one labelled ``only``."""
    store = PolicyStore.open_read_only(out / STORE_DIR)
    results = {}
    for label, (name, parameters) in query_samples(corpus).items():
        if only is not None and label != only:
            continue
        query = load_query(name)
        bindings = query.bindings(parameters)
        results[label] = _latencies(lambda: list(store.rows(query.text, bindings)), repeats)
    return results


def measure_traces(out: Path, corpus: Path, repeats: int) -> dict[str, Any]:
    """The latencies of each look-up of :func:`trace_samples`, its rows those of the command's table."""
    store = PolicyStore.open_read_only(out / STORE_DIR)
    tracers: dict[str, Callable[..., Any]] = {"agency": trace_agency, "targets": trace_targets, "measure": trace_measure,
                                              "zone": trace_zone}
    return {label: _latencies(partial(_table_rows, tracers[command], store, *values), repeats)
            for label, (command, *values) in trace_samples(corpus).items()}


def _table_rows(trace: Callable[..., tuple[list[str], list]], *arguments: Any) -> list:
    return trace(*arguments)[1]


def measure_analyses(out: Path, corpus: Path) -> dict[str, Any]:
    """Centrality, one document's lineage and the audit findings (``orphans``), read as ``policykg
    analyze`` reads them; the findings twice: first answering each file's measures and owners from
    its TriG body (a build does not keep them), then from what that kept."""
    store = open_built_answers(out)
    title = query_parameters(corpus)["lineage-paths"]["document"]

    def trace_lineage() -> Lineage:
        citations = citation_graph(store)
        return lineage(citations, find_documents(citations, title)[0])

    def audit() -> object:
        return orphans_table(open_built_answers(out, AUDIT_QUERIES, grouped=()))

    centrality_s, _ = _timed(lambda: responsibility_centrality(co_responsibility_graph(store)))
    lineage_s, found = _timed(trace_lineage)
    audit_s, _ = _timed(audit)
    audit_kept_s, _ = _timed(audit)
    return {"centrality_s": centrality_s, "lineage_s": lineage_s, "lineage_levels": len(found.chain),
            "audit_s": audit_s, "audit_kept_s": audit_kept_s, "peak_mb": _peak_mb()}


def measure_update(out: Path, extra: Path) -> dict[str, Any]:
    """Add, replace and remove one document: in the store alone, then as ``policykg build`` and
    ``policykg remove`` do, with the exports refreshed."""
    ((_, name),) = corpus_files(extra)
    path = extra / name
    store = PolicyStore.open(out / STORE_DIR)

    def flushed(change: Callable[[], object]) -> float:
        """Seconds for a change of the store, its writes flushed."""
        started = time.perf_counter()
        change()
        store.flush()
        return time.perf_counter() - started

    add_s = flushed(lambda: load_corpus([path], store))
    path.write_bytes(path.read_bytes() + b"\n")  # a changed file (in whatever encoding it is)
    replace_s = flushed(lambda: load_corpus([path], store))
    remove_s = flushed(lambda: remove_files(store, [name]))
    store.close()
    add_with_exports_s, _ = _timed(lambda: build([path], out))
    remove_with_exports_s, _ = _timed(lambda: remove(out, [name]))
    return {"add_s": add_s, "replace_s": replace_s, "remove_s": remove_s, "add_with_exports_s": add_with_exports_s,
            "remove_with_exports_s": remove_with_exports_s}


def measure_refresh(out: Path, extra: Path, runs: int, cold_runs: int = 0, pause_s: float = COMMAND_PAUSE_S
                    ) -> dict[str, Any]:
    """One document added (``policykg build FILE --out OUT``) and removed (``policykg remove OUT
    FILE``) by the command, ``runs`` times in turn, a pause of ``pause_s`` before each; then
    ``cold_runs`` times more, each command with OUT's files out of the page cache first
    (:func:`~.page_cache.evict`), as on a store not read lately. For each command, its wall and CPU
    seconds (its CPU and that of the processes it waited for) and the MB they read from storage."""
    ((_, name),) = corpus_files(extra)
    commands = {"add": ["build", str(extra / name), "--out", str(out)], "remove": ["remove", str(out), name]}
    compile_policykg()
    timed: dict[str, list[CommandRun]] = {}
    for series, count in (("", runs), ("cold_", cold_runs)):
        for _ in range(count):
            for action, arguments in commands.items():
                time.sleep(pause_s)
                if series:
                    evict(out)
                timed.setdefault(series + action, []).append(_command_run(arguments))
    return {key: {field: [getattr(run, field) for run in times] for field in CommandRun._fields}
            for key, times in timed.items()}


def compile_policykg() -> list[Path]:
    """Compile policykg's modules to bytecode, as ``pip install`` does, for the commands timed to
    read them as an installed policykg's would; returns the folders. Where Python may not write
    bytecode as it imports (``PYTHONDONTWRITEBYTECODE``, set on the benchmark's host) and policykg
    runs from its source folder (``pip install -e``), each command compiled all of them again:
    0.065 s of a refresh at 10,000 documents (the median of six runs each way)."""
    folders = [Path(folder) for package in PACKAGES for folder in _package_folders(package)]
    for folder in folders:
        compileall.compile_dir(folder, quiet=2)
    return folders


def _package_folders(package: str) -> list[str]:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{package} is not installed")
    return list(spec.submodule_search_locations)


class CommandRun(NamedTuple):
    """One ``policykg`` command, timed: wall and CPU seconds, and the MB it read from storage."""

    wall_s: float
    cpu_s: float
    read_mb: float


def _command_run(arguments: list[str]) -> CommandRun:
    """One ``policykg`` command, in a Python of its own: its CPU and reads are those of the
    processes it waited for, itself included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall_s, done = _timed(lambda: subprocess.run([sys.executable, "-m", "policykg.exports.cli", *arguments],
                                                 capture_output=True, text=True, stdin=subprocess.DEVNULL))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise RuntimeError(f"policykg {' '.join(arguments)} failed: {done.stderr.strip()[-2000:]}")
    read_mb = (after.ru_inblock - before.ru_inblock) * BLOCK_BYTES / 1e6
    return CommandRun(wall_s, _cpu_of(after) - _cpu_of(before), read_mb)


def measure_rdflib(corpus: Path, repeats: int, cap_s: float = RDFLIB_CAP_S) -> dict[str, Any]:
    """The baseline: the same graphs into rdflib's in-memory ``Dataset``, and the same queries on it
    (a query's first run stopped after ``cap_s``)."""
    from rdflib import Dataset

    dataset = Dataset(default_union=True)

    def load() -> int:
        resolver, citations = DocumentResolver(), []
        for path, name in find_input_files([corpus]):
            try:
                source = read_source_file(path, name)
            except LoadError:
                continue
            built = build_file_graph(source, resolver)
            dataset.parse(data=built.nquads(), format="nquads")
            citations.extend(citation_records(source, resolver))
        for links, triples in build_links(citations, resolver).items():
            dataset.addN((s, p, o, dataset.graph(links)) for s, p, o in triples)
        return len(dataset)

    load_s, triples = _timed(load)
    queries = {}
    for label, (name, parameters) in query_samples(corpus).items():
        if not is_auditor_sample(label):  # the others take minutes each on rdflib from 1,000 documents
            continue
        query = load_query(name)
        bindings = query.bindings(parameters)
        queries[label] = _latencies(lambda: list(dataset.query(query.portable_text, initBindings=bindings)), repeats,
                                    cap_s=cap_s)
    return {"load_s": load_s, "triples": triples, "peak_mb": _peak_mb(), "queries": queries}


def measure_workers(corpus: Path, work: Path, workers: int) -> dict[str, Any]:
    folder = work / f"workers-{workers}"
    shutil.rmtree(folder, ignore_errors=True)
    store = PolicyStore.open(folder)
    load_s, _ = _timed(lambda: load_corpus([corpus], store, workers=workers))
    quads = sorted(store.dump_nquads().splitlines())
    return {"load_s": load_s, "quads": len(quads), "digest": hashlib.sha256("\n".join(quads).encode()).hexdigest(),
            "peak_mb": _peak_mb()}


def measure_store_writes(nquads: Path, work: Path, batch: int) -> dict[str, Any]:
    """The N-Quads file ``nquads`` into a fresh store, in bulk loads of ``batch`` quads (lines), as
    :class:`PolicyStore` writes a load: wall time, CPU time (Oxigraph's threads included)
    and peak memory, the file's reading included; and the SST files the store is left in (the more,
    the slower its reads)."""
    folder = work / "store-writes"
    shutil.rmtree(folder, ignore_errors=True)
    store = ox.Store(str(folder))
    started, cpu = time.perf_counter(), time.process_time()
    loads = 0
    for text in _chunks_of_lines(nquads, batch):
        bulk_load(store, [text], ox.RdfFormat.N_QUADS)
        loads += 1
    wall_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu
    quads = len(store)
    del store
    sst_files = len(list(folder.glob("*.sst")))
    shutil.rmtree(folder, ignore_errors=True)
    return {"batch": batch, "loads": loads, "quads": quads, "wall_s": wall_s, "cpu_s": cpu_s, "peak_mb": _peak_mb(),
            "sst_files": sst_files}


def _chunks_of_lines(path: Path, lines: int) -> Iterator[str]:
    """The text of ``path`` in pieces of ``lines`` lines (the last may have fewer)."""
    with path.open(encoding="utf-8", newline="") as handle:
        while chunk := "".join(islice(handle, lines)):
            yield chunk


def measure_stages(corpus: Path, work: Path, files: int) -> dict[str, Any]:
    """The CPU seconds of each stage of a load, on the corpus's first ``files`` files, the stages one
    after the other in this one process: reading and parsing the files (:mod:`policykg.loaders`),
    their graphs (:func:`~policykg.graph.build.build_file_graph`), as N-Quads, as TriG bodies
    (:func:`~policykg.graph.trig.trig_body`), then all of it written to a fresh store as a load
    writes it (:meth:`PolicyStore.replace_graph_body`, flushed; Oxigraph's threads included). Per
    MB of source, their sum is what a core spends loading it, parsing processes and store alike."""
    paths = corpus_files(corpus)[:files]
    cpu: dict[str, float] = {}

    def stage(name: str, work_done: Callable[[], Any]) -> Any:
        started = time.process_time()
        result = work_done()
        cpu[name] = time.process_time() - started
        return result

    sources = stage("parse", lambda: [source for path, name in paths if (source := _read_or_none(path, name))])
    resolver = DocumentResolver()
    graphs = stage("rdf", lambda: [build_file_graph(source, resolver) for source in sources])
    texts = stage("nquads", lambda: [graph.nquads() for graph in graphs])
    bodies = stage("trig", lambda: [trig_body(text) for text in texts])
    folder = work / "stages-store"
    shutil.rmtree(folder, ignore_errors=True)
    store = PolicyStore.open(folder)

    def write() -> None:
        for graph, body in zip(graphs, bodies):
            store.replace_graph_body(graph.name, body)
        store.flush()

    stage("store", write)
    quads = sum(body.quads for body in bodies)
    store.close()
    shutil.rmtree(folder, ignore_errors=True)
    return {"files": len(paths), "parsed": len(sources), "mb": sum(path.stat().st_size for path, _ in paths) / 1e6,
            "quads": quads, "cpu_s": cpu}


def _read_or_none(path: Path, name: str) -> SourceFile | None:
    try:
        return read_source_file(path, name)
    except LoadError:  # a file a build reports failed or skipped: no stage after reading it
        return None


PHASES: dict[str, Callable[..., dict[str, Any]]] = {
    "build": measure_build, "queries": measure_queries, "traces": measure_traces, "analyses": measure_analyses,
    "update": measure_update, "refresh": measure_refresh, "rdflib": measure_rdflib, "workers": measure_workers,
    "store-writes": measure_store_writes, "stages": measure_stages}


def run_phase(phase: str, **arguments: Any) -> dict[str, Any]:
    """One measurement in a fresh process; its JSON answer, with ``tree_peak_mb``: the most memory
    that process and those it started held at once (:class:`TreeMemoryPeak`, sampled from here)."""
    encoded = json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in arguments.items()})
    click.echo(f"  {phase} {encoded}", err=True)
    command = [sys.executable, "-m", "policykg.exports.benchmark", "phase", phase, encoded]
    with (subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as done,
          TreeMemoryPeak(done.pid) as peak):
        stdout, stderr = done.communicate()
    if done.returncode:
        raise click.ClickException(f"the {phase} measurement failed:\n{stderr[-2000:]}")
    return json.loads(stdout.strip().splitlines()[-1]) | {"tree_peak_mb": peak.mb}


def each_query_apart(out: Path, corpus: Path, repeats: int) -> dict[str, Any]:
    """Each sample's latencies in a process of its own: run after a heavy query in one process (the
    alphabet put agencies-co-owning first), one jurisdiction's measures-of-agency at 10,000
    documents took 64 to 68 ms, against 44 ms alone."""
    return {label: run_phase("queries", out=out, corpus=corpus, repeats=repeats, only=label)[label]
            for label in query_samples(corpus)}


# --- the report

def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory_gib": f"{memory:.0f}", "python": platform.python_version(),
            "pyoxigraph": version("pyoxigraph"), "rdflib": version("rdflib")}


def _baseline_cell(theirs: dict[str, float], ours_ms: float) -> str:
    times, at_least = times_faster(theirs, ours_ms)
    if at_least:
        return f"stopped after {theirs['capped_s']:.0f} s: over {times:.0f}x"
    return f"{theirs['median_ms']:.0f} / {theirs['p95_ms']:.0f} ({theirs['runs']} runs): {times:.0f}x"


def peak_cell(measured: dict[str, Any]) -> str:
    """A measurement's peak memory: its largest process's, and that of all its processes together
    where it was sampled (:func:`run_phase`; not before it was).

    >>> peak_cell({"peak_mb": 527.3, "tree_peak_mb": 741.5}), peak_cell({"peak_mb": 527.3})
    ('527 (742)', '527')
    """
    tree = f" ({measured['tree_peak_mb']:,.0f})" if "tree_peak_mb" in measured else ""
    return f"{measured['peak_mb']:,.0f}{tree}"


def markdown(results: dict[str, Any]) -> str:
    lines = [f"Machine: {results['machine']['cpu']}, {results['machine']['cores']} cores, "
             f"{results['machine']['memory_gib']} GiB; Python {results['machine']['python']}, pyoxigraph "
             f"{results['machine']['pyoxigraph']}, rdflib {results['machine']['rdflib']}.", "",
             *targets_table(results), "",
             "| documents | MB | build s (load + exports) | docs/s | MB/s | CPU s per MB | triples/s | peak MB (all processes) "
             "| store MB (TriG bodies; answers cache beside) | rdflib load s | rdflib peak MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for size in results["sizes"]:
        build, base = size["build"], size.get("rdflib")
        baseline = f"{base['load_s']:.1f} | {base['peak_mb']:,.0f}" if base else "- | -"
        cpu = f"{build['cpu_s'] / size['mb']:.2f}" if "cpu_s" in build else "-"  # not measured before it was
        lines.append(
            f"| {size['documents']:,} | {size['mb']:.1f} | {build['wall_s']:.1f} ({build['load_s']:.1f} + "
            f"{build['exports_s']:.1f}) | {size['documents'] / build['wall_s']:.1f} | {size['mb'] / build['wall_s']:.2f} "
            f"| {cpu} | {build['triples'] / build['load_s']:,.0f} | {peak_cell(build)} | {build['store_mb']:,.0f} "
            f"({build.get('bodies_mb', 0):,.0f}; {build.get('cache_mb', 0):,.0f}) | {baseline} |")
    lines += ["", "Query latency, median / p95 in ms (rows), policykg store vs rdflib in memory:", "",
              "| query | " + " | ".join(f"{s['documents']:,} docs" for s in results["sizes"]) + " |",
              "|---|" + "---|" * len(results["sizes"])]
    for label in results["sizes"][0]["queries"]:
        cells = []
        for size in results["sizes"]:
            ours = size["queries"][label]
            cell = f"{ours['median_ms']:.1f} / {ours['p95_ms']:.1f} ({ours['rows']} rows, {ours['runs']} runs)"
            if label in size.get("rdflib", {}).get("queries", {}):
                cell += "; rdflib " + _baseline_cell(size["rdflib"]["queries"][label], ours["median_ms"])
            cells.append(cell)
        lines.append(f"| {label}{' (auditor)' if is_auditor_sample(label) else ''} | " + " | ".join(cells) + " |")
    lines += traces_table(results["sizes"])
    lines += ["", "| documents | centrality s | lineage s | audit findings s (kept) | peak MB (all processes) |", "|---|---|---|---|---|"]
    lines += [f"| {s['documents']:,} | {s['analyses']['centrality_s']:.1f} | {s['analyses']['lineage_s']:.1f} | "
              f"{s['analyses']['audit_s']:.1f} ({s['analyses']['audit_kept_s']:.1f}) | {peak_cell(s['analyses'])} |"
              for s in results["sizes"]]
    for count, update in results.get("update", {}).items():
        line = (f"One document on the {int(count):,}-document store: added {update['add_s']:.2f} s, replaced "
                f"{update['replace_s']:.2f} s, removed {update['remove_s']:.2f} s (store and links); with the "
                f"exports refreshed: added {update['add_with_exports_s']:.1f} s, removed "
                f"{update['remove_with_exports_s']:.1f} s")
        lines += ["", line + "."]
    sizes = {str(size["documents"]): size for size in results["sizes"]}
    for count, refresh in results.get("refresh", {}).items():
        lines += ["", refresh_line(int(count), refresh, sizes[count]["build"]["wall_s"])]
    if results.get("workers"):
        one, two = results["workers"]["1"], results["workers"]["2"]
        lines += ["", f"Loading {results['workers']['documents']:,} documents: 1 worker {one['load_s']:.1f} s, 2 workers "
                  f"{two['load_s']:.1f} s ({one['load_s'] / two['load_s']:.2f}x); the same quads: "
                  f"{'yes' if one['digest'] == two['digest'] else 'NO'} ({one['quads']:,})."]
    return "\n".join(lines)


def traces_table(sizes: list[dict[str, Any]]) -> list[str]:
    """The ``traces`` phase's latencies as a table's lines, median / p95 in ms (rows), and the most
    memory its process held; none for a run from before the phase was."""
    if "traces" not in sizes[0]:
        return []
    lines = ["", "policykg trace, median / p95 in ms (rows):", "",
             "| look-up | " + " | ".join(f"{s['documents']:,} docs" for s in sizes) + " |", "|---|" + "---|" * len(sizes)]
    for label in (label for label in sizes[0]["traces"] if label.startswith("trace ")):
        cells = [f"{t['median_ms']:.1f} / {t['p95_ms']:.1f} ({t['rows']} rows)" for t in (s["traces"][label] for s in sizes)]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("| peak MB (all processes) | " + " | ".join(f"{s['traces']['tree_peak_mb']:,.0f}" for s in sizes) + " |")
    return lines


def refresh_line(documents: int, refresh: dict[str, Any], build_s: float) -> str:
    """What the ``refresh`` phase measured, beside the full build of the corpus it spares (its
    additions and removals; the peak memory a phase reports beside them is not one of them).

    >>> print(refresh_line(1000, {"add": {"wall_s": [1.0, 1.4, 1.2], "cpu_s": [2.0, 2.2, 2.1]},
    ...                            "remove": {"wall_s": [0.9], "cpu_s": [1.5]}, "tree_peak_mb": 120.5}, 30.0))
    From the command line on the 1,000-document store, 3 runs each: added 1.20 s (1.00 to 1.40; CPU 2.10 s), \
removed 0.90 s (0.90 to 0.90; CPU 1.50 s), medians; the full build they spare took 30.0 s (25x the addition).
    >>> cold = {"wall_s": [4.0], "cpu_s": [3.0], "read_mb": [900.0]}
    >>> warm = {"add": {"wall_s": [1.0], "cpu_s": [2.0], "read_mb": [0.1]},
    ...         "remove": {"wall_s": [0.9], "cpu_s": [1.5], "read_mb": [0.0]}}
    >>> print(refresh_line(1000, warm | {"cold_add": cold, "cold_remove": cold}, 30.0))
    From the command line on the 1,000-document store, 1 run each: added 1.00 s (1.00 to 1.00; CPU 2.00 s; \
0 MB read), removed 0.90 s (0.90 to 0.90; CPU 1.50 s; 0 MB read), medians; the full build they spare took \
30.0 s (30x the addition). With the store's and the exports' files out of the page cache first, as on a \
store not read lately, 1 run each: added 4.00 s (4.00 to 4.00; CPU 3.00 s; 900 MB read), removed 4.00 s \
(4.00 to 4.00; CPU 3.00 s; 900 MB read), medians.
    """
    added = statistics.median(refresh["add"]["wall_s"])
    line = (f"From the command line on the {documents:,}-document store, {_series_cells(refresh, '')}, medians; the "
            f"full build they spare took {build_s:.1f} s ({build_s / added:.0f}x the addition).")
    if "cold_add" in refresh:
        line += (" With the store's and the exports' files out of the page cache first, as on a store not read "
                 f"lately, {_series_cells(refresh, 'cold_')}, medians.")
    return line


def _series_cells(refresh: dict[str, Any], series: str) -> str:
    """A series of additions and removals: how many, then each action's runs (:func:`_runs_cell`)."""
    cells = [_runs_cell(word, refresh[series + action]) for action, word in (("add", "added"), ("remove", "removed"))]
    runs = len(refresh[series + "add"]["wall_s"])
    return f"{runs} run{'s' if runs != 1 else ''} each: {', '.join(cells)}"


def _runs_cell(word: str, times: dict[str, list[float]]) -> str:
    """One action's runs: the median, the range, the median CPU and, where measured, reads from storage."""
    wall = times["wall_s"]
    read = f"; {statistics.median(times['read_mb']):,.0f} MB read" if "read_mb" in times else ""
    return (f"{word} {statistics.median(wall):.2f} s ({min(wall):.2f} to {max(wall):.2f}; "
            f"CPU {statistics.median(times['cpu_s']):.2f} s{read})")


@click.group(invoke_without_command=True)
@click.option("--sizes", default="100,1000,10000", show_default=True, help="Corpus sizes, in documents.")
@click.option("--work", type=click.Path(file_okay=False, path_type=Path), default=Path("bench"), show_default=True,
              help="Folder for the corpora, stores and results.")
@click.option("--seeds", type=click.Path(file_okay=False, path_type=Path), default=Path("seeds"), show_default=True,
              help="The documents the corpora recombine.")
@click.option("--workers", type=int, default=2, show_default=True, help="Parsing processes for the builds.")
@click.option("--repeats", type=int, default=20, show_default=True, help="Runs of each query.")
@click.option("--baseline-max", type=int, default=1000, show_default=True,
              help="Largest size also loaded into rdflib's in-memory store.")
@click.option("--refresh-runs", type=int, default=6, show_default=True,
              help="Additions and removals of one document by the command, in turn.")
@click.option("--cold-runs", type=int, default=3, show_default=True,
              help="More of them, each with the store's and the exports' files out of the page cache first.")
@click.pass_context
def main(context: click.Context, sizes: str, work: Path, seeds: Path, workers: int, repeats: int,
         baseline_max: int, refresh_runs: int, cold_runs: int) -> None:
    """Measure building, querying, analysing and updating at each corpus size."""
    if context.invoked_subcommand:
        return
    counts = [int(s) for s in sizes.split(",")]
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": machine(), "sizes": []}
    for count in counts:
        corpus, out = work / f"corpus-{count}", work / f"out-{count}"
        if not (corpus / TRUTH_FILE).exists():
            write_corpus(CorpusPlan.from_seeds(seeds, count), corpus)
        files, mb = corpus_size(corpus)
        size: dict[str, Any] = {"documents": count, "files": files, "mb": mb}
        results["sizes"].append(size)
        click.echo(f"{count} documents, {mb:.1f} MB", err=True)
        phases: dict[str, dict[str, Any]] = {"build": {"corpus": corpus, "out": out, "workers": workers},
                  "queries": {"out": out, "corpus": corpus, "repeats": repeats},
                  "traces": {"out": out, "corpus": corpus, "repeats": repeats},
                  "analyses": {"out": out, "corpus": corpus}}
        if count <= baseline_max:
            phases["rdflib"] = {"corpus": corpus, "repeats": repeats}
        for name, arguments in phases.items():
            size[name] = each_query_apart(**arguments) if name == "queries" else run_phase(name, **arguments)
            _save(results, work)
    middle = counts[len(counts) // 2]
    extra = work / "extra"
    for count in sorted({counts[-1], middle}, reverse=True):
        shutil.rmtree(extra, ignore_errors=True)
        write_corpus(CorpusPlan.from_seeds(seeds, 1, seed=count + 1), extra)
        results.setdefault("update", {})[str(count)] = run_phase("update", out=work / f"out-{count}", extra=extra)
        results.setdefault("refresh", {})[str(count)] = run_phase("refresh", out=work / f"out-{count}", extra=extra,
                                                                  runs=refresh_runs, cold_runs=cold_runs)
    results["workers"] = {"documents": middle, **{str(n): run_phase("workers", corpus=work / f"corpus-{middle}",
                                                                    work=work, workers=n) for n in (1, 2)}}
    _save(results, work)
    click.echo(markdown(results))


def _save(results: dict[str, Any], work: Path) -> None:
    """The results so far, after each measurement: a long run that stops keeps what it measured."""
    (work / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


@main.command("report")
@click.option("--work", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("bench"),
              show_default=True, help="The folder of a run.")
def report(work: Path) -> None:
    """Print the Markdown report of the run in WORK again, from its results.json (saved after each
    measurement, so a run stopped midway reports what it measured)."""
    click.echo(markdown(json.loads((work / "results.json").read_text(encoding="utf-8"))))


@main.command("phase", hidden=True)
@click.argument("name", type=click.Choice(sorted(PHASES)))
@click.argument("arguments")
def phase(name: str, arguments: str) -> None:
    """Run one measurement and print its JSON (used by the main command, one process each)."""
    values = json.loads(arguments)
    typed = {k: Path(v) if k in ("corpus", "out", "work", "extra", "nquads") else v for k, v in values.items()}
    click.echo(json.dumps(PHASES[name](**typed)))


@main.command("store-writes")
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--work", type=click.Path(file_okay=False, path_type=Path), default=Path("bench"), show_default=True,
              help="Folder for the N-Quads and the stores loaded.")
@click.option("--batches", default=f"{WRITE_BATCH},{WRITE_BATCH // 4}", show_default=True,
              help="Quads in a bulk load, one size per run.")
@click.option("--rounds", type=int, default=2, show_default=True, help="Runs of each size, the sizes in turn.")
def store_writes(out: Path, work: Path, batches: str, rounds: int) -> None:
    """Time the store's bulk writes alone: OUT's quads into fresh stores, in loads of each size."""
    work.mkdir(parents=True, exist_ok=True)
    nquads = work / "store-writes.nq"
    ox.Store.read_only(str(out / STORE_DIR)).dump(output=str(nquads), format=ox.RdfFormat.N_QUADS)
    sizes = [int(size) for size in batches.split(",")]
    runs = [run_phase("store-writes", nquads=nquads, work=work, batch=size) for _ in range(rounds) for size in sizes]
    nquads.unlink()
    click.echo(store_writes_markdown(runs))


def store_writes_markdown(runs: list[dict[str, Any]]) -> str:
    """Each batch size's runs: wall and CPU seconds, peak memory, SST files left."""
    lines = ["| quads a load | loads | quads | wall s | CPU s | peak MB | SST files |", "|---" * 7 + "|"]
    for size in dict.fromkeys(run["batch"] for run in runs):
        mine = [run for run in runs if run["batch"] == size]
        measured = [", ".join(f"{run[key]:,.1f}" for run in mine) for key in ("wall_s", "cpu_s", "peak_mb")]
        files = ", ".join(str(run["sst_files"]) for run in mine)
        lines.append(f"| {size:,} | {mine[0]['loads']:,} | {mine[0]['quads']:,} | {' | '.join(measured)} | {files} |")
    return "\n".join(lines)



@main.command("stages")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--files", type=int, default=300, show_default=True,
              help="How many of the corpus's files, the first in name order.")
@click.option("--runs", type=int, default=3, show_default=True,
              help="Runs, each in a process of its own; the best kept.")
@click.option("--work", type=click.Path(file_okay=False, path_type=Path), default=Path("bench"), show_default=True,
              help="Folder for the store written.")
def stages(corpus: Path, files: int, runs: int, work: Path) -> None:
    """Time each stage of a load on CORPUS's first files: the CPU a core spends per MB of source."""
    work.mkdir(parents=True, exist_ok=True)
    click.echo(stages_markdown([run_phase("stages", corpus=corpus, work=work, files=files) for _ in range(runs)]))


STAGE_NAMES = {"parse": "reading and parsing (`loaders`)", "rdf": "the graphs (`build_file_graph`)",
               "nquads": "as N-Quads", "trig": "as TriG bodies (`trig_body`)",
               "store": "written to the store (`replace_graph_body`, flushed)"}


def stages_markdown(runs: list[dict[str, Any]], cores: int | None = None) -> str:
    """Each stage's best CPU time over the runs, per MB of source, and the MB/s that ``cores`` (this
    machine's) could load at best, busy with nothing else.

    >>> run = {"files": 2, "parsed": 2, "mb": 0.5, "quads": 1000, "cpu_s": {"parse": 0.2, "store": 0.3}}
    >>> print(stages_markdown([run, {**run, "cpu_s": {"parse": 0.1, "store": 0.4}}], cores=2))
    | stage | CPU s, best of 2 | CPU s per MB | share |
    |---|---|---|---|
    | reading and parsing (`loaders`) | 0.100 | 0.200 | 25% |
    | written to the store (`replace_graph_body`, flushed) | 0.300 | 0.600 | 75% |
    | the load | 0.400 | 0.800 | 100% |
    <BLANKLINE>
    2 files (2 read), 0.5 MB, 1,000 quads (2,000 per MB): 2 cores busy with nothing else could load 2.50 MB/s.
    """
    first = runs[0]
    best = {stage: min(run["cpu_s"][stage] for run in runs) for stage in first["cpu_s"]}
    total = sum(best.values())
    lines = [f"| stage | CPU s, best of {len(runs)} | CPU s per MB | share |", "|---|---|---|---|"]
    lines += [f"| {STAGE_NAMES[stage]} | {seconds:.3f} | {seconds / first['mb']:.3f} | {seconds / total:.0%} |"
              for stage, seconds in best.items()]
    lines += [f"| the load | {total:.3f} | {total / first['mb']:.3f} | 100% |", ""]
    cores = cores or os.cpu_count() or 1
    lines.append(f"{first['files']:,} files ({first['parsed']:,} read), {first['mb']:.1f} MB, {first['quads']:,} quads "
                 f"({first['quads'] / first['mb']:,.0f} per MB): {cores} cores busy with nothing else could load "
                 f"{cores * first['mb'] / total:.2f} MB/s.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
