"""What source files' graphs mean in the light of the whole corpus: links and renamings graphs.

A file's own graph says what it cites as written (``pkg:citedTitle``, ``pkg:citedNumber``); which
document that is depends on what else is loaded. So the answer lives in a second named graph per
file, ``<file>/links``: ``eli:cites``, ``eli:based_on``, ``pkg:citedDocument``, and the cited
document's title and 文号 as the citation writes them. When documents are added, replaced or
removed, only the links graphs whose answers may change are rewritten (:func:`relink`): those of
the files loaded now, those citing a document that changed, and those citing by 文号 a document
that was just added. A cited document that is loaded later thus meets its citations, whatever the
order files arrive in.

Which agencies the 2018 reform renamed into one another (:mod:`policykg.graph.renamings`) also
depends on what the corpus names: one graph, :data:`RENAMINGS_GRAPH`, states each renaming between
two agencies it names once, as an ``org:ChangeEvent``. A batch sets it right for the agencies the
files it loaded or let go of name: a renaming comes when the corpus names both agencies and goes
when it no longer names one. No file's own graphs change for it, so neither do their answers.

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

import pickle
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO, Iterable, Iterator

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from policykg.loaders.docnumber import split_doc_number
from policykg.loaders.records import SourceFile
from policykg.ontology import ELI, ID, PKG, SPARQL_PREFIXES

from .build import citation_iri, owner_of
from .identity import file_iri
from .nquads import rdf_term
from .renamings import change_event, counterparts, renamed_agencies
from .resolve import DocumentResolver
from .store import PolicyStore, RdfTriple

LINKS_SUFFIX = "/links"
RENAMINGS_GRAPH = ID["renamings"]  # the 2018 reform's renamings between agencies the corpus names
# files whose links graphs are made and written at once: what relink holds grows with a chunk, not with
# the batch (made all at once, the links of a first build of 10,000 files held 25 MB more at its peak;
# written all at once, in one bulk load of 9,000 small graphs, 90 MB more)
RELINK_CHUNK = 1_000


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
    """The named graphs of the source files a store holds, their links graphs and the renamings aside."""
    return {graph for graph in store.named_graphs()
            if not graph.endswith(LINKS_SUFFIX) and graph != str(RENAMINGS_GRAPH)}


def citation_records(source: SourceFile, resolver: DocumentResolver) -> list[CitationRecord]:
    """The citations a parsed file writes, under the IRIs ``resolver`` gave its documents."""
    graph = file_iri(source.path)
    records: list[CitationRecord] = []
    for document in source.documents:
        doc = resolver.loaded_iri(document.title, owner_of(document), document.doc_number)
        records.extend(CitationRecord(graph, doc, citation_iri(doc, index), c.title, c.doc_number, c.basis)
                       for index, c in enumerate(document.citations, start=1))
    return records


def build_links(records: Iterable[CitationRecord], resolver: DocumentResolver) -> dict[URIRef, set[RdfTriple]]:
    """The links graphs of the records' files: links graph IRI → triples."""
    graphs: dict[URIRef, set[RdfTriple]] = defaultdict(set)
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


class SetAside:
    """The citations of the files a batch loads, set aside on disk as they come and read back in
    that order, :data:`RELINK_CHUNK` files at a time: what a load holds does not grow with its files
    (held in a list, some 1.3 MB per 1,000 documents). Read back from the store instead, they took
    3 to 6 s more at 10,000 documents, from a store just written."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._files = 0

    def add(self, graph: URIRef, records: tuple[CitationRecord, ...]) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile()
        pickle.dump((graph, records), self._file)
        self._files += 1

    def chunks(self) -> Iterator[list[tuple[URIRef, tuple[CitationRecord, ...]]]]:
        """Each file's graph and citations, as they were set aside, a chunk at a time; then let go of."""
        if self._file is None:
            return
        self._file.seek(0)
        for start in range(0, self._files, RELINK_CHUNK):
            yield [pickle.load(self._file) for _ in range(min(RELINK_CHUNK, self._files - start))]
        self._file.close()
        self._file, self._files = None, 0


@dataclass
class Changes:
    """What a batch did to the store, as :func:`relink` needs it."""

    loaded: set[URIRef] = field(default_factory=set)  # the file graphs loaded
    citations: SetAside = field(default_factory=SetAside)  # theirs
    added_documents: set[URIRef] = field(default_factory=set)  # theirs
    changed_documents: set[URIRef] = field(default_factory=set)  # those of the file graphs replaced or removed
    agencies: dict[URIRef, str] = field(default_factory=dict)  # renamed by the reform (renamed_agencies), named
    # by the files loaded or by those replaced or removed: IRI → key

    def note_leaving(self, store: PolicyStore, graph: URIRef) -> None:
        """Note what a file graph holds before it is replaced or removed."""
        if store.holds_graph(graph):
            self.changed_documents |= store.documents_in(graph)
            self.agencies |= stored_agencies(store, graph)

    def note_loaded(self, graph: URIRef, citations: tuple[CitationRecord, ...], documents: Iterable[URIRef],
                    agencies: dict[URIRef, str]) -> None:
        """Note a file graph loaded: its citations, the documents it added, the renamed agencies it names."""
        self.loaded.add(graph)
        self.citations.add(graph, citations)
        self.added_documents.update(documents)
        self.agencies |= agencies


def relink(store: PolicyStore, resolver: DocumentResolver, changes: Changes) -> None:
    """Rewrite the links graphs that may have changed, and the renamings; ``resolver`` knows every
    document in the store. The links graphs are made and handed to the store :data:`RELINK_CHUNK`
    files at a time: the loaded files' from the citations they set aside, then those of the files
    whose citations may now resolve otherwise, from the store."""
    stale = _graphs_citing(store, changes.changed_documents)
    if len(file_graphs(store)) > len(changes.loaded):  # files loaded before: a first build's are all loaded now
        stale |= _graphs_citing_by_number(store, resolver, changes.added_documents)
    for files in changes.citations.chunks():
        _write_links(store, [graph for graph, _ in files], [r for _, records in files for r in records], resolver)
    stale_graphs = sorted(stale - changes.loaded)
    for start in range(0, len(stale_graphs), RELINK_CHUNK):
        chunk = stale_graphs[start:start + RELINK_CHUNK]
        _write_links(store, chunk, stored_citations(store, chunk), resolver)
    _rename(store, changes.agencies)


def _write_links(store: PolicyStore, graphs: list[URIRef], records: list[CitationRecord],
                 resolver: DocumentResolver) -> None:
    """The links graphs of file graphs, made from their citations (a file citing nothing has none),
    written to the store before the next chunk's are made."""
    links = build_links(records, resolver)
    for graph in graphs:
        name = links_graph_iri(graph)
        if name in links:
            store.replace_graph(name, links[name])
        else:
            store.remove_graph(name)
    store.write_buffered()


def stored_agencies(store: PolicyStore, graph: URIRef) -> dict[URIRef, str]:
    """The agencies a file graph names that the reform renamed (:func:`~.renamings.renamed_agencies`)."""
    rows = store.rows(SPARQL_PREFIXES + """
        SELECT ?agency ?key WHERE { GRAPH ?g { ?agency a org:Organization ; skos:prefLabel ?key } }""", {"g": graph})
    return renamed_agencies({URIRef(agency): key for agency, key in rows})


def _rename(store: PolicyStore, agencies: dict[URIRef, str]) -> None:
    """Set the renamings right for ``agencies`` (IRI → key), which a batch's files named: a renaming
    goes when the corpus no longer names one of its agencies, and comes when it names both."""
    if not agencies:
        return
    renamed = {agency: counterparts(agency, key) for agency, key in agencies.items()}
    named = _named(store, renamed.keys() | {other for others in renamed.values() for other in others})
    stored = _stored_renamings(store)
    renamings = {pair for pair in stored if all(agency in named for agency in pair if agency in agencies)}
    renamings |= {(other, agency) if relation == "predecessor" else (agency, other)
                  for agency, others in renamed.items() if agency in named
                  for other, relation in others.items() if other in named}
    if renamings != stored:
        store.replace_graph(RENAMINGS_GRAPH, {triple for pair in sorted(renamings) for triple in change_event(*pair)})


def _stored_renamings(store: PolicyStore) -> set[tuple[URIRef, URIRef]]:
    """The renamings stated: ``(original, resulting)`` agencies."""
    rows = store.rows(SPARQL_PREFIXES + """SELECT ?original ?resulting WHERE {
        GRAPH ?g { ?event org:originalOrganization ?original ; org:resultingOrganization ?resulting } }""",
                      {"g": RENAMINGS_GRAPH})
    return {(URIRef(original), URIRef(resulting)) for original, resulting in rows}


def _named(store: PolicyStore, agencies: Iterable[URIRef]) -> set[URIRef]:
    """Those of the agencies some file's graph names."""
    return store.subjects_stated(agencies, RDF.type, ORG.Organization)


def stored_citations(store: PolicyStore, graphs: Iterable[URIRef]) -> list[CitationRecord]:
    """The citations the given file graphs hold."""
    graphs = sorted(graphs)
    if not graphs:
        return []
    values = " ".join(f"<{g}>" for g in graphs)
    rows = store.rows(SPARQL_PREFIXES + f"""
        SELECT ?g ?doc ?node ?title ?number ?basis WHERE {{
          VALUES ?g {{ {values} }}
          GRAPH ?g {{ ?node pkg:citingDocument ?doc ; pkg:citedTitle ?title ; pkg:basis ?basis }}
          LATERAL {{ OPTIONAL {{ GRAPH ?g {{ ?node pkg:citedNumber ?number }} }} }}
        }}""")  # a look-up per citation (LATERAL): an OPTIONAL alone reads every 文号 cited first (4x slower)
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
