"""Push into a real Oxigraph server (PyPI `oxigraph`) started by the test on loopback."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner
from SPARQLWrapper import JSON, SPARQLWrapper

from policykg.exports.build import remove
from policykg.exports.cli import main
from policykg.exports.query import open_built_store


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


@pytest.fixture()
def built(seeds_built: Path, tmp_path: Path) -> Path:
    """A copy of the seeds' folder, which a push notes what it pushed in."""
    shutil.copytree(seeds_built, tmp_path / "out")
    return tmp_path / "out"


def test_push_writes_each_named_graph_and_pushing_again_changes_nothing(built: Path, oxigraph_server: str) -> None:
    first = CliRunner().invoke(main, ["push", str(built), f"{oxigraph_server}/store"])
    assert first.exit_code == 0, first.output
    graphs, triples = _graphs_and_triples(oxigraph_server)
    assert graphs == 11  # 5 files, each with its links graph; the renamings
    assert f"11 graphs written ({triples} triples), 0 unchanged, 0 deleted" in first.output
    again = CliRunner().invoke(main, ["push", str(built), f"{oxigraph_server}/store"])
    assert again.exit_code == 0 and "0 graphs written (0 triples), 11 unchanged, 0 deleted" in again.output
    assert _graphs_and_triples(oxigraph_server) == (graphs, triples)


def test_a_push_after_a_refresh_writes_what_changed_and_deletes_what_was_removed(built: Path,
                                                                                 oxigraph_server: str) -> None:
    endpoint = f"{oxigraph_server}/store"
    assert CliRunner().invoke(main, ["push", str(built), endpoint]).exit_code == 0
    remove(built, ["000_7de621c7132f9bb7.txt"])
    again = CliRunner().invoke(main, ["push", str(built), endpoint])
    assert again.exit_code == 0, again.output
    with closing(open_built_store(built)) as store:
        graphs, triples = len(store.named_graphs()), store.triple_count()
    assert _graphs_and_triples(oxigraph_server) == (graphs, triples)
    assert f" unchanged, {11 - graphs} deleted -> " in again.output  # its graph, its links, the renamings
    assert int(again.output.split(" graphs written")[0]) < graphs  # not every graph again
    everything = CliRunner().invoke(main, ["push", str(built), endpoint, "--all"])
    assert everything.exit_code == 0 and f"{graphs} graphs written" in everything.output


def test_an_unreachable_endpoint_is_a_message(built: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(main, ["push", str(built), f"http://127.0.0.1:{port}/store"])
    assert result.exit_code == 2 and "cannot reach the endpoint" in result.output


@pytest.mark.parametrize("endpoint", ["localhost:7878/store", "ftp://example.org/store", "store"])
def test_an_endpoint_that_is_no_http_url_is_refused_naming_it(built: Path, endpoint: str) -> None:
    result = CliRunner().invoke(main, ["push", str(built), endpoint])
    assert (result.exit_code, result.output) == (
        2, f"error: {endpoint}: not the http:// or https:// URL of a Graph Store Protocol endpoint (Oxigraph's: "
           "http://localhost:7878/store)\n")
    assert not (built / ".pushed.json").exists()
