"""``policykg trace``: who owns a measure and where the text says so, from four starting points: an
agency (its measures, or the targets those measures set), a measure, a zone.

An agency is found by any of its written forms, or by another way of writing it (市发改委 finds
市发展和改革委员会 in the same corpus); an unknown name gets the closest known names as suggestions.
Agencies are followed through the 2018 reform that renamed them, as the graph's ``org:ChangeEvent``s
say (:mod:`~policykg.graph.renamings`): an agency's trace brings its predecessors' and successors'
measures, a measure's names what its owners are called since.
"""
from __future__ import annotations

import difflib
from typing import Iterable

from rdflib import Literal, URIRef

from policykg.graph.identity import agency_iri_beside, agency_key
from policykg.graph.renamings import REFORM, RELATIONS
from policykg.graph.store import PolicyStore, StoreError
from policykg.loaders.zones import short_form

from policykg.ontology import SPARQL_PREFIXES

Table = tuple[list[str], list[list[object]]]

# Each look-up starts from what it is given (a name, a document, agencies, measures, zones: bound in
# a VALUES block) and reads each file's graph on its own (GRAPH ?g), as the query library does: over
# the union of graphs, Oxigraph makes each step's triples distinct across them all, and at 10,000
# documents a trace of 市科技局 ran past ten minutes and 12 GB, a measure's 120 s, a zone's 69 s.
AGENCIES_WRITTEN = SPARQL_PREFIXES + """
SELECT DISTINCT ?agency WHERE { GRAPH ?g { ?agency skos:altLabel ?form ; a org:Organization } }"""
AGENCIES = SPARQL_PREFIXES + """
SELECT DISTINCT ?agency WHERE { GRAPH ?g { ?agency a org:Organization } }"""
AGENCY_NAMES = SPARQL_PREFIXES + """
SELECT DISTINCT ?name WHERE { GRAPH ?g { ?r pkg:agentName ?name } }"""
AGENCY_MEASURES = SPARQL_PREFIXES + """
SELECT DISTINCT ?agency ?name ?place ?role ?file ?document ?doc_number ?measure_id ?heading ?clause ?start ?end WHERE {
  GRAPH ?g {
    ?r pkg:agent ?agency ; pkg:agentName ?name ; pkg:role ?role_iri ; pkg:sourceText ?clause ; pkg:selector ?at .
    ?at oa:start ?start ; oa:end ?end .
    ?m pkg:responsibility ?r ; pkg:measureId ?measure_id ; dcterms:title ?heading ; eli:is_part_of ?doc .
    ?doc dcterms:title ?document .
  }
  ?g pkg:fileName ?file .
  LATERAL { OPTIONAL { GRAPH ?g { ?doc eli:id_local ?doc_number } } }
  LATERAL { OPTIONAL { GRAPH ?g { ?agency pkg:jurisdiction/skos:prefLabel ?place } } }
  BIND (STRAFTER(STR(?role_iri), "#") AS ?role)
}"""
AGENCY_TARGETS = SPARQL_PREFIXES + """
SELECT DISTINCT ?agency ?name ?place ?role ?document ?doc_number ?measure_id ?indicator ?comparison ?amount ?upper
                ?unit ?deadline ?year ?aspirational ?sentence ?file ?start ?end WHERE {
  GRAPH ?g {
    ?r pkg:agent ?agency ; pkg:agentName ?name ; pkg:role ?role_iri .
    ?m pkg:responsibility ?r ; pkg:measureId ?measure_id ; eli:is_part_of ?doc .
    ?t pkg:settingMeasure ?m ; pkg:indicator ?indicator ; pkg:comparison ?comparison_iri ; pkg:amount ?amount ;
       pkg:unit ?unit ; pkg:aspirational ?aspirational ; pkg:sourceText ?sentence ; pkg:selector ?at .
    ?at oa:start ?start ; oa:end ?end .
    ?doc dcterms:title ?document .
  }
  ?g pkg:fileName ?file .
  LATERAL { OPTIONAL { GRAPH ?g { ?doc eli:id_local ?doc_number } } }
  LATERAL { OPTIONAL { GRAPH ?g { ?t pkg:deadline ?deadline } } }
  LATERAL { OPTIONAL { GRAPH ?g { ?t pkg:targetYear ?year } } }
  LATERAL { OPTIONAL { GRAPH ?g { ?t pkg:upperAmount ?upper } } }
  LATERAL { OPTIONAL { GRAPH ?g { ?agency pkg:jurisdiction/skos:prefLabel ?place } } }
  BIND (STRAFTER(STR(?role_iri), "#") AS ?role)
  BIND (STRAFTER(STR(?comparison_iri), "#") AS ?comparison)
}"""
# loaded documents (those with a part) by title or 文号; each branch a subquery, which the bound name
# opens (graph.sparql_text.bind_values): a UNION of groups is evaluated before values outside it
DOCUMENTS_NAMED = SPARQL_PREFIXES + """
SELECT DISTINCT ?doc WHERE {
  { SELECT ?doc ?name WHERE { GRAPH ?g { ?doc dcterms:title ?name ; pkg:part ?part } } }
  UNION
  { SELECT ?doc ?name WHERE { GRAPH ?g { ?doc eli:id_local ?name ; pkg:part ?part } } }
}"""
DOCUMENT_NAMES = SPARQL_PREFIXES + """
SELECT DISTINCT ?title ?number WHERE {
  GRAPH ?g { ?doc pkg:part ?part ; dcterms:title ?title }
  LATERAL { OPTIONAL { GRAPH ?g { ?doc eli:id_local ?number } } }
}"""
MEASURES = SPARQL_PREFIXES + """
SELECT DISTINCT ?doc ?document ?doc_number ?measure ?measure_id ?heading ?text ?file ?start ?end WHERE {
  GRAPH ?g {
    ?measure eli:is_part_of ?doc ; pkg:measureId ?measure_id ; dcterms:title ?heading ; pkg:sourceText ?text ;
             pkg:selector ?at .
    ?at oa:start ?start ; oa:end ?end .
    ?doc dcterms:title ?document .
  }
  ?g pkg:fileName ?file .
  LATERAL { OPTIONAL { GRAPH ?g { ?doc eli:id_local ?doc_number } } }
}"""
OWNERS = SPARQL_PREFIXES + """
SELECT DISTINCT ?measure ?order ?name ?role ?clause ?start ?end ?agent WHERE {
  GRAPH ?g {
    ?measure pkg:responsibility ?r .
    ?r pkg:agent ?agent ; pkg:agentName ?name ; pkg:order ?order ; pkg:role ?role_iri ; pkg:sourceText ?clause ;
       pkg:selector ?at .
    ?at oa:start ?start ; oa:end ?end .
  }
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
ZONES_NAMED = SPARQL_PREFIXES + """
SELECT DISTINCT ?zone WHERE {
  { SELECT ?zone ?label WHERE { GRAPH ?g { ?zone skos:prefLabel ?label ; a pkg:Zone } } }
  UNION
  { SELECT ?zone ?label WHERE { GRAPH ?g { ?zone skos:altLabel ?label ; a pkg:Zone } } }
}"""
ZONE_NAMES = SPARQL_PREFIXES + """
SELECT DISTINCT ?label WHERE {
  { SELECT DISTINCT ?label WHERE { GRAPH ?g { ?zone a pkg:Zone ; skos:prefLabel ?label } } }
  UNION
  { SELECT DISTINCT ?label WHERE { GRAPH ?g { ?mention pkg:zone ?zone ; pkg:asWritten ?label } } }
}"""
ZONES = SPARQL_PREFIXES + """
SELECT DISTINCT ?zone ?name ?alias ?written ?document ?file ?start ?end ?industry WHERE {
  GRAPH ?g {
    ?mention pkg:zone ?zone ; pkg:asWritten ?written ; pkg:mentioningDocument ?doc ; pkg:selector ?at .
    ?at oa:start ?start ; oa:end ?end .
    ?zone skos:prefLabel ?name .
    ?doc dcterms:title ?document .
  }
  ?g pkg:fileName ?file .
  LATERAL { OPTIONAL { GRAPH ?g { ?zone skos:altLabel ?alias } } }
  LATERAL { OPTIONAL { GRAPH ?g { ?zone pkg:focusIndustry ?focus . ?focus skos:prefLabel ?industry } } }
}"""


def trace_agency(store: PolicyStore, name: str) -> Table:
    """Every measure the agency owns: role, document, measure, the clause, file and offsets; and
    those of the agencies of its jurisdiction it was renamed from or into (``via`` says which)."""
    columns = ["agency", "jurisdiction", "role", "document", "doc_number", "measure_id", "heading", "clause", "file",
               "char_start", "char_end", "via"]
    traced = _traced_agencies(store, name)
    rows = [[written, place, role, document, number, measure_id, heading, clause, file, int(start), int(end),
             traced[agency]]
            for agency, written, place, role, file, document, number, measure_id, heading, clause, start, end
            in store.rows(AGENCY_MEASURES, {"agency": tuple(map(URIRef, traced))})]
    return columns, sorted(rows, key=lambda r: (r[8], r[9], r[0]))


def trace_targets(store: PolicyStore, name: str) -> Table:
    """Every quantified target the agency answers for: those set by the measures it owns (and by
    those of the agencies it was renamed from or into, ``via`` saying which), with its role, the
    target as :mod:`~policykg.loaders.targets` reads it, the sentence, file and offsets. A target
    set in a goals section belongs to no measure, so to no agency."""
    columns = ["agency", "jurisdiction", "role", "document", "doc_number", "measure_id", "indicator", "comparison",
               "amount", "upper_amount", "unit", "deadline", "target_year", "aspirational", "sentence", "file",
               "char_start", "char_end", "via"]
    traced = _traced_agencies(store, name)
    rows = [[*found, int(start), int(end), traced[agency]]
            for agency, *found, start, end in store.rows(AGENCY_TARGETS, {"agency": tuple(map(URIRef, traced))})]
    return columns, sorted(rows, key=lambda r: (r[15], r[16], r[0], r[2]))


def _traced_agencies(store: PolicyStore, name: str) -> dict[str, str]:
    """The agencies written ``name`` (else written another way with the same key: 市发改委 and
    市发展和改革委员会), each with ``""``, and those the reform renamed them from or into, each with
    how (``predecessor (2018 机构改革)``); in the order of their IRIs. An unknown name is a
    :class:`StoreError` naming the closest known ones.

    The agencies with the key are those whose IRI is the key's in their own jurisdiction
    (:func:`~policykg.graph.identity.agency_iri_beside`), so no written form's key is worked out."""
    agencies = {a for (a,) in store.rows(AGENCIES_WRITTEN, {"form": Literal(name, lang="zh")})}
    if not agencies:
        key = agency_key(name)
        agencies = {a for (a,) in store.rows(AGENCIES) if str(agency_iri_beside(a, key)) == a}
    if not agencies:
        raise StoreError(_unknown("agency", name, [written for (written,) in store.rows(AGENCY_NAMES)]))
    renamed = {agency: f"{relation} ({REFORM})" for agency, (relation, _) in _renamed(store, agencies).items()
               if agency not in agencies}
    return dict(sorted(({a: "" for a in agencies} | renamed).items()))


def _renamed(store: PolicyStore, agencies: Iterable[str], relations: tuple[str, ...] = tuple(RELATIONS)
             ) -> dict[str, tuple[str, str]]:
    """The agencies the ``agencies`` were renamed from or into, as the graph's ``org:ChangeEvent`` nodes say:
    each with which it is (``predecessor``, ``successor``) and the first of its written forms."""
    rows = store.rows(RENAMED, {"agency": tuple(URIRef(agency) for agency in sorted(agencies))})
    return {other: (relation, name) for other, relation, name in rows if relation in relations}


def trace_measure(store: PolicyStore, document: str, measure_id: str) -> Table:
    """One measure's owners in the order written, with its text and where it stands."""
    documents = tuple(URIRef(doc) for (doc,) in store.rows(DOCUMENTS_NAMED, {"name": Literal(document)}))
    if not documents:
        raise StoreError(_unknown("document", document, [name for names in store.rows(DOCUMENT_NAMES) for name in names]))
    in_document = list(store.rows(MEASURES, {"doc": documents}))
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
    label, or by their short form: 福州高新技术产业开发区 finds 福州高新区): the name it writes, the zone's other names there and its industries, the file and
    offsets."""
    names = tuple(Literal(label, lang="zh") for label in dict.fromkeys([name, short_form(name)]))
    zones = tuple(URIRef(zone) for (zone,) in store.rows(ZONES_NAMED, {"label": names}))
    if not zones:
        raise StoreError(_unknown("zone", name, [label for (label,) in store.rows(ZONE_NAMES)]))
    found: dict[tuple[str, str, str, str, int, int], tuple[set[str], set[str]]] = {}
    for _, label, alias, written, document, file, start, end, industry in store.rows(ZONES, {"zone": zones}):
        aliases, industries = found.setdefault((label, written, document, file, int(start), int(end)), (set(), set()))
        aliases.update([alias] if alias and alias != written else [])
        industries.update([industry] if industry else [])
    columns = ["zone", "as_written", "aliases", "industries", "document", "file", "char_start", "char_end"]
    return columns, [[z, w, "、".join(sorted(a)), "、".join(sorted(i)), d, f, start, end]
                     for (z, w, d, f, start, end), (a, i) in sorted(found.items())]


def _unknown(kind: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, sorted({k for k in known if k}), n=5, cutoff=0.3)
    return f"no {kind} named {name!r}" + (f"; closest: {', '.join(close)}" if close else "")

