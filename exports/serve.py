"""``policykg serve``: a read-only SPARQL 1.1 Protocol endpoint over a built folder.

Oxigraph's own server (PyPI ``oxigraph``) answers the queries: read-only, with the union of the
named graphs as default graph and a query timeout. In front of it, on the address users call, a
small proxy serves ``/sparql`` and adds what Oxigraph lacks:

- a result-size limit: responses are buffered up to the limit, and a larger one is answered
  ``413`` with a message instead of being cut;
- a clear timeout: Oxigraph reports a cancelled query inside an already started ``200`` body; the
  proxy answers ``504`` instead, and where Oxigraph lets a query run on past its limit, the proxy
  answers ``504`` too and stops that Oxigraph, a new one answering the requests that follow;
- SPARQL Update refused with ``403``, whatever form it comes in;
- the ontology's prefixes (``pkg:``, ``eli:``, ``org:``…) declared in a query that does not
  declare them, as ``policykg query`` knows them;
- every refresh served without a restart: a request after a build or removal into the folder is
  answered by an Oxigraph on the store it published (:class:`Endpoint`).

Results come in JSON, XML, CSV or TSV (and Turtle, N-Triples … for CONSTRUCT and DESCRIBE) by the
Accept header, as Oxigraph negotiates them.
"""
from __future__ import annotations

import errno
import http.client
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import cast
from urllib.parse import parse_qs, urlencode, urlsplit

from policykg.graph.sparql_text import with_default_prefixes
from policykg.graph.store import STORE_DIR, StoreError
from policykg.loaders.errors import PolicyKGError

from .folder_lock import opening_store

CANCELLED = b"The SPARQL operation has been cancelled"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# how long past the time limit Oxigraph may take to send a query back cancelled, before the proxy gives
# up on it and stops that Oxigraph (Endpoint._replace)
CANCEL_GRACE_S = 3
FORWARDED_HEADERS = ("Accept", "Content-Type")


class EndpointError(PolicyKGError):
    """The endpoint cannot serve: its address is taken, say."""


@dataclass(frozen=True)
class EndpointSettings:
    host: str = "127.0.0.1"
    port: int = 7878
    timeout_s: int = 30
    max_result_bytes: int = 50_000_000


class _Server(ThreadingHTTPServer):
    """The proxy's HTTP server: a thread per request, and room for a burst of connections. With the
    standard library's 5 waiting to be accepted, the system drops the others' first packets, and
    their clients try again 1, 3, 7, 15 s later: under 200 queries at once, some waited 30 s."""

    daemon_threads = True
    request_queue_size = 1024


@dataclass
class _Upstream:
    """One Oxigraph server, on the store as it was published when it started."""

    process: subprocess.Popen
    port: int
    store: tuple[int, int]  # the store folder it opened: its device and inode
    requests: int = 0  # being answered
    retired: bool = False  # another answers new requests: stop once no request is being answered


class Endpoint:
    """Oxigraph behind the proxy; ``with Endpoint(folder, settings) as e: e.serve_forever()``.

    A build or removal into the folder publishes a new store folder: the next request starts an
    Oxigraph on it and is answered there, and the Oxigraph before stops once the requests it was
    answering are done. So a client sees every refresh without the endpoint restarted, and a
    request is answered from one store from start to end."""

    def __init__(self, folder: Path, settings: EndpointSettings) -> None:
        self.folder, self.settings = folder, settings
        self._lock = threading.Lock()  # guards the upstreams and their counts of requests
        self.server = _bound(settings, _handler(self))  # first: a port taken starts no Oxigraph
        try:
            self._upstream = _start_upstream(folder, settings)
        except BaseException:
            self.server.server_close()
            raise
        self._running = [self._upstream]
        self.server.server_activate()  # listening once there is an Oxigraph to answer

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
        for upstream in self._running:
            _stop(upstream)

    def forward(self, method: str, target: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """Send the request to Oxigraph on the store published last; buffer the answer within the limits."""
        upstream = self._taken()
        try:
            return self._answer(upstream, method, target, body, headers)
        finally:
            self._given_back(upstream)

    def _answer(self, upstream: _Upstream, method: str, target: str, body: bytes,
                headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", upstream.port,
                                                timeout=self.settings.timeout_s + CANCEL_GRACE_S)
        try:
            connection.request(method, target, body=body or None, headers=headers)
            response = connection.getresponse()
            data = response.read(self.settings.max_result_bytes + 1)
        except (TimeoutError, socket.timeout):
            self._replace(upstream)
            return _error(504, f"the query exceeded the time limit of {self.settings.timeout_s} s")
        except (ConnectionError, http.client.HTTPException):
            self._replace(upstream)
            return _error(502, "the SPARQL server failed on this request and was started again: send it again")
        finally:
            connection.close()
        if len(data) > self.settings.max_result_bytes:
            return _error(413, f"the result is larger than the limit of {self.settings.max_result_bytes} bytes; "
                               "narrow the query or add LIMIT")
        if CANCELLED in data[-200:]:
            return _error(504, f"the query exceeded the time limit of {self.settings.timeout_s} s")
        return response.status, {"Content-Type": response.getheader("Content-Type", "text/plain")}, data

    def _taken(self) -> _Upstream:
        """The Oxigraph to answer a request, counted as answering it: a new one first when a store
        was published since the current one started."""
        with self._lock:
            if _store_identity(self.folder) not in (None, self._upstream.store):
                self._start_newer()
            self._upstream.requests += 1
            return self._upstream

    def _replace(self, upstream: _Upstream) -> None:
        """A new Oxigraph for the requests to come, where ``upstream`` failed a request: it let a
        query run past its time limit without cancelling it (Oxigraph checks its limit between
        results: a count over a product of patterns ran on for 40 s past a limit of 2 s, on every
        core it could take), which stops with ``upstream`` once the requests it is still answering
        are done; or it closed the connection (it died)."""
        with self._lock:
            if upstream is self._upstream:
                self._start_newer()

    def _start_newer(self) -> None:
        """Answer from a new Oxigraph, on the store published last, and stop the current one once the
        requests it is answering are done; where the new one cannot start, keep the current one and
        say why on standard error. The lock is held."""
        try:
            newer = _start_upstream(self.folder, self.settings)
        except StoreError as exc:
            sys.stderr.write(f"still serving from the Oxigraph before: {exc}\n")
            return
        self._upstream.retired = True
        self._stop_if_done(self._upstream)
        self._upstream = newer
        self._running.append(newer)

    def _given_back(self, upstream: _Upstream) -> None:
        with self._lock:
            upstream.requests -= 1
            self._stop_if_done(upstream)

    def _stop_if_done(self, upstream: _Upstream) -> None:
        if upstream.retired and not upstream.requests:
            _stop(upstream)
            self._running.remove(upstream)


def _bound(settings: EndpointSettings, handler: type[BaseHTTPRequestHandler]) -> _Server:
    """The proxy's server, bound to the address asked for, not yet listening (``server_activate``)."""
    server = _Server((settings.host, settings.port), handler, bind_and_activate=False)
    try:
        server.server_bind()
    except OSError as exc:
        server.server_close()
        raise EndpointError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}"
                            + ("; give another --port" if exc.errno == errno.EADDRINUSE else "")) from exc
    return server


def _start_upstream(folder: Path, settings: EndpointSettings) -> _Upstream:
    """Oxigraph, read-only, on the store of ``folder``, once it listens (its store opened: no build
    changes the store's files meanwhile, :func:`~.folder_lock.opening_store`)."""
    port = _free_port()
    with opening_store(folder):
        identity = _store_identity(folder)
        if identity is None:
            raise StoreError(f"{folder}: no store here; run `policykg build PATH --out {folder}` first")
        process = subprocess.Popen(
            [_oxigraph_command(), "serve-read-only", "--location", str(folder / STORE_DIR), "--bind",
             f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", str(settings.timeout_s)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        _wait_for_listening(process, port)
    return _Upstream(process, port, identity)


def _store_identity(folder: Path) -> tuple[int, int] | None:
    """The store folder of ``folder`` as the file system knows it (a publish moves a new one in);
    ``None`` when there is none."""
    try:
        status = (folder / STORE_DIR).stat()
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino


def _wait_for_listening(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _, stderr = process.communicate()
            raise StoreError(f"the SPARQL server stopped: {stderr.decode(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise StoreError("the SPARQL server did not start within 30 s")


def _stop(upstream: _Upstream) -> None:
    """Stop an Oxigraph: asked to, then, where it has not within 5 s, killed."""
    upstream.process.terminate()
    try:
        upstream.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        upstream.process.kill()
        upstream.process.wait()


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
