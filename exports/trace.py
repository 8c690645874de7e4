"""``policykg trace``: who owns a measure and where the text says so, from three starting points.

An agency is found by any of its written forms, or by another way of writing it (市发改委 finds
市发展和改革委员会 in the same corpus); an unknown name gets the closest known names as suggestions.
Agencies are followed through the 2018 reform that renamed them, as the graph's ``org:ChangeEvent``s
say (:mod:`~policykg.graph.renamings`): an agency's trace brings its predecessors' and successors'
measures, a measure's names what its owners are called since.
"""
from __future__ import annotations

import difflib
from typing import Iterable

from rdflib import URIRef

from policykg.graph.identity import agency_key
from policykg.graph.renamings import REFORM, RELATIONS
from policykg.graph.store import PolicyStore, StoreError
from policykg.loaders.zones import short_form

from policykg.ontology import SPARQL_PREFIXES

Table = tuple[list[str], list[list[object]]]

AGENCY_FORMS = SPARQL_PREFIXES + """
SELECT DISTINCT ?agency ?form WHERE { ?agency a org:Organization ; skos:altLabel ?form }"""
AGENCY_MEASURES = SPARQL_PREFIXES + """
SELECT DISTINCT ?agency ?name ?place ?role ?file ?document ?doc_number ?measure_id ?heading ?clause ?start ?end WHERE {
  ?r pkg:agent ?agency ; pkg:agentName ?name ; pkg:role ?role_iri ; pkg:sourceText ?clause ;
     pkg:selector [ oa:start ?start ; oa:end ?end ] .
  ?m pkg:responsibility ?r ; pkg:measureId ?measure_id ; dcterms:title ?heading ; eli:is_part_of ?doc .
  ?doc dcterms:title ?document ; pkg:sourceFile/pkg:fileName ?file .
  OPTIONAL { ?doc eli:id_local ?doc_number }
  OPTIONAL { ?agency pkg:jurisdiction/skos:prefLabel ?place }
  BIND (STRAFTER(STR(?role_iri), "#") AS ?role)
}"""
MEASURES = SPARQL_PREFIXES + """
SELECT DISTINCT ?doc ?document ?doc_number ?measure ?measure_id ?heading ?text ?file ?start ?end WHERE {
  ?measure pkg:measureId ?measure_id ; dcterms:title ?heading ; pkg:sourceText ?text ; eli:is_part_of ?doc ;
           pkg:selector [ oa:start ?start ; oa:end ?end ] .
  ?doc dcterms:title ?document ; pkg:sourceFile/pkg:fileName ?file .
  OPTIONAL { ?doc eli:id_local ?doc_number }
}"""
OWNERS = SPARQL_PREFIXES + """
SELECT DISTINCT ?measure ?order ?name ?role ?clause ?start ?end ?agent WHERE {
  ?measure pkg:responsibility ?r .
  ?r pkg:agent ?agent ; pkg:agentName ?name ; pkg:order ?order ; pkg:role ?role_iri ; pkg:sourceText ?clause ;
     pkg:selector [ oa:start ?start ; oa:end ?end ] .
  BIND (STRAFTER(STR(?role_iri), "#") AS ?role)
}"""
# the agencies some agencies were renamed from or into, each with the first of its written forms
RENAMED = SPARQL_PREFIXES + """
SELECT ?other ?relation (MIN(?form) AS ?name) WHERE {
  { ?event org:originalOrganization ?agency ; org:resultingOrganization ?other . BIND ("successor" AS ?relation) }
  UNION
  { ?event org:resultingOrganization ?agency ; org:originalOrganization ?other . BIND ("predecessor" AS ?relation) }
  ?other skos:altLabel ?form
} GROUP BY ?other ?relation"""
ZONES = SPARQL_PREFIXES + """
SELECT DISTINCT ?zone ?name ?alias ?written ?document ?file ?start ?end ?industry WHERE { GRAPH ?g {
  ?mention pkg:zone ?zone ; pkg:asWritten ?written ; pkg:mentioningDocument ?doc ;
           pkg:selector [ oa:start ?start ; oa:end ?end ] .
  ?zone skos:prefLabel ?name .
  OPTIONAL { ?zone skos:altLabel ?alias }
  OPTIONAL { ?zone pkg:focusIndustry/skos:prefLabel ?industry }
  ?doc dcterms:title ?document ; pkg:sourceFile/pkg:fileName ?file .
} }"""


def trace_agency(store: PolicyStore, name: str) -> Table:
    """Every measure the agency owns: role, document, measure, the clause, file and offsets; and
    those of the agencies of its jurisdiction it was renamed from or into (``via`` says which)."""
    forms = list(store.rows(AGENCY_FORMS))
    agencies = {a for a, form in forms if form == name} or {a for a, form in forms if agency_key(form) == agency_key(name)}
    if not agencies:
        raise StoreError(_unknown("agency", name, [form for _, form in forms]))
    columns = ["agency", "jurisdiction", "role", "document", "doc_number", "measure_id", "heading", "clause", "file",
               "char_start", "char_end", "via"]
    renamed = {agency: f"{relation} ({REFORM})" for agency, (relation, _) in _renamed(store, agencies).items()
               if agency not in agencies}
    rows = []
    for agency, via in sorted(({a: "" for a in agencies} | renamed).items()):
        for row in store.rows(AGENCY_MEASURES, {"agency": URIRef(agency)}):
            _, written, place, role, file, document, number, measure_id, heading, clause, start, end = row
            rows.append([written, place, role, document, number, measure_id, heading, clause, file, int(start),
                         int(end), via])
    return columns, sorted(rows, key=lambda r: (r[8], r[9], r[0]))


def _renamed(store: PolicyStore, agencies: Iterable[str], relations: tuple[str, ...] = tuple(RELATIONS)
             ) -> dict[str, tuple[str, str]]:
    """The agencies the ``agencies`` were renamed from or into, as the graph's ``org:ChangeEvent`` nodes say:
    each with which it is (``predecessor``, ``successor``) and the first of its written forms."""
    rows = store.rows(RENAMED, {"agency": tuple(URIRef(agency) for agency in sorted(agencies))})
    return {other: (relation, name) for other, relation, name in rows if relation in relations}


def trace_measure(store: PolicyStore, document: str, measure_id: str) -> Table:
    """One measure's owners in the order written, with its text and where it stands."""
    measures = list(store.rows(MEASURES))
    in_document = [m for m in measures if document in (m[1], m[2])]
    if not in_document:
        raise StoreError(_unknown("document", document, [m[1] for m in measures] + [m[2] for m in measures]))
    chosen = [m for m in in_document if m[4] == measure_id]
    if not chosen:
        raise StoreError(_unknown(f"measure in {document}", measure_id, [m[4] for m in in_document]))
    columns = ["document", "measure_id", "heading", "order", "agency", "role", "clause", "file", "char_start", "char_end",
               "renamed"]
    rows = []
    for _, title, _, measure, mid, heading, text, file, start, end in chosen:
        owners = sorted(store.rows(OWNERS, {"measure": URIRef(measure)}), key=lambda o: int(o[1]))
        rows.append([title, mid, heading, "", "", "", text, file, int(start), int(end), ""])
        rows += [[title, mid, heading, int(order), name, role, clause, file, int(o_start), int(o_end),
                  _successors_named(store, agent)]
                 for _, order, name, role, clause, o_start, o_end, agent in owners]
    return columns, rows


def _successors_named(store: PolicyStore, agency: str) -> str:
    """What an owner of a measure is called since the reform renamed it, where the store names its
    successor: ``市自然资源规划局 (2018 机构改革)``; else nothing."""
    renamed = _renamed(store, [agency], ("successor",))
    successors = sorted(name for _, name in renamed.values())
    return f"{'、'.join(successors)} ({REFORM})" if successors else ""


def trace_zone(store: PolicyStore, name: str) -> Table:
    """Where each document names a zone (found by any name a document writes for it, or by its
    label): the name it writes, the zone's other names there and its industries, the file and
    offsets."""
    rows = list(store.rows(ZONES))
    zones = {r[0] for r in rows if name in (r[1], r[2]) or short_form(name) == r[1]}
    if not zones:
        raise StoreError(_unknown("zone", name, [r[1] for r in rows] + [r[2] for r in rows]))
    found: dict[tuple[str, str, str, str, int, int], tuple[set[str], set[str]]] = {}
    for zone, label, alias, written, document, file, start, end, industry in rows:
        if zone in zones:
            aliases, industries = found.setdefault((label, written, document, file, int(start), int(end)), (set(), set()))
            aliases.update([alias] if alias and alias != written else [])
            industries.update([industry] if industry else [])
    columns = ["zone", "as_written", "aliases", "industries", "document", "file", "char_start", "char_end"]
    return columns, [[z, w, "、".join(sorted(a)), "、".join(sorted(i)), d, f, start, end]
                     for (z, w, d, f, start, end), (a, i) in sorted(found.items())]


def _unknown(kind: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, sorted({k for k in known if k}), n=5, cutoff=0.3)
    return f"no {kind} named {name!r}" + (f"; closest: {', '.join(close)}" if close else "")

