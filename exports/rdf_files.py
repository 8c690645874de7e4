"""The graph of a built folder in the RDF format a file's name asks for, for tools that read
another than TriG: ``.ttl`` (Turtle), ``.nt`` (N-Triples), ``.rdf`` (RDF/XML), ``.nq`` (N-Quads),
``.trig``, ``.jsonld`` (JSON-LD in compact form: :mod:`.jsonld`). N-Quads, TriG and JSON-LD keep
each source file's named graph; the others give each graph's triples in turn, their merge (a
triple two graphs hold may be written twice, which a reader takes once). Either the whole store,
or some source files' graphs alone, each with its links graph (the citations it resolves). Written
as Oxigraph reads the store, no statement held: 261 MB at most for 10,000 documents.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from policykg.graph.identity import file_iri
from policykg.graph.links import links_graph_iri
from policykg.graph.store import PolicyStore, StoreError

from .jsonld import write_jsonld

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML,
           ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD}


def rdf_format(path: Path) -> ox.RdfFormat:
    """The format a file's suffix names, one of :data:`FORMATS`.

    >>> rdf_format(Path("graph.jsonld")).name, rdf_format(Path("graph.TTL")).name
    ('JSON-LD', 'Turtle')
    >>> rdf_format(Path("graph.csv"))
    Traceback (most recent call last):
    ...
    policykg.graph.store.StoreError: graph.csv: the graph is written as .ttl, .nt, .rdf, .nq, .trig or .jsonld
    """
    format = FORMATS.get(path.suffix.lower())
    if format is None:
        *others, last = FORMATS
        raise StoreError(f"{path.name}: the graph is written as {', '.join(others)} or {last}")
    return format


def write_rdf(store: PolicyStore, path: Path, sources: Iterable[str] = ()) -> list[str]:
    """The store's graph into ``path``, in the format its suffix names (:func:`rdf_format`): the
    graphs of the source files ``sources`` alone (as the load report names them) if any, each with
    its links graph, else every graph. Returns the named graphs written, in order; a source file
    the store does not hold is a :class:`StoreError`, and nothing is written, as when writing fails."""
    format = rdf_format(path)
    graphs = _graphs_of(store, list(sources)) if sources else None
    partial = path.with_name(f".{path.name}.partial")  # moved into place once whole: no half-written file
    try:
        if format == ox.RdfFormat.JSON_LD:
            write_jsonld(store, partial, store.named_graphs() if graphs is None else graphs)
        else:
            store.write_as(partial, format, graphs)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return graphs if graphs is not None else store.named_graphs()


def _graphs_of(store: PolicyStore, sources: list[str]) -> list[str]:
    """The named graphs of source files, each with its links graph where it has one."""
    missing = [source for source in sources if not store.holds_graph(file_iri(source))]
    if missing:
        raise StoreError(f"{', '.join(missing)}: not in the store (the load report lists the files it holds)")
    held = set(store.named_graphs())
    graphs = [file_iri(source) for source in sources]
    return [str(graph) for graph in graphs] + [str(links) for links in map(links_graph_iri, graphs) if str(links) in held]
