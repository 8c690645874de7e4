from importlib.resources import files

from rdflib import RDF, URIRef
from rdflib.namespace import ORG

from policykg.graph.identity import agency_iri, agency_key
from policykg.graph.renamings import (RENAMINGS_FILE, change_event, predecessor_keys, renamed_agencies,
                                      successor_keys)


def test_the_table_holds_agency_keys_as_identity_makes_them() -> None:
    """Both sides of every renaming are compared as agency keys: written otherwise (和 kept, an
    abbreviation), a side would never meet an agency."""
    rows = files("policykg.graph").joinpath(RENAMINGS_FILE).read_text(encoding="utf-8").splitlines()
    names = [name for row in rows if row and not row.startswith("#")
             for side in row.split("\t") for name in side.split("|")]
    assert len(names) > 40
    assert [name for name in names if agency_key(f"市{name}") != f"市{name}"] == []


def test_successors_and_predecessors_keep_the_place_and_mirror_each_other() -> None:
    assert successor_keys("武汉市国土规划局") == {"武汉市自然资源规划局", "武汉市自然资源局"}
    assert successor_keys("省环境保护厅") == {"省生态环境厅"} and successor_keys("区质监局") == {"区市场监督管理局"}
    for key in ("市国土资源局", "区工商局", "县农业局", "市城乡建设委员会", "省国土资源厅"):
        assert all(key in predecessor_keys(successor) for successor in successor_keys(key)), key


def test_names_the_reform_left_or_gave_have_no_successor() -> None:
    assert successor_keys("市发展改革委员会") == set() and predecessor_keys("市发展改革委员会") == set()
    assert successor_keys("市自然资源规划局") == set()  # a name the reform gave, though it ends as 规划局 does
    assert successor_keys("局") == set()  # a kind alone names no agency


def test_renamed_agencies_are_those_with_a_name_before_or_after_the_reform() -> None:
    wuhan = URIRef("https://w3id.org/policykg/id/place/420100")
    agencies = {agency_iri(name, wuhan): agency_key(name) for name in ("市环保局", "市生态环境局", "市发改委")}
    assert set(renamed_agencies(agencies)) == {agency_iri("市环保局", wuhan), agency_iri("市生态环境局", wuhan)}


def test_a_renaming_points_from_the_agency_before_to_the_one_after() -> None:
    before, after = URIRef("urn:agency:before"), URIRef("urn:agency:after")
    triples = change_event(before, after)
    (event,) = [s for s, p, o in triples if p == RDF.type and o == ORG.ChangeEvent]
    assert {(event, ORG.originalOrganization, before), (event, ORG.resultingOrganization, after),
            (before, ORG.changedBy, event), (after, ORG.resultedFrom, event)} <= triples
    assert change_event(after, before) != triples
