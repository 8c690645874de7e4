"""The SPARQL endpoint, started by the test as users start it, called by a client the project does not
own (SPARQLWrapper). Loopback only; every request loop is bounded."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urlencode

import psutil
import pytest
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from policykg.exports.build import build, remove

from ..conftest import SEEDS

PREFIX = "PREFIX pkg: <https://w3id.org/policykg/ontology#>\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _serving(folder: Path, timeout_s: int = 2) -> Iterator[tuple[str, subprocess.Popen]]:
    """``policykg serve FOLDER`` as users start it: its URL, and its process."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "policykg.exports.cli", "serve", str(folder), "--port",
                                str(port), "--timeout", str(timeout_s), "--max-result-bytes", "200000"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}/sparql", process
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def endpoint(seeds_built: Path) -> Iterator[str]:
    with _serving(seeds_built) as (url, _):
        yield url


def _client(url: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_plain_select_sees_every_document(endpoint: str) -> None:
    result = _client(endpoint, PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?m a pkg:Measure }", JSON).query().convert()
    assert result["results"]["bindings"][0]["n"]["value"] == "269"


@pytest.mark.parametrize("fmt, marker", [(XML, b"<sparql"), (CSV, b"n\r\n269"), (TSV, b"?n\n269")])
def test_result_formats_by_accept_header(endpoint: str, fmt: str, marker: bytes) -> None:
    result = _client(endpoint, PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?m a pkg:Measure }", fmt).query()
    body = result.response.read() if fmt != XML else result.convert().toxml().encode()
    assert marker in body


def test_ask_construct_describe_and_post(endpoint: str) -> None:
    assert _client(endpoint, PREFIX + "ASK { ?z a pkg:Zone }", JSON).query().convert()["boolean"] is True
    graph = _client(endpoint, PREFIX + "CONSTRUCT { ?z a pkg:Zone } WHERE { ?z a pkg:Zone } LIMIT 3", TURTLE).query().convert()
    assert graph.count(b"ontology#Zone") == 3
    describe = _client(endpoint, "DESCRIBE <https://w3id.org/policykg/id/place/420100>", TURTLE).query().convert()
    assert "武汉市".encode() in describe
    client = _client(endpoint, PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?z a pkg:Zone }", JSON)
    client.setMethod("POST")
    assert int(client.query().convert()["results"]["bindings"][0]["n"]["value"]) > 10


@pytest.mark.parametrize("sent", ["in the URL", "in a form", "as the body"])
def test_a_query_knows_the_ontologys_prefixes_unless_it_declares_its_own(endpoint: str, sent: str) -> None:
    def measures(query: str) -> str:
        client = _client(endpoint, query, JSON)
        if sent == "in a form":
            client.setMethod(POST)
        elif sent == "as the body":
            client.setMethod(POST)
            client.setRequestMethod(POSTDIRECTLY)
        return client.query().convert()["results"]["bindings"][0]["n"]["value"]

    assert measures("SELECT (COUNT(*) AS ?n) WHERE { ?m a pkg:Measure ; eli:is_part_of ?doc }") == "269"
    assert measures("PREFIX pkg: <urn:other#> SELECT (COUNT(*) AS ?n) WHERE { ?m a pkg:Measure }") == "0"


def test_a_query_that_is_not_utf8_is_refused_by_the_store_not_dropped(endpoint: str) -> None:
    status, message = _status(endpoint, "SELECT * WHERE { ?s ?p \"园区\" }".encode("gb18030"),
                              {"Content-Type": "application/sparql-query"})
    assert status == 400 and message


def _status(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_updates_are_refused_in_every_form(endpoint: str) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert _status(endpoint, update.encode(), {"Content-Type": "application/sparql-update"})[0] == 403
    assert _status(endpoint, urlencode({"update": update}).encode(),
                   {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    status, _ = _status(endpoint + "?" + urlencode({"query": update}))
    assert status == 400
    assert _status(endpoint + "?" + urlencode({"query": "ASK { <urn:a> <urn:b> <urn:c> }"}),
                   headers={"Accept": "application/sparql-results+json"})[1].count("false") == 1


def test_time_and_size_limits_answer_with_clear_errors(endpoint: str) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    status, message = _status(endpoint + "?" + urlencode({"query": slow}))
    assert status == 504 and "time limit of 2 s" in message
    status, message = _status(endpoint + "?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert status == 413 and "larger than the limit of 200000 bytes" in message
    assert _status(endpoint.replace("/sparql", "/store"))[0] == 404


def test_listens_on_loopback_only_by_default(endpoint: str) -> None:
    port = int(endpoint.rsplit(":", 1)[1].split("/")[0])
    listening = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    local = [fields[1] for fields in listening if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port]
    assert local == [f"0100007F:{port:04X}"]  # 127.0.0.1, and no other address


def test_a_burst_of_200_concurrent_queries_is_answered_within_limits(endpoint: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    cheap = endpoint + "?" + urlencode({"query": PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?m a pkg:Measure }"})
    large = endpoint + "?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"})
    slow = endpoint + "?" + urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    urls = [slow if i % 20 == 0 else large if i % 10 == 0 else cheap for i in range(200)]
    with ThreadPoolExecutor(max_workers=200) as pool:
        statuses = list(pool.map(lambda url: _status(url)[0], urls))
    assert {s for s, u in zip(statuses, urls) if u == cheap} == {200}
    assert {s for s, u in zip(statuses, urls) if u == large} == {413}
    assert {s for s, u in zip(statuses, urls) if u == slow} <= {504}
    assert _status(cheap)[0] == 200  # still up and answering


def test_the_endpoint_serves_each_store_a_refresh_publishes_and_stops_the_one_before(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(SEEDS, corpus, ignore=shutil.ignore_patterns("000_*"))
    build([corpus], out)
    documents = PREFIX + "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d pkg:part ?p }"

    def count(url: str) -> int:
        return int(_client(url, documents, JSON).query().convert()["results"]["bindings"][0]["n"]["value"])


    with _serving(out) as (url, process):
        before = count(url)
        build([SEEDS / "000_7de621c7132f9bb7.txt"], out)
        assert count(url) == before + 1
        remove(out, ["000_7de621c7132f9bb7.txt", "001_90d5fc22205fdc35.txt"])
        assert count(url) == before - 1
        assert len(_oxigraphs(process)) == 1  # each one before stopped once its requests were answered


def test_a_query_oxigraph_lets_run_past_its_limit_is_stopped_with_the_oxigraph_running_it(seeds_built: Path) -> None:
    """A count over a product of four patterns: Oxigraph checks its limit between results, and this
    one has none until the end (with a limit of 2 s, one ran on for 40 s on a core of its own)."""
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    cheap = PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?m a pkg:Measure }"
    with _serving(seeds_built, timeout_s=1) as (url, process):
        (first,) = _oxigraphs(process)
        assert _status(url + "?" + urlencode({"query": runaway}))[0] == 504
        status, answer = _status(url + "?" + urlencode({"query": cheap}))
        assert status == 200 and "269" in answer  # answered by a new Oxigraph
        deadline = time.monotonic() + 30
        while first in _oxigraphs(process) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert first not in _oxigraphs(process) and len(_oxigraphs(process)) == 1


def _oxigraphs(process: subprocess.Popen) -> list[int]:
    """The Oxigraph servers an endpoint's process runs, by process id."""
    return [child.pid for child in psutil.Process(process.pid).children() if "oxigraph" in " ".join(child.cmdline())]


def test_an_oxigraph_that_dies_is_started_again_and_the_request_it_failed_said_so(seeds_built: Path) -> None:
    cheap = PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?m a pkg:Measure }"
    with _serving(seeds_built) as (url, process):
        (first,) = _oxigraphs(process)
        killed = psutil.Process(first)
        killed.kill()  # as by the system, out of memory; the endpoint reaps it
        deadline = time.monotonic() + 30
        while killed.is_running() and killed.status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
            time.sleep(0.02)
        status, answer = _status(url + "?" + urlencode({"query": cheap}))
        assert status == 502 and "started again: send it again" in answer
        status, answer = _status(url + "?" + urlencode({"query": cheap}))
        assert status == 200 and "269" in answer
        assert first not in _oxigraphs(process) and len(_oxigraphs(process)) == 1


def test_a_port_taken_is_an_error_naming_it_and_starts_no_oxigraph(seeds_built: Path, tmp_path: Path) -> None:
    folder = tmp_path / "built"
    shutil.copytree(seeds_built / "store", folder / "store")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        served = subprocess.run([sys.executable, "-m", "policykg.exports.cli", "serve", str(folder), "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert (served.returncode, served.stderr) == (
        2, f"error: cannot listen on 127.0.0.1:{port}: Address already in use; give another --port\n")
    assert not [process for process in psutil.process_iter(["cmdline"])
                if str(folder) in " ".join(process.info["cmdline"] or ())]
