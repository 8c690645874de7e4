"""Push into a real Oxigraph server (PyPI `oxigraph`) started by the test on loopback."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from SPARQLWrapper import JSON, SPARQLWrapper

from policykg.exports.cli import main


@pytest.fixture()
def oxigraph_server(tmp_path: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = str(Path(sys.executable).parent / "oxigraph") if (Path(sys.executable).parent / "oxigraph").exists() \
        else shutil.which("oxigraph")
    process = subprocess.Popen([command, "serve", "--location", str(tmp_path / "external"), "--bind",
                                f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


def _graphs_and_triples(base: str) -> tuple[int, int]:
    client = SPARQLWrapper(f"{base}/query")
    client.setQuery("SELECT (COUNT(DISTINCT ?g) AS ?graphs) (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    client.setReturnFormat(JSON)
    row = client.query().convert()["results"]["bindings"][0]
    return int(row["graphs"]["value"]), int(row["n"]["value"])


def test_push_writes_each_named_graph_and_pushing_again_changes_nothing(seeds_built: Path, oxigraph_server: str) -> None:
    first = CliRunner().invoke(main, ["push", str(seeds_built), f"{oxigraph_server}/store"])
    assert first.exit_code == 0, first.output
    graphs, triples = _graphs_and_triples(oxigraph_server)
    assert graphs == 11 and f"{triples} triples" in first.output  # 5 files, each with its links graph; the renamings
    again = CliRunner().invoke(main, ["push", str(seeds_built), f"{oxigraph_server}/store"])
    assert again.exit_code == 0
    assert _graphs_and_triples(oxigraph_server) == (graphs, triples)


def test_an_unreachable_endpoint_is_a_message(seeds_built: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(main, ["push", str(seeds_built), f"http://127.0.0.1:{port}/store"])
    assert result.exit_code == 2 and "cannot reach the endpoint" in result.output
