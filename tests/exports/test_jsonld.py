import re
import subprocess
import sys
from pathlib import Path

import orjson
import pyoxigraph as ox
import pytest

from policykg.exports.jsonld import compact_node, write_jsonld
from policykg.exports.query import open_built_store
from policykg.graph.store import PolicyStore
from policykg.ontology import PREFIXES

TRICKY = """<urn:g> {
  <urn:s> a <https://w3id.org/policykg/ontology#Measure> , <urn:Kind> ;
    <https://w3id.org/policykg/ontology#order> 2 , 123456789012345678 ;
    <https://w3id.org/policykg/ontology#basis> true ;
    <http://purl.org/dc/terms/title> "园区" , "Zone"@en , "2.5"^^<http://www.w3.org/2001/XMLSchema#decimal> ;
    <https://w3id.org/policykg/ontology#//odd> <https://w3id.org/policykg/ontology#> ;
    <urn:p> _:b .
  _:b <urn:q> <urn:o> .
}
<urn:h> { <urn:s> <http://www.w3.org/2004/02/skos/core#prefLabel> "甲" }
"""


def quads_read(text: bytes) -> set[ox.Quad]:
    return set(ox.parse(text, format=ox.RdfFormat.JSON_LD))


def test_compact_json_ld_reads_back_as_every_quad_of_the_store(tmp_path: Path) -> None:
    store = PolicyStore.from_trig(TRICKY)
    path = tmp_path / "graph.jsonld"
    write_jsonld(store, path, store.named_graphs())
    stored = store.dump_nquads()
    assert _without_blank_labels(quads_read(path.read_bytes())) == \
        _without_blank_labels(set(ox.parse(stored, format=ox.RdfFormat.N_QUADS)))
    graphs = orjson.loads(path.read_bytes())
    assert [list(graph)[:2] for graph in graphs] == [["@context", "@id"]] * 2
    assert graphs[0]["@context"] == PREFIXES and graphs[0]["@id"] == "urn:g"
    measure = graphs[0]["@graph"][-1]
    assert list(measure)[:2] == ["@id", "@type"]
    assert _in_order(measure["@type"]) == ["pkg:Measure", "urn:Kind"]
    assert _in_order(measure["pkg:order"]) == _in_order([2, {"@value": "123456789012345678", "@type": "xsd:integer"}])
    assert measure["pkg:basis"] is True
    assert measure["https://w3id.org/policykg/ontology#//odd"] == {"@id": "https://w3id.org/policykg/ontology#"}


def _in_order(values: list) -> list:
    """Values of a property in one order, whatever order the store gave them in."""
    return sorted(values, key=orjson.dumps)


def _without_blank_labels(quads: set[ox.Quad]) -> set[tuple[str, ...]]:
    """The quads with every blank node as ``_``: a reader names blank nodes afresh."""
    def term(node: object) -> str:
        return "_" if isinstance(node, ox.BlankNode) else str(node)
    return {(term(q.subject), term(q.predicate), term(q.object), term(q.graph_name)) for q in quads}


def test_the_seeds_graph_in_json_ld_names_its_properties_by_prefix(seeds_built: Path, tmp_path: Path) -> None:
    store = open_built_store(seeds_built)
    path = tmp_path / "graph.jsonld"
    write_jsonld(store, path, store.named_graphs())
    text = path.read_text(encoding="utf-8")
    nodes = [node for graph in orjson.loads(text) for node in graph["@graph"]]
    keys = {key for node in nodes for key in node}
    assert {"@type", "dcterms:title", "pkg:responsibility", "oa:start", "skos:prefLabel"} <= keys
    assert not [key for key in keys if key.startswith("http")]
    without_context = text.replace(orjson.dumps(PREFIXES).decode("utf-8"), "")
    assert not any(namespace in without_context for namespace in PREFIXES.values())  # every ontology IRI by its prefix
    expanded = tmp_path / "expanded.jsonld"
    store.write_as(expanded, ox.RdfFormat.JSON_LD)  # the expanded form Oxigraph writes
    assert len(text) < 0.6 * len(expanded.read_text(encoding="utf-8"))


@pytest.mark.parametrize("node", [{"@id": "urn:s", "urn:p": [{"@id": "_:b1"}]},
                                  {"@id": "_:b1", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": [{"@id": "urn:T"}]}])
def test_a_node_without_the_ontology_keeps_its_iris(node: dict) -> None:
    compact = compact_node(node)
    assert compact["@id"] == node["@id"] and len(compact) == 2


# the high-water mark of the reading process's own memory (VmHWM: ru_maxrss keeps the parent's across exec)
READ_IN_A_PROCESS = """
import re, sys
import pyoxigraph as ox
def high_water_mb():
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1)) // 1024
before = high_water_mb()
quads = sum(1 for _ in ox.parse(path=sys.argv[1], format=ox.RdfFormat.JSON_LD))
print(quads, high_water_mb() - before)
"""


def test_a_reader_streams_the_file_graph_by_graph(seeds_built: Path, tmp_path: Path) -> None:
    """Oxigraph reads the file holding about one graph at a time: the seeds' graphs under one
    @context for the whole document held ten times the file."""
    nquads = open_built_store(seeds_built).dump_nquads()
    copies = 30
    store = PolicyStore.from_trig("".join(re.sub(r"^(.*) <([^<>]*)> \.$", rf"<\2/{copy}> {{ \1 . }}", nquads, flags=re.M)
                                          for copy in range(copies)))  # each quad in a copy of its graph
    path = tmp_path / "graph.jsonld"
    write_jsonld(store, path, store.named_graphs())
    size_mb = path.stat().st_size / 2**20
    done = subprocess.run([sys.executable, "-c", READ_IN_A_PROCESS, str(path)], capture_output=True, text=True, check=True)
    quads, grown_mb = map(int, done.stdout.split())
    assert quads == copies * len(nquads.splitlines()) and size_mb > 30
    assert grown_mb < size_mb / 2, (grown_mb, size_mb)
