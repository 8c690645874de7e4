"""Where citations point: each source file's links graph, resolved against the whole corpus.

A file's own graph says what it cites as written (``pkg:citedTitle``, ``pkg:citedNumber``); which
document that is depends on what else is loaded. So the answer lives in a second named graph per
file, ``<file>/links``: ``eli:cites``, ``eli:based_on``, ``pkg:citedDocument``, and the cited
document's title and 文号 as the citation writes them. When documents are added, replaced or
removed, only the links graphs whose answers may change are rewritten (:func:`relink`): those of
the files loaded now, those citing a document that changed, and those citing by 文号 a document
that was just added. A cited document that is loaded later thus meets its citations, whatever the
order files arrive in.

>>> from rdflib import URIRef
>>> from policykg.graph.resolve import DocumentResolver
>>> resolver = DocumentResolver()
>>> plan = resolver.loaded_iri("国务院关于促进国家高新技术产业开发区高质量发展的若干意见", "a.txt#1", "国发〔2020〕7号")
>>> record = CitationRecord(URIRef("urn:file:b"), URIRef("urn:doc:b"), URIRef("urn:doc:b/citation/1"),
...                         "国务院关于促进高新区高质量发展的意见", "国发〔20xx〕7号", True)
>>> (URIRef("urn:doc:b"), ELI.based_on, plan) in build_links([record], resolver)[links_graph_iri(record.graph)]
True
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from policykg.loaders.docnumber import split_doc_number
from policykg.loaders.records import SourceFile
from policykg.ontology import ELI, PKG, SPARQL_PREFIXES

from .build import citation_iri, owner_of
from .identity import file_iri
from .nquads import rdf_term
from .resolve import DocumentResolver
from .store import PolicyStore

LINKS_SUFFIX = "/links"
Triple = tuple[Node, Node, Node]  # rdflib terms: a links graph is small, and rdflib users read it


@dataclass(frozen=True)
class CitationRecord:
    """One citation as written, and where: the citing file's graph, document and citation node."""

    graph: URIRef
    doc: URIRef
    node: URIRef
    title: str
    number: str | None
    basis: bool


def links_graph_iri(file_graph: URIRef) -> URIRef:
    """The links graph of a source file's graph."""
    return URIRef(f"{file_graph}{LINKS_SUFFIX}")


def file_graphs(store: PolicyStore) -> set[str]:
    """The named graphs of the source files a store holds, their links graphs aside."""
    return {graph for graph in store.named_graphs() if not graph.endswith(LINKS_SUFFIX)}


def citation_records(source: SourceFile, resolver: DocumentResolver) -> list[CitationRecord]:
    """The citations a parsed file writes, under the IRIs ``resolver`` gave its documents."""
    graph = file_iri(source.path)
    records: list[CitationRecord] = []
    for document in source.documents:
        doc = resolver.loaded_iri(document.title, owner_of(document), document.doc_number)
        records.extend(CitationRecord(graph, doc, citation_iri(doc, index), c.title, c.doc_number, c.basis)
                       for index, c in enumerate(document.citations, start=1))
    return records


def build_links(records: Iterable[CitationRecord], resolver: DocumentResolver) -> dict[URIRef, set[Triple]]:
    """The links graphs of the records' files: links graph IRI → triples."""
    graphs: dict[URIRef, set[Triple]] = defaultdict(set)
    for record in records:
        graph = graphs[links_graph_iri(record.graph)]
        cited = resolver.resolve(record.title, record.number)
        graph.add((record.doc, ELI.cites, cited))
        if record.basis:
            graph.add((record.doc, ELI.based_on, cited))
        graph.add((record.node, PKG.citedDocument, cited))
        graph.add((cited, RDF.type, ELI.LegalResource))
        graph.add((cited, DCTERMS.title, Literal(record.title)))
        parts = split_doc_number(record.number) if record.number else None
        if parts is not None:
            graph.add((cited, ELI.id_local, Literal(record.number)))
            graph.add((cited, SKOS.notation, Literal(parts.code)))
    return graphs


def relink(store: PolicyStore, resolver: DocumentResolver, fresh: list[CitationRecord], loaded_files: set[URIRef],
           changed_documents: set[URIRef], added_documents: set[URIRef]) -> None:
    """Rewrite the links graphs that may have changed.

    ``fresh``: the citations of ``loaded_files`` (loaded now); ``changed_documents``: documents that
    were replaced or removed; ``added_documents``: documents loaded now. ``resolver`` knows every
    document in the store.
    """
    stale = (_graphs_citing(store, changed_documents) | _graphs_citing_by_number(store, resolver, added_documents))
    records = fresh + stored_citations(store, stale - loaded_files)
    links = build_links(records, resolver)
    for graph in loaded_files | stale:
        name = links_graph_iri(graph)
        if name in links:
            store.replace_graph(name, links[name])
        else:
            store.remove_graph(name)


def stored_citations(store: PolicyStore, graphs: Iterable[URIRef]) -> list[CitationRecord]:
    """The citations the given file graphs hold."""
    graphs = sorted(graphs)
    if not graphs:
        return []
    values = " ".join(f"<{g}>" for g in graphs)
    rows = store.rows(SPARQL_PREFIXES + f"""
        SELECT ?g ?doc ?node ?title ?number ?basis WHERE {{
          VALUES ?g {{ {values} }}
          GRAPH ?g {{ ?node pkg:citingDocument ?doc ; pkg:citedTitle ?title ; pkg:basis ?basis .
                     OPTIONAL {{ ?node pkg:citedNumber ?number }} }}
        }}""")
    return [CitationRecord(URIRef(g), URIRef(doc), URIRef(node), title, number or None, basis == "true")
            for g, doc, node, title, number, basis in rows]


def _graphs_citing(store: PolicyStore, documents: set[URIRef]) -> set[URIRef]:
    """File graphs whose links point at any of ``documents``."""
    if not documents:
        return set()
    values = " ".join(f"<{d}>" for d in sorted(documents))
    rows = store.rows(SPARQL_PREFIXES + f"""
        SELECT DISTINCT ?links WHERE {{ VALUES ?doc {{ {values} }} GRAPH ?links {{ ?c pkg:citedDocument ?doc }} }}""")
    return {_file_graph(links) for (links,) in rows}


def _graphs_citing_by_number(store: PolicyStore, resolver: DocumentResolver, added: set[URIRef]) -> set[URIRef]:
    """File graphs with a citation whose 文号 now resolves to an added document.

    Only citations sharing an added document's issuer code and serial can: they are looked up by
    that key (``pkg:issuerSerial``), not by reading every citation in the store.
    """
    if not added:
        return set()
    documents = " ".join(f"<{d}>" for d in sorted(added))
    serials = {serial for (serial,) in store.rows(SPARQL_PREFIXES + f"""
        SELECT DISTINCT ?serial WHERE {{ VALUES ?doc {{ {documents} }} GRAPH ?g {{ ?doc pkg:issuerSerial ?serial }} }}""")}
    if not serials:
        return set()
    values = " ".join(rdf_term(Literal(serial)) for serial in sorted(serials))
    rows = store.rows(SPARQL_PREFIXES + f"""
        SELECT DISTINCT ?g ?number WHERE {{ VALUES ?serial {{ {values} }}
          GRAPH ?g {{ ?c pkg:issuerSerial ?serial ; pkg:citedNumber ?number }} }}""")
    return {URIRef(g) for g, number in rows if resolver.by_number(number) in added}


def _file_graph(links: str) -> URIRef:
    return URIRef(links.removesuffix(LINKS_SUFFIX))
