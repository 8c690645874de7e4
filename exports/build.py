"""``policykg build``: files into the store, then every export into the output folder: the graph
(TriG), the tables, the interactive views (one HTML file each) and the load report."""
from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable

from policykg.graph.corpus import LoadReport, load_corpus
from policykg.graph.store import STORE_DIR, PolicyStore

from policykg.ontology import SPARQL_PREFIXES

from .tables import write_tables
from .views import VIEWS, build_view, write_view

GRAPH_FILE = "graph.trig"
REPORT_CSV = "load-report.csv"
REPORT_JSON = "load-report.json"


@dataclass(frozen=True)
class BuildSummary:
    documents: int
    measures: int
    responsibilities: int
    agencies: int
    citations: int
    triples: int
    files: int
    failures: int


def build(paths: Iterable[Path], out: Path, progress: Callable[[str], None] = lambda name: None) -> tuple[BuildSummary, LoadReport]:
    """Load ``paths`` into the store in ``out`` and write the graph, tables and load report there."""
    out.mkdir(parents=True, exist_ok=True)
    store = PolicyStore.open(out / STORE_DIR)
    report = load_corpus(paths, store, progress)
    store.dump_trig(out / GRAPH_FILE)
    write_tables(store, out)
    for name in VIEWS:
        write_view(build_view(store, name), out / f"{name}.html")
    write_load_report(report, out)
    return _summary(store, report), report


def write_load_report(report: LoadReport, out: Path) -> None:
    """Every input file with its status and reason, as CSV (for people) and JSON (for programs)."""
    rows = [asdict(outcome) for outcome in report.outcomes]
    columns = list(rows[0]) if rows else ["path", "status", "reason"]
    with (out / REPORT_CSV).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    (out / REPORT_JSON).write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _summary(store: PolicyStore, report: LoadReport) -> BuildSummary:
    (agencies,) = next(store.select(SPARQL_PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?r pkg:agent ?a }"))
    return BuildSummary(
        documents=report.total("documents"),
        measures=report.total("measures"),
        responsibilities=report.total("responsibilities"),
        agencies=int(agencies),
        citations=report.total("citations"),
        triples=store.triple_count(),
        files=len(report.outcomes),
        failures=len(report.failures),
    )
