"""The policykg ontology: Turtle files and the namespace objects code uses instead of IRI strings.

Every term used in code comes from a :class:`~rdflib.namespace.DefinedNamespace` that fails on a
typo; a test checks ``PKG`` against ``policykg.ttl``.

>>> str(PKG.Measure)
'https://w3id.org/policykg/ontology#Measure'
"""
from __future__ import annotations

from importlib.resources import files

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD, DefinedNamespace

ONTOLOGY_FILE = "policykg.ttl"
SHAPES_FILE = "shapes.ttl"
ID = Namespace("https://w3id.org/policykg/id/")


class PKG(DefinedNamespace):
    """policykg's own terms."""

    _NS = Namespace("https://w3id.org/policykg/ontology#")
    _fail = True

    Measure: URIRef
    Responsibility: URIRef
    Citation: URIRef
    Zone: URIRef
    ZoneMention: URIRef
    Target: URIRef
    Comparison: URIRef
    ComparisonScheme: URIRef
    Jurisdiction: URIRef
    SourceFile: URIRef
    Role: URIRef
    RoleScheme: URIRef
    IndustryScheme: URIRef
    lead: URIRef
    support: URIRef
    implementer: URIRef
    responsible: URIRef
    atLeast: URIRef
    atMost: URIRef
    about: URIRef
    reach: URIRef
    measureId: URIRef
    responsibility: URIRef
    agent: URIRef
    role: URIRef
    order: URIRef
    asWritten: URIRef
    agentName: URIRef
    citedTitle: URIRef
    sourceText: URIRef
    citingDocument: URIRef
    citedDocument: URIRef
    basis: URIRef
    citedNumber: URIRef
    titleKey: URIRef
    numberKey: URIRef
    issuerSerial: URIRef
    mentionsZone: URIRef
    mentioningDocument: URIRef
    zone: URIRef
    focusIndustry: URIRef
    jurisdiction: URIRef
    adcode: URIRef
    level: URIRef
    withinJurisdiction: URIRef
    sourceFile: URIRef
    part: URIRef
    fileName: URIRef
    sha256: URIRef
    encoding: URIRef
    traditionalScript: URIRef
    settingDocument: URIRef
    settingMeasure: URIRef
    indicator: URIRef
    comparison: URIRef
    amount: URIRef
    upperAmount: URIRef
    unit: URIRef
    deadline: URIRef
    targetYear: URIRef
    aspirational: URIRef
    selector: URIRef


class ELI(DefinedNamespace):
    """The European Legislation Identifier ontology terms policykg uses (rdflib does not ship ELI)."""

    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True

    LegalResource: URIRef
    LegalResourceSubdivision: URIRef
    cites: URIRef
    based_on: URIRef
    passed_by: URIRef
    date_document: URIRef
    id_local: URIRef
    is_part_of: URIRef
    has_part: URIRef
    title: URIRef


class OA(DefinedNamespace):
    """Web Annotation terms for text-position selectors (rdflib does not ship OA)."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    TextPositionSelector: URIRef
    start: URIRef
    end: URIRef


def _prefixes() -> dict[str, str]:
    """Prefix and namespace of every vocabulary policykg's graphs use, from the namespace objects."""
    spaces = {"pkg": PKG._NS, "eli": ELI._NS, "oa": OA._NS, "dcterms": DCTERMS, "skos": SKOS, "org": ORG,
              "rdf": RDF, "rdfs": RDFS, "xsd": XSD}
    return {prefix: str(namespace) for prefix, namespace in spaces.items()}


def read_ontology() -> Graph:
    """The ontology as an rdflib graph."""
    return _read(ONTOLOGY_FILE)


def read_shapes() -> Graph:
    """The SHACL shapes every graph policykg builds must pass."""
    return _read(SHAPES_FILE)


def _read(name: str) -> Graph:
    graph = Graph()
    graph.parse(data=files(__package__).joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return graph


PREFIXES = _prefixes()
SPARQL_PREFIXES = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())
