"""``policykg serve``: a read-only SPARQL 1.1 Protocol endpoint over a built folder.

Oxigraph's own server (PyPI ``oxigraph``) answers the queries: read-only, with the union of the
named graphs as default graph and a query timeout. In front of it, on the address users call, a
small proxy serves ``/sparql`` and adds what Oxigraph lacks:

- a result-size limit: responses are buffered up to the limit, and a larger one is answered
  ``413`` with a message instead of being cut;
- a clear timeout: Oxigraph reports a cancelled query inside an already started ``200`` body; the
  proxy answers ``504`` instead;
- SPARQL Update refused with ``403``, whatever form it comes in;
- the ontology's prefixes (``pkg:``, ``eli:``, ``org:``…) declared in a query that does not
  declare them, as ``policykg query`` knows them.

Results come in JSON, XML, CSV or TSV (and Turtle, N-Triples … for CONSTRUCT and DESCRIBE) by the
Accept header, as Oxigraph negotiates them.
"""
from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import cast
from urllib.parse import parse_qs, urlencode, urlsplit

from policykg.graph.sparql_text import with_default_prefixes
from policykg.graph.store import STORE_DIR, StoreError

from .folder_lock import opening_store

CANCELLED = b"The SPARQL operation has been cancelled"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
FORWARDED_HEADERS = ("Accept", "Content-Type")


@dataclass(frozen=True)
class EndpointSettings:
    host: str = "127.0.0.1"
    port: int = 7878
    timeout_s: int = 30
    max_result_bytes: int = 50_000_000


class Endpoint:
    """Oxigraph behind the proxy; ``with Endpoint(folder, settings) as e: e.serve_forever()``."""

    def __init__(self, folder: Path, settings: EndpointSettings) -> None:
        store = folder / STORE_DIR
        self.settings = settings
        self.upstream_port = _free_port()
        with opening_store(folder):  # until Oxigraph listens, its store opened: no build changes it meanwhile
            if not store.is_dir():
                raise StoreError(f"{folder}: no store here; run `policykg build PATH --out {folder}` first")
            self.process = subprocess.Popen(
                [_oxigraph_command(), "serve-read-only", "--location", str(store), "--bind",
                 f"127.0.0.1:{self.upstream_port}", "--union-default-graph", "--timeout-s", str(settings.timeout_s)],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
            self._wait_for_upstream()
        self.server = ThreadingHTTPServer((settings.host, settings.port), _handler(self))
        self.server.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = cast(tuple[str, int], self.server.server_address[:2])  # a TCP server's address
        return f"http://{host}:{port}/sparql"

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def __enter__(self) -> "Endpoint":
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.server_close()
        self.process.terminate()
        self.process.wait(timeout=10)

    def forward(self, method: str, target: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """Send the request to Oxigraph; buffer the answer within the limits."""
        connection = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=self.settings.timeout_s + 10)
        try:
            connection.request(method, target, body=body or None, headers=headers)
            response = connection.getresponse()
            data = response.read(self.settings.max_result_bytes + 1)
        except (TimeoutError, socket.timeout):
            return _error(504, f"the query exceeded the time limit of {self.settings.timeout_s} s")
        finally:
            connection.close()
        if len(data) > self.settings.max_result_bytes:
            return _error(413, f"the result is larger than the limit of {self.settings.max_result_bytes} bytes; "
                               "narrow the query or add LIMIT")
        if CANCELLED in data[-200:]:
            return _error(504, f"the query exceeded the time limit of {self.settings.timeout_s} s")
        return response.status, {"Content-Type": response.getheader("Content-Type", "text/plain")}, data

    def _wait_for_upstream(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                _, stderr = self.process.communicate()
                raise StoreError(f"the SPARQL server stopped: {stderr.decode(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", self.upstream_port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.process.terminate()
        raise StoreError("the SPARQL server did not start within 30 s")


def _handler(endpoint: Endpoint) -> type[BaseHTTPRequestHandler]:
    class SparqlHandler(BaseHTTPRequestHandler):
        server_version = "policykg"

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def _answer(self, method: str) -> None:
            url = urlsplit(self.path)
            if url.path != "/sparql":
                return self._send(*_error(404, "the SPARQL endpoint is /sparql"))
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if _is_update(url.query, body, content_type):
                return self._send(*_error(403, "this endpoint is read-only: SPARQL Update is refused"))
            headers = {h: self.headers[h] for h in FORWARDED_HEADERS if self.headers.get(h)}
            query_string, body = _with_default_prefixes(url.query, body, content_type)
            target = "/query" + (f"?{query_string}" if query_string else "")
            self._send(*endpoint.forward(method, target, body, headers))

        def _send(self, status: int, headers: dict[str, str], data: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    return SparqlHandler


def _is_update(query: str, body: bytes, content_type: str) -> bool:
    if content_type == "application/sparql-update" or "update" in parse_qs(query):
        return True
    return content_type == "application/x-www-form-urlencoded" and "update" in parse_qs(body.decode("utf-8", "replace"))


def _with_default_prefixes(query_string: str, body: bytes, content_type: str) -> tuple[str, bytes]:
    """The request's query string and body with the ontology's prefixes declared in its query,
    where the query does not declare them (:func:`~policykg.graph.sparql_text.with_default_prefixes`):
    sent in the URL, in a form, or as the body itself. A body that is not UTF-8 is passed on as it
    came, for Oxigraph to refuse."""
    try:
        if content_type == "application/sparql-query":
            return query_string, with_default_prefixes(body.decode("utf-8")).encode("utf-8")
        if content_type == "application/x-www-form-urlencoded":
            body = _with_prefixed_query(body.decode("utf-8")).encode("utf-8")
    except UnicodeDecodeError:
        return query_string, body
    return _with_prefixed_query(query_string), body


def _with_prefixed_query(encoded: str) -> str:
    """URL-encoded parameters, their ``query`` with the ontology's prefixes declared.

    >>> from urllib.parse import parse_qs
    >>> parse_qs(_with_prefixed_query("query=ASK+%7B%7D&default-graph-uri=urn%3Ag"))["query"][0].count("PREFIX")
    9
    """
    parameters = parse_qs(encoded, keep_blank_values=True)
    if "query" not in parameters:
        return encoded
    parameters["query"] = [with_default_prefixes(query) for query in parameters["query"]]
    return urlencode(parameters, doseq=True)


def _error(status: int, message: str) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "text/plain; charset=utf-8"}, (message + "\n").encode("utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _oxigraph_command() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise StoreError("the `oxigraph` command is missing: pip install oxigraph")
    return found


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")
