"""A build killed half-way leaves the previous store and exports intact and usable; replacing or
removing one document touches only its named graphs, and the renamings of the agencies it named."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from rdflib import RDF, RDFS, Dataset
from rdflib.namespace import ORG

from policykg.exports.build import build
from policykg.exports.cli import main
from policykg.graph.identity import file_iri
from policykg.graph.links import RENAMINGS_GRAPH, links_graph_iri

from ..conftest import SEEDS


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def test_a_killed_build_leaves_the_previous_folder_usable(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([SEEDS], out)
    before = _snapshot(out)
    corpus = tmp_path / "more"
    corpus.mkdir()
    for i in range(40):  # enough work to be killed in the middle of it
        (corpus / f"copy{i:02d}.txt").write_bytes((SEEDS / "002_3963f5b69747dc62.txt").read_bytes())
    process = subprocess.Popen([sys.executable, "-m", "policykg.exports.cli", "build", str(corpus), "--out", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(out.glob(".staging-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _snapshot(out) == before
    query = CliRunner().invoke(main, ["query", str(out), "PREFIX pkg: <https://w3id.org/policykg/ontology#> "
                                                          "SELECT (COUNT(*) AS ?n) WHERE { ?m a pkg:Measure }", "--format", "csv"])
    assert query.output.splitlines()[1] == "269"
    build([SEEDS / "000_7de621c7132f9bb7.txt"], out)  # the next run clears what the killed one left
    assert not list(out.glob(".staging-*"))


def test_replacing_or_removing_a_document_touches_only_its_graph(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([SEEDS], out)
    graphs = _graphs(out)
    changed = tmp_path / "000_7de621c7132f9bb7.txt"
    changed.write_text((SEEDS / changed.name).read_text(encoding="utf-8").replace("准确把握功能定位", "准确把握功能"),
                       encoding="utf-8")
    build([changed], out)
    after = _graphs(out)
    own = {str(file_iri(changed.name)), str(links_graph_iri(file_iri(changed.name)))}
    differing = {name for name in graphs if graphs[name] != after.get(name)}
    assert differing == {str(file_iri(changed.name))}  # its links are what they were
    assert CliRunner().invoke(main, ["remove", str(out), "000_7de621c7132f9bb7.txt"]).exit_code == 0
    removed = _graphs(out)
    # its graphs go, and so do the renamings of its Wuhan agencies into those of the compilation
    assert set(after) - set(removed) == own | {str(RENAMINGS_GRAPH)}
    assert all(removed[name] == after[name] for name in removed)
    assert {p for _, p, _ in after[str(RENAMINGS_GRAPH)]} == {RDF.type, RDFS.label, ORG.originalOrganization,
                                                            ORG.resultingOrganization, ORG.changedBy, ORG.resultedFrom}


def _graphs(out: Path) -> dict[str, set]:
    dataset = Dataset()
    dataset.parse(out / "graph.trig", format="trig")
    return {str(g.identifier): set(g) for g in dataset.graphs() if len(g)}
