import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import ORG, OWL, SKOS

from policykg.graph.build import build_file_graph
from policykg.loaders.pipeline import parse_source_text
from policykg.loaders.records import SourceFile

from policykg.graph.renamings import change_event
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


@pytest.mark.parametrize("dropped", [None, ORG.resultingOrganization, ORG.changedBy])
def test_a_renaming_passes_the_shapes_only_whole(dropped: URIRef | None) -> None:
    before, after = URIRef("urn:agency:before"), URIRef("urn:agency:after")
    graph = Graph()
    for agency in (before, after):
        graph.add((agency, RDF.type, ORG.Organization))
        graph.add((agency, SKOS.prefLabel, Literal(str(agency)[-5:], lang="zh")))
    for triple in change_event(before, after):
        if triple[1] != dropped:
            graph.add(triple)
    conforms, _, text = validate(graph, shacl_graph=read_shapes(), ont_graph=read_ontology(), inference="none")
    assert conforms == (dropped is None), text


@pytest.mark.parametrize("dropped", [None, PKG.amount, PKG.comparison, PKG.settingDocument])
def test_a_target_passes_the_shapes_only_whole(dropped: URIRef | None) -> None:
    text = "武汉市人民政府关于推进开发区建设的意见\n一、发展目标\n到2025年,开发区营业收入突破1000亿元。"
    graph = build_file_graph(SourceFile("w.txt", "w.txt", "0" * 64, "utf-8", parse_source_text(text, "w.txt"))).graph()
    assert len(set(graph.subjects(RDF.type, PKG.Target))) == 1
    if dropped is not None:
        graph.remove((None, dropped, None))
    conforms, _, report = validate(graph, shacl_graph=read_shapes(), ont_graph=read_ontology(), inference="none")
    assert conforms == (dropped is None), report
