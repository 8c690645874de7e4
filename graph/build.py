"""Records to RDF: one graph per source file, holding everything read from that file.

What the file's citations point at depends on the rest of the corpus, so it is not here but in the
file's links graph (:mod:`policykg.graph.links`).

>>> from policykg.loaders.pipeline import parse_source_text
>>> from policykg.loaders.records import SourceFile
>>> docs = parse_source_text("武汉市人民政府关于推进开发区建设的意见\\n二、主要任务\\n(一)优化布局。(责任单位:市发改委)", "a.txt")
>>> built = build_file_graph(SourceFile("a.txt", "a.txt", "0" * 64, "utf-8", docs))
>>> len(list(built.graph().subjects(RDF.type, PKG.Measure)))
1
"""
from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS
from rdflib.term import Node

from policykg.loaders.records import Citation, Document, Measure, Place, SourceFile, Span, Zone
from policykg.ontology import ELI, OA, PKG

from .identity import agency_iri, agency_key, file_iri, industry_iri, measure_iri, place_iri, zone_iri
from .resolve import DocumentKeys, DocumentResolver

Triple = tuple[Node, Node, Node]


class FileGraph(NamedTuple):
    """The named graph of one source file: its IRI and its triples."""

    name: URIRef
    triples: set[Triple]

    def graph(self) -> Graph:
        """The triples as an rdflib ``Graph``."""
        graph = Graph()
        for triple in self.triples:
            graph.add(triple)
        return graph


ROLES = {"lead": PKG.lead, "support": PKG.support, "implementer": PKG.implementer, "responsible": PKG.responsible}
PREFIX_LEVEL = {"省": 2, "市": 4}


def build_file_graph(source: SourceFile, resolver: DocumentResolver | None = None) -> FileGraph:
    """The named graph of a source file: the triples read from it.

    ``resolver`` decides the documents' IRIs (and remembers them for the citations of other files).
    """
    graph: set[Triple] = set()
    source_iri = file_iri(source.path)
    graph.add((source_iri, RDF.type, PKG.SourceFile))
    graph.add((source_iri, PKG.fileName, Literal(source.path)))
    graph.add((source_iri, PKG.sha256, Literal(source.sha256)))
    graph.add((source_iri, PKG.encoding, Literal(source.encoding)))
    for document in source.documents:
        _add_document(graph, document, source_iri, resolver or DocumentResolver())
    return FileGraph(source_iri, graph)


def owner_of(document: Document) -> str:
    """``file#part``: which loaded document this is."""
    return f"{document.source_file}#{document.part}"


def _add_document(graph: set[Triple], document: Document, source_iri: URIRef, resolver: DocumentResolver) -> None:
    doc = resolver.loaded_iri(document.title, owner_of(document), document.doc_number)
    graph.add((doc, RDF.type, ELI.LegalResource))
    graph.add((doc, DCTERMS.title, Literal(document.title)))
    graph.add((doc, ELI.title, Literal(document.title, lang="zh")))
    graph.add((doc, PKG.sourceFile, source_iri))
    graph.add((doc, PKG.part, Literal(document.part)))
    graph.add((doc, PKG.traditionalScript, Literal(document.traditional)))
    _add_selector(graph, doc, document.span, source_iri)
    if document.doc_number:
        graph.add((doc, ELI.id_local, Literal(document.doc_number)))
    _add_keys(graph, doc, DocumentKeys.of(document.title, document.doc_number))
    if document.date_issued:
        graph.add((doc, ELI.date_document, Literal(document.date_issued, datatype=XSD.date)))
    place = _add_place(graph, document.jurisdiction) if document.jurisdiction else None
    if place is not None:
        graph.add((doc, PKG.jurisdiction, place))
    for issuer in document.issuers:
        graph.add((doc, ELI.passed_by, _add_agency(graph, issuer, document.jurisdiction)))
    occurrences: Counter[str] = Counter()
    for measure in document.measures:
        occurrences[measure.measure_id] += 1
        _add_measure(graph, doc, measure, occurrences[measure.measure_id], document.jurisdiction, source_iri)
    for index, citation in enumerate(document.citations, start=1):
        _add_citation(graph, doc, index, citation, source_iri)
    for zone in document.zones:
        graph.add((doc, PKG.mentionsZone, _add_zone(graph, zone)))


def _add_measure(graph: set[Triple], doc: URIRef, measure: Measure, occurrence: int, place: Place | None,
                 source_iri: URIRef) -> None:
    """A measure; an id written twice in one document (a scrape that lost a heading) stays two nodes."""
    node = measure_iri(doc, measure.measure_id, occurrence)
    graph.add((node, RDF.type, PKG.Measure))
    graph.add((node, RDF.type, ELI.LegalResourceSubdivision))
    graph.add((node, PKG.measureId, Literal(measure.measure_id)))
    graph.add((node, DCTERMS.title, Literal(measure.heading)))
    graph.add((node, PKG.sourceText, Literal(measure.text)))
    graph.add((node, ELI.is_part_of, doc))
    graph.add((doc, ELI.has_part, node))
    _add_selector(graph, node, measure.span, source_iri)
    for agency in measure.agencies:
        owner = URIRef(f"{node}/owner/{agency.order}")
        graph.add((node, PKG.responsibility, owner))
        graph.add((owner, RDF.type, PKG.Responsibility))
        graph.add((owner, PKG.agent, _add_agency(graph, agency.name, place, agency.as_written)))
        graph.add((owner, PKG.role, ROLES[agency.role]))
        graph.add((owner, PKG.order, Literal(agency.order)))
        graph.add((owner, PKG.asWritten, Literal(agency.as_written)))
        graph.add((owner, PKG.agentName, Literal(agency.name)))
        graph.add((owner, PKG.sourceText, Literal(agency.clause)))
        _add_selector(graph, owner, agency.span, source_iri)


def _add_citation(graph: set[Triple], doc: URIRef, index: int, citation: Citation, source_iri: URIRef) -> None:
    node = citation_iri(doc, index)
    graph.add((node, RDF.type, PKG.Citation))
    graph.add((node, PKG.citingDocument, doc))
    graph.add((node, PKG.basis, Literal(citation.basis)))
    graph.add((node, PKG.citedTitle, Literal(citation.title)))
    if citation.doc_number:
        graph.add((node, PKG.citedNumber, Literal(citation.doc_number)))
        _add_number_keys(graph, node, DocumentKeys.of(citation.title, citation.doc_number))
    _add_selector(graph, node, citation.span, source_iri)


def _add_keys(graph: set[Triple], doc: URIRef, keys: DocumentKeys) -> None:
    """The keys a loaded document is found by."""
    graph.add((doc, PKG.titleKey, Literal(keys.title)))
    _add_number_keys(graph, doc, keys)


def _add_number_keys(graph: set[Triple], subject: URIRef, keys: DocumentKeys) -> None:
    """A 文号's keys: of a loaded document, or of the one a citation names (to find it by them)."""
    if keys.number:
        graph.add((subject, PKG.numberKey, Literal(keys.number)))
        graph.add((subject, PKG.issuerSerial, Literal(keys.issuer_serial)))


def citation_iri(doc: URIRef, index: int) -> URIRef:
    """The ``index``-th citation (1-based) written in a document."""
    return URIRef(f"{doc}/citation/{index}")


def _add_agency(graph: set[Triple], name: str, place: Place | None, written: str | None = None) -> URIRef:
    scope = _agency_scope(graph, name, place)
    node = agency_iri(name, scope)
    graph.add((node, RDF.type, ORG.Organization))
    graph.add((node, SKOS.prefLabel, Literal(agency_key(name), lang="zh")))
    for form in {name, written or name}:
        graph.add((node, SKOS.altLabel, Literal(form, lang="zh")))
    if scope is not None:
        graph.add((node, PKG.jurisdiction, scope))
    return node


def _agency_scope(graph: set[Triple], name: str, place: Place | None) -> URIRef | None:
    """The jurisdiction an agency belongs to: 省… → the province, 市… → the city, else the document's."""
    if place is None:
        return None
    if place.adcode and name[:1] in PREFIX_LEVEL:
        width = PREFIX_LEVEL[name[0]]
        code = place.adcode[:width].ljust(6, "0")
        return place_iri("", code)
    return place_iri(place.name, place.adcode)


def _add_place(graph: set[Triple], place: Place) -> URIRef:
    node = place_iri(place.name, place.adcode)
    graph.add((node, RDF.type, PKG.Jurisdiction))
    graph.add((node, SKOS.prefLabel, Literal(place.name, lang="zh")))
    graph.add((node, PKG.level, Literal(place.level)))
    if place.adcode:
        graph.add((node, PKG.adcode, Literal(place.adcode)))
        for width, name in ((2, place.province), (4, place.city)):
            code = place.adcode[:width].ljust(6, "0")
            if name and code != place.adcode:
                parent = place_iri(name, code)
                graph.add((node, PKG.withinJurisdiction, parent))
                graph.add((parent, RDF.type, PKG.Jurisdiction))
                graph.add((parent, SKOS.prefLabel, Literal(name, lang="zh")))
                graph.add((parent, PKG.adcode, Literal(code)))
                graph.add((parent, PKG.level, Literal("province" if width == 2 else "city")))
    return node


def _add_zone(graph: set[Triple], zone: Zone) -> URIRef:
    node = zone_iri(zone.name)
    graph.add((node, RDF.type, PKG.Zone))
    graph.add((node, SKOS.prefLabel, Literal(zone.name, lang="zh")))
    for alias in zone.aliases:
        graph.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
    for industry in zone.industries:
        concept = industry_iri(industry)
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, PKG.IndustryScheme))
        graph.add((concept, SKOS.prefLabel, Literal(industry, lang="zh")))
        graph.add((node, PKG.focusIndustry, concept))
    return node


def _add_selector(graph: set[Triple], subject: URIRef, span: Span, source_iri: URIRef) -> None:
    selector = URIRef(f"{subject}/at")
    graph.add((subject, PKG.selector, selector))
    graph.add((selector, RDF.type, OA.TextPositionSelector))
    graph.add((selector, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
    graph.add((selector, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
    graph.add((selector, PKG.sourceFile, source_iri))
