import itertools
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

import pytest
from rdflib import Dataset
from rdflib.plugins.sparql import prepareQuery

from policykg.exports.evaluate import read_gold
from policykg.exports.trace import trace_targets
from policykg.graph.corpus import load_corpus
from policykg.graph.library import QueryLibraryError, list_queries, load_query
from policykg.graph.store import STORE_DIR, PolicyStore
from policykg.loaders.normalize import compare_key
from policykg.ontology import SPARQL_PREFIXES
from policykg.loaders.script import opencc_converter

from ..conftest import GOLD, SEEDS

EXPECTED = {"measures-of-agency", "agencies-of-measure", "documents-implementing", "lineage-paths",
            "zones-by-industry", "measures-without-owner", "agencies-co-owning", "zone-mentions", "agency-renamings",
            "targets", "targets-of-agency"}


@pytest.fixture(scope="module")
def store(seeds_built: Path) -> PolicyStore:
    return PolicyStore.open_read_only(seeds_built / STORE_DIR)


def test_every_query_is_described_and_runs(store: PolicyStore) -> None:
    queries = {q.name: q for q in list_queries()}
    assert set(queries) == EXPECTED
    samples = {"agency": "市发展改革委", "document": "武政〔2018〕35号", "measure_id": "二.(七)",
               "number": "国发〔20xx〕7号", "industry": "生命健康", "jurisdiction": "武汉市", "zone": "东湖高新区"}
    for query in queries.values():
        assert query.description
        rows = list(store.select(query.text, query.bindings({p: samples[p] for p in query.params})))
        assert rows, query.name


def test_agencies_co_owning_count_the_measures_each_pair_of_agencies_shares(store: PolicyStore) -> None:
    owners = store.rows(SPARQL_PREFIXES + "SELECT DISTINCT ?m ?a WHERE { GRAPH ?g { ?m pkg:responsibility ?r . ?r pkg:agent ?a } }")
    names = dict(store.rows(SPARQL_PREFIXES + "SELECT DISTINCT ?a ?name WHERE { GRAPH ?g { ?a a org:Organization ; "
                                              "skos:prefLabel ?name } }"))
    places = dict(store.rows(SPARQL_PREFIXES + "SELECT DISTINCT ?a ?place WHERE { GRAPH ?g { ?a pkg:jurisdiction ?j . "
                                               "?j skos:prefLabel ?place } }"))
    by_measure: defaultdict[str, set[str]] = defaultdict(set)
    for measure, agency in owners:
        by_measure[measure].add(agency)
    shared: Counter[tuple[str, str]] = Counter()
    for owning in by_measure.values():
        shared.update(itertools.combinations(sorted(owning), 2))
    top = sorted(shared.items(), key=lambda pair: (-pair[1], pair[0]))[:100]  # equals by their IRIs
    expected = sorted(((names[a1], places.get(a1), names[a2], places.get(a2), str(count)) for (a1, a2), count in top),
                      key=lambda row: (-int(row[4]), *(cell or "" for cell in row[:4])))
    found = list(store.rows(load_query("agencies-co-owning").text))
    assert found == expected and int(found[0][4]) > 1
    several = {name for name, agencies in Counter(names.values()).items() if agencies > 1}  # each city's 市科技局
    assert any(row[0] in several or row[2] in several for row in found)  # counted apart, not summed by name


def test_measures_of_an_agency(store: PolicyStore) -> None:
    query = load_query("measures-of-agency")
    rows = list(store.select(query.text, query.bindings({"agency": "市发展改革委"})))
    roles = {}
    for row in rows:
        roles.setdefault(str(row[3]), set()).add(str(row[2]))
    # the Wuhan agency in both its written forms, and Guiyang's, which is written the same way
    assert len(rows) == 25 + 3
    assert {str(row[1]) for row in rows} == {"武汉市", "贵阳市"}
    assert roles["开发区高质量发展实施方案4"] == {"lead"}


def test_the_jurisdiction_narrows_a_name_to_one_agency(store: PolicyStore) -> None:
    query = load_query("measures-of-agency")
    everywhere = list(store.select(query.text, query.bindings({"agency": "市发展改革委"})))
    for place, count in (("武汉市", 25), ("贵阳市", 3), ("四川省", 0)):
        rows = list(store.select(query.text, query.bindings({"agency": "市发展改革委", "jurisdiction": place})))
        assert len(rows) == count and set(rows) <= set(everywhere)
        assert {str(row[1]) for row in rows} <= {place}


def test_targets_of_an_agency_are_those_its_trace_gives(store: PolicyStore) -> None:
    query = load_query("targets-of-agency")
    rows = list(store.select(query.text, query.bindings({"agency": "市科技局"})))
    found = {(str(file), str(measure), str(indicator), int(start))
             for _, _, _, _, _, measure, indicator, *_, file, start, _ in rows}
    _, traced = trace_targets(store, "市科技局")
    assert found and found == {(row[15], row[5], row[6], row[16]) for row in traced if not row[18]}
    in_wuhan = list(store.select(query.text, query.bindings({"agency": "市科技局", "jurisdiction": "武汉市"})))
    assert in_wuhan and set(in_wuhan) <= set(rows) and {str(row[1]) for row in in_wuhan} == {"武汉市"}


def test_documents_implementing_a_national_document_under_either_year(store: PolicyStore) -> None:
    query = load_query("documents-implementing")
    for number in ("国发〔2020〕7号", "国发〔20xx〕7号"):
        titles = {str(r[1]) for r in store.select(query.text, query.bindings({"number": number}))}
        assert titles == {"开发区高质量发展实施方案1", "开发区高质量发展实施方案9"}


def test_measures_without_owner_are_those_the_gold_annotations_give_no_agency(store: PolicyStore) -> None:
    query = load_query("measures-without-owner")
    found = {(str(file), compare_key(str(heading))) for _, file, _, _, heading, *_ in store.select(query.text)}
    expected = {(file, compare_key(m["heading"])) for (file, _), document in read_gold(GOLD).items()
                for m in document["measures"] if not m["agencies"]}
    assert expected and found == expected


def test_the_jurisdiction_narrows_measures_without_owner_to_its_documents(store: PolicyStore) -> None:
    query = load_query("measures-without-owner")
    everywhere = list(store.select(query.text))
    for place, count in (("武汉市", 40), ("嘉兴市", 6), ("四川省", 0)):
        rows = list(store.select(query.text, query.bindings({"jurisdiction": place})))
        assert len(rows) == count and rows == [row for row in everywhere if str(row[0]) == place]


def test_documents_and_agencies_of_no_known_jurisdiction_are_found_unless_one_is_asked_for(tmp_path: Path) -> None:
    (tmp_path / "national.txt").write_text("国务院关于推进开发区建设的意见\n二、主要任务\n"
                                           "(一)优化布局。(责任单位:发展改革委)\n(二)完善机制。\n", encoding="utf-8")
    (tmp_path / "wuhan.txt").write_text("武汉市人民政府关于推进开发区建设的意见\n二、主要任务\n"
                                        "(一)优化布局。(责任单位:发展改革委)\n(二)完善机制。\n", encoding="utf-8")
    store = PolicyStore.open(None)
    load_corpus([tmp_path], store)

    def places_and_files(name: str, values: dict[str, str]) -> set[tuple[str, str]]:
        query = load_query(name)
        columns = [str(variable) for variable in prepareQuery(query.portable_text).algebra["PV"]]
        return {(str(row[columns.index("jurisdiction")]), str(row[columns.index("file")]))
                for row in store.select(query.text, query.bindings(values))}

    # the 国务院 document has no jurisdiction, nor has the agency it names: "" for each
    both = {("", "national.txt"), ("武汉市", "wuhan.txt")}
    assert places_and_files("measures-without-owner", {}) == both
    assert places_and_files("measures-of-agency", {"agency": "发展改革委"}) == both
    for place, found in (("武汉市", {("武汉市", "wuhan.txt")}), ("", set())):
        assert places_and_files("measures-without-owner", {"jurisdiction": place}) == found
        assert places_and_files("measures-of-agency", {"agency": "发展改革委", "jurisdiction": place}) == found


def test_zone_mentions_by_any_name_written_for_the_zone(store: PolicyStore) -> None:
    """福州高新区 and 福州高新技术产业开发区 are one zone: either name finds where each plan names it,
    and the offsets read that name in the original (traditional script) file."""
    query = load_query("zone-mentions")
    found = [list(store.select(query.text, query.bindings({"zone": name})))
             for name in ("福州高新区", "福州高新技术产业开发区")]
    assert found[0] == found[1]
    assert [(str(r[0]), str(r[1]), str(r[2])) for r in found[0]] == [
        ("福州高新区", "福州高新技术产业开发区", "开发区高质量发展实施方案6"), ("福州高新区", "福州高新区", "开发区高质量发展实施方案9")]
    for row in found[0]:
        text = (SEEDS / str(row[4])).read_text(encoding="utf-8")
        assert opencc_converter("tw2sp").convert(text[row[5].toPython():row[6].toPython()]) == str(row[1])


def test_agency_renamings_name_each_renaming_once_with_the_measures_of_either_side(store: PolicyStore) -> None:
    """Wuhan's plans name six agencies before the 2018 reform and after it; each side's measures are
    those the plain count of its responsibilities gives."""
    rows = list(store.rows(load_query("agency-renamings").text))
    assert len(rows) == len(set(rows)) == 6 and {row[0] for row in rows} == {"武汉市"}
    assert ("武汉市", "市国土规划局", "市自然资源规划局", "3", "3", "2018 机构改革") in [
        (place, before, after, owned_before, owned_after, reform)
        for place, before, _, after, _, owned_before, owned_after, reform in rows]
    assert {(row[2], row[4]) for row in rows} == set(store.rows(SPARQL_PREFIXES + """SELECT ?a ?b WHERE {
        GRAPH ?g { ?event org:originalOrganization ?a ; org:resultingOrganization ?b } }"""))
    owned = dict(store.rows("""PREFIX pkg: <https://w3id.org/policykg/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?name (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m pkg:responsibility/pkg:agent ?a . ?a skos:prefLabel ?name .
                                                        ?a pkg:jurisdiction/skos:prefLabel "武汉市"@zh } GROUP BY ?name"""))
    assert [(row[5], row[6]) for row in rows] == [(owned.get(row[1], "0"), owned.get(row[3], "0")) for row in rows]


@pytest.mark.parametrize("hostile", ['市发改委" } UNION { ?s ?p ?o } #', "市发改委'}}; DROP ALL", "}{"])
def test_parameters_cannot_change_the_query(store: PolicyStore, hostile: str) -> None:
    query = load_query("measures-of-agency")
    assert list(store.select(query.text, query.bindings({"agency": hostile}))) == []


def test_unknown_names_and_parameters_are_explained() -> None:
    with pytest.raises(QueryLibraryError, match="did you mean measures-of-agency"):
        load_query("measures-of-agencies")
    with pytest.raises(QueryLibraryError, match=r"takes --param agency=…, \[--param jurisdiction=…\]; missing: agency$"):
        load_query("measures-of-agency").bindings({"jurisdiction": "武汉市"})
    with pytest.raises(QueryLibraryError, match="unknown: city"):
        load_query("measures-without-owner").bindings({"city": "武汉"})


def test_the_portable_text_answers_in_rdflib_as_the_store_does(store: PolicyStore, seeds_built: Path) -> None:
    for query in list_queries():
        prepareQuery(query.portable_text)  # SPARQL 1.1 that rdflib reads
    dataset = Dataset(default_union=True)
    dataset.parse(seeds_built / "graph.trig", format="trig")
    asked = {"measures-of-agency": ({"agency": "市发展改革委", "jurisdiction": "武汉市"}, {"agency": "市财政局"}),
             "measures-without-owner": ({"jurisdiction": "武汉市"}, {}),
             "lineage-paths": ({"document": "武政〔2018〕35号"}, {"document": "开发区高质量发展实施方案9"}),
             "zone-mentions": ({"zone": "东湖高新区"}, {"zone": "福州高新技术产业开发区"}),
             "agency-renamings": ({},),
             "agencies-co-owning": ({},),
             "targets": ({"jurisdiction": "武汉市"}, {}),
             "targets-of-agency": ({"agency": "市市场监管局", "jurisdiction": "武汉市"}, {"agency": "市科技局"})}
    for name, examples in asked.items():
        query = load_query(name)
        assert "LATERAL {" in query.text
        for values in examples:
            bindings = query.bindings(values)
            ours = sorted(_texts(store.select(query.text, bindings)))
            assert ours and sorted(_texts(dataset.query(query.portable_text, initBindings=bindings))) == ours


def _texts(rows: Iterable[tuple]) -> list[tuple[str, ...]]:
    return [tuple("" if value is None else str(value) for value in row) for row in rows]
