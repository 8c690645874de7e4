"""``policykg push``: every document's named graph into an external triple store.

Each named graph goes to a SPARQL 1.1 Graph Store Protocol endpoint with ``PUT …?graph=IRI``,
which replaces that graph: pushing again changes nothing. Works with Oxigraph (``…/store``),
Apache Jena Fuseki (``…/DATASET/data``), GraphDB (``…/repositories/REPO/rdf-graphs/service``) and
Virtuoso (``…/sparql-graph-crud-auth``, with ``--user``).
"""
from __future__ import annotations

import base64
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote

from policykg.graph.store import PolicyStore, StoreError

N_TRIPLES = "application/n-triples"


@dataclass(frozen=True)
class PushedGraph:
    graph: str
    triples: int
    status: int


def push(store: PolicyStore, endpoint: str, user: str | None = None, timeout_s: int = 120) -> list[PushedGraph]:
    """PUT every named graph of ``store`` to the Graph Store Protocol ``endpoint``."""
    headers = {"Content-Type": N_TRIPLES}
    if user:
        headers["Authorization"] = "Basic " + base64.b64encode(user.encode("utf-8")).decode("ascii")
    pushed = []
    for name in store.named_graphs():
        body = store.dump_graph(name)
        separator = "&" if "?" in endpoint else "?"
        request = urllib.request.Request(f"{endpoint}{separator}graph={quote(name, safe='')}", data=body,
                                         method="PUT", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise StoreError(f"{endpoint}: {exc.code} {exc.reason} for graph {name}: "
                             f"{exc.read(300).decode('utf-8', 'replace')}") from exc
        except urllib.error.URLError as exc:
            raise StoreError(f"{endpoint}: cannot reach the endpoint: {exc.reason}") from exc
        pushed.append(PushedGraph(name, body.count(b"\n"), status))
    return pushed
