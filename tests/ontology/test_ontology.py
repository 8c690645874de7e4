from rdflib import RDF, URIRef
from rdflib.namespace import OWL

from policykg.ontology import PKG, read_ontology, read_shapes


def test_every_namespace_term_is_declared_in_the_turtle_and_back() -> None:
    graph = read_ontology()
    declared = {str(s) for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(PKG._NS))}
    in_code = {str(PKG[name]) for name in PKG.__annotations__}
    assert declared == in_code


def test_terms_have_zh_and_en_labels() -> None:
    graph = read_ontology()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in graph.subjects(RDF.type, kind):
            languages = {label.language for label in graph.objects(term, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
            assert {"zh", "en"} <= languages, term


def test_a_typo_fails() -> None:
    try:
        PKG.Measurre  # noqa: B018
    except AttributeError:
        return
    raise AssertionError("PKG accepted an undeclared term")


def test_shapes_parse() -> None:
    assert len(read_shapes()) > 50
