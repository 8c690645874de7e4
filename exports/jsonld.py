"""The graph as JSON-LD a reader can follow: each named graph with the ontology's prefixes as its
``@context``, and its nodes in compact form (``"dcterms:title": "…"``, ``"@type": "pkg:Measure"``,
``"oa:start": 4254``), where Oxigraph writes expanded JSON-LD with every IRI in full and every
value in an object of its own (``{"@value": "4254", "@type": "http://…#integer"}``). The same
statements: a JSON-LD reader gets back the quads the store holds.

Written graph by graph, each parsed from Oxigraph's JSON-LD of its triples and made compact: as
little held as one graph, and as little for a reader (:func:`write_jsonld`).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import orjson
import pyoxigraph as ox
from rdflib import RDF

from policykg.graph.store import PolicyStore
from policykg.ontology import PREFIXES

RDF_TYPE = str(RDF.type)
XSD = PREFIXES["xsd"]
CANONICAL_INTEGER = re.compile(r"-?(0|[1-9][0-9]{0,14})")  # below 2**53 too: exact in any JSON reader
CONTEXT = {"@context": PREFIXES}

JsonObject = dict[str, object]


def compact_iri(iri: str) -> str:
    """``prefix:local`` for an IRI in a namespace of :data:`PREFIXES`, else the IRI as it is. A
    local part starting with ``//`` would not read back as the same IRI, so it is left whole.

    >>> compact_iri("https://w3id.org/policykg/ontology#Measure"), compact_iri("urn:x")
    ('pkg:Measure', 'urn:x')
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace) and not iri.startswith("//", len(namespace)):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def compact_value(value: JsonObject) -> object:
    """A value of expanded JSON-LD in compact form: a node's IRI compacted, a plain string as a
    JSON string, a whole number or a truth value as JSON's own when it reads back the same; any
    other literal keeps its datatype (compacted) or its language.

    >>> compact_value({"@id": "http://www.w3.org/ns/org#Organization"}), compact_value({"@value": "园区"})
    ({'@id': 'org:Organization'}, '园区')
    >>> compact_value({"@value": "4254", "@type": "http://www.w3.org/2001/XMLSchema#integer"})
    4254
    >>> compact_value({"@value": "04", "@type": "http://www.w3.org/2001/XMLSchema#integer"})
    {'@value': '04', '@type': 'xsd:integer'}
    """
    if "@id" in value:
        return {"@id": compact_iri(str(value["@id"]))}
    datatype = value.get("@type")
    if datatype is None:
        return value["@value"] if len(value) == 1 else value
    text = str(value["@value"])
    native = _as_json(text, str(datatype))
    return native if native is not None else {"@value": text, "@type": compact_iri(str(datatype))}


def _as_json(text: str, datatype: str) -> int | bool | None:
    """The JSON number or truth value a JSON-LD reader takes back as this literal, if any: a whole
    number as xsd:integer, true and false as xsd:boolean, each in its canonical form."""
    if datatype == f"{XSD}integer" and CANONICAL_INTEGER.fullmatch(text):
        return int(text)
    if datatype == f"{XSD}boolean":
        return {"true": True, "false": False}.get(text)
    return None


def compact_node(node: JsonObject) -> JsonObject:
    """A node object of expanded JSON-LD in compact form: its IRI and its properties' compacted, its
    rdf:type as ``@type`` and next after its IRI, a property of one value without its array.

    >>> compact_node({"@id": "urn:m", RDF_TYPE: [{"@id": "https://w3id.org/policykg/ontology#Measure"}],
    ...               "http://purl.org/dc/terms/title": [{"@value": "甲"}, {"@value": "乙", "@language": "zh"}]})
    {'@id': 'urn:m', '@type': 'pkg:Measure', 'dcterms:title': ['甲', {'@value': '乙', '@language': 'zh'}]}
    """
    compact: JsonObject = {}
    for key, values in sorted(node.items(), key=lambda item: item[0] not in ("@id", RDF_TYPE)):
        if key == "@id":
            compact[key] = compact_iri(str(values))
            continue
        assert isinstance(values, list)
        items: list[object]
        if key == RDF_TYPE and all(value.keys() == {"@id"} for value in values):
            key, items = "@type", [compact_iri(value["@id"]) for value in values]
        else:
            key, items = compact_iri(key), [compact_value(value) for value in values]
        compact[key] = items[0] if len(items) == 1 else items
    return compact


def write_jsonld(store: PolicyStore, path: Path, graphs: Iterable[str]) -> None:
    """The named ``graphs`` of ``store`` as one JSON-LD document in compact form, into ``path``: an
    array of named graphs, each with the prefixes as its ``@context``, then its name, then its
    nodes. A reader can stream it: given one ``@context`` for the whole document, which then
    holds the graphs under ``@graph`` with no name of its own after them, Oxigraph held 900 MB
    reading 81 MB, and 36 MB reading this form.

    >>> import tempfile
    >>> store = PolicyStore.from_trig('<urn:g> { <urn:s> <http://purl.org/dc/terms/title> "园区" }')
    >>> folder = Path(tempfile.mkdtemp()); path = folder / "graph.jsonld"; write_jsonld(store, path, ["urn:g"])
    >>> [{key: graph[key] for key in ("@id", "@graph")} for graph in orjson.loads(path.read_bytes())]
    [{'@id': 'urn:g', '@graph': [{'@id': 'urn:s', 'dcterms:title': '园区'}]}]
    >>> import shutil; shutil.rmtree(folder)
    """
    with path.open("wb") as file:
        file.write(b"[\n")
        for number, graph in enumerate(graphs):
            nodes = orjson.loads(store.dump_graph(graph, ox.RdfFormat.JSON_LD))
            named = CONTEXT | {"@id": compact_iri(graph), "@graph": [compact_node(node) for node in nodes]}
            file.write((b",\n" if number else b"") + orjson.dumps(named))
        file.write(b"\n]\n")
