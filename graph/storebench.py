"""Compare the store backends on the same graph: load time, query latency, peak memory.

    python -m policykg.graph.storebench [--seeds seeds] [--copies 40] [--repeats 20]

The seed graphs are copied ``--copies`` times under fresh IRIs (so the data has the seeds' shape and
grows linearly), then loaded into each backend in a separate process: pyoxigraph on disk (what
policykg uses), rdflib's ``Dataset(store="Oxigraph")`` through oxrdflib, and rdflib's in-memory
``Dataset``. Each process runs the same auditor query (measures of one agency, over the union of
the named graphs) ``--repeats`` times and reports the median. Figures are printed as a table with
each backend's ratio to rdflib in memory, measured in the same run.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from policykg.loaders.pipeline import read_source_file

from .build import build_file_graph
from .store import PolicyStore

BACKENDS = ("pyoxigraph", "oxrdflib", "rdflib-memory")
AUDITOR_QUERY = """
PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?measure ?heading ?role WHERE {
  ?measure dcterms:title ?heading ; pkg:responsibility ?r .
  ?r pkg:agentName "市科技局" ; pkg:role ?role .
}"""
RDFLIB_UNION_QUERY = AUDITOR_QUERY.replace("SELECT ?measure ?heading ?role WHERE {", "SELECT ?measure ?heading ?role WHERE { GRAPH ?g {") + "}"


def seed_graphs(seeds: Path) -> list[tuple[URIRef, Graph]]:
    return [build_file_graph(read_source_file(path)) for path in sorted(seeds.iterdir())]


def copies(graphs: list[tuple[URIRef, Graph]], count: int):
    """``count`` copies of the graphs, each under its own IRIs: ``(graph name, triples)``."""
    for n in range(count):
        for name, graph in graphs:
            rename = lambda t: URIRef(f"{t}/copy{n}") if isinstance(t, URIRef) and "/id/" in t else t  # noqa: E731
            yield URIRef(f"{name}/copy{n}"), [(rename(s), p, rename(o)) for s, p, o in graph]


def run_backend(backend: str, seeds: Path, count: int, repeats: int) -> dict[str, float]:
    graphs = seed_graphs(seeds)
    data = list(copies(graphs, count))
    triples = sum(len(t) for _, t in data)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        query = _load(backend, data, Path(folder))
        load_seconds = time.perf_counter() - started
        rows = len(list(query()))
        latencies = []
        for _ in range(repeats):
            started = time.perf_counter()
            list(query())
            latencies.append(time.perf_counter() - started)
    return {
        "triples": triples,
        "load_s": load_seconds,
        "triples_per_s": triples / load_seconds,
        "query_median_ms": statistics.median(latencies) * 1000,
        "rows": rows,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _load(backend: str, data, folder: Path):
    if backend == "pyoxigraph":
        store = PolicyStore.open(folder)
        for name, triples in data:
            graph = Graph()
            for triple in triples:
                graph.add(triple)
            store.replace_graph(name, graph)
        store.flush()
        return lambda: store.select(AUDITOR_QUERY)
    dataset = Dataset(store="Oxigraph") if backend == "oxrdflib" else Dataset()
    if backend == "oxrdflib":
        dataset.open(str(folder))
    for name, triples in data:
        dataset.addN((s, p, o, dataset.graph(name)) for s, p, o in triples)
    return lambda: dataset.query(RDFLIB_UNION_QUERY)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of source documents")
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--backend", choices=BACKENDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.backend:
        print(json.dumps(run_backend(args.backend, args.seeds, args.copies, args.repeats)))
        return
    results = {}
    for backend in BACKENDS:
        output = subprocess.run(
            [sys.executable, "-m", "policykg.graph.storebench", "--backend", backend, "--seeds", str(args.seeds),
             "--copies", str(args.copies), "--repeats", str(args.repeats)],
            check=True, capture_output=True, text=True,
        ).stdout
        results[backend] = json.loads(output.strip().splitlines()[-1])
    base = results["rdflib-memory"]
    print(f"{'backend':15s} {'triples':>9s} {'load s':>8s} {'triples/s':>10s} {'x base':>7s} "
          f"{'query ms':>9s} {'x base':>7s} {'rows':>5s} {'peak MB':>8s}")
    for backend, r in results.items():
        print(f"{backend:15s} {r['triples']:9d} {r['load_s']:8.2f} {r['triples_per_s']:10.0f} "
              f"{r['triples_per_s'] / base['triples_per_s']:7.2f} {r['query_median_ms']:9.2f} "
              f"{base['query_median_ms'] / r['query_median_ms']:7.2f} {r['rows']:5d} {r['peak_mb']:8.0f}")


if __name__ == "__main__":
    main()
