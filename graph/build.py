"""Records to RDF: one graph per source file, holding everything read from that file.

What the file's citations point at depends on the rest of the corpus, so it is not here but in the
file's links graph (:mod:`policykg.graph.links`).

>>> from policykg.loaders.pipeline import parse_source_text
>>> from policykg.loaders.records import SourceFile
>>> docs = parse_source_text("武汉市人民政府关于推进开发区建设的意见\\n二、主要任务\\n(一)优化布局。(责任单位:市发改委)", "a.txt")
>>> built = build_file_graph(SourceFile("a.txt", "a.txt", "0" * 64, "utf-8", docs))
>>> len(list(built.graph().subjects(RDF.type, PKG.Measure)))
1

Terms are written as N-Triples text as they are made (:mod:`policykg.graph.nquads`): the graph of
a file goes to the store as text, and rdflib's term objects cost several times as much to build.
"""
from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from rdflib import RDF, XSD, Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from policykg.loaders.records import Citation, Document, Measure, Place, SourceFile, Span, Target, Zone
from policykg.loaders.zones import short_form
from policykg.ontology import ELI, OA, PKG

from .identity import agency_iri, agency_key, file_iri, industry_iri, measure_iri, place_iri, zone_iri
from .nquads import Terms, Triple, boolean, integer, iri, nquads, text, typed
from .resolve import DocumentKeys, DocumentResolver

rdf, dcterms, org, skos, eli, oa, pkg = (Terms(ns) for ns in (RDF, DCTERMS, ORG, SKOS, ELI, OA, PKG))


class FileGraph(NamedTuple):
    """The named graph of one source file: its IRI and its triples, as N-Triples terms."""

    name: URIRef
    triples: set[Triple]

    def nquads(self) -> str:
        return nquads(self.name, self.triples)

    def graph(self) -> Graph:
        """The triples as an rdflib ``Graph``."""
        return Graph().parse(data="".join(f"{s} {p} {o} .\n" for s, p, o in self.triples), format="nt")


# the version of the graphs build_file_graph makes: a store holding graphs made otherwise is not
# added to (its zones, say, would be missing from the tables once a graph without mentions is read).
# 2: zone mentions; 3: names keyed through Taiwan phrasing (normalize.compare_key), so some IRIs differ;
# 4: the 2018 reform's renamings in a graph of their own (links.RENAMINGS_GRAPH), which a store made before lacks;
# 5: targets
GRAPH_MODEL = 5
ROLES = {"lead": pkg.lead, "support": pkg.support, "implementer": pkg.implementer, "responsible": pkg.responsible}
COMPARISONS = {"atLeast": pkg.atLeast, "atMost": pkg.atMost, "about": pkg.about, "reach": pkg.reach}
PREFIX_LEVEL = {"省": 2, "市": 4}
NON_NEGATIVE_INTEGER = XSD.nonNegativeInteger  # read once: a namespace's attribute is a look-up in rdflib


def build_file_graph(source: SourceFile, resolver: DocumentResolver | None = None) -> FileGraph:
    """The named graph of a source file: the triples read from it.

    ``resolver`` decides the documents' IRIs (and remembers them for the citations of other files).
    """
    graph: set[Triple] = set()
    source_iri = file_iri(source.path)
    graph.add((iri(source_iri), rdf.type, pkg.SourceFile))
    graph.add((iri(source_iri), pkg.fileName, text(source.path)))
    graph.add((iri(source_iri), pkg.sha256, text(source.sha256)))
    graph.add((iri(source_iri), pkg.encoding, text(source.encoding)))
    for document in source.documents:
        _add_document(graph, document, source_iri, resolver or DocumentResolver())
    return FileGraph(source_iri, graph)


def owner_of(document: Document) -> str:
    """``file#part``: which loaded document this is."""
    return f"{document.source_file}#{document.part}"


def _add_document(graph: set[Triple], document: Document, source_iri: URIRef, resolver: DocumentResolver) -> None:
    doc = resolver.loaded_iri(document.title, owner_of(document), document.doc_number)
    graph.add((iri(doc), rdf.type, eli.LegalResource))
    graph.add((iri(doc), dcterms.title, text(document.title)))
    graph.add((iri(doc), eli.title, text(document.title, "zh")))
    graph.add((iri(doc), pkg.sourceFile, iri(source_iri)))
    graph.add((iri(doc), pkg.part, integer(document.part)))
    graph.add((iri(doc), pkg.traditionalScript, boolean(document.traditional)))
    _add_selector(graph, doc, document.span, source_iri)
    if document.doc_number:
        graph.add((iri(doc), eli.id_local, text(document.doc_number)))
    _add_keys(graph, doc, DocumentKeys.of(document.title, document.doc_number))
    if document.date_issued:
        graph.add((iri(doc), eli.date_document, typed(document.date_issued, XSD.date)))
    place = _add_place(graph, document.jurisdiction) if document.jurisdiction else None
    if place is not None:
        graph.add((iri(doc), pkg.jurisdiction, iri(place)))
    for issuer in document.issuers:
        graph.add((iri(doc), eli.passed_by, iri(_add_agency(graph, issuer, document.jurisdiction))))
    occurrences: Counter[str] = Counter()
    measures: list[tuple[Span, URIRef]] = []
    for measure in document.measures:
        occurrences[measure.measure_id] += 1
        node = _add_measure(graph, doc, measure, occurrences[measure.measure_id], document.jurisdiction, source_iri)
        measures.append((measure.span, node))
    for index, citation in enumerate(document.citations, start=1):
        _add_citation(graph, doc, index, citation, source_iri)
    for index, zone in enumerate(document.zones, start=1):
        _add_zone_mention(graph, doc, index, zone, place, source_iri)
    for index, target in enumerate(document.targets, start=1):
        _add_target(graph, doc, index, target, _innermost(measures, target.span), source_iri)


def _add_measure(graph: set[Triple], doc: URIRef, measure: Measure, occurrence: int, place: Place | None,
                 source_iri: URIRef) -> URIRef:
    """A measure; an id written twice in one document (a scrape that lost a heading) stays two nodes."""
    node = measure_iri(doc, measure.measure_id, occurrence)
    graph.add((iri(node), rdf.type, pkg.Measure))
    graph.add((iri(node), rdf.type, eli.LegalResourceSubdivision))
    graph.add((iri(node), pkg.measureId, text(measure.measure_id)))
    graph.add((iri(node), dcterms.title, text(measure.heading)))
    graph.add((iri(node), pkg.sourceText, text(measure.text)))
    graph.add((iri(node), eli.is_part_of, iri(doc)))
    graph.add((iri(doc), eli.has_part, iri(node)))
    _add_selector(graph, node, measure.span, source_iri)
    for agency in measure.agencies:
        owner = f"{node}/owner/{agency.order}"
        graph.add((iri(node), pkg.responsibility, iri(owner)))
        graph.add((iri(owner), rdf.type, pkg.Responsibility))
        graph.add((iri(owner), pkg.agent, iri(_add_agency(graph, agency.name, place, agency.as_written))))
        graph.add((iri(owner), pkg.role, ROLES[agency.role]))
        graph.add((iri(owner), pkg.order, integer(agency.order)))
        graph.add((iri(owner), pkg.asWritten, text(agency.as_written)))
        graph.add((iri(owner), pkg.agentName, text(agency.name)))
        graph.add((iri(owner), pkg.sourceText, text(agency.clause)))
        _add_selector(graph, owner, agency.span, source_iri)
    return node


def _add_citation(graph: set[Triple], doc: URIRef, index: int, citation: Citation, source_iri: URIRef) -> None:
    node = citation_iri(doc, index)
    graph.add((iri(node), rdf.type, pkg.Citation))
    graph.add((iri(node), pkg.citingDocument, iri(doc)))
    graph.add((iri(node), pkg.basis, boolean(citation.basis)))
    graph.add((iri(node), pkg.citedTitle, text(citation.title)))
    if citation.doc_number:
        graph.add((iri(node), pkg.citedNumber, text(citation.doc_number)))
        _add_number_keys(graph, node, DocumentKeys.of(citation.title, citation.doc_number))
    _add_selector(graph, node, citation.span, source_iri)


def _add_target(graph: set[Triple], doc: URIRef, index: int, target: Target, measure: URIRef | None,
                source_iri: URIRef) -> None:
    """The ``index``-th target a document sets, and the measure it is set in, if any."""
    node = URIRef(f"{doc}/target/{index}")
    graph.add((iri(node), rdf.type, pkg.Target))
    graph.add((iri(node), pkg.settingDocument, iri(doc)))
    if measure is not None:
        graph.add((iri(node), pkg.settingMeasure, iri(measure)))
    graph.add((iri(node), pkg.indicator, text(target.indicator)))
    graph.add((iri(node), pkg.comparison, COMPARISONS[target.comparison]))
    graph.add((iri(node), pkg.amount, typed(target.amount, XSD.decimal)))
    if target.upper is not None:
        graph.add((iri(node), pkg.upperAmount, typed(target.upper, XSD.decimal)))
    graph.add((iri(node), pkg.unit, text(target.unit)))
    if target.deadline:
        graph.add((iri(node), pkg.deadline, text(target.deadline)))
    if target.year is not None:
        graph.add((iri(node), pkg.targetYear, typed(target.year, XSD.gYear)))
    graph.add((iri(node), pkg.aspirational, boolean(target.aspirational)))
    graph.add((iri(node), pkg.sourceText, text(target.sentence)))
    _add_selector(graph, node, target.span, source_iri)


def _innermost(measures: list[tuple[Span, URIRef]], span: Span) -> URIRef | None:
    """The measure whose text holds ``span`` most narrowly; None when none does."""
    holding = [(held.end - held.start, node) for held, node in measures if held.start <= span.start and span.end <= held.end]
    return min(holding, default=(0, None))[1]


def _add_keys(graph: set[Triple], doc: URIRef, keys: DocumentKeys) -> None:
    """The keys a loaded document is found by."""
    graph.add((iri(doc), pkg.titleKey, text(keys.title)))
    _add_number_keys(graph, doc, keys)


def _add_number_keys(graph: set[Triple], subject: URIRef, keys: DocumentKeys) -> None:
    """A 文号's keys: of a loaded document, or of the one a citation names (to find it by them)."""
    if keys.number:
        graph.add((iri(subject), pkg.numberKey, text(keys.number)))
        graph.add((iri(subject), pkg.issuerSerial, text(keys.issuer_serial)))


def citation_iri(doc: URIRef, index: int) -> URIRef:
    """The ``index``-th citation (1-based) written in a document."""
    return URIRef(f"{doc}/citation/{index}")


def named_agencies(source: SourceFile) -> dict[URIRef, str]:
    """The agencies a source file's graph names (issuers and owners of measures): IRI → key.

    >>> from policykg.loaders.pipeline import parse_source_text
    >>> docs = parse_source_text("武汉市人民政府关于推进开发区建设的意见\\n二、主要任务\\n(一)优化布局。(责任单位:市发改委)", "a.txt")
    >>> sorted(named_agencies(SourceFile("a.txt", "a.txt", "0" * 64, "utf-8", docs)).values())
    ['市发展改革委员会', '武汉市人民政府']
    """
    named: dict[URIRef, str] = {}
    for document in source.documents:
        names = [*document.issuers, *(agency.name for m in document.measures for agency in m.agencies)]
        named.update((agency_iri(name, _agency_scope(name, document.jurisdiction)), agency_key(name)) for name in names)
    return named


def _add_agency(graph: set[Triple], name: str, place: Place | None, written: str | None = None) -> URIRef:
    scope = _agency_scope(name, place)
    node = agency_iri(name, scope)
    graph.add((iri(node), rdf.type, org.Organization))
    graph.add((iri(node), skos.prefLabel, text(agency_key(name), "zh")))
    for form in {name, written or name}:
        graph.add((iri(node), skos.altLabel, text(form, "zh")))
    if scope is not None:
        graph.add((iri(node), pkg.jurisdiction, iri(scope)))
    return node


def _agency_scope(name: str, place: Place | None) -> URIRef | None:
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
    graph.add((iri(node), rdf.type, pkg.Jurisdiction))
    graph.add((iri(node), skos.prefLabel, text(place.name, "zh")))
    graph.add((iri(node), pkg.level, text(place.level)))
    if place.adcode:
        graph.add((iri(node), pkg.adcode, text(place.adcode)))
        for width, name in ((2, place.province), (4, place.city)):
            code = place.adcode[:width].ljust(6, "0")
            if name and code != place.adcode:
                parent = place_iri(name, code)
                graph.add((iri(node), pkg.withinJurisdiction, iri(parent)))
                graph.add((iri(parent), rdf.type, pkg.Jurisdiction))
                graph.add((iri(parent), skos.prefLabel, text(name, "zh")))
                graph.add((iri(parent), pkg.adcode, text(code)))
                graph.add((iri(parent), pkg.level, text("province" if width == 2 else "city")))
    return node


def _add_zone_mention(graph: set[Triple], doc: URIRef, index: int, zone: Zone, place: URIRef | None,
                      source_iri: URIRef) -> None:
    """The ``index``-th zone a document names: the zone, and where and how the document first
    names it."""
    node = _add_zone(graph, zone, place, doc)
    graph.add((iri(doc), pkg.mentionsZone, iri(node)))
    mention = URIRef(f"{doc}/zone/{index}")
    graph.add((iri(mention), rdf.type, pkg.ZoneMention))
    graph.add((iri(mention), pkg.mentioningDocument, iri(doc)))
    graph.add((iri(mention), pkg.zone, iri(node)))
    graph.add((iri(mention), pkg.asWritten, text(zone.name)))
    _add_selector(graph, mention, zone.span, source_iri)


def _add_zone(graph: set[Triple], zone: Zone, place: URIRef | None, doc: URIRef) -> URIRef:
    """A zone, labelled by its name with its kind written short (:func:`zone_iri`: the same label
    whichever form a document writes), each form written an altLabel. One named by its kind alone
    is its document's jurisdiction's (``place``), said so, or the document's own when its
    jurisdiction is not known."""
    node = zone_iri(zone.name, (place or doc) if zone.local else None)
    graph.add((iri(node), rdf.type, pkg.Zone))
    if zone.local and place is not None:
        graph.add((iri(node), pkg.jurisdiction, iri(place)))
    graph.add((iri(node), skos.prefLabel, text(short_form(zone.name), "zh")))
    for form in (zone.name, *zone.aliases):
        graph.add((iri(node), skos.altLabel, text(form, "zh")))
    for industry in zone.industries:
        concept = industry_iri(industry)
        graph.add((iri(concept), rdf.type, skos.Concept))
        graph.add((iri(concept), skos.inScheme, pkg.IndustryScheme))
        graph.add((iri(concept), skos.prefLabel, text(industry, "zh")))
        graph.add((iri(node), pkg.focusIndustry, iri(concept)))
    return node


def _add_selector(graph: set[Triple], subject: str, span: Span, source_iri: URIRef) -> None:
    selector = iri(f"{subject}/at")
    graph.add((iri(subject), pkg.selector, selector))
    graph.add((selector, rdf.type, oa.TextPositionSelector))
    graph.add((selector, oa.start, typed(span.start, NON_NEGATIVE_INTEGER)))
    graph.add((selector, oa.end, typed(span.end, NON_NEGATIVE_INTEGER)))
    graph.add((selector, pkg.sourceFile, iri(source_iri)))
