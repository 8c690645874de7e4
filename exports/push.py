"""``policykg push``: every document's named graph into an external triple store, kept in step.

Each named graph goes to a SPARQL 1.1 Graph Store Protocol endpoint with ``PUT …?graph=IRI``,
which replaces that graph: pushing again changes nothing. Works with Oxigraph (``…/store``),
Apache Jena Fuseki (``…/DATASET/data``), GraphDB (``…/repositories/REPO/rdf-graphs/service``) and
Virtuoso (``…/sparql-graph-crud-auth``, with ``--user``).

A built folder keeps what it pushed where (:data:`PUSHED_FILE`: for each endpoint, each graph and a
digest of its triples), so a push after a refresh writes only the graphs that changed, and deletes
(``DELETE …?graph=IRI``) those of the files removed since: at 10,000 documents, a few graphs rather
than 20,000. Where the endpoint's store was emptied or changed by others, ``everything`` pushes every
graph again.
"""
from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from urllib.parse import quote, urlsplit

from policykg.graph.files import write_atomically
from policykg.graph.store import PolicyStore, StoreError

N_TRIPLES = "application/n-triples"
PUSHED_FILE = ".pushed.json"


@dataclass(frozen=True)
class PushedGraph:
    graph: str
    triples: int
    status: int


@dataclass
class Push:
    """What a push did: the graphs written, how many were left as they were, the graphs deleted; and
    the digest of each graph now at the endpoint."""

    written: list[PushedGraph] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)


def push_folder(folder: Path, store: PolicyStore, endpoint: str, user: str | None = None,
                everything: bool = False) -> Push:
    """:func:`push` the store of the built ``folder``, from what the folder says it pushed there
    before (nothing, with ``everything``); then note what is there now."""
    record = _pushed(folder)
    done = push(store, endpoint, user, before={} if everything else record.get(endpoint, {}))
    record[endpoint] = done.digests
    write_atomically(folder / PUSHED_FILE, json.dumps(record, ensure_ascii=False, sort_keys=True))
    return done


def _check_endpoint(endpoint: str) -> None:
    """Refuse, before any graph is sent, an endpoint that is no HTTP URL.

    >>> _check_endpoint("localhost:7878/store")
    Traceback (most recent call last):
    ...
    policykg.graph.store.StoreError: localhost:7878/store: not the http:// or https:// URL of a Graph Store Protocol endpoint (Oxigraph's: http://localhost:7878/store)
    """
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"{endpoint}: not the http:// or https:// URL of a Graph Store Protocol endpoint "
                         "(Oxigraph's: http://localhost:7878/store)")


def push(store: PolicyStore, endpoint: str, user: str | None = None, timeout_s: int = 120,
         before: Mapping[str, str] = {}) -> Push:
    """PUT each named graph of ``store`` to the Graph Store Protocol ``endpoint`` whose triples are not
    those ``before`` says were pushed (graph → :func:`triples_digest`); DELETE the graphs of
    ``before`` the store no longer holds."""
    _check_endpoint(endpoint)
    headers = {"Content-Type": N_TRIPLES}
    if user:
        headers["Authorization"] = "Basic " + base64.b64encode(user.encode("utf-8")).decode("ascii")
    done = Push()
    for name in store.named_graphs():
        body = store.dump_graph(name)
        digest = done.digests[name] = triples_digest(body)
        if before.get(name) == digest:
            done.unchanged += 1
            continue
        status = _sent(endpoint, name, "PUT", body, headers, timeout_s)
        done.written.append(PushedGraph(name, body.count(b"\n"), status))
    for name in sorted(before.keys() - done.digests.keys()):
        _sent(endpoint, name, "DELETE", None, headers, timeout_s)
        done.deleted.append(name)
    return done


def triples_digest(body: bytes) -> str:
    """A digest of a graph's N-Triples, whatever order they come in.

    >>> a, b = b"<urn:a> <urn:p> 1 .\\n", b"<urn:b> <urn:p> 2 .\\n"
    >>> triples_digest(a + b) == triples_digest(b + a) != triples_digest(a)
    True
    """
    return hashlib.sha256(b"".join(sorted(body.splitlines(keepends=True)))).hexdigest()


def _sent(endpoint: str, graph: str, method: str, body: bytes | None, headers: dict[str, str], timeout_s: int) -> int:
    """One Graph Store Protocol request for ``graph``; its status. A graph to delete that the endpoint
    does not hold (404) is as good as deleted."""
    separator = "&" if "?" in endpoint else "?"
    request = urllib.request.Request(f"{endpoint}{separator}graph={quote(graph, safe='')}", data=body,
                                     method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        if method == "DELETE" and exc.code == 404:
            return exc.code
        raise StoreError(f"{endpoint}: {exc.code} {exc.reason} for graph {graph}: "
                         f"{exc.read(300).decode('utf-8', 'replace')}") from exc
    except urllib.error.URLError as exc:
        raise StoreError(f"{endpoint}: cannot reach the endpoint: {exc.reason}") from exc


def _pushed(folder: Path) -> dict[str, dict[str, str]]:
    """What the built ``folder`` pushed where (:data:`PUSHED_FILE`); nothing when it has no record, or
    one it cannot read (every graph is then pushed again)."""
    try:
        record = json.loads((folder / PUSHED_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}
